//! Diff mode's half of the pipeline: resolve the base, open both sides, take the trusted
//! policies, check base and head in parallel, then hand everything to `diff::classify`.

use anyhow::{anyhow, Context, Result};
use git2::Repository;

use super::open::{finish, locate_root, open_head, open_revision};
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

/// Runs the check on base and head and classifies the findings.
pub(super) fn run(opts: &Options, d: &DiffOptions) -> Result<DiffRun> {
    let repo_root = locate_root(opts)?;
    let repo = &repo_root.repo;
    let base_oid = resolve_base(repo, &d.base, opts.rev.as_deref())?;
    let base_rev = base_oid.to_string();
    let base = open_revision(opts, &base_rev)?;
    // The working tree lists untracked files where the trusted `plans` look too: the
    // change's own `plans` cannot narrow what is found.
    let trusted_plans: &[String] = match d.trusted {
        Trusted::Base => &base.config.plans,
        Trusted::Head => &[],
    };
    let head = open_head(opts, trusted_plans)?;
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
    let index = LineIndex::build(repo, base_tree, &head_tree, &repo_root.prefix)?;

    let (config, trusted) = match d.trusted {
        Trusted::Base => (base.config.clone(), Some(base.reader())),
        Trusted::Head => (head.config.clone(), Some(head.reader())),
    };
    let policies = load_policies(opts, &head.root, &config, trusted)?;
    let now = resolve_now(opts.now.as_deref())?;
    let policy_change = policy_changes(opts, &base, &head)?;
    let base_label = format!("{} ({})", d.base, &base_rev[..12]);
    let head_label = head.snap.describe();

    // Base and head are loaded and evaluated in parallel, each file parsed once per side.
    let (base_result, head_result) = std::thread::scope(|scope| {
        let b = scope.spawn(|| -> Result<(Opened, Outcome)> {
            let opened = finish(base.snap.as_ref(), config.clone(), policies.clone(), &now)?;
            let outcome = check(&opened)?;
            Ok((opened, outcome))
        });
        let h = scope.spawn(|| -> Result<(Opened, Outcome)> {
            // Head's plan files: where the trusted configuration says, and where the change's
            // own configuration says (a change that moves the plan and its `plans` setting).
            // Never fewer: a change cannot hide a file from the check by editing `plans`.
            let mut config = config.clone();
            for glob in &head.config.plans {
                if !config.plans.contains(glob) {
                    config.plans.push(glob.clone());
                }
            }
            let opened = finish(head.snap.as_ref(), config, policies.clone(), &now)?;
            let outcome = check(&opened)?;
            Ok((opened, outcome))
        });
        let join = |r: std::thread::Result<Result<(Opened, Outcome)>>| {
            r.unwrap_or_else(|_| Err(anyhow!("a diff-mode check thread panicked")))
        };
        (join(b.join()), join(h.join()))
    });
    let base = base_result.with_context(|| format!("checking the base revision {base_label}"))?;
    let head = head_result?;
    let plan = Plan {
        filter: d.filter,
        trusted: d.trusted,
        fail_on_existing: d.fail_on_existing,
        policy_changes: policy_change,
        base_commit: base_rev,
        base_label,
        head_label,
    };
    Ok(classify(base, head, &index, plan))
}
