//! A stateful stand-in for GitHub's REST API, for the `plancheck github` tests.
//!
//! One process-wide loopback server (wiremock, one catch-all [`Respond`]er over shared state)
//! answers the endpoints plancheck uses the way api.github.com does: issue comments (list with
//! Link pagination, create, update, delete), pull requests (get, list by head), changed files,
//! reviews with line comments (validated against the files' patches: one bad line rejects the
//! whole review), review comments. Tests seed repositories through [`Repo`] handles, queue
//! [`Fault`]s, switch a repository to a fork's read-only token, and read back what was stored
//! and every request received.
//!
//! With `PLANCHECK_TEST_PRISM` set (tests/github/run sets it), every request goes through
//! `prism proxy <PLANCHECK_TEST_OPENAPI> <stand-in> --errors`, which checks each request and
//! each response against GitHub's official OpenAPI description: a request the real API would
//! not route, or a response missing a required field, becomes an error answer and a line in
//! prism's log (`PLANCHECK_TEST_PRISM_LOG`, else a file in the temp dir), which the script
//! checks after the tests. `PLANCHECK_TEST_REQUIRE_PRISM=1` makes a missing or broken prism a
//! panic instead of a fallback to the plain stand-in.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The organisation owning every stand-in repository.
pub const OWNER: &str = "plancheck-tests";
/// The identity of every token but "bad": the Actions token's bot.
pub const BOT_LOGIN: &str = "github-actions[bot]";
/// The token the stand-in rejects with 401 Bad credentials.
pub const BAD_TOKEN: &str = "bad";

const HTML: &str = "https://github.com";
const DOCS: &str = "https://docs.github.com/rest";
/// 2026-11-24T09:00:00Z, the stand-in clock's start (the tests' PLANCHECK_NOW day).
const EPOCH: u64 = 1_795_510_800;
/// Maximum issue comment length, in characters.
pub const MAX_COMMENT_CHARS: usize = 65536;

// ---------------------------------------------------------------------------------------------
// Public interface

pub struct StandIn {
    state: Arc<Mutex<State>>,
    api_url: String,
    direct_url: String,
    prism: Option<Prism>,
}

struct Prism {
    log: PathBuf,
    /// Holds the wrapper's stdin pipe: when this process ends the pipe closes and the wrapper
    /// kills prism.
    _child: Mutex<Child>,
}

/// The process-wide stand-in, started on first use.
pub fn stand_in() -> &'static StandIn {
    static STAND_IN: OnceLock<StandIn> = OnceLock::new();
    STAND_IN.get_or_init(StandIn::start)
}

impl StandIn {
    /// What a test sets as GITHUB_API_URL (no trailing slash): prism's URL when prism is on.
    pub fn api_url(&self) -> String {
        self.api_url.clone()
    }

    /// The stand-in itself, bypassing prism: for requests that are invalid on purpose (prism
    /// would answer them itself and log an error). Links and URLs in its answers point at it.
    pub fn direct_url(&self) -> String {
        self.direct_url.clone()
    }

    pub fn via_prism(&self) -> bool {
        self.prism.is_some()
    }

    /// Prism's log, when prism is on.
    pub fn prism_log(&self) -> Option<PathBuf> {
        self.prism.as_ref().map(|p| p.log.clone())
    }

    /// Repository "plancheck-tests/<name>", with fresh empty state (an existing one is reset).
    pub fn repo(&self, name: &str) -> Repo {
        assert!(
            !name.is_empty() && !name.contains('/'),
            "repository name {name:?}"
        );
        let full_name = format!("{OWNER}/{name}");
        let mut st = lock(&self.state);
        let id = st.next_id();
        st.repos.insert(full_name.clone(), RepoState::new(id));
        Repo {
            state: self.state.clone(),
            full_name,
        }
    }

    /// Repository "<owner>/<name>" owned by a user (not an organization), fresh.
    pub fn user_repo(&self, owner: &str, name: &str) -> Repo {
        let full_name = format!("{owner}/{name}");
        let mut st = lock(&self.state);
        let id = st.next_id();
        st.repos.insert(full_name.clone(), RepoState::new(id));
        Repo {
            state: self.state.clone(),
            full_name,
        }
    }

    /// An organization (fresh), whose teams the token may read when `read_org`.
    pub fn org(&self, login: &str, read_org: bool) {
        lock(&self.state).orgs.insert(
            login.to_string(),
            OrgState {
                read_org,
                teams: HashMap::new(),
            },
        );
    }

    /// A team of `org` with its members and its repositories' roles.
    pub fn team(&self, org: &str, slug: &str, members: &[String], repos: &[(&str, &str)]) {
        let mut st = lock(&self.state);
        let o = st.orgs.get_mut(org).expect("stand-in organization");
        o.teams.insert(
            slug.to_string(),
            TeamState {
                members: members.to_vec(),
                repos: repos
                    .iter()
                    .map(|(r, role)| (r.to_string(), role.to_string()))
                    .collect(),
            },
        );
    }

    /// Every request to /orgs/<org>/..., in order.
    pub fn org_requests(&self, org: &str) -> Vec<Recorded> {
        let prefix = format!("/orgs/{org}/");
        lock(&self.state)
            .org_requests
            .iter()
            .filter(|r| r.path.starts_with(&prefix))
            .cloned()
            .collect()
    }

    fn start() -> StandIn {
        let require = std::env::var("PLANCHECK_TEST_REQUIRE_PRISM").as_deref() == Ok("1");
        let prism_bin = std::env::var("PLANCHECK_TEST_PRISM")
            .ok()
            .filter(|s| !s.is_empty());
        let spec = std::env::var("PLANCHECK_TEST_OPENAPI")
            .ok()
            .filter(|s| !s.is_empty());
        let prism_cfg = match (prism_bin, spec) {
            (Some(bin), Some(spec)) => Some((bin, spec)),
            (bin, spec) => {
                let why = match (bin, spec) {
                    (None, _) => "PLANCHECK_TEST_PRISM is not set",
                    _ => "PLANCHECK_TEST_OPENAPI is not set",
                };
                if require {
                    panic!(
                        "PLANCHECK_TEST_REQUIRE_PRISM=1 but {why}: run the GitHub tests with \
                         `bash tests/github/run`"
                    );
                }
                None
            }
        };
        let prism_port = prism_cfg.as_ref().map(|_| free_port());
        let prism_url = prism_port.map(|p| format!("http://127.0.0.1:{p}"));

        let state = Arc::new(Mutex::new(State::default()));
        let (tx, rx) = mpsc::channel();
        {
            let state = state.clone();
            let prism_url = prism_url.clone();
            std::thread::Builder::new()
                .name("github-stand-in".into())
                .spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("stand-in runtime");
                    rt.block_on(async move {
                        let direct = serve(state.clone(), None).await;
                        let upstream = match prism_url {
                            Some(url) => Some(serve(state, Some(url)).await),
                            None => None,
                        };
                        tx.send((direct.uri(), upstream.as_ref().map(|u| u.uri())))
                            .expect("send stand-in address");
                        // The servers run on wiremock's own threads; keep them alive for good.
                        std::future::pending::<()>().await;
                        drop((direct, upstream));
                    });
                })
                .expect("spawn stand-in thread");
        }
        let (direct_url, upstream_url) = rx.recv().expect("stand-in started");

        let mut stand_in = StandIn {
            state,
            api_url: direct_url.clone(),
            direct_url,
            prism: None,
        };
        if let (Some((bin, spec)), Some(port), Some(upstream)) =
            (prism_cfg, prism_port, upstream_url)
        {
            match start_prism(&bin, &spec, &upstream, port) {
                Ok(prism) => {
                    stand_in.api_url = prism_url.expect("prism url");
                    stand_in.prism = Some(prism);
                }
                Err(e) if require => panic!("PLANCHECK_TEST_REQUIRE_PRISM=1 but {e}"),
                Err(e) => eprintln!("github stand-in: {e}; going on without prism"),
            }
        }
        stand_in
    }
}

/// A handle on one stand-in repository, keyed by full name.
#[derive(Clone)]
pub struct Repo {
    state: Arc<Mutex<State>>,
    full_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrFile {
    pub filename: String,
    /// added | modified | removed | renamed
    pub status: String,
    pub previous_filename: Option<String>,
    /// Unified hunks as GitHub gives them, starting at "@@ " (see [`patch_for`]).
    pub patch: Option<String>,
}

impl PrFile {
    /// A file whose old and new texts are given ("" for an added or a removed file).
    pub fn changed(filename: &str, status: &str, old: &str, new: &str) -> PrFile {
        PrFile {
            filename: filename.to_string(),
            status: status.to_string(),
            previous_filename: None,
            patch: Some(patch_for(old, new)).filter(|p| !p.is_empty()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub id: u64,
    pub login: String,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    pub id: u64,
    pub commit_id: String,
    /// The event as sent ("COMMENT", "REQUEST_CHANGES", ...; "" when none: a pending review).
    pub event: String,
    pub body: String,
    pub comments: Vec<ReviewLine>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewLine {
    pub login: String,
    pub path: String,
    pub line: u64,
    pub side: String,
    pub body: String,
}

/// A queued failure. The first queued fault whose method matches ("*" matches any) and whose
/// request path contains `path_contains` answers instead of the stand-in, `times` times. With
/// `apply_first` the request is handled first (a comment is stored), then the fault answers.
/// A `body` of None gives GitHub's JSON error for the status.
#[derive(Clone, Debug)]
pub struct Fault {
    pub method: &'static str,
    pub path_contains: String,
    pub times: usize,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub apply_first: bool,
}

impl Fault {
    /// A one-shot `status` answer.
    pub fn new(method: &'static str, path_contains: &str, status: u16) -> Fault {
        Fault {
            method,
            path_contains: path_contains.to_string(),
            times: 1,
            status,
            headers: Vec::new(),
            body: None,
            apply_first: false,
        }
    }

    /// 429 with `retry-after: 1`, as the primary rate limit answers.
    pub fn rate_limited(method: &'static str, path_contains: &str) -> Fault {
        Fault::new(method, path_contains, 429)
            .header("retry-after", "1")
            .header("x-ratelimit-remaining", "0")
    }

    /// 403 with `retry-after: 1` and GitHub's secondary-rate-limit message.
    pub fn secondary_rate_limit(method: &'static str, path_contains: &str) -> Fault {
        Fault::new(method, path_contains, 403)
            .header("retry-after", "1")
            .body(
                &json!({
                    "message": "You have exceeded a secondary rate limit. Please wait a few \
                        minutes before you try again. If you reach out to GitHub Support for \
                        help, please include the request ID 0400:3D0F:1C2B3A4:1D2E3F4:67000000.",
                    "documentation_url": "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                    "status": "403"
                })
                .to_string(),
            )
    }

    pub fn times(mut self, n: usize) -> Fault {
        self.times = n;
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Fault {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn body(mut self, body: &str) -> Fault {
        self.body = Some(body.to_string());
        self
    }

    /// Handle the request (store the write), then answer the fault.
    pub fn apply_first(mut self) -> Fault {
        self.apply_first = true;
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    /// Lowercase names, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    /// A header's value; several lines of it joined with ", " (as prism forwards them).
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }

    pub fn is_write(&self) -> bool {
        matches!(self.method.as_str(), "POST" | "PATCH" | "PUT" | "DELETE")
    }
}

impl Repo {
    /// "plancheck-tests/<name>"
    pub fn full_name(&self) -> String {
        self.full_name.clone()
    }

    /// Opens (or replaces) pull request `number` from `head_repo_full_name`:`head_ref` at
    /// `head_sha` into `main` at `base_sha`, changing `files`.
    pub fn add_pull(
        &self,
        number: u64,
        base_sha: &str,
        head_sha: &str,
        head_repo_full_name: &str,
        head_ref: &str,
        files: Vec<PrFile>,
    ) {
        self.with(|st, repo_key| {
            let id = st.next_id();
            let head_repo_id = if head_repo_full_name == repo_key {
                st.repos[repo_key].id
            } else {
                user_id(head_repo_full_name) + 1
            };
            let t = st.tick();
            let repo = st.repo(repo_key);
            repo.pulls.insert(
                number,
                Pull {
                    id,
                    number,
                    base_sha: base_sha.to_string(),
                    head_sha: head_sha.to_string(),
                    head_repo: head_repo_full_name.to_string(),
                    head_repo_id,
                    head_ref: head_ref.to_string(),
                    files,
                    created: t,
                },
            );
            repo.issues.insert(number);
        })
    }

    /// A pre-existing issue comment by `login` on issue or pull request `pr`; returns its id.
    pub fn seed_comment(&self, pr: u64, login: &str, body: &str) -> u64 {
        self.with(|st, key| {
            let id = st.next_id();
            let t = st.tick();
            let repo = st.repo(key);
            repo.issues.insert(pr);
            repo.comments.insert(
                id,
                StoredComment {
                    id,
                    issue: pr,
                    login: login.to_string(),
                    body: body.to_string(),
                    created: t,
                    updated: t,
                },
            );
            id
        })
    }

    /// A submitted review by `login` on pull request `pr` with one line comment on `path`
    /// at RIGHT-side `line` (which must be in the file's patch); returns the comment's id.
    pub fn seed_review_comment(
        &self,
        pr: u64,
        login: &str,
        path: &str,
        line: u64,
        body: &str,
    ) -> u64 {
        self.with(|st, key| {
            let review_id = st.next_id();
            let id = st.next_id();
            let t = st.tick();
            let repo = st.repo(key);
            let pull = repo.pulls.get(&pr).expect("seeded pull request");
            let file = pull
                .files
                .iter()
                .find(|f| f.filename == path)
                .expect("a file of the pull request");
            let placed = resolve(file, &json!({"path": path, "line": line, "body": body}))
                .expect("a line of the file's patch");
            let commit_id = pull.head_sha.clone();
            repo.reviews.insert(
                review_id,
                StoredReview {
                    id: review_id,
                    pr,
                    login: login.to_string(),
                    commit_id: commit_id.clone(),
                    event: "COMMENT".into(),
                    state: "COMMENTED".into(),
                    body: String::new(),
                    submitted: t,
                },
            );
            repo.review_comments.insert(
                id,
                StoredReviewComment {
                    id,
                    review_id,
                    pr,
                    login: login.to_string(),
                    path: path.to_string(),
                    line: placed.line,
                    side: placed.side,
                    start_line: placed.start_line,
                    start_side: placed.start_side,
                    body: body.to_string(),
                    commit_id,
                    position: placed.position,
                    diff_hunk: placed.diff_hunk,
                    created: t,
                    updated: t,
                },
            );
            id
        })
    }

    /// The issue comments of `pr` now, by id.
    pub fn comments(&self, pr: u64) -> Vec<Comment> {
        self.with(|st, key| {
            st.repos[key]
                .comments
                .values()
                .filter(|c| c.issue == pr)
                .map(|c| Comment {
                    id: c.id,
                    login: c.login.clone(),
                    body: c.body.clone(),
                    created_at: rfc3339(c.created),
                    updated_at: rfc3339(c.updated),
                })
                .collect()
        })
    }

    /// The reviews of `pr`, in creation order, with their line comments.
    pub fn reviews(&self, pr: u64) -> Vec<Review> {
        self.with(|st, key| {
            let repo = &st.repos[key];
            repo.reviews
                .values()
                .filter(|r| r.pr == pr)
                .map(|r| Review {
                    id: r.id,
                    commit_id: r.commit_id.clone(),
                    event: r.event.clone(),
                    body: r.body.clone(),
                    comments: repo
                        .review_comments
                        .values()
                        .filter(|c| c.review_id == r.id)
                        .map(StoredReviewComment::line)
                        .collect(),
                })
                .collect()
        })
    }

    /// Every line comment of every review of `pr`, by id.
    pub fn review_comments(&self, pr: u64) -> Vec<ReviewLine> {
        self.with(|st, key| {
            st.repos[key]
                .review_comments
                .values()
                .filter(|c| c.pr == pr)
                .map(StoredReviewComment::line)
                .collect()
        })
    }

    pub fn fault(&self, f: Fault) {
        self.with(|st, key| st.repo(key).faults.push(f))
    }

    /// GitHub's CODEOWNERS errors (the `errors` array of codeowners/errors); None: no file.
    pub fn codeowners_errors(&self, errors: Option<Value>) {
        self.with(|st, key| {
            st.repo(key).codeowners_errors =
                errors.map(|e| e.as_array().cloned().unwrap_or_default())
        })
    }

    /// A collaborator with a role (`read`, `triage`, `write`, `maintain`, `admin`). Any other
    /// login is unknown to the stand-in (404), as a user that does not exist is to GitHub.
    pub fn collaborator(&self, login: &str, role: &str) {
        self.with(|st, key| {
            st.repo(key)
                .collaborators
                .insert(login.to_ascii_lowercase(), role.to_string());
        })
    }

    /// A fork's read-only token: every write answers 403.
    pub fn read_only(&self, on: bool) {
        self.with(|st, key| st.repo(key).read_only = on)
    }

    /// Every request this repository received, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.with(|st, key| st.repos[key].requests.clone())
    }

    fn with<T>(&self, f: impl FnOnce(&mut State, &str) -> T) -> T {
        let mut st = lock(&self.state);
        assert!(
            st.repos.contains_key(&self.full_name),
            "{} is not a stand-in repository",
            self.full_name
        );
        f(&mut st, &self.full_name)
    }
}

/// A GitHub-style `patch` (hunks only, 3 lines of context, no ---/+++ header, no final
/// newline) from two file texts.
pub fn patch_for(old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff.unified_diff().context_radius(3).to_string();
    let hunks: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("@@ ")).collect();
    hunks.join("\n")
}

// ---------------------------------------------------------------------------------------------
// State

#[derive(Default)]
struct State {
    ids: u64,
    clock: u64,
    served: u64,
    repos: HashMap<String, RepoState>,
    /// Organizations, by login: their teams and what the token may read of them.
    orgs: HashMap<String, OrgState>,
    /// Requests to /orgs/..., in order.
    org_requests: Vec<Recorded>,
}

struct OrgState {
    /// Whether the token may read the organization's teams (`read:org`).
    read_org: bool,
    teams: HashMap<String, TeamState>,
}

struct TeamState {
    members: Vec<String>,
    /// Repository full name -> role (`pull`, `triage`, `push`, `maintain`, `admin`).
    repos: HashMap<String, String>,
}

impl State {
    /// Ids are shared by every object and strictly increase; large like GitHub's (past i32).
    fn next_id(&mut self) -> u64 {
        self.ids += 1;
        2_500_000_000 + self.ids
    }

    /// The stand-in clock: one second per write.
    fn tick(&mut self) -> u64 {
        self.clock += 1;
        EPOCH + self.clock
    }

    fn repo(&mut self, key: &str) -> &mut RepoState {
        self.repos.get_mut(key).expect("stand-in repository")
    }
}

struct RepoState {
    id: u64,
    read_only: bool,
    faults: Vec<Fault>,
    requests: Vec<Recorded>,
    pulls: BTreeMap<u64, Pull>,
    issues: BTreeSet<u64>,
    comments: BTreeMap<u64, StoredComment>,
    reviews: BTreeMap<u64, StoredReview>,
    review_comments: BTreeMap<u64, StoredReviewComment>,
    /// GitHub's CODEOWNERS errors at any ref; None: no CODEOWNERS (404).
    codeowners_errors: Option<Vec<Value>>,
    /// Collaborators (lowercase login) and their role (`read`, `triage`, `write`, `maintain`, `admin`).
    collaborators: HashMap<String, String>,
}

impl RepoState {
    fn new(id: u64) -> RepoState {
        RepoState {
            id,
            read_only: false,
            faults: Vec::new(),
            requests: Vec::new(),
            pulls: BTreeMap::new(),
            issues: BTreeSet::new(),
            comments: BTreeMap::new(),
            reviews: BTreeMap::new(),
            review_comments: BTreeMap::new(),
            codeowners_errors: Some(Vec::new()),
            collaborators: HashMap::new(),
        }
    }

    fn take_fault(&mut self, method: &str, path: &str) -> Option<Fault> {
        let i = self.faults.iter().position(|f| {
            (f.method == "*" || f.method.eq_ignore_ascii_case(method))
                && path.contains(&f.path_contains)
                && f.times > 0
        })?;
        let fault = self.faults[i].clone();
        self.faults[i].times -= 1;
        if self.faults[i].times == 0 {
            self.faults.remove(i);
        }
        Some(fault)
    }
}

struct Pull {
    id: u64,
    number: u64,
    base_sha: String,
    head_sha: String,
    head_repo: String,
    head_repo_id: u64,
    head_ref: String,
    files: Vec<PrFile>,
    created: u64,
}

struct StoredComment {
    id: u64,
    issue: u64,
    login: String,
    body: String,
    created: u64,
    updated: u64,
}

struct StoredReview {
    id: u64,
    pr: u64,
    login: String,
    commit_id: String,
    event: String,
    state: String,
    body: String,
    submitted: u64,
}

struct StoredReviewComment {
    id: u64,
    review_id: u64,
    pr: u64,
    login: String,
    path: String,
    line: u64,
    side: String,
    start_line: Option<u64>,
    start_side: Option<String>,
    body: String,
    commit_id: String,
    position: u64,
    diff_hunk: String,
    created: u64,
    updated: u64,
}

impl StoredReviewComment {
    fn line(&self) -> ReviewLine {
        ReviewLine {
            login: self.login.clone(),
            path: self.path.clone(),
            line: self.line,
            side: self.side.clone(),
            body: self.body.clone(),
        }
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

// ---------------------------------------------------------------------------------------------
// Servers and prism

struct Responder {
    state: Arc<Mutex<State>>,
    /// The base URL clients use (prism's for the upstream server); None: the server's own.
    public: Arc<Mutex<Option<String>>>,
}

impl Respond for Responder {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let base = lock_base(&self.public);
        let resp = lock(&self.state).handle(&base, req);
        resp.into_template()
    }
}

fn lock_base(b: &Mutex<Option<String>>) -> String {
    b.lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .unwrap_or_default()
}

async fn serve(state: Arc<Mutex<State>>, public: Option<String>) -> MockServer {
    let base = Arc::new(Mutex::new(public.clone()));
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    if public.is_none() {
        *base.lock().unwrap_or_else(|e| e.into_inner()) = Some(server.uri());
    }
    Mock::given(any())
        .respond_with(Responder {
            state,
            public: base,
        })
        .mount(&server)
        .await;
    server
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Runs the command, and kills it when this process's end closes the wrapper's stdin.
const PRISM_WRAPPER: &str = r#"exec 3<&0
"$@" </dev/null &
child=$!
{ cat <&3 >/dev/null; kill "$child" 2>/dev/null; } &
exec 3<&-
wait "$child"
"#;

fn start_prism(bin: &str, spec: &str, upstream: &str, port: u16) -> Result<Prism, String> {
    if !Path::new(spec).is_file() {
        return Err(format!("PLANCHECK_TEST_OPENAPI={spec} is not a file"));
    }
    if !Path::new(bin).exists() {
        return Err(format!("PLANCHECK_TEST_PRISM={bin} does not exist"));
    }
    let log = std::env::var_os("PLANCHECK_TEST_PRISM_LOG")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("plancheck-prism-{}.log", std::process::id()))
        });
    let open = || {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .map_err(|e| format!("cannot open prism's log {}: {e}", log.display()))
    };
    let (out, err) = (open()?, open()?);
    let mut cmd = Command::new("bash");
    cmd.arg("-c").arg(PRISM_WRAPPER).arg("prism-wrapper");
    let real = std::fs::canonicalize(bin).unwrap_or_else(|_| PathBuf::from(bin));
    if real.extension().is_some_and(|e| e == "js") {
        cmd.arg("node").arg(&real);
    } else {
        cmd.arg(bin);
    }
    cmd.args(["proxy", spec, upstream, "--errors", "--host", "127.0.0.1"])
        .args(["--port", &port.to_string()])
        .env("NO_COLOR", "1")
        .env("FORCE_COLOR", "0")
        .stdin(Stdio::piped())
        .stdout(out)
        .stderr(err);
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start prism ({bin}): {e}"))?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Duration::from_secs(180);
    loop {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_ok() {
            break;
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "prism exited ({status}) before listening; its log {}:\n{}",
                log.display(),
                tail(&log)
            ));
        }
        if started.elapsed() > deadline {
            return Err(format!(
                "prism did not listen on {addr} within {deadline:?}; its log {}:\n{}",
                log.display(),
                tail(&log)
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!(
        "github stand-in: prism listening on {addr} after {:.1} s (log {})",
        started.elapsed().as_secs_f64(),
        log.display()
    );
    Ok(Prism {
        log,
        _child: Mutex::new(child),
    })
}

fn tail(log: &Path) -> String {
    let mut text = String::new();
    let _ = File::open(log).and_then(|mut f| f.read_to_string(&mut text));
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

// ---------------------------------------------------------------------------------------------
// Responses

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

impl Resp {
    fn json(status: u16, v: Value) -> Resp {
        Resp {
            status,
            headers: Vec::new(),
            body: Some(v.to_string()),
        }
    }

    fn empty(status: u16) -> Resp {
        Resp {
            status,
            headers: Vec::new(),
            body: None,
        }
    }

    fn header(mut self, name: &str, value: &str) -> Resp {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    fn into_template(self) -> ResponseTemplate {
        let mut t = ResponseTemplate::new(self.status);
        if let Some(body) = self.body {
            t = t.set_body_raw(body.into_bytes(), "application/json; charset=utf-8");
        }
        for (k, v) in &self.headers {
            t = t.insert_header(k.as_str(), v.as_str());
        }
        t
    }
}

/// basic-error, as GitHub answers: message, documentation_url, status (a string).
fn error(status: u16, message: &str, doc: &str) -> Resp {
    Resp::json(
        status,
        json!({"message": message, "documentation_url": doc, "status": status.to_string()}),
    )
}

fn not_found() -> Resp {
    error(404, "Not Found", DOCS)
}

/// validation-error-simple, as the reviews endpoint answers.
fn unprocessable(errors: &[&str], doc: &str) -> Resp {
    Resp::json(
        422,
        json!({"message": "Unprocessable Entity", "errors": errors, "documentation_url": doc,
               "status": "422"}),
    )
}

/// GitHub's request-schema failure ("Invalid request.\n\n...").
fn invalid_request(detail: &str, doc: &str) -> Resp {
    error(422, &format!("Invalid request.\n\n{detail}"), doc)
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}

fn fault_response(f: &Fault) -> Resp {
    let body = f.body.clone().unwrap_or_else(|| {
        let message = if f.status == 429 {
            "API rate limit exceeded for installation ID 1. If you reach out to GitHub Support \
             for help, please include the request ID 0400:3D0F:1C2B3A4:1D2E3F4:67000000."
        } else {
            reason(f.status)
        };
        json!({"message": message, "documentation_url": DOCS, "status": f.status.to_string()})
            .to_string()
    });
    let mut r = Resp {
        status: f.status,
        headers: Vec::new(),
        body: Some(body),
    };
    r.headers.extend(f.headers.iter().cloned());
    r
}

mod doc {
    pub const TEAMS: &str = "https://docs.github.com/rest/teams/teams";
    pub const CODEOWNERS_ERRORS: &str =
        "https://docs.github.com/rest/repos/repos#list-codeowners-errors";
    pub const COLLABORATOR_PERMISSION: &str = "https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user";
    pub const LIST_COMMENTS: &str =
        "https://docs.github.com/rest/issues/comments#list-issue-comments";
    pub const CREATE_COMMENT: &str =
        "https://docs.github.com/rest/issues/comments#create-an-issue-comment";
    pub const GET_COMMENT: &str =
        "https://docs.github.com/rest/issues/comments#get-an-issue-comment";
    pub const UPDATE_COMMENT: &str =
        "https://docs.github.com/rest/issues/comments#update-an-issue-comment";
    pub const DELETE_COMMENT: &str =
        "https://docs.github.com/rest/issues/comments#delete-an-issue-comment";
    pub const CREATE_REVIEW: &str =
        "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request";
    pub const UPDATE_REVIEW_COMMENT: &str =
        "https://docs.github.com/rest/pulls/comments#update-a-review-comment-for-a-pull-request";
    pub const DELETE_REVIEW_COMMENT: &str =
        "https://docs.github.com/rest/pulls/comments#delete-a-review-comment-for-a-pull-request";
}

// ---------------------------------------------------------------------------------------------
// Request handling

struct Req<'a> {
    base: &'a str,
    method: String,
    path: String,
    query: String,
    params: Vec<(String, String)>,
    body: String,
}

impl Req<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The JSON body; an empty body is `{}`.
    fn json(&self, doc: &str) -> Result<Value, Resp> {
        if self.body.trim().is_empty() {
            return Ok(json!({}));
        }
        serde_json::from_str(&self.body).map_err(|_| error(400, "Problems parsing JSON", doc))
    }
}

impl State {
    fn handle(&mut self, base: &str, req: &Request) -> Resp {
        self.served += 1;
        let r = Req {
            base,
            method: req.method.as_str().to_ascii_uppercase(),
            path: req.url.path().to_string(),
            query: req.url.query().unwrap_or("").to_string(),
            params: req
                .url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            body: String::from_utf8_lossy(&req.body).into_owned(),
        };
        let headers: Vec<(String, String)> = req
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let segs: Vec<String> = r
            .path
            .trim_start_matches('/')
            .split('/')
            .map(str::to_string)
            .collect();
        let key = (segs.len() >= 3 && segs[0] == "repos")
            .then(|| format!("{}/{}", segs[1], segs[2]))
            .filter(|k| self.repos.contains_key(k));

        if segs.first().map(String::as_str) == Some("orgs") {
            self.org_requests.push(Recorded {
                method: r.method.clone(),
                path: r.path.clone(),
                query: r.query.clone(),
                headers: headers.clone(),
                body: r.body.clone(),
            });
            let resp = match check_api_version(&headers).and_then(|()| check_auth(&headers)) {
                Err(e) => e,
                Ok(()) => {
                    let rest: Vec<&str> = segs[1..].iter().map(String::as_str).collect();
                    self.route_org(&r, &rest, &headers)
                }
            };
            return self.decorate(resp);
        }
        let mut fault = None;
        if let Some(key) = &key {
            let repo = self.repo(key);
            repo.requests.push(Recorded {
                method: r.method.clone(),
                path: r.path.clone(),
                query: r.query.clone(),
                headers: headers.clone(),
                body: r.body.clone(),
            });
            fault = repo.take_fault(&r.method, &r.path);
        }
        let resp = match &fault {
            Some(f) if !f.apply_first => fault_response(f),
            _ => {
                let normal = match check_api_version(&headers).and_then(|()| check_auth(&headers)) {
                    Err(e) => e,
                    Ok(()) => match &key {
                        None => not_found(),
                        Some(key) => {
                            let rest: Vec<&str> = segs[3..].iter().map(String::as_str).collect();
                            self.route(key, &r, &rest)
                        }
                    },
                };
                match &fault {
                    Some(f) => fault_response(f),
                    None => normal,
                }
            }
        };
        self.decorate(resp)
    }

    /// The headers GitHub sends with every answer (the answer's own win).
    fn decorate(&self, mut resp: Resp) -> Resp {
        let used = self.served.min(4999);
        let common = [
            ("x-github-api-version-selected", "2022-11-28".to_string()),
            ("x-github-media-type", "github.v3; format=json".to_string()),
            ("x-ratelimit-limit", "5000".to_string()),
            ("x-ratelimit-remaining", (5000 - used).to_string()),
            ("x-ratelimit-reset", (EPOCH + 3600).to_string()),
            ("x-ratelimit-used", used.to_string()),
            ("x-ratelimit-resource", "core".to_string()),
            (
                "x-github-request-id",
                format!("0400:3D0F:{:X}:{:X}:67000000", self.served, self.ids),
            ),
        ];
        for (k, v) in common {
            if !resp.headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(k)) {
                resp.headers.push((k.to_string(), v));
            }
        }
        resp
    }

    fn route(&mut self, key: &str, r: &Req, rest: &[&str]) -> Resp {
        let num = |s: &str| s.parse::<u64>().ok().filter(|n| *n > 0);
        let m = r.method.as_str();
        match rest {
            ["issues", n, "comments"] => match (m, num(n)) {
                ("GET", Some(n)) => self.list_comments(key, r, n),
                ("POST", Some(n)) => self.create_comment(key, r, n),
                _ => not_found(),
            },
            ["issues", "comments", id] => match (m, num(id)) {
                ("GET", Some(id)) => self.get_comment(key, r, id),
                ("PATCH", Some(id)) => self.update_comment(key, r, id),
                ("DELETE", Some(id)) => self.delete_comment(key, id),
                _ => not_found(),
            },
            ["pulls"] if m == "GET" => self.list_pulls(key, r),
            ["codeowners", "errors"] if m == "GET" => self.codeowners_errors(key),
            ["collaborators", login, "permission"] if m == "GET" => {
                self.collaborator_permission(key, r, login)
            }
            ["pulls", "comments", id] => match (m, num(id)) {
                ("GET", Some(id)) => match self.repos[key].review_comments.get(&id) {
                    Some(c) => Resp::json(200, review_comment_json(r.base, key, c)),
                    None => not_found(),
                },
                ("PATCH", Some(id)) => self.update_review_comment(key, r, id),
                ("DELETE", Some(id)) => self.delete_review_comment(key, id),
                _ => not_found(),
            },
            ["pulls", n] if m == "GET" => {
                match num(n).and_then(|n| self.repos[key].pulls.get(&n)) {
                    Some(p) => Resp::json(200, pull_json(r.base, key, &self.repos[key], p, true)),
                    None => not_found(),
                }
            }
            ["pulls", n, "files"] if m == "GET" => {
                let repo = &self.repos[key];
                match num(n).and_then(|n| repo.pulls.get(&n)) {
                    Some(p) => {
                        let items = p
                            .files
                            .iter()
                            .map(|f| diff_entry_json(r.base, key, &p.head_sha, f))
                            .collect();
                        paginate(r, items)
                    }
                    None => not_found(),
                }
            }
            ["pulls", n, "comments"] if m == "GET" => {
                let repo = &self.repos[key];
                match num(n).filter(|n| repo.pulls.contains_key(n)) {
                    Some(n) => {
                        let items = repo
                            .review_comments
                            .values()
                            .filter(|c| c.pr == n && repo.reviews[&c.review_id].state != "PENDING")
                            .map(|c| review_comment_json(r.base, key, c))
                            .collect();
                        paginate(r, items)
                    }
                    None => not_found(),
                }
            }
            ["pulls", n, "reviews"] => match (m, num(n)) {
                ("GET", Some(n)) if self.repos[key].pulls.contains_key(&n) => {
                    let items = self.repos[key]
                        .reviews
                        .values()
                        .filter(|v| v.pr == n)
                        .map(|v| review_json(r.base, key, v))
                        .collect();
                    paginate(r, items)
                }
                ("POST", Some(n)) => self.create_review(key, r, n),
                _ => not_found(),
            },
            _ => not_found(),
        }
    }

    /// /orgs/{org}/teams/{slug}/members and /orgs/{org}/teams/{slug}/repos/{owner}/{repo}.
    fn route_org(&mut self, r: &Req, rest: &[&str], headers: &[(String, String)]) -> Resp {
        if r.method != "GET" {
            return not_found();
        }
        let Some(org) = rest.first().and_then(|o| self.orgs.get(*o)) else {
            return not_found(); // no such organization (a user is not one)
        };
        let doc = doc::TEAMS;
        if rest.get(1) == Some(&"teams") && !org.read_org {
            return error(403, "Resource not accessible by integration", doc);
        }
        match rest {
            [_, "teams", slug, "members"] => match org.teams.get(*slug) {
                Some(t) => {
                    let items = t.members.iter().map(|m| user_json(r.base, m)).collect();
                    paginate(r, items)
                }
                None => error(404, "Not Found", doc),
            },
            [_, "teams", slug, "repos", owner, name] => {
                let full_name = format!("{owner}/{name}");
                let Some(role) = org
                    .teams
                    .get(*slug)
                    .and_then(|t| t.repos.get(&full_name))
                    .cloned()
                else {
                    return error(404, "Not Found", doc);
                };
                let wants_repo = headers.iter().any(|(k, v)| {
                    k == "accept" && v.contains("application/vnd.github.v3.repository+json")
                });
                if !wants_repo {
                    return Resp::empty(204);
                }
                let id = self.repos.get(&full_name).map_or(1, |s| s.id);
                let mut v = repository_json(r.base, &full_name, id, false);
                let rank = ["pull", "triage", "push", "maintain", "admin"]
                    .iter()
                    .position(|x| *x == role)
                    .unwrap_or(0);
                v["permissions"] = json!({
                    "pull": true,
                    "triage": rank >= 1,
                    "push": rank >= 2,
                    "maintain": rank >= 3,
                    "admin": rank >= 4,
                });
                v["role_name"] = json!(role);
                Resp::json(200, v)
            }
            _ => not_found(),
        }
    }

    fn codeowners_errors(&self, key: &str) -> Resp {
        match &self.repos[key].codeowners_errors {
            None => error(404, "Not Found", doc::CODEOWNERS_ERRORS),
            Some(errors) => {
                let errors: Vec<Value> = errors
                    .iter()
                    .map(|e| {
                        let mut e = e.clone();
                        if e.get("path").is_none() {
                            e["path"] = json!(".github/CODEOWNERS");
                        }
                        e
                    })
                    .collect();
                Resp::json(200, json!({ "errors": errors }))
            }
        }
    }

    fn collaborator_permission(&self, key: &str, r: &Req, login: &str) -> Resp {
        let Some(role) = self.repos[key]
            .collaborators
            .get(&login.to_ascii_lowercase())
            .cloned()
        else {
            return error(404, "Not Found", doc::COLLABORATOR_PERMISSION);
        };
        let permission = match role.as_str() {
            "admin" => "admin",
            "maintain" | "write" => "write",
            "triage" | "read" => "read",
            _ => "none",
        };
        let rank = ["read", "triage", "write", "maintain", "admin"]
            .iter()
            .position(|x| *x == role)
            .unwrap_or(0);
        let mut user = user_json(r.base, login);
        user["permissions"] = json!({
            "pull": true,
            "triage": rank >= 1,
            "push": rank >= 2,
            "maintain": rank >= 3,
            "admin": rank >= 4,
        });
        user["role_name"] = json!(role);
        Resp::json(
            200,
            json!({"permission": permission, "role_name": role, "user": user}),
        )
    }

    fn read_only(&self, key: &str, doc: &str) -> Option<Resp> {
        self.repos[key].read_only.then(|| {
            error(403, "Resource not accessible by integration", doc).header(
                "x-accepted-github-permissions",
                "issues=write; pull_requests=write",
            )
        })
    }

    fn list_comments(&mut self, key: &str, r: &Req, n: u64) -> Resp {
        let repo = &self.repos[key];
        if !repo.issues.contains(&n) {
            return error(404, "Not Found", doc::LIST_COMMENTS);
        }
        let items = repo
            .comments
            .values()
            .filter(|c| c.issue == n)
            .map(|c| comment_json(r.base, key, repo, c))
            .collect();
        paginate(r, items)
    }

    fn create_comment(&mut self, key: &str, r: &Req, n: u64) -> Resp {
        let doc = doc::CREATE_COMMENT;
        if !self.repos[key].issues.contains(&n) {
            return error(404, "Not Found", doc);
        }
        if let Some(e) = self.read_only(key, doc) {
            return e;
        }
        let body = match comment_body(r, doc) {
            Ok(b) => b,
            Err(e) => return e,
        };
        let id = self.next_id();
        let t = self.tick();
        let c = StoredComment {
            id,
            issue: n,
            login: BOT_LOGIN.to_string(),
            body,
            created: t,
            updated: t,
        };
        let repo = self.repo(key);
        let v = comment_json(r.base, key, repo, &c);
        repo.comments.insert(id, c);
        let location = v["url"].as_str().unwrap_or_default().to_string();
        Resp::json(201, v).header("location", &location)
    }

    fn get_comment(&mut self, key: &str, r: &Req, id: u64) -> Resp {
        let repo = &self.repos[key];
        match repo.comments.get(&id) {
            Some(c) => Resp::json(200, comment_json(r.base, key, repo, c)),
            None => error(404, "Not Found", doc::GET_COMMENT),
        }
    }

    fn update_comment(&mut self, key: &str, r: &Req, id: u64) -> Resp {
        let doc = doc::UPDATE_COMMENT;
        if !self.repos[key].comments.contains_key(&id) {
            return error(404, "Not Found", doc);
        }
        if let Some(e) = self.read_only(key, doc) {
            return e;
        }
        let body = match comment_body(r, doc) {
            Ok(b) => b,
            Err(e) => return e,
        };
        let t = self.tick();
        let repo = self.repo(key);
        let c = repo.comments.get_mut(&id).expect("comment");
        c.body = body;
        c.updated = t;
        let repo = &self.repos[key];
        Resp::json(200, comment_json(r.base, key, repo, &repo.comments[&id]))
    }

    fn delete_comment(&mut self, key: &str, id: u64) -> Resp {
        let doc = doc::DELETE_COMMENT;
        if !self.repos[key].comments.contains_key(&id) {
            return error(404, "Not Found", doc);
        }
        if let Some(e) = self.read_only(key, doc) {
            return e;
        }
        self.repo(key).comments.remove(&id);
        Resp::empty(204)
    }

    fn update_review_comment(&mut self, key: &str, r: &Req, id: u64) -> Resp {
        let doc = doc::UPDATE_REVIEW_COMMENT;
        if !self.repos[key].review_comments.contains_key(&id) {
            return error(404, "Not Found", doc);
        }
        if let Some(e) = self.read_only(key, doc) {
            return e;
        }
        let v = match r.json(doc) {
            Ok(v) => v,
            Err(e) => return e,
        };
        let Some(body) = v.get("body").and_then(Value::as_str) else {
            return invalid_request("\"body\" wasn't supplied.", doc);
        };
        let t = self.tick();
        let c = self
            .repo(key)
            .review_comments
            .get_mut(&id)
            .expect("review comment");
        c.body = body.to_string();
        c.updated = t;
        Resp::json(
            200,
            review_comment_json(r.base, key, &self.repos[key].review_comments[&id]),
        )
    }

    fn delete_review_comment(&mut self, key: &str, id: u64) -> Resp {
        let doc = doc::DELETE_REVIEW_COMMENT;
        if !self.repos[key].review_comments.contains_key(&id) {
            return error(404, "Not Found", doc);
        }
        if let Some(e) = self.read_only(key, doc) {
            return e;
        }
        self.repo(key).review_comments.remove(&id);
        Resp::empty(204)
    }

    fn list_pulls(&mut self, key: &str, r: &Req) -> Resp {
        let repo = &self.repos[key];
        let state = r.param("state").unwrap_or("open");
        let head = r.param("head").filter(|h| !h.is_empty()).map(|h| {
            // "owner:ref"; a bare ref means a branch of the base repository's owner.
            match h.split_once(':') {
                Some((o, b)) => (o.to_string(), Some(b.to_string()).filter(|b| !b.is_empty())),
                None => (OWNER.to_string(), Some(h.to_string())),
            }
        });
        let base = r.param("base").filter(|b| !b.is_empty());
        let mut pulls: Vec<&Pull> = repo
            .pulls
            .values()
            .filter(|_| state == "open" || state == "all")
            .filter(|p| match &head {
                None => true,
                Some((owner, branch)) => {
                    owner_of(&p.head_repo) == owner
                        && branch.as_ref().is_none_or(|b| *b == p.head_ref)
                }
            })
            .filter(|_| base.is_none_or(|b| b == "main"))
            .collect();
        if r.param("direction") != Some("asc") {
            pulls.reverse();
        }
        let items = pulls
            .into_iter()
            .map(|p| pull_json(r.base, key, repo, p, false))
            .collect();
        paginate(r, items)
    }

    fn create_review(&mut self, key: &str, r: &Req, n: u64) -> Resp {
        let doc = doc::CREATE_REVIEW;
        let Some(pull) = self.repos[key].pulls.get(&n) else {
            return error(404, "Not Found", doc);
        };
        if let Some(e) = self.read_only(key, doc) {
            return e;
        }
        let v = match r.json(doc) {
            Ok(v) => v,
            Err(e) => return e,
        };
        let commit_id = match v.get("commit_id") {
            None | Some(Value::Null) => pull.head_sha.clone(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => return invalid_request("For 'properties/commit_id', not a string.", doc),
        };
        if commit_id != pull.head_sha {
            return unprocessable(&["Commit id is not part of the pull request"], doc);
        }
        let body = v
            .get("body")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let event = v
            .get("event")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let state = match event.as_str() {
            "" => "PENDING",
            "COMMENT" => "COMMENTED",
            "REQUEST_CHANGES" => "CHANGES_REQUESTED",
            "APPROVE" => {
                return unprocessable(
                    &["GitHub Actions is not permitted to approve pull requests."],
                    doc,
                )
            }
            _ => return unprocessable(&["Event is invalid"], doc),
        };
        if state == "PENDING"
            && self.repos[key]
                .reviews
                .values()
                .any(|x| x.pr == n && x.state == "PENDING")
        {
            return unprocessable(
                &["User can only have one pending review per pull request"],
                doc,
            );
        }
        let wanted = match v.get("comments") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a.clone(),
            Some(_) => return invalid_request("For 'properties/comments', not an array.", doc),
        };
        let mut lines = Vec::new();
        for c in &wanted {
            let (Some(path), Some(cbody)) = (
                c.get("path").and_then(Value::as_str),
                c.get("body").and_then(Value::as_str),
            ) else {
                return invalid_request("For 'items', \"path\" and \"body\" are required.", doc);
            };
            let Some(file) = pull.files.iter().find(|f| f.filename == path) else {
                return unprocessable(&["Path could not be resolved"], doc);
            };
            match resolve(file, c) {
                Ok(l) => lines.push((path.to_string(), cbody.to_string(), l)),
                Err(msg) => return unprocessable(&[msg], doc),
            }
        }
        let review_id = self.next_id();
        let t = self.tick();
        let mut stored = Vec::new();
        for (path, cbody, l) in lines {
            let id = self.next_id();
            stored.push(StoredReviewComment {
                id,
                review_id,
                pr: n,
                login: BOT_LOGIN.to_string(),
                path,
                line: l.line,
                side: l.side,
                start_line: l.start_line,
                start_side: l.start_side,
                body: cbody,
                commit_id: commit_id.clone(),
                position: l.position,
                diff_hunk: l.diff_hunk,
                created: t,
                updated: t,
            });
        }
        let review = StoredReview {
            id: review_id,
            pr: n,
            login: BOT_LOGIN.to_string(),
            commit_id,
            event,
            state: state.to_string(),
            body,
            submitted: t,
        };
        let resp = review_json(r.base, key, &review);
        let repo = self.repo(key);
        repo.reviews.insert(review_id, review);
        for c in stored {
            repo.review_comments.insert(c.id, c);
        }
        Resp::json(200, resp)
    }
}

/// API versions GitHub accepts in `X-GitHub-Api-Version`.
pub const API_VERSIONS: &[&str] = &["2022-11-28", "2026-03-10"];

/// One supported version, or none (the default): GitHub answers 400 to anything else. Two
/// header lines read as one comma-joined value, as HTTP allows and as prism forwards them: a
/// client adding the header that octocrab already sends gets a 400 here.
fn check_api_version(headers: &[(String, String)]) -> Result<(), Resp> {
    let values: Vec<&str> = headers
        .iter()
        .filter(|(k, _)| k == "x-github-api-version")
        .map(|(_, v)| v.as_str())
        .collect();
    if values.is_empty() {
        return Ok(());
    }
    let value = values.join(", ");
    if API_VERSIONS.contains(&value.as_str()) {
        return Ok(());
    }
    Err(error(
        400,
        &format!(
            "The version you specified in the \"X-GitHub-API-Version\" request header, \"{value}\", \
             is not a supported version. The following versions are currently supported: \
             \"2026-03-10\" (most recent), \"2022-11-28\"."
        ),
        "https://docs.github.com/rest/about-the-rest-api/api-versions",
    ))
}

fn check_auth(headers: &[(String, String)]) -> Result<(), Resp> {
    let auth = headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .map(|(_, v)| v.trim());
    let token = auth.and_then(|a| {
        let (scheme, token) = a.split_once(' ')?;
        (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token"))
            .then(|| token.trim())
    });
    match token {
        None | Some("") => Err(error(401, "Requires authentication", DOCS)),
        Some(BAD_TOKEN) => Err(error(401, "Bad credentials", DOCS)),
        Some(_) => Ok(()),
    }
}

fn comment_body(r: &Req, doc: &str) -> Result<String, Resp> {
    let v = r.json(doc)?;
    let body = match v.get("body") {
        None | Some(Value::Null) => return Err(invalid_request("\"body\" wasn't supplied.", doc)),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(invalid_request(
                &format!("For 'properties/body', {other} is not a string."),
                doc,
            ))
        }
    };
    if body.trim().is_empty() {
        return Err(validation_failed("missing_field", None, doc));
    }
    if body.chars().count() > MAX_COMMENT_CHARS {
        return Err(validation_failed(
            "unprocessable",
            Some("Body is too long (maximum is 65536 characters)"),
            doc,
        ));
    }
    Ok(body)
}

/// validation-error for an IssueComment, as GitHub answers a too-long or empty body.
fn validation_failed(code: &str, message: Option<&str>, doc: &str) -> Resp {
    let mut e = json!({"resource": "IssueComment", "code": code, "field": "body"});
    if let Some(m) = message {
        e["field"] = json!("data");
        e["message"] = json!(m);
    }
    Resp::json(
        422,
        json!({"message": "Validation Failed", "errors": [e], "documentation_url": doc,
               "status": "422"}),
    )
}

/// `page`/`per_page` pagination with GitHub's Link header.
fn paginate(r: &Req, items: Vec<Value>) -> Resp {
    let per_page = r
        .param("per_page")
        .and_then(|p| p.parse::<usize>().ok())
        .filter(|p| *p > 0)
        .map(|p| p.min(100))
        .unwrap_or(30);
    let page = r
        .param("page")
        .and_then(|p| p.parse::<usize>().ok())
        .filter(|p| *p > 0)
        .unwrap_or(1);
    let last = items.len().div_ceil(per_page).max(1);
    let slice: Vec<Value> = items
        .into_iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .collect();
    let mut links = Vec::new();
    let url = |p: usize| page_url(r, p);
    if page > 1 {
        links.push(format!("<{}>; rel=\"prev\"", url((page - 1).min(last))));
    }
    if page < last {
        links.push(format!("<{}>; rel=\"next\"", url(page + 1)));
    }
    if page != last {
        links.push(format!("<{}>; rel=\"last\"", url(last)));
    }
    if page > 1 {
        links.push(format!("<{}>; rel=\"first\"", url(1)));
    }
    let resp = Resp::json(200, Value::Array(slice));
    if links.is_empty() {
        resp
    } else {
        resp.header("link", &links.join(", "))
    }
}

/// The request's URL at the public base, with `page` set (the other parameters as sent).
fn page_url(r: &Req, page: usize) -> String {
    let mut parts: Vec<String> = r
        .query
        .split('&')
        .filter(|p| !p.is_empty() && p.split('=').next() != Some("page"))
        .map(str::to_string)
        .collect();
    parts.push(format!("page={page}"));
    format!("{}{}?{}", r.base, r.path, parts.join("&"))
}

// ---------------------------------------------------------------------------------------------
// Patches

struct PatchLine<'a> {
    text: &'a str,
    /// Index of this hunk's "@@" line.
    hunk: usize,
    old: Option<u64>,
    new: Option<u64>,
}

/// The patch's lines; a line's index is its review-comment `position` (the first "@@" is 0).
fn parse_patch(patch: &str) -> Vec<PatchLine<'_>> {
    let (mut old, mut new, mut hunk) = (0u64, 0u64, 0usize);
    let mut out = Vec::new();
    for (i, text) in patch.lines().enumerate() {
        if text.starts_with("@@") {
            let starts = text.strip_prefix("@@ -").and_then(|rest| {
                let (o, rest) = rest.split_once(" +")?;
                let n = rest.split(' ').next()?;
                let first = |s: &str| s.split(',').next()?.parse::<u64>().ok();
                Some((first(o)?, first(n)?))
            });
            if let Some((o, n)) = starts {
                (old, new) = (o, n);
            }
            hunk = i;
            out.push(PatchLine {
                text,
                hunk,
                old: None,
                new: None,
            });
            continue;
        }
        let (o, n) = match text.as_bytes().first() {
            Some(b'+') => {
                new += 1;
                (None, Some(new - 1))
            }
            Some(b'-') => {
                old += 1;
                (Some(old - 1), None)
            }
            Some(b'\\') => (None, None),
            _ => {
                old += 1;
                new += 1;
                (Some(old - 1), Some(new - 1))
            }
        };
        out.push(PatchLine {
            text,
            hunk,
            old: o,
            new: n,
        });
    }
    out
}

struct Resolved {
    line: u64,
    side: String,
    start_line: Option<u64>,
    start_side: Option<String>,
    position: u64,
    diff_hunk: String,
}

/// Places one review comment in its file's patch, as GitHub does: `line` on `side` (RIGHT: an
/// added or context line; LEFT: a removed or context line), or a `position`; a `start_line`
/// must be in the same hunk, before `line`.
fn resolve(file: &PrFile, c: &Value) -> Result<Resolved, &'static str> {
    const UNRESOLVED: &str = "Line could not be resolved";
    let patch = file.patch.as_deref().ok_or(UNRESOLVED)?;
    let lines = parse_patch(patch);
    let side_of = |k: &str| -> Result<String, &'static str> {
        match c.get(k).and_then(Value::as_str) {
            None => Ok("RIGHT".to_string()),
            Some(s @ ("LEFT" | "RIGHT")) => Ok(s.to_string()),
            Some(_) => Err(UNRESOLVED),
        }
    };
    let find = |line: u64, side: &str| {
        lines.iter().position(|l| {
            if side == "LEFT" {
                l.old == Some(line)
            } else {
                l.new == Some(line)
            }
        })
    };
    let (index, line, side) = match c.get("line").and_then(Value::as_u64) {
        Some(line) => {
            let side = side_of("side")?;
            (find(line, &side).ok_or(UNRESOLVED)?, line, side)
        }
        None => {
            let pos = c
                .get("position")
                .and_then(Value::as_u64)
                .ok_or(UNRESOLVED)?;
            let l = lines
                .get(pos as usize)
                .filter(|_| pos > 0)
                .ok_or(UNRESOLVED)?;
            match (l.new, l.old) {
                (Some(n), _) => (pos as usize, n, "RIGHT".to_string()),
                (None, Some(o)) => (pos as usize, o, "LEFT".to_string()),
                _ => return Err(UNRESOLVED),
            }
        }
    };
    let (start_line, start_side) = match c.get("start_line").and_then(Value::as_u64) {
        None => (None, None),
        Some(start) => {
            let start_side = match c.get("start_side").and_then(Value::as_str) {
                None => side.clone(),
                Some(_) => side_of("start_side")?,
            };
            let si = find(start, &start_side).ok_or(UNRESOLVED)?;
            if lines[si].hunk != lines[index].hunk {
                return Err(UNRESOLVED);
            }
            if si >= index {
                return Err("start_line must precede the end line");
            }
            (Some(start), Some(start_side))
        }
    };
    let hunk = lines[index].hunk;
    let diff_hunk = lines[hunk..=index]
        .iter()
        .map(|l| l.text)
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Resolved {
        line,
        side,
        start_line,
        start_side,
        position: index as u64,
        diff_hunk,
    })
}

// ---------------------------------------------------------------------------------------------
// JSON shapes (every property the OpenAPI description marks required)

fn fnv(data: &str, seed: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for b in data.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A stable 40-hex-digit sha for a text.
fn fake_sha(s: &str) -> String {
    format!(
        "{:016x}{:016x}{:08x}",
        fnv(s, 1),
        fnv(s, 2),
        fnv(s, 3) & 0xffff_ffff
    )
}

fn node_id(prefix: &str, id: u64) -> String {
    format!("{prefix}_kwDOL{id:010X}")
}

fn is_bot(login: &str) -> bool {
    login.ends_with("[bot]")
}

fn user_id(login: &str) -> u64 {
    if login == BOT_LOGIN {
        41_898_282
    } else {
        10_000_000 + fnv(login, 0) % 90_000_000
    }
}

fn owner_of(full_name: &str) -> &str {
    full_name.split('/').next().unwrap_or(full_name)
}

/// Percent-encodes a path (keeps `/` and unreserved characters).
fn enc(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// simple-user. Logins ending in "[bot]" are Bots; `plancheck-tests` is the organisation.
fn user_json(base: &str, login: &str) -> Value {
    let id = user_id(login);
    let u = format!("{base}/users/{}", enc(login));
    let (kind, html, avatar) = if is_bot(login) {
        let app = login.trim_end_matches("[bot]");
        let avatar = if login == BOT_LOGIN {
            "https://avatars.githubusercontent.com/in/15368?v=4".to_string()
        } else {
            format!(
                "https://avatars.githubusercontent.com/in/{}?v=4",
                id % 1_000_000
            )
        };
        ("Bot", format!("{HTML}/apps/{app}"), avatar)
    } else {
        let kind = if login == OWNER {
            "Organization"
        } else {
            "User"
        };
        (
            kind,
            format!("{HTML}/{login}"),
            format!("https://avatars.githubusercontent.com/u/{id}?v=4"),
        )
    };
    let prefix = match kind {
        "Bot" => "BOT",
        "Organization" => "O",
        _ => "U",
    };
    json!({
        "login": login,
        "id": id,
        "node_id": node_id(prefix, id),
        "avatar_url": avatar,
        "gravatar_id": "",
        "url": u,
        "html_url": html,
        "followers_url": format!("{u}/followers"),
        "following_url": format!("{u}/following{{/other_user}}"),
        "gists_url": format!("{u}/gists{{/gist_id}}"),
        "starred_url": format!("{u}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{u}/subscriptions"),
        "organizations_url": format!("{u}/orgs"),
        "repos_url": format!("{u}/repos"),
        "events_url": format!("{u}/events{{/privacy}}"),
        "received_events_url": format!("{u}/received_events"),
        "type": kind,
        "user_view_type": "public",
        "site_admin": false
    })
}

fn association(login: &str) -> &'static str {
    if is_bot(login) {
        "NONE"
    } else {
        "CONTRIBUTOR"
    }
}

fn reactions_json(url: &str) -> Value {
    json!({
        "url": format!("{url}/reactions"),
        "total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0,
        "confused": 0, "heart": 0, "rocket": 0, "eyes": 0
    })
}

/// issue-comment
fn comment_json(base: &str, key: &str, repo: &RepoState, c: &StoredComment) -> Value {
    let url = format!("{base}/repos/{key}/issues/comments/{}", c.id);
    let kind = if repo.pulls.contains_key(&c.issue) {
        "pull"
    } else {
        "issues"
    };
    json!({
        "url": url,
        "html_url": format!("{HTML}/{key}/{kind}/{}#issuecomment-{}", c.issue, c.id),
        "issue_url": format!("{base}/repos/{key}/issues/{}", c.issue),
        "id": c.id,
        "node_id": node_id("IC", c.id),
        "user": user_json(base, &c.login),
        "created_at": rfc3339(c.created),
        "updated_at": rfc3339(c.updated),
        "author_association": association(&c.login),
        "body": c.body,
        "reactions": reactions_json(&url),
        "performed_via_github_app": null
    })
}

const REPO_URLS: &[(&str, &str)] = &[
    ("forks_url", "/forks"),
    ("keys_url", "/keys{/key_id}"),
    ("collaborators_url", "/collaborators{/collaborator}"),
    ("teams_url", "/teams"),
    ("hooks_url", "/hooks"),
    ("issue_events_url", "/issues/events{/number}"),
    ("events_url", "/events"),
    ("assignees_url", "/assignees{/user}"),
    ("branches_url", "/branches{/branch}"),
    ("tags_url", "/tags"),
    ("blobs_url", "/git/blobs{/sha}"),
    ("git_tags_url", "/git/tags{/sha}"),
    ("git_refs_url", "/git/refs{/sha}"),
    ("trees_url", "/git/trees{/sha}"),
    ("statuses_url", "/statuses/{sha}"),
    ("languages_url", "/languages"),
    ("stargazers_url", "/stargazers"),
    ("contributors_url", "/contributors"),
    ("subscribers_url", "/subscribers"),
    ("subscription_url", "/subscription"),
    ("commits_url", "/commits{/sha}"),
    ("git_commits_url", "/git/commits{/sha}"),
    ("comments_url", "/comments{/number}"),
    ("issue_comment_url", "/issues/comments{/number}"),
    ("contents_url", "/contents/{+path}"),
    ("compare_url", "/compare/{base}...{head}"),
    ("merges_url", "/merges"),
    ("archive_url", "/{archive_format}{/ref}"),
    ("downloads_url", "/downloads"),
    ("issues_url", "/issues{/number}"),
    ("pulls_url", "/pulls{/number}"),
    ("milestones_url", "/milestones{/number}"),
    (
        "notifications_url",
        "/notifications{?since,all,participating}",
    ),
    ("labels_url", "/labels{/name}"),
    ("releases_url", "/releases{/id}"),
    ("deployments_url", "/deployments"),
];

/// repository (the full schema the pull request's head and base carry).
fn repository_json(base: &str, full_name: &str, id: u64, fork: bool) -> Value {
    let owner = owner_of(full_name);
    let name = full_name.split('/').nth(1).unwrap_or(full_name);
    let r = format!("{base}/repos/{full_name}");
    let html = format!("{HTML}/{full_name}");
    let mut v = json!({
        "id": id,
        "node_id": node_id("R", id),
        "name": name,
        "full_name": full_name,
        "private": false,
        "owner": user_json(base, owner),
        "html_url": html,
        "description": null,
        "fork": fork,
        "url": r,
        "created_at": rfc3339(EPOCH - 86_400 * 300),
        "updated_at": rfc3339(EPOCH - 86_400),
        "pushed_at": rfc3339(EPOCH - 3600),
        "git_url": format!("git://github.com/{full_name}.git"),
        "ssh_url": format!("git@github.com:{full_name}.git"),
        "clone_url": format!("{html}.git"),
        "svn_url": html,
    });
    let more = json!({
        "homepage": null,
        "size": 120,
        "stargazers_count": 0,
        "watchers_count": 0,
        "language": null,
        "has_issues": true,
        "has_projects": true,
        "has_downloads": true,
        "has_wiki": true,
        "has_pages": false,
        "has_discussions": false,
        "forks_count": 0,
        "mirror_url": null,
        "archived": false,
        "disabled": false,
        "open_issues_count": 1,
        "license": null,
        "allow_forking": true,
        "is_template": false,
        "web_commit_signoff_required": false,
        "topics": [],
        "visibility": "public",
        "forks": 0,
        "open_issues": 1,
        "watchers": 0,
        "default_branch": "main"
    });
    merge(&mut v, more);
    for (k, suffix) in REPO_URLS {
        v[*k] = json!(format!("{r}{suffix}"));
    }
    v
}

/// Adds `extra`'s properties to `v` (json! of a large object would hit the recursion limit).
fn merge(v: &mut Value, extra: Value) {
    if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
        o.extend(e);
    }
}

fn counts(patch: Option<&str>) -> (u64, u64) {
    let mut add = 0;
    let mut del = 0;
    for l in patch.unwrap_or_default().lines() {
        if l.starts_with("@@") {
            continue;
        }
        match l.as_bytes().first() {
            Some(b'+') => add += 1,
            Some(b'-') => del += 1,
            _ => {}
        }
    }
    (add, del)
}

/// pull-request (full) or pull-request-simple.
fn pull_json(base: &str, key: &str, repo: &RepoState, p: &Pull, full: bool) -> Value {
    let r = format!("{base}/repos/{key}");
    let url = format!("{r}/pulls/{}", p.number);
    let html = format!("{HTML}/{key}/pull/{}", p.number);
    let head_owner = owner_of(&p.head_repo);
    let fork = p.head_repo != key;
    let author = if fork { head_owner } else { "plancheck-dev" };
    let issue_url = format!("{r}/issues/{}", p.number);
    let comments_url = format!("{issue_url}/comments");
    let review_comments_url = format!("{url}/comments");
    let commits_url = format!("{url}/commits");
    let statuses_url = format!("{r}/statuses/{}", p.head_sha);
    let created = rfc3339(p.created);
    let parts = json!({
        "head": {
            "label": format!("{head_owner}:{}", p.head_ref),
            "ref": p.head_ref,
            "sha": p.head_sha,
            "user": user_json(base, head_owner),
            "repo": repository_json(base, &p.head_repo, p.head_repo_id, fork)
        },
        "base": {
            "label": format!("{OWNER}:main"),
            "ref": "main",
            "sha": p.base_sha,
            "user": user_json(base, OWNER),
            "repo": repository_json(base, key, repo.id, false)
        },
        "_links": {
            "self": {"href": url},
            "html": {"href": html},
            "issue": {"href": issue_url},
            "comments": {"href": comments_url},
            "review_comments": {"href": review_comments_url},
            "review_comment": {"href": format!("{r}/pulls/comments{{/number}}")},
            "commits": {"href": commits_url},
            "statuses": {"href": statuses_url}
        }
    });
    let mut v = json!({
        "url": url,
        "id": p.id,
        "node_id": node_id("PR", p.id),
        "html_url": html,
        "diff_url": format!("{html}.diff"),
        "patch_url": format!("{html}.patch"),
        "issue_url": issue_url,
        "commits_url": commits_url,
        "review_comments_url": review_comments_url,
        "review_comment_url": format!("{r}/pulls/comments{{/number}}"),
        "comments_url": comments_url,
        "statuses_url": statuses_url,
        "number": p.number,
        "state": "open",
        "locked": false,
        "title": format!("Change plans ({})", p.head_ref),
        "user": user_json(base, author),
        "body": null,
        "labels": [],
        "milestone": null,
        "active_lock_reason": null,
        "created_at": created,
        "updated_at": created,
        "closed_at": null,
        "merged_at": null,
        "merge_commit_sha": fake_sha(&format!("merge {} {}", p.base_sha, p.head_sha)),
        "assignee": null,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "author_association": association(author),
        "auto_merge": null,
        "draft": false
    });
    merge(&mut v, parts);
    if full {
        let (add, del) = p
            .files
            .iter()
            .map(|f| counts(f.patch.as_deref()))
            .fold((0, 0), |(a, d), (x, y)| (a + x, d + y));
        let extra = json!({
            "merged": false,
            "mergeable": true,
            "rebaseable": true,
            "mergeable_state": "clean",
            "merged_by": null,
            "comments": repo.comments.values().filter(|c| c.issue == p.number).count(),
            "review_comments": repo.review_comments.values().filter(|c| c.pr == p.number).count(),
            "maintainer_can_modify": false,
            "commits": 1,
            "additions": add,
            "deletions": del,
            "changed_files": p.files.len()
        });
        merge(&mut v, extra);
    }
    v
}

/// diff-entry
fn diff_entry_json(base: &str, key: &str, head_sha: &str, f: &PrFile) -> Value {
    let (add, del) = counts(f.patch.as_deref());
    let path = enc(&f.filename);
    let mut v = json!({
        "sha": fake_sha(&format!("{}\n{}", f.filename, f.patch.as_deref().unwrap_or_default())),
        "filename": f.filename,
        "status": f.status,
        "additions": add,
        "deletions": del,
        "changes": add + del,
        "blob_url": format!("{HTML}/{key}/blob/{head_sha}/{path}"),
        "raw_url": format!("{HTML}/{key}/raw/{head_sha}/{path}"),
        "contents_url": format!("{base}/repos/{key}/contents/{path}?ref={head_sha}")
    });
    if let Some(p) = &f.patch {
        v["patch"] = json!(p);
    }
    if let Some(prev) = &f.previous_filename {
        v["previous_filename"] = json!(prev);
    }
    v
}

/// pull-request-review
fn review_json(base: &str, key: &str, r: &StoredReview) -> Value {
    let html = format!("{HTML}/{key}/pull/{}#pullrequestreview-{}", r.pr, r.id);
    let pr_url = format!("{base}/repos/{key}/pulls/{}", r.pr);
    let mut v = json!({
        "id": r.id,
        "node_id": node_id("PRR", r.id),
        "user": user_json(base, &r.login),
        "body": r.body,
        "state": r.state,
        "html_url": html,
        "pull_request_url": pr_url,
        "author_association": association(&r.login),
        "_links": {"html": {"href": html}, "pull_request": {"href": pr_url}},
        "commit_id": r.commit_id
    });
    if r.state != "PENDING" {
        v["submitted_at"] = json!(rfc3339(r.submitted));
    }
    v
}

/// pull-request-review-comment
fn review_comment_json(base: &str, key: &str, c: &StoredReviewComment) -> Value {
    let url = format!("{base}/repos/{key}/pulls/comments/{}", c.id);
    let html = format!("{HTML}/{key}/pull/{}#discussion_r{}", c.pr, c.id);
    let pr_url = format!("{base}/repos/{key}/pulls/{}", c.pr);
    json!({
        "url": url,
        "pull_request_review_id": c.review_id,
        "id": c.id,
        "node_id": node_id("PRRC", c.id),
        "diff_hunk": c.diff_hunk,
        "path": c.path,
        "position": c.position,
        "original_position": c.position,
        "commit_id": c.commit_id,
        "original_commit_id": c.commit_id,
        "user": user_json(base, &c.login),
        "body": c.body,
        "created_at": rfc3339(c.created),
        "updated_at": rfc3339(c.updated),
        "html_url": html,
        "pull_request_url": pr_url,
        "author_association": association(&c.login),
        "_links": {"self": {"href": url}, "html": {"href": html}, "pull_request": {"href": pr_url}},
        "reactions": reactions_json(&url),
        "start_line": c.start_line,
        "original_start_line": c.start_line,
        "start_side": c.start_side,
        "line": c.line,
        "original_line": c.line,
        "side": c.side,
        "subject_type": "line"
    })
}

// ---------------------------------------------------------------------------------------------
// Tests of the stand-in itself, with octocrab as the client

#[cfg(test)]
mod tests {
    use super::*;

    /// An HTTP answer: status, headers (lowercase names), body.
    struct Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    }

    impl Answer {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        }

        fn json(&self) -> Value {
            serde_json::from_str(&self.body).unwrap_or_else(|e| {
                panic!("{e}: {} {}", self.status, self.body);
            })
        }
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    /// octocrab as the real command sets it up (call inside a runtime).
    fn client(base: &str, token: Option<&str>) -> octocrab::Octocrab {
        // octocrab 0.54 sends `X-GitHub-Api-Version: 2022-11-28` itself: adding it again
        // would send it twice (see `a_duplicated_api_version_header_is_400`).
        let mut b = octocrab::Octocrab::builder()
            .base_uri(base)
            .expect("base uri")
            .add_header(
                "accept".parse().expect("name"),
                "application/vnd.github+json".into(),
            );
        if let Some(t) = token {
            b = b.personal_token(t.to_string());
        }
        b.build().expect("octocrab")
    }

    fn gh() -> octocrab::Octocrab {
        client(&stand_in().api_url(), Some("ghs_standin"))
    }

    /// A raw request through octocrab: `path` is relative to `base`.
    async fn call(
        gh: &octocrab::Octocrab,
        base: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        let uri = format!("{base}{path}");
        let res = match method {
            "GET" => gh._get(uri).await,
            "POST" => gh._post(uri, body.as_ref()).await,
            "PATCH" => gh._patch(uri, body.as_ref()).await,
            "DELETE" => gh._delete(uri, body.as_ref()).await,
            _ => panic!("method {method}"),
        }
        .expect("request");
        let status = res.status().as_u16();
        let headers = res
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    v.to_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let body = gh.body_to_string(res).await.expect("body");
        Answer {
            status,
            headers,
            body,
        }
    }

    fn github_error(e: octocrab::Error) -> octocrab::GitHubError {
        match e {
            octocrab::Error::GitHub { source, .. } => *source,
            other => panic!("not a GitHub error: {other}"),
        }
    }

    const PLAN_OLD: &str = "threats:\n  - id: t1\n    owner: sre\n  - id: t2\n    owner: sre\n\
        contacts:\n  - name: a\n  - name: b\n  - name: c\n  - name: d\n  - name: e\n  - name: f\n";

    fn plan_new() -> String {
        PLAN_OLD.replace(
            "  - id: t2\n    owner: sre\n",
            "  - id: t2\n    owner: db\n",
        )
    }

    #[test]
    fn patch_for_gives_hunks_only_without_final_newline() {
        let p = patch_for(PLAN_OLD, &plan_new());
        assert!(p.starts_with("@@ -2,7 +2,7 @@\n"), "{p}");
        assert!(!p.contains("---") && !p.contains("+++"), "{p}");
        assert!(!p.ends_with('\n'), "{p:?}");
        assert!(p.contains("\n-    owner: sre\n+    owner: db\n"), "{p}");
        assert_eq!(patch_for("a\n", "a\n"), "");
        assert_eq!(patch_for("", "x\ny\n"), "@@ -0,0 +1,2 @@\n+x\n+y");
    }

    #[test]
    fn issue_comments_page_through_150_with_link_next() {
        let s = stand_in();
        let repo = s.repo("paging");
        repo.add_pull(7, "b0", "h0", &repo.full_name(), "feature", vec![]);
        let ids: Vec<u64> = (0..150)
            .map(|i| repo.seed_comment(7, "octocat", &format!("comment {i}")))
            .collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        let api = s.api_url();
        let path = format!("/repos/{}/issues/7/comments", repo.full_name());
        block_on(async {
            let gh = gh();
            let first = call(&gh, &api, "GET", &format!("{path}?per_page=100"), None).await;
            assert_eq!(first.status, 200, "{}", first.body);
            assert_eq!(first.json().as_array().map(Vec::len), Some(100));
            assert_eq!(
                first.header("link"),
                Some(
                    format!(
                        "<{api}{path}?per_page=100&page=2>; rel=\"next\", \
                         <{api}{path}?per_page=100&page=2>; rel=\"last\""
                    )
                    .as_str()
                )
            );
            let second = call(
                &gh,
                &api,
                "GET",
                &format!("{path}?per_page=100&page=2"),
                None,
            )
            .await;
            assert_eq!(
                second.header("link"),
                Some(
                    format!(
                        "<{api}{path}?per_page=100&page=1>; rel=\"prev\", \
                         <{api}{path}?per_page=100&page=1>; rel=\"first\""
                    )
                    .as_str()
                )
            );
            // Default page size 30: page 2 of 5 has all four relations.
            let middle = call(&gh, &api, "GET", &format!("{path}?page=2"), None).await;
            assert_eq!(middle.json().as_array().map(Vec::len), Some(30));
            let rels: Vec<&str> = middle
                .header("link")
                .unwrap_or_default()
                .split(", ")
                .map(|l| l.split("rel=").nth(1).unwrap_or_default())
                .collect();
            assert_eq!(rels, ["\"prev\"", "\"next\"", "\"last\"", "\"first\""]);

            // octocrab follows rel="next" (through prism when prism is on).
            let page = gh
                .issues(OWNER, "paging")
                .list_comments(7)
                .per_page(100)
                .send()
                .await
                .expect("first page");
            let all = gh.all_pages(page).await.expect("all pages");
            let got: Vec<u64> = all.iter().map(|c| c.id.0).collect();
            assert_eq!(got, ids);
            assert_eq!(all[149].body.as_deref(), Some("comment 149"));
            assert_eq!(all[0].user.login, "octocat");
            assert_eq!(all[0].user.r#type, "User");
        });
        let gets = repo
            .requests()
            .into_iter()
            .filter(|r| r.method == "GET")
            .count();
        assert_eq!(gets, 5);
    }

    #[test]
    fn comment_create_update_delete_as_the_bot() {
        let s = stand_in();
        let repo = s.repo("lifecycle");
        repo.add_pull(3, "b0", "h0", &repo.full_name(), "feature", vec![]);
        let older = repo.seed_comment(3, "renovate[bot]", "not ours");
        let path = format!("/repos/{}/issues", repo.full_name());
        let api = s.api_url();
        block_on(async {
            let gh = gh();
            let created = gh
                .issues(OWNER, "lifecycle")
                .create_comment(3, "<!-- plancheck -->\nfirst")
                .await
                .expect("create");
            assert!(created.id.0 > older);
            assert_eq!(created.user.login, BOT_LOGIN);
            assert_eq!(created.user.r#type, "Bot");
            let id = created.id.0;

            let patched = call(
                &gh,
                &api,
                "PATCH",
                &format!("{path}/comments/{id}"),
                Some(json!({"body": "<!-- plancheck -->\nsecond"})),
            )
            .await;
            assert_eq!(patched.status, 200, "{}", patched.body);
            let v = patched.json();
            assert_eq!(v["body"], "<!-- plancheck -->\nsecond");
            assert!(v["updated_at"].as_str() > v["created_at"].as_str(), "{v}");

            let gone = call(
                &gh,
                &api,
                "DELETE",
                &format!("{path}/comments/{older}"),
                None,
            )
            .await;
            assert_eq!(gone.status, 204);
            assert_eq!(gone.body, "");
            let again = call(
                &gh,
                &api,
                "DELETE",
                &format!("{path}/comments/{older}"),
                None,
            )
            .await;
            assert_eq!(again.status, 404);
            assert_eq!(again.json()["message"], "Not Found");
        });
        let now = repo.comments(3);
        assert_eq!(now.len(), 1);
        assert_eq!(now[0].login, BOT_LOGIN);
        assert_eq!(now[0].body, "<!-- plancheck -->\nsecond");
        assert!(now[0].updated_at > now[0].created_at);
        let writes: Vec<(String, String)> = repo
            .requests()
            .into_iter()
            .filter(Recorded::is_write)
            .map(|r| (r.method, r.path))
            .collect();
        assert_eq!(writes.len(), 4);
        assert_eq!(writes[1].0, "PATCH");
        let first = &repo.requests()[0];
        assert_eq!(
            first.header("authorization").as_deref(),
            Some("Bearer ghs_standin")
        );
        assert_eq!(
            first.header("accept").as_deref(),
            Some("application/vnd.github+json")
        );
        assert_eq!(
            first.header("x-github-api-version").as_deref(),
            Some("2022-11-28")
        );
        assert_eq!(
            serde_json::from_str::<Value>(&first.body).expect("json")["body"],
            "<!-- plancheck -->\nfirst"
        );
    }

    /// Comment writes GitHub rejects: octocrab's update_comment POSTs and a missing body (which
    /// prism would answer itself, so they go to the stand-in directly), a body over 65536
    /// characters.
    #[test]
    fn invalid_comment_writes_are_rejected_like_github() {
        let s = stand_in();
        let repo = s.repo("invalid-writes");
        repo.add_pull(1, "b0", "h0", &repo.full_name(), "feature", vec![]);
        let id = repo.seed_comment(1, BOT_LOGIN, "original");
        let direct = s.direct_url();
        block_on(async {
            let gh = client(&direct, Some("t"));
            let err = gh
                .issues(OWNER, "invalid-writes")
                .update_comment(octocrab::models::CommentId(id), "changed")
                .await
                .expect_err("POST to a comment is not an update");
            assert_eq!(github_error(err).status_code.as_u16(), 404);

            let p = format!("/repos/{OWNER}/invalid-writes/issues/1/comments");
            let missing = call(&gh, &direct, "POST", &p, Some(json!({}))).await;
            assert_eq!(missing.status, 422);
            assert!(missing.json()["message"]
                .as_str()
                .unwrap_or_default()
                .contains("\"body\" wasn't supplied"));

            // A valid request as the description goes: through prism when prism is on.
            let api = stand_in().api_url();
            let gh = client(&api, Some("t"));
            let long = "x".repeat(MAX_COMMENT_CHARS + 1);
            let too_long = call(&gh, &api, "POST", &p, Some(json!({ "body": long }))).await;
            assert_eq!(too_long.status, 422);
            let v = too_long.json();
            assert_eq!(v["message"], "Validation Failed");
            assert_eq!(
                v["errors"][0]["message"],
                "Body is too long (maximum is 65536 characters)"
            );
            let exact = "é".repeat(MAX_COMMENT_CHARS);
            let ok = call(&gh, &api, "POST", &p, Some(json!({ "body": exact }))).await;
            assert_eq!(ok.status, 201, "65536 characters (not bytes) fit");
        });
        assert_eq!(repo.comments(1).len(), 2);
        assert_eq!(repo.comments(1)[0].body, "original");
    }

    #[test]
    fn a_duplicated_api_version_header_is_400() {
        let s = stand_in();
        let repo = s.repo("api-version");
        repo.add_pull(1, "b0", "h0", &repo.full_name(), "feature", vec![]);
        let api = s.api_url();
        block_on(async {
            let gh = octocrab::Octocrab::builder()
                .base_uri(api.as_str())
                .expect("base uri")
                .personal_token("t".to_string())
                .add_header(
                    "x-github-api-version".parse().expect("name"),
                    "2022-11-28".into(),
                )
                .build()
                .expect("octocrab");
            let e = gh
                .issues(OWNER, "api-version")
                .list_comments(1)
                .send()
                .await
                .expect_err("sent twice");
            let e = github_error(e);
            assert_eq!(e.status_code.as_u16(), 400);
            assert!(
                e.message.contains("\"2022-11-28, 2022-11-28\""),
                "{}",
                e.message
            );
        });
        assert_eq!(
            repo.requests()[0].header("x-github-api-version").as_deref(),
            Some("2022-11-28, 2022-11-28")
        );
    }

    #[test]
    fn missing_or_bad_token_is_401_and_unknown_things_404() {
        let s = stand_in();
        let repo = s.repo("auth");
        repo.add_pull(1, "b0", "h0", &repo.full_name(), "feature", vec![]);
        let api = s.api_url();
        let p = format!("/repos/{}/issues/1/comments", repo.full_name());
        block_on(async {
            let none = call(&client(&api, None), &api, "GET", &p, None).await;
            assert_eq!(none.status, 401);
            assert_eq!(none.json()["message"], "Requires authentication");
            let bad = call(&client(&api, Some(BAD_TOKEN)), &api, "GET", &p, None).await;
            assert_eq!(bad.status, 401);
            assert_eq!(bad.json()["message"], "Bad credentials");

            let gh = gh();
            let other = format!("/repos/{OWNER}/never-created/issues/1/comments");
            assert_eq!(call(&gh, &api, "GET", &other, None).await.status, 404);
            let no_pr = format!("/repos/{}/pulls/99", repo.full_name());
            let v = call(&gh, &api, "GET", &no_pr, None).await;
            assert_eq!(v.status, 404);
            assert_eq!(v.json()["message"], "Not Found");
        });
        assert_eq!(repo.requests().len(), 3);
    }

    #[test]
    fn pull_files_and_list_by_head() {
        let s = stand_in();
        let repo = s.repo("pulls");
        let mut files: Vec<PrFile> = (0..35)
            .map(|i| PrFile::changed(&format!("plans/p{i:02}.yaml"), "added", "", "a: 1\n"))
            .collect();
        files.push(PrFile {
            filename: "plans/new name.yaml".into(),
            status: "renamed".into(),
            previous_filename: Some("plans/old.yaml".into()),
            patch: None,
        });
        repo.add_pull(5, "base5", "head5", "someone/pulls", "fix", files);
        repo.add_pull(6, "base6", "head6", &repo.full_name(), "other", vec![]);
        let api = s.api_url();
        block_on(async {
            let gh = gh();
            let pr = gh.pulls(OWNER, "pulls").get(5).await.expect("get pull");
            assert_eq!(pr.head.sha, "head5");
            assert_eq!(pr.base.sha, "base5");
            assert_eq!(pr.head.ref_field, "fix");
            let head_repo = pr.head.repo.as_ref().expect("head repo");
            assert_eq!(head_repo.full_name.as_deref(), Some("someone/pulls"));
            assert_eq!(head_repo.fork, Some(true));

            let listed = gh
                .pulls(OWNER, "pulls")
                .list()
                .state(octocrab::params::State::Open)
                .head("someone:fix")
                .per_page(10)
                .send()
                .await
                .expect("list");
            let numbers: Vec<u64> = listed.items.iter().map(|p| p.number).collect();
            assert_eq!(numbers, [5]);
            let all = call(
                &gh,
                &api,
                "GET",
                &format!("/repos/{OWNER}/pulls/pulls"),
                None,
            )
            .await;
            let numbers: Vec<u64> = all
                .json()
                .as_array()
                .expect("array")
                .iter()
                .filter_map(|p| p["number"].as_u64())
                .collect();
            assert_eq!(numbers, [6, 5], "newest first");

            let first = gh.pulls(OWNER, "pulls").list_files(5).await.expect("files");
            assert_eq!(first.items.len(), 30);
            assert!(first.next.is_some());
            let files = gh.all_pages(first).await.expect("all files");
            assert_eq!(files.len(), 36);
            assert_eq!(files[0].patch.as_deref(), Some("@@ -0,0 +1 @@\n+a: 1"));
            assert_eq!(files[0].additions, 1);
            assert_eq!(
                files[35].previous_filename.as_deref(),
                Some("plans/old.yaml")
            );
            assert!(files[35].patch.is_none());
        });
    }

    #[test]
    fn review_with_a_line_outside_the_patch_is_rejected_whole() {
        let s = stand_in();
        let repo = s.repo("reviews");
        let new = plan_new();
        repo.add_pull(
            9,
            "base9",
            "head9",
            &repo.full_name(),
            "feature",
            vec![PrFile::changed("plans/a.yaml", "modified", PLAN_OLD, &new)],
        );
        // Line 5 changed; the hunk spans lines 2..8 of the new side; line 14 is outside.
        let path = format!("/repos/{}/pulls/9/reviews", repo.full_name());
        let api = s.api_url();
        let review = |comments: Value| json!({"commit_id": "head9", "event": "COMMENT", "body": "plancheck", "comments": comments});
        block_on(async {
            let gh = gh();
            let bad = call(
                &gh,
                &api,
                "POST",
                &path,
                Some(review(json!([
                    {"path": "plans/a.yaml", "line": 5, "side": "RIGHT", "body": "in"},
                    {"path": "plans/a.yaml", "line": 14, "side": "RIGHT", "body": "out"}
                ]))),
            )
            .await;
            assert_eq!(bad.status, 422, "{}", bad.body);
            assert_eq!(bad.json()["errors"], json!(["Line could not be resolved"]));

            let other_file = call(
                &gh,
                &api,
                "POST",
                &path,
                Some(review(
                    json!([{"path": "plans/b.yaml", "line": 1, "side": "RIGHT", "body": "x"}]),
                )),
            )
            .await;
            assert_eq!(other_file.status, 422);

            let stale = call(
                &gh,
                &api,
                "POST",
                &path,
                Some(json!({"commit_id": "base9", "event": "COMMENT", "body": "x"})),
            )
            .await;
            assert_eq!(stale.status, 422);
            assert!(repo.reviews(9).is_empty());
            assert!(repo.review_comments(9).is_empty());

            let good = call(
                &gh,
                &api,
                "POST",
                &path,
                Some(review(json!([
                    {"path": "plans/a.yaml", "line": 5, "side": "RIGHT", "body": "changed line"},
                    {"path": "plans/a.yaml", "line": 8, "side": "RIGHT", "body": "context line"},
                    {"path": "plans/a.yaml", "line": 5, "side": "LEFT", "body": "removed line"}
                ]))),
            )
            .await;
            assert_eq!(good.status, 200, "{}", good.body);
            let v = good.json();
            assert_eq!(v["state"], "COMMENTED");
            assert_eq!(v["commit_id"], "head9");

            let listed = call(
                &gh,
                &api,
                "GET",
                &format!("/repos/{}/pulls/9/comments", repo.full_name()),
                None,
            )
            .await;
            let listed = listed.json();
            assert_eq!(listed.as_array().map(Vec::len), Some(3));
            assert_eq!(listed[0]["line"], 5);
            assert_eq!(listed[0]["pull_request_review_id"], v["id"]);
            assert!(listed[0]["diff_hunk"]
                .as_str()
                .unwrap_or_default()
                .ends_with("+    owner: db"));
        });
        let reviews = repo.reviews(9);
        assert_eq!(reviews.len(), 1);
        assert_eq!(reviews[0].event, "COMMENT");
        assert_eq!(reviews[0].comments.len(), 3);
        assert_eq!(
            repo.review_comments(9)[0],
            ReviewLine {
                login: BOT_LOGIN.into(),
                path: "plans/a.yaml".into(),
                line: 5,
                side: "RIGHT".into(),
                body: "changed line".into()
            }
        );
    }

    #[test]
    fn pending_and_multi_line_reviews_and_review_comment_edits() {
        let s = stand_in();
        let repo = s.repo("review-comments");
        let new = plan_new();
        repo.add_pull(
            3,
            "base3",
            "head3",
            &repo.full_name(),
            "feature",
            vec![PrFile::changed("plans/a.yaml", "modified", PLAN_OLD, &new)],
        );
        let id = repo.seed_comment(3, "octocat", "hello");
        let api = s.api_url();
        let r = format!("/repos/{}", repo.full_name());
        block_on(async {
            let gh = gh();
            let one = call(&gh, &api, "GET", &format!("{r}/issues/comments/{id}"), None).await;
            assert_eq!(one.status, 200, "{}", one.body);
            assert_eq!(one.json()["user"]["login"], "octocat");

            let reviews = format!("{r}/pulls/3/reviews");
            let pending = call(&gh, &api, "POST", &reviews, Some(json!({"body": "draft"}))).await;
            assert_eq!(pending.status, 200, "{}", pending.body);
            assert_eq!(pending.json()["state"], "PENDING");
            assert!(pending.json().get("submitted_at").is_none());
            let second = call(&gh, &api, "POST", &reviews, Some(json!({"body": "again"}))).await;
            assert_eq!(second.status, 422);
            let approve = call(
                &gh,
                &api,
                "POST",
                &reviews,
                Some(json!({"event": "APPROVE"})),
            )
            .await;
            assert_eq!(approve.status, 422);

            // Lines 3..5 on the new side, and position 5 (the added line).
            let multi = call(
                &gh,
                &api,
                "POST",
                &reviews,
                Some(
                    json!({"commit_id": "head3", "event": "REQUEST_CHANGES", "body": "fix",
                    "comments": [
                        {"path": "plans/a.yaml", "start_line": 3, "line": 5, "side": "RIGHT",
                         "body": "range"},
                        {"path": "plans/a.yaml", "position": 5, "body": "by position"}
                    ]}),
                ),
            )
            .await;
            assert_eq!(multi.status, 200, "{}", multi.body);
            assert_eq!(multi.json()["state"], "CHANGES_REQUESTED");
            let backwards = call(
                &gh,
                &api,
                "POST",
                &reviews,
                Some(json!({"event": "COMMENT", "comments": [
                    {"path": "plans/a.yaml", "start_line": 5, "line": 3, "body": "x"}]})),
            )
            .await;
            assert_eq!(backwards.status, 422);

            let listed = call(&gh, &api, "GET", &reviews, None).await.json();
            assert_eq!(listed.as_array().map(Vec::len), Some(2));
            let comments = call(&gh, &api, "GET", &format!("{r}/pulls/3/comments"), None)
                .await
                .json();
            assert_eq!(comments.as_array().map(Vec::len), Some(2), "{comments}");
            assert_eq!(comments[0]["start_line"], 3);
            assert_eq!(comments[1]["line"], 5);
            assert_eq!(comments[1]["position"], 5);

            let c = comments[0]["id"].as_u64().expect("id");
            let p = format!("{r}/pulls/comments/{c}");
            assert_eq!(call(&gh, &api, "GET", &p, None).await.status, 200);
            let edited = call(&gh, &api, "PATCH", &p, Some(json!({"body": "edited"}))).await;
            assert_eq!(edited.status, 200, "{}", edited.body);
            assert_eq!(edited.json()["body"], "edited");
            assert_eq!(call(&gh, &api, "DELETE", &p, None).await.status, 204);
            assert_eq!(call(&gh, &api, "GET", &p, None).await.status, 404);
        });
        let reviews = repo.reviews(3);
        assert_eq!(reviews.len(), 2);
        assert_eq!(reviews[0].event, "");
        assert_eq!(reviews[1].event, "REQUEST_CHANGES");
        assert_eq!(reviews[1].comments.len(), 1, "one was deleted");
        assert_eq!(reviews[1].comments[0].body, "by position");
    }

    #[test]
    fn read_only_token_gets_403_on_writes_and_reads_still_work() {
        let s = stand_in();
        let repo = s.repo("fork-token");
        repo.add_pull(2, "b0", "h0", "contributor/fork-token", "patch-1", vec![]);
        let id = repo.seed_comment(2, BOT_LOGIN, "old summary");
        repo.read_only(true);
        let api = s.api_url();
        block_on(async {
            let gh = gh();
            let err = gh
                .issues(OWNER, "fork-token")
                .create_comment(2, "summary")
                .await
                .expect_err("read-only");
            let e = github_error(err);
            assert_eq!(e.status_code.as_u16(), 403);
            assert_eq!(e.message, "Resource not accessible by integration");
            let headers = e.headers.expect("headers");
            assert_eq!(
                headers
                    .get("x-accepted-github-permissions")
                    .and_then(|v| v.to_str().ok()),
                Some("issues=write; pull_requests=write")
            );
            let p = format!("/repos/{OWNER}/fork-token/issues/comments/{id}");
            let patch = call(&gh, &api, "PATCH", &p, Some(json!({"body": "new"}))).await;
            assert_eq!(patch.status, 403);
            let review = call(
                &gh,
                &api,
                "POST",
                &format!("/repos/{OWNER}/fork-token/pulls/2/reviews"),
                Some(json!({"commit_id": "h0", "event": "COMMENT", "body": "x"})),
            )
            .await;
            assert_eq!(review.status, 403);
            let page = gh
                .issues(OWNER, "fork-token")
                .list_comments(2)
                .send()
                .await
                .expect("reads work");
            assert_eq!(page.items.len(), 1);
        });
        assert_eq!(repo.comments(2)[0].body, "old summary");
        assert!(repo.reviews(2).is_empty());
    }

    #[test]
    fn fault_with_apply_first_stores_then_errors() {
        let s = stand_in();
        let repo = s.repo("faults");
        repo.add_pull(4, "b0", "h0", &repo.full_name(), "feature", vec![]);
        repo.fault(Fault::new("POST", "/issues/4/comments", 502).apply_first());
        repo.fault(Fault::rate_limited("GET", "/issues/4/comments").times(2));
        repo.fault(Fault::secondary_rate_limit("PATCH", "/issues/comments/"));
        let api = s.api_url();
        block_on(async {
            let gh = gh();
            let issues = gh.issues(OWNER, "faults");
            let e = github_error(issues.create_comment(4, "summary").await.expect_err("502"));
            assert_eq!(e.status_code.as_u16(), 502);
            assert_eq!(repo.comments(4).len(), 1, "stored before the 502");

            for _ in 0..2 {
                let a = call(
                    &gh,
                    &api,
                    "GET",
                    &format!("/repos/{OWNER}/faults/issues/4/comments"),
                    None,
                )
                .await;
                assert_eq!(a.status, 429);
                assert_eq!(a.header("retry-after"), Some("1"));
            }
            let page = issues
                .list_comments(4)
                .send()
                .await
                .expect("third GET works");
            assert_eq!(page.items.len(), 1);
            let id = page.items[0].id.0;

            let p = format!("/repos/{OWNER}/faults/issues/comments/{id}");
            let limited = call(&gh, &api, "PATCH", &p, Some(json!({"body": "new"}))).await;
            assert_eq!(limited.status, 403);
            assert!(limited.json()["message"]
                .as_str()
                .unwrap_or_default()
                .starts_with("You have exceeded a secondary rate limit"));
            assert_eq!(repo.comments(4)[0].body, "summary", "not applied");
            let ok = call(&gh, &api, "PATCH", &p, Some(json!({"body": "new"}))).await;
            assert_eq!(ok.status, 200);
        });
        assert_eq!(repo.comments(4)[0].body, "new");
    }
}
