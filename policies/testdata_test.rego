# Shared test data for the built-in pack's unit tests: a minimal input document
# that every rule accepts, and helpers that swap parts of it. Tests patch it
# with `object.union` (replaces a list wholesale, merges objects) and
# `json.remove` (drops a key); regorus has no `json.patch`.
package plancheck.testdata

import rego.v1

# --- the plan's entries, each valid on its own -----------------------------------

alice := {
	"id": "alice",
	"name": "Alice Ng",
	"github": "alice-ng",
	"email": "alice@example.com",
	"tier": "responder",
	"active": true,
}

bob := {
	"id": "bob",
	"name": "Bob Kim",
	"github": "bob-k",
	"phone": "+14155550100",
	"tier": "responder",
}

ceo := {
	"id": "ceo",
	"name": "Dana Whitfield",
	"email": "ceo@example.com",
	"tier": "executive",
}

team := {
	"id": "sre",
	"github_team": "@acme/sre",
	"members": ["alice", "bob"],
	"oncall": {"rotation": ["alice", "bob"], "shift_hours": 168, "handoff": "2026-11-24T00:00", "coverage": "24x7"},
	"escalation_policy": "ep-sre",
}

area := {
	"id": "k8s-core",
	"title": "Kubernetes core",
	"team": "sre",
	"contacts": ["alice", "bob"],
	"paths": ["clusters/*/core/**"],
}

policy := {
	"id": "ep-sre",
	"levels": [
		{"tier": "responder", "targets": ["oncall:sre"], "after_minutes": 0},
		{"tier": "executive", "targets": ["ceo"], "after_minutes": 30},
	],
}

threat := {
	"id": "THR-1",
	"title": "Accidental namespace deletion",
	"source": "human_error",
	"area": "k8s-core",
	"severity": "SEV1",
	"high_profile": true,
	"owner": "alice",
}

waiver := {
	"rule": "area-min-contacts",
	"target": "k8s-core",
	"reason": "being retired",
	"expires": "2027-01-31",
}

metadata := {
	"name": "acme",
	"owner": "sre",
	"reviewed_at": "2026-11-01",
	"review_interval_days": 90,
}

plan := {
	"apiVersion": "plancheck.dev/v1",
	"kind": "IncidentResponsePlan",
	"metadata": metadata,
	"contacts": [alice, bob, ceo],
	"teams": [team],
	"areas": [area],
	"escalation_policies": [policy],
	"threats": [threat],
	"waivers": [waiver],
}

codeowners := {
	"path": ".github/CODEOWNERS",
	"rules": [
		{"line": 1, "pattern": "/incident-response/", "owners": ["@acme/sre"]},
		{"line": 2, "pattern": "/clusters/*/core/", "owners": ["@acme/sre"]},
	],
	"errors": [],
}

ownership := {
	"incident-response/plan.yaml": {"owners": ["@acme/sre"], "line": 1},
	"clusters/prod/core/coredns.yaml": {"owners": ["@acme/sre"], "line": 2},
}

files := [{"path": "incident-response/plan.yaml", "kind": "yaml"}]

# facts: what Rust computes for `plan` over the horizon [2026-11-24, 2026-12-22) (see
# docs/writing-policies.md): alice and bob alternate weekly from Tuesday 2026-11-24 00:00 UTC.
local(s) := {"UTC": {"from": s[0], "to": s[1]}}

week(from, to, who) := {"from": sprintf("%sT00:00:00Z", [from]), "to": sprintf("%sT00:00:00Z", [to]), "hours": 168, "contacts": [who], "local": local([from, to])}

first_page := [
	week("2026-11-24", "2026-12-01", "alice"),
	week("2026-12-01", "2026-12-08", "bob"),
	week("2026-12-08", "2026-12-15", "alice"),
	week("2026-12-15", "2026-12-22", "bob"),
]

facts := {
	"area_ownership": {"k8s-core": [{"owners": ["@acme/sre"], "line": 2, "files": 1, "examples": ["clusters/prod/core/coredns.yaml"]}]},
	"escalation": {
		"threats": {"THR-1": {"policy": "ep-sre", "via": "team", "team": "sre", "timezone": "UTC"}},
		"areas": {"k8s-core": {"policy": "ep-sre", "team": "sre"}},
		"policies": {"ep-sre": {"index": 0, "levels": [
			{"index": 0, "after_minutes": 0, "tier": "responder", "contacts": ["alice", "bob"]},
			{"index": 1, "after_minutes": 30, "tier": "executive", "contacts": ["ceo"]},
		]}},
	},
	"oncall": {
		"teams": {"sre": {"index": 0, "timezone": "UTC", "coverage": "24x7"}},
		"required_gaps": {"sre": []},
		"first_page": {"ep-sre": first_page},
		"load": {
			"alice": {"hours": 336, "share_percent": 50, "teams": ["sre"], "double_booked": null},
			"bob": {"hours": 336, "share_percent": 50, "teams": ["sre"], "double_booked": null},
		},
	},
}

# base: the whole input document; every built-in rule accepts it.
base := {
	"plan": plan,
	"codeowners": codeowners,
	"ownership": ownership,
	"files": files,
	"now": "2026-11-24",
	"facts": facts,
}

# --- helpers -------------------------------------------------------------------------
#
# Bind a patched input to a variable before `with input as inp` when the
# expression under `with` also reads this package (e.g. `lib.contact("alice") ==
# td.alice`): regorus 0.14.1 evaluates a rule as undefined when it is referenced
# both in the `with` value and in the expression the `with` applies to.

# with_plan(patch): base with patch merged into input.plan (lists are replaced).
with_plan(patch) := object.union(base, {"plan": patch})

# with_input(patch): base with patch merged into the input document.
with_input(patch) := object.union(base, patch)

# without(paths): base without the keys at the given "/"-separated paths,
# e.g. without(["plan/metadata/reviewed_at"]).
without(paths) := json.remove(base, paths)
