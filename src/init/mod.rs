//! `plancheck init`: a starter plan, a configuration and a GitHub workflow.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::codeowners::{self, Codeowners};
use crate::error::Advice;

/// Where plancheck's source is published.
pub use crate::rule::SOURCE_REPOSITORY;

pub const PLAN_PATH: &str = "incident-response/plan.yaml";
pub const CONFIG_PATH: &str = ".plancheck.toml";
pub const WORKFLOW_PATH: &str = ".github/workflows/plancheck.yml";
/// The GitHub Action the workflow uses (action.yml at the repository root).
pub const ACTION: &str = "plancheck/plancheck@v1";

const PLAN: &str = include_str!("plan.yaml");
const CONFIG: &str = include_str!("plancheck.toml");
const WORKFLOW: &str = include_str!("workflow.yml");

#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The repository root to write into.
    pub root: PathBuf,
    pub force: bool,
    pub from_codeowners: bool,
    /// Today's date, for `reviewed_at`.
    pub today: String,
}

/// What `init` wrote and what the user still has to do.
#[derive(Debug, Clone)]
pub struct Initialized {
    pub written: Vec<String>,
    /// The CODEOWNERS line that makes the plan code-owned; `None` when CODEOWNERS already
    /// gives it owners.
    pub codeowners_line: Option<String>,
    /// The existing CODEOWNERS line that owns the plan, when there is one.
    pub owned_by: Option<String>,
    /// Where that line belongs.
    pub codeowners_path: String,
    /// Placeholders left for the user, when generated from CODEOWNERS.
    pub todo: Vec<String>,
    /// Whether the root is inside a git repository (plancheck reads what git tracks).
    pub in_git: bool,
}

pub fn init(opts: &InitOptions) -> Result<Initialized> {
    let root = &opts.root;
    if !opts.force {
        refuse_to_overwrite(root)?;
    }
    let found = codeowners::locate_in_dir(root);
    let tracked = tracked_files(root);
    let ownership = found
        .as_ref()
        .and_then(|f| f.codeowners.as_ref())
        .map(|co| plan_ownership(co, &tracked));
    let (plan, todo) = if opts.from_codeowners {
        let Some(found) = &found else {
            return Err(Advice::new(
                "--from-codeowners: no CODEOWNERS file in .github/, the root or docs/",
                "drop --from-codeowners to start from the example plan",
            )
            .into());
        };
        let Some(parsed) = &found.codeowners else {
            return Err(Advice::new(
                format!(
                    "--from-codeowners: {} is {} bytes, too large for GitHub to use",
                    found.path, found.size
                ),
                "drop --from-codeowners to start from the example plan",
            )
            .into());
        };
        let generated = from_codeowners(
            parsed,
            found.path,
            &opts.today,
            &project_name(root),
            &tracked,
        );
        (generated.plan, generated.todo)
    } else {
        (PLAN.replace("{today}", &opts.today), Vec::new())
    };
    // Never suggest a line that takes ownership away: when CODEOWNERS already owns the plan
    // there is nothing to add.
    let (codeowners_line, owned_by) = match &ownership {
        Some(o) if o.owned_by.is_some() => (None, o.owned_by.clone()),
        Some(o) => (
            Some(o.suggestion(if opts.from_codeowners {
                o.team.as_deref()
            } else {
                None
            })),
            None,
        ),
        None => (Some(format!("{PLAN_DIR_PATTERN} {EXAMPLE_OWNER}")), None),
    };
    let files = [
        (PLAN_PATH, plan),
        (CONFIG_PATH, CONFIG.to_string()),
        (WORKFLOW_PATH, WORKFLOW.replace("{action}", ACTION)),
    ];
    // Inside the root only, through no symbolic link; every target is checked before the
    // first is written, so a refused one leaves nothing half done.
    std::fs::create_dir_all(root).with_context(|| format!("cannot create {}", root.display()))?;
    let roots = crate::safe_write::Roots::new([root.clone()]);
    for (rel, _) in &files {
        roots.check(&root.join(rel))?;
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        roots
            .write(&root.join(rel), text.as_bytes())
            .with_context(|| format!("cannot write {rel}"))?;
        written.push(rel.to_string());
    }
    Ok(Initialized {
        written,
        codeowners_line,
        owned_by,
        codeowners_path: found.map_or(".github/CODEOWNERS", |f| f.path).to_string(),
        todo,
        in_git: git2::Repository::discover(root).is_ok(),
    })
}

/// Without --force: an error when a file init writes, or a plan, is already there.
fn refuse_to_overwrite(root: &Path) -> Result<()> {
    let targets = [PLAN_PATH, CONFIG_PATH, WORKFLOW_PATH];
    let existing: Vec<&str> = targets
        .iter()
        .copied()
        .filter(|p| root.join(p).exists())
        .collect();
    if !existing.is_empty() {
        return Err(Advice::new(
            format!(
                "{} already exist{}; plancheck init does not overwrite files",
                existing.join(", "),
                if existing.len() == 1 { "s" } else { "" }
            ),
            "move them away, or pass --force to overwrite them",
        )
        .into());
    }
    if let Some(plan) = existing_plan(root)? {
        return Err(Advice::new(
            format!("this repository already has a plan file: {plan}"),
            "run `plancheck check` to check it; pass --force to write the starter plan anyway",
        )
        .into());
    }
    Ok(())
}

/// A plan file already at one of the default locations.
fn existing_plan(root: &Path) -> Result<Option<String>> {
    for name in [
        "incident-plan.yaml",
        "incident-plan.yml",
        "incident-plan.json",
    ] {
        if root.join(name).is_file() {
            return Ok(Some(name.to_string()));
        }
    }
    let dir = root.join("incident-response");
    if !dir.is_dir() {
        return Ok(None);
    }
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in
            std::fs::read_dir(&d).with_context(|| format!("cannot read {}", d.display()))?
        {
            let p = entry?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                let rel = p.strip_prefix(root).unwrap_or(&p);
                return Ok(Some(crate::snapshot::to_slash(rel)));
            }
        }
    }
    Ok(None)
}

fn project_name(root: &Path) -> String {
    root.file_name()
        .map(|n| slug(&n.to_string_lossy()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "my-platform".into())
}

/// A plan id from free text: lowercase letters, digits and single dashes.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

struct Generated {
    plan: String,
    todo: Vec<String>,
}

/// YAML double-quoted scalar.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// A plan pre-filled from CODEOWNERS: people (`@user`) become contacts, teams
/// (`@org/team`) become teams, and each owned pattern becomes an area whose key contacts are
/// the line's owners.
fn from_codeowners(
    co: &Codeowners,
    co_path: &str,
    today: &str,
    name: &str,
    tracked: &[String],
) -> Generated {
    let mut users: BTreeSet<String> = BTreeSet::new();
    let mut teams: BTreeSet<String> = BTreeSet::new();
    for rule in &co.rules {
        for owner in &rule.owners {
            if let Some(handle) = owner.strip_prefix('@') {
                if handle.contains('/') {
                    teams.insert(owner.clone());
                } else {
                    users.insert(handle.to_string());
                }
            }
        }
    }
    let team_id = |handle: &str| slug(handle.rsplit('/').next().unwrap_or(handle));
    let user_id = |handle: &str| slug(handle);
    // The plan belongs to the team that already owns it in CODEOWNERS, else to the team that
    // owns the most of the repository.
    let owner = plan_ownership(co, tracked)
        .team
        .map(|t| team_id(&t))
        .unwrap_or_else(|| "platform".into());
    let mut todo = Vec::new();
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# Incident-response plan, checked by plancheck. Written by `plancheck init --from-codeowners`\n\
         # from the handles in {co_path}: fill in every `# TODO`, then delete the marks.\n\
         apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\n\nmetadata:\n  name: {name}\n  owner: {owner}\n  reviewed_at: {today}\n  review_interval_days: 90\n"
    );
    y.push_str("contacts:\n");
    for u in &users {
        let _ = writeln!(
            y,
            "  - id: {}\n    name: {}        # TODO: full name\n    github: {}\n    # email: {u}@example.com   # TODO: email or phone, needed to page them\n    tier: responder\n    active: true",
            user_id(u),
            quoted(u),
            quoted(u),
        );
    }
    y.push_str(
        "  - id: manager          # TODO: who is paged second\n    name: Engineering Manager\n    email: manager@example.com\n    tier: management\n    active: true\n  - id: executive        # TODO: who owns high-profile incidents\n    name: Executive\n    email: executive@example.com\n    tier: executive\n    active: true\n\n",
    );
    todo.push("contacts: full names, and an email or phone for everyone on call".to_string());
    y.push_str("teams:\n");
    if teams.is_empty() {
        let members: Vec<String> = users.iter().map(|u| user_id(u)).collect();
        let _ = writeln!(
            y,
            "  - id: platform         # TODO: your team\n    members: [{m}]\n    timezone: UTC        # TODO: the team's IANA time zone (handoffs, business hours)\n    oncall:\n      rotation: [{m}]\n      shift_hours: 168\n      handoff: {today}T09:00   # local date-time: the first person's weekly shift starts here\n      coverage: 24x7\n    escalation_policy: ep-platform",
            m = members.join(", ")
        );
    }
    for t in &teams {
        let id = team_id(t);
        let _ = writeln!(
            y,
            "  - id: {id}\n    github_team: {}\n    members: []          # TODO: contact ids of the team's members\n    timezone: UTC        # TODO: the team's IANA time zone\n    oncall:\n      rotation: []       # TODO: who is on call, in order\n      shift_hours: 168\n      handoff: {today}T09:00   # local date-time: the first person's weekly shift starts here\n      coverage: 24x7\n    escalation_policy: ep-{id}",
            quoted(t)
        );
    }
    if !teams.is_empty() {
        todo.push("teams: members and the on-call rotation of each team".to_string());
    }
    y.push_str("\nareas:\n");
    let first_area = areas(&mut y, co, &owner);
    if first_area.is_none() {
        y.push_str("  - id: platform\n    title: Platform   # TODO: your areas of expertise\n    team: platform\n    contacts: []\n    paths: []\n");
    }
    todo.push("areas: a title, and at least two key contacts for each".to_string());
    y.push_str("\nescalation_policies:\n");
    let policy_teams: Vec<String> = if teams.is_empty() {
        vec!["platform".into()]
    } else {
        teams.iter().map(|t| team_id(t)).collect()
    };
    for id in &policy_teams {
        let _ = writeln!(
            y,
            "  - id: ep-{id}\n    levels:\n      - {{tier: responder, targets: [\"oncall:{id}\"], after_minutes: 0}}\n      - {{tier: management, targets: [manager], after_minutes: 15}}\n      - {{tier: executive, targets: [executive], after_minutes: 30}}"
        );
    }
    let area = first_area.unwrap_or_else(|| "platform".into());
    let _ = writeln!(
        y,
        "\nthreats:\n  - id: THR-001          # TODO: every potential threat, human error or malicious\n    title: A bad rollout takes every replica down at once\n    source: human_error\n    area: {area}\n    severity: SEV2\n    high_profile: false\n    owner: {owner}\n  - id: THR-002\n    title: Leaked cluster credentials used to run workloads\n    source: malicious\n    area: {area}\n    severity: SEV1\n    high_profile: true\n    owner: {owner}\n\nwaivers: []"
    );
    todo.push("threats: replace the two examples with your own".to_string());
    Generated { plan: y, todo }
}

/// One area per CODEOWNERS line with owners (its pattern as paths, its users as contacts,
/// its team or the plan owner as team). Returns the first area's id.
fn areas(y: &mut String, co: &Codeowners, owner: &str) -> Option<String> {
    let team_id = |handle: &str| slug(handle.rsplit('/').next().unwrap_or(handle));
    let user_id = |handle: &str| slug(handle);
    let mut first_area = None;
    let mut seen = BTreeSet::new();
    for rule in co.rules.iter().filter(|r| !r.owners.is_empty()) {
        let mut id = slug(&rule.pattern);
        if id.is_empty() {
            id = "everything".into();
        }
        while !seen.insert(id.clone()) {
            id.push_str("-2");
        }
        first_area.get_or_insert_with(|| id.clone());
        let contacts: Vec<String> = rule
            .owners
            .iter()
            .filter_map(|o| o.strip_prefix('@'))
            .filter(|h| !h.contains('/'))
            .map(user_id)
            .collect();
        let team = rule
            .owners
            .iter()
            .find(|o| o.contains('/'))
            .map(|t| team_id(t))
            .unwrap_or_else(|| owner.to_string());
        let short = if contacts.len() < 2 {
            "   # TODO: at least two key contacts"
        } else {
            ""
        };
        let _ = writeln!(
            y,
            "  - id: {id}\n    title: {}   # TODO: what this area is\n    team: {team}\n    contacts: [{}]{short}\n    paths: [{}]",
            quoted(&format!("Owners of {}", rule.pattern)),
            contacts.join(", "),
            quoted(&rule.pattern)
        );
    }
    first_area
}

/// The pattern `init` suggests for the plan directory.
const PLAN_DIR_PATTERN: &str = "/incident-response/";
/// The owner of the suggested line when CODEOWNERS names no team.
const EXAMPLE_OWNER: &str = "@example-org/platform";

/// Who owns the plan `init` writes, according to an existing CODEOWNERS.
#[derive(Debug, Clone, PartialEq)]
struct PlanOwnership {
    /// The line that already gives the plan file owners (`.github/CODEOWNERS` line text
    /// with its number), if any.
    owned_by: Option<String>,
    /// The team (`@org/team`) that should own the plan: one of the owners of that line, else
    /// the team that owns the most.
    team: Option<String>,
    /// Tracked files under the plan directory that other lines already own: a line for the
    /// whole directory appended at the end would take them from their owners.
    dir_has_owned_files: bool,
}

impl PlanOwnership {
    /// The line to append when the plan has no owner yet. Appended last, it wins for what it
    /// matches; it only ever matches files nobody owns (the plan file alone when other files
    /// under the directory have owners).
    fn suggestion(&self, team: Option<&str>) -> String {
        let pattern = if self.dir_has_owned_files {
            format!("/{PLAN_PATH}")
        } else {
            PLAN_DIR_PATTERN.to_string()
        };
        format!("{pattern} {}", team.unwrap_or(EXAMPLE_OWNER))
    }
}

/// Counts, for every team, what it owns: tracked files whose last-matching line names it, or
/// (without tracked files) the lines naming it. Picks the plan's team from that.
fn plan_ownership(co: &Codeowners, tracked: &[String]) -> PlanOwnership {
    let is_team = |o: &String| o.starts_with('@') && o.contains('/');
    let mut files: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut lines: std::collections::BTreeMap<&str, usize> = Default::default();
    for rule in &co.rules {
        for o in rule.owners.iter().filter(|o| is_team(o)) {
            *lines.entry(o.as_str()).or_default() += 1;
        }
    }
    let mut dir_has_owned_files = false;
    for path in tracked {
        let Some(rule) = co.owner_of(path) else {
            continue;
        };
        if path.starts_with("incident-response/") && !rule.owners.is_empty() {
            dir_has_owned_files = true;
        }
        for o in rule.owners.iter().filter(|o| is_team(o)) {
            *files.entry(o.as_str()).or_default() += 1;
        }
    }
    // Most files, then most lines; the name only breaks exact ties, so the order is stable.
    let most = |candidates: &mut dyn Iterator<Item = &str>| -> Option<String> {
        candidates
            .max_by(|a, b| {
                let key = |t: &str| (files.get(t).copied(), lines.get(t).copied());
                key(a).cmp(&key(b)).then_with(|| b.cmp(a))
            })
            .map(str::to_string)
    };
    let owning = co
        .owner_of(PLAN_PATH)
        .filter(|rule| !rule.owners.is_empty());
    match owning {
        Some(rule) => {
            let mut in_line = rule
                .owners
                .iter()
                .filter(|o| is_team(o))
                .map(String::as_str);
            let team = most(&mut in_line).or_else(|| most(&mut lines.keys().copied()));
            PlanOwnership {
                owned_by: Some(format!(
                    "line {}: {} {}",
                    rule.line,
                    rule.pattern,
                    rule.owners.join(" ")
                )),
                team,
                dir_has_owned_files,
            }
        }
        None => PlanOwnership {
            owned_by: None,
            team: most(&mut lines.keys().copied()),
            dir_has_owned_files,
        },
    }
}

/// The files git tracks under `root`, relative to it; empty outside a repository.
fn tracked_files(root: &Path) -> Vec<String> {
    let Ok(repo) = git2::Repository::discover(root) else {
        return Vec::new();
    };
    let (Some(workdir), Ok(index)) = (repo.workdir(), repo.index()) else {
        return Vec::new();
    };
    let prefix = match (workdir.canonicalize(), root.canonicalize()) {
        (Ok(w), Ok(r)) => match r.strip_prefix(&w) {
            Ok(rel) if rel.as_os_str().is_empty() => String::new(),
            Ok(rel) => format!("{}/", crate::snapshot::to_slash(rel)),
            Err(_) => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    index
        .iter()
        .filter_map(|e| {
            let path = String::from_utf8(e.path).ok()?;
            path.strip_prefix(&prefix).map(str::to_string)
        })
        .collect()
}

/// The message `init` prints.
pub fn summary(done: &Initialized) -> String {
    let mut s = String::new();
    for w in &done.written {
        let _ = writeln!(s, "wrote {w}");
    }
    s.push_str("\nNext steps:\n");
    let mut step = 1;
    if !done.in_git {
        let _ = writeln!(
            s,
            "  {step}. git init: plancheck reads the files of a git repository (this directory is not in one)."
        );
        step += 1;
    }
    match (&done.codeowners_line, &done.owned_by) {
        (Some(line), _) => {
            let _ = writeln!(
                s,
                "  {step}. Add this line at the end of {} so the plan has owners (plancheck requires it):\n       {line}",
                done.codeowners_path
            );
            step += 1;
        }
        (None, Some(by)) => {
            let _ = writeln!(
                s,
                "  {step}. Nothing to add to CODEOWNERS: {} already gives the plan owners ({by}); keep that line.",
                done.codeowners_path
            );
            step += 1;
        }
        (None, None) => {}
    }
    if done.todo.is_empty() {
        let _ = writeln!(
            s,
            "  {step}. Replace the example people, teams, areas and threats in {PLAN_PATH} (lines marked # TODO)."
        );
        step += 1;
    } else {
        for t in &done.todo {
            let _ = writeln!(
                s,
                "  {step}. Fill in {t} ({PLAN_PATH}, lines marked # TODO)."
            );
            step += 1;
        }
    }
    let _ = writeln!(
        s,
        "  {step}. git add {PLAN_PATH} {CONFIG_PATH} {WORKFLOW_PATH} && plancheck check\n  {}. Optional, as a pre-commit hook (.pre-commit-config.yaml; it installs the prebuilt plancheck wheel, no Rust toolchain):\n       - repo: {SOURCE_REPOSITORY}\n         rev: v{}\n         hooks: [{{id: plancheck}}]",
        step + 1,
        env!("CARGO_PKG_VERSION")
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plan_ids() {
        assert_eq!(slug("/clusters/*/storage/"), "clusters-storage");
        assert_eq!(slug("My Repo_2"), "my-repo-2");
        assert_eq!(slug("*"), "");
    }

    #[test]
    fn codeowners_handles_become_contacts_teams_and_areas() {
        let co = Codeowners::parse("* @acme/platform\n/db/ @erin @farid @acme/storage\n");
        let g = from_codeowners(&co, ".github/CODEOWNERS", "2026-11-24", "demo", &[]);
        assert!(g.plan.contains("  - id: erin\n"), "{}", g.plan);
        assert!(
            g.plan.contains("github_team: \"@acme/storage\""),
            "{}",
            g.plan
        );
        assert!(g.plan.contains("contacts: [erin, farid]\n"), "{}", g.plan);
        assert!(g.plan.contains("paths: [\"/db/\"]"), "{}", g.plan);
        assert!(g.plan.contains("  owner: platform\n"), "{}", g.plan);
        let docs = crate::plan::node::parse_documents(&g.plan).expect("valid YAML");
        assert_eq!(docs.len(), 1);
    }
}
