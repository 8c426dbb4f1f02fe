//! Which tracked files the areas' `paths` cover and who owns them, computed once:
//!
//! - `input.ownership`: `{"<path>": {owners, line}}` for every plan file and every tracked
//!   file some area's `paths` match (DESIGN's shape);
//! - `input.facts.area_ownership`: per area id, the files its `paths` cover grouped by the
//!   CODEOWNERS line deciding their owners: `[{line, owners, files, examples}]` (`line` null
//!   when no line matches; `files` how many; `examples` the first three paths, sorted).
//!
//! An area's files are not listed per file: with areas covering everything (`paths: ['**']`)
//! that was areas x files entries for policies to walk. Files are grouped by the set of
//! distinct patterns they match and their deciding line, then each group is credited to the
//! areas of its patterns, so the cost is one lookup per file whatever the number of areas.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use regorus::Value;

use crate::codeowners::{Pattern, PatternIndex};
use crate::finding::{Finding, Location, Severity};
use crate::plan::node::{Node, Value as NodeValue};
use crate::plan::{List, Seg};
use crate::rule::SCHEMA_RULE;
use crate::workspace::Workspace;

/// How many example paths a group keeps.
const EXAMPLES: usize = 3;

/// Files owned alike: how many, and the first few.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Group {
    pub files: usize,
    pub examples: Vec<String>,
}

impl Group {
    fn add(&mut self, files: usize, examples: &[String]) {
        self.files += files;
        self.examples.extend(examples.iter().cloned());
        self.examples.sort();
        self.examples.dedup();
        self.examples.truncate(EXAMPLES);
    }
}

/// The result of matching the areas' paths against the tracked files.
#[derive(Debug, Default)]
pub struct AreaOwnership {
    /// Tracked files some area's paths match, with their deciding CODEOWNERS line.
    covered: Vec<(String, Option<u32>)>,
    /// Area id → deciding line (`None`: no line matches) → the files.
    pub areas: BTreeMap<String, BTreeMap<Option<u32>, Group>>,
}

/// The valid patterns of every area's `paths`, distinct, each with the ids of the areas that
/// list it. An invalid pattern becomes a schema finding in `problems`.
fn area_patterns(ws: &Workspace, problems: &mut Vec<Finding>) -> Vec<(Pattern, BTreeSet<String>)> {
    let plan = &ws.plan;
    let mut out: Vec<(Pattern, BTreeSet<String>)> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (ai, r) in plan.lists.get(List::Areas).iter().enumerate() {
        let Some(area) = plan.elem(List::Areas, *r) else {
            continue;
        };
        let Some(id) = area.get("id").and_then(Node::as_str) else {
            continue;
        };
        let Some(Node {
            value: NodeValue::Seq(paths),
            ..
        }) = area.get("paths")
        else {
            continue;
        };
        for (pi, p) in paths.iter().enumerate() {
            let Some(text) = p.as_str() else { continue };
            if let Some(&i) = seen.get(text) {
                out[i].1.insert(id.to_string());
                continue;
            }
            match Pattern::new(text) {
                Ok(pattern) => {
                    seen.insert(text.to_string(), out.len());
                    out.push((pattern, BTreeSet::from([id.to_string()])));
                }
                Err(e) => {
                    let path = [
                        Seg::Key("areas".into()),
                        Seg::Index(ai),
                        Seg::Key("paths".into()),
                        Seg::Index(pi),
                    ];
                    let (fi, pos) = plan.resolve(&path).unwrap_or((r.file, p.pos));
                    problems.push(Finding::new(
                        SCHEMA_RULE,
                        Severity::Error,
                        format!("area {id}: invalid path pattern `{text}`: {}", e.message),
                        Location {
                            path: plan.files[fi].path.clone(),
                            line: pos.line,
                            column: pos.column + e.column.saturating_sub(1),
                        },
                        plan.key(&path),
                    ));
                }
            }
        }
    }
    out
}

/// Match every tracked file once against the areas' distinct patterns.
pub fn compute(ws: &Workspace, problems: &mut Vec<Finding>) -> AreaOwnership {
    let patterns = area_patterns(ws, problems);
    let index = PatternIndex::new(patterns.iter().map(|(p, _)| p));
    let co = &ws.codeowners.parsed;
    // The distinct sets of patterns files match, and per (set, deciding line) the files.
    let mut sets: HashMap<Vec<usize>, usize> = HashMap::new();
    let mut stats: HashMap<(usize, Option<u32>), Group> = HashMap::new();
    let mut out = AreaOwnership::default();
    for file in &ws.tracked {
        let matched: Vec<usize> = index
            .candidates(file)
            .into_iter()
            .filter(|&i| patterns[i].0.matches(file))
            .collect();
        if matched.is_empty() {
            continue;
        }
        let line = co.owner_of(file).map(|r| r.line);
        let next = sets.len();
        let set = *sets.entry(matched).or_insert(next);
        stats
            .entry((set, line))
            .or_default()
            .add(1, std::slice::from_ref(file));
        out.covered.push((file.clone(), line));
    }
    let mut set_areas: Vec<BTreeSet<&String>> = vec![BTreeSet::new(); sets.len()];
    for (members, &set) in &sets {
        for &i in members {
            set_areas[set].extend(&patterns[i].1);
        }
    }
    for ((set, line), group) in stats {
        for area in &set_areas[set] {
            out.areas
                .entry((*area).clone())
                .or_default()
                .entry(line)
                .or_default()
                .add(group.files, &group.examples);
        }
    }
    out
}

fn owners_value(ws: &Workspace, line: Option<u32>) -> (Value, Value) {
    let rule = line.and_then(|l| {
        ws.codeowners
            .parsed
            .rules
            .binary_search_by_key(&l, |r| r.line)
            .ok()
            .map(|i| &ws.codeowners.parsed.rules[i])
    });
    let owners: Vec<Value> = rule
        .map(|r| r.owners.iter().map(|s| Value::from(s.as_str())).collect())
        .unwrap_or_default();
    (
        Value::from(owners),
        line.map_or(Value::Null, |l| Value::from(u64::from(l))),
    )
}

impl AreaOwnership {
    /// `input.ownership`.
    pub fn ownership_value(&self, ws: &Workspace) -> Value {
        let mut entries: BTreeMap<&str, Option<u32>> = BTreeMap::new();
        for f in &ws.plan.files {
            entries.insert(
                &f.path,
                ws.codeowners.parsed.owner_of(&f.path).map(|r| r.line),
            );
        }
        for (file, line) in &self.covered {
            entries.insert(file, *line);
        }
        let mut out = BTreeMap::new();
        for (path, line) in entries {
            let (owners, line) = owners_value(ws, line);
            let mut o = BTreeMap::new();
            o.insert(Value::from("owners"), owners);
            o.insert(Value::from("line"), line);
            out.insert(Value::from(path), Value::from(o));
        }
        Value::from(out)
    }

    /// `input.facts.area_ownership`, added to `facts`.
    pub fn insert_fact(&self, facts: &mut Value, ws: &Workspace) {
        let mut areas = BTreeMap::new();
        for (id, groups) in &self.areas {
            let list: Vec<Value> = groups
                .iter()
                .map(|(line, g)| {
                    let (owners, line) = owners_value(ws, *line);
                    let mut o = BTreeMap::new();
                    o.insert(Value::from("line"), line);
                    o.insert(Value::from("owners"), owners);
                    o.insert(Value::from("files"), Value::from(g.files as u64));
                    o.insert(
                        Value::from("examples"),
                        Value::from(
                            g.examples
                                .iter()
                                .map(|e| Value::from(e.as_str()))
                                .collect::<Vec<_>>(),
                        ),
                    );
                    Value::from(o)
                })
                .collect();
            areas.insert(Value::from(id.as_str()), Value::from(list));
        }
        if let Ok(map) = facts.as_object_mut() {
            map.insert(Value::from("area_ownership"), Value::from(areas));
        }
    }
}
