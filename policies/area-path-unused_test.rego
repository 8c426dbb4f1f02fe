package plancheck.area_path_unused_test

import rego.v1

import data.plancheck.testdata as td

# with_paths(paths): the base input with input.facts.area_paths replaced.
with_paths(paths) := object.union(td.base, {"facts": {"area_paths": paths}})

fact(pattern, matches) := {"area": "k8s-core", "area_index": 0, "path_index": 1, "pattern": pattern, "matches": matches}

test_valid_plan_has_no_findings if {
	results := data.plancheck.area_path_unused.warn with input as td.base
	results == set()
}

test_a_path_matching_a_tracked_file_passes if {
	inp := with_paths([fact("/clusters/*/core/", "clusters/prod/core/coredns.yaml")])
	results := data.plancheck.area_path_unused.warn with input as inp
	results == set()
}

test_a_path_matching_nothing_is_warned_at_the_pattern if {
	inp := with_paths([fact("/clusters/*/kore/", null)])
	results := data.plancheck.area_path_unused.warn with input as inp
	results == {{
		"msg": "area k8s-core: path `/clusters/*/kore/` matches no tracked file",
		"path": ["plan", "areas", 0, "paths", 1],
	}}
}
