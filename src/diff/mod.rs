//! Diff mode: two checked sides (base and head) classified new / existing / fixed by
//! fingerprint, placed against the diff, and the plan change described on the model.
//! The pipeline opens and checks the sides; this module only compares what it is given.

mod classify;
mod line_starts;
pub mod lines;
pub mod manifests;
pub mod oncall;
mod owners;
pub mod semantic;
mod unreadable;

use serde::Serialize;

use crate::checked::Opened;
use crate::finding::{Finding, UnusedWaiver};
pub use classify::classify;
pub use lines::{FilterMode, LineIndex};
pub use semantic::{Change, Chart};
pub use unreadable::BaseUnreadable;

/// Where the policies and configuration of a diff-mode run come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trusted {
    /// The base revision: a change cannot rewrite the rules that judge it.
    #[default]
    Base,
    /// The head (the change itself).
    Head,
}

#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// The base revision, or `A...B` / `A...` for the merge base.
    pub base: String,
    pub filter: FilterMode,
    pub trusted: Trusted,
    /// The gate counts existing findings too (`--fail-on-existing`).
    pub fail_on_existing: bool,
}

/// A changed file and who owns it at base (GitHub requests reviews from the base's CODEOWNERS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedFile {
    pub path: String,
    /// The path at base, when the change renamed the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    pub owners: Vec<String>,
    /// The base CODEOWNERS line that owns it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codeowners_line: Option<u32>,
}

/// What the change does to CODEOWNERS itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CodeownersChange {
    pub path: String,
    pub owners_added: Vec<String>,
    pub owners_removed: Vec<String>,
    pub rules_added: Vec<String>,
    pub rules_removed: Vec<String>,
    /// Plan files whose owners the edit changes, grouped by before and after: who must
    /// approve a change to the plan is the first thing a reviewer needs to know.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plan_owners: Vec<PlanOwnersChange>,
}

/// Plan files whose CODEOWNERS owners differ between base and head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanOwnersChange {
    /// What the files have in common: their directory (`incident-response/`) when the group
    /// is every plan file under it, else the one file.
    pub scope: String,
    pub paths: Vec<String>,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

impl PlanOwnersChange {
    /// "owners of incident-response/ changed @a/x → @a/y" (`none` for no owners).
    pub fn text(&self) -> String {
        let list = |o: &[String]| {
            if o.is_empty() {
                "(no owners)".to_string()
            } else {
                o.join(" ")
            }
        };
        format!(
            "owners of {} changed {} → {}",
            self.scope,
            list(&self.before),
            list(&self.after)
        )
    }
}

pub struct DiffRun {
    pub base: Opened,
    pub head: Opened,
    /// Head findings (new or existing) and base findings the change fixed, sorted.
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Finding>,
    pub unused_waivers: Vec<UnusedWaiver>,
    pub policies_skipped: bool,
    /// The base broke the schema, so its rules did not run: every head finding counts as new.
    pub base_unchecked: bool,
    /// The head broke the schema, so its rules did not run: the gate cannot pass, even on
    /// schema errors the base had too.
    pub head_unchecked: bool,
    /// The base could not be read: the head was judged against no base findings.
    pub base_unreadable: Option<BaseUnreadable>,
    pub changes: Vec<Change>,
    /// Escalation policies the change adds or edits, as Mermaid charts.
    pub charts: Vec<Chart>,
    /// Teams whose next 14 days of on-call the change moves, as Mermaid gantt charts.
    pub oncall_charts: Vec<Chart>,
    pub changed_files: Vec<ChangedFile>,
    pub codeowners: Option<CodeownersChange>,
    /// The base commit (the merge base for `A...B`).
    pub base_commit: String,
    pub base_label: String,
    pub head_label: String,
    pub filter: FilterMode,
    pub fail_on_existing: bool,
}

/// What classification needs besides the two sides: the run's settings and what the pipeline
/// found out while opening them.
#[derive(Debug, Clone)]
pub struct Plan {
    pub filter: FilterMode,
    pub trusted: Trusted,
    pub fail_on_existing: bool,
    /// Policy and configuration files that differ between base and head.
    pub policy_changes: Vec<String>,
    /// The base commit (the merge base for `A...B`).
    pub base_commit: String,
    pub base_label: String,
    pub head_label: String,
}
