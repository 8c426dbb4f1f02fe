//! `--format human`: rustc-style diagnostics with the source line, then a summary.

use std::collections::HashMap;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use super::{plural, Report};
use crate::finding::{Finding, Severity, Summary, SuppressionKind};

/// Renders every finding, then (unless `quiet`) the summary lines.
pub fn render(report: &Report<'_>, color: bool, quiet: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // Each file is split into lines once, however many findings point into it.
    let mut lines: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut out = String::new();
    for f in report.findings {
        let path = f.location.path.as_str();
        if !lines.contains_key(path) {
            if let Some(text) = report.sources.get(path) {
                lines.insert(path, text.lines().collect());
            }
        }
        let line_text = lines
            .get(path)
            .and_then(|l| l.get(f.location.line.saturating_sub(1) as usize))
            .copied();
        out.push_str(&render_one(f, line_text, &renderer));
        out.push_str("\n\n");
    }
    if quiet {
        return out;
    }
    if !report.suppressed.is_empty() {
        out.push_str(&format!("suppressed ({}):\n", report.suppressed.len()));
        for f in report.suppressed {
            let l = &f.location;
            out.push_str(&format!(
                "  {}[{}] {}:{}:{}: {}\n",
                f.severity.as_str(),
                f.rule,
                l.path,
                l.line,
                l.column,
                f.message
            ));
            if let Some(s) = &f.suppressed {
                let by = match s.kind {
                    SuppressionKind::Waiver => "waived",
                    SuppressionKind::Exception => "excepted",
                };
                let until = s
                    .expires
                    .as_deref()
                    .map(|d| format!(" until {d}"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "    {by} at {}:{}{until}: {}\n",
                    s.location.path, s.location.line, s.reason
                ));
            }
        }
        out.push('\n');
    }
    for w in report.unused_waivers {
        out.push_str(&format!(
            "note: the waiver at {}:{} ({} on {}) matched no finding; delete it if the problem is gone, or fix its rule or target\n",
            w.location.path, w.location.line, w.rule, w.target
        ));
    }
    let s = Summary::of(report.findings, report.suppressed);
    let mut verdict = if report.findings.is_empty() {
        "no findings".to_string()
    } else {
        format!(
            "{}, {}",
            plural(s.errors, "error"),
            plural(s.warnings, "warning")
        )
    };
    if s.suppressed > 0 {
        verdict.push_str(&format!(" ({} suppressed)", s.suppressed));
    }
    out.push_str(&format!("plancheck: {verdict} in {}\n", report.scope));
    if report.policies_skipped {
        out.push_str("plancheck: policies were not evaluated because the plan does not match the schema; fix the plan-schema errors first\n");
    }
    out
}

fn render_one(f: &Finding, line_text: Option<&str>, renderer: &Renderer) -> String {
    let level = match f.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level
        .clone()
        .primary_title(f.message.as_str())
        .id(f.rule.as_str());
    let mut group = match line_text {
        Some(text) => {
            let span = token_span(text, f.location.column);
            title.element(
                Snippet::source(text)
                    .line_start(f.location.line as usize)
                    .path(f.location.path.as_str())
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        }
        None => title.element(
            Snippet::<annotate_snippets::Annotation<'_>>::source("")
                .line_start(f.location.line as usize)
                .path(f.location.path.as_str()),
        ),
    };
    if let Some(help) = &f.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    renderer.render(&[group]).to_string()
}

/// Byte range of the token starting at a 1-based character column: a quoted string, a flow
/// collection, or a plain value up to a comment or the end of the line.
pub fn token_span(line: &str, column: u32) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let len = match rest.chars().next() {
        None => 0,
        Some(q @ ('"' | '\'')) => {
            let mut end = rest.len();
            let mut escaped = false;
            for (i, c) in rest.char_indices().skip(1) {
                if q == '"' && c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == q && !escaped {
                    end = i + c.len_utf8();
                    break;
                }
                escaped = false;
            }
            end
        }
        Some(open @ ('[' | '{')) => {
            let close = if open == '[' { ']' } else { '}' };
            let mut depth = 0;
            let mut end = rest.trim_end().len();
            for (i, c) in rest.char_indices() {
                if c == open {
                    depth += 1;
                } else if c == close {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
            }
            end
        }
        Some(_) => {
            let mut end = rest.len();
            if let Some(i) = rest.find(" #") {
                end = end.min(i);
            }
            // Inside a flow collection a plain value ends at the next separator.
            if line[..start].contains(['[', '{']) {
                if let Some(i) = rest.find([',', ']', '}']) {
                    end = end.min(i);
                }
            }
            rest[..end].trim_end().len()
        }
    };
    start..start + len.max(usize::from(start < line.len()))
}

#[cfg(test)]
mod tests {
    use super::token_span;

    #[test]
    fn token_spans_cover_the_value_only() {
        let l = "    owner: erin   # the storage lead";
        assert_eq!(&l[token_span(l, 12)], "erin");
        let l = "  - {tier: executive, targets: [ceo], after_minutes: 30}";
        let col = |needle: &str| u32::try_from(l.find(needle).expect("needle") + 1).expect("small");
        assert_eq!(&l[token_span(l, col("[ceo]"))], "[ceo]");
        assert_eq!(&l[token_span(l, col("ceo]"))], "ceo");
        let l = "    phone: \"+1 415\" ";
        assert_eq!(&l[token_span(l, 12)], "\"+1 415\"");
        let l = "  - id: THR-007";
        assert_eq!(&l[token_span(l, 5)], "id: THR-007");
    }
}
