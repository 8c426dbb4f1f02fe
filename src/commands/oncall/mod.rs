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
use crate::plan::{schema, List, Plan};

/// How far ahead `until` is looked for: past this, a team's answer "does not change".
const UNTIL_LIMIT_DAYS: i64 = 400;

// ---- reading the plan (one place, so a change of the plan's lists is one edit) -------------

/// The elements of one of the plan's lists, in plan order.
pub(crate) fn list<'a>(plan: &'a Plan, name: &str) -> Vec<&'a Node> {
    match List::named(name) {
        Some(l) => plan.elements(l).collect(),
        None => Vec::new(),
    }
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

mod timeline;

use timeline::{subject, timeline, timeline_human, timeline_json};

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
    if let Some(a) = at {
        // An empty `--at` is an unset shell variable, not "now" (as with `check --now`).
        if a.trim().is_empty() {
            return Err(Advice::new(
                "--at is empty",
                "give a date (2026-12-12, midnight UTC) or an RFC 3339 instant (2026-12-12T03:00:00Z); leave --at out for now",
            )
            .into());
        }
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
            let (root, only) = crate::pipeline::resolve_target(d)?;
            (Some(root), only)
        }
        None => (None, Vec::new()),
    };
    let opts = crate::pipeline::Options {
        dir,
        rev: args.rev.clone(),
        config: args.config.clone(),
        ..Default::default()
    };
    crate::pipeline::open(&opts)
}

pub fn run(args: &OncallArgs, color: bool) -> Result<super::Output> {
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
            ListFormat::Json => timeline_json(&subject, &tl, &involved, at)?,
            ListFormat::Human => timeline_human(&subject, &tl, &involved, &people, at, color),
        };
        return Ok(super::Output {
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
    Ok(super::Output {
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
