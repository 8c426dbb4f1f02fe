package plancheck.plan_review_stale

import rego.v1

import data.plancheck.lib

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
	not "reviewed_at" in object.keys(lib.metadata)
	result := {
		"msg": "the plan has no metadata.reviewed_at date, so nobody can tell when it was last reviewed",
		"path": ["plan", "metadata"],
	}
}

warn contains result if {
	reviewed := lib.metadata.reviewed_at
	not lib.valid_date(reviewed)
	result := {
		"msg": sprintf("metadata.reviewed_at %s is not a YYYY-MM-DD date", [lib.str(reviewed)]),
		"path": ["plan", "metadata", "reviewed_at"],
	}
}

warn contains result if {
	reviewed := lib.metadata.reviewed_at
	due := time.add_date(lib.date_ns(reviewed), 0, 0, interval)
	due < lib.now_ns
	result := {
		"msg": sprintf("the plan was last reviewed on %s; with reviews every %d days, the next one was due by %s", [reviewed, interval, substring(time.format(due), 0, 10)]),
		"path": ["plan", "metadata", "reviewed_at"],
	}
}

interval := n if {
	n := lib.metadata.review_interval_days
	is_number(n)
	n > 0
	n < 100000
	n == round(n)
} else := 90
