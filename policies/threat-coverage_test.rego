package plancheck.threat_coverage_test

import rego.v1

import data.plancheck.testdata as td

warn(inp) := {object.remove(r, ["help"]) | some r in results} if {
	results := data.plancheck.threat_coverage.warn with input as inp
}

delete_sc := {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "fast"}, "provisioner": "x", "reclaimPolicy": "Delete"}

admin := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "ops"}, "roleRef": {"kind": "ClusterRole", "name": "cluster-admin"}}

# The base plan with these manifests and its one threat naming these techniques.
with_manifests(objects, techniques) := object.union(
	td.with_plan({"threats": [object.union(td.threat, {"techniques": techniques})]}),
	{"manifests": [{"path": "k8s/m.yaml", "line": 1, "object": o} | some o in objects]},
)

test_valid_plan_without_manifests_has_no_findings if {
	warn(td.base) == set()
}

test_an_uncovered_risk_is_reported_on_its_manifest_line_with_the_technique_name if {
	warn(with_manifests([delete_sc], [])) == {{
		"msg": "StorageClass fast: Persistent data destroyed by deleting a claim (reclaimPolicy Delete); no threat names MS-TA9038 (Data destruction)",
		"path": ["manifests", 0, "object", "reclaimPolicy"],
	}}
}

test_a_threat_naming_the_technique_covers_the_risk if {
	warn(with_manifests([delete_sc, admin], ["MS-TA9038", "MS-TA9019"])) == set()
}

test_a_threat_naming_a_mapped_attack_id_covers_the_risk if {
	# MS-TA9019 Cluster-admin binding maps to ATT&CK T1078.003.
	warn(with_manifests([admin], ["T1078.003"])) == set()
}

test_one_technique_of_several_is_enough if {
	lb := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "edge", "namespace": "ingress"}, "spec": {"type": "LoadBalancer"}}
	warn(with_manifests([lb], ["MS-TA9040"])) == set()
	warn(with_manifests([lb], [])) == {{
		"msg": "Service ingress/edge: Exposed interface attacked or flooded from the internet; no threat names MS-TA9005 (Exposed sensitive interfaces) or MS-TA9040 (Denial of service)",
		"path": ["manifests", 0, "object", "spec", "type"],
	}}
}

test_each_object_showing_an_uncovered_risk_gets_its_finding if {
	results := warn(with_manifests([delete_sc, admin, object.union(delete_sc, {"metadata": {"name": "slow"}})], ["MS-TA9019"]))
	{r.path[1] | some r in results} == {0, 2}
}

test_uncovered_hits_carry_the_suggested_threat if {
	us := data.plancheck.threat_coverage.uncovered with input as with_manifests([admin], [])
	us == {{
		"risk": "cluster-admin-binding", "index": 0, "path": ["manifests", 0, "object", "roleRef", "name"],
		"techniques": ["MS-TA9019"], "title": "Cluster-admin binding abused or created by a compromised identity",
		"source": "malicious", "severity": "SEV1",
		"matches": "a ClusterRoleBinding or RoleBinding to the cluster-admin ClusterRole",
	}}
}

test_a_catalogue_in_another_package_is_used_too if {
	mine := {"risks": {"legacy-api": {"matches": "x", "techniques": ["MS-TA9029"], "title": "t", "source": "malicious", "severity": "SEV2"}}, "hits": [{"risk": "legacy-api", "index": 0, "path": ["manifests", 0]}]}
	results := data.plancheck.threat_coverage.warn with input as with_manifests([{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}], [])
		with data.plancheck.risks.ours as mine
	{r.msg | some r in results} == {"ConfigMap c: t; no threat names MS-TA9029 (Access Kubernetes API server)"}
}

test_an_unknown_technique_is_shown_as_it_is if {
	data.plancheck.threat_coverage.techniques_named(["T9999", "MS-TA9038"]) == "T9999 or MS-TA9038 (Data destruction)"
}

test_the_finding_has_help if {
	results := data.plancheck.threat_coverage.warn with input as with_manifests([delete_sc], [])
	every r in results {
		not r.help
	}
	count(results) == 1
}
