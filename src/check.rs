//! Opening a repository and running the check: snapshot → workspace → input → evaluate → findings.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use regorus::Value;

use crate::config::{self, Config};
use crate::error::Advice;
use crate::finding::{normalize, Finding, Location, Suppression, SuppressionKind, UnusedWaiver};
use crate::policy::{PolicyDir, PolicySet, UserFile};
use crate::snapshot::{self, RevisionSnapshot, Snapshot, WorktreeSnapshot};
use crate::workspace::{self, Workspace};
use crate::{input, plan};

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The directory to check; `None` means the repository holding the current directory.
    pub dir: Option<PathBuf>,
    pub rev: Option<String>,
    /// Read the git index instead of the working tree.
    pub staged: bool,
    pub config: Option<PathBuf>,
    pub policies: Vec<PathBuf>,
    pub namespaces: crate::policy::Namespaces,
    pub data: Vec<PathBuf>,
    pub now: Option<String>,
    pub timeout: Option<Duration>,
    /// Report only findings in these files or directories (paths from the checked root):
    /// `plancheck check incident-response/plan.yaml` checks the whole plan, as it must (a
    /// reference may point into another file), and shows what is in the file named.
    pub only: Vec<String>,
}

/// Whether a directory is a root plancheck checks: the top of a repository, or a directory
/// holding a configuration or a plan at its default place (a plan kept in a subdirectory).
fn looks_like_root(dir: &Path, top: &Path) -> bool {
    dir == top
        || config::LOCATIONS.iter().any(|l| dir.join(l).is_file())
        || dir.join("incident-response").is_dir()
        || ["yaml", "yml", "json"]
            .iter()
            .any(|e| dir.join(format!("incident-plan.{e}")).is_file())
}

/// What `plancheck check PATH` names: a root to check (as before), or plan files or a plan
/// directory inside one, whose findings alone are reported. Returns the root and the
/// selection (paths from the root; empty for everything).
pub fn resolve_target(path: &Path) -> Result<(PathBuf, Vec<String>)> {
    let what = "PATH (of `plancheck check PATH`) is the repository to check, or a plan kept in a directory of one, or plan files or directories inside it whose findings alone to report";
    let abs = path.canonicalize().map_err(|_| {
        Advice::new(
            format!("{}: no such file or directory", path.display()),
            what,
        )
    })?;
    let Ok(repo) = git2::Repository::discover(&abs) else {
        // Not in a repository: `locate` says so, with what to do.
        return Ok((path.to_path_buf(), Vec::new()));
    };
    let Some(top) = repo
        .workdir()
        .map(|w| w.canonicalize().unwrap_or(w.to_path_buf()))
    else {
        return Ok((path.to_path_buf(), Vec::new()));
    };
    if abs.is_dir() && looks_like_root(&abs, &top) {
        return Ok((path.to_path_buf(), Vec::new()));
    }
    let start = if abs.is_dir() {
        abs.clone()
    } else {
        abs.parent().map_or_else(|| abs.clone(), Path::to_path_buf)
    };
    let root = start
        .ancestors()
        .take_while(|d| d.starts_with(&top))
        .find(|d| looks_like_root(d, &top))
        .map_or_else(|| top.clone(), Path::to_path_buf);
    let mut rel = abs
        .strip_prefix(&root)
        .map(snapshot::to_slash)
        .unwrap_or_default();
    if abs.is_dir() {
        rel.push('/');
    }
    Ok((root, vec![rel]))
}

/// Whether a repository path is one of the selected files or under a selected directory.
pub fn selected(only: &[String], path: &str) -> bool {
    only.is_empty()
        || only.iter().any(|o| match o.strip_suffix('/') {
            // A directory (written with its slash): everything under it.
            Some(_) => path.starts_with(o.as_str()),
            None => path == o || path.starts_with(&format!("{o}/")),
        })
}

/// A loaded repository, ready to be checked.
pub struct Opened {
    pub workspace: Workspace,
    pub policies: PolicySet,
    pub now: String,
}

/// Today's date (UTC) as YYYY-MM-DD.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

pub(crate) fn resolve_now(now: Option<&str>) -> Result<String> {
    match now.filter(|s| !s.is_empty()) {
        Some(d) => crate::oncall::now::parse(d)
            .map(|n| crate::oncall::now::normalize(&n))
            .ok_or_else(|| crate::oncall::now::invalid(d).into()),
        None => Ok(today()),
    }
}

/// Where one side's files come from: the checked root on disk (`snap` = `None`), or a
/// snapshot of it and of the whole repository at the same revision.
#[derive(Clone, Copy)]
pub(crate) struct Reader<'a> {
    pub root: &'a Path,
    /// The checked root's path inside the repository ("" at its top).
    pub prefix: &'a str,
    pub snap: Option<&'a dyn Snapshot>,
    /// The whole repository at the same revision, when the root is a subdirectory.
    pub outer: Option<&'a dyn Snapshot>,
}

impl Reader<'_> {
    /// Reads a path given on the command line (or in the configuration) for this side: a path
    /// inside the repository from the snapshot's git objects, never through the working tree
    /// (whose links and files the change controls); outside it, from disk.
    fn read(&self, path: &Path, limit: u64) -> Result<Option<Vec<u8>>> {
        let snapshot_read =
            |snap: &dyn Snapshot, rel: &str| snap.read(rel, limit).map_err(anyhow::Error::new);
        match (place(self.root, self.prefix, path), self.snap) {
            (Place::Root(rel), Some(snap)) => snapshot_read(snap, &rel),
            (Place::Repo(rel), Some(_)) => match self.outer {
                Some(outer) => snapshot_read(outer, &rel),
                None => Ok(None),
            },
            _ => match std::fs::read(path) {
                Ok(b) => Ok(Some(b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => {
                    Err(anyhow::Error::new(e).context(format!("{}: cannot read", path.display())))
                }
            },
        }
    }
}

fn read_config(opts: &Options, at: Reader<'_>) -> Result<Config> {
    if let Some(path) = &opts.config {
        let shown = path.display().to_string();
        // A configuration file inside the repository is part of the revision read: in diff
        // mode the base's copy judges the change (none at base: the defaults).
        if at.snap.is_some() {
            if let Place::Root(rel) | Place::Repo(rel) = place(at.root, at.prefix, path) {
                return match at.read(path, 1024 * 1024)? {
                    Some(bytes) => Ok(Config::parse(&rel, &plan::decode_utf8(&rel, bytes)?)?),
                    None => Ok(Config::default()),
                };
            }
        }
        let bytes =
            std::fs::read(path).with_context(|| format!("{shown}: cannot read configuration"))?;
        let text = plan::decode_utf8(&shown, bytes)?;
        return Ok(Config::parse(&shown, &text)?);
    }
    let root = at.root;
    for loc in config::LOCATIONS {
        let bytes = match at.snap {
            Some(s) => s.read(loc, 1024 * 1024).map_err(anyhow::Error::new)?,
            None => match std::fs::read(root.join(loc)) {
                Ok(b) => Some(b),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => {
                    return Err(
                        anyhow::Error::new(e).context(format!("{loc}: cannot read configuration"))
                    )
                }
            },
        };
        if let Some(bytes) = bytes {
            let text = plan::decode_utf8(loc, bytes)?;
            return Ok(Config::parse(loc, &text)?);
        }
    }
    Ok(Config::default())
}

/// Where a path lies relative to the checked root, decided by name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Place {
    /// Inside the checked root: its path there.
    Root(String),
    /// Inside the repository but outside the checked root: its path from the repository's top.
    Repo(String),
    Outside,
}

/// Places `path`: inside the checked root, elsewhere in the repository, or outside it.
pub(crate) fn place(root: &Path, prefix: &str, path: &Path) -> Place {
    if let Some(rel) = within(root, path) {
        return Place::Root(rel);
    }
    let depth = prefix.split('/').filter(|s| !s.is_empty()).count();
    match root
        .ancestors()
        .nth(depth)
        .and_then(|top| within(top, path))
    {
        Some(rel) => Place::Repo(rel),
        None => Place::Outside,
    }
}

/// `path` (as given on the command line, relative to the current directory) relative to
/// `root` (canonical) with `/` separators, when it lies inside `root`; `None` outside it.
///
/// Decided by name: `..` is resolved lexically and no link below `root` is followed (they may
/// come from the change being checked: `ci/plancheck.toml` a link to another file must still
/// be read as `ci/plancheck.toml` from the base). Only a link above `root` (a path reaching
/// the repository through `/tmp` → `/private/tmp`) is resolved, from the top down.
pub(crate) fn within(root: &Path, path: &Path) -> Option<String> {
    let abs = crate::safe_write::lexical_absolute(path)?;
    let rel = match abs.strip_prefix(root) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => {
            let ancestors: Vec<&Path> = abs.ancestors().collect();
            let top = ancestors
                .into_iter()
                .rev()
                .find(|a| a.canonicalize().is_ok_and(|c| c == root))?;
            abs.strip_prefix(top).ok()?.to_path_buf()
        }
    };
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// The configuration at a worktree root (for commands that load no plan).
pub fn read_config_at(root: &Path) -> Result<Config> {
    read_config(
        &Options::default(),
        Reader {
            root,
            prefix: "",
            snap: None,
            outer: None,
        },
    )
}

/// One side of a check before its policies are loaded: where it is read from and its configuration.
pub(crate) struct Side {
    pub root: PathBuf,
    /// The checked root's path inside the repository ("" at its top).
    pub prefix: String,
    /// Read from the working tree (files on disk), not from git objects.
    pub worktree: bool,
    pub snap: Box<dyn Snapshot>,
    /// The whole repository at the same revision, when the root is a subdirectory (paths
    /// given outside the root but inside the repository are read there, never from disk).
    pub outer: Option<Box<dyn Snapshot>>,
    pub config: Config,
}

impl Side {
    /// How this side reads paths given on the command line.
    pub(crate) fn reader(&self) -> Reader<'_> {
        Reader {
            root: &self.root,
            prefix: &self.prefix,
            snap: (!self.worktree).then_some(self.snap.as_ref()),
            outer: self.outer.as_deref(),
        }
    }
}

/// The repository holding `opts.dir` (or the current directory), and the root checked.
pub fn locate_root(opts: &Options) -> Result<snapshot::RepoRoot> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let dir = opts.dir.clone().unwrap_or(cwd);
    snapshot::locate(&dir, opts.dir.is_some())
}

/// The whole repository at `rev` (the index when `None`), for a root that is a subdirectory.
fn outer_snapshot(
    opts: &Options,
    prefix: &str,
    rev: Option<&str>,
) -> Result<Option<Box<dyn Snapshot>>> {
    if prefix.is_empty() {
        return Ok(None);
    }
    let mut located = locate_root(opts)?;
    located.prefix = String::new();
    Ok(Some(Box::new(revision(located, rev)?)))
}

/// The revision `rev`, or the git index when `None` (`--staged`).
fn revision(located: snapshot::RepoRoot, rev: Option<&str>) -> Result<RevisionSnapshot> {
    match rev {
        Some(rev) => RevisionSnapshot::new(located, rev),
        None => RevisionSnapshot::staged(located),
    }
}

/// The head side: `--rev`, `--staged`, or the working tree. `extra_plans`: globs (the trusted
/// configuration's, in diff mode) whose untracked files the working tree must list too, so
/// the change's own `plans` cannot narrow what is looked at.
pub(crate) fn open_head(opts: &Options, extra_plans: &[String]) -> Result<Side> {
    if opts.rev.is_some() || opts.staged {
        return revision_side(opts, opts.rev.as_deref());
    }
    let located = locate_root(opts)?;
    let root = located.root.clone();
    let prefix = located.prefix.clone();
    let config = read_config(
        opts,
        Reader {
            root: &root,
            prefix: &prefix,
            snap: None,
            outer: None,
        },
    )?;
    let mut globs = config.plans.clone();
    globs.extend(extra_plans.iter().cloned());
    let snap = WorktreeSnapshot::new(&located, &workspace::pathspecs(&globs))?;
    Ok(Side {
        root,
        prefix,
        worktree: true,
        snap: Box::new(snap),
        outer: None,
        config,
    })
}

/// A revision as one side (the base of a diff), with the configuration it holds.
pub(crate) fn open_revision(opts: &Options, rev: &str) -> Result<Side> {
    revision_side(opts, Some(rev))
}

/// The revision `rev` (the git index when `None`) as one side, with its configuration.
fn revision_side(opts: &Options, rev: Option<&str>) -> Result<Side> {
    let located = locate_root(opts)?;
    let root = located.root.clone();
    let prefix = located.prefix.clone();
    let outer = outer_snapshot(opts, &prefix, rev)?;
    let snap = revision(located, rev)?;
    let config = read_config(
        opts,
        Reader {
            root: &root,
            prefix: &prefix,
            snap: Some(&snap),
            outer: outer.as_deref(),
        },
    )?;
    Ok(Side {
        root,
        prefix,
        worktree: false,
        snap: Box::new(snap),
        outer,
        config,
    })
}

/// The configuration file a snapshot holds, if any, and its text.
pub(crate) fn config_text(snap: &dyn Snapshot) -> Option<(String, Vec<u8>)> {
    config::LOCATIONS
        .iter()
        .find_map(|loc| Some(((*loc).to_string(), snap.read(loc, 1024 * 1024).ok()??)))
}

/// The `.rego` files under the configuration's policy directories, read from a snapshot.
pub(crate) fn policy_files_in(snap: &dyn Snapshot, config: &Config) -> Result<Vec<UserFile>> {
    let files = snap.files()?;
    let mut out = Vec::new();
    for dir in &config.policies {
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        for f in files
            .iter()
            .filter(|f| f.starts_with(&prefix) && f.ends_with(".rego"))
        {
            let bytes = snap
                .read(f, crate::plan::MAX_FILE_BYTES)
                .map_err(anyhow::Error::new)?
                .unwrap_or_default();
            out.push(UserFile {
                shown: f.clone(),
                text: plan::decode_utf8(f, bytes)?,
            });
        }
    }
    Ok(out)
}

/// Loads the policies: the configuration's directories, `--policy`, `--data`, the timer.
/// With `trusted`, everything inside the repository (the configuration's `policies` and
/// `data`, and `--policy`/`--data` paths in the repository) is read from that side's git
/// objects (the base, in diff mode), never from the working tree.
pub(crate) fn load_policies(
    opts: &Options,
    root: &Path,
    config: &Config,
    trusted: Option<Reader<'_>>,
) -> Result<PolicySet> {
    let trusted = trusted.filter(|t| t.snap.is_some());
    let mut files = match trusted.and_then(|t| t.snap) {
        Some(snap) => policy_files_in(snap, config)?,
        None => {
            let mut files = Vec::new();
            for d in &config.policies {
                let dir = PolicyDir::new(root.join(d), d.as_str());
                let found = crate::policy::read_dir_files(&dir)?;
                if found.is_empty() {
                    return Err(Advice::new(
                        format!("{d}: no .rego files found"),
                        "fix `policies` in the configuration",
                    )
                    .into());
                }
                files.extend(found);
            }
            files
        }
    };
    for d in &opts.policies {
        let shown = d.display().to_string();
        let found = match trusted.map(|t| (t, place(t.root, t.prefix, d))) {
            Some((
                Reader {
                    snap: Some(snap), ..
                },
                Place::Root(rel),
            )) => rego_files_under(snap, &rel)?,
            Some((t, Place::Repo(rel))) => match t.outer {
                Some(outer) => rego_files_under(outer, &rel)?,
                None => Vec::new(),
            },
            _ => crate::policy::read_dir_files(&PolicyDir::new(d, shown.as_str()))?,
        };
        if found.iter().all(UserFile::is_test) {
            return Err(Advice::new(
                format!("{shown}: no .rego files found"),
                "point --policy at a directory holding your Rego policies",
            )
            .into());
        }
        files.extend(found);
    }
    let mut policies = PolicySet::from_files(files, &opts.namespaces, false)?;
    if let Some(t) = opts.timeout.or(config.timeout) {
        policies.timeout = t;
    }
    let data = config.data.iter().map(|d| (root.join(d), d.clone())).chain(
        opts.data
            .iter()
            .map(|d| (d.clone(), d.display().to_string())),
    );
    for (path, shown) in data {
        match trusted.map(|t| (t, place(t.root, t.prefix, &path))) {
            Some((t, Place::Root(rel) | Place::Repo(rel))) => {
                let bytes = t.read(&path, plan::MAX_FILE_BYTES)?.ok_or_else(|| {
                    Advice::new(
                        format!(
                            "{shown}: data file not found in {}",
                            t.snap.map_or_else(String::new, Snapshot::describe)
                        ),
                        "policy data is read from the base revision in diff mode: commit the file there first, or pass --trusted-policies head",
                    )
                })?;
                policies.add_data_text(&rel, &plan::decode_utf8(&rel, bytes)?)?;
            }
            _ => policies.add_data_file(&path, &shown)?,
        }
    }
    config.validate_rules(&policies.rule_ids())?;
    Ok(policies)
}

/// The `.rego` files under `dir` (relative to the snapshot's root) in a snapshot.
fn rego_files_under(snap: &dyn Snapshot, dir: &str) -> Result<Vec<UserFile>> {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{}/", dir.trim_end_matches('/'))
    };
    let mut out = Vec::new();
    for f in snap
        .files()?
        .into_iter()
        .filter(|f| f.starts_with(&prefix) && f.ends_with(".rego"))
    {
        let bytes = snap
            .read(&f, plan::MAX_FILE_BYTES)
            .map_err(anyhow::Error::new)?
            .unwrap_or_default();
        out.push(UserFile {
            text: plan::decode_utf8(&f, bytes)?,
            shown: f,
        });
    }
    Ok(out)
}

/// Loads the workspace of a side with the given (possibly another side's) configuration.
pub(crate) fn finish(
    snap: &dyn Snapshot,
    config: Config,
    policies: PolicySet,
    now: &str,
) -> Result<Opened> {
    let workspace = workspace::load(snap, config)?;
    Ok(Opened {
        workspace,
        policies,
        now: now.to_string(),
    })
}

/// Finds the repository, reads the configuration, loads policies and the workspace.
pub fn open(opts: &Options) -> Result<Opened> {
    let side = open_head(opts, &[])?;
    let policies = load_policies(opts, &side.root, &side.config, None)?;
    let now = resolve_now(opts.now.as_deref())?;
    finish(side.snap.as_ref(), side.config, policies, &now).map_err(|e| explain(e, opts))
}

/// Plan files in the working tree (tracked or not) that the globs match.
fn worktree_plans(opts: &Options, globs: &[String]) -> Vec<String> {
    let Ok(located) = locate_root(opts) else {
        return Vec::new();
    };
    WorktreeSnapshot::new(&located, &workspace::pathspecs(globs))
        .and_then(|snap| workspace::plan_paths(&snap, globs))
        .unwrap_or_default()
}

/// `--staged`: plan files whose working-tree state is not what is staged (new, modified or
/// deleted since `git add`), so the check does not see them as they are now.
pub fn unstaged_plans(opts: &Options, globs: &[String]) -> Vec<String> {
    let Ok(located) = locate_root(opts) else {
        return Vec::new();
    };
    let prefix = if located.prefix.is_empty() {
        String::new()
    } else {
        format!("{}/", located.prefix)
    };
    let mut out = Vec::new();
    for path in worktree_plans(opts, globs) {
        let Ok(status) = located
            .repo
            .status_file(Path::new(&format!("{prefix}{path}")))
        else {
            continue;
        };
        let what = if status.contains(git2::Status::WT_NEW) {
            "new, not staged"
        } else if status.contains(git2::Status::WT_MODIFIED) {
            "modified, changes not staged"
        } else if status.contains(git2::Status::WT_DELETED) {
            "deleted, not staged"
        } else {
            continue;
        };
        out.push(format!("{path} ({what})"));
    }
    out
}

/// An error with advice that fits what was asked: no plan files in the staged changes while
/// the working tree has one means "stage it"; no plan anywhere means `plancheck init`.
pub fn explain(err: anyhow::Error, opts: &Options) -> anyhow::Error {
    let Some(missing) = err.downcast_ref::<workspace::NoPlanFiles>() else {
        return err;
    };
    let looked = missing.globs.join(", ");
    let here = worktree_plans(opts, &missing.globs);
    let empty_repo = locate_root(opts)
        .ok()
        .and_then(|r| r.repo.is_empty().ok())
        .unwrap_or(false);
    let init = "run `plancheck init` to write a starter plan (incident-response/plan.yaml), or set `plans` in .plancheck.toml if your plan lives elsewhere";
    let files = here.join(" ");
    let advice = match (&opts.rev, opts.staged, here.is_empty()) {
        (_, true, false) => Advice::new(
            format!("no plan files are staged (looked for {looked}); --staged checks what `git commit` would record"),
            format!("stage it: git add {files}"),
        ),
        (Some(rev), _, false) => Advice::new(
            format!("no plan files in {} (looked for {looked})", missing.read_from),
            format!("the plan is in the working tree but not in `{rev}`: commit it (git add {files} && git commit), or drop --rev"),
        ),
        _ if empty_repo => Advice::new(
            format!("this repository has no commits and no plan files yet (looked for {looked})"),
            init,
        ),
        _ => Advice::new(
            format!("no plan files found in {} (looked for {looked})", missing.read_from),
            init,
        ),
    };
    advice.into()
}

/// The input document policies see.
pub fn input_document(opened: &Opened) -> (Value, Vec<Finding>) {
    input::build(&opened.workspace, &opened.now)
}

#[derive(Debug)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    /// Findings a waiver or an `exception` rule suppressed, each with its reason.
    pub suppressed: Vec<Finding>,
    /// Unexpired waivers that matched no finding (stale, or with a typo in rule or target).
    pub unused_waivers: Vec<UnusedWaiver>,
    /// True when schema errors kept the policies from running.
    pub policies_skipped: bool,
    /// The input document the policies saw.
    pub input: Value,
}

/// Runs every enabled rule and returns located, sorted findings.
pub fn check(opened: &Opened) -> Result<Outcome> {
    let ws = &opened.workspace;
    let cfg = &ws.config;
    let (input, mut findings) = input_document(opened);
    findings.extend(input::schema_findings(ws));
    let policies_skipped = !findings.is_empty();
    let mut exemptions = Vec::new();
    if !policies_skipped {
        let selected: Vec<usize> = opened
            .policies
            .selected()
            .into_iter()
            .filter(|&i| {
                let id = &opened.policies.rules[i].id;
                !cfg.rules.get(id).is_some_and(|c| c.disable)
            })
            .collect();
        let data = crate::policy::config_data(cfg);
        let eval = opened.policies.evaluate(&input, data, &selected)?;
        exemptions = eval.exemptions;
        for r in eval.results {
            let rule = &opened.policies.rules[r.rule];
            let (location, subject, one_thing) = input::locate(ws, r.path.as_deref());
            let mut finding = if one_thing {
                Finding::about(&rule.id, r.severity, r.message, location, subject)
            } else {
                Finding::new(&rule.id, r.severity, r.message, location, subject)
            }
            .with_help(r.help.or_else(|| rule.help.clone()));
            if let Some((path, message)) = r.related {
                let (location, _, _) = input::locate(ws, Some(&path));
                finding
                    .related
                    .push(crate::finding::Related { message, location });
            }
            finding.plan_path = match r.path.as_deref() {
                Some([plan::Seg::Key(root), rest @ ..]) if root == "plan" => Some(rest.to_vec()),
                _ => None,
            };
            findings.push(finding);
        }
    }
    for f in &mut findings {
        if let Some(sev) = cfg.rules.get(&f.rule).and_then(|c| c.severity) {
            f.severity = sev;
        }
    }
    findings.retain(|f| !cfg.rules.get(&f.rule).is_some_and(|c| c.disable));
    let mut suppressed = Vec::new();
    let policies = &opened.policies;
    for ex in &exemptions {
        let rule = &policies.rules[ex.rule];
        let decl = &policies.exceptions[ex.exception];
        let suppression = Suppression {
            kind: SuppressionKind::Exception,
            reason: ex
                .reason
                .clone()
                .unwrap_or_else(|| format!("exception in package {}", decl.package)),
            location: Location {
                path: decl.file.clone(),
                line: decl.line,
                column: 1,
            },
            expires: None,
        };
        let (gone, kept): (Vec<Finding>, Vec<Finding>) =
            findings.into_iter().partition(|f| f.rule == rule.id);
        findings = kept;
        suppressed.extend(gone.into_iter().map(|mut f| {
            f.suppressed = Some(suppression.clone());
            f
        }));
    }
    let mut unused_waivers = Vec::new();
    let (schema_waivers, waivers): (Vec<Waiver>, Vec<Waiver>) = waivers(ws, &input)
        .into_iter()
        .partition(|w| w.rule == crate::policy::SCHEMA_RULE);
    for w in schema_waivers {
        // No other rule runs while the schema is broken: waiving it would pass an unchecked plan.
        findings.push(
            Finding::about(
                crate::policy::SCHEMA_RULE,
                crate::finding::Severity::Error,
                format!(
                    "a waiver cannot silence {}: no other rule runs on a plan that breaks the schema",
                    crate::policy::SCHEMA_RULE
                ),
                w.location.clone(),
                w.subject.clone(),
            )
            .with_help(Some(
                "remove the waiver and fix the plan where the schema finding points".into(),
            )),
        );
    }
    for w in waivers {
        if w.expires < crate::oncall::now::date(&opened.now) {
            // Expired: it no longer suppresses; `waiver-expired` reports it.
            continue;
        }
        let hit = |f: &Finding| {
            f.rule == w.rule
                && (f.subject_ids().contains(&w.target.as_str()) || f.location.path == w.target)
        };
        let (gone, kept): (Vec<Finding>, Vec<Finding>) = findings.into_iter().partition(hit);
        findings = kept;
        if gone.is_empty() && !policies_skipped {
            unused_waivers.push(UnusedWaiver {
                rule: w.rule.clone(),
                target: w.target.clone(),
                location: w.location.clone(),
            });
        }
        suppressed.extend(gone.into_iter().map(|mut f| {
            f.suppressed = Some(Suppression {
                kind: SuppressionKind::Waiver,
                reason: w.reason.clone(),
                location: w.location.clone(),
                expires: Some(w.expires.clone()),
            });
            f
        }));
    }
    normalize(&mut findings);
    normalize(&mut suppressed);
    Ok(Outcome {
        findings,
        suppressed,
        unused_waivers,
        policies_skipped,
        input,
    })
}

pub(crate) struct Waiver {
    pub rule: String,
    pub target: String,
    pub reason: String,
    pub expires: String,
    pub location: Location,
    /// The waiver's stable key (`plan.waivers[rule:target]`).
    pub subject: String,
}

/// The plan's waivers that are complete enough to apply (the schema reports the others).
pub(crate) fn waivers(ws: &Workspace, input: &Value) -> Vec<Waiver> {
    let Ok(list) = input["plan"]["waivers"].as_array() else {
        return Vec::new();
    };
    let text = |w: &Value, key: &str| w[key].as_string().ok().map(|s| s.to_string());
    list.iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let path = [
                plan::Seg::Key("plan".into()),
                plan::Seg::Key("waivers".into()),
                plan::Seg::Index(i),
            ];
            let (location, subject, _) = input::locate(ws, Some(&path));
            Some(Waiver {
                rule: text(w, "rule")?,
                target: text(w, "target")?,
                reason: text(w, "reason").unwrap_or_default(),
                expires: text(w, "expires").unwrap_or_else(|| "9999-12-31".into()),
                location,
                subject,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn days_since_epoch_become_dates() {
        assert_eq!(civil_from_days(0), "1970-01-01");
        assert_eq!(civil_from_days(20_781), "2026-11-24");
        assert_eq!(civil_from_days(11_016), "2000-02-29");
    }
}
