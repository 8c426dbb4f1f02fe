# The built-in risk catalogue: what the Kubernetes manifests of a repository can
# show that an incident-response plan should have a threat for.
#
# This is policy data, read by `threat-coverage`, `manifest-area` and
# `plancheck threats suggest`. Every package under `plancheck.risks` is a
# catalogue; they are all used together:
#
#   risks[id]           what the risk is: `matches` (what it looks for, in words),
#                       `techniques` (Threat Matrix for Kubernetes or ATT&CK ids), and
#                       the suggested threat: `title`, `source`, `severity`.
#   hits                which objects show it: {"risk", "index" (into
#                       input.manifests), "path" (the node to point at)}.
#   significant_kinds   kinds that must belong to an area of expertise.
#
# Extend it with your own package (e.g. `package plancheck.risks.ours` in your
# policy directory); replace it by declaring `package plancheck.risks.builtin`.
package plancheck.risks.builtin

import rego.v1

risks["delete-reclaim-policy"] := {
	"matches": "a PersistentVolume or StorageClass whose reclaim policy is Delete (a StorageClass's default): deleting the claim deletes the data",
	"techniques": ["MS-TA9038"],
	"title": "Persistent data destroyed by deleting a claim (reclaimPolicy Delete)",
	"source": "human_error",
	"severity": "SEV1",
}

risks["cluster-admin-binding"] := {
	"matches": "a ClusterRoleBinding or RoleBinding to the cluster-admin ClusterRole",
	"techniques": ["MS-TA9019"],
	"title": "Cluster-admin binding abused or created by a compromised identity",
	"source": "malicious",
	"severity": "SEV1",
}

risks["privileged-container"] := {
	"matches": "a container with securityContext.privileged: true",
	"techniques": ["MS-TA9018"],
	"title": "Privileged container used to take over its node",
	"source": "malicious",
	"severity": "SEV1",
}

risks["writable-hostpath"] := {
	"matches": "a hostPath volume mounted without readOnly: true",
	"techniques": ["MS-TA9013"],
	"title": "Writable hostPath mount used to escape to the node",
	"source": "malicious",
	"severity": "SEV2",
}

risks["cronjob"] := {
	"matches": "a CronJob (scheduled code that runs again whoever changed it)",
	"techniques": ["MS-TA9014"],
	"title": "CronJob used for persistence or failing silently",
	"source": "malicious",
	"severity": "SEV3",
}

risks["admission-webhook"] := {
	"matches": "a MutatingWebhookConfiguration or ValidatingWebhookConfiguration",
	"techniques": ["MS-TA9015"],
	"title": "Admission webhook compromised, or down and blocking every deployment",
	"source": "malicious",
	"severity": "SEV2",
}

risks["exposed-service"] := {
	"matches": "an Ingress or a Service of type LoadBalancer (reachable from outside the cluster)",
	"techniques": ["MS-TA9005", "MS-TA9040"],
	"title": "Exposed interface attacked or flooded from the internet",
	"source": "malicious",
	"severity": "SEV2",
}

risks["secret-in-git"] := {
	"matches": "a Secret with data or stringData committed to the repository",
	"techniques": ["MS-TA9027"],
	"title": "Credentials committed to git in a Secret manifest leak",
	"source": "human_error",
	"severity": "SEV1",
}

risks["mutable-image-tag"] := {
	"matches": "a container image not pinned by digest (@sha256:...), so a tag can be moved to other content",
	"techniques": ["MS-TA9002"],
	"title": "Compromised image pulled through a mutable tag",
	"source": "supply_chain",
	"severity": "SEV2",
}

risks["no-resource-limits"] := {
	"matches": "a container without resources.limits",
	"techniques": ["MS-TA9039", "MS-TA9040"],
	"title": "Unbounded workload exhausts its node (resource hijacking, denial of service)",
	"source": "infrastructure",
	"severity": "SEV3",
}

significant_kinds := {
	"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
	"Job", "CronJob",
	"PersistentVolume", "PersistentVolumeClaim", "StorageClass", "VolumeSnapshotClass",
	"Service", "Ingress", "IngressClass", "Gateway", "HTTPRoute", "NetworkPolicy",
	"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ServiceAccount",
	"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
	"ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
	"Secret", "Namespace", "CustomResourceDefinition", "PodDisruptionBudget",
	"HorizontalPodAutoscaler", "PriorityClass", "ResourceQuota", "LimitRange",
}

# --- helpers ---------------------------------------------------------------------

# of_kind(k): the indexes into input.manifests of the objects of kind k, from the index
# plancheck computes (input.facts.manifests.by_kind), else by a scan.
of_kind(k) := ids if {
	ids := input.facts.manifests.by_kind[k]
} else := [i | some i, m in input.manifests; m.object.kind == k]

# of_kinds(ks): the same for several kinds.
of_kinds(ks) := [i | some k in ks; some i in of_kind(k)]

at(i, rest) := array.concat(["manifests", i, "object"], rest)

# Pod specs and their containers: the facts plancheck computes
# (input.facts.manifests.pod_specs, see docs/kubernetes.md). Rego judges them and never
# extracts them again from the objects: an input without these facts shows no container risk.
pod_specs := object.get(input, ["facts", "manifests", "pod_specs"], [])

# --- what each risk matches -----------------------------------------------------

hits contains {"risk": "delete-reclaim-policy", "index": i, "path": at(i, ["reclaimPolicy"])} if {
	some i in of_kind("StorageClass")
	m := input.manifests[i]
	m.object.reclaimPolicy == "Delete"
}

hits contains {"risk": "delete-reclaim-policy", "index": i, "path": at(i, ["kind"])} if {
	some i in of_kind("StorageClass")
	m := input.manifests[i]
	not "reclaimPolicy" in object.keys(m.object)
}

hits contains {"risk": "delete-reclaim-policy", "index": i, "path": at(i, ["spec", "persistentVolumeReclaimPolicy"])} if {
	some i in of_kind("PersistentVolume")
	m := input.manifests[i]
	m.object.spec.persistentVolumeReclaimPolicy == "Delete"
}

hits contains {"risk": "cluster-admin-binding", "index": i, "path": at(i, ["roleRef", "name"])} if {
	some i in of_kinds(["ClusterRoleBinding", "RoleBinding"])
	m := input.manifests[i]
	m.object.roleRef.kind == "ClusterRole"
	m.object.roleRef.name == "cluster-admin"
}

hits contains {"risk": "privileged-container", "index": p.index, "path": at(p.index, array.concat(c.path, ["securityContext", "privileged"]))} if {
	some p in pod_specs
	some c in p.containers
	c.privileged == true
}

hits contains {"risk": "writable-hostpath", "index": p.index, "path": at(p.index, array.concat(p.path, ["volumes", v.index, "hostPath"]))} if {
	some p in pod_specs
	some v in p.volumes
	is_object(v.host_path)
	some c in p.containers
	some mount in c.volume_mounts
	mount.name == v.name
	not read_only(mount)
}

read_only(mount) if mount.readOnly == true

hits contains {"risk": "cronjob", "index": i, "path": at(i, ["kind"])} if {
	some i in of_kind("CronJob")
	m := input.manifests[i]
}

hits contains {"risk": "admission-webhook", "index": i, "path": at(i, ["kind"])} if {
	some i in of_kinds(["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"])
	m := input.manifests[i]
}

hits contains {"risk": "exposed-service", "index": i, "path": at(i, ["kind"])} if {
	some i in of_kind("Ingress")
	m := input.manifests[i]
}

hits contains {"risk": "exposed-service", "index": i, "path": at(i, ["spec", "type"])} if {
	some i in of_kind("Service")
	m := input.manifests[i]
	m.object.spec.type == "LoadBalancer"
}

# Never the values' lines (they are removed before policies run anyway).
hits contains {"risk": "secret-in-git", "index": i, "path": at(i, ["kind"])} if {
	some i in of_kind("Secret")
	m := input.manifests[i]
	some field in ["data", "stringData"]
	is_object(m.object[field])
	count(m.object[field]) > 0
}

hits contains {"risk": "mutable-image-tag", "index": p.index, "path": at(p.index, array.concat(c.path, ["image"]))} if {
	some p in pod_specs
	some c in p.containers
	is_string(c.image)
	not contains(c.image, "@sha256:")
}

hits contains {"risk": "no-resource-limits", "index": p.index, "path": at(p.index, c.path)} if {
	some p in pod_specs
	some c in p.containers
	c.field == "containers"
	not has_limits(c)
}

has_limits(c) if {
	is_object(c.limits)
	count(c.limits) > 0
}
