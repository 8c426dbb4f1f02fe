package plancheck.manifest_area_test

import rego.v1

import data.plancheck.testdata as td

warn(inp) := {object.remove(r, ["help"]) | some r in results} if {
	results := data.plancheck.manifest_area.warn with input as inp
}

deploy := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}}

config := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}}

# Manifests with the areas Rust computed for each (input.facts.manifests).
with_manifests(objects, areas) := object.union(td.base, {
	"manifests": [{"path": "apps/web.yaml", "line": 1, "object": o} | some o in objects],
	"facts": {"manifests": {"areas": areas}},
})

test_valid_plan_without_manifests_has_no_findings if {
	warn(td.base) == set()
}

test_a_significant_object_without_an_area_is_reported if {
	warn(with_manifests([deploy], [[]])) == {{
		"msg": "Deployment shop/web belongs to no area of expertise",
		"path": ["manifests", 0, "object", "kind"],
	}}
}

test_an_object_some_area_owns_passes if {
	warn(with_manifests([deploy], [["workloads"]])) == set()
}

test_insignificant_kinds_need_no_area if {
	warn(with_manifests([config, deploy], [[], ["workloads"]])) == set()
}

test_cluster_scoped_objects_are_named_without_a_namespace if {
	sc := {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "gp3"}}
	{r.msg | some r in warn(with_manifests([sc], [[]]))} == {"StorageClass gp3 belongs to no area of expertise"}
}

test_kinds_a_catalogue_adds_are_significant if {
	results := data.plancheck.manifest_area.warn with input as with_manifests([config], [[]])
		with data.plancheck.risks.ours as {"significant_kinds": ["ConfigMap"]}
	count(results) == 1
}
