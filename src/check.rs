//! Checking one side: input document → evaluate → located findings, with rule configuration,
//! `exception` rules and waivers applied. Knows nothing of diff mode (see `pipeline`).

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
/// waivers that matched nothing.
fn apply_waivers(
    waivers: &[Waiver],
    now: &str,
    policies_skipped: bool,
    findings: &mut Vec<Finding>,
    suppressed: &mut Vec<Finding>,
) -> Vec<UnusedWaiver> {
    let mut unused = Vec::new();
    for w in waivers {
        if w.expires < crate::oncall::now::date(now) {
            // Expired: it no longer suppresses; `waiver-expired` reports it.
            continue;
        }
        let hit = |f: &Finding| {
            f.rule == w.rule
                && (f.subject_ids().contains(&w.target.as_str()) || f.location.path == w.target)
        };
        let (gone, kept): (Vec<Finding>, Vec<Finding>) =
            std::mem::take(findings).into_iter().partition(hit);
        *findings = kept;
        if gone.is_empty() && !policies_skipped {
            unused.push(UnusedWaiver {
                rule: w.rule.clone(),
                target: w.target.clone(),
                location: w.location.clone(),
            });
        }
        suppressed.extend(gone.into_iter().map(|mut f| {
            f.suppressed = Some(Suppression {
                kind: SuppressionKind::Waiver,
                reason: w.reason.clone(),
                location: w.location.clone(),
                expires: Some(w.expires.clone()),
            });
            f
        }));
    }
    unused
}
