//! "high-profile threat THR-2 no longer reaches the executive tier": the judgement is the
//! `high-profile-executive` rule's, read from its findings on base and head. Rust only names
//! the executive targets of the policy that applies, for the reader.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{rv_list, rv_str, Change, Rv, Side};

/// The rule that judges whether a high-profile threat reaches the executive tier.
pub(super) const RULE: &str = "high-profile-executive";

/// The threats the rule found not reaching the executive tier, by id.
fn unreached(side: Side<'_>) -> BTreeSet<&str> {
    side.findings
        .iter()
        .filter(|f| f.rule == RULE && f.subject.starts_with("plan.threats["))
        .filter_map(|f| f.subject_ids().first().copied())
        .collect()
}

/// The escalation policy that applies to a threat: its own, else its area's team's; an empty
/// string counts as not set, as the rules read it.
fn effective_policy<'a>(
    threat: &'a Rv,
    areas: &HashMap<&str, &'a Rv>,
    teams: &HashMap<&str, &'a Rv>,
) -> Option<&'a str> {
    let set = |v: &'a Rv| rv_str(v).filter(|s| !s.is_empty());
    set(&threat["escalation_policy"]).or_else(|| {
        let area = areas.get(rv_str(&threat["area"])?)?;
        let team = teams.get(rv_str(&area["team"])?)?;
        set(&team["escalation_policy"])
    })
}

/// The executive-tier targets of the policy that applies to each high-profile threat.
fn executive_targets(plan: &Rv) -> BTreeMap<String, BTreeSet<String>> {
    let policies = rv_list(plan, "escalation_policies");
    let (areas, teams) = (rv_list(plan, "areas"), rv_list(plan, "teams"));
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
            let targets = effective_policy(t, &areas, &teams)
                .map(targets_of)
                .unwrap_or_default();
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
    let (before, after) = (
        executive_targets(&base.input["plan"]),
        executive_targets(&head.input["plan"]),
    );
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
