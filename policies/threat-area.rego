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
#     `area: k8s-storage`.
deny contains result if {
	some i, t in data.plancheck.lib.threats
	not "area" in object.keys(t)
	result := {
		"msg": sprintf("threat %s names no area of expertise", [t.id]),
		"path": ["plan", "threats", i],
	}
}

deny contains result if {
	some i, t in data.plancheck.lib.threats
	"area" in object.keys(t)
	not data.plancheck.lib.has_text(t, "area")
	result := {
		"msg": sprintf("threat %s names no area of expertise", [t.id]),
		"path": ["plan", "threats", i, "area"],
	}
}
