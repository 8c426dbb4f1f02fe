package plancheck.oncall_coverage_test

import rego.v1

import data.plancheck.testdata as td

deny(inp) := {object.remove(r, ["help"]) | some r in results} if {
	results := data.plancheck.oncall_coverage.deny with input as inp
}

gap := {"from": "2026-11-28T00:00:00Z", "to": "2026-11-28T08:00:00Z", "local_from": "Sat 2026-11-28 01:00 CET", "local_to": "Sat 2026-11-28 09:00 CET", "hours": 8}

later := {"from": "2026-12-05T00:00:00Z", "to": "2026-12-05T04:30:00Z", "local_from": "Sat 2026-12-05 01:00 CET", "local_to": "Sat 2026-12-05 05:30 CET", "hours": 4.5}

with_gaps(gaps, info) := object.union(td.base, {"facts": {"oncall": {
	"required_gaps": {"sre": gaps},
	"teams": {"sre": object.union({"index": 0, "timezone": "Europe/Berlin", "coverage": "24x7"}, info)},
}}})

test_valid_plan_has_no_findings if {
	deny(td.base) == set()
}

test_the_first_gap_is_named_in_utc_and_local_time_with_the_uncovered_hours if {
	deny(with_gaps([gap, later], {})) == {{
		"msg": "team sre (24x7) has nobody on call from 2026-11-28T00:00:00Z (Sat 2026-11-28 01:00 CET) to 2026-11-28T08:00:00Z (Sat 2026-11-28 09:00 CET, Europe/Berlin): 2 gaps, 12.5 hours uncovered in the next 28 days",
		"path": ["plan", "teams", 0, "oncall", "rotation"],
	}}
}

test_a_business_hours_team_is_named_as_such_and_the_horizon_comes_from_config if {
	results := deny(with_gaps([gap], {"coverage": "business-hours"})) with data.config.horizon_days as 14
	results == {{
		"msg": "team sre (business-hours) has nobody on call from 2026-11-28T00:00:00Z (Sat 2026-11-28 01:00 CET) to 2026-11-28T08:00:00Z (Sat 2026-11-28 09:00 CET, Europe/Berlin): 1 gap, 8 hours uncovered in the next 14 days",
		"path": ["plan", "teams", 0, "oncall", "rotation"],
	}}
}

test_a_layered_team_is_reported_at_its_layers if {
	inp := object.union(with_gaps([gap], {}), {"plan": {"teams": [object.union(td.team, {"oncall": {"layers": [{"rotation": ["alice"]}]}})]}})
	[found] := [x | some x in deny(inp)]
	found.path == ["plan", "teams", 0, "oncall", "layers"]
}

test_a_team_with_nobody_active_is_left_to_team_oncall if {
	inp := object.union(with_gaps([gap], {}), {"plan": {"contacts": [object.union(td.alice, {"active": false}), object.union(td.bob, {"active": false}), td.ceo]}})
	deny(inp) == set()
}

test_no_facts_no_findings if {
	deny(object.remove(td.base, ["facts"])) == set()
}
