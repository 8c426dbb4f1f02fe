//! The Rego stage: one prepared regorus engine, cloned per evaluation.

pub mod metadata;

use std::num::NonZeroU32;
use std::path::Path;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};

use crate::error::Advice;
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
    (
        "policies/oncall-coverage.rego",
        include_str!("../../policies/oncall-coverage.rego"),
    ),
    (
        "policies/oncall-handoff.rego",
        include_str!("../../policies/oncall-handoff.rego"),
    ),
    (
        "policies/escalation-reach.rego",
        include_str!("../../policies/escalation-reach.rego"),
    ),
    (
        "policies/oncall-load.rego",
        include_str!("../../policies/oncall-load.rego"),
    ),
    (
        "policies/contact-load.rego",
        include_str!("../../policies/contact-load.rego"),
    ),
    (
        "policies/k8s-risks.rego",
        include_str!("../../policies/k8s-risks.rego"),
    ),
    (
        "policies/manifest-area.rego",
        include_str!("../../policies/manifest-area.rego"),
    ),
    (
        "policies/threat-coverage.rego",
        include_str!("../../policies/threat-coverage.rego"),
    ),
    (
        "policies/codeowners-owner-known.rego",
        include_str!("../../policies/codeowners-owner-known.rego"),
    ),
    (
        "policies/codeowners-unused.rego",
        include_str!("../../policies/codeowners-unused.rego"),
    ),
    (
        "policies/codeowners-shadowed.rego",
        include_str!("../../policies/codeowners-shadowed.rego"),
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
    pub package: String,
    /// The rule's name in Rego, e.g. `deny_two_zones`.
    pub name: String,
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
    fn policy_changed_rule() -> RuleInfo {
        RuleInfo {
            id: crate::diff::POLICY_CHANGED.into(),
            query: String::new(),
            package: String::new(),
            name: String::new(),
            severity: Severity::Warning,
            title: "A change to the policies or configuration is reviewed by their owners".into(),
            description: "In diff mode (--base), the policies and the configuration come from the base \
                          revision, so a change cannot rewrite the rules that judge it. When the change \
                          edits them (.plancheck.toml, a policy directory), this finding names the files \
                          and their CODEOWNERS owners, who should review it; the new rules apply once merged."
                .into(),
            help: Some("have the owners of these files review the change".into()),
            related: vec![],
            file: "(built into diff mode)".into(),
            line: 0,
            builtin: true,
        }
    }

    fn waiver_added_rule() -> RuleInfo {
        RuleInfo {
            id: crate::diff::WAIVER_ADDED.into(),
            query: String::new(),
            package: String::new(),
            name: String::new(),
            severity: Severity::Error,
            title: "A waiver the change adds is approved by the plan's owners".into(),
            description: "In diff mode (--base, and `plancheck github`), waivers are plan data the change itself \
                          can write: a change that adds a violation and a waiver for it would pass. So every \
                          waiver at head that the base does not hold (same rule and target, expiring no later) \
                          is reported at its line, naming the plan file's CODEOWNERS owners (from the base), \
                          who must approve it; as an error it fails the gate until the waiver is merged. The \
                          base's configuration may choose otherwise: `[rules.waiver-added] severity = \"warning\"` \
                          reports it without failing (the owners' review decides, e.g. with branch protection \
                          requiring code-owner review), `disable = true` drops it. The change's own \
                          configuration cannot choose this."
                .into(),
            help: Some("have the plan file's CODEOWNERS approve the waiver, or set `[rules.waiver-added]` in the base's configuration".into()),
            related: vec![],
            file: "(built into diff mode)".into(),
            line: 0,
            builtin: true,
        }
    }

    fn schema_rule() -> RuleInfo {
        RuleInfo {
            id: SCHEMA_RULE.into(),
            query: String::new(),
            package: String::new(),
            name: String::new(),
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

/// What evaluating the policies produced: results, and the rules `exception`s switched off.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub results: Vec<RawResult>,
    pub exemptions: Vec<Exemption>,
}

/// One rule exempted by one package's `exception` rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Exemption {
    /// Index into `PolicySet::rules`.
    pub rule: usize,
    /// Index into `PolicySet::exceptions`.
    pub exception: usize,
    pub reason: Option<String>,
}

/// A rule that failed while evaluating, reported rather than stopping the run.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalFailure {
    pub what: String,
    pub file: String,
    pub line: u32,
    pub error: String,
}

/// `data.config`: the rule options policies read.
pub fn config_data(cfg: &crate::config::Config) -> Value {
    let mut conf = std::collections::BTreeMap::new();
    conf.insert(
        Value::from("area_min_contacts"),
        Value::from(cfg.area_min_contacts),
    );
    cfg.oncall.insert_into(&mut conf);
    let mut data = std::collections::BTreeMap::new();
    data.insert(Value::from("config"), Value::from(conf));
    data.insert(Value::from("tmfk"), crate::manifests::tmfk::rego_value());
    Value::from(data)
}

/// A result a rule returned, before it is located.
#[derive(Debug, Clone, PartialEq)]
pub struct RawResult {
    pub rule: usize,
    pub message: String,
    pub path: Option<Vec<Seg>>,
    pub severity: Severity,
    pub help: Option<String>,
    /// A second place the finding is about (`"related": {"path": [...], "msg": "..."}`),
    /// e.g. where a duplicated id was first defined.
    pub related: Option<(Vec<Seg>, String)>,
}

/// A directory of user policies, and how to show its path.
#[derive(Debug, Clone)]
pub struct PolicyDir {
    pub path: std::path::PathBuf,
    pub shown: String,
}

impl PolicyDir {
    pub fn new(path: impl Into<std::path::PathBuf>, shown: impl Into<String>) -> Self {
        PolicyDir {
            path: path.into(),
            shown: shown.into(),
        }
    }
}

/// A user policy file, read from a directory or a git revision.
#[derive(Debug, Clone, PartialEq)]
pub struct UserFile {
    /// The path shown in messages, e.g. `policies/storage.rego`.
    pub shown: String,
    pub text: String,
}

impl UserFile {
    pub fn is_test(&self) -> bool {
        self.shown.ends_with("_test.rego")
    }
}

/// Every `.rego` file under a directory, sorted by path.
pub fn read_dir_files(dir: &PolicyDir) -> Result<Vec<UserFile>> {
    let mut files = Vec::new();
    collect_rego(&dir.path, &mut files)
        .with_context(|| format!("{}: cannot read policy directory", dir.shown))?;
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&dir.path).unwrap_or(&f);
        let shown = format!(
            "{}/{}",
            dir.shown.trim_end_matches('/'),
            crate::snapshot::to_slash(rel)
        );
        let bytes = std::fs::read(&f).with_context(|| format!("{shown}: cannot read"))?;
        let text = crate::plan::decode_utf8(&shown, bytes)?;
        out.push(UserFile { shown, text });
    }
    Ok(out)
}

/// Which packages run: `--namespace` globs, or every package with `--all-namespaces`.
#[derive(Debug, Clone, Default)]
pub struct Namespaces {
    pub globs: Vec<String>,
    pub all: bool,
}

/// A package's `exception` rule: conftest-style exemptions of whole rules.
#[derive(Debug, Clone, PartialEq)]
pub struct ExceptionDecl {
    pub package: String,
    pub file: String,
    pub line: u32,
}

#[derive(Clone)]
pub struct PolicySet {
    engine: Engine,
    pub sources: Vec<PolicySource>,
    pub rules: Vec<RuleInfo>,
    pub exceptions: Vec<ExceptionDecl>,
    pub timeout: Duration,
    /// Files loaded for `plancheck test` (`*_test.rego`), with their text.
    pub test_files: Vec<(String, String)>,
    /// The text of every user policy file, by path (for coverage of files no test reaches).
    pub texts: std::collections::BTreeMap<String, String>,
    select: Option<globset::GlobSet>,
    all_namespaces: bool,
}

impl PolicySet {
    /// The built-in pack, compiled.
    pub fn builtin() -> Result<PolicySet> {
        PolicySet::load(&[], &Namespaces::default(), false)
    }

    /// The built-in pack plus every `.rego` file under `dirs` (recursively, sorted by path).
    /// A directory that declares a built-in package replaces that part of the pack, so a team
    /// can vendor and adapt a built-in rule. `*_test.rego` files are loaded only with
    /// `with_tests` (for `plancheck test`); `check` never compiles them.
    pub fn load(
        dirs: &[PolicyDir],
        namespaces: &Namespaces,
        with_tests: bool,
    ) -> Result<PolicySet> {
        let mut user: Vec<UserFile> = Vec::new();
        for dir in dirs {
            let files = read_dir_files(dir)?;
            if files.is_empty() {
                bail!(Advice::new(
                    format!("{}: no .rego files found", dir.shown),
                    "point --policy at a directory holding your Rego policies"
                ));
            }
            user.extend(files);
        }
        PolicySet::from_files(user, namespaces, with_tests)
    }

    /// Like [`PolicySet::load`], with the user's policy files already read (from a directory,
    /// or from a git revision so that a pull request is judged by its base branch's policies).
    pub fn from_files(
        user: Vec<UserFile>,
        namespaces: &Namespaces,
        with_tests: bool,
    ) -> Result<PolicySet> {
        let select = if namespaces.globs.is_empty() {
            None
        } else {
            let mut b = globset::GlobSetBuilder::new();
            for g in &namespaces.globs {
                for pattern in [g.clone(), format!("plancheck.{g}")] {
                    b.add(globset::Glob::new(&pattern).map_err(|e| {
                        Advice::new(
                            format!("invalid --namespace `{g}`: {e}"),
                            "give a package name or a glob such as `plancheck.storage*`",
                        )
                    })?);
                }
            }
            Some(b.build().context("cannot build the --namespace globs")?)
        };
        let mut set = PolicySet {
            engine: Engine::new(),
            sources: Vec::new(),
            rules: vec![
                RuleInfo::schema_rule(),
                RuleInfo::policy_changed_rule(),
                RuleInfo::waiver_added_rule(),
                crate::github::owners::drift_rule(),
            ],
            exceptions: Vec::new(),
            timeout: Duration::from_secs(10),
            test_files: Vec::new(),
            texts: std::collections::BTreeMap::new(),
            select,
            all_namespaces: namespaces.all,
        };
        set.engine.set_gather_prints(true);
        let user: Vec<UserFile> = user
            .into_iter()
            .filter(|f| with_tests || !f.is_test())
            .collect();
        let mut replaced = std::collections::HashSet::new();
        for f in user.iter().filter(|f| !f.is_test()) {
            replaced.insert(metadata::scan(&f.shown, &f.text)?.package);
        }
        for (path, text) in BUILTIN {
            let package = metadata::scan(path, text)?.package;
            if !replaced.contains(&package) {
                set.add(path, text, true)?;
            }
        }
        for f in user {
            if f.is_test() {
                set.engine
                    .add_policy(f.shown.clone(), f.text.clone())
                    .map_err(|e| compile_error(&f.shown, &e))?;
                set.test_files.push((f.shown, f.text));
            } else {
                set.add(&f.shown, &f.text, false)?;
                set.texts.insert(f.shown, f.text);
            }
        }
        // A glob that selects nothing (a typo) would run no rule at all and pass.
        for g in &namespaces.globs {
            let hits = |pattern: &str| {
                globset::Glob::new(pattern).is_ok_and(|glob| {
                    let m = glob.compile_matcher();
                    set.rules
                        .iter()
                        .any(|r| !r.query.is_empty() && m.is_match(&r.package))
                })
            };
            if !hits(g) && !hits(&format!("plancheck.{g}")) {
                let mut packages: Vec<&str> = set
                    .rules
                    .iter()
                    .filter(|r| !r.query.is_empty())
                    .map(|r| r.package.as_str())
                    .collect();
                packages.sort_unstable();
                packages.dedup();
                bail!(Advice::new(
                    format!("--namespace `{g}` matches no package with rules"),
                    format!("the packages are: {}", packages.join(", "))
                ));
            }
        }
        Ok(set)
    }

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
        self.engine.add_data(value).map_err(|e| {
            anyhow!(
                "{shown}: cannot merge into policy data; another data file sets the same key: {e}"
            )
        })
    }

    /// Whether a package's rules run, given `--namespace` / `--all-namespaces`.
    pub fn package_selected(&self, package: &str) -> bool {
        let ours = package == "plancheck" || package.starts_with("plancheck.");
        match &self.select {
            Some(globs) => globs.is_match(package),
            None => ours || self.all_namespaces,
        }
    }

    /// Indexes of the rules that run.
    pub fn selected(&self) -> Vec<usize> {
        self.rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.query.is_empty() || self.package_selected(&r.package))
            .map(|(i, _)| i)
            .collect()
    }

    fn add(&mut self, path: &str, text: &str, builtin: bool) -> Result<()> {
        let mut source = metadata::scan(path, text)?;
        source.builtin = builtin;
        self.engine
            .add_policy(path.to_string(), text.to_string())
            .map_err(|e| compile_error(path, &e))?;
        if let Some(line) = source.exception_line {
            self.exceptions.push(ExceptionDecl {
                package: source.package.clone(),
                file: path.to_string(),
                line,
            });
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
                package: source.package.clone(),
                name: decl.name.clone(),
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

    /// A copy of the prepared engine with `data` added and the timer set.
    pub fn engine_with_data(&self, data: Value) -> Result<Engine> {
        let mut engine = self.engine.clone();
        engine
            .add_data(data)
            .map_err(|e| anyhow!("cannot add policy data: {e}"))?;
        engine.set_execution_timer_config(ExecutionTimerConfig {
            limit: self.timeout,
            check_interval: NonZeroU32::new(256).unwrap_or(NonZeroU32::MIN),
        });
        Ok(engine)
    }

    /// Evaluates the selected rules (indexes into `rules`) on `input`, in parallel, and the
    /// `exception` rules of the selected packages.
    pub fn evaluate(&self, input: &Value, data: Value, selected: &[usize]) -> Result<Evaluation> {
        let mut engine = self.engine_with_data(data)?;
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
        let value = engine
            .eval_rule(format!("data.{}.exception", decl.package))
            .map_err(|e| {
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
        } else if p.extension().is_some_and(|e| e == "rego") {
            out.push(p);
        }
    }
    Ok(())
}

/// A compile error from regorus, with the file named first.
fn compile_error(path: &str, e: &anyhow::Error) -> anyhow::Error {
    anyhow!("{path}: policy does not compile:\n{e}")
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
            [doc] => crate::plan::to_rego_keeping_nulls(doc),
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
