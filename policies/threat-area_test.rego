package plancheck.threat_area_test

import rego.v1

import data.plancheck.testdata as td

# deny(inp): the rule's results without their help (the help tests below check it).
deny(inp) := {object.remove(r, ["help"]) | some r in results} if {
	results := data.plancheck.threat_area.deny with input as inp
}

# helps(inp): the help of every result.
helps(inp) := {r.help | some r in results} if {
	results := data.plancheck.threat_area.deny with input as inp
}

threat(patch) := object.union(td.threat, patch)

test_valid_plan_has_no_findings if {
	results := deny(td.base)
	results == set()
}

test_threat_without_area_is_denied if {
	results := deny(td.without(["plan/threats/0/area"]))
	results == {{"msg": "threat THR-1 names no area of expertise", "path": ["plan", "threats", 0]}}
}

test_empty_area_is_denied_at_the_area_field if {
	every v in ["", "  ", null, 7, ["k8s-core"]] {
		inp := td.with_plan({"threats": [threat({"area": v})]})
		results := deny(inp)
		results == {{"msg": "threat THR-1 names no area of expertise", "path": ["plan", "threats", 0, "area"]}}
	}
}

test_unknown_area_is_left_to_ref_resolves if {
	inp := td.with_plan({"threats": [threat({"area": "ghost"})]})
	results := deny(inp)
	results == set()
}

test_each_threat_is_reported_at_its_index if {
	inp := td.with_plan({"threats": [
		td.threat,
		object.remove(threat({"id": "THR-2"}), ["area"]),
		threat({"id": "THR-3", "area": ""}),
	]})
	results := deny(inp)
	results == {
		{"msg": "threat THR-2 names no area of expertise", "path": ["plan", "threats", 1]},
		{"msg": "threat THR-3 names no area of expertise", "path": ["plan", "threats", 2, "area"]},
	}
}

test_plan_without_threats_has_no_findings if {
	results := deny(td.without(["plan/threats"]))
	results == set()
}

test_help_names_the_areas_of_the_plan if {
	inp := td.with_plan({
		"areas": [td.area, object.union(td.area, {"id": "k8s-apps"})],
		"threats": [object.remove(td.threat, ["area"])],
	})
	helps(inp) == {"set the threat's `area` to the id of an entry in `areas`, e.g. `area: k8s-apps` (areas: k8s-apps, k8s-core)"}
}

test_help_without_areas_says_to_add_them if {
	inp := td.with_plan({"areas": [], "threats": [object.remove(td.threat, ["area"])]})
	helps(inp) == {"set the threat's `area` to the id of an entry in `areas`; the plan has no areas yet: add the areas of expertise first"}
}
