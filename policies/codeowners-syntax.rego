package plancheck.codeowners_syntax

import rego.v1


# METADATA
# title: CODEOWNERS has no invalid line
# description: >-
#   GitHub skips every CODEOWNERS line it cannot parse, so the files that line
#   was meant to protect get no required reviewer, and nothing tells you. The
#   plan's ownership checks are only as good as this file.
# custom:
#   id: codeowners-syntax
#   severity: error
#   help: >-
#     Fix the line: owners are `@user`, `@org/team` or an email; patterns may
#     not use `!` negation, `[ ]` ranges or a `\#` escape. Run
#     `plancheck owners <path>` to see which line owns a file.
deny contains result if {
	some i, e in data.plancheck.lib.arr(input.codeowners, "errors")
	result := {
		"msg": message(e),
		"path": ["codeowners", "errors", i],
	}
}

message(e) := e.message if {
	data.plancheck.lib.text(e.message)
} else := sprintf("%s in CODEOWNERS", [data.plancheck.lib.str(e.kind)]) if {
	data.plancheck.lib.text(e.kind)
} else := "invalid CODEOWNERS line"
