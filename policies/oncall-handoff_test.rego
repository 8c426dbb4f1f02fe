package plancheck.oncall_handoff_test

import rego.v1

import data.plancheck.testdata as td

warn(inp) := results if {
	results := data.plancheck.oncall_handoff.warn with input as inp
}

team(oncall) := object.union(td.team, {"oncall": oncall})

test_valid_plan_has_no_findings if {
	warn(td.base) == set()
}

test_a_rotation_of_two_without_handoff_is_warned_at_the_rotation if {
	inp := td.with_plan({"teams": [json.remove(td.team, ["oncall/handoff"])]})
	warn(inp) == {{
		"msg": "team sre: the on-call rotation (alice, bob) has no handoff, so who is on call when is undefined and pages go to all 2 as candidates",
		"path": ["plan", "teams", 0, "oncall", "rotation"],
	}}
}

test_a_rotation_of_one_needs_no_handoff if {
	inp := td.with_plan({"teams": [team({"rotation": ["alice"], "shift_hours": 168})]})
	warn(inp) == set()
}

test_each_layer_of_two_or_more_needs_a_handoff if {
	inp := td.with_plan({"teams": [team({"layers": [
		{"name": "emea", "rotation": ["alice", "bob"], "shift_hours": 24, "handoff": "2026-11-02T08:00"},
		{"name": "apac", "rotation": ["alice", "bob"], "shift_hours": 24},
		{"rotation": ["bob", "alice"]},
		{"name": "solo", "rotation": ["bob"]},
	]})]})
	warn(inp) == {
		{
			"msg": "team sre: on-call layer apac (alice, bob) has no handoff, so who is on call when is undefined and pages go to all 2 as candidates",
			"path": ["plan", "teams", 0, "oncall", "layers", 1],
		},
		{
			"msg": "team sre: on-call layer 3 (bob, alice) has no handoff, so who is on call when is undefined and pages go to all 2 as candidates",
			"path": ["plan", "teams", 0, "oncall", "layers", 2],
		},
	}
}

test_a_blank_handoff_counts_as_missing if {
	inp := td.with_plan({"teams": [team(object.union(td.team.oncall, {"handoff": " "}))]})
	count(warn(inp)) == 1
}

test_teams_without_oncall_are_left_to_team_oncall if {
	warn(td.without(["plan/teams/0/oncall"])) == set()
}
