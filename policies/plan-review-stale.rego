package plancheck.plan_review_stale

import rego.v1


# METADATA
# title: The plan has been reviewed recently
# description: >-
#   Teams reorganise, people leave and new services ship; a plan nobody has
#   re-read in months describes a platform that no longer exists. The plan is
#   stale once `reviewed_at` plus `review_interval_days` (default 90) has passed.
# custom:
#   id: plan-review-stale
#   severity: warning
#   help: >-
#     Walk through the plan with its owners (threats, contacts, rotations,
#     escalation), fix what changed, then set `metadata.reviewed_at` to today's
#     date (YYYY-MM-DD).
warn contains result if {
	not "reviewed_at" in object.keys(data.plancheck.lib.metadata)
	result := {
		"msg": "the plan has no metadata.reviewed_at date, so nobody can tell when it was last reviewed",
		"path": ["plan", "metadata"],
	}
}

warn contains result if {
	reviewed := data.plancheck.lib.metadata.reviewed_at
	not data.plancheck.lib.valid_date(reviewed)
	result := {
		"msg": sprintf("metadata.reviewed_at %s is not a YYYY-MM-DD date", [data.plancheck.lib.str(reviewed)]),
		"path": ["plan", "metadata", "reviewed_at"],
	}
}

warn contains result if {
	reviewed := data.plancheck.lib.metadata.reviewed_at
	due := data.plancheck.lib.days(reviewed) + interval
	due < data.plancheck.lib.days(input.now)
	result := {
		"msg": sprintf("the plan was last reviewed on %s; with reviews %s, the next one was due by %s", [reviewed, cadence, data.plancheck.lib.date(due)]),
		"path": ["plan", "metadata", "reviewed_at"],
	}
}

cadence := "every day" if {
	interval == 1
} else := sprintf("every %d days", [interval])

interval := n if {
	n := data.plancheck.lib.metadata.review_interval_days
	is_number(n)
	n > 0
	n < 100000
	n == round(n)
} else := 90
