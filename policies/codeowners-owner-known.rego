package plancheck.codeowners_owner_known

import rego.v1


# METADATA
# title: Every CODEOWNERS owner is someone the plan knows
# description: >-
#   GitHub silently ignores an owner it cannot resolve: a typo such as
#   `@acme/platfrom-sre` leaves the files of that line without a required
#   reviewer, and nothing tells anyone. Each owner must be a plan contact's
#   `github` handle, a plan team's `github_team` (compared as GitHub compares
#   names, ignoring ASCII case), an email address, or match `known-owners` in
#   .plancheck.toml. Online (`plancheck github`, `check --online`), GitHub
#   itself is also asked whether each owner exists and can approve.
# custom:
#   id: codeowners-owner-known
#   severity: error
#   help: >-
#     Fix the owner's spelling, add the person or team to the plan (a contact's
#     `github` or a team's `github_team`), or list owners that live outside the
#     plan in `.plancheck.toml`: `known-owners = ["@acme/legal", "@acme/*"]`.
deny contains result if {
	some k, o in data.plancheck.lib.arr(input.facts.codeowners, "owners")
	unknown(o)
	result := {
		"msg": message(o),
		"path": ["facts", "codeowners", "owners", k],
	}
}

unknown(o) if {
	o.email == false
	o.plan == null
	o.listed == false
}

message(o) := sprintf("%s on line %d is not a plan contact's github, a team's github_team, or listed in known-owners: GitHub ignores an owner it cannot resolve; did you mean %s?", [o.owner, o.line, o.suggestion]) if {
	data.plancheck.lib.text(o.suggestion)
} else := sprintf("%s on line %d is not a plan contact's github, a team's github_team, or listed in known-owners: GitHub ignores an owner it cannot resolve", [o.owner, o.line])
