//! Diff mode's half of the pipeline: resolve the base, open both sides, take the trusted
//! policies, check base and head in parallel, then hand everything to `diff::classify`.

use anyhow::{anyhow, Context, Result};
use git2::Repository;

use super::open::{finish_with, locate_root, open_head};
use super::policies::load_policies;
use super::trust::policy_changes;
use super::Options;
use crate::check::{check, Opened, Outcome};
use crate::clock::resolve_now;
use crate::diff::{classify, lines, DiffOptions, DiffRun, LineIndex, Plan, Trusted};
use crate::error::Advice;

/// Resolves `--base`: a revision, or `A...B` (`A...` = `A...HEAD`) for their merge base.
pub fn resolve_base(repo: &Repository, spec: &str, head_rev: Option<&str>) -> Result<git2::Oid> {
    let commit = |rev: &str| -> Result<git2::Oid> {
        let obj = repo.revparse_single(rev).map_err(|e| {
            Advice::new(
                format!("base revision `{rev}` not found: {}", e.message()),
                crate::snapshot::missing_revision_help(repo, rev),
            )
        })?;
        Ok(obj
            .peel_to_commit()
            .with_context(|| format!("`{rev}` is not a commit"))?
            .id())
    };
    match spec.split_once("...") {
        None => commit(spec),
        Some((left, right)) => {
            let left = if left.is_empty() { "HEAD" } else { left };
            let right = if right.is_empty() {
                head_rev.unwrap_or("HEAD")
            } else {
                right
            };
            let (l, r) = (commit(left)?, commit(right)?);
            repo.merge_base(l, r).map_err(|e| {
                let help = if repo.is_shallow() {
                    "this shallow clone lacks the history between them: set `fetch-depth: 0` on actions/checkout, or `git fetch --unshallow`"
                } else {
                    "the two histories share no commit: compare with a revision directly (`--base main`, without `...`)"
                };
                Advice::new(
                    format!("no merge base between `{left}` and `{right}`: {}", e.message()),
                    help,
                )
                .into()
            })
        }
    }
}

/// Runs the check on base and head and classifies the findings. A base that cannot be read
/// is judged as no base findings, and the run says why ([`super::base`]).
pub(super) fn run(opts: &Options, d: &DiffOptions) -> Result<DiffRun> {
    let repo_root = locate_root(opts)?;
    let repo = &repo_root.repo;
    let base_oid = resolve_base(repo, &d.base, opts.rev.as_deref())?;
    let base_rev = base_oid.to_string();
    let base_label = format!("{} ({})", d.base, &base_rev[..12]);
    let (base, mut unread) = super::base::open(opts, &base_rev)?;
    // The working tree lists untracked files where the trusted `plans` look too: the
    // change's own `plans` cannot narrow what is found.
    let trusted_plans: &[String] = match d.trusted {
        Trusted::Base => &base.config.plans,
        Trusted::Head => &[],
    };
    let head = open_head(opts, trusted_plans)?;
    let index = line_index(opts, repo, base_oid, &repo_root.prefix)?;

    let (config, policies, judged_by) = match d.trusted {
        Trusted::Base => super::base::policies(opts, &head.root, &base, &mut unread)?,
        Trusted::Head => {
            let config = head.config.clone();
            let policies = load_policies(opts, &head.root, &config, Some(head.reader()))?;
            (
                config,
                policies,
                "the head's (--trusted-policies head)".to_string(),
            )
        }
    };
    let now = resolve_now(opts.now.as_deref())?;
    let policy_change = match policy_changes(opts, &base, &head) {
        Err(_) if unread.is_some() => Vec::new(),
        other => other?,
    };
    let head_label = head.snap.describe();
    let base_readable = unread.is_none();

    // Base and head are loaded and evaluated in parallel, each file parsed once per side.
    // The base's loading errors are kept apart: they make it unreadable, not the run fail.
    type Side = Result<(Opened, Outcome)>;
    let shared = crate::workspace::Shared::default();
    let open = |snap, config, reverse| open_side(snap, config, &policies, &now, &shared, reverse);
    let (base_result, head_result) = std::thread::scope(|scope| {
        let b = scope.spawn(|| -> Result<Side> {
            if !base_readable {
                return Ok(Err(anyhow!("not read")));
            }
            let opened = match open(base.snap.as_ref(), config.clone(), true) {
                Ok(o) => o,
                Err(e) => return Ok(Err(e)),
            };
            let outcome = check(&opened)?;
            Ok(Ok((opened, outcome)))
        });
        let h = scope.spawn(|| -> Side {
            // Head's plan files: where the trusted configuration says, and where the change's
            // own configuration says (a change that moves the plan and its `plans` setting).
            // Never fewer: a change cannot hide a file from the check by editing `plans`.
            let mut config = config.clone();
            for glob in &head.config.plans {
                if !config.plans.contains(glob) {
                    config.plans.push(glob.clone());
                }
            }
            let opened = open(head.snap.as_ref(), config, false)?;
            let outcome = check(&opened)?;
            Ok((opened, outcome))
        });
        let panicked = || anyhow!("a diff-mode check thread panicked");
        (
            b.join().unwrap_or_else(|_| Err(panicked())),
            h.join().unwrap_or_else(|_| Err(panicked())),
        )
    });
    let head_checked = head_result?;
    let base_checked =
        base_result.with_context(|| format!("checking the base revision {base_label}"))?;
    let base_checked = match base_checked {
        Ok(b) => b,
        Err(e) => {
            unread.get_or_insert(e);
            super::base::unread(base.snap.as_ref(), config.clone(), policies.clone(), &now)
        }
    };
    let plan = Plan {
        filter: d.filter,
        trusted: d.trusted,
        fail_on_existing: d.fail_on_existing,
        policy_changes: policy_change,
        base_commit: base_rev,
        base_label: base_label.clone(),
        head_label,
    };
    let mut run = classify(base_checked, head_checked, &index, plan);
    if let Some(err) = unread {
        super::base::report(&mut run, &base_label, &err, judged_by);
    }
    Ok(run)
}

/// Opens one side; a file with the same bytes on both sides is parsed once (`Shared`).
fn open_side(
    snap: &dyn crate::snapshot::Snapshot,
    config: crate::config::Config,
    policies: &crate::policy::PolicySet,
    now: &str,
    shared: &crate::workspace::Shared,
    reverse: bool,
) -> Result<Opened> {
    let parsing = crate::workspace::Parsing {
        shared: Some(shared),
        reverse,
    };
    finish_with(snap, config, policies.clone(), now, parsing)
}

/// The lines each side's files have, from the base tree and the head (a revision, the index
/// or the working tree).
fn line_index(
    opts: &Options,
    repo: &Repository,
    base_oid: git2::Oid,
    prefix: &str,
) -> Result<LineIndex> {
    let head_tree = match &opts.rev {
        Some(rev) => lines::Head::Tree(
            repo.revparse_single(rev)
                .and_then(|o| o.peel_to_tree())
                .map(|t| t.id())
                .with_context(|| format!("cannot read the tree of `{rev}`"))?,
        ),
        None if opts.staged => lines::Head::Index,
        None => lines::Head::Worktree,
    };
    let base_tree = repo
        .find_commit(base_oid)
        .and_then(|c| c.tree())
        .map(|t| t.id())
        .context("cannot read the base tree")?;
    LineIndex::build(repo, base_tree, &head_tree, prefix)
}
