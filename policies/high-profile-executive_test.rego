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

mgr := {"id": "mgr", "name": "Max Manager", "email": "mgr@example.com", "tier": "management"}

# levels(contacts...): ep-sre's facts with its executive level paging `exec`.
exec_level(contacts) := {"index": 1, "after_minutes": 30, "tier": "executive", "contacts": contacts}

responders := {"index": 0, "after_minutes": 0, "tier": "responder", "contacts": ["alice", "bob"]}

# with(plan patch, levels of ep-sre as the facts say): the input Rust would build.
with_levels(patch, levels) := object.union(td.with_plan(patch), {"facts": {"escalation": {"policies": {"ep-sre": {"index": 0, "levels": levels}}}}})

contacts := [td.alice, td.bob, td.ceo, mgr]

test_valid_plan_has_no_findings if {
	deny(td.base) == set()
}

test_an_executive_level_retargeted_to_a_manager_is_denied_at_its_targets if {
	inp := with_levels({"contacts": contacts}, [responders, exec_level(["mgr"])])
	deny(inp) == {{
		"msg": "high-profile threat THR-1 (human error) escalates via ep-sre (inherited from team sre), whose executive level (level 2) pages mgr (tier management): no active, reachable contact with tier executive",
		"path": ["plan", "escalation_policies", 0, "levels", 1, "targets"],
	}}
}

test_an_executive_level_paging_an_oncall_rotation_of_responders_is_denied if {
	inp := with_levels({}, [responders, exec_level(["alice", "bob"])])
	deny(inp) == {{
		"msg": "high-profile threat THR-1 (human error) escalates via ep-sre (inherited from team sre), whose executive level (level 2) pages alice (tier responder), bob (tier responder): no active, reachable contact with tier executive",
		"path": ["plan", "escalation_policies", 0, "levels", 1, "targets"],
	}}
}

test_an_executive_level_paging_nobody_or_an_unreachable_executive_is_denied if {
	inp := with_levels({}, [responders, exec_level([])])
	deny(inp) == {{
		"msg": "high-profile threat THR-1 (human error) escalates via ep-sre (inherited from team sre), whose executive level (level 2) pages nobody: no active, reachable contact with tier executive",
		"path": ["plan", "escalation_policies", 0, "levels", 1, "targets"],
	}}
	inp2 := with_levels({"contacts": [td.alice, td.bob, object.remove(td.ceo, ["email"])]}, [responders, exec_level(["ceo"])])
	deny(inp2) == {{
		"msg": "high-profile threat THR-1 (human error) escalates via ep-sre (inherited from team sre), whose executive level (level 2) pages ceo (no email or phone): no active, reachable contact with tier executive",
		"path": ["plan", "escalation_policies", 0, "levels", 1, "targets"],
	}}
}

test_an_inactive_executive_is_not_reached if {
	inp := with_levels({"contacts": [td.alice, td.bob, object.union(td.ceo, {"active": false})]}, [responders, exec_level(["ceo"])])
	count(deny(inp)) == 1
}

test_a_policy_without_an_executive_level_is_denied_at_the_threat if {
	inp := with_levels({}, [responders])
	deny(inp) == {{
		"msg": "high-profile threat THR-1 (human error) escalates via ep-sre (inherited from team sre), which has no executive level and pages no active, reachable contact with tier executive",
		"path": ["plan", "threats", 0, "high_profile"],
	}}
	own := object.union(inp, {
		"plan": {"threats": [threat({"escalation_policy": "ep-sre", "source": "malicious"})]},
		"facts": {"escalation": {"threats": {"THR-1": {"policy": "ep-sre", "via": "threat", "team": "sre"}}}},
	})
	deny(own) == {{
		"msg": "high-profile threat THR-1 (malicious actor) escalates via ep-sre, which has no executive level and pages no active, reachable contact with tier executive",
		"path": ["plan", "threats", 0, "escalation_policy"],
	}}
}

test_an_executive_reached_at_any_level_counts_whatever_the_label if {
	inp := with_levels({}, [object.union(responders, {"contacts": ["alice", "ceo"]})])
	deny(inp) == set()
}

test_threat_that_is_not_high_profile_is_not_checked if {
	every hp in [false, null, "true"] {
		inp := object.union(with_levels({}, [responders]), {"plan": {"threats": [threat({"high_profile": hp})]}})
		deny(inp) == set()
	}
}

test_unknown_own_policy_is_left_to_ref_resolves if {
	inp := object.union(td.with_plan({"threats": [threat({"escalation_policy": "ep-ghost"})]}), {"facts": {"escalation": {"threats": {"THR-1": {"policy": "ep-ghost", "via": "threat"}}}}})
	deny(inp) == set()
}

no_policy(patch) := object.union(td.with_plan(patch), {"facts": {"escalation": {"threats": {"THR-1": {"policy": null, "via": "team", "team": null}}}}})

test_a_threat_that_inherits_no_policy_says_why if {
	deny(no_policy({"threats": [object.remove(td.threat, ["area"])]})) == {{
		"msg": "high-profile threat THR-1 (human error) has no escalation policy of its own and inherits none: it names no area",
		"path": ["plan", "threats", 0, "high_profile"],
	}}
	deny(no_policy({"threats": [threat({"area": "ghost", "source": "malicious"})]})) == {{
		"msg": "high-profile threat THR-1 (malicious actor) has no escalation policy of its own and inherits none: area ghost does not exist",
		"path": ["plan", "threats", 0, "high_profile"],
	}}
	deny(no_policy({"areas": [object.union(td.area, {"team": "ghost"})]})) == {{
		"msg": "high-profile threat THR-1 (human error) has no escalation policy of its own and inherits none: team ghost of area k8s-core does not exist",
		"path": ["plan", "threats", 0, "high_profile"],
	}}
	deny(no_policy({"teams": [object.union(td.team, {"escalation_policy": " "})]})) == {{
		"msg": "high-profile threat THR-1 (human error) has no escalation policy of its own and inherits none: team sre has no escalation policy",
		"path": ["plan", "threats", 0, "high_profile"],
	}}
}

test_help_names_an_executive_contact_of_the_plan if {
	inp := with_levels({"contacts": [td.alice, td.bob, object.union(td.ceo, {"id": "dana"})]}, [responders])
	helps(inp) == {"add a level `{tier: executive, targets: [dana], after_minutes: 30}` to escalation policy ep-sre, or point the threat's `escalation_policy` at one that already reaches the executive tier"}
}

test_help_without_a_pageable_executive_says_to_add_one if {
	inp := with_levels({"contacts": [td.alice, td.bob, object.remove(td.ceo, ["email"])]}, [responders])
	helps(inp) == {"no contact can be paged as an executive yet (active, `tier: executive`, with an email or phone): add the person who owns high-profile incidents to `contacts`, then a level `{tier: executive, targets: [<their id>], after_minutes: 30}` to escalation policy ep-sre"}
}

test_plan_without_threats_has_no_findings if {
	deny(td.without(["plan/threats"])) == set()
}

test_help_for_a_retargeted_executive_level_names_an_executive if {
	inp := with_levels({"contacts": contacts}, [responders, exec_level(["mgr"])])
	helps(inp) == {"page an executive at this level: `targets: [ceo]` (an active contact with `tier: executive` and an email or phone; an on-call rotation or a manager is not one), or point the threat's `escalation_policy` at a policy that reaches one"}
}
