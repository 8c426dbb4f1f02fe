package plancheck.threat_coverage

import rego.v1

# METADATA
# title: Every risk the Kubernetes manifests show is covered by a threat
# description: >-
#   The manifests say what the cluster runs: a StorageClass that deletes data
#   with its claim, a binding to cluster-admin, privileged containers, CronJobs,
#   admission webhooks, exposed Ingresses. Each such risk (from the risk
#   catalogue, packages under plancheck.risks) names Threat Matrix for
#   Kubernetes techniques; some threat of the plan must name one of them in its
#   `techniques` (a threat naming an ATT&CK id that the technique maps to
#   counts too), so that an owner, an area and a runbook stand ready when it
#   happens. The finding sits on the manifest line that shows the risk.
# custom:
#   id: threat-coverage
#   severity: warning
#   help: >-
#     Add a threat whose `techniques` lists one of the risk's techniques (e.g.
#     `techniques: [MS-TA9038]`) with an owner, an area and a runbook;
#     `plancheck threats suggest` prints ready-to-paste threats for every
#     uncovered risk.
warn contains result if {
	some u in uncovered
	m := input.manifests[u.index]
	result := {
		"msg": sprintf("%s: %s; no threat names %s", [described(m.object), u.title, techniques_named(u.techniques)]),
		"path": u.path,
	}
}

# The techniques the plan's threats name.
named := {t | some th in data.plancheck.lib.threats; some t in data.plancheck.lib.arr(th, "techniques"); is_string(t)}

# A technique is covered when a threat names it, or names an ATT&CK id it maps to.
covered(t) if t in named

covered(t) if {
	some a in data.tmfk.techniques[t].attack
	a in named
}

# The risks of each catalogue that no threat covers: [package, risk id].
open_risks contains [pkg, id] if {
	some pkg
	some id, risk in data.plancheck.risks[pkg].risks
	count({t | some t in risk.techniques; covered(t)}) == 0
}

# Every hit of every catalogue whose risk no threat covers, with what `threats
# suggest` needs to propose a threat for it. The open risks come first: when the plan
# covers every risk, no hit is looked at.
uncovered contains u if {
	some [pkg, id] in open_risks
	risk := data.plancheck.risks[pkg].risks[id]
	some h in data.plancheck.risks[pkg].hits
	h.risk == id
	u := {
		"risk": h.risk,
		"index": h.index,
		"path": h.path,
		"techniques": risk.techniques,
		"title": risk.title,
		"source": risk.source,
		"severity": risk.severity,
		"matches": risk.matches,
	}
}

described(o) := sprintf("%s %s/%s", [o.kind, o.metadata.namespace, o.metadata.name]) if is_string(o.metadata.namespace)

# Through a function: OPA evaluates a missing ref under `not f(x.missing)` outside the
# negation (undefined), regorus inside it (true).
described(o) := sprintf("%s %s", [o.kind, o.metadata.name]) if not namespaced(o)

namespaced(o) if is_string(o.metadata.namespace)

# "MS-TA9038 (Data destruction)" or "MS-TA9005 (Exposed sensitive interfaces) or MS-TA9040 (Denial of service)".
techniques_named(ts) := concat(" or ", [technique_name(t) | some t in ts])

technique_name(t) := sprintf("%s (%s)", [t, data.tmfk.techniques[t].name]) if data.tmfk.techniques[t].name

technique_name(t) := t if not data.tmfk.techniques[t]
