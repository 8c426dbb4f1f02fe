package plancheck.escalation_policy_test

import rego.v1

import data.plancheck.testdata as td

level(tier, minutes) := {"tier": tier, "targets": ["ceo"], "after_minutes": minutes}

with_levels(levels) := td.with_plan({"escalation_policies": [object.union(td.policy, {"levels": levels})]})

test_valid_plan_has_no_findings if {
	results := data.plancheck.escalation_policy.deny with input as td.base
	results == set()
}

test_team_without_escalation_policy_is_denied if {
	results := data.plancheck.escalation_policy.deny with input as td.without(["plan/teams/0/escalation_policy"])
	results == {{"msg": "team sre has no escalation policy", "path": ["plan", "teams", 0]}}
}

test_blank_or_null_team_escalation_policy_counts_as_none if {
	every v in ["", " ", null] {
		inp := td.with_plan({"teams": [object.union(td.team, {"escalation_policy": v})]})
		results := data.plancheck.escalation_policy.deny with input as inp
		results == {{"msg": "team sre has no escalation policy", "path": ["plan", "teams", 0]}}
	}
}

test_policy_with_a_single_level_is_denied if {
	results := data.plancheck.escalation_policy.deny with input as with_levels([level("executive", 0)])
	results == {{
		"msg": "escalation policy ep-sre has 1 level; at least 2 are required",
		"path": ["plan", "escalation_policies", 0, "levels"],
	}}
}

test_policy_with_no_levels_is_denied if {
	results := data.plancheck.escalation_policy.deny with input as with_levels([])
	results == {{
		"msg": "escalation policy ep-sre has 0 levels; at least 2 are required",
		"path": ["plan", "escalation_policies", 0, "levels"],
	}}
}

test_policy_without_levels_key_points_at_the_policy if {
	results := data.plancheck.escalation_policy.deny with input as td.without(["plan/escalation_policies/0/levels"])
	results == {{
		"msg": "escalation policy ep-sre has 0 levels; at least 2 are required",
		"path": ["plan", "escalation_policies", 0],
	}}
}

test_levels_going_backwards_are_denied if {
	inp := with_levels([level("responder", 0), level("management", 30), level("executive", 15)])
	results := data.plancheck.escalation_policy.deny with input as inp
	results == {{
		"msg": "escalation policy ep-sre: level 3 escalates after 15 minutes, before level 2 (30 minutes)",
		"path": ["plan", "escalation_policies", 0, "levels", 2, "after_minutes"],
	}}
}

test_every_backward_step_is_reported if {
	inp := with_levels([level("responder", 20), level("management", 10), level("executive", 5)])
	results := data.plancheck.escalation_policy.deny with input as inp
	results == {
		{
			"msg": "escalation policy ep-sre: level 2 escalates after 10 minutes, before level 1 (20 minutes)",
			"path": ["plan", "escalation_policies", 0, "levels", 1, "after_minutes"],
		},
		{
			"msg": "escalation policy ep-sre: level 3 escalates after 5 minutes, before level 2 (10 minutes)",
			"path": ["plan", "escalation_policies", 0, "levels", 2, "after_minutes"],
		},
	}
}

test_levels_at_the_same_minute_are_accepted if {
	results := data.plancheck.escalation_policy.deny with input as with_levels([level("responder", 5), level("executive", 5)])
	results == set()
}

test_levels_without_numeric_minutes_are_not_compared if {
	# The schema requires integer minutes; the rule must not trip over anything else.
	inp := with_levels([
		level("responder", 0),
		{"tier": "management", "targets": ["ceo"]},
		level("management", 30),
		level("management", null),
		level("management", "10"),
		level("executive", 40),
	])
	results := data.plancheck.escalation_policy.deny with input as inp
	results == set()
}

test_each_policy_is_checked_at_its_own_index if {
	short := {"id": "ep-short", "levels": [level("responder", 0)]}
	backwards := {"id": "ep-back", "levels": [level("responder", 10), level("executive", 0)]}
	inp := td.with_plan({"escalation_policies": [td.policy, short, backwards]})
	results := data.plancheck.escalation_policy.deny with input as inp
	results == {
		{
			"msg": "escalation policy ep-short has 1 level; at least 2 are required",
			"path": ["plan", "escalation_policies", 1, "levels"],
		},
		{
			"msg": "escalation policy ep-back: level 2 escalates after 0 minutes, before level 1 (10 minutes)",
			"path": ["plan", "escalation_policies", 2, "levels", 1, "after_minutes"],
		},
	}
}

test_plan_without_teams_or_policies_has_no_findings if {
	results := data.plancheck.escalation_policy.deny with input as td.without(["plan/teams", "plan/escalation_policies"])
	results == set()
}
