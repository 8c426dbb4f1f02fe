//! What a change does to who is on call: dated shifts that change holder in the next 14 days,
//! coverage gaps it opens or closes, and a Mermaid gantt chart of each changed team's next 14
//! days, base and head (issue 12, diff mode).
//!
//! Both sides are expanded by the time engine from the same instant (`now`), so a rotation
//! reordered, a handoff moved or a person added shows up as the shifts that really move.

use std::fmt::Write as _;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::semantic::{Change, Chart};
use crate::oncall::plan::TeamOncall;
use crate::oncall::{Interval, Layer, Schedule};
use crate::plan::Plan;

/// How far ahead the diff looks.
pub const DAYS: i64 = 14;
/// Shift changes listed per team before the rest is summed up.
const MAX_LINES_PER_TEAM: usize = 20;

/// A changed stretch: over `[from, to)` base said `before`, head says `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Moved {
    from: Timestamp,
    to: Timestamp,
    before: Vec<String>,
    after: Vec<String>,
}

/// `now` as the diff gets it: a date (midnight UTC) or an RFC 3339 instant.
fn start(now: &str) -> Option<Timestamp> {
    crate::oncall::now::parse(now.trim()).map(|n| n.instant)
}

fn teams(plan: &Plan) -> Vec<(TeamOncall, std::collections::HashSet<String>)> {
    let inactive = crate::oncall::plan::inactive_contacts(plan);
    let mut seen = std::collections::HashSet::new();
    crate::oncall::plan::teams(plan)
        .into_iter()
        .filter(|t| seen.insert(t.team.clone()))
        .map(|t| (t, inactive.clone()))
        .collect()
}

fn expand(
    t: &TeamOncall,
    inactive: &std::collections::HashSet<String>,
    from: Timestamp,
    to: Timestamp,
) -> Vec<Interval> {
    t.schedule
        .intervals(from, to, &|c: &str| !inactive.contains(c))
}

/// The stretches where base and head disagree, neighbours with the same pair merged.
fn moved(base: &[Interval], head: &[Interval]) -> Vec<Moved> {
    let mut cuts: Vec<Timestamp> = base
        .iter()
        .chain(head)
        .flat_map(|i| [i.from, i.to])
        .collect();
    cuts.sort();
    cuts.dedup();
    let at = |list: &[Interval], t: Timestamp| -> Vec<String> {
        list.iter()
            .find(|i| i.from <= t && t < i.to)
            .map(|i| i.contacts.clone())
            .unwrap_or_default()
    };
    let mut out: Vec<Moved> = Vec::new();
    for w in cuts.windows(2) {
        let (from, to) = (w[0], w[1]);
        let (before, after) = (at(base, from), at(head, from));
        if before == after {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.to == from && last.before == before && last.after == after => {
                last.to = to;
            }
            _ => out.push(Moved {
                from,
                to,
                before,
                after,
            }),
        }
    }
    out
}

fn who(ids: &[String]) -> String {
    match ids {
        [] => "nobody".into(),
        [one] => one.clone(),
        many => format!("one of {}", many.join("/")),
    }
}

/// "Mon 7 Dec 09:00-Tue 8 Dec 09:00 Europe/Berlin".
fn span(from: Timestamp, to: Timestamp, tz: &TimeZone) -> String {
    let f = |t: Timestamp| {
        t.to_zoned_datetime(tz.clone())
            .strftime("%a %-d %b %H:%M")
            .to_string()
    };
    format!("{}-{} {}", f(from), f(to), tz.iana_name().unwrap_or("UTC"))
}

fn hours(d: SignedDuration) -> String {
    let h = d.as_secs_f64() / 3600.0;
    if (h - h.round()).abs() < 0.01 {
        format!("{} h", h.round() as i64)
    } else {
        format!("{h:.1} h")
    }
}

/// The team's business hours as a schedule that is "on" inside them.
fn business_hours(t: &TeamOncall) -> Schedule {
    Schedule {
        layers: vec![Layer {
            name: "business hours".into(),
            rotation: vec!["open".into()],
            shift_hours: 24,
            handoff: None,
            tz: t.tz.clone(),
            restrict: vec![t.business_hours.clone()],
        }],
        overrides: Vec::new(),
    }
}

/// Hours of `[from, to)` a team must cover: all of it for 24x7, its business hours otherwise.
fn required(t: &TeamOncall, from: Timestamp, to: Timestamp) -> SignedDuration {
    if !t.business_hours_only {
        return to.duration_since(from);
    }
    business_hours(t)
        .intervals(from, to, &|_| true)
        .iter()
        .filter(|i| !i.contacts.is_empty())
        .map(|i| i.to.duration_since(i.from))
        .sum()
}

fn line(team: &TeamOncall, m: &Moved) -> String {
    let when = span(m.from, m.to, &team.tz);
    let base = format!(
        "{} on-call {when}: {} -> {}",
        team.team,
        who(&m.before),
        who(&m.after)
    );
    let required = required(team, m.from, m.to);
    let need = if team.business_hours_only {
        "business hours"
    } else {
        "24x7"
    };
    match (m.before.is_empty(), m.after.is_empty()) {
        (false, true) if required > SignedDuration::ZERO => format!(
            "{base} (coverage gap opened: {} of required {need} coverage)",
            hours(required)
        ),
        (true, false) if required > SignedDuration::ZERO => format!(
            "{base} (coverage gap closed: {} of required {need} coverage)",
            hours(required)
        ),
        (false, true) => format!("{base} (outside business hours)"),
        _ => base,
    }
}

/// Mermaid gantt task names cannot hold `:`, `;` or `#`.
fn task(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ':' | ';' | '#' | '\n' | '\r' => ' ',
            c => c,
        })
        .collect()
}

fn gantt(
    team: &TeamOncall,
    base: Option<&[Interval]>,
    head: &[Interval],
    from: Timestamp,
    to: Timestamp,
) -> String {
    let tz = &team.tz;
    let local = |t: Timestamp| {
        t.to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    };
    let day = |t: Timestamp| {
        t.to_zoned_datetime(tz.clone())
            .strftime("%a %-d %b")
            .to_string()
    };
    let mut m = String::from("gantt\n");
    let _ = writeln!(
        m,
        "  title {} on-call, {} to {} ({})",
        task(&team.team),
        day(from),
        day(to),
        tz.iana_name().unwrap_or("UTC")
    );
    m.push_str("  dateFormat YYYY-MM-DD HH:mm\n  axisFormat %a %d %b\n  todayMarker off\n");
    let mut n = 0;
    for (name, side) in [("base", base), ("head", Some(head))] {
        let _ = writeln!(m, "  section {name}");
        let Some(side) = side else {
            let _ = writeln!(
                m,
                "  (team not in base) :done, t{n}, {}, {}",
                local(from),
                local(to)
            );
            n += 1;
            continue;
        };
        for i in side {
            let (a, b) = (local(i.from), local(i.to));
            // A stretch inside a repeated fall-back hour has no forward local span to draw.
            if b <= a {
                continue;
            }
            // A gap the team must cover is red; intended off-hours of a business-hours team grey.
            let (name, tag) = match i.contacts.is_empty() {
                false => (who(&i.contacts), ""),
                true if required(team, i.from, i.to) > SignedDuration::ZERO => {
                    ("nobody".to_string(), "crit, ")
                }
                true => ("off hours".to_string(), "done, "),
            };
            let _ = writeln!(m, "  {} :{tag}t{n}, {a}, {b}", task(&name));
            n += 1;
        }
    }
    m
}

/// On-call changes between two plans over `[now, now + 14 days)`: one [`Change`] per changed
/// stretch (section `oncall`), and a gantt [`Chart`] per team whose next 14 days change.
pub fn diff(base: &Plan, head: &Plan, now: &str) -> (Vec<Change>, Vec<Chart>) {
    let Some(from) = start(now) else {
        return (Vec::new(), Vec::new());
    };
    let Ok(to) = from.checked_add(SignedDuration::from_hours(24 * DAYS)) else {
        return (Vec::new(), Vec::new());
    };
    let before = teams(base);
    let mut changes = Vec::new();
    let mut charts = Vec::new();
    for (team, inactive) in teams(head) {
        let after = expand(&team, &inactive, from, to);
        let old = before
            .iter()
            .find(|(t, _)| t.team == team.team)
            .map(|(t, ina)| expand(t, ina, from, to));
        let Some(old) = old else {
            // A new team: the semantic diff says it was added; its chart shows what it will do.
            if after.iter().any(|i| !i.contacts.is_empty()) {
                charts.push(Chart {
                    policy: team.team.clone(),
                    mermaid: gantt(&team, None, &after, from, to),
                });
            }
            continue;
        };
        let moved = moved(&old, &after);
        if moved.is_empty() {
            continue;
        }
        for m in moved.iter().take(MAX_LINES_PER_TEAM) {
            changes.push(Change {
                section: "oncall",
                text: line(&team, m),
            });
        }
        if moved.len() > MAX_LINES_PER_TEAM {
            changes.push(Change {
                section: "oncall",
                text: format!(
                    "{} on-call: {} more changed shifts in the next {DAYS} days (see the chart or `plancheck oncall --team {}`)",
                    team.team,
                    moved.len() - MAX_LINES_PER_TEAM,
                    team.team
                ),
            });
        }
        charts.push(Chart {
            policy: team.team.clone(),
            mermaid: gantt(&team, Some(&old), &after, from, to),
        });
    }
    (changes, charts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{parse_file, Plan};

    fn plan(team: &str) -> Plan {
        let yaml = format!(
            "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\ncontacts:\n  - {{id: erin}}\n  - {{id: farid}}\n  - {{id: gus}}\nteams:\n{team}"
        );
        let file = parse_file("incident-response/plan.yaml", yaml.into_bytes()).expect("parses");
        let p = Plan::merge(vec![file]);
        assert!(p.violations.is_empty(), "{:?}", p.violations);
        p
    }

    const BASE: &str = "  - id: storage\n    timezone: Europe/Berlin\n    oncall: {rotation: [erin, farid], shift_hours: 24, handoff: 2026-12-07T09:00}\n";

    #[test]
    fn a_swapped_rotation_lists_each_moved_shift_in_the_teams_time() {
        let head = BASE.replace("[erin, farid]", "[farid, erin]");
        let (changes, charts) = diff(&plan(BASE), &plan(&head), "2026-12-07T08:00:00Z");
        assert_eq!(changes.len(), 14);
        assert_eq!(
            changes[0].text,
            "storage on-call Mon 7 Dec 09:00-Tue 8 Dec 09:00 Europe/Berlin: erin -> farid"
        );
        assert_eq!(
            changes[1].text,
            "storage on-call Tue 8 Dec 09:00-Wed 9 Dec 09:00 Europe/Berlin: farid -> erin"
        );
        assert!(changes.iter().all(|c| c.section == "oncall"));
        assert_eq!(charts.len(), 1);
        let m = &charts[0].mermaid;
        assert!(
            m.starts_with(
                "gantt\n  title storage on-call, Mon 7 Dec to Mon 21 Dec (Europe/Berlin)\n"
            ),
            "{m}"
        );
        assert!(
            m.contains("  section base\n  erin :t0, 2026-12-07 09:00, 2026-12-08 09:00\n"),
            "{m}"
        );
        assert!(m.contains("  section head\n  farid :t"), "{m}");
    }

    #[test]
    fn an_unchanged_rotation_says_nothing() {
        let (changes, charts) = diff(&plan(BASE), &plan(BASE), "2026-12-07");
        assert!(changes.is_empty() && charts.is_empty());
    }

    #[test]
    fn a_restriction_opens_a_gap_and_removing_it_closes_it() {
        let head = BASE.replace(
            "{rotation: [erin, farid], shift_hours: 24, handoff: 2026-12-07T09:00}",
            "{layers: [{name: day, rotation: [erin, farid], shift_hours: 24, handoff: 2026-12-07T09:00, restrict: [{days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"17:00\"}]}]}",
        );
        let (changes, charts) = diff(&plan(BASE), &plan(&head), "2026-12-07T08:00:00Z");
        assert_eq!(
            changes[0].text,
            "storage on-call Mon 7 Dec 17:00-Tue 8 Dec 09:00 Europe/Berlin: erin -> nobody (coverage gap opened: 16 h of required 24x7 coverage)"
        );
        assert!(charts[0].mermaid.contains("  nobody :crit, t"));
        let (changes, _) = diff(&plan(&head), &plan(BASE), "2026-12-07T08:00:00Z");
        assert!(changes[0]
            .text
            .ends_with("nobody -> erin (coverage gap closed: 16 h of required 24x7 coverage)"));
    }

    #[test]
    fn a_business_hours_team_losing_its_nights_is_no_gap() {
        let base = BASE.replace(
            "shift_hours: 24",
            "shift_hours: 24, coverage: business-hours",
        );
        let head = BASE.replace(
            "{rotation: [erin, farid], shift_hours: 24, handoff: 2026-12-07T09:00}",
            "{coverage: business-hours, layers: [{name: day, rotation: [erin, farid], shift_hours: 24, handoff: 2026-12-07T09:00, restrict: [{days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"17:00\"}]}]}",
        );
        let (changes, _) = diff(&plan(&base), &plan(&head), "2026-12-07T08:00:00Z");
        assert_eq!(
            changes[0].text,
            "storage on-call Mon 7 Dec 17:00-Tue 8 Dec 09:00 Europe/Berlin: erin -> nobody (outside business hours)"
        );
    }

    #[test]
    fn a_weekly_handoff_keeps_its_wall_clock_across_dst_in_the_chart() {
        let base = "  - id: nyc\n    timezone: America/New_York\n    oncall: {rotation: [erin, farid], shift_hours: 168, handoff: 2027-03-01T09:00}\n";
        let head = base.replace("[erin, farid]", "[erin, farid, gus]");
        let (changes, charts) = diff(&plan(base), &plan(&head), "2027-03-08T14:00:00Z");
        // The 14 March DST change does not move the 09:00 Monday handoff.
        assert!(
            changes.iter().any(|c| c
                .text
                .starts_with("nyc on-call Mon 15 Mar 09:00-Mon 22 Mar 09:00 America/New_York: ")),
            "{changes:?}"
        );
        assert!(charts[0].mermaid.contains("2027-03-15 09:00"));
    }
}
