//! The working tree as it is on disk, with git's index telling what is tracked.

use std::path::PathBuf;

use anyhow::{Context, Result};
use git2::{Repository, StatusOptions};

use super::{resolve_link, ReadError, RepoRoot, Snapshot};

pub struct WorktreeSnapshot {
    root: PathBuf,
    repo_root: PathBuf,
    prefix: String,
    tracked: Vec<String>,
    untracked: Vec<String>,
    undecodable: Vec<String>,
}

impl WorktreeSnapshot {
    /// `pathspecs` narrows the search for untracked files (plan locations); tracked files are all listed.
    pub fn new(loc: &RepoRoot, pathspecs: &[String]) -> Result<Self> {
        Self::build(loc, Some(pathspecs))
    }

    /// The tracked files and the files on disk, without searching for untracked files: that
    /// search (git status) walks the whole work tree, which a command reading only known
    /// paths (`plancheck owners`: CODEOWNERS, the paths asked about) does not need.
    pub fn tracked_only(loc: &RepoRoot) -> Result<Self> {
        Self::build(loc, None)
    }

    fn build(loc: &RepoRoot, untracked_in: Option<&[String]>) -> Result<Self> {
        let repo: &Repository = &loc.repo;
        let repo_root = repo
            .workdir()
            .map(|p| p.canonicalize().unwrap_or_else(|_| p.to_path_buf()))
            .context("the repository has no working tree; pass --rev to read a revision")?;
        let prefix = if loc.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", loc.prefix)
        };
        let index = repo.index().context("cannot read the git index")?;
        let mut undecodable = Vec::new();
        let mut sort = |bytes: &[u8], into: &mut Vec<String>| {
            let (valid, p) = match std::str::from_utf8(bytes) {
                Ok(p) => (true, p.to_string()),
                Err(_) => (false, String::from_utf8_lossy(bytes).into_owned()),
            };
            if let Some(rel) = p.strip_prefix(&prefix) {
                if valid {
                    into.push(rel.to_string());
                } else {
                    undecodable.push(rel.to_string());
                }
            }
        };
        let mut tracked = Vec::new();
        for e in index.iter() {
            sort(&e.path, &mut tracked);
        }
        let mut untracked = Vec::new();
        if let Some(pathspecs) = untracked_in {
            let mut opts = StatusOptions::new();
            opts.include_untracked(true)
                .recurse_untracked_dirs(true)
                .include_ignored(false)
                .exclude_submodules(true)
                .include_unmodified(false);
            for spec in pathspecs {
                opts.pathspec(format!("{prefix}{spec}"));
            }
            let statuses = repo.statuses(Some(&mut opts)).map_err(|e| {
                super::unreadable::git_error(&e, &repo_root, "cannot list the working tree's files")
            })?;
            super::unreadable::unreadable_dirs(repo, &repo_root, &prefix, pathspecs)?;
            for s in statuses.iter().filter(|s| s.status().is_wt_new()) {
                sort(s.path_bytes(), &mut untracked);
            }
        }
        undecodable.sort();
        undecodable.dedup();
        Ok(WorktreeSnapshot {
            root: loc.root.clone(),
            repo_root,
            prefix,
            tracked,
            untracked,
            undecodable,
        })
    }
}

impl Snapshot for WorktreeSnapshot {
    fn describe(&self) -> String {
        "the working tree".into()
    }

    fn files(&self) -> Result<Vec<String>> {
        let mut all: Vec<String> = self
            .tracked
            .iter()
            .chain(&self.untracked)
            .cloned()
            .collect();
        all.sort();
        all.dedup();
        Ok(all)
    }

    fn tracked(&self) -> Result<Vec<String>> {
        Ok(self.tracked.clone())
    }

    fn undecodable(&self) -> Vec<String> {
        self.undecodable.clone()
    }

    fn size(&self, path: &str) -> Option<u64> {
        std::fs::metadata(self.root.join(path))
            .ok()
            .map(|m| m.len())
    }

    fn read(&self, path: &str, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
        let mut current = path.to_string();
        // The target of the last link followed: a link to nothing or to a directory is an
        // error naming it, as for a revision, never a silent skip.
        let mut followed: Option<String> = None;
        for _ in 0..8 {
            let full = self.root.join(&current);
            let meta = match std::fs::symlink_metadata(&full) {
                Ok(m) => m,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return match followed {
                        Some(target) => Err(ReadError::DanglingLink {
                            path: path.into(),
                            target,
                        }),
                        None => Ok(None),
                    }
                }
                Err(e) => {
                    return Err(ReadError::Other {
                        path: path.into(),
                        message: e.to_string(),
                    })
                }
            };
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&full).map_err(|e| ReadError::Other {
                    path: path.into(),
                    message: e.to_string(),
                })?;
                let target = target.to_string_lossy().into_owned();
                // Resolve against the repository, so a link may point anywhere inside it.
                let repo_path = format!("{}{}", self.prefix, current);
                match resolve_link(&repo_path, &target) {
                    Some(inside) if self.repo_root.join(&inside).starts_with(&self.repo_root) => {
                        match inside.strip_prefix(&self.prefix) {
                            Some(rel) => {
                                current = rel.to_string();
                                followed = Some(target);
                            }
                            None => {
                                return Err(ReadError::SymlinkOutside {
                                    path: path.into(),
                                    target,
                                })
                            }
                        }
                        continue;
                    }
                    _ => {
                        return Err(ReadError::SymlinkOutside {
                            path: path.into(),
                            target,
                        })
                    }
                }
            }
            if let (true, Some(target)) = (meta.is_dir(), &followed) {
                return Err(ReadError::LinkToDirectory {
                    path: path.into(),
                    target: target.clone(),
                });
            }
            if meta.len() > limit {
                return Err(ReadError::TooLarge {
                    path: path.into(),
                    size: meta.len(),
                    limit,
                });
            }
            return std::fs::read(&full).map(Some).map_err(|e| ReadError::Other {
                path: path.into(),
                message: match e.kind() {
                    std::io::ErrorKind::PermissionDenied => format!(
                        "cannot be read: permission denied; make it readable by the user running plancheck (chmod a+r '{path}')"
                    ),
                    _ => e.to_string(),
                },
            });
        }
        Err(ReadError::Other {
            path: path.into(),
            message: "too many levels of symbolic links".into(),
        })
    }
}
