package plancheck.plan_review_stale_test

import rego.v1

import data.plancheck.testdata as td

# The base plan (today is 2026-11-24) with metadata fields replaced.
reviewed(patch) := td.with_plan({"metadata": patch})

test_valid_plan_has_no_findings if {
	results := data.plancheck.plan_review_stale.warn with input as td.base
	results == set()
}

test_overdue_review_is_warned if {
	inp := reviewed({"reviewed_at": "2026-01-01", "review_interval_days": 90})
	results := data.plancheck.plan_review_stale.warn with input as inp
	results == {{
		"msg": "the plan was last reviewed on 2026-01-01; with reviews every 90 days, the next one was due by 2026-04-01",
		"path": ["plan", "metadata", "reviewed_at"],
	}}
}

test_review_due_today_is_not_stale_yet if {
	# 2026-08-26 + 90 days = 2026-11-24, today.
	results := data.plancheck.plan_review_stale.warn with input as reviewed({"reviewed_at": "2026-08-26"})
	results == set()
}

test_review_due_yesterday_is_stale if {
	results := data.plancheck.plan_review_stale.warn with input as reviewed({"reviewed_at": "2026-08-25"})
	results == {{
		"msg": "the plan was last reviewed on 2026-08-25; with reviews every 90 days, the next one was due by 2026-11-23",
		"path": ["plan", "metadata", "reviewed_at"],
	}}
}

test_interval_defaults_to_ninety_days if {
	inp := td.without(["plan/metadata/review_interval_days"])
	data.plancheck.plan_review_stale.interval == 90 with input as inp
	results := data.plancheck.plan_review_stale.warn with input as object.union(inp, {"plan": {"metadata": {"reviewed_at": "2026-05-01"}}})
	results == {{
		"msg": "the plan was last reviewed on 2026-05-01; with reviews every 90 days, the next one was due by 2026-07-30",
		"path": ["plan", "metadata", "reviewed_at"],
	}}
}

test_longer_interval_keeps_an_old_review_fresh if {
	results := data.plancheck.plan_review_stale.warn with input as reviewed({"reviewed_at": "2026-01-01", "review_interval_days": 365})
	results == set()
}

test_shorter_interval_makes_a_recent_review_stale if {
	results := data.plancheck.plan_review_stale.warn with input as reviewed({"reviewed_at": "2026-11-01", "review_interval_days": 7})
	results == {{
		"msg": "the plan was last reviewed on 2026-11-01; with reviews every 7 days, the next one was due by 2026-11-08",
		"path": ["plan", "metadata", "reviewed_at"],
	}}
}

test_one_day_interval_is_honoured if {
	results := data.plancheck.plan_review_stale.warn with input as reviewed({"reviewed_at": "2026-11-20", "review_interval_days": 1})
	count(results) == 1
	some r in results
	r.path == ["plan", "metadata", "reviewed_at"]
	endswith(r.msg, "with reviews every day, the next one was due by 2026-11-21")
}

test_unusable_interval_falls_back_to_ninety_days if {
	every n in [0, -30, 100000, 1.5, "30", null] {
		results := data.plancheck.plan_review_stale.warn with input as reviewed({"reviewed_at": "2026-01-01", "review_interval_days": n})
		results == {{
			"msg": "the plan was last reviewed on 2026-01-01; with reviews every 90 days, the next one was due by 2026-04-01",
			"path": ["plan", "metadata", "reviewed_at"],
		}}
	}
}

test_missing_review_date_is_warned if {
	results := data.plancheck.plan_review_stale.warn with input as td.without(["plan/metadata/reviewed_at"])
	results == {{
		"msg": "the plan has no metadata.reviewed_at date, so nobody can tell when it was last reviewed",
		"path": ["plan", "metadata"],
	}}
}

test_missing_metadata_is_warned if {
	every inp in [td.without(["plan/metadata"]), td.with_plan({"metadata": "k8s"}), {}] {
		results := data.plancheck.plan_review_stale.warn with input as inp
		results == {{
			"msg": "the plan has no metadata.reviewed_at date, so nobody can tell when it was last reviewed",
			"path": ["plan", "metadata"],
		}}
	}
}

test_malformed_review_date_is_warned if {
	every d in ["2026-13-01", "2026-11-31", "2026-02-29", "2026-1-5", "01/11/2026", "2026-11-01T00:00:00Z", ""] {
		results := data.plancheck.plan_review_stale.warn with input as reviewed({"reviewed_at": d})
		results == {{
			"msg": sprintf("metadata.reviewed_at %s is not a YYYY-MM-DD date", [d]),
			"path": ["plan", "metadata", "reviewed_at"],
		}}
	}
}

test_non_string_review_date_is_warned if {
	results := data.plancheck.plan_review_stale.warn with input as reviewed({"reviewed_at": 20261101})
	results == {{
		"msg": "metadata.reviewed_at 20261101 is not a YYYY-MM-DD date",
		"path": ["plan", "metadata", "reviewed_at"],
	}}
}

test_null_review_date_is_still_warned if {
	# The loader drops empty values, so only a hand-made input has a null here; it must not pass silently.
	results := data.plancheck.plan_review_stale.warn with input as reviewed({"reviewed_at": null})
	count(results) == 1
	some r in results
	r.path == ["plan", "metadata", "reviewed_at"]
}

test_leap_day_is_a_valid_review_date if {
	results := data.plancheck.plan_review_stale.warn with input as object.union(reviewed({"reviewed_at": "2028-02-29"}), {"now": "2028-03-01"})
	results == set()
}

test_without_a_valid_today_staleness_is_not_judged if {
	every now in ["", "tomorrow", "2026-02-30"] {
		inp := object.union(reviewed({"reviewed_at": "2020-01-01"}), {"now": now})
		results := data.plancheck.plan_review_stale.warn with input as inp
		results == set()
	}
}
