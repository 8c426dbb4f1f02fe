//! `plancheck github`: inside a GitHub Actions pull-request run, the diff-aware check, then
//! the comment, the review, annotations, the job summary and step outputs.

use std::path::Path;

use anyhow::{Context, Result};

use super::{load_errors, Output};
use crate::cli::{CheckFormat, GithubArgs};
use crate::diff::{DiffOptions, Trusted};
use crate::error;
use crate::github::{self, require_commit, workflow, Publish};
use crate::pipeline::{self, Checked, Options};
use crate::report::{self, Links};

pub fn run(args: &GithubArgs) -> Result<Output> {
    check_and_publish(args).or_else(|err| Ok(failed(args, &err)))
}

/// Whatever stopped the run is annotated (a plan file that does not parse on its line, as a
/// check would show a finding), put in the job summary, and written as the SARIF file when
/// one is asked for (with the `sarif-file` output, so the upload step runs), so it is seen on
/// the pull request and in code scanning, not only in the log. Exit code 2.
fn failed(args: &GithubArgs, err: &anyhow::Error) -> Output {
    let errors = error::run_errors(err);
    let mut out = load_errors(&errors, CheckFormat::Github, false);
    if errors.iter().any(|e| e.source_line.is_none()) {
        out.stderr = error::human(err);
    }
    let var = |k: &str| std::env::var_os(k).filter(|p| !p.is_empty());
    let mut written = Vec::new();
    if let Some(path) = var("GITHUB_STEP_SUMMARY") {
        written.push(workflow::append(
            Path::new(&path),
            &report::markdown::render_errors(&errors),
        ));
    }
    if let Some(sarif) = &args.sarif {
        let text = report::sarif::render_errors(&errors);
        let done = crate::safe_write::Roots::actions()
            .write(sarif, text.as_bytes())
            .with_context(|| format!("{}: cannot write the SARIF file", sarif.display()));
        if let (Ok(()), Some(output)) = (&done, var("GITHUB_OUTPUT")) {
            let file = sarif.display().to_string();
            written.push(workflow::append(
                Path::new(&output),
                &workflow::outputs(&[("sarif-file", file)]),
            ));
        }
        written.push(done);
    }
    for e in written.into_iter().filter_map(Result::err) {
        out.stderr.push_str(&format!("plancheck: {e:#}\n"));
    }
    out
}

fn check_and_publish(args: &GithubArgs) -> Result<Output> {
    let quiet = args.quiet;
    let github::Run {
        actions,
        api,
        pull,
        mut log,
    } = github::start(args.dir.as_ref())?;
    let (opts, diff, git) = run_options(args, pull.as_ref())?;
    let mut checked = Checked::run(&opts, diff.as_ref())?;
    if let (Some(run), Some(p)) = (checked.diff.as_mut(), &pull) {
        // The event's shas are unreadable in a comment: name them the way GitHub does.
        let short = |s: &str| s.chars().take(7).collect::<String>();
        run.base_label = short(&run.base_commit);
        run.head_label = format!("`{}`, the head of #{}", short(&p.head_sha), p.number);
    }
    let sha = pull
        .as_ref()
        .map(|p| p.head_sha.clone())
        .or_else(|| std::env::var("GITHUB_SHA").ok().filter(|s| !s.is_empty()));
    verify_owners(
        args,
        (api.as_ref(), sha.as_deref()),
        pull.as_ref(),
        &actions,
        &mut checked,
        &mut log,
    );
    let links = match (&sha, actions.repository.is_empty()) {
        (Some(sha), false) => Some(Links {
            server: actions.server_url.clone(),
            repo: actions.repository.clone(),
            sha: sha.clone(),
        }),
        _ => None,
    };
    let report = checked.report(links);
    let summary = report.summary();
    let fail_on = checked.fail_on(args.fail_on);
    let failing = checked.failing(fail_on, args.fail_on_existing);

    // Annotations on stdout: the runner turns them into annotations on the files.
    let stdout = report::github::render(&report);
    let live = checked
        .outcome
        .findings
        .iter()
        .filter(|f| f.status != Some(crate::finding::Status::Fixed))
        .count();
    let new_errors = summary.new_errors.unwrap_or(summary.errors);
    let rules = &checked.head().policies.rules;
    write_files(args, &actions, &report, rules, (live, new_errors), &mut log)?;

    // The pull request itself.
    if let (Some(p), Some(git)) = (&pull, &git) {
        if args.comment || args.review {
            let settings = Publish {
                comment: args.comment,
                review: args.review,
                config: args.config.clone(),
            };
            github::publish_to(&actions, api.as_ref(), p, git, &settings, &report, &mut log);
        }
    }

    if !quiet {
        log.line(format!(
            "{} new error{}, {} finding{} in all; {}",
            new_errors,
            if new_errors == 1 { "" } else { "s" },
            live,
            if live == 1 { "" } else { "s" },
            if failing.is_empty() {
                "passing".to_string()
            } else {
                format!(
                    "failing on {} (fail-on {})",
                    failing.len(),
                    fail_on.as_str()
                )
            }
        ));
    }
    let mut stderr = log.text();
    if !stderr.is_empty() {
        stderr.push('\n');
    }
    Ok(Output {
        stdout,
        stderr,
        code: u8::from(!failing.is_empty()),
    })
}

/// The CODEOWNERS owners verified with GitHub (unless turned off, or for a fork's run).
fn verify_owners(
    args: &GithubArgs,
    (api, sha): (Option<&github::api::Api>, Option<&str>),
    pull: Option<&github::env::PullRequest>,
    actions: &github::env::Actions,
    checked: &mut Checked,
    log: &mut github::Log,
) {
    match (api, sha) {
        _ if !args.verify_owners => {}
        // A fork's run sends no request at all (its code is not trusted with the token).
        _ if pull.is_some_and(|p| p.read_only) => log.line(
            "CODEOWNERS online: owners not verified with GitHub for a pull request from a fork",
        ),
        (Some(api), Some(sha)) => {
            for note in github::owners::apply(api, &actions.repository, sha, checked) {
                log.line(format!("CODEOWNERS online: {note}"));
            }
        }
        (None, _) => log.line(format!(
            "CODEOWNERS online: owners not verified with GitHub: {}",
            github::no_api_reason(actions)
        )),
        (Some(_), None) => {}
    }
}

/// The check's options: in a pull request, diff mode from the merge base to its head (both
/// commits must be in the clone, which is returned opened once).
fn run_options(
    args: &GithubArgs,
    pull: Option<&github::env::PullRequest>,
) -> Result<(Options, Option<DiffOptions>, Option<git2::Repository>)> {
    let mut opts = Options {
        dir: args.dir.clone(),
        config: args.config.clone(),
        now: args.now.clone(),
        ..Options::default()
    };
    let Some(p) = pull else {
        return Ok((opts, None, None));
    };
    let repo = pipeline::locate_root(&opts)?.repo;
    require_commit(&repo, &p.head_sha, "pull request's head")?;
    require_commit(&repo, &p.base_sha, "pull request's base")?;
    opts.rev = Some(p.head_sha.clone());
    // GitHub shows a pull request as the diff from the merge base.
    let diff = DiffOptions {
        base: format!("{}...{}", p.base_sha, p.head_sha),
        filter: args.filter_mode,
        trusted: Trusted::Base,
        fail_on_existing: args.fail_on_existing,
    };
    Ok((opts, Some(diff), Some(repo)))
}

/// The job summary, the SARIF file (when asked for) and the step outputs.
fn write_files(
    args: &GithubArgs,
    actions: &github::env::Actions,
    report: &report::Report<'_>,
    rules: &[crate::rule::RuleInfo],
    (live, new_errors): (usize, usize),
    log: &mut github::Log,
) -> Result<()> {
    // The job summary: the whole report.
    let full = report::markdown::render(report);
    match &actions.step_summary {
        Some(path) => workflow::append(path, &workflow::summary(&full))?,
        None if !args.quiet => log.line("GITHUB_STEP_SUMMARY is not set: no job summary"),
        None => {}
    }

    // SARIF, when asked for.
    // Only inside the workspace or RUNNER_TEMP, through no symbolic link: the checkout is
    // the change's, and a link it commits must not choose which file is overwritten.
    if let Some(path) = &args.sarif {
        crate::safe_write::Roots::actions()
            .write(path, report::sarif::render(report, rules).as_bytes())
            .with_context(|| format!("{}: cannot write the SARIF file", path.display()))?;
    }

    if let Some(path) = &actions.output {
        let sarif_file = args
            .sarif
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        workflow::append(
            path,
            &workflow::outputs(&[
                ("findings", live.to_string()),
                ("new-errors", new_errors.to_string()),
                ("sarif-file", sarif_file),
            ]),
        )?;
    }

    Ok(())
}
