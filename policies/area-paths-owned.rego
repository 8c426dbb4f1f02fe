package plancheck.area_paths_owned

import rego.v1


# METADATA
# title: An area's files are code-owned by its experts
# description: >-
#   The people who review changes to a part of the platform should be the
#   people who get paged when it breaks. If CODEOWNERS routes an area's files
#   to someone else, risky changes land without its experts ever seeing them.
# custom:
#   id: area-paths-owned
#   severity: warning
#   help: >-
#     Add a CODEOWNERS line for the area's paths naming its team's
#     `github_team` or the `@github` handle of one of its contacts, or fix the
#     area's `paths`. `plancheck owners <file>` shows which line owns a file.
warn contains result if {
	some i, a in data.plancheck.lib.areas
	groups := unowned[a.id]
	total := sum([g.files | some g in groups])
	shown := array.slice(sort({p | some g in groups; some p in data.plancheck.lib.arr(g, "examples")}), 0, 3)
	result := {
		"msg": sprintf("area %s: %s under its paths %s not code-owned by %s: %s", [a.id, data.plancheck.lib.plural(total, "file"), verb(total), expected(a.id), listing(shown, total)]),
		"path": ["plan", "areas", i, "paths"],
	}
}

# accepted[area id]: the CODEOWNERS owners that count for the area, case-folded.
accepted := {id: owners |
	some id, i in data.plancheck.lib.area_index
	a := data.plancheck.lib.areas[i]
	owners := team_owner(a) | contact_owners(a)
}

team_owner(a) := {fold(g)} if {
	g := data.plancheck.lib.team(a.team).github_team
	data.plancheck.lib.text(g)
} else := set()

# lib's contact(c) and text(g), and fold(), written out: regorus (no rule indexing) pays
# about 20k instructions for each user function call, and this runs for every area contact.
contact_owners(a) := {strings.replace_n(table, concat("", ["@", trim_prefix(g, "@")])) |
	index := data.plancheck.lib.contact_index
	contacts := data.plancheck.lib.contacts
	table := ascii_lower
	some c in data.plancheck.lib.arr(a, "contacts")
	g := contacts[index[c]].github
	is_string(g)
	trim_space(g) != ""
}

# fold(s): s with A-Z lowered and every other character kept, for the plan's handles:
# GitHub compares user, organization and team names ASCII-case-insensitively, and
# lower() also folds other letters, differently in each engine: OPA letter by letter
# ("İ" to "i", every "Σ" to "σ"), regorus by Unicode's rules ("İ" to "i̇", a final "Σ"
# to "ς"). CODEOWNERS owners are all ASCII (plancheck reports any other as an invalid
# line), so plain lower() folds them the same way, and faster.
fold(s) := strings.replace_n(ascii_lower, s)

ascii_lower := {upper(c): c | some c in split("abcdefghijklmnopqrstuvwxyz", "")}

# unowned[area id]: the groups of input.facts.area_ownership[id] (the tracked files under the
# area's paths, one group per deciding CODEOWNERS line) whose owners include none of accepted[id].
unowned[id] := groups if {
	some id, entries in object.get(object.get(input, "facts", {}), "area_ownership", {})
	groups := [g |
		some g in entries
		is_number(g.files)
		g.files > 0
		owners := {lower(o) | some o in data.plancheck.lib.arr(g, "owners"); is_string(o)}
		count(owners & object.get(accepted, id, set())) == 0
	]
	count(groups) > 0
}

# listing(shown, total): the example files, with "and K more" for the rest of total.
listing(shown, total) := data.plancheck.lib.join(shown) if total <= count(shown)

listing(shown, total) := sprintf("%s and %d more", [data.plancheck.lib.join(shown), total - count(shown)]) if total > count(shown)

verb(n) := "is" if n == 1

verb(n) := "are" if n != 1

expected(id) := "anyone (the area has no team github_team and no contact with a github handle)" if count(accepted[id]) == 0

expected(id) := sprintf("its team or contacts (%s)", [data.plancheck.lib.join(accepted[id])]) if count(accepted[id]) > 0
