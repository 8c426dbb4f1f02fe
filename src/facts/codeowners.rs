//! `input.facts.codeowners`: what the CODEOWNERS rules judge, computed once in Rust with the
//! one CODEOWNERS matcher ([`super::Codeowners`]).
//!
//! - `owners`: every owner of every valid line, at its line and column, with what it
//!   resolves to in the plan (compared as GitHub compares names: ASCII case-insensitively),
//!   whether `known-owners` lists it, whether it is an email address, and for an owner the
//!   plan does not know, the nearest handle the plan does know.
//! - `rules`: per valid line (same order as `input.codeowners.rules`), whether it matches a
//!   tracked file, whether it decides the owners of one (it is the last line matching it),
//!   an example of each, and up to three later lines that override it.

use std::collections::BTreeMap;

use regorus::Value;

use crate::codeowners::Codeowners;
use crate::finding::{Location, Subject};
use crate::plan::node::Node;
use crate::plan::{List, Plan, Seg};
use crate::workspace::Workspace;

/// How many overriding lines a shadowed line names.
const MAX_OVERRIDERS: usize = 3;

/// The plan's handles: folded `@handle` → (as written, what it is).
pub struct Handles {
    map: BTreeMap<String, (String, String)>,
}

/// GitHub compares user, organization and team names ASCII-case-insensitively.
fn fold(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn at(s: &str) -> String {
    format!("@{}", s.trim().trim_start_matches('@'))
}

/// The elements of one of the plan's lists (adapter: the only place reading plan lists here).
fn list<'a>(plan: &'a Plan, name: &str) -> Vec<&'a Node> {
    match List::named(name) {
        Some(l) => plan.elements(l).collect(),
        None => Vec::new(),
    }
}

fn text<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get(key)
        .and_then(Node::as_str)
        .filter(|s| !s.trim().is_empty())
}

impl Handles {
    /// Contacts' `github` (as `@handle`) and teams' `github_team`.
    pub fn of(plan: &Plan) -> Handles {
        let mut map = BTreeMap::new();
        for (list_name, key, kind) in [
            ("contacts", "github", "contact"),
            ("teams", "github_team", "team"),
        ] {
            for node in list(plan, list_name) {
                let (Some(id), Some(handle)) = (text(node, "id"), text(node, key)) else {
                    continue;
                };
                let handle = at(handle);
                map.entry(fold(&handle))
                    .or_insert_with(|| (handle, format!("{kind} {id}")));
            }
        }
        Handles { map }
    }

    /// What `owner` is in the plan (`contact alice`, `team storage`).
    pub fn resolve(&self, owner: &str) -> Option<&str> {
        self.map.get(&fold(owner)).map(|(_, what)| what.as_str())
    }

    /// The plan's handle nearest to `owner`, when it is close enough to be a typo.
    pub fn nearest(&self, owner: &str) -> Option<&str> {
        let folded = fold(owner);
        let limit = (folded.chars().count() / 4).clamp(1, 3);
        self.map
            .iter()
            .filter(|(h, _)| {
                // A team for a team, a user for a user.
                h.contains('/') == folded.contains('/')
            })
            .map(|(h, (written, _))| (distance(&folded, h), written))
            .filter(|(d, _)| *d <= limit)
            .min_by_key(|(d, _)| *d)
            .map(|(_, w)| w.as_str())
    }
}

/// Levenshtein distance, counting a swap of two neighbours as one edit.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

/// Which lines match and decide which tracked files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    /// A tracked file the line matches, if any.
    pub matches: Option<String>,
    /// A tracked file whose owners the line decides, if any.
    pub decides: Option<String>,
    /// Rule indexes of later lines that decide files this line matches (at most three).
    pub overridden_by: Vec<usize>,
}

/// For every rule of `co`, how it applies to `files`: one pass over the files, each tested
/// only against the rules the index says may match it, and a rule already known to decide
/// some file is not tested again below the deciding one.
pub fn usage<'a>(co: &Codeowners, files: impl IntoIterator<Item = &'a String>) -> Vec<Usage> {
    let mut out = vec![Usage::default(); co.rules.len()];
    if co.index.len() != co.rules.len() {
        return out;
    }
    for file in files {
        let candidates = co.index.candidates(file);
        let mut decider: Option<usize> = None;
        for &i in candidates.iter().rev() {
            let u = &out[i];
            if decider.is_some() && u.decides.is_some() {
                continue; // used: nothing more to learn from this file
            }
            if decider.is_some() && u.matches.is_some() && u.overridden_by.len() >= MAX_OVERRIDERS {
                continue;
            }
            if !co.rules[i].matches(file) {
                continue;
            }
            let u = &mut out[i];
            if u.matches.is_none() {
                u.matches = Some(file.clone());
            }
            match decider {
                None => {
                    decider = Some(i);
                    if u.decides.is_none() {
                        u.decides = Some(file.clone());
                    }
                }
                Some(d) => {
                    if !u.overridden_by.contains(&d) && u.overridden_by.len() < MAX_OVERRIDERS {
                        u.overridden_by.push(d);
                    }
                }
            }
        }
    }
    for u in &mut out {
        u.overridden_by.sort_unstable();
    }
    out
}

fn opt(s: Option<&str>) -> Value {
    s.map_or(Value::Null, Value::from)
}

fn obj<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::from(
        pairs
            .into_iter()
            .map(|(k, v)| (Value::from(k), v))
            .collect::<BTreeMap<Value, Value>>(),
    )
}

/// `input.facts.codeowners`.
pub fn value(ws: &Workspace) -> Value {
    let co = &ws.codeowners.parsed;
    let handles = Handles::of(&ws.plan);
    let known = &ws.config.known_owners;
    let mut owners = Vec::new();
    for (ri, rule) in co.rules.iter().enumerate() {
        for (oi, owner) in rule.owners.iter().enumerate() {
            let email = !owner.starts_with('@');
            let plan = handles.resolve(owner);
            let listed = known.contains(owner);
            let suggestion = if email || plan.is_some() || listed {
                None
            } else {
                handles.nearest(owner)
            };
            owners.push(obj([
                ("rule", Value::from(ri as u64)),
                ("line", Value::from(u64::from(rule.line))),
                (
                    "column",
                    Value::from(u64::from(rule.owner_columns.get(oi).copied().unwrap_or(1))),
                ),
                ("owner", Value::from(owner.as_str())),
                ("email", Value::from(email)),
                ("plan", opt(plan)),
                ("listed", Value::from(listed)),
                ("suggestion", opt(suggestion)),
            ]));
        }
    }
    let rules: Vec<Value> = usage(co, &ws.tracked)
        .into_iter()
        .zip(&co.rules)
        .map(|(u, rule)| {
            let lines: Vec<Value> = u
                .overridden_by
                .iter()
                .filter_map(|&i| co.rules.get(i))
                .map(|r| Value::from(u64::from(r.line)))
                .collect();
            obj([
                ("line", Value::from(u64::from(rule.line))),
                ("pattern", Value::from(rule.pattern.as_str())),
                ("matches", opt(u.matches.as_deref())),
                ("decides", opt(u.decides.as_deref())),
                ("overridden_by", Value::from(lines)),
            ])
        })
        .collect();
    obj([
        ("path", opt(ws.codeowners.path.as_deref())),
        ("owners", Value::from(owners)),
        ("rules", Value::from(rules)),
    ])
}

/// Adds `codeowners` to `input.facts`.
pub fn insert(facts: &mut Value, ws: &Workspace) {
    if let Ok(map) = facts.as_object_mut() {
        map.insert(Value::from("codeowners"), value(ws));
    }
}

/// Where a path under `input.facts` points, for the keys this module owns:
/// `["codeowners", "owners", k]` is the owner's line and column in CODEOWNERS.
pub fn locate(ws: &Workspace, rest: &[Seg]) -> Option<(Location, Subject, bool)> {
    let [Seg::Key(root), Seg::Key(list), Seg::Index(k), ..] = rest else {
        return None;
    };
    if root != "codeowners" {
        return None;
    }
    let co = &ws.codeowners.parsed;
    let file = ws
        .codeowners
        .path
        .clone()
        .unwrap_or_else(|| ".github/CODEOWNERS".into());
    let here = |line: u32, column: u32| Location {
        path: file.clone(),
        line,
        column,
    };
    match list.as_str() {
        "owners" => {
            let (rule, oi) = co
                .rules
                .iter()
                .flat_map(|r| (0..r.owners.len()).map(move |oi| (r, oi)))
                .nth(*k)?;
            let column = rule.owner_columns.get(oi).copied().unwrap_or(1);
            Some((
                here(rule.line, column),
                {
                    let owner = rule.owners[oi].to_ascii_lowercase();
                    Subject {
                        key: format!("codeowners.rules[{}].owners[{owner}]", rule.pattern),
                        ids: vec![rule.pattern.clone(), owner],
                        ..Subject::default()
                    }
                },
                true,
            ))
        }
        "rules" => {
            let rule = co.rules.get(*k)?;
            Some((
                here(rule.line, 1),
                Subject::named("codeowners.rules", &rule.pattern),
                true,
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lines_are_indexed_under_their_rarest_literal_and_no_match_is_missed() {
        let mut text = String::from("* @all\n");
        for s in 0..50 {
            text.push_str(&format!(
                "/services/svc-{s}/ @u{s}\n/services/svc-{s}/api/**/*.proto @t{s}\n"
            ));
        }
        let co = Codeowners::parse(&text);
        for f in [
            "services/svc-7/api/v1/x.proto",
            "services/svc-7/api/v1/x.go",
            "services/svc-8/src/a.rs",
            "README.md",
        ] {
            let brute = co.rules.iter().rev().find(|r| r.matches(f)).map(|r| r.line);
            assert_eq!(co.owner_of(f).map(|r| r.line), brute, "{f}");
        }
        assert_eq!(
            co.owner_of("services/svc-7/api/v1/x.proto").map(|r| r.line),
            Some(17)
        );
        // `*`, and svc-7's two lines: not the fifty lines under `api`.
        assert_eq!(
            co.index.candidates("services/svc-7/api/v1/x.proto"),
            vec![0, 15, 16]
        );
    }

    #[test]
    fn one_letter_typos_and_swaps_are_near() {
        assert_eq!(distance("@acme/platfrom-sre", "@acme/platform-sre"), 1);
        assert_eq!(distance("@alice-ng", "@alice-ng"), 0);
        assert_eq!(distance("@alic-ng", "@alice-ng"), 1);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn usage_tells_unused_shadowed_and_deciding_lines_apart() {
        let co = Codeowners::parse(
            "* @a\n/docs/ @b\n/nowhere/ @c\n/docs/ @d\n*.md @e\n/src/ @f\n/src/main.rs @g\n",
        );
        let u = usage(
            &co,
            &files(&[
                "README.md",
                "docs/a.md",
                "docs/b.txt",
                "src/main.rs",
                "src/lib.rs",
            ]),
        );
        // `*` matches everything but decides nothing: README.md is decided by `*.md`,
        // every other file by a later line, so `*` is shadowed.
        assert!(u[0].matches.is_some() && u[0].decides.is_none());
        // The first `/docs/` is overridden everywhere by the second.
        assert!(u[1].matches.is_some() && u[1].decides.is_none());
        assert_eq!(u[1].overridden_by, vec![3, 4]);
        // `/nowhere/` matches nothing.
        assert_eq!(u[2], Usage::default());
        assert_eq!(u[3].decides.as_deref(), Some("docs/b.txt"));
        assert!(u[4].decides.is_some());
        assert_eq!(u[5].decides.as_deref(), Some("src/lib.rs"));
        assert_eq!(u[6].decides.as_deref(), Some("src/main.rs"));
    }
}
