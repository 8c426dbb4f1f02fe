//! The policies a run evaluates: the configuration's directories, `--policy`, `--data`, the
//! timer; in diff mode read from the trusted side's git objects.

use std::path::Path;

use anyhow::Result;

use super::Options;
use crate::config::Config;
use crate::error::Advice;
use crate::plan;
use crate::policy::{PolicyDir, PolicySet, UserFile};
use crate::snapshot::{place, Place, Reader, Snapshot};

/// The `.rego` files under the configuration's policy directories, read from a snapshot.
pub(crate) fn policy_files_in(snap: &dyn Snapshot, config: &Config) -> Result<Vec<UserFile>> {
    let files = snap.files()?;
    let mut out = Vec::new();
    for dir in &config.policies {
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        for f in files
            .iter()
            .filter(|f| f.starts_with(&prefix) && f.ends_with(".rego"))
        {
            let bytes = snap
                .read(f, crate::plan::MAX_FILE_BYTES)
                .map_err(anyhow::Error::new)?
                .unwrap_or_default();
            out.push(UserFile {
                shown: f.clone(),
                text: plan::decode_utf8(f, bytes)?,
            });
        }
    }
    Ok(out)
}

/// Loads the policies: the configuration's directories, `--policy`, `--data`, the timer.
/// With `trusted`, everything inside the repository (the configuration's `policies` and
/// `data`, and `--policy`/`--data` paths in the repository) is read from that side's git
/// objects (the base, in diff mode), never from the working tree.
pub(crate) fn load_policies(
    opts: &Options,
    root: &Path,
    config: &Config,
    trusted: Option<Reader<'_>>,
) -> Result<PolicySet> {
    let trusted = trusted.filter(|t| t.snap.is_some());
    let mut files = match trusted.and_then(|t| t.snap) {
        Some(snap) => policy_files_in(snap, config)?,
        None => {
            let mut files = Vec::new();
            for d in &config.policies {
                let dir = PolicyDir::new(root.join(d), d.as_str());
                let found = crate::policy::read_dir_files(&dir)?;
                if found.is_empty() {
                    return Err(Advice::new(
                        format!("{d}: no .rego files found"),
                        "fix `policies` in the configuration",
                    )
                    .into());
                }
                files.extend(found);
            }
            files
        }
    };
    for d in &opts.policies {
        let shown = d.display().to_string();
        let found = match trusted.map(|t| (t, place(t.root, t.prefix, d))) {
            Some((
                Reader {
                    snap: Some(snap), ..
                },
                Place::Root(rel),
            )) => rego_files_under(snap, &rel)?,
            Some((t, Place::Repo(rel))) => match t.outer {
                Some(outer) => rego_files_under(outer, &rel)?,
                None => Vec::new(),
            },
            _ => crate::policy::read_dir_files(&PolicyDir::new(d, shown.as_str()))?,
        };
        if found.iter().all(UserFile::is_test) {
            return Err(Advice::new(
                format!("{shown}: no .rego files found"),
                "point --policy at a directory holding your Rego policies",
            )
            .into());
        }
        files.extend(found);
    }
    let mut policies = PolicySet::from_files(files, &opts.namespaces, false)?;
    if let Some(t) = opts.timeout.or(config.timeout) {
        policies.timeout = t;
    }
    crate::limits::set_cap(
        opts.max_memory
            .or(config.max_memory)
            .unwrap_or_else(crate::limits::default_cap),
    );
    let data = config.data.iter().map(|d| (root.join(d), d.clone())).chain(
        opts.data
            .iter()
            .map(|d| (d.clone(), d.display().to_string())),
    );
    for (path, shown) in data {
        match trusted.map(|t| (t, place(t.root, t.prefix, &path))) {
            Some((t, Place::Root(rel) | Place::Repo(rel))) => {
                let bytes = t.read(&path, plan::MAX_FILE_BYTES)?.ok_or_else(|| {
                    Advice::new(
                        format!(
                            "{shown}: data file not found in {}",
                            t.snap.map_or_else(String::new, Snapshot::describe)
                        ),
                        "policy data is read from the base revision in diff mode: commit the file there first, or pass --trusted-policies head",
                    )
                })?;
                policies.add_data_text(&rel, &plan::decode_utf8(&rel, bytes)?)?;
            }
            _ => policies.add_data_file(&path, &shown)?,
        }
    }
    config.validate_rules(&policies.rule_ids())?;
    Ok(policies)
}

/// The `.rego` files under `dir` (relative to the snapshot's root) in a snapshot.
fn rego_files_under(snap: &dyn Snapshot, dir: &str) -> Result<Vec<UserFile>> {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{}/", dir.trim_end_matches('/'))
    };
    let mut out = Vec::new();
    for f in snap
        .files()?
        .into_iter()
        .filter(|f| f.starts_with(&prefix) && f.ends_with(".rego"))
    {
        let bytes = snap
            .read(&f, plan::MAX_FILE_BYTES)
            .map_err(anyhow::Error::new)?
            .unwrap_or_default();
        out.push(UserFile {
            text: plan::decode_utf8(&f, bytes)?,
            shown: f,
        });
    }
    Ok(out)
}
