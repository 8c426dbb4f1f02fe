//! `--format junit`: one test suite per rule, one failing test case per finding, for the CI
//! systems that read JUnit XML (GitLab, Jenkins).

use std::fmt::Write as _;

use super::Report;
use crate::finding::{Finding, Status};
use crate::rule::RuleInfo;

/// Text safe in XML attributes and content.
pub(super) fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn case_name(f: &Finding) -> String {
    format!("{}:{}: {}", f.location.path, f.location.line, f.message)
}

pub fn render(report: &Report<'_>, rules: &[RuleInfo]) -> String {
    let at_head = |f: &&Finding| f.status != Some(Status::Fixed);
    // In diff mode a finding the gate does not count (an existing one, unless
    // --fail-on-existing) is a skipped case, not a failure: the run passes with it.
    let gated = |f: &&Finding| report.diff.as_ref().is_none_or(|d| d.gated(f));
    let findings: Vec<&Finding> = report
        .findings
        .iter()
        .filter(at_head)
        .filter(gated)
        .collect();
    let ungated: Vec<&Finding> = report
        .findings
        .iter()
        .filter(at_head)
        .filter(|f| !gated(f))
        .collect();
    let mut suites = String::new();
    let (mut tests, mut failures, mut skipped) = (0, 0, 0);
    for r in rules {
        let mine: Vec<&&Finding> = findings.iter().filter(|f| f.rule == r.id).collect();
        let waived: Vec<&Finding> = report
            .suppressed
            .iter()
            .filter(|f| f.rule == r.id)
            .collect();
        let old: Vec<&&Finding> = ungated.iter().filter(|f| f.rule == r.id).collect();
        let n = mine.len().max(1) + waived.len() + old.len();
        tests += n;
        failures += mine.len();
        skipped += waived.len() + old.len();
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">",
            xml(&r.id),
            mine.len(),
            waived.len() + old.len()
        );
        if mine.is_empty() {
            let _ = writeln!(
                suites,
                "    <testcase classname=\"{}\" name=\"no findings\"/>",
                xml(&r.id)
            );
        }
        for f in mine {
            let status = f
                .status
                .map(|s| {
                    format!(
                        " ({})",
                        serde_json::to_string(&s)
                            .unwrap_or_default()
                            .trim_matches('"')
                    )
                })
                .unwrap_or_default();
            let _ = writeln!(
                suites,
                "    <testcase classname=\"{}\" name=\"{}\">\n      <failure type=\"{}\" message=\"{}\">{}:{}:{}: {}{status}\n{}</failure>\n    </testcase>",
                xml(&r.id),
                xml(&case_name(f)),
                f.severity.as_str(),
                xml(&f.message),
                xml(&f.location.path),
                f.location.line,
                f.location.column,
                xml(&f.message),
                xml(f.help.as_deref().unwrap_or(&r.title)),
            );
        }
        for f in old {
            let _ = writeln!(
                suites,
                "    <testcase classname=\"{}\" name=\"{}\">\n      <skipped message=\"existing: not introduced by this change\"/>\n    </testcase>",
                xml(&r.id),
                xml(&case_name(f)),
            );
        }
        for f in waived {
            let reason = f.suppressed.as_ref().map_or("", |s| s.reason.as_str());
            let _ = writeln!(
                suites,
                "    <testcase classname=\"{}\" name=\"{}\">\n      <skipped message=\"suppressed: {}\"/>\n    </testcase>",
                xml(&r.id),
                xml(&case_name(f)),
                xml(reason)
            );
        }
        suites.push_str("  </testsuite>\n");
    }
    suites.push_str(&super::base_note::junit(report));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"plancheck\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n{suites}</testsuites>\n",
    )
}

/// Errors that stopped the run: one test case per error, as an `<error>` (the run itself
/// failed), not a `<failure>` (a finding).
pub fn render_errors(errors: &[crate::error::Located]) -> String {
    let mut cases = String::new();
    for e in errors {
        let (name, kind) = match (&e.source_line, e.path.is_empty()) {
            (Some(_), _) => (
                format!("{}:{}: cannot read the file", e.path, e.pos.line),
                "syntax",
            ),
            (None, true) => ("the check failed".to_string(), "run"),
            (None, false) => (
                format!("{}:{}: the check failed", e.path, e.pos.line),
                "run",
            ),
        };
        let _ = writeln!(
            cases,
            "    <testcase classname=\"plancheck\" name=\"{}\">\n      <error type=\"{kind}\" message=\"{}\">{}\n{}</error>\n    </testcase>",
            xml(&name),
            xml(&e.message),
            xml(&match e.place() {
                Some((path, line, column)) => format!("{path}:{line}:{column}: {}", e.message),
                None => e.message.clone(),
            }),
            xml(e.help.as_deref().unwrap_or("")),
        );
    }
    let n = errors.len();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"plancheck\" tests=\"{n}\" failures=\"0\" errors=\"{n}\" skipped=\"0\">\n  <testsuite name=\"load\" tests=\"{n}\" failures=\"0\" errors=\"{n}\" skipped=\"0\">\n{cases}  </testsuite>\n</testsuites>\n",
    )
}
