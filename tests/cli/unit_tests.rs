//! `plancheck test`: Rego unit tests, coverage, and the run-time check on sample plans.

use std::path::Path;

use crate::common::*;

const RULE: &str = "package plancheck.sev1\n\nimport rego.v1\n\ndeny_runbook contains result if {\n\tsome i, t in input.plan.threats\n\tt.severity == \"SEV1\"\n\tnot t.runbook\n\tresult := {\"msg\": sprintf(\"SEV1 threat %s has no runbook\", [t.id]), \"path\": [\"plan\", \"threats\", i]}\n}\n";

fn pack(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

fn test_run(dir: &Path, extra: &[&str]) -> Run {
    run(plancheck().arg("test").arg(dir).args(extra))
}

#[test]
fn passing_failing_and_todo_tests_are_reported_with_file_and_line() {
    let dir = pack(&[
        ("sev1.rego", RULE),
        (
            "sev1_test.rego",
            "package plancheck.sev1_test\n\nimport rego.v1\n\nthreats := [{\"id\": \"T1\", \"severity\": \"SEV1\"}]\n\ntest_missing_runbook_is_denied if {\n\tcount(data.plancheck.sev1.deny_runbook) == 1 with input as {\"plan\": {\"threats\": threats}}\n}\n\ntest_wrong_expectation if {\n\tinp := {\"plan\": {\"threats\": [{\"id\": \"T2\", \"severity\": \"SEV2\"}]}}\n\tprint(\"checking\", inp.plan.threats[0].id)\n\tcount(data.plancheck.sev1.deny_runbook) == 1 with input as inp\n}\n\ntodo_test_later if {\n\tfalse\n}\n",
        ),
    ]);
    let r = test_run(dir.path(), &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let out = &r.stdout;
    assert!(
        out.contains(
            "/sev1_test.rego:7: plancheck.sev1_test.test_missing_runbook_is_denied ... ok"
        ),
        "{out}"
    );
    assert!(
        out.contains("/sev1_test.rego:11: plancheck.sev1_test.test_wrong_expectation ... FAILED"),
        "{out}"
    );
    assert!(out.contains("todo_test_later ... skipped (todo)"), "{out}");
    // The failure shows the input it used, resolved to its assignment, and the prints.
    assert!(out.contains("with input as inp"), "{out}");
    assert!(
        out.contains(
            "inp := {\"plan\": {\"threats\": [{\"id\": \"T2\", \"severity\": \"SEV2\"}]}}"
        ),
        "{out}"
    );
    assert!(out.contains("checking T2"), "{out}");
    assert!(
        out.contains("test result: FAILED. 1 passed; 1 failed; 0 errors; 1 skipped"),
        "{out}"
    );
}

#[test]
fn inputs_named_by_a_rule_are_shown_evaluated() {
    let dir = pack(&[
        ("sev1.rego", RULE),
        (
            "sev1_test.rego",
            "package plancheck.sev1_test\n\nimport rego.v1\n\nsample := {\"plan\": {\"threats\": [{\"id\": \"T9\", \"severity\": \"SEV1\", \"runbook\": \"r.md\"}]}}\n\ntest_sample_is_denied if {\n\tcount(data.plancheck.sev1.deny_runbook) == 1 with input as sample\n}\n",
        ),
    ]);
    let r = test_run(dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("with input as sample"), "{}", r.stdout);
    assert!(r.stdout.contains("\"id\": \"T9\""), "{}", r.stdout);
}

#[test]
fn run_selects_tests_by_regular_expression_and_a_miss_is_a_failure() {
    let dir = pack(&[
        ("sev1.rego", RULE),
        (
            "sev1_test.rego",
            "package plancheck.sev1_test\n\nimport rego.v1\n\ntest_a if { true }\n\ntest_b if { false }\n",
        ),
    ]);
    let r = test_run(dir.path(), &["--run", "test_a$"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("1 passed; 0 failed"), "{}", r.stdout);
    assert!(!r.stdout.contains("test_b"), "{}", r.stdout);
    let r = test_run(dir.path(), &["--run", "nothing-matches"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("no test matches --run"), "{}", r.stdout);
    let r = test_run(dir.path(), &["--run", "(unclosed"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid --run"), "{}", r.stderr);
}

#[test]
fn a_test_that_errors_is_exit_2() {
    let dir = pack(&[
        ("sev1.rego", RULE),
        (
            "sev1_test.rego",
            "package plancheck.sev1_test\n\nimport rego.v1\n\ntest_bad_number if {\n\tto_number(\"not a number\") == 1\n}\n",
        ),
    ]);
    let r = test_run(dir.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stdout.contains("test_bad_number ... ERROR"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("1 errors"), "{}", r.stdout);
}

#[test]
fn a_test_file_that_does_not_compile_is_exit_2_with_its_line() {
    let dir = pack(&[
        ("sev1.rego", RULE),
        (
            "sev1_test.rego",
            "package plancheck.sev1_test\n\ntest_x if {\n\tx := \n}\n",
        ),
    ]);
    let r = test_run(dir.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("sev1_test.rego: policy does not compile"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("sev1_test.rego:4:7"), "{}", r.stderr);
}

#[test]
fn coverage_is_reported_per_file_and_the_threshold_fails_the_run() {
    let dir = pack(&[
        ("sev1.rego", RULE),
        (
            "sev1_test.rego",
            "package plancheck.sev1_test\n\nimport rego.v1\n\ntest_nothing_for_empty_plans if {\n\tcount(data.plancheck.sev1.deny_runbook) == 0 with input as {\"plan\": {}}\n}\n",
        ),
    ]);
    let r = test_run(dir.path(), &["--coverage"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("/sev1.rego"), "{}", r.stdout);
    assert!(
        r.stdout.contains("1/5 lines  not covered: 5, 7-9"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("sev1_test.rego  "),
        "test files are not measured: {}",
        r.stdout
    );
    let r = test_run(dir.path(), &["--threshold", "90"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("(below the 90% threshold)"),
        "{}",
        r.stdout
    );
    let r = test_run(dir.path(), &["--threshold", "150"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid --threshold"), "{}", r.stderr);
}

#[test]
fn json_report_has_tests_coverage_and_summary() {
    let dir = pack(&[
        ("sev1.rego", RULE),
        (
            "sev1_test.rego",
            "package plancheck.sev1_test\n\nimport rego.v1\n\ntest_a if { true }\n",
        ),
    ]);
    let r = test_run(dir.path(), &["--format", "json", "--coverage"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v["version"], 1);
    assert_eq!(v["tests"][0]["name"], "test_a");
    assert_eq!(v["tests"][0]["line"], 5);
    assert_eq!(v["tests"][0]["status"], "pass");
    assert_eq!(
        v["summary"],
        serde_json::json!({"pass": 1, "fail": 0, "error": 0, "skip": 0})
    );
    assert_eq!(
        v["samples"],
        serde_json::json!(["empty", "clean", "broken"])
    );
    assert_eq!(v["runtime_failures"], serde_json::json!([]));
    assert!(v["coverage"]["percent"].as_f64().is_some(), "{v}");
}

#[test]
fn a_rule_using_a_builtin_plancheck_lacks_fails_the_runtime_check() {
    let dir = pack(&[(
        "ids.rego",
        "package plancheck.ids\n\nimport rego.v1\n\ndeny contains msg if {\n\tsome t in input.plan.threats\n\tnot crypto.sha256(t.id)\n\tmsg := \"never\"\n}\n",
    )]);
    let r = test_run(dir.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("/ids.rego:5: rule `ids` on the `clean` sample plan"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("crypto.sha256"), "{}", r.stdout);
}

#[test]
fn a_rule_that_errors_on_an_empty_plan_fails_the_runtime_check() {
    let dir = pack(&[(
        "count.rego",
        "package plancheck.count\n\nimport rego.v1\n\n# The average shift is too long: divides by zero when there are no teams.\ndeny contains \"shifts too long\" if {\n\thours := [t.oncall.shift_hours | some t in object.get(input.plan, \"teams\", [])]\n\tsum(hours) / count(hours) > 100\n}\n",
    )]);
    let r = test_run(dir.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("/count.rego:6: rule `count` on the `empty` sample plan"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("divide by zero"), "{}", r.stdout);
    assert!(
        !r.stdout.contains("on the `clean` sample plan"),
        "{}",
        r.stdout
    );
}

#[test]
fn the_builtin_pack_passes_its_own_tests_with_at_least_95_percent_coverage() {
    let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let r = test_run(&policies, &["--threshold", "95"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("runtime check: 27 rules evaluated on 3 sample plans"),
        "{}",
        r.stdout
    );
    let tests = r
        .stdout
        .lines()
        .filter(|l| l.ends_with(" ms)") && l.contains(" ... ok "))
        .count();
    assert!(tests >= 100, "only {tests} tests in the built-in pack");
}

#[test]
fn a_policy_file_no_test_reaches_counts_as_uncovered() {
    let dir = pack(&[
        ("sev1.rego", RULE),
        (
            "other.rego",
            "package plancheck.other\n\nimport rego.v1\n\n# A rule nobody tests.\ndeny contains \"x\" if {\n\tinput.plan.never\n}\n",
        ),
        (
            "sev1_test.rego",
            "package plancheck.sev1_test\n\nimport rego.v1\n\ntest_missing_runbook_is_denied if {\n\tcount(data.plancheck.sev1.deny_runbook) == 1 with input as {\"plan\": {\"threats\": [{\"id\": \"T\", \"severity\": \"SEV1\"}]}}\n}\n",
        ),
    ]);
    let r = test_run(dir.path(), &["--threshold", "90"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("0.0%"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("/other.rego  0/3 lines  not covered: 6-8"),
        "{}",
        r.stdout
    );
}
