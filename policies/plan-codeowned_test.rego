package plancheck.plan_codeowned_test

import rego.v1

import data.plancheck.testdata as td

threats_file := "incident-response/threats.yaml"

# Two plan files; the threats file has the given ownership entry (or none when entry is null).
two_files(entry) := object.union(object.remove(td.base, ["ownership", "files"]), {
	"files": [
		{"path": "incident-response/plan.yaml", "kind": "yaml"},
		{"path": threats_file, "kind": "yaml"},
	],
	"ownership": object.union(
		{"incident-response/plan.yaml": td.ownership["incident-response/plan.yaml"]},
		{threats_file: entry},
	),
})

test_valid_plan_has_no_findings if {
	results := data.plancheck.plan_codeowned.deny with input as td.base
	results == set()
}

test_plan_file_with_owners_is_accepted if {
	results := data.plancheck.plan_codeowned.deny with input as two_files({"owners": ["@acme/sre"], "line": 3, "areas": []})
	results == set()
}

test_plan_file_whose_line_unsets_owners_is_denied if {
	results := data.plancheck.plan_codeowned.deny with input as two_files({"owners": [], "line": 3, "areas": []})
	results == {{
		"msg": "plan file incident-response/threats.yaml has no owner in CODEOWNERS",
		"path": ["files", 1],
	}}
}

test_plan_file_matched_by_no_line_is_denied if {
	results := data.plancheck.plan_codeowned.deny with input as two_files({"owners": [], "line": null, "areas": []})
	results == {{
		"msg": "plan file incident-response/threats.yaml has no owner in CODEOWNERS",
		"path": ["files", 1],
	}}
}

test_plan_file_missing_from_ownership_is_denied if {
	inp := object.union(object.remove(td.base, ["ownership"]), {"ownership": {}})
	results := data.plancheck.plan_codeowned.deny with input as inp
	results == {{
		"msg": "plan file incident-response/plan.yaml has no owner in CODEOWNERS",
		"path": ["files", 0],
	}}
}

test_malformed_ownership_entry_counts_as_unowned if {
	every entry in [{"line": 3}, {"owners": "@acme/sre"}, {"owners": null}] {
		results := data.plancheck.plan_codeowned.deny with input as two_files(entry)
		results == {{
			"msg": "plan file incident-response/threats.yaml has no owner in CODEOWNERS",
			"path": ["files", 1],
		}}
	}
}

test_repository_without_codeowners_says_so if {
	inp := object.union(object.remove(td.base, ["ownership", "codeowners"]), {
		"codeowners": {"path": null, "rules": [], "errors": []},
		"ownership": {"incident-response/plan.yaml": {"owners": [], "line": null, "areas": []}},
	})
	results := data.plancheck.plan_codeowned.deny with input as inp
	results == {{
		"msg": "plan file incident-response/plan.yaml has no owner in CODEOWNERS (the repository has no CODEOWNERS file)",
		"path": ["files", 0],
	}}
}

test_input_without_codeowners_says_so if {
	inp := td.without(["codeowners", "ownership"])
	results := data.plancheck.plan_codeowned.deny with input as inp
	results == {{
		"msg": "plan file incident-response/plan.yaml has no owner in CODEOWNERS (the repository has no CODEOWNERS file)",
		"path": ["files", 0],
	}}
}

test_every_unowned_file_is_reported if {
	inp := object.union(object.remove(td.base, ["files"]), {"files": [
		{"path": "incident-response/a.yaml", "kind": "yaml"},
		{"path": "incident-response/plan.yaml", "kind": "yaml"},
		{"path": "incident-plan.json", "kind": "json"},
	]})
	results := data.plancheck.plan_codeowned.deny with input as inp
	results == {
		{"msg": "plan file incident-response/a.yaml has no owner in CODEOWNERS", "path": ["files", 0]},
		{"msg": "plan file incident-plan.json has no owner in CODEOWNERS", "path": ["files", 2]},
	}
}

test_input_without_files_has_no_findings if {
	results := data.plancheck.plan_codeowned.deny with input as td.without(["files"])
	results == set()
}
