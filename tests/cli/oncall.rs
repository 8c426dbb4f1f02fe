//! `plancheck oncall`: who is on call at an instant, and who an incident pages, minute by minute.

use crate::common::{plancheck, run, Repo};

/// A plan with handoffs and time zones: a weekly 24x7 rotation in Berlin, a business-hours
/// day shift in Tokyo, an override, an inactive contact behind a level and an executive.
pub const PLAN: &str = r#"apiVersion: plancheck.dev/v1
kind: IncidentResponsePlan
contacts:
  - {id: erin, name: Erin Walsh, email: erin@example.com, phone: "+14155550120", timezone: America/Los_Angeles}
  - {id: farid, name: Farid Haddad, email: farid@example.com, phone: "+493055501210", timezone: Europe/Berlin}
  - {id: gus, name: Gus Moreno, email: gus@example.com, timezone: Asia/Tokyo}
  - {id: hana, name: Hana Sato, phone: "+81355550130", timezone: Asia/Tokyo}
  - {id: ivy, name: Ivy Chen, email: ivy@example.com, phone: "+14155550150"}
  - {id: cto, name: Ingrid Solberg, email: cto@example.com, phone: "+442079460103", timezone: Europe/London, tier: executive}
  - {id: old, name: Old Timer, email: old@example.com, tier: management, active: false}
teams:
  - id: storage
    name: Storage & Backup
    timezone: Europe/Berlin
    members: [erin, farid, ivy]
    oncall:
      rotation: [erin, farid]
      shift_hours: 168
      handoff: 2026-11-02T09:00
      coverage: 24x7
      overrides:
        - {contact: ivy, from: 2026-12-24T00:00:00Z, to: 2026-12-27T00:00:00Z}
    escalation_policy: ep-storage
  - id: apps
    timezone: Asia/Tokyo
    members: [gus, hana]
    oncall:
      coverage: business-hours
      layers:
        - name: day
          rotation: [gus, hana]
          shift_hours: 24
          handoff: 2026-11-02T09:00
          restrict: [{days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}]
    escalation_policy: ep-apps
areas:
  - {id: k8s-storage, title: Volumes and backups, team: storage, contacts: [erin, farid], paths: ["clusters/*/storage/**"]}
  - {id: apps, title: Applications, team: apps, contacts: [gus, hana], paths: ["apps/**"]}
escalation_policies:
  - id: ep-storage
    levels:
      - {tier: responder, targets: ["oncall:storage"], after_minutes: 0}
      - {tier: executive, targets: [cto], after_minutes: 30}
  - id: ep-apps
    levels:
      - {tier: responder, targets: ["oncall:apps"], after_minutes: 0}
      - {tier: management, targets: [old], after_minutes: 15}
threats:
  - {id: THR-001, title: PVC deleted with reclaimPolicy Delete, area: k8s-storage, owner: storage, source: human_error, severity: SEV1}
  - {id: THR-002, title: Bad rollout, area: apps, owner: apps, source: human_error, severity: SEV2}
"#;

fn repo() -> Repo {
    let r = Repo::new();
    r.write("incident-response/plan.yaml", PLAN);
    r.write("clusters/prod/storage/pv.yaml", "kind: PersistentVolume\n");
    r.write("apps/web/deploy.yaml", "kind: Deployment\n");
    r.commit_all("plan");
    r
}

fn oncall(r: &Repo, args: &[&str]) -> crate::common::Run {
    run(plancheck().arg("oncall").arg(r.path()).args(args))
}

fn json(r: &Repo, args: &[&str]) -> serde_json::Value {
    let out = oncall(r, &[args, &["--format", "json"]].concat());
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("JSON")
}

#[test]
fn oncall_at_names_each_teams_holder_and_when_the_shift_ends() {
    let r = repo();
    // Saturday 03:00Z: farid's week (from Mon 7 Dec 09:00 Berlin) is on; Tokyo is off-hours.
    let v = json(&r, &["--at", "2026-12-12T03:00:00Z"]);
    assert_eq!(v["at"], "2026-12-12T03:00:00Z");
    assert_eq!(
        v["teams"],
        serde_json::json!([
            {"team": "storage", "contacts": ["farid"], "until": "2026-12-14T08:00:00Z",
             "next": ["erin"], "timezone": "Europe/Berlin"},
            {"team": "apps", "contacts": [], "until": "2026-12-14T00:00:00Z",
             "next": ["gus"], "timezone": "Asia/Tokyo"}
        ])
    );
    assert_eq!(v["timeline"], serde_json::json!([]));
}

#[test]
fn oncall_team_filter_and_an_override_wins() {
    let r = repo();
    let v = json(&r, &["--at", "2026-12-25T12:00:00Z", "--team", "storage"]);
    assert_eq!(v["teams"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["teams"][0]["contacts"], serde_json::json!(["ivy"]));
    assert_eq!(v["teams"][0]["until"], "2026-12-27T00:00:00Z");
}

#[test]
fn oncall_defaults_to_plancheck_now_as_a_date_or_an_instant() {
    let r = repo();
    // The harness sets PLANCHECK_NOW=2026-11-24 (midnight UTC): a Tuesday, farid's week.
    let v = json(&r, &[]);
    assert_eq!(v["at"], "2026-11-24T00:00:00Z");
    assert_eq!(v["teams"][0]["contacts"], serde_json::json!(["farid"]));
    let out = run(plancheck()
        .env("PLANCHECK_NOW", "2026-11-24T10:00:00+09:00")
        .args(["oncall", "--format", "json", "--team", "apps"])
        .arg(r.path()));
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(v["at"], "2026-11-24T01:00:00Z");
    assert_eq!(v["teams"][0]["contacts"], serde_json::json!(["gus"]));
}

#[test]
fn oncall_human_shows_phone_email_local_time_and_who_is_next() {
    let r = repo();
    let out = oncall(&r, &["--at", "2026-12-12T03:00:00Z"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("oncall_human_at", out.stdout);
}

#[test]
fn oncall_json_snapshot() {
    let r = repo();
    let v = json(&r, &["--at", "2026-12-12T03:00:00Z"]);
    insta::assert_json_snapshot!("oncall_json_at", v);
}

#[test]
fn oncall_threat_prints_the_paging_timeline_with_local_times() {
    let r = repo();
    let out = oncall(&r, &["--threat", "THR-001", "--at", "2026-12-12T03:00:00Z"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("oncall_human_threat", out.stdout);
    let v = json(&r, &["--threat", "THR-001", "--at", "2026-12-12T03:00:00Z"]);
    insta::assert_json_snapshot!("oncall_json_threat", v);
    let steps: Vec<(i64, i64, serde_json::Value)> = v["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|s| {
            (
                s["minute"].as_i64().unwrap_or(-1),
                s["level"].as_i64().unwrap_or(-1),
                s["contacts"].clone(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            (0, 1, serde_json::json!(["farid"])),
            (30, 2, serde_json::json!(["cto"]))
        ]
    );
}

#[test]
fn oncall_area_at_night_says_loudly_that_nobody_is_paged() {
    let r = repo();
    let out = oncall(&r, &["--area", "apps", "--at", "2026-12-12T03:00:00Z"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.matches("!! PAGES NOBODY").count(),
        2,
        "{}",
        out.stdout
    );
    // In Tokyo business hours the day layer pages its holder; the inactive manager never.
    let v = json(&r, &["--area", "apps", "--at", "2026-12-14T01:00:00Z"]);
    assert_eq!(v["timeline"][0]["contacts"], serde_json::json!(["gus"]));
    assert_eq!(v["timeline"][1]["contacts"], serde_json::json!([]));
}

#[test]
fn oncall_path_finds_the_area_that_owns_it() {
    let r = repo();
    let v = json(
        &r,
        &[
            "--path",
            "clusters/prod/storage/pv.yaml",
            "--at",
            "2026-12-12T03:00:00Z",
        ],
    );
    assert_eq!(
        v["subject"],
        serde_json::json!({"kind": "area", "id": "k8s-storage"})
    );
    assert_eq!(v["policy"], "ep-storage");
    assert_eq!(v["timeline"][0]["contacts"], serde_json::json!(["farid"]));
}

#[test]
fn oncall_unknown_ids_bad_times_and_unowned_paths_exit_2_with_a_hint() {
    let r = repo();
    for (args, want) in [
        (
            vec!["--team", "storge"],
            "unknown team `storge`\n  help: did you mean `storage`?",
        ),
        (
            vec!["--threat", "THR-01"],
            "unknown threat `THR-01`\n  help: did you mean `THR-001`?",
        ),
        (vec!["--area", "ap"], "unknown area `ap`"),
        (
            vec!["--path", "docs/readme.md"],
            "no area of expertise owns `docs/readme.md`",
        ),
        (
            vec!["--at", "2026-12-32"],
            "invalid time `2026-12-32` for --at",
        ),
        (vec!["--at", "2026-12-12T03:00"], "a time needs its offset"),
        (vec!["--at", ""], "error: --at is empty\n"),
        (vec!["--at", " "], "error: --at is empty\n"),
    ] {
        let out = oncall(&r, &args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stdout);
        assert!(out.stderr.contains(want), "{args:?}: {}", out.stderr);
    }
    let out = run(plancheck()
        .env("PLANCHECK_NOW", "tomorrow")
        .arg("oncall")
        .arg(r.path()));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("invalid time `tomorrow` for PLANCHECK_NOW"),
        "{}",
        out.stderr
    );
}

#[test]
fn oncall_threat_on_the_demo_prints_the_paging_timeline_with_local_times() {
    let r = Repo::from_fixture("demo");
    let out = oncall(&r, &["--threat", "THR-001", "--at", "2026-12-12T03:00:00Z"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("Incident on threat THR-001 (Accidental PVC deletion"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Escalation policy ep-storage"),
        "{}",
        out.stdout
    );
    insta::assert_snapshot!("oncall_demo_threat_001", out.stdout);
    let v = json(&r, &["--threat", "THR-001", "--at", "2026-12-12T03:00:00Z"]);
    let levels = v["timeline"].as_array().expect("timeline");
    assert!(levels.len() >= 2, "{v}");
    for (i, level) in levels.iter().enumerate() {
        assert_eq!(level["level"], i + 1);
        let minute = level["minute"].as_i64().expect("minute");
        let line = format!("+{minute} min  ");
        assert!(out.stdout.contains(&line), "{line} in {}", out.stdout);
        // Every person paged is shown with a phone or email and their local time.
        for c in level["contacts"].as_array().expect("contacts") {
            let c = c.as_str().expect("id");
            let shown = out
                .stdout
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{c} (")))
                .unwrap_or_else(|| panic!("{c} in {}", out.stdout));
            assert!(shown.contains("@") && shown.contains(" local "), "{shown}");
        }
    }
    assert!(levels
        .iter()
        .any(|l| !l["contacts"].as_array().is_some_and(Vec::is_empty)));
}

/// `check --base HEAD` on a worktree that swaps the storage rotation and narrows apps' day.
fn changed_repo() -> Repo {
    let r = repo();
    r.edit(
        "incident-response/plan.yaml",
        "rotation: [erin, farid]",
        "rotation: [farid, erin]",
    );
    r.edit(
        "incident-response/plan.yaml",
        "from: \"09:00\", to: \"17:00\"",
        "from: \"10:00\", to: \"17:00\"",
    );
    r
}

fn diff_run(r: &Repo, format: &str) -> crate::common::Run {
    run(plancheck()
        .env("PLANCHECK_NOW", "2026-12-07")
        .args(["check", "--base", "HEAD", "--format", format])
        .arg(r.path()))
}

#[test]
fn diff_lists_moved_shifts_in_json_human_and_markdown() {
    let r = changed_repo();
    let out = diff_run(&r, "json");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let texts: Vec<&str> = v["diff"]["plan_changes"]
        .as_array()
        .expect("plan_changes")
        .iter()
        .filter(|c| c["section"] == "oncall")
        .filter_map(|c| c["text"].as_str())
        .collect();
    // Until Monday 7 December 09:00 in Berlin erin's week ends; then farid's week is erin's.
    assert_eq!(
        texts[..2],
        [
            "storage on-call Mon 7 Dec 01:00-Mon 7 Dec 09:00 Europe/Berlin: erin -> farid",
            "storage on-call Mon 7 Dec 09:00-Mon 14 Dec 09:00 Europe/Berlin: farid -> erin"
        ],
        "{texts:#?}"
    );
    assert!(
        texts.contains(
            &"apps on-call Mon 7 Dec 09:00-Mon 7 Dec 10:00 Asia/Tokyo: hana -> nobody (coverage gap opened: 1 h of required business hours coverage)"
        ),
        "{texts:#?}"
    );
    let human = diff_run(&r, "human");
    assert!(
        human.stdout.contains(
            "  - storage on-call Mon 7 Dec 09:00-Mon 14 Dec 09:00 Europe/Berlin: farid -> erin\n"
        ),
        "{}",
        human.stdout
    );
    let md = diff_run(&r, "markdown");
    assert!(
        md.stdout.contains("**On-call shifts in the next 14 days**"),
        "{}",
        md.stdout
    );
    let charts = &md.stdout[md
        .stdout
        .find("### On-call in the next 14 days, base and head")
        .expect("gantt section")..];
    let charts = &charts[..charts[4..].find("\n### ").map_or(charts.len(), |i| i + 5)];
    insta::assert_snapshot!("diff_oncall_gantt", charts);
}

#[test]
fn diff_without_oncall_changes_draws_no_gantt() {
    let r = repo();
    r.edit(
        "incident-response/plan.yaml",
        "title: Bad rollout",
        "title: A bad rollout",
    );
    let md = diff_run(&r, "markdown");
    assert!(!md.stdout.contains("gantt"), "{}", md.stdout);
    assert!(!md.stdout.contains("On-call shifts"), "{}", md.stdout);
}

#[test]
fn oncall_without_a_handoff_lists_the_rotation_as_candidates_and_says_so() {
    let r = repo();
    r.edit(
        "incident-response/plan.yaml",
        "      handoff: 2026-11-02T09:00\n",
        "",
    );
    let v = json(&r, &["--at", "2026-12-12T03:00:00Z", "--team", "storage"]);
    assert_eq!(
        v["teams"][0]["contacts"],
        serde_json::json!(["erin", "farid"])
    );
    let out = oncall(&r, &["--threat", "THR-001", "--at", "2026-12-12T03:00:00Z"]);
    assert!(
        out.stdout.contains(
            "  (oncall:storage has no handoff: one of its rotation holds it, so all are listed)\n  erin (Erin Walsh)"
        ),
        "{}",
        out.stdout
    );
    let out = oncall(&r, &["--at", "2026-12-12T03:00:00Z", "--team", "storage"]);
    assert!(
        out.stdout
            .contains("one of these (the rotation has no handoff, so who holds it is unknown):"),
        "{}",
        out.stdout
    );
}
