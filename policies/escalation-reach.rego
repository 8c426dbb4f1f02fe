package plancheck.escalation_reach

import rego.v1

# METADATA
# title: SEV1 and high-profile threats reach a person within minutes, at any hour
# description: >-
#   For a SEV1 or high-profile threat, an incident starting at any instant of
#   the horizon must page some active, reachable contact (an email or phone)
#   within `first-page-minutes` (5 by default): the levels of the threat's
#   effective escalation policy with `after_minutes` at most that, each
#   resolved at the moment it is paged. A business-hours rotation as the only
#   first level pages nobody at night, and an empty step still waits out its
#   delay.
# custom:
#   id: escalation-reach
#   severity: error
#   help: >-
#     Give the policy a level within `first-page-minutes` that always reaches
#     someone, e.g. `{tier: responder, targets: ["oncall:<24x7 team>"],
#     after_minutes: 5}`, or point the threat's `escalation_policy` at one that
#     does.
deny contains result if {
	# Cheapest test first: few policies miss a tile, and regorus (no rule indexing) pays a
	# user function call per threat for needs_reach(t), a lookup for these.
	facts := data.plancheck.lib.escalation_facts.threats
	failing := unreached
	some i, t in data.plancheck.lib.threats
	f := facts[t.id]
	pid := f.policy
	bad := failing[pid]
	why := needs_reach(t)
	pid in data.plancheck.lib.policy_ids
	g := bad[0]
	total := sum([x.hours | some x in bad])
	result := {
		"msg": sprintf("%s threat %s escalates via %s%s, which pages %s within %d minutes of an incident starting from %s (%s) to %s (%s, %s): %s of the next %d days", [
			why, t.id, pid, inherited(f), whom(g), first_page_minutes,
			g.from, local(g, f, "from"), g.to, local(g, f, "to"), f.timezone,
			data.plancheck.lib.hours(total), data.plancheck.lib.horizon_days,
		]),
		"path": path(i, t, f),
		"help": sprintf("add a level to %s with `after_minutes` at most %d whose targets always reach someone, e.g. `targets: [\"oncall:<a 24x7 team>\"]`, or point the threat's `escalation_policy` at a policy that does%s", [pid, first_page_minutes, config_hint]),
		"related": {
			"path": ["plan", "escalation_policies", data.plancheck.lib.escalation_facts.policies[pid].index, "levels"],
			"msg": sprintf("the levels of %s", [pid]),
		},
	}
}

# unreached[pid]: the first-page tiles of a policy in which nobody reachable is paged
# (computed once per policy, however many threats use it).
unreached[pid] := bad if {
	some pid, tiles in data.plancheck.lib.oncall_facts.first_page
	bad := [x | some x in tiles; count(reached(x)) == 0]
	count(bad) > 0
}

needs_reach(t) := "SEV1" if t.severity == "SEV1"

needs_reach(t) := "high-profile" if {
	t.severity != "SEV1"
	t.high_profile == true
}

first_page_minutes := n if {
	n := data.config.first_page_minutes
	is_number(n)
} else := 5

config_hint := " (or raise `first-page-minutes` under [rules.escalation-reach])"

reached(x) := {c | some c in x.contacts; c in data.plancheck.lib.reachable_ids}

whom(x) := "nobody" if count(x.contacts) == 0

whom(x) := sprintf("only %s, who cannot be reached (no email or phone)", [data.plancheck.lib.join(x.contacts)]) if count(x.contacts) > 0

local(x, f, k) := x.local[f.timezone][k]

local(x, f, k) := x[k] if not x.local[f.timezone]

inherited(f) := "" if f.via == "threat"

inherited(f) := sprintf(" (inherited from team %s)", [f.team]) if {
	f.via == "team"
	is_string(f.team)
}

inherited(f) := " (inherited)" if {
	f.via == "team"
	not is_string(f.team)
}

# The line to change: the threat's own `escalation_policy`, else what makes it need reach.
path(i, t, f) := ["plan", "threats", i, "escalation_policy"] if f.via == "threat"

path(i, t, f) := ["plan", "threats", i, "severity"] if {
	f.via != "threat"
	t.severity == "SEV1"
}

path(i, t, f) := ["plan", "threats", i, "high_profile"] if {
	f.via != "threat"
	t.severity != "SEV1"
}
