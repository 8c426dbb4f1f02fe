//! Bad input: a clear message naming the file (and line), exit 2 — or a finding where the plan
//! is readable but wrong. Never a panic, never a silent pass.

use crate::common::*;

const HEAD: &str = "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\n";

/// A demo repository with one extra plan file.
fn demo_with(file: &str, contents: impl AsRef<[u8]>) -> Repo {
    let repo = Repo::from_fixture("demo");
    repo.write(file, contents);
    repo.add_all();
    repo
}

fn assert_error(r: &Run, needles: &[&str]) {
    assert_eq!(
        r.code, 2,
        "want exit 2\nstdout:\n{}\nstderr:\n{}",
        r.stdout, r.stderr
    );
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    for n in needles {
        assert!(r.stderr.contains(n), "stderr lacks {n:?}:\n{}", r.stderr);
    }
}

fn check(repo: &Repo) -> Run {
    run(plancheck().arg("check").arg(repo.path()))
}

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let repo = demo_with(
        "incident-response/bad.yaml",
        format!("{HEAD}threats:\n  - id: T1\n    title: [unclosed\n"),
    );
    assert_error(
        &check(&repo),
        &["incident-response/bad.yaml:6:", "invalid YAML"],
    );
}

#[test]
fn malformed_json_names_file_line_and_column() {
    let repo = demo_with(
        "incident-response/bad.json",
        "{\n  \"apiVersion\": \"plancheck.dev/v1\",\n  \"kind\": \"IncidentResponsePlan\",\n  \"threats\": [\n    {\"id\": \"T1\",}\n  ]\n}\n",
    );
    assert_error(
        &check(&repo),
        &["incident-response/bad.json:5:", "invalid JSON"],
    );
}

#[test]
fn duplicate_keys_are_an_error_naming_both_lines() {
    let repo = demo_with(
        "incident-response/dup.yaml",
        format!("{HEAD}threats:\n  - id: T1\n    owner: erin\n    title: x\n    owner: bob\n"),
    );
    assert_error(
        &check(&repo),
        &[
            "incident-response/dup.yaml:7:5",
            "duplicate key `owner` (first defined at line 5)",
        ],
    );
}

#[test]
fn duplicate_keys_in_json_are_an_error_too() {
    let repo = demo_with(
        "incident-response/dup.json",
        "{\"apiVersion\": \"plancheck.dev/v1\", \"kind\": \"IncidentResponsePlan\",\n \"kind\": \"IncidentResponsePlan\"}\n",
    );
    assert_error(
        &check(&repo),
        &["incident-response/dup.json:2:", "duplicate key `kind`"],
    );
}

#[test]
fn exponential_aliases_are_refused() {
    let mut text =
        format!("{HEAD}x-bomb:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        let refs = vec![format!("*a{p}"); 10].join(", ");
        text.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
    }
    let repo = demo_with("incident-response/bomb.yaml", text);
    assert_error(
        &check(&repo),
        &[
            "incident-response/bomb.yaml:",
            "aliases expand to more than",
        ],
    );
}

#[test]
fn deeply_nested_documents_are_refused_without_overflowing_the_stack() {
    let repo = demo_with(
        "incident-response/deep.yaml",
        format!("{HEAD}x-deep: {}\n", "[".repeat(50_000)),
    );
    let r = check(&repo);
    assert_error(&r, &["incident-response/deep.yaml:3:"]);
    let repo = demo_with("incident-response/deep.json", "[".repeat(200_000));
    assert_error(&check(&repo), &["incident-response/deep.json:1:"]);
}

#[test]
fn a_50_mb_plan_file_is_refused_before_it_is_read() {
    let repo = Repo::from_fixture("demo");
    let mut text = String::from(HEAD);
    text.push_str("x-padding: |\n");
    let line = format!("  {}\n", "x".repeat(98));
    while text.len() < 50_000_000 {
        text.push_str(&line);
    }
    repo.write("incident-response/huge.yaml", text);
    repo.add_all();
    assert_error(
        &check(&repo),
        &[
            "incident-response/huge.yaml: file is 50.0 MB",
            "up to 16 MiB",
            "split the plan",
        ],
    );
}

#[test]
fn non_utf8_bytes_are_located() {
    let mut bytes = format!("{HEAD}metadata:\n  name: caf").into_bytes();
    bytes.extend([0xE9, b'\n']);
    let repo = demo_with("incident-response/latin1.yaml", bytes);
    assert_error(
        &check(&repo),
        &[
            "incident-response/latin1.yaml:4:12",
            "not valid UTF-8 (byte 0xE9)",
            "save the file as UTF-8",
        ],
    );
}

#[cfg(unix)]
#[test]
fn a_plan_symlink_pointing_outside_the_repository_is_refused() {
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("secret.yaml"), HEAD).expect("write");
    let repo = Repo::from_fixture("demo");
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        repo.path().join("incident-response/link.yaml"),
    )
    .expect("symlink");
    assert_error(
        &check(&repo),
        &["incident-response/link.yaml", "outside the repository"],
    );
    // The same link committed and read from git objects.
    repo.commit_all("add link");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--rev", "HEAD"]));
    assert_error(
        &r,
        &["incident-response/link.yaml", "outside the repository"],
    );
}

#[cfg(unix)]
#[test]
fn a_plan_symlink_inside_the_repository_is_followed() {
    let repo = Repo::from_fixture("demo");
    let plan = repo.read("incident-response/plan.yaml");
    repo.write("shared/plan.yaml", plan);
    std::fs::remove_file(repo.path().join("incident-response/plan.yaml")).expect("rm");
    std::os::unix::fs::symlink(
        "../shared/plan.yaml",
        repo.path().join("incident-response/plan.yaml"),
    )
    .expect("symlink");
    repo.commit_all("link");
    let r = check(&repo);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--rev", "HEAD"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn a_codeowners_over_3_mb_is_reported_as_ignored_by_github() {
    let repo = Repo::from_fixture("demo");
    let mut text = repo.read(".github/CODEOWNERS");
    while text.len() < 3 * 1024 * 1024 + 10 {
        text.push_str("/some/very/long/generated/path/that/repeats/ @acme/nobody\n");
    }
    repo.write(".github/CODEOWNERS", text);
    repo.add_all();
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let findings = json["findings"].as_array().expect("findings");
    let syntax: Vec<_> = findings
        .iter()
        .filter(|f| f["rule"] == "codeowners-syntax")
        .collect();
    assert_eq!(syntax.len(), 1, "{json}");
    assert_eq!(syntax[0]["location"]["path"], ".github/CODEOWNERS");
    assert!(syntax[0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("GitHub ignores a CODEOWNERS file of 3 MB or more"));
    // GitHub requests no reviews from anyone, so the plan files are unowned too.
    assert!(
        findings.iter().any(|f| f["rule"] == "plan-codeowned"),
        "{json}"
    );
}

#[test]
fn an_empty_repository_without_a_plan_says_where_it_looked() {
    let repo = Repo::new();
    let r = check(&repo);
    assert_error(
        &r,
        &[
            "this repository has no commits and no plan files yet",
            "incident-response/**/*.{yaml,yml,json}",
            "help: run `plancheck init`",
        ],
    );
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--rev", "HEAD"]));
    assert_error(&r, &["the repository has no commits yet"]);
}

#[test]
fn an_empty_repository_with_an_uncommitted_plan_is_checked() {
    let repo = Repo::new();
    crate::common::copy_dir(&fixtures().join("demo"), repo.path());
    let (code, json, stderr) = check_json(repo.path(), &[]);
    // Nothing is tracked yet, so area paths match no tracked file; the plan itself is read.
    assert!(code == 0 || code == 1, "{stderr}");
    assert!(json["findings"].is_array(), "{stderr}");
}

#[test]
fn outside_a_git_repository_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    crate::common::copy_dir(&fixtures().join("demo"), dir.path());
    let r = run(plancheck().arg("check").arg(dir.path()).env(
        "GIT_CEILING_DIRECTORIES",
        dir.path().parent().expect("parent"),
    ));
    assert_error(&r, &["not inside a git repository", "git init"]);
}

#[test]
fn schema_problems_are_located_findings_and_policies_wait_for_them() {
    let repo = demo_with(
        "incident-response/typo.yaml",
        format!("{HEAD}threats:\n  - title: no id here\n    ownr: erin\n    severity: SEV9\n"),
    );
    let (code, json, _) = check_json(repo.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        rule_lines(&json),
        vec![
            "plan-schema incident-response/typo.yaml:4".to_string(),
            "plan-schema incident-response/typo.yaml:5".to_string(),
            "plan-schema incident-response/typo.yaml:6".to_string(),
        ]
    );
    let human = run(plancheck().arg("check").arg(repo.path()));
    assert!(
        human.stdout.contains("did you mean `owner`?"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("policies were not evaluated"),
        "{}",
        human.stdout
    );
}

#[test]
fn an_unknown_kind_is_a_finding_at_the_kind_line() {
    let repo = demo_with(
        "incident-response/runbook.yaml",
        "apiVersion: plancheck.dev/v1\nkind: Runbook\n",
    );
    let (code, json, _) = check_json(repo.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        rule_lines(&json),
        vec!["plan-schema incident-response/runbook.yaml:2".to_string()]
    );
}

#[test]
fn bad_configuration_is_an_error_at_its_line() {
    let repo = Repo::from_fixture("demo");
    repo.write(
        ".plancheck.toml",
        "plans = [\"incident-response/**/*.yaml\"]\n\n[rules.no-such-rule]\ndisable = true\n",
    );
    assert_error(
        &check(&repo),
        &[".plancheck.toml:3:", "unknown rule `no-such-rule`"],
    );
    repo.write(".plancheck.toml", "plan = []\n");
    assert_error(
        &check(&repo),
        &[".plancheck.toml:1:1", "unknown field `plan`"],
    );
}

#[test]
fn bad_arguments_exit_2() {
    let repo = Repo::from_fixture("demo");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--now", "2026-02-30"]));
    assert_error(&r, &["invalid date `2026-02-30`"]);
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--format", "yaml"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(plancheck().arg("check").arg("/no/such/dir"));
    assert_error(&r, &["/no/such/dir: no such file or directory"]);
}

#[test]
fn json_surrogate_pair_escapes_are_valid_json() {
    let repo = Repo::from_fixture("demo");
    let path = "incident-response/threats/supply-chain.json";
    let text = repo.read(path);
    let first_title = text.find("\"title\": \"").expect("a title") + "\"title\": \"".len();
    let edited = format!(
        "{}\\ud83d\\ude92 {}",
        &text[..first_title],
        &text[first_title..]
    );
    repo.write(path, edited);
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json["findings"], serde_json::json!([]));
    let r = run(plancheck().arg("parse").arg(repo.path()));
    assert!(
        r.stdout.contains("🚒 "),
        "the escape decodes to the character"
    );
    // A lone surrogate is not JSON.
    let lone = repo.read(path).replacen("\\ude92", "", 1);
    repo.write(path, lone);
    let r = run(plancheck().arg("check").arg(repo.path()));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("supply-chain.json:"), "{}", r.stderr);
}

#[test]
fn plan_schema_cannot_be_disabled_or_demoted_in_the_configuration() {
    for setting in ["disable = true", "severity = \"warning\""] {
        let repo = demo_with(
            ".plancheck.toml",
            format!("[rules.plan-schema]\n{setting}\n"),
        );
        assert_error(
            &check(&repo),
            &[
                ".plancheck.toml:1:",
                "`plan-schema` cannot be disabled or given another severity",
                "help: no other rule runs",
            ],
        );
    }
}

#[test]
fn a_waiver_cannot_silence_a_schema_error() {
    let repo = demo_with(
        "incident-response/extra.yaml",
        format!(
            "{HEAD}threats:\n  - id: THR-900\n    title: t\n    source: human_error\n    area: k8s-storage\n    severity: SEV9\n    owner: erin\nwaivers:\n  - rule: plan-schema\n    target: incident-response/extra.yaml\n    reason: later\n    expires: 2099-01-01\n"
        ),
    );
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let lines = rule_lines(&json);
    assert!(
        lines.contains(&"plan-schema incident-response/extra.yaml:8".to_string()),
        "the schema error stays: {lines:?}"
    );
    assert!(
        lines.contains(&"plan-schema incident-response/extra.yaml:11".to_string()),
        "the waiver itself is reported: {lines:?}"
    );
    assert!(json["suppressed"]
        .as_array()
        .is_none_or(|a| a.iter().all(|f| f["rule"] != "plan-schema")));
}

#[test]
fn a_namespace_that_matches_no_package_is_an_error_not_a_pass() {
    let repo = Repo::from_fixture("demo");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--namespace", "thraet*"]));
    assert_error(
        &r,
        &[
            "--namespace `thraet*` matches no package with rules",
            "plancheck.threat_owner",
        ],
    );
}
