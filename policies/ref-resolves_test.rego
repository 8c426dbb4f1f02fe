package plancheck.ref_resolves_test

import rego.v1

import data.plancheck.testdata as td

threat(patch) := object.union(td.threat, patch)

team(patch) := object.union(td.team, patch)

area(patch) := object.union(td.area, patch)

waiver(patch) := object.union(td.waiver, patch)

# The base policy with its first level's targets replaced.
first_level_targets(targets) := td.with_plan({"escalation_policies": [object.union(td.policy, {"levels": [
	{"tier": "responder", "targets": targets, "after_minutes": 0},
	td.policy.levels[1],
]})]})

test_valid_plan_has_no_findings if {
	results := data.plancheck.ref_resolves.deny with input as td.base
	results == set()
}

# --- threats -------------------------------------------------------------------

test_threat_area_that_does_not_exist_is_denied if {
	inp := td.with_plan({"threats": [threat({"area": "k8s-cor"})]})
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {{"msg": "threat THR-1: area k8s-cor does not exist", "path": ["plan", "threats", 0, "area"]}}
}

test_missing_or_blank_threat_area_is_left_to_threat_area if {
	every inp in [td.without(["plan/threats/0/area"]), td.with_plan({"threats": [threat({"area": " "})]})] {
		results := data.plancheck.ref_resolves.deny with input as inp
		results == set()
	}
}

test_threat_policy_that_does_not_exist_is_denied if {
	inp := td.with_plan({"threats": [threat({"escalation_policy": "ep-ghost"})]})
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {{
		"msg": "threat THR-1: escalation policy ep-ghost does not exist",
		"path": ["plan", "threats", 0, "escalation_policy"],
	}}
}

test_blank_escalation_policies_are_left_to_other_rules if {
	inp := td.with_plan({
		"teams": [team({"escalation_policy": " "})],
		"threats": [threat({"escalation_policy": ""})],
	})
	results := data.plancheck.ref_resolves.deny with input as inp
	results == set()
}

test_threat_policy_that_exists_is_accepted if {
	inp := td.with_plan({"threats": [threat({"escalation_policy": "ep-sre"})]})
	results := data.plancheck.ref_resolves.deny with input as inp
	results == set()
}

# --- teams ---------------------------------------------------------------------

test_team_policy_that_does_not_exist_is_denied if {
	inp := td.with_plan({"teams": [team({"escalation_policy": "ep-platform"})]})
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {{
		"msg": "team sre: escalation policy ep-platform does not exist",
		"path": ["plan", "teams", 0, "escalation_policy"],
	}}
}

test_team_member_that_is_not_a_contact_is_denied if {
	inp := td.with_plan({"teams": [team({"members": ["alice", "bob", "zed"]})]})
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {{"msg": "team sre: member zed is not a contact", "path": ["plan", "teams", 0, "members", 2]}}
}

test_team_id_is_not_a_valid_member if {
	inp := td.with_plan({"teams": [team({"members": ["sre", "alice"]})]})
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {{"msg": "team sre: member sre is not a contact", "path": ["plan", "teams", 0, "members", 0]}}
}

test_rotation_entry_that_is_not_a_contact_is_denied if {
	inp := td.with_plan({"teams": [team({"oncall": {"rotation": ["alice", "zed", 7]}})]})
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {
		{"msg": "team sre: on-call rotation entry zed is not a contact", "path": ["plan", "teams", 0, "oncall", "rotation", 1]},
		{"msg": "team sre: on-call rotation entry 7 is not a contact", "path": ["plan", "teams", 0, "oncall", "rotation", 2]},
	}
}

test_team_without_members_or_oncall_has_nothing_to_resolve if {
	inp := td.without(["plan/teams/0/members", "plan/teams/0/oncall", "plan/teams/0/escalation_policy"])
	results := data.plancheck.ref_resolves.deny with input as inp
	results == set()
}

# --- areas ---------------------------------------------------------------------

test_area_contact_that_does_not_exist_is_denied if {
	inp := td.with_plan({"areas": [area({"contacts": ["alice", "bob", "zed"]})]})
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {{"msg": "area k8s-core: contact zed does not exist", "path": ["plan", "areas", 0, "contacts", 2]}}
}

test_area_team_that_does_not_exist_is_denied if {
	inp := td.with_plan({"areas": [area({"team": "storage"})]})
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {{"msg": "area k8s-core: team storage does not exist", "path": ["plan", "areas", 0, "team"]}}
}

test_area_team_naming_a_contact_is_denied if {
	inp := td.with_plan({"areas": [area({"team": "alice"})]})
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {{"msg": "area k8s-core: team alice does not exist", "path": ["plan", "areas", 0, "team"]}}
}

test_area_without_team_is_accepted if {
	results := data.plancheck.ref_resolves.deny with input as td.without(["plan/areas/0/team"])
	results == set()
}

# --- escalation targets -----------------------------------------------------------

test_contact_team_and_oncall_targets_resolve if {
	inp := first_level_targets(["alice", "sre", "oncall:sre"])
	results := data.plancheck.ref_resolves.deny with input as inp
	results == set()
}

test_oncall_target_of_an_unknown_team_is_denied if {
	inp := first_level_targets(["oncall:storage"])
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {{
		"msg": "escalation policy ep-sre level 1: target oncall:storage names no team (storage is not a team id)",
		"path": ["plan", "escalation_policies", 0, "levels", 0, "targets", 0],
	}}
}

test_oncall_target_of_a_contact_is_denied if {
	inp := first_level_targets(["oncall:alice"])
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {{
		"msg": "escalation policy ep-sre level 1: target oncall:alice names no team (alice is not a team id)",
		"path": ["plan", "escalation_policies", 0, "levels", 0, "targets", 0],
	}}
}

test_unknown_target_is_denied if {
	inp := first_level_targets(["oncall:sre", "vp-eng"])
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {{
		"msg": "escalation policy ep-sre level 1: target vp-eng is neither a contact, a team nor oncall:<team>",
		"path": ["plan", "escalation_policies", 0, "levels", 0, "targets", 1],
	}}
}

test_non_string_target_is_denied if {
	inp := first_level_targets([7])
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {{
		"msg": "escalation policy ep-sre level 1: target 7 is neither a contact, a team nor oncall:<team>",
		"path": ["plan", "escalation_policies", 0, "levels", 0, "targets", 0],
	}}
}

# --- metadata and waivers ----------------------------------------------------------

test_plan_owner_may_be_a_team_or_a_contact if {
	every owner in ["sre", "alice"] {
		inp := td.with_plan({"metadata": {"owner": owner}})
		results := data.plancheck.ref_resolves.deny with input as inp
		results == set()
	}
}

test_plan_owner_that_does_not_exist_is_denied if {
	inp := td.with_plan({"metadata": {"owner": "platform-sre"}})
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {{"msg": "plan owner platform-sre is neither a team nor a contact", "path": ["plan", "metadata", "owner"]}}
}

test_plan_without_owner_or_metadata_is_accepted if {
	every inp in [td.without(["plan/metadata/owner"]), td.without(["plan/metadata"])] {
		results := data.plancheck.ref_resolves.deny with input as inp
		results == set()
	}
}

test_waiver_may_target_any_defined_id if {
	every target in ["alice", "sre", "k8s-core", "ep-sre", "THR-1"] {
		inp := td.with_plan({"waivers": [waiver({"target": target})]})
		results := data.plancheck.ref_resolves.deny with input as inp
		results == set()
	}
}

test_waiver_target_that_is_not_defined_is_denied if {
	inp := td.with_plan({"waivers": [waiver({"target": "k8s-legacy"})]})
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {{
		"msg": "waiver for area-min-contacts: target k8s-legacy is not a defined id",
		"path": ["plan", "waivers", 0, "target"],
	}}
}

test_waiver_without_rule_is_named_by_a_question_mark if {
	inp := td.with_plan({"waivers": [object.remove(waiver({"target": "THR-9"}), ["rule"])]})
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {{"msg": "waiver for ?: target THR-9 is not a defined id", "path": ["plan", "waivers", 0, "target"]}}
}

test_waiver_without_target_is_accepted if {
	results := data.plancheck.ref_resolves.deny with input as td.without(["plan/waivers/0/target"])
	results == set()
}

# --- several at once ----------------------------------------------------------------

test_every_dangling_reference_is_reported_once if {
	inp := td.with_plan({
		"metadata": {"owner": "ghost-team"},
		"teams": [team({"escalation_policy": "ep-ghost", "members": ["alice", "ghost"]})],
		"areas": [area({"team": "ghost-team", "contacts": ["ghost", "alice"]})],
		"threats": [threat({"area": "ghost-area"})],
	})
	results := data.plancheck.ref_resolves.deny with input as inp
	results == {
		{"msg": "plan owner ghost-team is neither a team nor a contact", "path": ["plan", "metadata", "owner"]},
		{"msg": "team sre: escalation policy ep-ghost does not exist", "path": ["plan", "teams", 0, "escalation_policy"]},
		{"msg": "team sre: member ghost is not a contact", "path": ["plan", "teams", 0, "members", 1]},
		{"msg": "area k8s-core: team ghost-team does not exist", "path": ["plan", "areas", 0, "team"]},
		{"msg": "area k8s-core: contact ghost does not exist", "path": ["plan", "areas", 0, "contacts", 0]},
		{"msg": "threat THR-1: area ghost-area does not exist", "path": ["plan", "threats", 0, "area"]},
	}
}

test_empty_plan_has_no_findings if {
	results := data.plancheck.ref_resolves.deny with input as {"plan": {}}
	results == set()
}

test_layer_rotation_entries_and_override_contacts_must_be_contacts if {
	team := object.union(td.team, {"oncall": {
		"layers": [{"name": "apac", "rotation": ["alice", "ghost"]}],
		"overrides": [{"contact": "bob", "from": "2026-12-24T00:00:00Z", "to": "2026-12-25T00:00:00Z"}, {"contact": "zed", "from": "2026-12-24T00:00:00Z", "to": "2026-12-25T00:00:00Z"}],
	}})
	results := data.plancheck.ref_resolves.deny with input as td.with_plan({"teams": [team]})
	{"msg": "team sre: on-call rotation entry ghost is not a contact", "path": ["plan", "teams", 0, "oncall", "layers", 0, "rotation", 1]} in results
	{"msg": "team sre: on-call override 2 names zed, which is not a contact", "path": ["plan", "teams", 0, "oncall", "overrides", 1, "contact"]} in results
}

test_unknown_threat_matrix_technique_is_denied_at_its_entry if {
	inp := td.with_plan({"threats": [object.union(td.threat, {"techniques": ["MS-TA9019", "MS-TA9099", "T1485", 7]})]})
	results := data.plancheck.ref_resolves.deny with input as inp
	{object.remove(r, ["help"]) | some r in results} == {{"msg": "threat THR-1: technique MS-TA9099 is not in the Threat Matrix for Kubernetes (its techniques run from MS-TA9001 to MS-TA9041)", "path": ["plan", "threats", 0, "techniques", 1]}}
}

test_without_a_catalogue_the_message_says_so if {
	inp := td.with_plan({"threats": [object.union(td.threat, {"techniques": ["MS-TA9001"]})]})
	results := data.plancheck.ref_resolves.deny with input as inp with data.tmfk.techniques as {}
	{r.msg | some r in results} == {"threat THR-1: technique MS-TA9001 is not in the Threat Matrix for Kubernetes (no catalogue is loaded)"}
}
