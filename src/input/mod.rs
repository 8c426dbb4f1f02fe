//! The input document policies see (normative shape, printed by `plancheck parse`), and the
//! way back from a path into it to a file, line and column.

pub mod area_ownership;
mod convert;

use std::collections::BTreeMap;

use regorus::Value;

use crate::config::Config;
use crate::finding::{Finding, Location, Severity, Subject};
use crate::plan::{schema, Seg};
use crate::position::FILE_START;
use crate::rule::SCHEMA_RULE;
use crate::workspace::Workspace;
pub use convert::to_rego_keeping_nulls;

/// Builds the input document. Also returns findings for area path patterns that do not compile.
pub fn build(ws: &Workspace, now: &str) -> (Value, Vec<Finding>) {
    let mut problems = Vec::new();
    let mut doc = BTreeMap::new();
    doc.insert(Value::from("plan"), convert::plan_value(&ws.plan));
    doc.insert(Value::from("codeowners"), codeowners_value(ws));
    let areas = area_ownership::compute(ws, &mut problems);
    doc.insert(Value::from("ownership"), areas.ownership_value(ws));
    let files: Vec<Value> = ws
        .plan
        .files
        .iter()
        .map(|f| {
            let mut m = BTreeMap::new();
            m.insert(Value::from("path"), Value::from(f.path.as_str()));
            m.insert(Value::from("kind"), Value::from(f.format.as_str()));
            Value::from(m)
        })
        .collect();
    doc.insert(Value::from("files"), Value::from(files));
    let clock = crate::oncall::now::parse(now);
    let date = clock.as_ref().map_or(now.to_string(), |c| c.date.clone());
    doc.insert(Value::from("now"), Value::from(date));
    let horizon = crate::facts::horizon(clock.as_ref(), ws.config.oncall.horizon_days);
    doc.insert(Value::from("oncall"), oncall_value(ws, horizon));
    let mut facts = crate::facts::value(ws, horizon);
    crate::facts::codeowners::insert(&mut facts, ws);
    areas.insert_paths_fact(&mut facts);
    areas.insert_fact(&mut facts, ws);
    doc.insert(Value::from("facts"), facts);
    doc.insert(
        Value::from("manifests"),
        convert::manifests_value(&ws.manifests),
    );
    crate::manifests::areas::add_facts(&mut doc, &ws.manifests);
    (Value::from(doc), problems)
}

/// `data.config`: the rule options of the configuration, as policies read them
/// (`data.config.area_min_contacts`, the on-call options).
pub fn config_data(config: &Config) -> Value {
    let mut conf = BTreeMap::new();
    conf.insert(
        Value::from("area_min_contacts"),
        Value::from(config.area_min_contacts),
    );
    config.oncall.insert_into(&mut conf);
    let mut data = BTreeMap::new();
    data.insert(Value::from("config"), Value::from(conf));
    data.insert(Value::from("tmfk"), crate::manifests::tmfk::rego_value());
    Value::from(data)
}

/// `input.oncall`: every team's on-call over the horizon [now, now + `horizon-days`) as
/// intervals that tile it exactly, gaps included with no contacts (DESIGN.md, "On-call in time").
fn oncall_value(ws: &Workspace, horizon: Option<(jiff::Timestamp, jiff::Timestamp)>) -> Value {
    let Some((from, to)) = horizon else {
        return Value::Null;
    };
    let inactive = crate::oncall::plan::inactive_contacts(&ws.plan);
    let active = |c: &str| !inactive.contains(c);
    let mut teams = BTreeMap::new();
    for team in crate::oncall::plan::teams(&ws.plan) {
        let intervals: Vec<Value> = team
            .schedule
            .intervals(from, to, &active)
            .into_iter()
            .map(|i| {
                let mut o = BTreeMap::new();
                o.insert(Value::from("from"), Value::from(i.from.to_string()));
                o.insert(Value::from("to"), Value::from(i.to.to_string()));
                let contacts: Vec<Value> =
                    i.contacts.iter().map(|c| Value::from(c.as_str())).collect();
                o.insert(Value::from("contacts"), Value::from(contacts));
                Value::from(o)
            })
            .collect();
        // A duplicated team id keeps its first definition; unique-id reports the second.
        teams
            .entry(Value::from(team.team.as_str()))
            .or_insert_with(|| Value::from(intervals));
    }
    let mut m = BTreeMap::new();
    m.insert(Value::from("from"), Value::from(from.to_string()));
    m.insert(Value::from("to"), Value::from(to.to_string()));
    m.insert(Value::from("teams"), Value::from(teams));
    Value::from(m)
}

fn codeowners_value(ws: &Workspace) -> Value {
    let co = &ws.codeowners;
    let mut m = BTreeMap::new();
    m.insert(
        Value::from("path"),
        co.path.as_deref().map_or(Value::Null, Value::from),
    );
    let rules: Vec<Value> = co
        .parsed
        .rules
        .iter()
        .map(|r| {
            let mut o = BTreeMap::new();
            o.insert(Value::from("line"), Value::from(u64::from(r.line)));
            o.insert(Value::from("pattern"), Value::from(r.pattern.as_str()));
            o.insert(
                Value::from("owners"),
                Value::from(
                    r.owners
                        .iter()
                        .map(|s| Value::from(s.as_str()))
                        .collect::<Vec<_>>(),
                ),
            );
            Value::from(o)
        })
        .collect();
    m.insert(Value::from("rules"), Value::from(rules));
    let errors: Vec<Value> = co
        .parsed
        .errors
        .iter()
        .map(|e| {
            let mut o = BTreeMap::new();
            o.insert(Value::from("line"), Value::from(u64::from(e.line)));
            o.insert(Value::from("column"), Value::from(u64::from(e.column)));
            o.insert(Value::from("kind"), Value::from(e.kind.as_str()));
            // The location carries the line; keeping it out of the message keeps fingerprints stable.
            o.insert(
                Value::from("message"),
                Value::from(e.message_without_line()),
            );
            Value::from(o)
        })
        .collect();
    m.insert(Value::from("errors"), Value::from(errors));
    Value::from(m)
}

/// Where a path into the input document points: file, line, column, and a stable subject key,
/// with whether that key names one thing (an element, a field, a file, a CODEOWNERS rule). A
/// finding about one thing is identified by rule and key alone, so its message may change
/// (a count, a list order) without making it a new finding; otherwise the message is part of
/// its identity.
pub fn locate(ws: &Workspace, path: Option<&[Seg]>) -> (Location, Subject, bool) {
    let plan = &ws.plan;
    let first_file = plan
        .files
        .first()
        .map(|f| f.path.clone())
        .unwrap_or_default();
    let at = |path: &str, line: u32, column: u32| Location {
        path: path.to_string(),
        line,
        column,
    };
    let fallback = (at(&first_file, 1, 1), Subject::from("plan"), false);
    let Some(path) = path else { return fallback };
    let Some((Seg::Key(root), rest)) = path.split_first() else {
        return fallback;
    };
    match root.as_str() {
        "plan" => match plan.resolve(rest) {
            Some((fi, pos)) => (
                at(&plan.files[fi].path, pos.line, pos.column),
                plan.key(rest).into(),
                !rest.is_empty(),
            ),
            None => (
                at(&first_file, 1, 1),
                plan.key(rest).into(),
                !rest.is_empty(),
            ),
        },
        "codeowners" => {
            let co = &ws.codeowners;
            let file = co
                .path
                .clone()
                .unwrap_or_else(|| ".github/CODEOWNERS".into());
            match rest {
                [Seg::Key(k), Seg::Index(i), ..] if k == "errors" => match co.parsed.errors.get(*i)
                {
                    // Errors of one kind share a key: the message tells them apart.
                    Some(e) => (
                        at(&file, e.line, e.column),
                        Subject::named("codeowners.errors", &e.kind),
                        false,
                    ),
                    None => (at(&file, 1, 1), Subject::from("codeowners"), false),
                },
                [Seg::Key(k), Seg::Index(i), ..] if k == "rules" => match co.parsed.rules.get(*i) {
                    Some(r) => (
                        at(&file, r.line, 1),
                        Subject::named("codeowners.rules", &r.pattern),
                        true,
                    ),
                    None => (at(&file, 1, 1), Subject::from("codeowners"), false),
                },
                _ => (at(&file, 1, 1), Subject::from("codeowners"), false),
            }
        }
        "facts" => crate::facts::codeowners::locate(ws, rest).unwrap_or(fallback),
        "files" => match rest.first() {
            Some(Seg::Index(i)) => match plan.files.get(*i) {
                Some(f) => (
                    at(&f.path, FILE_START.line, FILE_START.column),
                    Subject::file("files", &f.path),
                    true,
                ),
                None => fallback,
            },
            _ => fallback,
        },
        "manifests" => match ws.manifests.locate(rest) {
            Some((location, subject)) => (location, subject, false),
            None => fallback,
        },
        "ownership" => match rest.first() {
            Some(Seg::Key(p)) => (at(p, 1, 1), Subject::file("ownership", p), true),
            _ => fallback,
        },
        _ => fallback,
    }
}

/// Schema violations as `plan-schema` findings.
pub fn schema_findings(ws: &Workspace) -> Vec<Finding> {
    ws.plan
        .violations
        .iter()
        .map(|v| {
            let file = &ws.plan.files[v.file];
            let mut subject = format!("{}:", file.path);
            for seg in &v.violation.path {
                match seg {
                    Seg::Key(k) => subject.push_str(&format!(".{k}")),
                    // The index within this file's list (not the merged plan's).
                    Seg::Index(i) => subject.push_str(&format!("[{i}]")),
                }
            }
            Finding::new(
                SCHEMA_RULE,
                Severity::Error,
                v.violation.message.clone(),
                Location {
                    path: file.path.clone(),
                    line: v.violation.pos.line,
                    column: v.violation.pos.column,
                },
                subject,
            )
            .with_help(Some(format!(
                "plan files follow the schema printed by `plancheck schema` (apiVersion {}, kind {})",
                schema::API_VERSION,
                schema::KIND
            )))
        })
        .collect()
}
