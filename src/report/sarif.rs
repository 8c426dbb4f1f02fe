//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning reads it.

use serde_json::{json, Value};

use super::columns::{uri, utf16_column, Lines};
use super::Report;
use crate::finding::{Finding, Severity, Status, SuppressionKind};
use crate::rule::RuleInfo;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn rule(r: &RuleInfo) -> Value {
    let mut v = json!({
        "id": r.id,
        "name": r.id,
        "shortDescription": {"text": r.title},
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {"tags": ["incident-response"]},
    });
    if !r.description.is_empty() {
        v["fullDescription"] = json!({"text": r.description});
    }
    let help = r.help.clone().unwrap_or_else(|| r.title.clone());
    v["help"] = json!({"text": help, "markdown": help});
    if let Some(uri) = r.related.first() {
        v["helpUri"] = json!(uri);
    }
    v
}

/// `row`: the text of the finding's line, to count its column in UTF-16 code units.
fn result(f: &Finding, rules: &[RuleInfo], row: Option<&str>) -> Value {
    let mut v = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri(&f.location.path), "uriBaseId": "%SRCROOT%"},
                "region": {
                    "startLine": f.location.line.max(1),
                    "startColumn": utf16_column(row, f.location.column),
                },
            }
        }],
        "partialFingerprints": {"plancheck/v1": f.fingerprint},
    });
    if let Some(i) = rules.iter().position(|r| r.id == f.rule) {
        v["ruleIndex"] = json!(i);
    }
    match f.status {
        Some(Status::New) => v["baselineState"] = json!("new"),
        Some(Status::Existing) => v["baselineState"] = json!("unchanged"),
        _ => {}
    }
    if let Some(s) = &f.suppressed {
        // A waiver is written in the plan itself; an exception in a policy file.
        let kind = match s.kind {
            SuppressionKind::Waiver => "inSource",
            SuppressionKind::Exception => "external",
        };
        v["suppressions"] = json!([{
            "kind": kind,
            "status": "accepted",
            "justification": s.reason,
            "location": {"physicalLocation": {
                "artifactLocation": {"uri": uri(&s.location.path), "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": s.location.line.max(1)},
            }},
        }]);
    }
    v
}

/// Fixed findings (diff mode) are left out: they no longer exist at head.
pub fn render(report: &Report<'_>, rules: &[RuleInfo]) -> String {
    let mut lines = Lines::default();
    let results: Vec<Value> = report
        .findings
        .iter()
        .chain(report.suppressed)
        .filter(|f| f.status != Some(Status::Fixed))
        .map(|f| {
            let row = lines.get(&report.sources, &f.location.path, f.location.line);
            result(f, rules, row)
        })
        .collect();
    let mut driver = driver();
    driver["rules"] = json!(rules.iter().map(rule).collect::<Vec<_>>());
    let mut run = json!({"tool": {"driver": driver}, "results": results});
    super::base_note::sarif(&mut run, report);
    document(run)
}

/// plancheck as SARIF's tool driver.
fn driver() -> Value {
    json!({
        "name": "plancheck",
        "version": env!("CARGO_PKG_VERSION"),
        "informationUri": crate::rule::SOURCE_REPOSITORY,
    })
}

/// A SARIF 2.1.0 log of one run, as text.
fn document(run: Value) -> String {
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// Errors that stopped the run: no results, and each error as a tool execution notification
/// of an unsuccessful invocation (code scanning shows those as tool errors).
pub fn render_errors(errors: &[crate::error::Located]) -> String {
    let notifications: Vec<Value> = errors
        .iter()
        .map(|e| {
            let text = match &e.help {
                Some(h) => format!("{} (help: {h})", e.message),
                None => e.message.clone(),
            };
            let column = utf16_column(e.source_line.as_deref(), e.pos.column);
            let mut region = json!({"startLine": e.pos.line.max(1), "startColumn": column});
            if let Some(line) = &e.source_line {
                region["snippet"] = json!({"text": line});
            }
            let mut notification = json!({"level": "error", "message": {"text": text}});
            if !e.path.is_empty() {
                notification["locations"] = json!([{"physicalLocation": {
                    "artifactLocation": {"uri": uri(&e.path), "uriBaseId": "%SRCROOT%"},
                    "region": region,
                }}]);
            }
            notification
        })
        .collect();
    document(json!({
        "tool": {"driver": driver()},
        "invocations": [{
            "executionSuccessful": false,
            "toolExecutionNotifications": notifications,
        }],
        "results": [],
    }))
}
