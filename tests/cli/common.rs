//! Test support: real git repositories in temp dirs, and the plancheck binary with a clean environment.

use std::path::{Path, PathBuf};
use std::process::Output;

use git2::{IndexAddOption, Repository, Signature, Time};
use tempfile::TempDir;

pub const NOW: &str = "2026-11-24";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A git repository in a temp dir, with a fixed signature and no user configuration.
pub struct Repo {
    pub dir: TempDir,
    pub repo: Repository,
}

impl Repo {
    pub fn new() -> Repo {
        let dir = tempfile::Builder::new()
            .prefix("plancheck-test")
            .tempdir()
            .expect("tempdir");
        let repo = Repository::init(dir.path()).expect("git init");
        Repo { dir, repo }
    }

    /// A repository holding a copy of `fixtures/<name>`, committed.
    pub fn from_fixture(name: &str) -> Repo {
        let r = Repo::new();
        copy_dir(&fixtures().join(name), r.path());
        r.commit_all("fixture");
        r
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let p = self.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, contents).expect("write");
        self
    }

    /// Replaces the first `from` in a file by `to`; `from` must be there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{from:?} in {rel}");
        self.write(rel, text.replacen(from, to, 1));
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).expect("read")
    }

    pub fn add_all(&self) {
        let mut index = self.repo.index().expect("index");
        index
            .add_all(["*"], IndexAddOption::DEFAULT, None)
            .expect("add");
        index.write().expect("write index");
    }

    pub fn commit_all(&self, message: &str) -> git2::Oid {
        self.add_all();
        let mut index = self.repo.index().expect("index");
        let tree_id = index.write_tree().expect("tree");
        let tree = self.repo.find_tree(tree_id).expect("find tree");
        let sig = Signature::new(
            "plancheck test",
            "test@plancheck.invalid",
            &Time::new(1_790_000_000, 0),
        )
        .expect("sig");
        let parents: Vec<git2::Commit> = self
            .repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parent_refs)
            .expect("commit")
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The binary with an environment that cannot leak the developer's settings into results.
pub fn plancheck() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("plancheck").expect("binary");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("PLANCHECK_NOW", NOW);
    cmd
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut assert_cmd::Command) -> Run {
    let out: Output = cmd.output().expect("run plancheck");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stdout.contains("panicked"),
        "plancheck panicked:\n{}",
        run.stderr
    );
    run
}

/// `plancheck check <dir> --format json`, parsed.
pub fn check_json(dir: &Path, extra: &[&str]) -> (i32, serde_json::Value, String) {
    let r = run(plancheck()
        .arg("check")
        .arg(dir)
        .args(["--format", "json"])
        .args(extra));
    let v = serde_json::from_str(&r.stdout).unwrap_or(serde_json::Value::Null);
    (r.code, v, r.stderr)
}

/// (rule, "path:line") of every finding in a JSON report, sorted.
pub fn rule_lines(report: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> = report["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    format!(
                        "{} {}:{}",
                        f["rule"].as_str().unwrap_or("?"),
                        f["location"]["path"].as_str().unwrap_or("?"),
                        f["location"]["line"]
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}
