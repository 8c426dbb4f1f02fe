//! Opening one side of a run: the repository, a snapshot of the worktree or a revision, and
//! the configuration it holds.

use std::path::PathBuf;

use anyhow::{Context, Result};

use super::policies::load_policies;
use super::target::explain;
use super::Options;
use crate::check::Opened;
use crate::clock::resolve_now;
use crate::config::{read_config, Config};
use crate::policy::PolicySet;
use crate::snapshot::{self, Reader, RevisionSnapshot, Snapshot, WorktreeSnapshot};
use crate::workspace;

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
        opts.config.as_deref(),
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

/// A revision as one side with the default configuration: a base whose own configuration
/// cannot be read.
pub(crate) fn open_revision_unconfigured(opts: &Options, rev: &str) -> Result<Side> {
    revision_side_with(opts, Some(rev), false)
}

/// The revision `rev` (the git index when `None`) as one side, with its configuration.
fn revision_side(opts: &Options, rev: Option<&str>) -> Result<Side> {
    revision_side_with(opts, rev, true)
}

/// The revision `rev` as one side: with the configuration it holds, or the defaults.
fn revision_side_with(opts: &Options, rev: Option<&str>, configured: bool) -> Result<Side> {
    let located = locate_root(opts)?;
    let root = located.root.clone();
    let prefix = located.prefix.clone();
    let outer = outer_snapshot(opts, &prefix, rev)?;
    let snap = revision(located, rev)?;
    let config = if configured {
        read_config(
            opts.config.as_deref(),
            Reader {
                root: &root,
                prefix: &prefix,
                snap: Some(&snap),
                outer: outer.as_deref(),
            },
        )?
    } else {
        Config::default()
    };
    Ok(Side {
        root,
        prefix,
        worktree: false,
        snap: Box::new(snap),
        outer,
        config,
    })
}

/// Loads the workspace of a side with the given (possibly another side's) configuration.
pub(crate) fn finish(
    snap: &dyn Snapshot,
    config: Config,
    policies: PolicySet,
    now: &str,
) -> Result<Opened> {
    finish_with(snap, config, policies, now, workspace::Parsing::default())
}

/// [`finish`], parsing as `parsing` says (diff mode shares parses of identical files).
pub(crate) fn finish_with(
    snap: &dyn Snapshot,
    config: Config,
    policies: PolicySet,
    now: &str,
    parsing: workspace::Parsing,
) -> Result<Opened> {
    let workspace = workspace::load_with(snap, config, parsing)?;
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
