//! `plancheck check`: the plan and CODEOWNERS checked (diff mode with `--base`), in the
//! requested format.

use std::time::Duration;

use anyhow::Result;

use super::{options, run_error, Output};
use crate::check::{Opened, Outcome};
use crate::cli::{CheckArgs, CheckFormat};
use crate::{diff, pipeline, report};

pub fn run(args: CheckArgs, color: bool, verbose: bool) -> Result<Output> {
    let format = args.format;
    check(args, color, verbose).or_else(|err| run_error(err, format, color))
}

fn check(args: CheckArgs, color: bool, verbose: bool) -> Result<Output> {
    let CheckArgs {
        dir,
        load,
        format,
        fail_on,
        quiet,
        base,
        filter_mode,
        fail_on_existing,
        trusted_policies,
        online,
    } = args;
    let opts = options(dir, load)?;
    let started = std::time::Instant::now();
    let diff_opts = base.map(|base| diff::DiffOptions {
        base,
        filter: filter_mode,
        trusted: trusted_policies,
        fail_on_existing,
    });
    let mut checked = pipeline::Checked::run(&opts, diff_opts.as_ref())?;
    let online_notes = if online {
        crate::github::online::check(&opts, &mut checked)
    } else {
        Vec::new()
    };
    let elapsed = started.elapsed();
    let head = checked.head();
    let report = checked.report(None);
    let stdout = match format {
        CheckFormat::Json => report::json::render(&report),
        CheckFormat::Human => report::human::render(&report, color, quiet),
        CheckFormat::Markdown => report::markdown::render(&report),
        CheckFormat::Sarif => report::sarif::render(&report, &head.policies.rules),
        CheckFormat::Junit => report::junit::render(&report, &head.policies.rules),
        CheckFormat::Github => report::github::render(&report),
        CheckFormat::Rdjson => report::rdjson::render(&report, &head.policies.rules),
        CheckFormat::Gitlab => report::gitlab::render(&report),
    };
    let failing = !checked
        .failing(checked.fail_on(fail_on), fail_on_existing)
        .is_empty();
    let mut stderr = if verbose {
        verbose_check(head, &checked.outcome, elapsed)
    } else {
        String::new()
    };
    for note in online_notes {
        stderr.push_str(&format!("{note}\n"));
    }
    if opts.staged {
        let unstaged = pipeline::unstaged_plans(&opts, &head.workspace.config.plans);
        if !unstaged.is_empty() {
            let files: Vec<&str> = unstaged
                .iter()
                .filter_map(|u| u.split(" (").next())
                .collect();
            stderr.push_str(&format!(
                "plancheck: note: --staged checks what is staged, not {}; stage it (git add {}) to check it as it is now\n",
                unstaged.join(", "),
                files.join(" ")
            ));
        }
    }
    Ok(Output {
        stdout,
        stderr,
        code: u8::from(failing),
    })
}

/// `-v`: what was loaded from where, and how long each stage took.
fn verbose_check(opened: &Opened, outcome: &Outcome, elapsed: Duration) -> String {
    let ws = &opened.workspace;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let config = ws
        .config
        .path
        .clone()
        .unwrap_or_else(|| "none (defaults)".into());
    let codeowners = match &ws.codeowners.path {
        Some(p) => format!("{p} ({} rules)", ws.codeowners.parsed.rules.len()),
        None => "none".into(),
    };
    let rules = &opened.policies.rules;
    let custom = rules.iter().filter(|r| !r.builtin).count();
    let mut s = String::new();
    s.push_str(&format!("plancheck: reading {}\n", ws.source));
    s.push_str(&format!("plancheck: configuration: {config}\n"));
    s.push_str(&format!(
        "plancheck: plan files: {}\n",
        ws.plan
            .files
            .iter()
            .map(|f| f.path.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    s.push_str(&format!(
        "plancheck: CODEOWNERS: {codeowners}; {} tracked files\n",
        ws.tracked.len()
    ));
    s.push_str(&ws.manifests.verbose());
    s.push_str(&format!(
        "plancheck: {} rules ({} built-in, {custom} from policy directories) loaded and evaluated in {:.1} ms{}\n",
        rules.len(),
        rules.len() - custom,
        ms(elapsed),
        if outcome.policies_skipped {
            " (policies skipped: schema errors)"
        } else {
            ""
        }
    ));
    s
}
