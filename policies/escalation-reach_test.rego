package plancheck.escalation_reach_test

import rego.v1

import data.plancheck.testdata as td

deny(inp) := {object.remove(r, ["help", "related"]) | some r in results} if {
	results := data.plancheck.escalation_reach.deny with input as inp
}

night := {"from": "2026-11-24T17:00:00Z", "to": "2026-11-25T08:00:00Z", "hours": 15, "contacts": [], "local": {"Europe/Berlin": {"from": "Tue 2026-11-24 18:00 CET", "to": "Wed 2026-11-25 09:00 CET"}}}

day := {"from": "2026-11-25T08:00:00Z", "to": "2026-11-25T16:00:00Z", "hours": 8, "contacts": ["alice"], "local": {}}

weekend := object.union(night, {"from": "2026-11-28T16:00:00Z", "to": "2026-11-30T08:00:00Z", "hours": 40})

with_tiles(tiles) := object.union(td.base, {"facts": {
	"oncall": {"first_page": {"ep-sre": tiles}},
	"escalation": {"threats": {"THR-1": {"policy": "ep-sre", "via": "team", "team": "sre", "timezone": "Europe/Berlin"}}},
}})

test_valid_plan_has_no_findings if {
	deny(td.base) == set()
}

test_a_sev1_threat_paging_nobody_at_night_is_denied_at_its_severity if {
	deny(with_tiles([night, day, weekend])) == {{
		"msg": "SEV1 threat THR-1 escalates via ep-sre (inherited from team sre), which pages nobody within 5 minutes of an incident starting from 2026-11-24T17:00:00Z (Tue 2026-11-24 18:00 CET) to 2026-11-25T08:00:00Z (Wed 2026-11-25 09:00 CET, Europe/Berlin): 55 hours of the next 28 days",
		"path": ["plan", "threats", 0, "severity"],
	}}
}

test_paging_only_unreachable_or_inactive_people_counts_as_nobody if {
	inp := object.union(with_tiles([object.union(day, {"contacts": ["bob"]})]), {"plan": {"contacts": [td.alice, object.remove(td.bob, ["phone"]), td.ceo]}})
	[found] := [x | some x in deny(inp)]
	contains(found.msg, "which pages only bob, who cannot be reached (no email or phone) within 5 minutes")
	inp2 := object.union(with_tiles([day]), {"plan": {"contacts": [object.union(td.alice, {"active": false}), td.bob, td.ceo]}})
	count(deny(inp2)) == 1
}

test_a_high_profile_threat_is_held_to_it_and_an_own_policy_is_the_line_to_change if {
	inp := object.union(with_tiles([night]), {
		"plan": {"threats": [object.union(td.threat, {"severity": "SEV2", "escalation_policy": "ep-sre"})]},
		"facts": {"escalation": {"threats": {"THR-1": {"policy": "ep-sre", "via": "threat", "team": "sre", "timezone": "UTC"}}}},
	})
	deny(inp) == {{
		"msg": "high-profile threat THR-1 escalates via ep-sre, which pages nobody within 5 minutes of an incident starting from 2026-11-24T17:00:00Z (2026-11-24T17:00:00Z) to 2026-11-25T08:00:00Z (2026-11-25T08:00:00Z, UTC): 15 hours of the next 28 days",
		"path": ["plan", "threats", 0, "escalation_policy"],
	}}
}

test_other_threats_are_not_checked if {
	inp := object.union(with_tiles([night]), {"plan": {"threats": [object.union(td.threat, {"severity": "SEV2", "high_profile": false})]}})
	deny(inp) == set()
}

test_the_minutes_come_from_the_config if {
	results := deny(with_tiles([night])) with data.config.first_page_minutes as 10
	[found] := [x | some x in results]
	contains(found.msg, "within 10 minutes")
}

test_an_unknown_policy_is_left_to_ref_resolves if {
	inp := object.union(with_tiles([night]), {"facts": {"escalation": {"threats": {"THR-1": {"policy": "ep-ghost", "via": "threat"}}}}})
	deny(inp) == set()
}

test_a_high_profile_sev2_inheriting_its_policy_is_reported_at_high_profile if {
	inp := object.union(with_tiles([night]), {
		"plan": {"threats": [object.union(td.threat, {"severity": "SEV2"})]},
		"facts": {"escalation": {"threats": {"THR-1": {"policy": "ep-sre", "via": "team", "team": null, "timezone": "Europe/Berlin"}}}},
	})
	[found] := [x | some x in deny(inp)]
	found.path == ["plan", "threats", 0, "high_profile"]
	startswith(found.msg, "high-profile threat THR-1 escalates via ep-sre (inherited), which pages nobody")
}
