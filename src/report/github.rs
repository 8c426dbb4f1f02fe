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

/// An annotation on the finding's line, or (`on_line` false) on the job, naming the place.
fn annotation(f: &Finding, on_line: bool) -> String {
    let kind = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let status = match f.status {
        Some(Status::New) => " (new)",
        Some(Status::Existing) => " (existing)",
        _ => "",
    };
    let title = escape_property(&format!("plancheck {}{status}", f.rule));
    if on_line {
        format!(
            "::{kind} file={},line={},col={},title={title}::{}\n",
            escape_property(&f.location.path),
            f.location.line.max(1),
            f.location.column.max(1),
            escape_data(&f.message)
        )
    } else {
        format!(
            "::{kind} title={title}::{}\n",
            escape_data(&format!(
                "{}:{}: {}",
                f.location.path, f.location.line, f.message
            ))
        )
    }
}

/// Per-step display caps.
const SHOWN_PER_LEVEL: usize = 10;

/// In diff mode, findings inside `--filter-mode` are annotated on their lines; new findings
/// outside it on the job (they still count); existing ones outside it only in the summary.
/// New findings come first, so GitHub's per-step cap never hides them behind old ones.
pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    let mut live: Vec<(&Finding, bool)> = report
        .findings
        .iter()
        .filter(|f| f.status != Some(Status::Fixed))
        .filter_map(|f| match (f.in_diff, f.status) {
            (Some(false), Some(Status::New)) => Some((f, false)),
            (Some(false), _) => None,
            _ => Some((f, true)),
        })
        .collect();
    live.sort_by_key(|(f, on_line)| (f.status != Some(Status::New), !on_line));
    for sev in [Severity::Error, Severity::Warning] {
        let group: Vec<&(&Finding, bool)> =
            live.iter().filter(|(f, _)| f.severity == sev).collect();
        for (f, on_line) in &group {
            out.push_str(&annotation(f, *on_line));
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
    super::base_note::github(&mut out, report);
    if let Some(verdict) = super::diff_verdict(report) {
        let _ = writeln!(out, "plancheck: {verdict}");
        return out;
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

/// Errors that stopped the run: one `::error` annotation each, on the file, line and column.
pub fn render_errors(errors: &[crate::error::Located]) -> String {
    let mut out = String::new();
    for e in errors {
        let text = match &e.help {
            Some(h) => format!("{}\nhelp: {h}", e.message),
            None => e.message.clone(),
        };
        let Some((path, line, col)) = e.place() else {
            let title = escape_property("plancheck: the check failed");
            let _ = writeln!(out, "::error title={title}::{}", escape_data(&text));
            continue;
        };
        let title = match e.source_line {
            Some(_) => "plancheck: cannot read the file",
            None => "plancheck: the check failed",
        };
        let _ = writeln!(
            out,
            "::error file={},line={line},col={col},title={}::{}",
            escape_property(path),
            escape_property(title),
            escape_data(&text)
        );
    }
    let _ = writeln!(
        out,
        "plancheck: {} stopped the check",
        plural(errors.len(), "error")
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
