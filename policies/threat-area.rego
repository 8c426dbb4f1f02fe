package plancheck.threat_area

import rego.v1


# METADATA
# title: Every threat names an area of expertise
# description: >-
#   The area ties a threat to the people who know that part of the platform
#   and, through the area's team, to an escalation policy. A threat without an
#   area has no experts to call and may inherit no escalation at all.
# custom:
#   id: threat-area
#   severity: error
#   help: >-
#     Set the threat's `area` to the id of an entry in `areas`, e.g.
#     `area: <area id>`.
deny contains result if {
	some i in unchecked
	t := data.plancheck.lib.threats[i]
	not "area" in object.keys(t)
	result := {
		"msg": sprintf("threat %s names no area of expertise", [t.id]),
		"path": ["plan", "threats", i],
		"help": help,
	}
}

deny contains result if {
	some i in unchecked
	t := data.plancheck.lib.threats[i]
	"area" in object.keys(t)
	not data.plancheck.lib.has_text(t, "area")
	result := {
		"msg": sprintf("threat %s names no area of expertise", [t.id]),
		"path": ["plan", "threats", i, "area"],
		"help": help,
	}
}

# unchecked: the indices of the threats whose area is not an area id with text in it, the
# only ones both rules look at. Per threat this costs two set operations instead of
# object.keys() and has_text() calls (the interpreter has no rule indexing, and each call
# costs several set lookups). Built as a difference, not with `not t.area in ...`: OPA makes
# that undefined when `area` is missing.
unchecked := {i | some i, _ in data.plancheck.lib.threats} - named_area

named_area := {i |
	ids := {a | some a in data.plancheck.lib.area_ids; data.plancheck.lib.text(a)}
	some i, t in data.plancheck.lib.threats
	t.area in ids
}

# help names an area the plan has (computed once, not per threat).
help := sprintf("set the threat's `area` to the id of an entry in `areas`, e.g. `area: %s` (areas: %s)", [ids[0], data.plancheck.lib.examples(ids, 5)]) if {
	ids := sort([a | some a in data.plancheck.lib.area_ids; is_string(a)])
	count(ids) > 0
} else := "set the threat's `area` to the id of an entry in `areas`; the plan has no areas yet: add the areas of expertise first"
