//! What a change did to the plan, computed on the model (lists matched by id), not the text.
//!
//! The fields compared are the schema's ([`crate::plan::schema`]): a field the schema gains is
//! described without a change here. Whether a high-profile threat reaches the executive tier
//! is the `high-profile-executive` rule's judgement: the diff reads it from that rule's
//! findings on each side, never judges it again.

mod charts;
mod executive;
mod fields;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::Value;

use crate::finding::Finding;
pub use charts::{escalation_charts, Chart};

/// One statement about the change, e.g. "owner of THR-2 changed erin → bob".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// threats, contacts, teams, areas, escalation, executive, waivers or metadata.
    pub section: &'static str,
    pub text: String,
}

/// One checked side as the semantic diff reads it: the input document its policies saw and
/// what they found.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub input: &'a Rv,
    pub findings: &'a [Finding],
    /// False when schema errors kept the rules from running (nothing was judged).
    pub judged: bool,
}

type Rv = regorus::Value;

fn rv_str(v: &Rv) -> Option<&str> {
    v.as_string().ok().map(|s| s.as_ref())
}

/// `list[id] -> element` of a plan list, on the engine's values (no conversion).
fn rv_list<'a>(plan: &'a Rv, key: &str) -> HashMap<&'a str, &'a Rv> {
    plan[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| Some((rv_str(&e["id"])?, e)))
        .collect()
}

fn list<'a>(plan: &'a Value, key: &str) -> BTreeMap<String, &'a Value> {
    plan.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| Some((e.get("id")?.as_str()?.to_string(), e)))
        .collect()
}

fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "(none)".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => format!(
            "[{}]",
            a.iter()
                .map(|x| show(Some(x)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(other) => other.to_string(),
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|x| show(Some(x)))
        .collect()
}

/// "a, b" for a set difference, in order.
fn minus(a: &[String], b: &[String]) -> Vec<String> {
    a.iter().filter(|x| !b.contains(x)).cloned().collect()
}

/// The parts of `plan` that differ from `other`: list elements whose id is missing there or
/// whose value differs, and the small sections whole. Identical elements (most of a large
/// plan) are never converted.
fn differing(plan: &Rv, other: &Rv) -> Value {
    let mut out = serde_json::Map::new();
    for (key, _) in fields::SECTIONS {
        let theirs = rv_list(other, key);
        let items: Vec<Value> = plan[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| rv_str(&e["id"]).is_none_or(|id| theirs.get(id) != Some(e)))
            .filter_map(|e| serde_json::to_value(e).ok())
            .collect();
        out.insert(key.to_string(), Value::Array(items));
    }
    for key in ["metadata", "waivers"] {
        if let Ok(v) = serde_json::to_value(&plan[key]) {
            if !v.is_string() {
                out.insert(key.to_string(), v);
            }
        }
    }
    Value::Object(out)
}

/// The semantic diff of two checked sides.
pub fn diff(base: Side<'_>, head: Side<'_>) -> Vec<Change> {
    let (bp, hp) = (&base.input["plan"], &head.input["plan"]);
    let mut out = fields::diff_plans(&differing(bp, hp), &differing(hp, bp));
    out.extend(executive::changes(base, head));
    out
}

#[cfg(test)]
mod tests;
