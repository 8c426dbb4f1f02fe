package plancheck.threat_owner

import rego.v1


# METADATA
# title: Every threat has an owner
# description: >-
#   A threat nobody owns is a threat nobody rehearses, keeps a runbook for, or
#   answers for during an incident. The owner must resolve to a contact or a
#   team in the plan, so the person or group accountable can actually be found.
# custom:
#   id: threat-owner
#   severity: error
#   help: >-
#     Set the threat's `owner` to the id of a contact (`contacts[].id`) or of a
#     team (`teams[].id`), e.g. `owner: <team id>`.
deny contains result if {
	some i, t in data.plancheck.lib.threats
	not is_string(object.get(t, "owner", null))
	result := no_owner(t, i)
}

deny contains result if {
	some i, t in data.plancheck.lib.threats
	owner := object.get(t, "owner", null)
	is_string(owner)
	trim_space(owner) == ""
	result := no_owner(t, i)
}

deny contains result if {
	some i, t in data.plancheck.lib.threats
	owner := object.get(t, "owner", null)
	is_string(owner)
	trim_space(owner) != ""
	not owner in data.plancheck.lib.party_ids
	result := {
		"msg": sprintf("threat %s is owned by %s, which is neither a contact nor a team", [t.id, owner]),
		"path": ["plan", "threats", i, "owner"],
		"help": help,
	}
}

# The checks above are written with builtins, not lib.has_text: a rule body runs once per
# threat, and a user function call costs regorus several microseconds.
no_owner(t, i) := {
	"msg": sprintf("threat %s has no owner", [t.id]),
	"path": ["plan", "threats", i],
	"help": help,
}

# help names an owner the plan has: the team accountable for the plan, else its first
# team, else its first contact (computed once, not per threat).
help := sprintf("set the threat's `owner` to the id of a contact or a team, e.g. `owner: %s`", [example]) if {
	example := example_owner
} else := "set the threat's `owner` to the id of a contact or a team; the plan has neither yet: add its `teams` and `contacts` first"

example_owner := o if {
	o := data.plancheck.lib.metadata.owner
	o in data.plancheck.lib.party_ids
	is_string(o)
} else := sort([x | some x in data.plancheck.lib.team_ids; is_string(x)])[0] if {
	true
} else := sort([x | some x in data.plancheck.lib.contact_ids; is_string(x)])[0]
