package plancheck.plan_codeowned_test

import rego.v1

import data.plancheck.testdata as td

# deny(inp): the rule's results without their help (the help tests below check it).
deny(inp) := {object.remove(r, ["help"]) | some r in results} if {
	results := data.plancheck.plan_codeowned.deny with input as inp
}

# helps(inp): the help of every result.
helps(inp) := {r.help | some r in results} if {
	results := data.plancheck.plan_codeowned.deny with input as inp
}

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
	results := deny(td.base)
	results == set()
}

test_plan_file_with_owners_is_accepted if {
	results := deny(two_files({"owners": ["@acme/sre"], "line": 3, "areas": []}))
	results == set()
}

test_plan_file_whose_line_unsets_owners_is_denied if {
	results := deny(two_files({"owners": [], "line": 3, "areas": []}))
	results == {{
		"msg": "plan file incident-response/threats.yaml has no owner in CODEOWNERS",
		"path": ["files", 1],
	}}
}

test_plan_file_matched_by_no_line_is_denied if {
	results := deny(two_files({"owners": [], "line": null, "areas": []}))
	results == {{
		"msg": "plan file incident-response/threats.yaml has no owner in CODEOWNERS",
		"path": ["files", 1],
	}}
}

test_plan_file_missing_from_ownership_is_denied if {
	inp := object.union(object.remove(td.base, ["ownership"]), {"ownership": {}})
	results := deny(inp)
	results == {{
		"msg": "plan file incident-response/plan.yaml has no owner in CODEOWNERS",
		"path": ["files", 0],
	}}
}

test_malformed_ownership_entry_counts_as_unowned if {
	every entry in [{"line": 3}, {"owners": "@acme/sre"}, {"owners": null}] {
		results := deny(two_files(entry))
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
	results := deny(inp)
	results == {{
		"msg": "plan file incident-response/plan.yaml has no owner in CODEOWNERS (the repository has no CODEOWNERS file)",
		"path": ["files", 0],
	}}
}

test_input_without_codeowners_says_so if {
	inp := td.without(["codeowners", "ownership"])
	results := deny(inp)
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
	results := deny(inp)
	results == {
		{"msg": "plan file incident-response/a.yaml has no owner in CODEOWNERS", "path": ["files", 0]},
		{"msg": "plan file incident-plan.json has no owner in CODEOWNERS", "path": ["files", 2]},
	}
}

test_input_without_files_has_no_findings if {
	results := deny(td.without(["files"]))
	results == set()
}

test_help_names_the_plan_directory_and_the_owning_team if {
	inp := object.remove(td.base, ["ownership"])
	helps(inp) == {"add the line `/incident-response/ @acme/sre` at the end of .github/CODEOWNERS (the last matching line wins), naming the team accountable for the plan"}
}

test_help_for_a_plan_file_at_the_root_names_the_file if {
	inp := td.with_input({"ownership": {}, "files": [{"path": "incident-plan.yaml", "kind": "yaml"}]})
	helps(inp) == {"add the line `/incident-plan.yaml @acme/sre` at the end of .github/CODEOWNERS (the last matching line wins), naming the team accountable for the plan"}
}

test_help_without_a_github_team_names_the_owner_id if {
	inp := object.union(
		object.remove(td.base, ["ownership"]),
		{"plan": {"teams": [object.remove(td.team, ["github_team"])]}},
	)
	helps(inp) == {"add the line `/incident-response/ @<org>/sre` at the end of .github/CODEOWNERS (the last matching line wins), naming the team accountable for the plan"}
}
