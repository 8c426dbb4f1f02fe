//! `input.facts.area_paths`: every valid path pattern of every area, and a tracked file it
//! matches (`null` when it matches none: a stale area, judged by `area-path-unused`).
//! Computed once in Rust with the CODEOWNERS matcher the `ownership` input uses, through its
//! index, so the cost grows with files x candidate patterns, not files x patterns.

use std::collections::BTreeMap;

use regorus::Value;

use crate::codeowners::{Pattern, PatternIndex};
use crate::plan::node::{Node, Value as NodeValue};
use crate::plan::List;
use crate::workspace::Workspace;

/// One area path pattern: where it is in the plan, and the first tracked file it matches.
struct AreaPath {
    area: String,
    area_index: usize,
    path_index: usize,
    text: String,
    pattern: Pattern,
}

fn area_paths(ws: &Workspace) -> Vec<AreaPath> {
    let plan = &ws.plan;
    let mut out = Vec::new();
    for (ai, r) in plan.lists.get(List::Areas).iter().enumerate() {
        let Some(area) = plan.elem(List::Areas, *r) else {
            continue;
        };
        let Some(id) = area.get("id").and_then(Node::as_str) else {
            continue;
        };
        let Some(Node {
            value: NodeValue::Seq(paths),
            ..
        }) = area.get("paths")
        else {
            continue;
        };
        for (pi, p) in paths.iter().enumerate() {
            // An invalid pattern is a plan-schema finding already (input::ownership_value).
            if let Some(pattern) = p.as_str().and_then(|t| Pattern::new(t).ok()) {
                out.push(AreaPath {
                    area: id.to_string(),
                    area_index: ai,
                    path_index: pi,
                    text: p.as_str().unwrap_or_default().to_string(),
                    pattern,
                });
            }
        }
    }
    out
}

/// The first tracked file (in git's order) each pattern matches.
fn first_matches(paths: &[AreaPath], tracked: &[String]) -> Vec<Option<String>> {
    let mut found: Vec<Option<String>> = vec![None; paths.len()];
    let mut left = paths.len();
    let index = PatternIndex::new(paths.iter().map(|p| &p.pattern));
    for file in tracked {
        if left == 0 {
            break;
        }
        for i in index.candidates(file) {
            if found[i].is_none() && paths[i].pattern.matches(file) {
                found[i] = Some(file.clone());
                left -= 1;
            }
        }
    }
    found
}

pub fn value(ws: &Workspace) -> Value {
    let paths = area_paths(ws);
    let found = first_matches(&paths, &ws.tracked);
    let list: Vec<Value> = paths
        .iter()
        .zip(found)
        .map(|(p, m)| {
            let mut o = BTreeMap::new();
            o.insert(Value::from("area"), Value::from(p.area.as_str()));
            o.insert(Value::from("area_index"), Value::from(p.area_index as u64));
            o.insert(Value::from("path_index"), Value::from(p.path_index as u64));
            o.insert(Value::from("pattern"), Value::from(p.text.as_str()));
            o.insert(
                Value::from("matches"),
                m.map_or(Value::Null, |f| Value::from(f.as_str())),
            );
            Value::from(o)
        })
        .collect();
    Value::from(list)
}

pub fn insert(facts: &mut Value, ws: &Workspace) {
    if let Ok(map) = facts.as_object_mut() {
        map.insert(Value::from("area_paths"), value(ws));
    }
}
