package plancheck.oncall_load

import rego.v1

# METADATA
# title: Nobody carries the pager too much, or for two teams at once
# description: >-
#   Someone on call more than `max-oncall-share` percent of the horizon (50 by
#   default; the SRE book sizes rotations for 25%) burns out and is the one
#   person every incident waits for; someone on call for two teams at the same
#   instant cannot answer both pages. Hours count when the person holds the
#   on-call alone (not as one of several candidates without a handoff).
# custom:
#   id: oncall-load
#   severity: warning
#   help: >-
#     Add people to the rotation (or another layer), shorten this person's
#     shifts, or move one team's handoff so the two rotations do not put the
#     same person on call at once.
warn contains result if {
	some c, l in data.plancheck.lib.oncall_facts.load
	l.share_percent > max_share
	team := l.teams[0]
	info := data.plancheck.lib.oncall_facts.teams[team]
	result := {
		"msg": sprintf("contact %s is on call %v percent of the next %d days (%s, for %s); at most %d percent is allowed", [
			c, l.share_percent, data.plancheck.lib.horizon_days, data.plancheck.lib.hours(l.hours),
			teams_text(l.teams), max_share,
		]),
		"path": entry_path(info.index, c),
		"help": sprintf("spread the on-call: add people to the rotation of team %s (or a layer), or take %s out of one rotation; `max-oncall-share` under [rules.oncall-load] sets the limit", [team, c]),
	}
}

warn contains result if {
	some c, l in data.plancheck.lib.oncall_facts.load
	db := l.double_booked
	is_object(db)
	team := db.teams[count(db.teams) - 1]
	info := data.plancheck.lib.oncall_facts.teams[team]
	result := {
		"msg": sprintf("contact %s is on call for teams %s at the same time, first at %s (%s, %s)", [
			c, data.plancheck.lib.join(db.teams), db.at, db.local, data.plancheck.lib.oncall_facts.teams[db.teams[0]].timezone,
		]),
		"path": entry_path(info.index, c),
		"help": sprintf("one pager cannot answer two teams' incidents at once: take %s out of one rotation, or move a handoff (or add an override) so their shifts do not overlap", [c]),
	}
}

max_share := n if {
	n := data.config.max_oncall_share
	is_number(n)
} else := 50

teams_text(ts) := sprintf("team %s", [ts[0]]) if count(ts) == 1

teams_text(ts) := sprintf("teams %s", [data.plancheck.lib.join(ts)]) if count(ts) > 1

# entry_path(ti, c): the first rotation entry of team ti naming c, else the team's on-call.
entry_path(ti, c) := array.concat(["plan", "teams", ti], at[0]) if {
	at := [e[0] | some e in data.plancheck.lib.rotation_entries(data.plancheck.lib.teams[ti]); e[1] == c]
	count(at) > 0
} else := ["plan", "teams", ti, "oncall"]
