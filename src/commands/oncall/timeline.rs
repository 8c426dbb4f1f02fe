//! `plancheck oncall --threat|--area|--path`: who is paged, minute by minute, for an incident.

use super::*;

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

pub(super) fn subject(
    args: &OncallArgs,
    opened: &crate::check::Opened,
    plan: &Plan,
) -> Result<Subject> {
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

/// `--format json` of a timeline.
pub(super) fn timeline_json(
    subject: &Subject,
    tl: &Timeline,
    involved: &[TeamNow],
    at: Timestamp,
) -> Result<String> {
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
    Ok(serde_json::to_string_pretty(&v)? + "\n")
}

/// "Incident on threat THR-001 (…) at …", and for `--path` the area it belongs to.
fn incident_line(subject: &Subject, at: Timestamp, color: bool) -> String {
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
    out
}

pub(super) fn timeline_human(
    subject: &Subject,
    tl: &Timeline,
    teams: &[TeamNow],
    people: &BTreeMap<String, Person>,
    at: Timestamp,
    color: bool,
) -> String {
    let mut out = incident_line(subject, at, color);
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
