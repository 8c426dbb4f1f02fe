package plancheck.unique_id

import rego.v1


# METADATA
# title: No id is defined twice
# description: >-
#   When a plan is split over several files, two definitions of the same id
#   silently shadow each other: one of them is ignored and references go to
#   whichever wins. Ids are unique per kind, and contacts and teams share one
#   namespace because owners and escalation targets may name either.
# custom:
#   id: unique-id
#   severity: error
#   help: >-
#     Rename or remove the second definition; if two files define the same
#     entry, keep it in one file only.
deny contains result if {
	some list in ["threats", "areas", "escalation_policies"]
	dup := duplicates([[x.id, list, i] | some i, x in data.plancheck.lib.arr(data.plancheck.lib.plan, list)])[_]
	result := {
		"msg": sprintf("%s id %s is defined more than once", [kind[list], dup[0]]),
		"path": ["plan", dup[1], dup[2], "id"],
		"related": first_definition(dup),
	}
}

# Contacts and teams share one namespace; a contact's definition counts as the first.
deny contains result if {
	entries := array.concat(
		[[x.id, "contacts", i] | some i, x in data.plancheck.lib.contacts],
		[[x.id, "teams", i] | some i, x in data.plancheck.lib.teams],
	)
	dup := duplicates(entries)[_]
	result := {
		"msg": shared_msg(dup),
		"path": ["plan", dup[1], dup[2], "id"],
		"related": first_definition(dup),
	}
}

# first_definition(dup): where the id was defined first, as a secondary location.
first_definition(dup) := {
	"path": ["plan", dup[3], dup[4], "id"],
	"msg": sprintf("%s %s is first defined here", [kind[dup[3]], dup[0]]),
}

shared_msg(dup) := sprintf("%s id %s is defined more than once", [kind[dup[1]], dup[0]]) if dup[1] == dup[3]

shared_msg(dup) := sprintf("%s id %s is already used by a %s (contacts and teams share one namespace)", [kind[dup[1]], dup[0], kind[dup[3]]]) if dup[1] != dup[3]

kind := {
	"threats": "threat",
	"areas": "area",
	"escalation_policies": "escalation policy",
	"contacts": "contact",
	"teams": "team",
}

# duplicates(entries): from [id, list, index] entries, every entry after the
# first with its id, as [id, list, index, list of the first, index of the first].
# Sorting keeps it O(n log n): equal ids are adjacent, first-defined first
# ("contacts" < "teams"); prev[k] is the id of the entry before entry k.
duplicates(entries) := [[e[0], e[1], e[2], first[e[0]][0], first[e[0]][1]] | some k, e in sorted; prev[k] == e[0]] if {
	sorted := sort(entries)
	prev := array.concat([null], [e[0] | some e in sorted])
	first := {e[0]: [e[1], e[2]] | some k, e in sorted; prev[k] != e[0]}
}
