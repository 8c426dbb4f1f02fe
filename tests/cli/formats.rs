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
        r.stdout.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
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
