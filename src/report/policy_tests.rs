//! `plancheck test`'s human report.

use std::fmt::Write as _;

use crate::policy::testing::{Coverage, Report, Status, TestResult};

/// Human-readable report.
pub fn render(report: &Report, quiet: bool) -> String {
    let mut s = String::new();
    let ran = report.tests.len();
    if !quiet {
        let _ = writeln!(s, "running {ran} test{}", if ran == 1 { "" } else { "s" });
    }
    for t in &report.tests {
        let verdict = match t.status {
            Status::Pass => "ok",
            Status::Fail => "FAILED",
            Status::Error => "ERROR",
            Status::Skip => "skipped (todo)",
        };
        if quiet && matches!(t.status, Status::Pass | Status::Skip) {
            continue;
        }
        let _ = writeln!(
            s,
            "{}:{}: {}.{} ... {verdict} ({:.1} ms)",
            t.file, t.line, t.package, t.name, t.duration_ms
        );
    }
    failures(&mut s, report);
    if report.nothing_matched {
        s.push_str("\nno test matches --run\n");
    }
    s.push('\n');
    runtime(&mut s, report);
    if let Some(c) = &report.coverage {
        coverage(&mut s, report, c);
    }
    let sum = &report.summary;
    let ok = report.exit_code() == 0;
    let _ = writeln!(
        s,
        "\ntest result: {}. {} passed; {} failed; {} errors; {} skipped",
        if ok { "ok" } else { "FAILED" },
        sum.pass,
        sum.fail,
        sum.error,
        sum.skip
    );
    s
}

/// Each failed or erroring test with its message, the inputs it used and what it printed.
fn failures(s: &mut String, report: &Report) {
    let failed: Vec<&TestResult> = report
        .tests
        .iter()
        .filter(|t| matches!(t.status, Status::Fail | Status::Error))
        .collect();
    if !failed.is_empty() {
        s.push_str("\nfailures:\n");
        for t in failed {
            let _ = writeln!(s, "\n---- {}:{}: {} ----", t.file, t.line, t.name);
            if let Some(m) = &t.message {
                for l in m.lines() {
                    let _ = writeln!(s, "  {l}");
                }
            }
            if !t.inputs.is_empty() {
                s.push_str("  inputs used:\n");
                for i in &t.inputs {
                    let _ = writeln!(s, "    with {} as {}", i.target, i.value);
                    if let Some(r) = &i.resolved {
                        for l in r.lines() {
                            let _ = writeln!(s, "      {l}");
                        }
                    }
                }
            }
            if !t.prints.is_empty() {
                s.push_str("  print output:\n");
                for p in &t.prints {
                    let _ = writeln!(s, "    {p}");
                }
            }
        }
    }
}

/// The runtime check: every rule evaluated once on the sample plans.
fn runtime(s: &mut String, report: &Report) {
    if report.runtime_failures.is_empty() {
        let _ = writeln!(
            s,
            "runtime check: {} rules evaluated on {} sample plans ({}): ok",
            report.runtime_checked,
            report.samples.len(),
            report.samples.join(", ")
        );
    } else {
        let _ = writeln!(
            s,
            "runtime check: {} rule evaluation{} failed on the sample plans:",
            report.runtime_failures.len(),
            if report.runtime_failures.len() == 1 {
                ""
            } else {
                "s"
            }
        );
        for f in &report.runtime_failures {
            let _ = writeln!(
                s,
                "  {}:{}: {} on the `{}` sample plan:",
                f.file, f.line, f.rule, f.sample
            );
            // The first line repeats the place and the rule, already said above.
            let detail = f
                .error
                .split_once('\n')
                .filter(|(first, _)| first.starts_with(&format!("{}:{}:", f.file, f.line)))
                .map_or(f.error.as_str(), |(_, rest)| rest);
            for l in detail.trim_start_matches('\n').lines() {
                let _ = writeln!(s, "    {l}");
            }
        }
    }
}

/// Line coverage per policy file and in total.
fn coverage(s: &mut String, report: &Report, c: &Coverage) {
    {
        s.push_str("\ncoverage:\n");
        let width = c
            .files
            .iter()
            .map(|f| f.path.len())
            .max()
            .unwrap_or(5)
            .max(5);
        for f in &c.files {
            let missing = if f.not_covered_lines.is_empty() {
                String::new()
            } else {
                let r: Vec<String> = f
                    .not_covered_lines
                    .iter()
                    .map(|(a, b)| {
                        if a == b {
                            a.to_string()
                        } else {
                            format!("{a}-{b}")
                        }
                    })
                    .collect();
                format!("  not covered: {}", r.join(", "))
            };
            let _ = writeln!(
                s,
                "  {:>6.1}%  {:<width$}  {}/{} lines{missing}",
                f.percent,
                f.path,
                f.covered,
                f.covered + f.not_covered
            );
        }
        let verdict = match c.threshold {
            Some(t) if report.below_threshold() => format!(" (below the {t}% threshold)"),
            Some(t) => format!(" (threshold {t}%: ok)"),
            None => String::new(),
        };
        let _ = writeln!(
            s,
            "  {:>6.1}%  {:<width$}  {}/{} lines{verdict}",
            c.percent,
            "total",
            c.covered,
            c.covered + c.not_covered
        );
    }
}
