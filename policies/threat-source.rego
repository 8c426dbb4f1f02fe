package plancheck.threat_source

import rego.v1


# METADATA
# title: Every threat says where it comes from
# description: >-
#   Human error and malicious actors call for different first moves: roll back
#   and restore for the one, contain and preserve evidence for the other. The
#   source also drives who must be told, so every threat must state it.
# custom:
#   id: threat-source
#   severity: error
#   help: >-
#     Set `source` to one of human_error, malicious, supply_chain,
#     infrastructure, third_party.
deny contains result if {
	some i in unchecked
	t := data.plancheck.lib.threats[i]
	not "source" in object.keys(t)
	result := {
		"msg": sprintf("threat %s has no source (one of %s)", [t.id, data.plancheck.lib.join(data.plancheck.lib.valid_sources)]),
		"path": ["plan", "threats", i],
	}
}

deny contains result if {
	some i in unchecked
	t := data.plancheck.lib.threats[i]
	"source" in object.keys(t)
	not t.source in data.plancheck.lib.valid_sources
	result := {
		"msg": sprintf("threat %s has source %s; expected one of %s", [t.id, data.plancheck.lib.str(t.source), data.plancheck.lib.join(data.plancheck.lib.valid_sources)]),
		"path": ["plan", "threats", i, "source"],
	}
}

# unchecked: the indices of the threats whose source is not known valid, the only ones both
# rules look at. Per threat this costs two set operations instead of object.keys() calls (the
# interpreter has no rule indexing; a builtin call costs several set lookups). Built as a
# difference, not with `not t.source in ...`: OPA makes that undefined when `source` is missing.
unchecked := {i | some i, _ in data.plancheck.lib.threats} - known_source

known_source := {i |
	valid := data.plancheck.lib.valid_sources
	some i, t in data.plancheck.lib.threats
	t.source in valid
}
