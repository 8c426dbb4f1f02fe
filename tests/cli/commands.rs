//! owners, parse, rules, explain, schema.

use crate::common::*;

#[test]
fn owners_answers_which_line_owns_each_path() {
    let repo = Repo::new();
    repo.write(
        ".github/CODEOWNERS",
        "* @acme/everyone\n/docs/* @docs\n/apps/ @apps\n/apps/github\n",
    );
    repo.write("CODEOWNERS", "* @ignored-because-github-dir-wins\n");
    repo.commit_all("owners");
    let r = run(plancheck()
        .args([
            "owners",
            "--format",
            "json",
            "docs/a.md",
            "docs/x/y.md",
            "apps/github/z",
            "apps/web/z",
        ])
        .current_dir(repo.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(
        v,
        serde_json::json!([
            {"path": "docs/a.md", "owners": ["@docs"], "line": 2},
            {"path": "docs/x/y.md", "owners": ["@acme/everyone"], "line": 1},
            {"path": "apps/github/z", "owners": [], "line": 4},
            {"path": "apps/web/z", "owners": ["@apps"], "line": 3},
        ])
    );
    // Run from a subdirectory, paths are relative to it; human output names the line.
    std::fs::create_dir_all(repo.path().join("apps/web")).expect("mkdir");
    let r = run(plancheck()
        .args(["owners", "z"])
        .current_dir(repo.path().join("apps/web")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "apps/web/z  @apps  [.github/CODEOWNERS:3]\n");
}

#[test]
fn owners_takes_absolute_paths_into_the_checkout_and_refuses_paths_outside_it() {
    let repo = Repo::new();
    repo.write(".github/CODEOWNERS", "* @acme/everyone\n/docs/ @docs\n");
    repo.commit_all("owners");
    let inside = repo.path().join("docs/a.md");
    let r = run(plancheck()
        .args(["owners", "--format", "json"])
        .arg(&inside)
        .arg("/docs/b.md")
        .current_dir(repo.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(
        v,
        serde_json::json!([
            {"path": "docs/a.md", "owners": ["@docs"], "line": 2},
            {"path": "docs/b.md", "owners": ["@docs"], "line": 2},
        ])
    );
    let r = run(plancheck()
        .args(["owners", "../elsewhere.md"])
        .current_dir(repo.path()));
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("../elsewhere.md: outside the repository"),
        "{}",
        r.stderr
    );
}

#[test]
fn parse_prints_the_normative_input_document() {
    let repo = Repo::from_fixture("demo");
    let r = run(plancheck().arg("parse").arg(repo.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let keys: Vec<&str> = doc
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "codeowners",
            "facts",
            "files",
            "manifests",
            "now",
            "oncall",
            "ownership",
            "plan"
        ]
    );
    assert_eq!(doc["now"], NOW);
    // input.manifests keeps DESIGN's shape exactly; the areas owning each object are facts.
    let manifests = doc["manifests"].as_array().expect("manifests");
    assert!(manifests.len() >= 20, "{}", manifests.len());
    for m in manifests {
        let mut keys: Vec<&str> = m
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["line", "object", "path"]);
    }
    assert_eq!(
        doc["facts"]["manifests"]["by_kind"]["PersistentVolumeClaim"],
        serde_json::json!([0, 1])
    );
    let areas = doc["facts"]["manifests"]["areas"]
        .as_array()
        .expect("areas");
    assert_eq!(areas.len(), manifests.len());
    let pvc = manifests
        .iter()
        .position(|m| m["object"]["metadata"]["name"] == "checkout-redis")
        .expect("the demo's redis claim");
    assert_eq!(
        manifests[pvc]["path"],
        "clusters/prod-eu/apps/checkout-data.yaml"
    );
    assert_eq!(manifests[pvc]["line"], 15);
    // Its file is in workloads-rollout's paths; its kind is in k8s-storage's kinds.
    assert_eq!(
        areas[pvc],
        serde_json::json!(["k8s-storage", "workloads-rollout"])
    );
    // input.oncall: every team's on-call tiles the 28-day horizon exactly.
    let oncall = &doc["oncall"];
    assert_eq!(oncall["from"], format!("{NOW}T00:00:00Z"));
    assert_eq!(oncall["to"], "2026-12-22T00:00:00Z");
    let teams = oncall["teams"].as_object().expect("teams");
    assert_eq!(
        teams.len(),
        doc["plan"]["teams"].as_array().expect("teams").len()
    );
    for (team, intervals) in teams {
        let intervals = intervals.as_array().expect("intervals");
        assert_eq!(
            intervals.first().map(|i| &i["from"]),
            Some(&oncall["from"]),
            "{team}"
        );
        assert_eq!(
            intervals.last().map(|i| &i["to"]),
            Some(&oncall["to"]),
            "{team}"
        );
        for pair in intervals.windows(2) {
            assert_eq!(pair[0]["to"], pair[1]["from"], "{team}");
        }
    }
    for list in [
        "contacts",
        "teams",
        "areas",
        "escalation_policies",
        "threats",
        "waivers",
    ] {
        assert!(doc["plan"][list].is_array(), "plan.{list} is always a list");
    }
    assert_eq!(doc["plan"]["apiVersion"], "plancheck.dev/v1");
    let files = doc["files"].as_array().expect("files");
    assert!(
        files.iter().any(|f| f["kind"] == "json"),
        "the demo has a JSON plan file"
    );
    for f in files {
        let path = f["path"].as_str().expect("path");
        let own = &doc["ownership"][path];
        assert!(
            own["owners"].as_array().is_some_and(|o| !o.is_empty()),
            "{path} is owned: {own}"
        );
        assert!(own["line"].is_u64());
    }
    assert!(doc["codeowners"]["rules"][0]["line"].is_u64());
    assert!(doc["codeowners"]["errors"].is_array());
}

#[test]
fn parse_gives_policies_each_teams_on_call_as_dated_shifts_across_a_dst_change() {
    let repo = Repo::new();
    repo.write(
        "incident-response/plan.yaml",
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\ncontacts:\n  - {id: erin, email: e@example.com}\n  - {id: farid, email: f@example.com}\n  - {id: gus, email: g@example.com, active: false}\nteams:\n  - id: storage\n    timezone: Europe/Berlin\n    oncall:\n      rotation: [erin, farid]\n      shift_hours: 168\n      handoff: 2027-03-22T09:00\n      overrides:\n        - {contact: gus, from: 2027-04-10T00:00:00Z, to: 2027-04-11T00:00:00Z}\n",
    );
    repo.commit_all("plan");
    let r = run(plancheck()
        .arg("parse")
        .arg(repo.path())
        .env("PLANCHECK_NOW", "2027-03-20"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let shifts: Vec<String> = doc["oncall"]["teams"]["storage"]
        .as_array()
        .expect("intervals")
        .iter()
        .map(|i| {
            format!(
                "{} {} {}",
                i["from"].as_str().unwrap_or(""),
                i["to"].as_str().unwrap_or(""),
                i["contacts"]
            )
        })
        .collect();
    // 09:00 in Berlin is 08:00Z before 2027-03-28 and 07:00Z after; the inactive override
    // holder means nobody, with no fallback to the rotation.
    assert_eq!(
        shifts,
        [
            "2027-03-20T00:00:00Z 2027-03-22T08:00:00Z [\"farid\"]",
            "2027-03-22T08:00:00Z 2027-03-29T07:00:00Z [\"erin\"]",
            "2027-03-29T07:00:00Z 2027-04-05T07:00:00Z [\"farid\"]",
            "2027-04-05T07:00:00Z 2027-04-10T00:00:00Z [\"erin\"]",
            "2027-04-10T00:00:00Z 2027-04-11T00:00:00Z []",
            "2027-04-11T00:00:00Z 2027-04-12T07:00:00Z [\"erin\"]",
            "2027-04-12T07:00:00Z 2027-04-17T00:00:00Z [\"farid\"]",
        ]
    );
}

#[test]
fn rules_lists_all_sixteen_builtin_rules_with_metadata() {
    let r = run(plancheck().args(["rules", "--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rules: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let got: Vec<(String, String)> = rules
        .as_array()
        .expect("array")
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or("").to_string(),
                r["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let want = [
        ("threat-owner", "error"),
        ("area-min-contacts", "error"),
        ("high-profile-executive", "error"),
        ("team-oncall", "error"),
        ("escalation-policy", "error"),
        ("ref-resolves", "error"),
        ("unique-id", "error"),
        ("threat-area", "error"),
        ("threat-source", "error"),
        ("contact-reachable", "error"),
        ("inactive-contact", "error"),
        ("codeowners-syntax", "error"),
        ("plan-codeowned", "error"),
        ("area-paths-owned", "warning"),
        ("plan-review-stale", "warning"),
        ("waiver-expired", "warning"),
    ];
    for (id, sev) in want {
        assert!(
            got.contains(&(id.to_string(), sev.to_string())),
            "missing {id} ({sev}) in {got:?}"
        );
    }
    for r in rules.as_array().expect("array") {
        assert!(!r["title"].as_str().unwrap_or("").is_empty(), "{r}");
        assert!(!r["description"].as_str().unwrap_or("").is_empty(), "{r}");
        assert!(r["help"].is_string(), "{r}");
    }
    let human = run(plancheck().arg("rules"));
    assert!(human.stdout.lines().count() >= 17, "{}", human.stdout);
}

#[test]
fn explain_shows_one_rule_and_rejects_unknown_ids() {
    let r = run(plancheck().args(["explain", "high-profile-executive"]));
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.starts_with("high-profile-executive (error)\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("How to fix:"), "{}", r.stdout);
    assert!(
        r.stdout.contains("policies/high-profile-executive.rego:"),
        "{}",
        r.stdout
    );
    let r = run(plancheck().args(["explain", "no-such-rule"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown rule `no-such-rule`") && r.stderr.contains("threat-owner"),
        "{}",
        r.stderr
    );
}

/// Converts a plan node to JSON exactly as written (nulls kept), for validation by an independent validator.
fn to_json(node: &plancheck::plan::node::Node) -> serde_json::Value {
    use plancheck::plan::node::Value;
    match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => (*b).into(),
        Value::Int(i) => (*i).into(),
        Value::Float(f) => serde_json::json!(f),
        Value::Str(s) => s.as_str().into(),
        Value::Seq(items) => items.iter().map(to_json).collect(),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| (k.name.clone(), to_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

fn schema() -> (boon::Schemas, boon::SchemaIndex) {
    let r = run(plancheck().arg("schema"));
    assert_eq!(r.code, 0);
    let schema: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("https://plancheck.dev/schema/plan.v1.json", schema)
        .expect("resource");
    let index = compiler
        .compile("https://plancheck.dev/schema/plan.v1.json", &mut schemas)
        .expect("schema compiles");
    (schemas, index)
}

fn plan_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            plan_files(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
            && p.to_string_lossy().contains("incident-response")
        {
            out.push(p);
        }
    }
}

#[test]
fn bundled_fixtures_validate_against_the_printed_json_schema() {
    let (schemas, index) = schema();
    let mut files = Vec::new();
    plan_files(&fixtures().join("demo"), &mut files);
    plan_files(&fixtures().join("broken"), &mut files);
    assert!(files.len() > 20, "{files:?}");
    for f in files {
        if f.to_string_lossy().contains("plan-schema") {
            continue;
        }
        let text = std::fs::read_to_string(&f).expect("read");
        for doc in plancheck::plan::node::parse_documents(&text).expect("parses") {
            let json = to_json(&doc);
            if let Err(e) = schemas.validate(&json, index) {
                panic!("{} does not validate: {e:#}", f.display());
            }
        }
    }
}

#[test]
fn the_json_schema_rejects_what_the_loader_rejects() {
    let (schemas, index) = schema();
    let cases = [
        serde_json::json!({"apiVersion": "plancheck.dev/v1", "kind": "Runbook"}),
        serde_json::json!({"apiVersion": "plancheck.dev/v1", "kind": "IncidentResponsePlan", "threats": [{"title": "no id"}]}),
        serde_json::json!({"apiVersion": "plancheck.dev/v1", "kind": "IncidentResponsePlan", "threats": [{"id": "T", "ownr": "x"}]}),
        serde_json::json!({"apiVersion": "plancheck.dev/v1", "kind": "IncidentResponsePlan", "teams": [{"id": "t", "oncall": {"shift_hours": "12"}}]}),
        serde_json::json!({"apiVersion": "plancheck.dev/v1", "kind": "IncidentResponsePlan", "threats": [{"id": "T", "severity": "SEV9"}]}),
    ];
    for c in cases {
        assert!(schemas.validate(&c, index).is_err(), "schema accepted {c}");
        let doc = plancheck::plan::node::parse_documents(&c.to_string())
            .expect("parses")
            .remove(0);
        assert!(
            !plancheck::plan::schema::validate(&doc).is_empty(),
            "loader accepted {c}"
        );
    }
    let ok = serde_json::json!({"apiVersion": "plancheck.dev/v1", "kind": "IncidentResponsePlan",
        "x-notes": "free", "threats": [{"id": "T", "owner": null, "source": "alien", "x-jira": 1}]});
    assert!(schemas.validate(&ok, index).is_ok());
    let doc = plancheck::plan::node::parse_documents(&ok.to_string())
        .expect("parses")
        .remove(0);
    assert!(plancheck::plan::schema::validate(&doc).is_empty());
}

#[test]
fn staged_checks_the_git_index_not_the_working_tree() {
    let repo = Repo::from_fixture("demo");
    let path = "incident-response/threats/human-error.yaml";
    let clean = repo.read(path);
    let broken = clean.replacen("    owner: ", "    x-owner: ", 1);
    repo.write(path, &broken);
    repo.add_all();
    // The working tree is fixed again, but the index still holds the broken file.
    repo.write(path, &clean);
    let (code, json, stderr) = check_json(repo.path(), &["--staged"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        rule_lines(&json)
            .iter()
            .any(|l| l.starts_with("threat-owner incident-response/threats/human-error.yaml:")),
        "{json}"
    );
    let (code, _, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 0, "the working tree is clean: {stderr}");
    // An untracked file is not part of the commit.
    repo.write(
        "incident-response/draft.yaml",
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nthreats:\n  - {id: DRAFT-1}\n",
    );
    repo.write(path, &clean);
    repo.add_all();
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--staged", "--color", "never"]));
    assert!(
        r.stdout.contains("DRAFT-1"),
        "draft was staged by add_all: {}",
        r.stdout
    );
    let mut index = repo.repo.index().expect("index");
    index
        .remove_path(std::path::Path::new("incident-response/draft.yaml"))
        .expect("unstage");
    index.write().expect("write index");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--staged", "--color", "never"]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout.contains("from the staged changes (git index)"),
        "{}",
        r.stdout
    );
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--staged", "--rev", "HEAD"]));
    assert_eq!(r.code, 2, "--staged and --rev conflict");
}
