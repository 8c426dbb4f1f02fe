//! `plancheck oncall`: who holds each team's on-call at an instant, and who is paged, minute by
//! minute, for an incident (DESIGN.md, "On-call in time").
//!
//! The answers come from the time engine (`crate::oncall`) and, for escalation, from
//! `crate::escalation`; this module only reads the plan, asks them and prints.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::Result;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Value};

use crate::cli::{ListFormat, OncallArgs};
use crate::error::Advice;
use crate::escalation::{Escalation, Target, Via};
use crate::oncall::plan::TeamOncall;
use crate::plan::node::Node;
use crate::plan::{schema, Plan};

/// How far ahead `until` is looked for: past this, a team's answer "does not change".
const UNTIL_LIMIT_DAYS: i64 = 400;

// ---- reading the plan (one place, so a change of the plan's lists is one edit) -------------

/// The elements of one of the plan's lists, in plan order.
pub(crate) fn list<'a>(plan: &'a Plan, name: &str) -> Vec<&'a Node> {
    let Some(li) = schema::LISTS.iter().position(|(n, _)| *n == name) else {
        return Vec::new();
    };
    plan.lists[li]
        .iter()
        .filter_map(|r| plan.elem(li, *r))
        .collect()
}

pub(crate) fn text<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get(key).and_then(Node::as_str)
}

/// What a person paged at night needs to know about a contact.
#[derive(Debug, Clone, Default)]
pub(crate) struct Person {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub tz: Option<TimeZone>,
    pub tier: Option<String>,
}

pub(crate) fn people(plan: &Plan) -> BTreeMap<String, Person> {
    let mut out = BTreeMap::new();
    for c in list(plan, "contacts") {
        let Some(id) = text(c, "id") else { continue };
        out.entry(id.to_string()).or_insert_with(|| Person {
            name: text(c, "name").map(str::to_string),
            phone: text(c, "phone").map(str::to_string),
            email: text(c, "email").map(str::to_string),
            tz: text(c, "timezone").and_then(|z| TimeZone::get(z).ok()),
            tier: text(c, "tier").map(str::to_string),
        });
    }
    out
}

// ---- time ----------------------------------------------------------------------------------

/// A date (midnight UTC) or an RFC 3339 instant; `source` names the flag or variable in the
/// error.
pub fn parse_time(s: &str, source: &str) -> Result<Timestamp> {
    let s = s.trim();
    // One reading of "a date or an instant" for --now, --at and PLANCHECK_NOW.
    if let Some(now) = crate::oncall::now::parse(s) {
        return Ok(now.instant);
    }
    let hint = if s.len() >= 16
        && s.as_bytes()
            .get(10)
            .is_some_and(|b| *b == b'T' || *b == b' ')
    {
        " (a time needs its offset: add Z for UTC or +01:00 for the zone's offset)"
    } else {
        ""
    };
    Err(Advice::new(
        format!("invalid time `{s}` for {source}{hint}"),
        "give a date (2026-12-12, midnight UTC) or an RFC 3339 instant (2026-12-12T03:00:00Z, 2026-12-12T04:00:00+01:00)",
    )
    .into())
}

/// `--at`, else `PLANCHECK_NOW`, else the clock.
pub fn resolve_at(at: Option<&str>) -> Result<Timestamp> {
    if let Some(a) = at.filter(|a| !a.trim().is_empty()) {
        return parse_time(a, "--at");
    }
    match std::env::var("PLANCHECK_NOW") {
        Ok(v) if !v.trim().is_empty() => parse_time(&v, "PLANCHECK_NOW"),
        _ => Ok(Timestamp::now()),
    }
}

/// "Sat 12 Dec 2026 03:00 UTC".
pub(crate) fn utc(t: Timestamp) -> String {
    t.to_zoned_datetime(TimeZone::UTC)
        .strftime("%a %-d %b %Y %H:%M UTC")
        .to_string()
}

/// "Sat 12 Dec 04:00 CET (Europe/Berlin)"; just the UTC form for UTC.
pub(crate) fn local(t: Timestamp, tz: &TimeZone) -> String {
    let name = tz.iana_name().unwrap_or("UTC");
    if name == "UTC" || name == "Etc/UTC" {
        return t
            .to_zoned_datetime(TimeZone::UTC)
            .strftime("%a %-d %b %H:%M UTC")
            .to_string();
    }
    format!(
        "{} ({name})",
        t.to_zoned_datetime(tz.clone())
            .strftime("%a %-d %b %H:%M %Z")
    )
}

// ---- the answers ---------------------------------------------------------------------------

/// One team's answer at an instant.
#[derive(Debug, Clone)]
pub(crate) struct TeamNow {
    pub team: String,
    pub name: Option<String>,
    pub tz: TimeZone,
    pub contacts: Vec<String>,
    /// The next instant at which the answer changes (none within [`UNTIL_LIMIT_DAYS`]).
    pub until: Option<Timestamp>,
    /// Who holds it from `until`.
    pub next: Vec<String>,
    pub business_hours_only: bool,
    pub has_rotation: bool,
}

pub(crate) fn team_now(
    t: &TeamOncall,
    name: Option<String>,
    at: Timestamp,
    active: &dyn Fn(&str) -> bool,
) -> TeamNow {
    let limit = at
        .checked_add(SignedDuration::from_hours(24 * UNTIL_LIMIT_DAYS))
        .unwrap_or(Timestamp::MAX);
    let contacts = t.schedule.at(at, active);
    let until = t.schedule.next_change(at, limit, active);
    let next = until.map(|u| t.schedule.at(u, active)).unwrap_or_default();
    TeamNow {
        team: t.team.clone(),
        name,
        tz: t.tz.clone(),
        contacts,
        until,
        next,
        business_hours_only: t.business_hours_only,
        has_rotation: t.schedule.layers.iter().any(|l| !l.rotation.is_empty())
            || !t.schedule.overrides.is_empty(),
    }
}

fn unknown(kind: &str, id: &str, known: &[&str]) -> anyhow::Error {
    let mut help = match schema::closest(id, known) {
        Some(c) => format!("did you mean `{c}`? "),
        None => String::new(),
    };
    if known.is_empty() {
        help.push_str(&format!("the plan defines no {kind}s"));
    } else {
        let shown: Vec<&str> = known.iter().take(20).copied().collect();
        help.push_str(&format!(
            "known {kind}s: {}{}",
            shown.join(", "),
            if known.len() > shown.len() {
                ", ..."
            } else {
                ""
            }
        ));
    }
    Advice::new(format!("unknown {kind} `{id}`"), help).into()
}

/// Loads the plan of the repository the flags name.
fn open(args: &OncallArgs) -> Result<crate::check::Opened> {
    let (dir, _) = match &args.dir {
        Some(d) => {
            let (root, only) = crate::check::resolve_target(d)?;
            (Some(root), only)
        }
        None => (None, Vec::new()),
    };
    let opts = crate::check::Options {
        dir,
        rev: args.rev.clone(),
        config: args.config.clone(),
        ..Default::default()
    };
    crate::check::open(&opts)
}

pub fn run(args: &OncallArgs, color: bool) -> Result<crate::Output> {
    let at = resolve_at(args.at.as_deref())?;
    let opened = open(args)?;
    let plan = &opened.workspace.plan;
    let mut stderr = String::new();
    if !plan.violations.is_empty() {
        stderr.push_str(&format!(
            "plancheck: warning: the plan has {} schema error{}; answers skip what the schema rejects (`plancheck check` lists them)\n",
            plan.violations.len(),
            if plan.violations.len() == 1 { "" } else { "s" }
        ));
    }
    let inactive = crate::oncall::plan::inactive_contacts(plan);
    let active = |c: &str| !inactive.contains(c);
    let names: BTreeMap<String, Option<String>> = list(plan, "teams")
        .into_iter()
        .filter_map(|t| {
            Some((
                text(t, "id")?.to_string(),
                text(t, "name").map(str::to_string),
            ))
        })
        .collect();
    let all = crate::oncall::plan::teams(plan);
    let known: Vec<&str> = all.iter().map(|t| t.team.as_str()).collect();
    for id in &args.teams {
        if !known.contains(&id.as_str()) {
            return Err(unknown("team", id, &known));
        }
    }
    let mut seen = std::collections::HashSet::new();
    let teams: Vec<TeamNow> = all
        .iter()
        .filter(|t| args.teams.is_empty() || args.teams.contains(&t.team))
        .filter(|t| seen.insert(t.team.clone()))
        .map(|t| team_now(t, names.get(&t.team).cloned().flatten(), at, &active))
        .collect();
    let people = people(plan);
    if args.threat.is_some() || args.area.is_some() || args.path.is_some() {
        let subject = subject(args, &opened, plan)?;
        let esc = Escalation::new(plan);
        let tl = timeline(&esc, &subject, at);
        let involved: Vec<TeamNow> = all
            .iter()
            .filter(|t| tl.oncall_teams.contains(&t.team))
            .filter(|t| seen.insert(format!("timeline:{}", t.team)))
            .map(|t| team_now(t, names.get(&t.team).cloned().flatten(), at, &active))
            .collect();
        let stdout = match args.format {
            ListFormat::Json => {
                let v = json!({
                    "at": at.to_string(),
                    "subject": {"kind": subject.kind, "id": subject.id},
                    "policy": tl.policy,
                    "via": tl.via,
                    "teams": involved.iter().map(team_json).collect::<Vec<_>>(),
                    "timeline": tl.steps.iter().map(|s| json!({
                        "minute": s.minute,
                        "level": s.level,
                        "contacts": s.contacts,
                        "at": s.at.to_string(),
                        "tier": s.tier,
                        "targets": s.targets,
                    })).collect::<Vec<_>>(),
                });
                serde_json::to_string_pretty(&v)? + "\n"
            }
            ListFormat::Human => timeline_human(&subject, &tl, &involved, &people, at, color),
        };
        return Ok(crate::Output {
            stdout,
            stderr,
            code: 0,
        });
    }
    let stdout = match args.format {
        ListFormat::Json => {
            let v = json!({
                "at": at.to_string(),
                "teams": teams.iter().map(team_json).collect::<Vec<_>>(),
                "timeline": Vec::<Value>::new(),
            });
            serde_json::to_string_pretty(&v)? + "\n"
        }
        ListFormat::Human => {
            let mut out = format!("On call at {}\n", utc(at));
            if teams.is_empty() {
                out.push_str("\nThe plan defines no teams.\n");
            }
            for t in &teams {
                out.push('\n');
                out.push_str(&team_human(t, &people, at, color));
            }
            out
        }
    };
    Ok(crate::Output {
        stdout,
        stderr,
        code: 0,
    })
}

fn team_json(t: &TeamNow) -> Value {
    json!({
        "team": t.team,
        "contacts": t.contacts,
        "until": t.until.map(|u| u.to_string()),
        "next": t.next,
        "timezone": t.tz.iana_name().unwrap_or("UTC"),
    })
}

fn loud(s: &str, color: bool) -> String {
    if color {
        format!("\x1b[1;31m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn bold(s: &str, color: bool) -> String {
    if color {
        format!("\x1b[1m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// "erin (Erin Park)  +4930..  erin@..  local Sat 12 Dec 04:00 CET (Europe/Berlin)".
pub(crate) fn person_line(
    id: &str,
    people: &BTreeMap<String, Person>,
    t: Timestamp,
    fallback_tz: &TimeZone,
    color: bool,
) -> String {
    let mut s = bold(id, color);
    let Some(p) = people.get(id) else {
        return s + "  (not in the plan's contacts)";
    };
    if let Some(n) = &p.name {
        let _ = write!(s, " ({n})");
    }
    if let Some(tier) = p.tier.as_deref().filter(|t| *t != "responder") {
        let _ = write!(s, " [{tier}]");
    }
    match (&p.phone, &p.email) {
        (None, None) => {
            let _ = write!(s, "  {}", loud("NO PHONE OR EMAIL: unreachable", color));
        }
        (phone, email) => {
            for v in [phone, email].into_iter().flatten() {
                let _ = write!(s, "  {v}");
            }
        }
    }
    let tz = p.tz.as_ref().unwrap_or(fallback_tz);
    let _ = write!(s, "  local {}", local(t, tz));
    s
}

fn names(ids: &[String]) -> String {
    if ids.is_empty() {
        "nobody".into()
    } else if ids.len() > 1 {
        format!("one of {}", ids.join(", "))
    } else {
        ids[0].clone()
    }
}

fn team_human(
    t: &TeamNow,
    people: &BTreeMap<String, Person>,
    at: Timestamp,
    color: bool,
) -> String {
    let mut out = String::new();
    let title = match &t.name {
        Some(n) if n != &t.team => format!("{} ({n})", t.team),
        _ => t.team.clone(),
    };
    let _ = match t.tz.iana_name() {
        Some(z) if z != "UTC" && z != "Etc/UTC" => {
            writeln!(
                out,
                "{}  team time {}",
                bold(&title, color),
                local(at, &t.tz)
            )
        }
        _ => writeln!(out, "{}", bold(&title, color)),
    };
    match t.contacts.len() {
        0 => {
            let why = if !t.has_rotation {
                "the team has no on-call rotation"
            } else if t.business_hours_only {
                "outside the rotation's hours (the team covers business hours only)"
            } else {
                "outside every layer's hours, or the holder is inactive"
            };
            let _ = writeln!(out, "  {}: {why}", loud("!! NOBODY IS ON CALL", color));
        }
        1 => {
            let _ = writeln!(
                out,
                "  {}",
                person_line(&t.contacts[0], people, at, &t.tz, color)
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "  one of these (the rotation has no handoff, so who holds it is unknown):"
            );
            for c in &t.contacts {
                let _ = writeln!(out, "    {}", person_line(c, people, at, &t.tz, color));
            }
        }
    }
    match t.until {
        Some(u) => {
            let _ = writeln!(
                out,
                "  until {} = {}, then {}",
                utc(u),
                local(u, &t.tz),
                names(&t.next)
            );
        }
        None => {
            let _ = writeln!(out, "  unchanged for the next {UNTIL_LIMIT_DAYS} days");
        }
    }
    out
}

// ---- escalation timeline -------------------------------------------------------------------

/// What an incident is about: a threat, an area, or the area owning a path.
#[derive(Debug, Clone)]
pub(crate) struct Subject {
    pub kind: &'static str,
    pub id: String,
    pub title: Option<String>,
    /// For `--path`: the path asked about, and other areas whose paths cover it too.
    pub path: Option<String>,
    pub also: Vec<String>,
}

fn ids<'a>(plan: &'a Plan, name: &str) -> Vec<&'a str> {
    list(plan, name)
        .into_iter()
        .filter_map(|n| text(n, "id"))
        .collect()
}

fn find<'a>(plan: &'a Plan, name: &str, id: &str) -> Option<&'a Node> {
    list(plan, name)
        .into_iter()
        .find(|n| text(n, "id") == Some(id))
}

/// The areas whose `paths` cover `path`, in plan order.
fn areas_of_path(plan: &Plan, path: &str) -> Vec<String> {
    list(plan, "areas")
        .into_iter()
        .filter(|a| {
            a.get("paths")
                .map(|p| match &p.value {
                    crate::plan::node::Value::Seq(items) => items
                        .iter()
                        .filter_map(Node::as_str)
                        .filter_map(|g| crate::codeowners::Pattern::new(g).ok())
                        .any(|g| g.matches(path)),
                    _ => false,
                })
                .unwrap_or(false)
        })
        .filter_map(|a| text(a, "id").map(str::to_string))
        .collect()
}

fn subject(args: &OncallArgs, opened: &crate::check::Opened, plan: &Plan) -> Result<Subject> {
    if let Some(id) = &args.threat {
        let node = find(plan, "threats", id)
            .ok_or_else(|| unknown("threat", id, &ids(plan, "threats")))?;
        return Ok(Subject {
            kind: "threat",
            id: id.clone(),
            title: text(node, "title").map(str::to_string),
            path: None,
            also: Vec::new(),
        });
    }
    if let Some(id) = &args.area {
        let node =
            find(plan, "areas", id).ok_or_else(|| unknown("area", id, &ids(plan, "areas")))?;
        return Ok(Subject {
            kind: "area",
            id: id.clone(),
            title: text(node, "title").map(str::to_string),
            path: None,
            also: Vec::new(),
        });
    }
    let given = args.path.as_deref().unwrap_or_default();
    let path = given
        .trim_start_matches("./")
        .trim_start_matches('/')
        .to_string();
    let mut areas = areas_of_path(plan, &path);
    // The last area listed wins, as the last matching CODEOWNERS line does.
    let Some(id) = areas.pop() else {
        let tracked: Vec<&str> = opened
            .workspace
            .tracked
            .iter()
            .map(String::as_str)
            .collect();
        let hint = match schema::closest(&path, &tracked) {
            Some(c) if !areas_of_path(plan, c).is_empty() => format!("did you mean {c}? "),
            _ => String::new(),
        };
        return Err(Advice::new(
            format!("no area of expertise owns `{path}`: no area's `paths` cover it"),
            format!("{hint}add a pattern for it to an area's `paths`, or ask with --area ID (areas: {})", ids(plan, "areas").join(", ")),
        )
        .into());
    };
    let title = find(plan, "areas", &id)
        .and_then(|a| text(a, "title"))
        .map(str::to_string);
    Ok(Subject {
        kind: "area",
        id,
        title,
        path: Some(path),
        also: areas,
    })
}

pub(crate) struct Step {
    pub minute: i64,
    /// 1-based, as people say "level 2".
    pub level: usize,
    pub at: Timestamp,
    pub tier: Option<String>,
    pub targets: Vec<String>,
    pub contacts: Vec<String>,
    /// `oncall:` teams of this level whose holder is unknown then (no handoff): they page
    /// their rotation as candidates.
    pub unknown_holder: Vec<String>,
}

pub(crate) struct Timeline {
    /// The effective policy's id, if one applies.
    pub policy: Option<String>,
    /// How it applies: "threat" (its own) or "team:<id>".
    pub via: Option<String>,
    /// Set when the named policy does not exist.
    pub missing: bool,
    pub steps: Vec<Step>,
    /// Teams whose on-call a level pages.
    pub oncall_teams: Vec<String>,
}

fn target_text(t: &Target) -> String {
    match t {
        Target::Contact(c) | Target::Team(c) | Target::Unknown(c) => c.clone(),
        Target::Oncall(team) => format!("oncall:{team}"),
    }
}

pub(crate) fn timeline(esc: &Escalation, subject: &Subject, at: Timestamp) -> Timeline {
    let effective = match subject.kind {
        "threat" => esc.for_threat(&subject.id),
        _ => esc.for_area(&subject.id),
    };
    let via = effective.as_ref().map(|e| match &e.via {
        Via::Threat => "threat".to_string(),
        Via::Team(Some(t)) => format!("team:{t}"),
        Via::Team(None) => "none".to_string(),
    });
    let policy_id = effective.and_then(|e| e.policy);
    let policy = policy_id.as_deref().and_then(|p| esc.policy(p));
    let mut oncall_teams = Vec::new();
    let steps = policy
        .map(|p| {
            p.levels
                .iter()
                .map(|l| {
                    for t in &l.targets {
                        if let Target::Oncall(team) = t {
                            if !oncall_teams.contains(team) {
                                oncall_teams.push(team.clone());
                            }
                        }
                    }
                    let t = at
                        .checked_add(SignedDuration::from_mins(l.after_minutes))
                        .unwrap_or(at);
                    let unknown_holder = l
                        .targets
                        .iter()
                        .filter_map(|t| match t {
                            Target::Oncall(team) => Some(team),
                            _ => None,
                        })
                        .filter(|team| {
                            esc.team(team).is_some_and(|o| {
                                o.schedule.at(t, &|c: &str| esc.is_active(c)).len() > 1
                            })
                        })
                        .cloned()
                        .collect();
                    Step {
                        unknown_holder,
                        minute: l.after_minutes,
                        level: l.index + 1,
                        at: at
                            .checked_add(SignedDuration::from_mins(l.after_minutes))
                            .unwrap_or(at),
                        tier: l.tier.clone(),
                        targets: l.targets.iter().map(target_text).collect(),
                        contacts: esc.paged(l, at),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Timeline {
        missing: policy_id.is_some() && policy.is_none(),
        policy: policy_id,
        via,
        steps,
        oncall_teams,
    }
}

fn timeline_human(
    subject: &Subject,
    tl: &Timeline,
    teams: &[TeamNow],
    people: &BTreeMap<String, Person>,
    at: Timestamp,
    color: bool,
) -> String {
    let mut out = String::new();
    let title = subject
        .title
        .as_deref()
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "Incident on {} {}{title} at {}",
        subject.kind,
        bold(&subject.id, color),
        utc(at)
    );
    if let Some(p) = &subject.path {
        let _ = write!(out, "{p} belongs to area {}", subject.id);
        if !subject.also.is_empty() {
            let _ = write!(
                out,
                " (also covered by {}; the last area listed wins)",
                subject.also.join(", ")
            );
        }
        out.push('\n');
    }
    let via = match tl.via.as_deref() {
        Some("threat") => "the threat's own".to_string(),
        Some(v) if v.starts_with("team:") => format!("from team {}", &v[5..]),
        _ => String::new(),
    };
    match (&tl.policy, tl.missing) {
        (None, _) => {
            let _ = writeln!(
                out,
                "\n{}: no escalation policy applies (the {} has none, nor does its team)",
                loud("!! NOBODY IS PAGED", color),
                subject.kind
            );
            return out;
        }
        (Some(p), true) => {
            let _ = writeln!(
                out,
                "\n{}: escalation policy `{p}` ({via}) is not defined in the plan",
                loud("!! NOBODY IS PAGED", color)
            );
            return out;
        }
        (Some(p), false) => {
            let _ = writeln!(out, "Escalation policy {p} ({via})");
        }
    }
    if tl.steps.is_empty() {
        let _ = writeln!(
            out,
            "\n{}: the policy has no levels",
            loud("!! NOBODY IS PAGED", color)
        );
        return out;
    }
    for s in &tl.steps {
        let tier = s.tier.as_deref().unwrap_or("no tier");
        let _ = writeln!(
            out,
            "\n+{} min  {}  level {} ({tier}): {}",
            s.minute,
            utc(s.at),
            s.level,
            s.targets.join(", ")
        );
        if s.contacts.is_empty() {
            let _ = writeln!(
                out,
                "  {}: no active contact behind these targets at this minute",
                loud("!! PAGES NOBODY", color)
            );
        }
        for team in &s.unknown_holder {
            let _ = writeln!(
                out,
                "  (oncall:{team} has no handoff: one of its rotation holds it, so all are listed)"
            );
        }
        let fallback = teams.first().map_or(TimeZone::UTC, |t| t.tz.clone());
        for c in &s.contacts {
            let _ = writeln!(out, "  {}", person_line(c, people, s.at, &fallback, color));
        }
    }
    if !teams.is_empty() {
        out.push_str("\nOn-call shifts behind these levels:\n");
        for t in teams {
            let until = match t.until {
                Some(u) => format!(
                    "until {} = {}, then {}",
                    utc(u),
                    local(u, &t.tz),
                    names(&t.next)
                ),
                None => format!("unchanged for the next {UNTIL_LIMIT_DAYS} days"),
            };
            let _ = writeln!(out, "  {}: {}, {until}", t.team, names(&t.contacts));
        }
    }
    out
}
