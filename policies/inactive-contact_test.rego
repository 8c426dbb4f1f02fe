package plancheck.inactive_contact_test

import rego.v1

import data.plancheck.testdata as td

inactive(c) := object.union(c, {"active": false})

test_valid_plan_has_no_findings if {
	results := data.plancheck.inactive_contact.deny with input as td.base
	results == set()
}

test_inactive_contact_everywhere_is_denied_at_each_place if {
	# bob is on call for sre and a key contact of k8s-core.
	inp := td.with_plan({"contacts": [td.alice, inactive(td.bob), td.ceo]})
	results := data.plancheck.inactive_contact.deny with input as inp
	results == {
		{"msg": "inactive contact bob is on call for team sre", "path": ["plan", "teams", 0, "oncall", "rotation", 1]},
		{"msg": "inactive contact bob is a key contact of area k8s-core", "path": ["plan", "areas", 0, "contacts", 1]},
	}
}

test_inactive_escalation_target_is_denied if {
	inp := td.with_plan({"contacts": [td.alice, td.bob, inactive(td.ceo)]})
	results := data.plancheck.inactive_contact.deny with input as inp
	results == {{
		"msg": "inactive contact ceo is a target of escalation policy ep-sre level 2",
		"path": ["plan", "escalation_policies", 0, "levels", 1, "targets", 0],
	}}
}

test_inactive_contact_only_in_an_area_is_denied if {
	inp := td.with_plan({
		"contacts": [td.alice, td.bob, td.ceo, inactive({"id": "gus", "email": "gus@example.com"})],
		"areas": [object.union(td.area, {"contacts": ["alice", "bob", "gus"]})],
	})
	results := data.plancheck.inactive_contact.deny with input as inp
	results == {{"msg": "inactive contact gus is a key contact of area k8s-core", "path": ["plan", "areas", 0, "contacts", 2]}}
}

test_only_an_explicit_false_makes_a_contact_inactive if {
	every v in [true, null, "false", 0] {
		inp := td.with_plan({"contacts": [td.alice, object.union(td.bob, {"active": v}), td.ceo]})
		results := data.plancheck.inactive_contact.deny with input as inp
		results == set()
	}
}

test_inactive_contact_nobody_references_is_accepted if {
	inp := td.with_plan({"contacts": [td.alice, td.bob, td.ceo, inactive({"id": "gus", "email": "gus@example.com"})]})
	results := data.plancheck.inactive_contact.deny with input as inp
	results == set()
}

test_team_targets_are_not_reported_as_inactive_contacts if {
	# Targets naming a team or oncall:<team> are not contacts; the rotation entry is reported instead.
	inp := td.with_plan({
		"contacts": [td.alice, inactive(td.bob), td.ceo],
		"areas": [object.union(td.area, {"contacts": ["alice", "ceo"]})],
		"escalation_policies": [object.union(td.policy, {"levels": [
			{"tier": "responder", "targets": ["oncall:sre", "sre"], "after_minutes": 0},
			{"tier": "executive", "targets": ["ceo"], "after_minutes": 30},
		]})],
	})
	results := data.plancheck.inactive_contact.deny with input as inp
	results == {{"msg": "inactive contact bob is on call for team sre", "path": ["plan", "teams", 0, "oncall", "rotation", 1]}}
}

test_repeated_entries_are_each_reported if {
	inp := td.with_plan({
		"contacts": [td.alice, td.bob, inactive(td.ceo)],
		"escalation_policies": [object.union(td.policy, {"levels": [
			{"tier": "responder", "targets": ["oncall:sre", "ceo"], "after_minutes": 0},
			{"tier": "executive", "targets": ["ceo"], "after_minutes": 30},
		]})],
	})
	results := data.plancheck.inactive_contact.deny with input as inp
	results == {
		{"msg": "inactive contact ceo is a target of escalation policy ep-sre level 1", "path": ["plan", "escalation_policies", 0, "levels", 0, "targets", 1]},
		{"msg": "inactive contact ceo is a target of escalation policy ep-sre level 2", "path": ["plan", "escalation_policies", 0, "levels", 1, "targets", 0]},
	}
}

test_team_without_oncall_has_no_rotation_to_check if {
	inp := td.with_plan({
		"contacts": [td.alice, inactive(td.bob), td.ceo],
		"teams": [object.remove(td.team, ["oncall"])],
		"areas": [object.union(td.area, {"contacts": ["alice"]})],
	})
	results := data.plancheck.inactive_contact.deny with input as inp
	results == set()
}

test_plan_with_only_contacts_has_no_findings if {
	inp := {"plan": {"contacts": [inactive(td.alice)]}}
	results := data.plancheck.inactive_contact.deny with input as inp
	results == set()
}
