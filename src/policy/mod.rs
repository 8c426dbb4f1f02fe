//! The Rego stage: one prepared regorus engine, cloned per evaluation.

mod catalogue;
mod data;
mod eval;
pub(crate) mod guard;
pub mod metadata;
pub mod testing;

use std::num::NonZeroU32;
use std::path::Path;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};

use crate::error::Advice;
use crate::finding::Severity;
use crate::plan::Seg;
pub use metadata::PolicySource;

pub use crate::rule::RuleInfo;

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
    (
        "policies/area-path-unused.rego",
        include_str!("../../policies/area-path-unused.rego"),
    ),
];

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
    /// The engine without the risk catalogue, for evaluating the catalogue once per check.
    catalogue: Option<catalogue::Split>,
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
                RuleInfo::team_members_drift_rule(),
            ],
            exceptions: Vec::new(),
            timeout: Duration::from_secs(10),
            test_files: Vec::new(),
            texts: std::collections::BTreeMap::new(),
            select,
            all_namespaces: namespaces.all,
            catalogue: None,
        };
        // The risk catalogue's modules go in last, so that the engine before them is the one
        // the rules run on once the catalogue is evaluated (see `catalogue`).
        let mut deferred = (!with_tests).then(Vec::new);
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
                set.add(path, text, true, deferred.as_mut())?;
            }
        }
        for f in user {
            if f.is_test() {
                set.engine
                    .add_policy(f.shown.clone(), f.text.clone())
                    .map_err(|e| compile_error(&f.shown, &e))?;
                set.test_files.push((f.shown, f.text));
            } else {
                set.add(&f.shown, &f.text, false, deferred.as_mut())?;
                set.texts.insert(f.shown, f.text);
            }
        }
        if let Some(deferred) = deferred {
            set.split_catalogue(deferred)?;
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

    fn add(
        &mut self,
        path: &str,
        text: &str,
        builtin: bool,
        deferred: Option<&mut Vec<(String, String, String)>>,
    ) -> Result<()> {
        let mut source = metadata::scan(path, text)?;
        source.builtin = builtin;
        match deferred {
            Some(later) if catalogue::is_catalogue(&source.package) => {
                later.push((path.to_string(), source.package.clone(), text.to_string()));
            }
            _ => {
                self.engine
                    .add_policy(path.to_string(), text.to_string())
                    .map_err(|e| compile_error(path, &e))?;
            }
        }
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
        self.set_timer(&mut engine);
        Ok(engine)
    }

    fn set_timer(&self, engine: &mut Engine) {
        engine.set_execution_timer_config(ExecutionTimerConfig {
            limit: self.timeout,
            check_interval: NonZeroU32::new(256).unwrap_or(NonZeroU32::MIN),
        });
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
