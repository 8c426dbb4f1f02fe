package plancheck.codeowners_unused

import rego.v1


# METADATA
# title: Every CODEOWNERS pattern matches a tracked file
# description: >-
#   A CODEOWNERS line whose pattern matches no file git tracks protects
#   nothing: usually a directory was renamed or the pattern is misspelled,
#   and the files it was meant for fall through to another owner.
# custom:
#   id: codeowners-unused
#   severity: warning
#   help: >-
#     Fix the pattern so it names the files it should, or delete the line.
#     `plancheck owners <path>` shows which line owns a file.
warn contains result if {
	some i, r in data.plancheck.lib.arr(input.facts.codeowners, "rules")
	r.matches == null
	result := {
		"msg": sprintf("CODEOWNERS pattern `%s` matches no tracked file", [r.pattern]),
		"path": ["codeowners", "rules", i],
	}
}
