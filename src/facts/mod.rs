//! `input.facts.escalation` and `input.facts.oncall`: what the on-call rules judge, computed
//! once in Rust from [`crate::escalation`] and the time engine, so that Rego never does
//! calendar arithmetic. The shape is documented in docs/writing-policies.md.

pub mod codeowners;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use regorus::Value;

use crate::escalation::{Escalation, Level, Via};
use crate::oncall::layer::instant;
use crate::oncall::plan::TeamOncall;
use crate::oncall::Window;
use crate::workspace::Workspace;

/// The horizon [now, now + days) for a resolved clock; `None` without one.
pub fn horizon(
    clock: Option<&crate::oncall::now::Now>,
    days: i64,
) -> Option<(Timestamp, Timestamp)> {
    let from = clock?.instant;
    let to = from
        .checked_add(SignedDuration::from_hours(24 * days))
        .ok()?;
    Some((from, to))
}

fn obj<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::from(
        pairs
            .into_iter()
            .map(|(k, v)| (Value::from(k), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn strs<'a>(xs: impl IntoIterator<Item = &'a String>) -> Value {
    Value::from(
        xs.into_iter()
            .map(|s| Value::from(s.as_str()))
            .collect::<Vec<_>>(),
    )
}

fn opt(s: Option<&str>) -> Value {
    s.map_or(Value::Null, Value::from)
}

/// Hours between two instants, to the hundredth.
fn hours(from: Timestamp, to: Timestamp) -> f64 {
    let secs = to.as_second() - from.as_second();
    (secs as f64 / 36.0).round() / 100.0
}

/// An instant as people read it in a zone: `Sat 2026-12-12 04:00 CET`.
pub fn local(t: Timestamp, tz: &TimeZone) -> String {
    let dt = tz.to_datetime(t);
    let abbr = tz.to_offset_info(t).abbreviation().to_string();
    format!("{} {abbr}", dt.strftime("%a %Y-%m-%d %H:%M"))
}

fn zone_name(tz: &TimeZone) -> String {
    tz.iana_name().unwrap_or("UTC").to_string()
}

/// `input.facts` (only the keys this module owns: `escalation` and `oncall`).
pub fn value(ws: &Workspace, horizon: Option<(Timestamp, Timestamp)>) -> Value {
    let esc = Escalation::new(&ws.plan);
    let opts = &ws.config.oncall;
    let teams = team_facts(ws, &esc);
    let zones = team_zones(&esc);
    let mut escalation = BTreeMap::new();
    let (threats, policy_zones) = threat_facts(ws, &esc, &zones);
    escalation.insert(Value::from("threats"), threats);
    escalation.insert(Value::from("areas"), area_facts(ws, &esc));
    let mut oncall = BTreeMap::new();
    oncall.insert(Value::from("teams"), teams);
    let empty = || Value::from(BTreeMap::<Value, Value>::new());
    match horizon {
        Some((from, to)) => {
            escalation.insert(Value::from("policies"), policy_facts(&esc, from, to));
            oncall.insert(Value::from("required_gaps"), required_gaps(&esc, from, to));
            oncall.insert(
                Value::from("first_page"),
                first_page(&esc, opts.first_page_minutes, from, to, &policy_zones),
            );
            oncall.insert(Value::from("load"), load(&esc, from, to));
        }
        None => {
            escalation.insert(Value::from("policies"), empty());
            for k in ["required_gaps", "first_page", "load"] {
                oncall.insert(Value::from(k), empty());
            }
        }
    }
    obj([
        ("escalation", Value::from(escalation)),
        ("oncall", Value::from(oncall)),
    ])
}

/// Each team's zone (its first definition).
fn team_zones(esc: &Escalation) -> HashMap<String, TimeZone> {
    let mut out = HashMap::new();
    for t in esc.teams() {
        out.entry(t.team.clone()).or_insert_with(|| t.tz.clone());
    }
    out
}

/// `facts.oncall.teams[id] = {index, timezone, coverage}`.
fn team_facts(ws: &Workspace, esc: &Escalation) -> Value {
    let mut out = BTreeMap::new();
    for (i, t) in crate::escalation::elements(&ws.plan, crate::plan::List::Teams)
        .into_iter()
        .enumerate()
    {
        let Some(id) = t.get("id").and_then(|n| n.as_str()) else {
            continue;
        };
        let Some(team) = esc.team(id) else { continue };
        out.entry(Value::from(id)).or_insert_with(|| {
            obj([
                ("index", Value::from(i as u64)),
                ("timezone", Value::from(zone_name(&team.tz))),
                (
                    "coverage",
                    Value::from(if team.business_hours_only {
                        "business-hours"
                    } else {
                        "24x7"
                    }),
                ),
            ])
        });
    }
    Value::from(out)
}

/// Each area's team (first definition), for the local times of its threats.
fn area_teams(ws: &Workspace) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for a in crate::escalation::elements(&ws.plan, crate::plan::List::Areas) {
        if let (Some(id), Some(team)) = (
            a.get("id").and_then(|n| n.as_str()),
            a.get("team").and_then(|n| n.as_str()),
        ) {
            out.entry(id.to_string())
                .or_insert_with(|| team.to_string());
        }
    }
    out
}

fn via(v: &Via) -> (&'static str, Option<&str>) {
    match v {
        Via::Threat => ("threat", None),
        Via::Team(t) => ("team", t.as_deref()),
    }
}

/// `facts.escalation.threats[id] = {policy, via, team, timezone}`, and per policy the zones of
/// the teams whose threats use it (for local times of first-page gaps).
fn threat_facts(
    ws: &Workspace,
    esc: &Escalation,
    zones: &HashMap<String, TimeZone>,
) -> (Value, HashMap<String, BTreeSet<String>>) {
    let mut out = BTreeMap::new();
    let mut policy_zones: HashMap<String, BTreeSet<String>> = HashMap::new();
    let area_team = area_teams(ws);
    for t in crate::escalation::elements(&ws.plan, crate::plan::List::Threats) {
        let Some(id) = t.get("id").and_then(|n| n.as_str()) else {
            continue;
        };
        if out.contains_key(&Value::from(id)) {
            continue;
        }
        let Some(eff) = esc.for_threat(id) else {
            continue;
        };
        let area = t.get("area").and_then(|n| n.as_str());
        let team = match &eff.via {
            Via::Team(Some(team)) => Some(team.clone()),
            _ => area
                .and_then(|a| area_team.get(a))
                .filter(|t| zones.contains_key(*t))
                .cloned(),
        };
        let tz = team
            .as_ref()
            .and_then(|t| zones.get(t))
            .cloned()
            .unwrap_or(TimeZone::UTC);
        if let Some(p) = &eff.policy {
            policy_zones
                .entry(p.clone())
                .or_default()
                .insert(zone_name(&tz));
        }
        let (how, _) = via(&eff.via);
        out.insert(
            Value::from(id),
            obj([
                ("policy", opt(eff.policy.as_deref())),
                ("via", Value::from(how)),
                ("team", opt(team.as_deref())),
                ("timezone", Value::from(zone_name(&tz))),
            ]),
        );
    }
    (Value::from(out), policy_zones)
}

/// `facts.escalation.areas[id] = {policy, team}`.
fn area_facts(ws: &Workspace, esc: &Escalation) -> Value {
    let mut out = BTreeMap::new();
    for a in crate::escalation::elements(&ws.plan, crate::plan::List::Areas) {
        let Some(id) = a.get("id").and_then(|n| n.as_str()) else {
            continue;
        };
        let Some(eff) = esc.for_area(id) else {
            continue;
        };
        let (_, team) = via(&eff.via);
        out.entry(Value::from(id))
            .or_insert_with(|| obj([("policy", opt(eff.policy.as_deref())), ("team", opt(team))]));
    }
    Value::from(out)
}

/// `facts.escalation.policies[id] = {index, levels: [{index, after_minutes, tier, contacts}]}`:
/// `contacts` is everyone the level can page for an incident starting in the horizon.
fn policy_facts(esc: &Escalation, from: Timestamp, to: Timestamp) -> Value {
    let mut out = BTreeMap::new();
    for p in esc.policies() {
        if out.contains_key(&Value::from(p.id.as_str())) {
            continue;
        }
        let levels: Vec<Value> = p
            .levels
            .iter()
            .map(|l| {
                obj([
                    ("index", Value::from(l.index as u64)),
                    ("after_minutes", Value::from(l.after_minutes)),
                    ("tier", opt(l.tier.as_deref())),
                    ("contacts", strs(&esc.pageable(l, from, to))),
                ])
            })
            .collect();
        out.insert(
            Value::from(p.id.as_str()),
            obj([
                ("index", Value::from(p.index as u64)),
                ("levels", Value::from(levels)),
            ]),
        );
    }
    Value::from(out)
}

/// The openings of a weekly window over [from, to), as instants in `tz`.
fn windows(
    w: &Window,
    tz: &TimeZone,
    from: Timestamp,
    to: Timestamp,
) -> Vec<(Timestamp, Timestamp)> {
    let (Ok(first), Ok(last)) = (
        tz.to_datetime(from).date().yesterday(),
        tz.to_datetime(to).date().tomorrow(),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in first.series(1.day()).take_while(|d: &Date| *d <= last) {
        if !w.days.contains(&d.weekday()) {
            continue;
        }
        let end = match w.to {
            Some(t) if t > w.from => Some(d.to_datetime(t)),
            Some(t) => d.tomorrow().ok().map(|n| n.to_datetime(t)),
            None => d
                .tomorrow()
                .ok()
                .map(|n| n.to_datetime(jiff::civil::Time::midnight())),
        };
        let (Some(a), Some(b)) = (
            instant(tz, d.to_datetime(w.from)),
            end.and_then(|e| instant(tz, e)),
        ) else {
            continue;
        };
        let (a, b) = (a.max(from), b.min(to));
        if a < b {
            out.push((a, b));
        }
    }
    out
}

fn gap(from: Timestamp, to: Timestamp, tz: &TimeZone) -> Value {
    obj([
        ("from", Value::from(from.to_string())),
        ("to", Value::from(to.to_string())),
        ("local_from", Value::from(local(from, tz))),
        ("local_to", Value::from(local(to, tz))),
        ("hours", Value::from(hours(from, to))),
    ])
}

/// The gaps a team's coverage does not intend: every gap of a 24x7 team; the parts of gaps
/// inside business hours of a business-hours team.
pub fn team_gaps(
    esc: &Escalation,
    team: &TeamOncall,
    from: Timestamp,
    to: Timestamp,
) -> Vec<(Timestamp, Timestamp)> {
    let active = |c: &str| esc.is_active(c);
    let gaps: Vec<(Timestamp, Timestamp)> = team
        .schedule
        .intervals(from, to, &active)
        .into_iter()
        .filter(|i| i.contacts.is_empty())
        .map(|i| (i.from, i.to))
        .collect();
    if !team.business_hours_only {
        return gaps;
    }
    let open = windows(&team.business_hours, &team.tz, from, to);
    let mut out: Vec<(Timestamp, Timestamp)> = Vec::new();
    for (a, b) in &gaps {
        for (c, d) in &open {
            let (x, y) = ((*a).max(*c), (*b).min(*d));
            if x < y {
                match out.last_mut() {
                    Some(last) if last.1 >= x => last.1 = last.1.max(y),
                    _ => out.push((x, y)),
                }
            }
        }
    }
    out
}

/// `facts.oncall.required_gaps[team] = [{from, to, local_from, local_to, hours}]`, for teams
/// that have an on-call at all (a team without one is team-oncall's finding).
fn required_gaps(esc: &Escalation, from: Timestamp, to: Timestamp) -> Value {
    let mut out = BTreeMap::new();
    for team in esc.teams() {
        if out.contains_key(&Value::from(team.team.as_str())) {
            continue;
        }
        let gaps: Vec<Value> = team_gaps(esc, team, from, to)
            .into_iter()
            .map(|(a, b)| gap(a, b, &team.tz))
            .collect();
        out.insert(Value::from(team.team.as_str()), Value::from(gaps));
    }
    Value::from(out)
}

/// Who a policy pages within `minutes` of an incident starting at `t`.
fn first_paged(esc: &Escalation, levels: &[&Level], t: Timestamp) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in levels {
        for c in esc.paged(l, t) {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// `facts.oncall.first_page[policy] = [{from, to, hours, contacts, local}]`, tiling the
/// horizon: who is paged within `minutes` of an incident starting in [from, to) (levels with
/// `after_minutes <= minutes`, each resolved at t + after_minutes). `local` gives `from` and
/// `to` in the zone of every team whose threats use the policy.
fn first_page(
    esc: &Escalation,
    minutes: i64,
    from: Timestamp,
    to: Timestamp,
    zones: &HashMap<String, BTreeSet<String>>,
) -> Value {
    let mut out = BTreeMap::new();
    for p in esc.policies() {
        if out.contains_key(&Value::from(p.id.as_str())) {
            continue;
        }
        let levels: Vec<&Level> = p
            .levels
            .iter()
            .filter(|l| l.after_minutes <= minutes)
            .collect();
        let mut cuts: Vec<Timestamp> = levels
            .iter()
            .flat_map(|l| esc.changes(l, from, to))
            .collect();
        cuts.push(from);
        cuts.sort();
        cuts.dedup();
        let mut tiles: Vec<(Timestamp, Timestamp, Vec<String>)> = Vec::new();
        for (i, start) in cuts.iter().enumerate() {
            let end = cuts.get(i + 1).copied().unwrap_or(to);
            let who = first_paged(esc, &levels, *start);
            match tiles.last_mut() {
                Some(last) if last.2 == who => last.1 = end,
                _ => tiles.push((*start, end, who)),
            }
        }
        let tz_names: Vec<TimeZone> = zones
            .get(&p.id)
            .into_iter()
            .flatten()
            .filter_map(|z| TimeZone::get(z).ok())
            .collect();
        let tiles: Vec<Value> = tiles
            .into_iter()
            .map(|(a, b, who)| {
                let locals: BTreeMap<Value, Value> = tz_names
                    .iter()
                    .map(|tz| {
                        (
                            Value::from(zone_name(tz)),
                            obj([
                                ("from", Value::from(local(a, tz))),
                                ("to", Value::from(local(b, tz))),
                            ]),
                        )
                    })
                    .collect();
                obj([
                    ("from", Value::from(a.to_string())),
                    ("to", Value::from(b.to_string())),
                    ("hours", Value::from(hours(a, b))),
                    ("contacts", strs(&who)),
                    ("local", Value::from(locals)),
                ])
            })
            .collect();
        out.insert(Value::from(p.id.as_str()), Value::from(tiles));
    }
    Value::from(out)
}

/// `facts.oncall.load[contact] = {hours, share_percent, teams, double_booked}`: the hours of
/// the horizon the contact holds some team's on-call alone (as the one holder, not one of
/// several candidates), that as a percentage of the horizon, the teams in plan order, and the
/// first instant at which they hold two teams' on-call at once (`{at, local, teams}`) or null.
fn load(esc: &Escalation, from: Timestamp, to: Timestamp) -> Value {
    let active = |c: &str| esc.is_active(c);
    let mut held: BTreeMap<String, Vec<(Timestamp, Timestamp, usize)>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for (ti, team) in esc.teams().iter().enumerate() {
        if !seen.insert(team.team.clone()) {
            continue;
        }
        for i in team.schedule.intervals(from, to, &active) {
            if let [only] = i.contacts.as_slice() {
                held.entry(only.clone())
                    .or_default()
                    .push((i.from, i.to, ti));
            }
        }
    }
    let total = hours(from, to);
    let mut out = BTreeMap::new();
    for (contact, mut spans) in held {
        spans.sort();
        let mut union = 0.0;
        let mut cur: Option<(Timestamp, Timestamp)> = None;
        let mut double: Option<Timestamp> = None;
        let mut reach: Option<(Timestamp, usize)> = None;
        for (a, b, ti) in &spans {
            if let Some((end, tj)) = reach {
                if double.is_none() && *a < end && tj != *ti {
                    double = Some(*a);
                }
            }
            if reach.is_none_or(|(end, _)| *b > end) {
                reach = Some((*b, *ti));
            }
            cur = match cur {
                Some((x, y)) if *a <= y => Some((x, y.max(*b))),
                Some((x, y)) => {
                    union += hours(x, y);
                    Some((*a, *b))
                }
                None => Some((*a, *b)),
            };
        }
        if let Some((x, y)) = cur {
            union += hours(x, y);
        }
        let mut teams: Vec<usize> = spans.iter().map(|s| s.2).collect();
        teams.sort();
        teams.dedup();
        let names: Vec<String> = teams.iter().map(|i| esc.teams()[*i].team.clone()).collect();
        let double_booked = match double {
            Some(at) => {
                let mut both: Vec<usize> = spans
                    .iter()
                    .filter(|(a, b, _)| *a <= at && at < *b)
                    .map(|s| s.2)
                    .collect();
                both.sort();
                both.dedup();
                let tz = &esc.teams()[both[0]].tz;
                let names: Vec<String> =
                    both.iter().map(|i| esc.teams()[*i].team.clone()).collect();
                obj([
                    ("at", Value::from(at.to_string())),
                    ("local", Value::from(local(at, tz))),
                    ("teams", strs(&names)),
                ])
            }
            None => Value::Null,
        };
        let share = if total > 0.0 {
            (union / total * 1000.0).round() / 10.0
        } else {
            0.0
        };
        out.insert(
            Value::from(contact.as_str()),
            obj([
                ("hours", Value::from((union * 100.0).round() / 100.0)),
                ("share_percent", Value::from(share)),
                ("teams", strs(&names)),
                ("double_booked", double_booked),
            ]),
        );
    }
    Value::from(out)
}

#[cfg(test)]
mod tests;
