//! The sample plans `plancheck test` runs every rule on, checked end to end: they reach the
//! policies, the clean one is clean and the broken one trips most rules.

use std::collections::BTreeSet;

use crate::config::Config;
use crate::policy::PolicySet;
use crate::snapshot::MemorySnapshot;
use crate::workspace;

fn sample_outcome(index: usize) -> crate::check::Outcome {
    let (_, plan, codeowners) = crate::policy::testing::SAMPLES[index];
    let mut files = vec![
        ("incident-plan.yaml", plan),
        ("clusters/prod/storage/pv.yaml", "kind: PersistentVolume\n"),
    ];
    if let Some(co) = codeowners {
        files.push((".github/CODEOWNERS", co));
    }
    let snap = MemorySnapshot::new("sample", &files);
    let opened = crate::check::Opened {
        workspace: workspace::load(&snap, Config::default()).expect("loads"),
        policies: PolicySet::builtin().expect("builtin pack"),
        now: "2026-11-24".into(),
    };
    crate::check::check(&opened).expect("checks")
}

#[test]
fn sample_plans_reach_the_policies_and_the_broken_one_trips_most_rules() {
    for (i, (name, _, _)) in crate::policy::testing::SAMPLES.iter().enumerate() {
        let out = sample_outcome(i);
        assert!(
            !out.policies_skipped,
            "sample {name} fails the schema: {:?}",
            out.findings
        );
    }
    assert_eq!(
        sample_outcome(1).findings,
        vec![],
        "the clean sample is clean"
    );
    let rules: BTreeSet<String> = sample_outcome(2)
        .findings
        .into_iter()
        .map(|f| f.rule)
        .collect();
    assert!(rules.len() >= 14, "broken sample trips only {rules:?}");
}
