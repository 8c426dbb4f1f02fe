//! `--format markdown`: a report for a pull-request comment or a job summary.

use std::fmt::Write as _;

use super::{plural, Links, Report};
use crate::finding::{Finding, Severity, Status, SuppressionKind};

/// The most characters GitHub accepts in a comment body (65,536).
pub const MAX_COMMENT_CHARS: usize = 65_536;

/// Plan text (messages, titles, reasons) as Markdown prose that renders as written: one
/// line, no table break (`|`), no HTML (`</details>` would end a section; `<img>` would load),
/// no stray code span, no emphasis, and no `@mention`: the comment must not notify people
/// because a plan names them (a zero-width space after `@` keeps GitHub from linking it).
pub(crate) fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' => out.push_str("@\u{200B}"),
            '`' | '*' | '_' | '[' | ']' | '\\' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Text as an inline code span (paths, owners, CODEOWNERS lines): GitHub renders no HTML and
/// links no `@mention` inside one. A fence longer than any run of backticks in the text.
pub(super) fn code(s: &str) -> String {
    let text = s.replace(['\n', '\r'], " ").replace('|', "\\|");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest > 0 || text.starts_with(' ') || text.ends_with(' ') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

fn icon(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "❌ error",
        Severity::Warning => "⚠️ warning",
    }
}

/// How much detail fits: at most this many rows per table and items per list. Rows are cut
/// by severity (errors stay longest); what is cut is counted and pointed to the job summary.
#[derive(Debug, Clone, Copy)]
pub struct Detail {
    pub max_rows: usize,
}

impl Detail {
    pub const FULL: Detail = Detail {
        max_rows: usize::MAX,
    };
}

fn table(out: &mut String, findings: &[&Finding], detail: Detail, links: Option<&Links>) {
    if findings.is_empty() {
        return;
    }
    let mut rows: Vec<&Finding> = findings.to_vec();
    rows.sort_by_key(|f| f.severity);
    let cut = rows.len().saturating_sub(detail.max_rows);
    rows.truncate(detail.max_rows);
    if !rows.is_empty() {
        out.push_str("| | Rule | Where | Message |\n|---|---|---|---|\n");
    }
    for f in rows {
        let place = code(&format!("{}:{}", f.location.path, f.location.line));
        let place = match links {
            Some(l) => format!("[{place}]({})", l.to(&f.location.path, f.location.line)),
            None => place,
        };
        let _ = writeln!(
            out,
            "| {} | `{}` | {place} | {} |",
            icon(f.severity),
            f.rule,
            cell(&f.message)
        );
    }
    if cut > 0 {
        let _ = writeln!(
            out,
            "\n… and {cut} more, left out to fit; the job summary has the full report."
        );
    }
}

/// A list of lines already in Markdown, cut to `detail`, with a count of what was left out.
fn items(out: &mut String, lines: &[String], detail: Detail) {
    for l in lines.iter().take(detail.max_rows) {
        let _ = writeln!(out, "- {l}");
    }
    if lines.len() > detail.max_rows {
        let _ = writeln!(
            out,
            "- … and {} more, in the job summary",
            lines.len() - detail.max_rows
        );
    }
}

const SECTIONS: [(&str, &str); 10] = [
    ("threats", "Threats"),
    ("areas", "Areas of expertise"),
    ("contacts", "Contacts"),
    ("teams", "Teams and on-call"),
    ("oncall", "On-call shifts in the next 14 days"),
    ("escalation", "Escalation policies"),
    ("executive", "Reach of the executive tier"),
    ("waivers", "Waivers"),
    ("metadata", "Plan metadata"),
    (
        crate::diff::manifests::SECTION,
        "Kubernetes objects and their areas",
    ),
];

pub fn render(report: &Report<'_>) -> String {
    render_with(report, Detail::FULL)
}

/// The report in at most `limit` characters (a PR comment takes 65,536): less detail until
/// it fits, then a hard cut as a last resort.
pub fn render_within(report: &Report<'_>, limit: usize) -> String {
    for max_rows in [usize::MAX, 500, 200, 100, 50, 20, 10, 5, 0] {
        let body = render_with(report, Detail { max_rows });
        if body.chars().count() <= limit {
            return body;
        }
    }
    let note = "\n\n… cut to fit; the job summary has the full report.\n";
    let body = render_with(report, Detail { max_rows: 0 });
    let keep = limit.saturating_sub(note.chars().count());
    let mut cut: String = body.chars().take(keep).collect();
    cut.push_str(note);
    cut
}

pub fn render_with(report: &Report<'_>, detail: Detail) -> String {
    let mut out = String::new();
    match (&report.diff, report.summary().new_errors) {
        (Some(d), Some(new_errors)) => diff_head(&mut out, report, d, new_errors, detail),
        _ => plain_head(&mut out, report, detail),
    }
    super::base_note::markdown(&mut out, report);
    suppressed(&mut out, report);
    if let Some(d) = &report.diff {
        diff_sections(&mut out, d, detail);
    }
    if report.policies_skipped {
        out.push_str("> Policies were not evaluated because the plan does not match the schema; fix the `plan-schema` errors first.\n");
        if report.diff.is_some() {
            out.push_str("> The gate fails until the plan matches the schema, existing `plan-schema` errors included: rules that did not run cannot pass a change.\n");
        }
    }
    if report.diff.as_ref().is_some_and(|d| d.base_unchecked) {
        out.push_str("> The base does not match the schema, so its rules did not run there: every finding at head counts as new.\n");
    }
    out
}

/// The findings of one status (`None`: outside diff mode).
fn by_status<'a>(report: &Report<'a>, st: Option<Status>) -> Vec<&'a Finding> {
    report.findings.iter().filter(|f| f.status == st).collect()
}

/// Diff mode's verdict, the plan owners' change, then new, fixed and existing findings.
fn diff_head(
    out: &mut String,
    report: &Report<'_>,
    d: &super::DiffView<'_>,
    new_errors: usize,
    detail: Detail,
) {
    let s = report.summary();
    let by = |st: Option<Status>| by_status(report, st);
    let verdict = if new_errors == 0 {
        "✅ no new errors".to_string()
    } else {
        format!("❌ {}", plural(new_errors, "new error"))
    };
    let _ = writeln!(out, "## plancheck: {verdict}\n");
    let _ = writeln!(
        out,
        "Comparing {} with {}: {} new, {} existing, {} fixed.\n",
        code(d.base),
        // plancheck's own label, Markdown where `plancheck github` writes it.
        d.head,
        s.new.unwrap_or(0),
        s.existing.unwrap_or(0),
        s.fixed.unwrap_or(0)
    );
    // Who must approve a change to the plan: called out before any finding.
    for c in d.codeowners.iter().flat_map(|c| &c.plan_owners) {
        let list = |o: &[String]| {
            if o.is_empty() {
                "*no owners*".to_string()
            } else {
                o.iter().map(|x| code(x)).collect::<Vec<_>>().join(" ")
            }
        };
        let _ = writeln!(
            out,
            "> **CODEOWNERS:** owners of {} changed {} → {}\n",
            code(&c.scope),
            list(&c.before),
            list(&c.after)
        );
    }
    let new = by(Some(Status::New));
    if !new.is_empty() {
        let _ = writeln!(out, "### New findings ({})\n", new.len());
        table(out, &new, detail, report.links.as_ref());
        out.push('\n');
    }
    let fixed = by(Some(Status::Fixed));
    if !fixed.is_empty() {
        let _ = writeln!(out, "### Fixed by this change ({})\n", fixed.len());
        let lines: Vec<String> = fixed
            .iter()
            .map(|f| format!("~~{} {}~~", code(&f.rule), cell(&f.message)))
            .collect();
        items(out, &lines, detail);
        out.push('\n');
    }
    let existing = by(Some(Status::Existing));
    if !existing.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Existing findings, not introduced by this change ({})</summary>\n",
            existing.len()
        );
        table(out, &existing, detail, report.links.as_ref());
        out.push_str("\n</details>\n\n");
    }
}

/// Outside diff mode: the verdict, the scope, every finding.
fn plain_head(out: &mut String, report: &Report<'_>, detail: Detail) {
    let s = report.summary();
    let by = |st: Option<Status>| by_status(report, st);
    let verdict = if report.findings.is_empty() {
        "✅ no findings".to_string()
    } else {
        format!(
            "{} {}, {}",
            if s.errors > 0 { "❌" } else { "⚠️" },
            plural(s.errors, "error"),
            plural(s.warnings, "warning")
        )
    };
    let _ = writeln!(
        out,
        "## plancheck: {verdict}\n\nChecked {}.\n",
        cell(&report.scope)
    );
    let all = by(None);
    if !all.is_empty() {
        table(out, &all, detail, report.links.as_ref());
        out.push('\n');
    }
}

/// Suppressed findings with their waiver or exception.
fn suppressed(out: &mut String, report: &Report<'_>) {
    if !report.suppressed.is_empty() {
        let _ = writeln!(out, "### Suppressed ({})\n", report.suppressed.len());
        for f in report.suppressed {
            if let Some(sup) = &f.suppressed {
                let how = match sup.kind {
                    SuppressionKind::Waiver => {
                        format!("waived until {}", sup.expires.as_deref().unwrap_or("?"))
                    }
                    SuppressionKind::Exception => "exception".to_string(),
                };
                let _ = writeln!(
                    out,
                    "- {} at {}: {} ({how}: {})",
                    code(&f.rule),
                    code(&format!("{}:{}", f.location.path, f.location.line)),
                    cell(&f.message),
                    cell(&sup.reason)
                );
            }
        }
        out.push('\n');
    }
}

/// Diff mode's sections: plan changes, escalation charts, owners of changed files, CODEOWNERS.
fn diff_sections(out: &mut String, d: &super::DiffView<'_>, detail: Detail) {
    if !d.changes.is_empty() {
        out.push_str("### Plan changes\n\n");
        for (key, title) in SECTIONS {
            let lines: Vec<String> = d
                .changes
                .iter()
                .filter(|c| c.section == key)
                .map(|c| cell(&c.text))
                .collect();
            if lines.is_empty() {
                continue;
            }
            let _ = writeln!(out, "**{title}**\n");
            items(out, &lines, detail);
            out.push('\n');
        }
    }
    // Charts go before the detail is cut to a handful of rows: a table row says more.
    if !d.charts.is_empty() && detail.max_rows >= 20 {
        out.push_str("### Escalation chains this change adds or edits\n\n");
        for c in d.charts {
            let _ = writeln!(
                out,
                "**{}**\n\n```mermaid\n{}```\n",
                cell(&c.policy),
                c.mermaid
            );
        }
    }
    if detail.max_rows >= 20 {
        oncall_charts(out, d.oncall_charts);
    }
    if !d.changed_files.is_empty() {
        out.push_str("### Owners of the changed files (CODEOWNERS at base)\n\n| File | Owners |\n|---|---|\n");
        for f in d.changed_files {
            // Owners as code: naming them must not notify them on every push.
            let owners = if f.owners.is_empty() {
                "*none*".to_string()
            } else {
                f.owners
                    .iter()
                    .map(|o| code(o))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let renamed = f
                .renamed_from
                .as_deref()
                .map(|o| format!(" (renamed from {})", code(o)))
                .unwrap_or_default();
            let _ = writeln!(out, "| {}{renamed} | {owners} |", code(&f.path));
        }
        out.push('\n');
    }
    if let Some(c) = d.codeowners {
        let _ = writeln!(out, "### This change edits {}\n", code(&c.path));
        for (what, list) in [
            ("Owners added", &c.owners_added),
            ("Owners removed", &c.owners_removed),
            ("Lines added", &c.rules_added),
            ("Lines removed", &c.rules_removed),
        ] {
            if !list.is_empty() {
                let items: Vec<String> = list.iter().map(|x| code(x)).collect();
                let _ = writeln!(out, "- {what}: {}", items.join(", "));
            }
        }
        out.push('\n');
    }
}

/// Errors that stopped the run, for a comment or a job summary: each with its place, the
/// snippet and the help, as the terminal shows them.
pub fn render_errors(errors: &[crate::error::Located]) -> String {
    let mut out = format!(
        "## plancheck: ❌ {} stopped the check\n\n",
        plural(errors.len(), "error")
    );
    for e in errors {
        match e.place() {
            Some((path, line, column)) => {
                let at = code(&format!("{path}:{line}:{column}"));
                let _ = writeln!(out, "- {at}: {}", cell(&e.message));
            }
            None => {
                let _ = writeln!(out, "- {}", cell(&e.message));
            }
        }
    }
    let shown = super::human::render_errors(errors, false);
    let fence = "`".repeat(
        shown
            .split(|c| c != '`')
            .map(str::len)
            .max()
            .unwrap_or(0)
            .max(2)
            + 1,
    );
    let _ = writeln!(out, "\n{fence}text\n{}{fence}", shown);
    out
}

/// The PR comment's block of on-call gantt charts.
pub(crate) fn oncall_charts(out: &mut String, charts: &[crate::diff::Chart]) {
    if charts.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "### On-call in the next {} days, base and head\n",
        crate::diff::oncall::DAYS
    );
    for c in charts {
        let _ = writeln!(
            out,
            "**{}**\n\n```mermaid\n{}```\n",
            cell(&c.policy),
            c.mermaid
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_text_cannot_inject_html_mentions_or_break_the_table() {
        let hostile = "ghost</details><img src=x> ping @acme/sre `x` | *bold* [a](b)\nnext";
        let out = cell(hostile);
        assert!(!out.contains('<') && !out.contains('>'), "{out}");
        assert!(!out.contains("@acme"), "a mention must not survive: {out}");
        assert!(out.contains("@\u{200B}acme/sre"), "{out}");
        assert!(!out.contains('\n'), "{out}");
        assert!(
            out.contains("\\|") && !out.replace("\\|", "").contains('|'),
            "{out}"
        );
        assert!(
            out.contains("\\`x\\`") && out.contains("\\*bold\\*") && out.contains("\\[a\\]"),
            "{out}"
        );
    }

    #[test]
    fn code_spans_outlast_backticks_in_the_text() {
        assert_eq!(code("a/b.yaml:3"), "`a/b.yaml:3`");
        assert_eq!(code("we`ird"), "`` we`ird ``");
        assert_eq!(code("a|b"), "`a\\|b`");
    }
    use crate::finding::{Location, Severity};

    #[test]
    fn an_oversized_report_fits_by_cutting_warnings_before_errors() {
        let findings: Vec<Finding> = (0..6000u32)
            .map(|n| {
                let sev = if n % 3 == 0 {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                Finding::new(
                    "threat-owner",
                    sev,
                    format!("threat THR-{n:05} has no owner, which is a long message to fill the comment"),
                    Location {
                        path: "incident-response/threats.yaml".into(),
                        line: n + 1,
                        column: 5,
                    },
                    format!("plan.threats[THR-{n:05}]"),
                )
            })
            .collect();
        let report = Report {
            findings: &findings,
            suppressed: &[],
            unused_waivers: &[],
            sources: std::collections::HashMap::new(),
            scope: "1 plan file".into(),
            policies_skipped: false,
            diff: None,
            links: None,
        };
        assert!(render(&report).chars().count() > MAX_COMMENT_CHARS);
        let body = render_within(&report, MAX_COMMENT_CHARS);
        assert!(body.chars().count() <= MAX_COMMENT_CHARS);
        assert!(
            body.contains("the job summary has the full report"),
            "says where the rest is"
        );
        let rows: Vec<&str> = body
            .lines()
            .filter(|l| l.starts_with("| ❌") || l.starts_with("| ⚠️"))
            .collect();
        assert!(!rows.is_empty());
        assert!(
            rows.iter().all(|r| r.starts_with("| ❌")),
            "2,000 errors outrank the warnings: only errors are left"
        );
    }
}
