//! Escalation over the plan: THE one place that answers "which escalation policy applies to
//! this threat / area" and "whom does this level page at instant t" (DESIGN.md, "On-call in
//! time", rule 8). Everything else (facts for policies, `plancheck oncall`, the diff) calls it.
//!
//! - A threat's effective policy is its own `escalation_policy`, else its area's team's; an
//!   empty (or blank) `escalation_policy` counts as not set. An area's is its team's.
//! - A level is paged `after_minutes` after the incident starts. A contact target pages that
//!   contact; `oncall:<team>` pages whoever holds that team's on-call then (the rotation as
//!   candidates when a layer has no handoff); a team target pages its active members; an
//!   inactive contact is paged as nobody; an unknown target pages nobody.
//!
//! The plan is read through the small adapters at the bottom of this file only.

use std::collections::{HashMap, HashSet};

use jiff::{SignedDuration, Timestamp};

use crate::oncall::plan::TeamOncall;
use crate::oncall::Interval;
use crate::plan::node::{Node, Value};
use crate::plan::{strings, text, List, Plan, Seg};

/// What one entry of a level's `targets` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A contact id.
    Contact(String),
    /// A team id: pages the team's active members.
    Team(String),
    /// `oncall:<team>` for a team that exists: pages that team's on-call.
    Oncall(String),
    /// Anything else, as written (an unknown id, `oncall:` of an unknown team, a non-string).
    Unknown(String),
}

/// One level of an escalation policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    /// Position in the policy's `levels` (0-based).
    pub index: usize,
    /// Minutes after the incident starts at which this level is paged (0 when absent).
    pub after_minutes: i64,
    /// The level's own `tier` label (`responder`, `management`, `executive`), if any.
    pub tier: Option<String>,
    pub targets: Vec<Target>,
    /// Path of the level in the merged plan, relative to `input.plan`
    /// (`["escalation_policies", i, "levels", k]`); prefix `"plan"` for a finding's `path`.
    pub path: Vec<Seg>,
}

impl Level {
    /// Path of the level's `targets` (relative to `input.plan`).
    pub fn targets_path(&self) -> Vec<Seg> {
        let mut p = self.path.clone();
        p.push(Seg::Key("targets".into()));
        p
    }
}

/// An escalation policy with its levels in list order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub id: String,
    /// Position in the merged `escalation_policies` list.
    pub index: usize,
    pub levels: Vec<Level>,
    /// `["escalation_policies", i]`, relative to `input.plan`.
    pub path: Vec<Seg>,
}

/// How a threat or an area came to its escalation policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// The threat's own `escalation_policy`.
    Threat,
    /// The team's `escalation_policy`: the area's team (`None` when the chain breaks before a
    /// team: no area, an unknown area, an area without a team, an unknown team).
    Team(Option<String>),
}

/// The escalation policy that applies, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    /// The policy id as written (it may name no policy: check with [`Escalation::policy`]);
    /// `None` when nothing is set along the chain.
    pub policy: Option<String>,
    pub via: Via,
}

/// Escalation over one merged plan and its on-call schedules.
#[derive(Debug, Clone)]
pub struct Escalation {
    policies: Vec<Policy>,
    policy_by_id: HashMap<String, usize>,
    teams: Vec<TeamOncall>,
    team_by_id: HashMap<String, usize>,
    /// Per team id: `members`, `escalation_policy`.
    team_members: HashMap<String, Vec<String>>,
    team_policy: HashMap<String, Option<String>>,
    /// Per area id: its team.
    area_team: HashMap<String, Option<String>>,
    /// Per threat id: own policy, area.
    threat_policy: HashMap<String, (Option<String>, Option<String>)>,
    contacts: HashSet<String>,
    inactive: HashSet<String>,
}

impl Escalation {
    /// Reads the plan (schema-valid or not: values of the wrong shape count as absent).
    /// Duplicate ids keep their first definition (unique-id reports the others).
    pub fn new(plan: &Plan) -> Escalation {
        let contacts_list = elements(plan, List::Contacts);
        let contacts: HashSet<String> = contacts_list
            .iter()
            .filter_map(|c| text(c, "id"))
            .map(str::to_string)
            .collect();
        let inactive = crate::oncall::plan::inactive_contacts(plan);
        let mut team_members = HashMap::new();
        let mut team_policy = HashMap::new();
        for t in elements(plan, List::Teams) {
            let Some(id) = text(t, "id") else { continue };
            team_members
                .entry(id.to_string())
                .or_insert_with(|| strings(t, "members"));
            team_policy
                .entry(id.to_string())
                .or_insert_with(|| set_text(t, "escalation_policy"));
        }
        let teams = crate::oncall::plan::teams(plan);
        let mut team_by_id = HashMap::new();
        for (i, t) in teams.iter().enumerate() {
            team_by_id.entry(t.team.clone()).or_insert(i);
        }
        let mut area_team = HashMap::new();
        for a in elements(plan, List::Areas) {
            if let Some(id) = text(a, "id") {
                area_team
                    .entry(id.to_string())
                    .or_insert_with(|| set_text(a, "team"));
            }
        }
        let mut threat_policy = HashMap::new();
        for t in elements(plan, List::Threats) {
            if let Some(id) = text(t, "id") {
                threat_policy
                    .entry(id.to_string())
                    .or_insert_with(|| (set_text(t, "escalation_policy"), set_text(t, "area")));
            }
        }
        let mut policies = Vec::new();
        let mut policy_by_id = HashMap::new();
        for (pi, p) in elements(plan, List::EscalationPolicies)
            .into_iter()
            .enumerate()
        {
            let Some(id) = text(p, "id") else { continue };
            let path = vec![Seg::Key("escalation_policies".into()), Seg::Index(pi)];
            let levels = match p.get("levels").map(|l| &l.value) {
                Some(Value::Seq(items)) => items
                    .iter()
                    .enumerate()
                    .map(|(k, l)| {
                        let mut lpath = path.clone();
                        lpath.extend([Seg::Key("levels".into()), Seg::Index(k)]);
                        Level {
                            index: k,
                            after_minutes: match l.get("after_minutes").map(|a| &a.value) {
                                Some(Value::Int(m)) => *m,
                                _ => 0,
                            },
                            tier: text(l, "tier").map(str::to_string),
                            targets: raw_targets(l)
                                .into_iter()
                                .map(|t| classify(t, &contacts, &team_members))
                                .collect(),
                            path: lpath,
                        }
                    })
                    .collect(),
                _ => Vec::new(),
            };
            policy_by_id.entry(id.to_string()).or_insert(policies.len());
            policies.push(Policy {
                id: id.to_string(),
                index: pi,
                levels,
                path,
            });
        }
        Escalation {
            policies,
            policy_by_id,
            teams,
            team_by_id,
            team_members,
            team_policy,
            area_team,
            threat_policy,
            contacts,
            inactive,
        }
    }

    /// Every escalation policy with an id, in plan order (duplicates included).
    pub fn policies(&self) -> &[Policy] {
        &self.policies
    }

    /// The policy with this id (its first definition).
    pub fn policy(&self, id: &str) -> Option<&Policy> {
        self.policy_by_id.get(id).map(|i| &self.policies[*i])
    }

    /// Every team's on-call, in plan order.
    pub fn teams(&self) -> &[TeamOncall] {
        &self.teams
    }

    /// A team's on-call (its first definition).
    pub fn team(&self, id: &str) -> Option<&TeamOncall> {
        self.team_by_id.get(id).map(|i| &self.teams[*i])
    }

    /// Whether `id` is a contact of the plan that is not `active: false`.
    pub fn is_active(&self, id: &str) -> bool {
        self.contacts.contains(id) && !self.inactive.contains(id)
    }

    /// The effective policy of a team (its own `escalation_policy`); `None` for an unknown team.
    pub fn for_team(&self, team: &str) -> Option<Effective> {
        let policy = self.team_policy.get(team)?.clone();
        Some(Effective {
            policy,
            via: Via::Team(Some(team.to_string())),
        })
    }

    /// The effective policy of an area: its team's. `None` for an unknown area.
    pub fn for_area(&self, area: &str) -> Option<Effective> {
        let team = self.area_team.get(area)?;
        Some(self.via_team(team.as_deref()))
    }

    /// The effective policy of a threat: its own, else its area's team's. `None` for an
    /// unknown threat.
    pub fn for_threat(&self, threat: &str) -> Option<Effective> {
        let (own, area) = self.threat_policy.get(threat)?;
        if let Some(p) = own {
            return Some(Effective {
                policy: Some(p.clone()),
                via: Via::Threat,
            });
        }
        let team = area
            .as_deref()
            .and_then(|a| self.area_team.get(a))
            .and_then(|t| t.as_deref());
        Some(self.via_team(team))
    }

    fn via_team(&self, team: Option<&str>) -> Effective {
        let known = team.filter(|t| self.team_policy.contains_key(*t));
        Effective {
            policy: known.and_then(|t| self.team_policy.get(t).cloned().flatten()),
            via: Via::Team(known.map(str::to_string)),
        }
    }

    /// Who `level` pages for an incident that starts at `start`: its targets resolved at
    /// `start + after_minutes`.
    /// A level so late that its instant is past the end of representable time pages nobody.
    pub fn paged(&self, level: &Level, start: Timestamp) -> Vec<String> {
        match delay(level).and_then(|d| start.checked_add(d).ok()) {
            Some(at) => self.paged_at(level, at),
            None => Vec::new(),
        }
    }

    /// Who `level`'s targets are at instant `at` (no `after_minutes` added), de-duplicated in
    /// target order: a contact is itself when active; `oncall:<team>` is the team's on-call at
    /// `at` (the rotation's active members as candidates when a layer has no handoff); a team
    /// is its active members; inactive and unknown targets are nobody.
    pub fn paged_at(&self, level: &Level, at: Timestamp) -> Vec<String> {
        let active = |c: &str| self.is_active(c);
        let mut out: Vec<String> = Vec::new();
        let mut push = |c: &str| {
            if !out.iter().any(|x| x == c) {
                out.push(c.to_string());
            }
        };
        for t in &level.targets {
            match t {
                Target::Contact(c) if active(c) => push(c),
                Target::Team(team) => {
                    for m in self.team_members.get(team).into_iter().flatten() {
                        if active(m) {
                            push(m);
                        }
                    }
                }
                Target::Oncall(team) => {
                    if let Some(s) = self.team(team) {
                        for c in s.schedule.at(at, &active) {
                            push(&c);
                        }
                    }
                }
                Target::Contact(_) | Target::Unknown(_) => {}
            }
        }
        out
    }

    /// Every instant in `(from, to)` at which what `level` pages for an incident starting then
    /// may change (the on-call changes of its `oncall:` targets, shifted back by
    /// `after_minutes`). Sorted, de-duplicated.
    pub fn changes(&self, level: &Level, from: Timestamp, to: Timestamp) -> Vec<Timestamp> {
        let Some(shift) = delay(level) else {
            return Vec::new();
        };
        let (Ok(a), Ok(b)) = (from.checked_add(shift), to.checked_add(shift)) else {
            return Vec::new();
        };
        let active = |c: &str| self.is_active(c);
        let mut out: Vec<Timestamp> = level
            .targets
            .iter()
            .filter_map(|t| match t {
                Target::Oncall(team) => self.team(team),
                _ => None,
            })
            .flat_map(|s| s.schedule.intervals(a, b, &active).into_iter().skip(1))
            .filter_map(|i: Interval| i.from.checked_sub(shift).ok())
            .filter(|t| from < *t && *t < to)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Everyone `level` can page for an incident starting in `[from, to)`, sorted.
    pub fn pageable(&self, level: &Level, from: Timestamp, to: Timestamp) -> Vec<String> {
        let mut out: Vec<String> = std::iter::once(from)
            .chain(self.changes(level, from, to))
            .flat_map(|t| self.paged(level, t))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// `after_minutes` as a duration; `None` when it does not fit one (2^63 minutes).
fn delay(level: &Level) -> Option<SignedDuration> {
    level
        .after_minutes
        .checked_mul(60)
        .map(SignedDuration::from_secs)
}

fn classify(
    raw: Option<&str>,
    contacts: &HashSet<String>,
    teams: &HashMap<String, Vec<String>>,
) -> Target {
    let Some(raw) = raw else {
        return Target::Unknown(String::new());
    };
    if let Some(team) = raw.strip_prefix("oncall:") {
        return if teams.contains_key(team) {
            Target::Oncall(team.to_string())
        } else {
            Target::Unknown(raw.to_string())
        };
    }
    if contacts.contains(raw) {
        Target::Contact(raw.to_string())
    } else if teams.contains_key(raw) {
        Target::Team(raw.to_string())
    } else {
        Target::Unknown(raw.to_string())
    }
}

// --- adapters: the only code here that knows how the plan stores its lists ----------------

/// The elements of a top-level plan list, in merged order.
pub(crate) fn elements(plan: &Plan, list: List) -> Vec<&Node> {
    plan.lists
        .get(list)
        .iter()
        .map(|r| plan.elem(list, *r))
        .map(|n| n.unwrap_or(&NULL))
        .collect()
}

static NULL: Node = Node {
    value: Value::Null,
    pos: crate::plan::node::Pos { line: 1, column: 1 },
    weight: 1,
};

/// A string field with something other than whitespace in it (`""` counts as not set).
fn set_text(node: &Node, key: &str) -> Option<String> {
    text(node, key)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
}

fn raw_targets(level: &Node) -> Vec<Option<&str>> {
    match level.get("targets").map(|n| &n.value) {
        Some(Value::Seq(items)) => items.iter().map(Node::as_str).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests;
