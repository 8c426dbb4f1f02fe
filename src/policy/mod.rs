//! The Rego stage: one prepared regorus engine, cloned per evaluation.

pub mod metadata;

use std::num::NonZeroU32;
use std::path::Path;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};

use crate::finding::Severity;
use crate::plan::Seg;
pub use metadata::{Meta, PolicySource, RuleDecl};

/// The built-in pack, embedded in the binary.
pub const BUILTIN: &[(&str, &str)] = &[
    ("policies/lib.rego", include_str!("../../policies/lib.rego")),
    (
        "policies/threat-owner.rego",
        include_str!("../../policies/threat-owner.rego"),
    ),
    (
        "policies/area-min-contacts.rego",
        include_str!("../../policies/area-min-contacts.rego"),
    ),
    (
        "policies/high-profile-executive.rego",
        include_str!("../../policies/high-profile-executive.rego"),
    ),
    (
        "policies/team-oncall.rego",
        include_str!("../../policies/team-oncall.rego"),
    ),
    (
        "policies/escalation-policy.rego",
        include_str!("../../policies/escalation-policy.rego"),
    ),
    (
        "policies/ref-resolves.rego",
        include_str!("../../policies/ref-resolves.rego"),
    ),
    (
        "policies/unique-id.rego",
        include_str!("../../policies/unique-id.rego"),
    ),
    (
        "policies/threat-area.rego",
        include_str!("../../policies/threat-area.rego"),
    ),
    (
        "policies/threat-source.rego",
        include_str!("../../policies/threat-source.rego"),
    ),
    (
        "policies/contact-reachable.rego",
        include_str!("../../policies/contact-reachable.rego"),
    ),
    (
        "policies/inactive-contact.rego",
        include_str!("../../policies/inactive-contact.rego"),
    ),
    (
        "policies/codeowners-syntax.rego",
        include_str!("../../policies/codeowners-syntax.rego"),
    ),
    (
        "policies/plan-codeowned.rego",
        include_str!("../../policies/plan-codeowned.rego"),
    ),
    (
        "policies/area-paths-owned.rego",
        include_str!("../../policies/area-paths-owned.rego"),
    ),
    (
        "policies/plan-review-stale.rego",
        include_str!("../../policies/plan-review-stale.rego"),
    ),
    (
        "policies/waiver-expired.rego",
        include_str!("../../policies/waiver-expired.rego"),
    ),
];

/// The rule implemented by the loader rather than in Rego: schema problems in plan files.
pub const SCHEMA_RULE: &str = "plan-schema";

/// Everything plancheck knows about one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleInfo {
    pub id: String,
    /// `data.<package>.<rule>`
    pub query: String,
    pub severity: Severity,
    pub title: String,
    pub description: String,
    pub help: Option<String>,
    pub related: Vec<String>,
    pub file: String,
    pub line: u32,
    pub builtin: bool,
}

impl RuleInfo {
    fn schema_rule() -> RuleInfo {
        RuleInfo {
            id: SCHEMA_RULE.into(),
            query: String::new(),
            severity: Severity::Error,
            title: "Plan files match the plan schema".into(),
            description: "Every plan file declares apiVersion plancheck.dev/v1 and kind IncidentResponsePlan, \
                          uses only known keys (custom ones start with x-), gives every list entry an id, and \
                          writes each field with the right type. Checked by the loader; while a plan has schema \
                          errors the policies are not evaluated, since they would judge data they cannot read."
                .into(),
            help: Some("`plancheck schema` prints the JSON Schema; point your editor at it for completion".into()),
            related: vec![],
            file: "(built into the loader)".into(),
            line: 0,
            builtin: true,
        }
    }
}

/// A result a rule returned, before it is located.
#[derive(Debug, Clone, PartialEq)]
pub struct RawResult {
    pub rule: usize,
    pub message: String,
    pub path: Option<Vec<Seg>>,
    pub severity: Severity,
    pub help: Option<String>,
}

#[derive(Clone)]
pub struct PolicySet {
    engine: Engine,
    pub sources: Vec<PolicySource>,
    pub rules: Vec<RuleInfo>,
    pub timeout: Duration,
}

impl PolicySet {
    /// The built-in pack, compiled.
    pub fn builtin() -> Result<PolicySet> {
        let mut set = PolicySet {
            engine: Engine::new(),
            sources: Vec::new(),
            rules: vec![RuleInfo::schema_rule()],
            timeout: Duration::from_secs(10),
        };
        for (path, text) in BUILTIN {
            set.add(path, text, true)?;
        }
        Ok(set)
    }

    /// Adds every `.rego` file under `dir` (recursively, `*_test.rego` excluded), sorted by path.
    pub fn add_dir(&mut self, dir: &Path, shown_as: &str) -> Result<()> {
        let mut files = Vec::new();
        collect_rego(dir, &mut files)
            .with_context(|| format!("{shown_as}: cannot read policy directory"))?;
        if files.is_empty() {
            bail!(crate::error::Advice::new(
                format!("{shown_as}: no .rego files found"),
                "point --policy at a directory holding your Rego policies"
            ));
        }
        files.sort();
        for f in files {
            let rel = f.strip_prefix(dir).unwrap_or(&f);
            let shown = format!(
                "{}/{}",
                shown_as.trim_end_matches('/'),
                crate::snapshot::to_slash(rel)
            );
            let bytes = std::fs::read(&f).with_context(|| format!("{shown}: cannot read"))?;
            let text = crate::plan::decode_utf8(&shown, bytes)?;
            self.add(&shown, &text, false)?;
        }
        Ok(())
    }

    fn add(&mut self, path: &str, text: &str, builtin: bool) -> Result<()> {
        let source = metadata::scan(path, text)?;
        self.engine
            .add_policy(path.to_string(), text.to_string())
            .map_err(|e| anyhow!("{path}: policy does not compile:\n{e}"))?;
        if !source.package.starts_with("plancheck.") && source.package != "plancheck" {
            // Only packages under `plancheck` are evaluated; others may hold helpers.
            self.sources.push(source);
            return Ok(());
        }
        for decl in &source.rules {
            let Some(kind) = metadata::rule_kind(&decl.name) else {
                continue;
            };
            let id = decl
                .meta
                .id
                .clone()
                .unwrap_or_else(|| derived_id(&source.package, &decl.name));
            if let Some(other) = self.rules.iter().find(|r| r.id == id) {
                bail!(crate::error::Located::new(
                    path,
                    crate::plan::node::Pos {
                        line: decl.line,
                        column: 1
                    },
                    format!(
                        "rule id `{id}` is already used by {}:{}",
                        other.file, other.line
                    ),
                )
                .with_help("give the rule its own `custom.id` in its METADATA block"));
            }
            self.rules.push(RuleInfo {
                title: decl.meta.title.clone().unwrap_or_else(|| id.clone()),
                description: decl.meta.description.clone().unwrap_or_default(),
                help: decl.meta.help.clone(),
                related: decl.meta.related.clone(),
                severity: decl.meta.severity.unwrap_or(kind),
                query: format!("data.{}.{}", source.package, decl.name),
                file: path.to_string(),
                line: decl.line,
                builtin,
                id,
            });
        }
        self.sources.push(source);
        Ok(())
    }

    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn rule_ids(&self) -> Vec<String> {
        self.rules.iter().map(|r| r.id.clone()).collect()
    }

    /// Evaluates the selected rules (indexes into `rules`) on `input`, in parallel.
    pub fn evaluate(
        &self,
        input: &Value,
        data: Value,
        selected: &[usize],
    ) -> Result<Vec<RawResult>> {
        let mut engine = self.engine.clone();
        engine
            .add_data(data)
            .map_err(|e| anyhow!("cannot add policy data: {e}"))?;
        engine.set_execution_timer_config(ExecutionTimerConfig {
            limit: self.timeout,
            check_interval: NonZeroU32::new(256).unwrap_or(NonZeroU32::MIN),
        });
        engine.set_input(input.clone());
        let selected: Vec<usize> = selected
            .iter()
            .copied()
            .filter(|&i| !self.rules[i].query.is_empty())
            .collect();
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
                            self.eval_one(&mut engine, i, &mut out)?;
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
        Ok(all)
    }

    fn eval_one(&self, engine: &mut Engine, index: usize, out: &mut Vec<RawResult>) -> Result<()> {
        let rule = &self.rules[index];
        let value = engine.eval_rule(rule.query.clone()).map_err(|e| {
            let msg = e.to_string();
            if msg.contains("time limit") {
                anyhow!(
                    "{}:{}: rule `{}` ran longer than {}s and was stopped\n  help: look for a loop over a large collection in the policy, or raise --timeout",
                    rule.file, rule.line, rule.id, self.timeout.as_secs_f64()
                )
            } else {
                anyhow!("{}:{}: rule `{}` failed while evaluating:\n{msg}", rule.file, rule.line, rule.id)
            }
        })?;
        let items: Vec<Value> = match &value {
            Value::Undefined => return Ok(()),
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
        for item in items {
            out.push(self.result(index, &item)?);
        }
        Ok(())
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
            }),
            Value::Object(obj) => {
                let get = |k: &str| obj.get(&Value::from(k));
                let message = match get("msg") {
                    Some(Value::String(s)) => s.to_string(),
                    _ => return Err(bad("an object without a string `msg`")),
                };
                let path =
                    match get("path") {
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

/// `plancheck.storage` + `deny_two_zones` → `storage-two-zones`.
pub fn derived_id(package: &str, rule: &str) -> String {
    let pkg = package
        .strip_prefix("plancheck")
        .unwrap_or(package)
        .trim_start_matches('.');
    let suffix = rule.split_once('_').map(|(_, s)| s).unwrap_or("");
    let mut parts: Vec<&str> = pkg.split('.').filter(|p| !p.is_empty()).collect();
    if !suffix.is_empty() {
        parts.push(suffix);
    }
    if parts.is_empty() {
        parts.push(rule);
    }
    parts.join("-").replace('_', "-").to_lowercase()
}

fn collect_rego(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let p = entry.path();
        if entry.file_type()?.is_dir() {
            collect_rego(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "rego")
            && !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with("_test.rego"))
        {
            out.push(p);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_derived_from_package_and_rule_name() {
        assert_eq!(
            derived_id("plancheck.storage", "deny_two_zones"),
            "storage-two-zones"
        );
        assert_eq!(derived_id("plancheck.storage", "deny"), "storage");
        assert_eq!(derived_id("plancheck", "warn_x"), "x");
        assert_eq!(derived_id("plancheck", "deny"), "deny");
    }
}
