package plancheck.team_oncall_test

import rego.v1

import data.plancheck.testdata as td

team(patch) := object.union(td.team, patch)

gus := {"id": "gus", "email": "gus@example.com", "active": false}

test_valid_plan_has_no_findings if {
	results := data.plancheck.team_oncall.deny with input as td.base
	results == set()
}

test_team_without_oncall_is_denied if {
	results := data.plancheck.team_oncall.deny with input as td.without(["plan/teams/0/oncall"])
	results == {{"msg": "team sre defines no on-call rotation", "path": ["plan", "teams", 0]}}
}

test_oncall_that_is_not_an_object_counts_as_none if {
	every oncall in [null, "alice", ["alice", "bob"]] {
		inp := td.with_plan({"teams": [team({"oncall": oncall})]})
		results := data.plancheck.team_oncall.deny with input as inp
		results == {{"msg": "team sre defines no on-call rotation", "path": ["plan", "teams", 0]}}
	}
}

test_oncall_without_rotation_is_denied if {
	inp := td.with_plan({"teams": [object.union(object.remove(td.team, ["oncall"]), {"oncall": {"shift_hours": 168, "coverage": "24x7"}})]})
	results := data.plancheck.team_oncall.deny with input as inp
	results == {{"msg": "team sre: oncall has no rotation (and no layers)", "path": ["plan", "teams", 0, "oncall"]}}
}

test_rotation_that_is_not_a_list_is_denied if {
	every rotation in [null, "alice", {"alice": 1}] {
		inp := td.with_plan({"teams": [team({"oncall": {"rotation": rotation}})]})
		results := data.plancheck.team_oncall.deny with input as inp
		results == {{"msg": "team sre: oncall has no rotation (and no layers)", "path": ["plan", "teams", 0, "oncall"]}}
	}
}

test_empty_rotation_is_denied if {
	inp := td.with_plan({"teams": [team({"oncall": {"rotation": []}})]})
	results := data.plancheck.team_oncall.deny with input as inp
	results == {{"msg": "the on-call rotation of team sre is empty", "path": ["plan", "teams", 0, "oncall", "rotation"]}}
}

test_rotation_without_an_active_contact_is_denied if {
	inp := td.with_plan({
		"contacts": [td.alice, td.bob, td.ceo, gus],
		"teams": [team({"oncall": {"rotation": ["gus", "zed"]}})],
	})
	results := data.plancheck.team_oncall.deny with input as inp
	results == {{
		"msg": "the on-call rotation of team sre (gus, zed) has no active contact",
		"path": ["plan", "teams", 0, "oncall", "rotation"],
	}}
}

test_rotation_of_teams_is_not_a_rotation_of_people if {
	inp := td.with_plan({"teams": [team({"oncall": {"rotation": ["sre"]}})]})
	results := data.plancheck.team_oncall.deny with input as inp
	results == {{
		"msg": "the on-call rotation of team sre (sre) has no active contact",
		"path": ["plan", "teams", 0, "oncall", "rotation"],
	}}
}

test_one_active_contact_is_enough if {
	inp := td.with_plan({
		"contacts": [td.alice, td.bob, td.ceo, gus],
		"teams": [team({"oncall": {"rotation": ["gus", "bob"]}})],
	})
	results := data.plancheck.team_oncall.deny with input as inp
	results == set()
}

test_each_team_is_reported_at_its_index if {
	inp := td.with_plan({"teams": [
		td.team,
		object.remove(team({"id": "storage"}), ["oncall"]),
		object.union(object.remove(team({"id": "net"}), ["oncall"]), {"oncall": {"coverage": "business-hours"}}),
		team({"id": "sec", "oncall": {"rotation": []}}),
	]})
	results := data.plancheck.team_oncall.deny with input as inp
	results == {
		{"msg": "team storage defines no on-call rotation", "path": ["plan", "teams", 1]},
		{"msg": "team net: oncall has no rotation (and no layers)", "path": ["plan", "teams", 2, "oncall"]},
		{"msg": "the on-call rotation of team sec is empty", "path": ["plan", "teams", 3, "oncall", "rotation"]},
	}
}

test_plan_without_teams_has_no_findings if {
	results := data.plancheck.team_oncall.deny with input as td.without(["plan/teams"])
	results == set()
}
