//! Inputs that once crashed plancheck or made it allocate or loop far beyond the input's
//! size: each is refused with a located error or handled in time proportional to the input.

use std::time::{Duration, Instant};

use crate::common::*;
use crate::github::{github_env, pr_repo, registered, NO_REVIEW, TOKEN};

const HUMAN: &str = "incident-response/threats/human-error.yaml";

/// A 20 KB anchored scalar aliased through five levels of 10-way lists: a 21 KB file that
/// expanded to gigabytes (111,110 alias nodes, under the alias-node limit).
fn long_value_alias_bomb() -> String {
    let mut text = format!(
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\ns: &s \"{}\"\n",
        "x".repeat(20_000)
    );
    let mut prev = "s".to_string();
    for i in 0..5 {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        text.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
        prev = format!("l{i}");
    }
    text
}

#[test]
fn a_long_anchored_value_aliased_through_nested_lists_is_refused_at_the_alias() {
    let repo = Repo::from_fixture("demo");
    let bomb = long_value_alias_bomb();
    assert!(bomb.len() < 22_000, "{}", bomb.len());
    repo.write("incident-response/threats/bomb.yaml", &bomb);
    let started = Instant::now();
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .timeout(Duration::from_secs(20)));
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    // The third list (line 6) is the first whose aliases pass the limit.
    assert!(
        r.stderr.contains("incident-response/threats/bomb.yaml:6"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("MiB of text"), "{}", r.stderr);
    assert!(r.stderr.contains("alias shorter values"), "{}", r.stderr);
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn anchors_and_aliases_of_a_plan_still_expand() {
    let repo = Repo::from_fixture("demo");
    let text = repo.read(HUMAN).replacen(
        "    runbook: runbooks/storage/restore-pvc-from-snapshot.md\n",
        "    runbook: &restore runbooks/storage/restore-pvc-from-snapshot.md\n",
        1,
    );
    let text = text.replacen(
        "    runbook: runbooks/control-plane/recover-deleted-namespace.md\n",
        "    runbook: *restore\n",
        1,
    );
    assert!(text.contains("*restore"));
    repo.write(HUMAN, text);
    let (code, report, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 0, "{stderr}\n{report}");
}

#[test]
fn yaml_anchors_in_a_json_plan_are_invalid_json_not_expanded() {
    let repo = Repo::from_fixture("demo");
    repo.write(
        "incident-response/threats/supply-chain.json",
        "{\"apiVersion\": \"plancheck.dev/v1\", \"a\": &x \"v\", \"b\": *x}\n",
    );
    let r = run(plancheck().arg("check").arg(repo.path()));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("invalid JSON"), "{}", r.stderr);
}

/// A value that is only a multi-byte Unicode space: the finding's token is empty after
/// trimming and its caret must still cover whole characters.
#[test]
fn a_value_of_only_a_unicode_space_is_shown_in_the_human_report_not_a_panic() {
    for space in ['\u{a0}', '\u{3000}'] {
        let repo = Repo::from_fixture("demo");
        let text = repo.read(HUMAN).replacen(
            "    area: k8s-storage\n",
            &format!("    area: {space}\n"),
            1,
        );
        assert!(text.contains(space));
        repo.write(HUMAN, text);
        let r = run(plancheck().arg("check").arg(repo.path()));
        assert_eq!(r.code, 1, "{space:?}: {}\n{}", r.stdout, r.stderr);
        assert!(r.stdout.contains(&format!("{HUMAN}:13")), "{}", r.stdout);
        assert!(r.stdout.contains(&format!("area: {space}")), "{}", r.stdout);
        // The pre-commit hook's entry point reads the staged files.
        repo.add_all();
        let r = run(plancheck()
            .args(["check", "--staged"])
            .current_dir(repo.path()));
        assert_eq!(r.code, 1, "{space:?}: {}\n{}", r.stdout, r.stderr);
        assert!(r.stdout.contains(&format!("{HUMAN}:13")), "{}", r.stdout);
    }
}

#[test]
fn a_github_token_with_a_trailing_newline_is_trimmed_said_and_used() {
    let pr = pr_repo();
    let (gh, event) = registered("token-newline", &pr, 41);
    let pasted = format!("{TOKEN}\n");
    let r = github_env(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        NO_REVIEW,
        &[("GITHUB_TOKEN", pasted.as_str())],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("GITHUB_TOKEN ends in whitespace (a newline)"),
        "{}",
        r.stderr
    );
    assert_eq!(gh.comments(41).len(), 1, "{}", r.stderr);
}

#[test]
fn a_github_token_with_a_byte_no_header_may_carry_is_exit_2_naming_the_variable() {
    let pr = pr_repo();
    let (gh, event) = registered("token-bytes", &pr, 42);
    for (token, what) in [
        ("ghs_abc\ndef", "a newline at character 8"),
        (
            "ghs_tok\u{e9}n",
            "a non-ASCII character (U+00E9) at character 8",
        ),
        ("ghs_a\u{7f}b", "a control character (0x7F) at character 6"),
        ("ghs_a b", "a space at character 6"),
    ] {
        let r = github_env(
            pr.repo.path(),
            "pull_request",
            &event,
            &gh.full_name(),
            NO_REVIEW,
            &[("GITHUB_TOKEN", token)],
        );
        assert_eq!(r.code, 2, "{token:?}: {}", r.stderr);
        assert!(r.stderr.contains("GITHUB_TOKEN"), "{}", r.stderr);
        assert!(r.stderr.contains(what), "{what}: {}", r.stderr);
        assert!(r.stderr.contains("set the secret again"), "{}", r.stderr);
        assert!(!r.stderr.contains(token), "the token leaked: {}", r.stderr);
    }
    assert!(gh.comments(42).is_empty());
}

#[test]
fn an_invalid_github_api_url_is_exit_2_naming_it_not_a_missing_token() {
    let pr = pr_repo();
    let (gh, event) = registered("bad-api-url", &pr, 43);
    for url in [
        "api.github.com",
        "https://exa mple.com/api",
        "ftp://example.com",
    ] {
        let r = github_env(
            pr.repo.path(),
            "pull_request",
            &event,
            &gh.full_name(),
            NO_REVIEW,
            &[("GITHUB_API_URL", url)],
        );
        assert_eq!(r.code, 2, "{url}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("GITHUB_API_URL `{url}` is not")),
            "{}",
            r.stderr
        );
        assert!(
            !r.stderr.contains("GITHUB_TOKEN is not set"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn check_online_with_a_broken_gh_token_says_which_variable_and_still_checks() {
    let repo = Repo::from_fixture("demo");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .arg("--online")
        .env("GH_TOKEN", "ghs_abc\r\ndef")
        .env("GITHUB_REPOSITORY", "acme/plans")
        .env("GITHUB_API_URL", "http://127.0.0.1:9"));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("owners not verified with GitHub: GH_TOKEN contains a carriage return"),
        "{}",
        r.stderr
    );
}
