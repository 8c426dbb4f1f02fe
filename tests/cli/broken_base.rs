//! A base that cannot be read (invalid YAML, a non-UTF-8 byte, a bad `.plancheck.toml`, no
//! plan at all) never blocks the change that repairs it: the run says so in every format and
//! judges the head as if the base had no findings. A broken head still stops the run.

use crate::common::*;
use crate::diff::{branch, checkout_new, statuses};
use crate::github::{github, registered, Pr};

const HUMAN: &str = "incident-response/threats/human-error.yaml";

/// The demo with `edit` applied committed on `main`, then the `fix` branch with the demo
/// restored (in the working tree, or committed with `commit`).
fn broken_main(edit: impl Fn(&Repo)) -> Repo {
    let repo = Repo::from_fixture("demo");
    edit(&repo);
    repo.commit_all("an admin merged a broken plan");
    branch(&repo, "main");
    checkout_new(&repo, "fix");
    let fixed = Repo::from_fixture("demo");
    copy_dir(
        &fixed.path().join("incident-response"),
        &repo.path().join("incident-response"),
    );
    let _ = std::fs::remove_file(repo.path().join(".plancheck.toml"));
    repo
}

fn invalid_yaml(repo: &Repo) {
    repo.edit(HUMAN, "    severity: SEV1\n", "    severity: [SEV1\n");
}

fn diff(repo: &Repo, format: &str) -> Run {
    run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--base", "main", "--format", format]))
}

/// The line `check --rev REV` reports the base's syntax error at.
fn error_line(repo: &Repo, rev: &str) -> u64 {
    let (code, json, _) = check_json(repo.path(), &["--rev", rev]);
    assert_eq!(code, 2, "{json}");
    assert_eq!(json["errors"][0]["location"]["path"], HUMAN, "{json}");
    json["errors"][0]["location"]["line"]
        .as_u64()
        .expect("a line")
}

#[test]
fn a_fix_for_a_main_with_invalid_yaml_passes_and_every_format_says_the_base_was_not_read() {
    let repo = broken_main(invalid_yaml);
    let line = error_line(&repo, "main");
    let human = diff(&repo, "human");
    assert_eq!(human.code, 0, "{}\n{}", human.stdout, human.stderr);
    assert!(
        human.stdout.contains("the base main") && human.stdout.contains("could not be read"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains(&format!("{HUMAN}:{line}")),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("compared against no base findings"),
        "{}",
        human.stdout
    );

    let (code, json, stderr) = check_json(repo.path(), &["--base", "main"]);
    assert_eq!(code, 0, "{stderr}");
    let note = &json["diff"]["base_unreadable"];
    assert_eq!(note["location"]["path"], HUMAN, "{json}");
    assert_eq!(note["location"]["line"], line, "{json}");
    assert!(
        note["reason"]
            .as_str()
            .unwrap_or("")
            .contains("invalid YAML"),
        "{json}"
    );
    assert_eq!(note["compared_against"], "no base findings", "{json}");
    assert!(
        note["policies"].as_str().unwrap_or("").contains("base"),
        "{json}"
    );

    let gh = diff(&repo, "github");
    assert_eq!(gh.code, 0, "{}", gh.stderr);
    assert!(
        gh.stdout.lines().any(
            |l| l.starts_with(&format!("::notice file={HUMAN},line={line},"))
                && l.contains("could not be read")
        ),
        "{}",
        gh.stdout
    );
    let md = diff(&repo, "markdown");
    assert!(md.stdout.contains("could not be read"), "{}", md.stdout);
    let sarif = diff(&repo, "sarif");
    let doc: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("sarif");
    let n = &doc["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(n["level"], "note", "{doc}");
    assert_eq!(
        doc["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    let junit = diff(&repo, "junit");
    assert!(
        junit.stdout.contains("could not be read"),
        "{}",
        junit.stdout
    );
    assert!(!junit.stdout.contains("<failure"), "{}", junit.stdout);
}

#[test]
fn a_base_that_cannot_be_read_weakens_nothing_else_every_head_finding_is_new() {
    let repo = broken_main(invalid_yaml);
    repo.edit(HUMAN, "    owner: erin\n", "    owner: nobody-here\n");
    let (code, json, stderr) = check_json(repo.path(), &["--base", "main"]);
    assert_eq!(code, 1, "{stderr}");
    let s = statuses(&json);
    assert!(
        s.iter().any(|l| l.starts_with("new threat-owner ")),
        "{s:?}"
    );
    assert!(!json["diff"]["base_unreadable"].is_null(), "{json}");
}

#[test]
fn a_broken_head_still_stops_the_run_when_the_base_is_broken_too() {
    let repo = broken_main(invalid_yaml);
    invalid_yaml(&repo);
    let r = diff(&repo, "human");
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
}

#[test]
fn a_fix_for_a_main_with_a_non_utf8_byte_passes_with_the_note() {
    let repo = broken_main(|r| {
        let mut bytes = std::fs::read(r.path().join(HUMAN)).expect("read");
        bytes.extend_from_slice(b"# caf\xe9\n");
        r.write(HUMAN, bytes);
    });
    let (code, json, stderr) = check_json(repo.path(), &["--base", "main"]);
    assert_eq!(code, 0, "{stderr}");
    let note = &json["diff"]["base_unreadable"];
    assert_eq!(note["location"]["path"], HUMAN, "{json}");
    assert!(
        note["reason"].as_str().unwrap_or("").contains("UTF-8"),
        "{json}"
    );
}

#[test]
fn a_bad_base_configuration_is_reported_and_the_built_in_pack_judges_the_head() {
    let repo = broken_main(|r| {
        r.write(".plancheck.toml", "fail_on = \"sometimes\"\n");
    });
    let (code, json, stderr) = check_json(repo.path(), &["--base", "main"]);
    assert_eq!(code, 0, "{stderr} {json}");
    let note = &json["diff"]["base_unreadable"];
    assert_eq!(note["location"]["path"], ".plancheck.toml", "{json}");
    assert!(
        note["policies"].as_str().unwrap_or("").contains("built-in"),
        "{json}"
    );
    let human = diff(&repo, "human");
    assert!(human.stdout.contains("built-in"), "{}", human.stdout);
}

#[test]
fn the_adoption_pull_request_passes_against_a_main_without_a_plan() {
    let repo = Repo::new();
    repo.write("README.md", "# service\n");
    repo.commit_all("before plancheck");
    branch(&repo, "main");
    checkout_new(&repo, "adopt");
    let init = run(plancheck().arg("init").arg(repo.path()));
    assert_eq!(init.code, 0, "{}", init.stderr);
    let line = init
        .stdout
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("/incident-response/ @"))
        .expect("a CODEOWNERS suggestion")
        .to_string();
    repo.write(".github/CODEOWNERS", format!("{line}\n"));
    repo.add_all();
    let (code, json, stderr) = check_json(repo.path(), &["--base", "main"]);
    assert_eq!(code, 0, "{stderr} {json}");
    let reason = json["diff"]["base_unreadable"]["reason"]
        .as_str()
        .unwrap_or("");
    assert!(reason.contains("no plan files"), "{json}");
}

#[test]
fn plancheck_github_comments_that_the_base_could_not_be_read() {
    let repo = Repo::from_fixture("demo");
    invalid_yaml(&repo);
    let base = repo.commit_all("an admin merged a broken plan").to_string();
    let fixed = Repo::from_fixture("demo");
    copy_dir(
        &fixed.path().join("incident-response"),
        &repo.path().join("incident-response"),
    );
    let head = repo.commit_all("repair the plan").to_string();
    let pr = Pr { repo, base, head };
    let line = error_line(&pr.repo, &pr.base);
    let (gh, event) = registered("broken-base", &pr, 19);
    let r = github(pr.repo.path(), "pull_request", &event, &gh.full_name(), &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let comments = gh.comments(19);
    assert_eq!(comments.len(), 1, "{}", r.stderr);
    let body = &comments[0].body;
    assert!(body.contains("could not be read"), "{body}");
    assert!(body.contains(&format!("{HUMAN}:{line}")), "{body}");
    assert!(body.contains("no base findings"), "{body}");
}
