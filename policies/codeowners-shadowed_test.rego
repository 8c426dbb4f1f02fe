package plancheck.codeowners_shadowed_test

import rego.v1

import data.plancheck.testdata as td

with_rules(rules) := object.union(td.base, {"facts": {"codeowners": {"owners": [], "rules": rules}}})

shadowed := {"line": 1, "pattern": "/clusters/*/storage/", "matches": "clusters/prod/storage/sc.yaml", "decides": null, "overridden_by": [2, 5]}

deciding := {"line": 2, "pattern": "/clusters/", "matches": "clusters/prod/storage/sc.yaml", "decides": "clusters/prod/storage/sc.yaml", "overridden_by": []}

unused := {"line": 3, "pattern": "/nowhere/", "matches": null, "decides": null, "overridden_by": []}

test_base_has_no_findings if {
	results := data.plancheck.codeowners_shadowed.warn with input as td.base
	results == set()
}

test_a_deciding_line_and_an_unused_line_are_not_shadowed if {
	results := data.plancheck.codeowners_shadowed.warn with input as with_rules([deciding, unused])
	results == set()
}

test_a_line_overridden_everywhere_is_warned_with_the_overriding_lines if {
	results := data.plancheck.codeowners_shadowed.warn with input as with_rules([shadowed, deciding])
	results == {{
		"msg": "CODEOWNERS pattern `/clusters/*/storage/` never decides an owner: every tracked file it matches (e.g. clusters/prod/storage/sc.yaml) is matched again by a later line (line 2, line 5)",
		"path": ["codeowners", "rules", 0],
	}}
}
