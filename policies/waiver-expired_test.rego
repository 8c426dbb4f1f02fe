package plancheck.waiver_expired_test

import rego.v1

import data.plancheck.testdata as td

# The base plan (today is 2026-11-24) with its waiver's fields replaced.
waiver(patch) := td.with_plan({"waivers": [object.union(td.waiver, patch)]})

test_valid_plan_has_no_findings if {
	results := data.plancheck.waiver_expired.warn with input as td.base
	results == set()
}

test_expired_waiver_is_warned if {
	results := data.plancheck.waiver_expired.warn with input as waiver({"expires": "2026-11-01"})
	results == {{
		"msg": "waiver for area-min-contacts on k8s-core expired on 2026-11-01",
		"path": ["plan", "waivers", 0, "expires"],
	}}
}

test_waiver_expiring_today_still_holds if {
	results := data.plancheck.waiver_expired.warn with input as waiver({"expires": "2026-11-24"})
	results == set()
}

test_waiver_that_expired_yesterday_is_warned if {
	results := data.plancheck.waiver_expired.warn with input as waiver({"expires": "2026-11-23"})
	results == {{
		"msg": "waiver for area-min-contacts on k8s-core expired on 2026-11-23",
		"path": ["plan", "waivers", 0, "expires"],
	}}
}

test_far_future_expiry_is_accepted if {
	# Past the year 2262, where nanosecond timestamps end.
	results := data.plancheck.waiver_expired.warn with input as waiver({"expires": "2999-12-31"})
	results == set()
}

test_long_expired_waiver_is_warned if {
	results := data.plancheck.waiver_expired.warn with input as waiver({"expires": "1999-12-31"})
	results == {{
		"msg": "waiver for area-min-contacts on k8s-core expired on 1999-12-31",
		"path": ["plan", "waivers", 0, "expires"],
	}}
}

test_waiver_without_rule_or_target_is_named_by_question_marks if {
	inp := td.with_plan({"waivers": [{"reason": "legacy", "expires": "2026-01-01"}]})
	results := data.plancheck.waiver_expired.warn with input as inp
	results == {{"msg": "waiver for ? on ? expired on 2026-01-01", "path": ["plan", "waivers", 0, "expires"]}}
}

test_each_expired_waiver_is_reported_at_its_index if {
	inp := td.with_plan({"waivers": [
		td.waiver,
		object.union(td.waiver, {"rule": "team-oncall", "target": "sre", "expires": "2026-06-30"}),
		object.union(td.waiver, {"rule": "threat-owner", "target": "THR-1", "expires": "2026-11-23"}),
	]})
	results := data.plancheck.waiver_expired.warn with input as inp
	results == {
		{"msg": "waiver for team-oncall on sre expired on 2026-06-30", "path": ["plan", "waivers", 1, "expires"]},
		{"msg": "waiver for threat-owner on THR-1 expired on 2026-11-23", "path": ["plan", "waivers", 2, "expires"]},
	}
}

test_waiver_without_a_valid_expiry_is_not_judged_here if {
	# The schema requires `expires` as YYYY-MM-DD; the rule must not trip over anything else.
	every inp in [
		td.without(["plan/waivers/0/expires"]),
		waiver({"expires": "2026-02-30"}),
		waiver({"expires": "last year"}),
		waiver({"expires": 20260101}),
	] {
		results := data.plancheck.waiver_expired.warn with input as inp
		results == set()
	}
}

test_without_a_valid_today_nothing_is_expired if {
	every now in ["", "2026-13-01"] {
		inp := object.union(waiver({"expires": "2000-01-01"}), {"now": now})
		results := data.plancheck.waiver_expired.warn with input as inp
		results == set()
	}
}

test_plan_without_waivers_has_no_findings if {
	results := data.plancheck.waiver_expired.warn with input as td.without(["plan/waivers"])
	results == set()
}
