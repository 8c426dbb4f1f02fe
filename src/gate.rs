//! The gate: which findings make a run fail. One definition, read by the exit code of `check`
//! and `github` and by the formats that mark failing findings (JUnit).

use crate::finding::{FailOn, Finding, Status};
use crate::rule::SCHEMA_RULE;

/// Whether a finding's diff-mode status counts for the gate (severity aside): new ones
/// always; existing ones with `fail_on_existing`, or when they are schema errors of a head
/// whose rules did not run (nothing else would judge the change); fixed ones never. Outside
/// diff mode (no status) every finding counts.
pub fn status_counts(f: &Finding, fail_on_existing: bool, head_unchecked: bool) -> bool {
    match f.status {
        None | Some(Status::New) => true,
        Some(Status::Existing) => fail_on_existing || (head_unchecked && f.rule == SCHEMA_RULE),
        Some(Status::Fixed) => false,
    }
}

/// The fail-on level: the flag, else the configuration's, else `error`.
pub fn fail_on(flag: Option<FailOn>, configured: Option<FailOn>) -> FailOn {
    flag.or(configured).unwrap_or(FailOn::Error)
}

/// The findings that fail the run.
pub fn failing(
    findings: &[Finding],
    fail_on: FailOn,
    fail_on_existing: bool,
    head_unchecked: bool,
) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| status_counts(f, fail_on_existing, head_unchecked))
        .filter(|f| fail_on.fails(f))
        .collect()
}
