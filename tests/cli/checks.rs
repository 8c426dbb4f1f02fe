//! The demo passes clean; each broken fixture trips exactly the rules it is meant to, at the right lines.

use crate::common::*;

#[test]
fn demo_repository_passes_clean_with_its_waived_finding_listed() {
    let repo = Repo::from_fixture("demo");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--color", "never"]));
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("plancheck: no findings (1 suppressed) in "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "waived at incident-response/escalation.yaml:76 until 2027-10-31: Rosa and Sam on leave"
        ),
        "{}",
        r.stdout
    );
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json["findings"], serde_json::json!([]));
    assert_eq!(
        json["summary"],
        serde_json::json!({"errors": 0, "warnings": 0, "suppressed": 1})
    );
    let waived = &json["suppressed"][0];
    assert_eq!(waived["rule"], "area-min-contacts");
    assert_eq!(waived["location"]["path"], "incident-response/areas.yaml");
    assert_eq!(waived["location"]["line"], 105);
    assert_eq!(waived["suppressed"]["kind"], "waiver");
    assert_eq!(waived["suppressed"]["expires"], "2027-10-31");
    assert_eq!(waived["suppressed"]["location"]["line"], 76);
}

#[test]
fn demo_is_large_enough_to_be_realistic() {
    let repo = Repo::from_fixture("demo");
    let r = run(plancheck().arg("parse").arg(repo.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let count = |k: &str| doc["plan"][k].as_array().map_or(0, Vec::len);
    assert!(count("teams") >= 6, "teams {}", count("teams"));
    assert!(count("contacts") >= 20);
    assert!(count("areas") >= 8);
    assert!(count("threats") >= 25);
    let sources: std::collections::BTreeSet<&str> = doc["plan"]["threats"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["source"].as_str())
        .collect();
    assert!(
        sources.contains("human_error") && sources.contains("malicious"),
        "{sources:?}"
    );
    assert_eq!(doc["codeowners"]["path"], ".github/CODEOWNERS");
}

#[test]
fn demo_runs_in_place_inside_this_repository() {
    // The README's demo command: the fixture directory is the root being checked.
    let dir = fixtures().join("demo");
    let r = run(plancheck().arg("check").arg(&dir));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

fn broken_fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures().join("broken"))
        .expect("fixtures/broken")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("expected.txt").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn expected(name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixtures().join("broken").join(name).join("expected.txt"))
        .expect("expected.txt");
    let mut v: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

#[test]
fn every_builtin_rule_has_a_broken_fixture() {
    let names = broken_fixtures();
    let r = run(plancheck().args(["rules", "--format", "json"]));
    let rules: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let tripped: std::collections::BTreeSet<String> = names
        .iter()
        .flat_map(|n| expected(n))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    for rule in rules.as_array().expect("array") {
        let id = rule["id"].as_str().expect("id");
        if id == "policy-changed" || id == "waiver-added" {
            continue; // diff-mode rules: tests/cli/diff.rs and attacks.rs trip them on real commits
        }
        if id == "team-members-drift" {
            continue; // online only: tests/cli/github_owners.rs trips it against the GitHub stand-in
        }
        assert!(tripped.contains(id), "no broken fixture trips `{id}`");
    }
}

#[test]
fn each_broken_fixture_trips_exactly_its_rules_at_the_right_lines() {
    let names = broken_fixtures();
    assert!(names.len() >= 16, "only {} broken fixtures", names.len());
    let mut failures = Vec::new();
    for name in &names {
        let repo = Repo::from_fixture(&format!("broken/{name}"));
        let (code, json, stderr) = check_json(repo.path(), &[]);
        let got = rule_lines(&json);
        let want = expected(name);
        if got != want {
            failures.push(format!(
                "{name}:\n  want {want:?}\n  got  {got:?}\n  stderr {stderr}"
            ));
            continue;
        }
        let errors = json["summary"]["errors"].as_u64().unwrap_or(0);
        let want_code = if errors > 0 { 1 } else { 0 };
        if code != want_code {
            failures.push(format!("{name}: exit {code}, want {want_code}"));
        }
        // Human output names the same rules at the same places.
        let human = run(plancheck()
            .arg("check")
            .arg(repo.path())
            .args(["--color", "never"]));
        for f in json["findings"].as_array().into_iter().flatten() {
            let rule = f["rule"].as_str().unwrap_or("");
            let sev = f["severity"].as_str().unwrap_or("");
            let path = f["location"]["path"].as_str().unwrap_or("");
            // A finding about a whole file names the file alone.
            let at = if rule == "plan-codeowned" {
                format!("--> {path}\n")
            } else {
                format!(
                    "{path}:{}:{}",
                    f["location"]["line"], f["location"]["column"]
                )
            };
            if !human.stdout.contains(&format!("{sev}[{rule}]")) || !human.stdout.contains(&at) {
                failures.push(format!(
                    "{name}: human output lacks {sev}[{rule}] at {at}:\n{}",
                    human.stdout
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn fail_on_decides_the_exit_code() {
    let repo = Repo::from_fixture("broken/plan-review-stale");
    let (code, json, _) = check_json(repo.path(), &[]);
    assert_eq!(json["summary"]["errors"], 0, "{json}");
    assert!(json["summary"]["warnings"].as_u64().unwrap_or(0) > 0);
    assert_eq!(code, 0, "warnings alone do not fail by default");
    let (code, _, _) = check_json(repo.path(), &["--fail-on", "warning"]);
    assert_eq!(code, 1);
    let repo = Repo::from_fixture("broken/threat-owner");
    let (code, _, _) = check_json(repo.path(), &["--fail-on", "never"]);
    assert_eq!(code, 0);
}

#[test]
fn human_output_is_a_rustc_style_snippet() {
    let repo = Repo::from_fixture("broken/threat-owner");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .env("NO_COLOR", "1"));
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("human_threat_owner", r.stdout);
    assert!(!r.stdout.contains('\u{1b}'), "NO_COLOR must disable colour");
    let coloured = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--color", "always"]));
    assert!(coloured.stdout.contains('\u{1b}'), "--color always colours");
}

#[test]
fn json_output_has_the_normative_shape() {
    let repo = Repo::from_fixture("broken/threat-owner");
    let (code, json, _) = check_json(repo.path(), &[]);
    assert_eq!(code, 1);
    insta::assert_json_snapshot!("json_threat_owner", json);
    for f in json["findings"].as_array().expect("findings") {
        let keys: Vec<&str> = f
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["fingerprint", "location", "message", "rule", "severity"],
            "{f}"
        );
        assert_eq!(f["fingerprint"].as_str().map(str::len), Some(16));
    }
}

#[test]
fn fingerprints_survive_reordering_and_moving_between_files() {
    let repo = Repo::from_fixture("broken/threat-owner");
    let (_, before, _) = check_json(repo.path(), &[]);
    // Move every threat into a new file, in reverse order, and prepend blank lines.
    let parse = run(plancheck().arg("parse").arg(repo.path()));
    let doc: serde_json::Value = serde_json::from_str(&parse.stdout).expect("json");
    let mut threats = doc["plan"]["threats"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    threats.reverse();
    let files: Vec<String> = doc["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["path"].as_str().map(str::to_string))
        .collect();
    let mut moved =
        serde_json::json!({"apiVersion": "plancheck.dev/v1", "kind": "IncidentResponsePlan"});
    moved["threats"] = serde_json::Value::Array(threats);
    // Rewrite: remove threats from the original files, put them all in one JSON file.
    for f in &files {
        let text = repo.read(f);
        if f.ends_with(".json") {
            let mut v: serde_json::Value = serde_json::from_str(&text).expect("json plan");
            v.as_object_mut().expect("object").remove("threats");
            repo.write(f, serde_json::to_string_pretty(&v).expect("json"));
        } else {
            let kept: Vec<&str> = strip_threats(&text);
            repo.write(f, format!("\n\n{}\n", kept.join("\n")));
        }
    }
    repo.write(
        "incident-response/zz-moved.json",
        serde_json::to_string_pretty(&moved).expect("json"),
    );
    repo.add_all();
    let (_, after, stderr) = check_json(repo.path(), &[]);
    let fps = |v: &serde_json::Value| {
        let mut x: Vec<(String, String)> = v["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap_or("").to_string(),
                    f["fingerprint"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        x.sort();
        x
    };
    assert!(!fps(&before).is_empty());
    assert_eq!(fps(&before), fps(&after), "{stderr}\n{after}");
}

/// The lines of a YAML plan file without its top-level `threats:` section.
fn strip_threats(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut skipping = false;
    for line in text.lines() {
        let top_level = !line.starts_with([' ', '-', '#']) && !line.is_empty();
        if top_level {
            skipping = line.starts_with("threats:");
        }
        if !skipping {
            out.push(line);
        }
    }
    out
}

#[test]
fn rev_reads_the_committed_plan_not_the_working_tree() {
    let repo = Repo::from_fixture("demo");
    // Break the working tree only.
    let plan = repo.read("incident-response/plan.yaml");
    repo.write(
        "incident-response/plan.yaml",
        plan.replace("kind: IncidentResponsePlan", "kind: Nope"),
    );
    let (code, json, _) = check_json(repo.path(), &[]);
    assert_eq!(code, 1, "{json}");
    let (code, json, stderr) = check_json(repo.path(), &["--rev", "HEAD"]);
    assert_eq!(code, 0, "{json}{stderr}");
    // And a missing revision is a clear error.
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--rev", "no-such-branch"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("revision `no-such-branch` not found"),
        "{}",
        r.stderr
    );
    // Not a shallow clone: the name is what is wrong, not the history.
    assert!(!r.stderr.contains("fetch-depth"), "{}", r.stderr);
    assert!(r.stderr.contains("check the name"), "{}", r.stderr);
}

#[test]
fn repository_root_is_discovered_from_a_subdirectory() {
    let repo = Repo::from_fixture("broken/threat-owner");
    let sub = repo.path().join("incident-response");
    let r = run(plancheck()
        .arg("check")
        .args(["--format", "json"])
        .current_dir(&sub));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(rule_lines(&json), expected("threat-owner"));
}

#[test]
fn untracked_plan_files_are_checked_but_untracked_area_files_do_not_count() {
    let repo = Repo::from_fixture("demo");
    // A new, untracked plan file with a threat that has no owner is still checked.
    repo.write(
        "incident-response/new.yaml",
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nthreats:\n  - id: THR-NEW\n    title: x\n    source: malicious\n    area: k8s-storage\n    severity: SEV3\n",
    );
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        rule_lines(&json)
            .iter()
            .any(|l| l.starts_with("threat-owner incident-response/new.yaml:4")),
        "{json}"
    );
    let parse = run(plancheck().arg("parse").arg(repo.path()));
    let doc: serde_json::Value = serde_json::from_str(&parse.stdout).expect("json");
    // Ownership lists tracked files only: an untracked file under an area's paths is absent.
    let areas = doc["plan"]["areas"].as_array().expect("areas");
    let first_path = areas
        .iter()
        .find_map(|a| a["paths"][0].as_str())
        .expect("an area with paths")
        .trim_start_matches('/')
        .replace("**", "x")
        .replace('*', "x");
    let untracked = format!("{}/untracked-file.yaml", first_path.trim_end_matches('/'));
    repo.write(&untracked, "x: 1\n");
    let parse = run(plancheck().arg("parse").arg(repo.path()));
    let doc: serde_json::Value = serde_json::from_str(&parse.stdout).expect("json");
    assert!(
        doc["ownership"].get(&untracked).is_none(),
        "{untracked} is untracked but listed"
    );
}

#[test]
fn codeowners_findings_keep_their_fingerprint_when_lines_shift() {
    let repo = Repo::from_fixture("broken/codeowners-syntax");
    let fps = |repo: &Repo| {
        let (_, json, _) = check_json(repo.path(), &[]);
        let mut v: Vec<String> = json["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["rule"] == "codeowners-syntax")
            .map(|f| f["fingerprint"].as_str().unwrap_or("").to_string())
            .collect();
        v.sort();
        v
    };
    let before = fps(&repo);
    assert!(!before.is_empty());
    let text = repo.read(".github/CODEOWNERS");
    repo.write(
        ".github/CODEOWNERS",
        format!("# a new comment line\n\n{text}"),
    );
    assert_eq!(before, fps(&repo));
}

#[test]
fn a_duplicate_id_names_where_it_was_first_defined() {
    let repo = Repo::from_fixture("broken/unique-id");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--color", "never"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "  ::: incident-response/contacts.yaml:4:9\n   |\n 4 |   - id: alice\n   |         ----- contact alice is first defined here\n"
        ),
        "{}",
        r.stdout
    );
    let (_, json, _) = check_json(repo.path(), &[]);
    let f = json["findings"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|f| f["message"] == "contact id alice is defined more than once")
        })
        .expect("the duplicate contact");
    assert_eq!(
        f["related"],
        serde_json::json!([{
            "message": "contact alice is first defined here",
            "location": {"path": "incident-response/contacts.yaml", "line": 4, "column": 9}
        }])
    );
}

#[test]
fn help_lines_name_the_plans_own_ids() {
    let repo = Repo::from_fixture("demo");
    // THR-001 loses its owner; the policy it inherits loses its executive level.
    repo.edit(
        "incident-response/threats/human-error.yaml",
        "    owner: erin\n",
        "    x-owner: erin\n",
    );
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--color", "never"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("help: set the threat's `owner` to the id of a contact or a team, e.g. `owner: platform-sre`"),
        "{}",
        r.stdout
    );
    for generic in ["ceo", "ciso", "@acme/", "k8s-storage`", "area_min_contacts"] {
        assert!(!r.stdout.contains(generic), "{generic}: {}", r.stdout);
    }
}

#[test]
fn a_whole_file_finding_shows_the_file_without_an_empty_snippet() {
    let repo = Repo::from_fixture("broken/plan-codeowned");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--color", "never"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "error[plan-codeowned]: plan file incident-response/threats/malicious.yaml has no owner in CODEOWNERS\n--> incident-response/threats/malicious.yaml\n = help: add the line `/incident-response/threats/ @acme/sre` at the end of .github/CODEOWNERS"
        ),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("1 | apiVersion"), "{}", r.stdout);
}
