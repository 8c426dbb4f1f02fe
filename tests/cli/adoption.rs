//! The first ten minutes: init, completions, help, configuration precedence, -v.

use crate::common::*;

fn init_in(repo: &Repo, extra: &[&str]) -> Run {
    run(plancheck().arg("init").arg(repo.path()).args(extra))
}

#[test]
fn init_writes_a_plan_that_passes_once_the_suggested_codeowners_line_is_added() {
    let repo = Repo::new();
    let r = init_in(&repo, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in [
        "incident-response/plan.yaml",
        ".plancheck.toml",
        ".github/workflows/plancheck.yml",
    ] {
        assert!(repo.path().join(f).is_file(), "{f} written");
        assert!(r.stdout.contains(&format!("wrote {f}")), "{}", r.stdout);
    }
    let plan = repo.read("incident-response/plan.yaml");
    for section in [
        "metadata:",
        "contacts:",
        "teams:",
        "oncall:",
        "areas:",
        "escalation_policies:",
        "threats:",
        "waivers:",
    ] {
        assert!(plan.contains(section), "{section} in the starter plan");
    }
    assert!(plan.contains(&format!("reviewed_at: {}", plancheck::check::today())));
    // Before the CODEOWNERS line: only the findings init told the user about.
    repo.add_all();
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let mut rules: Vec<&str> = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    rules.sort_unstable();
    assert_eq!(rules, vec!["area-paths-owned", "plan-codeowned"], "{json}");
    let line = r
        .stdout
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("/incident-response/ @"))
        .expect("a CODEOWNERS suggestion")
        .to_string();
    repo.write(".github/CODEOWNERS", format!("{line}\n"));
    repo.add_all();
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 0, "{stderr} {json}");
    assert_eq!(json["findings"], serde_json::json!([]));
    // The configuration it wrote parses (every key commented out).
    let r = run(plancheck().arg("rules").current_dir(repo.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// The `language:` of hook `id` in this repository's .pre-commit-hooks.yaml (a flat list).
fn hook_language(id: &str) -> Option<String> {
    let manifest = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .expect("manifest");
    let mut current = None;
    for line in manifest.lines() {
        if let Some(rest) = line.strip_prefix("- id:") {
            current = Some(rest.trim().to_string());
        } else if let Some(lang) = line.trim().strip_prefix("language:") {
            if current.as_deref() == Some(id) {
                return Some(lang.trim().to_string());
            }
        }
    }
    None
}

#[test]
fn init_suggests_the_pre_commit_hook_that_installs_the_prebuilt_wheel() {
    let repo = Repo::new();
    let r = init_in(&repo, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let suggested = r
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("hooks: [{id: "))
        .and_then(|rest| rest.strip_suffix("}]"))
        .unwrap_or_else(|| panic!("no pre-commit hook suggested:\n{}", r.stdout));
    assert!(r.stdout.contains(&format!(
        "- repo: {}\n         rev: v{}\n",
        plancheck::init::SOURCE_REPOSITORY,
        env!("CARGO_PKG_VERSION")
    )));
    // `language: python` installs the wheel in seconds; `rust` compiles for minutes.
    assert_eq!(
        hook_language(suggested).as_deref(),
        Some("python"),
        "{suggested}"
    );
    assert!(
        r.stdout.contains("prebuilt plancheck wheel"),
        "{}",
        r.stdout
    );
}

#[test]
fn init_never_overwrites_without_force() {
    let repo = Repo::new();
    repo.write(".plancheck.toml", "# mine\n");
    let r = init_in(&repo, &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(".plancheck.toml already exists"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(repo.read(".plancheck.toml"), "# mine\n");
    assert!(
        !repo.path().join("incident-response/plan.yaml").exists(),
        "nothing written"
    );
    let r = init_in(&repo, &["--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_ne!(repo.read(".plancheck.toml"), "# mine\n");
}

#[test]
fn init_outside_a_git_repository_says_to_git_init_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = run(plancheck().arg("init").arg(dir.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("1. git init"), "{}", r.stdout);
    let repo = Repo::new();
    let r = run(plancheck().arg("init").arg(repo.path()));
    assert!(!r.stdout.contains("git init"), "{}", r.stdout);
}

#[test]
fn init_refuses_a_repository_that_already_has_a_plan() {
    let repo = Repo::new();
    repo.write("incident-response/threats/supply-chain.json", "{}");
    let r = init_in(&repo, &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("already has a plan file: incident-response/threats/supply-chain.json"),
        "{}",
        r.stderr
    );
    assert!(
        !repo.path().join(".plancheck.toml").exists(),
        "nothing written"
    );
}

#[test]
fn init_from_codeowners_prefills_people_teams_and_areas_and_leaves_only_placeholders() {
    let repo = Repo::new();
    repo.write(
        ".github/CODEOWNERS",
        "*                  @acme/platform\n/clusters/*/db/    @erin @farid\n/clusters/*/net/   @gus\n",
    );
    repo.write("clusters/prod/db/pg.yaml", "kind: StatefulSet\n");
    repo.write("clusters/prod/net/np.yaml", "kind: NetworkPolicy\n");
    let r = init_in(&repo, &["--from-codeowners"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // `*` already owns the plan directory: nothing to add, and that team owns the plan.
    assert!(
        r.stdout.contains("Nothing to add to CODEOWNERS")
            && r.stdout.contains("line 1: * @acme/platform"),
        "{}",
        r.stdout
    );
    let plan = repo.read("incident-response/plan.yaml");
    assert!(plan.contains("  owner: platform\n"), "{plan}");
    for id in [
        "  - id: erin\n",
        "  - id: farid\n",
        "  - id: gus\n",
        "  - id: platform\n",
    ] {
        assert!(plan.contains(id), "{id} in\n{plan}");
    }
    repo.add_all();
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let lines: Vec<&str> = plan.lines().collect();
    for f in json["findings"].as_array().into_iter().flatten() {
        let rule = f["rule"].as_str().unwrap_or("?");
        assert!(
            [
                "area-min-contacts",
                "team-oncall",
                "area-paths-owned",
                "plan-codeowned",
                "escalation-reach"
            ]
            .contains(&rule),
            "unexpected {rule}: {f}"
        );
        if rule == "escalation-reach" {
            // The SEV1 example pages nobody until the TODO rotations are filled in.
            let msg = f["message"].as_str().unwrap_or("");
            assert!(msg.starts_with("SEV1 threat THR-002 "), "{msg}");
            continue;
        }
        if rule != "plan-codeowned" {
            // Each finding sits in the element the user was told to fill in.
            let at = f["location"]["line"].as_u64().unwrap_or(0) as usize;
            let near = &lines[at.saturating_sub(4)..(at + 3).min(lines.len())];
            assert!(
                near.iter().any(|l| l.contains("# TODO")),
                "{rule} at line {at} is not near a TODO: {near:?}"
            );
        }
    }
}

#[test]
fn init_from_codeowners_without_codeowners_is_a_clear_error() {
    let repo = Repo::new();
    let r = init_in(&repo, &["--from-codeowners"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no CODEOWNERS file"), "{}", r.stderr);
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = run(plancheck().args(["completions", shell]));
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains("plancheck"), "{shell}");
        assert!(
            r.stdout.contains("fail-on"),
            "{shell} completes check's flags"
        );
    }
    let r = run(plancheck().args(["completions", "tcsh"]));
    assert_eq!(r.code, 2);
}

#[test]
fn every_command_has_help_with_examples() {
    for cmd in [
        "check",
        "parse",
        "owners",
        "rules",
        "explain",
        "test",
        "init",
        "schema",
        "completions",
    ] {
        let r = run(plancheck().args([cmd, "--help"]));
        assert_eq!(r.code, 0, "{cmd}");
        assert!(
            r.stdout.contains("Examples:") || r.stdout.contains("Example:"),
            "{cmd} --help has examples:\n{}",
            r.stdout
        );
    }
    let r = run(plancheck().arg("--version"));
    assert_eq!(
        r.stdout.trim(),
        format!("plancheck {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn flags_beat_environment_beat_the_configuration_file() {
    let repo = Repo::from_fixture("broken/plan-review-stale");
    // Only a warning: passes by default.
    let (code, _, _) = check_json(repo.path(), &[]);
    assert_eq!(code, 0);
    repo.write(".plancheck.toml", "fail-on = \"warning\"\n");
    let (code, _, _) = check_json(repo.path(), &[]);
    assert_eq!(code, 1, "file: fail-on warning");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .env("PLANCHECK_FAIL_ON", "error"));
    assert_eq!(r.code, 0, "environment beats the file");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--fail-on", "warning"])
        .env("PLANCHECK_FAIL_ON", "error"));
    assert_eq!(r.code, 1, "the flag beats the environment");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .env("PLANCHECK_FORMAT", "json"));
    assert!(r.stdout.starts_with('{'), "PLANCHECK_FORMAT: {}", r.stdout);
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .env("PLANCHECK_FAIL_ON", "sometimes"));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("sometimes"), "{}", r.stderr);
    repo.write(".plancheck.toml", "timeout = -1\n");
    let r = run(plancheck().arg("check").arg(repo.path()));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(".plancheck.toml:1:11"), "{}", r.stderr);
}

#[test]
fn verbose_reports_what_was_loaded_on_stderr() {
    let repo = Repo::from_fixture("demo");
    let r = run(plancheck()
        .args(["-v", "check", "--format", "json"])
        .arg(repo.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with('{'), "stdout stays machine-readable");
    assert!(
        r.stderr
            .contains("plancheck: configuration: none (defaults)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("plancheck: CODEOWNERS: .github/CODEOWNERS"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("evaluated in"), "{}", r.stderr);
}

#[test]
fn init_from_codeowners_keeps_the_owners_codeowners_already_gives_the_plan() {
    let repo = Repo::new();
    // @acme/delivery comes first alphabetically and owns the most lines; the plan directory
    // is owned by platform SRE and a person, and must stay so.
    repo.write(
        ".github/CODEOWNERS",
        "*                     @acme/delivery\n/apps/                @acme/delivery\n/incident-response/   @acme/platform-sre @jdoe\n",
    );
    repo.write("apps/web.yaml", "kind: Deployment\n");
    repo.commit_all("codeowners");
    let r = init_in(&repo, &["--from-codeowners"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("@acme/delivery"), "{}", r.stdout);
    assert!(
        r.stdout.contains("Nothing to add to CODEOWNERS")
            && r.stdout
                .contains("line 3: /incident-response/ @acme/platform-sre @jdoe"),
        "{}",
        r.stdout
    );
    let plan = repo.read("incident-response/plan.yaml");
    assert!(plan.contains("  owner: platform-sre\n"), "{plan}");
    repo.add_all();
    let (_, json, stderr) = check_json(repo.path(), &[]);
    assert!(
        !rule_lines(&json)
            .iter()
            .any(|l| l.starts_with("plan-codeowned")),
        "{stderr} {json}"
    );
    // Without --from-codeowners the example plan is owned the same way: no line to add.
    let repo2 = Repo::new();
    repo2.write(
        "CODEOWNERS",
        "/incident-response/   @acme/platform-sre @jdoe\n",
    );
    let r = init_in(&repo2, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stdout.contains("@example-org") && r.stdout.contains("Nothing to add"),
        "{}",
        r.stdout
    );
}

#[test]
fn init_from_codeowners_gives_the_plan_to_the_team_that_owns_the_most_files() {
    let repo = Repo::new();
    repo.write(
        ".github/CODEOWNERS",
        "/docs/        @acme/alpha\n/ci/          @acme/alpha\n/clusters/    @acme/storage\n",
    );
    for f in [
        "clusters/a/pv.yaml",
        "clusters/b/pv.yaml",
        "clusters/c/pv.yaml",
        "docs/x.md",
    ] {
        repo.write(f, "x: 1\n");
    }
    repo.commit_all("files");
    let r = init_in(&repo, &["--from-codeowners"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("       /incident-response/ @acme/storage\n"),
        "{}",
        r.stdout
    );
    assert!(
        repo.read("incident-response/plan.yaml")
            .contains("  owner: storage\n"),
        "{}",
        repo.read("incident-response/plan.yaml")
    );
}

#[test]
fn init_never_suggests_a_line_that_takes_files_from_their_owners() {
    let repo = Repo::new();
    // Runbooks under the plan directory already have owners; the plan file has none. A line
    // for the whole directory, appended last, would silently take the runbooks from them.
    repo.write(
        ".github/CODEOWNERS",
        "/incident-response/runbooks/   @acme/docs\n/src/   @acme/core\n",
    );
    repo.write("incident-response/runbooks/restore.md", "# restore\n");
    repo.write("src/main.rs", "fn main() {}\n");
    repo.write("src/lib.rs", "\n");
    repo.commit_all("files");
    let r = init_in(&repo, &["--from-codeowners"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("       /incident-response/plan.yaml @acme/core\n"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("/incident-response/ @"), "{}", r.stdout);
}

#[test]
fn quiet_and_format_are_offered_only_where_they_do_something() {
    let help = |args: &[&str]| run(plancheck().args(args).arg("--help")).stdout;
    for cmd in ["check", "test", "github"] {
        assert!(help(&[cmd]).contains("-q, --quiet"), "{cmd}");
    }
    for cmd in [
        "parse",
        "owners",
        "rules",
        "explain",
        "init",
        "schema",
        "completions",
    ] {
        assert!(
            !help(&[cmd]).contains("--quiet"),
            "{cmd}:\n{}",
            help(&[cmd])
        );
    }
    for cmd in [
        "parse",
        "explain",
        "init",
        "schema",
        "completions",
        "github",
    ] {
        assert!(
            !help(&[cmd]).contains("--format"),
            "{cmd}:\n{}",
            help(&[cmd])
        );
    }
    assert!(!help(&[]).contains("--quiet"), "{}", help(&[]));
    let r = run(plancheck().args(["explain", "-q", "threat-owner"]));
    assert_eq!(r.code, 2, "-q is refused where it means nothing");
}
