//! Online CODEOWNERS checks in `plancheck github` against the GitHub stand-in (and, under
//! tests/github/run, through `prism proxy --errors` with GitHub's OpenAPI description): GitHub's
//! own CODEOWNERS errors merged with ours, write access of users and teams, team members
//! against the plan, and every kind of API trouble degrading to a note.

use serde_json::json;

use crate::common::Repo;
use crate::github::{github, pr_event, pr_files, Pr};
use crate::support::github_standin::{self as standin, Fault};

/// Every login the demo's CODEOWNERS names.
const USERS: &[&str] = &[
    "priya-raman",
    "marcus-oyelaran",
    "ravi-menon",
    "chen-wei",
    "farid-haddad",
    "erin-walsh",
    "mateo-rossi",
    "omar-siddiqui",
    "pia-jensen",
    "hana-sato",
    "ivan-petrov",
    "jules-laurent",
    "kofi-mensah",
    "lena-fischer",
    "quinn-obrien",
];
const TEAMS: &[&str] = &[
    "platform-sre",
    "storage",
    "delivery",
    "networking",
    "security",
    "observability",
    "incident-command",
];

/// The demo with its organization renamed to `org` (so tests running at once do not share
/// stand-in organizations), committed as the base; `change` edits the head.
fn demo_pr(org: &str, change: impl FnOnce(&Repo)) -> Pr {
    let repo = Repo::from_fixture("demo");
    for file in [".github/CODEOWNERS", "incident-response/teams.yaml"] {
        let text = repo.read(file);
        repo.write(file, text.replace("@kestrel/", &format!("@{org}/")));
    }
    let base = repo.commit_all("the demo in its organization").to_string();
    change(&repo);
    let head = repo.commit_all("the change").to_string();
    Pr { repo, base, head }
}

/// A README edit: a change that touches neither the plan nor CODEOWNERS.
fn readme_change(repo: &Repo) {
    repo.write("README.md", "# k8s platform\n\nNow with a changelog.\n");
}

fn register(gh: &standin::Repo, pr: &Pr, number: u64) -> serde_json::Value {
    gh.add_pull(
        number,
        &pr.base,
        &pr.head,
        &gh.full_name(),
        "change",
        pr_files(&pr.repo, &pr.base, &pr.head),
    );
    pr_event("opened", &gh.full_name(), number, &pr.base, &pr.head, false)
}

/// The members the demo plan gives each team, as GitHub logins.
fn plan_members(team: &str) -> Vec<String> {
    let m: &[&str] = match team {
        "platform-sre" => &["alice-ng", "bkowalski", "chen-wei", "devika-rao"],
        "storage" => &["erin-walsh", "farid-haddad", "gus-moreno"],
        "networking" => &["hana-sato", "ivan-petrov", "jules-laurent"],
        "security" => &[
            "kofi-mensah",
            "lena-fischer",
            "mateo-rossi",
            "tomas-herrera",
        ],
        "delivery" => &[
            "nora-lindqvist",
            "omar-siddiqui",
            "pia-jensen",
            "hannah-brooks",
        ],
        "observability" => &["quinn-obrien", "rosa-delgado", "sam-adeyemi"],
        _ => &[
            "priya-raman",
            "tomas-herrera",
            "hannah-brooks",
            "marcus-oyelaran",
        ],
    };
    m.iter().map(|s| s.to_string()).collect()
}

/// An organization where everything is right: every team has its plan members and push
/// access, every user owner is a collaborator with write.
fn healthy_org(org: &str, gh: &standin::Repo) {
    let s = standin::stand_in();
    s.org(org, true);
    let full = gh.full_name();
    for t in TEAMS {
        s.team(org, t, &plan_members(t), &[(full.as_str(), "push")]);
    }
    for u in USERS {
        gh.collaborator(u, "write");
    }
}

fn online_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("plancheck: CODEOWNERS online: "))
        .collect()
}

#[test]
fn a_healthy_organization_passes_with_no_online_finding_and_no_note() {
    let org = "own-healthy";
    let pr = demo_pr(org, readme_change);
    let gh = standin::stand_in().repo("owners-healthy");
    healthy_org(org, &gh);
    let event = register(&gh, &pr, 3);
    let mut r = github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        &["--review", "false"],
    );
    // Markdown keeps `@name` from mentioning anyone with a zero-width space.
    r.summary = r.summary.replace('\u{200b}', "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(online_lines(&r.stderr).is_empty(), "{}", r.stderr);
    assert!(
        !r.summary.contains("codeowners-owner-known"),
        "{}",
        r.summary
    );
    assert!(!r.summary.contains("team-members-drift"), "{}", r.summary);
    let paths: Vec<String> = gh
        .requests()
        .iter()
        .map(|q| format!("{} {}?{}", q.method, q.path, q.query))
        .collect();
    assert!(
        paths
            .iter()
            .any(|p| p.contains("/codeowners/errors?ref=") && p.contains(&pr.head)),
        "GitHub's verdict is asked for the head commit: {paths:?}"
    );
    let team_repo = standin::stand_in()
        .org_requests(org)
        .into_iter()
        .find(|q| q.path.contains("/teams/storage/repos/"))
        .expect("the team-repository endpoint is asked");
    assert!(
        team_repo
            .headers
            .iter()
            .any(|(k, v)| k == "accept" && v == "application/vnd.github.v3.repository+json"),
        "{:?}",
        team_repo.headers
    );
}

#[test]
fn owners_need_write_access_not_membership() {
    let org = "own-access";
    let pr = demo_pr(org, readme_change);
    let gh = standin::stand_in().repo("owners-access");
    healthy_org(org, &gh);
    let s = standin::stand_in();
    let full = gh.full_name();
    // Storage may only read; networking exists but has no access at all.
    s.team(
        org,
        "storage",
        &plan_members("storage"),
        &[(full.as_str(), "pull")],
    );
    s.team(org, "networking", &plan_members("networking"), &[]);
    // An outside collaborator (in no team) with write is fine; a triager is not.
    gh.collaborator("quinn-obrien", "write");
    gh.collaborator("ravi-menon", "triage");
    let event = register(&gh, &pr, 4);
    let mut r = github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        &["--review", "false"],
    );
    // Markdown keeps `@name` from mentioning anyone with a zero-width space.
    r.summary = r.summary.replace('\u{200b}', "");
    // Existing findings (the change does not touch CODEOWNERS) do not fail the step.
    assert_eq!(r.code, 0, "{}", r.stderr);
    for want in [
        format!("@{org}/storage on line 23 (and on 2 more lines) has only read access to {full} (the team needs write)"),
        format!("@{org}/networking on line 37 (and on 3 more lines) is a team with no access to {full}"),
        format!("@ravi-menon on line 14 has triage access to {full}, not write"),
    ] {
        assert!(r.summary.contains(&want), "missing {want:?} in\n{}", r.summary);
    }
    assert!(
        !r.summary.contains("@quinn-obrien on line"),
        "{}",
        r.summary
    );
    assert!(online_lines(&r.stderr).is_empty(), "{}", r.stderr);
}

#[test]
fn githubs_own_errors_are_findings_at_their_lines_without_duplicating_ours() {
    let org = "own-errors";
    let pr = demo_pr(org, |repo| {
        repo.edit(
            ".github/CODEOWNERS",
            "/runbooks/storage/                  @own-errors/storage",
            "/runbooks/storage/                  @own-errors/stroage",
        );
    });
    let gh = standin::stand_in().repo("owners-errors");
    healthy_org(org, &gh);
    gh.codeowners_errors(Some(json!([
        {"line": 25, "column": 37, "kind": "Unknown owner", "source": "/runbooks/storage/ @own-errors/stroage",
         "suggestion": null,
         "message": "Unknown owner on line 25: make sure @own-errors/stroage exists and has write access to the repository\n\n  /runbooks/storage/ @own-errors/stroage\n                     ^"},
        {"line": 7, "column": 37, "kind": "Unknown owner", "source": "* @own-errors/platform-sre",
         "suggestion": null,
         "message": "Unknown owner on line 7: make sure @own-errors/platform-sre exists and has write access to the repository\n\n  * @own-errors/platform-sre\n    ^"}
    ])));
    let event = register(&gh, &pr, 5);
    let mut r = github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        &["--review", "false"],
    );
    // Markdown keeps `@name` from mentioning anyone with a zero-width space.
    r.summary = r.summary.replace('\u{200b}', "");
    // The change edits CODEOWNERS: its findings are new and fail the step.
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.summary.matches("on line 25").count(),
        1,
        "one finding for line 25, ours:\n{}",
        r.summary
    );
    assert!(
        r.summary.contains("did you mean @own-errors/storage?"),
        "{}",
        r.summary
    );
    assert!(
        r.summary.contains(
            "GitHub: Unknown owner on line 7: make sure @own-errors/platform-sre exists and has write access to the repository"
        ),
        "{}",
        r.summary
    );
    assert!(
        r.stdout.contains("::error file=.github/CODEOWNERS,line=7,"),
        "an annotation at GitHub's line: {}",
        r.stdout
    );
}

#[test]
fn team_members_drift_reads_past_100_members_and_reports_both_directions() {
    let org = "own-drift";
    let pr = demo_pr(org, readme_change);
    let gh = standin::stand_in().repo("owners-drift");
    healthy_org(org, &gh);
    // 130 people on GitHub before the plan's own members, so those sit on page 2; gus left.
    let mut members: Vec<String> = (0..130).map(|i| format!("contractor-{i:03}")).collect();
    members.push("erin-walsh".into());
    members.push("Farid-Haddad".into());
    let full = gh.full_name();
    standin::stand_in().team(org, "storage", &members, &[(full.as_str(), "push")]);
    let event = register(&gh, &pr, 6);
    let mut r = github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        &["--review", "false"],
    );
    // Markdown keeps `@name` from mentioning anyone with a zero-width space.
    r.summary = r.summary.replace('\u{200b}', "");
    assert_eq!(r.code, 0, "warnings only: {}", r.stderr);
    assert!(
        r.summary.contains(&format!(
            "gus (@gus-moreno) is in storage in the plan but not in @{org}/storage"
        )),
        "{}",
        r.summary
    );
    assert!(
        r.summary.contains(&format!(
            "130 people are (@contractor-000, @contractor-001, @contractor-002, @contractor-003, @contractor-004 and 125 more) in @{org}/storage but not in the plan's team storage"
        )),
        "{}",
        r.summary
    );
    assert!(
        !r.summary.contains("erin (@erin-walsh) is in"),
        "page 2 was read"
    );
    assert!(
        !r.summary.contains("farid (@farid-haddad)"),
        "logins compare ignoring case"
    );
    let pages: Vec<String> = standin::stand_in()
        .org_requests(org)
        .into_iter()
        .filter(|q| q.path.ends_with("/teams/storage/members"))
        .map(|q| q.query)
        .collect();
    assert!(
        pages.iter().any(|q| q.contains("per_page=100")),
        "{pages:?}"
    );
    assert!(pages.iter().any(|q| q.contains("page=2")), "{pages:?}");
}

#[test]
fn a_token_without_read_org_still_passes_with_notes_on_what_was_not_verified() {
    let org = "own-noreadorg";
    let pr = demo_pr(org, readme_change);
    let gh = standin::stand_in().repo("owners-noreadorg");
    healthy_org(org, &gh);
    standin::stand_in().org(org, false);
    let event = register(&gh, &pr, 8);
    let mut r = github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        &["--review", "false"],
    );
    // Markdown keeps `@name` from mentioning anyone with a zero-width space.
    r.summary = r.summary.replace('\u{200b}', "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let notes = online_lines(&r.stderr).join("\n");
    assert!(
        notes.contains(&format!("write access not verified for @{org}/")),
        "{notes}"
    );
    assert!(notes.contains("HTTP 403"), "{notes}");
    assert!(notes.contains("read:org"), "{notes}");
    assert!(
        notes.contains(&format!(
            "team storage: members of @{org}/storage not compared"
        )),
        "{notes}"
    );
    assert!(!r.summary.contains("team-members-drift"), "{}", r.summary);
}

#[test]
fn a_user_owned_repository_verifies_its_users_and_notes_that_it_has_no_teams() {
    let org = "own-userrepo";
    let pr = demo_pr(org, readme_change);
    let gh = standin::stand_in().user_repo("solo-maintainer", "owners-user-repo");
    for u in USERS {
        gh.collaborator(u, "write");
    }
    gh.collaborator("chen-wei", "read");
    let event = register(&gh, &pr, 9);
    let mut r = github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        &["--review", "false"],
    );
    // Markdown keeps `@name` from mentioning anyone with a zero-width space.
    r.summary = r.summary.replace('\u{200b}', "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.summary.contains(&format!(
            "@chen-wei on line 19 has read access to {}, not write",
            gh.full_name()
        )),
        "{}",
        r.summary
    );
    let notes = online_lines(&r.stderr).join("\n");
    assert!(notes.contains("HTTP 404"), "{notes}");
    assert!(
        notes.contains("a user-owned repository has no teams"),
        "{notes}"
    );
}

#[test]
fn a_403_and_a_rate_limit_degrade_to_notes_and_stop_further_requests() {
    let org = "own-limits";
    let pr = demo_pr(org, readme_change);
    let gh = standin::stand_in().repo("owners-limits");
    healthy_org(org, &gh);
    gh.fault(Fault::new("GET", "/codeowners/errors", 403));
    gh.fault(
        Fault::rate_limited("GET", "/collaborators/")
            .header("retry-after", "3600")
            .times(100),
    );
    let event = register(&gh, &pr, 10);
    let mut r = github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        &["--review", "false"],
    );
    // Markdown keeps `@name` from mentioning anyone with a zero-width space.
    r.summary = r.summary.replace('\u{200b}', "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let notes = online_lines(&r.stderr).join("\n");
    assert!(
        notes.contains("GitHub's own check of .github/CODEOWNERS was not fetched (HTTP 403"),
        "{notes}"
    );
    assert!(
        notes.contains("rate limited by GitHub for 3600 s"),
        "{notes}"
    );
    assert!(
        notes.contains("more user owners (rate limited or no answer)"),
        "{notes}"
    );
    let asked = gh
        .requests()
        .iter()
        .filter(|q| q.path.contains("/collaborators/"))
        .count();
    assert_eq!(asked, 1, "no request after the rate limit");
}

#[test]
fn check_online_verifies_owners_with_a_token_and_says_so_without_one() {
    let org = "own-cli";
    let pr = demo_pr(org, readme_change);
    let gh = standin::stand_in().repo("owners-cli");
    healthy_org(org, &gh);
    gh.collaborator("ravi-menon", "read");
    let r = crate::common::run(
        crate::common::plancheck()
            .arg("check")
            .arg(pr.repo.path())
            .args(["--online", "--format", "json"])
            .env("GITHUB_TOKEN", crate::github::TOKEN)
            .env("GITHUB_API_URL", standin::stand_in().api_url())
            .env("GITHUB_REPOSITORY", gh.full_name()),
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains(crate::github::TOKEN));
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let found: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == "codeowners-owner-known")
        .collect();
    assert_eq!(found.len(), 1, "{json}");
    assert_eq!(found[0]["location"]["line"], 14);
    assert_eq!(found[0]["location"]["column"], 77);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with(&format!(
                "@ravi-menon on line 14 has read access to {}, not write",
                gh.full_name()
            )),
        "{}",
        found[0]["message"]
    );
    let asked: Vec<String> = gh.requests().iter().map(|q| q.query.clone()).collect();
    assert!(
        asked.iter().any(|q| q == &format!("ref={}", pr.head)),
        "{asked:?}"
    );
    // No token: the offline check, and a note saying what was not verified.
    let r = crate::common::run(
        crate::common::plancheck()
            .arg("check")
            .arg(pr.repo.path())
            .args(["--online", "--format", "json"]),
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("CODEOWNERS online: owners not verified with GitHub: set GITHUB_TOKEN"),
        "{}",
        r.stderr
    );
}
