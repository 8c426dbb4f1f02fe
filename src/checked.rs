//! One side of a run, loaded and checked: what `check` produces and `diff` compares.

use regorus::Value;

use crate::finding::{Finding, UnusedWaiver};
use crate::policy::PolicySet;
use crate::workspace::Workspace;

/// A loaded repository, ready to be checked.
pub struct Opened {
    pub workspace: Workspace,
    pub policies: PolicySet,
    pub now: String,
}

#[derive(Debug)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    /// Findings a waiver or an `exception` rule suppressed, each with its reason.
    pub suppressed: Vec<Finding>,
    /// Unexpired waivers that matched no finding (stale, or with a typo in rule or target).
    pub unused_waivers: Vec<UnusedWaiver>,
    /// True when schema errors kept the policies from running.
    pub policies_skipped: bool,
    /// The input document the policies saw.
    pub input: Value,
}
