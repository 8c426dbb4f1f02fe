package plancheck.codeowners_owner_known_test

import rego.v1

import data.plancheck.testdata as td

owner(o) := object.union(
	{"rule": 0, "line": 3, "column": 28, "email": false, "plan": null, "listed": false, "suggestion": null},
	o,
)

with_owners(owners) := object.union(td.base, {"facts": {"codeowners": {"owners": owners, "rules": []}}})

test_base_has_no_findings if {
	results := data.plancheck.codeowners_owner_known.deny with input as td.base
	results == set()
}

test_plan_handles_emails_and_listed_owners_are_known if {
	inp := with_owners([
		owner({"owner": "@Alice-NG", "plan": "contact alice"}),
		owner({"owner": "@acme/sre", "plan": "team sre"}),
		owner({"owner": "legal@example.com", "email": true}),
		owner({"owner": "@acme/legal", "listed": true}),
	])
	results := data.plancheck.codeowners_owner_known.deny with input as inp
	results == set()
}

test_unknown_owner_is_denied_at_its_index_with_the_suggestion if {
	inp := with_owners([
		owner({"owner": "@acme/sre", "plan": "team sre"}),
		owner({"owner": "@acme/sre-oncal", "suggestion": "@acme/sre-oncall"}),
	])
	results := data.plancheck.codeowners_owner_known.deny with input as inp
	results == {{
		"msg": "@acme/sre-oncal on line 3 is not a plan contact's github, a team's github_team, or listed in known-owners: GitHub ignores an owner it cannot resolve; did you mean @acme/sre-oncall?",
		"path": ["facts", "codeowners", "owners", 1],
	}}
}

test_unknown_owner_without_a_near_handle_has_no_suggestion if {
	inp := with_owners([owner({"owner": "@stranger"})])
	results := data.plancheck.codeowners_owner_known.deny with input as inp
	results == {{
		"msg": "@stranger on line 3 is not a plan contact's github, a team's github_team, or listed in known-owners: GitHub ignores an owner it cannot resolve",
		"path": ["facts", "codeowners", "owners", 0],
	}}
}

test_missing_facts_are_no_findings if {
	inp := json.remove(td.base, ["facts"])
	results := data.plancheck.codeowners_owner_known.deny with input as inp
	results == set()
}
