package plancheck.risks.builtin_test

import rego.v1

# Each risk of the built-in catalogue: an object that shows it (positive) and a
# close one that does not (negative).

# risks_of(objects): {[risk id, manifest index]} the catalogue finds.
risks_of(objects) := {[h.risk, h.index] | some h in hits(objects)}

# paths_of(objects): {risk id: path} for a single object.
paths_of(objects) := {h.risk: h.path | some h in hits(objects)}

hits(objects) := hits_with(objects, [])

# hits_with(objects, specs): the hits for these objects with the pod spec facts plancheck
# computes for them (input.facts.manifests.pod_specs), written out by each test.
hits_with(objects, specs) := hs if {
	inp := {
		"manifests": [{"path": "m.yaml", "line": 1, "object": o} | some o in objects],
		"facts": {"manifests": {"pod_specs": specs}},
	}
	hs := data.plancheck.risks.builtin.hits with input as inp
}

# For one Deployment (index 0) whose pod spec facts are `specs`.
risks_with(specs) := {[h.risk, h.index] | some h in hits_with([deployment(safe, {})], specs)}

paths_with(specs) := {h.risk: h.path | some h in hits_with([deployment(safe, {})], specs)}

spec_path := ["spec", "template", "spec"]

# pod(containers, volumes): the pod spec fact of the Deployment at index 0.
pod(containers, volumes) := [{"index": 0, "path": spec_path, "volumes": volumes, "containers": containers}]

# ctr(fields): the fact of its first container, `safe` (pinned, with limits) unless overridden.
# (object.union would merge a given `limits` into the default one: the defaults are removed.)
ctr(fields) := object.union(object.remove(safe_ctr, object.keys(fields)), fields)

safe_ctr := {"path": array.concat(spec_path, ["containers", 0]), "field": "containers", "volume_mounts": [], "image": "r.example/app@sha256:00ff", "limits": {"memory": "64Mi"}}

host_volume := {"index": 0, "name": "host", "host_path": {"path": "/var"}}

meta(name) := {"name": name, "namespace": "prod"}

# A container that shows no risk: pinned by digest, with limits.
safe := {"name": "app", "image": "r.example/app@sha256:00ff", "resources": {"limits": {"memory": "64Mi"}}}

deployment(container, extra) := {
	"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("web"),
	"spec": {"template": {"spec": object.union({"containers": [container]}, extra)}},
}

sc(extra) := object.union({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "gp3"}, "provisioner": "ebs.csi.aws.com"}, extra)

test_every_risk_says_what_it_matches_its_techniques_and_its_threat if {
	count(data.plancheck.risks.builtin.risks) >= 10
	every id, r in data.plancheck.risks.builtin.risks {
		r.matches != ""
		count(r.techniques) > 0
		every t in r.techniques {
			data.tmfk.techniques[t].name
		}
		r.title != ""
		r.source in {"human_error", "malicious", "supply_chain", "infrastructure", "third_party"}
		r.severity in {"SEV1", "SEV2", "SEV3", "SEV4"}
	}
}

test_every_hit_names_a_risk_of_the_catalogue if {
	objects := [deployment(safe, {}), sc({}), {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta("c")}]
	hits := {[h.risk, h.index] | some h in hits_with(objects, pod([ctr({"privileged": true, "image": "x"})], []))}
	count(hits) >= 4
	every h in hits {
		data.plancheck.risks.builtin.risks[h[0]]
	}
}

test_delete_reclaim_policy_storage_class if {
	risks_of([sc({"reclaimPolicy": "Delete"})]) == {["delete-reclaim-policy", 0]}
	paths_of([sc({"reclaimPolicy": "Delete"})])["delete-reclaim-policy"] == ["manifests", 0, "object", "reclaimPolicy"]
}

test_delete_is_a_storage_class_default if {
	paths_of([sc({})])["delete-reclaim-policy"] == ["manifests", 0, "object", "kind"]
}

test_delete_reclaim_policy_persistent_volume if {
	pv := {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv1"}, "spec": {"persistentVolumeReclaimPolicy": "Delete"}}
	risks_of([pv]) == {["delete-reclaim-policy", 0]}
}

test_retain_is_no_risk if {
	risks_of([sc({"reclaimPolicy": "Retain"})]) == set()
	pv := {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv1"}, "spec": {"persistentVolumeReclaimPolicy": "Retain"}}
	risks_of([pv]) == set()
}

binding(kind, role) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": meta("b"), "roleRef": {"kind": "ClusterRole", "name": role}}

test_cluster_admin_binding if {
	risks_of([binding("ClusterRoleBinding", "cluster-admin")]) == {["cluster-admin-binding", 0]}
	risks_of([binding("RoleBinding", "cluster-admin")]) == {["cluster-admin-binding", 0]}
	paths_of([binding("ClusterRoleBinding", "cluster-admin")])["cluster-admin-binding"] == ["manifests", 0, "object", "roleRef", "name"]
}

test_other_role_bindings_are_no_risk if {
	risks_of([binding("ClusterRoleBinding", "view")]) == set()
	risks_of([object.union(binding("RoleBinding", "cluster-admin"), {"roleRef": {"kind": "Role"}})]) == set()
}

test_privileged_container if {
	specs := pod([ctr({"privileged": true})], [])
	risks_with(specs) == {["privileged-container", 0]}
	paths_with(specs)["privileged-container"] == ["manifests", 0, "object", "spec", "template", "spec", "containers", 0, "securityContext", "privileged"]
}

test_unprivileged_container_is_no_risk if {
	risks_with(pod([ctr({"privileged": false})], [])) == set()
	risks_with(pod([ctr({"privileged": "true"})], [])) == set()
	risks_with(pod([ctr({})], [])) == set()
}

test_writable_hostpath if {
	specs := pod([ctr({"volume_mounts": [{"name": "host"}]})], [host_volume])
	risks_with(specs) == {["writable-hostpath", 0]}
	paths_with(specs)["writable-hostpath"] == ["manifests", 0, "object", "spec", "template", "spec", "volumes", 0, "hostPath"]
	risks_with(pod([ctr({"volume_mounts": [{"name": "host", "readOnly": false}]})], [host_volume])) == {["writable-hostpath", 0]}
}

test_read_only_or_unmounted_hostpath_is_no_risk if {
	risks_with(pod([ctr({"volume_mounts": [{"name": "host", "readOnly": true}]})], [host_volume])) == set()
	risks_with(pod([ctr({"volume_mounts": [{"name": "other"}]})], [host_volume])) == set()
	risks_with(pod([ctr({"volume_mounts": [{"name": "host"}]})], [{"index": 0, "name": "host"}])) == set()
}

cronjob(container) := {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta("nightly"), "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [container]}}}}}}

test_cronjob if {
	risks_of([cronjob(safe)]) == {["cronjob", 0]}
}

test_a_job_is_not_a_cronjob if {
	job := {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta("once"), "spec": {"template": {"spec": {"containers": [safe]}}}}
	risks_of([job]) == set()
}

test_admission_webhooks if {
	every kind in ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"] {
		risks_of([{"apiVersion": "admissionregistration.k8s.io/v1", "kind": kind, "metadata": {"name": "w"}}]) == {["admission-webhook", 0]}
	}
}

test_a_validating_admission_policy_is_no_webhook if {
	risks_of([{"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy", "metadata": {"name": "p"}}]) == set()
}

service(type) := {"apiVersion": "v1", "kind": "Service", "metadata": meta("s"), "spec": {"type": type}}

test_exposed_services if {
	risks_of([service("LoadBalancer")]) == {["exposed-service", 0]}
	paths_of([service("LoadBalancer")])["exposed-service"] == ["manifests", 0, "object", "spec", "type"]
	risks_of([{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta("i")}]) == {["exposed-service", 0]}
}

test_cluster_ip_services_are_not_exposed if {
	risks_of([service("ClusterIP")]) == set()
	risks_of([{"apiVersion": "v1", "kind": "Service", "metadata": meta("s")}]) == set()
}

test_secret_committed_with_values if {
	# Values arrive as null (removed before policies run); the keys tell.
	risks_of([{"apiVersion": "v1", "kind": "Secret", "metadata": meta("db"), "data": {"password": null}}]) == {["secret-in-git", 0]}
	risks_of([{"apiVersion": "v1", "kind": "Secret", "metadata": meta("db"), "stringData": {"token": null}}]) == {["secret-in-git", 0]}
}

test_secret_without_values_is_no_risk if {
	risks_of([{"apiVersion": "v1", "kind": "Secret", "metadata": meta("db"), "type": "kubernetes.io/service-account-token"}]) == set()
	risks_of([{"apiVersion": "v1", "kind": "Secret", "metadata": meta("db"), "data": {}}]) == set()
}

test_mutable_image_tag if {
	specs := pod([ctr({"image": "nginx:1.27"})], [])
	risks_with(specs) == {["mutable-image-tag", 0]}
	paths_with(specs)["mutable-image-tag"] == ["manifests", 0, "object", "spec", "template", "spec", "containers", 0, "image"]
	risks_with(pod([ctr({"image": "nginx"})], [])) == {["mutable-image-tag", 0]}
}

test_image_by_digest_is_no_risk if {
	risks_with(pod([ctr({"image": "nginx:1.27@sha256:abc"})], [])) == set()
}

test_no_resource_limits if {
	bare := object.remove(ctr({}), ["limits"])
	risks_with(pod([bare], [])) == {["no-resource-limits", 0]}
	paths_with(pod([bare], []))["no-resource-limits"] == ["manifests", 0, "object", "spec", "template", "spec", "containers", 0]
	risks_with(pod([ctr({"limits": {}})], [])) == {["no-resource-limits", 0]}
	risks_with(pod([ctr({"limits": "none"})], [])) == {["no-resource-limits", 0]}
}

test_limits_or_init_containers_are_no_risk if {
	risks_with(pod([ctr({})], [])) == set()
	init := object.remove(ctr({"field": "initContainers", "path": array.concat(spec_path, ["initContainers", 0])}), ["limits"])
	risks_with(pod([init, ctr({})], [])) == set()
}

test_hits_point_into_the_object_at_the_paths_of_the_facts if {
	# A Pod's spec is at ["spec"]; a CronJob's deeper: the hit's path is the fact's.
	pod_fact := [{"index": 0, "path": ["spec"], "volumes": [], "containers": [object.union(ctr({"image": "x:1"}), {"path": ["spec", "containers", 0]})]}]
	p := {"apiVersion": "v1", "kind": "Pod", "metadata": meta("p"), "spec": {}}
	{h.path | some h in hits_with([p], pod_fact)} == {["manifests", 0, "object", "spec", "containers", 0, "image"]}
}

test_significant_kinds_cover_workloads_storage_networking_rbac_and_webhooks if {
	every k in ["Deployment", "StorageClass", "PersistentVolumeClaim", "Ingress", "Service", "ClusterRoleBinding", "MutatingWebhookConfiguration", "CronJob"] {
		k in data.plancheck.risks.builtin.significant_kinds
	}
	not "ConfigMap" in data.plancheck.risks.builtin.significant_kinds
}

test_the_kind_index_plancheck_computes_is_used_when_given if {
	objects := [sc({"reclaimPolicy": "Delete"}), sc({"reclaimPolicy": "Delete"})]
	inp := {
		"manifests": [{"path": "m.yaml", "line": 1, "object": o} | some o in objects],
		# Rust's index says only the second object is a StorageClass: the rules trust it.
		"facts": {"manifests": {"by_kind": {"StorageClass": [1]}}},
	}
	hs := data.plancheck.risks.builtin.hits with input as inp
	{[h.risk, h.index] | some h in hs} == {["delete-reclaim-policy", 1]}
}

test_the_container_facts_plancheck_computes_are_used_when_given if {
	# The object has no containers at all; the facts say it has a privileged one with a
	# mutable tag and no limits, mounting a writable hostPath: the rules judge the facts.
	d := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("web"), "spec": {}}
	spec := ["spec", "template", "spec"]
	inp := {
		"manifests": [{"path": "m.yaml", "line": 1, "object": d}],
		"facts": {"manifests": {"pod_specs": [{
			"index": 0, "path": spec,
			"volumes": [{"index": 0, "name": "host", "host_path": {"path": "/"}}],
			"containers": [{
				"path": array.concat(spec, ["containers", 0]), "field": "containers",
				"image": "nginx:1", "privileged": true, "volume_mounts": [{"name": "host"}],
			}],
		}]}},
	}
	hs := data.plancheck.risks.builtin.hits with input as inp
	{[h.risk, h.path] | some h in hs} == {
		["privileged-container", ["manifests", 0, "object", "spec", "template", "spec", "containers", 0, "securityContext", "privileged"]],
		["mutable-image-tag", ["manifests", 0, "object", "spec", "template", "spec", "containers", 0, "image"]],
		["no-resource-limits", ["manifests", 0, "object", "spec", "template", "spec", "containers", 0]],
		["writable-hostpath", ["manifests", 0, "object", "spec", "template", "spec", "volumes", 0, "hostPath"]],
	}
}

test_without_the_facts_no_container_risk_is_recomputed_from_the_objects if {
	# Rust computes the pod spec facts; Rego never extracts them again, so the same
	# privileged, unpinned, unlimited container is no hit when the facts are absent.
	d := deployment({"name": "x", "image": "x:1", "securityContext": {"privileged": true}}, {})
	hs := data.plancheck.risks.builtin.hits with input as {"manifests": [{"path": "m.yaml", "line": 1, "object": d}]}
	hs == set()
}
