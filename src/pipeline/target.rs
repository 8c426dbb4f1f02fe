//! What a run looks at: the root `plancheck check PATH` names, the selection inside it, and
//! advice when no plan is found there.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::open::locate_root;
use super::Options;
use crate::error::Advice;
use crate::snapshot::{self, WorktreeSnapshot};
use crate::{config, workspace};

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
