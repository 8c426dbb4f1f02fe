package plancheck.area_min_contacts_test

import rego.v1

import data.plancheck.testdata as td

area(patch) := object.union(td.area, patch)

gus := {"id": "gus", "email": "gus@example.com", "active": false}

test_valid_plan_has_no_findings if {
	results := data.plancheck.area_min_contacts.deny with input as td.base
	results == set()
}

test_area_with_one_contact_is_denied if {
	inp := td.with_plan({"areas": [area({"contacts": ["alice"]})]})
	results := data.plancheck.area_min_contacts.deny with input as inp
	results == {{
		"msg": "area k8s-core has 1 active contact (alice); at least 2 are required",
		"path": ["plan", "areas", 0, "contacts"],
	}}
}

test_area_with_empty_contact_list_is_denied if {
	inp := td.with_plan({"areas": [area({"contacts": []})]})
	results := data.plancheck.area_min_contacts.deny with input as inp
	results == {{
		"msg": "area k8s-core has no active contacts; at least 2 are required",
		"path": ["plan", "areas", 0, "contacts"],
	}}
}

test_area_without_contacts_key_points_at_the_area if {
	results := data.plancheck.area_min_contacts.deny with input as td.without(["plan/areas/0/contacts"])
	results == {{
		"msg": "area k8s-core has no active contacts; at least 2 are required",
		"path": ["plan", "areas", 0],
	}}
}

test_null_contacts_count_as_none if {
	inp := td.with_plan({"areas": [area({"contacts": null})]})
	results := data.plancheck.area_min_contacts.deny with input as inp
	results == {{
		"msg": "area k8s-core has no active contacts; at least 2 are required",
		"path": ["plan", "areas", 0, "contacts"],
	}}
}

test_repeated_contact_counts_once if {
	inp := td.with_plan({"areas": [area({"contacts": ["alice", "alice"]})]})
	results := data.plancheck.area_min_contacts.deny with input as inp
	results == {{
		"msg": "area k8s-core has 1 active contact (alice); at least 2 are required",
		"path": ["plan", "areas", 0, "contacts"],
	}}
}

test_inactive_and_unknown_contacts_are_not_counted_and_named if {
	inp := td.with_plan({
		"contacts": [td.alice, td.bob, td.ceo, gus],
		"areas": [area({"contacts": ["alice", "gus", "zed"]})],
	})
	results := data.plancheck.area_min_contacts.deny with input as inp
	results == {{
		"msg": "area k8s-core has 1 active contact (alice); at least 2 are required; not counted: gus (inactive), zed (not a contact)",
		"path": ["plan", "areas", 0, "contacts"],
	}}
}

test_only_inactive_contacts_means_no_active_contacts if {
	inp := td.with_plan({
		"contacts": [object.union(td.alice, {"active": false}), object.union(td.bob, {"active": false}), td.ceo],
		"areas": [td.area],
	})
	results := data.plancheck.area_min_contacts.deny with input as inp
	results == {{
		"msg": "area k8s-core has no active contacts; at least 2 are required; not counted: alice (inactive), bob (inactive)",
		"path": ["plan", "areas", 0, "contacts"],
	}}
}

test_contact_without_active_field_counts_as_active if {
	# bob has no `active` key in the shared data: only an explicit false makes a contact inactive.
	not "active" in object.keys(td.bob)
	inp := td.with_plan({"areas": [area({"contacts": ["bob", "ceo"]})]})
	results := data.plancheck.area_min_contacts.deny with input as inp
	results == set()
}

test_non_string_contact_is_named_as_not_a_contact if {
	inp := td.with_plan({"areas": [area({"contacts": ["alice", 7]})]})
	results := data.plancheck.area_min_contacts.deny with input as inp
	results == {{
		"msg": "area k8s-core has 1 active contact (alice); at least 2 are required; not counted: 7 (not a contact)",
		"path": ["plan", "areas", 0, "contacts"],
	}}
}

test_configured_minimum_is_enforced if {
	results := data.plancheck.area_min_contacts.deny with input as td.base with data.config as {"area_min_contacts": 3}
	results == {{
		"msg": "area k8s-core has 2 active contacts (alice, bob); at least 3 are required",
		"path": ["plan", "areas", 0, "contacts"],
	}}
}

test_configured_minimum_of_one_accepts_a_single_contact if {
	inp := td.with_plan({"areas": [area({"contacts": ["alice"]})]})
	results := data.plancheck.area_min_contacts.deny with input as inp with data.config as {"area_min_contacts": 1}
	results == set()
}

test_non_integer_minimum_falls_back_to_two if {
	inp := td.with_plan({"areas": [area({"contacts": ["alice"]})]})
	every n in [2.5, "3", null, true] {
		results := data.plancheck.area_min_contacts.deny with input as inp with data.config as {"area_min_contacts": n}
		results == {{
			"msg": "area k8s-core has 1 active contact (alice); at least 2 are required",
			"path": ["plan", "areas", 0, "contacts"],
		}}
	}
}

test_minimum_defaults_to_two_without_config if {
	data.plancheck.area_min_contacts.min_contacts == 2 with data.config as {}
}

test_every_short_area_is_reported_at_its_index if {
	inp := td.with_plan({"areas": [
		td.area,
		area({"id": "k8s-storage", "contacts": ["bob"]}),
		area({"id": "k8s-net", "contacts": []}),
	]})
	results := data.plancheck.area_min_contacts.deny with input as inp
	results == {
		{"msg": "area k8s-storage has 1 active contact (bob); at least 2 are required", "path": ["plan", "areas", 1, "contacts"]},
		{"msg": "area k8s-net has no active contacts; at least 2 are required", "path": ["plan", "areas", 2, "contacts"]},
	}
}

test_plan_without_contacts_leaves_every_area_short if {
	results := data.plancheck.area_min_contacts.deny with input as td.with_plan({"contacts": []})
	results == {{
		"msg": "area k8s-core has no active contacts; at least 2 are required; not counted: alice (not a contact), bob (not a contact)",
		"path": ["plan", "areas", 0, "contacts"],
	}}
}

test_plan_without_areas_has_no_findings if {
	results := data.plancheck.area_min_contacts.deny with input as td.without(["plan/areas"])
	results == set()
}
