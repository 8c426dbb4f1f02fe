package plancheck.codeowners_shadowed

import rego.v1


# METADATA
# title: Every CODEOWNERS line decides the owners of some file
# description: >-
#   In CODEOWNERS the last matching line wins. A line whose every file is
#   matched again by later lines never decides who reviews anything: its
#   owners are dead weight, and whoever reads the file is misled about who
#   reviews what.
# custom:
#   id: codeowners-shadowed
#   severity: warning
#   help: >-
#     Move the line below the lines that override it, merge its owners into
#     them, or delete it. `plancheck owners <path>` shows which line owns a file.
warn contains result if {
	some i, r in data.plancheck.lib.arr(input.facts.codeowners, "rules")
	r.matches != null
	r.decides == null
	result := {
		"msg": sprintf("CODEOWNERS pattern `%s` never decides an owner: every tracked file it matches (e.g. %s) is matched again by a later line (%s)", [r.pattern, r.matches, lines(r)]),
		"path": ["codeowners", "rules", i],
	}
}

lines(r) := concat(", ", [sprintf("line %d", [n]) | some n in data.plancheck.lib.arr(r, "overridden_by")])
