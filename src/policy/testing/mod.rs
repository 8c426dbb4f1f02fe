//! `plancheck test`: Rego unit tests (`test_*` rules) like `opa test`, line coverage, and a
//! run-time check of every rule on sample plans.

use std::collections::BTreeSet;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};
use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};
use serde::Serialize;

use crate::config::Config;
use crate::policy::{guard, PolicyDir, PolicySet};
use crate::snapshot::MemorySnapshot;
use crate::{input, workspace};

/// The sample plans every rule is evaluated on: an empty plan, a clean one and a broken one.
pub const SAMPLES: &[(&str, &str, Option<&str>)] = &[
    (
        "empty",
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\n",
        None,
    ),
    (
        "clean",
        include_str!("samples/clean.yaml"),
        Some(include_str!("samples/clean.CODEOWNERS")),
    ),
    (
        "broken",
        include_str!("samples/broken.yaml"),
        Some(include_str!("samples/broken.CODEOWNERS")),
    ),
];

#[derive(Debug, Clone)]
pub struct TestOptions {
    pub dirs: Vec<PolicyDir>,
    pub run: Option<regex::Regex>,
    pub coverage: bool,
    pub threshold: Option<f64>,
    pub data: Vec<PathBuf>,
    pub timeout: Duration,
    pub now: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Error,
    Skip,
}

/// A `with <target> as <value>` clause of a failed test, and what the value was.
#[derive(Debug, Clone, Serialize)]
pub struct InputUsed {
    pub target: String,
    pub value: String,
    /// Where the value came from (an assignment in the test, or the rule it names), resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TestResult {
    pub file: String,
    pub line: u32,
    pub package: String,
    pub name: String,
    pub status: Status,
    pub duration_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputUsed>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prints: Vec<String>,
}

/// A rule that failed when evaluated on a sample plan.
#[derive(Debug, Clone, Serialize)]
pub struct RuntimeFailure {
    pub rule: String,
    pub file: String,
    pub line: u32,
    pub sample: String,
    pub error: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileCoverage {
    pub path: String,
    pub covered: usize,
    pub not_covered: usize,
    pub percent: f64,
    /// Line ranges never evaluated, e.g. `[[12, 14], [30, 30]]`.
    pub not_covered_lines: Vec<(u32, u32)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub files: Vec<FileCoverage>,
    pub covered: usize,
    pub not_covered: usize,
    pub percent: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub pass: usize,
    pub fail: usize,
    pub error: usize,
    pub skip: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    pub tests: Vec<TestResult>,
    /// Rules evaluated on the sample plans, and how many samples.
    pub runtime_checked: usize,
    pub samples: Vec<String>,
    pub runtime_failures: Vec<RuntimeFailure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    pub summary: Counts,
    /// True when `--run` was given and matched no test.
    #[serde(skip)]
    pub nothing_matched: bool,
}

impl Report {
    /// 2 when something errored, 1 when a test failed or coverage is short, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.summary.error > 0 || !self.runtime_failures.is_empty() {
            2
        } else if self.summary.fail > 0 || self.nothing_matched || self.below_threshold() {
            1
        } else {
            0
        }
    }

    pub fn below_threshold(&self) -> bool {
        self.coverage
            .as_ref()
            .is_some_and(|c| c.threshold.is_some_and(|t| c.percent + 1e-9 < t))
    }
}

/// One test rule found in a test file.
struct TestDecl {
    file: String,
    line: u32,
    package: String,
    name: String,
    body: Vec<String>,
}

fn declared_tests(set: &PolicySet) -> Result<Vec<TestDecl>> {
    let mut out = Vec::new();
    for (file, text) in &set.test_files {
        let source = crate::policy::metadata::scan(file, text)?;
        let lines: Vec<&str> = text.lines().collect();
        for (name, line) in &source.tests {
            out.push(TestDecl {
                file: file.clone(),
                line: *line,
                package: source.package.clone(),
                name: name.clone(),
                body: rule_body(&lines, *line as usize - 1),
            });
        }
    }
    Ok(out)
}

/// The lines of the rule starting at `start`: up to the next declaration at column 0.
fn rule_body(lines: &[&str], start: usize) -> Vec<String> {
    let mut body = vec![lines[start].to_string()];
    for l in lines.iter().skip(start + 1) {
        let top_level = l.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '#');
        if top_level {
            break;
        }
        body.push((*l).to_string());
    }
    while body.last().is_some_and(|l| l.trim().is_empty()) {
        body.pop();
    }
    body
}

fn timer(engine: &mut Engine, timeout: Duration) {
    engine.set_execution_timer_config(ExecutionTimerConfig {
        limit: timeout,
        check_interval: NonZeroU32::new(256).unwrap_or(NonZeroU32::MIN),
    });
}

/// Loads the policies and their tests, runs the tests, checks every rule on the samples.
pub fn run(opts: &TestOptions) -> Result<Report> {
    let mut set = PolicySet::load(&opts.dirs, &crate::policy::Namespaces::default(), true)?;
    for file in &opts.data {
        set.add_data_file(file, &file.display().to_string())?;
    }
    let mut engine =
        set.engine_with_data(crate::input::config_data(&crate::config::Config::default()))?;
    timer(&mut engine, opts.timeout);
    engine.set_gather_prints(true);
    if opts.coverage || opts.threshold.is_some() {
        engine.set_enable_coverage(true);
    }
    let decls = declared_tests(&set)?;
    let matched: Vec<&TestDecl> = decls
        .iter()
        .filter(|d| {
            opts.run
                .as_ref()
                .is_none_or(|re| re.is_match(&format!("data.{}.{}", d.package, d.name)))
        })
        .collect();
    let mut tests = Vec::new();
    for d in &matched {
        tests.push(run_one(&mut engine, d, opts.timeout)?);
    }
    let coverage = if opts.coverage || opts.threshold.is_some() {
        Some(coverage(&engine, &set, opts.threshold)?)
    } else {
        None
    };
    let (runtime_checked, runtime_failures) = runtime_check(&set, &opts.now)?;
    let mut summary = Counts::default();
    for t in &tests {
        match t.status {
            Status::Pass => summary.pass += 1,
            Status::Fail => summary.fail += 1,
            Status::Error => summary.error += 1,
            Status::Skip => summary.skip += 1,
        }
    }
    Ok(Report {
        version: 1,
        nothing_matched: opts.run.is_some() && matched.is_empty(),
        tests,
        runtime_checked,
        samples: SAMPLES.iter().map(|(n, _, _)| (*n).to_string()).collect(),
        runtime_failures,
        coverage,
        summary,
    })
}

fn run_one(engine: &mut Engine, d: &TestDecl, timeout: Duration) -> Result<TestResult> {
    let mut result = TestResult {
        file: d.file.clone(),
        line: d.line,
        package: d.package.clone(),
        name: d.name.clone(),
        status: Status::Skip,
        duration_ms: 0.0,
        message: None,
        inputs: Vec::new(),
        prints: Vec::new(),
    };
    if d.name.starts_with("todo_") {
        return Ok(result);
    }
    let started = Instant::now();
    let unit = guard::Unit::new(format!("test `{}`", d.name), &d.file, d.line);
    let query = format!("data.{}.{}", d.package, d.name);
    let value = guard::eval(engine, &unit, timeout, |e| e.eval_rule(query))?;
    result.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    result.prints = engine.take_prints().unwrap_or_default();
    match value {
        Ok(Value::Bool(false)) => {
            result.status = Status::Fail;
            result.message = Some("the test evaluated to false".into());
        }
        Ok(Value::Undefined) => {
            result.status = Status::Fail;
            result.message =
                Some("the test is undefined: some expression in its body was false".into());
        }
        Ok(_) => result.status = Status::Pass,
        Err(e) => {
            result.status = Status::Error;
            let msg = e.to_string();
            result.message = Some(if msg.contains("time limit") {
                "stopped: the test ran longer than --timeout".into()
            } else {
                msg
            });
        }
    }
    if matches!(result.status, Status::Fail | Status::Error) {
        let mut probe = engine.clone();
        probe.set_enable_coverage(false);
        result.inputs = inputs_used(&mut probe, d);
        let _ = probe.take_prints();
    }
    Ok(result)
}

/// The `with X as Y` clauses of a test body, with `Y` resolved where it names something.
fn inputs_used(engine: &mut Engine, d: &TestDecl) -> Vec<InputUsed> {
    let mut out: Vec<InputUsed> = Vec::new();
    let with = regex::Regex::new(
        r#"\bwith\s+((?:input|data)(?:\.[A-Za-z_][A-Za-z0-9_]*|\["[^"]*"\])*)\s+as\s+(.+?)\s*(?:\bwith\s|$)"#,
    )
    .expect("static regex");
    for line in &d.body {
        let mut rest = line.as_str();
        while let Some(c) = with.captures(rest) {
            let (Some(all), Some(target), Some(value)) = (c.get(0), c.get(1), c.get(2)) else {
                break;
            };
            let value = value.as_str().trim_end_matches('}').trim().to_string();
            let target = target.as_str().to_string();
            if !out.iter().any(|i| i.target == target && i.value == value) {
                let resolved = resolve(engine, d, &value);
                out.push(InputUsed {
                    target,
                    value,
                    resolved,
                });
            }
            // Continue after the value, at the next `with` if there is one.
            let next = all.end();
            let consumed_with = all.as_str().ends_with("with ");
            rest = if consumed_with {
                &rest[next - "with ".len()..]
            } else {
                &rest[next..]
            };
        }
    }
    out
}

fn resolve(engine: &mut Engine, d: &TestDecl, value: &str) -> Option<String> {
    let ident = regex::Regex::new(r"^[A-Za-z_][A-Za-z0-9_]*$").expect("static regex");
    if ident.is_match(value) {
        let assign =
            regex::Regex::new(&format!(r"^\s*{value}\s*:?=\s*(.*)$")).expect("escaped ident");
        let assigned: Vec<String> = d
            .body
            .iter()
            .filter_map(|l| assign.captures(l).and_then(|c| c.get(0)))
            .map(|m| m.as_str().trim().to_string())
            .collect();
        if !assigned.is_empty() {
            return Some(assigned.join("\n"));
        }
        return eval_shown(engine, &format!("data.{}.{value}", d.package));
    }
    if value.starts_with("data.") {
        return eval_shown(engine, value);
    }
    None
}

fn eval_shown(engine: &mut Engine, path: &str) -> Option<String> {
    const MAX_LINES: usize = 40;
    let v = engine.eval_rule(path.to_string()).ok()?;
    if v == Value::Undefined {
        return None;
    }
    let json = serde_json::to_string_pretty(&v).ok()?;
    let lines: Vec<&str> = json.lines().collect();
    if lines.len() > MAX_LINES {
        Some(format!(
            "{}\n… ({} more lines)",
            lines[..MAX_LINES].join("\n"),
            lines.len() - MAX_LINES
        ))
    } else {
        Some(json)
    }
}

fn coverage(engine: &Engine, set: &PolicySet, threshold: Option<f64>) -> Result<Coverage> {
    let report = engine
        .get_coverage_report()
        .map_err(|e| anyhow!("cannot read the coverage report: {e}"))?;
    let wanted: BTreeSet<&str> = set
        .sources
        .iter()
        .filter(|s| !s.builtin)
        .map(|s| s.path.as_str())
        .collect();
    let mut files = Vec::new();
    for f in &report.files {
        if !wanted.contains(f.path.as_str()) {
            continue;
        }
        let covered = f.covered.len();
        let not_covered = f.not_covered.len();
        files.push(FileCoverage {
            path: f.path.clone(),
            covered,
            not_covered,
            percent: percent(covered, not_covered),
            not_covered_lines: ranges(&f.not_covered),
        });
    }
    // regorus reports only the files it evaluated; a policy file no test reaches counts as
    // entirely uncovered (every line of code in it, as OPA counts it), never as missing.
    for source in set.sources.iter().filter(|s| !s.builtin) {
        if files.iter().any(|f| f.path == source.path) {
            continue;
        }
        let text = set
            .texts
            .get(&source.path)
            .map(String::as_str)
            .unwrap_or_default();
        let lines: BTreeSet<u32> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                let t = l.trim();
                !(t.is_empty()
                    || t.starts_with('#')
                    || t.starts_with("package ")
                    || t.starts_with("import "))
            })
            .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX))
            .collect();
        files.push(FileCoverage {
            path: source.path.clone(),
            covered: 0,
            not_covered: lines.len(),
            percent: percent(0, lines.len()),
            not_covered_lines: ranges(&lines),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let covered = files.iter().map(|f| f.covered).sum();
    let not_covered = files.iter().map(|f| f.not_covered).sum();
    Ok(Coverage {
        percent: percent(covered, not_covered),
        files,
        covered,
        not_covered,
        threshold,
    })
}

fn percent(covered: usize, not_covered: usize) -> f64 {
    let total = covered + not_covered;
    if total == 0 {
        100.0
    } else {
        covered as f64 * 100.0 / total as f64
    }
}

fn ranges(lines: &BTreeSet<u32>) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &l in lines {
        match out.last_mut() {
            Some((_, end)) if *end + 1 == l => *end = l,
            _ => out.push((l, l)),
        }
    }
    out
}

/// Evaluates every rule (and exception) on each sample plan; returns how many rules were
/// checked and what failed.
fn runtime_check(set: &PolicySet, now: &str) -> Result<(usize, Vec<RuntimeFailure>)> {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, plan, codeowners) in SAMPLES {
        let doc = sample_input(plan, *codeowners, now)?;
        let (n, failed) = set.smoke(
            &doc,
            crate::input::config_data(&crate::config::Config::default()),
        )?;
        checked = n;
        failures.extend(failed.into_iter().map(|f| RuntimeFailure {
            rule: f.what,
            file: f.file,
            line: f.line,
            sample: (*name).to_string(),
            error: f.error,
        }));
    }
    Ok((checked, failures))
}

/// The input document of a sample plan, built by the real loader.
pub fn sample_input(plan: &str, codeowners: Option<&str>, now: &str) -> Result<Value> {
    let mut files = vec![
        ("incident-plan.yaml", plan),
        ("clusters/prod/storage/pv.yaml", "kind: PersistentVolume\n"),
    ];
    if let Some(co) = codeowners {
        files.push((".github/CODEOWNERS", co));
    }
    let snap = MemorySnapshot::new("a sample plan", &files);
    let ws = workspace::load(&snap, Config::default())?;
    Ok(input::build(&ws, now).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncovered_lines_collapse_into_ranges() {
        let set: BTreeSet<u32> = [3, 4, 5, 9, 11, 12].into_iter().collect();
        assert_eq!(ranges(&set), vec![(3, 5), (9, 9), (11, 12)]);
    }

    #[test]
    fn a_rule_body_ends_at_the_next_declaration() {
        let lines = vec![
            "test_a if {",
            "\tx := 1",
            "}",
            "",
            "# comment",
            "test_b if true",
        ];
        assert_eq!(rule_body(&lines, 0), vec!["test_a if {", "\tx := 1", "}"]);
        assert_eq!(rule_body(&lines, 5), vec!["test_b if true"]);
    }
}
