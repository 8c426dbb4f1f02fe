//! Golden timelines across DST changes. Every expected instant was computed independently
//! with Python's `zoneinfo` (`datetime(..., tzinfo=ZoneInfo(zone), fold=0)`).

use super::*;
use jiff::civil::{time, Weekday};
use jiff::tz::TimeZone;

fn ts(s: &str) -> Timestamp {
    s.parse().expect("RFC 3339")
}

fn tz(name: &str) -> TimeZone {
    TimeZone::get(name).expect("zone")
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn layer(zone: &str, rotation: &[&str], shift_hours: u32, handoff: Option<&str>) -> Layer {
    Layer {
        name: "primary".into(),
        rotation: names(rotation),
        shift_hours,
        handoff: handoff.map(|h| h.parse().expect("civil datetime")),
        tz: tz(zone),
        restrict: Vec::new(),
    }
}

fn everyone(_: &str) -> bool {
    true
}

fn schedule(layers: Vec<Layer>) -> Schedule {
    Schedule {
        layers,
        overrides: Vec::new(),
    }
}

/// `(from, to, contacts)` of each interval, instants in RFC 3339 UTC.
fn timeline(s: &Schedule, from: &str, to: &str) -> Vec<(String, String, Vec<String>)> {
    s.intervals(ts(from), ts(to), &everyone)
        .into_iter()
        .map(|i| (i.from.to_string(), i.to.to_string(), i.contacts))
        .collect()
}

fn row(from: &str, to: &str, who: &[&str]) -> (String, String, Vec<String>) {
    (from.into(), to.into(), names(who))
}

#[test]
fn a_weekly_monday_handoff_keeps_its_wall_clock_time_across_spring_forward_in_new_york() {
    let s = schedule(vec![layer(
        "America/New_York",
        &["ann", "bob", "cat"],
        168,
        Some("2027-03-08T09:00"),
    )]);
    assert_eq!(
        timeline(&s, "2027-03-08T00:00:00Z", "2027-03-29T00:00:00Z"),
        vec![
            row("2027-03-08T00:00:00Z", "2027-03-08T14:00:00Z", &["cat"]),
            row("2027-03-08T14:00:00Z", "2027-03-15T13:00:00Z", &["ann"]),
            row("2027-03-15T13:00:00Z", "2027-03-22T13:00:00Z", &["bob"]),
            row("2027-03-22T13:00:00Z", "2027-03-29T00:00:00Z", &["cat"]),
        ]
    );
}

#[test]
fn a_twelve_hour_shift_counts_elapsed_hours_so_its_local_time_moves_at_dst() {
    // 21:00 EST = 02:00Z; twelve elapsed hours later it is 10:00 EDT, not 09:00.
    let s = schedule(vec![layer(
        "America/New_York",
        &["ann", "bob"],
        12,
        Some("2027-03-13T21:00"),
    )]);
    assert_eq!(
        timeline(&s, "2027-03-14T02:00:00Z", "2027-03-15T02:00:00Z"),
        vec![
            row("2027-03-14T02:00:00Z", "2027-03-14T14:00:00Z", &["ann"]),
            row("2027-03-14T14:00:00Z", "2027-03-15T02:00:00Z", &["bob"]),
        ]
    );
}

#[test]
fn a_handoff_in_the_spring_forward_gap_moves_forward_by_the_gap() {
    // 02:30 does not exist on 2027-03-14 in New York: it is read as 03:30 EDT (07:30Z).
    let s = schedule(vec![layer(
        "America/New_York",
        &["ann", "bob"],
        24,
        Some("2027-03-14T02:30"),
    )]);
    assert_eq!(
        timeline(&s, "2027-03-14T07:00:00Z", "2027-03-15T07:00:00Z"),
        vec![
            row("2027-03-14T07:00:00Z", "2027-03-14T07:30:00Z", &["bob"]),
            row("2027-03-14T07:30:00Z", "2027-03-15T06:30:00Z", &["ann"]),
            row("2027-03-15T06:30:00Z", "2027-03-15T07:00:00Z", &["bob"]),
        ]
    );
}

#[test]
fn an_ambiguous_fall_back_handoff_takes_its_first_occurrence() {
    // 01:30 happens twice on 2027-11-07 in New York; the first is EDT, 05:30Z.
    let s = schedule(vec![layer(
        "America/New_York",
        &["ann", "bob"],
        24,
        Some("2027-11-07T01:30"),
    )]);
    let at = |t: &str| s.at(ts(t), &everyone);
    assert_eq!(at("2027-11-07T05:29:59Z"), names(&["bob"]));
    assert_eq!(at("2027-11-07T05:30:00Z"), names(&["ann"]));
    // The next day's 01:30 is EST: 06:30Z, so the first shift lasts 25 hours.
    assert_eq!(at("2027-11-08T06:29:59Z"), names(&["ann"]));
    assert_eq!(at("2027-11-08T06:30:00Z"), names(&["bob"]));
}

#[test]
fn a_daily_handoff_in_londons_gap_gives_a_23_hour_shift() {
    let s = schedule(vec![layer(
        "Europe/London",
        &["ann", "bob", "cat"],
        24,
        Some("2027-03-27T01:30"),
    )]);
    assert_eq!(
        timeline(&s, "2027-03-27T01:30:00Z", "2027-03-29T12:00:00Z"),
        vec![
            row("2027-03-27T01:30:00Z", "2027-03-28T01:30:00Z", &["ann"]),
            row("2027-03-28T01:30:00Z", "2027-03-29T00:30:00Z", &["bob"]),
            row("2027-03-29T00:30:00Z", "2027-03-29T12:00:00Z", &["cat"]),
        ]
    );
}

fn nights(zone: &str, days: &[Weekday]) -> Layer {
    Layer {
        restrict: vec![Window {
            days: days.to_vec(),
            from: time(22, 0, 0, 0),
            to: Some(time(6, 0, 0, 0)),
        }],
        ..layer(zone, &["nia"], 24, None)
    }
}

#[test]
fn a_night_window_wraps_midnight_and_follows_sydneys_dst_changes() {
    let s = schedule(vec![nights("Australia/Sydney", &[Weekday::Saturday])]);
    // DST ends overnight: 22:00 AEDT to 06:00 AEST is nine hours.
    assert_eq!(
        timeline(&s, "2027-04-03T00:00:00Z", "2027-04-04T00:00:00Z"),
        vec![
            row("2027-04-03T00:00:00Z", "2027-04-03T11:00:00Z", &[]),
            row("2027-04-03T11:00:00Z", "2027-04-03T20:00:00Z", &["nia"]),
            row("2027-04-03T20:00:00Z", "2027-04-04T00:00:00Z", &[]),
        ]
    );
    // DST starts overnight: 22:00 AEST to 06:00 AEDT is seven hours.
    assert_eq!(
        timeline(&s, "2027-10-02T00:00:00Z", "2027-10-03T00:00:00Z"),
        vec![
            row("2027-10-02T00:00:00Z", "2027-10-02T12:00:00Z", &[]),
            row("2027-10-02T12:00:00Z", "2027-10-02T19:00:00Z", &["nia"]),
            row("2027-10-02T19:00:00Z", "2027-10-03T00:00:00Z", &[]),
        ]
    );
}

#[test]
fn a_weekly_monday_handoff_keeps_its_wall_clock_time_across_fall_back_in_new_york() {
    // 09:00 EDT is 13:00Z; after 2027-11-07 09:00 EST is 14:00Z: the shift lasts 169 hours.
    let s = schedule(vec![layer(
        "America/New_York",
        &["ann", "bob", "cat"],
        168,
        Some("2027-11-01T09:00"),
    )]);
    assert_eq!(
        timeline(&s, "2027-11-01T00:00:00Z", "2027-11-22T00:00:00Z"),
        vec![
            row("2027-11-01T00:00:00Z", "2027-11-01T13:00:00Z", &["cat"]),
            row("2027-11-01T13:00:00Z", "2027-11-08T14:00:00Z", &["ann"]),
            row("2027-11-08T14:00:00Z", "2027-11-15T14:00:00Z", &["bob"]),
            row("2027-11-15T14:00:00Z", "2027-11-22T00:00:00Z", &["cat"]),
        ]
    );
}

#[test]
fn a_weekly_monday_handoff_keeps_its_wall_clock_time_across_londons_spring_forward() {
    // 2027-03-28: GMT to BST. Monday 09:00 is 09:00Z, then 08:00Z.
    let s = schedule(vec![layer(
        "Europe/London",
        &["ann", "bob"],
        168,
        Some("2027-03-22T09:00"),
    )]);
    assert_eq!(
        timeline(&s, "2027-03-22T09:00:00Z", "2027-04-06T00:00:00Z"),
        vec![
            row("2027-03-22T09:00:00Z", "2027-03-29T08:00:00Z", &["ann"]),
            row("2027-03-29T08:00:00Z", "2027-04-05T08:00:00Z", &["bob"]),
            row("2027-04-05T08:00:00Z", "2027-04-06T00:00:00Z", &["ann"]),
        ]
    );
}

#[test]
fn a_weekly_handoff_in_sydney_keeps_09_00_when_dst_ends_and_starts() {
    // Southern hemisphere: AEDT (UTC+11) ends on 2027-04-04, AEST (UTC+10) ends on 2027-10-03.
    let s = schedule(vec![layer(
        "Australia/Sydney",
        &["ann", "bob"],
        168,
        Some("2027-03-29T09:00"),
    )]);
    let at = |t: &str| s.at(ts(t), &everyone);
    assert_eq!(at("2027-03-28T22:00:00Z"), names(&["ann"]));
    assert_eq!(at("2027-04-04T22:59:59Z"), names(&["ann"]));
    assert_eq!(at("2027-04-04T23:00:00Z"), names(&["bob"]));
    // 2027-09-27 09:00 AEST is 2027-09-26T23:00Z; a week later 09:00 AEDT is 22:00Z.
    let sept = s.next_change(
        ts("2027-09-26T12:00:00Z"),
        ts("2027-10-10T00:00:00Z"),
        &everyone,
    );
    assert_eq!(sept, Some(ts("2027-09-26T23:00:00Z")));
    let oct = s.next_change(
        ts("2027-09-27T00:00:00Z"),
        ts("2027-10-10T00:00:00Z"),
        &everyone,
    );
    assert_eq!(oct, Some(ts("2027-10-03T22:00:00Z")));
}

#[test]
fn a_night_window_wraps_midnight_across_new_yorks_dst_changes() {
    let s = schedule(vec![nights("America/New_York", &[Weekday::Saturday])]);
    // Spring forward inside the window: 22:00 EST to 06:00 EDT is seven hours.
    assert_eq!(
        timeline(&s, "2027-03-13T12:00:00Z", "2027-03-14T12:00:00Z"),
        vec![
            row("2027-03-13T12:00:00Z", "2027-03-14T03:00:00Z", &[]),
            row("2027-03-14T03:00:00Z", "2027-03-14T10:00:00Z", &["nia"]),
            row("2027-03-14T10:00:00Z", "2027-03-14T12:00:00Z", &[]),
        ]
    );
    // Fall back inside the window: 22:00 EDT to 06:00 EST is nine hours.
    assert_eq!(
        timeline(&s, "2027-11-06T12:00:00Z", "2027-11-07T12:00:00Z"),
        vec![
            row("2027-11-06T12:00:00Z", "2027-11-07T02:00:00Z", &[]),
            row("2027-11-07T02:00:00Z", "2027-11-07T11:00:00Z", &["nia"]),
            row("2027-11-07T11:00:00Z", "2027-11-07T12:00:00Z", &[]),
        ]
    );
}

#[test]
fn a_window_to_24_00_ends_at_midnight_and_one_listed_day_opens_once() {
    let mut l = layer("UTC", &["day"], 24, None);
    l.restrict = vec![Window {
        days: vec![Weekday::Monday],
        from: time(9, 0, 0, 0),
        to: None,
    }];
    let s = schedule(vec![l]);
    // 2027-01-04 is a Monday.
    assert_eq!(
        timeline(&s, "2027-01-03T00:00:00Z", "2027-01-12T00:00:00Z"),
        vec![
            row("2027-01-03T00:00:00Z", "2027-01-04T09:00:00Z", &[]),
            row("2027-01-04T09:00:00Z", "2027-01-05T00:00:00Z", &["day"]),
            row("2027-01-05T00:00:00Z", "2027-01-11T09:00:00Z", &[]),
            row("2027-01-11T09:00:00Z", "2027-01-12T00:00:00Z", &["day"]),
        ]
    );
}

#[test]
fn the_last_layer_on_call_wins_and_the_first_covers_the_rest() {
    let base = layer("UTC", &["ann", "bob"], 24, Some("2027-01-04T00:00"));
    let night = nights("UTC", &[Weekday::Monday]);
    let s = schedule(vec![base, night]);
    assert_eq!(
        timeline(&s, "2027-01-04T00:00:00Z", "2027-01-05T12:00:00Z"),
        vec![
            row("2027-01-04T00:00:00Z", "2027-01-04T22:00:00Z", &["ann"]),
            row("2027-01-04T22:00:00Z", "2027-01-05T06:00:00Z", &["nia"]),
            row("2027-01-05T06:00:00Z", "2027-01-05T12:00:00Z", &["bob"]),
        ]
    );
}

#[test]
fn the_last_override_holding_an_instant_wins_over_every_layer() {
    let mut s = schedule(vec![layer(
        "UTC",
        &["ann", "bob"],
        168,
        Some("2027-01-04T00:00"),
    )]);
    s.overrides = vec![
        Override {
            contact: "gus".into(),
            from: ts("2027-01-05T00:00:00Z"),
            to: ts("2027-01-07T00:00:00Z"),
        },
        Override {
            contact: "hal".into(),
            from: ts("2027-01-06T00:00:00Z"),
            to: ts("2027-01-06T12:00:00Z"),
        },
    ];
    assert_eq!(
        timeline(&s, "2027-01-04T00:00:00Z", "2027-01-08T00:00:00Z"),
        vec![
            row("2027-01-04T00:00:00Z", "2027-01-05T00:00:00Z", &["ann"]),
            row("2027-01-05T00:00:00Z", "2027-01-06T00:00:00Z", &["gus"]),
            row("2027-01-06T00:00:00Z", "2027-01-06T12:00:00Z", &["hal"]),
            row("2027-01-06T12:00:00Z", "2027-01-07T00:00:00Z", &["gus"]),
            row("2027-01-07T00:00:00Z", "2027-01-08T00:00:00Z", &["ann"]),
        ]
    );
}

#[test]
fn an_inactive_holder_means_nobody_with_no_fallback_to_an_earlier_layer() {
    let base = layer("UTC", &["ann"], 24, None);
    let top = layer("UTC", &["gone", "bob"], 24, Some("2027-01-04T00:00"));
    let s = schedule(vec![base, top]);
    let active = |c: &str| c != "gone";
    let got: Vec<_> = s
        .intervals(
            ts("2027-01-04T00:00:00Z"),
            ts("2027-01-06T00:00:00Z"),
            &active,
        )
        .into_iter()
        .map(|i| (i.from.to_string(), i.contacts))
        .collect();
    assert_eq!(
        got,
        vec![
            ("2027-01-04T00:00:00Z".to_string(), Vec::<String>::new()),
            ("2027-01-05T00:00:00Z".to_string(), names(&["bob"])),
        ]
    );
}

#[test]
fn without_a_handoff_the_answer_is_the_rotations_active_candidates() {
    let s = schedule(vec![layer("UTC", &["bob", "ann", "gone"], 24, None)]);
    let active = |c: &str| c != "gone";
    assert_eq!(
        s.at(ts("2027-01-04T03:00:00Z"), &active),
        names(&["ann", "bob"])
    );
    // One person needs no handoff.
    let solo = schedule(vec![layer("UTC", &["ann"], 24, None)]);
    assert_eq!(
        solo.at(ts("2027-01-04T03:00:00Z"), &everyone),
        names(&["ann"])
    );
}

#[test]
fn shifts_before_the_handoff_continue_the_rotation_backwards() {
    // Shift -1 is held by rotation[-1 mod n]: mathematical modulo.
    let s = schedule(vec![layer(
        "UTC",
        &["ann", "bob", "cat"],
        24,
        Some("2027-01-10T00:00"),
    )]);
    let at = |t: &str| s.at(ts(t), &everyone);
    assert_eq!(at("2027-01-09T12:00:00Z"), names(&["cat"]));
    assert_eq!(at("2027-01-08T12:00:00Z"), names(&["bob"]));
    assert_eq!(at("2027-01-07T12:00:00Z"), names(&["ann"]));
    assert_eq!(at("2026-01-10T12:00:00Z"), at("2026-01-13T12:00:00Z"));
}

#[test]
fn next_change_is_the_end_of_the_current_answer() {
    let s = schedule(vec![layer(
        "UTC",
        &["ann", "bob"],
        24,
        Some("2027-01-04T09:00"),
    )]);
    let limit = ts("2027-02-01T00:00:00Z");
    assert_eq!(
        s.next_change(ts("2027-01-04T10:00:00Z"), limit, &everyone),
        Some(ts("2027-01-05T09:00:00Z"))
    );
    let solo = schedule(vec![layer("UTC", &["ann"], 24, None)]);
    assert_eq!(
        solo.next_change(ts("2027-01-04T10:00:00Z"), limit, &everyone),
        None
    );
}

#[test]
fn intervals_tile_the_horizon_exactly() {
    let mut l = layer(
        "Europe/Berlin",
        &["a", "b", "c"],
        8,
        Some("2027-03-20T07:00"),
    );
    l.restrict = vec![Window {
        days: vec![Weekday::Monday, Weekday::Friday, Weekday::Sunday],
        from: time(7, 0, 0, 0),
        to: Some(time(19, 0, 0, 0)),
    }];
    let s = schedule(vec![layer("Europe/Berlin", &["z"], 24, None), l]);
    let (from, to) = (ts("2027-03-01T00:00:00Z"), ts("2027-04-15T00:00:00Z"));
    let got = s.intervals(from, to, &everyone);
    assert_eq!(got.first().map(|i| i.from), Some(from));
    assert_eq!(got.last().map(|i| i.to), Some(to));
    for pair in got.windows(2) {
        assert_eq!(pair[0].to, pair[1].from);
        assert_ne!(pair[0].contacts, pair[1].contacts, "neighbours are merged");
    }
}
