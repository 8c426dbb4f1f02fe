//! A manifest object as the engine's value (`input.manifests[i].object`), built while its
//! file is read: the positioned node tree of a file lives only while the file is parsed, and
//! positions are found again from the text when a finding needs one
//! ([`super::Manifests::locate`]). Holding both for every object was most of the memory of a
//! check on a large manifest tree.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use regorus::Value as Rv;

use crate::plan::node::{Node, Value};

thread_local! {
    /// Map keys converted once per thread: manifests repeat the same few hundred keys
    /// thousands of times, and one shared string per distinct key is all the engine needs.
    static KEYS: RefCell<HashMap<String, Rv>> = RefCell::new(HashMap::new());
}

/// The object as written (keys whose value is null kept), as the engine's value.
pub fn object_value(node: &Node) -> Rv {
    KEYS.with(|keys| convert(&mut keys.borrow_mut(), node))
}

fn key(keys: &mut HashMap<String, Rv>, k: &str) -> Rv {
    if let Some(v) = keys.get(k) {
        return v.clone();
    }
    let v = Rv::from(k);
    keys.insert(k.to_string(), v.clone());
    v
}

fn convert(keys: &mut HashMap<String, Rv>, node: &Node) -> Rv {
    match &node.value {
        Value::Null => Rv::Null,
        Value::Bool(b) => Rv::from(*b),
        Value::Int(i) => Rv::from(*i),
        Value::Float(f) => Rv::from(*f),
        Value::Str(s) => Rv::from(s.as_str()),
        Value::Seq(items) => Rv::from(items.iter().map(|n| convert(keys, n)).collect::<Vec<_>>()),
        Value::Map(entries) => {
            let mut obj = BTreeMap::new();
            for (k, v) in entries {
                obj.insert(key(keys, &k.name), convert(keys, v));
            }
            Rv::from(obj)
        }
    }
}
