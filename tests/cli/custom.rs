//! Policies users write: the worked example, namespaces, data, exceptions, waivers, METADATA.

use crate::common::*;

fn suppressed_lines(report: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> = report["suppressed"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    format!(
                        "{} {}:{} {} {}",
                        f["rule"].as_str().unwrap_or("?"),
                        f["location"]["path"].as_str().unwrap_or("?"),
                        f["location"]["line"],
                        f["suppressed"]["kind"].as_str().unwrap_or("?"),
                        f["suppressed"]["reason"].as_str().unwrap_or("?"),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn custom() -> Repo {
    Repo::from_fixture("custom-policy")
}

const PLAN: &str = "incident-response/plan.yaml";

#[test]
fn worked_example_fires_its_rules_at_their_lines_and_waives_one_with_its_reason() {
    let repo = custom();
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        rule_lines(&json),
        vec![
            "sev1-runbook incident-response/plan.yaml:47",
            "storage-two-timezones incident-response/plan.yaml:25",
        ]
    );
    assert_eq!(
        suppressed_lines(&json),
        vec!["sev1-runbook incident-response/plan.yaml:54 waiver Runbook in review (PLAT-412); the ingress team rehearsed the rollback on 2026-11-02"]
    );
    assert_eq!(json["summary"]["suppressed"], 1);
    let human = run(plancheck()
        .args(["check", "--color", "never"])
        .arg(repo.path()));
    assert!(
        human.stdout.contains("suppressed (1):")
            && human.stdout.contains(
                "waived at incident-response/plan.yaml:69 until 2027-01-31: Runbook in review"
            ),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("2 errors, 0 warnings (1 suppressed)"));
}

#[test]
fn worked_example_lists_and_explains_its_rules_from_the_configuration() {
    let repo = custom();
    let r = run(plancheck().arg("rules").current_dir(repo.path()));
    assert!(
        r.stdout.contains("storage-two-timezones   error    Storage areas have key contacts in two time zones  (policies/storage.rego:25)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("sev1-runbook"), "{}", r.stdout);
    let r = run(plancheck()
        .args(["explain", "sev1-runbook"])
        .current_dir(repo.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("no METADATA block") && r.stdout.contains("plancheck.sev1"),
        "{}",
        r.stdout
    );
}

#[test]
fn worked_example_tests_pass_with_full_coverage() {
    let repo = custom();
    let r = run(plancheck()
        .args(["test", "--coverage", "--threshold", "100"])
        .current_dir(repo.path()));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("policies/storage_test.rego:19: plancheck.storage_test.test_storage_area_in_one_timezone_is_denied ... ok"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("100.0%  total"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("test result: ok. 7 passed; 0 failed; 0 errors; 0 skipped"),
        "{}",
        r.stdout
    );
}

#[test]
fn namespace_globs_choose_which_packages_run() {
    let repo = custom();
    let (_, json, stderr) = check_json(repo.path(), &["--namespace", "storage"]);
    assert_eq!(
        rule_lines(&json),
        vec!["storage-two-timezones incident-response/plan.yaml:25"],
        "{stderr}"
    );
    let (_, json, stderr) = check_json(repo.path(), &["-n", "plancheck.sev*"]);
    assert_eq!(
        rule_lines(&json),
        vec!["sev1-runbook incident-response/plan.yaml:47"],
        "{stderr}"
    );
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--namespace", "[unclosed"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid --namespace"), "{}", r.stderr);
}

#[test]
fn packages_outside_plancheck_run_only_with_all_namespaces() {
    let repo = Repo::from_fixture("demo");
    repo.write(
        "conftest/main.rego",
        "package main\n\ndeny contains \"from main\" if { count(input.plan.threats) > 0 }\n",
    );
    let policy = repo.path().join("conftest");
    let policy = policy.to_str().expect("utf8");
    let (code, json, _) = check_json(repo.path(), &["--policy", policy]);
    assert_eq!(code, 0);
    assert_eq!(json["findings"], serde_json::json!([]));
    let (code, json, stderr) = check_json(repo.path(), &["--policy", policy, "--all-namespaces"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(json["findings"][0]["rule"], "main");
    assert_eq!(json["findings"][0]["message"], "from main");
}

#[test]
fn data_files_reach_the_policies_and_clashing_data_is_an_error() {
    let repo = custom();
    repo.write("no-data.toml", "policies = [\"policies\"]\n");
    repo.write(
        "lenient.yaml",
        "storage:\n  areas: [k8s-storage]\n  min_timezones: 1\n",
    );
    let config = repo.path().join("no-data.toml");
    let lenient = repo.path().join("lenient.yaml");
    let (_, json, stderr) = check_json(repo.path(), &["--config", config.to_str().expect("utf8")]);
    assert_eq!(
        rule_lines(&json),
        vec!["sev1-runbook incident-response/plan.yaml:47"],
        "without data no area is a storage area: {stderr}"
    );
    let (_, json, stderr) = check_json(
        repo.path(),
        &[
            "--config",
            config.to_str().expect("utf8"),
            "--data",
            lenient.to_str().expect("utf8"),
        ],
    );
    assert_eq!(
        rule_lines(&json),
        vec!["sev1-runbook incident-response/plan.yaml:47"],
        "one time zone is enough with min_timezones 1: {stderr}"
    );
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .arg("--data")
        .arg(&lenient));
    assert_eq!(
        r.code, 2,
        "two files setting data.storage.min_timezones clash"
    );
    assert!(
        r.stderr
            .contains("lenient.yaml: cannot merge into policy data"),
        "{}",
        r.stderr
    );
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .arg("--data")
        .arg(repo.path().join("missing.json")));
    assert_eq!(r.code, 2, "a missing data file is an error");
    assert!(
        r.stderr.contains("missing.json: cannot read data file"),
        "{}",
        r.stderr
    );
}

#[test]
fn bad_data_files_are_exit_2_with_file_and_line() {
    let repo = custom();
    for (name, text, expect) in [
        ("bad.yaml", "storage:\n  areas: [unclosed\n", "bad.yaml:3"),
        (
            "bad.json",
            "{\"storage\": {\"areas\": [1,]}}",
            "bad.json:1:",
        ),
        ("list.yaml", "- a\n- b\n", "data must be an object"),
    ] {
        repo.write(name, text);
        let r = run(plancheck()
            .arg("check")
            .arg(repo.path())
            .arg("--data")
            .arg(repo.path().join(name)));
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(r.stderr.contains(expect), "{name}: {}", r.stderr);
    }
}

#[test]
fn exception_rules_suppress_a_rule_with_their_reason() {
    let repo = custom();
    repo.write(
        "exceptions/lab.rego",
        "package plancheck.exceptions\n\nexception contains {\"rule\": \"storage-two-timezones\", \"reason\": \"lab platform, single office\"} if {\n\tinput.plan.metadata.name == \"harbor-platform\"\n}\n",
    );
    let (code, json, stderr) = check_json(
        repo.path(),
        &[
            "--policy",
            repo.path().join("exceptions").to_str().expect("utf8"),
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        rule_lines(&json),
        vec!["sev1-runbook incident-response/plan.yaml:47"]
    );
    let suppressed = suppressed_lines(&json);
    assert!(
        suppressed.contains(&"storage-two-timezones incident-response/plan.yaml:25 exception lab platform, single office".to_string()),
        "{suppressed:?}"
    );
    assert_eq!(json["summary"]["suppressed"], 2);
    let by = json["suppressed"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["rule"] == "storage-two-timezones"))
        .map(|f| f["suppressed"]["location"].clone());
    assert_eq!(
        by,
        Some(
            serde_json::json!({"path": format!("{}/lab.rego", repo.path().join("exceptions").display()), "line": 3, "column": 1})
        )
    );
}

#[test]
fn conftest_style_exceptions_name_a_rule_of_their_package_without_its_prefix() {
    let repo = custom();
    repo.write(
        "more/sev1.rego",
        "package plancheck.sev1\n\nexception contains \"runbook\" if { true }\n",
    );
    let (code, json, stderr) = check_json(
        repo.path(),
        &["--policy", repo.path().join("more").to_str().expect("utf8")],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        rule_lines(&json),
        vec!["storage-two-timezones incident-response/plan.yaml:25"]
    );
    let suppressed = suppressed_lines(&json);
    assert!(
        suppressed.contains(&"sev1-runbook incident-response/plan.yaml:47 exception exception in package plancheck.sev1".to_string()),
        "{suppressed:?}"
    );
}

#[test]
fn an_exception_naming_an_unknown_rule_is_exit_2_with_its_line() {
    let repo = custom();
    repo.write(
        "ex/x.rego",
        "package plancheck.ex\n\n\nexception contains \"stroage-two-timezones\" if { true }\n",
    );
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .arg("--policy")
        .arg(repo.path().join("ex")));
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("x.rego:4: exception names `stroage-two-timezones`"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_expired_waiver_stops_suppressing_and_raises_waiver_expired() {
    let repo = custom();
    repo.edit(PLAN, "expires: 2027-01-31", "expires: 2026-11-23");
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        rule_lines(&json),
        vec![
            "sev1-runbook incident-response/plan.yaml:47",
            "sev1-runbook incident-response/plan.yaml:54",
            "storage-two-timezones incident-response/plan.yaml:25",
            "waiver-expired incident-response/plan.yaml:72",
        ]
    );
    assert_eq!(json["summary"]["suppressed"], 0);
    // A waiver expiring today still holds.
    repo.edit(PLAN, "expires: 2026-11-23", &format!("expires: {NOW}"));
    let (_, json, _) = check_json(repo.path(), &[]);
    assert_eq!(json["summary"]["suppressed"], 1);
}

#[test]
fn a_waiver_far_in_the_future_is_fine() {
    let repo = custom();
    repo.edit(PLAN, "expires: 2027-01-31", "expires: 2999-12-31");
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(json["summary"]["suppressed"], 1);
}

#[test]
fn a_waiver_that_matches_nothing_is_noted_and_suppresses_nothing() {
    let repo = custom();
    repo.edit(PLAN, "target: THR-3", "target: THR-33");
    let (_, json, _) = check_json(repo.path(), &[]);
    assert_eq!(json["summary"]["suppressed"], 0);
    assert_eq!(
        json["unused_waivers"],
        serde_json::json!([{"rule": "sev1-runbook", "target": "THR-33",
            "location": {"path": "incident-response/plan.yaml", "line": 69, "column": 5}}])
    );
    let human = run(plancheck()
        .args(["check", "--color", "never"])
        .arg(repo.path()));
    assert!(
        human.stdout.contains("note: the waiver at incident-response/plan.yaml:69 (sev1-runbook on THR-33) matched no finding"),
        "{}",
        human.stdout
    );
}

#[test]
fn a_directory_declaring_a_builtin_package_replaces_that_rule() {
    let repo = Repo::from_fixture("demo");
    let builtin = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/threat-area.rego"),
    )
    .expect("read");
    let changed = builtin.replace("names no area of expertise", "has no area of expertise");
    assert_ne!(builtin, changed, "the message to replace exists");
    repo.write("vendored/threat-area.rego", changed);
    let plan = repo
        .read("incident-response/threats/human-error.yaml")
        .replacen("    area: ", "    x-area: ", 1);
    repo.write("incident-response/threats/human-error.yaml", plan);
    let (code, json, stderr) = check_json(
        repo.path(),
        &[
            "--policy",
            repo.path().join("vendored").to_str().expect("utf8"),
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let messages: Vec<&str> = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == "threat-area")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(messages.len(), 1, "{json}");
    assert!(
        messages[0].ends_with("has no area of expertise"),
        "{messages:?}"
    );
}

#[test]
fn malformed_metadata_blocks_are_exit_2_with_their_line() {
    let cases = [
        (
            "# METADATA\n# titel: x\ndeny contains \"m\" if { true }\n",
            "p.rego:4",
            "unknown key `titel`; did you mean `title`?",
        ),
        (
            "# METADATA\n# scope: everywhere\ndeny contains \"m\" if { true }\n",
            "p.rego:4",
            "`scope` must be rule, document, package or subpackages",
        ),
        (
            "# METADATA\n# scope: package\ndeny contains \"m\" if { true }\n",
            "p.rego:4",
            "must be directly above `package`",
        ),
        (
            "# METADATA\n# related_resources:\n#   - not a url\ndeny contains \"m\" if { true }\n",
            "p.rego:5",
            "is not an absolute URL",
        ),
        (
            "# METADATA\n# title: [unclosed\ndeny contains \"m\" if { true }\n",
            "p.rego:",
            "invalid METADATA block",
        ),
        (
            "# METADATA\n# title: a\n\n# METADATA\n# title: b\ndeny contains \"m\" if { true }\n",
            "p.rego:3",
            "not attached to a rule or package",
        ),
        (
            "# METADATA\n# custom:\n#   severity: fatal\ndeny contains \"m\" if { true }\n",
            "p.rego:5",
            "custom.severity must be error or warning",
        ),
        (
            "# METADATA\n# custom:\n#   id: first-check\ndeny contains \"a\" if { true }\n\n# METADATA\n# custom:\n#   id: second-check\ndeny contains \"b\" if { true }\n",
            "p.rego:8",
            "rule `deny` already has METADATA (line 3)",
        ),
        (
            "deny contains \"m\" if { true }\n\n# METADATA\n# title: orphan\n",
            "p.rego:5",
            "not attached to a rule or package",
        ),
        (
            "# METADATA\n# title: t\nimport rego.v1\n\ndeny contains \"m\" if { true }\n",
            "p.rego:3",
            "not attached to a rule or package",
        ),
        (
            "# METADATA\n# custom:\n#   id: my-check\ndenied contains \"m\" if { true }\n",
            "p.rego:3",
            "`denied` is not a rule plancheck evaluates",
        ),
    ];
    for (body, at, message) in cases {
        let repo = Repo::from_fixture("demo");
        repo.write("pol/p.rego", format!("package plancheck.p\n\n{body}"));
        let r = run(plancheck()
            .arg("check")
            .arg(repo.path())
            .arg("--policy")
            .arg(repo.path().join("pol")));
        assert_eq!(r.code, 2, "{body}: {}", r.stdout);
        assert!(
            r.stderr.contains(at),
            "{body}: expected {at} in\n{}",
            r.stderr
        );
        assert!(
            r.stderr.contains(message),
            "{body}: expected {message} in\n{}",
            r.stderr
        );
    }
}

#[test]
fn data_keyed_like_a_policy_package_is_refused() {
    let repo = custom();
    repo.write(
        "silence.yaml",
        "plancheck:\n  threat_owner:\n    deny: []\n",
    );
    repo.write("reserved.yaml", "config:\n  area_min_contacts: 0\n");
    for (file, says) in [
        (
            "silence.yaml",
            "top-level data key `plancheck` is the root of policy package",
        ),
        ("reserved.yaml", "top-level data key `config` is reserved"),
    ] {
        let path = repo.path().join(file);
        let r = run(plancheck()
            .arg("check")
            .arg(repo.path())
            .arg("--data")
            .arg(&path));
        assert_eq!(r.code, 2, "{file}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{file}: {}", r.stderr);
        assert!(
            r.stderr.contains("help: put the data under another key"),
            "{}",
            r.stderr
        );
    }
}
