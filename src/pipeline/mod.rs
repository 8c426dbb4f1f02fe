//! The one way through a run: open the head (and the base, in diff mode), take the trusted
//! policies, check each side (in parallel), then classify with `diff::classify`. `check` and
//! `github` both run it, so a PR comment and a local run can never disagree.

mod base;
mod diff_mode;
mod open;
mod policies;
mod target;
mod trust;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;

use crate::check::{check, Opened, Outcome};
use crate::diff::{DiffOptions, DiffRun};
use crate::finding::{FailOn, Finding};
use crate::gate;
use crate::plan::List;
use crate::report::{self, plural, Links};
pub use open::{locate_root, open};
pub use target::{explain, resolve_target, selected, unstaged_plans};

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The directory to check; `None` means the repository holding the current directory.
    pub dir: Option<PathBuf>,
    pub rev: Option<String>,
    /// Read the git index instead of the working tree.
    pub staged: bool,
    pub config: Option<PathBuf>,
    pub policies: Vec<PathBuf>,
    pub namespaces: crate::policy::Namespaces,
    pub data: Vec<PathBuf>,
    pub now: Option<String>,
    pub timeout: Option<Duration>,
    /// The memory cap of policy evaluation in bytes (`--max-memory`), over the configuration's.
    pub max_memory: Option<u64>,
    /// Report only findings in these files or directories (paths from the checked root):
    /// `plancheck check incident-response/plan.yaml` checks the whole plan, as it must (a
    /// reference may point into another file), and shows what is in the file named.
    pub only: Vec<String>,
}

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
            if !known.iter().any(|p| selected(std::slice::from_ref(o), p)) {
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
        let keep = |f: &crate::finding::Finding| selected(only, &f.location.path);
        self.outcome.findings.retain(keep);
        self.outcome.suppressed.retain(keep);
        self.outcome
            .unused_waivers
            .retain(|w| selected(only, &w.location.path));
        self.only = only.to_vec();
        Ok(())
    }

    fn run_all(opts: &Options, diff: Option<&DiffOptions>) -> Result<Checked> {
        match diff {
            Some(d) => {
                let mut run = diff_mode::run(opts, d).map_err(|e| explain(e, opts))?;
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
                let opened = open::open(opts)?;
                let outcome = check(&opened)?;
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
        gate::fail_on(flag, self.head().workspace.config.fail_on)
    }

    /// The findings that make the run fail: in diff mode only new ones, unless
    /// `fail_on_existing` (see [`gate`]).
    pub fn failing(&self, fail_on: FailOn, fail_on_existing: bool) -> Vec<&Finding> {
        let head_unchecked = self.diff.as_ref().is_some_and(|d| d.head_unchecked);
        gate::failing(
            &self.outcome.findings,
            fail_on,
            fail_on_existing,
            head_unchecked,
        )
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
            plural(ws.plan.count(List::Threats), "threat"),
            plural(ws.plan.count(List::Areas), "area"),
            plural(ws.plan.count(List::Contacts), "contact"),
            plural(ws.plan.count(List::Teams), "team"),
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
                base_unreadable: r.base_unreadable.as_ref(),
                fail_on_existing: r.fail_on_existing,
            }),
            links,
        }
    }
}
