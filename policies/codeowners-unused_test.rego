package plancheck.codeowners_unused_test

import rego.v1

import data.plancheck.testdata as td

with_rules(rules) := object.union(td.base, {"facts": {"codeowners": {"owners": [], "rules": rules}}})

used := {"line": 1, "pattern": "/incident-response/", "matches": "incident-response/plan.yaml", "decides": "incident-response/plan.yaml", "overridden_by": []}

unused := {"line": 2, "pattern": "/playbooks/", "matches": null, "decides": null, "overridden_by": []}

test_base_has_no_findings if {
	results := data.plancheck.codeowners_unused.warn with input as td.base
	results == set()
}

test_a_line_matching_a_file_is_used if {
	results := data.plancheck.codeowners_unused.warn with input as with_rules([used])
	results == set()
}

test_a_line_matching_nothing_is_warned_at_its_rule if {
	results := data.plancheck.codeowners_unused.warn with input as with_rules([used, unused])
	results == {{
		"msg": "CODEOWNERS pattern `/playbooks/` matches no tracked file",
		"path": ["codeowners", "rules", 1],
	}}
}
