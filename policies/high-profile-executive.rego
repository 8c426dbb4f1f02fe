package plancheck.high_profile_executive

import rego.v1


# METADATA
# title: High-profile threats escalate to the executive tier
# description: >-
#   A high-profile incident (customer data exposed, a region down, a breach)
#   needs an executive decision-maker fast, whether a tired operator or a
#   malicious actor caused it. The threat's effective escalation policy (its
#   own, else its area's team's) must have an executive level with a target.
# custom:
#   id: high-profile-executive
#   severity: error
#   help: >-
#     Add a level `{tier: executive, targets: [<executive contact id>],
#     after_minutes: 30}` to the threat's escalation policy, naming an active
#     contact with `tier: executive` and an email or phone, or point the
#     threat's `escalation_policy` at one that already reaches the executive tier.
deny contains result if {
	some i, t in data.plancheck.lib.threats
	t.high_profile == true
	[pid, via] := effective(t)
	pid in data.plancheck.lib.policy_ids
	not reaches_executive(data.plancheck.lib.policy(pid))
	result := {
		"msg": sprintf("high-profile threat %s (%s) escalates via %s%s, which has no executive level with a target", [t.id, data.plancheck.lib.source_label(t), pid, inherited(via)]),
		"path": policy_path(i, via),
		"help": add_level_help(pid),
	}
}

deny contains result if {
	some i, t in data.plancheck.lib.threats
	t.high_profile == true
	not effective(t)
	result := {
		"msg": sprintf("high-profile threat %s (%s) has no escalation policy of its own and inherits none: %s", [t.id, data.plancheck.lib.source_label(t), gap(t)]),
		"path": ["plan", "threats", i, "high_profile"],
		"help": sprintf("set the threat's `escalation_policy` to a policy with a level `{tier: executive, targets: [%s], after_minutes: 30}`, or fix the chain it would inherit from (area, then team)", [executive_example]),
	}
}

# executives: the plan's contacts an executive level can page (active, executive tier,
# with an email or phone), for help that names a real id.
executives := sort([c.id |
	some c in data.plancheck.lib.contacts
	c.tier == "executive"
	c.id in data.plancheck.lib.active_contact_ids
	reachable(c)
])

reachable(c) if data.plancheck.lib.has_text(c, "email")

reachable(c) if data.plancheck.lib.has_text(c, "phone")

executive_example := data.plancheck.lib.str(executives[0]) if count(executives) > 0

executive_example := "<executive contact id>" if count(executives) == 0

add_level_help(pid) := sprintf("add a level `{tier: executive, targets: [%s], after_minutes: 30}` to escalation policy %s, or point the threat's `escalation_policy` at one that already reaches the executive tier", [executive_example, pid]) if count(executives) > 0

add_level_help(pid) := sprintf("no contact can be paged as an executive yet (active, `tier: executive`, with an email or phone): add the person who owns high-profile incidents to `contacts`, then a level `{tier: executive, targets: [<their id>], after_minutes: 30}` to escalation policy %s", [pid]) if count(executives) == 0

# effective(t): [policy id, team id it was inherited from ("" if the threat's own)].
effective(t) := [t.escalation_policy, ""] if data.plancheck.lib.has_text(t, "escalation_policy")

effective(t) := [pid, a.team] if {
	not data.plancheck.lib.has_text(t, "escalation_policy")
	a := data.plancheck.lib.area(t.area)
	pid := data.plancheck.lib.team(a.team).escalation_policy
	data.plancheck.lib.text(pid)
}

reaches_executive(p) if {
	some level in data.plancheck.lib.levels(p)
	level.tier == "executive"
	count(data.plancheck.lib.targets(level)) > 0
}

inherited("") := ""

inherited(tid) := sprintf(" (inherited from team %s)", [tid]) if tid != ""

policy_path(i, "") := ["plan", "threats", i, "escalation_policy"]

policy_path(i, via) := ["plan", "threats", i, "high_profile"] if via != ""

# gap(t): why no policy is inherited.
gap(t) := "it names no area" if {
	not data.plancheck.lib.has_text(t, "area")
} else := sprintf("area %s does not exist", [t.area]) if {
	not data.plancheck.lib.area(t.area)
} else := sprintf("area %s has no team", [t.area]) if {
	not data.plancheck.lib.has_text(data.plancheck.lib.area(t.area), "team")
} else := sprintf("team %s of area %s does not exist", [data.plancheck.lib.area(t.area).team, t.area]) if {
	not data.plancheck.lib.team(data.plancheck.lib.area(t.area).team)
} else := sprintf("team %s has no escalation policy", [data.plancheck.lib.area(t.area).team])
