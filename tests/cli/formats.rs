//! The SARIF, JUnit and GitHub-annotation formats, each validated by an independent reader.

use crate::common::*;

fn broken(name: &str) -> Repo {
    Repo::from_fixture(&format!("broken/{name}"))
}

fn format(repo: &Repo, format: &str, extra: &[&str]) -> Run {
    run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--format", format])
        .args(extra))
}

/// The official SARIF 2.1.0 JSON Schema, committed under `tests/data/sarif/` (see its README).
fn sarif_schema() -> serde_json::Value {
    serde_json::from_str(include_str!("../data/sarif/sarif-schema-2.1.0.json"))
        .expect("the committed SARIF schema is JSON")
}

pub fn validate_sarif(doc: &serde_json::Value) {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let url = "https://json.schemastore.org/sarif-2.1.0.json";
    compiler
        .add_resource(url, sarif_schema())
        .expect("resource");
    let index = compiler.compile(url, &mut schemas).expect("compile schema");
    if let Err(e) = schemas.validate(doc, index) {
        panic!("SARIF does not match the 2.1.0 schema: {e:#}");
    }
    let typed: Result<serde_sarif::sarif::Sarif, _> = serde_json::from_value(doc.clone());
    assert!(typed.is_ok(), "serde-sarif cannot read it: {typed:?}");
}

#[test]
fn sarif_matches_the_2_1_0_schema_with_rules_levels_and_locations() {
    let repo = broken("threat-owner");
    let r = format(&repo, "sarif", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    validate_sarif(&doc);
    // The validator is real: a wrong level is rejected.
    let mut bad = doc.clone();
    bad["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(
        std::panic::catch_unwind(|| validate_sarif(&bad)).is_err(),
        "an invalid level must fail the schema"
    );
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.iter().any(|r| r["id"] == "high-profile-executive"));
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "threat-owner");
    assert_eq!(result["level"], "error");
    let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
    assert_eq!(rules[index]["id"], "threat-owner");
    assert_eq!(rules[index]["defaultConfiguration"]["level"], "error");
    assert!(rules[index]["help"]["text"]
        .as_str()
        .is_some_and(|h| !h.is_empty()));
    let loc = &result["locations"][0]["physicalLocation"];
    assert!(loc["artifactLocation"]["uri"]
        .as_str()
        .is_some_and(|u| u.starts_with("incident-response/")));
    assert!(loc["region"]["startLine"].as_u64().is_some_and(|l| l > 1));
    assert!(result["partialFingerprints"]["plancheck/v1"].is_string());
    insta::assert_snapshot!(
        "sarif_threat_owner",
        crate::support::redact::Redact::new().apply(&r.stdout)
    );
}

#[test]
fn sarif_lists_suppressed_findings_as_suppressions_and_marks_diff_status() {
    let repo = Repo::from_fixture("custom-policy");
    let r = format(&repo, "sarif", &[]);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    validate_sarif(&doc);
    let waived: Vec<&serde_json::Value> = doc["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["suppressions"].is_array())
        .collect();
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["suppressions"][0]["kind"], "inSource");
    assert!(waived[0]["suppressions"][0]["justification"]
        .as_str()
        .is_some_and(|j| j.starts_with("Runbook in review")));
    // Diff mode: baselineState, and fixed findings left out.
    let head = repo.read("incident-response/plan.yaml");
    repo.write(
        "incident-response/plan.yaml",
        head.replace("    owner: eve\n", ""),
    );
    let r = format(&repo, "sarif", &["--base", "HEAD"]);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    validate_sarif(&doc);
    let states: Vec<(&str, &str)> = doc["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["suppressions"].is_null())
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or("?"),
                r["baselineState"].as_str().unwrap_or("?"),
            )
        })
        .collect();
    assert!(states.contains(&("threat-owner", "new")), "{states:?}");
    assert!(
        states.contains(&("sev1-runbook", "unchanged")),
        "{states:?}"
    );
}

#[test]
fn junit_has_a_suite_per_rule_and_a_failure_per_finding() {
    let repo = broken("area-min-contacts");
    let r = format(&repo, "junit", &[]);
    assert_eq!(r.code, 1);
    let xml = roxmltree::Document::parse(&r.stdout).expect("well-formed XML");
    let root = xml.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let rules = run(plancheck().args(["rules", "--format", "json"]));
    let count = serde_json::from_str::<serde_json::Value>(&rules.stdout)
        .expect("json")
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(suites.len(), count, "one suite per rule");
    let failing = suites
        .iter()
        .find(|s| s.attribute("name") == Some("area-min-contacts"))
        .expect("suite");
    let failures: Vec<_> = failing
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert!(!failures.is_empty());
    assert_eq!(
        failing.attribute("failures"),
        Some(failures.len().to_string().as_str())
    );
    assert_eq!(failures[0].attribute("type"), Some("error"));
    let total: usize = suites
        .iter()
        .map(|s| {
            s.attribute("failures")
                .and_then(|f| f.parse::<usize>().ok())
                .unwrap_or(0)
        })
        .sum();
    assert_eq!(root.attribute("failures"), Some(total.to_string().as_str()));
    insta::assert_snapshot!("junit_area_min_contacts", r.stdout);
}

#[test]
fn junit_escapes_markup_in_messages() {
    let repo = Repo::from_fixture("demo");
    repo.write(
        "pol/x.rego",
        "package plancheck.x\n\ndeny contains \"<b>&\\\"quoted\\\"</b>\" if { true }\n",
    );
    let r = format(
        &repo,
        "junit",
        &["--policy", repo.path().join("pol").to_str().expect("utf8")],
    );
    let xml = roxmltree::Document::parse(&r.stdout).expect("well-formed XML");
    let failure = xml
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .expect("failure");
    assert_eq!(failure.attribute("message"), Some("<b>&\"quoted\"</b>"));
}

#[test]
fn github_annotations_are_escaped_workflow_commands() {
    let repo = broken("threat-owner");
    let r = format(&repo, "github", &[]);
    assert_eq!(r.code, 1);
    let first = r.stdout.lines().next().expect("a line");
    assert!(
        first.starts_with("::error file=incident-response/")
            && first.contains(",line=")
            && first.contains(",title=plancheck threat-owner::"),
        "{first}"
    );
    insta::assert_snapshot!("github_threat_owner", r.stdout);
    let repo = Repo::from_fixture("demo");
    repo.write(
        "pol/x.rego",
        "package plancheck.x\n\nwarn contains \"50% done,\\nnext: line\" if { true }\n",
    );
    let r = format(
        &repo,
        "github",
        &["--policy", repo.path().join("pol").to_str().expect("utf8")],
    );
    assert!(
        r.stdout.contains("::warning file=incident-response/areas.yaml,line=1,col=1,title=plancheck x::50%25 done,%0Anext: line"),
        "{}",
        r.stdout
    );
}

/// A JSON Schema kept in tests/data, compiled with boon; panics with the first violation.
fn validate_with(schema_file: &str, doc: &serde_json::Value) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(schema_file);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("schema file"))
            .expect("schema json");
    let url = format!("file:///plancheck-tests/{schema_file}");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource(&url, schema).expect("resource");
    let index = compiler
        .compile(&url, &mut schemas)
        .expect("compile schema");
    if let Err(e) = schemas.validate(doc, index) {
        panic!("the document does not match {schema_file}: {e:#}");
    }
}

pub fn validate_rdjson(doc: &serde_json::Value) {
    validate_with("rdjson/DiagnosticResult.json", doc);
}

pub fn validate_gitlab(doc: &serde_json::Value) {
    validate_with("gitlab-codequality.schema.json", doc);
}

/// The findings of `--format json` that a forge format must carry: not suppressed, not fixed.
fn reportable(repo: &Repo, extra: &[&str]) -> Vec<serde_json::Value> {
    let (_, report, stderr) = check_json(repo.path(), extra);
    report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no JSON report: {stderr}"))
        .iter()
        .filter(|f| f["status"] != "fixed")
        .cloned()
        .collect()
}

#[test]
fn rdjson_matches_reviewdogs_schema_with_one_diagnostic_per_finding() {
    let repo = broken("threat-owner");
    let r = format(&repo, "rdjson", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    validate_rdjson(&doc);
    // The validator is real: a severity reviewdog does not know is rejected.
    let mut bad = doc.clone();
    bad["diagnostics"][0]["severity"] = serde_json::json!("FATAL");
    assert!(
        std::panic::catch_unwind(|| validate_rdjson(&bad)).is_err(),
        "an unknown severity must fail the schema"
    );
    assert_eq!(doc["source"]["name"], "plancheck");
    let diagnostics = doc["diagnostics"].as_array().expect("diagnostics");
    let findings = reportable(&repo, &[]);
    assert_eq!(diagnostics.len(), findings.len(), "{}", r.stdout);
    for (d, f) in diagnostics.iter().zip(&findings) {
        assert_eq!(d["code"]["value"], f["rule"]);
        assert_eq!(d["location"]["path"], f["location"]["path"]);
        assert_eq!(
            d["location"]["range"]["start"]["line"],
            f["location"]["line"]
        );
        assert_eq!(
            d["severity"],
            f["severity"].as_str().expect("severity").to_uppercase()
        );
        assert!(d["message"]
            .as_str()
            .is_some_and(|m| m.starts_with(f["message"].as_str().expect("message"))));
    }
    assert!(diagnostics
        .iter()
        .any(|d| d["code"]["value"] == "threat-owner" && d["severity"] == "ERROR"));
    insta::assert_snapshot!("rdjson_threat_owner", r.stdout);
}

#[test]
fn rdjson_and_gitlab_leave_out_suppressed_and_fixed_findings() {
    let repo = Repo::from_fixture("custom-policy");
    let (_, report, _) = check_json(repo.path(), &[]);
    assert!(
        report["suppressed"]
            .as_array()
            .is_some_and(|s| !s.is_empty()),
        "setup: the fixture has a waived finding"
    );
    let active = reportable(&repo, &[]).len();
    let rd: serde_json::Value =
        serde_json::from_str(&format(&repo, "rdjson", &[]).stdout).expect("rdjson");
    let gl: serde_json::Value =
        serde_json::from_str(&format(&repo, "gitlab", &[]).stdout).expect("gitlab");
    validate_rdjson(&rd);
    validate_gitlab(&gl);
    assert_eq!(rd["diagnostics"].as_array().map(Vec::len), Some(active));
    assert_eq!(gl.as_array().map(Vec::len), Some(active));
    // Diff mode: a change that removes an owner; the base's findings that the change fixes
    // are not at head, so neither format lists them.
    let head = repo.read("incident-response/plan.yaml");
    repo.write(
        "incident-response/plan.yaml",
        head.replace("    owner: eve\n", ""),
    );
    let (_, diff, _) = check_json(repo.path(), &["--base", "HEAD"]);
    let at_head = reportable(&repo, &["--base", "HEAD"]);
    assert!(at_head.iter().any(|f| f["status"] == "new"), "{diff:#}");
    let rd: serde_json::Value =
        serde_json::from_str(&format(&repo, "rdjson", &["--base", "HEAD"]).stdout).expect("rd");
    let gl: serde_json::Value =
        serde_json::from_str(&format(&repo, "gitlab", &["--base", "HEAD"]).stdout).expect("gl");
    validate_rdjson(&rd);
    validate_gitlab(&gl);
    assert_eq!(
        rd["diagnostics"].as_array().map(Vec::len),
        Some(at_head.len())
    );
    assert_eq!(gl.as_array().map(Vec::len), Some(at_head.len()));
}

#[test]
fn gitlab_code_quality_matches_the_documented_format_with_stable_fingerprints() {
    let repo = broken("area-min-contacts");
    let r = format(&repo, "gitlab", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    validate_gitlab(&doc);
    // The validator is real: an unknown severity and a missing line are rejected.
    for (what, broken) in [
        ("severity", serde_json::json!("fatal")),
        ("location", serde_json::json!({"path": "x.yaml"})),
    ] {
        let mut bad = doc.clone();
        bad[0][what] = broken;
        assert!(
            std::panic::catch_unwind(|| validate_gitlab(&bad)).is_err(),
            "a broken {what} must fail the schema"
        );
    }
    let issues = doc.as_array().expect("array");
    let findings = reportable(&repo, &[]);
    assert_eq!(issues.len(), findings.len());
    for (i, f) in issues.iter().zip(&findings) {
        assert_eq!(i["check_name"], f["rule"]);
        assert_eq!(i["fingerprint"], f["fingerprint"]);
        assert_eq!(i["location"]["path"], f["location"]["path"]);
        assert_eq!(i["location"]["lines"]["begin"], f["location"]["line"]);
        let expected = if f["severity"] == "error" {
            "major"
        } else {
            "minor"
        };
        assert_eq!(i["severity"], expected);
    }
    let mut prints: Vec<&str> = issues
        .iter()
        .filter_map(|i| i["fingerprint"].as_str())
        .collect();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), issues.len(), "fingerprints are unique");
    insta::assert_snapshot!("gitlab_area_min_contacts", r.stdout);

    // Lines move (a comment at the top of every plan file): same fingerprints, new lines, so
    // GitLab's merge-request widget does not report the findings as fixed and new again.
    let paths: std::collections::BTreeSet<&str> = issues
        .iter()
        .filter_map(|i| i["location"]["path"].as_str())
        .filter(|p| p.ends_with(".yaml"))
        .collect();
    assert!(!paths.is_empty(), "setup: findings in YAML plan files");
    for path in paths {
        let text = repo.read(path);
        repo.write(path, format!("# moved\n{text}"));
    }
    let moved: serde_json::Value =
        serde_json::from_str(&format(&repo, "gitlab", &[]).stdout).expect("json");
    let moved = moved.as_array().expect("array");
    assert_eq!(moved.len(), issues.len());
    for (before, after) in issues.iter().zip(moved) {
        assert_eq!(before["fingerprint"], after["fingerprint"]);
        if before["location"]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with(".yaml"))
        {
            assert_eq!(
                after["location"]["lines"]["begin"].as_u64(),
                before["location"]["lines"]["begin"].as_u64().map(|l| l + 1)
            );
        }
    }
}
