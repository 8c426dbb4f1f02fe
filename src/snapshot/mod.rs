//! Where files come from: the working tree or a git revision, behind one interface.
//!
//! Paths are relative to the checked root (the repository root, or the directory given
//! on the command line) and use `/`.

mod memory;
mod place;
mod reader;
mod revision;
mod text;
mod unreadable;
mod worktree;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use git2::Repository;

pub use memory::MemorySnapshot;
pub use place::{place, within, Place};
pub use reader::Reader;
pub use revision::RevisionSnapshot;
pub use text::decode_utf8;
pub use worktree::WorktreeSnapshot;

use crate::error::Advice;

/// A file that could not be read as asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: file is {size} bytes, over the {limit}-byte limit")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: is a symbolic link to {target}, outside the repository; plancheck does not follow it")]
    SymlinkOutside { path: String, target: String },
    #[error("{path}: is a symbolic link to `{target}`, which does not exist")]
    DanglingLink { path: String, target: String },
    #[error("{path}: is a symbolic link to `{target}`, a directory, not a file")]
    LinkToDirectory { path: String, target: String },
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
    let repo = Repository::discover(&abs).map_err(|e| discover_error(&abs, &e))?;
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
        match within(&workdir, dir) {
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

/// Why no repository could be opened: none there, or git could not read what it needs (its
/// configuration under HOME, the repository's own files), in git's words.
fn discover_error(dir: &Path, e: &git2::Error) -> Advice {
    if e.code() == git2::ErrorCode::NotFound {
        return Advice::new(
            format!("{}: not inside a git repository", dir.display()),
            "plancheck reads the files git tracks; run it inside a repository (or `git init && git add -A` first)",
        );
    }
    let help = if e.class() == git2::ErrorClass::Config {
        "git could not read its configuration: fix or make readable the file named (often ~/.gitconfig, under HOME), or point HOME elsewhere"
    } else {
        "git could not read the repository: check that its .git directory and the directories above it are readable by this user"
    };
    Advice::new(
        format!(
            "{}: cannot open the git repository: {}",
            dir.display(),
            e.message()
        ),
        help,
    )
}

/// What to do about a revision git cannot find, fitted to the cause: a shallow clone lacks
/// history (fetch it); a commit id may just not be fetched; a name is most likely mistyped
/// (the branches and tags with a close name, else the ones there are).
pub fn missing_revision_help(repo: &Repository, rev: &str) -> String {
    if repo.is_shallow() {
        return "this is a shallow clone, which lacks that history: fetch it (actions/checkout: fetch-depth: 0, or `git fetch --unshallow`)".into();
    }
    let name = rev.split(['~', '^', '@', ':']).next().unwrap_or(rev);
    let hex = name.len() >= 7 && name.chars().all(|c| c.is_ascii_hexdigit());
    if hex {
        return format!("no commit `{name}` in this clone: check the id, or fetch it (`git fetch origin {name}`)");
    }
    let mut names: Vec<String> = Vec::new();
    if let Ok(refs) = repo.references() {
        for r in refs.flatten() {
            if let Ok(short) = r.shorthand() {
                if r.is_branch() || r.is_tag() || r.is_remote() {
                    names.push(short.to_string());
                }
            }
        }
    }
    names.sort();
    names.dedup();
    let close: Vec<&String> = names
        .iter()
        .filter(|n| edit_distance(n, name) <= 2.min(name.len() / 2).max(1))
        .collect();
    if !close.is_empty() {
        let list: Vec<String> = close.iter().map(|n| format!("`{n}`")).collect();
        return format!("did you mean {}?", list.join(" or "));
    }
    if let Some((remote, branch)) = name.split_once('/') {
        if repo.find_remote(remote).is_ok() {
            return format!("fetch it first: `git fetch {remote} {branch}`");
        }
    }
    if names.is_empty() {
        return "check the name: this repository has no branches or tags yet".into();
    }
    let shown: Vec<String> = names.iter().take(8).map(|n| format!("`{n}`")).collect();
    format!(
        "check the name; branches and tags here: {}{}",
        shown.join(", "),
        if names.len() > 8 { ", …" } else { "" }
    )
}

/// Levenshtein distance, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
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
    use super::{edit_distance, resolve_link};

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("mian", "main"), 2);
        assert_eq!(edit_distance("mai", "main"), 1);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("feature", "feature"), 0);
    }

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
