//! The plan loader on JSON. Odd first byte: the rest as `incident-response/plan.json`. Even:
//! a JSON value built from the input, written compact, pretty or with every non-ASCII
//! character escaped (surrogate pairs included): valid JSON is never refused for its syntax,
//! and the tree read is the value written.
#![no_main]

mod common;

use arbitrary::{Arbitrary, Unstructured};
use plancheck::plan::node::{Node, Value};
use plancheck::plan::parse_file;
use serde_json::Value as Json;

const PATH: &str = "incident-response/plan.json";

#[derive(Arbitrary, Debug)]
enum J {
    Null,
    Bool(bool),
    Int(i64),
    Big(u64),
    Float(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

fn to_json(j: J, depth: usize) -> Json {
    match j {
        J::Null => Json::Null,
        J::Bool(b) => Json::Bool(b),
        J::Int(i) => Json::from(i),
        J::Big(u) => Json::from(u),
        J::Float(f) => serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number),
        J::Str(s) => Json::String(s),
        J::Arr(_) | J::Obj(_) if depth >= 40 => Json::Null,
        J::Arr(items) => Json::Array(items.into_iter().map(|i| to_json(i, depth + 1)).collect()),
        J::Obj(entries) => Json::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k, to_json(v, depth + 1)))
                .collect(),
        ),
    }
}

/// Every non-ASCII character as `\uXXXX` (pairs beyond the BMP), as many JSON encoders write.
/// Serialized JSON has non-ASCII characters only inside strings, so this stays valid JSON.
fn ascii_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

fn same_number(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
}

/// The tree plancheck read is the JSON value (numbers compared as numbers).
fn assert_same(node: &Node, json: &Json) {
    match (&node.value, json) {
        (Value::Null, Json::Null) => {}
        (Value::Bool(a), Json::Bool(b)) => assert_eq!(a, b),
        (Value::Str(a), Json::String(b)) => assert_eq!(a, b),
        (Value::Int(a), Json::Number(n)) => {
            assert!(
                same_number(*a as f64, n.as_f64().unwrap_or(f64::NAN)),
                "{a} vs {n}"
            )
        }
        (Value::Float(a), Json::Number(n)) => {
            assert!(
                same_number(*a, n.as_f64().unwrap_or(f64::NAN)),
                "{a} vs {n}"
            )
        }
        (Value::Seq(items), Json::Array(arr)) => {
            assert_eq!(items.len(), arr.len());
            for (i, j) in items.iter().zip(arr) {
                assert_same(i, j);
            }
        }
        (Value::Map(entries), Json::Object(obj)) => {
            assert_eq!(entries.len(), obj.len());
            for (k, v) in entries {
                let j = obj
                    .get(&k.name)
                    .unwrap_or_else(|| panic!("key {:?} not in the JSON", k.name));
                assert_same(v, j);
            }
        }
        (a, b) => panic!("read {a:?} from the JSON value {b}"),
    }
}

fn depth(j: &Json) -> usize {
    match j {
        Json::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Json::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn structured(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(j) = J::arbitrary(&mut u) else { return };
    let Ok(style) = u8::arbitrary(&mut u) else {
        return;
    };
    let json = to_json(j, 0);
    let text = match style % 3 {
        0 => serde_json::to_string(&json),
        1 => serde_json::to_string_pretty(&json),
        _ => serde_json::to_string(&json).map(|t| ascii_only(&t)),
    }
    .expect("a JSON value serializes");
    check_valid_json(&text, &json);
}

fn check_valid_json(text: &str, json: &Json) {
    match parse_file(PATH, text.as_bytes().to_vec()) {
        Ok(file) => {
            assert_eq!(file.docs.len(), 1, "one JSON text is one document");
            assert_same(&file.docs[0], json);
            common::plan(PATH, text.as_bytes());
        }
        Err(e) => {
            // plancheck's own limits, not syntax: nesting depth.
            assert!(
                depth(json) > plancheck::plan::node::MAX_DEPTH,
                "valid JSON refused: {e}\n{text}"
            );
        }
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((b, rest)) if b % 2 == 1 => {
            common::plan(PATH, rest);
            // Raw JSON that serde_json reads without duplicate keys must read the same.
            if let Ok(text) = std::str::from_utf8(rest) {
                if let Ok(json) = serde_json::from_str::<Json>(text) {
                    if !has_duplicate_keys(text) {
                        check_valid_json(text, &json);
                    }
                }
            }
        }
        Some((_, rest)) => structured(rest),
        None => {}
    }
});

/// Whether an object in the text repeats a key (serde_json keeps the last, plancheck refuses).
fn has_duplicate_keys(text: &str) -> bool {
    use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
    struct Dup;
    impl<'de> serde::de::DeserializeSeed<'de> for Dup {
        type Value = bool;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_any(Dup)
        }
    }
    impl<'de> Visitor<'de> for Dup {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_str<E>(self, _: &str) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<bool, A::Error> {
            let mut dup = false;
            while let Some(d) = a.next_element_seed(Dup)? {
                dup |= d;
            }
            Ok(dup)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<bool, A::Error> {
            let mut seen = std::collections::HashSet::new();
            let mut dup = false;
            while let Some(k) = a.next_key::<String>()? {
                dup |= !seen.insert(k);
                dup |= a.next_value_seed(Dup)?;
            }
            Ok(dup)
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    serde::de::DeserializeSeed::deserialize(Dup, &mut de).unwrap_or(true)
}
