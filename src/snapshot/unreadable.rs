//! Files and directories the working tree holds but this user cannot read: named, with what
//! to do, never skipped (git's own listing passes over an unreadable directory in silence)
//! and never in libgit2's words ("is locked", class and code numbers).

use std::path::Path;

use git2::Repository;

use crate::error::Advice;

/// What to do about a path this user cannot read.
fn help(rel: &str) -> String {
    format!("make it readable by the user running plancheck (chmod a+rX '{rel}'), or ignore it in .gitignore if it is not part of the plan")
}

/// `e` (a libgit2 error met listing or reading the working tree) as an error naming the file,
/// when libgit2 names one; else `what` with git's message.
pub(crate) fn git_error(e: &git2::Error, repo_root: &Path, what: &str) -> anyhow::Error {
    let message = e.message();
    let quoted = message
        .split('\'')
        .nth(1)
        .filter(|_| message.contains('\''));
    let Some(path) = quoted else {
        return anyhow::anyhow!("{what}: {message}");
    };
    let rel = Path::new(path)
        .strip_prefix(repo_root)
        .map(super::to_slash)
        .unwrap_or_else(|_| path.to_string());
    let why = if message.contains("Permission denied") {
        "permission denied".to_string()
    } else if message.contains("no longer exists") {
        return Advice::new(
            format!("{rel}: the file was removed while plancheck was reading the working tree"),
            "run plancheck again once the files stop changing",
        )
        .into();
    } else {
        message.rsplit(": ").next().unwrap_or(message).to_string()
    };
    Advice::new(format!("{rel}: cannot be read: {why}"), help(&rel)).into()
}

/// An error for the first directory under the plan's directories (`pathspecs` ending in `/`)
/// that cannot be listed and is not ignored: plan files in it would go unchecked.
pub(crate) fn unreadable_dirs(
    repo: &Repository,
    repo_root: &Path,
    prefix: &str,
    pathspecs: &[String],
) -> anyhow::Result<()> {
    for spec in pathspecs.iter().filter(|s| s.ends_with('/')) {
        walk(
            repo,
            repo_root,
            &repo_root.join(format!("{prefix}{spec}")),
            0,
        )?;
    }
    Ok(())
}

/// How deep the search for unreadable directories goes (plan directories are shallow).
const MAX_DEPTH: usize = 32;

fn walk(repo: &Repository, repo_root: &Path, dir: &Path, depth: usize) -> anyhow::Result<()> {
    let rel = dir
        .strip_prefix(repo_root)
        .map(super::to_slash)
        .unwrap_or_default();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            if repo.is_path_ignored(Path::new(&rel)).unwrap_or(false) {
                return Ok(());
            }
            let why = if e.kind() == std::io::ErrorKind::PermissionDenied {
                "permission denied".to_string()
            } else {
                e.to_string()
            };
            return Err(Advice::new(
                format!("{rel}/: directory cannot be read ({why}), so plancheck cannot tell which plan files it holds"),
                help(&rel),
            )
            .into());
        }
    };
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    for entry in entries.flatten() {
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && entry.file_name() != ".git" {
            walk(repo, repo_root, &entry.path(), depth + 1)?;
        }
    }
    Ok(())
}
