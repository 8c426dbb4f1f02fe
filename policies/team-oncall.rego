package plancheck.team_oncall

import rego.v1


# METADATA
# title: Every team defines who is on call
# description: >-
#   Pages for a team without an on-call rotation go nowhere, and a rotation of
#   people who have left is the same thing in disguise. Every team needs a
#   rotation with at least one active contact.
# custom:
#   id: team-oncall
#   severity: error
#   help: >-
#     Add `oncall: {rotation: [<contact ids>], shift_hours: 168, coverage: 24x7}`
#     to the team, listing at least one active contact.
deny contains result if {
	some i, t in data.plancheck.lib.teams
	not data.plancheck.lib.has_object(t, "oncall")
	result := {
		"msg": sprintf("team %s defines no on-call rotation", [t.id]),
		"path": ["plan", "teams", i],
	}
}

deny contains result if {
	some i, t in data.plancheck.lib.teams
	data.plancheck.lib.has_object(t, "oncall")
	not data.plancheck.lib.has_array(t.oncall, "rotation")
	not data.plancheck.lib.has_array(t.oncall, "layers")
	result := {
		"msg": sprintf("team %s: oncall has no rotation (and no layers)", [t.id]),
		"path": ["plan", "teams", i, "oncall"],
	}
}

deny contains result if {
	some i, t in data.plancheck.lib.teams
	data.plancheck.lib.has_object(t, "oncall")
	written(t.oncall)
	rotation := data.plancheck.lib.rotation(t)
	count({c | some c in rotation; c in data.plancheck.lib.active_contact_ids}) == 0
	result := {
		"msg": sprintf("the on-call rotation of team %s %s", [t.id, problem(rotation)]),
		"path": data.plancheck.lib.rotation_path(i, t),
	}
}

problem(rotation) := "is empty" if count(rotation) == 0

problem(rotation) := sprintf("(%s) has no active contact", [data.plancheck.lib.join(rotation)]) if count(rotation) > 0

written(o) if data.plancheck.lib.has_array(o, "rotation")

written(o) if data.plancheck.lib.has_array(o, "layers")
