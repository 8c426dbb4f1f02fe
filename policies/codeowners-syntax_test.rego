package plancheck.codeowners_syntax_test

import rego.v1

import data.plancheck.testdata as td

with_errors(errors) := object.union(td.base, {"codeowners": {"errors": errors}})

bad_owner := {
	"line": 7,
	"column": 28,
	"kind": "Invalid owner",
	"message": "Invalid owner: `storage-team` does not start with '@' and is not an email address",
}

bad_pattern := {
	"line": 6,
	"column": 7,
	"kind": "Invalid pattern",
	"message": "Invalid pattern: CODEOWNERS has no character ranges",
}

test_valid_plan_has_no_findings if {
	results := data.plancheck.codeowners_syntax.deny with input as td.base
	results == set()
}

test_invalid_line_is_denied_with_its_message if {
	results := data.plancheck.codeowners_syntax.deny with input as with_errors([bad_owner])
	results == {{
		"msg": "Invalid owner: `storage-team` does not start with '@' and is not an email address",
		"path": ["codeowners", "errors", 0],
	}}
}

test_every_invalid_line_is_reported_at_its_index if {
	results := data.plancheck.codeowners_syntax.deny with input as with_errors([bad_pattern, bad_owner])
	results == {
		{"msg": "Invalid pattern: CODEOWNERS has no character ranges", "path": ["codeowners", "errors", 0]},
		{"msg": "Invalid owner: `storage-team` does not start with '@' and is not an email address", "path": ["codeowners", "errors", 1]},
	}
}

test_error_without_message_falls_back_to_its_kind if {
	results := data.plancheck.codeowners_syntax.deny with input as with_errors([object.remove(bad_owner, ["message"])])
	results == {{"msg": "Invalid owner in CODEOWNERS", "path": ["codeowners", "errors", 0]}}
}

test_blank_message_falls_back_to_its_kind if {
	results := data.plancheck.codeowners_syntax.deny with input as with_errors([object.union(bad_pattern, {"message": " "})])
	results == {{"msg": "Invalid pattern in CODEOWNERS", "path": ["codeowners", "errors", 0]}}
}

test_error_without_message_or_kind_gets_a_generic_message if {
	results := data.plancheck.codeowners_syntax.deny with input as with_errors([{"line": 3, "column": 1, "kind": null}])
	results == {{"msg": "invalid CODEOWNERS line", "path": ["codeowners", "errors", 0]}}
}

test_oversized_codeowners_error_is_reported if {
	msg := "CODEOWNERS is 3.2 MB; GitHub ignores a CODEOWNERS file of 3 MB or more, so no owners are requested for review"
	too_big := {"line": 1, "column": 1, "kind": "File too large", "message": msg}
	results := data.plancheck.codeowners_syntax.deny with input as with_errors([too_big])
	results == {{"msg": msg, "path": ["codeowners", "errors", 0]}}
}

test_repository_without_codeowners_has_no_findings if {
	inp := object.union(td.base, {"codeowners": {"path": null, "rules": [], "errors": []}})
	results := data.plancheck.codeowners_syntax.deny with input as inp
	results == set()
}

test_input_without_codeowners_has_no_findings if {
	results := data.plancheck.codeowners_syntax.deny with input as td.without(["codeowners"])
	results == set()
}

test_null_codeowners_has_no_findings if {
	results := data.plancheck.codeowners_syntax.deny with input as object.union(td.base, {"codeowners": null})
	results == set()
}

test_non_array_errors_are_ignored if {
	results := data.plancheck.codeowners_syntax.deny with input as with_errors("many")
	results == set()
}
