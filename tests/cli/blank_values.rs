//! Values that say nothing: a blank id, a blank waiver reason, a tagged null with text. Each
//! is reported at its line, never accepted.

use crate::common::*;

const CONTACTS: &str = "incident-response/contacts.yaml";
const ESCALATION: &str = "incident-response/escalation.yaml";

fn schema_findings(json: &serde_json::Value) -> Vec<String> {
    rule_lines(json)
        .into_iter()
        .filter(|l| l.starts_with("plan-schema "))
        .collect()
}

#[test]
fn a_blank_id_is_a_schema_error_at_its_line() {
    let repo = Repo::from_fixture("demo");
    repo.edit(CONTACTS, "  - id: ceo\n", "  - id: \"  \"\n");
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        schema_findings(&json),
        vec![format!("plan-schema {CONTACTS}:8")],
        "{json}"
    );
    let msg = json["findings"][0]["message"].as_str().unwrap_or("");
    assert!(msg.contains("`id` must not be blank"), "{msg}");
}

#[test]
fn a_blank_waiver_reason_is_a_schema_error_at_its_line() {
    let repo = Repo::from_fixture("demo");
    repo.edit(
        ESCALATION,
        "    reason: \"Rosa and Sam on leave: Quinn covers alone until the new hire starts, platform-sre backs up (approved by vp-eng, PLAT-2291)\"\n",
        "    reason: ''\n",
    );
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        schema_findings(&json),
        vec![format!("plan-schema {ESCALATION}:78")],
        "{json}"
    );
}

#[test]
fn a_null_tag_on_text_is_an_error_at_its_line_like_other_tags() {
    let repo = Repo::from_fixture("demo");
    repo.edit(
        CONTACTS,
        "    github: dana-whitfield\n",
        "    github: !!null bob\n",
    );
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 2, "{stderr} {json}");
    assert_eq!(json["errors"][0]["location"]["path"], CONTACTS, "{json}");
    assert_eq!(json["errors"][0]["location"]["line"], 10, "{json}");
    let msg = json["errors"][0]["message"].as_str().unwrap_or("");
    assert!(msg.contains("tagged !!null"), "{msg}");
    // A tagged null that is null stays accepted.
    repo.edit(CONTACTS, "    github: !!null bob\n", "    github: !!null\n");
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_ne!(code, 2, "{stderr} {json}");
}
