//! Diff mode: base and head checked in parallel, findings classified new / existing / fixed by
//! fingerprint, placed against the diff, and the plan change described on the model.

pub mod lines;
pub mod manifests;
pub mod oncall;
pub mod semantic;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use anyhow::{anyhow, Context, Result};
use git2::Repository;
use serde::Serialize;

use crate::check::{self, Opened, Options, Outcome};
use crate::error::Advice;
use crate::finding::{normalize, Finding, Location, Severity, Status, UnusedWaiver};
pub use lines::{FilterMode, LineIndex};
pub use semantic::{Change, Chart};

/// The rule that reports a change to the policies or configuration that judge it.
pub const POLICY_CHANGED: &str = "policy-changed";

/// The rule that reports a waiver the change adds: plan data must not silence the change's
/// own findings without the plan owners' approval.
pub const WAIVER_ADDED: &str = "waiver-added";

/// Where the policies and configuration of a diff-mode run come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trusted {
    /// The base revision: a change cannot rewrite the rules that judge it.
    #[default]
    Base,
    /// The head (the change itself).
    Head,
}

#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// The base revision, or `A...B` / `A...` for the merge base.
    pub base: String,
    pub filter: FilterMode,
    pub trusted: Trusted,
    /// The gate counts existing findings too (`--fail-on-existing`).
    pub fail_on_existing: bool,
}

/// A changed file and who owns it at base (GitHub requests reviews from the base's CODEOWNERS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedFile {
    pub path: String,
    /// The path at base, when the change renamed the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    pub owners: Vec<String>,
    /// The base CODEOWNERS line that owns it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codeowners_line: Option<u32>,
}

/// What the change does to CODEOWNERS itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CodeownersChange {
    pub path: String,
    pub owners_added: Vec<String>,
    pub owners_removed: Vec<String>,
    pub rules_added: Vec<String>,
    pub rules_removed: Vec<String>,
    /// Plan files whose owners the edit changes, grouped by before and after: who must
    /// approve a change to the plan is the first thing a reviewer needs to know.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plan_owners: Vec<PlanOwnersChange>,
}

/// Plan files whose CODEOWNERS owners differ between base and head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanOwnersChange {
    /// What the files have in common: their directory (`incident-response/`) when the group
    /// is every plan file under it, else the one file.
    pub scope: String,
    pub paths: Vec<String>,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

impl PlanOwnersChange {
    /// "owners of incident-response/ changed @a/x → @a/y" (`none` for no owners).
    pub fn text(&self) -> String {
        let list = |o: &[String]| {
            if o.is_empty() {
                "(no owners)".to_string()
            } else {
                o.join(" ")
            }
        };
        format!(
            "owners of {} changed {} → {}",
            self.scope,
            list(&self.before),
            list(&self.after)
        )
    }
}

/// Groups plan files by their owners at base and at head, keeping those that changed.
fn plan_owners_changes(
    base: &crate::codeowners::Codeowners,
    head: &crate::codeowners::Codeowners,
    plan_files: &[&str],
) -> Vec<PlanOwnersChange> {
    let mut groups: Vec<PlanOwnersChange> = Vec::new();
    for path in plan_files {
        let (before, after) = (base.owners(path).to_vec(), head.owners(path).to_vec());
        if before == after {
            continue;
        }
        match groups
            .iter_mut()
            .find(|g| g.before == before && g.after == after)
        {
            Some(g) => g.paths.push((*path).to_string()),
            None => groups.push(PlanOwnersChange {
                scope: String::new(),
                paths: vec![(*path).to_string()],
                before,
                after,
            }),
        }
    }
    for g in &mut groups {
        g.scope = if g.paths.len() == 1 {
            g.paths[0].clone()
        } else {
            // The deepest directory holding every file of the group, when no other plan
            // file lives under it; else the files themselves.
            let dir = |p: &str| {
                p.rsplit_once('/')
                    .map_or(String::new(), |(d, _)| format!("{d}/"))
            };
            let mut common = dir(&g.paths[0]);
            while !g.paths.iter().all(|p| p.starts_with(&common)) {
                common = dir(common.trim_end_matches('/'));
            }
            let others = plan_files
                .iter()
                .any(|p| p.starts_with(&common) && !g.paths.iter().any(|q| q == p));
            match (common.is_empty(), others) {
                (true, _) => g.paths.join(", "),
                (false, true) => format!("{} plan files in {common}", g.paths.len()),
                (false, false) => common,
            }
        };
    }
    groups
}

pub struct DiffRun {
    pub base: Opened,
    pub head: Opened,
    /// Head findings (new or existing) and base findings the change fixed, sorted.
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Finding>,
    pub unused_waivers: Vec<UnusedWaiver>,
    pub policies_skipped: bool,
    /// The base broke the schema, so its rules did not run: every head finding counts as new.
    pub base_unchecked: bool,
    /// The head broke the schema, so its rules did not run: the gate cannot pass, even on
    /// schema errors the base had too.
    pub head_unchecked: bool,
    pub changes: Vec<Change>,
    /// Escalation policies the change adds or edits, as Mermaid charts.
    pub charts: Vec<Chart>,
    /// Teams whose next 14 days of on-call the change moves, as Mermaid gantt charts.
    pub oncall_charts: Vec<Chart>,
    pub changed_files: Vec<ChangedFile>,
    pub codeowners: Option<CodeownersChange>,
    /// The base commit (the merge base for `A...B`).
    pub base_commit: String,
    pub base_label: String,
    pub head_label: String,
    pub filter: FilterMode,
    pub fail_on_existing: bool,
}

/// Resolves `--base`: a revision, or `A...B` (`A...` = `A...HEAD`) for their merge base.
pub fn resolve_base(repo: &Repository, spec: &str, head_rev: Option<&str>) -> Result<git2::Oid> {
    let commit = |rev: &str| -> Result<git2::Oid> {
        let obj = repo.revparse_single(rev).map_err(|e| {
            Advice::new(
                format!("base revision `{rev}` not found: {}", e.message()),
                crate::snapshot::missing_revision_help(repo, rev),
            )
        })?;
        Ok(obj
            .peel_to_commit()
            .with_context(|| format!("`{rev}` is not a commit"))?
            .id())
    };
    match spec.split_once("...") {
        None => commit(spec),
        Some((left, right)) => {
            let left = if left.is_empty() { "HEAD" } else { left };
            let right = if right.is_empty() {
                head_rev.unwrap_or("HEAD")
            } else {
                right
            };
            let (l, r) = (commit(left)?, commit(right)?);
            repo.merge_base(l, r).map_err(|e| {
                let help = if repo.is_shallow() {
                    "this shallow clone lacks the history between them: set `fetch-depth: 0` on actions/checkout, or `git fetch --unshallow`"
                } else {
                    "the two histories share no commit: compare with a revision directly (`--base main`, without `...`)"
                };
                Advice::new(
                    format!("no merge base between `{left}` and `{right}`: {}", e.message()),
                    help,
                )
                .into()
            })
        }
    }
}

/// Runs the check on base and head and classifies the findings.
pub fn run(opts: &Options, d: &DiffOptions) -> Result<DiffRun> {
    let repo_root = check::locate_root(opts)?;
    let repo = &repo_root.repo;
    let base_oid = resolve_base(repo, &d.base, opts.rev.as_deref())?;
    let base_rev = base_oid.to_string();
    let base = check::open_revision(opts, &base_rev)?;
    // The working tree lists untracked files where the trusted `plans` look too: the
    // change's own `plans` cannot narrow what is found.
    let trusted_plans: &[String] = match d.trusted {
        Trusted::Base => &base.config.plans,
        Trusted::Head => &[],
    };
    let head = check::open_head(opts, trusted_plans)?;
    let head_tree = match &opts.rev {
        Some(rev) => lines::Head::Tree(
            repo.revparse_single(rev)
                .and_then(|o| o.peel_to_tree())
                .map(|t| t.id())
                .with_context(|| format!("cannot read the tree of `{rev}`"))?,
        ),
        None if opts.staged => lines::Head::Index,
        None => lines::Head::Worktree,
    };
    let base_tree = repo
        .find_commit(base_oid)
        .and_then(|c| c.tree())
        .map(|t| t.id())
        .context("cannot read the base tree")?;
    let index = LineIndex::build(repo, base_tree, &head_tree, &repo_root.prefix)?;

    let (config, trusted) = match d.trusted {
        Trusted::Base => (base.config.clone(), Some(base.reader())),
        Trusted::Head => (head.config.clone(), Some(head.reader())),
    };
    let policies = check::load_policies(opts, &head.root, &config, trusted)?;
    let now = check::resolve_now(opts.now.as_deref())?;
    let policy_change = policy_changes(opts, &base, &head)?;
    let base_label = format!("{} ({})", d.base, &base_rev[..12]);
    let head_label = head.snap.describe();

    // Base and head are loaded and evaluated in parallel, each file parsed once per side.
    let (base_result, head_result) = std::thread::scope(|scope| {
        let b = scope.spawn(|| -> Result<(Opened, Outcome)> {
            let opened = check::finish(base.snap.as_ref(), config.clone(), policies.clone(), &now)?;
            let outcome = check::check(&opened)?;
            Ok((opened, outcome))
        });
        let h = scope.spawn(|| -> Result<(Opened, Outcome)> {
            // Head's plan files: where the trusted configuration says, and where the change's
            // own configuration says (a change that moves the plan and its `plans` setting).
            // Never fewer: a change cannot hide a file from the check by editing `plans`.
            let mut config = config.clone();
            for glob in &head.config.plans {
                if !config.plans.contains(glob) {
                    config.plans.push(glob.clone());
                }
            }
            let opened = check::finish(head.snap.as_ref(), config, policies.clone(), &now)?;
            let outcome = check::check(&opened)?;
            Ok((opened, outcome))
        });
        let join = |r: std::thread::Result<Result<(Opened, Outcome)>>| {
            r.unwrap_or_else(|_| Err(anyhow!("a diff-mode check thread panicked")))
        };
        (join(b.join()), join(h.join()))
    });
    let (base_opened, mut base_outcome) =
        base_result.with_context(|| format!("checking the base revision {base_label}"))?;
    let (head_opened, mut head_outcome) = head_result?;

    let base_fps: HashSet<String> = base_outcome
        .findings
        .iter()
        .map(|f| f.fingerprint.clone())
        .collect();
    let head_fps: HashSet<String> = head_outcome
        .findings
        .iter()
        .map(|f| f.fingerprint.clone())
        .collect();
    let mut findings = Vec::new();
    for mut f in std::mem::take(&mut head_outcome.findings) {
        let status = if base_fps.contains(&f.fingerprint) {
            Status::Existing
        } else {
            Status::New
        };
        f.status = Some(status);
        f.in_diff = Some(place(&mut f, &index, d.filter, &head_opened, status));
        findings.push(f);
    }
    // When the head breaks the schema its rules did not run: the base's rule findings are
    // unknown at head, not fixed (its own schema findings can be).
    let head_unchecked = head_outcome.policies_skipped;
    for mut f in std::mem::take(&mut base_outcome.findings) {
        if head_unchecked && f.rule != crate::policy::SCHEMA_RULE {
            continue;
        }
        if !head_fps.contains(&f.fingerprint) {
            f.status = Some(Status::Fixed);
            f.in_diff = Some(false);
            findings.push(f);
        }
    }
    let changed_files = changed_files(&index, &base_opened);
    findings.extend(added_waivers(
        &base_opened,
        &base_outcome,
        &head_opened,
        &head_outcome,
        &index,
        d.filter,
    ));
    if !policy_change.is_empty() {
        findings.push(policy_changed_finding(
            &policy_change,
            &changed_files,
            &base_opened,
            d.trusted,
        ));
    }
    let cfg = &head_opened.workspace.config;
    findings.retain(|f| !cfg.rules.get(&f.rule).is_some_and(|c| c.disable));
    for f in &mut findings {
        if let Some(sev) = cfg.rules.get(&f.rule).and_then(|c| c.severity) {
            f.severity = sev;
        }
    }
    normalize(&mut findings);
    let mut changes = semantic::diff(&base_outcome.input, &head_outcome.input);
    let (oncall_changes, oncall_charts) = oncall::diff(
        &base_opened.workspace.plan,
        &head_opened.workspace.plan,
        &now,
    );
    changes.extend(oncall_changes);
    changes.extend(manifests::changes(&base_outcome.input, &head_outcome.input));
    let charts = semantic::escalation_charts(&base_outcome.input, &head_outcome.input);
    let codeowners = codeowners_change(&base_opened, &head_opened);
    Ok(DiffRun {
        findings,
        suppressed: head_outcome.suppressed,
        unused_waivers: head_outcome.unused_waivers,
        policies_skipped: head_outcome.policies_skipped,
        base_unchecked: base_outcome.policies_skipped && !head_outcome.policies_skipped,
        head_unchecked,
        changes,
        charts,
        oncall_charts,
        changed_files,
        codeowners,
        base_commit: base_rev.clone(),
        base_label,
        head_label,
        filter: d.filter,
        fail_on_existing: d.fail_on_existing,
        base: base_opened,
        head: head_opened,
    })
}

/// A `waiver-added` finding for every waiver at head that the base does not hold (same rule
/// and target, expiring no later): the change silences findings with its own data, so the
/// owners of the plan file must approve it. An error unless the trusted configuration says
/// otherwise (`[rules.waiver-added]`).
fn added_waivers(
    base: &Opened,
    base_outcome: &Outcome,
    head: &Opened,
    head_outcome: &Outcome,
    index: &LineIndex,
    mode: FilterMode,
) -> Vec<Finding> {
    let at_base = check::waivers(&base.workspace, &base_outcome.input);
    let co = &base.workspace.codeowners.parsed;
    check::waivers(&head.workspace, &head_outcome.input)
        .into_iter()
        .filter(|w| w.rule != crate::policy::SCHEMA_RULE)
        .filter(|w| {
            !at_base
                .iter()
                .any(|b| b.rule == w.rule && b.target == w.target && b.expires >= w.expires)
        })
        .map(|w| {
            let silenced = head_outcome
                .suppressed
                .iter()
                .filter(|f| {
                    f.suppressed
                        .as_ref()
                        .is_some_and(|s| s.location == w.location)
                })
                .count();
            let owners = co.owners(&w.location.path);
            let who = if owners.is_empty() {
                format!("{} has no CODEOWNERS owner to approve it", w.location.path)
            } else {
                format!(
                    "the owners of {} must approve it: {}",
                    w.location.path,
                    owners.join(" ")
                )
            };
            let mut f = Finding::about(
                WAIVER_ADDED,
                Severity::Error,
                format!(
                    "the change adds a waiver of {} for {} until {}, silencing {}; {who}",
                    w.rule,
                    w.target,
                    w.expires,
                    crate::report::plural(silenced, "finding")
                ),
                w.location.clone(),
                w.subject.clone(),
            )
            .with_help(Some(
                "have the plan file's CODEOWNERS approve the waiver; the gate passes once it is merged. To let reviews decide instead, set `[rules.waiver-added] severity = \"warning\"` in the base's configuration".into(),
            ));
            f.status = Some(Status::New);
            f.in_diff = Some(index.should_report(mode, &f.location.path, f.location.line));
            f
        })
        .collect()
}

/// Decides line-level treatment. A new finding whose own line the change did not touch, but
/// whose element (the threat, the area...) it did, is moved to the first line of that element
/// the change added, or, when the change only deleted lines there (a contact removed from an
/// area), to the nearest surviving line; it then counts as in the diff.
fn place(
    f: &mut Finding,
    index: &LineIndex,
    mode: FilterMode,
    head: &Opened,
    status: Status,
) -> bool {
    if index.should_report(mode, &f.location.path, f.location.line) {
        return true;
    }
    if status != Status::New || mode == FilterMode::File {
        return false;
    }
    let plan = &head.workspace.plan;
    let Some((file, start, end)) = f.plan_path.as_deref().and_then(|p| plan.element_lines(p))
    else {
        return false;
    };
    if plan.files[file].path != f.location.path {
        return false;
    }
    let path = f.location.path.as_str();
    match index
        .added_within(path, start, end)
        .or_else(|| index.deletion_within(path, start, end))
    {
        Some(line) => {
            let text = plan.files[file]
                .text
                .lines()
                .nth(line.saturating_sub(1) as usize);
            let indent = text.map_or(0, |t| t.chars().take_while(|c| c.is_whitespace()).count());
            f.location.line = line;
            f.location.column = u32::try_from(indent).unwrap_or(0) + 1;
            true
        }
        None => false,
    }
}

fn changed_files(index: &LineIndex, base: &Opened) -> Vec<ChangedFile> {
    let co = &base.workspace.codeowners.parsed;
    let mut out: Vec<ChangedFile> = index
        .files
        .iter()
        .map(|f| {
            let path = f
                .new_path
                .clone()
                .or_else(|| f.old_path.clone())
                .unwrap_or_default();
            let base_path = f.old_path.clone().unwrap_or_else(|| path.clone());
            let rule = co.owner_of(&base_path);
            ChangedFile {
                renamed_from: f
                    .old_path
                    .clone()
                    .filter(|o| f.new_path.as_ref().is_some_and(|n| n != o)),
                owners: rule.map(|r| r.owners.clone()).unwrap_or_default(),
                codeowners_line: rule.map(|r| r.line),
                path,
            }
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn codeowners_change(base: &Opened, head: &Opened) -> Option<CodeownersChange> {
    let (b, h) = (&base.workspace.codeowners, &head.workspace.codeowners);
    if b.text == h.text && b.path == h.path {
        return None;
    }
    let owners = |c: &crate::workspace::CodeownersFile| -> BTreeSet<String> {
        c.parsed
            .rules
            .iter()
            .flat_map(|r| r.owners.iter().cloned())
            .collect()
    };
    let rules = |c: &crate::workspace::CodeownersFile| -> BTreeSet<String> {
        c.parsed
            .rules
            .iter()
            .map(|r| {
                format!("{} {}", r.pattern, r.owners.join(" "))
                    .trim()
                    .to_string()
            })
            .collect()
    };
    let (ob, oh) = (owners(b), owners(h));
    let (rb, rh) = (rules(b), rules(h));
    Some(CodeownersChange {
        path: h
            .path
            .clone()
            .or_else(|| b.path.clone())
            .unwrap_or_else(|| ".github/CODEOWNERS".into()),
        owners_added: oh.difference(&ob).cloned().collect(),
        owners_removed: ob.difference(&oh).cloned().collect(),
        rules_added: rh.difference(&rb).cloned().collect(),
        rules_removed: rb.difference(&rh).cloned().collect(),
        plan_owners: plan_owners_changes(
            &b.parsed,
            &h.parsed,
            &head
                .workspace
                .plan
                .files
                .iter()
                .map(|f| f.path.as_str())
                .collect::<Vec<_>>(),
        ),
    })
}

/// Configuration and policy files that differ between base and head.
fn policy_changes(opts: &Options, base: &check::Side, head: &check::Side) -> Result<Vec<String>> {
    use check::Place;
    let mut changed = BTreeSet::new();
    let placed = |p: &std::path::Path| check::place(&head.root, &head.prefix, p);
    match opts.config.as_deref().map(placed) {
        // `--config` inside the repository: its two copies.
        Some(place @ (Place::Root(_) | Place::Repo(_))) => {
            if read_on(base, &place)? != read_on(head, &place)? {
                changed.insert(shown(&place));
            }
        }
        _ => {
            let (bc, hc) = (
                check::config_text(base.snap.as_ref()),
                check::config_text(head.snap.as_ref()),
            );
            if bc != hc {
                changed.extend(bc.map(|(p, _)| p));
                changed.extend(hc.map(|(p, _)| p));
            }
        }
    }
    let mut extra_dirs = Vec::new();
    for d in &opts.policies {
        match placed(d) {
            Place::Root(rel) => extra_dirs.push(rel),
            // Outside the checked root, inside the repository: compare the two revisions.
            place @ Place::Repo(_) => {
                let (b, h) = (repo_rego(base, &place)?, repo_rego(head, &place)?);
                for p in b.keys().chain(h.keys()) {
                    if b.get(p) != h.get(p) {
                        changed.insert(p.clone());
                    }
                }
            }
            Place::Outside => {}
        }
    }
    for config in [&base.config, &head.config] {
        let (b, h) = (
            policy_texts(base, config, &extra_dirs)?,
            policy_texts(head, config, &extra_dirs)?,
        );
        for p in b.keys().chain(h.keys()) {
            if b.get(p) != h.get(p) {
                changed.insert(p.clone());
            }
        }
    }
    let data: BTreeSet<Place> = base
        .config
        .data
        .iter()
        .chain(&head.config.data)
        .map(|d| placed(&head.root.join(d)))
        .chain(opts.data.iter().map(|d| placed(d)))
        .filter(|p| *p != Place::Outside)
        .collect();
    for place in data {
        if read_on(base, &place)? != read_on(head, &place)? {
            changed.insert(shown(&place));
        }
    }
    Ok(changed.into_iter().collect())
}

/// How a placed path is named in `policy-changed`: from the checked root, or (outside it)
/// from the repository's top.
fn shown(place: &check::Place) -> String {
    match place {
        check::Place::Root(p) | check::Place::Repo(p) => p.clone(),
        check::Place::Outside => String::new(),
    }
}

/// A file of one side by where it lies: from disk for the working tree (untracked files
/// count: they would be read), else from the revision's objects.
fn read_on(side: &check::Side, place: &check::Place) -> Result<Option<Vec<u8>>> {
    use check::Place;
    let limit = crate::plan::MAX_FILE_BYTES;
    let disk = |path: std::path::PathBuf, rel: &str| match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::Error::new(e).context(format!("{rel}: cannot read"))),
    };
    match (place, side.worktree) {
        (Place::Root(rel), true) => disk(side.root.join(rel), rel),
        (Place::Root(rel), false) => side.snap.read(rel, limit).map_err(anyhow::Error::new),
        (Place::Repo(rel), true) => {
            let depth = side.prefix.split('/').filter(|s| !s.is_empty()).count();
            match side.root.ancestors().nth(depth) {
                Some(top) => disk(top.join(rel), rel),
                None => Ok(None),
            }
        }
        (Place::Repo(rel), false) => match &side.outer {
            Some(outer) => outer.read(rel, limit).map_err(anyhow::Error::new),
            None => Ok(None),
        },
        (Place::Outside, _) => Ok(None),
    }
}

/// The `.rego` files under a directory outside the checked root, on one side, by path.
fn repo_rego(side: &check::Side, place: &check::Place) -> Result<BTreeMap<String, String>> {
    let check::Place::Repo(dir) = place else {
        return Ok(BTreeMap::new());
    };
    let found = if side.worktree {
        let depth = side.prefix.split('/').filter(|s| !s.is_empty()).count();
        match side.root.ancestors().nth(depth) {
            Some(top) => {
                let path = top.join(dir);
                if path.is_dir() {
                    crate::policy::read_dir_files(&crate::policy::PolicyDir::new(
                        path,
                        dir.as_str(),
                    ))?
                } else {
                    Vec::new()
                }
            }
            None => Vec::new(),
        }
    } else {
        match &side.outer {
            Some(outer) => {
                let config = crate::config::Config {
                    policies: vec![dir.clone()],
                    ..crate::config::Config::default()
                };
                check::policy_files_in(outer.as_ref(), &config)?
            }
            None => Vec::new(),
        }
    };
    Ok(found.into_iter().map(|f| (f.shown, f.text)).collect())
}

/// The policy files under a configuration's directories on one side, by path.
fn policy_texts(
    side: &check::Side,
    config: &crate::config::Config,
    extra_dirs: &[String],
) -> Result<BTreeMap<String, String>> {
    let mut config = config.clone();
    config.policies.extend(extra_dirs.iter().cloned());
    let found = if side.worktree {
        // On disk, untracked policy files count too: they would run.
        let mut found = Vec::new();
        for d in &config.policies {
            let dir = crate::policy::PolicyDir::new(side.root.join(d), d.as_str());
            if dir.path.is_dir() {
                found.extend(crate::policy::read_dir_files(&dir)?);
            }
        }
        found
    } else {
        check::policy_files_in(side.snap.as_ref(), &config)?
    };
    Ok(found.into_iter().map(|f| (f.shown, f.text)).collect())
}

fn policy_changed_finding(
    paths: &[String],
    changed: &[ChangedFile],
    base: &Opened,
    trusted: Trusted,
) -> Finding {
    let co = &base.workspace.codeowners.parsed;
    let described: Vec<String> = paths
        .iter()
        .map(|p| {
            let owners = changed
                .iter()
                .find(|c| &c.path == p)
                .map(|c| c.owners.clone())
                .unwrap_or_else(|| co.owners(p).to_vec());
            if owners.is_empty() {
                format!("{p} (no CODEOWNERS owner)")
            } else {
                format!("{p} (owners: {})", owners.join(" "))
            }
        })
        .collect();
    let judged = match trusted {
        Trusted::Base => "this run judged the change with the base revision's versions",
        Trusted::Head => "this run used the changed versions (--trusted-policies head)",
    };
    let message = format!(
        "the change edits the policies or configuration that judge it: {}; {judged}",
        described.join(", ")
    );
    let first = paths.first().cloned().unwrap_or_default();
    let mut f = Finding::new(
        POLICY_CHANGED,
        Severity::Warning,
        message,
        Location {
            path: first,
            line: 1,
            column: 1,
        },
        format!("policy[{}]", paths.join(",")),
    )
    .with_help(Some(
        "have the owners of these files review the change; the new rules apply once it is merged"
            .into(),
    ));
    f.status = Some(Status::New);
    f.in_diff = Some(false);
    f
}
