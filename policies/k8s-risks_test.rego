package plancheck.risks.builtin_test

import rego.v1

# Each risk of the built-in catalogue: an object that shows it (positive) and a
# close one that does not (negative).

# risks_of(objects): {[risk id, manifest index]} the catalogue finds.
risks_of(objects) := {[h.risk, h.index] | some h in hits(objects)}

# paths_of(objects): {risk id: path} for a single object.
paths_of(objects) := {h.risk: h.path | some h in hits(objects)}

hits(objects) := hs if {
	hs := data.plancheck.risks.builtin.hits with input as {"manifests": [{"path": "m.yaml", "line": 1, "object": o} | some o in objects]}
}

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
	objects := [sc({}), deployment({"name": "x", "image": "x", "securityContext": {"privileged": true}}, {}), {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta("c")}]
	hits := risks_of(objects)
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
	d := deployment(object.union(safe, {"securityContext": {"privileged": true}}), {})
	risks_of([d]) == {["privileged-container", 0]}
	paths_of([d])["privileged-container"] == ["manifests", 0, "object", "spec", "template", "spec", "containers", 0, "securityContext", "privileged"]
}

test_unprivileged_container_is_no_risk if {
	risks_of([deployment(object.union(safe, {"securityContext": {"privileged": false}}), {})]) == set()
	risks_of([deployment(object.union(safe, {"securityContext": "odd"}), {})]) == set()
}

hostpath(mount) := deployment(object.union(safe, {"volumeMounts": [mount]}), {"volumes": [{"name": "host", "hostPath": {"path": "/var"}}]})

test_writable_hostpath if {
	d := hostpath({"name": "host", "mountPath": "/host"})
	risks_of([d]) == {["writable-hostpath", 0]}
	paths_of([d])["writable-hostpath"] == ["manifests", 0, "object", "spec", "template", "spec", "volumes", 0, "hostPath"]
	risks_of([hostpath({"name": "host", "mountPath": "/host", "readOnly": false})]) == {["writable-hostpath", 0]}
}

test_read_only_or_unmounted_hostpath_is_no_risk if {
	risks_of([hostpath({"name": "host", "mountPath": "/host", "readOnly": true})]) == set()
	risks_of([hostpath({"name": "other", "mountPath": "/other"})]) == set()
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
	d := deployment(object.union(safe, {"image": "nginx:1.27"}), {})
	risks_of([d]) == {["mutable-image-tag", 0]}
	paths_of([d])["mutable-image-tag"] == ["manifests", 0, "object", "spec", "template", "spec", "containers", 0, "image"]
	risks_of([deployment(object.union(safe, {"image": "nginx"}), {})]) == {["mutable-image-tag", 0]}
}

test_image_by_digest_is_no_risk if {
	risks_of([deployment(object.union(safe, {"image": "nginx:1.27@sha256:abc"}), {})]) == set()
}

test_no_resource_limits if {
	d := deployment(object.remove(safe, ["resources"]), {})
	risks_of([d]) == {["no-resource-limits", 0]}
	paths_of([d])["no-resource-limits"] == ["manifests", 0, "object", "spec", "template", "spec", "containers", 0]
	bare := object.remove(safe, ["resources"])
	risks_of([deployment(object.union(bare, {"resources": {"limits": {}}}), {})]) == {["no-resource-limits", 0]}
	risks_of([deployment(object.union(bare, {"resources": "none"}), {})]) == {["no-resource-limits", 0]}
}

test_limits_or_init_containers_are_no_risk if {
	risks_of([deployment(safe, {})]) == set()
	init := object.remove(safe, ["resources"])
	risks_of([deployment(safe, {"initContainers": [init]})]) == set()
}

test_pods_and_every_workload_kind_are_read if {
	pod := {"apiVersion": "v1", "kind": "Pod", "metadata": meta("p"), "spec": {"containers": [object.union(safe, {"image": "x:1"})]}}
	risks_of([pod]) == {["mutable-image-tag", 0]}
	every kind in ["StatefulSet", "DaemonSet", "ReplicaSet", "Job"] {
		risks_of([object.union(deployment(object.union(safe, {"image": "x:1"}), {}), {"kind": kind})]) == {["mutable-image-tag", 0]}
	}
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

test_without_facts_the_same_facts_are_extracted_from_the_objects if {
	objects := [
		hostpath({"name": "host", "mountPath": "/host", "readOnly": false}),
		cronjob(object.union(safe, {"securityContext": {"privileged": true}, "image": "x:1"})),
		deployment(object.remove(safe, ["resources"]), {"initContainers": ["odd", safe]}),
	]
	ms := [{"path": "m.yaml", "line": 1, "object": o} | some o in objects]
	specs := data.plancheck.risks.builtin.pod_specs with input as {"manifests": ms}
	count(specs) == 3
	ps := {p.index: p | some p in specs}
	ps[1].containers[0] == {
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0], "field": "containers",
		"image": "x:1", "privileged": true, "limits": {"memory": "64Mi"}, "volume_mounts": [],
	}
	ps[0].volumes == [{"index": 0, "name": "host", "host_path": {"path": "/var"}}]
	ps[0].containers[0].volume_mounts == [{"name": "host", "readOnly": false}]
	[c.path | some c in ps[2].containers] == [["spec", "template", "spec", "initContainers", 1], ["spec", "template", "spec", "containers", 0]]
}
