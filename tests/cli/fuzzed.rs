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
