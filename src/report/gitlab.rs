//! `--format gitlab`: a GitLab Code Quality report (the `codequality` artifact of a job), which
//! GitLab shows in the merge-request widget and on the diff.
//!
//! GitLab compares the report of the merge request's head with the base branch's itself, so
//! every finding at head is written, in diff mode too (fixed ones excepted). Suppressed
//! findings are left out. Severities: an error is `major`, a warning `minor` (GitLab's scale
//! is info, minor, major, critical, blocker).
//!
//! The fingerprint is the finding's own (rule and subject, never the line), so GitLab matches
//! a finding across commits when lines move. Fingerprints must be unique in a report; a
//! repeated one (two findings about the same thing) gets `-2`, `-3`, ... appended.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::Report;
use crate::finding::{Severity, Status};

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
    }
}

/// One Code Quality issue. GitLab needs a line: a finding about a whole file points at its
/// first.
fn issue(
    message: &str,
    help: Option<&str>,
    check_name: &str,
    fingerprint: String,
    severity: &str,
    path: &str,
    line: u32,
) -> Value {
    let description = match help {
        Some(help) => format!("{message} (help: {help})"),
        None => message.to_string(),
    };
    json!({
        "description": description,
        "check_name": check_name,
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {"path": path, "lines": {"begin": line.max(1)}},
    })
}

/// The report as text: a JSON array of issues.
fn document(issues: Vec<Value>) -> String {
    let mut s = serde_json::to_string_pretty(&Value::Array(issues)).unwrap_or_default();
    s.push('\n');
    s
}

pub fn render(report: &Report<'_>) -> String {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let issues: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| f.status != Some(Status::Fixed))
        .map(|f| {
            let n = seen.entry(f.fingerprint.as_str()).or_insert(0);
            *n += 1;
            let fingerprint = if *n == 1 {
                f.fingerprint.clone()
            } else {
                format!("{}-{n}", f.fingerprint)
            };
            let (loc, help) = (&f.location, f.help.as_deref());
            let severity = severity(f.severity);
            issue(
                &f.message,
                help,
                &f.rule,
                fingerprint,
                severity,
                &loc.path,
                loc.line,
            )
        })
        .collect();
    document(issues)
}

/// A run stopped by files that cannot be read (syntax errors): each error a `blocker` issue
/// (`load-error`) on its line, so the merge-request widget shows why there is no report.
pub fn render_errors(errors: &[crate::error::Located]) -> String {
    let issues: Vec<Value> = errors
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let kind = if e.source_line.is_some() {
                "load-error"
            } else {
                "run-error"
            };
            let fingerprint = format!("{kind}:{}:{i}", e.path);
            let help = e.help.as_deref();
            // Code Quality requires a path: an error about no file is put on the repository.
            let path = if e.path.is_empty() {
                "."
            } else {
                e.path.as_str()
            };
            issue(
                &e.message,
                help,
                kind,
                fingerprint,
                "blocker",
                path,
                e.pos.line,
            )
        })
        .collect();
    document(issues)
}
