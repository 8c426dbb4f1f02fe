//! The plan model turned into the engine's values: the one place `regorus::Value`s are built
//! from plan and data files.

use std::collections::BTreeMap;

use regorus::Value as Rv;

use crate::plan::node::{Node, Value};
use crate::plan::{List, Plan};

/// The merged plan as the policies see it (`input.plan`).
pub fn plan_value(plan: &Plan) -> Rv {
    let mut obj = BTreeMap::new();
    let head = plan.head.map(|h| plan.doc(h));
    for key in ["apiVersion", "kind"] {
        let v = head.and_then(|d| d.get(key)).map_or(Rv::Null, to_rego);
        obj.insert(Rv::from(key), v);
    }
    let meta = plan
        .metadata
        .and_then(|m| plan.doc(m).get("metadata"))
        .map_or_else(|| Rv::from(BTreeMap::new()), to_rego);
    obj.insert(Rv::from("metadata"), meta);
    for list in List::ALL {
        let items: Vec<Rv> = plan.elements(list).map(to_rego).collect();
        obj.insert(Rv::from(list.name()), Rv::from(items));
    }
    Rv::from(obj)
}

/// `input.manifests` (normative): `[{"path", "line", "object"}]`, the objects' values built
/// when their files were read.
pub fn manifests_value(m: &crate::manifests::Manifests) -> Rv {
    let (path_key, line_key, object_key) = (Rv::from("path"), Rv::from("line"), Rv::from("object"));
    let paths: Vec<Rv> = m.files.iter().map(|f| Rv::from(f.path.as_str())).collect();
    let items: Vec<Rv> = m
        .objects
        .iter()
        .map(|o| {
            let mut obj = BTreeMap::new();
            obj.insert(path_key.clone(), paths[o.file].clone());
            obj.insert(line_key.clone(), Rv::from(u64::from(o.pos.line)));
            obj.insert(object_key.clone(), o.value.clone());
            Rv::from(obj)
        })
        .collect();
    Rv::from(items)
}

/// Converts a node to the engine's value type. A key with an empty value counts as absent.
pub fn to_rego(node: &Node) -> Rv {
    convert(node, false)
}

/// Converts a node as written, keeping keys whose value is null (for data files).
pub fn to_rego_keeping_nulls(node: &Node) -> Rv {
    convert(node, true)
}

fn convert(node: &Node, keep_nulls: bool) -> Rv {
    match &node.value {
        Value::Null => Rv::Null,
        Value::Bool(b) => Rv::from(*b),
        Value::Int(i) => Rv::from(*i),
        Value::Float(f) => Rv::from(*f),
        Value::Str(s) => Rv::from(s.as_str()),
        Value::Seq(items) => Rv::from(
            items
                .iter()
                .map(|n| convert(n, keep_nulls))
                .collect::<Vec<_>>(),
        ),
        Value::Map(entries) => {
            let mut obj = BTreeMap::new();
            for (k, v) in entries {
                if keep_nulls || !matches!(v.value, Value::Null) {
                    obj.insert(Rv::from(k.name.as_str()), convert(v, keep_nulls));
                }
            }
            Rv::from(obj)
        }
    }
}
