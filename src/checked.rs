//! One finished check, plain or diff mode, and the report every output format reads from it.
//! `check` and `github` share it, so a PR comment and a local run can never disagree.

use std::collections::HashMap;

use anyhow::Result;

use crate::check::{self, Opened, Options, Outcome};
use crate::cli::FailOn;
use crate::diff::{self, DiffOptions, DiffRun};
use crate::finding::{Finding, Status};
use crate::report::{self, plural, Links};

pub struct Checked {
    /// Plain mode: the checked revision. Diff mode: `None` (the head is in `diff`).
    opened: Option<Opened>,
    pub outcome: Outcome,
    pub diff: Option<DiffRun>,
    /// The files or directories whose findings alone are reported (`check PATH`); empty: all.
    pub only: Vec<String>,
}

impl Checked {
    /// Runs the check: diff mode when `diff` is given.
    pub fn run(opts: &Options, diff: Option<&DiffOptions>) -> Result<Checked> {
        let mut checked = Self::run_all(opts, diff)?;
        if !opts.only.is_empty() {
            checked.select(&opts.only)?;
        }
        Ok(checked)
    }

    /// Keeps only the findings in the selected files; a selection that names no plan file
    /// (nor CODEOWNERS) is an error, not a silent pass.
    fn select(&mut self, only: &[String]) -> Result<()> {
        let ws = &self.head().workspace;
        let known: Vec<&str> = ws
            .plan
            .files
            .iter()
            .map(|f| f.path.as_str())
            .chain(ws.codeowners.path.as_deref())
            .chain(ws.manifests.files.iter().map(|f| f.path.as_str()))
            .collect();
        for o in only {
            if !known
                .iter()
                .any(|p| check::selected(std::slice::from_ref(o), p))
            {
                let plans: Vec<&str> = ws.plan.files.iter().map(|f| f.path.as_str()).collect();
                return Err(crate::error::Advice::new(
                    format!(
                        "{o} holds no plan file (plan files: {}; looked for {})",
                        if plans.is_empty() { "none".to_string() } else { plans.join(", ") },
                        ws.config.plans.join(", ")
                    ),
                    "PATH (of `plancheck check PATH`) is the repository to check, or plan files or directories inside it whose findings alone to report; set `plans` in .plancheck.toml if your plan lives elsewhere",
                )
                .into());
            }
        }
        let keep = |f: &crate::finding::Finding| check::selected(only, &f.location.path);
        self.outcome.findings.retain(keep);
        self.outcome.suppressed.retain(keep);
        self.outcome
            .unused_waivers
            .retain(|w| check::selected(only, &w.location.path));
        self.only = only.to_vec();
        Ok(())
    }

    fn run_all(opts: &Options, diff: Option<&DiffOptions>) -> Result<Checked> {
        match diff {
            Some(d) => {
                let mut run = diff::run(opts, d).map_err(|e| check::explain(e, opts))?;
                let outcome = Outcome {
                    findings: std::mem::take(&mut run.findings),
                    suppressed: std::mem::take(&mut run.suppressed),
                    unused_waivers: std::mem::take(&mut run.unused_waivers),
                    policies_skipped: run.policies_skipped,
                    input: regorus::Value::Undefined,
                };
                Ok(Checked {
                    opened: None,
                    outcome,
                    diff: Some(run),
                    only: Vec::new(),
                })
            }
            None => {
                let opened = check::open(opts)?;
                let outcome = check::check(&opened)?;
                Ok(Checked {
                    opened: Some(opened),
                    outcome,
                    diff: None,
                    only: Vec::new(),
                })
            }
        }
    }

    /// The revision whose findings are reported (the head, in diff mode).
    pub fn head(&self) -> &Opened {
        match (&self.opened, &self.diff) {
            (Some(o), _) => o,
            (None, Some(r)) => &r.head,
            (None, None) => unreachable!("a Checked is built with one or the other"),
        }
    }

    /// The fail-on level: the flag, else the configuration's, else `error`.
    pub fn fail_on(&self, flag: Option<FailOn>) -> FailOn {
        flag.or(self.head().workspace.config.fail_on)
            .unwrap_or(FailOn::Error)
    }

    /// The findings that make the run fail: in diff mode only new ones, unless
    /// `fail_on_existing`.
    pub fn failing(&self, fail_on: FailOn, fail_on_existing: bool) -> Vec<&Finding> {
        // A head whose rules did not run (it breaks the schema) cannot pass on "existing"
        // alone: while the base breaks the schema too, nothing else would judge the change.
        let head_unchecked = self.diff.as_ref().is_some_and(|d| d.head_unchecked);
        let gated = |f: &&Finding| match f.status {
            None | Some(Status::New) => true,
            Some(Status::Existing) => {
                fail_on_existing || (head_unchecked && f.rule == crate::policy::SCHEMA_RULE)
            }
            Some(Status::Fixed) => false,
        };
        self.outcome
            .findings
            .iter()
            .filter(gated)
            .filter(|f| fail_on.fails(f))
            .collect()
    }

    pub fn report(&self, links: Option<Links>) -> report::Report<'_> {
        let ws = &self.head().workspace;
        let mut sources: HashMap<&str, &str> = HashMap::new();
        if let Some(r) = &self.diff {
            // Fixed findings point into base files; head files win where both exist.
            for f in &r.base.workspace.plan.files {
                sources.insert(f.path.as_str(), f.text.as_str());
            }
        }
        for f in &ws.plan.files {
            sources.insert(f.path.as_str(), f.text.as_str());
        }
        if let Some(p) = &ws.codeowners.path {
            sources.insert(p.as_str(), ws.codeowners.text.as_str());
        }
        sources.extend(ws.manifests.sources());
        let scope = format!(
            "{} ({}, {}, {}, {}) from {}",
            plural(ws.plan.files.len(), "plan file"),
            plural(ws.plan.count("threats"), "threat"),
            plural(ws.plan.count("areas"), "area"),
            plural(ws.plan.count("contacts"), "contact"),
            plural(ws.plan.count("teams"), "team"),
            ws.source
        );
        let scope = if self.only.is_empty() {
            scope
        } else {
            format!("{scope}; showing only findings in {}", self.only.join(", "))
        };
        report::Report {
            findings: &self.outcome.findings,
            suppressed: &self.outcome.suppressed,
            unused_waivers: &self.outcome.unused_waivers,
            sources,
            scope,
            policies_skipped: self.outcome.policies_skipped,
            diff: self.diff.as_ref().map(|r| report::DiffView {
                base: &r.base_label,
                head: &r.head_label,
                filter: r.filter,
                changes: &r.changes,
                charts: &r.charts,
                oncall_charts: &r.oncall_charts,
                changed_files: &r.changed_files,
                codeowners: r.codeowners.as_ref(),
                base_unchecked: r.base_unchecked,
                head_unchecked: r.head_unchecked,
                fail_on_existing: r.fail_on_existing,
            }),
            links,
        }
    }
}
