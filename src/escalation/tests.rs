//! Which policy applies and whom a level pages.

use super::*;
use crate::plan::{parse_file, Plan};

fn plan(yaml: &str) -> Plan {
    let file = parse_file("incident-response/plan.yaml", yaml.as_bytes().to_vec()).expect("parses");
    Plan::merge(vec![file])
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("RFC 3339")
}

const PLAN: &str = r#"apiVersion: plancheck.dev/v1
kind: IncidentResponsePlan
contacts:
  - {id: ann, email: ann@example.com}
  - {id: bob, email: bob@example.com}
  - {id: cat, email: cat@example.com, active: false}
  - {id: dan, email: dan@example.com}
  - {id: eve, email: eve@example.com, tier: executive}
teams:
  - id: sre
    timezone: Europe/Berlin
    members: [ann, cat, bob]
    oncall: {rotation: [ann, bob], shift_hours: 24, handoff: 2026-12-07T09:00}
    escalation_policy: ep-sre
  - id: night
    members: [dan]
    oncall: {rotation: [dan, bob], shift_hours: 24}
    escalation_policy: ""
  - id: gone
    members: [cat]
    oncall: {rotation: [cat]}
areas:
  - {id: db, team: sre}
  - {id: web, team: night}
  - {id: orphan}
escalation_policies:
  - id: ep-sre
    levels:
      - {tier: responder, targets: ["oncall:sre", ann, "oncall:nope"], after_minutes: 0}
      - {tier: management, targets: [sre, dan, zed], after_minutes: 15}
      - {tier: executive, targets: [cat, eve, "oncall:gone"], after_minutes: 30}
      - {tier: responder, targets: ["oncall:night"], after_minutes: 5}
  - id: ep-own
    levels: []
threats:
  - {id: T-own, area: web, escalation_policy: ep-own}
  - {id: T-blank, area: db, escalation_policy: "  "}
  - {id: T-web, area: web}
  - {id: T-orphan, area: orphan}
  - {id: T-none}
"#;

#[test]
fn levels_keep_their_minutes_tier_targets_and_paths() {
    let e = Escalation::new(&plan(PLAN));
    assert_eq!(e.policies().len(), 2);
    let p = e.policy("ep-sre").expect("policy");
    assert_eq!(p.index, 0);
    let l = &p.levels[1];
    assert_eq!(l.after_minutes, 15);
    assert_eq!(l.tier.as_deref(), Some("management"));
    assert_eq!(
        l.targets,
        vec![
            Target::Team("sre".into()),
            Target::Contact("dan".into()),
            Target::Unknown("zed".into())
        ]
    );
    assert_eq!(
        p.levels[0].targets,
        vec![
            Target::Oncall("sre".into()),
            Target::Contact("ann".into()),
            Target::Unknown("oncall:nope".into())
        ]
    );
    assert_eq!(
        l.targets_path(),
        vec![
            Seg::Key("escalation_policies".into()),
            Seg::Index(0),
            Seg::Key("levels".into()),
            Seg::Index(1),
            Seg::Key("targets".into())
        ]
    );
    assert!(e.policy("ep-own").expect("own").levels.is_empty());
    assert!(e.policy("nope").is_none());
}

#[test]
fn a_threat_takes_its_own_policy_else_its_areas_teams_and_blank_is_not_set() {
    let e = Escalation::new(&plan(PLAN));
    let eff = |t: &str| e.for_threat(t).expect("known threat");
    assert_eq!(
        eff("T-own"),
        Effective {
            policy: Some("ep-own".into()),
            via: Via::Threat
        }
    );
    assert_eq!(
        eff("T-blank"),
        Effective {
            policy: Some("ep-sre".into()),
            via: Via::Team(Some("sre".into()))
        }
    );
    // The team's own `escalation_policy: ""` is not set either.
    assert_eq!(
        eff("T-web"),
        Effective {
            policy: None,
            via: Via::Team(Some("night".into()))
        }
    );
    assert_eq!(
        eff("T-orphan"),
        Effective {
            policy: None,
            via: Via::Team(None)
        }
    );
    assert_eq!(eff("T-none").policy, None);
    assert!(e.for_threat("T-missing").is_none());
    assert_eq!(
        e.for_area("db").expect("area").policy.as_deref(),
        Some("ep-sre")
    );
    assert_eq!(e.for_area("orphan").expect("area").policy, None);
    assert!(e.for_area("nope").is_none());
    assert_eq!(
        e.for_team("sre").expect("team").policy.as_deref(),
        Some("ep-sre")
    );
}

#[test]
fn a_level_pages_the_oncall_at_start_plus_after_minutes_then_contacts_deduplicated() {
    let e = Escalation::new(&plan(PLAN));
    let p = e.policy("ep-sre").expect("policy");
    // 2026-12-07 09:00 Berlin = 08:00Z: ann's shift starts; bob holds the one before.
    assert_eq!(p.levels[0].after_minutes, 0);
    assert_eq!(e.paged(&p.levels[0], ts("2026-12-07T08:00:00Z")), ["ann"]);
    assert_eq!(
        e.paged(&p.levels[0], ts("2026-12-07T07:59:00Z")),
        ["bob", "ann"]
    );
    // A level 15 minutes in is resolved 15 minutes later: bob's shift is over by then.
    let l15 = Level {
        after_minutes: 15,
        ..p.levels[0].clone()
    };
    assert_eq!(e.paged(&l15, ts("2026-12-07T07:50:00Z")), ["ann"]);
    assert_eq!(e.paged_at(&l15, ts("2026-12-07T07:50:00Z")), ["bob", "ann"]);
}

#[test]
fn a_team_target_pages_its_active_members_and_inactive_or_unknown_nobody() {
    let e = Escalation::new(&plan(PLAN));
    let p = e.policy("ep-sre").expect("policy");
    let t = ts("2026-12-10T12:00:00Z");
    assert_eq!(e.paged(&p.levels[1], t), ["ann", "bob", "dan"]);
    // cat is inactive, and the team whose only on-call is cat has nobody on call.
    assert_eq!(e.paged(&p.levels[2], t), ["eve"]);
}

#[test]
fn a_layer_without_handoff_pages_its_rotation_as_candidates() {
    let e = Escalation::new(&plan(PLAN));
    let p = e.policy("ep-sre").expect("policy");
    assert_eq!(
        e.paged(&p.levels[3], ts("2026-12-10T12:00:00Z")),
        ["bob", "dan"]
    );
}

#[test]
fn a_level_minutes_past_the_end_of_time_pages_nobody_and_does_not_panic() {
    let e = Escalation::new(&plan(PLAN));
    let p = e.policy("ep-sre").expect("policy");
    for m in [i64::MAX, i64::MAX / 60 + 1, 1 << 53] {
        let l = Level {
            after_minutes: m,
            ..p.levels[0].clone()
        };
        let t = ts("2026-12-07T08:00:00Z");
        assert!(e.paged(&l, t).is_empty(), "{m}");
        assert!(e.changes(&l, t, ts("2027-01-01T00:00:00Z")).is_empty());
    }
}

#[test]
fn changes_and_pageable_follow_the_shift_boundaries_shifted_by_after_minutes() {
    let e = Escalation::new(&plan(PLAN));
    let p = e.policy("ep-sre").expect("policy");
    let l15 = Level {
        after_minutes: 15,
        targets: vec![Target::Oncall("sre".into())],
        ..p.levels[0].clone()
    };
    let from = ts("2026-12-07T00:00:00Z");
    let to = ts("2026-12-09T00:00:00Z");
    assert_eq!(
        e.changes(&l15, from, to),
        [ts("2026-12-07T07:45:00Z"), ts("2026-12-08T07:45:00Z")]
    );
    assert_eq!(e.pageable(&l15, from, to), ["ann", "bob"]);
    assert_eq!(
        e.pageable(&l15, ts("2026-12-07T08:00:00Z"), ts("2026-12-08T07:00:00Z")),
        ["ann"]
    );
}
