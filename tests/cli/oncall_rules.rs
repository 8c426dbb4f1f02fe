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

/// (rule, path:line, message) of every finding of `check --format json`.
fn findings(repo: &Repo) -> Vec<(String, String, String)> {
    let (_, json, stderr) = check_json(repo.path(), &[]);
    json["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings array: {stderr}"))
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("?").to_string(),
                format!(
                    "{}:{}",
                    f["location"]["path"].as_str().unwrap_or("?"),
                    f["location"]["line"]
                ),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

const ESCALATION: &str = "incident-response/escalation.yaml";
const EXEC_LEVEL: &str = "      - {tier: executive, targets: [ciso], after_minutes: 20}";

#[test]
fn retargeting_ep_security_executive_level_to_a_manager_is_an_error_at_that_level() {
    let repo = Repo::from_fixture("demo");
    let line = repo
        .read(ESCALATION)
        .lines()
        .position(|l| l == EXEC_LEVEL)
        .expect("ep-security's executive level")
        + 1;
    repo.edit(
        ESCALATION,
        EXEC_LEVEL,
        "      - {tier: executive, targets: [mgr-security], after_minutes: 20}",
    );
    let found = findings(&repo);
    assert!(!found.is_empty());
    for (rule, at, msg) in &found {
        assert_eq!(rule, "high-profile-executive", "{msg}");
        assert_eq!(at, &format!("{ESCALATION}:{line}"), "{msg}");
        assert!(
            msg.contains("pages mgr-security (tier management): no active, reachable contact with tier executive"),
            "{msg}"
        );
    }
    // Every high-profile threat that inherits ep-security is named.
    let threats: Vec<&str> = found
        .iter()
        .filter_map(|(_, _, m)| m.split_whitespace().nth(2))
        .collect();
    assert_eq!(threats, ["THR-012", "THR-021", "THR-023", "THR-026"]);
    let r = run(plancheck().arg("check").arg(repo.path()));
    assert_eq!(r.code, 1, "{}", r.stdout);
}

#[test]
fn retargeting_ep_security_executive_level_to_the_security_oncall_is_an_error_at_that_level() {
    let repo = Repo::from_fixture("demo");
    repo.edit(
        ESCALATION,
        EXEC_LEVEL,
        "      - {tier: executive, targets: [\"oncall:security\"], after_minutes: 20}",
    );
    let found = findings(&repo);
    assert_eq!(found.len(), 4, "{found:?}");
    for (rule, at, msg) in &found {
        assert_eq!(rule, "high-profile-executive");
        assert!(at.starts_with(&format!("{ESCALATION}:")), "{at}");
        assert!(
            msg.contains(
                "pages kofi (tier responder), lena (tier responder), mateo (tier responder)"
            ),
            "{msg}"
        );
    }
}

#[test]
fn a_sev1_threat_of_a_business_hours_team_that_pages_nobody_at_night_is_an_error_at_its_severity() {
    let repo = Repo::from_fixture("demo");
    repo.edit(
        ESCALATION,
        "      # Nights and weekends: delivery has nobody on call, platform-sre (24x7) does.\n      - {tier: responder, targets: [\"oncall:platform-sre\"], after_minutes: 5}\n",
        "",
    );
    let threats = repo.read("incident-response/threats/human-error.yaml");
    let start = threats.find("id: THR-015").expect("THR-015");
    let line = threats[..start].lines().count()
        + threats[start..]
            .lines()
            .position(|l| l.trim() == "severity: SEV1")
            .expect("its severity");
    let found = findings(&repo);
    assert_eq!(found.len(), 1, "{found:?}");
    let (rule, at, msg) = &found[0];
    assert_eq!(rule, "escalation-reach");
    assert_eq!(
        at,
        &format!("incident-response/threats/human-error.yaml:{line}")
    );
    // NOW is Tuesday 2026-11-24: delivery (Europe/Berlin, 09:00-17:00) is off until 09:00 CET.
    assert!(
        msg.starts_with("SEV1 threat THR-015 escalates via ep-delivery (inherited from team delivery), which pages nobody within 5 minutes of an incident starting from 2026-11-24T00:00:00Z (Tue 2026-11-24 01:00 CET) to 2026-11-24T08:00:00Z (Tue 2026-11-24 09:00 CET, Europe/Berlin): "),
        "{msg}"
    );
    // Raising first-page-minutes past the next level does not help: it is 20 minutes in and
    // pages a manager, who is reachable, so at 20 minutes it passes.
    repo.write(
        ".plancheck.toml",
        "[rules.escalation-reach]\nfirst-page-minutes = 20\n",
    );
    assert!(findings(&repo).is_empty());
}

#[test]
fn the_demo_is_clean_at_any_time_of_year_across_dst_changes() {
    let repo = Repo::from_fixture("demo");
    for now in [
        "2027-03-10",
        "2027-03-20T12:00:00Z",
        "2027-07-01",
        "2027-10-28",
        "2027-11-05T18:30:00Z",
    ] {
        let (_, json, stderr) = check_json(repo.path(), &["--now", now]);
        let rules: Vec<&str> = json["findings"]
            .as_array()
            .unwrap_or_else(|| panic!("{stderr}"))
            .iter()
            .filter_map(|f| f["rule"].as_str())
            // The demo's waiver runs out on 2027-10-31: date rules, not on-call ones.
            .filter(|r| !["waiver-expired", "area-min-contacts"].contains(r))
            .collect();
        assert!(rules.is_empty(), "{now}: {rules:?}");
    }
}
