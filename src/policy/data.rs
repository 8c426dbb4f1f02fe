//! `data` for policies: JSON or YAML files (`--data`, `data = [...]`) merged into the engine.

use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use regorus::Value;

use super::PolicySet;
use crate::error::Advice;

impl PolicySet {
    /// Adds data documents (`--data FILE`, JSON or YAML objects) under `data`.
    pub fn add_data_file(&mut self, path: &Path, shown: &str) -> Result<()> {
        let value = read_data_file(path, shown)?;
        self.add_data_value(value, shown)
    }

    /// Adds a data document read from a revision (`shown` is its path there).
    pub fn add_data_text(&mut self, shown: &str, text: &str) -> Result<()> {
        let value = parse_data(shown, text, shown.ends_with(".json"))?;
        self.add_data_value(value, shown)
    }

    fn add_data_value(&mut self, value: Value, shown: &str) -> Result<()> {
        // Data lives in the same tree as the rules: a data file keyed like a package would
        // replace its rules (an empty `plancheck.threat_owner.deny` silences the rule), and
        // `config` is plancheck's own.
        let roots: std::collections::BTreeSet<String> = self
            .engine
            .get_packages()
            .map_err(|e| anyhow!("cannot list policy packages: {e}"))?
            .iter()
            .filter_map(|p| {
                p.strip_prefix("data.")?
                    .split('.')
                    .next()
                    .map(str::to_string)
            })
            .chain(["config".to_string(), "tmfk".to_string()])
            .collect();
        if let Ok(obj) = value.as_object() {
            for key in obj.keys() {
                if let Ok(k) = key.as_string() {
                    if roots.contains(k.as_ref()) {
                        let what = if k.as_ref() == "config" {
                            "is reserved for plancheck's configuration (data.config)".to_string()
                        } else if k.as_ref() == "tmfk" {
                            "is reserved for the bundled Threat Matrix for Kubernetes (data.tmfk)"
                                .to_string()
                        } else {
                            format!("is the root of policy package `{k}`: data under it would replace or break its rules")
                        };
                        bail!(Advice::new(
                            format!("{shown}: top-level data key `{k}` {what}"),
                            "put the data under another key (e.g. `storage:` read as data.storage) and read it from there"
                        ));
                    }
                }
            }
        }
        let clash = |e: anyhow::Error| {
            anyhow!(
                "{shown}: cannot merge into policy data; another data file sets the same key: {e}"
            )
        };
        if let Some(split) = self.catalogue.as_mut() {
            split.add_data(value.clone()).map_err(clash)?;
        }
        self.engine.add_data(value).map_err(clash)
    }
}

/// Reads a `--data` file: a JSON or YAML object, merged under `data`.
pub fn read_data_file(path: &Path, shown: &str) -> Result<Value> {
    let bytes = std::fs::read(path).with_context(|| format!("{shown}: cannot read data file"))?;
    let text = crate::plan::decode_utf8(shown, bytes)?;
    parse_data(shown, &text, path.extension().is_some_and(|e| e == "json"))
}

/// A data document (JSON, else YAML), which must be an object.
fn parse_data(shown: &str, text: &str, is_json: bool) -> Result<Value> {
    let shown = shown.to_string();
    let value = if is_json {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            crate::error::Located::new(
                &shown,
                crate::plan::node::Pos {
                    line: u32::try_from(e.line()).unwrap_or(u32::MAX),
                    column: u32::try_from(e.column()).unwrap_or(u32::MAX),
                },
                format!("invalid JSON: {e}"),
            )
        })?;
        Value::from_json_str(&v.to_string())
            .map_err(|e| anyhow!("{shown}: cannot convert data: {e}"))?
    } else {
        let docs = crate::plan::node::parse_documents(text).map_err(|e| {
            crate::error::Located::new(&shown, e.pos, format!("invalid YAML: {}", e.message))
        })?;
        match docs.as_slice() {
            [doc] => crate::input::to_rego_keeping_nulls(doc),
            _ => bail!(Advice::new(
                format!(
                    "{shown}: a data file holds exactly one YAML document, found {}",
                    docs.len()
                ),
                "split it into one file per document"
            )),
        }
    };
    if !matches!(value, Value::Object(_)) {
        bail!(Advice::new(
            format!("{shown}: data must be an object at the top level"),
            "write `key: value` pairs; they appear under `data.<key>` in policies"
        ));
    }
    Ok(value)
}
