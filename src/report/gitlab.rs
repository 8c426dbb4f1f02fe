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
use crate::finding::{Finding, Severity, Status};

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
    }
}

fn issue(f: &Finding, fingerprint: String) -> Value {
    let mut description = f.message.clone();
    if let Some(help) = &f.help {
        description.push_str(" (help: ");
        description.push_str(help);
        description.push(')');
    }
    json!({
        "description": description,
        "check_name": f.rule,
        "fingerprint": fingerprint,
        "severity": severity(f.severity),
        "location": {
            "path": f.location.path,
            // GitLab needs a line; a finding about a whole file points at its first.
            "lines": {"begin": f.location.line.max(1)},
        },
    })
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
            issue(f, fingerprint)
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&Value::Array(issues)).unwrap_or_default();
    s.push('\n');
    s
}

/// A run stopped by files that cannot be read (syntax errors): each error a `blocker` issue
/// (`load-error`) on its line, so the merge-request widget shows why there is no report.
pub fn render_errors(errors: &[crate::error::Located]) -> String {
    let issues: Vec<Value> = errors
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut description = e.message.clone();
            if let Some(help) = &e.help {
                description.push_str(" (help: ");
                description.push_str(help);
                description.push(')');
            }
            json!({
                "description": description,
                "check_name": "load-error",
                "fingerprint": format!("load-error:{}:{i}", e.path),
                "severity": "blocker",
                "location": {"path": e.path, "lines": {"begin": e.pos.line.max(1)}},
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&Value::Array(issues)).unwrap_or_default();
    s.push('\n');
    s
}
