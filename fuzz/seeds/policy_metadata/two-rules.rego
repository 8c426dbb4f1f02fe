# METADATA
# title: Custom pack
# custom:
#   severity: warning
package plancheck.custom

import rego.v1

# METADATA
# title: Threats name a runbook
# description: |
#   Every threat links its runbook.
# custom:
#   id: threat-runbook
#   severity: error
deny contains msg if {
	some t in input.plan.threats
	not t.runbook
	msg := sprintf("%s has no runbook", [t.id])
}

warn_old contains msg if {
	false
	msg := ""
}

test_deny if {
	count(deny) == 0 with input as {"plan": {"threats": []}}
}
