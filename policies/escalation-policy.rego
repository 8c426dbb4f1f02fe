package plancheck.escalation_policy

import rego.v1


# METADATA
# title: Teams have escalation policies with ordered levels
# description: >-
#   When the on-call responder does not acknowledge a page, an escalation
#   policy is what wakes the next person. A team without one, a policy with a
#   single level, or levels whose delays go backwards all leave an incident
#   stuck with nobody answering.
# custom:
#   id: escalation-policy
#   severity: error
#   help: >-
#     Give every team an `escalation_policy`; give every policy at least two
#     `levels` (e.g. on-call responder, then management) and list the levels in
#     increasing `after_minutes`.
deny contains result if {
	some i, t in data.plancheck.lib.teams
	not data.plancheck.lib.has_text(t, "escalation_policy")
	result := {
		"msg": sprintf("team %s has no escalation policy", [t.id]),
		"path": ["plan", "teams", i],
	}
}

deny contains result if {
	some i, p in data.plancheck.lib.policies
	n := count(data.plancheck.lib.levels(p))
	n < 2
	result := {
		"msg": sprintf("escalation policy %s has %s; at least 2 are required", [p.id, data.plancheck.lib.plural(n, "level")]),
		"path": levels_path(i, p),
	}
}

deny contains result if {
	some i, p in data.plancheck.lib.policies
	levels := data.plancheck.lib.levels(p)
	some k, level in levels
	k > 0
	before := levels[k - 1].after_minutes
	after := level.after_minutes
	is_number(before)
	is_number(after)
	after < before
	result := {
		"msg": sprintf("escalation policy %s: level %d escalates after %v minutes, before level %d (%v minutes)", [p.id, k + 1, after, k, before]),
		"path": ["plan", "escalation_policies", i, "levels", k, "after_minutes"],
	}
}

levels_path(i, p) := ["plan", "escalation_policies", i, "levels"] if "levels" in object.keys(p)

levels_path(i, p) := ["plan", "escalation_policies", i] if not "levels" in object.keys(p)
