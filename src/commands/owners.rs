//! `plancheck owners PATH...`: which CODEOWNERS line owns each path.

use std::path::Path;

use anyhow::{Context, Result};

use super::Output;
use crate::cli::{ListFormat, OwnersArgs};
use crate::error::Advice;
use crate::{codeowners, plan, report, snapshot, workspace};

pub fn run(args: OwnersArgs) -> Result<Output> {
    owners(
        &args.paths,
        args.dir.as_deref(),
        args.rev.as_deref(),
        args.format,
    )
}

fn owners(
    paths: &[String],
    dir: Option<&Path>,
    rev: Option<&str>,
    format: ListFormat,
) -> Result<Output> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let located = snapshot::locate(dir.unwrap_or(&cwd), dir.is_some())?;
    let root = located.root.clone();
    // Paths are taken relative to the current directory when it is inside the checked root.
    let base = cwd
        .canonicalize()
        .ok()
        .and_then(|c| c.strip_prefix(&root).ok().map(snapshot::to_slash))
        .unwrap_or_default();
    let snap: Box<dyn snapshot::Snapshot> = match rev {
        Some(r) => Box::new(snapshot::RevisionSnapshot::new(located, r)?),
        // Only CODEOWNERS and the given paths are read, from disk: no search for untracked
        // files (git status walks the whole tree; on a large monorepo that was most of the time).
        None => Box::new(snapshot::WorktreeSnapshot::tracked_only(&located)?),
    };
    let co = workspace::load_codeowners(snap.as_ref())?;
    let tracked = snap.tracked()?;
    let outside = |p: &str| {
        Advice::new(
            format!("{p}: outside the repository"),
            "give a path inside the checked repository (relative to the current directory, or from its root with a leading /)",
        )
    };
    let mut rows = Vec::new();
    let mut notes = String::new();
    for p in paths {
        let given = Path::new(p);
        // An absolute path into the checkout (`$PWD/docs/x`) is that file; an absolute path
        // to somewhere else on this machine is outside; any other path starting with `/` is
        // from the repository's root, as in CODEOWNERS.
        let in_repo = |rel: &str| {
            let under = format!("{rel}/");
            (rev.is_none() && root.join(rel).exists())
                || tracked.iter().any(|t| t == rel || t.starts_with(&under))
        };
        let on_this_machine = given.exists()
            || given
                .parent()
                .is_some_and(|d| d != Path::new("/") && d.exists());
        let repo_path = match snapshot::within(&root, given) {
            Some(rel) if given.is_absolute() => rel,
            None if given.is_absolute()
                && on_this_machine
                && !normalize_path("", p).is_some_and(|r| in_repo(&r)) =>
            {
                return Err(outside(p).into());
            }
            _ => normalize_path(&base, p).ok_or_else(|| outside(p))?,
        };
        // A directory: every tracked file under it, as CODEOWNERS treats each of them.
        let under = format!("{}/", repo_path.trim_end_matches('/'));
        let is_dir = repo_path.is_empty()
            || p.ends_with('/')
            || (rev.is_none() && root.join(&repo_path).is_dir())
            || (!tracked.contains(&repo_path) && tracked.iter().any(|t| t.starts_with(&under)));
        if is_dir {
            rows.push(directory_row(&co.parsed, &tracked, &repo_path));
            continue;
        }
        if !in_repo(&repo_path) {
            // CODEOWNERS answers for any path, so this is not an error; but a mistyped path
            // would otherwise look like a real answer (often the catch-all `*` line).
            let known: Vec<&str> = tracked.iter().map(String::as_str).collect();
            let hint = plan::schema::closest(&repo_path, &known)
                .map(|c| format!("; did you mean {c}?"))
                .unwrap_or_default();
            notes.push_str(&format!(
                "note: {repo_path} is not in the repository{hint} (the answer is for a file added there)\n"
            ));
        }
        let rule = co.parsed.owner_of(&repo_path);
        rows.push(OwnersRow {
            path: repo_path,
            dir: None,
            owners: rule.map(|r| r.owners.clone()).unwrap_or_default(),
            line: rule.map(|r| r.line),
        });
    }
    let stdout = match format {
        ListFormat::Json => {
            let v: Vec<serde_json::Value> = rows.iter().map(OwnersRow::json).collect();
            serde_json::to_string_pretty(&v)? + "\n"
        }
        ListFormat::Human => human(&rows, co.path.as_deref()),
    };
    Ok(Output {
        stdout,
        stderr: notes,
        code: 0,
    })
}

/// The human answer: one line per path, the lines deciding for a directory's files under it.
fn human(rows: &[OwnersRow], path: Option<&str>) -> String {
    let file = path.unwrap_or("CODEOWNERS");
    let width = rows.iter().map(|r| r.path.len()).max().unwrap_or(0);
    let who = |o: &[String]| {
        if o.is_empty() {
            "(no owners)".to_string()
        } else {
            o.join(" ")
        }
    };
    let at = |l: Option<u32>| {
        l.map_or_else(|| "no matching line".to_string(), |l| format!("{file}:{l}"))
    };
    let mut s = String::new();
    if path.is_none() {
        s.push_str("no CODEOWNERS file (looked in .github/, the root and docs/)\n");
    }
    for r in rows {
        let p = &r.path;
        match &r.dir {
            None => s.push_str(&format!(
                "{p:width$}  {}  [{}]\n",
                who(&r.owners),
                at(r.line)
            )),
            Some(groups) if groups.is_empty() => s.push_str(&format!(
                "{p:width$}  a directory with no tracked files: ask for a file in it\n"
            )),
            Some(groups) => {
                let total: usize = groups.iter().map(|g| g.2).sum();
                match groups.as_slice() {
                    [(line, owners, _)] => s.push_str(&format!(
                        "{p:width$}  {}  [{}] (a directory: {})\n",
                        who(owners),
                        at(*line),
                        if total == 1 {
                            "its one tracked file".to_string()
                        } else {
                            format!("all {total} tracked files")
                        }
                    )),
                    _ => {
                        s.push_str(&format!(
                            "{p:width$}  a directory of {} with different owners:\n",
                            report::plural(total, "tracked file")
                        ));
                        for (line, owners, n) in groups {
                            s.push_str(&format!(
                                "  {}  [{}] {}\n",
                                who(owners),
                                at(*line),
                                report::plural(*n, "file")
                            ));
                        }
                    }
                }
            }
        }
    }
    s
}

/// A directory's answer: the lines deciding for the tracked files under it, most files first.
fn directory_row(co: &codeowners::Codeowners, tracked: &[String], repo_path: &str) -> OwnersRow {
    let under = format!("{}/", repo_path.trim_end_matches('/'));
    let mut groups: DirRules = Vec::new();
    for t in tracked
        .iter()
        .filter(|t| repo_path.is_empty() || t.starts_with(&under))
    {
        let rule = co.owner_of(t);
        let line = rule.map(|r| r.line);
        match groups.iter_mut().find(|g| g.0 == line) {
            Some(g) => g.2 += 1,
            None => groups.push((line, rule.map(|r| r.owners.clone()).unwrap_or_default(), 1)),
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.2));
    let shown = if repo_path.is_empty() {
        "/".to_string()
    } else {
        under
    };
    OwnersRow {
        path: shown,
        dir: Some(groups),
        owners: Vec::new(),
        line: None,
    }
}

/// For a directory: each deciding line (none when no line matches), its owners, and how many
/// tracked files under the directory it decides for.
type DirRules = Vec<(Option<u32>, Vec<String>, usize)>;

/// One answer of `plancheck owners`: a file and its deciding line, or a directory and the
/// lines that decide for the tracked files under it (with how many files each).
struct OwnersRow {
    path: String,
    dir: Option<DirRules>,
    owners: Vec<String>,
    line: Option<u32>,
}

impl OwnersRow {
    fn json(&self) -> serde_json::Value {
        match &self.dir {
            None => {
                serde_json::json!({"path": self.path, "owners": self.owners, "line": self.line})
            }
            Some(groups) => {
                let mut owners: Vec<&String> = Vec::new();
                for g in groups {
                    for o in &g.1 {
                        if !owners.contains(&o) {
                            owners.push(o);
                        }
                    }
                }
                let line = match groups.as_slice() {
                    [(l, _, _)] => *l,
                    _ => None,
                };
                serde_json::json!({
                    "path": self.path,
                    "directory": true,
                    "owners": owners,
                    "line": line,
                    "files": groups.iter().map(|g| g.2).sum::<usize>(),
                    "rules": groups.iter().map(|(l, o, n)| serde_json::json!({"line": l, "owners": o, "files": n})).collect::<Vec<_>>(),
                })
            }
        }
    }
}

/// Joins a user-typed path onto the current directory's place in the repository.
/// `p` as a repository path: relative to `base` (the current directory's path in the
/// repository), or from the root with a leading `/`; `None` when `..` climbs above the root.
fn normalize_path(base: &str, p: &str) -> Option<String> {
    let mut parts: Vec<&str> = if p.starts_with('/') || base.is_empty() {
        Vec::new()
    } else {
        base.split('/').collect()
    };
    for seg in p.split('/') {
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
