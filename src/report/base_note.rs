//! The note every format carries when diff mode's base could not be read: why, where, and
//! what the gate compared the head against. A note, never a finding: it fails nothing.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::github::{escape_data, escape_property};
use super::Report;
use crate::diff::BaseUnreadable;

fn note<'a>(report: &Report<'a>) -> Option<&'a BaseUnreadable> {
    report.diff.as_ref().and_then(|d| d.base_unreadable)
}

/// `plancheck: note: ...` with the help, for the human report.
pub fn human(out: &mut String, report: &Report<'_>) {
    if let Some(n) = note(report) {
        let _ = writeln!(out, "plancheck: note: {}", n.text());
        if let Some(help) = &n.help {
            let _ = writeln!(out, "  help (for the base): {help}");
        }
    }
}

/// A quoted paragraph for the Markdown report and the PR comment; the error's text (which
/// may quote the file) stays inside code spans.
pub fn markdown(out: &mut String, report: &Report<'_>) {
    let Some(n) = note(report) else { return };
    let code = super::markdown::code;
    let at = n
        .place()
        .map(|p| format!(" at {}", code(&p)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "> ⚠️ **The base {} could not be read**{at}: {}.\n> The head was compared against {}: every finding at head counts as new, and the change passes only if the head itself is clean (a waiver counts as added unless a base file that could be read holds it). Policies: {}.\n",
        code(&n.base),
        code(&n.reason),
        n.compared_against,
        n.policies
    );
}

/// A `::notice` workflow command on the base's file and line (GitHub shows it on the run).
pub fn github(out: &mut String, report: &Report<'_>) {
    let Some(n) = note(report) else { return };
    let mut props = String::new();
    if let Some(l) = &n.location {
        let _ = write!(props, "file={}", escape_property(&l.path));
        if l.line > 0 {
            let _ = write!(props, ",line={}", l.line);
        }
        props.push(',');
    }
    let _ = writeln!(
        out,
        "::notice {props}title={}::{}",
        escape_property("plancheck: the base could not be read"),
        escape_data(&n.text())
    );
}

/// SARIF: a `note` tool execution notification of a successful invocation.
pub fn sarif(run: &mut Value, report: &Report<'_>) {
    let Some(n) = note(report) else { return };
    let mut notification = json!({"level": "note", "message": {"text": n.text()}});
    if let Some(l) = &n.location {
        notification["locations"] = json!([{"physicalLocation": {
            "artifactLocation": {"uri": l.path, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": l.line.max(1)},
        }}]);
    }
    run["invocations"] = json!([{
        "executionSuccessful": true,
        "toolExecutionNotifications": [notification],
    }]);
}

/// JUnit: a `base` suite with no test cases, the note as its `system-out`.
pub fn junit(report: &Report<'_>) -> String {
    let Some(n) = note(report) else {
        return String::new();
    };
    format!(
        "  <testsuite name=\"base\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\">\n    <system-out>{}</system-out>\n  </testsuite>\n",
        super::junit::xml(&n.text())
    )
}
