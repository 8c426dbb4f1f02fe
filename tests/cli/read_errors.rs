//! Files that cannot be read as plan files are errors that name the file and what to do, the
//! same in the working tree and with `--rev`: never a silent skip, never libgit2's raw text.

use crate::common::*;

const LINK: &str = "incident-response/extra.yaml";

/// `check` on the working tree and on `--rev HEAD` (the same commit).
fn both(repo: &Repo) -> [Run; 2] {
    [
        run(plancheck().arg("check").arg(repo.path())),
        run(plancheck()
            .arg("check")
            .arg(repo.path())
            .args(["--rev", "HEAD"])),
    ]
}

#[cfg(unix)]
fn demo_with_link(target: &str) -> Repo {
    let repo = Repo::from_fixture("demo");
    std::os::unix::fs::symlink(target, repo.path().join(LINK)).expect("symlink");
    repo.commit_all("a plan path that is a link");
    repo
}

#[cfg(unix)]
#[test]
fn a_plan_path_linking_to_a_directory_is_the_same_error_in_the_working_tree_and_with_rev() {
    let repo = demo_with_link("threats");
    for r in both(&repo) {
        assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "{LINK}: is a symbolic link to `threats`, a directory, not a file"
            )),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("help: a plan path must be a file"),
            "{}",
            r.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn a_dangling_plan_link_is_an_error_naming_its_target_not_a_skip() {
    let repo = demo_with_link("threats/gone.yaml");
    for r in both(&repo) {
        assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "{LINK}: is a symbolic link to `threats/gone.yaml`, which does not exist"
            )),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("restore the file"), "{}", r.stderr);
    }
}

#[test]
fn a_git_configuration_that_cannot_be_read_is_named_not_taken_for_a_missing_repository() {
    let repo = Repo::from_fixture("demo");
    let home = tempfile::tempdir().expect("home");
    std::fs::write(home.path().join(".gitconfig"), "[[[ not a section\n").expect("gitconfig");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .env("HOME", home.path()));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        !r.stderr.contains("not inside a git repository"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("cannot open the git repository"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(".gitconfig"), "{}", r.stderr);
}
