//! Diff mode's trust boundary: which policy and configuration files the change edits (they
//! judge it from the base, and the edit is reported with their owners).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;

use super::open::Side;
use super::policies::policy_files_in;
use super::Options;
use crate::config::config_text;
use crate::snapshot::{place, Place};

/// Configuration and policy files that differ between base and head.
pub(super) fn policy_changes(opts: &Options, base: &Side, head: &Side) -> Result<Vec<String>> {
    let mut changed = BTreeSet::new();
    let placed = |p: &std::path::Path| place(&head.root, &head.prefix, p);
    match opts.config.as_deref().map(placed) {
        // `--config` inside the repository: its two copies.
        Some(place @ (Place::Root(_) | Place::Repo(_))) => {
            if read_on(base, &place)? != read_on(head, &place)? {
                changed.insert(shown(&place));
            }
        }
        _ => {
            let (bc, hc) = (
                config_text(base.snap.as_ref()),
                config_text(head.snap.as_ref()),
            );
            if bc != hc {
                changed.extend(bc.map(|(p, _)| p));
                changed.extend(hc.map(|(p, _)| p));
            }
        }
    }
    let mut extra_dirs = Vec::new();
    for d in &opts.policies {
        match placed(d) {
            Place::Root(rel) => extra_dirs.push(rel),
            // Outside the checked root, inside the repository: compare the two revisions.
            place @ Place::Repo(_) => {
                let (b, h) = (repo_rego(base, &place)?, repo_rego(head, &place)?);
                for p in b.keys().chain(h.keys()) {
                    if b.get(p) != h.get(p) {
                        changed.insert(p.clone());
                    }
                }
            }
            Place::Outside => {}
        }
    }
    for config in [&base.config, &head.config] {
        let (b, h) = (
            policy_texts(base, config, &extra_dirs)?,
            policy_texts(head, config, &extra_dirs)?,
        );
        for p in b.keys().chain(h.keys()) {
            if b.get(p) != h.get(p) {
                changed.insert(p.clone());
            }
        }
    }
    let data: BTreeSet<Place> = base
        .config
        .data
        .iter()
        .chain(&head.config.data)
        .map(|d| placed(&head.root.join(d)))
        .chain(opts.data.iter().map(|d| placed(d)))
        .filter(|p| *p != Place::Outside)
        .collect();
    for place in data {
        if read_on(base, &place)? != read_on(head, &place)? {
            changed.insert(shown(&place));
        }
    }
    Ok(changed.into_iter().collect())
}

/// How a placed path is named in `policy-changed`: from the checked root, or (outside it)
/// from the repository's top.
fn shown(place: &Place) -> String {
    match place {
        Place::Root(p) | Place::Repo(p) => p.clone(),
        Place::Outside => String::new(),
    }
}

/// A file of one side by where it lies: from disk for the working tree (untracked files
/// count: they would be read), else from the revision's objects.
fn read_on(side: &Side, place: &Place) -> Result<Option<Vec<u8>>> {
    let limit = crate::plan::MAX_FILE_BYTES;
    let disk = |path: std::path::PathBuf, rel: &str| match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::Error::new(e).context(format!("{rel}: cannot read"))),
    };
    match (place, side.worktree) {
        (Place::Root(rel), true) => disk(side.root.join(rel), rel),
        (Place::Root(rel), false) => side.snap.read(rel, limit).map_err(anyhow::Error::new),
        (Place::Repo(rel), true) => {
            let depth = side.prefix.split('/').filter(|s| !s.is_empty()).count();
            match side.root.ancestors().nth(depth) {
                Some(top) => disk(top.join(rel), rel),
                None => Ok(None),
            }
        }
        (Place::Repo(rel), false) => match &side.outer {
            Some(outer) => outer.read(rel, limit).map_err(anyhow::Error::new),
            None => Ok(None),
        },
        (Place::Outside, _) => Ok(None),
    }
}

/// The `.rego` files under a directory outside the checked root, on one side, by path.
fn repo_rego(side: &Side, place: &Place) -> Result<BTreeMap<String, String>> {
    let Place::Repo(dir) = place else {
        return Ok(BTreeMap::new());
    };
    let found = if side.worktree {
        let depth = side.prefix.split('/').filter(|s| !s.is_empty()).count();
        match side.root.ancestors().nth(depth) {
            Some(top) => {
                let path = top.join(dir);
                if path.is_dir() {
                    crate::policy::read_dir_files(&crate::policy::PolicyDir::new(
                        path,
                        dir.as_str(),
                    ))?
                } else {
                    Vec::new()
                }
            }
            None => Vec::new(),
        }
    } else {
        match &side.outer {
            Some(outer) => {
                let config = crate::config::Config {
                    policies: vec![dir.clone()],
                    ..crate::config::Config::default()
                };
                policy_files_in(outer.as_ref(), &config)?
            }
            None => Vec::new(),
        }
    };
    Ok(found.into_iter().map(|f| (f.shown, f.text)).collect())
}

/// The policy files under a configuration's directories on one side, by path.
fn policy_texts(
    side: &Side,
    config: &crate::config::Config,
    extra_dirs: &[String],
) -> Result<BTreeMap<String, String>> {
    let mut config = config.clone();
    config.policies.extend(extra_dirs.iter().cloned());
    let found = if side.worktree {
        // On disk, untracked policy files count too: they would run.
        let mut found = Vec::new();
        for d in &config.policies {
            let dir = crate::policy::PolicyDir::new(side.root.join(d), d.as_str());
            if dir.path.is_dir() {
                found.extend(crate::policy::read_dir_files(&dir)?);
            }
        }
        found
    } else {
        policy_files_in(side.snap.as_ref(), &config)?
    };
    Ok(found.into_iter().map(|f| (f.shown, f.text)).collect())
}
