package plancheck.contact_reachable_test

import rego.v1

import data.plancheck.testdata as td

# Contacts stripped of every way to reach them.
bob_unreachable := object.remove(td.bob, ["phone"])

ceo_unreachable := object.remove(td.ceo, ["email"])

policy_targeting(targets) := object.union(td.policy, {"levels": [
	{"tier": "responder", "targets": ["oncall:sre"], "after_minutes": 0},
	{"tier": "executive", "targets": targets, "after_minutes": 30},
]})

test_valid_plan_has_no_findings if {
	results := data.plancheck.contact_reachable.deny with input as td.base
	results == set()
}

test_contact_with_only_a_phone_or_only_an_email_is_reachable if {
	not "email" in object.keys(td.bob)
	not "phone" in object.keys(td.alice)
	results := data.plancheck.contact_reachable.deny with input as td.base
	results == set()
}

test_unreachable_on_call_contact_is_denied if {
	inp := td.with_plan({"contacts": [td.alice, bob_unreachable, td.ceo]})
	results := data.plancheck.contact_reachable.deny with input as inp
	results == {{
		"msg": "contact bob has neither email nor phone but is on call for team sre",
		"path": ["plan", "contacts", 1],
	}}
}

test_unreachable_escalation_target_is_denied if {
	inp := td.with_plan({"contacts": [td.alice, td.bob, ceo_unreachable]})
	results := data.plancheck.contact_reachable.deny with input as inp
	results == {{
		"msg": "contact ceo has neither email nor phone but is a target of escalation policy ep-sre level 2",
		"path": ["plan", "contacts", 2],
	}}
}

test_blank_and_null_contact_fields_count_as_missing if {
	inp := td.with_plan({"contacts": [td.alice, object.union(td.bob, {"email": "  ", "phone": null}), td.ceo]})
	results := data.plancheck.contact_reachable.deny with input as inp
	results == {{
		"msg": "contact bob has neither email nor phone but is on call for team sre",
		"path": ["plan", "contacts", 1],
	}}
}

test_every_place_a_contact_is_paged_is_listed if {
	inp := td.with_plan({
		"contacts": [td.alice, bob_unreachable, td.ceo],
		"escalation_policies": [policy_targeting(["ceo", "bob"])],
	})
	results := data.plancheck.contact_reachable.deny with input as inp
	results == {{
		"msg": "contact bob has neither email nor phone but is a target of escalation policy ep-sre level 2 and on call for team sre",
		"path": ["plan", "contacts", 1],
	}}
}

test_contact_targeted_through_its_team_is_reported_once if {
	# "oncall:sre" and "sre" page the rotation, where bob is already on call.
	inp := td.with_plan({
		"contacts": [td.alice, bob_unreachable, td.ceo],
		"escalation_policies": [policy_targeting(["ceo", "sre"])],
	})
	results := data.plancheck.contact_reachable.deny with input as inp
	results == {{
		"msg": "contact bob has neither email nor phone but is on call for team sre",
		"path": ["plan", "contacts", 1],
	}}
}

test_unreachable_contact_nobody_pages_is_accepted if {
	zoe := {"id": "zoe", "name": "Zoe"}
	inp := td.with_plan({"contacts": [td.alice, td.bob, td.ceo, zoe]})
	results := data.plancheck.contact_reachable.deny with input as inp
	results == set()
}

test_unreachable_area_contact_is_accepted if {
	# Area contacts are not paged by the plan; only rotations and levels are.
	zoe := {"id": "zoe", "name": "Zoe"}
	inp := td.with_plan({
		"contacts": [td.alice, td.bob, td.ceo, zoe],
		"areas": [object.union(td.area, {"contacts": ["alice", "bob", "zoe"]})],
	})
	results := data.plancheck.contact_reachable.deny with input as inp
	results == set()
}

test_each_unreachable_contact_is_reported if {
	inp := td.with_plan({"contacts": [td.alice, bob_unreachable, ceo_unreachable]})
	results := data.plancheck.contact_reachable.deny with input as inp
	results == {
		{"msg": "contact bob has neither email nor phone but is on call for team sre", "path": ["plan", "contacts", 1]},
		{"msg": "contact ceo has neither email nor phone but is a target of escalation policy ep-sre level 2", "path": ["plan", "contacts", 2]},
	}
}

test_plan_without_teams_or_policies_has_no_findings if {
	inp := td.with_plan({"contacts": [td.alice, bob_unreachable, ceo_unreachable], "teams": [], "escalation_policies": []})
	results := data.plancheck.contact_reachable.deny with input as inp
	results == set()
}

test_plan_without_contacts_has_no_findings if {
	results := data.plancheck.contact_reachable.deny with input as td.without(["plan/contacts"])
	results == set()
}
