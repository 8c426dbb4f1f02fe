//! The GitHub REST client: octocrab's transport with plancheck's rules on top.
//!
//! - Every request carries `Accept: application/vnd.github+json` (or the one media type it
//!   asks for instead) and `X-GitHub-Api-Version` (the latter from octocrab itself).
//! - A GET that meets a 5xx, a timeout or a broken connection is retried with backoff.
//! - A write is never resent after an answer it cannot interpret (5xx, timeout): the caller
//!   looks for what the write would have made first (see `publish`).
//! - A rate-limited request (429, or 403 with `retry-after` / `x-ratelimit-remaining: 0`) was not
//!   processed by GitHub, so any method waits as told (`retry-after`, `x-ratelimit-reset`) and
//!   is sent again, up to a bound.
//! - The token is never part of an error or a log line.

use std::time::Duration;

use http::{HeaderMap, Method, StatusCode};
use octocrab::Octocrab;
use serde_json::Value;

/// octocrab sends `X-GitHub-Api-Version: 2022-11-28` on every request (its
/// `request-headers` metadata); adding it again would send two values, which GitHub refuses.
pub const API_VERSION: &str = "2022-11-28";
const ATTEMPTS: u32 = 3;
/// Longest rate-limit wait we sit out; past it the write is given up (the job still reports).
const MAX_WAIT: Duration = Duration::from_secs(60);
const PAGE_SIZE: u32 = 100;
/// The media type of every request but those that ask for another one.
const ACCEPT_JSON: &str = "application/vnd.github+json";

/// Why a request failed. `Display` never contains the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 401, 403 or 404: the token may not do this (a fork's read-only token, missing
    /// `permissions:`), or the resource is not there.
    #[error("HTTP {status}: {message}")]
    Denied { status: u16, message: String },
    /// Rate limited for longer than we wait.
    #[error("rate limited by GitHub for {wait_secs} s (HTTP {status}): {message}")]
    RateLimited {
        status: u16,
        wait_secs: u64,
        message: String,
    },
    /// Any other HTTP error (5xx, 422…).
    #[error("HTTP {status}: {message}")]
    Http { status: u16, message: String },
    /// No answer: connection refused, reset, timed out.
    #[error("no answer from GitHub: {0}")]
    Transport(String),
}

impl ApiError {
    /// The request may have been applied although we got no usable answer.
    pub fn uncertain(&self) -> bool {
        match self {
            ApiError::Http { status, .. } => *status >= 500,
            ApiError::Transport(_) => true,
            _ => false,
        }
    }
}

/// How long to wait before retrying a rate-limited answer, if it is one.
fn rate_limit_wait(status: StatusCode, headers: &HeaderMap, now_unix: u64) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let retry_after = header("retry-after").and_then(|v| v.trim().parse::<u64>().ok());
    let exhausted = header("x-ratelimit-remaining") == Some("0");
    let reset = header("x-ratelimit-reset").and_then(|v| v.trim().parse::<u64>().ok());
    let limited = status == StatusCode::TOO_MANY_REQUESTS
        || (status == StatusCode::FORBIDDEN && (retry_after.is_some() || exhausted));
    if !limited {
        return None;
    }
    Some(match (retry_after, reset) {
        (Some(secs), _) => Duration::from_secs(secs),
        (None, Some(at)) if exhausted || status == StatusCode::TOO_MANY_REQUESTS => {
            Duration::from_secs(at.saturating_sub(now_unix) + 1)
        }
        // GitHub's advice for a secondary limit without headers: wait at least a minute.
        _ => Duration::from_secs(60),
    })
}

/// The `rel="next"` URL of a `Link` header.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    let link = headers.get("link")?.to_str().ok()?;
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"");
        is_next.then(|| {
            url.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        })
    })
}

/// GitHub's `message` from an error body, else the status text.
fn message(status: StatusCode, body: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let msg = parsed
        .as_ref()
        .and_then(|v| v.get("message"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let errors = parsed
        .as_ref()
        .and_then(|v| v.get("errors"))
        .map(|e| match e {
            Value::Array(items) => items
                .iter()
                .map(|i| match i {
                    Value::String(s) => s.clone(),
                    other => other
                        .get("message")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .unwrap_or_else(|| other.to_string()),
                })
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        })
        .filter(|e| !e.is_empty());
    match (msg, errors) {
        (Some(m), Some(e)) => format!("{m} ({e})"),
        (Some(m), None) => m,
        (None, _) => status
            .canonical_reason()
            .unwrap_or("unexpected answer")
            .to_string(),
    }
}

/// A synchronous client over octocrab, for one run.
pub struct Api {
    gh: Octocrab,
    rt: tokio::runtime::Runtime,
    base: String,
    /// Shorter waits in tests of the retry paths (never below 10 ms).
    backoff: Duration,
    /// What happened that the user should know (retries, waits), in order.
    pub log: std::cell::RefCell<Vec<String>>,
}

impl Api {
    pub fn new(api_url: &str, token: &str) -> anyhow::Result<Api> {
        use anyhow::Context as _;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the HTTP runtime")?;
        // Checked again here: octocrab's builder panics on a token a header cannot carry.
        let (token, _) = super::credentials::token("the GitHub token", token)?;
        let base = super::credentials::api_url(api_url)?;
        let gh = {
            let _guard = rt.enter();
            Octocrab::builder()
                .base_uri(base.as_str())
                .with_context(|| format!("GITHUB_API_URL `{base}` is not a URL"))?
                .personal_token(token)
                .set_connect_timeout(Some(Duration::from_secs(10)))
                .set_read_timeout(Some(Duration::from_secs(30)))
                .set_write_timeout(Some(Duration::from_secs(30)))
                .build()
                .context("cannot build the GitHub client")?
        };
        let backoff = std::env::var("PLANCHECK_GITHUB_BACKOFF_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(Duration::from_secs(1), |ms| {
                Duration::from_millis(ms.max(10))
            });
        Ok(Api {
            gh,
            rt,
            base,
            backoff,
            log: std::cell::RefCell::new(Vec::new()),
        })
    }

    fn url(&self, path_or_url: &str) -> String {
        if path_or_url.starts_with("http://") || path_or_url.starts_with("https://") {
            path_or_url.to_string()
        } else {
            format!("{}{path_or_url}", self.base)
        }
    }

    /// One request with the retry rules; the answer's headers and JSON body (Null when empty).
    fn send(
        &self,
        method: Method,
        path_or_url: &str,
        body: Option<&Value>,
    ) -> Result<(HeaderMap, Value), ApiError> {
        self.send_accepting(method, path_or_url, body, ACCEPT_JSON)
    }

    /// [`Api::send`] with another media type in `Accept` (one value, set per request).
    fn send_accepting(
        &self,
        method: Method,
        path_or_url: &str,
        body: Option<&Value>,
        accept: &str,
    ) -> Result<(HeaderMap, Value), ApiError> {
        let url = self.url(path_or_url);
        let idempotent = method == Method::GET;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let answer = self.exchange(&method, &url, body, accept);
            let retry_in = match &answer {
                Err(ApiError::Transport(e)) if idempotent && attempt < ATTEMPTS => {
                    let wait = self.backoff * 2u32.pow(attempt - 1);
                    self.note(format!(
                        "{method} {}: {e}; retrying in {:.1} s",
                        self.shown(&url),
                        wait.as_secs_f64()
                    ));
                    Some(wait)
                }
                Err(e) => return Err(e.clone()),
                Ok((status, headers, text)) => {
                    let now = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.as_secs());
                    if status.is_success() {
                        let value = if text.trim().is_empty() {
                            Value::Null
                        } else {
                            serde_json::from_str(text).map_err(|e| ApiError::Http {
                                status: status.as_u16(),
                                message: format!("the answer is not JSON: {e}"),
                            })?
                        };
                        return Ok((headers.clone(), value));
                    }
                    let msg = message(*status, text);
                    if let Some(wait) = rate_limit_wait(*status, headers, now) {
                        if wait > MAX_WAIT || attempt >= ATTEMPTS {
                            return Err(ApiError::RateLimited {
                                status: status.as_u16(),
                                wait_secs: wait.as_secs(),
                                message: msg,
                            });
                        }
                        self.note(format!(
                            "{method} {}: rate limited (HTTP {}); waiting {} s as GitHub asks",
                            self.shown(&url),
                            status.as_u16(),
                            wait.as_secs()
                        ));
                        Some(wait)
                    } else if status.is_server_error() && idempotent && attempt < ATTEMPTS {
                        let wait = self.backoff * 2u32.pow(attempt - 1);
                        self.note(format!(
                            "{method} {}: HTTP {}; retrying in {:.1} s",
                            self.shown(&url),
                            status.as_u16(),
                            wait.as_secs_f64()
                        ));
                        Some(wait)
                    } else {
                        let status = status.as_u16();
                        return Err(match status {
                            401 | 403 | 404 => ApiError::Denied {
                                status,
                                message: msg,
                            },
                            _ => ApiError::Http {
                                status,
                                message: msg,
                            },
                        });
                    }
                }
            };
            if let Some(wait) = retry_in {
                std::thread::sleep(wait);
            }
        }
    }

    /// One request and its answer: status, headers and body text.
    fn exchange(
        &self,
        method: &Method,
        url: &str,
        body: Option<&Value>,
        accept: &str,
    ) -> Result<(http::StatusCode, HeaderMap, String), ApiError> {
        self.rt.block_on(async {
            let uri: http::Uri = url
                .parse()
                .map_err(|e| ApiError::Transport(format!("bad URL {url}: {e}")))?;
            let builder = http::Request::builder()
                .method(method.clone())
                .uri(uri)
                .header(http::header::ACCEPT, accept);
            let request = self
                .gh
                .build_request(builder, body)
                .map_err(|e| ApiError::Transport(e.to_string()))?;
            let response = self
                .gh
                .execute(request)
                .await
                .map_err(|e| ApiError::Transport(transport_message(&e)))?;
            let status = response.status();
            let headers = response.headers().clone();
            let text = self
                .gh
                .body_to_string(response)
                .await
                .map_err(|e| ApiError::Transport(transport_message(&e)))?;
            Ok::<_, ApiError>((status, headers, text))
        })
    }

    /// The URL without the API base, for log lines.
    fn shown(&self, url: &str) -> String {
        url.strip_prefix(&self.base).unwrap_or(url).to_string()
    }

    fn note(&self, line: String) {
        self.log.borrow_mut().push(line);
    }

    pub fn get(&self, path: &str) -> Result<Value, ApiError> {
        self.send(Method::GET, path, None).map(|(_, v)| v)
    }

    /// A GET asking for another media type (`application/vnd.github.v3.repository+json`);
    /// `Null` for an empty answer (204).
    pub fn get_accepting(&self, path: &str, accept: &str) -> Result<Value, ApiError> {
        self.send_accepting(Method::GET, path, None, accept)
            .map(|(_, v)| v)
    }

    /// Every item of a paginated list, following `Link: rel="next"`.
    pub fn get_all(&self, path: &str) -> Result<Vec<Value>, ApiError> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut next = Some(format!("{path}{sep}per_page={PAGE_SIZE}"));
        let mut items = Vec::new();
        // GitHub caps lists (3,000 PR files, for one); the bound only stops a server that
        // links a page to itself.
        let mut pages = 0;
        while let Some(url) = next {
            pages += 1;
            if pages > 1000 {
                break;
            }
            let (headers, value) = self.send(Method::GET, &url, None)?;
            match value {
                Value::Array(page) => items.extend(page),
                other => {
                    return Err(ApiError::Http {
                        status: 200,
                        message: format!(
                            "expected a list from {}, got {}",
                            self.shown(&self.url(&url)),
                            short(&other)
                        ),
                    })
                }
            }
            next = next_link(&headers);
        }
        Ok(items)
    }

    pub fn post(&self, path: &str, body: &Value) -> Result<Value, ApiError> {
        self.send(Method::POST, path, Some(body)).map(|(_, v)| v)
    }

    pub fn patch(&self, path: &str, body: &Value) -> Result<Value, ApiError> {
        self.send(Method::PATCH, path, Some(body)).map(|(_, v)| v)
    }

    pub fn delete(&self, path: &str) -> Result<(), ApiError> {
        self.send(Method::DELETE, path, None).map(|_| ())
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

/// octocrab's error, with the innermost cause (a timeout, a refused connection) spelled out.
fn transport_message(e: &octocrab::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !msg.contains(&text) {
            msg = format!("{msg}: {text}");
        }
        source = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().expect("header value"));
        }
        h
    }

    #[test]
    fn rate_limits_are_recognised_and_their_wait_honoured() {
        let now = 1_000;
        assert_eq!(
            rate_limit_wait(
                StatusCode::TOO_MANY_REQUESTS,
                &headers(&[("retry-after", "3")]),
                now
            ),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            rate_limit_wait(
                StatusCode::FORBIDDEN,
                &headers(&[
                    ("x-ratelimit-remaining", "0"),
                    ("x-ratelimit-reset", "1010")
                ]),
                now
            ),
            Some(Duration::from_secs(11))
        );
        assert_eq!(
            rate_limit_wait(StatusCode::FORBIDDEN, &headers(&[]), now),
            None,
            "a plain 403 is a permission problem, not a rate limit"
        );
        assert_eq!(
            rate_limit_wait(
                StatusCode::BAD_GATEWAY,
                &headers(&[("retry-after", "3")]),
                now
            ),
            None
        );
    }

    #[test]
    fn the_next_page_comes_from_the_link_header() {
        let h = headers(&[(
            "link",
            "<https://api.github.com/repositories/1/issues/2/comments?per_page=100&page=2>; rel=\"next\", <https://api.github.com/repositories/1/issues/2/comments?per_page=100&page=3>; rel=\"last\"",
        )]);
        assert_eq!(
            next_link(&h).as_deref(),
            Some("https://api.github.com/repositories/1/issues/2/comments?per_page=100&page=2")
        );
        let last = headers(&[(
            "link",
            "<https://x/?page=1>; rel=\"prev\", <https://x/?page=1>; rel=\"first\"",
        )]);
        assert_eq!(next_link(&last), None);
    }

    #[test]
    fn error_messages_carry_githubs_message_and_errors() {
        assert_eq!(
            message(
                StatusCode::UNPROCESSABLE_ENTITY,
                r#"{"message":"Unprocessable Entity","errors":["Line could not be resolved"]}"#
            ),
            "Unprocessable Entity (Line could not be resolved)"
        );
        assert_eq!(message(StatusCode::BAD_GATEWAY, "<html>"), "Bad Gateway");
    }
}
