//! On-call rules end to end: `--now` instants, the on-call options, `input.facts`, and the
//! findings of the on-call rules on real repositories.

use crate::common::*;

fn parse(repo: &Repo, extra: &[&str]) -> (Run, serde_json::Value) {
    let r = run(plancheck().arg("parse").arg(repo.path()).args(extra));
    let v = serde_json::from_str(&r.stdout).unwrap_or(serde_json::Value::Null);
    (r, v)
}

#[test]
fn now_as_an_instant_starts_the_horizon_there_and_keeps_the_date_for_date_rules() {
    let repo = Repo::from_fixture("demo");
    let (r, doc) = parse(&repo, &["--now", "2026-12-12T03:00:00Z"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(doc["now"], "2026-12-12");
    assert_eq!(doc["oncall"]["from"], "2026-12-12T03:00:00Z");
    assert_eq!(doc["oncall"]["to"], "2027-01-09T03:00:00Z");
    // An offset is read as the instant it names.
    let (r, doc) = parse(&repo, &["--now", "2026-12-12T04:30:00+01:00"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(doc["oncall"]["from"], "2026-12-12T03:30:00Z");
    // The environment variable takes the same values.
    let r = run(plancheck()
        .arg("parse")
        .arg(repo.path())
        .env("PLANCHECK_NOW", "2026-12-12T03:00:00Z"));
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(doc["oncall"]["from"], "2026-12-12T03:00:00Z");
}

#[test]
fn horizon_days_in_the_config_sets_how_far_the_oncall_rules_look() {
    let repo = Repo::from_fixture("demo");
    repo.write(".plancheck.toml", "horizon-days = 7\n");
    let (r, doc) = parse(&repo, &["--now", "2026-12-12"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(doc["oncall"]["from"], "2026-12-12T00:00:00Z");
    assert_eq!(doc["oncall"]["to"], "2026-12-19T00:00:00Z");
    repo.write(".plancheck.toml", "horizon-days = 400\n");
    let (r, _) = parse(&repo, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(".plancheck.toml:1:16"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("`horizon-days` must be between 1 and 366, found 400"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_bad_now_exits_2_naming_the_flag_or_the_variable() {
    let repo = Repo::from_fixture("demo");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--now", "2026-12-12T03:00"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("invalid time `2026-12-12T03:00` for --now"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("RFC 3339"), "{}", r.stderr);
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .env("PLANCHECK_NOW", "next tuesday"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("invalid date `next tuesday` in the PLANCHECK_NOW environment variable"),
        "{}",
        r.stderr
    );
}
