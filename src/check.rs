//! Checking one side: input document → evaluate → located findings, with rule configuration,
//! `exception` rules and waivers applied. Knows nothing of diff mode (see `pipeline`).

use std::collections::HashMap;

use anyhow::Result;
use regorus::Value;

pub use crate::checked::{Opened, Outcome};
/// Today's date (kept here for callers of the library; the clock lives in `clock`).
pub use crate::clock::today;
use crate::finding::{
    normalize, Finding, Location, Related, Severity, Suppression, SuppressionKind, UnusedWaiver,
};
use crate::policy::Exemption;
use crate::rule::SCHEMA_RULE;
use crate::waiver::{waivers, Waiver};
use crate::{input, plan};

/// The input document policies see.
pub fn input_document(opened: &Opened) -> (Value, Vec<Finding>) {
    input::build(&opened.workspace, &opened.now)
}

/// Runs every enabled rule and returns located, sorted findings.
pub fn check(opened: &Opened) -> Result<Outcome> {
    let ws = &opened.workspace;
    let (input, mut findings) = input_document(opened);
    findings.extend(input::schema_findings(ws));
    let policies_skipped = !findings.is_empty();
    let mut exemptions = Vec::new();
    if !policies_skipped {
        let (found, exempt) = evaluate(opened, &input)?;
        findings.extend(found);
        exemptions = exempt;
    }
    ws.config.apply_rule_config(&mut findings);
    let mut suppressed = exempt(opened, &exemptions, &mut findings);
    let (schema_waivers, waivers): (Vec<Waiver>, Vec<Waiver>) = waivers(ws, &input)
        .into_iter()
        .partition(|w| w.rule == SCHEMA_RULE);
    findings.extend(schema_waivers.iter().map(schema_waiver_finding));
    let unused_waivers = apply_waivers(
        &waivers,
        &opened.now,
        policies_skipped,
        &mut findings,
        &mut suppressed,
    );
    normalize(&mut findings);
    normalize(&mut suppressed);
    Ok(Outcome {
        findings,
        suppressed,
        unused_waivers,
        policies_skipped,
        input,
    })
}

/// Evaluates the enabled rules: their located findings, and what `exception` rules exempt.
fn evaluate(opened: &Opened, input: &Value) -> Result<(Vec<Finding>, Vec<Exemption>)> {
    let ws = &opened.workspace;
    let cfg = &ws.config;
    let selected: Vec<usize> = opened
        .policies
        .selected()
        .into_iter()
        .filter(|&i| {
            let id = &opened.policies.rules[i].id;
            !cfg.rules.get(id).is_some_and(|c| c.disable)
        })
        .collect();
    let data = input::config_data(cfg);
    let eval = opened.policies.evaluate(input, data, &selected)?;
    let mut findings = Vec::new();
    for r in eval.results {
        let rule = &opened.policies.rules[r.rule];
        let (location, subject, one_thing) = input::locate(ws, r.path.as_deref());
        let mut finding = if one_thing {
            Finding::about(&rule.id, r.severity, r.message, location, subject)
        } else {
            Finding::new(&rule.id, r.severity, r.message, location, subject)
        }
        .with_help(r.help.or_else(|| rule.help.clone()));
        if let Some((path, message)) = r.related {
            let (location, _, _) = input::locate(ws, Some(&path));
            finding.related.push(Related { message, location });
        }
        finding.plan_path = match r.path.as_deref() {
            Some([plan::Seg::Key(root), rest @ ..]) if root == "plan" => Some(rest.to_vec()),
            _ => None,
        };
        findings.push(finding);
    }
    Ok((findings, eval.exemptions))
}

/// Moves the findings of rules an `exception` switched off to the suppressed list.
fn exempt(opened: &Opened, exemptions: &[Exemption], findings: &mut Vec<Finding>) -> Vec<Finding> {
    let policies = &opened.policies;
    let mut suppressed = Vec::new();
    for ex in exemptions {
        let rule = &policies.rules[ex.rule];
        let decl = &policies.exceptions[ex.exception];
        let suppression = Suppression {
            kind: SuppressionKind::Exception,
            reason: ex
                .reason
                .clone()
                .unwrap_or_else(|| format!("exception in package {}", decl.package)),
            location: Location {
                path: decl.file.clone(),
                line: decl.line,
                column: 1,
            },
            expires: None,
        };
        let (gone, kept): (Vec<Finding>, Vec<Finding>) = std::mem::take(findings)
            .into_iter()
            .partition(|f| f.rule == rule.id);
        *findings = kept;
        suppressed.extend(gone.into_iter().map(|mut f| {
            f.suppressed = Some(suppression.clone());
            f
        }));
    }
    suppressed
}

/// No other rule runs while the schema is broken: waiving it would pass an unchecked plan.
fn schema_waiver_finding(w: &Waiver) -> Finding {
    Finding::about(
        SCHEMA_RULE,
        Severity::Error,
        format!(
            "a waiver cannot silence {SCHEMA_RULE}: no other rule runs on a plan that breaks the schema"
        ),
        w.location.clone(),
        w.subject.clone(),
    )
    .with_help(Some(
        "remove the waiver and fix the plan where the schema finding points".into(),
    ))
}

/// Applies unexpired waivers: the findings they match move to `suppressed`. Returns the
/// waivers that matched nothing. In the plan's order, a waiver takes every finding of its rule
/// whose subject ids or path is its target and that no earlier waiver took; the findings are
/// indexed by (rule, id) once, so the cost is linear in waivers plus findings.
fn apply_waivers(
    waivers: &[Waiver],
    now: &str,
    policies_skipped: bool,
    findings: &mut Vec<Finding>,
    suppressed: &mut Vec<Finding>,
) -> Vec<UnusedWaiver> {
    let today = crate::oncall::now::date(now);
    let mut index: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        for id in f.subject.ids.iter().chain([&f.location.path]) {
            let list = index.entry((f.rule.as_str(), id.as_str())).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let mut taken: Vec<Option<usize>> = vec![None; findings.len()];
    let mut unused = Vec::new();
    for (wi, w) in waivers.iter().enumerate() {
        if w.expires < today {
            // Expired: it no longer suppresses; `waiver-expired` reports it.
            continue;
        }
        let mut hit = false;
        for &i in index
            .get(&(w.rule.as_str(), w.target.as_str()))
            .map_or(&[][..], Vec::as_slice)
        {
            if taken[i].is_none() {
                taken[i] = Some(wi);
                hit = true;
            }
        }
        if !hit && !policies_skipped {
            unused.push(UnusedWaiver {
                rule: w.rule.clone(),
                target: w.target.clone(),
                location: w.location.clone(),
            });
        }
    }
    drop(index);
    let mut gone: Vec<(usize, Finding)> = Vec::new();
    let mut kept = Vec::with_capacity(findings.len());
    for (f, by) in std::mem::take(findings).into_iter().zip(taken) {
        match by {
            Some(wi) => gone.push((wi, f)),
            None => kept.push(f),
        }
    }
    *findings = kept;
    // Grouped by waiver in the plan's order, as each waiver took its findings.
    gone.sort_by_key(|(wi, _)| *wi);
    suppressed.extend(gone.into_iter().map(|(wi, mut f)| {
        let w = &waivers[wi];
        f.suppressed = Some(Suppression {
            kind: SuppressionKind::Waiver,
            reason: w.reason.clone(),
            location: w.location.clone(),
            expires: Some(w.expires.clone()),
        });
        f
    }));
    unused
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(path: &str) -> Location {
        Location {
            path: path.into(),
            line: 1,
            column: 1,
        }
    }

    fn finding(rule: &str, id: &str, path: &str) -> Finding {
        Finding::new(
            rule,
            Severity::Error,
            format!("{rule} {id}"),
            at(path),
            crate::finding::Subject::named("plan.threats", id),
        )
    }

    fn waiver(rule: &str, target: &str, expires: &str, line: u32) -> Waiver {
        Waiver {
            rule: rule.into(),
            target: target.into(),
            reason: format!("reason {line}"),
            expires: expires.into(),
            location: Location {
                line,
                ..at("plan.yaml")
            },
            subject: crate::finding::Subject::named("plan.waivers", target),
        }
    }

    #[test]
    fn the_first_unexpired_waiver_takes_a_finding_and_a_later_one_for_it_is_unused() {
        let mut findings = vec![
            finding("threat-owner", "THR-1", "a.yaml"),
            finding("threat-owner", "THR-2", "b.yaml"),
            finding("threat-runbook", "THR-1", "a.yaml"),
            finding("threat-owner", "THR-3", "b.yaml"),
        ];
        let waivers = vec![
            waiver("threat-owner", "THR-1", "2020-01-01", 1), // expired: takes nothing
            waiver("threat-owner", "b.yaml", "2030-01-01", 2), // by path: THR-2 and THR-3
            waiver("threat-owner", "THR-1", "2030-01-01", 3),
            waiver("threat-owner", "THR-3", "2030-01-01", 4), // taken by line 2: unused
            waiver("threat-owner", "THR-9", "2030-01-01", 5), // matches nothing
        ];
        let mut suppressed = Vec::new();
        let unused = apply_waivers(
            &waivers,
            "2026-12-06",
            false,
            &mut findings,
            &mut suppressed,
        );
        let rules: Vec<_> = findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(rules, ["threat-runbook THR-1"]);
        let gone: Vec<_> = suppressed
            .iter()
            .map(|f| {
                let by = f.suppressed.as_ref().map_or(0, |s| s.location.line);
                format!("{} by {by}", f.message)
            })
            .collect();
        assert_eq!(
            gone,
            [
                "threat-owner THR-2 by 2",
                "threat-owner THR-3 by 2",
                "threat-owner THR-1 by 3"
            ]
        );
        let unused: Vec<_> = unused.iter().map(|u| u.location.line).collect();
        assert_eq!(unused, [4, 5]);
    }
}
