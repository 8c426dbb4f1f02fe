//! Policies: user policy directories, compile and runtime errors, the execution timer.

use crate::common::*;

fn with_policy(source: &str) -> (Repo, tempfile::TempDir) {
    let repo = Repo::from_fixture("demo");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("custom.rego"), source).expect("write");
    (repo, dir)
}

/// `plancheck check <repo> --policy <dir> <extra...>`.
fn check_with(repo: &Repo, dir: &tempfile::TempDir, extra: &[&str]) -> Run {
    run(plancheck()
        .arg("check")
        .arg(repo.path())
        .arg("--policy")
        .arg(dir.path())
        .args(extra))
}

#[test]
fn a_user_rule_without_metadata_gets_a_derived_id_and_a_location() {
    let (repo, dir) = with_policy(
        "package plancheck.storage\n\ndeny_runbook contains result if {\n  some i, t in input.plan.threats\n  t.severity == \"SEV1\"\n  not t.runbook\n  result := {\"msg\": sprintf(\"SEV1 threat %s has no runbook\", [t.id]), \"path\": [\"plan\", \"threats\", i]}\n}\n\nwarn contains \"a plain string result\" if { true }\n",
    );
    let (code, json, stderr) = check_json(
        repo.path(),
        &["--policy", dir.path().to_str().expect("utf8")],
    );
    let rules: Vec<String> = rule_lines(&json);
    assert!(
        rules.iter().any(|l| l.starts_with("storage ")),
        "{rules:?} {stderr}"
    );
    assert_eq!(
        code, 0,
        "warnings only; the demo has runbooks for every SEV1: {rules:?} {stderr}"
    );
    let r = run(plancheck().args(["rules", "--policy", dir.path().to_str().expect("utf8")]));
    assert!(
        r.stdout.contains("storage-runbook") && r.stdout.contains("storage "),
        "{}",
        r.stdout
    );
}

#[test]
fn a_policy_that_does_not_compile_is_exit_2_with_its_line() {
    let (repo, dir) =
        with_policy("package plancheck.bad\n\ndeny contains msg if {\n  msg := \n}\n");
    let r = check_with(&repo, &dir, &[]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("does not compile"), "{}", r.stderr);
    assert!(r.stderr.contains("custom.rego:4:7"), "{}", r.stderr);
}

#[test]
fn a_policy_that_errors_at_run_time_is_exit_2_never_a_silent_pass() {
    let (repo, dir) = with_policy(
        "package plancheck.bad\n\ndeny contains msg if {\n  some t in input.plan.threats\n  to_number(t.id) > 0\n  msg := \"x\"\n}\n",
    );
    let r = check_with(&repo, &dir, &[]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("custom.rego:3: rule `bad` failed while evaluating"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_runaway_policy_is_stopped_by_the_timer() {
    let (repo, dir) = with_policy(
        "package plancheck.slow\n\ndeny contains msg if {\n  some a in numbers.range(1, 3000)\n  some b in numbers.range(1, 3000)\n  some c in numbers.range(1, 3000)\n  a + b + c < 0\n  msg := \"never\"\n}\n",
    );
    let started = std::time::Instant::now();
    let r = check_with(&repo, &dir, &["--timeout", "0.5"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("rule `slow` ran longer than 0.5s and was stopped"),
        "{}",
        r.stderr
    );
    assert!(
        started.elapsed().as_secs() < 60,
        "the timer did not stop the policy"
    );
}

#[test]
fn malformed_metadata_in_a_user_policy_is_exit_2_with_its_line() {
    let (repo, dir) = with_policy("package plancheck.m\n\n# METADATA\n# custom:\n#   severity: fatal\ndeny contains \"x\" if { true }\n");
    let r = check_with(&repo, &dir, &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("custom.rego:5:1: invalid METADATA block"),
        "{}",
        r.stderr
    );
}

#[test]
fn config_can_disable_a_rule_or_change_its_severity() {
    let repo = Repo::from_fixture("broken/threat-owner");
    repo.write(
        ".plancheck.toml",
        "[rules.threat-owner]\nseverity = \"warning\"\n",
    );
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        json["findings"]
            .as_array()
            .is_some_and(|f| f.iter().all(|f| f["severity"] == "warning")),
        "{json}"
    );
    repo.write(".plancheck.toml", "[rules.threat-owner]\ndisable = true\n");
    let (code, json, _) = check_json(repo.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(json["findings"], serde_json::json!([]));
}

#[test]
fn area_minimum_is_configurable() {
    let repo = Repo::from_fixture("demo");
    repo.write(
        ".plancheck.toml",
        "[rules.area-min-contacts]\nmin-contacts = 5\n",
    );
    let (code, json, _) = check_json(repo.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        rule_lines(&json)
            .iter()
            .all(|l| l.starts_with("area-min-contacts ")),
        "{json}"
    );
}
