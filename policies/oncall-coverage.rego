package plancheck.oncall_coverage

import rego.v1

# METADATA
# title: Someone is on call whenever the team's coverage says so
# description: >-
#   A 24x7 team must have someone on call at every instant of the horizon
#   (`horizon-days`, 28 by default), a business-hours team within its business
#   hours. Gaps come from restrictions that do not tile the day, layers that
#   stop, or an inactive person holding a shift (the pager rings nobody then).
#   The finding names the first gap in UTC and the team's local time, and the
#   hours left uncovered.
# custom:
#   id: oncall-coverage
#   severity: error
#   help: >-
#     Cover the gap: add a layer (or widen a layer's `restrict` windows) so that
#     someone holds every hour, replace inactive people in the rotation, or add
#     an override; if the gaps are intended, say so with `coverage:
#     business-hours` and the team's `business_hours`.
deny contains result if {
	some team, gaps in data.plancheck.lib.oncall_facts.required_gaps
	count(gaps) > 0
	info := data.plancheck.lib.oncall_facts.teams[team]
	t := data.plancheck.lib.teams[info.index]
	# A team with nobody active in its rotation is team-oncall's finding.
	count({c | some c in data.plancheck.lib.rotation(t); c in data.plancheck.lib.active_contact_ids}) > 0
	g := gaps[0]
	total := sum([x.hours | some x in gaps])
	result := {
		"msg": sprintf("team %s (%s) has nobody on call from %s (%s) to %s (%s, %s): %s, %s uncovered in the next %d days", [
			team, info.coverage, g.from, g.local_from, g.to, g.local_to, info.timezone,
			data.plancheck.lib.plural(count(gaps), "gap"), data.plancheck.lib.hours(total),
			data.plancheck.lib.horizon_days,
		]),
		"path": data.plancheck.lib.rotation_path(info.index, t),
		"help": help(info),
	}
}

help(info) := "someone must hold the on-call at every hour: add a layer (or widen a layer's `restrict` windows) so the layers tile the day, replace inactive people, or add an override for the gap; if nights and weekends are intentionally uncovered, set `coverage: business-hours` (and `business_hours`) and make sure SEV1 threats escalate to a 24x7 level" if info.coverage == "24x7"

help(info) := "someone must hold the on-call throughout the team's `business_hours`: add a layer or widen its `restrict` windows to cover them, replace inactive people, or add an override for the gap" if info.coverage != "24x7"
