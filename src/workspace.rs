//! The workspace stage: plan files parsed once with positions, CODEOWNERS parsed once,
//! and the tracked files, all read through a [`Snapshot`].

use anyhow::{bail, Result};
use globset::{GlobBuilder, GlobSetBuilder};

use crate::codeowners::{self, Codeowners, LineError};
use crate::config::Config;
use crate::error::{Advice, LoadErrors, Located};
use crate::plan::{self, Plan, PlanFile};
use crate::snapshot::{ReadError, Snapshot};

mod share;
pub use share::{Parsing, Shared};

/// The repository's CODEOWNERS as GitHub would use it.
#[derive(Debug)]
pub struct CodeownersFile {
    /// Which of the locations was used, if any exists.
    pub path: Option<String>,
    pub text: String,
    pub parsed: Codeowners,
}

#[derive(Debug)]
pub struct Workspace {
    pub plan: Plan,
    pub codeowners: CodeownersFile,
    /// Files git tracks, for matching areas' paths.
    pub tracked: Vec<String>,
    /// The Kubernetes objects the repository deploys.
    pub manifests: crate::manifests::Manifests,
    pub config: Config,
    /// "the working tree" or "revision main (abc123)".
    pub source: String,
}

/// Paths to ask git about when looking for untracked plan files: the literal directory
/// before the first wildcard of each glob, with braces expanded for top-level files.
pub fn pathspecs(globs: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for g in globs {
        let meta = g.find(['*', '?', '[', '{']).unwrap_or(g.len());
        match g[..meta].rfind('/') {
            Some(slash) => out.push(g[..=slash].to_string()),
            // Bounded: past the limit the configuration is refused; here, no narrowing at all.
            None if crate::config::brace_expansions(g) > crate::config::MAX_BRACE_EXPANSIONS => {
                return Vec::new()
            }
            None => out.extend(expand_braces(g)),
        }
    }
    out.sort();
    out.dedup();
    out
}

fn expand_braces(g: &str) -> Vec<String> {
    match (g.find('{'), g.find('}')) {
        (Some(open), Some(close)) if open < close => g[open + 1..close]
            .split(',')
            .flat_map(|alt| expand_braces(&format!("{}{alt}{}", &g[..open], &g[close + 1..])))
            .collect(),
        _ => vec![g.to_string()],
    }
}

/// No file matches the plan globs. The caller knows what was read and says what to do
/// (`plancheck init`, `git add`, ...); this text is the fallback.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("no plan files found in {read_from} (looked for {})\n  help: write a plan at incident-response/plan.yaml (`plancheck init` writes a starter plan), or set `plans` in .plancheck.toml", globs.join(", "))]
pub struct NoPlanFiles {
    pub read_from: String,
    pub globs: Vec<String>,
}

fn read_error(e: ReadError) -> anyhow::Error {
    match e.clone() {
        ReadError::TooLarge { path, size, limit } => Advice::new(
            format!(
                "{path}: file is {:.1} MB; plancheck reads plan files up to {} MiB",
                size as f64 / 1e6,
                limit / (1024 * 1024)
            ),
            "split the plan into several files under incident-response/ (their lists are merged)",
        )
        .into(),
        ReadError::SymlinkOutside { path, target } => Advice::new(
            format!("{path}: is a symbolic link to `{target}`, which is outside the repository"),
            "plancheck only reads files inside the repository; copy the file in or remove the link",
        )
        .into(),
        ReadError::DanglingLink { .. } => Advice::new(
            e.to_string(),
            "restore the file the link points to, or remove the link (git rm) if that plan file is gone",
        )
        .into(),
        ReadError::LinkToDirectory { .. } => Advice::new(
            e.to_string(),
            "a plan path must be a file: link each plan file, or set `plans` in .plancheck.toml to a glob that finds the files in that directory",
        )
        .into(),
        other => anyhow::Error::new(other),
    }
}

pub fn load(snapshot: &dyn Snapshot, config: Config) -> Result<Workspace> {
    load_with(snapshot, config, Parsing::default())
}

/// [`load`], parsing as `parsing` says (diff mode shares parses of identical files).
pub fn load_with(snapshot: &dyn Snapshot, config: Config, parsing: Parsing) -> Result<Workspace> {
    let paths = plan_paths(snapshot, &config.plans)?;
    if paths.is_empty() {
        bail!(NoPlanFiles {
            read_from: snapshot.describe(),
            globs: config.plans.clone(),
        });
    }
    load_paths(snapshot, config, paths, parsing)
}

/// The files of a snapshot that the plan globs match.
pub fn plan_paths(snapshot: &dyn Snapshot, plans: &[String]) -> Result<Vec<String>> {
    let mut globs = GlobSetBuilder::new();
    for g in plans {
        let glob = GlobBuilder::new(g)
            .literal_separator(true)
            .build()
            .map_err(|e| {
                Advice::new(
                    format!("invalid plan glob `{g}`: {}", e.kind()),
                    "fix `plans` in the configuration",
                )
            })?;
        globs.add(glob);
    }
    let globs = globs.build().map_err(|e| {
        Advice::new(
            format!("invalid plan globs: {e}"),
            "fix `plans` in the configuration",
        )
    })?;
    // A plan file git holds under a name that is not UTF-8 cannot be read by name: an error,
    // never a silently smaller plan.
    if let Some(bad) = snapshot
        .undecodable()
        .into_iter()
        .find(|p| globs.is_match(p))
    {
        bail!(Advice::new(
            format!(
                "{bad}: the file name is not valid UTF-8 (the bytes that are not are shown as \u{FFFD}), so plancheck cannot check this plan file"
            ),
            "rename it to a UTF-8 name (git mv), then run plancheck again",
        ));
    }
    Ok(snapshot
        .files()?
        .into_iter()
        .filter(|p| globs.is_match(p))
        .collect())
}

fn load_paths(
    snapshot: &dyn Snapshot,
    config: Config,
    paths: Vec<String>,
    parsing: Parsing,
) -> Result<Workspace> {
    // Read sequentially (git objects sit behind one handle), parse in parallel.
    let mut raw = Vec::with_capacity(paths.len());
    for p in &paths {
        match snapshot.read(p, plan::MAX_FILE_BYTES).map_err(read_error)? {
            Some(bytes) => raw.push((p.clone(), bytes)),
            None => continue,
        }
    }
    let files = parse_all(raw, parsing)?;
    let plan = Plan::merge(files);
    let codeowners = load_codeowners_with(snapshot, parsing)?;
    let tracked = snapshot.tracked()?;
    let manifests = crate::manifests::load(snapshot, &config.manifests, &tracked, &paths)?;
    Ok(Workspace {
        plan,
        codeowners,
        tracked,
        manifests,
        config,
        source: snapshot.describe(),
    })
}

fn parse_all(raw: Vec<(String, Vec<u8>)>, parsing: Parsing) -> Result<Vec<PlanFile>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(raw.len())
        .max(1);
    let total: usize = raw.iter().map(|(_, b)| b.len()).sum();
    if threads == 1 || total < 256 * 1024 {
        return all_or_errors(raw.into_iter().map(|(p, b)| parsing.plan_file(&p, b)));
    }
    // Balance by size: each worker takes every n-th file of the size-sorted list.
    let mut indexed: Vec<(usize, String, Vec<u8>)> = raw
        .into_iter()
        .enumerate()
        .map(|(i, (p, b))| (i, p, b))
        .collect();
    indexed.sort_by_key(|(_, _, b)| std::cmp::Reverse(b.len()));
    if parsing.reverse {
        indexed.reverse();
    }
    let items = indexed.into_iter().map(|(i, p, b)| (i, (p, b))).collect();
    let parsed = crate::parallel::map_by_index(items, threads, |(p, b)| parsing.plan_file(&p, b));
    all_or_errors(parsed.into_iter())
}

/// Every file parsed, or every file's error (a user fixing one file sees the next at once).
fn all_or_errors(
    results: impl Iterator<Item = Result<PlanFile, Located>>,
) -> Result<Vec<PlanFile>> {
    let (mut files, mut errors) = (Vec::new(), Vec::new());
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(e) => errors.push(e),
        }
    }
    match errors.len() {
        0 => Ok(files),
        1 => Err(anyhow::Error::new(errors.remove(0))),
        _ => Err(anyhow::Error::new(LoadErrors(errors))),
    }
}

pub fn load_codeowners(snapshot: &dyn Snapshot) -> Result<CodeownersFile> {
    load_codeowners_with(snapshot, Parsing::default())
}

fn load_codeowners_with(snapshot: &dyn Snapshot, parsing: Parsing) -> Result<CodeownersFile> {
    let none = || CodeownersFile {
        path: None,
        text: String::new(),
        parsed: Codeowners::parse(""),
    };
    let Some(loc) = codeowners::first_present(|p| snapshot.size(p).is_some()) else {
        return Ok(none());
    };
    let size = snapshot.size(loc).unwrap_or(0);
    let limit = codeowners::MAX_BYTES as u64;
    if size >= limit {
        // GitHub does not load such a file at all: nobody is requested for review.
        let mut parsed = Codeowners::parse("");
        parsed.errors.push(LineError {
            line: 1,
            column: 1,
            kind: "File too large".into(),
            message: format!(
                "CODEOWNERS is {:.1} MB; GitHub ignores a CODEOWNERS file of 3 MB or more, so no owners are requested for review",
                size as f64 / 1e6
            ),
            suggestion: Some("split ownership into fewer, broader patterns".into()),
        });
        return Ok(CodeownersFile {
            path: Some(loc.to_string()),
            text: String::new(),
            parsed,
        });
    }
    let Some(bytes) = snapshot.read(loc, limit).map_err(read_error)? else {
        return Ok(none());
    };
    let text = crate::snapshot::decode_utf8(loc, bytes)?;
    let parsed = parsing.codeowners(loc, &text);
    Ok(CodeownersFile {
        path: Some(loc.to_string()),
        text,
        parsed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pathspecs_take_the_literal_directory_or_expand_top_level_names() {
        let specs = pathspecs(&crate::config::DEFAULT_PLANS.map(String::from));
        assert_eq!(
            specs,
            vec![
                "incident-plan.json",
                "incident-plan.yaml",
                "incident-plan.yml",
                "incident-response/"
            ]
        );
    }
}
