//! Evaluating the rules on an input document: results, `exception` rules, the runtime smoke
//! check of `plancheck test`.

use anyhow::{anyhow, bail, Result};
use regorus::{Engine, Value};

use super::*;

impl PolicySet {
    /// Evaluates the selected rules (indexes into `rules`) on `input`, in parallel, and the
    /// `exception` rules of the selected packages.
    pub fn evaluate(&self, input: &Value, data: Value, selected: &[usize]) -> Result<Evaluation> {
        let mut engine = match self.catalogue_engine(input, &data, selected)? {
            Some(engine) => engine,
            None => {
                let mut engine = self.engine_with_data(data)?;
                engine.set_input(input.clone());
                engine
            }
        };
        let selected: Vec<usize> = selected
            .iter()
            .copied()
            .filter(|&i| !self.rules[i].query.is_empty())
            .collect();
        // Prepare (analyse, schedule) once, not in every thread's clone. An error here comes
        // back from the first rule evaluated, named after it, as before.
        let _ = engine.eval_bool_query("true".to_string(), false);
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(selected.len())
            .max(1);
        let chunks: Vec<Vec<usize>> = (0..threads)
            .map(|t| selected.iter().copied().skip(t).step_by(threads).collect())
            .collect();
        let results: Vec<Result<Vec<RawResult>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunks
                .into_iter()
                .map(|chunk| {
                    let mut engine = engine.clone();
                    scope.spawn(move || {
                        let mut out = Vec::new();
                        for i in chunk {
                            out.extend(self.eval_one(&mut engine, i)?);
                        }
                        Ok(out)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(anyhow!("policy evaluation thread panicked")))
                })
                .collect()
        });
        let mut all = Vec::new();
        for r in results {
            all.extend(r?);
        }
        let mut exemptions = Vec::new();
        for (i, decl) in self.exceptions.iter().enumerate() {
            if self.package_selected(&decl.package) {
                exemptions.extend(self.eval_exception(&mut engine, i)?);
            }
        }
        Ok(Evaluation {
            results: all,
            exemptions,
        })
    }

    /// Evaluates every selected rule and exception on `input` one by one, collecting
    /// failures instead of stopping at the first (for `plancheck test`'s run-time check).
    pub fn smoke(&self, input: &Value, data: Value) -> Result<(usize, Vec<EvalFailure>)> {
        let mut engine = self.engine_with_data(data)?;
        engine.set_input(input.clone());
        let mut failures = Vec::new();
        let mut checked = 0;
        for i in self.selected() {
            let rule = &self.rules[i];
            if rule.query.is_empty() {
                continue;
            }
            checked += 1;
            if let Err(e) = self.eval_one(&mut engine, i) {
                if guard::ran_away() {
                    return Err(e);
                }
                failures.push(EvalFailure {
                    what: format!("rule `{}`", rule.id),
                    file: rule.file.clone(),
                    line: rule.line,
                    error: format!("{e:#}"),
                });
            }
        }
        for (i, decl) in self.exceptions.iter().enumerate() {
            if !self.package_selected(&decl.package) {
                continue;
            }
            checked += 1;
            if let Err(e) = self.eval_exception(&mut engine, i) {
                if guard::ran_away() {
                    return Err(e);
                }
                failures.push(EvalFailure {
                    what: format!("exception of {}", decl.package),
                    file: decl.file.clone(),
                    line: decl.line,
                    error: format!("{e:#}"),
                });
            }
        }
        let _ = engine.take_prints();
        Ok((checked, failures))
    }

    /// Evaluates one package's `exception` rule and resolves the rules it names.
    fn eval_exception(&self, engine: &mut Engine, index: usize) -> Result<Vec<Exemption>> {
        let decl = &self.exceptions[index];
        let at = format!("{}:{}", decl.file, decl.line);
        let unit = guard::Unit::new(
            format!("`exception` of {}", decl.package),
            &decl.file,
            decl.line,
        );
        let query = format!("data.{}.exception", decl.package);
        let value =
            guard::eval(engine, &unit, self.timeout, |e| e.eval_rule(query))?.map_err(|e| {
                anyhow!(
                    "{at}: `exception` of {} failed while evaluating:\n{e}",
                    decl.package
                )
            })?;
        let items: Vec<Value> = match value {
            Value::Undefined => return Ok(Vec::new()),
            Value::Set(s) => s.iter().cloned().collect(),
            Value::Array(a) => a.iter().cloned().collect(),
            _ => bail!(
                "{at}: `exception` must be a set (`exception contains \"rule-id\" if {{...}}`)"
            ),
        };
        let bad = || {
            anyhow!(
                "{at}: an exception is a rule name, a list of names, or {{\"rule\": name, \"reason\": text}}"
            )
        };
        let mut out = Vec::new();
        for item in items {
            let (names, reason): (Vec<String>, Option<String>) = match &item {
                Value::String(s) => (vec![s.to_string()], None),
                Value::Array(a) => (
                    a.iter()
                        .map(|v| v.as_string().map(|s| s.to_string()).map_err(|_| bad()))
                        .collect::<Result<_>>()?,
                    None,
                ),
                Value::Object(o) => {
                    let rule = o.get(&Value::from("rule")).ok_or_else(bad)?;
                    let rule = rule.as_string().map_err(|_| bad())?.to_string();
                    let reason = match o.get(&Value::from("reason")) {
                        None => None,
                        Some(r) => Some(r.as_string().map_err(|_| bad())?.to_string()),
                    };
                    (vec![rule], reason)
                }
                _ => return Err(bad()),
            };
            for name in names {
                let matched = self.exempted_rules(&decl.package, &name);
                if matched.is_empty() {
                    bail!(Advice::new(
                        format!("{at}: exception names `{name}`, which is neither a rule id nor a rule of package {}", decl.package),
                        "name a rule id from `plancheck rules` (e.g. `area-min-contacts`), a rule of this package without its deny_/warn_ prefix, or \"\" for every rule of the package"
                    ));
                }
                for rule in matched {
                    out.push(Exemption {
                        rule,
                        exception: index,
                        reason: reason.clone(),
                    });
                }
            }
        }
        Ok(out)
    }

    /// The rules an exception entry names: a rule id; in its own package, a rule name with or
    /// without its deny_/violation_/warn_ prefix (conftest style); `""` for the whole package.
    fn exempted_rules(&self, package: &str, name: &str) -> Vec<usize> {
        self.rules
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                if r.query.is_empty() {
                    return r.id == name;
                }
                let same = r.package == package;
                r.id == name
                    || (same && name.is_empty())
                    || (same
                        && (r.name == name
                            || ["deny_", "violation_", "warn_"]
                                .iter()
                                .any(|p| r.name.strip_prefix(p) == Some(name))))
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn eval_one(&self, engine: &mut Engine, index: usize) -> Result<Vec<RawResult>> {
        let rule = &self.rules[index];
        let unit = guard::Unit::new(format!("rule `{}`", rule.id), &rule.file, rule.line);
        let query = rule.query.clone();
        let value = guard::eval(engine, &unit, self.timeout, |e| e.eval_rule(query))?;
        let value = value.map_err(|e| unit.failed(&e, self.timeout))?;
        let items: Vec<Value> = match &value {
            Value::Undefined => return Ok(Vec::new()),
            Value::Set(s) => s.iter().cloned().collect(),
            Value::Array(a) => a.iter().cloned().collect(),
            other => bail!(
                "{}:{}: rule `{}` must be a set of results (`{} contains result if {{...}}`), but it returned {}",
                rule.file,
                rule.line,
                rule.id,
                rule.query.rsplit('.').next().unwrap_or("deny"),
                describe(other)
            ),
        };
        items.iter().map(|item| self.result(index, item)).collect()
    }

    fn result(&self, index: usize, item: &Value) -> Result<RawResult> {
        let rule = &self.rules[index];
        let bad = |what: &str| {
            anyhow!(
                "{}:{}: rule `{}` returned {what}; a result is a string or an object {{\"msg\": string, \"path\": [keys]}}",
                rule.file,
                rule.line,
                rule.id
            )
        };
        match item {
            Value::String(s) => Ok(RawResult {
                rule: index,
                message: s.to_string(),
                path: None,
                severity: rule.severity,
                help: None,
                related: None,
            }),
            Value::Object(obj) => {
                let get = |k: &str| obj.get(&Value::from(k));
                let message = match get("msg") {
                    Some(Value::String(s)) => s.to_string(),
                    _ => return Err(bad("an object without a string `msg`")),
                };
                let to_path = |v: Option<&Value>| -> Result<Option<Vec<Seg>>> {
                    Ok(match v {
                        None | Some(Value::Null) => None,
                        Some(Value::Array(a)) => {
                            let mut segs = Vec::new();
                            for v in a.iter() {
                                segs.push(match v {
                                    Value::String(s) => Seg::Key(s.to_string()),
                                    Value::Number(_) => {
                                        let i = v
                                            .as_u64()
                                            .map_err(|_| bad("a `path` with a non-index number"))?;
                                        Seg::Index(
                                            usize::try_from(i)
                                                .map_err(|_| bad("a `path` index out of range"))?,
                                        )
                                    }
                                    _ => return Err(bad(
                                        "a `path` element that is neither a string nor an index",
                                    )),
                                });
                            }
                            Some(segs)
                        }
                        Some(_) => return Err(bad("a `path` that is not an array")),
                    })
                };
                let path = to_path(get("path"))?;
                let related = match get("related") {
                    None | Some(Value::Null) => None,
                    Some(Value::Object(r)) => {
                        let msg = match r.get(&Value::from("msg")) {
                            Some(Value::String(m)) => m.to_string(),
                            _ => return Err(bad("a `related` object without a string `msg`")),
                        };
                        to_path(r.get(&Value::from("path")))?.map(|p| (p, msg))
                    }
                    Some(_) => return Err(bad("a `related` that is not an object")),
                };
                let severity = match get("severity") {
                    None => rule.severity,
                    Some(Value::String(s)) => Severity::parse(s)
                        .ok_or_else(|| bad("a `severity` other than error or warning"))?,
                    Some(_) => return Err(bad("a `severity` that is not a string")),
                };
                let help = match get("help") {
                    Some(Value::String(s)) => Some(s.to_string()),
                    _ => None,
                };
                Ok(RawResult {
                    rule: index,
                    message,
                    path,
                    severity,
                    help,
                    related,
                })
            }
            other => Err(bad(&describe(other))),
        }
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(_) => "a number".into(),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "an array".into(),
        Value::Set(_) => "a set".into(),
        Value::Object(_) => "an object".into(),
        Value::Undefined => "nothing".into(),
    }
}
