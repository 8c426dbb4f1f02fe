//! One-pass evaluation: the rules of a unit evaluated by one regorus query, so the rules they
//! share (`lib.rego`'s helpers, a catalogue package) are computed once per unit instead of once
//! per rule (regorus clears its rule cache at every `eval_rule`).
//!
//! A unit is the built-in pack (its rules' `lib` is the shared work), or one user package.
//! Units keep a runaway nameable: a unit's label lists the rule ids it evaluates. A unit that
//! fails is evaluated again rule by rule, so an error is reported as that rule's own error,
//! exactly as when every rule ran alone; only a timeout is not retried (that would run the
//! runaway again), it names the unit's rules instead.

use anyhow::{anyhow, Result};
use regorus::{Engine, Value};

use super::{PolicySet, RawResult};

/// Rules evaluated together by one query.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unit {
    /// Indexes into `PolicySet::rules`, in the order given.
    pub rules: Vec<usize>,
}

impl PolicySet {
    /// The selected rules (with a query) grouped into units: every built-in rule in one unit,
    /// then one unit per user package, in order of first appearance.
    pub(crate) fn units(&self, selected: &[usize]) -> Vec<Unit> {
        let mut builtin = Vec::new();
        let mut packages: Vec<(&str, Vec<usize>)> = Vec::new();
        for &i in selected {
            let rule = &self.rules[i];
            if rule.query.is_empty() {
                continue;
            }
            if rule.builtin {
                builtin.push(i);
            } else if let Some((_, rules)) = packages.iter_mut().find(|(p, _)| *p == rule.package) {
                rules.push(i);
            } else {
                packages.push((&rule.package, vec![i]));
            }
        }
        std::iter::once(builtin)
            .chain(packages.into_iter().map(|(_, rules)| rules))
            .filter(|rules| !rules.is_empty())
            .map(|rules| Unit { rules })
            .collect()
    }

    /// Evaluates a unit's rules in one query; on an error other than the timer, rule by rule.
    pub(crate) fn eval_unit(&self, engine: &mut Engine, unit: &Unit) -> Result<Vec<RawResult>> {
        if let [only] = unit.rules[..] {
            return self.eval_one(engine, only);
        }
        match engine.eval_query(unit_query(self, unit), false) {
            Ok(results) => {
                let bindings = match results.result.as_slice() {
                    [one] => &one.bindings,
                    other => {
                        return Err(anyhow!(
                            "internal error: the rules' query gave {} results instead of one",
                            other.len()
                        ))
                    }
                };
                let mut out = Vec::new();
                for (k, &i) in unit.rules.iter().enumerate() {
                    let value = match &bindings[var(k).as_str()] {
                        Value::Array(a) => a.first().cloned().unwrap_or(Value::Undefined),
                        _ => Value::Undefined,
                    };
                    out.extend(self.results_of(i, &value)?);
                }
                Ok(out)
            }
            Err(e) if e.to_string().contains("time limit") => Err(anyhow!(
                "rules {} (evaluated together) ran longer than {}s and were stopped\n  help: look for a loop over a large collection in these policies, or raise --timeout",
                unit.rules
                    .iter()
                    .map(|&i| format!("`{}` ({}:{})", self.rules[i].id, self.rules[i].file, self.rules[i].line))
                    .collect::<Vec<_>>()
                    .join(", "),
                self.timeout.as_secs_f64()
            )),
            Err(_) => {
                let mut out = Vec::new();
                for &i in &unit.rules {
                    out.extend(self.eval_one(engine, i)?);
                }
                Ok(out)
            }
        }
    }
}

fn var(k: usize) -> String {
    format!("plancheck_rule_{k}")
}

/// `plancheck_rule_0 := [x | x := data.pkg.deny]; ...`: always exactly one result, each
/// binding `[]` when its rule is undefined, `[value]` otherwise.
fn unit_query(set: &PolicySet, unit: &Unit) -> String {
    unit.rules
        .iter()
        .enumerate()
        .map(|(k, &i)| format!("{} := [x | x := {}]", var(k), set.rules[i].query))
        .collect::<Vec<_>>()
        .join("\n")
}
