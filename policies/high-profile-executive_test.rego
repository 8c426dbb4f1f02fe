package plancheck.high_profile_executive_test

import rego.v1

import data.plancheck.testdata as td

# deny(inp): the rule's results without their help (the help tests below check it).
deny(inp) := {object.remove(r, ["help"]) | some r in results} if {
	results := data.plancheck.high_profile_executive.deny with input as inp
}

# helps(inp): the help of every result.
helps(inp) := {r.help | some r in results} if {
	results := data.plancheck.high_profile_executive.deny with input as inp
}

threat(patch) := object.union(td.threat, patch)

# A policy that stops at management.
no_exec := {"id": "ep-low", "levels": [
	{"tier": "responder", "targets": ["oncall:sre"], "after_minutes": 0},
	{"tier": "management", "targets": ["bob"], "after_minutes": 15},
]}

# The base plan with the team's policy (inherited by THR-1) replaced by levels.
team_policy_levels(levels) := td.with_plan({"escalation_policies": [object.union(td.policy, {"levels": levels})]})

test_valid_plan_has_no_findings if {
	results := deny(td.base)
	results == set()
}

test_inherited_policy_without_executive_level_is_denied if {
	inp := team_policy_levels(no_exec.levels)
	results := deny(inp)
	results == {{
		"msg": "high-profile threat THR-1 (human error) escalates via ep-sre (inherited from team sre), which has no executive level with a target",
		"path": ["plan", "threats", 0, "high_profile"],
	}}
}

test_malicious_threat_is_held_to_the_same_rule if {
	inp := object.union(team_policy_levels(no_exec.levels), {"plan": {"threats": [threat({"source": "malicious"})]}})
	results := deny(inp)
	results == {{
		"msg": "high-profile threat THR-1 (malicious actor) escalates via ep-sre (inherited from team sre), which has no executive level with a target",
		"path": ["plan", "threats", 0, "high_profile"],
	}}
}

test_threat_without_source_is_labelled_unspecified if {
	inp := object.union(team_policy_levels(no_exec.levels), {"plan": {"threats": [object.remove(td.threat, ["source"])]}})
	results := deny(inp)
	results == {{
		"msg": "high-profile threat THR-1 (unspecified source) escalates via ep-sre (inherited from team sre), which has no executive level with a target",
		"path": ["plan", "threats", 0, "high_profile"],
	}}
}

test_own_policy_without_executive_level_is_denied_at_the_threat_policy if {
	inp := td.with_plan({
		"escalation_policies": [td.policy, no_exec],
		"threats": [threat({"escalation_policy": "ep-low", "source": "supply_chain"})],
	})
	results := deny(inp)
	results == {{
		"msg": "high-profile threat THR-1 (supply chain) escalates via ep-low, which has no executive level with a target",
		"path": ["plan", "threats", 0, "escalation_policy"],
	}}
}

test_own_policy_overrides_the_team_policy if {
	inp := td.with_plan({
		"escalation_policies": [object.union(no_exec, {"id": "ep-sre"}), object.union(td.policy, {"id": "ep-exec"})],
		"threats": [threat({"escalation_policy": "ep-exec"})],
	})
	results := deny(inp)
	results == set()
}

test_blank_own_policy_falls_back_to_the_team_policy if {
	inp := object.union(team_policy_levels(no_exec.levels), {"plan": {"threats": [threat({"escalation_policy": " "})]}})
	results := deny(inp)
	results == {{
		"msg": "high-profile threat THR-1 (human error) escalates via ep-sre (inherited from team sre), which has no executive level with a target",
		"path": ["plan", "threats", 0, "high_profile"],
	}}
}

test_executive_level_without_targets_does_not_count if {
	every exec in [
		{"tier": "executive", "targets": [], "after_minutes": 30},
		{"tier": "executive", "after_minutes": 30},
	] {
		inp := team_policy_levels([no_exec.levels[0], exec])
		results := deny(inp)
		results == {{
			"msg": "high-profile threat THR-1 (human error) escalates via ep-sre (inherited from team sre), which has no executive level with a target",
			"path": ["plan", "threats", 0, "high_profile"],
		}}
	}
}

test_executive_level_anywhere_in_the_policy_counts if {
	inp := team_policy_levels([
		{"tier": "executive", "targets": ["ceo"], "after_minutes": 0},
		{"tier": "management", "targets": ["bob"], "after_minutes": 15},
	])
	results := deny(inp)
	results == set()
}

test_threat_that_is_not_high_profile_is_not_checked if {
	every hp in [false, null, "true"] {
		inp := object.union(team_policy_levels(no_exec.levels), {"plan": {"threats": [threat({"high_profile": hp})]}})
		results := deny(inp)
		results == set()
	}
}

test_threat_that_is_not_high_profile_needs_no_policy if {
	every hp in [false, null] {
		inp := td.with_plan({"threats": [object.remove(threat({"high_profile": hp}), ["area"])]})
		results := deny(inp)
		results == set()
	}
}

test_threat_without_high_profile_field_is_not_checked if {
	inp := object.union(team_policy_levels(no_exec.levels), {"plan": {"threats": [object.remove(td.threat, ["high_profile"])]}})
	results := deny(inp)
	results == set()
}

test_unknown_own_policy_is_left_to_ref_resolves if {
	inp := td.with_plan({"threats": [threat({"escalation_policy": "ep-ghost"})]})
	results := deny(inp)
	results == set()
}

test_threat_without_area_inherits_no_policy if {
	results := deny(td.without(["plan/threats/0/area"]))
	results == {{
		"msg": "high-profile threat THR-1 (human error) has no escalation policy of its own and inherits none: it names no area",
		"path": ["plan", "threats", 0, "high_profile"],
	}}
}

test_threat_with_unknown_area_inherits_no_policy if {
	inp := td.with_plan({"threats": [threat({"area": "ghost", "source": "malicious"})]})
	results := deny(inp)
	results == {{
		"msg": "high-profile threat THR-1 (malicious actor) has no escalation policy of its own and inherits none: area ghost does not exist",
		"path": ["plan", "threats", 0, "high_profile"],
	}}
}

test_area_without_team_passes_on_no_policy if {
	results := deny(td.without(["plan/areas/0/team"]))
	results == {{
		"msg": "high-profile threat THR-1 (human error) has no escalation policy of its own and inherits none: area k8s-core has no team",
		"path": ["plan", "threats", 0, "high_profile"],
	}}
}

test_area_with_unknown_team_passes_on_no_policy if {
	inp := td.with_plan({"areas": [object.union(td.area, {"team": "ghost"})]})
	results := deny(inp)
	results == {{
		"msg": "high-profile threat THR-1 (human error) has no escalation policy of its own and inherits none: team ghost of area k8s-core does not exist",
		"path": ["plan", "threats", 0, "high_profile"],
	}}
}

test_team_without_policy_passes_on_no_policy if {
	results := deny(td.without(["plan/teams/0/escalation_policy"]))
	results == {{
		"msg": "high-profile threat THR-1 (human error) has no escalation policy of its own and inherits none: team sre has no escalation policy",
		"path": ["plan", "threats", 0, "high_profile"],
	}}
}

test_blank_team_policy_passes_on_no_policy if {
	inp := td.with_plan({"teams": [object.union(td.team, {"escalation_policy": " "})]})
	results := deny(inp)
	results == {{
		"msg": "high-profile threat THR-1 (human error) has no escalation policy of its own and inherits none: team sre has no escalation policy",
		"path": ["plan", "threats", 0, "high_profile"],
	}}
}

test_each_high_profile_threat_is_reported_at_its_index if {
	inp := td.with_plan({
		"escalation_policies": [td.policy, no_exec],
		"threats": [
			td.threat,
			threat({"id": "THR-2", "escalation_policy": "ep-low", "source": "malicious"}),
			threat({"id": "THR-3", "high_profile": false, "escalation_policy": "ep-low"}),
			object.remove(threat({"id": "THR-4", "source": "third_party"}), ["area"]),
		],
	})
	results := deny(inp)
	results == {
		{
			"msg": "high-profile threat THR-2 (malicious actor) escalates via ep-low, which has no executive level with a target",
			"path": ["plan", "threats", 1, "escalation_policy"],
		},
		{
			"msg": "high-profile threat THR-4 (third party) has no escalation policy of its own and inherits none: it names no area",
			"path": ["plan", "threats", 3, "high_profile"],
		},
	}
}

test_plan_without_threats_has_no_findings if {
	results := deny(td.without(["plan/threats"]))
	results == set()
}

test_help_names_an_executive_contact_of_the_plan if {
	inp := object.union(
		team_policy_levels(no_exec.levels),
		{"plan": {"contacts": [td.alice, td.bob, object.union(td.ceo, {"id": "dana"})]}},
	)
	helps(inp) == {"add a level `{tier: executive, targets: [dana], after_minutes: 30}` to escalation policy ep-sre, or point the threat's `escalation_policy` at one that already reaches the executive tier"}
}

test_help_without_a_pageable_executive_says_to_add_one if {
	# The only executive has neither email nor phone: no level could page them.
	inp := object.union(
		team_policy_levels(no_exec.levels),
		{"plan": {"contacts": [td.alice, td.bob, object.remove(td.ceo, ["email"])]}},
	)
	helps(inp) == {"no contact can be paged as an executive yet (active, `tier: executive`, with an email or phone): add the person who owns high-profile incidents to `contacts`, then a level `{tier: executive, targets: [<their id>], after_minutes: 30}` to escalation policy ep-sre"}
}

test_help_for_a_threat_without_policy_names_an_executive if {
	inp := td.with_plan({"threats": [threat({"area": "ghost"})]})
	helps(inp) == {"set the threat's `escalation_policy` to a policy with a level `{tier: executive, targets: [ceo], after_minutes: 30}`, or fix the chain it would inherit from (area, then team)"}
}
