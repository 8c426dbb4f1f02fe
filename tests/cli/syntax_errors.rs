//! Plan files and configurations that do not parse: the error is rendered like a finding
//! (the line, a caret at the column, a help line in plain words) in every output format,
//! and the run exits 2.

use crate::common::*;

/// A plan whose `owner` line is indented with a tab (line 5); the parser alone reports it at
/// the end of line 4.
const TABBED: &str = "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nmetadata:\n  name: demo\n\towner: sre\n";

fn repo_with(path: &str, text: &str) -> Repo {
    let repo = Repo::new();
    repo.write(path, text);
    repo.add_all();
    repo
}

fn check(repo: &Repo, format: &str) -> Run {
    run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--format", format, "--color", "never"]))
}

#[test]
fn a_tab_in_indentation_is_shown_on_its_own_line_with_plain_help() {
    let repo = repo_with("incident-response/plan.yaml", TABBED);
    let r = check(&repo, "human");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    insta::assert_snapshot!("syntax_human_tab", r.stderr);
}

#[test]
fn a_list_item_without_a_dash_says_so() {
    let repo = repo_with(
        "incident-response/plan.yaml",
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\ncontacts:\n  - id: alice\n    name: Alice\n  id: bob\n",
    );
    let r = check(&repo, "human");
    assert_eq!(r.code, 2, "{}", r.stderr);
    insta::assert_snapshot!("syntax_human_missing_dash", r.stderr);
}

#[test]
fn a_json_syntax_error_points_at_its_position() {
    let repo = repo_with(
        "incident-response/threats.json",
        "{\n  \"apiVersion\": \"plancheck.dev/v1\",\n  \"kind\": \"IncidentResponsePlan\",\n  \"threats\": [{\"id\": \"THR-1\"},]\n}\n",
    );
    let r = check(&repo, "human");
    assert_eq!(r.code, 2, "{}", r.stderr);
    insta::assert_snapshot!("syntax_human_json_trailing_comma", r.stderr);
}

#[test]
fn every_broken_file_is_reported_not_only_the_first() {
    let repo = repo_with("incident-response/plan.yaml", TABBED);
    repo.write("incident-response/more.json", "{\"kind\": }\n");
    repo.add_all();
    let r = check(&repo, "json");
    assert_eq!(r.code, 2, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let places: Vec<String> = doc["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["location"]["path"].as_str().unwrap_or("?"),
                e["location"]["line"]
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            "incident-response/more.json:1",
            "incident-response/plan.yaml:5"
        ]
    );
}

#[test]
fn json_output_carries_the_error_as_an_object_beside_the_findings_shape() {
    let repo = repo_with("incident-response/plan.yaml", TABBED);
    let r = check(&repo, "json");
    assert_eq!(r.code, 2, "{}", r.stderr);
    // The plain text goes to stderr, so a log shows what happened.
    assert!(
        r.stderr
            .starts_with("error: incident-response/plan.yaml:5:1: invalid YAML"),
        "{}",
        r.stderr
    );
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(doc["findings"], serde_json::json!([]));
    insta::assert_json_snapshot!("syntax_json_tab", doc);
}

#[test]
fn github_format_annotates_the_line_and_column() {
    let repo = repo_with("incident-response/plan.yaml", TABBED);
    let r = check(&repo, "github");
    assert_eq!(r.code, 2, "{}", r.stderr);
    insta::assert_snapshot!("syntax_github_tab", r.stdout);
}

#[test]
fn sarif_carries_the_error_as_a_tool_execution_notification_and_stays_valid() {
    let repo = repo_with("incident-response/plan.yaml", TABBED);
    let r = check(&repo, "sarif");
    assert_eq!(r.code, 2, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    crate::formats::validate_sarif(&doc);
    let invocation = &doc["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let region =
        &invocation["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(5), Some(1))
    );
    let mut redacted = doc.clone();
    redacted["runs"][0]["tool"]["driver"]["version"] = serde_json::json!("[version]");
    insta::assert_json_snapshot!("syntax_sarif_tab", redacted);
}

#[test]
fn junit_reports_the_error_as_an_error_not_a_failure() {
    let repo = repo_with("incident-response/plan.yaml", TABBED);
    let r = check(&repo, "junit");
    assert_eq!(r.code, 2, "{}", r.stderr);
    let doc = roxmltree::Document::parse(&r.stdout).expect("well-formed XML");
    let error = doc
        .descendants()
        .find(|n| n.has_tag_name("error"))
        .expect("an <error>");
    assert!(error
        .text()
        .is_some_and(|t| t.contains("indent with spaces, not tabs")));
    assert!(!doc.descendants().any(|n| n.has_tag_name("failure")));
    insta::assert_snapshot!("syntax_junit_tab", r.stdout);
}

#[test]
fn markdown_shows_the_snippet_for_a_job_summary() {
    let repo = repo_with("incident-response/plan.yaml", TABBED);
    let r = check(&repo, "markdown");
    assert_eq!(r.code, 2, "{}", r.stderr);
    insta::assert_snapshot!("syntax_markdown_tab", r.stdout);
}

#[test]
fn a_configuration_error_is_rendered_the_same_way_in_plain_words() {
    let repo = repo_with("incident-response/plan.yaml", &TABBED.replace('\t', "  "));
    repo.write(
        ".plancheck.toml",
        "[rules.area-min-contacts]\nmin-contacts = \"three\"\n",
    );
    repo.add_all();
    let r = check(&repo, "human");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!r.stderr.contains("i64"), "{}", r.stderr);
    insta::assert_snapshot!("syntax_human_config_type", r.stderr);
    let r = check(&repo, "github");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("::error file=.plancheck.toml,line=2,col=16,"),
        "{}",
        r.stdout
    );
}

#[test]
fn forge_formats_carry_the_error_on_its_line_as_valid_documents() {
    let repo = repo_with("incident-response/plan.yaml", TABBED);
    let r = check(&repo, "rdjson");
    assert_eq!(r.code, 2, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("rdjson");
    crate::formats::validate_rdjson(&doc);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"]["value"], "load-error");
    assert_eq!(d["location"]["path"], "incident-response/plan.yaml");
    assert_eq!(d["location"]["range"]["start"]["line"], 5);
    assert!(
        d["message"].as_str().is_some_and(|m| m.contains("tab")),
        "{d}"
    );
    let r = check(&repo, "gitlab");
    assert_eq!(r.code, 2, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("gitlab");
    crate::formats::validate_gitlab(&doc);
    assert_eq!(doc[0]["check_name"], "load-error");
    assert_eq!(doc[0]["severity"], "blocker");
    assert_eq!(doc[0]["location"]["lines"]["begin"], 5);
}

#[test]
fn a_duplicate_key_before_a_tabbed_line_is_reported_as_the_duplicate_with_its_own_help() {
    // The key `metadata` is defined twice; the line after the second is indented with a tab.
    let text = "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nmetadata:\n  name: a\nmetadata:\n\tname: b\n";
    let repo = repo_with("incident-response/plan.yaml", text);
    let r = check(&repo, "json");
    assert_eq!(r.code, 2, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let e = &doc["errors"][0];
    let message = e["message"].as_str().unwrap_or("");
    let help = e["help"].as_str().unwrap_or("");
    assert!(message.contains("metadata"), "{e}");
    assert_eq!(e["location"]["line"], 5, "{e}");
    assert!(
        help.contains("unique"),
        "the duplicate's help, not the tab's: {e}"
    );
    // A tab that is the error gets the tab's help, never another error's.
    let repo = repo_with("incident-response/plan.yaml", TABBED);
    let r = check(&repo, "json");
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert!(
        doc["errors"][0]["help"]
            .as_str()
            .is_some_and(|h| h.contains("spaces, not tabs")),
        "{}",
        r.stdout
    );
}
