package plancheck.threat_owner_test

import rego.v1

import data.plancheck.testdata as td

# deny(inp): the rule's results without their help (the help tests below check it).
deny(inp) := {object.remove(r, ["help"]) | some r in results} if {
	results := data.plancheck.threat_owner.deny with input as inp
}

# helps(inp): the help of every result.
helps(inp) := {r.help | some r in results} if {
	results := data.plancheck.threat_owner.deny with input as inp
}

threat(patch) := object.union(td.threat, patch)

test_valid_plan_has_no_findings if {
	results := deny(td.base)
	results == set()
}

test_threat_owned_by_a_team_is_accepted if {
	inp := td.with_plan({"threats": [threat({"owner": "sre"})]})
	results := deny(inp)
	results == set()
}

test_threat_without_owner_is_denied if {
	results := deny(td.without(["plan/threats/0/owner"]))
	results == {{"msg": "threat THR-1 has no owner", "path": ["plan", "threats", 0]}}
}

test_blank_owner_counts_as_no_owner if {
	inp := td.with_plan({"threats": [threat({"owner": "   "})]})
	results := deny(inp)
	results == {{"msg": "threat THR-1 has no owner", "path": ["plan", "threats", 0]}}
}

test_null_owner_counts_as_no_owner if {
	inp := td.with_plan({"threats": [threat({"owner": null})]})
	results := deny(inp)
	results == {{"msg": "threat THR-1 has no owner", "path": ["plan", "threats", 0]}}
}

test_owner_that_is_neither_contact_nor_team_is_denied if {
	inp := td.with_plan({"threats": [threat({"owner": "zed"})]})
	results := deny(inp)
	results == {{
		"msg": "threat THR-1 is owned by zed, which is neither a contact nor a team",
		"path": ["plan", "threats", 0, "owner"],
	}}
}

test_owner_naming_an_area_is_denied if {
	inp := td.with_plan({"threats": [threat({"owner": "k8s-core"})]})
	results := deny(inp)
	results == {{
		"msg": "threat THR-1 is owned by k8s-core, which is neither a contact nor a team",
		"path": ["plan", "threats", 0, "owner"],
	}}
}

test_each_bad_threat_is_reported_at_its_own_index if {
	inp := td.with_plan({"threats": [
		td.threat,
		object.remove(threat({"id": "THR-2"}), ["owner"]),
		threat({"id": "THR-3", "owner": "ghost"}),
	]})
	results := deny(inp)
	results == {
		{"msg": "threat THR-2 has no owner", "path": ["plan", "threats", 1]},
		{"msg": "threat THR-3 is owned by ghost, which is neither a contact nor a team", "path": ["plan", "threats", 2, "owner"]},
	}
}

test_plan_without_threats_has_no_findings if {
	results := deny(td.without(["plan/threats"]))
	results == set()
}

test_empty_threat_list_has_no_findings if {
	results := deny(td.with_plan({"threats": []}))
	results == set()
}

test_owner_is_checked_against_contacts_when_teams_are_missing if {
	inp := td.with_plan({"teams": [], "threats": [threat({"owner": "sre"})]})
	results := deny(inp)
	results == {{
		"msg": "threat THR-1 is owned by sre, which is neither a contact nor a team",
		"path": ["plan", "threats", 0, "owner"],
	}}
}

test_empty_input_has_no_findings if {
	results := deny({})
	results == set()
}

test_help_names_the_team_accountable_for_the_plan if {
	inp := td.with_plan({"threats": [object.remove(td.threat, ["owner"])]})
	helps(inp) == {"set the threat's `owner` to the id of a contact or a team, e.g. `owner: sre`"}
}

test_help_falls_back_to_a_contact_when_there_is_no_team if {
	inp := td.with_plan({"teams": [], "threats": [object.remove(td.threat, ["owner"])]})
	helps(inp) == {"set the threat's `owner` to the id of a contact or a team, e.g. `owner: alice`"}
}
