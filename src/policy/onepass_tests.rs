//! One-pass evaluation finds exactly what rule-by-rule evaluation finds, computes shared rules
//! once, and still names the rule that fails.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use regorus::Value;

use super::{Namespaces, PolicySet, RawResult, UserFile};

/// Every selected rule evaluated alone, on its own fresh evaluation (the reference path).
fn rule_by_rule(set: &PolicySet, input: &Value, data: Value) -> Vec<RawResult> {
    let mut engine = set.engine_with_data(data).expect("data");
    engine.set_input(input.clone());
    let mut out = Vec::new();
    for i in set.selected() {
        if !set.rules[i].query.is_empty() {
            out.extend(set.eval_one(&mut engine, i).expect("rule evaluates"));
        }
    }
    out
}

fn sorted(mut v: Vec<RawResult>) -> Vec<String> {
    let mut s: Vec<String> = v.drain(..).map(|r| format!("{r:?}")).collect();
    s.sort();
    s
}

fn fixture_dirs() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs = vec![root.join("demo"), root.join("custom-policy")];
    let mut broken: Vec<_> = std::fs::read_dir(root.join("broken"))
        .expect("fixtures/broken")
        .map(|e| e.expect("entry").path())
        .collect();
    broken.sort();
    dirs.extend(broken);
    dirs
}

#[test]
fn one_pass_finds_on_every_fixture_exactly_what_each_rule_finds_alone() {
    let mut compared = 0;
    for dir in fixture_dirs() {
        let opts = crate::pipeline::Options {
            dir: Some(dir.clone()),
            now: Some("2026-11-24".into()),
            ..Default::default()
        };
        let opened = crate::pipeline::open(&opts).expect("fixture opens");
        let (input, schema) = crate::check::input_document(&opened);
        if !schema.is_empty() || !crate::input::schema_findings(&opened.workspace).is_empty() {
            continue; // policies never run on a plan that breaks the schema
        }
        let data = crate::input::config_data(&opened.workspace.config);
        let set = &opened.policies;
        let one = set
            .evaluate(&input, data.clone(), &set.selected())
            .expect("one pass evaluates")
            .results;
        let alone = rule_by_rule(set, &input, data);
        assert!(
            !alone.is_empty() || dir.ends_with("demo"),
            "{dir:?} finds nothing"
        );
        assert_eq!(sorted(one), sorted(alone), "{}", dir.display());
        compared += 1;
    }
    assert!(
        compared >= 25,
        "only {compared} fixtures reached the policies"
    );
}

fn user_set(text: &str) -> PolicySet {
    let file = UserFile {
        shown: "policies/shared.rego".into(),
        text: text.into(),
    };
    PolicySet::from_files(vec![file], &Namespaces::default(), false).expect("compiles")
}

fn empty_input() -> Value {
    Value::from_json_str(r#"{"plan": {"threats": [{"id": "a"}, {"id": "b"}]}}"#).expect("json")
}

const SHARED: &str = r#"package plancheck.shared

shared := counted(1)

deny_one contains "one" if shared == 1

deny_two contains "two" if shared == 1

deny_three contains x if {
	some t in input.plan.threats
	x := sprintf("%s %d", [t.id, shared])
}
"#;

#[test]
fn rules_of_one_package_compute_a_shared_rule_once() {
    let mut set = user_set(SHARED);
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    set.engine
        .add_extension(
            "counted".into(),
            1,
            Box::new(move |args: Vec<Value>| {
                seen.fetch_add(1, Ordering::SeqCst);
                Ok(args[0].clone())
            }),
        )
        .expect("extension");
    let data = crate::input::config_data(&crate::config::Config::default());
    let eval = set
        .evaluate(&empty_input(), data, &set.selected())
        .expect("evaluates");
    let mut messages: Vec<&str> = eval
        .results
        .iter()
        .filter(|r| !set.rules[r.rule].builtin)
        .map(|r| r.message.as_str())
        .collect();
    messages.sort_unstable();
    assert_eq!(messages, ["a 1", "b 1", "one", "two"]);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "the shared rule ran per rule"
    );
}

#[test]
fn a_rule_that_fails_in_one_pass_is_reported_as_that_rules_own_error() {
    let set = user_set(
        r#"package plancheck.mixed

deny_fine contains "fine" if true

deny_broken contains msg if {
	some t in input.plan.threats
	to_number(t.id) > 0
	msg := "never"
}

warn_also_fine contains "also" if true
"#,
    );
    let data = crate::input::config_data(&crate::config::Config::default());
    let err = set
        .evaluate(&empty_input(), data, &set.selected())
        .expect_err("the broken rule fails the run");
    let msg = format!("{err:#}");
    assert!(
        msg.contains("policies/shared.rego:5: rule `mixed-broken` failed while evaluating"),
        "{msg}"
    );
}

#[test]
fn every_built_in_rule_runs_in_one_unit_and_each_user_package_in_its_own() {
    let set = user_set(SHARED);
    let units = set.units(&set.selected());
    let builtin = set
        .rules
        .iter()
        .filter(|r| r.builtin && !r.query.is_empty())
        .count();
    assert_eq!(units.len(), 2, "{units:?}");
    assert_eq!(units[0].rules.len(), builtin);
    assert!(units[0].rules.iter().all(|&i| set.rules[i].builtin));
    let user: Vec<&str> = units[1]
        .rules
        .iter()
        .map(|&i| set.rules[i].id.as_str())
        .collect();
    assert_eq!(user, ["shared-one", "shared-two", "shared-three"]);
}
