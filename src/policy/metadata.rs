//! Reads rule declarations and their `# METADATA` blocks from Rego source.
//!
//! regorus has no `rego.metadata.*`, so plancheck reads the annotations itself: a
//! `# METADATA` comment block directly above a rule applies to that rule (all its
//! definitions); one above `package` applies to every rule of the package.

use crate::error::Located;
use crate::finding::Severity;
use crate::plan::node::{parse_documents, Node, Pos, Value};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub title: Option<String>,
    pub description: Option<String>,
    pub id: Option<String>,
    pub severity: Option<Severity>,
    pub help: Option<String>,
    pub related: Vec<String>,
    /// `scope:` as written (rule, document, package, subpackages).
    pub scope: Option<String>,
}

/// A `deny`/`violation`/`warn` rule declared in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleDecl {
    pub name: String,
    pub line: u32,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PolicySource {
    pub path: String,
    pub package: String,
    pub rules: Vec<RuleDecl>,
    /// Line of the package's first `exception` rule head, if it has one.
    pub exception_line: Option<u32>,
    /// `test_*` and `todo_*` rule heads, with their lines (first definition).
    pub tests: Vec<(String, u32)>,
    /// Part of the pack embedded in plancheck.
    pub builtin: bool,
}

/// Whether a rule name is one plancheck evaluates, and the severity its name implies.
pub fn rule_kind(name: &str) -> Option<Severity> {
    let base = name.split('_').next().unwrap_or(name);
    let suffix_ok = |prefix: &str| {
        name == prefix
            || name
                .strip_prefix(prefix)
                .and_then(|r| r.strip_prefix('_'))
                .is_some_and(|r| !r.is_empty())
    };
    match base {
        "deny" if suffix_ok("deny") => Some(Severity::Error),
        "violation" if suffix_ok("violation") => Some(Severity::Error),
        "warn" if suffix_ok("warn") => Some(Severity::Warning),
        _ => None,
    }
}

fn ident_at_start(line: &str) -> Option<&str> {
    let end = line
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map_or(line.len(), |(i, _)| i);
    let ident = &line[..end];
    (!ident.is_empty() && !ident.starts_with(|c: char| c.is_ascii_digit())).then_some(ident)
}

/// The comment lines of a `# METADATA` block starting at line index `at`: their text (without
/// `#`), the 1-based line of the first, and the index after the block.
fn metadata_block(lines: &[&str], at: usize) -> (String, u32, usize) {
    let mut body = String::new();
    let mut i = at + 1;
    while i < lines.len() && lines[i].trim_start().starts_with('#') {
        let l = lines[i].trim_start().trim_start_matches('#');
        body.push_str(l.strip_prefix(' ').unwrap_or(l));
        body.push('\n');
        i += 1;
    }
    (body, u32::try_from(at + 2).unwrap_or(u32::MAX), i)
}

/// A rule head: a new rule, or another body of one already seen. All bodies of a rule share
/// one METADATA: a second, different block would be lost, so it is an error at its line.
/// `meta` carries the line of its `# METADATA`; `meta_lines` where each rule's block was.
fn record_rule(
    path: &str,
    (rules, meta_lines): (&mut Vec<RuleDecl>, &mut Vec<(String, u32)>),
    name: &str,
    line: u32,
    meta: Option<(Meta, u32)>,
) -> Result<(), Located> {
    let Some(existing) = rules.iter_mut().find(|r| r.name == name) else {
        if let Some((_, at)) = &meta {
            meta_lines.push((name.to_string(), *at));
        }
        rules.push(RuleDecl {
            name: name.to_string(),
            line,
            meta: meta.map(|(m, _)| m).unwrap_or_default(),
        });
        return Ok(());
    };
    let Some((m, at)) = meta else { return Ok(()) };
    if existing.meta == Meta::default() {
        existing.meta = m;
        meta_lines.push((name.to_string(), at));
    } else if existing.meta != m {
        let first = meta_lines
            .iter()
            .find(|(n, _)| n == name)
            .map_or(existing.line, |(_, l)| *l);
        return Err(Located::new(path, Pos { line: at, column: 1 }, format!(
            "rule `{name}` already has METADATA (line {first}); every body of a rule shares one, so this block would be lost"
        ))
        .with_help(format!(
            "give this check its own rule name (`{name}_<what>`, each with its METADATA), or keep one METADATA block for all bodies of `{name}`"
        )));
    }
    Ok(())
}

/// A METADATA block followed by nothing it can describe.
fn unattached(path: &str, block_line: u32) -> Located {
    Located::new(
        path,
        Pos {
            line: block_line,
            column: 1,
        },
        "METADATA block is not attached to a rule or package",
    )
    .with_help("put each `# METADATA` block directly above the rule or `package` it describes")
}

/// A METADATA block above a statement that is not a rule plancheck evaluates: above `import`
/// it describes nothing; with `custom.id` or `custom.severity` above a helper rule, the rule
/// the author meant to declare would never run.
fn unused_block(path: &str, name: &str, m: &Meta, block_line: u32) -> Result<(), Located> {
    if name == "import" {
        return Err(unattached(path, block_line));
    }
    if m.id.is_some() || m.severity.is_some() {
        return Err(Located::new(
            path,
            Pos { line: block_line, column: 1 },
            format!("METADATA with `custom.id` or `custom.severity` is above `{name}`, but `{name}` is not a rule plancheck evaluates"),
        )
        .with_help("rules are named deny, violation or warn (or deny_<name> ...); rename the rule, or move the block above the rule it describes"));
    }
    Ok(())
}

/// A rule's annotations, with what it does not say taken from its package's.
fn inherit(m: &mut Meta, p: &Meta) {
    m.title = m.title.take().or_else(|| p.title.clone());
    m.description = m.description.take().or_else(|| p.description.clone());
    m.severity = m.severity.or(p.severity);
    m.help = m.help.take().or_else(|| p.help.clone());
    if m.related.is_empty() {
        m.related = p.related.clone();
    }
    if m.id.is_none() {
        m.id = p.id.clone();
    }
}

/// Scans a Rego file for its package, its rule heads (at column 0, as `opa fmt` writes them)
/// and their METADATA blocks. A malformed block is an error at its line.
pub fn scan(path: &str, source: &str) -> Result<PolicySource, Located> {
    let lines: Vec<&str> = source.lines().collect();
    let mut package = None;
    let mut package_meta = Meta::default();
    let mut rules: Vec<RuleDecl> = Vec::new();
    let mut meta_lines: Vec<(String, u32)> = Vec::new();
    let mut pending: Option<(Meta, u32)> = None;
    let mut exception_line = None;
    let mut tests: Vec<(String, u32)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        if trimmed == "# METADATA" {
            let (body, first, next) = metadata_block(&lines, i);
            i = next;
            if let Some((_, line)) = &pending {
                return Err(unattached(path, *line - 1));
            }
            pending = Some((parse_meta(path, first, &body)?, first));
            continue;
        }
        let this_line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if let Some(rest) = line.strip_prefix("package ") {
            package = Some(rest.trim().to_string());
            if let Some((m, _)) = pending.take() {
                package_meta = m;
            }
        } else if let Some(name) = ident_at_start(line) {
            if let Some((m, at)) = &pending {
                if matches!(m.scope.as_deref(), Some("package" | "subpackages")) {
                    return Err(Located::new(
                        path,
                        Pos { line: *at, column: 1 },
                        format!(
                            "METADATA with `scope: {}` must be directly above `package`, not above rule `{name}`",
                            m.scope.as_deref().unwrap_or_default()
                        ),
                    )
                    .with_help("move the block above `package`, or drop the `scope` line to describe the rule"));
                }
            }
            if name == "exception" && exception_line.is_none() {
                exception_line = Some(this_line);
            }
            if (name.starts_with("test_") || name.starts_with("todo_"))
                && !tests.iter().any(|(n, _)| n == name)
            {
                tests.push((name.to_string(), this_line));
            }
            if rule_kind(name).is_some() {
                let meta = pending.take().map(|(m, at)| (m, at - 1));
                record_rule(path, (&mut rules, &mut meta_lines), name, this_line, meta)?;
            } else if let Some((m, at)) = pending.take() {
                unused_block(path, name, &m, at - 1)?;
            }
        }
        i += 1;
    }
    if let Some((_, at)) = pending {
        return Err(unattached(path, at - 1));
    }
    let package = package.ok_or_else(|| {
        Located::new(
            path,
            Pos { line: 1, column: 1 },
            "no `package` declaration found",
        )
        .with_help("start the file with `package plancheck.<name>`")
    })?;
    for r in &mut rules {
        inherit(&mut r.meta, &package_meta);
    }
    Ok(PolicySource {
        path: path.to_string(),
        package,
        rules,
        exception_line,
        tests,
        builtin: false,
    })
}

/// The annotation keys OPA defines.
const KEYS: &[&str] = &[
    "scope",
    "title",
    "description",
    "related_resources",
    "authors",
    "organizations",
    "schemas",
    "entrypoint",
    "custom",
];

fn parse_meta(path: &str, line: u32, body: &str) -> Result<Meta, Located> {
    // The YAML reader places an error at the end of the text one line past the block's last
    // line (past the file's end when the block ends the file): keep it inside the block.
    let last = u32::try_from(body.lines().count())
        .unwrap_or(u32::MAX)
        .max(1);
    let bad = |offset: u32, msg: String| {
        Located::new(
            path,
            Pos {
                line: line + offset.clamp(1, last) - 1,
                column: 1,
            },
            format!("invalid METADATA block: {msg}"),
        )
        .with_help("METADATA is YAML in comments: `# title: ...`, `# custom:` / `#   id: my-rule`")
    };
    let docs = parse_documents(body).map_err(|e| bad(e.pos.line, e.message))?;
    let Some(doc) = docs.into_iter().next() else {
        return Ok(Meta::default());
    };
    if !matches!(doc.value, Value::Map(_)) {
        return Err(bad(1, "expected `key: value` lines".into()));
    }
    let text = |n: Option<&Node>, key: &str| -> Result<Option<String>, Located> {
        match n {
            None => Ok(None),
            Some(node) => match &node.value {
                Value::Str(s) => Ok(Some(s.trim().to_string())),
                Value::Null => Ok(None),
                _ => Err(bad(node.pos.line, format!("`{key}` must be a string"))),
            },
        }
    };
    check_keys(&doc, &bad)?;
    let mut meta = Meta {
        scope: doc.get("scope").and_then(Node::as_str).map(str::to_string),
        title: text(doc.get("title"), "title")?,
        description: text(doc.get("description"), "description")?,
        ..Meta::default()
    };
    if let Some(custom) = doc.get("custom") {
        if !matches!(custom.value, Value::Map(_)) {
            return Err(bad(custom.pos.line, "`custom` must be a mapping".into()));
        }
        meta.id = text(custom.get("id"), "custom.id")?;
        if let Some(id) = &meta.id {
            let ok = !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !id.starts_with('-');
            if !ok {
                let l = custom.get("id").map_or(1, |n| n.pos.line);
                return Err(bad(
                    l,
                    format!("custom.id `{id}` must be kebab-case (lowercase letters, digits, -)"),
                ));
            }
        }
        if let Some(sev) = text(custom.get("severity"), "custom.severity")? {
            meta.severity = Some(Severity::parse(&sev).ok_or_else(|| {
                let l = custom.get("severity").map_or(1, |n| n.pos.line);
                bad(
                    l,
                    format!("custom.severity must be error or warning, found `{sev}`"),
                )
            })?);
        }
        meta.help = text(custom.get("help"), "custom.help")?;
    }
    meta.related = related(&doc, &bad)?;
    Ok(meta)
}

/// The keys of a METADATA block: only OPA's, each with the type OPA gives it.
fn check_keys(doc: &Node, bad: &dyn Fn(u32, String) -> Located) -> Result<(), Located> {
    if let Value::Map(entries) = &doc.value {
        for (key, node) in entries {
            if !KEYS.contains(&key.name.as_str()) {
                let hint = crate::plan::schema::closest(&key.name, KEYS)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(bad(
                    key.pos.line,
                    format!(
                        "unknown key `{}`{hint} (put your own keys under `custom:`)",
                        key.name
                    ),
                ));
            }
            match key.name.as_str() {
                "scope" => {
                    let ok = matches!(
                        node.as_str(),
                        Some("rule" | "document" | "package" | "subpackages")
                    );
                    if !ok {
                        return Err(bad(
                            node.pos.line,
                            "`scope` must be rule, document, package or subpackages".into(),
                        ));
                    }
                }
                "entrypoint" if !matches!(node.value, Value::Bool(_)) => {
                    return Err(bad(
                        node.pos.line,
                        "`entrypoint` must be true or false".into(),
                    ));
                }
                "organizations" => {
                    let ok = match &node.value {
                        Value::Seq(items) => items.iter().all(|i| i.as_str().is_some()),
                        _ => false,
                    };
                    if !ok {
                        return Err(bad(
                            node.pos.line,
                            "`organizations` must be a list of strings".into(),
                        ));
                    }
                }
                "authors" => {
                    let ok = match &node.value {
                        Value::Seq(items) => items.iter().all(|i| {
                            i.as_str().is_some()
                                || (matches!(i.value, Value::Map(_))
                                    && (i.get("name").is_some() || i.get("email").is_some()))
                        }),
                        _ => false,
                    };
                    if !ok {
                        return Err(bad(
                            node.pos.line,
                            "`authors` must be a list of names or {name, email}".into(),
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// `related_resources`: URLs, or `{ref, description}` objects.
fn related(doc: &Node, bad: &dyn Fn(u32, String) -> Located) -> Result<Vec<String>, Located> {
    let mut out = Vec::new();
    let url = |s: &str, at: u32| -> Result<String, Located> {
        let scheme_ok = s.split_once("://").is_some_and(|(scheme, rest)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.is_empty()
        });
        if scheme_ok && !s.contains(char::is_whitespace) {
            Ok(s.to_string())
        } else {
            Err(bad(
                at,
                format!("related resource `{s}` is not an absolute URL"),
            ))
        }
    };
    if let Some(rel) = doc.get("related_resources") {
        let Value::Seq(items) = &rel.value else {
            return Err(bad(
                rel.pos.line,
                "`related_resources` must be a list".into(),
            ));
        };
        for item in items {
            match &item.value {
                Value::Str(s) => out.push(url(s, item.pos.line)?),
                Value::Map(_) => match item.get("ref").and_then(Node::as_str) {
                    Some(r) => out.push(url(r, item.pos.line)?),
                    None => {
                        return Err(bad(item.pos.line, "a related resource needs `ref`".into()))
                    }
                },
                _ => {
                    return Err(bad(
                        item.pos.line,
                        "a related resource is a URL or {ref, description}".into(),
                    ))
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_attaches_to_the_rule_below_it() {
        let src = "package plancheck.x\n\n# METADATA\n# title: T\n# custom:\n#   id: my-rule\n#   severity: warning\ndeny contains msg if {\n  false\n}\n\ndeny contains msg if { false }\n";
        let p = scan("x.rego", src).expect("scans");
        assert_eq!(p.package, "plancheck.x");
        assert_eq!(p.rules.len(), 1);
        assert_eq!(p.rules[0].line, 8);
        assert_eq!(p.rules[0].meta.id.as_deref(), Some("my-rule"));
        assert_eq!(p.rules[0].meta.severity, Some(Severity::Warning));
    }

    #[test]
    fn malformed_metadata_is_an_error_at_its_line() {
        let src =
            "package plancheck.x\n# METADATA\n# title: [unclosed\ndeny contains 1 if { true }\n";
        let err = scan("x.rego", src).unwrap_err();
        assert_eq!(err.path, "x.rego");
        assert!(err.pos.line >= 3, "{err}");
        let src = "package plancheck.x\n# METADATA\n# custom:\n#   severity: fatal\ndeny contains 1 if { true }\n";
        let err = scan("x.rego", src).unwrap_err();
        assert_eq!(err.pos.line, 4, "{err}");
    }

    #[test]
    fn rule_names_follow_the_conftest_convention() {
        assert_eq!(rule_kind("deny"), Some(Severity::Error));
        assert_eq!(rule_kind("violation_two_zones"), Some(Severity::Error));
        assert_eq!(rule_kind("warn_x"), Some(Severity::Warning));
        assert_eq!(rule_kind("denylist"), None);
        assert_eq!(rule_kind("deny_"), None);
    }
}
