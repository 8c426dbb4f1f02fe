//! Where files come from: the working tree or a git revision, behind one interface.
//!
//! Paths are relative to the checked root (the repository root, or the directory given
//! on the command line) and use `/`.

mod memory;
mod revision;
mod worktree;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use git2::Repository;

pub use memory::MemorySnapshot;
pub use revision::RevisionSnapshot;
pub use worktree::WorktreeSnapshot;

use crate::error::Advice;

/// A file that could not be read as asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: file is {size} bytes, over the {limit}-byte limit")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: is a symbolic link to {target}, outside the repository; plancheck does not follow it")]
    SymlinkOutside { path: String, target: String },
    #[error("{path}: {message}")]
    Other { path: String, message: String },
}

pub trait Snapshot: Send + Sync {
    /// "the working tree" or "revision abc1234".
    fn describe(&self) -> String;
    /// Files that exist in this snapshot, tracked or (in the working tree) untracked but not ignored.
    fn files(&self) -> Result<Vec<String>>;
    /// Files git tracks (the index for the working tree, the tree for a revision).
    fn tracked(&self) -> Result<Vec<String>>;
    /// Reads a file; `Ok(None)` when it does not exist.
    fn read(&self, path: &str, limit: u64) -> Result<Option<Vec<u8>>, ReadError>;
    /// The file's size in bytes, when it exists.
    fn size(&self, path: &str) -> Option<u64>;
    /// Files whose names are not valid UTF-8, shown lossily: no path can name them, so they
    /// are never in [`Snapshot::files`]; a plan file among them is an error, never skipped.
    fn undecodable(&self) -> Vec<String> {
        Vec::new()
    }
}

/// The git repository that holds `dir`, and `dir`'s path inside its working tree.
pub struct RepoRoot {
    pub repo: Repository,
    /// Directory to check, relative to the repository's working tree ("" at the top).
    pub prefix: String,
    /// Absolute directory being checked.
    pub root: PathBuf,
}

/// Finds the repository from `dir` (or any subdirectory of it).
///
/// With `explicit_root` the directory itself is the root being checked (a plan repository
/// kept inside a larger one, like the bundled fixtures); otherwise the repository's top.
pub fn locate(dir: &Path, explicit_root: bool) -> Result<RepoRoot> {
    let abs = dir
        .canonicalize()
        .with_context(|| format!("{}: cannot open directory", dir.display()))?;
    let repo = Repository::discover(&abs).map_err(|_| {
        Advice::new(
            format!("{}: not inside a git repository", abs.display()),
            "plancheck reads the files git tracks; run it inside a repository (or `git init && git add -A` first)",
        )
    })?;
    let Some(workdir) = repo.workdir().map(Path::to_path_buf) else {
        let root = abs.clone();
        return Ok(RepoRoot {
            repo,
            prefix: String::new(),
            root,
        });
    };
    let workdir = workdir.canonicalize().unwrap_or(workdir);
    let (prefix, root) = if explicit_root {
        // By name, not through links inside the repository: a directory the change turned
        // into a link must not move the checked root (and with it what is read from the base).
        match crate::check::within(&workdir, dir) {
            Some(rel) if rel.is_empty() => (rel, workdir),
            Some(rel) => {
                let root = workdir.join(&rel);
                (rel, root)
            }
            None => {
                let rel = abs.strip_prefix(&workdir).unwrap_or(Path::new(""));
                (to_slash(rel), abs.clone())
            }
        }
    } else {
        (String::new(), workdir)
    };
    Ok(RepoRoot { repo, prefix, root })
}

pub fn to_slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Resolves a symlink target written inside the repository to a repository path,
/// or `None` when it leaves the repository.
pub(crate) fn resolve_link(link_path: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = link_path.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::resolve_link;

    #[test]
    fn links_resolve_within_the_repository_only() {
        assert_eq!(
            resolve_link("a/b/plan.yaml", "../c.yaml").as_deref(),
            Some("a/c.yaml")
        );
        assert_eq!(resolve_link("plan.yaml", "../../etc/passwd"), None);
        assert_eq!(resolve_link("plan.yaml", "/etc/passwd"), None);
    }
}
