//! The facts policies see, on small plans.

use regorus::Value;

const PLAN: &str = r#"apiVersion: plancheck.dev/v1
kind: IncidentResponsePlan
contacts:
  - {id: ann, email: a@example.com}
  - {id: bob, email: b@example.com}
  - {id: cat, email: c@example.com}
teams:
  - id: office
    timezone: Europe/Berlin
    oncall:
      coverage: business-hours
      layers:
        - {name: day, rotation: [ann], restrict: [{days: [mon, tue, wed, thu, fri], from: "10:00", to: "17:00"}]}
    escalation_policy: ep-office
  - id: sre
    oncall: {rotation: [ann, bob], shift_hours: 24, handoff: 2026-11-23T00:00}
    escalation_policy: ep-sre
areas:
  - {id: app, team: office, contacts: [ann, bob]}
escalation_policies:
  - id: ep-office
    levels:
      - {tier: responder, targets: ["oncall:office"], after_minutes: 0}
      - {tier: responder, targets: ["oncall:sre"], after_minutes: 5}
      - {tier: executive, targets: [cat], after_minutes: 30}
  - id: ep-sre
    levels:
      - {tier: responder, targets: ["oncall:sre"], after_minutes: 0}
threats:
  - {id: T1, area: app, severity: SEV1}
  - {id: T2, area: app, escalation_policy: ep-sre}
"#;

fn facts(now: &str) -> Value {
    let input = crate::policy::testing::sample_input(PLAN, None, now).expect("input");
    input["facts"].clone()
}

fn s(v: &Value) -> String {
    v.as_string().map(|x| x.to_string()).unwrap_or_default()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(s).collect())
        .unwrap_or_default()
}

#[test]
fn threats_take_their_own_policy_else_their_teams_with_the_teams_zone() {
    let f = facts("2026-11-24");
    let t1 = &f["escalation"]["threats"]["T1"];
    assert_eq!(s(&t1["policy"]), "ep-office");
    assert_eq!(s(&t1["via"]), "team");
    assert_eq!(s(&t1["timezone"]), "Europe/Berlin");
    let t2 = &f["escalation"]["threats"]["T2"];
    assert_eq!(s(&t2["policy"]), "ep-sre");
    assert_eq!(s(&t2["via"]), "threat");
    let levels = &f["escalation"]["policies"]["ep-office"]["levels"];
    assert_eq!(strs(&levels[0]["contacts"]), ["ann"]);
    assert_eq!(strs(&levels[1]["contacts"]), ["ann", "bob"]);
    assert_eq!(strs(&levels[2]["contacts"]), ["cat"]);
}

#[test]
fn a_business_hours_team_has_gaps_only_inside_its_business_hours_in_local_time() {
    // Tuesday 2026-11-24: business hours 09:00-17:00 CET, the layer starts at 10:00 CET.
    let f = facts("2026-11-24");
    let gaps: Vec<Value> = f["oncall"]["required_gaps"]["office"]
        .as_array()
        .expect("gaps")
        .iter()
        .cloned()
        .collect();
    assert_eq!(gaps.len(), 20, "one hour every weekday of four weeks");
    assert_eq!(s(&gaps[0]["from"]), "2026-11-24T08:00:00Z");
    assert_eq!(s(&gaps[0]["to"]), "2026-11-24T09:00:00Z");
    assert_eq!(s(&gaps[0]["local_from"]), "Tue 2026-11-24 09:00 CET");
    assert_eq!(gaps[0]["hours"], Value::from(1.0));
    // The 24x7 team with a handoff covers everything.
    assert_eq!(
        f["oncall"]["required_gaps"]["sre"]
            .as_array()
            .map(|a| a.len())
            .ok(),
        Some(0)
    );
}

#[test]
fn first_page_tiles_the_horizon_with_levels_resolved_at_their_minute() {
    let f = facts("2026-11-24T12:00:00Z");
    let tiles: Vec<Value> = f["oncall"]["first_page"]["ep-office"]
        .as_array()
        .expect("tiles")
        .iter()
        .cloned()
        .collect();
    assert_eq!(s(&tiles[0]["from"]), "2026-11-24T12:00:00Z");
    assert_eq!(s(&tiles[tiles.len() - 1]["to"]), "2026-12-22T12:00:00Z");
    for w in tiles.windows(2) {
        assert_eq!(w[0]["to"], w[1]["from"]);
    }
    // 12:00Z is 13:00 CET: ann (office) at once, then bob holds sre at 12:05Z.
    assert_eq!(strs(&tiles[0]["contacts"]), ["ann", "bob"]);
    assert_eq!(
        s(&tiles[0]["local"]["Europe/Berlin"]["from"]),
        "Tue 2026-11-24 13:00 CET"
    );
    // At 15:55Z (16:55 CET) an incident still pages ann at once; from 16:00Z only sre.
    let at = |t: &str| {
        tiles
            .iter()
            .find(|x| s(&x["from"]).as_str() <= t && t < s(&x["to"]).as_str())
            .map(|x| strs(&x["contacts"]))
            .unwrap_or_default()
    };
    assert_eq!(at("2026-11-24T15:59:00Z"), ["ann", "bob"]);
    assert_eq!(at("2026-11-24T16:00:00Z"), ["bob"]);
    // sre's handoff is at 00:00Z: an incident at 23:55Z pages ann at 00:00Z.
    assert_eq!(at("2026-11-24T23:55:00Z"), ["ann"]);
}

#[test]
fn load_counts_hours_held_alone_and_the_first_double_booking() {
    let f = facts("2026-11-24");
    let ann = &f["oncall"]["load"]["ann"];
    assert_eq!(strs(&ann["teams"]), ["office", "sre"]);
    // ann holds sre every other day and office 7 hours each weekday; they overlap.
    let db = &ann["double_booked"];
    assert_eq!(strs(&db["teams"]), ["office", "sre"]);
    // sre: ann on even days from 2026-11-23, so first on Wednesday the 25th at 10:00 CET.
    assert_eq!(s(&db["at"]), "2026-11-25T09:00:00Z");
    let bob = &f["oncall"]["load"]["bob"];
    assert_eq!(bob["double_booked"], Value::Null);
    assert_eq!(bob["hours"], Value::from(336.0));
    assert_eq!(bob["share_percent"], Value::from(50.0));
}
