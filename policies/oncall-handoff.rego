package plancheck.oncall_handoff

import rego.v1

# METADATA
# title: Every rotation of two or more people has a handoff
# description: >-
#   A rotation without a `handoff` says "one of these people" but not who: at
#   3 a.m. nobody knows whose pager should ring, and plancheck can only list
#   the rotation as candidates. A `handoff` (a local date-time at which the
#   first person's shift starts) fixes every shift, across DST changes too.
# custom:
#   id: oncall-handoff
#   severity: warning
#   help: >-
#     Add `handoff: <local date-time>` (e.g. `handoff: 2026-11-02T09:00`, in the
#     team's or layer's `timezone`) beside the rotation: the first person's shift
#     starts then and the others follow every `shift_hours`.
warn contains result if {
	some i, t in data.plancheck.lib.teams
	o := data.plancheck.lib.oncall_of(t)
	not data.plancheck.lib.has_array(o, "layers")
	rotation := data.plancheck.lib.arr(o, "rotation")
	count(rotation) >= 2
	not data.plancheck.lib.has_text(o, "handoff")
	result := {
		"msg": sprintf("team %s: the on-call rotation (%s) has no handoff, so who is on call when is undefined and pages go to all %d as candidates", [t.id, data.plancheck.lib.join(rotation), count(rotation)]),
		"path": ["plan", "teams", i, "oncall", "rotation"],
	}
}

warn contains result if {
	some i, t in data.plancheck.lib.teams
	some k, l in data.plancheck.lib.arr(data.plancheck.lib.oncall_of(t), "layers")
	rotation := data.plancheck.lib.arr(l, "rotation")
	count(rotation) >= 2
	not data.plancheck.lib.has_text(l, "handoff")
	result := {
		"msg": sprintf("team %s: on-call layer %s (%s) has no handoff, so who is on call when is undefined and pages go to all %d as candidates", [t.id, layer_name(l, k), data.plancheck.lib.join(rotation), count(rotation)]),
		"path": ["plan", "teams", i, "oncall", "layers", k],
	}
}

layer_name(l, _) := l.name if data.plancheck.lib.has_text(l, "name")

layer_name(l, k) := sprintf("%d", [k + 1]) if not data.plancheck.lib.has_text(l, "name")
