package plancheck.area_min_contacts

import rego.v1


# METADATA
# title: Every area of expertise has enough active contacts
# description: >-
#   An area with a single key contact is a single point of failure: when that
#   person is asleep, on leave or has left, nobody knows the system during an
#   incident. Only distinct contacts that exist and are active count.
# custom:
#   id: area-min-contacts
#   severity: error
#   help: >-
#     Add active contacts to the area's `contacts` list until it names at least
#     the minimum (2 unless `min-contacts` under `[rules.area-min-contacts]` in
#     .plancheck.toml says otherwise) distinct people, and replace inactive or
#     unknown ids.
deny contains result if {
	some i, a in data.plancheck.lib.areas
	listed := {c | some c in data.plancheck.lib.arr(a, "contacts")}
	active := listed & data.plancheck.lib.active_contact_ids
	count(active) < min_contacts
	result := {
		"msg": sprintf("area %s has %s; at least %d are required%s", [a.id, have(active), min_contacts, ignored(listed)]),
		"path": contacts_path(i, a),
	}
}

min_contacts := n if {
	n := data.config.area_min_contacts
	is_number(n)
	n == round(n)
} else := 2

have(active) := "no active contacts" if count(active) == 0

have(active) := sprintf("%s (%s)", [data.plancheck.lib.plural(count(active), "active contact"), data.plancheck.lib.join(active)]) if count(active) > 0

# ignored(listed): "; not counted: gus (inactive), zed (not a contact)", or "".
ignored(listed) := sprintf("; not counted: %s", [data.plancheck.lib.join(reasons)]) if {
	reasons := {sprintf("%s (%s)", [data.plancheck.lib.str(c), why(c)]) | some c in listed; not c in data.plancheck.lib.active_contact_ids}
	count(reasons) > 0
} else := ""

why(c) := "inactive" if c in data.plancheck.lib.inactive_contact_ids

why(c) := "not a contact" if not c in data.plancheck.lib.contact_ids

contacts_path(i, a) := ["plan", "areas", i, "contacts"] if "contacts" in object.keys(a)

contacts_path(i, a) := ["plan", "areas", i] if not "contacts" in object.keys(a)
