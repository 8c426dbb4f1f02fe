//! Inputs the fuzz targets of `fuzz/` found crashing plancheck (docs/fuzzing.md): each one is
//! kept here, run through the binary, and in `fuzz/seeds/<target>/` for the fuzzers.

use crate::common::{plancheck, run, Repo};

/// A plan whose `teams[0].oncall` is `oncall` (YAML flow mapping) and nothing else to fix.
fn plan_with_oncall(oncall: &str) -> Repo {
    let r = Repo::new();
    r.write(
        "incident-response/plan.yaml",
        format!(
            "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\n\
             contacts:\n  - {{id: erin, name: Erin, email: erin@example.com}}\n  - {{id: farid, name: Farid, email: farid@example.com}}\n\
             teams:\n  - id: storage\n    members: [erin, farid]\n    timezone: Europe/Berlin\n    oncall: {oncall}\n"
        ),
    );
    r.commit_all("plan");
    r
}

#[test]
fn a_whole_day_shift_longer_than_the_calendar_does_not_crash_the_on_call() {
    // 240,000,000 hours is 10 million days: past the last date the time library represents,
    // so the second shift never starts and the first holder keeps the on-call.
    let r = plan_with_oncall(
        "{rotation: [erin, farid], shift_hours: 240000000, handoff: 2026-11-02T09:00, coverage: 24x7}",
    );
    let out = run(plancheck()
        .args(["oncall", "--format", "json", "--at", "2026-12-01T00:00:00Z"])
        .arg(r.path()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(
        v["teams"][0]["contacts"],
        serde_json::json!(["erin"]),
        "{v}"
    );
    let out = run(plancheck().arg("check").arg(r.path()));
    assert!(matches!(out.code, 0 | 1), "{}\n{}", out.stdout, out.stderr);
}

#[test]
fn a_json_error_right_after_a_line_break_points_at_column_one() {
    // serde_json counts the column of the character after a newline as 0; every format that
    // prints `path:line:column` (the error's own text, annotations) showed `:2:0`.
    let text = "{\"apiVersion\": \"plancheck.dev/v1\", \"kind\": t\n}\n";
    let e = plancheck::plan::parse_file("incident-response/extra.json", text.into())
        .expect_err("invalid JSON");
    assert_eq!((e.pos.line, e.pos.column), (2, 1), "{e}");
    assert!(
        e.to_string()
            .starts_with("incident-response/extra.json:2:1: invalid JSON"),
        "{e}"
    );
}

#[test]
fn a_metadata_block_cut_short_at_the_end_of_a_policy_points_inside_the_block() {
    // The YAML error is found at the end of the block's text: one line past the file's end
    // when the block is the file's last lines.
    let r = Repo::from_fixture("demo");
    r.write(
        "pol/p.rego",
        "package plancheck.p\n\ndeny contains \"m\" if { false }\n\n# METADATA\n# title: [unclosed\n",
    );
    let out = run(plancheck()
        .arg("check")
        .arg(r.path())
        .arg("--policy")
        .arg(r.path().join("pol")));
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains("p.rego:6:1: invalid METADATA block"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_yaml_error_at_the_end_of_a_file_without_a_final_line_break_stays_on_its_last_line() {
    // The YAML reader placed it on a line after the last one: no snippet, and an annotation
    // on a line the file does not have.
    let e = plancheck::plan::parse_file(
        "incident-response/plan.yaml",
        "apiVerapsion: plancheck.dev/v1\nkiind:V".into(),
    )
    .expect_err("invalid YAML");
    assert_eq!(e.pos.line, 2, "{e}");
    assert_eq!(e.source_line.as_deref(), Some("kiind:V"), "{e}");
}

#[test]
fn an_empty_value_at_the_end_of_a_file_is_on_the_last_line() {
    for text in ["apiVersion:", "metadata:\n  owner:\n  # the owner"] {
        let file = plancheck::plan::parse_file("incident-response/plan.yaml", text.into())
            .expect("valid YAML");
        let lines = u32::try_from(text.lines().count()).expect("small");
        let mut nodes = vec![&file.docs[0]];
        while let Some(n) = nodes.pop() {
            assert!(
                n.pos.line <= lines,
                "{text:?}: a node at line {}",
                n.pos.line
            );
            if let plancheck::plan::node::Value::Map(entries) = &n.value {
                nodes.extend(entries.iter().map(|(_, v)| v));
            }
        }
    }
}
