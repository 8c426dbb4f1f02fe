package plancheck.contact_reachable

import rego.v1


# METADATA
# title: Everyone who can be paged is reachable
# description: >-
#   An on-call responder or an escalation target without an email address or a
#   phone number cannot be paged: the escalation silently skips them while the
#   incident waits. Everyone in a rotation or an escalation level needs one.
# custom:
#   id: contact-reachable
#   severity: error
#   help: >-
#     Add an `email` or (better, for night pages) an E.164 `phone` such as
#     "+14155550100" to the contact, or take them out of the rotation or level.
deny contains result if {
	some i, c in data.plancheck.lib.contacts
	c.id in unreachable
	places := referenced[c.id]
	result := {
		"msg": sprintf("contact %s has neither email nor phone but is %s", [c.id, concat(" and ", places)]),
		"path": ["plan", "contacts", i],
	}
}

# Not `not reachable(c)` per contact: lib's reachable_contacts has the answer by index.
unreachable := {c.id |
	reached := data.plancheck.lib.reachable_contacts
	some i, c in data.plancheck.lib.contacts
	not i in reached
}

# [contact id, where it can be paged], only for unreachable contacts (keeps it linear).
on_call := {[c, sprintf("on call for team %s", [t.id])] |
	some t in data.plancheck.lib.teams
	some c in data.plancheck.lib.rotation(t)
	c in unreachable
}

direct := {[x, sprintf("a target of escalation policy %s level %d", [p.id, k + 1])] |
	some p in data.plancheck.lib.policies
	some k, level in data.plancheck.lib.levels(p)
	some x in data.plancheck.lib.targets(level)
	x in data.plancheck.lib.contact_ids
	x in unreachable
}

# Being targeted as a team (its id or "oncall:<team>") pages that team's
# rotation, whose members are already in on_call.
referenced := data.plancheck.lib.group(on_call | direct)
