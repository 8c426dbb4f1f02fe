//! Messages that must not mislead. Files that cannot be read as plan files are errors that
//! name the file and what to do, the same in the working tree and with `--rev`: never a
//! silent skip, never libgit2's raw text; a setup problem is named as itself.

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

/// plancheck as a user whom file permissions bind. Root reads everything, so as root the
/// repository is handed to `nobody` and the binary runs as `nobody` through setpriv(1).
#[cfg(unix)]
fn unprivileged(repo: &Repo) -> assert_cmd::Command {
    let uid = std::process::Command::new("id")
        .arg("-u")
        .output()
        .expect("id -u");
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return plancheck();
    }
    chown_all(repo.path(), 65534, 65534);
    let mut cmd = assert_cmd::Command::new("setpriv");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("PLANCHECK_NOW", NOW)
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(assert_cmd::cargo::cargo_bin("plancheck"));
    cmd
}

#[cfg(unix)]
fn chown_all(dir: &std::path::Path, uid: u32, gid: u32) {
    std::os::unix::fs::lchown(dir, Some(uid), Some(gid)).expect("chown");
    if dir.is_dir() && !dir.is_symlink() {
        for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
            chown_all(&e.path(), uid, gid);
        }
    }
}

#[cfg(unix)]
fn chmod(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[cfg(unix)]
#[test]
fn an_untracked_plan_directory_that_cannot_be_read_is_an_error_not_skipped() {
    let repo = Repo::from_fixture("demo");
    repo.write(
        "incident-response/new/more.yaml",
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\n",
    );
    let mut cmd = unprivileged(&repo);
    let dir = repo.path().join("incident-response/new");
    chmod(&dir, 0o000);
    let r = run(cmd.arg("check").arg(repo.path()));
    chmod(&dir, 0o755);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("incident-response/new/: directory cannot be read (permission denied)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("chmod a+rX"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_tracked_plan_file_that_cannot_be_read_is_named_without_libgit2s_words() {
    let repo = Repo::from_fixture("demo");
    let mut cmd = unprivileged(&repo);
    let file = repo.path().join("incident-response/teams.yaml");
    chmod(&file, 0o000);
    let r = run(cmd.arg("check").arg(repo.path()));
    chmod(&file, 0o644);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("incident-response/teams.yaml: cannot be read: permission denied"),
        "{}",
        r.stderr
    );
    for raw in ["is locked", "class=", "code="] {
        assert!(!r.stderr.contains(raw), "{raw}: {}", r.stderr);
    }
}
