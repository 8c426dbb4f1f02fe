package plancheck.lib_test

import rego.v1

import data.plancheck.lib
import data.plancheck.testdata as td

# --- small value helpers -------------------------------------------------------

test_arr_returns_the_array_under_a_key if {
	lib.arr({"xs": [1, 2]}, "xs") == [1, 2]
}

test_arr_is_empty_for_a_missing_or_non_array_value if {
	lib.arr({}, "xs") == []
	lib.arr({"xs": "a"}, "xs") == []
	lib.arr({"xs": {"a": 1}}, "xs") == []
	lib.arr({"xs": null}, "xs") == []
	lib.arr(null, "xs") == []
	lib.arr("text", "xs") == []
}

test_text_needs_a_non_blank_string if {
	lib.text("a")
	lib.text(" a ")
	not lib.text("")
	not lib.text(" \t\n")
	not lib.text(null)
	not lib.text(7)
	not lib.text(["a"])
}

test_has_text_checks_the_key_inside_the_function if {
	lib.has_text({"owner": "sre"}, "owner")
	not lib.has_text({"owner": " "}, "owner")
	not lib.has_text({"owner": null}, "owner")
	not lib.has_text({}, "owner")
	not lib.has_text(null, "owner")
}

test_has_object_and_has_array_check_the_shape if {
	lib.has_object({"oncall": {}}, "oncall")
	not lib.has_object({"oncall": []}, "oncall")
	not lib.has_object({}, "oncall")
	lib.has_array({"rotation": []}, "rotation")
	not lib.has_array({"rotation": "alice"}, "rotation")
	not lib.has_array({}, "rotation")
}

test_str_formats_any_value if {
	lib.str("alice") == "alice"
	lib.str(7) == "7"
	lib.str(null) == "null"
	lib.str(true) == "true"
	lib.str(["a"]) == `["a"]`
}

test_join_lists_arrays_in_order_and_sets_sorted if {
	lib.join(["b", "a", 3]) == "b, a, 3"
	lib.join({"b", "a"}) == "a, b"
	lib.join([]) == ""
}

test_plural_adds_an_s_unless_one if {
	lib.plural(0, "level") == "0 levels"
	lib.plural(1, "level") == "1 level"
	lib.plural(2, "level") == "2 levels"
}

test_examples_cuts_after_n_and_counts_the_rest if {
	lib.examples(["a", "b"], 3) == "a, b"
	lib.examples(["a", "b", "c"], 3) == "a, b, c"
	lib.examples(["a", "b", "c", "d", "e"], 3) == "a, b, c and 2 more"
}

# --- the plan's lists and id sets --------------------------------------------

test_lists_come_from_the_plan if {
	inp := td.base
	lib.contacts == [td.alice, td.bob, td.ceo] with input as inp
	lib.teams == [td.team] with input as inp
	lib.areas == [td.area] with input as inp
	lib.policies == [td.policy] with input as inp
	lib.threats == [td.threat] with input as inp
	lib.waivers == [td.waiver] with input as inp
	lib.metadata == td.metadata with input as inp
}

test_missing_or_malformed_lists_are_empty if {
	every inp in [{"plan": null}, {"plan": {}}, {"plan": {"contacts": {"alice": {}}, "teams": "sre", "metadata": ["x"]}}] {
		lib.contacts == [] with input as inp
		lib.teams == [] with input as inp
		lib.areas == [] with input as inp
		lib.policies == [] with input as inp
		lib.threats == [] with input as inp
		lib.waivers == [] with input as inp
		lib.metadata == {} with input as inp
	}
}

test_id_sets_collect_every_kind if {
	inp := td.base
	lib.contact_ids == {"alice", "bob", "ceo"} with input as inp
	lib.team_ids == {"sre"} with input as inp
	lib.party_ids == {"alice", "bob", "ceo", "sre"} with input as inp
	lib.area_ids == {"k8s-core"} with input as inp
	lib.policy_ids == {"ep-sre"} with input as inp
	lib.threat_ids == {"THR-1"} with input as inp
	lib.all_ids == {"alice", "bob", "ceo", "sre", "k8s-core", "ep-sre", "THR-1"} with input as inp
}

test_only_an_explicit_false_makes_a_contact_inactive if {
	inp := td.with_plan({"contacts": [
		{"id": "a", "active": false},
		{"id": "b", "active": true},
		{"id": "c"},
		{"id": "d", "active": "false"},
		{"id": "e", "active": null},
	]})
	lib.inactive_contact_ids == {"a"} with input as inp
	lib.active_contact_ids == {"b", "c", "d", "e"} with input as inp
}

# --- grouping and lookups --------------------------------------------------------

test_first_index_keeps_the_first_definition_of_an_id if {
	lib.first_index([{"id": "b"}, {"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "a"}]) == {"a": 1, "b": 0, "c": 3}
	lib.first_index([]) == {}
}

test_group_collects_sorted_values_per_key if {
	lib.group({["x", 2], ["y", 1], ["x", 1]}) == {"x": [1, 2], "y": [1]}
	lib.group([["k", "b"], ["k", "a"], ["j", "c"]]) == {"j": ["c"], "k": ["a", "b"]}
	lib.group(set()) == {}
}

test_lookups_find_entries_by_id if {
	inp := td.base
	lib.contact("bob") == td.bob with input as inp
	lib.team("sre") == td.team with input as inp
	lib.area("k8s-core") == td.area with input as inp
	lib.policy("ep-sre") == td.policy with input as inp
}

test_lookup_of_an_unknown_id_is_undefined if {
	not lib.contact("zed") with input as td.base
	not lib.team("zed") with input as td.base
	not lib.area("zed") with input as td.base
	not lib.policy("zed") with input as td.base
}

test_lookup_of_a_duplicated_id_returns_the_first if {
	inp := td.with_plan({"contacts": [td.alice, object.union(td.bob, {"id": "alice"})]})
	lib.contact("alice") == td.alice with input as inp
}

# --- on-call and escalation ---------------------------------------------------

test_rotation_is_the_team_rotation_or_empty if {
	lib.rotation(td.team) == ["alice", "bob"]
	lib.rotation({"id": "t"}) == []
	lib.rotation({"id": "t", "oncall": null}) == []
	lib.rotation({"id": "t", "oncall": {"rotation": "alice"}}) == []
}

test_levels_and_targets_default_to_empty if {
	lib.levels(td.policy) == td.policy.levels
	lib.levels({"id": "p"}) == []
	lib.targets(td.policy.levels[1]) == ["ceo"]
	lib.targets({"tier": "executive"}) == []
}

test_oncall_team_names_the_team_of_an_oncall_target if {
	lib.oncall_team("oncall:sre") == "sre"
	lib.oncall_team("oncall:") == ""
	not lib.oncall_team("sre")
	not lib.oncall_team("on-call:sre")
	not lib.oncall_team(7)
}

# --- threats -------------------------------------------------------------------

test_valid_sources_are_the_five_documented_ones if {
	lib.valid_sources == {"human_error", "malicious", "supply_chain", "infrastructure", "third_party"}
}

test_source_label_reads_well_in_messages if {
	lib.source_label({"source": "human_error"}) == "human error"
	lib.source_label({"source": "malicious"}) == "malicious actor"
	lib.source_label({"source": "third_party"}) == "third party"
	lib.source_label({"source": "accident"}) == "unspecified source"
	lib.source_label({}) == "unspecified source"
}

# --- dates ----------------------------------------------------------------------

test_valid_date_accepts_real_calendar_dates if {
	every d in ["2026-01-31", "2026-04-30", "2026-02-28", "2024-02-29", "2000-02-29", "2999-12-31", "0001-01-01", "2026-08-08"] {
		lib.valid_date(d)
	}
}

test_valid_date_rejects_anything_else if {
	every d in [
		"2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
		"2026-01-32", "2026-1-01", "26-01-01", "2026-01-01T00:00:00Z", " 2026-01-01", "", "today",
	] {
		not lib.valid_date(d)
	}
	not lib.valid_date(20260101)
	not lib.valid_date(null)
}

test_leap_years_follow_the_gregorian_rules if {
	lib.leap_year(2024)
	lib.leap_year(2000)
	not lib.leap_year(2026)
	not lib.leap_year(1900)
	lib.last_day(2024, "02") == "29"
	lib.last_day(2026, "02") == "28"
	lib.last_day(2026, "08") == "31"
	lib.last_day(2026, "09") == "30"
}

test_int_reads_digits_with_leading_zeros if {
	lib.int("08") == 8
	lib.int("0099") == 99
	lib.int("2026") == 2026
	lib.int("00") == 0
}

test_days_counts_from_the_unix_epoch if {
	lib.days("1970-01-01") == 0
	lib.days("1969-12-31") == -1
	lib.days("2000-02-29") == 11016
	lib.days("2000-03-01") == 11017
	lib.days("2026-11-24") == 20781
	lib.days("2999-12-31") == 376199
	lib.days("0001-01-01") == -719162
}

test_days_is_undefined_for_an_invalid_date if {
	not lib.days("2026-02-30")
	not lib.days("soon")
}

test_date_is_the_inverse_of_days if {
	lib.date(0) == "1970-01-01"
	lib.date(-1) == "1969-12-31"
	lib.date(11016) == "2000-02-29"
	lib.date(11017) == "2000-03-01"
	lib.date(20781) == "2026-11-24"
	lib.date(47541) == "2100-03-01"
	lib.date(376199) == "2999-12-31"
	lib.date(-719162) == "0001-01-01"
	every d in ["2024-12-31", "2025-01-01", "2025-02-28", "2025-03-01", "2026-10-01"] {
		lib.date(lib.days(d)) == d
	}
}

test_pad_fills_with_leading_zeros if {
	lib.pad(7, 2) == "07"
	lib.pad(12, 2) == "12"
	lib.pad(99, 4) == "0099"
	lib.pad(2026, 4) == "2026"
}

test_before_compares_valid_dates_only if {
	lib.before("2026-11-23", "2026-11-24")
	lib.before("2026-12-31", "2999-01-01")
	not lib.before("2026-11-24", "2026-11-24")
	not lib.before("2026-11-25", "2026-11-24")
	not lib.before("2026-02-30", "2026-11-24")
	not lib.before("2026-11-23", "")
}

test_before_is_undefined_for_non_string_dates if {
	not lib.before(20261123, "2026-11-24")
	not lib.before("2026-11-23", null)
}
