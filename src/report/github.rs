//! `--format github`: GitHub Actions workflow-command annotations, one per finding.
//!
//! GitHub shows at most 10 error and 10 warning annotations per step (50 per job), so errors
//! come first and a notice says how many more there are.

use std::fmt::Write as _;

use super::{plural, Report};
use crate::finding::{Finding, Severity, Status};

/// Escapes workflow-command data (the message).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value (file, title).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn annotation(f: &Finding) -> String {
    let kind = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let status = match f.status {
        Some(Status::New) => " (new)",
        Some(Status::Existing) => " (existing)",
        _ => "",
    };
    format!(
        "::{kind} file={},line={},col={},title={}::{}\n",
        escape_property(&f.location.path),
        f.location.line.max(1),
        f.location.column.max(1),
        escape_property(&format!("plancheck {}{status}", f.rule)),
        escape_data(&f.message)
    )
}

/// Per-step display caps.
const SHOWN_PER_LEVEL: usize = 10;

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    let live: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.status != Some(Status::Fixed))
        .collect();
    for sev in [Severity::Error, Severity::Warning] {
        let group: Vec<&&Finding> = live.iter().filter(|f| f.severity == sev).collect();
        for f in &group {
            out.push_str(&annotation(f));
        }
        if group.len() > SHOWN_PER_LEVEL {
            let _ = writeln!(
                out,
                "::notice title=plancheck::{}",
                escape_data(&format!(
                    "{} {}s: GitHub shows the first {SHOWN_PER_LEVEL} per step; all are in the log above and in the job summary",
                    group.len(),
                    sev.as_str()
                ))
            );
        }
    }
    let s = report.summary();
    let _ = writeln!(
        out,
        "plancheck: {}, {}{} in {}",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        if s.suppressed > 0 {
            format!(" ({} suppressed)", s.suppressed)
        } else {
            String::new()
        },
        report.scope
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_are_escaped_as_the_actions_toolkit_does() {
        assert_eq!(escape_data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
