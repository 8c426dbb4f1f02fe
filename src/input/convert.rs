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

/// `input.manifests` (normative): `[{"path", "line", "object"}]`. Objects are converted on
/// every core, their keys shared (one string per distinct key and thread, not one per node).
pub fn manifests_value(m: &crate::manifests::Manifests) -> Rv {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = m.objects.len().div_ceil(threads).max(1);
    let chunks: Vec<(usize, &[crate::manifests::Object])> =
        m.objects.chunks(chunk).enumerate().collect();
    let convert_chunk = |objects: &[crate::manifests::Object]| {
        let mut keys = Keys::default();
        let line = Rv::from("line");
        let (path_key, object_key) = (Rv::from("path"), Rv::from("object"));
        objects
            .iter()
            .map(|o| {
                let mut obj = BTreeMap::new();
                obj.insert(path_key.clone(), Rv::from(m.files[o.file].path.as_str()));
                obj.insert(line.clone(), Rv::from(u64::from(o.node.pos.line)));
                obj.insert(object_key.clone(), keys.convert(&o.node));
                Rv::from(obj)
            })
            .collect::<Vec<_>>()
    };
    let parts: Vec<Vec<Rv>> = if chunks.len() < 2 || m.objects.len() < 256 {
        chunks.into_iter().map(|(_, c)| convert_chunk(c)).collect()
    } else {
        let n = chunks.len();
        crate::parallel::map_by_index(chunks, n, convert_chunk)
    };
    Rv::from(parts.into_iter().flatten().collect::<Vec<_>>())
}

/// Map keys converted once: manifests repeat the same few hundred keys thousands of times.
#[derive(Default)]
struct Keys(std::collections::HashMap<String, Rv>);

impl Keys {
    fn key(&mut self, k: &str) -> Rv {
        if let Some(v) = self.0.get(k) {
            return v.clone();
        }
        let v = Rv::from(k);
        self.0.insert(k.to_string(), v.clone());
        v
    }

    /// As [`to_rego_keeping_nulls`].
    fn convert(&mut self, node: &Node) -> Rv {
        match &node.value {
            Value::Seq(items) => {
                Rv::from(items.iter().map(|n| self.convert(n)).collect::<Vec<_>>())
            }
            Value::Map(entries) => {
                let mut obj = BTreeMap::new();
                for (k, v) in entries {
                    obj.insert(self.key(&k.name), self.convert(v));
                }
                Rv::from(obj)
            }
            _ => convert(node, true),
        }
    }
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
