//! `--format json` (normative shape, version 1).

use serde::Serialize;

use super::Report;
use crate::finding::{Finding, Summary, UnusedWaiver};

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    findings: &'a [Finding],
    summary: Summary,
    suppressed: &'a [Finding],
    unused_waivers: &'a [UnusedWaiver],
    #[serde(skip_serializing_if = "Option::is_none")]
    diff: Option<DiffDoc<'a>>,
}

/// Diff mode: what was compared, and what the change did to the plan and its ownership.
#[derive(Serialize)]
struct DiffDoc<'a> {
    base: &'a str,
    head: &'a str,
    filter_mode: crate::diff::FilterMode,
    plan_changes: &'a [crate::diff::Change],
    changed_files: &'a [crate::diff::ChangedFile],
    #[serde(skip_serializing_if = "Option::is_none")]
    codeowners: Option<&'a crate::diff::CodeownersChange>,
    /// The base could not be read: why, where, and what the head was compared against.
    #[serde(skip_serializing_if = "Option::is_none")]
    base_unreadable: Option<&'a crate::diff::BaseUnreadable>,
}

pub fn render(report: &Report<'_>) -> String {
    let doc = Doc {
        version: 1,
        findings: report.findings,
        summary: report.summary(),
        suppressed: report.suppressed,
        unused_waivers: report.unused_waivers,
        diff: report.diff.as_ref().map(|d| DiffDoc {
            base: d.base,
            head: d.head,
            filter_mode: d.filter,
            plan_changes: d.changes,
            changed_files: d.changed_files,
            codeowners: d.codeowners,
            base_unreadable: d.base_unreadable,
        }),
    };
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// A run stopped by errors at places in files (syntax errors): the findings document with no
/// findings and the errors as objects, so a script reading `findings` keeps working.
pub fn render_errors(errors: &[crate::error::Located]) -> String {
    let errors: Vec<serde_json::Value> = errors
        .iter()
        .map(|e| {
            serde_json::json!({
                "message": e.message,
                "location": e.place().map(|(path, line, column)| {
                    serde_json::json!({"path": path, "line": line, "column": column})
                }),
                "help": e.help,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "version": 1,
        "findings": [],
        "summary": Summary::default(),
        "suppressed": [],
        "unused_waivers": [],
        "errors": errors,
    });
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
