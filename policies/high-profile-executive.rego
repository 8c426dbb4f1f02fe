package plancheck.high_profile_executive

import rego.v1


# METADATA
# title: High-profile threats escalate to a real executive
# description: >-
#   A high-profile incident (customer data exposed, a region down, a breach)
#   needs an executive decision-maker fast, whether a tired operator or a
#   malicious actor caused it. The threat's effective escalation policy (its
#   own, else its area's team's) must page, at some level, an active contact
#   with an email or phone whose `tier` is `executive`. A level merely
#   labelled `tier: executive` is not enough: what counts is who it pages
#   (a manager, or an on-call rotation of responders, is not an executive).
# custom:
#   id: high-profile-executive
#   severity: error
#   help: >-
#     Add a level `{tier: executive, targets: [<executive contact id>],
#     after_minutes: 30}` to the threat's escalation policy, naming an active
#     contact with `tier: executive` and an email or phone, or point the
#     threat's `escalation_policy` at one that already reaches the executive tier.
deny contains result if {
	facts := data.plancheck.lib.escalation_facts.threats
	reaching := reaching_executive
	some i, t in data.plancheck.lib.threats
	t.high_profile == true
	# Cheap before effective(t), a user function call: a policy reaching an executive is the
	# common case. When the facts lack the threat, effective(t) fails here in both engines.
	not facts[t.id].policy in reaching
	[pid, via] := effective(t)
	pid in data.plancheck.lib.policy_ids
	p := data.plancheck.lib.escalation_facts.policies[pid]
	not pid in reaching_executive
	j := judgement(i, t, pid, via, p)
	result := object.union(j, {"help": help(j, pid)})
}

# The policy has levels labelled executive: the finding sits on the first one's targets.
judgement(i, t, pid, via, p) := {
	"msg": sprintf("high-profile threat %s (%s) escalates via %s%s, whose executive level (level %d) pages %s: no active, reachable contact with tier executive", [t.id, data.plancheck.lib.source_label(t), pid, inherited(via), level.index + 1, paged(level)]),
	"path": ["plan", "escalation_policies", p.index, "levels", level.index, "targets"],
} if {
	level := first_executive_level[pid]
}

judgement(i, t, pid, via, p) := {
	"msg": sprintf("high-profile threat %s (%s) escalates via %s%s, which has no executive level and pages no active, reachable contact with tier executive", [t.id, data.plancheck.lib.source_label(t), pid, inherited(via)]),
	"path": policy_path(i, via),
} if {
	not first_executive_level[pid]
}

help(j, pid) := sprintf("page an executive at this level: `targets: [%s]` (an active contact with `tier: executive` and an email or phone; an on-call rotation or a manager is not one), or point the threat's `escalation_policy` at a policy that reaches one", [executive_example]) if {
	j.path[1] == "escalation_policies"
	count(executives) > 0
}

help(j, pid) := add_level_help(pid) if {
	not j.path[1] == "escalation_policies"
}

help(j, pid) := add_level_help(pid) if {
	j.path[1] == "escalation_policies"
	count(executives) == 0
}

# paged(level): who a level pages, with each person's tier and why they do not count.
paged(level) := "nobody" if count(level.contacts) == 0

paged(level) := data.plancheck.lib.join([describe(c) | some c in level.contacts]) if count(level.contacts) > 0

describe(c) := sprintf("%s (no email or phone)", [c]) if not c in data.plancheck.lib.reachable_ids

describe(c) := sprintf("%s (tier %s)", [c, tier(c)]) if c in data.plancheck.lib.reachable_ids

tier(c) := t if {
	t := data.plancheck.lib.contact(c).tier
	is_string(t)
} else := "not set"

# reaching_executive: the policies that page an executive at some level, computed once for
# the plan (per threat it cost threats x levels).
reaching_executive contains pid if {
	some pid, p in data.plancheck.lib.escalation_facts.policies
	some level in p.levels
	some c in level.contacts
	c in data.plancheck.lib.executive_ids
}

# first_executive_level[pid]: the first level of a policy labelled `tier: executive`, once.
first_executive_level[pid] := level if {
	some pid, p in data.plancheck.lib.escalation_facts.policies
	labelled := [l | some l in p.levels; l.tier == "executive"]
	count(labelled) > 0
	level := labelled[0]
}

deny contains result if {
	known := with_policy
	some i, t in data.plancheck.lib.threats
	t.high_profile == true
	not i in known
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
	c.id in data.plancheck.lib.reachable_ids
])

executive_example := data.plancheck.lib.str(executives[0]) if count(executives) > 0

executive_example := "<executive contact id>" if count(executives) == 0

add_level_help(pid) := sprintf("add a level `{tier: executive, targets: [%s], after_minutes: 30}` to escalation policy %s, or point the threat's `escalation_policy` at one that already reaches the executive tier", [executive_example, pid]) if count(executives) > 0

add_level_help(pid) := sprintf("no contact can be paged as an executive yet (active, `tier: executive`, with an email or phone): add the person who owns high-profile incidents to `contacts`, then a level `{tier: executive, targets: [<their id>], after_minutes: 30}` to escalation policy %s", [pid]) if count(executives) == 0

# with_policy: the indices of high-profile threats whose facts name a policy id of the plan,
# so effective(t) is defined: the second rule skips them with a set membership instead of a
# user function call each (regorus has no rule indexing). Keyed by index, not with
# `not facts[t.id].policy in ...`, which OPA makes undefined when the facts lack the threat.
with_policy := {i |
	facts := data.plancheck.lib.escalation_facts.threats
	pids := {p | some p in data.plancheck.lib.policy_ids; is_string(p)}
	some i, t in data.plancheck.lib.threats
	t.high_profile == true
	facts[t.id].policy in pids
}

# effective(t): [policy id, team id it was inherited from ("" if the threat's own)], from the
# facts Rust computed (src/escalation.rs is the one place that decides it).
effective(t) := [f.policy, via(f)] if {
	f := data.plancheck.lib.escalation_facts.threats[t.id]
	is_string(f.policy)
}

via(f) := "" if f.via == "threat"

via(f) := f.team if {
	f.via != "threat"
	is_string(f.team)
}

via(f) := "its area" if {
	f.via != "threat"
	not is_string(f.team)
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
