//! `--format rdjson`: reviewdog's Diagnostic format (`rdjson`), one `DiagnosticResult`.
//!
//! `plancheck check --format rdjson | reviewdog -f=rdjson -reporter=gitlab-mr-discussion`
//! turns findings into review comments on GitLab, Bitbucket, Gerrit or Gitea; reviewdog does
//! the diff filtering itself, so every finding at head is written, in diff mode too (fixed
//! ones excepted: they no longer exist). Suppressed findings are left out: they must not
//! become comments.
//!
//! reviewdog counts columns in UTF-8 bytes; plancheck's locations count characters, so the
//! column is converted with the file's text when the report has it.

use serde_json::{json, Value};

use super::Report;
use crate::finding::{Finding, Severity, Status};
use crate::rule::RuleInfo;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
    }
}

/// The 1-based UTF-8 byte column of the 1-based character column `column` on line `line`.
pub(crate) fn byte_column(source: Option<&str>, line: u32, column: u32) -> u32 {
    let column = column.max(1);
    let Some(text) = source else {
        return column;
    };
    let Some(row) = super::columns::split_lines(text)
        .get(line.saturating_sub(1) as usize)
        .copied()
    else {
        return column;
    };
    let chars = (column - 1) as usize;
    let bytes: usize = row.chars().take(chars).map(char::len_utf8).sum();
    // A column past the end of the line (an end-of-line position) keeps its extra characters.
    let beyond = chars.saturating_sub(row.chars().count());
    u32::try_from(bytes + beyond + 1).unwrap_or(u32::MAX)
}

/// A diagnostic's message: the finding's, then its help after a blank line.
fn with_help(message: &str, help: Option<&str>) -> String {
    match help {
        Some(help) => format!("{message}\n\nhelp: {help}"),
        None => message.to_string(),
    }
}

/// One `DiagnosticResult` from plancheck, as text.
fn document(diagnostics: Vec<Value>) -> String {
    let doc = json!({
        "source": {"name": "plancheck", "url": crate::rule::SOURCE_REPOSITORY},
        "diagnostics": diagnostics,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn diagnostic(report: &Report<'_>, f: &Finding, rules: &[RuleInfo]) -> Value {
    let loc = &f.location;
    let mut location = json!({ "path": loc.path });
    if loc.line > 0 {
        let source = report.sources.get(loc.path.as_str()).copied();
        location["range"] = json!({"start": {
            "line": loc.line,
            "column": byte_column(source, loc.line, loc.column),
        }});
    }
    let message = with_help(&f.message, f.help.as_deref());
    let mut code = json!({ "value": f.rule });
    if let Some(url) = rules
        .iter()
        .find(|r| r.id == f.rule)
        .and_then(|r| r.related.first())
    {
        code["url"] = json!(url);
    }
    json!({
        "message": message,
        "location": location,
        "severity": severity(f.severity),
        "code": code,
    })
}

pub fn render(report: &Report<'_>, rules: &[RuleInfo]) -> String {
    let diagnostics: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| f.status != Some(Status::Fixed))
        .map(|f| diagnostic(report, f, rules))
        .collect();
    document(diagnostics)
}

/// A run stopped by files that cannot be read (syntax errors): each error a diagnostic with
/// code `load-error`, so reviewdog comments on the line that does not parse.
pub fn render_errors(errors: &[crate::error::Located]) -> String {
    let diagnostics: Vec<Value> = errors
        .iter()
        .map(|e| {
            let message = with_help(&e.message, e.help.as_deref());
            let mut location = json!({ "path": e.path });
            if e.pos.line > 0 {
                // The error carries its own line's text: column 1 of a one-line source.
                let column = byte_column(e.source_line.as_deref(), 1, e.pos.column);
                location["range"] = json!({"start": {"line": e.pos.line, "column": column}});
            }
            let mut diagnostic = json!({
                "message": message,
                "severity": "ERROR",
                "code": {"value": if e.source_line.is_some() { "load-error" } else { "run-error" }},
            });
            if !e.path.is_empty() {
                diagnostic["location"] = location;
            }
            diagnostic
        })
        .collect();
    document(diagnostics)
}

#[cfg(test)]
mod tests {
    use super::byte_column;

    #[test]
    fn columns_count_utf8_bytes_as_reviewdog_reads_them() {
        // 'a𐐀b': a is column 1, 𐐀 column 2, b column 6 (reviewdog's own example).
        let text = "first\na𐐀b\n";
        assert_eq!(byte_column(Some(text), 2, 1), 1);
        assert_eq!(byte_column(Some(text), 2, 2), 2);
        assert_eq!(byte_column(Some(text), 2, 3), 6);
        // At the end of the line and past it: one byte per extra column.
        assert_eq!(byte_column(Some(text), 2, 4), 7);
        assert_eq!(byte_column(Some(text), 2, 5), 8);
        // Without the text, or past the last line, the column is kept.
        assert_eq!(byte_column(None, 2, 3), 3);
        assert_eq!(byte_column(Some(text), 9, 3), 3);
        assert_eq!(byte_column(Some(text), 1, 0), 1);
    }
}
