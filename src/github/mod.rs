//! `plancheck github`: the diff-aware check of a pull request inside GitHub Actions, published
//! as one sticky comment, a review with line comments, annotations, the job summary and step
//! outputs. API trouble is logged in one line and never changes the exit code.

pub mod api;
pub mod comment;
pub mod credentials;
pub mod env;
pub mod online;
pub mod owners;
pub mod publish;
pub mod review;
pub mod workflow;

use std::path::PathBuf;

use anyhow::Result;
use serde_json::Value;

use crate::error::Advice;
use crate::report;
use api::{Api, ApiError};
use comment::Marker;
use env::{Actions, PullRequest, Trigger};
use publish::{Failure, Target};

/// What to publish on the pull request, and the configuration that names the comment.
#[derive(Debug, Clone, Default)]
pub struct Publish {
    /// Write the sticky comment.
    pub comment: bool,
    /// Post new findings inside the diff as review line comments.
    pub review: bool,
    /// The `--config` given, if any: two jobs with different configurations keep two comments.
    pub config: Option<PathBuf>,
}

/// Log lines for the job's log (stderr), each prefixed and with the token masked.
pub struct Log {
    lines: Vec<String>,
    token: Option<env::Token>,
}

impl Log {
    /// The log's lines, one per line of text.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    pub fn line(&mut self, text: impl AsRef<str>) {
        let text = match &self.token {
            Some(t) => t.redact(text.as_ref()),
            None => text.as_ref().to_string(),
        };
        self.lines.push(format!("plancheck: {text}"));
    }
}

/// The pull request a `workflow_run` event is about, found through the API and checked
/// against the run's head commit (the event itself could come from a fork's workflow).
fn workflow_run_pull(
    api: &Api,
    repo: &str,
    run: &env::WorkflowRun,
) -> Result<Option<PullRequest>, ApiError> {
    let mut numbers = run.numbers.clone();
    if numbers.is_empty() {
        if let (Some(owner), Some(branch)) = (&run.head_owner, &run.head_branch) {
            let list = api.get_all(&format!(
                "/repos/{repo}/pulls?state=open&head={}",
                report::percent_encode(&format!("{owner}:{branch}"))
            ))?;
            numbers.extend(
                list.iter()
                    .filter_map(|p| p.get("number").and_then(Value::as_u64)),
            );
        }
    }
    for n in numbers {
        let pr = api.get(&format!("/repos/{repo}/pulls/{n}"))?;
        let sha = |side: &str| {
            pr.pointer(&format!("/{side}/sha"))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        if sha("head").as_deref() == Some(run.head_sha.as_str()) {
            if let Some(base_sha) = sha("base") {
                return Ok(Some(PullRequest {
                    number: n,
                    base_sha,
                    head_sha: run.head_sha.clone(),
                    read_only: false,
                }));
            }
        }
    }
    Ok(None)
}

/// The marker's configuration id: two jobs with different configurations keep two comments.
fn config_id(config: Option<&PathBuf>) -> String {
    match config {
        None => "default".into(),
        Some(p) => p
            .display()
            .to_string()
            .chars()
            .map(|c| if c.is_whitespace() { '_' } else { c })
            .collect::<String>()
            .replace("--", "_"),
    }
}

/// Whether the head commit is in the clone; a clear error if not.
pub fn require_commit(repo: &git2::Repository, sha: &str, what: &str) -> Result<()> {
    let found = git2::Oid::from_str(sha)
        .ok()
        .and_then(|oid| repo.find_commit(oid).ok());
    if found.is_none() {
        return Err(Advice::new(
            format!("the {what} commit {sha} is not in this clone"),
            "fetch the whole history: set `fetch-depth: 0` on actions/checkout (on `pull_request_target` and `workflow_run`, also `ref:` the pull request's head sha, which the base branch does not contain)",
        )
        .into());
    }
    Ok(())
}

/// The Actions run as plancheck sees it: its environment, the API (when a token reaches it),
/// the pull request it is about (none for a push, or when it cannot be found), and the log.
pub struct Run {
    pub actions: Actions,
    pub api: Option<Api>,
    pub pull: Option<PullRequest>,
    pub log: Log,
}

/// Reads the Actions environment and finds the pull request (through the API for a
/// `workflow_run`). Problems that only narrow what is published become log lines.
pub fn start(dir: Option<&PathBuf>) -> Result<Run> {
    let actions = Actions::from_env()?;
    let mut log = Log {
        lines: Vec::new(),
        token: actions.token.clone(),
    };
    allow_workspace_owner(dir);
    for note in &actions.notes {
        log.line(note);
    }
    // The token and the URL were checked when read: a client that cannot be built is a
    // broken run, not a missing token.
    let api = match &actions.token {
        Some(t) => Some(Api::new(&actions.api_url, t.expose())?),
        None => None,
    };
    let pull = match actions.trigger()? {
        Trigger::PullRequest(p) => Some(p),
        Trigger::WorkflowRun(run) if run.event.starts_with("pull_request") => match &api {
            None => {
                log.line("a workflow_run event needs GITHUB_TOKEN to find its pull request: running a plain check");
                None
            }
            Some(api) => match workflow_run_pull(api, &actions.repository, &run) {
                Ok(Some(p)) => Some(p),
                Ok(None) => {
                    log.line(format!(
                        "no open pull request has head {}: running a plain check",
                        run.head_sha
                    ));
                    None
                }
                Err(e) => {
                    log.line(format!(
                        "cannot look up the pull request of this workflow_run ({e}): running a plain check"
                    ));
                    None
                }
            },
        },
        Trigger::WorkflowRun(_) | Trigger::Other => None,
    };
    Ok(Run {
        actions,
        api,
        pull,
        log,
    })
}

/// Why there is no API client: no token, or (with one) a client that could not be set up,
/// whose reason is logged when it happens (an invalid GITHUB_API_URL).
pub fn no_api_reason(actions: &Actions) -> &'static str {
    if actions.token.is_some() {
        "the GitHub API client could not be set up (see above)"
    } else {
        "GITHUB_TOKEN is not set"
    }
}

/// The comment and the review. Every problem ends in one log line; none is an error.
pub fn publish_to(
    actions: &Actions,
    api: Option<&Api>,
    p: &PullRequest,
    git: &git2::Repository,
    settings: &Publish,
    report: &report::Report<'_>,
    log: &mut Log,
) {
    let fallback = "the findings are in the annotations and the job summary";
    if p.read_only {
        log.line(format!(
            "pull request #{} comes from a fork, whose token is read-only: not commenting; {fallback}. \
To comment on fork pull requests, add the workflow_run workflow from README.md",
            p.number
        ));
        return;
    }
    let Some(api) = api else {
        log.line(format!(
            "{}: not commenting on pull request #{}; {fallback}",
            no_api_reason(actions),
            p.number
        ));
        return;
    };
    let author = match comment_author(api, actions.token.as_ref()) {
        Ok(login) => login,
        Err(why) => {
            log.line(format!(
                "cannot tell which account the token posts as ({why}), so no comment could be told apart from a copy of ours: not commenting on pull request #{}; {fallback}. Set PLANCHECK_COMMENT_AUTHOR to that account's login (a GitHub App's is `<app-slug>[bot]`)",
                p.number
            ));
            return;
        }
    };
    let target = Target {
        api,
        repo: &actions.repository,
        number: p.number,
        author,
    };
    let result = (|| -> Result<(), Failure> {
        if settings.comment {
            let marker = Marker {
                config: config_id(settings.config.as_ref()),
                sha: p.head_sha.clone(),
            };
            let room = comment::MAX_BODY - marker.render().chars().count() - 1;
            let markdown = report::markdown::render_within(report, room);
            let body = comment::body(&marker, &markdown);
            let newer = |their: &str| newer_head(git, their, p, api, &actions.repository);
            for line in target.sticky(&marker, &body, &newer)? {
                log.line(line);
            }
        }
        if settings.review && report.diff.is_some() {
            for line in target.review(&p.head_sha, report.findings)? {
                log.line(line);
            }
        }
        Ok(())
    })();
    for line in api.log.borrow().iter() {
        log.line(line);
    }
    if let Err(f) = result {
        let hint = match &f.error {
            ApiError::Denied { status: 403 | 404, .. } => {
                ". The token needs `pull-requests: write` (see `permissions:` in README.md); a pull request from a fork gets a read-only token: use the workflow_run workflow from README.md"
            }
            ApiError::Denied { status: 401, .. } => ". GITHUB_TOKEN was refused: pass `token: ${{ github.token }}`",
            _ => "",
        };
        log.line(format!(
            "could not write to pull request #{} ({}: {}); {fallback}{hint}",
            p.number, f.doing, f.error
        ));
    }
}

/// The login plancheck posts as; only its comments count as ours. PLANCHECK_COMMENT_AUTHOR
/// when set; `github-actions[bot]` for an installation token (`ghs_…`: the workflow's
/// GITHUB_TOKEN, which cannot call `/user`; a GitHub App's own token needs
/// PLANCHECK_COMMENT_AUTHOR=`<app-slug>[bot]`); else the user `/user` names.
fn comment_author(api: &Api, token: Option<&env::Token>) -> Result<String, String> {
    if let Ok(login) = std::env::var("PLANCHECK_COMMENT_AUTHOR") {
        if !login.is_empty() {
            return Ok(login);
        }
    }
    let token = token.ok_or("no token")?;
    if token.expose().starts_with("ghs_") {
        return Ok(ACTIONS_BOT.to_string());
    }
    let user = api.get("/user").map_err(|e| format!("GET /user: {e}"))?;
    user.get("login")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| "GET /user answered without a login".to_string())
}

/// The account the workflow's GITHUB_TOKEN posts as.
pub const ACTIONS_BOT: &str = "github-actions[bot]";

/// Whether a comment written for `their` head is for a newer head than ours: their commit
/// descends from ours, or (not in this clone) it is the pull request's head right now.
fn newer_head(git: &git2::Repository, their: &str, p: &PullRequest, api: &Api, repo: &str) -> bool {
    if their == p.head_sha {
        return false;
    }
    if let (Ok(t), Ok(o)) = (git2::Oid::from_str(their), git2::Oid::from_str(&p.head_sha)) {
        if git.find_commit(t).is_ok() {
            return git.graph_descendant_of(t, o).unwrap_or(false);
        }
    }
    api.get(&format!("/repos/{repo}/pulls/{}", p.number))
        .ok()
        .and_then(|pr| {
            pr.pointer("/head/sha")
                .and_then(Value::as_str)
                .map(|s| s == their)
        })
        .unwrap_or(false)
}

/// Docker actions run as a user who may not own the checked-out workspace, and libgit2 then
/// refuses to open it ("not owned by current user"). plancheck only reads objects and never runs
/// programs named in a repository's configuration, so inside the Actions workspace the check
/// is off.
pub fn allow_workspace_owner(dir: Option<&PathBuf>) {
    let Some(workspace) = std::env::var_os("GITHUB_WORKSPACE") else {
        return;
    };
    let here = match dir {
        Some(d) => d.clone(),
        None => match std::env::current_dir() {
            Ok(d) => d,
            Err(_) => return,
        },
    };
    let (Ok(here), Ok(ws)) = (here.canonicalize(), PathBuf::from(workspace).canonicalize()) else {
        return;
    };
    if here.starts_with(&ws) {
        // SAFETY: a process-wide libgit2 option, set once before any repository is opened;
        // libgit2 executes no configured programs, so the owner check guards nothing we do.
        unsafe {
            let _ = git2::opts::set_verify_owner_validation(false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_ids_have_no_spaces_or_double_dashes() {
        assert_eq!(config_id(None), "default");
        assert_eq!(
            config_id(Some(&PathBuf::from("ci/plan check--x.toml"))),
            "ci/plan_check_x.toml"
        );
    }
}
