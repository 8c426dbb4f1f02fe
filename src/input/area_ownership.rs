//! Which tracked files the areas' `paths` cover and who owns them, computed once:
//!
//! - `input.ownership`: `{"<path>": {owners, line}}` for every plan file and every tracked
//!   file some area's `paths` match (DESIGN's shape);
//! - `input.facts.area_ownership`: per area id, the files its `paths` cover grouped by the
//!   CODEOWNERS line deciding their owners: `[{line, owners, files, examples}]` (`line` null
//!   when no line matches; `files` how many; `examples` the first three paths, sorted).
//!
//! - `input.facts.area_paths`: every valid path pattern of every area with the first tracked
//!   file it matches (`null`: none, a stale area judged by `area-path-unused`).
//!
//! One matching pass feeds all three. An area's files are not listed per file: with areas covering everything (`paths: ['**']`)
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

/// One entry of an area's `paths`: where it is, and which distinct pattern it is.
#[derive(Debug)]
struct PathUse {
    area: String,
    area_index: usize,
    path_index: usize,
    pattern: usize,
}

/// The areas' valid path patterns, distinct, each with the ids of the areas that list it,
/// and every place a valid pattern is written.
#[derive(Debug, Default)]
struct AreaPatterns {
    distinct: Vec<(Pattern, BTreeSet<String>)>,
    texts: Vec<String>,
    uses: Vec<PathUse>,
}

/// The result of matching the areas' paths against the tracked files.
#[derive(Debug, Default)]
pub struct AreaOwnership {
    /// Every valid area path with the first tracked file (git's order) its pattern matches.
    paths: Vec<(PathUse, Option<String>)>,
    texts: Vec<String>,
    /// Tracked files some area's paths match, with their deciding CODEOWNERS line.
    covered: Vec<(String, Option<u32>)>,
    /// Area id → deciding line (`None`: no line matches) → the files.
    pub areas: BTreeMap<String, BTreeMap<Option<u32>, Group>>,
}

/// The valid patterns of every area's `paths`. An invalid pattern becomes a schema finding in
/// `problems`.
fn area_patterns(ws: &Workspace, problems: &mut Vec<Finding>) -> AreaPatterns {
    let plan = &ws.plan;
    let mut out = AreaPatterns::default();
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
            let used = |pattern| PathUse {
                area: id.to_string(),
                area_index: ai,
                path_index: pi,
                pattern,
            };
            if let Some(&i) = seen.get(text) {
                out.distinct[i].1.insert(id.to_string());
                out.uses.push(used(i));
                continue;
            }
            match Pattern::new(text) {
                Ok(pattern) => {
                    let i = out.distinct.len();
                    seen.insert(text.to_string(), i);
                    out.distinct
                        .push((pattern, BTreeSet::from([id.to_string()])));
                    out.texts.push(text.to_string());
                    out.uses.push(used(i));
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
    let AreaPatterns {
        distinct: patterns,
        texts,
        uses,
    } = area_patterns(ws, problems);
    let index = PatternIndex::new(patterns.iter().map(|(p, _)| p));
    let mut first: Vec<Option<&String>> = vec![None; patterns.len()];
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
        for &i in &matched {
            first[i].get_or_insert(file);
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
    out.paths = uses
        .into_iter()
        .map(|u| {
            let m = first[u.pattern].cloned();
            (u, m)
        })
        .collect();
    out.texts = texts;
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

    /// `input.facts.area_paths`, added to `facts`.
    pub fn insert_paths_fact(&self, facts: &mut Value) {
        let list: Vec<Value> = self
            .paths
            .iter()
            .map(|(u, m)| {
                let mut o = BTreeMap::new();
                o.insert(Value::from("area"), Value::from(u.area.as_str()));
                o.insert(Value::from("area_index"), Value::from(u.area_index as u64));
                o.insert(Value::from("path_index"), Value::from(u.path_index as u64));
                o.insert(
                    Value::from("pattern"),
                    Value::from(self.texts[u.pattern].as_str()),
                );
                o.insert(
                    Value::from("matches"),
                    m.as_deref().map_or(Value::Null, Value::from),
                );
                Value::from(o)
            })
            .collect();
        if let Ok(map) = facts.as_object_mut() {
            map.insert(Value::from("area_paths"), Value::from(list));
        }
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
