//! Who owns what the change touches: changed files with their base CODEOWNERS owners, and
//! what the change does to CODEOWNERS itself.

use std::collections::BTreeSet;

use super::{ChangedFile, CodeownersChange, LineIndex, PlanOwnersChange};
use crate::checked::Opened;

/// Groups plan files by their owners at base and at head, keeping those that changed.
pub(super) fn plan_owners_changes(
    base: &crate::codeowners::Codeowners,
    head: &crate::codeowners::Codeowners,
    plan_files: &[&str],
) -> Vec<PlanOwnersChange> {
    let mut groups: Vec<PlanOwnersChange> = Vec::new();
    for path in plan_files {
        let (before, after) = (base.owners(path).to_vec(), head.owners(path).to_vec());
        if before == after {
            continue;
        }
        match groups
            .iter_mut()
            .find(|g| g.before == before && g.after == after)
        {
            Some(g) => g.paths.push((*path).to_string()),
            None => groups.push(PlanOwnersChange {
                scope: String::new(),
                paths: vec![(*path).to_string()],
                before,
                after,
            }),
        }
    }
    for g in &mut groups {
        g.scope = if g.paths.len() == 1 {
            g.paths[0].clone()
        } else {
            // The deepest directory holding every file of the group, when no other plan
            // file lives under it; else the files themselves.
            let dir = |p: &str| {
                p.rsplit_once('/')
                    .map_or(String::new(), |(d, _)| format!("{d}/"))
            };
            let mut common = dir(&g.paths[0]);
            while !g.paths.iter().all(|p| p.starts_with(&common)) {
                common = dir(common.trim_end_matches('/'));
            }
            let others = plan_files
                .iter()
                .any(|p| p.starts_with(&common) && !g.paths.iter().any(|q| q == p));
            match (common.is_empty(), others) {
                (true, _) => g.paths.join(", "),
                (false, true) => format!("{} plan files in {common}", g.paths.len()),
                (false, false) => common,
            }
        };
    }
    groups
}

pub(super) fn changed_files(index: &LineIndex, base: &Opened) -> Vec<ChangedFile> {
    let co = &base.workspace.codeowners.parsed;
    let mut out: Vec<ChangedFile> = index
        .files
        .iter()
        .map(|f| {
            let path = f
                .new_path
                .clone()
                .or_else(|| f.old_path.clone())
                .unwrap_or_default();
            let base_path = f.old_path.clone().unwrap_or_else(|| path.clone());
            let rule = co.owner_of(&base_path);
            ChangedFile {
                renamed_from: f
                    .old_path
                    .clone()
                    .filter(|o| f.new_path.as_ref().is_some_and(|n| n != o)),
                owners: rule.map(|r| r.owners.clone()).unwrap_or_default(),
                codeowners_line: rule.map(|r| r.line),
                path,
            }
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

pub(super) fn codeowners_change(base: &Opened, head: &Opened) -> Option<CodeownersChange> {
    let (b, h) = (&base.workspace.codeowners, &head.workspace.codeowners);
    if b.text == h.text && b.path == h.path {
        return None;
    }
    let owners = |c: &crate::workspace::CodeownersFile| -> BTreeSet<String> {
        c.parsed
            .rules
            .iter()
            .flat_map(|r| r.owners.iter().cloned())
            .collect()
    };
    let rules = |c: &crate::workspace::CodeownersFile| -> BTreeSet<String> {
        c.parsed
            .rules
            .iter()
            .map(|r| {
                format!("{} {}", r.pattern, r.owners.join(" "))
                    .trim()
                    .to_string()
            })
            .collect()
    };
    let (ob, oh) = (owners(b), owners(h));
    let (rb, rh) = (rules(b), rules(h));
    Some(CodeownersChange {
        path: h
            .path
            .clone()
            .or_else(|| b.path.clone())
            .unwrap_or_else(|| ".github/CODEOWNERS".into()),
        owners_added: oh.difference(&ob).cloned().collect(),
        owners_removed: ob.difference(&oh).cloned().collect(),
        rules_added: rh.difference(&rb).cloned().collect(),
        rules_removed: rb.difference(&rh).cloned().collect(),
        plan_owners: plan_owners_changes(
            &b.parsed,
            &h.parsed,
            &head
                .workspace
                .plan
                .files
                .iter()
                .map(|f| f.path.as_str())
                .collect::<Vec<_>>(),
        ),
    })
}
