//! "high-profile threat THR-2 no longer reaches the executive tier": the judgement is the
//! `high-profile-executive` rule's, read from its findings on base and head. Which policy
//! applies to a threat is `input.facts.escalation` (computed once, by `crate::escalation`);
//! Rust only names that policy's executive targets, for the reader.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{rv_list, rv_str, Change, Rv, Side};
use crate::plan::List;

/// The rule that judges whether a high-profile threat reaches the executive tier.
pub(super) const RULE: &str = "high-profile-executive";

/// The escalation policy that applies to each threat, as `input.facts.escalation` says.
fn effective_policies(input: &Rv) -> HashMap<&str, &str> {
    let Ok(threats) = input["facts"]["escalation"]["threats"].as_object() else {
        return HashMap::new();
    };
    threats
        .iter()
        .filter_map(|(id, f)| Some((rv_str(id)?, rv_str(&f["policy"])?)))
        .collect()
}

/// The threats the rule found not reaching the executive tier, by id: a finding on the threat
/// itself, or on the policy that applies to it.
fn unreached(side: Side<'_>) -> BTreeSet<String> {
    let policies = effective_policies(side.input);
    let mut out = BTreeSet::new();
    for f in side.findings.iter().filter(|f| f.rule == RULE) {
        match &f.subject.element {
            Some((List::Threats, id)) => {
                out.insert(id.clone());
            }
            Some((List::EscalationPolicies, id)) => out.extend(
                policies
                    .iter()
                    .filter(|(_, p)| *p == id)
                    .map(|(t, _)| t.to_string()),
            ),
            _ => {}
        }
    }
    out
}

/// The executive-tier targets of the policy that applies to each high-profile threat.
fn executive_targets(input: &Rv) -> BTreeMap<String, BTreeSet<String>> {
    let plan = &input["plan"];
    let policies = rv_list(plan, "escalation_policies");
    let effective = effective_policies(input);
    let targets_of = |pid: &str| -> BTreeSet<String> {
        policies
            .get(pid)
            .and_then(|p| p["levels"].as_array().ok())
            .into_iter()
            .flatten()
            .filter(|l| rv_str(&l["tier"]) == Some("executive"))
            .flat_map(|l| l["targets"].as_array().into_iter().flatten())
            .filter_map(|t| rv_str(t).map(str::to_string))
            .collect()
    };
    plan["threats"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["high_profile"] == Rv::Bool(true))
        .filter_map(|t| {
            let id = rv_str(&t["id"])?;
            let targets = effective.get(id).map(|p| targets_of(p)).unwrap_or_default();
            Some((id.to_string(), targets))
        })
        .collect()
}

/// The executive-tier statements of a change. Nothing when either side's rules did not run:
/// there is no judgement to report.
pub(super) fn changes(base: Side<'_>, head: Side<'_>) -> Vec<Change> {
    if !base.judged || !head.judged {
        return Vec::new();
    }
    let (before, after) = (executive_targets(base.input), executive_targets(head.input));
    let (lost_before, lost_after) = (unreached(base), unreached(head));
    let who = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
    let mut out = Vec::new();
    for (id, now) in &after {
        let reaches_now = !lost_after.contains(id.as_str());
        // A threat that was not high-profile at base was not judged there.
        let was = before
            .get(id)
            .map(|b| (b, !lost_before.contains(id.as_str())));
        let text = match was {
            Some((b, true)) if !reaches_now => format!(
                "high-profile threat {id} no longer reaches the executive tier (was {})",
                who(b)
            ),
            _ if !reaches_now || now.is_empty() => continue,
            Some((b, true)) if b == now => continue,
            Some((b, true)) => format!(
                "high-profile threat {id} now reaches the executive tier through {} (was {})",
                who(now),
                who(b)
            ),
            _ => format!(
                "high-profile threat {id} now reaches the executive tier through {}",
                who(now)
            ),
        };
        out.push(Change {
            section: "executive",
            text,
        });
    }
    out
}
