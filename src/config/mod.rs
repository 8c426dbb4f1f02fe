//! `.plancheck.toml`: found at the checked root, parsed strictly (unknown keys are errors with their line).

use std::collections::BTreeMap;

use serde::Deserialize;

mod bounds;
mod discover;
pub use discover::{config_text, nearest_config, read_config};

use crate::error::Located;
use crate::finding::{Finding, Severity};
use crate::position::{pos_at, Pos};

/// Where the configuration is looked for, first found wins.
pub const LOCATIONS: [&str; 3] = [
    ".plancheck.toml",
    "plancheck.toml",
    ".github/plancheck.toml",
];

/// Default plan locations (normative).
pub const DEFAULT_PLANS: [&str; 2] = [
    "incident-response/**/*.{yaml,yml,json}",
    "incident-plan.{yaml,yml,json}",
];

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    plans: Option<Vec<String>>,
    manifests: Option<Vec<String>>,
    policies: Option<Vec<String>>,
    data: Option<Vec<String>>,
    fail_on: Option<crate::finding::FailOn>,
    timeout: Option<toml::Spanned<f64>>,
    max_memory: Option<toml::Spanned<toml::Value>>,
    horizon_days: Option<toml::Spanned<i64>>,
    known_owners: Option<Vec<toml::Spanned<String>>>,
    #[serde(default)]
    rules: BTreeMap<toml::Spanned<String>, RawRule>,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRule {
    severity: Option<Severity>,
    #[serde(default)]
    disable: bool,
    min_contacts: Option<toml::Spanned<i64>>,
    first_page_minutes: Option<toml::Spanned<i64>>,
    max_oncall_share: Option<toml::Spanned<i64>>,
    max_areas_per_contact: Option<toml::Spanned<i64>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleConfig {
    pub severity: Option<Severity>,
    pub disable: bool,
    /// Where `[rules.<id>]` is written, for errors.
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<String>,
    pub plans: Vec<String>,
    /// Globs of the Kubernetes manifests to read (tracked files; plan files and `.github/` excluded).
    pub manifests: Vec<String>,
    pub policies: Vec<String>,
    /// JSON/YAML files added under `data` for the policies.
    pub data: Vec<String>,
    /// `fail-on`: overridden by PLANCHECK_FAIL_ON and --fail-on.
    pub fail_on: Option<crate::finding::FailOn>,
    /// `timeout` in seconds: overridden by PLANCHECK_TIMEOUT and --timeout.
    pub timeout: Option<std::time::Duration>,
    /// `max-memory` in bytes: overridden by PLANCHECK_MAX_MEMORY and --max-memory.
    pub max_memory: Option<u64>,
    pub rules: BTreeMap<String, RuleConfig>,
    pub area_min_contacts: i64,
    /// On-call options: `horizon-days` and the on-call rules' options.
    pub oncall: crate::oncall::options::Options,
    /// `known-owners`: CODEOWNERS owners that exist outside the plan.
    pub known_owners: crate::codeowners::known::KnownOwners,
}

/// A serde message in plain words: `invalid type: string "x", expected i64` becomes
/// `found the text "x", expected a whole number`.
pub fn plain_types(msg: &str) -> String {
    let mut out = msg.to_string();
    for (from, to) in [
        ("invalid type: string ", "found the text "),
        ("invalid type: boolean ", "found "),
        ("invalid type: integer ", "found the number "),
        ("invalid type: floating point ", "found the number "),
        ("invalid type: sequence", "found a list"),
        ("invalid type: map", "found a table"),
        ("invalid value: integer ", "the number "),
    ] {
        out = out.replace(from, to);
    }
    for (names, plain) in [
        (
            &[
                "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "isize",
            ][..],
            "a whole number",
        ),
        (&["f32", "f64"][..], "a number"),
    ] {
        for n in names {
            for prefix in ["expected ", "expected an ", "expected a "] {
                let needle = format!("{prefix}{n}");
                if let Some(at) = out.find(&needle) {
                    let end = at + needle.len();
                    // Only the whole word (`u8`, not `u8x`).
                    if !out[end..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
                        out.replace_range(at..end, &format!("expected {plain}"));
                    }
                }
            }
        }
    }
    out.replace("expected a sequence", "expected a list")
        .replace("expected a map", "expected a table")
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            plans: DEFAULT_PLANS.iter().map(|s| s.to_string()).collect(),
            manifests: crate::manifests::DEFAULT_GLOBS.map(String::from).to_vec(),
            policies: Vec::new(),
            data: Vec::new(),
            fail_on: None,
            timeout: None,
            max_memory: None,
            rules: BTreeMap::new(),
            area_min_contacts: 2,
            oncall: crate::oncall::options::Options::default(),
            known_owners: Default::default(),
        }
    }
}

impl Config {
    /// The configuration's word on each finding's rule: `disable = true` drops it, `severity`
    /// overrides it. The one place rule configuration is applied, in plain and diff mode.
    pub fn apply_rule_config(&self, findings: &mut Vec<Finding>) {
        findings.retain(|f| !self.rules.get(&f.rule).is_some_and(|c| c.disable));
        for f in findings.iter_mut() {
            if let Some(sev) = self.rules.get(&f.rule).and_then(|c| c.severity) {
                f.severity = sev;
            }
        }
    }

    /// Checks that every configured rule exists (known once the policies are loaded).
    pub fn validate_rules(&self, known_rules: &[String]) -> Result<(), Located> {
        for (name, rule) in &self.rules {
            if !known_rules.iter().any(|k| k == name) {
                return Err(Located::new(
                    self.path.clone().unwrap_or_default(),
                    rule.pos,
                    format!("unknown rule `{name}` in [rules]"),
                )
                .with_help("`plancheck rules` lists the rule ids"));
            }
            if name == crate::rule::SCHEMA_RULE && (rule.disable || rule.severity.is_some()) {
                return Err(Located::new(
                    self.path.clone().unwrap_or_default(),
                    rule.pos,
                    format!("`{name}` cannot be disabled or given another severity"),
                )
                .with_help("no other rule runs on a plan that breaks the schema, so a silenced schema error would let an unchecked plan pass; remove this entry and fix the plan where the finding points (`plancheck schema` prints what plan files accept)"));
            }
        }
        Ok(())
    }

    /// Parses a configuration file; unknown keys and bad values are errors at their line,
    /// shown with that line.
    pub fn parse(path: &str, text: &str) -> Result<Config, Located> {
        Config::parse_text(path, text).map_err(|e| e.with_source(text))
    }

    fn parse_text(path: &str, text: &str) -> Result<Config, Located> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let pos = e
                .span()
                .map_or(Pos { line: 1, column: 1 }, |s| pos_at(text, s.start));
            Located::new(path, pos, plain_types(e.message().trim()))
                .with_help("see the configuration reference in README.md")
        })?;
        let mut cfg = Config {
            path: Some(path.to_string()),
            ..Config::default()
        };
        if let Some(plans) = raw.plans {
            if plans.is_empty() {
                return Err(
                    Located::new(path, Pos { line: 1, column: 1 }, "`plans` is empty").with_help(
                        "list at least one glob, or remove `plans` to use the default locations",
                    ),
                );
            }
            for p in &plans {
                check_plan_glob(path, text, p)?;
            }
            cfg.plans = plans;
        }
        if let Some(globs) = raw.manifests {
            cfg.manifests = crate::manifests::check_globs(path, text, globs)?;
        }
        cfg.policies = raw.policies.unwrap_or_default();
        cfg.data = raw.data.unwrap_or_default();
        cfg.fail_on = raw.fail_on;
        let (timeout, max_memory) = (raw.timeout.as_ref(), raw.max_memory.as_ref());
        bounds::read((path, text), timeout, max_memory, &mut cfg)?;
        if let Some(h) = raw.horizon_days {
            cfg.oncall.horizon_days = crate::oncall::options::horizon_days(
                path,
                pos_at(text, h.span().start),
                *h.get_ref(),
            )?;
        }
        if let Some(list) = raw.known_owners {
            let entries: Vec<_> = list
                .into_iter()
                .map(|e| (pos_at(text, e.span().start), e.into_inner()))
                .map(|(pos, e)| (e, pos))
                .collect();
            cfg.known_owners = crate::codeowners::known::KnownOwners::new(path, &entries)?;
        }
        for (id, rule) in raw.rules {
            let pos = pos_at(text, id.span().start);
            let name = id.into_inner();
            if let Some(min) = rule.min_contacts {
                let mpos = pos_at(text, min.span().start);
                if name != "area-min-contacts" {
                    return Err(Located::new(
                        path,
                        mpos,
                        format!("`min-contacts` applies to area-min-contacts only, not to {name}"),
                    ));
                }
                let v = *min.get_ref();
                if !(1..=1000).contains(&v) {
                    return Err(Located::new(
                        path,
                        mpos,
                        format!("`min-contacts` must be between 1 and 1000, found {v}"),
                    ));
                }
                cfg.area_min_contacts = v;
            }
            for (option, value) in [
                ("first-page-minutes", &rule.first_page_minutes),
                ("max-oncall-share", &rule.max_oncall_share),
                ("max-areas-per-contact", &rule.max_areas_per_contact),
            ] {
                if let Some(v) = value {
                    let vpos = pos_at(text, v.span().start);
                    cfg.oncall.set(path, vpos, &name, option, *v.get_ref())?;
                }
            }
            cfg.rules.insert(
                name,
                RuleConfig {
                    severity: rule.severity,
                    disable: rule.disable,
                    pos,
                },
            );
        }
        Ok(cfg)
    }
}

/// A glob of `plans`: valid, and with brace groups that expand to a bounded number of patterns.
fn check_plan_glob(path: &str, text: &str, p: &str) -> Result<(), Located> {
    let pos = || {
        text.find(p)
            .map_or(Pos { line: 1, column: 1 }, |i| pos_at(text, i))
    };
    if let Err(e) = globset::Glob::new(p) {
        return Err(Located::new(
            path,
            pos(),
            format!("invalid glob `{p}` in `plans`: {}", e.kind()),
        ));
    }
    let n = brace_expansions(p);
    if n > MAX_BRACE_EXPANSIONS {
        return Err(Located::new(
            path,
            pos(),
            format!(
                "the glob `{p}` in `plans` has brace groups that expand to {} patterns; plancheck allows at most {MAX_BRACE_EXPANSIONS}",
                if n == u64::MAX { "too many".to_string() } else { n.to_string() }
            ),
        )
        .with_help("use fewer `{a,b}` groups: `*` and `**` match any name, and `plans` takes several globs"));
    }
    Ok(())
}

/// How many patterns a glob's `{a,b}` groups may expand to. Each group multiplies the count,
/// so a short line of groups would otherwise cost seconds and gigabytes.
pub const MAX_BRACE_EXPANSIONS: u64 = 256;

/// The number of patterns the brace groups of `glob` expand to (`u64::MAX` when past it):
/// the product over top-level groups of their alternatives, nested groups counted inside.
pub fn brace_expansions(glob: &str) -> u64 {
    fn group(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> u64 {
        // Inside a group: the sum over alternatives of each one's product.
        let (mut sum, mut product) = (0u64, 1u64);
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '{' => product = product.saturating_mul(group(chars)),
                ',' => {
                    sum = sum.saturating_add(product);
                    product = 1;
                }
                '}' => break,
                _ => {}
            }
        }
        sum.saturating_add(product)
    }
    let mut chars = glob.chars().peekable();
    let mut total = 1u64;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' => total = total.saturating_mul(group(&mut chars)),
            _ => {}
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        vec!["area-min-contacts".into(), "plan-review-stale".into()]
    }

    #[test]
    fn serde_type_names_become_plain_words() {
        assert_eq!(
            plain_types("invalid type: string \"three\", expected i64"),
            "found the text \"three\", expected a whole number"
        );
        assert_eq!(
            plain_types("invalid type: boolean `true`, expected f64"),
            "found `true`, expected a number"
        );
        assert_eq!(plain_types("expected u8x"), "expected u8x");
    }

    #[test]
    fn unknown_keys_are_errors_with_their_line() {
        let err =
            Config::parse(".plancheck.toml", "plans = [\"a/*.yaml\"]\nplan = 1\n").unwrap_err();
        assert_eq!(err.pos.line, 2);
        assert!(
            err.message.contains("unknown field `plan`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn brace_groups_are_counted_and_bounded() {
        assert_eq!(
            brace_expansions("incident-response/**/*.{yaml,yml,json}"),
            3
        );
        assert_eq!(brace_expansions("{a,b}{c,d,e}"), 6);
        assert_eq!(brace_expansions("{a,{b,c}}"), 3);
        assert_eq!(brace_expansions("\\{a,b\\}"), 1);
        assert_eq!(brace_expansions(&"{a,b}".repeat(70)), u64::MAX);
        let err =
            Config::parse("c", &format!("plans = [\"{}\"]\n", "{a,b}".repeat(9))).unwrap_err();
        assert!(err.message.contains("512 patterns"), "{}", err.message);
    }

    #[test]
    fn rule_options_are_validated() {
        let cfg = Config::parse(
            "c",
            "[rules.area-min-contacts]\nmin-contacts = 3\nseverity = \"warning\"\n[rules.plan-review-stale]\ndisable = true\n",
        )
        .expect("valid");
        assert_eq!(cfg.area_min_contacts, 3);
        assert_eq!(
            cfg.rules["area-min-contacts"].severity,
            Some(Severity::Warning)
        );
        assert!(cfg.rules["plan-review-stale"].disable);
        cfg.validate_rules(&known()).expect("known rules");
        let cfg = Config::parse("c", "\n[rules.no-such-rule]\ndisable = true\n").expect("parses");
        let err = cfg.validate_rules(&known()).unwrap_err();
        assert_eq!(err.pos.line, 2);
        let err = Config::parse("c", "[rules.plan-review-stale]\nmin-contacts = 3\n").unwrap_err();
        assert_eq!(err.pos.line, 2);
    }

    #[test]
    fn oncall_options_are_validated_at_their_line() {
        let cfg = Config::parse(
            "c",
            "horizon-days = 14\n[rules.escalation-reach]\nfirst-page-minutes = 10\n[rules.oncall-load]\nmax-oncall-share = 30\n[rules.contact-load]\nmax-areas-per-contact = 4\n",
        )
        .expect("valid");
        assert_eq!(
            cfg.oncall,
            crate::oncall::options::Options {
                horizon_days: 14,
                first_page_minutes: 10,
                max_oncall_share: 30,
                max_areas_per_contact: 4,
            }
        );
        assert_eq!(Config::default().oncall.horizon_days, 28);
        let err = Config::parse("c", "plans = [\"a\"]\nhorizon-days = 0\n").unwrap_err();
        assert_eq!((err.pos.line, err.pos.column), (2, 16));
        assert!(err
            .message
            .contains("`horizon-days` must be between 1 and 366, found 0"));
        let err = Config::parse("c", "[rules.oncall-load]\nfirst-page-minutes = 5\n").unwrap_err();
        assert_eq!(err.pos.line, 2);
        assert!(
            err.message
                .contains("applies to escalation-reach only, not to oncall-load"),
            "{}",
            err.message
        );
        let err = Config::parse("c", "[rules.oncall-load]\nmax-oncall-share = 101\n").unwrap_err();
        assert!(
            err.message.contains("between 1 and 100, found 101"),
            "{}",
            err.message
        );
        let err = Config::parse("c", "[rules.contact-load]\nmax-areas-per-contact = \"3\"\n")
            .unwrap_err();
        assert_eq!(err.pos.line, 2);
    }
}
