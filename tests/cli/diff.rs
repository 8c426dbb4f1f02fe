//! Diff mode (`check --base`) on real git histories built with git2.

use crate::common::*;

const AREAS: &str = "incident-response/areas.yaml";
const HUMAN: &str = "incident-response/threats/human-error.yaml";
const MALICIOUS: &str = "incident-response/threats/malicious.yaml";

/// The demo committed on `main`, then a `feature` branch checked out.
fn demo_on_branch() -> Repo {
    let repo = Repo::from_fixture("demo");
    branch(&repo, "main");
    checkout_new(&repo, "feature");
    repo
}

pub(crate) fn branch(repo: &Repo, name: &str) {
    let head = repo
        .repo
        .head()
        .expect("head")
        .peel_to_commit()
        .expect("commit");
    repo.repo.branch(name, &head, true).expect("branch");
}

pub(crate) fn checkout_new(repo: &Repo, name: &str) {
    branch(repo, name);
    repo.repo
        .set_head(&format!("refs/heads/{name}"))
        .expect("set head");
}

/// The demo with THR-001's owner removed, committed on `main`, then a branch checked out:
/// a plan with one existing finding (threat-owner at human-error.yaml:10).
fn imperfect_demo_on_branch() -> Repo {
    let repo = Repo::from_fixture("demo");
    repo.edit(HUMAN, "    owner: erin\n", "    x-owner: erin\n");
    repo.commit_all("an imperfect plan");
    branch(&repo, "main");
    checkout_new(&repo, "feature");
    repo
}

fn diff_json(repo: &Repo, extra: &[&str]) -> (i32, serde_json::Value, String) {
    check_json(repo.path(), &[&["--base", "main"], extra].concat())
}

/// The message of the run's `policy-changed` finding (panics when there is none).
fn policy_changed(json: &serde_json::Value) -> String {
    let f = json["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["rule"] == "policy-changed"))
        .unwrap_or_else(|| panic!("no policy-changed finding: {json}"));
    f["message"].as_str().unwrap_or("").to_string()
}

/// (status, rule, path:line, in_diff) of every finding.
pub(crate) fn statuses(json: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            format!(
                "{} {} {}:{} {}",
                f["status"].as_str().unwrap_or("-"),
                f["rule"].as_str().unwrap_or("?"),
                f["location"]["path"].as_str().unwrap_or("?"),
                f["location"]["line"],
                f["in_diff"]
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_change_that_adds_a_violation_has_a_new_finding_on_the_changed_line_and_fails() {
    let repo = demo_on_branch();
    repo.edit(HUMAN, "    owner: erin\n", "    x-owner: erin\n");
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        statuses(&json),
        vec![format!("new threat-owner {HUMAN}:16 true")],
        "the finding moves from the threat's first line to the line the change touched"
    );
    assert_eq!(json["summary"]["new"], 1);
    assert_eq!(json["summary"]["new_errors"], 1);
    assert_eq!(json["summary"]["fixed"], 0);
    assert_eq!(json["diff"]["filter_mode"], "added");
    let changes: Vec<&str> = json["diff"]["plan_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["text"].as_str())
        .collect();
    assert_eq!(changes, vec!["threat THR-001: owner erin → (none)"]);
    let owners = &json["diff"]["changed_files"][0];
    assert_eq!(owners["path"], HUMAN);
    assert!(
        owners["owners"].as_array().is_some_and(|o| !o.is_empty()),
        "{owners}"
    );
}

#[test]
fn a_change_that_fixes_a_violation_lists_it_as_fixed_and_passes() {
    let repo = imperfect_demo_on_branch();
    repo.edit(HUMAN, "    x-owner: erin\n", "    owner: erin\n");
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        statuses(&json),
        vec![format!("fixed threat-owner {HUMAN}:10 false")]
    );
    assert_eq!(
        json["summary"]["errors"], 0,
        "fixed findings are not counted at head"
    );
}

#[test]
fn existing_findings_do_not_fail_the_gate_unless_asked() {
    let repo = imperfect_demo_on_branch();
    repo.edit(
        MALICIOUS,
        "apiVersion: plancheck.dev/v1\n",
        "apiVersion: plancheck.dev/v1\n# reviewed in the Q4 game day\n",
    );
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 0, "only existing findings: {stderr}");
    assert_eq!(
        statuses(&json),
        vec![format!("existing threat-owner {HUMAN}:10 false")]
    );
    let (code, _, _) = diff_json(&repo, &["--fail-on-existing"]);
    assert_eq!(code, 1);
}

#[test]
fn moving_a_threat_to_another_file_keeps_its_findings_existing() {
    let repo = imperfect_demo_on_branch();
    let human = repo.read(HUMAN);
    let start = human.find("  - id: THR-001").expect("THR-001");
    let end = human.find("  - id: THR-002").expect("THR-002");
    let threat = human[start..end].to_string();
    repo.write(HUMAN, format!("{}{}", &human[..start], &human[end..]));
    let malicious = repo.read(MALICIOUS);
    repo.write(MALICIOUS, format!("{}\n{threat}", malicious.trim_end()));
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 0, "{stderr}");
    let s = statuses(&json);
    assert_eq!(s.len(), 1, "{s:?}");
    assert!(
        s[0].starts_with(&format!("existing threat-owner {MALICIOUS}:")),
        "{s:?}"
    );
    let changes = json["diff"]["plan_changes"].as_array().map_or(0, Vec::len);
    assert_eq!(changes, 0, "a move is not a change of the plan: {json}");
}

const CONTACTS: &str = "incident-response/contacts.yaml";
const TEAMS: &str = "incident-response/teams.yaml";
const ESCALATION: &str = "incident-response/escalation.yaml";

#[test]
fn findings_whose_message_names_an_order_or_a_position_stay_existing() {
    // On main, mgr-delivery is inactive: findings on ep-delivery's level 2 and on the
    // delivery and leadership teams, with level numbers and member lists in their messages.
    let repo = Repo::from_fixture("demo");
    repo.edit(
        CONTACTS,
        "  - id: mgr-delivery\n",
        "  - id: mgr-delivery\n    active: false\n",
    );
    repo.commit_all("mgr-delivery leaves");
    branch(&repo, "main");
    checkout_new(&repo, "feature");
    let (_, before, _) = check_json(repo.path(), &[]);
    let before = before["findings"].as_array().map_or(0, Vec::len);
    assert!(before >= 2, "the base needs findings to keep: {before}");
    // The change inserts a level before mgr-delivery's (now level 3) and reorders lists.
    repo.edit(
        ESCALATION,
        "      - {tier: management, targets: [mgr-delivery], after_minutes: 20}\n",
        "      - {tier: responder, targets: [omar], after_minutes: 10}\n      - {tier: management, targets: [mgr-delivery], after_minutes: 20}\n",
    );
    repo.edit(
        TEAMS,
        "members: [nora, omar, pia, mgr-delivery]",
        "members: [mgr-delivery, pia, omar, nora]",
    );
    repo.edit(
        TEAMS,
        "rotation: [dir-platform, mgr-security, mgr-delivery]",
        "rotation: [mgr-delivery, dir-platform, mgr-security]",
    );
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 0, "{stderr}");
    let s = statuses(&json);
    assert_eq!(s.len(), before, "{s:?}");
    assert!(s.iter().all(|x| x.starts_with("existing ")), "{s:?}");
}

#[test]
fn reordering_waivers_keeps_an_expired_waiver_existing() {
    let repo = Repo::from_fixture("demo");
    let expired = "  - rule: threat-owner\n    target: THR-001\n    reason: old exemption\n    expires: 2020-01-01\n";
    let text = repo.read(ESCALATION);
    repo.write(ESCALATION, format!("{}\n{expired}", text.trim_end()));
    repo.commit_all("an expired waiver");
    branch(&repo, "main");
    checkout_new(&repo, "feature");
    let text = repo.read(ESCALATION);
    let at = text.find("waivers:\n").expect("waivers") + "waivers:\n".len();
    let rest = text[at..].replacen(expired, "", 1);
    repo.write(ESCALATION, format!("{}{expired}{rest}", &text[..at]));
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 0, "{stderr}");
    let s = statuses(&json);
    assert_eq!(s.len(), 1, "{s:?}");
    assert!(s[0].starts_with("existing waiver-expired "), "{s:?}");
}

#[test]
fn a_duplicate_added_elsewhere_is_new_and_the_old_duplicate_stays_existing() {
    let dup = |title: &str| {
        format!("\n  - id: THR-001\n    title: {title}\n    source: malicious_actor\n    area: k8s-storage\n    severity: SEV3\n    owner: erin\n")
    };
    let repo = Repo::from_fixture("demo");
    let text = repo.read(MALICIOUS);
    repo.write(MALICIOUS, format!("{}\n{}", text.trim_end(), dup("Second")));
    repo.commit_all("a duplicate id");
    branch(&repo, "main");
    checkout_new(&repo, "feature");
    let text = repo.read(HUMAN);
    repo.write(HUMAN, format!("{}\n{}", text.trim_end(), dup("Third")));
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 1, "{stderr}");
    let s = statuses(&json);
    let unique: Vec<&String> = s.iter().filter(|x| x.contains(" unique-id ")).collect();
    assert_eq!(unique.len(), 2, "{s:?}");
    assert!(
        unique
            .iter()
            .any(|x| x.starts_with(&format!("existing unique-id {MALICIOUS}:"))),
        "the duplicate main already had stays existing: {s:?}"
    );
    assert!(
        unique
            .iter()
            .any(|x| x.starts_with(&format!("new unique-id {HUMAN}:")) && x.ends_with(" true")),
        "the added duplicate is new, on the added lines: {s:?}"
    );
}

#[test]
fn a_head_that_breaks_the_schema_fixes_nothing_it_did_not_check() {
    let repo = imperfect_demo_on_branch();
    repo.edit(HUMAN, "    severity: SEV1\n", "    severity: SEV9\n");
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 1, "{stderr}");
    let s = statuses(&json);
    assert!(
        !s.iter().any(|l| l.starts_with("fixed ")),
        "no rule ran at head, so nothing is fixed: {s:?}"
    );
    assert!(s.iter().any(|l| l.starts_with("new plan-schema ")), "{s:?}");
}

#[test]
fn a_base_that_breaks_the_schema_makes_every_finding_new_and_says_so() {
    let repo = Repo::from_fixture("demo");
    repo.edit(HUMAN, "    severity: SEV1\n", "    severity: SEV9\n");
    repo.commit_all("a broken plan");
    branch(&repo, "main");
    checkout_new(&repo, "feature");
    repo.edit(HUMAN, "    severity: SEV9\n", "    severity: SEV1\n");
    repo.edit(HUMAN, "    owner: erin\n", "    x-owner: erin\n");
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 1, "{stderr}");
    let s = statuses(&json);
    assert!(
        s.iter().any(|l| l.starts_with("new threat-owner ")),
        "{s:?}"
    );
    assert!(
        s.iter().any(|l| l.starts_with("fixed plan-schema ")),
        "{s:?}"
    );
    let human = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--base", "main"]));
    assert!(
        human
            .stdout
            .contains("the base does not match the schema, so its rules did not run there"),
        "{}",
        human.stdout
    );
}

#[test]
fn annotations_and_junit_follow_the_filter_and_the_gate() {
    let repo = imperfect_demo_on_branch();
    repo.edit(MALICIOUS, "    owner: ", "    x-owner: ");
    let out = |format: &str, extra: &[&str]| {
        run(plancheck()
            .arg("check")
            .arg(repo.path())
            .args(["--base", "main", "--format", format])
            .args(extra))
    };
    let github = out("github", &[]);
    assert_eq!(github.code, 1, "{}", github.stderr);
    let lines: Vec<&str> = github.stdout.lines().collect();
    assert!(
        lines[0].starts_with(&format!("::error file={MALICIOUS},line="))
            && lines[0].contains("(new)"),
        "the new finding is annotated on its line: {lines:?}"
    );
    assert!(
        !github.stdout.contains("(existing)"),
        "the existing finding outside the diff is left to the summary: {lines:?}"
    );
    assert!(
        lines.last().is_some_and(|l| l.starts_with(
            "plancheck: 1 new error (1 new, 1 existing, 0 fixed, 1 suppressed) comparing main"
        )),
        "{lines:?}"
    );
    // With nofilter every finding is in scope, existing ones included.
    let all = out("github", &["--filter-mode", "nofilter"]);
    assert!(all.stdout.contains("(existing)"), "{}", all.stdout);

    let junit = out("junit", &[]);
    assert!(junit.stdout.contains("failures=\"1\""), "{}", junit.stdout);
    assert!(
        junit
            .stdout
            .contains("<skipped message=\"existing: not introduced by this change\"/>"),
        "{}",
        junit.stdout
    );
    let strict = out("junit", &["--fail-on-existing"]);
    assert_eq!(strict.code, 1);
    assert!(
        strict.stdout.contains("failures=\"2\""),
        "{}",
        strict.stdout
    );
}

#[test]
fn findings_in_a_new_untracked_plan_file_are_on_added_lines() {
    let repo = demo_on_branch();
    repo.write(
        "incident-response/new.yaml",
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nthreats:\n  - id: THR-900\n    title: A new threat\n    source: human_error\n    area: k8s-storage\n    severity: SEV3\n    owner: nobody\n",
    );
    let (code, json, stderr) = diff_json(&repo, &["--filter-mode", "added"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        statuses(&json),
        vec!["new threat-owner incident-response/new.yaml:9 true".to_string()]
    );
}

#[test]
fn a_change_that_moves_the_plan_and_its_plans_setting_is_checked_where_it_moved() {
    let repo = imperfect_demo_on_branch();
    let from = repo.path().join("incident-response");
    let to = repo.path().join("ops/plan");
    std::fs::create_dir_all(repo.path().join("ops")).expect("mkdir");
    std::fs::rename(&from, &to).expect("move");
    repo.write(
        ".plancheck.toml",
        "plans = [\"ops/plan/**/*.yaml\", \"ops/plan/**/*.json\"]\n",
    );
    repo.add_all();
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 0, "{stderr}");
    let s = statuses(&json);
    assert!(
        s.iter()
            .any(|l| l.starts_with("existing threat-owner ops/plan/threats/human-error.yaml:")),
        "the moved plan is checked and its finding kept: {s:?}"
    );
    assert!(s.iter().any(|l| l.contains(" policy-changed ")), "{s:?}");
}

#[test]
fn renaming_a_plan_file_is_followed() {
    let repo = demo_on_branch();
    let text = repo.read(MALICIOUS);
    std::fs::remove_file(repo.path().join(MALICIOUS)).expect("rm");
    repo.write("incident-response/threats/attacks.yaml", text);
    repo.commit_all("rename");
    let (code, json, stderr) = check_json(
        repo.path(),
        &["--base", "main", "--rev", "HEAD", "--filter-mode", "file"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json["findings"], serde_json::json!([]));
    let files = json["diff"]["changed_files"].as_array().expect("files");
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0]["path"], "incident-response/threats/attacks.yaml");
    assert_eq!(files[0]["renamed_from"], MALICIOUS);
}

#[test]
fn a_contact_removed_from_an_area_is_placed_on_the_area_and_counted() {
    let repo = demo_on_branch();
    let areas = repo.read(AREAS);
    let block = areas.replacen(
        "    contacts: [erin, farid, gus]\n",
        "    contacts:\n      - erin\n      - farid\n",
        1,
    );
    repo.write(AREAS, &block);
    repo.commit_all("block style");
    branch(&repo, "main");
    repo.edit(AREAS, "      - erin\n      - farid\n", "      - erin\n");
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 1, "{stderr}");
    let lines: Vec<&str> = block.lines().collect();
    let erin = lines
        .iter()
        .position(|l| *l == "      - erin")
        .expect("erin line") as u64
        + 1;
    assert_eq!(
        statuses(&json),
        vec![format!("new area-min-contacts {AREAS}:{erin} true")],
        "placed on the surviving line next to the deleted contact"
    );
    assert!(json["diff"]["plan_changes"][0]["text"]
        .as_str()
        .is_some_and(|t| t == "area k8s-storage: contact farid removed"));
}

#[test]
fn filter_modes_decide_line_level_treatment_as_reviewdog_does() {
    let repo = imperfect_demo_on_branch();
    // A change near the end of the same file: line 10 is outside its hunk.
    let text = repo.read(HUMAN);
    repo.write(HUMAN, format!("{text}# end of human-error threats\n"));
    for (mode, in_diff) in [
        ("added", false),
        ("diff_context", false),
        ("file", true),
        ("nofilter", true),
    ] {
        let (_, json, stderr) = diff_json(&repo, &["--filter-mode", mode]);
        assert_eq!(
            json["findings"][0]["in_diff"],
            serde_json::json!(in_diff),
            "{mode}: {stderr}"
        );
    }
    // A finding in a file the change did not touch is only reported with nofilter.
    let repo2 = imperfect_demo_on_branch();
    repo2.edit(MALICIOUS, "apiVersion", "# x\napiVersion");
    for (mode, in_diff) in [("file", false), ("nofilter", true)] {
        let (_, json, _) = diff_json(&repo2, &["--filter-mode", mode]);
        assert_eq!(
            json["findings"][0]["in_diff"],
            serde_json::json!(in_diff),
            "{mode}"
        );
    }
}

#[test]
fn editing_codeowners_reports_owners_added_and_removed() {
    let repo = demo_on_branch();
    repo.edit(
        ".github/CODEOWNERS",
        "/incident-response/                 @kestrel/platform-sre @priya-raman @marcus-oyelaran",
        "/incident-response/                 @kestrel/platform-sre @priya-raman @new-lead",
    );
    let (_, json, stderr) = diff_json(&repo, &[]);
    let co = &json["diff"]["codeowners"];
    assert_eq!(co["path"], ".github/CODEOWNERS", "{stderr} {json}");
    assert_eq!(co["owners_added"], serde_json::json!(["@new-lead"]));
    assert_eq!(
        co["owners_removed"],
        serde_json::json!(["@marcus-oyelaran"])
    );
    let md = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--base", "main", "--format", "markdown"]));
    assert!(
        md.stdout
            .contains("### This change edits `.github/CODEOWNERS`"),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout.contains("- Owners added: `@new-lead`"),
        "{}",
        md.stdout
    );
}

#[test]
fn the_merge_base_form_compares_with_where_the_branch_started() {
    let repo = demo_on_branch();
    // The feature branch adds a violation.
    repo.edit(HUMAN, "    owner: erin\n", "    x-owner: erin\n");
    let feature = repo.commit_all("feature: drop an owner");
    // Meanwhile main gets its own violation, which the feature branch does not have.
    let main_commit = repo
        .repo
        .find_branch("main", git2::BranchType::Local)
        .expect("main")
        .get()
        .peel_to_commit()
        .expect("commit");
    repo.repo
        .set_head_detached(main_commit.id())
        .expect("detach");
    repo.repo
        .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .expect("checkout main");
    repo.edit(MALICIOUS, "    owner: ", "    x-owner: ");
    let main_tip = repo.commit_all("main: drop another owner");
    repo.repo
        .branch("main", &repo.repo.find_commit(main_tip).expect("c"), true)
        .expect("move main");
    repo.repo.set_head("refs/heads/feature").expect("feature");
    repo.repo
        .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .expect("checkout feature");
    assert_eq!(
        repo.repo
            .head()
            .expect("h")
            .peel_to_commit()
            .expect("c")
            .id(),
        feature
    );
    let (_, json, _) = check_json(repo.path(), &["--base", "main...", "--rev", "HEAD"]);
    let s = statuses(&json);
    assert!(
        s.iter().all(|l| !l.starts_with("fixed")),
        "merge base: nothing fixed {s:?}"
    );
    assert!(s.iter().any(|l| l.starts_with("new threat-owner")), "{s:?}");
    let (_, json, _) = check_json(repo.path(), &["--base", "main", "--rev", "HEAD"]);
    let s = statuses(&json);
    assert!(
        s.iter()
            .any(|l| l.starts_with("fixed threat-owner incident-response/threats/malicious.yaml")),
        "against main's tip, main's own violation looks fixed: {s:?}"
    );
}

#[test]
fn a_missing_base_commit_in_a_full_clone_says_to_fetch_that_commit() {
    let repo = demo_on_branch();
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--base", "0123456789abcdef0123456789abcdef01234567"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("base revision `0123456789abcdef0123456789abcdef01234567` not found"),
        "{}",
        r.stderr
    );
    // A full clone lacks that one commit: fetch it (fetch-depth is for shallow clones).
    assert!(
        r.stderr
            .contains("fetch it (`git fetch origin 0123456789abcdef0123456789abcdef01234567`)"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("fetch-depth"), "{}", r.stderr);
}

#[test]
fn a_shallow_clone_without_the_base_is_a_clear_error() {
    let origin = demo_on_branch();
    origin.edit(HUMAN, "    owner: erin\n", "    x-owner: erin\n");
    origin.commit_all("feature");
    let base = origin
        .repo
        .find_branch("main", git2::BranchType::Local)
        .expect("main")
        .get()
        .peel_to_commit()
        .expect("commit")
        .id()
        .to_string();
    let dir = tempfile::tempdir().expect("tempdir");
    let clone = dir.path().join("clone");
    let status = std::process::Command::new("git")
        .args(["clone", "--quiet", "--depth", "1", "--branch", "feature"])
        .arg(format!("file://{}", origin.path().display()))
        .arg(&clone)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir.path())
        .status()
        .expect("git clone");
    assert!(status.success());
    let r = run(plancheck().arg("check").arg(&clone).args(["--base", &base]));
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("fetch-depth: 0"), "{}", r.stderr);
}

#[test]
fn diff_mode_works_in_a_bare_clone_between_two_revisions() {
    let origin = demo_on_branch();
    origin.edit(HUMAN, "    owner: erin\n", "    x-owner: erin\n");
    origin.commit_all("feature");
    let dir = tempfile::tempdir().expect("tempdir");
    let bare = dir.path().join("bare.git");
    git2::build::RepoBuilder::new()
        .bare(true)
        .clone(&format!("file://{}", origin.path().display()), &bare)
        .expect("bare clone");
    let (code, json, stderr) = check_json(&bare, &["--base", "origin/main", "--rev", "HEAD"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        statuses(&json),
        vec![format!("new threat-owner {HUMAN}:16 true")]
    );
}

fn custom_on_branch() -> Repo {
    let repo = Repo::from_fixture("custom-policy");
    branch(&repo, "main");
    checkout_new(&repo, "feature");
    repo
}

#[test]
fn deleting_the_failing_rule_does_not_let_a_change_pass() {
    let repo = custom_on_branch();
    // The change adds a SEV1 threat without a runbook, and deletes the rule that catches it.
    repo.edit("incident-response/plan.yaml",
        "waivers:\n",
        "  - {id: THR-5, title: Etcd quorum loss, source: infrastructure, area: k8s-storage, severity: SEV1, high_profile: false, owner: ana}\nwaivers:\n",
    );
    std::fs::remove_file(repo.path().join("policies/sev1.rego")).expect("rm");
    std::fs::remove_file(repo.path().join("policies/sev1_test.rego")).expect("rm");
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 1, "judged by the base's rules: {stderr}");
    let s = statuses(&json);
    assert!(
        s.iter()
            .any(|l| l.starts_with("new sev1-runbook incident-response/plan.yaml")),
        "{s:?}"
    );
    let msg = policy_changed(&json);
    assert!(
        msg.contains("policies/sev1.rego (owners: @ana-ng @cho-ito)"),
        "{msg}"
    );
    assert!(
        json["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|f| f["rule"] == "policy-changed" && f["severity"] == "warning"),
        "{json}"
    );
    // Trusting the change itself, the deleted rule no longer runs.
    let (_, json, _) = diff_json(&repo, &["--trusted-policies", "head"]);
    let s = statuses(&json);
    assert!(!s.iter().any(|l| l.contains("sev1-runbook")), "{s:?}");
}

#[test]
fn a_data_file_change_is_judged_by_the_base_data_and_reported() {
    let repo = custom_on_branch();
    // The change loosens the data the storage rule reads, to make its finding go away.
    repo.edit(
        "policy-data/storage.yaml",
        "min_timezones: 2",
        "min_timezones: 1",
    );
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 0, "{stderr}");
    let s = statuses(&json);
    assert!(
        s.iter()
            .any(|l| l.starts_with("existing storage-two-timezones ")),
        "the base's data still judges: {s:?}"
    );
    let msg = policy_changed(&json);
    assert!(msg.contains("policy-data/storage.yaml"), "{msg}");
}

#[test]
fn a_config_file_passed_with_config_is_read_from_the_base() {
    let repo = Repo::from_fixture("demo");
    repo.write("ci/plancheck.toml", "# the team's CI configuration\n");
    repo.commit_all("CI configuration");
    branch(&repo, "main");
    checkout_new(&repo, "feature");
    // The change breaks a threat and switches the rule off in the file CI passes.
    repo.edit(HUMAN, "    owner: erin\n", "    owner: nobody\n");
    repo.write(
        "ci/plancheck.toml",
        "[rules.threat-owner]\ndisable = true\n",
    );
    let config = repo.path().join("ci/plancheck.toml");
    let config = config.to_str().expect("utf-8 path");
    let (code, json, stderr) = diff_json(&repo, &["--config", config]);
    assert_eq!(code, 1, "{stderr}");
    let s = statuses(&json);
    assert!(
        s.iter().any(|l| l.starts_with("new threat-owner ")),
        "{s:?}"
    );
    let msg = policy_changed(&json);
    assert!(msg.contains("ci/plancheck.toml"), "{msg}");
    // Trusting the change, its configuration applies.
    let (code, _, stderr) = diff_json(&repo, &["--config", config, "--trusted-policies", "head"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn adding_an_exception_does_not_let_a_change_pass() {
    let repo = custom_on_branch();
    repo.edit("incident-response/plan.yaml",
        "waivers:\n",
        "  - {id: THR-5, title: Etcd quorum loss, source: infrastructure, area: k8s-storage, severity: SEV1, high_profile: false, owner: ana}\nwaivers:\n",
    );
    repo.write(
        "policies/exceptions.rego",
        "package plancheck.exceptions\n\nexception contains \"sev1-runbook\" if { true }\n",
    );
    repo.write(
        ".plancheck.toml",
        "policies = [\"policies\"]\ndata = [\"policy-data/storage.yaml\"]\nfail-on = \"never\"\n",
    );
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 1, "base policies and base configuration: {stderr}");
    assert!(statuses(&json)
        .iter()
        .any(|l| l.starts_with("new sev1-runbook")));
    let msg = policy_changed(&json);
    assert!(
        msg.contains(".plancheck.toml") && msg.contains("policies/exceptions.rego"),
        "{msg}"
    );
}

#[test]
fn markdown_and_json_reports_of_a_change_are_stable() {
    let repo = demo_on_branch();
    repo.edit(HUMAN, "    owner: erin\n", "    owner: bob\n");
    repo.edit(HUMAN, "    severity: SEV1\n", "    severity: SEV2\n");
    repo.edit(MALICIOUS, "    owner: ", "    x-owner: ");
    repo.commit_all("feature");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--base", "main", "--rev", "HEAD", "--format", "markdown"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let base = repo
        .repo
        .find_branch("main", git2::BranchType::Local)
        .expect("main")
        .get()
        .peel_to_commit()
        .expect("c")
        .id()
        .to_string();
    let head = repo
        .repo
        .head()
        .expect("h")
        .peel_to_commit()
        .expect("c")
        .id()
        .to_string();
    let redactions = crate::support::redact::Redact::new()
        .commit(&base, "[BASE]")
        .commit(&head, "[HEAD]");
    let redact = |s: &str| redactions.apply(s);
    insta::assert_snapshot!("diff_markdown", redact(&r.stdout));
    let (_, json, _) = check_json(repo.path(), &["--base", "main", "--rev", "HEAD"]);
    insta::assert_snapshot!(
        "diff_json",
        redact(&serde_json::to_string_pretty(&json).expect("json"))
    );
}

#[test]
fn a_change_of_the_plan_owners_in_codeowners_is_called_out_in_the_comment() {
    let repo = demo_on_branch();
    repo.edit(
        ".github/CODEOWNERS",
        "/incident-response/threats/         @kestrel/platform-sre @kestrel/security @ravi-menon",
        "/incident-response/threats/         @kestrel/delivery",
    );
    let (_, json, stderr) = diff_json(&repo, &[]);
    let changes = &json["diff"]["codeowners"]["plan_owners"];
    assert_eq!(
        changes,
        &serde_json::json!([{
            "scope": "incident-response/threats/",
            "paths": [
                "incident-response/threats/human-error.yaml",
                "incident-response/threats/malicious.yaml",
                "incident-response/threats/supply-chain.json"
            ],
            "before": ["@kestrel/platform-sre", "@kestrel/security", "@ravi-menon"],
            "after": ["@kestrel/delivery"]
        }]),
        "{stderr} {json}"
    );
    let md = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--base", "main", "--format", "markdown"]));
    assert!(
        md.stdout.contains(
            "> **CODEOWNERS:** owners of `incident-response/threats/` changed `@kestrel/platform-sre` `@kestrel/security` `@ravi-menon` → `@kestrel/delivery`"
        ),
        "{}",
        md.stdout
    );
    let human = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--base", "main"]));
    assert!(
        human.stdout.contains(
            "CODEOWNERS: owners of incident-response/threats/ changed @kestrel/platform-sre @kestrel/security @ravi-menon → @kestrel/delivery"
        ),
        "{}",
        human.stdout
    );
    // An edit that leaves the plan's owners alone calls out nothing.
    repo.edit(".github/CODEOWNERS", "/images/ ", "/images/x/ ");
    let (_, json, _) = diff_json(&repo, &[]);
    assert_eq!(
        json["diff"]["codeowners"]["plan_owners"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

/// The plan changes of a diff-mode run, as texts.
fn plan_changes(json: &serde_json::Value) -> Vec<String> {
    json["diff"]["plan_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["text"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn editing_a_threats_description_is_a_plan_change() {
    // The semantic diff compares every field the schema defines, not a list of its own.
    let repo = Repo::from_fixture("demo");
    repo.edit(
        HUMAN,
        "    owner: erin\n",
        "    owner: erin\n    description: Snapshots are taken hourly\n",
    );
    repo.commit_all("describe THR-001");
    branch(&repo, "main");
    checkout_new(&repo, "feature");
    repo.edit(
        HUMAN,
        "    description: Snapshots are taken hourly\n",
        "    description: Snapshots are taken every 15 minutes\n",
    );
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        plan_changes(&json),
        vec!["threat THR-001: description: Snapshots are taken [-hourly-]{+every 15 minutes+}"]
    );
}

#[test]
fn an_empty_escalation_policy_inherits_and_the_plan_change_agrees_with_the_check() {
    // `escalation_policy: ""` counts as not set: THR-001 inherits its area's team's policy
    // (ep-storage, which reaches the CTO), so the check passes, and the PR comment must not
    // claim the threat lost the executive tier.
    let repo = demo_on_branch();
    repo.edit(
        HUMAN,
        "    owner: erin\n",
        "    owner: erin\n    escalation_policy: \"\"\n",
    );
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 0, "the check passes: {stderr}");
    assert!(statuses(&json).is_empty(), "{:?}", statuses(&json));
    let changes = plan_changes(&json);
    assert!(
        !changes.iter().any(|c| c.contains("executive tier")),
        "the semantic diff judges the executive tier as the rule does: {changes:?}"
    );
    assert_eq!(
        changes,
        vec!["threat THR-001: escalation_policy (none) → "],
        "the field edit itself is still shown"
    );
}

#[test]
fn a_threat_that_really_loses_the_executive_tier_says_so_with_the_rules_finding() {
    let repo = demo_on_branch();
    repo.edit(
        AREAS.replace("areas.yaml", "escalation.yaml").as_str(),
        "      - {tier: executive, targets: [cto], after_minutes: 40}\n",
        "",
    );
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        statuses(&json)
            .iter()
            .any(|s| s.starts_with("new high-profile-executive")),
        "{:?}",
        statuses(&json)
    );
    let changes = plan_changes(&json);
    assert!(
        changes
            .iter()
            .any(|c| c
                == "high-profile threat THR-001 no longer reaches the executive tier (was cto)"),
        "{changes:?}"
    );
}

#[test]
fn an_executive_level_that_pages_no_executive_loses_the_tier_for_every_threat_using_it() {
    // high-profile-executive places this finding on the policy's level: the plan change names
    // each high-profile threat that the policy applies to (per input.facts.escalation).
    let repo = demo_on_branch();
    repo.edit(
        "incident-response/escalation.yaml",
        "      - {tier: executive, targets: [cto], after_minutes: 40}\n",
        "      - {tier: executive, targets: [dir-platform], after_minutes: 40}\n",
    );
    let (code, json, stderr) = diff_json(&repo, &[]);
    assert_eq!(code, 1, "{stderr}");
    let changes = plan_changes(&json);
    assert!(
        changes
            .iter()
            .any(|c| c
                == "high-profile threat THR-001 no longer reaches the executive tier (was cto)"),
        "{changes:?}"
    );
}
