//! A git revision read straight from the object database: no checkout, works in bare clones.

use std::sync::Mutex;

use anyhow::{Context, Result};
use git2::{ObjectType, Oid};

use super::{resolve_link, ReadError, RepoRoot, Snapshot};
use crate::error::Advice;

pub struct RevisionSnapshot {
    repo: Mutex<git2::Repository>,
    /// "revision main (abc123)" or "the staged changes (git index)".
    label: String,
    /// The tree of the checked root (a subtree when checking a directory inside the repository).
    tree: Option<Oid>,
    prefix: String,
    files: Vec<String>,
    /// Blobs whose path is not valid UTF-8, shown lossily.
    undecodable: Vec<String>,
}

impl RevisionSnapshot {
    pub fn new(loc: RepoRoot, rev: &str) -> Result<Self> {
        let repo = loc.repo;
        let object = repo.revparse_single(rev).map_err(|e| {
            let empty = repo.is_empty().unwrap_or(false);
            if empty {
                Advice::new(
                    format!("revision `{rev}` does not exist: the repository has no commits yet"),
                    "commit the plan first, or check the working tree (drop --rev); no plan yet? `plancheck init` writes a starter plan",
                )
            } else {
                Advice::new(
                    format!("revision `{rev}` not found in {}: {}", repo.path().display(), e.message()),
                    super::missing_revision_help(&repo, rev),
                )
            }
        })?;
        let commit = object
            .peel_to_commit()
            .with_context(|| format!("revision `{rev}` is not a commit"))?;
        let tree = commit.tree().context("cannot read the commit's tree")?.id();
        let label = {
            let short = commit.id().to_string();
            format!("revision {rev} ({})", &short[..short.len().min(12)])
        };
        drop(commit);
        drop(object);
        Self::from_tree(loc.prefix, repo, tree, label)
    }

    /// The staged state: the tree the index would commit (what a pre-commit hook must judge).
    pub fn staged(loc: RepoRoot) -> Result<Self> {
        let repo = loc.repo;
        let mut index = repo.index().context("cannot read the git index")?;
        if index.has_conflicts() {
            return Err(Advice::new(
                "the git index has unresolved conflicts",
                "resolve them and `git add` the files, then run plancheck again",
            )
            .into());
        }
        let tree = index.write_tree().map_err(|e| {
            Advice::new(
                format!("cannot build a tree from the git index: {}", e.message()),
                "plancheck --staged writes the staged tree to the object database, as `git commit` would; check that .git is writable",
            )
        })?;
        drop(index);
        Self::from_tree(
            loc.prefix,
            repo,
            tree,
            "the staged changes (git index)".into(),
        )
    }

    fn from_tree(
        prefix: String,
        repo: git2::Repository,
        root_tree: Oid,
        label: String,
    ) -> Result<Self> {
        let root_tree = repo.find_tree(root_tree).context("cannot read tree")?;
        let tree = if prefix.is_empty() {
            Some(root_tree.id())
        } else {
            match root_tree.get_path(std::path::Path::new(&prefix)) {
                Ok(entry) if entry.kind() == Some(ObjectType::Tree) => Some(entry.id()),
                _ => None,
            }
        };
        let mut files = Vec::new();
        let mut undecodable = Vec::new();
        if let Some(tree) = tree {
            let tree = repo.find_tree(tree).context("cannot read tree")?;
            walk(&repo, &tree, &mut Vec::new(), &mut files, &mut undecodable)
                .context("cannot walk tree")?;
        }
        files.sort();
        undecodable.sort();
        drop(root_tree);
        Ok(RevisionSnapshot {
            repo: Mutex::new(repo),
            label,
            tree,
            prefix,
            files,
            undecodable,
        })
    }

    fn lookup(&self, repo: &git2::Repository, path: &str) -> Result<Option<(Oid, i32)>, ReadError> {
        let Some(tree) = self.tree else {
            return Ok(None);
        };
        let tree = repo.find_tree(tree).map_err(|e| other(path, &e))?;
        match tree.get_path(std::path::Path::new(path)) {
            Ok(entry) => Ok(Some((entry.id(), entry.filemode()))),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(other(path, &e)),
        }
    }
}

/// Every blob under `tree`, by path bytes: valid UTF-8 paths into `files`, the others (shown
/// lossily) into `undecodable` (git2's own walk cannot pass such a directory name).
fn walk(
    repo: &git2::Repository,
    tree: &git2::Tree<'_>,
    dir: &mut Vec<u8>,
    files: &mut Vec<String>,
    undecodable: &mut Vec<String>,
) -> Result<(), git2::Error> {
    for entry in tree.iter() {
        let len = dir.len();
        dir.extend_from_slice(entry.name_bytes());
        match entry.kind() {
            Some(ObjectType::Tree) => {
                let sub = repo.find_tree(entry.id())?;
                dir.push(b'/');
                walk(repo, &sub, dir, files, undecodable)?;
            }
            Some(ObjectType::Blob) => match std::str::from_utf8(dir) {
                Ok(p) => files.push(p.to_string()),
                Err(_) => undecodable.push(String::from_utf8_lossy(dir).into_owned()),
            },
            _ => {}
        }
        dir.truncate(len);
    }
    Ok(())
}

fn other(path: &str, e: &git2::Error) -> ReadError {
    ReadError::Other {
        path: path.into(),
        message: e.message().to_string(),
    }
}

impl Snapshot for RevisionSnapshot {
    fn describe(&self) -> String {
        self.label.clone()
    }

    fn files(&self) -> Result<Vec<String>> {
        Ok(self.files.clone())
    }

    fn tracked(&self) -> Result<Vec<String>> {
        Ok(self.files.clone())
    }

    fn undecodable(&self) -> Vec<String> {
        self.undecodable.clone()
    }

    fn size(&self, path: &str) -> Option<u64> {
        let repo = self.repo.lock().ok()?;
        let (id, _) = self.lookup(&repo, path).ok()??;
        let (size, _) = repo.odb().ok()?.read_header(id).ok()?;
        u64::try_from(size).ok()
    }

    fn read(&self, path: &str, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
        let repo = self.repo.lock().map_err(|_| ReadError::Other {
            path: path.into(),
            message: "repository lock poisoned".into(),
        })?;
        let mut current = path.to_string();
        // The target of the last link followed (see the working tree's `read`).
        let mut followed: Option<String> = None;
        for _ in 0..8 {
            let Some((id, mode)) = self.lookup(&repo, &current)? else {
                return match followed {
                    Some(target) => Err(ReadError::DanglingLink {
                        path: path.into(),
                        target,
                    }),
                    None => Ok(None),
                };
            };
            let odb = repo.odb().map_err(|e| other(path, &e))?;
            let (size, kind) = odb.read_header(id).map_err(|e| other(path, &e))?;
            if kind != ObjectType::Blob {
                return match (kind, followed) {
                    (ObjectType::Tree, Some(target)) => Err(ReadError::LinkToDirectory {
                        path: path.into(),
                        target,
                    }),
                    _ => Ok(None),
                };
            }
            let size = u64::try_from(size).unwrap_or(u64::MAX);
            if mode == 0o120000 {
                let blob = repo.find_blob(id).map_err(|e| other(path, &e))?;
                let target = String::from_utf8_lossy(blob.content()).into_owned();
                let repo_path = format!(
                    "{}{}{}",
                    self.prefix,
                    if self.prefix.is_empty() { "" } else { "/" },
                    current
                );
                let inside = resolve_link(&repo_path, &target).and_then(|p| {
                    if self.prefix.is_empty() {
                        Some(p)
                    } else {
                        p.strip_prefix(&format!("{}/", self.prefix))
                            .map(str::to_string)
                    }
                });
                match inside {
                    Some(p) => {
                        current = p;
                        followed = Some(target);
                        continue;
                    }
                    None => {
                        return Err(ReadError::SymlinkOutside {
                            path: path.into(),
                            target,
                        })
                    }
                }
            }
            if size > limit {
                return Err(ReadError::TooLarge {
                    path: path.into(),
                    size,
                    limit,
                });
            }
            let blob = repo.find_blob(id).map_err(|e| other(path, &e))?;
            return Ok(Some(blob.content().to_vec()));
        }
        Err(ReadError::Other {
            path: path.into(),
            message: "too many levels of symbolic links".into(),
        })
    }
}
