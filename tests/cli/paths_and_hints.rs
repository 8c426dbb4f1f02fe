//! The paths people pass and the hints they get: `check` on plan files or a plan directory,
//! `owners` on a directory or outside the repository, and advice that fits the cause.

use crate::common::*;

const HUMAN: &str = "incident-response/threats/human-error.yaml";

/// The demo, committed, with THR-001's owner removed in the working tree.
fn demo_without_an_owner() -> Repo {
    let repo = Repo::from_fixture("demo");
    repo.edit(HUMAN, "    owner: erin\n", "    x-owner: erin\n");
    repo
}

fn in_repo(repo: &Repo, args: &[&str]) -> Run {
    run(plancheck()
        .current_dir(repo.path())
        .args(args)
        .args(["--color", "never"]))
}

#[test]
fn check_on_a_plan_file_checks_the_repository_and_reports_that_file_only() {
    let repo = demo_without_an_owner();
    let r = in_repo(&repo, &["check", HUMAN]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("error[threat-owner]: threat THR-001 has no owner"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains(&format!("; showing only findings in {HUMAN}\n")),
        "the summary says what was left out: {}",
        r.stdout
    );
    // Another file of the same plan: the whole plan is checked, nothing there.
    let r = in_repo(&repo, &["check", "incident-response/teams.yaml"]);
    assert_eq!(r.code, 0, "{} {}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .starts_with("plancheck: no findings in 8 plan files"),
        "{}",
        r.stdout
    );
    // The plan directory, as linters take a directory; JSON keeps its shape.
    let (code, json, stderr) = {
        let r = in_repo(&repo, &["check", "incident-response", "--format", "json"]);
        (
            r.code,
            serde_json::from_str::<serde_json::Value>(&r.stdout).unwrap_or_default(),
            r.stderr,
        )
    };
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(rule_lines(&json), [format!("threat-owner {HUMAN}:10")]);
    // From inside the plan directory, a relative path works the same.
    let r = run(plancheck()
        .current_dir(repo.path().join("incident-response"))
        .args(["check", "threats/human-error.yaml"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn check_on_a_path_that_is_no_plan_file_says_what_the_argument_means() {
    let repo = demo_without_an_owner();
    let r = in_repo(&repo, &["check", "README.md"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("error: README.md holds no plan file"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("PATH (of `plancheck check PATH`) is the repository"),
        "{}",
        r.stderr
    );
    let r = in_repo(&repo, &["check", "incident-respnse"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("error: incident-respnse: no such file or directory")
            && r.stderr.contains("PATH (of `plancheck check PATH`)"),
        "{}",
        r.stderr
    );
    // A plan kept in a directory of a larger repository is still checked as a root.
    let r = run(plancheck().arg("check").arg(fixtures().join("demo")));
    assert_eq!(r.code, 0, "{} {}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("showing only"), "{}", r.stdout);
}

#[test]
fn owners_of_a_directory_answers_for_the_files_under_it() {
    let repo = Repo::from_fixture("demo");
    let r = in_repo(
        &repo,
        &["owners", "incident-response", "incident-response/threats"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stdout.contains("[.github/CODEOWNERS:7]"),
        "not the `*` line: {}",
        r.stdout
    );
    assert!(
        r.stdout.contains("incident-response/          a directory of 8 tracked files with different owners:\n  @kestrel/platform-sre @priya-raman @marcus-oyelaran  [.github/CODEOWNERS:12] 5 files\n  @kestrel/platform-sre @kestrel/security @ravi-menon  [.github/CODEOWNERS:14] 3 files\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("incident-response/threats/  @kestrel/platform-sre @kestrel/security @ravi-menon  [.github/CODEOWNERS:14] (a directory: all 3 tracked files)"),
        "{}",
        r.stdout
    );
    let r = in_repo(
        &repo,
        &["owners", "--format", "json", "incident-response/threats/"],
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v[0]["directory"], true);
    assert_eq!(v[0]["line"], 14);
    assert_eq!(v[0]["files"], 3);
}

#[test]
fn owners_of_a_path_outside_the_repository_is_an_error() {
    let repo = Repo::from_fixture("demo");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let outside = elsewhere.path().join("notes.md");
    std::fs::write(&outside, "x").expect("write");
    let r = in_repo(&repo, &["owners", outside.to_str().expect("utf-8")]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("outside the repository"), "{}", r.stderr);
    // A path from the repository's root, as CODEOWNERS writes it, still works.
    let r = in_repo(&repo, &["owners", "/incident-response/plan.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("[.github/CODEOWNERS:12]"), "{}", r.stdout);
}

#[test]
fn owners_of_a_mistyped_path_says_it_is_not_in_the_repository_and_suggests_the_real_one() {
    let repo = Repo::from_fixture("demo");
    let r = in_repo(&repo, &["owners", "incident-respnse/plan.yaml"]);
    // CODEOWNERS answers for any path (a file about to be added), so the answer stays...
    assert_eq!(r.code, 0, "{}", r.stderr);
    // ...but it is not mistaken for the owners of a real file.
    assert!(
        r.stderr.contains(
            "note: incident-respnse/plan.yaml is not in the repository; did you mean incident-response/plan.yaml?"
        ),
        "{}",
        r.stderr
    );
    let r = in_repo(&repo, &["owners", "incident-response/plan.yaml"]);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn a_mistyped_revision_suggests_the_name_not_fetch_depth() {
    let repo = Repo::from_fixture("demo");
    crate::diff::branch(&repo, "main");
    for args in [["check", "--base", "mian"], ["check", "--rev", "mian"]] {
        let r = in_repo(&repo, &args);
        assert_eq!(r.code, 2, "{}", r.stdout);
        assert!(
            r.stderr.contains("did you mean `main`?"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(!r.stderr.contains("fetch-depth"), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn staged_mode_with_an_unstaged_plan_says_to_stage_it() {
    let repo = Repo::new();
    copy_dir(&fixtures().join("demo"), repo.path());
    // Nothing staged yet: the plan files exist only in the working tree.
    let r = in_repo(&repo, &["check", "--staged"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("error: no plan files are staged"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("help: stage it: git add incident-response/areas.yaml"),
        "{}",
        r.stderr
    );
    // Staged, then edited: the check runs on what is staged and says what it left out.
    repo.add_all();
    repo.edit(HUMAN, "    owner: erin\n", "    x-owner: erin\n");
    let r = in_repo(&repo, &["check", "--staged"]);
    assert_eq!(r.code, 0, "{} {}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "--staged checks what is staged, not {HUMAN} (modified, changes not staged); stage it (git add {HUMAN})"
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn an_empty_repository_suggests_plancheck_init() {
    let repo = Repo::new();
    for args in [
        &["check"][..],
        &["check", "--staged"],
        &["check", "--rev", "HEAD"],
    ] {
        let r = in_repo(&repo, args);
        assert_eq!(r.code, 2, "{}", r.stdout);
        assert!(
            r.stderr.contains("plancheck init"),
            "{args:?}: {}",
            r.stderr
        );
    }
}
