package plancheck.contact_load

import rego.v1

# METADATA
# title: No single person is the key contact of everything
# description: >-
#   A person listed as a key contact of more than `max-areas-per-contact`
#   areas (3 by default) is the one everybody waits for when several things
#   break at once, and a single point of failure when they are away.
# custom:
#   id: contact-load
#   severity: warning
#   help: >-
#     Share the load: name other people as key contacts of some of these areas
#     and take this person out of them (or raise `max-areas-per-contact` under
#     [rules.contact-load]).
warn contains result if {
	some c, entries in by_contact
	areas := {e[0] | some e in entries}
	count(areas) > max_areas
	firsts := [e | some k, e in entries; first_of_area(entries, k)]
	over := firsts[max_areas]
	names := [data.plancheck.lib.areas[e[0]].id | some e in firsts]
	result := {
		"msg": sprintf("contact %s is a key contact of %d areas (%s); at most %d per person", [c, count(areas), data.plancheck.lib.join(names), max_areas]),
		"path": ["plan", "areas", over[0], "contacts", over[1]],
		"help": sprintf("name someone else as a key contact of area %s (or of another of these areas) and take %s out of it; `max-areas-per-contact` under [rules.contact-load] sets the limit", [data.plancheck.lib.areas[over[0]].id, c]),
	}
}

max_areas := n if {
	n := data.config.max_areas_per_contact
	is_number(n)
} else := 3

# by_contact: {contact id: [[area index, entry index], ...] sorted}, contacts only.
by_contact := data.plancheck.lib.group({[x, [i, j]] |
	some i, a in data.plancheck.lib.areas
	some j, x in data.plancheck.lib.arr(a, "contacts")
	x in data.plancheck.lib.contact_ids
})

first_of_area(_, 0) := true

first_of_area(entries, k) if {
	k > 0
	entries[k - 1][0] != entries[k][0]
}
