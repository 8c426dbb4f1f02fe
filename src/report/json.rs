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
}

pub fn render(report: &Report<'_>) -> String {
    let doc = Doc {
        version: 1,
        findings: report.findings,
        summary: Summary::of(report.findings, report.suppressed),
        suppressed: report.suppressed,
        unused_waivers: report.unused_waivers,
    };
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
