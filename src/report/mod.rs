//! Output formats: each reads the same `&[Finding]`.

mod base_note;
pub(crate) mod columns;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod policy_tests;
pub mod rdjson;
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
    /// Where `path:line` links to on the forge (a PR comment); `None` prints plain text.
    pub links: Option<Links>,
}

/// Links to a file and line at one commit: `{server}/{repo}/blob/{sha}/{path}#L{line}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    pub server: String,
    pub repo: String,
    pub sha: String,
}

impl Links {
    pub fn to(&self, path: &str, line: u32) -> String {
        let path: String = path
            .split('/')
            .map(percent_encode)
            .collect::<Vec<_>>()
            .join("/");
        let anchor = if line > 0 {
            format!("#L{line}")
        } else {
            String::new()
        };
        format!(
            "{}/{}/blob/{}/{path}{anchor}",
            self.server.trim_end_matches('/'),
            self.repo,
            self.sha
        )
    }
}

/// Text safe in a URL path segment or query value (RFC 3986 unreserved characters kept).
pub(crate) fn percent_encode(seg: &str) -> String {
    let mut out = String::with_capacity(seg.len());
    for b in seg.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The diff-mode parts of a report.
pub struct DiffView<'a> {
    pub base: &'a str,
    pub head: &'a str,
    pub filter: crate::diff::FilterMode,
    pub changes: &'a [crate::diff::Change],
    /// Mermaid charts of the escalation policies the change adds or edits.
    pub charts: &'a [crate::diff::Chart],
    /// Gantt charts of the teams whose next 14 days of on-call the change moves.
    pub oncall_charts: &'a [crate::diff::Chart],
    pub changed_files: &'a [crate::diff::ChangedFile],
    pub codeowners: Option<&'a crate::diff::CodeownersChange>,
    /// The base broke the schema, so its rules did not run: every head finding counts as new.
    pub base_unchecked: bool,
    /// The head broke the schema: its existing schema errors fail the gate too.
    pub head_unchecked: bool,
    /// The base could not be read: the head was judged against no base findings.
    pub base_unreadable: Option<&'a crate::diff::BaseUnreadable>,
    /// The gate counts existing findings too.
    pub fail_on_existing: bool,
}

impl DiffView<'_> {
    /// Whether the diff-mode gate counts this finding's status (severity aside).
    pub fn gated(&self, f: &Finding) -> bool {
        crate::gate::status_counts(f, self.fail_on_existing, self.head_unchecked)
    }
}

impl Report<'_> {
    pub fn summary(&self) -> crate::finding::Summary {
        crate::finding::Summary::of(self.findings, self.suppressed, self.diff.is_some())
    }
}

/// Diff mode's one-line verdict: "2 new errors (2 new, 1 existing, 0 fixed) comparing A with B".
pub fn diff_verdict(report: &Report<'_>) -> Option<String> {
    let d = report.diff.as_ref()?;
    let s = report.summary();
    Some(format!(
        "{} ({} new, {} existing, {} fixed{}) comparing {} with {}",
        plural(s.new_errors?, "new error"),
        s.new?,
        s.existing.unwrap_or(0),
        s.fixed.unwrap_or(0),
        if s.suppressed > 0 {
            format!(", {} suppressed", s.suppressed)
        } else {
            String::new()
        },
        d.base,
        d.head
    ))
}

/// "1 error", "2 errors".
pub use crate::text::plural;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_point_at_the_line_of_the_file_at_the_commit_with_the_path_encoded() {
        let l = Links {
            server: "https://github.com/".into(),
            repo: "acme/plans".into(),
            sha: "abc".into(),
        };
        assert_eq!(
            l.to("incident response/plan #1.yaml", 12),
            "https://github.com/acme/plans/blob/abc/incident%20response/plan%20%231.yaml#L12"
        );
        assert_eq!(
            l.to("CODEOWNERS", 0),
            "https://github.com/acme/plans/blob/abc/CODEOWNERS"
        );
    }
}
