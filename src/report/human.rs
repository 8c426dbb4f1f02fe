//! `--format human`: rustc-style diagnostics with the source line, then a summary.

use std::collections::HashMap;

use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};

use super::{plural, Report};
use crate::error::Located;
use crate::finding::{Finding, Severity, Status, SuppressionKind};

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
    // In diff mode the findings the change introduces come with their source line; the
    // ones it keeps or fixes are listed briefly after them.
    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.status.is_none() || f.status == Some(Status::New))
        .collect();
    if report.diff.is_some() && !shown.is_empty() {
        out.push_str(&format!("new findings ({}):\n\n", shown.len()));
    }
    for f in shown {
        let line_text = if f.whole_file() {
            None
        } else {
            line_at(&mut lines, &report.sources, &f.location)
        };
        let related: Vec<(&crate::finding::Related, Option<&str>)> = f
            .related
            .iter()
            .map(|r| (r, line_at(&mut lines, &report.sources, &r.location)))
            .collect();
        out.push_str(&render_one(f, line_text, &related, &renderer));
        out.push_str("\n\n");
    }
    if quiet {
        return out;
    }
    for (status, title) in [
        (Status::Existing, "existing findings"),
        (Status::Fixed, "fixed by this change"),
    ] {
        let group: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.status == Some(status))
            .collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!("{title} ({}):\n", group.len()));
        for f in group {
            out.push_str(&format!("  {}\n", one_line(f)));
        }
        out.push('\n');
    }
    if let Some(d) = &report.diff {
        diff_sections(&mut out, d);
    }
    suppressed(&mut out, report);
    for w in report.unused_waivers {
        out.push_str(&format!(
            "note: the waiver at {}:{} ({} on {}) matched no finding; delete it if the problem is gone, or fix its rule or target\n",
            w.location.path, w.location.line, w.rule, w.target
        ));
    }
    let s = report.summary();
    if let (Some(d), Some(verdict)) = (&report.diff, super::diff_verdict(report)) {
        out.push_str(&format!("plancheck: {verdict}\n"));
        if report.policies_skipped {
            out.push_str("plancheck: policies were not evaluated at head because the plan does not match the schema; fix the plan-schema errors first\n");
            out.push_str("plancheck: the gate fails until the plan matches the schema, existing plan-schema errors included: rules that did not run cannot pass a change\n");
        }
        if d.base_unchecked {
            out.push_str("plancheck: the base does not match the schema, so its rules did not run there: every finding at head counts as new\n");
        }
        super::base_note::human(&mut out, report);
        return out;
    }
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

/// Diff mode's sections: the plan changes, changed files with their owners, CODEOWNERS edits.
fn diff_sections(out: &mut String, d: &super::DiffView<'_>) {
    if !d.changes.is_empty() {
        out.push_str(&format!("plan changes ({}):\n", d.changes.len()));
        for c in d.changes {
            out.push_str(&format!("  - {}\n", c.text));
        }
        out.push('\n');
    }
    if !d.changed_files.is_empty() {
        out.push_str("changed files and their owners (CODEOWNERS at base):\n");
        for f in d.changed_files {
            let owners = if f.owners.is_empty() {
                "(no owner)".to_string()
            } else {
                f.owners.join(" ")
            };
            let renamed = f
                .renamed_from
                .as_deref()
                .map(|o| format!(" (renamed from {o})"))
                .unwrap_or_default();
            out.push_str(&format!("  {}{renamed}: {owners}\n", f.path));
        }
        out.push('\n');
    }
    if let Some(c) = d.codeowners {
        out.push_str(&format!("this change edits {}:\n", c.path));
        for p in &c.plan_owners {
            out.push_str(&format!("  CODEOWNERS: {}\n", p.text()));
        }
        for (what, list) in [
            ("owners added", &c.owners_added),
            ("owners removed", &c.owners_removed),
            ("lines added", &c.rules_added),
            ("lines removed", &c.rules_removed),
        ] {
            if !list.is_empty() {
                out.push_str(&format!("  {what}: {}\n", list.join(", ")));
            }
        }
        out.push('\n');
    }
}

/// The suppressed findings, each with the waiver or exception that suppressed it.
fn suppressed(out: &mut String, report: &Report<'_>) {
    if !report.suppressed.is_empty() {
        out.push_str(&format!("suppressed ({}):\n", report.suppressed.len()));
        for f in report.suppressed {
            out.push_str(&format!("  {}\n", one_line(f)));
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
}

/// The text of the line a location points at, splitting each file into lines once. Line 0
/// is a whole file: no line to show.
fn line_at<'a>(
    lines: &mut HashMap<&'a str, Vec<&'a str>>,
    sources: &HashMap<&'a str, &'a str>,
    l: &crate::finding::Location,
) -> Option<&'a str> {
    let (path, text) = sources.get_key_value(l.path.as_str())?;
    let index = (l.line as usize).checked_sub(1)?;
    lines
        .entry(*path)
        .or_insert_with(|| super::columns::split_lines(text))
        .get(index)
        .copied()
}

/// `error[rule] path:line:col: message`
pub fn one_line(f: &Finding) -> String {
    let l = &f.location;
    format!(
        "{}[{}] {}:{}:{}: {}",
        f.severity.as_str(),
        f.rule,
        l.path,
        l.line,
        l.column,
        f.message
    )
}

fn render_one(
    f: &Finding,
    line_text: Option<&str>,
    related: &[(&crate::finding::Related, Option<&str>)],
    renderer: &Renderer,
) -> String {
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
        // No line to show (a finding about a whole file): where it is, without an empty snippet.
        None if f.location.line == 0 || f.whole_file() => {
            title.element(Origin::path(f.location.path.as_str()))
        }
        None => title.element(
            Origin::path(f.location.path.as_str())
                .line(f.location.line as usize)
                .char_column(f.location.column.max(1) as usize),
        ),
    };
    for (r, text) in related {
        group = match text {
            Some(text) => group.element(
                Snippet::source(*text)
                    .line_start(r.location.line as usize)
                    .path(r.location.path.as_str())
                    .annotation(
                        AnnotationKind::Context
                            .span(token_span(text, r.location.column))
                            .label(r.message.as_str()),
                    ),
            ),
            None => group.element(Level::NOTE.message(format!(
                "{}: {}:{}",
                r.message, r.location.path, r.location.line
            ))),
        };
    }
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
    // An empty token (a value of only Unicode spaces) still gets a caret: its first whole
    // character, never a byte inside it.
    let len = if len == 0 {
        rest.chars().next().map_or(0, char::len_utf8)
    } else {
        len
    };
    start..start + len
}

/// Errors that stopped the run at a place in a file (a syntax error): rendered like findings,
/// with the line, a caret at the column and a help line.
pub fn render_errors(errors: &[Located], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for e in errors {
        let title = Level::ERROR.primary_title(e.message.as_str());
        let mut group = match (&e.source_line, e.pos.line) {
            (Some(text), line) if line > 0 => {
                let start = text
                    .char_indices()
                    .nth(e.pos.column.saturating_sub(1) as usize)
                    .map_or(text.len(), |(i, _)| i);
                let end = text[start..]
                    .chars()
                    .next()
                    .map_or(start, |c| start + c.len_utf8());
                title.element(
                    Snippet::source(text.as_str())
                        .line_start(line as usize)
                        .path(e.path.as_str())
                        .annotation(AnnotationKind::Primary.span(start..end)),
                )
            }
            (_, 0) if e.path.is_empty() => annotate_snippets::Group::with_title(title),
            (_, 0) => title.element(Origin::path(e.path.as_str())),
            (_, line) => title.element(
                Origin::path(e.path.as_str())
                    .line(line as usize)
                    .char_column(e.pos.column.max(1) as usize),
            ),
        };
        if let Some(help) = &e.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        out.push_str(&renderer.render(&[group]).to_string());
        out.push_str("\n\n");
    }
    out.push_str(&format!(
        "plancheck: {} stopped the check; nothing else was checked\n",
        if errors.len() == 1 {
            "this error".to_string()
        } else {
            format!("these {} errors", errors.len())
        }
    ));
    out
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

    #[test]
    fn an_empty_token_covers_its_whole_first_character() {
        assert_eq!(
            &"    area: \u{a0}"[token_span("    area: \u{a0}", 11)],
            "\u{a0}"
        );
        assert_eq!(&"  x: \u{3000}"[token_span("  x: \u{3000}", 6)], "\u{3000}");
        assert_eq!(token_span("  x:", 9), 4..4);
    }
}
