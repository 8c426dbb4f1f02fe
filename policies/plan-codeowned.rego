package plancheck.plan_codeowned

import rego.v1


# METADATA
# title: Every plan file has an owner in CODEOWNERS
# description: >-
#   The incident-response plan decides who gets woken up and who talks to the
#   CEO. A plan file without a CODEOWNERS owner can be changed in a pull
#   request that none of the people it pages ever reviews.
# custom:
#   id: plan-codeowned
#   severity: error
#   help: >-
#     Add a CODEOWNERS line that covers the plan files and names the team
#     accountable for the plan (`metadata.owner`, by its `github_team`), e.g.
#     `/incident-response/ @<org>/<team>`; append it at the end of CODEOWNERS,
#     where the last matching line wins.
deny contains result if {
	some i, f in input.files
	not owned(f.path)
	result := {
		"msg": sprintf("plan file %s has no owner in CODEOWNERS%s", [f.path, why]),
		"path": ["files", i],
		"help": sprintf("add the line `%s %s` at the end of %s (the last matching line wins), naming the team accountable for the plan", [pattern(f.path), owner_handle, codeowners_path]),
	}
}

# pattern(path): the CODEOWNERS pattern for the directory holding a plan file (the
# file itself at the root).
pattern(path) := sprintf("/%s/", [concat("/", array.slice(parts, 0, count(parts) - 1))]) if {
	parts := split(path, "/")
	count(parts) > 1
}

pattern(path) := sprintf("/%s", [path]) if not contains(path, "/")

# owner_handle: the GitHub team of the team accountable for the plan, as far as the
# plan says.
owner_handle := h if {
	h := data.plancheck.lib.team(data.plancheck.lib.metadata.owner).github_team
	data.plancheck.lib.text(h)
} else := sprintf("@<org>/%s", [data.plancheck.lib.metadata.owner]) if {
	data.plancheck.lib.text(data.plancheck.lib.metadata.owner)
} else := "@<org>/<team>"

codeowners_path := input.codeowners.path if codeowners_file

codeowners_path := ".github/CODEOWNERS" if not codeowners_file

owned(path) if count(data.plancheck.lib.arr(input.ownership[path], "owners")) > 0

why := " (the repository has no CODEOWNERS file)" if {
	not codeowners_file
} else := ""

codeowners_file if data.plancheck.lib.text(input.codeowners.path)
