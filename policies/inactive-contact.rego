package plancheck.inactive_contact

import rego.v1


# METADATA
# title: No inactive contact is on call, escalated to, or an area contact
# description: >-
#   People leave, change teams or go on long leave; marking them `active: false`
#   is right, but every rotation, escalation level and area that still lists
#   them now has a hole exactly where the plan promises a person.
# custom:
#   id: inactive-contact
#   severity: error
#   help: >-
#     Replace the inactive contact with an active one in the rotation, level
#     targets or area contacts (or set `active: true` if they are back).
deny contains result if {
	some i, t in data.plancheck.lib.teams
	some e in data.plancheck.lib.rotation_entries(t)
	[at, c] := e
	c in data.plancheck.lib.inactive_contact_ids
	result := {
		"msg": sprintf("inactive contact %s is on call for team %s", [c, t.id]),
		"path": array.concat(["plan", "teams", i], at),
	}
}

deny contains result if {
	some i, p in data.plancheck.lib.policies
	some k, level in data.plancheck.lib.levels(p)
	some m, x in data.plancheck.lib.targets(level)
	x in data.plancheck.lib.inactive_contact_ids
	result := {
		"msg": sprintf("inactive contact %s is a target of escalation policy %s level %d", [x, p.id, k + 1]),
		"path": ["plan", "escalation_policies", i, "levels", k, "targets", m],
	}
}

deny contains result if {
	some i, a in data.plancheck.lib.areas
	some j, c in data.plancheck.lib.arr(a, "contacts")
	c in data.plancheck.lib.inactive_contact_ids
	result := {
		"msg": sprintf("inactive contact %s is a key contact of area %s", [c, a.id]),
		"path": ["plan", "areas", i, "contacts", j],
	}
}
