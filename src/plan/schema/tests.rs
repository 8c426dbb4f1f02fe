//! The schema tables, validation and the JSON Schema.

use super::*;
use crate::plan::node::parse_documents;

fn violations(text: &str) -> Vec<String> {
    let doc = parse_documents(text).expect("parses").remove(0);
    validate(&doc)
        .into_iter()
        .map(|v| format!("{}:{} {}", v.pos.line, v.pos.column, v.message))
        .collect()
}

#[test]
fn unknown_keys_suggest_the_closest_known_key() {
    let v = violations("apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nthreats:\n  - id: T1\n    ownr: bob\n");
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].starts_with("5:5 unknown key `ownr`"), "{v:?}");
    assert!(v[0].contains("did you mean `owner`"), "{v:?}");
}

#[test]
fn wrong_types_and_missing_ids_are_located() {
    let v = violations(
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nteams:\n  - name: x\n    oncall: {shift_hours: \"12\"}\n",
    );
    assert!(
        v.iter()
            .any(|m| m.starts_with("4:5 team is missing required key `id`")),
        "{v:?}"
    );
    assert!(
        v.iter()
            .any(|m| m.contains("`shift_hours` must be an integer")),
        "{v:?}"
    );
}

#[test]
fn extension_numbers_json_cannot_hold_are_reported_where_they_are() {
    let v = violations(
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nthreats:\n  - id: T1\n    x-cost: {min: 1.5, max: 1e999}\n    x-odds: [.nan, 2]\n",
    );
    assert_eq!(v.len(), 2, "{v:?}");
    assert!(
        v[0].starts_with("5:") && v[0].contains("JSON cannot represent"),
        "{v:?}"
    );
    assert!(v[1].starts_with("6:"), "{v:?}");
    assert!(violations(
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nx-cost: 1.5e300\n"
    )
    .is_empty());
}

#[test]
fn unknown_kind_is_a_violation() {
    let v = violations("apiVersion: plancheck.dev/v1\nkind: Runbook\n");
    assert_eq!(v.len(), 1);
    assert!(
        v[0].starts_with("2:7 `kind` must be one of IncidentResponsePlan"),
        "{v:?}"
    );
}

#[test]
fn dates_must_exist_on_the_calendar() {
    assert!(is_date("2024-02-29"));
    assert!(!is_date("2026-02-29"));
    assert!(!is_date("2026-13-01"));
    assert!(!is_date("2026-1-01"));
}

#[test]
fn extension_keys_and_empty_values_are_accepted() {
    let v = violations(
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nx-team-notes: hi\nthreats:\n  - id: T1\n    owner:\n    x-jira: OPS-1\n",
    );
    assert!(v.is_empty(), "{v:?}");
}

const HEAD: &str =
    "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nteams:\n  - id: storage\n";

#[test]
fn the_on_call_model_in_full_is_valid() {
    let v = violations(&format!(
        "{HEAD}    timezone: Europe/Berlin\n    oncall:\n      coverage: 24x7\n      business_hours: {{days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"17:00\"}}\n      layers:\n        - {{name: emea, rotation: [erin, farid], shift_hours: 24, handoff: 2026-11-02T07:00,\n           timezone: Europe/Berlin, restrict: [{{days: [mon, fri], from: \"07:00\", to: \"19:00\"}}]}}\n        - {{name: nights, rotation: [gus], restrict: [{{days: [sun], from: \"22:00\", to: \"24:00\"}}]}}\n      overrides:\n        - {{contact: gus, from: 2026-12-24T00:00:00Z, to: 2026-12-27T00:00:00+01:00}}\n"
    ));
    assert!(v.is_empty(), "{v:?}");
    let short = violations(&format!(
        "{HEAD}    oncall: {{rotation: [erin, farid], shift_hours: 168, handoff: 2026-11-02T09:00:00, timezone: Asia/Tokyo}}\n"
    ));
    assert!(short.is_empty(), "{short:?}");
}

#[test]
fn an_unknown_zone_a_bad_local_time_and_a_bad_day_are_errors_at_their_lines() {
    let v = violations(&format!(
        "{HEAD}    timezone: Europe/Berlinn\n    oncall:\n      rotation: [a, b]\n      shift_hours: 24\n      handoff: 2026-11-02T25:00\n      layers_: []\n      business_hours: {{days: [monday], from: \"9:00\", to: \"24:00\"}}\n"
    ));
    let find = |needle: &str| v.iter().find(|m| m.contains(needle)).cloned();
    assert!(
        find("`timezone` must be an IANA time zone").is_some_and(|m| m.starts_with("5:15")),
        "{v:?}"
    );
    assert!(
        find("`handoff` must be a local date-time").is_some_and(|m| m.starts_with("9:16")),
        "{v:?}"
    );
    assert!(
        find("did you mean `layers`").is_some_and(|m| m.starts_with("10:7")),
        "{v:?}"
    );
    assert!(
        find("`days` must be one of mon, tue").is_some_and(|m| m.starts_with("11:31")),
        "{v:?}"
    );
    assert!(find("`from` must be a time of day").is_some(), "{v:?}");
    assert_eq!(v.len(), 5, "{v:?}");
}

#[test]
fn a_zone_in_the_wrong_case_suggests_its_spelling() {
    let v = violations(&format!("{HEAD}    timezone: europe/berlin\n"));
    assert!(v[0].contains("did you mean `Europe/Berlin`"), "{v:?}");
}

#[test]
fn layers_replace_the_short_form_and_a_handoff_needs_a_shift_length() {
    let v = violations(&format!(
        "{HEAD}    oncall:\n      rotation: [a, b]\n      layers:\n        - {{rotation: [a, b], handoff: 2026-11-02T07:00}}\n      overrides:\n        - {{contact: a, from: 2026-12-24T00:00:00Z, to: 2026-12-24T00:00:00Z}}\n"
    ));
    assert_eq!(v.len(), 3, "{v:?}");
    assert!(
        v[0].starts_with("6:7 `rotation` cannot stand beside `layers`"),
        "{v:?}"
    );
    assert!(
        v[1].starts_with("8:30 a `handoff` needs `shift_hours`"),
        "{v:?}"
    );
    assert!(
        v[2].starts_with("10:56 an override's `to` must be after"),
        "{v:?}"
    );
}

#[test]
fn local_times_instants_and_clocks_are_strict() {
    assert!(local_datetime("2026-11-02T09:00").is_some());
    assert!(local_datetime("2026-11-02T09:00:30").is_some());
    for bad in [
        "2026-11-02 09:00",
        "2026-11-02T09:00Z",
        "2026-02-30T09:00",
        "2026-11-02T9:00",
    ] {
        assert!(local_datetime(bad).is_none(), "{bad}");
    }
    assert!(instant("2026-12-24T00:00:00Z").is_some());
    assert!(instant("2026-12-24T00:00:00-05:00").is_some());
    assert!(instant("2026-12-24T00:00:00").is_none());
    assert_eq!(clock("24:00", true), Some(None));
    assert_eq!(clock("24:00", false), None);
    assert!(clock("23:59", false).is_some());
    assert!(clock("7:00", false).is_none());
}
