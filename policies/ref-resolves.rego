package plancheck.ref_resolves

import rego.v1


# METADATA
# title: Every reference names something that exists
# description: >-
#   A typo in an area, a contact who was renamed, a team that was merged away:
#   dangling references are the commonest way a plan rots, and they surface at
#   the worst moment, when a page goes nowhere. Every reference must resolve.
# custom:
#   id: ref-resolves
#   severity: error
#   help: >-
#     Fix the id so it names an existing entry (contacts, teams, areas,
#     escalation_policies or threats), or add the missing entry. Level targets
#     may be a contact id, a team id or `oncall:<team id>`. A threat's
#     `techniques` must be Threat Matrix for Kubernetes ids the bundled catalogue
#     knows (`plancheck explain threat-coverage` lists them) or ATT&CK ids.
deny contains result if {
	ids := data.plancheck.lib.area_ids
	some i, t in data.plancheck.lib.threats
	not t.area in ids
	data.plancheck.lib.text(t.area)
	result := {
		"msg": sprintf("threat %s: area %s does not exist", [t.id, t.area]),
		"path": ["plan", "threats", i, "area"],
	}
}

deny contains result if {
	ids := data.plancheck.lib.policy_ids
	some i, t in data.plancheck.lib.threats
	t.escalation_policy
	not t.escalation_policy in ids
	data.plancheck.lib.text(t.escalation_policy)
	result := {
		"msg": sprintf("threat %s: escalation policy %s does not exist", [t.id, t.escalation_policy]),
		"path": ["plan", "threats", i, "escalation_policy"],
	}
}

deny contains result if {
	some i, t in data.plancheck.lib.teams
	data.plancheck.lib.text(t.escalation_policy)
	not t.escalation_policy in data.plancheck.lib.policy_ids
	result := {
		"msg": sprintf("team %s: escalation policy %s does not exist", [t.id, t.escalation_policy]),
		"path": ["plan", "teams", i, "escalation_policy"],
	}
}

deny contains result if {
	some i, t in data.plancheck.lib.teams
	some j, c in data.plancheck.lib.arr(t, "members")
	not c in data.plancheck.lib.contact_ids
	result := {
		"msg": sprintf("team %s: member %s is not a contact", [t.id, data.plancheck.lib.str(c)]),
		"path": ["plan", "teams", i, "members", j],
	}
}

deny contains result if {
	some i, t in data.plancheck.lib.teams
	some e in data.plancheck.lib.rotation_entries(t)
	[at, c] := e
	not c in data.plancheck.lib.contact_ids
	result := {
		"msg": sprintf("team %s: on-call rotation entry %s is not a contact", [t.id, data.plancheck.lib.str(c)]),
		"path": array.concat(["plan", "teams", i], at),
	}
}

deny contains result if {
	some i, t in data.plancheck.lib.teams
	some j, o in data.plancheck.lib.arr(data.plancheck.lib.oncall_of(t), "overrides")
	not o.contact in data.plancheck.lib.contact_ids
	result := {
		"msg": sprintf("team %s: on-call override %d names %s, which is not a contact", [t.id, j + 1, data.plancheck.lib.str(o.contact)]),
		"path": ["plan", "teams", i, "oncall", "overrides", j, "contact"],
	}
}

deny contains result if {
	some i, a in data.plancheck.lib.areas
	some j, c in data.plancheck.lib.arr(a, "contacts")
	not c in data.plancheck.lib.contact_ids
	result := {
		"msg": sprintf("area %s: contact %s does not exist", [a.id, data.plancheck.lib.str(c)]),
		"path": ["plan", "areas", i, "contacts", j],
	}
}

deny contains result if {
	some i, a in data.plancheck.lib.areas
	"team" in object.keys(a)
	not a.team in data.plancheck.lib.team_ids
	result := {
		"msg": sprintf("area %s: team %s does not exist", [a.id, data.plancheck.lib.str(a.team)]),
		"path": ["plan", "areas", i, "team"],
	}
}

deny contains result if {
	some i, p in data.plancheck.lib.policies
	some k, level in data.plancheck.lib.levels(p)
	some m, x in data.plancheck.lib.targets(level)
	not target_resolves(x)
	result := {
		"msg": sprintf("escalation policy %s level %d: target %s %s", [p.id, k + 1, data.plancheck.lib.str(x), target_problem(x)]),
		"path": ["plan", "escalation_policies", i, "levels", k, "targets", m],
	}
}

deny contains result if {
	"owner" in object.keys(data.plancheck.lib.metadata)
	owner := data.plancheck.lib.metadata.owner
	not owner in data.plancheck.lib.party_ids
	result := {
		"msg": sprintf("plan owner %s is neither a team nor a contact", [data.plancheck.lib.str(owner)]),
		"path": ["plan", "metadata", "owner"],
	}
}

deny contains result if {
	some i, w in data.plancheck.lib.waivers
	"target" in object.keys(w)
	not w.target in data.plancheck.lib.all_ids
	result := {
		"msg": sprintf("waiver for %s: target %s is not a defined id", [data.plancheck.lib.str(object.get(w, "rule", "?")), data.plancheck.lib.str(w.target)]),
		"path": ["plan", "waivers", i, "target"],
	}
}

target_resolves(x) if data.plancheck.lib.oncall_team(x) in data.plancheck.lib.team_ids

target_resolves(x) if {
	not data.plancheck.lib.oncall_team(x)
	x in data.plancheck.lib.party_ids
}

target_problem(x) := sprintf("names no team (%s is not a team id)", [data.plancheck.lib.oncall_team(x)]) if data.plancheck.lib.oncall_team(x)

target_problem(x) := "is neither a contact, a team nor oncall:<team>" if not data.plancheck.lib.oncall_team(x)

# A Threat Matrix for Kubernetes id that the bundled catalogue does not know
# (ATT&CK ids are accepted by their shape, which the schema checks).
deny contains result if {
	some i, t in data.plancheck.lib.threats
	t.techniques
	some j, x in data.plancheck.lib.arr(t, "techniques")
	is_string(x)
	startswith(x, "MS-TA")
	not data.tmfk.techniques[x]
	result := {
		"msg": sprintf("threat %s: technique %s is not in the Threat Matrix for Kubernetes (%s)", [t.id, x, known_near(x)]),
		"path": ["plan", "threats", i, "techniques", j],
	}
}

# "its techniques run from MS-TA9001 to MS-TA9041".
known_near(x) := sprintf("its techniques run from %s to %s", [min(ids), max(ids)]) if {
	ids := object.keys(data.tmfk.techniques)
	count(ids) > 0
} else := "no catalogue is loaded"
