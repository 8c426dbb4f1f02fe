//! `plancheck github` on real git repositories against the stateful GitHub stand-in (and,
//! under `tests/github/run`, through `prism proxy --errors` with GitHub's OpenAPI description).
//! Events are GitHub's own examples from `@octokit/webhooks-examples` when
//! PLANCHECK_TEST_WEBHOOKS points at them, else a minimal payload with the same fields.

use std::path::Path;

use serde_json::{json, Value};

use crate::common::{plancheck, run, Repo};
use crate::support::github_standin::{self as standin, patch_for, Fault, PrFile};
use crate::support::redact::Redact;

pub(crate) const TOKEN: &str = "ghs_plancheckTestToken0123456789";
pub(crate) const NO_REVIEW: &[&str] = &["--review", "false"];

/// A payload from `@octokit/webhooks-examples` (`name`, `action`), if configured.
fn webhook_example(name: &str, action: Option<&str>) -> Option<Value> {
    let path = std::env::var_os("PLANCHECK_TEST_WEBHOOKS")?;
    let mut path = std::path::PathBuf::from(path);
    if path.is_dir() {
        path = path.join("api.github.com").join("index.json");
    }
    let text = std::fs::read_to_string(&path).expect("webhooks examples index");
    let index: Value = serde_json::from_str(&text).expect("webhooks examples JSON");
    let found = index
        .as_array()?
        .iter()
        .find(|e| e["name"] == name)?
        .get("examples")?
        .as_array()?
        .iter()
        .find(|x| x.get("action").and_then(Value::as_str) == action)
        .cloned();
    assert!(
        found.is_some(),
        "no {name} {action:?} example in {}",
        path.display()
    );
    found
}

fn require_examples() {
    if std::env::var_os("PLANCHECK_TEST_REQUIRE_PRISM").is_some() {
        assert!(
            std::env::var_os("PLANCHECK_TEST_WEBHOOKS").is_some(),
            "tests/github/run must set PLANCHECK_TEST_WEBHOOKS"
        );
    }
}

/// A `pull_request` event for `number`, from GitHub's example when available.
pub(crate) fn pr_event(
    action: &str,
    full_name: &str,
    number: u64,
    base: &str,
    head: &str,
    fork: bool,
) -> Value {
    require_examples();
    let mut e = webhook_example("pull_request", Some(action)).unwrap_or_else(|| {
        json!({
            "action": action,
            "number": number,
            "pull_request": {
                "number": number,
                "base": {"ref": "main", "sha": "", "repo": {"full_name": "", "owner": {"login": "", "id": 1}}},
                "head": {"ref": "change", "sha": "", "repo": {"full_name": "", "owner": {"login": "", "id": 1}}}
            },
            "repository": {"full_name": ""}
        })
    });
    let head_repo = if fork {
        format!(
            "contributor/{}",
            full_name.split('/').nth(1).unwrap_or("fork")
        )
    } else {
        full_name.to_string()
    };
    e["number"] = json!(number);
    e["repository"]["full_name"] = json!(full_name);
    let pr = &mut e["pull_request"];
    pr["number"] = json!(number);
    pr["base"]["sha"] = json!(base);
    pr["head"]["sha"] = json!(head);
    pr["base"]["repo"]["full_name"] = json!(full_name);
    pr["head"]["repo"]["full_name"] = json!(head_repo);
    pr["head"]["ref"] = json!("change");
    if fork {
        pr["head"]["repo"]["owner"]["login"] = json!("contributor");
        pr["head"]["repo"]["owner"]["id"] = json!(987_654);
    }
    e
}

/// The demo plan committed as the base, and a change on top: THR-001's owner no longer
/// resolves (a new finding on the changed line) and ep-platform loses its executive level (new
/// findings on threats the change did not touch).
pub(crate) struct Pr {
    pub(crate) repo: Repo,
    pub(crate) base: String,
    pub(crate) head: String,
}

pub(crate) fn pr_repo() -> Pr {
    let repo = Repo::from_fixture("demo");
    let base = repo
        .repo
        .head()
        .expect("head")
        .target()
        .expect("oid")
        .to_string();
    repo.edit(
        "incident-response/threats/human-error.yaml",
        "owner: erin",
        "owner: nobody-here",
    );
    repo.edit(
        "incident-response/escalation.yaml",
        "      - {tier: executive, targets: [cto], after_minutes: 45}\n",
        "",
    );
    let head = repo
        .commit_all("a change that breaks two rules")
        .to_string();
    Pr { repo, base, head }
}

/// The demo plan as the base, and a change adding `count` threats whose owner resolves to
/// nobody: `count` new errors, each on an added line.
fn pr_with_broken_threats(count: usize) -> Pr {
    let repo = Repo::from_fixture("demo");
    let base = repo
        .repo
        .head()
        .expect("head")
        .target()
        .expect("oid")
        .to_string();
    let mut threats =
        String::from("apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nthreats:\n");
    for n in 0..count {
        threats.push_str(&format!(
            "  - id: THR-9{n:04}\n    title: Generated threat number {n} with a fairly long title to fill the report\n    source: human_error\n    area: k8s-storage\n    severity: SEV3\n    owner: nobody-{n}\n    runbook: runbooks/storage/restore.md\n"
        ));
    }
    repo.write("incident-response/threats/generated.yaml", threats);
    let head = repo.commit_all("threats without a valid owner").to_string();
    Pr { repo, base, head }
}

/// The files of the pull request as GitHub lists them, from the two commits.
pub(crate) fn pr_files(repo: &Repo, base: &str, head: &str) -> Vec<PrFile> {
    let git = &repo.repo;
    let tree = |sha: &str| {
        git.find_commit(git2::Oid::from_str(sha).expect("oid"))
            .expect("commit")
            .tree()
            .expect("tree")
    };
    let (bt, ht) = (tree(base), tree(head));
    let mut diff = git
        .diff_tree_to_tree(Some(&bt), Some(&ht), None)
        .expect("diff");
    diff.find_similar(None).expect("renames");
    let text = |t: &git2::Tree, p: Option<&Path>| -> String {
        p.and_then(|p| t.get_path(p).ok())
            .and_then(|e| git.find_blob(e.id()).ok())
            .map(|b| String::from_utf8_lossy(b.content()).into_owned())
            .unwrap_or_default()
    };
    diff.deltas()
        .map(|d| {
            let old = d.old_file().path();
            let new = d.new_file().path();
            let status = match d.status() {
                git2::Delta::Added => "added",
                git2::Delta::Deleted => "removed",
                git2::Delta::Renamed => "renamed",
                _ => "modified",
            };
            let name = new.or(old).expect("path").to_string_lossy().into_owned();
            PrFile {
                filename: name,
                status: status.to_string(),
                previous_filename: (status == "renamed")
                    .then(|| old.map(|p| p.to_string_lossy().into_owned()))
                    .flatten(),
                patch: Some(patch_for(&text(&bt, old), &text(&ht, new))),
            }
        })
        .collect()
}

pub(crate) struct GhRun {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) summary: String,
    pub(crate) outputs: String,
}

/// Runs `plancheck github` in `dir` for `event`, as a GitHub Actions step would.
pub(crate) fn github(
    dir: &Path,
    event_name: &str,
    event: &Value,
    full_name: &str,
    args: &[&str],
) -> GhRun {
    github_env(dir, event_name, event, full_name, args, &[])
}

pub(crate) fn github_env(
    dir: &Path,
    event_name: &str,
    event: &Value,
    full_name: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> GhRun {
    let files = tempfile::tempdir().expect("tempdir");
    let event_path = files.path().join("event.json");
    std::fs::write(&event_path, event.to_string()).expect("event");
    let summary = files.path().join("summary.md");
    let output = files.path().join("output");
    let mut cmd = plancheck();
    cmd.current_dir(dir)
        .arg("github")
        .args(args)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", event_name)
        .env("GITHUB_EVENT_PATH", &event_path)
        .env("GITHUB_REPOSITORY", full_name)
        .env("GITHUB_API_URL", standin::stand_in().api_url())
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_TOKEN", TOKEN)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &output)
        .env("PLANCHECK_GITHUB_BACKOFF_MS", "20");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let r = run(&mut cmd);
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    let out = GhRun {
        code: r.code,
        stdout: r.stdout,
        stderr: r.stderr,
        summary: read(&summary),
        outputs: read(&output),
    };
    for (what, text) in [
        ("stdout", &out.stdout),
        ("stderr", &out.stderr),
        ("summary", &out.summary),
        ("outputs", &out.outputs),
    ] {
        assert!(!text.contains(TOKEN), "the token leaked into {what}");
    }
    out
}

/// A stand-in repository with the pull request registered, and the event for it.
pub(crate) fn registered(name: &str, pr: &Pr, number: u64) -> (standin::Repo, Value) {
    let gh = standin::stand_in().repo(name);
    gh.add_pull(
        number,
        &pr.base,
        &pr.head,
        &gh.full_name(),
        "change",
        pr_files(&pr.repo, &pr.base, &pr.head),
    );
    let event = pr_event("opened", &gh.full_name(), number, &pr.base, &pr.head, false);
    (gh, event)
}

fn writes(gh: &standin::Repo) -> Vec<String> {
    gh.requests()
        .iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

#[test]
fn a_pull_request_gets_one_comment_a_review_on_changed_lines_and_the_step_files() {
    let pr = pr_repo();
    let (gh, event) = registered("first-run", &pr, 7);
    let r = github(pr.repo.path(), "pull_request", &event, &gh.full_name(), &[]);
    assert_eq!(r.code, 1, "new errors fail the step\n{}", r.stderr);

    let comments = gh.comments(7);
    assert_eq!(comments.len(), 1, "{:?}", r.stderr);
    let c = &comments[0];
    assert_eq!(c.login, "github-actions[bot]");
    assert!(
        c.body.starts_with(&format!(
            "<!-- plancheck:v1 config=default sha={} -->",
            pr.head
        )),
        "{}",
        c.body
    );
    assert!(
        c.body.contains("## plancheck: ❌ 4 new errors"),
        "{}",
        c.body
    );
    assert!(
        c.body.contains(&format!(
            "(https://github.com/{}/blob/{}/incident-response/threats/human-error.yaml#L16)",
            gh.full_name(),
            pr.head
        )),
        "findings link to the file and line at the head commit"
    );
    assert!(
        c.body.contains("threat THR-001: owner erin → nobody-here"),
        "semantic diff"
    );
    assert!(
        c.body.contains("```mermaid\nflowchart LR"),
        "escalation chart"
    );
    assert!(c.body.contains("does not reach the executive tier"));
    assert!(c.body.contains("### Owners of the changed files"));
    assert!(
        c.body.contains("waived until 2027-10-31"),
        "waived findings with reasons"
    );
    // The whole comment, with the commits and the repository named by role.
    let body = Redact::new()
        .commit(&pr.head, "[HEAD]")
        .commit(&pr.base, "[BASE]")
        .with(gh.full_name(), "[REPO]")
        .apply(&c.body);
    insta::assert_snapshot!("github_sticky_comment", body);

    let reviews = gh.reviews(7);
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].commit_id, pr.head);
    assert_eq!(reviews[0].event, "COMMENT");
    let lines: Vec<(String, u64)> = reviews[0]
        .comments
        .iter()
        .map(|l| (l.path.clone(), l.line))
        .collect();
    assert_eq!(
        lines,
        vec![("incident-response/threats/human-error.yaml".to_string(), 16)],
        "only the new finding on a line the change added"
    );
    assert!(reviews[0].comments[0].body.contains("<!-- plancheck:fp="));

    assert!(r
        .stdout
        .contains("::error file=incident-response/threats/human-error.yaml,line=16"));
    assert!(
        r.summary.starts_with("## plancheck: ❌ 4 new errors"),
        "{}",
        r.summary
    );
    assert!(r.outputs.contains("findings=4\n"), "{}", r.outputs);
    assert!(r.outputs.contains("new-errors=4\n"));
    assert!(r.outputs.contains("sarif-file=\n"));

    for req in gh.requests() {
        let h = |name: &str| {
            req.headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(
            h("accept").as_deref(),
            Some("application/vnd.github+json"),
            "{} {}",
            req.method,
            req.path
        );
        assert_eq!(
            h("x-github-api-version").as_deref(),
            Some(plancheck::github::api::API_VERSION),
            "exactly one version header"
        );
        assert!(!req.body.contains(TOKEN));
    }
}

#[test]
fn a_rerun_updates_the_comment_in_place_and_does_not_repeat_line_comments() {
    let pr = pr_repo();
    let (gh, event) = registered("rerun", &pr, 8);
    github(pr.repo.path(), "pull_request", &event, &gh.full_name(), &[]);
    let first = gh.comments(8);
    // A second push fixes the owner: the comment changes, in place.
    pr.repo.edit(
        "incident-response/threats/human-error.yaml",
        "owner: nobody-here",
        "owner: erin",
    );
    let head2 = pr.repo.commit_all("fix the owner").to_string();
    gh.add_pull(
        8,
        &pr.base,
        &head2,
        &gh.full_name(),
        "change",
        pr_files(&pr.repo, &pr.base, &head2),
    );
    let event2 = pr_event("synchronize", &gh.full_name(), 8, &pr.base, &head2, false);
    let r = github(
        pr.repo.path(),
        "pull_request",
        &event2,
        &gh.full_name(),
        &[],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let second = gh.comments(8);
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].id, first[0].id, "updated, not recreated");
    assert!(second[0].body.contains(&format!("sha={head2}")));
    assert!(
        second[0].body.contains("## plancheck: ❌ 3 new errors"),
        "{}",
        second[0].body
    );
    assert!(
        gh.requests().iter().any(|q| q.method == "PATCH"
            && q.path
                .ends_with(&format!("/issues/comments/{}", first[0].id))),
        "PATCH, not octocrab's POST"
    );
    assert_eq!(
        gh.reviews(8).len(),
        1,
        "no new line comment: nothing new on changed lines"
    );
    assert!(
        r.stderr.contains("updating the plancheck comment"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_unchanged_report_writes_nothing() {
    let pr = pr_repo();
    let (gh, event) = registered("unchanged", &pr, 9);
    github(pr.repo.path(), "pull_request", &event, &gh.full_name(), &[]);
    let before = writes(&gh);
    let r = github(pr.repo.path(), "pull_request", &event, &gh.full_name(), &[]);
    assert_eq!(
        writes(&gh),
        before,
        "no write on a rerun with the same result"
    );
    assert!(r.stderr.contains("is up to date"), "{}", r.stderr);
    assert_eq!(gh.reviews(9).len(), 1);
}

#[test]
fn a_run_for_an_older_head_does_not_overwrite_the_comment_of_a_newer_one() {
    let pr = pr_repo();
    let (gh, old_event) = registered("older-head", &pr, 10);
    pr.repo.edit(
        "incident-response/threats/human-error.yaml",
        "owner: nobody-here",
        "owner: erin",
    );
    let newer = pr.repo.commit_all("fix the owner").to_string();
    gh.add_pull(
        10,
        &pr.base,
        &newer,
        &gh.full_name(),
        "change",
        pr_files(&pr.repo, &pr.base, &newer),
    );
    let new_event = pr_event("synchronize", &gh.full_name(), 10, &pr.base, &newer, false);
    github(
        pr.repo.path(),
        "pull_request",
        &new_event,
        &gh.full_name(),
        &[],
    );
    // The slower run for the first push finishes last.
    let r = github(
        pr.repo.path(),
        "pull_request",
        &old_event,
        &gh.full_name(),
        NO_REVIEW,
    );
    let comments = gh.comments(10);
    assert_eq!(comments.len(), 1);
    assert!(
        comments[0].body.contains(&format!("sha={newer}")),
        "the newer result stays"
    );
    assert!(r.stderr.contains("a newer head"), "{}", r.stderr);
}

#[test]
fn the_comment_is_found_among_150_others_on_the_second_page() {
    let pr = pr_repo();
    let (gh, event) = registered("paged", &pr, 11);
    for n in 0..120 {
        gh.seed_comment(11, "reviewer", &format!("comment {n}"));
    }
    let ours = gh.seed_comment(
        11,
        "github-actions[bot]",
        "<!-- plancheck:v1 config=default sha=0000000000000000000000000000000000000000 -->\nold report",
    );
    for n in 0..30 {
        gh.seed_comment(11, "reviewer", &format!("later comment {n}"));
    }
    let r = github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        NO_REVIEW,
    );
    let comments = gh.comments(11);
    assert_eq!(comments.len(), 151, "{}", r.stderr);
    let mine: Vec<_> = comments
        .iter()
        .filter(|c| c.body.contains("plancheck:v1"))
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].id, ours, "the comment on page 2 was updated");
    assert!(mine[0].body.contains("4 new errors"));
    assert!(
        gh.requests()
            .iter()
            .any(|q| q.method == "GET" && q.query.contains("page=2")),
        "the second page was read"
    );
}

#[test]
fn duplicates_left_by_a_race_are_deleted_and_the_oldest_kept() {
    let pr = pr_repo();
    let (gh, event) = registered("race", &pr, 12);
    let marker =
        "<!-- plancheck:v1 config=default sha=0000000000000000000000000000000000000000 -->\n";
    let oldest = gh.seed_comment(12, "github-actions[bot]", &format!("{marker}a"));
    gh.seed_comment(12, "someone", "LGTM");
    let dup = gh.seed_comment(12, "github-actions[bot]", &format!("{marker}b"));
    let r = github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        NO_REVIEW,
    );
    let comments = gh.comments(12);
    let ids: Vec<u64> = comments.iter().map(|c| c.id).collect();
    assert!(
        ids.contains(&oldest) && !ids.contains(&dup),
        "{ids:?}\n{}",
        r.stderr
    );
    assert_eq!(comments.len(), 2, "the foreign comment stays");
    assert!(comments.iter().any(|c| c.body == "LGTM"));
}

#[test]
fn a_comment_we_did_not_write_is_never_edited_or_deleted() {
    let pr = pr_repo();
    let (gh, event) = registered("foreign", &pr, 13);
    let quoted = "<!-- plancheck:v1 config=default sha=0000000000000000000000000000000000000000 -->\nI copied the bot's comment";
    let human = gh.seed_comment(13, "alice-ng", quoted);
    let other_tool = gh.seed_comment(13, "renovate[bot]", "<!-- sticky -->\nsomething else");
    github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        NO_REVIEW,
    );
    let comments = gh.comments(13);
    assert_eq!(comments.len(), 3);
    let by_id = |id: u64| comments.iter().find(|c| c.id == id).expect("still there");
    assert_eq!(by_id(human).body, quoted);
    assert_eq!(by_id(other_tool).body, "<!-- sticky -->\nsomething else");
    for q in gh.requests() {
        if q.method == "PATCH" || q.method == "DELETE" {
            assert!(
                !q.path.ends_with(&human.to_string()) && !q.path.ends_with(&other_tool.to_string()),
                "{} {}",
                q.method,
                q.path
            );
        }
    }
}

#[test]
fn a_read_only_token_falls_back_to_annotations_and_summary_with_one_log_line() {
    let pr = pr_repo();
    let (gh, event) = registered("read-only", &pr, 14);
    gh.read_only(true);
    let r = github(pr.repo.path(), "pull_request", &event, &gh.full_name(), &[]);
    assert_eq!(
        r.code, 1,
        "the exit code reflects the findings, not the 403"
    );
    assert!(gh.comments(14).is_empty());
    let lines: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("could not write to pull request #14"))
        .collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(
        lines[0].contains("HTTP 403") && lines[0].contains("pull-requests: write"),
        "{}",
        lines[0]
    );
    assert!(
        r.stdout.contains("::error file="),
        "annotations still written"
    );
    assert!(r.summary.contains("4 new errors"));
}

#[test]
fn a_pull_request_from_a_fork_sends_no_request_and_still_reports() {
    let pr = pr_repo();
    let (gh, _) = registered("fork", &pr, 15);
    let event = pr_event("opened", &gh.full_name(), 15, &pr.base, &pr.head, true);
    let r = github(pr.repo.path(), "pull_request", &event, &gh.full_name(), &[]);
    assert_eq!(r.code, 1);
    assert!(gh.requests().is_empty(), "{:?}", gh.requests().len());
    assert!(r.stderr.contains("comes from a fork"), "{}", r.stderr);
    assert!(r.summary.contains("4 new errors"));
    assert!(r.outputs.contains("new-errors=4"));
}

#[test]
fn a_502_after_the_comment_was_stored_does_not_post_it_twice() {
    let pr = pr_repo();
    let (gh, event) = registered("lost-answer", &pr, 16);
    gh.fault(Fault::new("POST", "/issues/16/comments", 502).apply_first());
    let r = github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        NO_REVIEW,
    );
    assert_eq!(gh.comments(16).len(), 1, "{}", r.stderr);
    let posts = gh.requests().iter().filter(|q| q.method == "POST").count();
    assert_eq!(posts, 1, "the POST was not resent");
    assert!(
        r.stderr.contains("but it is there: not posting again"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_502_before_the_comment_was_stored_posts_once_more_after_looking() {
    let pr = pr_repo();
    let (gh, event) = registered("lost-request", &pr, 17);
    gh.fault(Fault::new("POST", "/issues/17/comments", 502));
    let r = github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        NO_REVIEW,
    );
    assert_eq!(gh.comments(17).len(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("it is not there: posting once more"),
        "{}",
        r.stderr
    );
}

#[test]
fn rate_limits_and_server_errors_on_reads_are_waited_out() {
    let pr = pr_repo();
    let (gh, event) = registered("rate-limit", &pr, 18);
    gh.fault(Fault::rate_limited("GET", "/issues/18/comments"));
    gh.fault(Fault::new("GET", "/pulls/18/files", 503).times(2));
    let started = std::time::Instant::now();
    let r = github(pr.repo.path(), "pull_request", &event, &gh.full_name(), &[]);
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "retry-after honoured"
    );
    assert_eq!(gh.comments(18).len(), 1, "{}", r.stderr);
    assert_eq!(gh.reviews(18).len(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("rate limited (HTTP 429); waiting 1 s"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("HTTP 503; retrying"), "{}", r.stderr);
}

#[test]
fn a_secondary_rate_limit_on_a_write_is_waited_out_not_duplicated() {
    let pr = pr_repo();
    let (gh, event) = registered("secondary", &pr, 19);
    gh.fault(Fault::secondary_rate_limit("POST", "/issues/19/comments"));
    let r = github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        NO_REVIEW,
    );
    assert_eq!(gh.comments(19).len(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("rate limited (HTTP 403)"), "{}", r.stderr);
}

#[test]
fn an_oversized_report_is_cut_to_fit_the_comment_and_the_summary_has_it_all() {
    let pr = pr_with_broken_threats(1500);
    let (gh, event) = registered("oversized", &pr, 20);
    let r = github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        NO_REVIEW,
    );
    let comments = gh.comments(20);
    assert_eq!(comments.len(), 1, "{}", r.stderr);
    let body = &comments[0].body;
    assert!(
        body.chars().count() <= 65_536,
        "{} characters",
        body.chars().count()
    );
    assert!(
        body.contains("the job summary has the full report"),
        "points to the summary"
    );
    assert!(
        r.summary.len() > body.len(),
        "the job summary has more than the comment"
    );
    assert!(
        r.summary.contains("nobody-1499"),
        "the summary has every finding"
    );
}

#[test]
fn review_comments_land_only_on_lines_of_githubs_diff() {
    // GitHub's diff of a file can be missing (too large): the finding then stays in the sticky
    // comment, and the review is not rejected.
    let pr = pr_repo();
    let gh = standin::stand_in().repo("no-patch");
    let mut files = pr_files(&pr.repo, &pr.base, &pr.head);
    for f in &mut files {
        f.patch = None;
    }
    gh.add_pull(21, &pr.base, &pr.head, &gh.full_name(), "change", files);
    let event = pr_event("opened", &gh.full_name(), 21, &pr.base, &pr.head, false);
    let r = github(pr.repo.path(), "pull_request", &event, &gh.full_name(), &[]);
    assert!(gh.reviews(21).is_empty(), "{}", r.stderr);
    assert!(
        r.stderr.contains("1 on lines outside GitHub's diff"),
        "{}",
        r.stderr
    );
    assert!(gh.comments(21)[0].body.contains("human-error.yaml:16"));
}

#[test]
fn a_push_runs_a_plain_check_and_writes_the_summary_without_api_calls() {
    let repo = Repo::from_fixture("demo");
    let gh = standin::stand_in().repo("push");
    let event = webhook_example("push", None).unwrap_or_else(|| json!({"ref": "refs/heads/main"}));
    // An action passes every optional input, empty when not given: empty means unset.
    let r = github_env(
        repo.path(),
        "push",
        &event,
        &gh.full_name(),
        &[],
        &[
            ("PLANCHECK_CONFIG", ""),
            ("PLANCHECK_SARIF", ""),
            ("PLANCHECK_FAIL_ON", ""),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.outputs.contains("sarif-file=\n"));
    assert!(gh.requests().is_empty());
    assert!(
        r.summary.starts_with("## plancheck: ✅ no findings"),
        "{}",
        r.summary
    );
    assert!(r.outputs.contains("findings=0\n") && r.outputs.contains("new-errors=0\n"));
}

#[test]
fn a_workflow_run_finds_its_pull_request_through_the_api_and_comments() {
    let pr = pr_repo();
    let (gh, _) = registered("workflow-run", &pr, 22);
    let mut event = webhook_example("workflow_run", Some("completed"))
        .unwrap_or_else(|| json!({"action": "completed", "workflow_run": {}}));
    event["workflow_run"]["event"] = json!("pull_request");
    event["workflow_run"]["head_sha"] = json!(pr.head);
    event["workflow_run"]["head_branch"] = json!("change");
    event["workflow_run"]["head_repository"] =
        json!({"full_name": gh.full_name(), "owner": {"login": "plancheck-tests"}});
    event["workflow_run"]["pull_requests"] = json!([]);
    let r = github(pr.repo.path(), "workflow_run", &event, &gh.full_name(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let comments = gh.comments(22);
    assert_eq!(comments.len(), 1, "{}", r.stderr);
    assert!(comments[0].body.contains(&format!("sha={}", pr.head)));
}

#[test]
fn sarif_is_written_where_asked_and_named_in_the_outputs() {
    let pr = pr_repo();
    let (gh, event) = registered("sarif", &pr, 23);
    // RUNNER_TEMP, which plancheck may write to besides the workspace.
    let out = tempfile::tempdir().expect("tempdir");
    let sarif = out.path().join("reports/plancheck.sarif");
    let r = github_env(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        &[
            "--comment",
            "false",
            "--review",
            "false",
            "--verify-owners",
            "false",
            "--sarif",
            sarif.to_str().expect("utf-8"),
        ],
        &[("RUNNER_TEMP", out.path().to_str().expect("utf-8"))],
    );
    assert_eq!(r.code, 1);
    assert!(
        gh.requests().is_empty(),
        "comment, review and owner verification off: no API call"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif written"))
        .expect("json");
    crate::formats::validate_sarif(&doc);
    assert_eq!(doc["version"], "2.1.0");
    let states: Vec<&str> = doc["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["baselineState"].as_str())
        .collect();
    assert_eq!(states, vec!["new"; 4]);
    assert!(r
        .outputs
        .contains(&format!("sarif-file={}\n", sarif.display())));
}

#[test]
fn a_head_commit_missing_from_the_clone_is_exit_2_with_the_fetch_hint() {
    let pr = pr_repo();
    let (gh, _) = registered("missing-head", &pr, 24);
    let event = pr_event(
        "opened",
        &gh.full_name(),
        24,
        &pr.base,
        "1234567890123456789012345678901234567890",
        false,
    );
    let r = github(pr.repo.path(), "pull_request", &event, &gh.full_name(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("is not in this clone") && r.stderr.contains("fetch-depth: 0"),
        "{}",
        r.stderr
    );
    assert!(gh.requests().is_empty());
}

#[test]
fn a_broken_event_file_is_exit_2_naming_the_file_and_line() {
    let repo = Repo::from_fixture("demo");
    let dir = tempfile::tempdir().expect("tempdir");
    let event = dir.path().join("event.json");
    std::fs::write(&event, "{\n  \"pull_request\": {,\n}").expect("write");
    let r = run(plancheck()
        .current_dir(repo.path())
        .arg("github")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_EVENT_PATH", &event));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("event.json:2:"), "{}", r.stderr);
    let r = run(plancheck().current_dir(repo.path()).arg("github"));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("GITHUB_EVENT_NAME is not set"),
        "{}",
        r.stderr
    );
}

#[test]
fn when_the_pull_request_is_clean_again_the_comment_says_so_and_stays() {
    let pr = pr_repo();
    let (gh, event) = registered("clean-again", &pr, 25);
    github(pr.repo.path(), "pull_request", &event, &gh.full_name(), &[]);
    let id = gh.comments(25)[0].id;
    // The next push reverts the whole change.
    pr.repo.edit(
        "incident-response/threats/human-error.yaml",
        "owner: nobody-here",
        "owner: erin",
    );
    pr.repo.edit(
        "incident-response/escalation.yaml",
        "      - {tier: management, targets: [vp-eng], after_minutes: 30}\n",
        "      - {tier: management, targets: [vp-eng], after_minutes: 30}\n      - {tier: executive, targets: [cto], after_minutes: 45}\n",
    );
    let head = pr.repo.commit_all("revert").to_string();
    gh.add_pull(
        25,
        &pr.base,
        &head,
        &gh.full_name(),
        "change",
        pr_files(&pr.repo, &pr.base, &head),
    );
    let event = pr_event("synchronize", &gh.full_name(), 25, &pr.base, &head, false);
    let r = github(pr.repo.path(), "pull_request", &event, &gh.full_name(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let comments = gh.comments(25);
    assert_eq!(comments.len(), 1, "the comment is kept, not deleted");
    assert_eq!(comments[0].id, id);
    assert!(
        comments[0].body.contains("## plancheck: ✅ no new errors"),
        "{}",
        comments[0].body
    );
    assert!(
        comments[0].body.contains(": 0 new, 0 existing, 0 fixed."),
        "{}",
        comments[0].body
    );
    assert!(!comments[0].body.contains("### New findings"));
}

#[test]
fn an_unreachable_api_is_retried_then_logged_and_the_exit_code_follows_the_findings() {
    let pr = pr_repo();
    let (gh, event) = registered("unreachable", &pr, 26);
    // A port nothing listens on: every connection is refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let r = github_env(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        &[],
        &[("GITHUB_API_URL", url.as_str())],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stderr.matches("retrying in").count(),
        2,
        "a GET is tried three times\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("could not write to pull request #26"),
        "{}",
        r.stderr
    );
    assert!(r.summary.contains("4 new errors"));
}

#[test]
fn a_review_holds_at_most_30_line_comments_and_the_rest_stay_in_the_comment() {
    let pr = pr_with_broken_threats(35);
    let (gh, event) = registered("thirty", &pr, 27);
    let r = github(pr.repo.path(), "pull_request", &event, &gh.full_name(), &[]);
    let reviews = gh.reviews(27);
    assert_eq!(reviews.len(), 1, "{}", r.stderr);
    assert_eq!(reviews[0].comments.len(), 30);
    assert!(
        reviews[0]
            .body
            .contains("5 more are in the plancheck comment"),
        "{}",
        reviews[0].body
    );
    assert!(gh.comments(27)[0].body.contains("### New findings (35)"));
    // A rerun neither repeats them nor piles the other five on top.
    let r = github(pr.repo.path(), "pull_request", &event, &gh.full_name(), &[]);
    assert_eq!(gh.reviews(27).len(), 1, "{}", r.stderr);
    assert_eq!(gh.review_comments(27).len(), 30);
}

#[test]
fn a_plan_that_does_not_parse_is_annotated_on_its_line_and_shown_in_the_summary() {
    let repo = Repo::from_fixture("demo");
    repo.edit(
        "incident-response/teams.yaml",
        "\n    github_team:",
        "\n\tgithub_team:",
    );
    let gh = standin::stand_in().repo("push-syntax");
    let event = json!({"ref": "refs/heads/main"});
    let r = github(repo.path(), "push", &event, &gh.full_name(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let line = repo
        .read("incident-response/teams.yaml")
        .lines()
        .position(|l| l.starts_with("\tgithub_team:"))
        .expect("the tab line")
        + 1;
    assert!(
        r.stdout.starts_with(&format!(
            "::error file=incident-response/teams.yaml,line={line},col=1,"
        )),
        "{}",
        r.stdout
    );
    assert!(
        r.summary
            .contains("invalid YAML: this line is indented with a tab")
            && r.summary.contains("indent with spaces, not tabs"),
        "{}",
        r.summary
    );
}
