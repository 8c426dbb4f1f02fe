//! The attacks plancheck withstands, one test each, all from the head side of a change: what
//! a pull request's author controls (the files of the change, its symlinks, its file names, its
//! `.gitattributes`, comments on the pull request). Each test is named after the attack it
//! stops; docs/security.md maps every boundary of the threat model to the test holding it.

use std::path::Path;
use std::time::Duration;

use crate::common::*;
use crate::diff::{branch, checkout_new, statuses};
use crate::github::{self, github, github_env, pr_repo, registered, NO_REVIEW};
use crate::support::github_standin::BOT_LOGIN;

const PLAN: &str = "incident-response/plan.yaml";
const HUMAN: &str = "incident-response/threats/human-error.yaml";
const ESCALATION: &str = "incident-response/escalation.yaml";

/// Marks the current commit as `main` and continues on a `feature` branch.
fn start_feature(repo: &Repo) {
    branch(repo, "main");
    checkout_new(repo, "feature");
}

fn has(statuses: &[String], prefix: &str) -> bool {
    statuses.iter().any(|s| s.starts_with(prefix))
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

/// A stale plan review: a new `plan-review-stale` warning.
fn make_review_stale(repo: &Repo) {
    repo.edit(PLAN, "reviewed_at: 2026-11-15", "reviewed_at: 2020-01-15");
}

/// Attack: the change turns the configuration file CI passes with `--config` into a symlink
/// to an empty file that exists at base, so the base read returns nothing and the base's
/// `fail-on` (and policies, data) vanish without a `policy-changed`.
#[cfg(unix)]
#[test]
fn a_symlinked_config_cannot_swap_the_bases_configuration_for_an_empty_file() {
    let repo = Repo::from_fixture("demo");
    repo.write("ci/plancheck.toml", "fail-on = \"warning\"\n");
    repo.write("ci/empty.toml", "# intentionally empty\n");
    repo.commit_all("CI configuration: warnings fail");
    start_feature(&repo);
    make_review_stale(&repo);
    std::fs::remove_file(repo.path().join("ci/plancheck.toml")).expect("rm");
    symlink("empty.toml", repo.path().join("ci/plancheck.toml"));
    repo.commit_all("the change");
    let config = repo.path().join("ci/plancheck.toml");
    let config = config.to_str().expect("utf-8");
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let (code, json, stderr) = check_json(
            repo.path(),
            &[&["--base", "main", "--config", config], extra].concat(),
        );
        assert_eq!(
            code, 1,
            "the base's fail-on = warning judges {extra:?}: {stderr}"
        );
        let s = statuses(&json);
        assert!(has(&s, "new plan-review-stale "), "{s:?}");
        assert!(
            has(&s, "new policy-changed ci/plancheck.toml:"),
            "the change to the configuration is reported: {s:?}"
        );
    }
}

/// Attack: with the checked directory a subdirectory (the action's `path:`) and `--config`
/// a file outside it but inside the checkout, the configuration was read from the pull
/// request's disk: the change edits it to pass.
#[test]
fn a_config_outside_the_checked_directory_is_read_from_the_base_not_the_changes_disk() {
    let repo = Repo::new();
    copy_dir(&fixtures().join("demo"), &repo.path().join("plans"));
    repo.write("ci/plancheck.toml", "fail-on = \"warning\"\n");
    repo.commit_all("plans in a subdirectory, CI configuration outside it");
    start_feature(&repo);
    repo.edit(
        &format!("plans/{PLAN}"),
        "reviewed_at: 2026-11-15",
        "reviewed_at: 2020-01-15",
    );
    repo.write("ci/plancheck.toml", "fail-on = \"never\"\n");
    repo.commit_all("the change");
    let config = repo.path().join("ci/plancheck.toml");
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let (code, json, stderr) = check_json(
            &repo.path().join("plans"),
            &[
                &[
                    "--base",
                    "main",
                    "--config",
                    config.to_str().expect("utf-8"),
                ],
                extra,
            ]
            .concat(),
        );
        assert_eq!(
            code, 1,
            "the base's fail-on = warning judges {extra:?}: {stderr}"
        );
        let s = statuses(&json);
        assert!(has(&s, "new plan-review-stale "), "{s:?}");
        assert!(has(&s, "new policy-changed "), "{s:?}");
    }
}

/// Attack: while the base breaks the plan schema no rule runs on either side, so a change that
/// keeps that one existing schema error may break any rule and still pass. The change that
/// fixes the schema must still pass against the broken base.
#[test]
fn keeping_the_bases_schema_error_does_not_let_a_change_break_the_rules() {
    let repo = Repo::from_fixture("demo");
    repo.edit(HUMAN, "    severity: SEV1\n", "    severity: SEV9\n");
    repo.commit_all("a plan that breaks the schema");
    start_feature(&repo);
    repo.edit(HUMAN, "    owner: erin\n", "    x-owner: erin\n");
    let (code, json, stderr) = check_json(repo.path(), &["--base", "main"]);
    assert_eq!(
        code, 1,
        "the head's rules did not run: the gate cannot pass on existing findings alone: {stderr}"
    );
    assert!(has(&statuses(&json), "existing plan-schema "), "{json}");
    let human = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--base", "main"]));
    assert!(
        human
            .stdout
            .contains("the gate fails until the plan matches the schema"),
        "{}",
        human.stdout
    );
    // The change that repairs the schema, on an otherwise clean plan, passes.
    repo.edit(HUMAN, "    x-owner: erin\n", "    owner: erin\n");
    repo.edit(HUMAN, "    severity: SEV9\n", "    severity: SEV1\n");
    let (code, json, stderr) = check_json(repo.path(), &["--base", "main"]);
    assert_eq!(code, 0, "{stderr}\n{json}");
    assert!(has(&statuses(&json), "fixed plan-schema "), "{json}");
}

/// Attack: the change commits a symlink where the workflow writes its SARIF file, so
/// `plancheck github --sarif` overwrites a file of the pull request's choosing outside the
/// checkout (the event file, the runner's home) or inside `.git`.
#[cfg(unix)]
#[test]
fn a_committed_symlink_cannot_redirect_the_sarif_file() {
    let mut pr = pr_repo();
    let outside = tempfile::tempdir().expect("tempdir");
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "precious").expect("victim");
    symlink(&victim, pr.repo.path().join("plancheck.sarif"));
    symlink(".git", pr.repo.path().join("reports"));
    pr.head = pr.repo.commit_all("links").to_string();
    let (gh, event) = registered("sarif-link", &pr, 41);
    let runner_temp = tempfile::tempdir().expect("tempdir");
    let git_config = std::fs::read_to_string(pr.repo.path().join(".git/config")).expect("config");
    let workspace = pr.repo.path().to_str().expect("utf-8").to_string();
    let env = [
        ("GITHUB_WORKSPACE", workspace.as_str()),
        ("RUNNER_TEMP", runner_temp.path().to_str().expect("utf-8")),
    ];
    // Only the SARIF file: no comment, no review.
    let sarif_to = |sarif: &str| {
        github_env(
            pr.repo.path(),
            "pull_request",
            &event,
            &gh.full_name(),
            &["--comment", "false", "--review", "false", "--sarif", sarif],
            &env,
        )
    };
    for sarif in ["plancheck.sarif", "reports/config"] {
        let r = sarif_to(sarif);
        assert_eq!(r.code, 2, "{sarif}: {}", r.stderr);
        assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(&victim).expect("victim"),
        "precious"
    );
    assert_eq!(
        std::fs::read_to_string(pr.repo.path().join(".git/config")).expect("config"),
        git_config
    );
    // Outside the workspace and RUNNER_TEMP nothing is written at all.
    let elsewhere = outside.path().join("x.sarif");
    let r = sarif_to(elsewhere.to_str().expect("utf-8"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!elsewhere.exists());
    // A file in RUNNER_TEMP is fine.
    let fine = runner_temp.path().join("out/plancheck.sarif");
    let r = sarif_to(fine.to_str().expect("utf-8"));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(fine.is_file());
}

/// Attack: a repository whose `.plancheck.toml` or `.github/` is a symlink makes
/// `plancheck init --force` write outside the repository.
#[cfg(unix)]
#[test]
fn init_does_not_write_through_a_symlinked_file_or_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let outside = tempfile::tempdir().expect("tempdir");
    let victim = outside.path().join("victim.toml");
    std::fs::write(&victim, "precious").expect("victim");
    symlink(&victim, dir.path().join(".plancheck.toml"));
    let r = run(plancheck().arg("init").arg(dir.path()).arg("--force"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(".plancheck.toml"), "{}", r.stderr);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(&victim).expect("victim"),
        "precious"
    );
    assert!(
        !dir.path().join(PLAN).exists(),
        "nothing is written when one target is refused"
    );

    std::fs::remove_file(dir.path().join(".plancheck.toml")).expect("rm");
    symlink(outside.path(), dir.path().join(".github"));
    let r = run(plancheck().arg("init").arg(dir.path()).arg("--force"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(".github"), "{}", r.stderr);
    assert!(!outside.path().join("workflows").exists());
}

/// Attack: the pull request's author pre-posts review comments carrying plancheck's
/// deterministic `<!-- plancheck:fp=… -->` markers, so plancheck thinks its line comments are
/// already there and posts none.
#[test]
fn pre_posted_fingerprint_markers_do_not_silence_line_comments() {
    let pr = pr_repo();
    let (gh, event) = registered("fp-squat", &pr, 43);
    let (_, json, stderr) = check_json(pr.repo.path(), &["--base", &pr.base, "--rev", &pr.head]);
    let target = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["status"] == "new" && f["in_diff"] == true && f["rule"] == "threat-owner")
        .unwrap_or_else(|| panic!("a new finding on a changed line: {stderr}"));
    let fp = target["fingerprint"].as_str().expect("fingerprint");
    let path = target["location"]["path"].as_str().expect("path");
    let line = target["location"]["line"].as_u64().expect("line");
    let marker = format!("<!-- plancheck:fp={fp} -->");
    gh.seed_review_comment(
        43,
        "mallory",
        path,
        line,
        &format!("looks fine to me\n\n{marker}"),
    );
    let r = github(pr.repo.path(), "pull_request", &event, &gh.full_name(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let ours: Vec<_> = gh
        .review_comments(43)
        .into_iter()
        .filter(|c| c.login == BOT_LOGIN && c.body.contains(&marker))
        .collect();
    assert_eq!(
        ours.len(),
        1,
        "plancheck posts its own line comment: {}",
        r.stderr
    );
}

/// Attack: a comment by someone else (here another app's bot) carrying plancheck's sticky
/// marker is taken for plancheck's own: it gets edited, kept as "up to date" or decides what
/// plancheck writes.
#[test]
fn another_authors_comment_with_our_marker_is_not_taken_for_ours() {
    let pr = pr_repo();
    let (gh, event) = registered("marker-squat", &pr, 44);
    let fake = format!(
        "<!-- plancheck:v1 config=default sha={} -->\nplancheck: no findings, ship it",
        pr.head
    );
    let squat = gh.seed_comment(44, "renovate[bot]", &fake);
    let r = github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        NO_REVIEW,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let comments = gh.comments(44);
    let theirs = comments.iter().find(|c| c.id == squat).expect("untouched");
    assert_eq!(theirs.body, fake);
    assert!(
        comments
            .iter()
            .any(|c| c.login == BOT_LOGIN && c.body.contains("new error")),
        "plancheck writes its own comment: {:?}",
        r.stderr
    );
    for q in gh.requests() {
        assert!(
            !(q.method != "GET" && q.path.ends_with(&squat.to_string())),
            "{} {}",
            q.method,
            q.path
        );
    }
    // plancheck's own comment is still recognised: a rerun updates it, and adds none.
    assert!(
        github::TOKEN.starts_with("ghs_"),
        "the workflow's token posts as {BOT_LOGIN}"
    );
    let r = github(
        pr.repo.path(),
        "pull_request",
        &event,
        &gh.full_name(),
        NO_REVIEW,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(gh.comments(44).len(), 2, "{}", r.stderr);
}

/// Attack: the change adds `.gitattributes` marking the plan binary, which empties the diff's
/// line index: new findings lose their line and never become line comments.
#[test]
fn a_gitattributes_in_the_change_does_not_hide_findings_from_the_diff() {
    let repo = Repo::from_fixture("demo");
    start_feature(&repo);
    repo.write(".gitattributes", "incident-response/** binary\n");
    repo.edit(HUMAN, "    owner: erin\n", "    owner: nobody-here\n");
    let expected = format!("new threat-owner {HUMAN}:16 true");
    let (code, json, stderr) = check_json(repo.path(), &["--base", "main"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(statuses(&json).contains(&expected), "{:?}", statuses(&json));
    repo.commit_all("the change");
    let (_, json, stderr) = check_json(repo.path(), &["--base", "main", "--rev", "HEAD"]);
    assert!(
        statuses(&json).contains(&expected),
        "{stderr} {:?}",
        statuses(&json)
    );
}

/// Attack: a `plans` glob with many brace groups expands to 2^k strings (22 groups in a
/// 130-byte line: seconds and gigabytes), from the change's own working-tree configuration.
#[test]
fn exponential_brace_expansion_in_plans_is_refused_at_its_line() {
    let repo = Repo::from_fixture("demo");
    let bomb = "{a,b}".repeat(22);
    repo.write(
        ".plancheck.toml",
        format!("# plan locations\nplans = [\"incident-response/**/*.yaml\", \"{bomb}.yaml\"]\n"),
    );
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .timeout(Duration::from_secs(5)));
    assert_eq!(r.code, 2, "refused quickly: {}", r.stderr);
    assert!(r.stderr.contains(".plancheck.toml:2"), "{}", r.stderr);
    assert!(r.stderr.contains("brace"), "{}", r.stderr);
}

/// Attack: in diff mode on the working tree, the change's own `.plancheck.toml` narrows
/// `plans`, so git is never asked about an untracked plan file the trusted `plans` covers.
#[test]
fn the_changes_plans_setting_cannot_hide_an_untracked_plan_file() {
    let repo = Repo::from_fixture("demo");
    start_feature(&repo);
    repo.write(
        "incident-response/threats/new.yaml",
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nthreats:\n  - id: THR-900\n    title: A new threat nobody owns\n    source: human_error\n    area: k8s-storage\n    severity: SEV3\n    owner: nobody-here\n    runbook: runbooks/storage/restore-pvc-from-snapshot.md\n",
    );
    repo.write(".plancheck.toml", "plans = [\"elsewhere/*.yaml\"]\n");
    let (code, json, stderr) = check_json(repo.path(), &["--base", "main"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        has(
            &statuses(&json),
            "new threat-owner incident-response/threats/new.yaml:"
        ),
        "{:?}",
        statuses(&json)
    );
}

/// Attack: a plan file whose name is not valid UTF-8 was never read (the working-tree reader
/// mangled the name, the revision reader dropped the entry): unchecked plan content, and a
/// report of "no findings".
#[cfg(unix)]
#[test]
fn a_plan_file_with_a_non_utf8_name_is_an_error_not_skipped() {
    use std::os::unix::ffi::OsStrExt;
    let repo = Repo::from_fixture("demo");
    let name = std::ffi::OsStr::from_bytes(b"incident-response/threats/\xffhidden.yaml");
    std::fs::write(
        repo.path().join(name),
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nthreats:\n  - id: THR-901\n    title: Unchecked\n    source: human_error\n    area: nowhere\n    severity: SEV1\n    owner: nobody\n",
    )
    .expect("write");
    repo.commit_all("a plan file with a Latin-1 name");
    for extra in [&[][..], &["--rev", "HEAD"][..], &["--base", "HEAD~1"][..]] {
        let r = run(plancheck().arg("check").arg(repo.path()).args(extra));
        assert_eq!(r.code, 2, "{extra:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("hidden.yaml"), "{}", r.stderr);
        assert!(r.stderr.contains("not valid UTF-8"), "{}", r.stderr);
        assert!(r.stderr.contains("rename"), "{}", r.stderr);
    }
}

/// Attack: waivers are plan data, so a change that adds a violation and a waiver for it
/// passes, without any finding telling the plan's owners.
#[test]
fn a_waiver_the_change_adds_does_not_pass_the_gate_on_its_own() {
    let waiver = "  - rule: threat-owner\n    target: THR-001\n    reason: \"temporary\"\n    expires: 2027-01-31\n";
    let add_violation_and_waiver = |repo: &Repo| {
        repo.edit(HUMAN, "    owner: erin\n", "    owner: nobody-here\n");
        let text = repo.read(ESCALATION);
        repo.write(ESCALATION, format!("{text}{waiver}"));
    };
    let repo = Repo::from_fixture("demo");
    start_feature(&repo);
    add_violation_and_waiver(&repo);
    let (code, json, stderr) = check_json(repo.path(), &["--base", "main"]);
    assert_eq!(code, 1, "{stderr}");
    let added = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["rule"] == "waiver-added")
        .unwrap_or_else(|| panic!("a waiver-added finding: {json}"));
    let message = added["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("@kestrel/platform-sre @priya-raman @marcus-oyelaran"),
        "names the plan file's owners: {message}"
    );
    assert_eq!(added["severity"], "error");
    assert_eq!(added["location"]["path"], ESCALATION);
    // Plain mode (no change to judge) keeps waivers as they are.
    let (code, _, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 0, "{stderr}");

    // The base's configuration may choose to let owners' review decide.
    let repo = Repo::from_fixture("demo");
    repo.write(
        ".plancheck.toml",
        "[rules.waiver-added]\nseverity = \"warning\"\n",
    );
    repo.commit_all("added waivers are reviewed by CODEOWNERS, not gated");
    start_feature(&repo);
    add_violation_and_waiver(&repo);
    let (code, json, stderr) = check_json(repo.path(), &["--base", "main"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        has(
            &statuses(&json),
            "new waiver-added incident-response/escalation.yaml:"
        ),
        "{json}"
    );
    // The change cannot choose it for itself.
    let repo = Repo::from_fixture("demo");
    start_feature(&repo);
    add_violation_and_waiver(&repo);
    repo.write(".plancheck.toml", "[rules.waiver-added]\ndisable = true\n");
    let (code, _, stderr) = check_json(repo.path(), &["--base", "main"]);
    assert_eq!(code, 1, "{stderr}");

    let explain = run(plancheck().args(["explain", "waiver-added"]));
    assert_eq!(explain.code, 0, "{}", explain.stderr);
    assert!(
        explain.stdout.contains("[rules.waiver-added]"),
        "{}",
        explain.stdout
    );
}
