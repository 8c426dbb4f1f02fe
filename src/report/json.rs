//! `--format json` (normative shape, version 1).

use serde::Serialize;

use super::Report;
use crate::finding::{Finding, Summary};

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    findings: &'a [Finding],
    summary: Summary,
}

pub fn render(report: &Report<'_>) -> String {
    let doc = Doc {
        version: 1,
        findings: report.findings,
        summary: Summary::of(report.findings),
    };
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
