//! The semantic diff of the Kubernetes objects: which objects gained or lost an area of
//! expertise (read from `input.facts.manifests`, the values the policies saw), and which
//! were added or removed with the areas that own them.

use std::collections::{BTreeMap, BTreeSet};

use regorus::Value;

use super::Change;

/// The section of the plan changes these statements go in.
pub const SECTION: &str = "manifests";

/// At most this many statements; the rest are counted in one line.
const MAX: usize = 25;

/// `Kind namespace/name` (or `Kind name`) → (file, areas), from an input document.
fn objects(input: &Value) -> BTreeMap<String, (String, BTreeSet<String>)> {
    let mut out = BTreeMap::new();
    let Ok(list) = input["manifests"].as_array() else {
        return out;
    };
    let areas = &input["facts"]["manifests"]["areas"];
    let text = |v: &Value| v.as_string().map(|s| s.to_string()).ok();
    for (i, m) in list.iter().enumerate() {
        let o = &m["object"];
        let (Some(kind), Some(name)) = (text(&o["kind"]), text(&o["metadata"]["name"])) else {
            continue;
        };
        let shown = match text(&o["metadata"]["namespace"]) {
            Some(ns) => format!("{kind} {ns}/{name}"),
            None => format!("{kind} {name}"),
        };
        let owned: BTreeSet<String> = areas[i]
            .as_array()
            .map(|a| a.iter().filter_map(text).collect())
            .unwrap_or_default();
        out.entry(shown)
            .or_insert((text(&m["path"]).unwrap_or_default(), owned));
    }
    out
}

fn list(areas: &BTreeSet<String>) -> String {
    areas.iter().cloned().collect::<Vec<_>>().join(", ")
}

pub fn changes(base: &Value, head: &Value) -> Vec<Change> {
    let (before, after) = (objects(base), objects(head));
    let mut texts = Vec::new();
    for (obj, (path, now)) in &after {
        match before.get(obj) {
            None if now.is_empty() => {
                texts.push(format!("{obj} added ({path}), in no area of expertise"))
            }
            None => texts.push(format!("{obj} added ({path}), area {}", list(now))),
            Some((_, was)) if was == now => {}
            Some((_, was)) => {
                let gained: BTreeSet<String> = now.difference(was).cloned().collect();
                let lost: BTreeSet<String> = was.difference(now).cloned().collect();
                let mut parts = Vec::new();
                if !gained.is_empty() {
                    parts.push(format!("gained area {}", list(&gained)));
                }
                if !lost.is_empty() {
                    parts.push(format!("lost area {}", list(&lost)));
                }
                let tail = if now.is_empty() {
                    "; now in no area of expertise"
                } else {
                    ""
                };
                texts.push(format!("{obj} ({path}) {}{tail}", parts.join(", ")));
            }
        }
    }
    for (obj, (path, was)) in &before {
        if !after.contains_key(obj) {
            let tail = if was.is_empty() {
                String::new()
            } else {
                format!(" (was in area {})", list(was))
            };
            texts.push(format!("{obj} removed ({path}){tail}"));
        }
    }
    let extra = texts.len().saturating_sub(MAX);
    texts.truncate(MAX);
    if extra > 0 {
        texts.push(format!("and {extra} more Kubernetes object changes"));
    }
    texts
        .into_iter()
        .map(|text| Change {
            section: SECTION,
            text,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(objects: serde_json::Value, areas: serde_json::Value) -> Value {
        let v = serde_json::json!({"manifests": objects, "facts": {"manifests": {"areas": areas}}});
        Value::from_json_str(&v.to_string()).expect("json")
    }

    fn sc(name: &str) -> serde_json::Value {
        serde_json::json!({"path": "k8s/sc.yaml", "line": 1, "object": {"kind": "StorageClass", "metadata": {"name": name}}})
    }

    #[test]
    fn objects_that_gain_or_lose_an_area_are_listed() {
        let base = doc(
            serde_json::json!([sc("a"), sc("b"), sc("gone")]),
            serde_json::json!([["storage"], [], ["storage"]]),
        );
        let head = doc(
            serde_json::json!([sc("a"), sc("b"), sc("new")]),
            serde_json::json!([[], ["storage", "platform"]]),
        );
        let texts: Vec<String> = changes(&base, &head).into_iter().map(|c| c.text).collect();
        assert_eq!(
            texts,
            [
                "StorageClass a (k8s/sc.yaml) lost area storage; now in no area of expertise",
                "StorageClass b (k8s/sc.yaml) gained area platform, storage",
                "StorageClass new added (k8s/sc.yaml), in no area of expertise",
                "StorageClass gone removed (k8s/sc.yaml) (was in area storage)",
            ]
        );
        assert!(changes(&base, &base).is_empty());
    }
}
