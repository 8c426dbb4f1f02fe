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
#     Add a CODEOWNERS line that covers the plan files and names the owning
#     team, e.g. `/incident-response/ @acme/platform-sre`.
deny contains result if {
	some i, f in input.files
	not owned(f.path)
	result := {
		"msg": sprintf("plan file %s has no owner in CODEOWNERS%s", [f.path, why]),
		"path": ["files", i],
	}
}

owned(path) if count(data.plancheck.lib.arr(input.ownership[path], "owners")) > 0

why := " (the repository has no CODEOWNERS file)" if {
	not codeowners_file
} else := ""

codeowners_file if data.plancheck.lib.text(input.codeowners.path)
