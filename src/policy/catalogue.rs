//! The risk catalogue (every package under `plancheck.risks`, docs/kubernetes.md), evaluated
//! once per check and given to the rules as data.
//!
//! `manifest-area` and `threat-coverage` both read `data.plancheck.risks[pkg]...`, and regorus
//! evaluates a whole package for such a reference, `hits` included. Each rule runs on its own
//! engine, so the catalogue used to be evaluated once per rule that reads it. Instead the
//! runner evaluates each catalogue package once, on the full engine, and runs the rules on a
//! second prepared engine that holds every module except the catalogue's, with the catalogue's
//! values merged under `data.plancheck.risks`: the rules read the same values, now as data.
//!
//! That is the same document only while nothing outside the catalogue could see a difference
//! between the values and the rules that produce them, so the split is not used when a user
//! policy outside the catalogue names `plancheck.risks` (it might call one of its functions)
//! or uses `with` (it might evaluate the catalogue on another input), when a rule or an
//! `exception` lives in a catalogue package, or when test files are loaded. Then every rule
//! runs on the full engine, as before.

use anyhow::{anyhow, Result};
use regorus::{Engine, Value};

use super::{guard, PolicySet};

/// What the catalogue packages are, and the engine without them.
#[derive(Clone)]
pub(crate) struct Split {
    /// Every module except the catalogue packages' (the rules read the catalogue as data).
    engine: Engine,
    /// The catalogue packages, with the file and line that declare each (for errors).
    packages: Vec<(String, String, u32)>,
    /// The files that name `plancheck.risks` (their rules need the catalogue).
    readers: Vec<String>,
    /// Whether the split gives every rule the same document as the full engine (see above).
    sound: bool,
}

/// Whether a package is part of the risk catalogue.
pub(crate) fn is_catalogue(package: &str) -> bool {
    package == "plancheck.risks" || package.starts_with("plancheck.risks.")
}

/// Whether a policy's text (outside comments) has the word `with`.
fn uses_with(text: &str) -> bool {
    text.lines().any(|line| {
        let code = line.split('#').next().unwrap_or("");
        code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|w| w == "with")
    })
}

/// The line of a policy's `package` declaration.
fn package_line(text: &str) -> u32 {
    text.lines()
        .position(|l| l.starts_with("package "))
        .and_then(|i| u32::try_from(i + 1).ok())
        .unwrap_or(1)
}

impl Split {
    /// Takes the engine holding every module but the catalogue's; `catalogue` are the
    /// catalogue files (path, package, text), `others` the user's other files (path, text).
    pub(crate) fn new(
        engine: Engine,
        catalogue: &[(String, String, String)],
        others: &[(&str, &str)],
        builtin_readers: &[&str],
    ) -> Split {
        let mut packages: Vec<(String, String, u32)> = Vec::new();
        for (path, package, text) in catalogue {
            if !packages.iter().any(|(p, _, _)| p == package) {
                packages.push((package.clone(), path.clone(), package_line(text)));
            }
        }
        let mut readers: Vec<String> = builtin_readers.iter().map(|s| s.to_string()).collect();
        // A package `plancheck.risks` itself would hold the others' values too.
        let mut sound =
            !packages.is_empty() && packages.iter().all(|(p, _, _)| p != "plancheck.risks");
        for (path, text) in others {
            if text.contains("plancheck.risks") || uses_with(text) {
                sound = false;
                readers.push(path.to_string());
            }
        }
        Split {
            engine,
            packages,
            readers,
            sound,
        }
    }

    /// Adds a data document to the engine without the catalogue, like the full one's.
    pub(crate) fn add_data(&mut self, value: Value) -> Result<()> {
        self.engine.add_data(value)
    }

    /// Marks the split unusable (a rule or an exception in a catalogue package).
    pub(crate) fn unsound(&mut self) {
        self.sound = false;
    }
}

impl PolicySet {
    /// Adds the catalogue's modules (`deferred`: path, package, text) to the engine, keeping
    /// the engine without them for [`PolicySet::catalogue_engine`].
    pub(super) fn split_catalogue(
        &mut self,
        deferred: Vec<(String, String, String)>,
    ) -> Result<()> {
        let without = self.engine.clone();
        for (path, _, text) in &deferred {
            self.engine
                .add_policy(path.clone(), text.clone())
                .map_err(|e| super::compile_error(path, &e))?;
        }
        let others: Vec<(&str, &str)> = self
            .texts
            .iter()
            .filter(|(path, _)| !deferred.iter().any(|(p, _, _)| p == *path))
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let readers: Vec<&str> = self
            .sources
            .iter()
            .filter(|s| s.builtin && !is_catalogue(&s.package))
            .filter(|s| {
                super::BUILTIN
                    .iter()
                    .any(|(p, t)| *p == s.path && t.contains("plancheck.risks"))
            })
            .map(|s| s.path.as_str())
            .collect();
        let mut split = Split::new(without, &deferred, &others, &readers);
        let inside = self
            .rules
            .iter()
            .any(|r| !r.query.is_empty() && is_catalogue(&r.package))
            || self.exceptions.iter().any(|e| is_catalogue(&e.package));
        if inside {
            split.unsound();
        }
        self.catalogue = Some(split);
        Ok(())
    }

    /// The engine the selected rules run on, with `data` and `input` set: the one without the
    /// catalogue, its values evaluated once and merged as data, when that is sound and some
    /// selected rule reads the catalogue; otherwise `None` (use the full engine).
    pub(crate) fn catalogue_engine(
        &self,
        input: &Value,
        data: &Value,
        selected: &[usize],
    ) -> Result<Option<Engine>> {
        let Some(split) = self.catalogue.as_ref().filter(|s| s.sound) else {
            return Ok(None);
        };
        let reads = selected
            .iter()
            .any(|&i| split.readers.contains(&self.rules[i].file));
        if !reads {
            return Ok(None);
        }
        let mut full = self.engine_with_data(data.clone())?;
        full.set_input(input.clone());
        let mut values = std::collections::BTreeMap::new();
        for (package, file, line) in &split.packages {
            let unit = guard::Unit::new(format!("risk catalogue `{package}`"), file, *line);
            let query = format!("data.{package}");
            let out = guard::eval(&mut full, &unit, self.timeout, move |e| {
                e.eval_query(query, false)
            })?;
            let results = out.map_err(|e| unit.failed(&e, self.timeout))?;
            let value = results
                .result
                .into_iter()
                .next()
                .and_then(|r| r.expressions.into_iter().next())
                .map_or(Value::Undefined, |e| e.value);
            if value == Value::Undefined {
                continue;
            }
            let key = package.trim_start_matches("plancheck.risks.");
            values.insert(key.to_string(), value);
        }
        let mut engine = split.engine.clone();
        engine
            .add_data(data.clone())
            .map_err(|e| anyhow!("cannot add policy data: {e}"))?;
        if !values.is_empty() {
            engine
                .add_data(catalogue_document(values))
                .map_err(|e| anyhow!("cannot add the evaluated risk catalogue: {e}"))?;
        }
        self.set_timer(&mut engine);
        engine.set_input(input.clone());
        Ok(Some(engine))
    }
}

/// `{"plancheck": {"risks": {pkg: value}}}`.
fn catalogue_document(values: std::collections::BTreeMap<String, Value>) -> Value {
    let mut risks = std::collections::BTreeMap::new();
    for (key, value) in values {
        risks.insert(Value::from(key), value);
    }
    let plancheck = std::collections::BTreeMap::from([(Value::from("risks"), Value::from(risks))]);
    Value::from(std::collections::BTreeMap::from([(
        Value::from("plancheck"),
        Value::from(plancheck),
    )]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_is_found_as_a_word_outside_comments() {
        assert!(uses_with("x := y with input as {}"));
        assert!(!uses_with("# evaluated with care\nwithin := 1"));
        assert!(!uses_with("without := 1"));
    }

    #[test]
    fn the_builtin_pack_is_split_and_only_its_catalogue_readers_need_the_catalogue() {
        let set = PolicySet::builtin().expect("the built-in pack compiles");
        let split = set
            .catalogue
            .as_ref()
            .expect("the built-in pack has a catalogue");
        assert!(split.sound);
        assert_eq!(split.packages.len(), 1);
        assert_eq!(split.packages[0].0, "plancheck.risks.builtin");
        let mut readers = split.readers.clone();
        readers.sort();
        assert_eq!(
            readers,
            [
                "policies/manifest-area.rego",
                "policies/threat-coverage.rego"
            ]
        );
    }
}
