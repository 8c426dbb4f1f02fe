# Shared helpers for plancheck's built-in policies.
#
# Every helper here is total: it never raises a builtin error on unexpected
# input (regorus runs with strict builtin errors on), and it never iterates
# two large lists inside each other. Lookups by id go through objects built
# once per evaluation (rules are cached by the engine).
package plancheck.lib

import rego.v1

plan := input.plan

# --- small value helpers -------------------------------------------------------

# arr(obj, key): obj[key] when it is an array, else [] (never undefined, even
# when obj itself is absent, null or not an object).
arr(obj, key) := v if {
	v := obj[key]
	is_array(v)
} else := []

# text(x): x is a string with something other than whitespace in it.
text(x) if {
	is_string(x)
	trim_space(x) != ""
}

# has_text(obj, key), has_object(obj, key), has_array(obj, key): obj[key] exists
# and has that shape. Use these, not `not text(obj.key)`, under `not`: OPA treats
# `not f(x.missing)` as undefined (the ref is evaluated outside the negation),
# while regorus treats it as true. Passing the object and the key keeps the
# missing ref inside the function, where both engines agree.
has_text(obj, key) if text(obj[key])

has_object(obj, key) if is_object(obj[key])

has_array(obj, key) if is_array(obj[key])

# str(x): x as a string, for messages.
str(x) := x if is_string(x)

str(x) := sprintf("%v", [x]) if not is_string(x)

# join(xs): "a, b, c" (xs may be an array or a set; sets come out sorted).
join(xs) := concat(", ", [str(x) | some x in xs])

# plural(n, word): "1 contact", "3 contacts".
plural(n, word) := sprintf("%d %s", [n, word]) if n == 1

plural(n, word) := sprintf("%d %ss", [n, word]) if n != 1

# examples(xs, n): at most n elements of xs joined, with "and K more" when cut.
examples(xs, n) := join(xs) if count(xs) <= n

examples(xs, n) := sprintf("%s and %d more", [join(array.slice(xs, 0, n)), count(xs) - n]) if count(xs) > n

# --- the plan's lists and id sets --------------------------------------------

contacts := arr(plan, "contacts")

teams := arr(plan, "teams")

areas := arr(plan, "areas")

policies := arr(plan, "escalation_policies")

threats := arr(plan, "threats")

waivers := arr(plan, "waivers")

metadata := m if {
	m := plan.metadata
	is_object(m)
} else := {}

contact_ids := {c.id | some c in contacts}

team_ids := {t.id | some t in teams}

# Contact and team ids share one namespace: an owner or a level target may be either.
party_ids := contact_ids | team_ids

area_ids := {a.id | some a in areas}

policy_ids := {p.id | some p in policies}

threat_ids := {t.id | some t in threats}

# Everything a waiver may target.
all_ids := (((party_ids | area_ids) | policy_ids) | threat_ids)

# `active` defaults to true; only an explicit false makes a contact inactive.
inactive_contact_ids := {c.id | some c in contacts; c.active == false}

active_contact_ids := contact_ids - inactive_contact_ids

# --- O(n log n) grouping without object conflicts --------------------------------
#
# These sort, then compare each element with the one before it through a shifted
# copy of the keys (`prev[k]` is the key of element k-1, null for the first), so
# no function is called per element: regorus copies large arguments on every call.

# first_index(xs): {id: index of the first element of xs with that id}.
# Built by sorting [id, index] pairs, so duplicate ids never conflict.
first_index(xs) := {e[0]: e[1] | some k, e in sorted; prev[k] != e[0]} if {
	sorted := sort([[x.id, i] | some i, x in xs])
	prev := array.concat([null], [e[0] | some e in sorted])
}

# group(pairs): {key: [values, sorted]} from a collection of [key, value] pairs.
group(pairs) := {sorted[s][0]: [e[1] | some e in array.slice(sorted, s, ends[j])] | some j, s in starts} if {
	sorted := sort(pairs)
	keys := [e[0] | some e in sorted]
	prev := array.concat([null], keys)
	starts := [k | some k, key in keys; prev[k] != key]
	ends := array.concat(array.slice(starts, 1, count(starts)), [count(sorted)])
}

contact_index := first_index(contacts)

team_index := first_index(teams)

area_index := first_index(areas)

policy_index := first_index(policies)

# Lookups by id (the first definition wins when an id is duplicated; unique-id reports that).
contact(id) := contacts[contact_index[id]]

team(id) := teams[team_index[id]]

area(id) := areas[area_index[id]]

policy(id) := policies[policy_index[id]]

# --- on-call and escalation ---------------------------------------------------

# oncall_of(t): a team's `oncall` object, {} when it has none.
oncall_of(t) := o if {
	o := t.oncall
	is_object(o)
} else := {}

# rotation_entries(t): every rotation entry of a team's on-call, short form and layers alike,
# as [path under the team, contact id] in plan order.
rotation_entries(t) := array.concat(
	[[["oncall", "rotation", j], c] | some j, c in arr(oncall_of(t), "rotation")],
	[[["oncall", "layers", k, "rotation", j], c] |
		some k, l in arr(oncall_of(t), "layers")
		some j, c in arr(l, "rotation")
	],
)

# rotation(t): every contact id in a team's on-call rotation (all layers), [] when it has none.
rotation(t) := [e[1] | some e in rotation_entries(t)]

# rotation_path(i, t): where team i's rotation is written: its `layers` or its `rotation`.
rotation_path(i, t) := ["plan", "teams", i, "oncall", "layers"] if has_array(oncall_of(t), "layers")

rotation_path(i, t) := ["plan", "teams", i, "oncall", "rotation"] if {
	not has_array(oncall_of(t), "layers")
	has_array(oncall_of(t), "rotation")
}

rotation_path(i, t) := ["plan", "teams", i, "oncall"] if {
	not has_array(oncall_of(t), "layers")
	not has_array(oncall_of(t), "rotation")
}

# reachable(c): a contact can be paged: it has an email or a phone.
reachable(c) if has_text(c, "email")

reachable(c) if has_text(c, "phone")

# reachable_contacts: the indices in `contacts` of the contacts with an email or a phone, as
# reachable(c) decides, spelled out instead of calling it per contact: regorus (no rule
# indexing) pays about 20k instructions for a user function call, and several rules read
# this. The phone is looked at only for the contacts that have no email. By index, so a
# duplicated id keeps each definition's own answer.
reachable_contacts := with_email | with_phone

with_email := {i | some i, c in contacts; is_string(c.email); trim_space(c.email) != ""}

with_phone := {i |
	some i, c in contacts
	not i in with_email
	is_string(c.phone)
	trim_space(c.phone) != ""
}

# Contacts a page reaches: active, with an email or phone.
reachable_ids := {contacts[i].id | some i in reachable_contacts} & active_contact_ids

# executive_ids: contacts a page reaches who decide as executives (`tier: executive`).
executive_ids := {c.id | some c in contacts; c.tier == "executive"} & reachable_ids

# --- facts computed in Rust (input.facts; see docs/writing-policies.md) ------------

facts := f if {
	f := input.facts
	is_object(f)
} else := {}

escalation_facts := object.get(facts, "escalation", {})

oncall_facts := object.get(facts, "oncall", {})

# horizon_days: how far ahead the on-call rules look (`horizon-days`, default 28).
horizon_days := n if {
	n := data.config.horizon_days
	is_number(n)
} else := 28

# hours(x): a number of hours for messages: "1 hour", "12.5 hours".
hours(x) := "1 hour" if x == 1

hours(x) := sprintf("%v hours", [round(x * 100) / 100]) if x != 1

levels(p) := arr(p, "levels")

targets(level) := arr(level, "targets")

# oncall_team(x): the team id an "oncall:<team>" target names.
oncall_team(x) := trim_prefix(x, "oncall:") if {
	is_string(x)
	startswith(x, "oncall:")
}

# --- threats -------------------------------------------------------------------

source_labels := {
	"human_error": "human error",
	"malicious": "malicious actor",
	"supply_chain": "supply chain",
	"infrastructure": "infrastructure",
	"third_party": "third party",
}

valid_sources := {s | some s, _ in source_labels}

source_label(t) := source_labels[t.source]

source_label(t) := "unspecified source" if not known_source(t)

known_source(t) if source_labels[t.source]

# --- dates ----------------------------------------------------------------------

# valid_date(s): s is a real calendar date written YYYY-MM-DD, so that
# time.parse_ns (which errors on bad input under strict builtin errors) is safe.
valid_date(s) if {
	is_string(s)
	regex.match(`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`, s)
	substring(s, 8, 2) <= last_day(int(substring(s, 0, 4)), substring(s, 5, 2))
}

last_day(_, m) := "31" if m in {"01", "03", "05", "07", "08", "10", "12"}

last_day(_, m) := "30" if m in {"04", "06", "09", "11"}

last_day(y, "02") := "29" if leap_year(y)

last_day(y, "02") := "28" if not leap_year(y)

leap_year(y) if {
	y % 4 == 0
	y % 100 != 0
}

leap_year(y) if y % 400 == 0

# Dates are compared and shifted as day numbers, not with time.parse_ns: nanoseconds since
# the epoch only reach the years 1678-2262, and a waiver that `expires: 2999-12-31` must
# not make the run fail. Valid YYYY-MM-DD strings also compare correctly as strings.

# days(s): days since 1970-01-01 of a valid YYYY-MM-DD date (proleptic Gregorian calendar).
days(s) := n if {
	valid_date(s)
	m := int(substring(s, 5, 2))
	y := int(substring(s, 0, 4)) - jan_feb(m)
	era := floor(y / 400)
	yoe := y - (era * 400)
	doy := (floor(((153 * (m + month_shift(m))) + 2) / 5) + int(substring(s, 8, 2))) - 1
	doe := (((yoe * 365) + floor(yoe / 4)) - floor(yoe / 100)) + doy
	n := ((era * 146097) + doe) - 719468
}

# int(s): a string of decimal digits as a number; to_number rejects leading zeros ("08").
int(s) := 0 if trim_left(s, "0") == ""

int(s) := to_number(t) if {
	t := trim_left(s, "0")
	t != ""
}

jan_feb(m) := 1 if m <= 2

jan_feb(m) := 0 if m > 2

month_shift(m) := -3 if m > 2

month_shift(m) := 9 if m <= 2

# date(n): the YYYY-MM-DD date of day number n (the inverse of days).
date(n) := concat("-", [pad(y, 4), pad(m, 2), pad(d, 2)]) if {
	z := n + 719468
	era := floor(z / 146097)
	doe := z - (era * 146097)
	yoe := floor((((doe - floor(doe / 1460)) + floor(doe / 36524)) - floor(doe / 146096)) / 365)
	doy := doe - (((365 * yoe) + floor(yoe / 4)) - floor(yoe / 100))
	mp := floor(((5 * doy) + 2) / 153)
	d := (doy - floor(((153 * mp) + 2) / 5)) + 1
	m := mp + month_shift_back(mp)
	y := ((yoe + (era * 400)) + jan_feb(m))
}

month_shift_back(mp) := 3 if mp < 10

month_shift_back(mp) := -9 if mp >= 10

pad(n, width) := s if {
	digits := format_int(n, 10)
	s := concat("", [concat("", array.slice(["0", "0", "0", "0"], 0, width - count(digits))), digits])
}

# before(a, b): both are valid dates and a is earlier than b.
before(a, b) if {
	valid_date(a)
	valid_date(b)
	a < b
}
