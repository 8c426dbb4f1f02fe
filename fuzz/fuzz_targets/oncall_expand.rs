//! The on-call time expander: rotations, layers, weekly windows, overrides and time zones
//! built from the input. The intervals tile the horizon in order, agree with `at` anywhere
//! inside each of them, name only active people of the schedule, and a rotation hands over
//! in order at exact shift lengths.
#![no_main]

mod common;

use arbitrary::{Arbitrary, Unstructured};
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use plancheck::oncall::{Layer, Override, Schedule, Window};

const PEOPLE: [&str; 5] = ["ana", "ben", "cho", "dev", "eli"];

/// Zones with every kind of offset change: none, DST, half-hour DST, negative DST, a skipped
/// day, 45-minute offsets, two-hour DST.
const ZONES: [&str; 14] = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Apia",
    "America/Sao_Paulo",
    "Pacific/Chatham",
    "America/St_Johns",
    "Africa/Casablanca",
    "Europe/Dublin",
    "Antarctica/Troll",
    "Asia/Tokyo",
    "America/Santiago",
];

#[derive(Arbitrary, Debug)]
struct In {
    start_day: u16,
    start_second: u32,
    horizon_days: u16,
    inactive: u8,
    layers: Vec<L>,
    overrides: Vec<O>,
}

#[derive(Arbitrary, Debug)]
struct L {
    rotation: Vec<u8>,
    shift: u32,
    raw_shift: bool,
    handoff: Option<(u16, u8, u8)>,
    zone: u8,
    restrict: Vec<W>,
}

#[derive(Arbitrary, Debug)]
struct W {
    days: u8,
    from: (u8, u8),
    to: Option<(u8, u8)>,
}

#[derive(Arbitrary, Debug)]
struct O {
    who: u8,
    from_minutes: i32,
    minutes: i32,
}

fn base_date() -> Date {
    jiff::civil::date(2000, 1, 1)
}

fn time((h, m): (u8, u8)) -> Time {
    Time::new((h % 24) as i8, (m % 60) as i8, 0, 0).expect("a valid time")
}

fn layer(l: &L) -> Layer {
    let tz = TimeZone::get(ZONES[l.zone as usize % ZONES.len()]).expect("a bundled zone");
    let shift_hours = if l.raw_shift {
        l.shift.max(1)
    } else {
        l.shift % 336 + 1
    };
    let handoff = l.handoff.map(|(day, h, m)| {
        // Up to about 60 years after 2000, at any minute of the day.
        let date = base_date()
            .checked_add(jiff::Span::new().days(i64::from(day % 22000)))
            .expect("a date in range");
        DateTime::from_parts(date, time((h, m)))
    });
    Layer {
        name: "layer".into(),
        rotation: l
            .rotation
            .iter()
            .take(6)
            .map(|p| PEOPLE[*p as usize % 5].to_string())
            .collect(),
        shift_hours,
        handoff,
        tz,
        restrict: l
            .restrict
            .iter()
            .take(3)
            .map(|w| Window {
                days: (0..7)
                    .filter(|d| w.days & (1 << d) != 0)
                    .map(|d| Weekday::Monday.wrapping_add(d))
                    .collect(),
                from: time(w.from),
                to: w.to.map(time),
            })
            .collect(),
    }
}

/// Contacts sorted, unique, active and on the schedule.
fn check_contacts(s: &Schedule, contacts: &[String], active: &dyn Fn(&str) -> bool) {
    let mut sorted = contacts.to_vec();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, contacts, "contacts not sorted or repeated");
    for c in contacts {
        assert!(active(c), "inactive {c} on call");
        let known = s.layers.iter().any(|l| l.rotation.contains(c))
            || s.overrides.iter().any(|o| &o.contact == c);
        assert!(known, "{c} is on no layer and no override");
    }
}

fn check(s: &Schedule, from: Timestamp, to: Timestamp, active: &dyn Fn(&str) -> bool) {
    let intervals = s.intervals(from, to, active);
    common::assert_tiles(&intervals, from, to);
    for i in &intervals {
        check_contacts(s, &i.contacts, active);
        let mid = Timestamp::from_second((i.from.as_second() + i.to.as_second()) / 2)
            .expect("in range")
            .max(i.from);
        let last =
            i.to.checked_sub(SignedDuration::from_nanos(1))
                .expect("in range");
        for t in [i.from, mid, last] {
            assert_eq!(s.at(t, active), i.contacts, "at({t}) disagrees with {i:?}");
        }
    }
    let next = s.next_change(from, to, active);
    let first_end = intervals[0].to;
    assert_eq!(next, (first_end < to).then_some(first_end));
}

/// A lone layer with a handoff and distinct people, always on: shifts follow the rotation,
/// and an hour-based shift lasts exactly its hours.
fn check_rotation(l: &Layer, from: Timestamp, to: Timestamp) {
    let mut distinct = l.rotation.clone();
    distinct.sort();
    distinct.dedup();
    if l.handoff.is_none()
        || !l.restrict.is_empty()
        || distinct.len() != l.rotation.len()
        || l.rotation.len() < 2
    {
        return;
    }
    let s = Schedule {
        layers: vec![l.clone()],
        overrides: vec![],
    };
    let intervals = s.intervals(from, to, &|_| true);
    for w in intervals.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let ([x], [y]) = (a.contacts.as_slice(), b.contacts.as_slice()) else {
            continue;
        };
        let i = l.rotation.iter().position(|p| p == x).expect("a member");
        assert_eq!(
            &l.rotation[(i + 1) % l.rotation.len()],
            y,
            "out of turn: {w:?}"
        );
        if a.from > from && l.shift_hours % 24 != 0 {
            let len = b.from.as_second() - a.from.as_second();
            assert_eq!(len, i64::from(l.shift_hours) * 3600, "shift length: {w:?}");
        }
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(input) = In::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let start = base_date()
        .checked_add(jiff::Span::new().days(i64::from(input.start_day % 20000)))
        .expect("a date in range");
    let from = TimeZone::UTC
        .to_ambiguous_timestamp(start.to_datetime(Time::midnight()))
        .compatible()
        .expect("in range")
        .checked_add(SignedDuration::from_secs(i64::from(
            input.start_second % 86400,
        )))
        .expect("in range");
    let days = i64::from(input.horizon_days % 60 + 1);
    let to = from
        .checked_add(SignedDuration::from_hours(24 * days))
        .expect("in range");
    let schedule = Schedule {
        layers: input.layers.iter().take(4).map(layer).collect(),
        overrides: input
            .overrides
            .iter()
            .take(4)
            .filter_map(|o| {
                let at = from
                    .checked_add(SignedDuration::from_mins(i64::from(
                        o.from_minutes % 100_000,
                    )))
                    .ok()?;
                Some(Override {
                    contact: PEOPLE[o.who as usize % 5].to_string(),
                    from: at,
                    to: at
                        .checked_add(SignedDuration::from_mins(i64::from(o.minutes % 20_000)))
                        .ok()?,
                })
            })
            .collect(),
    };
    let inactive = input.inactive;
    let active = move |c: &str| {
        let i = PEOPLE.iter().position(|p| *p == c).unwrap_or(0);
        inactive & (1 << i) == 0
    };
    for l in &schedule.layers {
        let changes = l.changes(from, to);
        assert!(
            changes.windows(2).all(|w| w[0] <= w[1]),
            "changes not sorted"
        );
        assert!(
            changes.iter().all(|c| from < *c && *c < to),
            "a change outside the range"
        );
        let alone = Schedule {
            layers: vec![l.clone()],
            overrides: vec![],
        };
        check(&alone, from, to, &|_| true);
        check_rotation(l, from, to);
    }
    check(&schedule, from, to, &active);
});
