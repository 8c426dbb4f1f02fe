package plancheck.oncall_load_test

import rego.v1

import data.plancheck.testdata as td

warn(inp) := {object.remove(r, ["help"]) | some r in results} if {
	results := data.plancheck.oncall_load.warn with input as inp
}

with_load(load) := object.union(td.base, {"facts": {"oncall": {"load": load}}})

net := {"id": "net", "members": ["bob"], "oncall": {"layers": [{"name": "night", "rotation": ["ceo", "bob"], "handoff": "2026-11-02T09:00"}]}, "escalation_policy": "ep-sre"}

test_valid_plan_has_no_findings if {
	warn(td.base) == set()
}

test_more_than_the_share_is_warned_at_the_persons_rotation_entry if {
	inp := with_load({"bob": {"hours": 504, "share_percent": 75, "teams": ["sre"], "double_booked": null}})
	warn(inp) == {{
		"msg": "contact bob is on call 75 percent of the next 28 days (504 hours, for team sre); at most 50 percent is allowed",
		"path": ["plan", "teams", 0, "oncall", "rotation", 1],
	}}
	results := warn(inp) with data.config.max_oncall_share as 80
	results == set()
}

test_being_on_call_for_two_teams_at_once_is_warned_at_the_second_team if {
	inp := object.union(with_load({"bob": {"hours": 300, "share_percent": 44.6, "teams": ["sre", "net"], "double_booked": {"at": "2026-11-30T09:00:00Z", "local": "Mon 2026-11-30 09:00 UTC", "teams": ["sre", "net"]}}}), {
		"plan": {"teams": [td.team, net]},
		"facts": {"oncall": {"teams": {"net": {"index": 1, "timezone": "UTC", "coverage": "24x7"}}}},
	})
	warn(inp) == {{
		"msg": "contact bob is on call for teams sre, net at the same time, first at 2026-11-30T09:00:00Z (Mon 2026-11-30 09:00 UTC, UTC)",
		"path": ["plan", "teams", 1, "oncall", "layers", 0, "rotation", 1],
	}}
}
