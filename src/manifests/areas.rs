//! Which areas of expertise own each Kubernetes object, computed once in Rust and given to
//! policies as `input.facts.manifests` (and read by the semantic diff from there).
//!
//! An object belongs to an area when its file matches one of the area's `paths`
//! (CODEOWNERS-style patterns), or its kind is in the area's `kinds` and, when the area lists
//! `namespaces` (globs), its namespace matches one of them (an object without a namespace
//! then does not).

use std::collections::BTreeMap;

use globset::{Glob, GlobSet, GlobSetBuilder};
use regorus::Value;

use super::Manifests;
use crate::codeowners::Pattern;

/// One area as membership needs it, read from `input.plan` (the adapter to the plan model).
struct AreaSpec {
    id: String,
    paths: Vec<Pattern>,
    kinds: Vec<String>,
    namespaces: Option<GlobSet>,
}

/// The strings of an array value. (Not `Value::as_array`: its error for an absent field is
/// an `anyhow::Error`, which captures a backtrace when `RUST_BACKTRACE` is set.)
fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Array(xs) => xs
            .iter()
            .filter_map(|x| match x {
                Value::String(s) => Some(s.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The plan's areas with an id (`input.plan.areas`).
fn areas(plan: &Value) -> Vec<AreaSpec> {
    let Ok(list) = plan["areas"].as_array() else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|a| {
            let id = a["id"].as_string().ok()?.to_string();
            // Invalid patterns are reported where area paths are (plan-schema).
            let paths = strings(&a["paths"])
                .iter()
                .filter_map(|p| Pattern::new(p).ok())
                .collect();
            let namespaces = match &a["namespaces"] {
                Value::Array(_) => {
                    let mut b = GlobSetBuilder::new();
                    for g in strings(&a["namespaces"]) {
                        let glob = Glob::new(&g).or_else(|_| Glob::new(&globset::escape(&g)));
                        if let Ok(glob) = glob {
                            b.add(glob);
                        }
                    }
                    b.build().ok()
                }
                _ => None,
            };
            Some(AreaSpec {
                id,
                paths,
                kinds: strings(&a["kinds"]),
                namespaces,
            })
        })
        .collect()
}

/// For each object (in `input.manifests` order), the ids of the areas that own it, sorted.
pub fn membership(m: &Manifests, plan: &Value) -> Vec<Vec<String>> {
    let areas = areas(plan);
    // Path matches are per file: compute them once per file.
    let by_file: Vec<Vec<&str>> = m
        .files
        .iter()
        .map(|f| {
            areas
                .iter()
                .filter(|a| a.paths.iter().any(|p| p.matches(&f.path)))
                .map(|a| a.id.as_str())
                .collect()
        })
        .collect();
    m.objects
        .iter()
        .map(|o| {
            let mut ids: Vec<String> = by_file[o.file].iter().map(|s| s.to_string()).collect();
            for a in &areas {
                let kind = a.kinds.iter().any(|k| k == &o.kind);
                let ns = match (&a.namespaces, &o.namespace) {
                    (None, _) => true,
                    (Some(set), Some(ns)) => set.is_match(ns),
                    (Some(_), None) => false,
                };
                if kind && ns {
                    ids.push(a.id.clone());
                }
            }
            ids.sort();
            ids.dedup();
            ids
        })
        .collect()
}

/// `input.facts.manifests`: `{"areas": [[area ids] per input.manifests index],
/// "by_kind": {kind: [input.manifests indexes]}}` (the index lets a rule about one kind
/// visit those objects only, not every manifest).
pub fn facts(m: &Manifests, plan: &Value) -> Value {
    let areas: Vec<Value> = membership(m, plan)
        .into_iter()
        .map(|ids| Value::from(ids.into_iter().map(Value::from).collect::<Vec<_>>()))
        .collect();
    let mut by_kind: BTreeMap<Value, Vec<Value>> = BTreeMap::new();
    for (i, o) in m.objects.iter().enumerate() {
        by_kind
            .entry(Value::from(o.kind.as_str()))
            .or_default()
            .push(Value::from(i as u64));
    }
    let mut o = BTreeMap::new();
    o.insert(Value::from("areas"), Value::from(areas));
    o.insert(
        Value::from("by_kind"),
        Value::from(
            by_kind
                .into_iter()
                .map(|(k, v)| (k, Value::from(v)))
                .collect::<BTreeMap<_, _>>(),
        ),
    );
    Value::from(o)
}

/// Puts `facts.manifests` into the input document, beside the other facts.
pub fn add_facts(doc: &mut BTreeMap<Value, Value>, m: &Manifests) {
    let plan = doc
        .get(&Value::from("plan"))
        .cloned()
        .unwrap_or(Value::Null);
    let mut value = facts(m, &plan);
    if let (Some(manifests), Ok(obj)) = (doc.get(&Value::from("manifests")), value.as_object_mut())
    {
        obj.insert(
            Value::from("pod_specs"),
            super::workloads::pod_specs(manifests),
        );
    }
    let facts = doc
        .entry(Value::from("facts"))
        .or_insert_with(|| Value::from(BTreeMap::new()));
    if let Ok(obj) = facts.as_object_mut() {
        obj.insert(Value::from("manifests"), value);
    }
}
