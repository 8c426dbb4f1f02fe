//! The semantic diff on small plans.

use super::*;

/// An input document: the plan, and the escalation facts of its threats (each threat's own
/// policy, as `crate::escalation` would say for these plans).
fn doc(plan: serde_json::Value) -> Rv {
    let threats: serde_json::Map<String, serde_json::Value> = plan["threats"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| {
            let id = t["id"].as_str()?.to_string();
            Some((id, serde_json::json!({"policy": t["escalation_policy"]})))
        })
        .collect();
    Rv::from(serde_json::json!({
        "plan": plan,
        "facts": {"escalation": {"threats": threats}}
    }))
}

/// A side whose rules ran and found nothing.
fn side(input: &Rv) -> Side<'_> {
    Side {
        input,
        findings: &[],
        judged: true,
    }
}

#[test]
fn changes_are_described_on_the_model() {
    let base = doc(serde_json::json!({
        "threats": [{"id": "THR-1", "owner": "erin", "title": "PVC deleted", "high_profile": true, "escalation_policy": "ep"},
                    {"id": "THR-2", "owner": "bob"}],
        "areas": [{"id": "storage", "contacts": ["erin", "farid"]}],
        "escalation_policies": [{"id": "ep", "levels": [
            {"tier": "responder", "targets": ["oncall:sre"], "after_minutes": 0},
            {"tier": "executive", "targets": ["ceo"], "after_minutes": 30}]}]
    }));
    let head = doc(serde_json::json!({
        "threats": [{"id": "THR-1", "owner": "bob", "title": "PVC deleted by mistake", "high_profile": true, "escalation_policy": "ep"},
                    {"id": "THR-7", "title": "Leaked token"}],
        "areas": [{"id": "storage", "contacts": ["erin"]}],
        "escalation_policies": [{"id": "ep", "levels": [
            {"tier": "responder", "targets": ["oncall:sre"], "after_minutes": 0},
            {"tier": "executive", "targets": ["cto"], "after_minutes": 30}]}]
    }));
    let texts: Vec<String> = diff(side(&base), side(&head))
        .into_iter()
        .map(|c| c.text)
        .collect();
    for expected in [
        "threat THR-7 added: Leaked token",
        "threat THR-2 removed",
        "threat THR-1: title: PVC deleted{+ by mistake+}",
        "threat THR-1: owner erin → bob",
        "area storage: contact farid removed",
        "ep: level 2 retargeted [ceo] → [cto]",
        "high-profile threat THR-1 now reaches the executive tier through cto (was ceo)",
    ] {
        assert!(
            texts.iter().any(|t| t == expected),
            "{expected:?} not in {texts:#?}"
        );
    }
}

#[test]
fn edited_escalation_chains_are_charted_up_to_the_executive_tier() {
    let teams = serde_json::json!([{"id": "sre", "oncall": {"rotation": ["alice", "bob"]}}]);
    let base = doc(serde_json::json!({
        "teams": teams,
        "escalation_policies": [
            {"id": "ep", "levels": [{"tier": "responder", "targets": ["oncall:sre"], "after_minutes": 0},
                                    {"tier": "executive", "targets": ["ceo"], "after_minutes": 30}]},
            {"id": "same", "levels": [{"tier": "responder", "targets": ["x"], "after_minutes": 0}]}]
    }));
    let head = doc(serde_json::json!({
        "teams": teams,
        "escalation_policies": [
            {"id": "ep", "levels": [{"tier": "responder", "targets": ["oncall:sre"], "after_minutes": 0},
                                    {"tier": "management", "targets": ["vp \"eng\""], "after_minutes": 15}]},
            {"id": "same", "levels": [{"tier": "responder", "targets": ["x"], "after_minutes": 0}]},
            {"id": "new", "levels": [{"tier": "executive", "targets": ["ceo"], "after_minutes": 0}]}]
    }));
    let charts = escalation_charts(&base, &head);
    let ids: Vec<&str> = charts.iter().map(|c| c.policy.as_str()).collect();
    assert_eq!(ids, vec!["ep", "new"], "unchanged policies are not charted");
    assert_eq!(
        charts[0].mermaid,
        "flowchart LR\n  L0[\"L1 responder<br/>at 0 min<br/>oncall:sre (alice → bob)\"]\n  L1[\"L2 management<br/>at 15 min<br/>vp #quot;eng#quot;\"]\n  L0 --> L1\n  none[\"does not reach the executive tier\"]\n  L1 -.-> none\n  classDef missing fill:#ffe3e3,stroke:#c92a2a\n  class none missing\n"
    );
    assert!(charts[1].mermaid.ends_with("class L0 executive\n"));
}

#[test]
fn identical_plans_have_no_changes() {
    let p = doc(serde_json::json!({"threats": [{"id": "T", "owner": "a"}]}));
    assert_eq!(diff(side(&p), side(&p)), vec![]);
}
