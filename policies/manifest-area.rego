package plancheck.manifest_area

import rego.v1

# METADATA
# title: Every operationally significant Kubernetes object belongs to an area of expertise
# description: >-
#   When a workload, a volume, an Ingress, an RBAC binding or an admission
#   webhook breaks, someone must know it. An object belongs to an area when its
#   file matches the area's `paths`, or its kind is in the area's `kinds` (and
#   its namespace matches the area's `namespaces`, when given). Which kinds are
#   significant is policy data (`significant_kinds` in the risk catalogue
#   packages under plancheck.risks).
# custom:
#   id: manifest-area
#   severity: warning
#   help: >-
#     Add the object's file to an area's `paths`, or its kind to an area's
#     `kinds` (with `namespaces` to narrow it), so its experts are known.
warn contains result if {
	some kind in significant
	some i in of_kind(kind)
	count(input.facts.manifests.areas[i]) == 0
	m := input.manifests[i]
	result := {
		"msg": sprintf("%s belongs to no area of expertise", [described(m.object)]),
		"path": ["manifests", i, "object", "kind"],
	}
}

# of_kind(k): the indexes of the objects of kind k, from plancheck's index
# (input.facts.manifests.by_kind), else by a scan: only the significant kinds are visited.
of_kind(k) := ids if {
	ids := input.facts.manifests.by_kind[k]
} else := [i | some i, m in input.manifests; m.object.kind == k]

significant := {k | some pkg; some k in data.plancheck.risks[pkg].significant_kinds}

described(o) := sprintf("%s %s/%s", [o.kind, o.metadata.namespace, o.metadata.name]) if is_string(o.metadata.namespace)

# Through a function: OPA evaluates a missing ref under `not f(x.missing)` outside the
# negation (undefined), regorus inside it (true).
described(o) := sprintf("%s %s", [o.kind, o.metadata.name]) if not namespaced(o)

namespaced(o) if is_string(o.metadata.namespace)
