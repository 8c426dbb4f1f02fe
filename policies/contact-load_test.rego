package plancheck.contact_load_test

import rego.v1

import data.plancheck.testdata as td

warn(inp) := {object.remove(r, ["help"]) | some r in results} if {
	results := data.plancheck.contact_load.warn with input as inp
}

area(id, contacts) := object.union(td.area, {"id": id, "contacts": contacts})

test_valid_plan_has_no_findings if {
	warn(td.base) == set()
}

test_a_contact_of_more_areas_than_allowed_is_warned_at_the_first_area_over if {
	inp := td.with_plan({"areas": [
		area("a1", ["alice", "bob"]),
		area("a2", ["bob", "alice", "alice"]),
		area("a3", ["alice"]),
		area("a4", ["bob", "alice"]),
		area("a5", ["alice", "ghost"]),
	]})
	warn(inp) == {{
		"msg": "contact alice is a key contact of 5 areas (a1, a2, a3, a4, a5); at most 3 per person",
		"path": ["plan", "areas", 3, "contacts", 1],
	}}
	results := warn(inp) with data.config.max_areas_per_contact as 5
	results == set()
}
