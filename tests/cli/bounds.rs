//! Bounded evaluation: `--timeout` is a hard deadline even inside one long builtin, and the
//! memory cap (`--max-memory`, `PLANCHECK_MAX_MEMORY`, `max-memory`) stops a policy building
//! a huge collection; both are exit 2 naming the rule, and normal runs are unaffected.

use std::time::{Duration, Instant};

use crate::common::*;

/// One builtin call that runs for many seconds without returning to the interpreter (so
/// regorus's own timer never sees it) and allocates little while it does.
const SLOW_BUILTIN: &str = "package plancheck.slow\n\n# METADATA\n# custom:\n#   id: expand-everything\n#   severity: error\ndeny contains msg if {\n  count(net.cidr_expand(\"10.0.0.0/8\")) < 0\n  msg := \"never\"\n}\n";

/// A comprehension growing an array of small arrays, element by element, without end in sight.
const HUGE_ARRAY: &str = "package plancheck.huge\n\n# METADATA\n# custom:\n#   id: pairs-forever\n#   severity: error\ndeny contains msg if {\n  count([[x, x] | some x in numbers.range(1, 5e6)]) < 0\n  msg := \"never\"\n}\n";

fn with_policy(source: &str) -> (Repo, tempfile::TempDir) {
    let repo = Repo::from_fixture("demo");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("runaway.rego"), source).expect("write");
    (repo, dir)
}

fn check(repo: &Repo, dir: &tempfile::TempDir, extra: &[&str]) -> (Run, Duration) {
    let started = Instant::now();
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .arg("--policy")
        .arg(dir.path())
        .args(extra)
        .timeout(Duration::from_secs(120)));
    (r, started.elapsed())
}

#[test]
fn timeout_stops_a_single_long_builtin_within_seconds_naming_the_rule() {
    let (repo, dir) = with_policy(SLOW_BUILTIN);
    let (r, took) = check(&repo, &dir, &["--timeout", "1", "--max-memory", "2GiB"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(
            "runaway.rego:7:1: rule `expand-everything` ran longer than 1s and was stopped"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("raise --timeout"), "{}", r.stderr);
    assert!(
        took < Duration::from_secs(15),
        "the deadline was not hard: {took:?}"
    );
}

#[test]
fn memory_cap_stops_a_policy_building_a_huge_array_naming_the_rule() {
    let (repo, dir) = with_policy(HUGE_ARRAY);
    let (r, took) = check(&repo, &dir, &["--timeout", "100", "--max-memory", "200MiB"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(
            "runaway.rego:7:1: rule `pairs-forever` needed more memory than the cap of 200 MiB and was stopped"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--max-memory"), "{}", r.stderr);
    assert!(took < Duration::from_secs(60), "{took:?}");
}

#[test]
fn memory_cap_comes_from_the_environment_and_the_configuration() {
    let (repo, dir) = with_policy(HUGE_ARRAY);
    let started = Instant::now();
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .arg("--policy")
        .arg(dir.path())
        .env("PLANCHECK_MAX_MEMORY", "200MiB")
        .timeout(Duration::from_secs(120)));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("cap of 200 MiB"), "{}", r.stderr);
    assert!(started.elapsed() < Duration::from_secs(60));

    repo.write(".plancheck.toml", "max-memory = \"200MiB\"\n");
    let (r, _) = check(&repo, &dir, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("cap of 200 MiB"), "{}", r.stderr);
}

#[test]
fn an_invalid_memory_cap_is_exit_2_at_its_line() {
    let repo = Repo::from_fixture("demo");
    repo.write(
        ".plancheck.toml",
        "fail-on = \"error\"\nmax-memory = \"lots\"\n",
    );
    let r = run(plancheck().arg("check").arg(repo.path()));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("`max-memory` must be a size")
            && r.stderr.contains(".plancheck.toml:2:14"),
        "{}",
        r.stderr
    );
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--max-memory", "1MiB"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("smallest memory cap"), "{}", r.stderr);
}

#[test]
fn a_small_memory_cap_leaves_a_normal_check_unchanged() {
    let repo = Repo::from_fixture("demo");
    let (code, plain, _) = check_json(repo.path(), &[]);
    let (capped_code, capped, stderr) = check_json(repo.path(), &["--max-memory", "100MiB"]);
    assert_eq!(capped_code, code, "{stderr}");
    assert!(!rule_lines(&plain).is_empty() || code == 0);
    assert_eq!(rule_lines(&capped), rule_lines(&plain), "{stderr}");
}

#[test]
fn the_test_runner_is_under_the_same_deadline_and_cap() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("ok.rego"),
        "package plancheck.ok\n\ndeny contains \"x\" if { false }\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("ok_test.rego"),
        "package plancheck.ok_test\n\ntest_expands if {\n  count(net.cidr_expand(\"10.0.0.0/8\")) > 0\n}\n\ntest_pairs if {\n  count([[x, x] | some x in numbers.range(1, 5e6)]) > 0\n}\n",
    )
    .expect("write");
    let started = Instant::now();
    let r = run(plancheck()
        .arg("test")
        .arg(dir.path())
        .args(["--run", "expands", "--timeout", "1"])
        .timeout(Duration::from_secs(120)));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("ok_test.rego:3:1: test `test_expands` ran longer than 1s"),
        "{}",
        r.stderr
    );
    assert!(started.elapsed() < Duration::from_secs(15));
    let r = run(plancheck()
        .arg("test")
        .arg(dir.path())
        .args(["--run", "pairs", "--max-memory", "200MiB"])
        .timeout(Duration::from_secs(120)));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(
            "ok_test.rego:7:1: test `test_pairs` needed more memory than the cap of 200 MiB"
        ),
        "{}",
        r.stderr
    );
}
