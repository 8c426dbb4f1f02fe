//! The Threat Matrix for Kubernetes (Microsoft, via Security-Experts-Community/tmfk-stix-data,
//! MIT licence in `tmfk/LICENSE`), embedded as a compact catalogue derived by `tmfk/derive.py`.
//! One source for Rust (validation, names in messages) and Rego (`data.tmfk`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regorus::Value;
use serde::Deserialize;

const JSON: &str = include_str!("tmfk/tmfk.json");

#[derive(Debug, Clone, Deserialize)]
pub struct Technique {
    pub name: String,
    pub tactics: Vec<String>,
    /// ATT&CK ids the technique maps to.
    pub attack: Vec<String>,
    pub url: String,
}

#[derive(Debug, Deserialize)]
struct Catalogue {
    techniques: BTreeMap<String, Technique>,
}

fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| {
        // The file is part of the binary and tested below: it always parses.
        serde_json::from_str(JSON).unwrap_or(Catalogue {
            techniques: BTreeMap::new(),
        })
    })
}

/// Every technique, by id.
pub fn techniques() -> &'static BTreeMap<String, Technique> {
    &catalogue().techniques
}

pub fn technique(id: &str) -> Option<&'static Technique> {
    catalogue().techniques.get(id)
}

/// `MS-TA9038 Data destruction`; an ATT&CK id (or an unknown one) as it is.
pub fn describe(id: &str) -> String {
    match technique(id) {
        Some(t) => format!("{id} {}", t.name),
        None => id.to_string(),
    }
}

/// Whether `id` has the shape of a Threat Matrix id (`MS-TA9038`) or an ATT&CK technique id
/// (`T1485`, `T1078.003`): the schema's rule for `techniques`.
pub use crate::plan::schema::is_technique as well_formed;

/// `data.tmfk` for the policies: `{"techniques": {"MS-TA9038": {"name", "tactics", "attack", "url"}}}`.
pub fn rego_value() -> Value {
    static VALUE: OnceLock<Value> = OnceLock::new();
    VALUE
        .get_or_init(|| {
            let mut techniques = BTreeMap::new();
            for (id, t) in techniques_iter() {
                let mut o = BTreeMap::new();
                o.insert(Value::from("name"), Value::from(t.name.as_str()));
                let list = |xs: &[String]| {
                    Value::from(
                        xs.iter()
                            .map(|x| Value::from(x.as_str()))
                            .collect::<Vec<_>>(),
                    )
                };
                o.insert(Value::from("tactics"), list(&t.tactics));
                o.insert(Value::from("attack"), list(&t.attack));
                o.insert(Value::from("url"), Value::from(t.url.as_str()));
                techniques.insert(Value::from(id.as_str()), Value::from(o));
            }
            let mut m = BTreeMap::new();
            m.insert(Value::from("techniques"), Value::from(techniques));
            Value::from(m)
        })
        .clone()
}

fn techniques_iter() -> impl Iterator<Item = (&'static String, &'static Technique)> {
    catalogue().techniques.iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_catalogue_parses_and_names_the_techniques_design_lists() {
        let cat: Catalogue = serde_json::from_str(JSON).expect("tmfk.json parses");
        assert_eq!(cat.techniques.len(), 40);
        assert_eq!(describe("MS-TA9038"), "MS-TA9038 Data destruction");
        assert_eq!(describe("MS-TA9019"), "MS-TA9019 Cluster-admin binding");
        assert_eq!(
            technique("MS-TA9019").map(|t| t.attack.clone()),
            Some(vec!["T1078.003".to_string()])
        );
        assert!(technique("MS-TA9032").is_none());
    }

    #[test]
    fn ids_are_accepted_by_shape() {
        for ok in ["MS-TA9001", "T1485", "T1078.003"] {
            assert!(well_formed(ok), "{ok}");
        }
        for bad in [
            "MS-TA901",
            "ms-ta9001",
            "T148",
            "T1078.3",
            "TA0001",
            "MS-M9001",
            "",
        ] {
            assert!(!well_formed(bad), "{bad}");
        }
    }
}
