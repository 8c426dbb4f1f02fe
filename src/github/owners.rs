//! Online CODEOWNERS checks (`plancheck github`, `plancheck check --online`): what only GitHub
//! knows about the owners the offline rules accept.
//!
//! - GitHub's own verdict on the file at the head commit
//!   (`GET /repos/{owner}/{repo}/codeowners/errors?ref=<sha>`), each error a finding at its
//!   line and column, unless an offline finding already says the same there.
//! - Write access, not membership: a user owner through the collaborator-permission endpoint,
//!   a team owner through the team-repository endpoint (with the repository media type, which
//!   carries the team's permissions). An owner GitHub will not request a review from is a
//!   `codeowners-owner-known` error at its first line.
//! - `team-members-drift` (warning): a plan team's `members` against its GitHub team, both ways.
//!
//! Every API problem (a token without `read:org`, a user-owned repository, 403, 404, a rate
//! limit, no network) becomes a note that says what could not be verified and why; it never
//! fails the run. Requests are bounded ([`MAX_USERS`], [`MAX_TEAMS`]) and lists paginated.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::api::{Api, ApiError};
use crate::finding::{Finding, Location, Severity, Subject};
use crate::plan::node::Node;
use crate::plan::{List, Seg};
use crate::workspace::Workspace;

/// The rule id of the plan-team / GitHub-team comparison.
pub use crate::rule::TEAM_MEMBERS_DRIFT;
/// The offline rule whose online half this is.
pub const OWNER_KNOWN: &str = "codeowners-owner-known";
const SYNTAX: &str = "codeowners-syntax";
/// At most this many distinct user owners are looked up (one request each).
pub const MAX_USERS: usize = 300;
/// At most this many distinct team owners or plan teams are looked up (one to three requests each).
pub const MAX_TEAMS: usize = 100;
/// The media type under which the team-repository endpoint answers with the team's permissions.
const REPOSITORY_MEDIA_TYPE: &str = "application/vnd.github.v3.repository+json";

/// What the online checks found, and what they could not verify.
#[derive(Debug, Default)]
pub struct Online {
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
    /// Rate limited past what we wait, or GitHub did not answer: no further request is sent.
    limited: bool,
}

impl Online {
    /// Records an error; a rate limit stops the remaining requests.
    fn failed(&mut self, e: &ApiError) {
        if matches!(e, ApiError::RateLimited { .. } | ApiError::Transport(_)) {
            self.limited = true;
        }
    }
}

pub use crate::rule::RuleInfo;

/// The rule the online checks report a team's member drift under.
pub fn drift_rule() -> RuleInfo {
    RuleInfo::team_members_drift_rule()
}

/// Why an owner or a team could not be verified, in words, from an API error.
fn why(e: &ApiError) -> String {
    match e {
        ApiError::Denied { status: 403, .. } => format!(
            "{e}: the token may not read this (the workflow's GITHUB_TOKEN cannot read organization teams; a token with `read:org` or a GitHub App with `members: read` can)"
        ),
        ApiError::Denied { status: 404, .. } => format!(
            "{e}: not visible to this token (a user-owned repository has no teams; an organization's teams need `read:org`)"
        ),
        ApiError::RateLimited { .. } => format!("{e}: try again later"),
        _ => e.to_string(),
    }
}

fn fold(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// A plan list's elements with their index in the merged list (the adapter to the plan).
fn list<'a>(ws: &'a Workspace, name: &str) -> Vec<(usize, &'a Node)> {
    let plan = &ws.plan;
    let Some(list) = List::named(name) else {
        return Vec::new();
    };
    plan.lists
        .get(list)
        .iter()
        .enumerate()
        .filter_map(|(i, r)| plan.elem(list, *r).map(|n| (i, n)))
        .collect()
}

fn text<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get(key)
        .and_then(Node::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn strings(node: &Node, key: &str) -> Vec<String> {
    match node.get(key).map(|n| &n.value) {
        Some(crate::plan::node::Value::Seq(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Where each distinct owner (folded) first appears in CODEOWNERS, as written there, and on
/// how many lines.
struct OwnerUse {
    written: String,
    line: u32,
    column: u32,
    lines: usize,
}

fn owner_uses(ws: &Workspace) -> BTreeMap<String, OwnerUse> {
    let mut out: BTreeMap<String, OwnerUse> = BTreeMap::new();
    for rule in &ws.codeowners.parsed.rules {
        for (i, owner) in rule.owners.iter().enumerate() {
            if !owner.starts_with('@') {
                continue; // an email address: GitHub alone maps it to an account
            }
            let column = rule.owner_columns.get(i).copied().unwrap_or(1);
            out.entry(fold(owner))
                .and_modify(|u| u.lines += 1)
                .or_insert_with(|| OwnerUse {
                    written: owner.clone(),
                    line: rule.line,
                    column,
                    lines: 1,
                });
        }
    }
    out
}

/// Runs every online check. `existing`: the offline findings, so GitHub's verdict on a line
/// they already report is not repeated.
pub fn verify(api: &Api, repo: &str, sha: &str, ws: &Workspace, existing: &[Finding]) -> Online {
    let mut out = Online::default();
    let Some(path) = ws.codeowners.path.clone() else {
        out.notes
            .push("no CODEOWNERS file: no owner to verify with GitHub".into());
        drift(api, ws, &mut out);
        return out;
    };
    github_errors(api, repo, sha, &path, existing, &mut out);
    write_access(api, repo, ws, &path, &mut out);
    drift(api, ws, &mut out);
    out
}

/// Runs the online checks for `checked`'s head and adds their findings to it (rule options
/// of the configuration applied; in diff mode a finding is new when its file changed, else
/// existing). Returns the notes for the log.
pub fn apply(
    api: &Api,
    repo: &str,
    sha: &str,
    checked: &mut crate::pipeline::Checked,
) -> Vec<String> {
    let ws = &checked.head().workspace;
    let rules = ws.config.rules.clone();
    let changed: Option<BTreeSet<String>> = checked
        .diff
        .as_ref()
        .map(|d| d.changed_files.iter().map(|f| f.path.clone()).collect());
    // The notes say what could not be verified; the retries behind them are not repeated.
    let logged = api.log.borrow().len();
    let online = verify(api, repo, sha, ws, &checked.outcome.findings);
    api.log.borrow_mut().truncate(logged);
    for mut f in online.findings {
        let conf = rules.get(&f.rule);
        if conf.is_some_and(|c| c.disable) {
            continue;
        }
        if let Some(sev) = conf.and_then(|c| c.severity) {
            f.severity = sev;
        }
        if let Some(changed) = &changed {
            let touched = changed.contains(&f.location.path);
            f.status = Some(if touched {
                crate::finding::Status::New
            } else {
                crate::finding::Status::Existing
            });
            f.in_diff = Some(touched);
        }
        checked.outcome.findings.push(f);
    }
    crate::finding::normalize(&mut checked.outcome.findings);
    online.notes
}

/// GitHub's own list of the file's errors at `sha`.
fn github_errors(
    api: &Api,
    repo: &str,
    sha: &str,
    path: &str,
    existing: &[Finding],
    out: &mut Online,
) {
    let answer = match api.get(&format!("/repos/{repo}/codeowners/errors?ref={sha}")) {
        Ok(v) => v,
        Err(e) => {
            out.failed(&e);
            out.notes.push(format!(
                "GitHub's own check of {path} was not fetched ({})",
                why(&e)
            ));
            return;
        }
    };
    let errors = answer
        .get("errors")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for e in errors {
        let num = |k: &str| {
            e.get(k)
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(1)
                .max(1)
        };
        let (line, column) = (num("line"), num("column"));
        let kind = e.get("kind").and_then(Value::as_str).unwrap_or("Error");
        let file = e.get("path").and_then(Value::as_str).unwrap_or(path);
        // A finding of ours on the same line already says it (a bad owner or pattern).
        let said = existing.iter().any(|f| {
            (f.rule == OWNER_KNOWN || f.rule == SYNTAX)
                && f.location.path == file
                && f.location.line == line
        });
        if said {
            continue;
        }
        let message = e
            .get("message")
            .and_then(Value::as_str)
            .and_then(|m| m.lines().next())
            .unwrap_or(kind)
            .trim()
            .to_string();
        let suggestion = e
            .get("suggestion")
            .and_then(Value::as_str)
            .map(|s| format!("; {s}"))
            .unwrap_or_default();
        let rule = if kind.to_ascii_lowercase().contains("owner") {
            OWNER_KNOWN
        } else {
            SYNTAX
        };
        let source = e
            .get("source")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_string();
        out.findings.push(
            Finding::about(
                rule,
                Severity::Error,
                format!("GitHub: {message}{suggestion}"),
                Location {
                    path: file.to_string(),
                    line,
                    column,
                },
                format!("github.codeowners.errors[{kind}][{source}]"),
            )
            .with_help(Some(
                "GitHub reports this line of CODEOWNERS as an error and skips it: fix it as the message says".into(),
            )),
        );
    }
}

/// Whether a team permission object (`permissions` of a repository) includes write.
fn can_write(permissions: &Value) -> bool {
    ["push", "maintain", "admin"]
        .iter()
        .any(|k| permissions.get(k).and_then(Value::as_bool) == Some(true))
}

/// `codeowners-owner-known` for an owner GitHub would not request a review from.
fn no_write_finding(path: &str, u: &OwnerUse, why: String) -> Finding {
    let lines = if u.lines > 1 {
        format!(" (and on {} more lines)", u.lines - 1)
    } else {
        String::new()
    };
    Finding::about(
        OWNER_KNOWN,
        Severity::Error,
        format!(
            "{} on line {}{lines} {why}: GitHub does not request its review, so the files of those lines have no required reviewer",
            u.written, u.line
        ),
        Location {
            path: path.to_string(),
            line: u.line,
            column: u.column,
        },
        format!("github.codeowners.write[{}]", fold(&u.written)),
    )
    .with_help(Some(
        "Give the owner write access to the repository (Settings, Collaborators and teams), or remove it from CODEOWNERS".into(),
    ))
}

fn write_access(api: &Api, repo: &str, ws: &Workspace, path: &str, out: &mut Online) {
    let uses = owner_uses(ws);
    let (teams, users): (Vec<_>, Vec<_>) = uses.iter().partition(|(k, _)| k.contains('/'));
    let finding = |u: &OwnerUse, why: String| no_write_finding(path, u, why);
    let mut unverified: Vec<String> = Vec::new();
    for (i, (_, u)) in users.iter().enumerate() {
        if out.limited {
            unverified.push(format!(
                "{} more user owners (rate limited or no answer)",
                users.len() - i
            ));
            break;
        }
        if i >= MAX_USERS {
            unverified.push(format!(
                "{} more user owners (at most {MAX_USERS} are looked up)",
                users.len() - MAX_USERS
            ));
            break;
        }
        let login = u.written.trim_start_matches('@');
        match api.get(&format!("/repos/{repo}/collaborators/{login}/permission")) {
            Ok(v) => {
                let (perm, role) = permission(&v);
                let ok = matches!(perm, "admin" | "write" | "maintain")
                    || matches!(role, "admin" | "write" | "maintain");
                if !ok {
                    out.findings.push(finding(
                        u,
                        format!("has {role} access to {repo}, not write"),
                    ));
                }
            }
            // No such user (GitHub's own check reports it as an unknown owner), or one this
            // token cannot see.
            Err(e) => {
                out.failed(&e);
                unverified.push(format!("{} ({})", u.written, why(&e)));
            }
        }
    }
    for (i, (_, u)) in teams.iter().enumerate() {
        if out.limited {
            unverified.push(format!(
                "{} more team owners (rate limited or no answer)",
                teams.len() - i
            ));
            break;
        }
        if i >= MAX_TEAMS {
            unverified.push(format!(
                "{} more team owners (at most {MAX_TEAMS} are looked up)",
                teams.len() - MAX_TEAMS
            ));
            break;
        }
        let Some((org, slug)) = u.written.trim_start_matches('@').split_once('/') else {
            continue;
        };
        let route = format!("/orgs/{org}/teams/{slug}/repos/{repo}");
        match api.get_accepting(&route, REPOSITORY_MEDIA_TYPE) {
            Ok(v) => match v.get("permissions") {
                Some(p) if !can_write(p) => out.findings.push(finding(
                    u,
                    format!("has only read access to {repo} (the team needs write)"),
                )),
                Some(_) => {}
                // 204: the team has access, at a level the answer does not say.
                None => unverified.push(format!(
                    "{} (GitHub did not say which access the team has)",
                    u.written
                )),
            },
            Err(ApiError::Denied { status: 404, .. }) => {
                // No access, or a team this token cannot see: a team whose members it can
                // list is one it sees.
                match api.get(&format!("/orgs/{org}/teams/{slug}/members?per_page=1")) {
                    Ok(_) => out
                        .findings
                        .push(finding(u, format!("is a team with no access to {repo}"))),
                    Err(e) => {
                        out.failed(&e);
                        unverified.push(format!("{} ({})", u.written, why(&e)));
                    }
                }
            }
            Err(e) => {
                out.failed(&e);
                unverified.push(format!("{} ({})", u.written, why(&e)));
            }
        }
    }
    note_unverified(out, &unverified);
}

/// A collaborator's `permission` and `role_name` (the latter defaulting to the former).
fn permission(v: &Value) -> (&str, &str) {
    let perm = v
        .get("permission")
        .and_then(Value::as_str)
        .unwrap_or("none");
    (
        perm,
        v.get("role_name").and_then(Value::as_str).unwrap_or(perm),
    )
}

/// One note naming the owners whose write access could not be verified.
fn note_unverified(out: &mut Online, unverified: &[String]) {
    if !unverified.is_empty() {
        out.notes.push(format!(
            "write access not verified for {}",
            unverified.join("; ")
        ));
    }
}

/// A plan team's members with a GitHub handle that its GitHub team lacks (`missing`), and
/// the GitHub team's members the plan team lacks (`extra`).
fn compare_members(
    team: &Node,
    handles: &BTreeMap<String, String>,
    on_github: &BTreeMap<String, String>,
) -> (Vec<String>, Vec<String>) {
    let mut in_plan: BTreeSet<String> = BTreeSet::new();
    let mut missing: Vec<String> = Vec::new();
    for member in strings(team, "members") {
        let Some(handle) = handles.get(&member) else {
            continue; // no github handle: nothing to compare
        };
        in_plan.insert(fold(handle));
        if !on_github.contains_key(&fold(handle)) {
            missing.push(format!("{member} (@{handle})"));
        }
    }
    let extra: Vec<String> = on_github
        .iter()
        .filter(|(k, _)| !in_plan.contains(*k))
        .map(|(_, l)| format!("@{l}"))
        .collect();
    (missing, extra)
}

/// `team-members-drift`: each plan team with a `github_team` and `members`, both ways.
fn drift(api: &Api, ws: &Workspace, out: &mut Online) {
    let handles: BTreeMap<String, String> = list(ws, "contacts")
        .into_iter()
        .filter_map(|(_, c)| {
            Some((
                text(c, "id")?.to_string(),
                text(c, "github")?.trim_start_matches('@').to_string(),
            ))
        })
        .collect();
    let mut seen = 0;
    let mut skipped = Vec::new();
    for (index, team) in list(ws, "teams") {
        let (Some(id), Some(gh_team)) = (text(team, "id"), text(team, "github_team")) else {
            continue;
        };
        if team.get("members").is_none() {
            continue;
        }
        let Some((org, slug)) = gh_team.trim_start_matches('@').split_once('/') else {
            continue;
        };
        seen += 1;
        if seen > MAX_TEAMS || out.limited {
            skipped.push(id.to_string());
            continue;
        }
        let members = match api.get_all(&format!("/orgs/{org}/teams/{slug}/members")) {
            Ok(m) => m,
            Err(e) => {
                out.failed(&e);
                out.notes.push(format!(
                    "team {id}: members of {gh_team} not compared ({})",
                    why(&e)
                ));
                continue;
            }
        };
        let on_github: BTreeMap<String, String> = members
            .iter()
            .filter_map(|m| m.get("login").and_then(Value::as_str))
            .map(|l| (fold(l), l.to_string()))
            .collect();
        let (missing, extra) = compare_members(team, &handles, &on_github);
        let path = [
            Seg::Key("plan".into()),
            Seg::Key("teams".into()),
            Seg::Index(index),
            Seg::Key("members".into()),
        ];
        let (location, subject, _) = crate::input::locate(ws, Some(&path));
        let help = drift_rule().help;
        if !missing.is_empty() {
            out.findings.push(
                Finding::about(
                    TEAM_MEMBERS_DRIFT,
                    Severity::Warning,
                    format!("{} in {id} in the plan but not in {gh_team}", who(&missing)),
                    location.clone(),
                    Subject {
                        key: format!("{}.github[missing]", subject.key),
                        ..subject.clone()
                    },
                )
                .with_help(help.clone()),
            );
        }
        if !extra.is_empty() {
            out.findings.push(
                Finding::about(
                    TEAM_MEMBERS_DRIFT,
                    Severity::Warning,
                    format!(
                        "{} in {gh_team} but not in the plan's team {id}",
                        who(&extra)
                    ),
                    location,
                    Subject {
                        key: format!("{}.github[extra]", subject.key),
                        ..subject
                    },
                )
                .with_help(help),
            );
        }
    }
    if !skipped.is_empty() {
        out.notes.push(format!(
            "team members not compared for {} more teams (past the first {MAX_TEAMS}, or rate limited)",
            skipped.len()
        ));
    }
}

/// "alice (@alice-ng) is", or "3 people are (a, b, c)".
fn who(xs: &[String]) -> String {
    match xs {
        [one] => format!("{one} is"),
        _ => format!("{} people are ({})", xs.len(), examples(xs)),
    }
}

/// At most five, with "and N more".
fn examples(xs: &[String]) -> String {
    if xs.len() <= 5 {
        xs.join(", ")
    } else {
        format!("{} and {} more", xs[..5].join(", "), xs.len() - 5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_means_push_maintain_or_admin() {
        assert!(can_write(&serde_json::json!({"pull": true, "push": true})));
        assert!(can_write(&serde_json::json!({"admin": true})));
        assert!(!can_write(
            &serde_json::json!({"pull": true, "triage": true, "push": false})
        ));
    }

    #[test]
    fn long_lists_are_cut_at_five() {
        let xs: Vec<String> = (0..7).map(|i| format!("@u{i}")).collect();
        assert_eq!(examples(&xs), "@u0, @u1, @u2, @u3, @u4 and 2 more");
        assert_eq!(examples(&xs[..2]), "@u0, @u1");
    }
}
