//! Diff mode's base, read as far as it can be: a base that cannot be read (its configuration,
//! its policies or its plan) never stops the run. The caller judges the head against no base
//! findings and reports why ([`crate::diff::BaseUnreadable`]); a broken head still stops it.

use std::path::Path;

use anyhow::Result;

use super::open::{open_revision, open_revision_unconfigured, Side};
use super::policies::load_policies;
use super::Options;
use crate::check::{Opened, Outcome};
use crate::config::Config;
use crate::diff::{BaseUnreadable, DiffRun};
use crate::plan::{Plan, PlanFile};
use crate::policy::PolicySet;
use crate::snapshot::Snapshot;
use crate::workspace::{self, CodeownersFile, Workspace};

/// The base side, and why it could not be read when its configuration could not: then the
/// side carries the default configuration.
pub(super) fn open(opts: &Options, rev: &str) -> Result<(Side, Option<anyhow::Error>)> {
    match open_revision(opts, rev) {
        Ok(side) => Ok((side, None)),
        Err(err) => Ok((open_revision_unconfigured(opts, rev)?, Some(err))),
    }
}

/// The trusted base's configuration and policies, and which ones they are (for the report).
/// When the base's policies cannot be loaded (or its configuration could not be read), the
/// built-in pack judges with the defaults, and `unread` gets why.
pub(super) fn policies(
    opts: &Options,
    root: &Path,
    base: &Side,
    unread: &mut Option<anyhow::Error>,
) -> Result<(Config, PolicySet, String)> {
    if unread.is_some() {
        let config = Config::default();
        let policies = load_policies(opts, root, &config, Some(base.reader()))?;
        let why = "the built-in pack with the default settings, because the base's configuration could not be read";
        return Ok((config, policies, why.to_string()));
    }
    match load_policies(opts, root, &base.config, Some(base.reader())) {
        Ok(p) => Ok((
            base.config.clone(),
            p,
            "the base's configuration and policies, as always".to_string(),
        )),
        Err(err) => {
            let why = format!(
                "the built-in pack with the default settings, because the base's policies could not be loaded ({})",
                first_line(&err)
            );
            *unread = Some(err);
            let config = Config::default();
            let policies = load_policies(opts, root, &config, Some(base.reader()))?;
            Ok((config, policies, why))
        }
    }
}

/// The base as far as it could be read: no findings; the plan files that parse on their own
/// (so a waiver the base already holds is not taken for one the change adds); its CODEOWNERS
/// and tracked files when they can be read (for the owners of the changed files).
pub(super) fn unread(
    snap: &dyn Snapshot,
    config: Config,
    policies: PolicySet,
    now: &str,
) -> (Opened, Outcome) {
    let codeowners = workspace::load_codeowners(snap).unwrap_or_else(|_| CodeownersFile {
        path: None,
        text: String::new(),
        parsed: crate::codeowners::Codeowners::parse(""),
    });
    let opened = Opened {
        workspace: Workspace {
            plan: Plan::merge(readable_plan_files(snap, &config.plans)),
            codeowners,
            tracked: snap.tracked().unwrap_or_default(),
            manifests: crate::manifests::Manifests::default(),
            config,
            source: snap.describe(),
        },
        policies,
        now: now.to_string(),
    };
    let (input, _) = crate::check::input_document(&opened);
    let outcome = Outcome {
        findings: Vec::new(),
        suppressed: Vec::new(),
        unused_waivers: Vec::new(),
        policies_skipped: false,
        input,
    };
    (opened, outcome)
}

/// Marks a run whose base could not be read: why, and (nothing having been read there) no
/// description of what the change did to the plan.
pub(super) fn report(run: &mut DiffRun, label: &str, err: &anyhow::Error, judged_by: String) {
    run.changes.clear();
    run.charts.clear();
    run.oncall_charts.clear();
    run.base_unreadable = Some(BaseUnreadable::new(label, err, judged_by));
}

/// The plan files of a snapshot that can be read and parsed, each on its own.
fn readable_plan_files(snap: &dyn Snapshot, globs: &[String]) -> Vec<PlanFile> {
    let paths = workspace::plan_paths(snap, globs).unwrap_or_default();
    paths
        .into_iter()
        .filter_map(|p| {
            let bytes = snap.read(&p, crate::plan::MAX_FILE_BYTES).ok()??;
            crate::plan::parse_file(&p, bytes).ok()
        })
        .collect()
}

fn first_line(err: &anyhow::Error) -> String {
    let text = format!("{err:#}");
    text.lines().next().unwrap_or_default().to_string()
}
