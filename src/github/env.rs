//! The GitHub Actions environment and the event that started the run.

use std::fmt;
use std::path::PathBuf;

use anyhow::{Context, Result};
use serde_json::Value;

use crate::error::Advice;

/// A secret that never prints.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the token masked (defence in depth for log lines).
    pub fn redact(&self, text: &str) -> String {
        if self.0.len() < 4 {
            return text.to_string();
        }
        text.replace(&self.0, "***")
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// What the run knows from the environment.
#[derive(Debug)]
pub struct Actions {
    pub event_name: String,
    pub event_path: Option<PathBuf>,
    pub event: Value,
    /// `owner/name`.
    pub repository: String,
    pub api_url: String,
    pub server_url: String,
    pub token: Option<Token>,
    /// What the run should say about the environment (a token's trailing newline dropped).
    pub notes: Vec<String>,
    pub step_summary: Option<PathBuf>,
    pub output: Option<PathBuf>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Actions {
    pub fn from_env() -> Result<Actions> {
        let event_name = var("GITHUB_EVENT_NAME").ok_or_else(|| {
            Advice::new(
                "GITHUB_EVENT_NAME is not set: `plancheck github` runs inside a GitHub Actions job",
                "outside Actions, run `plancheck check --base main... --format markdown` for the same report",
            )
        })?;
        let event_path = var("GITHUB_EVENT_PATH").map(PathBuf::from);
        let event = match &event_path {
            Some(p) => {
                let text = std::fs::read_to_string(p).with_context(|| {
                    format!("{}: cannot read the event (GITHUB_EVENT_PATH)", p.display())
                })?;
                serde_json::from_str(&text).map_err(|e| {
                    Advice::new(
                        format!(
                            "{}:{}:{}: the event (GITHUB_EVENT_PATH) is not JSON: {e}",
                            p.display(),
                            e.line(),
                            e.column()
                        ),
                        "point GITHUB_EVENT_PATH at the event file GitHub Actions wrote",
                    )
                })?
            }
            None => Value::Null,
        };
        let repository = var("GITHUB_REPOSITORY")
            .or_else(|| {
                event
                    .pointer("/repository/full_name")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_default();
        let (token, token_note) = match var("GITHUB_TOKEN") {
            Some(raw) => {
                let (token, note) = super::credentials::token("GITHUB_TOKEN", &raw)?;
                (Some(Token(token)), note)
            }
            None => (None, None),
        };
        let api_url = match var("GITHUB_API_URL") {
            Some(raw) => super::credentials::api_url(&raw)?,
            None => "https://api.github.com".into(),
        };
        Ok(Actions {
            event_name,
            event_path,
            event,
            repository,
            api_url,
            server_url: var("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".into()),
            token,
            notes: token_note.into_iter().collect(),
            step_summary: var("GITHUB_STEP_SUMMARY").map(PathBuf::from),
            output: var("GITHUB_OUTPUT").map(PathBuf::from),
        })
    }

    /// `what` of the event at `pointer`, as a string, or an error naming the event file.
    fn event_str(&self, pointer: &str) -> Result<String> {
        self.event
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| self.missing(pointer))
    }

    fn missing(&self, pointer: &str) -> anyhow::Error {
        let file = self.event_path.as_ref().map_or_else(
            || "(GITHUB_EVENT_PATH unset)".into(),
            |p| p.display().to_string(),
        );
        Advice::new(
            format!(
                "{file}: the `{}` event has no `{}`",
                self.event_name,
                pointer.trim_start_matches('/').replace('/', ".")
            ),
            "plancheck reads the event GitHub Actions writes; check GITHUB_EVENT_PATH and GITHUB_EVENT_NAME",
        )
        .into()
    }

    /// What started the run.
    pub fn trigger(&self) -> Result<Trigger> {
        match self.event_name.as_str() {
            "pull_request" | "pull_request_target" => {
                let number = self
                    .event
                    .pointer("/pull_request/number")
                    .or_else(|| self.event.pointer("/number"))
                    .and_then(Value::as_u64)
                    .ok_or_else(|| self.missing("/pull_request/number"))?;
                let base_repo = self.event_str("/pull_request/base/repo/full_name")?;
                // A deleted fork leaves `head.repo` null: still a fork.
                let head_repo = self
                    .event
                    .pointer("/pull_request/head/repo/full_name")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let from_fork = head_repo.as_deref() != Some(base_repo.as_str());
                Ok(Trigger::PullRequest(PullRequest {
                    number,
                    base_sha: self.event_str("/pull_request/base/sha")?,
                    head_sha: self.event_str("/pull_request/head/sha")?,
                    // Under pull_request_target the token can write whatever the head is.
                    read_only: from_fork && self.event_name == "pull_request",
                }))
            }
            "workflow_run" => {
                let run = WorkflowRun {
                    event: self.event_str("/workflow_run/event")?,
                    head_sha: self.event_str("/workflow_run/head_sha")?,
                    head_branch: self
                        .event
                        .pointer("/workflow_run/head_branch")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    head_owner: self
                        .event
                        .pointer("/workflow_run/head_repository/owner/login")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    numbers: self
                        .event
                        .pointer("/workflow_run/pull_requests")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(|p| p.get("number").and_then(Value::as_u64))
                        .collect(),
                };
                Ok(Trigger::WorkflowRun(run))
            }
            _ => Ok(Trigger::Other),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequest {
    pub number: u64,
    /// The base branch's tip when the event fired; the diff is taken from the merge base.
    pub base_sha: String,
    pub head_sha: String,
    /// A `pull_request` run from a fork: GitHub gives it a read-only token.
    pub read_only: bool,
}

/// A `workflow_run` event: the run of another workflow, usually the `pull_request` half of the
/// fork-safe pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowRun {
    /// The event that started the other run (`pull_request`, `push`…).
    pub event: String,
    pub head_sha: String,
    pub head_branch: Option<String>,
    pub head_owner: Option<String>,
    /// `workflow_run.pull_requests` (empty for pull requests from forks).
    pub numbers: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    PullRequest(PullRequest),
    WorkflowRun(WorkflowRun),
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actions(name: &str, event: Value) -> Actions {
        Actions {
            event_name: name.into(),
            event_path: Some("event.json".into()),
            event,
            repository: "acme/plans".into(),
            api_url: "https://api.github.com".into(),
            server_url: "https://github.com".into(),
            token: Some(Token("ghs_secret_value".into())),
            notes: Vec::new(),
            step_summary: None,
            output: None,
        }
    }

    fn pr_event(head_repo: Value) -> Value {
        serde_json::json!({"pull_request": {
            "number": 7,
            "base": {"sha": "b", "repo": {"full_name": "acme/plans"}},
            "head": {"sha": "h", "repo": head_repo},
        }})
    }

    #[test]
    fn a_pull_request_from_a_fork_is_read_only_unless_it_runs_as_pull_request_target() {
        let fork = serde_json::json!({"full_name": "mallory/plans"});
        let t = actions("pull_request", pr_event(fork.clone()))
            .trigger()
            .expect("trigger");
        assert!(matches!(t, Trigger::PullRequest(ref p) if p.read_only && p.head_sha == "h"));
        let t = actions("pull_request_target", pr_event(fork))
            .trigger()
            .expect("trigger");
        assert!(matches!(t, Trigger::PullRequest(ref p) if !p.read_only));
        let same = serde_json::json!({"full_name": "acme/plans"});
        let t = actions("pull_request", pr_event(same))
            .trigger()
            .expect("trigger");
        assert!(matches!(t, Trigger::PullRequest(ref p) if !p.read_only));
        let deleted = actions("pull_request", pr_event(Value::Null))
            .trigger()
            .expect("trigger");
        assert!(matches!(deleted, Trigger::PullRequest(ref p) if p.read_only));
    }

    #[test]
    fn an_event_without_the_head_sha_is_an_error_naming_the_file_and_field() {
        let err = actions(
            "pull_request",
            serde_json::json!({"pull_request": {"number": 7, "base": {"sha": "b", "repo": {"full_name": "acme/plans"}}}}),
        )
        .trigger()
        .expect_err("no head sha");
        let msg = err.to_string();
        assert!(
            msg.contains("event.json") && msg.contains("pull_request.head.sha"),
            "{msg}"
        );
    }

    #[test]
    fn the_token_never_prints() {
        let a = actions("push", Value::Null);
        assert!(!format!("{a:?}").contains("ghs_secret_value"));
        let t = a.token.expect("token");
        assert_eq!(
            t.redact("Authorization: token ghs_secret_value"),
            "Authorization: token ***"
        );
    }
}
