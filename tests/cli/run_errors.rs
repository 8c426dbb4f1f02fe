//! Every error that stops a check (exit 2) is carried by every output format in its own
//! vocabulary: a JSON object, a GitHub `::error` annotation, a SARIF tool execution
//! notification, a JUnit `<error>`, an rdjson / GitLab diagnostic, a markdown summary; the
//! human message stays on stderr.

use crate::common::*;

const FORMATS: &[&str] = &[
    "json", "github", "sarif", "junit", "rdjson", "gitlab", "markdown",
];

/// A plan whose line 5 is indented with a tab.
const TABBED: &str = "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nmetadata:\n  name: demo\n\towner: sre\n";

fn repo_with(files: &[(&str, &str)]) -> Repo {
    let repo = Repo::new();
    for (path, text) in files {
        repo.write(path, text);
    }
    repo.add_all();
    repo
}

fn check(repo: &Repo, format: &str, extra: &[&str]) -> Run {
    run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--format", format, "--color", "never"])
        .args(extra))
}

/// The document of a machine format, checked to be what its readers accept.
fn valid(format: &str, stdout: &str) {
    match format {
        "json" | "sarif" | "rdjson" | "gitlab" => {
            let doc: serde_json::Value = serde_json::from_str(stdout)
                .unwrap_or_else(|e| panic!("{format} is not JSON ({e}):\n{stdout}"));
            match format {
                "sarif" => {
                    crate::formats::validate_sarif(&doc);
                    assert_eq!(
                        doc["runs"][0]["invocations"][0]["executionSuccessful"],
                        false
                    );
                }
                "rdjson" => crate::formats::validate_rdjson(&doc),
                "gitlab" => crate::formats::validate_gitlab(&doc),
                _ => assert!(doc["errors"][0]["message"].is_string(), "{doc}"),
            }
        }
        "github" => assert!(stdout.starts_with("::error "), "{stdout}"),
        "junit" => assert!(stdout.contains("<error type="), "{stdout}"),
        _ => assert!(stdout.contains("stopped the check"), "{stdout}"),
    }
}

/// Each format's stdout for one broken repository, snapshotted as `<name>_<format>`.
fn snapshot_every_format(repo: &Repo, name: &str, extra: &[&str]) {
    for format in FORMATS {
        let r = check(repo, format, extra);
        assert_eq!(r.code, 2, "{format}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("error"),
            "{format}: the human message stays on stderr"
        );
        valid(format, &r.stdout);
        insta::assert_snapshot!(format!("{name}_{format}"), r.stdout);
    }
}

#[test]
fn a_yaml_syntax_error_is_carried_by_every_format() {
    let repo = repo_with(&[("incident-response/plan.yaml", TABBED)]);
    snapshot_every_format(&repo, "run_error_yaml", &[]);
}

#[test]
fn a_bad_configuration_is_carried_by_every_format() {
    let repo = repo_with(&[
        ("incident-response/plan.yaml", &TABBED.replace('\t', "  ")),
        (
            ".plancheck.toml",
            "fail-on = \"error\"\ntimeout = \"soon\"\n",
        ),
    ]);
    snapshot_every_format(&repo, "run_error_config", &[]);
}

#[test]
fn an_error_about_no_file_is_carried_by_every_format() {
    let repo = repo_with(&[("incident-response/plan.yaml", &TABBED.replace('\t', "  "))]);
    snapshot_every_format(&repo, "run_error_flag", &["--timeout=-1"]);
    let r = check(&repo, "json", &["--timeout=-1"]);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(doc["errors"][0]["message"], "invalid --timeout -1");
    assert_eq!(doc["errors"][0]["location"], serde_json::Value::Null);
    assert_eq!(
        doc["errors"][0]["help"],
        "give a number of seconds between 0 and 3600"
    );
    assert_eq!(doc["findings"], serde_json::json!([]));
    assert_eq!(
        r.stderr,
        "error: invalid --timeout -1\n  help: give a number of seconds between 0 and 3600\n"
    );
}

#[test]
fn a_rule_that_runs_away_is_annotated_on_its_own_line() {
    let repo = Repo::from_fixture("demo");
    repo.write(".plancheck.toml", "policies = [\"policies\"]\n");
    repo.write(
        "policies/huge.rego",
        "package plancheck.huge\n\n# METADATA\n# custom:\n#   id: pairs-forever\n#   severity: error\ndeny contains msg if {\n  count([[x, x] | some x in numbers.range(1, 5e6)]) < 0\n  msg := \"never\"\n}\n",
    );
    repo.add_all();
    let r = check(&repo, "github", &["--max-memory", "100MiB"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.starts_with(
            "::error file=policies/huge.rego,line=7,col=1,title=plancheck%3A the check failed::rule `pairs-forever` needed more memory than the cap of 100 MiB"
        ),
        "{}",
        r.stdout
    );
    let r = check(&repo, "sarif", &["--max-memory", "100MiB"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("sarif");
    crate::formats::validate_sarif(&doc);
    let n = &doc["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "policies/huge.rego"
    );
    assert_eq!(
        n["locations"][0]["physicalLocation"]["region"]["startLine"],
        7
    );
}

#[test]
fn the_github_command_annotates_an_error_about_no_file_and_still_writes_its_sarif() {
    // Outside any repository: the error reaches the Actions log as an annotation, the job
    // summary, and the SARIF file (with the output that lets the upload step run).
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = dir.path().join("summary.md");
    let output = dir.path().join("output.txt");
    let sarif = dir.path().join("plancheck.sarif");
    let r = run(plancheck()
        .arg("github")
        .arg("--sarif")
        .arg(&sarif)
        .current_dir(dir.path())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_WORKSPACE", dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &output));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .starts_with("::error title=plancheck%3A the check failed::"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    let summary = std::fs::read_to_string(&summary).expect("job summary");
    assert!(summary.contains("1 error stopped the check"), "{summary}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif")).expect("json");
    crate::formats::validate_sarif(&doc);
    assert_eq!(
        doc["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    let output = std::fs::read_to_string(&output).expect("step outputs");
    assert!(
        output.contains(&format!("sarif-file={}", sarif.display())),
        "{output}"
    );
}
