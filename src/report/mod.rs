//! Output formats: each reads the same `&[Finding]`.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

use std::collections::HashMap;

use crate::finding::{Finding, UnusedWaiver};

/// What an output format may show besides the findings.
pub struct Report<'a> {
    pub findings: &'a [Finding],
    /// Suppressed findings (waived or excepted), each with its reason.
    pub suppressed: &'a [Finding],
    pub unused_waivers: &'a [UnusedWaiver],
    /// Source text of the files findings point into, by repository path.
    pub sources: HashMap<&'a str, &'a str>,
    /// One line describing what was checked ("7 plan files (25 threats, ...) in the working tree").
    pub scope: String,
    pub policies_skipped: bool,
    /// Diff mode: what was compared and what the change did.
    pub diff: Option<DiffView<'a>>,
}

/// The diff-mode parts of a report.
pub struct DiffView<'a> {
    pub base: &'a str,
    pub head: &'a str,
    pub filter: crate::diff::FilterMode,
    pub changes: &'a [crate::diff::Change],
    pub changed_files: &'a [crate::diff::ChangedFile],
    pub codeowners: Option<&'a crate::diff::CodeownersChange>,
}

impl Report<'_> {
    pub fn summary(&self) -> crate::finding::Summary {
        crate::finding::Summary::of(self.findings, self.suppressed, self.diff.is_some())
    }
}

/// "1 error", "2 errors".
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
