//! `--format markdown`: a report for a pull-request comment or a job summary.

use std::fmt::Write as _;

use super::{plural, Report};
use crate::finding::{Finding, Severity, Status, SuppressionKind};

/// Text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn icon(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "❌ error",
        Severity::Warning => "⚠️ warning",
    }
}

fn table(out: &mut String, findings: &[&Finding]) {
    out.push_str("| | Rule | Where | Message |\n|---|---|---|---|\n");
    for f in findings {
        let _ = writeln!(
            out,
            "| {} | `{}` | `{}:{}` | {} |",
            icon(f.severity),
            f.rule,
            cell(&f.location.path),
            f.location.line,
            cell(&f.message)
        );
    }
}

const SECTIONS: [(&str, &str); 8] = [
    ("threats", "Threats"),
    ("areas", "Areas of expertise"),
    ("contacts", "Contacts"),
    ("teams", "Teams and on-call"),
    ("escalation", "Escalation policies"),
    ("executive", "Reach of the executive tier"),
    ("waivers", "Waivers"),
    ("metadata", "Plan metadata"),
];

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    let s = report.summary();
    let by = |st: Option<Status>| -> Vec<&Finding> {
        report.findings.iter().filter(|f| f.status == st).collect()
    };
    match (&report.diff, s.new_errors) {
        (Some(d), Some(new_errors)) => {
            let verdict = if new_errors == 0 {
                "✅ no new errors".to_string()
            } else {
                format!("❌ {}", plural(new_errors, "new error"))
            };
            let _ = writeln!(out, "## plancheck: {verdict}\n");
            let _ = writeln!(
                out,
                "Comparing `{}` with {}: {} new, {} existing, {} fixed.\n",
                cell(d.base),
                cell(d.head),
                s.new.unwrap_or(0),
                s.existing.unwrap_or(0),
                s.fixed.unwrap_or(0)
            );
            let new = by(Some(Status::New));
            if !new.is_empty() {
                let _ = writeln!(out, "### New findings ({})\n", new.len());
                table(&mut out, &new);
                out.push('\n');
            }
            let fixed = by(Some(Status::Fixed));
            if !fixed.is_empty() {
                let _ = writeln!(out, "### Fixed by this change ({})\n", fixed.len());
                for f in fixed {
                    let _ = writeln!(out, "- ~~`{}` {}~~", f.rule, cell(&f.message));
                }
                out.push('\n');
            }
            let existing = by(Some(Status::Existing));
            if !existing.is_empty() {
                let _ = writeln!(
                    out,
                    "<details><summary>Existing findings, not introduced by this change ({})</summary>\n",
                    existing.len()
                );
                table(&mut out, &existing);
                out.push_str("\n</details>\n\n");
            }
        }
        _ => {
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
                table(&mut out, &all);
                out.push('\n');
            }
        }
    }
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
                    "- `{}` at `{}:{}`: {} ({how}: {})",
                    f.rule,
                    cell(&f.location.path),
                    f.location.line,
                    cell(&f.message),
                    cell(&sup.reason)
                );
            }
        }
        out.push('\n');
    }
    if let Some(d) = &report.diff {
        if !d.changes.is_empty() {
            out.push_str("### Plan changes\n\n");
            for (key, title) in SECTIONS {
                let items: Vec<&str> = d
                    .changes
                    .iter()
                    .filter(|c| c.section == key)
                    .map(|c| c.text.as_str())
                    .collect();
                if items.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "**{title}**\n");
                for i in items {
                    let _ = writeln!(out, "- {}", cell(i));
                }
                out.push('\n');
            }
        }
        if !d.changed_files.is_empty() {
            out.push_str("### Owners of the changed files (CODEOWNERS at base)\n\n| File | Owners |\n|---|---|\n");
            for f in d.changed_files {
                let owners = if f.owners.is_empty() {
                    "*none*".to_string()
                } else {
                    f.owners.join(" ")
                };
                let renamed = f
                    .renamed_from
                    .as_deref()
                    .map(|o| format!(" (renamed from `{}`)", cell(o)))
                    .unwrap_or_default();
                let _ = writeln!(out, "| `{}`{renamed} | {} |", cell(&f.path), cell(&owners));
            }
            out.push('\n');
        }
        if let Some(c) = d.codeowners {
            let _ = writeln!(out, "### This change edits `{}`\n", cell(&c.path));
            for (what, list) in [
                ("Owners added", &c.owners_added),
                ("Owners removed", &c.owners_removed),
                ("Lines added", &c.rules_added),
                ("Lines removed", &c.rules_removed),
            ] {
                if !list.is_empty() {
                    let items: Vec<String> =
                        list.iter().map(|x| format!("`{}`", cell(x))).collect();
                    let _ = writeln!(out, "- {what}: {}", items.join(", "));
                }
            }
            out.push('\n');
        }
    }
    if report.policies_skipped {
        out.push_str("> Policies were not evaluated because the plan does not match the schema; fix the `plan-schema` errors first.\n");
    }
    out
}
