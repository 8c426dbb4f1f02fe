package plancheck.waiver_expired

import rego.v1


# METADATA
# title: No waiver has expired
# description: >-
#   A waiver is a reviewed, time-boxed exception. Once it expires, the finding
#   it silenced is reported again; the waiver itself is flagged so the team
#   either fixes the problem or consciously renews the exception.
# custom:
#   id: waiver-expired
#   severity: warning
#   help: >-
#     Fix the waived finding and delete the waiver, or, if the exception still
#     stands, get it re-reviewed and move `expires` to a new date.
warn contains result if {
	some i, w in data.plancheck.lib.waivers
	data.plancheck.lib.before(w.expires, input.now)
	result := {
		"msg": sprintf("waiver for %s on %s expired on %s", [data.plancheck.lib.str(object.get(w, "rule", "?")), data.plancheck.lib.str(object.get(w, "target", "?")), w.expires]),
		"path": ["plan", "waivers", i, "expires"],
	}
}
