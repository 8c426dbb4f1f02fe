package plancheck.threat_area_test

import rego.v1

import data.plancheck.testdata as td

threat(patch) := object.union(td.threat, patch)

test_valid_plan_has_no_findings if {
	results := data.plancheck.threat_area.deny with input as td.base
	results == set()
}

test_threat_without_area_is_denied if {
	results := data.plancheck.threat_area.deny with input as td.without(["plan/threats/0/area"])
	results == {{"msg": "threat THR-1 names no area of expertise", "path": ["plan", "threats", 0]}}
}

test_empty_area_is_denied_at_the_area_field if {
	every v in ["", "  ", null, 7, ["k8s-core"]] {
		inp := td.with_plan({"threats": [threat({"area": v})]})
		results := data.plancheck.threat_area.deny with input as inp
		results == {{"msg": "threat THR-1 names no area of expertise", "path": ["plan", "threats", 0, "area"]}}
	}
}

test_unknown_area_is_left_to_ref_resolves if {
	inp := td.with_plan({"threats": [threat({"area": "ghost"})]})
	results := data.plancheck.threat_area.deny with input as inp
	results == set()
}

test_each_threat_is_reported_at_its_index if {
	inp := td.with_plan({"threats": [
		td.threat,
		object.remove(threat({"id": "THR-2"}), ["area"]),
		threat({"id": "THR-3", "area": ""}),
	]})
	results := data.plancheck.threat_area.deny with input as inp
	results == {
		{"msg": "threat THR-2 names no area of expertise", "path": ["plan", "threats", 1]},
		{"msg": "threat THR-3 names no area of expertise", "path": ["plan", "threats", 2, "area"]},
	}
}

test_plan_without_threats_has_no_findings if {
	results := data.plancheck.threat_area.deny with input as td.without(["plan/threats"])
	results == set()
}
