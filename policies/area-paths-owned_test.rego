package plancheck.area_paths_owned_test

import rego.v1

import data.plancheck.testdata as td

# owned_by(owners, areas): a tracked file's owners and the areas whose paths cover it.
owned_by(owners, areas) := {"owners": owners, "line": 2, "areas": areas}

# with_ownership(entries): the base input with input.facts.area_ownership made from entries
# ({path: owned_by(...)}), one group per file, as Rust makes it for files owned alike.
with_ownership(entries) := object.union(td.without(["facts/area_ownership"]), {"facts": {"area_ownership": groups_of(entries)}})

groups_of(entries) := {id: [{"owners": f.owners, "line": f.line, "files": 1, "examples": [path]} |
	some path, f in entries
	id in data.plancheck.lib.arr(f, "areas")
] |
	some entry in entries
	some id in data.plancheck.lib.arr(entry, "areas")
}

test_valid_plan_has_no_findings if {
	results := data.plancheck.area_paths_owned.warn with input as td.base
	results == set()
}

test_file_owned_by_another_team_is_warned if {
	inp := with_ownership({"clusters/prod/core/coredns.yaml": owned_by(["@acme/dba"], ["k8s-core"])})
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == {{
		"msg": "area k8s-core: 1 file under its paths is not code-owned by its team or contacts (@acme/sre, @alice-ng, @bob-k): clusters/prod/core/coredns.yaml",
		"path": ["plan", "areas", 0, "paths"],
	}}
}

test_file_without_owners_is_warned if {
	inp := with_ownership({"clusters/staging/core/kube-proxy.yaml": owned_by([], ["k8s-core"])})
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == {{
		"msg": "area k8s-core: 1 file under its paths is not code-owned by its team or contacts (@acme/sre, @alice-ng, @bob-k): clusters/staging/core/kube-proxy.yaml",
		"path": ["plan", "areas", 0, "paths"],
	}}
}

test_team_owner_matches_case_insensitively if {
	inp := with_ownership({"clusters/prod/core/coredns.yaml": owned_by(["@ACME/SRE"], ["k8s-core"])})
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == set()
}

test_contact_github_handle_counts_as_owner if {
	inp := with_ownership({"clusters/prod/core/coredns.yaml": owned_by(["@acme/dba", "@Bob-K"], ["k8s-core"])})
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == set()
}

test_contact_github_handle_may_carry_its_at_sign if {
	inp := object.union(
		with_ownership({"clusters/prod/core/coredns.yaml": owned_by(["@alice-ng"], ["k8s-core"])}),
		{"plan": {
			"contacts": [object.union(td.alice, {"github": "@Alice-NG"}), td.bob, td.ceo],
			"teams": [object.remove(td.team, ["github_team"])],
		}},
	)
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == set()
}

test_handles_are_folded_ascii_only if {
	data.plancheck.area_paths_owned.fold("@ACME/Platform-SRE") == "@acme/platform-sre"
	data.plancheck.area_paths_owned.fold("@İnci-ΣΑΣ") == "@İnci-ΣΑΣ"
}

test_non_ascii_handle_does_not_match_its_ascii_lookalike if {
	# GitHub folds only A-Z; no engine's Unicode lower() may turn İnci into inci.
	inp := object.union(
		with_ownership({"clusters/prod/core/coredns.yaml": owned_by(["@inci"], ["k8s-core"])}),
		{"plan": {
			"contacts": [td.alice, object.union(td.bob, {"github": "İnci"}), td.ceo],
			"teams": [object.remove(td.team, ["github_team"])],
		}},
	)
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == {{
		"msg": "area k8s-core: 1 file under its paths is not code-owned by its team or contacts (@alice-ng, @İnci): clusters/prod/core/coredns.yaml",
		"path": ["plan", "areas", 0, "paths"],
	}}
}

test_contact_of_another_area_does_not_count if {
	# ceo's handle owns the file, but ceo is not a contact of k8s-core.
	inp := object.union(
		with_ownership({"clusters/prod/core/coredns.yaml": owned_by(["@dana-w"], ["k8s-core"])}),
		{"plan": {"contacts": [td.alice, td.bob, object.union(td.ceo, {"github": "dana-w"})]}},
	)
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == {{
		"msg": "area k8s-core: 1 file under its paths is not code-owned by its team or contacts (@acme/sre, @alice-ng, @bob-k): clusters/prod/core/coredns.yaml",
		"path": ["plan", "areas", 0, "paths"],
	}}
}

test_two_unowned_files_are_listed_sorted if {
	inp := with_ownership({
		"clusters/staging/core/b.yaml": owned_by(["@acme/dba"], ["k8s-core"]),
		"clusters/prod/core/a.yaml": owned_by([], ["k8s-core"]),
		"clusters/prod/core/ok.yaml": owned_by(["@acme/sre"], ["k8s-core"]),
	})
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == {{
		"msg": "area k8s-core: 2 files under its paths are not code-owned by its team or contacts (@acme/sre, @alice-ng, @bob-k): clusters/prod/core/a.yaml, clusters/staging/core/b.yaml",
		"path": ["plan", "areas", 0, "paths"],
	}}
}

test_more_than_three_unowned_files_are_abbreviated if {
	inp := with_ownership({
		"clusters/a.yaml": owned_by([], ["k8s-core"]),
		"clusters/b.yaml": owned_by([], ["k8s-core"]),
		"clusters/c.yaml": owned_by([], ["k8s-core"]),
		"clusters/d.yaml": owned_by([], ["k8s-core"]),
		"clusters/e.yaml": owned_by([], ["k8s-core"]),
	})
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == {{
		"msg": "area k8s-core: 5 files under its paths are not code-owned by its team or contacts (@acme/sre, @alice-ng, @bob-k): clusters/a.yaml, clusters/b.yaml, clusters/c.yaml and 2 more",
		"path": ["plan", "areas", 0, "paths"],
	}}
}

test_area_with_no_possible_owner_says_so if {
	inp := td.with_plan({
		"contacts": [object.remove(td.alice, ["github"]), object.union(td.bob, {"github": "  "}), td.ceo],
		"teams": [object.union(td.team, {"github_team": null})],
	})
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == {{
		"msg": "area k8s-core: 1 file under its paths is not code-owned by anyone (the area has no team github_team and no contact with a github handle): clusters/prod/core/coredns.yaml",
		"path": ["plan", "areas", 0, "paths"],
	}}
}

test_area_whose_team_does_not_exist_relies_on_its_contacts if {
	inp := td.with_plan({"areas": [object.union(td.area, {"team": "ghost"})]})
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == {{
		"msg": "area k8s-core: 1 file under its paths is not code-owned by its team or contacts (@alice-ng, @bob-k): clusters/prod/core/coredns.yaml",
		"path": ["plan", "areas", 0, "paths"],
	}}
}

test_non_string_owners_are_ignored if {
	inp := with_ownership({"clusters/prod/core/coredns.yaml": owned_by([7, null], ["k8s-core"])})
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == {{
		"msg": "area k8s-core: 1 file under its paths is not code-owned by its team or contacts (@acme/sre, @alice-ng, @bob-k): clusters/prod/core/coredns.yaml",
		"path": ["plan", "areas", 0, "paths"],
	}}
}

test_files_are_grouped_per_area if {
	core2 := object.union(td.area, {"id": "k8s-storage", "contacts": ["bob"], "paths": ["clusters/*/storage/**"]})
	inp := object.union(
		with_ownership({
			"clusters/prod/core/coredns.yaml": owned_by(["@acme/dba"], ["k8s-core", "k8s-storage"]),
			"clusters/prod/storage/sc.yaml": owned_by(["@bob-k"], ["k8s-storage"]),
		}),
		{"plan": {"areas": [td.area, core2], "teams": [object.remove(td.team, ["github_team"])]}},
	)
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == {
		{
			"msg": "area k8s-core: 1 file under its paths is not code-owned by its team or contacts (@alice-ng, @bob-k): clusters/prod/core/coredns.yaml",
			"path": ["plan", "areas", 0, "paths"],
		},
		{
			"msg": "area k8s-storage: 1 file under its paths is not code-owned by its team or contacts (@bob-k): clusters/prod/core/coredns.yaml",
			"path": ["plan", "areas", 1, "paths"],
		},
	}
}

test_files_of_unknown_areas_are_ignored if {
	inp := with_ownership({"clusters/prod/x.yaml": owned_by([], ["ghost"])})
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == set()
}

test_plan_files_outside_any_area_are_ignored if {
	inp := with_ownership({
		"incident-response/plan.yaml": owned_by([], []),
		"README.md": {"owners": [], "line": null},
	})
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == set()
}

test_input_without_area_ownership_facts_has_no_findings if {
	results := data.plancheck.area_paths_owned.warn with input as td.without(["facts/area_ownership"])
	results == set()
}

test_files_owned_alike_are_counted_as_one_group if {
	# 1,200 files under the area decided by one line: one group, counted, three examples shown.
	inp := object.union(td.without(["facts/area_ownership"]), {"facts": {"area_ownership": {"k8s-core": [
		{"owners": ["@acme/dba"], "line": 3, "files": 1200, "examples": ["clusters/c.yaml", "clusters/d.yaml", "clusters/e.yaml"]},
		{"owners": [], "line": null, "files": 2, "examples": ["clusters/a.yaml", "clusters/f.yaml"]},
		{"owners": ["@acme/sre"], "line": 2, "files": 40, "examples": ["clusters/0.yaml"]},
	]}}})
	results := data.plancheck.area_paths_owned.warn with input as inp
	results == {{
		"msg": "area k8s-core: 1202 files under its paths are not code-owned by its team or contacts (@acme/sre, @alice-ng, @bob-k): clusters/a.yaml, clusters/c.yaml, clusters/d.yaml and 1199 more",
		"path": ["plan", "areas", 0, "paths"],
	}}
}

test_plan_without_areas_has_no_findings if {
	results := data.plancheck.area_paths_owned.warn with input as td.without(["plan/areas"])
	results == set()
}
