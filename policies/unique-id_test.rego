package plancheck.unique_id_test

import rego.v1

import data.plancheck.testdata as td

# first(list, i, what): the secondary location of a duplicate, at the first definition.
first(list, i, what) := {"path": ["plan", list, i, "id"], "msg": sprintf("%s is first defined here", [what])}

test_valid_plan_has_no_findings if {
	results := data.plancheck.unique_id.deny with input as td.base
	results == set()
}

test_threat_defined_twice_is_denied_at_the_second_definition if {
	inp := td.with_plan({"threats": [td.threat, object.union(td.threat, {"title": "copy"})]})
	results := data.plancheck.unique_id.deny with input as inp
	results == {{
		"msg": "threat id THR-1 is defined more than once",
		"path": ["plan", "threats", 1, "id"],
		"related": {"path": ["plan", "threats", 0, "id"], "msg": "threat THR-1 is first defined here"},
	}}
}

test_every_later_definition_is_reported if {
	t2 := object.union(td.threat, {"id": "THR-2"})
	inp := td.with_plan({"threats": [td.threat, t2, td.threat, t2, td.threat]})
	results := data.plancheck.unique_id.deny with input as inp
	results == {
		{"msg": "threat id THR-1 is defined more than once", "path": ["plan", "threats", 2, "id"], "related": first("threats", 0, "threat THR-1")},
		{"msg": "threat id THR-1 is defined more than once", "path": ["plan", "threats", 4, "id"], "related": first("threats", 0, "threat THR-1")},
		{"msg": "threat id THR-2 is defined more than once", "path": ["plan", "threats", 3, "id"], "related": first("threats", 1, "threat THR-2")},
	}
}

test_area_defined_twice_is_denied if {
	other := object.union(td.area, {"id": "k8s-storage"})
	inp := td.with_plan({"areas": [td.area, other, object.union(td.area, {"title": "again"})]})
	results := data.plancheck.unique_id.deny with input as inp
	results == {{"msg": "area id k8s-core is defined more than once", "path": ["plan", "areas", 2, "id"], "related": first("areas", 0, "area k8s-core")}}
}

test_escalation_policy_defined_twice_is_denied if {
	inp := td.with_plan({"escalation_policies": [td.policy, td.policy]})
	results := data.plancheck.unique_id.deny with input as inp
	results == {{
		"msg": "escalation policy id ep-sre is defined more than once",
		"path": ["plan", "escalation_policies", 1, "id"],
		"related": first("escalation_policies", 0, "escalation policy ep-sre"),
	}}
}

test_contact_defined_twice_is_denied if {
	inp := td.with_plan({"contacts": [td.alice, td.bob, td.ceo, object.union(td.bob, {"name": "Robert"})]})
	results := data.plancheck.unique_id.deny with input as inp
	results == {{"msg": "contact id bob is defined more than once", "path": ["plan", "contacts", 3, "id"], "related": first("contacts", 1, "contact bob")}}
}

test_team_defined_twice_is_denied if {
	inp := td.with_plan({"teams": [td.team, object.union(td.team, {"github_team": "@acme/other"})]})
	results := data.plancheck.unique_id.deny with input as inp
	results == {{"msg": "team id sre is defined more than once", "path": ["plan", "teams", 1, "id"], "related": first("teams", 0, "team sre")}}
}

test_team_reusing_a_contact_id_is_denied if {
	inp := td.with_plan({"teams": [td.team, object.union(td.team, {"id": "alice"})]})
	results := data.plancheck.unique_id.deny with input as inp
	results == {{
		"msg": "team id alice is already used by a contact (contacts and teams share one namespace)",
		"path": ["plan", "teams", 1, "id"],
		"related": first("contacts", 0, "contact alice"),
	}}
}

test_contact_reusing_a_team_id_is_reported_on_the_team if {
	# A contact's definition counts as the first, wherever the files put it.
	inp := td.with_plan({"contacts": [td.alice, td.bob, td.ceo, object.union(td.ceo, {"id": "sre"})]})
	results := data.plancheck.unique_id.deny with input as inp
	results == {{
		"msg": "team id sre is already used by a contact (contacts and teams share one namespace)",
		"path": ["plan", "teams", 0, "id"],
		"related": first("contacts", 3, "contact sre"),
	}}
}

test_same_id_in_unrelated_lists_is_accepted if {
	# Threats, areas and policies have their own namespaces.
	inp := td.with_plan({
		"areas": [object.union(td.area, {"id": "sre"})],
		"escalation_policies": [object.union(td.policy, {"id": "sre"})],
		"threats": [object.union(td.threat, {"id": "sre"})],
	})
	results := data.plancheck.unique_id.deny with input as inp
	results == set()
}

test_duplicates_in_several_lists_are_all_reported if {
	inp := td.with_plan({
		"contacts": [td.alice, td.alice, td.bob, td.ceo],
		"teams": [td.team, object.union(td.team, {"id": "bob"})],
		"areas": [td.area, td.area],
		"threats": [td.threat, td.threat],
	})
	results := data.plancheck.unique_id.deny with input as inp
	results == {
		{"msg": "contact id alice is defined more than once", "path": ["plan", "contacts", 1, "id"], "related": first("contacts", 0, "contact alice")},
		{
			"msg": "team id bob is already used by a contact (contacts and teams share one namespace)",
			"path": ["plan", "teams", 1, "id"],
			"related": first("contacts", 2, "contact bob"),
		},
		{"msg": "area id k8s-core is defined more than once", "path": ["plan", "areas", 1, "id"], "related": first("areas", 0, "area k8s-core")},
		{"msg": "threat id THR-1 is defined more than once", "path": ["plan", "threats", 1, "id"], "related": first("threats", 0, "threat THR-1")},
	}
}

test_duplicates_helper_marks_every_entry_after_the_first if {
	entries := [["b", "teams", 0], ["a", "contacts", 1], ["a", "contacts", 0], ["a", "teams", 4], ["c", "teams", 1]]
	data.plancheck.unique_id.duplicates(entries) == [["a", "contacts", 1, "contacts", 0], ["a", "teams", 4, "contacts", 0]]
	data.plancheck.unique_id.duplicates([]) == []
}

test_empty_plan_has_no_findings if {
	results := data.plancheck.unique_id.deny with input as {"plan": {}}
	results == set()
}
