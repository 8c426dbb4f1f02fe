//! Classifying two checked sides: new, existing and fixed findings by fingerprint, placed
//! against the diff's lines, with the findings only diff mode has (`waiver-added`,
//! `policy-changed`), and the plan change described. Pure: everything is read already.

use std::collections::HashSet;

use super::line_starts::FileLines;
use super::owners::{changed_files, codeowners_change};
use super::{
    manifests, oncall, semantic, ChangedFile, DiffRun, FilterMode, LineIndex, Plan, Trusted,
};
use crate::checked::{Opened, Outcome};
use crate::finding::{normalize, Finding, Location, Severity, Status};
use crate::rule::{POLICY_CHANGED, SCHEMA_RULE, WAIVER_ADDED};
use crate::waiver::waivers;

/// Classifies the findings of two checked sides (`base`, `head`) against the diff's `lines`.
pub fn classify(
    base: (Opened, Outcome),
    head: (Opened, Outcome),
    lines: &LineIndex,
    plan: Plan,
) -> DiffRun {
    let (base_opened, mut base_outcome) = base;
    let (head_opened, mut head_outcome) = head;
    let mut changes = semantic::diff(side(&base_outcome), side(&head_outcome));
    let (oncall_changes, oncall_charts) = oncall::diff(
        &base_opened.workspace.plan,
        &head_opened.workspace.plan,
        &head_opened.now,
    );
    changes.extend(oncall_changes);
    changes.extend(manifests::changes(&base_outcome.input, &head_outcome.input));
    let head_unchecked = head_outcome.policies_skipped;
    let mut file_lines = FileLines::default();
    let mut findings = statuses(
        std::mem::take(&mut base_outcome.findings),
        std::mem::take(&mut head_outcome.findings),
        head_unchecked,
        |f, status| place(f, lines, plan.filter, &head_opened, status, &mut file_lines),
    );
    let changed_files = changed_files(lines, &base_opened);
    findings.extend(added_waivers(
        (&base_opened, &base_outcome),
        (&head_opened, &head_outcome),
        lines,
        plan.filter,
    ));
    if !plan.policy_changes.is_empty() {
        findings.push(policy_changed_finding(
            &plan.policy_changes,
            &changed_files,
            &base_opened,
            plan.trusted,
        ));
    }
    head_opened
        .workspace
        .config
        .apply_rule_config(&mut findings);
    normalize(&mut findings);
    let charts = semantic::escalation_charts(&base_outcome.input, &head_outcome.input);
    let codeowners = codeowners_change(&base_opened, &head_opened);
    DiffRun {
        findings,
        suppressed: head_outcome.suppressed,
        unused_waivers: head_outcome.unused_waivers,
        policies_skipped: head_outcome.policies_skipped,
        base_unchecked: base_outcome.policies_skipped && !head_outcome.policies_skipped,
        head_unchecked,
        base_unreadable: None,
        changes,
        charts,
        oncall_charts,
        changed_files,
        codeowners,
        base_commit: plan.base_commit,
        base_label: plan.base_label,
        head_label: plan.head_label,
        filter: plan.filter,
        fail_on_existing: plan.fail_on_existing,
        base: base_opened,
        head: head_opened,
    }
}

/// Head findings as new or existing, base findings gone at head as fixed. When the head
/// breaks the schema its rules did not run: the base's rule findings are unknown at head, not
/// fixed (its own schema findings can be). `place` decides whether a head finding is in the
/// diff (and may move it to the line the change touched).
fn statuses(
    base: Vec<Finding>,
    head: Vec<Finding>,
    head_unchecked: bool,
    mut place: impl FnMut(&mut Finding, Status) -> bool,
) -> Vec<Finding> {
    let fingerprints =
        |v: &[Finding]| -> HashSet<String> { v.iter().map(|f| f.fingerprint.clone()).collect() };
    let (base_fps, head_fps) = (fingerprints(&base), fingerprints(&head));
    let mut findings = Vec::new();
    for mut f in head {
        let status = if base_fps.contains(&f.fingerprint) {
            Status::Existing
        } else {
            Status::New
        };
        f.status = Some(status);
        f.in_diff = Some(place(&mut f, status));
        findings.push(f);
    }
    for mut f in base {
        if head_unchecked && f.rule != SCHEMA_RULE {
            continue;
        }
        if !head_fps.contains(&f.fingerprint) {
            f.status = Some(Status::Fixed);
            f.in_diff = Some(false);
            findings.push(f);
        }
    }
    findings
}

/// What the semantic diff reads of a checked side.
fn side(o: &Outcome) -> semantic::Side<'_> {
    semantic::Side {
        input: &o.input,
        findings: &o.findings,
        judged: !o.policies_skipped,
    }
}

/// A `waiver-added` finding for every waiver at head that the base does not hold (same rule
/// and target, expiring no later): the change silences findings with its own data, so the
/// owners of the plan file must approve it. An error unless the trusted configuration says
/// otherwise (`[rules.waiver-added]`).
fn added_waivers(
    (base, base_outcome): (&Opened, &Outcome),
    (head, head_outcome): (&Opened, &Outcome),
    index: &LineIndex,
    mode: FilterMode,
) -> Vec<Finding> {
    let at_base = waivers(&base.workspace, &base_outcome.input);
    let co = &base.workspace.codeowners.parsed;
    waivers(&head.workspace, &head_outcome.input)
        .into_iter()
        .filter(|w| w.rule != SCHEMA_RULE)
        .filter(|w| {
            !at_base
                .iter()
                .any(|b| b.rule == w.rule && b.target == w.target && b.expires >= w.expires)
        })
        .map(|w| {
            let silenced = head_outcome
                .suppressed
                .iter()
                .filter(|f| {
                    f.suppressed
                        .as_ref()
                        .is_some_and(|s| s.location == w.location)
                })
                .count();
            let owners = co.owners(&w.location.path);
            let who = if owners.is_empty() {
                format!("{} has no CODEOWNERS owner to approve it", w.location.path)
            } else {
                format!(
                    "the owners of {} must approve it: {}",
                    w.location.path,
                    owners.join(" ")
                )
            };
            let mut f = Finding::about(
                WAIVER_ADDED,
                Severity::Error,
                format!(
                    "the change adds a waiver of {} for {} until {}, silencing {}; {who}",
                    w.rule,
                    w.target,
                    w.expires,
                    crate::text::plural(silenced, "finding")
                ),
                w.location.clone(),
                w.subject.clone(),
            )
            .with_help(Some(
                "have the plan file's CODEOWNERS approve the waiver; the gate passes once it is merged. To let reviews decide instead, set `[rules.waiver-added] severity = \"warning\"` in the base's configuration".into(),
            ));
            f.status = Some(Status::New);
            f.in_diff = Some(index.should_report(mode, &f.location.path, f.location.line));
            f
        })
        .collect()
}

/// Decides line-level treatment. A new finding whose own line the change did not touch, but
/// whose element (the threat, the area...) it did, is moved to the first line of that element
/// the change added, or, when the change only deleted lines there (a contact removed from an
/// area), to the nearest surviving line; it then counts as in the diff.
fn place(
    f: &mut Finding,
    index: &LineIndex,
    mode: FilterMode,
    head: &Opened,
    status: Status,
    file_lines: &mut FileLines,
) -> bool {
    if index.should_report(mode, &f.location.path, f.location.line) {
        return true;
    }
    if status != Status::New || mode == FilterMode::File {
        return false;
    }
    let plan = &head.workspace.plan;
    let Some((file, start, end)) = f.plan_path.as_deref().and_then(|p| plan.element_lines(p))
    else {
        return false;
    };
    if plan.files[file].path != f.location.path {
        return false;
    }
    let path = f.location.path.as_str();
    match index
        .added_within(path, start, end)
        .or_else(|| index.deletion_within(path, start, end))
    {
        Some(line) => {
            let text = file_lines.line(file, &plan.files[file].text, line.max(1));
            let indent = text.map_or(0, |t| t.chars().take_while(|c| c.is_whitespace()).count());
            f.location.line = line;
            f.location.column = u32::try_from(indent).unwrap_or(0) + 1;
            true
        }
        None => false,
    }
}

fn policy_changed_finding(
    paths: &[String],
    changed: &[ChangedFile],
    base: &Opened,
    trusted: Trusted,
) -> Finding {
    let co = &base.workspace.codeowners.parsed;
    let described: Vec<String> = paths
        .iter()
        .map(|p| {
            let owners = changed
                .iter()
                .find(|c| &c.path == p)
                .map(|c| c.owners.clone())
                .unwrap_or_else(|| co.owners(p).to_vec());
            if owners.is_empty() {
                format!("{p} (no CODEOWNERS owner)")
            } else {
                format!("{p} (owners: {})", owners.join(" "))
            }
        })
        .collect();
    let judged = match trusted {
        Trusted::Base => "this run judged the change with the base revision's versions",
        Trusted::Head => "this run used the changed versions (--trusted-policies head)",
    };
    let message = format!(
        "the change edits the policies or configuration that judge it: {}; {judged}",
        described.join(", ")
    );
    let first = paths.first().cloned().unwrap_or_default();
    let mut f = Finding::new(
        POLICY_CHANGED,
        Severity::Warning,
        message,
        Location {
            path: first,
            line: 1,
            column: 1,
        },
        format!("policy[{}]", paths.join(",")),
    )
    .with_help(Some(
        "have the owners of these files review the change; the new rules apply once it is merged"
            .into(),
    ));
    f.status = Some(Status::New);
    f.in_diff = Some(false);
    f
}
