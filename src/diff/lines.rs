//! The line index of the unified diff between base and head, with renames followed, and
//! reviewdog's filter modes on top of it.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result};
use git2::{Delta, DiffFindOptions, DiffOptions, Oid, Repository};

/// Which findings get line-level treatment, exactly as reviewdog defines the modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterMode {
    /// Only lines the change added.
    #[default]
    Added,
    /// Lines inside the diff's hunks (changed lines and their 3 lines of context).
    #[value(name = "diff_context")]
    DiffContext,
    /// Any line of a file the change touched.
    File,
    /// Every finding.
    Nofilter,
}

/// One changed file: its paths on each side, and which of its head lines the diff shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileDiff {
    /// Path at base; `None` for a file the change adds.
    pub old_path: Option<String>,
    /// Path at head; `None` for a file the change deletes.
    pub new_path: Option<String>,
    /// Head line numbers of added lines.
    pub added: BTreeSet<u32>,
    /// Head line numbers of context lines inside hunks.
    pub context: BTreeSet<u32>,
    /// Where lines were deleted: the head line after which they stood (0 = at the top).
    pub deleted_after: BTreeSet<u32>,
}

/// The head side of the diff: a tree (a revision or the staged index), or the working tree.
pub enum Head {
    Tree(Oid),
    Index,
    Worktree,
}

#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    pub files: Vec<FileDiff>,
    by_new: BTreeMap<String, usize>,
}

impl LineIndex {
    /// Diffs `base` against `head` in `repo`, limited to `prefix` (the checked directory inside
    /// the repository, "" for all), with paths relative to it.
    pub fn build(repo: &Repository, base: Oid, head: &Head, prefix: &str) -> Result<LineIndex> {
        let base_tree = repo.find_tree(base).context("cannot read the base tree")?;
        let mut opts = DiffOptions::new();
        // An untracked file's lines are all added: without its content libgit2 reports the
        // file but no line, and findings in a new, not yet added plan file were out of the diff.
        // Every file is text: git attributes (`binary`, `-diff`) come from the change itself,
        // and must not empty the line index and hide its findings' lines.
        opts.context_lines(3)
            .force_text(true)
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .show_untracked_content(true);
        if !prefix.is_empty() {
            opts.pathspec(format!("{prefix}/"));
        }
        let mut diff = match head {
            Head::Tree(t) => {
                let tree = repo.find_tree(*t).context("cannot read the head tree")?;
                repo.diff_tree_to_tree(Some(&base_tree), Some(&tree), Some(&mut opts))
            }
            Head::Index => repo.diff_tree_to_index(Some(&base_tree), None, Some(&mut opts)),
            Head::Worktree => {
                repo.diff_tree_to_workdir_with_index(Some(&base_tree), Some(&mut opts))
            }
        }
        .context("cannot diff base and head")?;
        diff.find_similar(Some(
            DiffFindOptions::new().renames(true).for_untracked(true),
        ))
        .context("cannot detect renames")?;
        let strip = |p: Option<&std::path::Path>| -> Option<String> {
            let p = crate::snapshot::to_slash(p?);
            match prefix {
                "" => Some(p),
                pre => p.strip_prefix(&format!("{pre}/")).map(str::to_string),
            }
        };
        let files: RefCell<Vec<FileDiff>> = RefCell::new(Vec::new());
        let last_new: RefCell<u32> = RefCell::new(0);
        diff.foreach(
            &mut |delta, _| {
                let (old, new) = match delta.status() {
                    Delta::Added | Delta::Untracked => (None, strip(delta.new_file().path())),
                    Delta::Deleted => (strip(delta.old_file().path()), None),
                    _ => (
                        strip(delta.old_file().path()),
                        strip(delta.new_file().path()),
                    ),
                };
                files.borrow_mut().push(FileDiff {
                    old_path: old,
                    new_path: new,
                    ..FileDiff::default()
                });
                true
            },
            None,
            Some(&mut |_, hunk| {
                *last_new.borrow_mut() = hunk.new_start().saturating_sub(1);
                true
            }),
            Some(&mut |_, _, line| {
                let mut files = files.borrow_mut();
                let Some(f) = files.last_mut() else {
                    return true;
                };
                match line.origin() {
                    '+' => {
                        if let Some(n) = line.new_lineno() {
                            f.added.insert(n);
                            *last_new.borrow_mut() = n;
                        }
                    }
                    ' ' => {
                        if let Some(n) = line.new_lineno() {
                            f.context.insert(n);
                            *last_new.borrow_mut() = n;
                        }
                    }
                    '-' => {
                        f.deleted_after.insert(*last_new.borrow());
                    }
                    _ => {}
                }
                true
            }),
        )
        .context("cannot read the diff")?;
        let files = files.into_inner();
        let by_new = files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.new_path.clone().map(|p| (p, i)))
            .collect();
        Ok(LineIndex { files, by_new })
    }

    pub fn file(&self, new_path: &str) -> Option<&FileDiff> {
        self.by_new.get(new_path).map(|&i| &self.files[i])
    }

    /// reviewdog's `ShouldReport` for a head `path:line`.
    pub fn should_report(&self, mode: FilterMode, path: &str, line: u32) -> bool {
        if mode == FilterMode::Nofilter {
            return true;
        }
        let Some(f) = self.file(path) else {
            return false;
        };
        match mode {
            FilterMode::Added => f.added.contains(&line),
            FilterMode::DiffContext => f.added.contains(&line) || f.context.contains(&line),
            FilterMode::File | FilterMode::Nofilter => true,
        }
    }

    /// The first line between `start` and `end` (inclusive) the change added.
    pub fn added_within(&self, path: &str, start: u32, end: u32) -> Option<u32> {
        self.file(path)?.added.range(start..=end).next().copied()
    }

    /// The head line nearest to where lines were deleted between `start` and `end` (inclusive),
    /// preferring the surviving line just above the deletion.
    pub fn deletion_within(&self, path: &str, start: u32, end: u32) -> Option<u32> {
        let f = self.file(path)?;
        f.deleted_after
            .range(start.saturating_sub(1)..=end)
            .next()
            .map(|&after| after.max(start))
    }
}
