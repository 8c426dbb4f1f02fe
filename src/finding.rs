//! The one `Finding` type every output format reads.

use serde::{Deserialize, Serialize};

use crate::plan::List;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    // Ordered so that sorting puts errors first.
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            _ => None,
        }
    }
}

/// Which findings make the exit code 1 (`--fail-on`, `fail-on` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Exit 1 when there is an error finding.
    Error,
    /// Exit 1 when there is an error or a warning.
    Warning,
    /// Always exit 0 when the run succeeds.
    Never,
}

impl FailOn {
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Never => "never",
        }
    }

    /// Whether this finding fails the run.
    pub fn fails(self, f: &Finding) -> bool {
        match self {
            FailOn::Error => f.severity == Severity::Error,
            FailOn::Warning => true,
            FailOn::Never => false,
        }
    }
}

/// 1-based position in a repository file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

/// Where a finding stands in a diff between two revisions (diff mode only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    New,
    Existing,
    Fixed,
}

/// Why a finding does not count: a plan waiver or a policy's `exception` rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SuppressionKind {
    Waiver,
    Exception,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub kind: SuppressionKind,
    pub reason: String,
    /// Where the waiver or exception is written.
    pub location: Location,
    /// The waiver's expiry date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// What to do about it.
    #[serde(skip)]
    pub help: Option<String>,
    /// Stable identity: rule + what the finding is about (never its line).
    pub fingerprint: String,
    /// What the finding is about (its stable key, e.g. `plan.threats[THR-007].owner`).
    #[serde(skip)]
    pub subject: Subject,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Diff mode: whether the finding gets line-level treatment under `--filter-mode`
    /// (it is on a line the diff shows, or about lines the change deleted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_diff: Option<bool>,
    /// The path into `input.plan` the rule returned, for placing it against a diff.
    #[serde(skip)]
    pub plan_path: Option<Vec<crate::plan::Seg>>,
    /// Set on suppressed findings, which are listed apart and never fail the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppression>,
    /// Other places the finding is about (where a duplicated id was first defined).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

/// What a finding is about: its stable key (part of its fingerprint, never its line) and what
/// the key names, built together where the key is made, never parsed back from it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subject {
    /// `plan.threats[THR-007].owner`, `codeowners.rules[/docs/]`, `files[plan.yaml]`...
    pub key: String,
    /// The ids the key names, in order (an area, then a contact of it): waivers target them.
    pub ids: Vec<String>,
    /// The plan element (list and id) the subject is in, when it is in one.
    pub element: Option<(List, String)>,
    /// About a whole file (it has no owner...), not a line of it.
    pub whole_file: bool,
}

impl Subject {
    /// A subject that names one thing: `kind[name]`.
    pub fn named(kind: &str, name: &str) -> Subject {
        Subject {
            key: format!("{kind}[{name}]"),
            ids: vec![name.to_string()],
            ..Subject::default()
        }
    }

    /// A subject about a whole file (`files[path]`, `ownership[path]`).
    pub fn file(kind: &str, path: &str) -> Subject {
        Subject {
            whole_file: true,
            ..Subject::named(kind, path)
        }
    }
}

/// A key that names no id (`plan`, `codeowners`, `policy[...]`).
impl From<String> for Subject {
    fn from(key: String) -> Subject {
        Subject {
            key,
            ..Subject::default()
        }
    }
}

impl From<&str> for Subject {
    fn from(key: &str) -> Subject {
        Subject::from(key.to_string())
    }
}

impl From<crate::plan::Key> for Subject {
    fn from(k: crate::plan::Key) -> Subject {
        Subject {
            key: k.text,
            ids: k.ids,
            element: k.element,
            whole_file: false,
        }
    }
}

/// A secondary location of a finding, with what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub message: String,
    pub location: Location,
}

impl Finding {
    /// The ids a finding is about, e.g. `THR-7` for `plan.threats[THR-7].owner`, or a file
    /// path for `files[incident-response/plan.yaml]`: what a waiver's target names.
    pub fn subject_ids(&self) -> Vec<&str> {
        self.subject.ids.iter().map(String::as_str).collect()
    }

    /// Whether the finding is about a whole file (it has no owner, ...), not a line of it:
    /// its location is the file's first line only because every format needs a line.
    pub fn whole_file(&self) -> bool {
        self.subject.whole_file
    }

    /// Builds a finding; the fingerprint is derived from rule, subject and message.
    pub fn new(
        rule: impl Into<String>,
        severity: Severity,
        message: impl Into<String>,
        location: Location,
        subject: impl Into<Subject>,
    ) -> Self {
        let rule = rule.into();
        let message = message.into();
        let subject = subject.into();
        let fingerprint = fingerprint(&[&rule, &subject.key, &message]);
        Finding {
            rule,
            severity,
            message,
            location,
            help: None,
            fingerprint,
            subject,
            status: None,
            in_diff: None,
            plan_path: None,
            suppressed: None,
            related: Vec::new(),
        }
    }

    /// Builds a finding about the one thing `subject` names (see [`crate::input::locate`]): the
    /// fingerprint is rule and subject, so a changed message (a count, an order, a level
    /// number) keeps it the same finding in diff mode.
    pub fn about(
        rule: impl Into<String>,
        severity: Severity,
        message: impl Into<String>,
        location: Location,
        subject: impl Into<Subject>,
    ) -> Self {
        let mut f = Finding::new(rule, severity, message, location, subject);
        f.fingerprint = fingerprint(&[&f.rule, &f.subject.key]);
        f
    }

    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// 64-bit FNV-1a over the parts (separated), as 16 hex digits. Stable across versions and platforms.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        for b in part.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Sorts findings by file, line, column, rule and message; removes exact duplicates and makes
/// fingerprints unique (a repeated fingerprint gets its occurrence number mixed in).
pub fn normalize(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        (&a.location, &a.rule, &a.message, a.severity).cmp(&(
            &b.location,
            &b.rule,
            &b.message,
            b.severity,
        ))
    });
    findings
        .dedup_by(|a, b| a.rule == b.rule && a.message == b.message && a.location == b.location);
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for f in findings.iter_mut() {
        let n = seen.entry(f.fingerprint.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            f.fingerprint = fingerprint(&[&f.fingerprint, &n.to_string()]);
        }
    }
}

/// A waiver that is still in force but matched no finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnusedWaiver {
    pub rule: String,
    pub target: String,
    pub location: Location,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Errors and warnings at head (fixed findings are not counted).
    pub errors: usize,
    pub warnings: usize,
    /// Findings a waiver or an exception suppressed (listed apart, never failing the run).
    pub suppressed: usize,
    /// Diff mode only: findings the change introduces, keeps, and fixes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_errors: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<usize>,
}

impl Summary {
    pub fn of(findings: &[Finding], suppressed: &[Finding], diff_mode: bool) -> Summary {
        let mut s = Summary {
            suppressed: suppressed.len(),
            ..Summary::default()
        };
        if diff_mode {
            let count = |st: Status| findings.iter().filter(|f| f.status == Some(st)).count();
            s.new = Some(count(Status::New));
            s.existing = Some(count(Status::Existing));
            s.fixed = Some(count(Status::Fixed));
            s.new_errors = Some(
                findings
                    .iter()
                    .filter(|f| f.status == Some(Status::New) && f.severity == Severity::Error)
                    .count(),
            );
        }
        for f in findings.iter().filter(|f| f.status != Some(Status::Fixed)) {
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_separate_parts() {
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["ab", ""]), fingerprint(&["a", "b"]));
        // Pinned: changing the hash would turn every existing finding into a new one in diff mode.
        assert_eq!(
            fingerprint(&["threat-owner", "plan.threats[T1]", "m"]),
            "dc05eda4faae2ab9"
        );
    }

    #[test]
    fn a_subject_keeps_the_ids_it_was_built_with() {
        let loc = Location {
            path: "p".into(),
            line: 1,
            column: 1,
        };
        let f = Finding::new(
            "r",
            Severity::Error,
            "m",
            loc.clone(),
            Subject::named("codeowners.rules", "/docs/"),
        );
        assert_eq!(f.subject_ids(), vec!["/docs/"]);
        assert!(!f.whole_file());
        let f = Finding::about(
            "r",
            Severity::Error,
            "m",
            loc.clone(),
            Subject::file("files", "a.yaml"),
        );
        assert!(f.whole_file());
        assert_eq!(f.fingerprint, fingerprint(&["r", "files[a.yaml]"]));
        let f = Finding::new("r", Severity::Error, "m", loc, "policy[x]");
        assert!(f.subject_ids().is_empty(), "a plain key names no id");
    }
}
