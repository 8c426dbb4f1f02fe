//! `plancheck threats suggest`: ready-to-paste threats for every risk the Kubernetes
//! manifests show that no threat's `techniques` names, and the same for `init`.
//!
//! The risks come from the policies (`data.plancheck.threat_coverage.uncovered`, which
//! `threat-coverage` reports from), so a suggestion and a finding can never disagree.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{anyhow, bail, Result};
use regorus::Value;
use serde::Serialize;

use crate::check::{self, Opened};
use crate::cli::SuggestFormat;
use crate::error::Advice;
use crate::manifests::tmfk;
use crate::plan::Seg;

/// The query the suggestions come from.
const UNCOVERED: &str = "data.plancheck.threat_coverage.uncovered";

/// Where the threats `init --from-manifests` writes live.
pub const INIT_PATH: &str = "incident-response/kubernetes-threats.yaml";

/// One manifest place that shows a risk.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    pub path: String,
    pub line: u32,
    /// `Kind namespace/name`.
    pub object: String,
}

/// A threat to add, for one uncovered risk.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub id: String,
    pub risk: String,
    pub title: String,
    pub source: String,
    pub severity: String,
    /// The area that owns most of the objects showing the risk, when one does.
    pub area: Option<String>,
    pub techniques: Vec<String>,
    pub matches: String,
    pub hits: Vec<Hit>,
}

fn text(v: &Value) -> String {
    v.as_string().map(|s| s.to_string()).unwrap_or_default()
}

fn segs(v: &Value) -> Vec<Seg> {
    v.as_array()
        .map(|xs| {
            xs.iter()
                .filter_map(|x| match x {
                    Value::String(s) => Some(Seg::Key(s.to_string())),
                    Value::Number(_) => x
                        .as_u64()
                        .ok()
                        .and_then(|n| usize::try_from(n).ok())
                        .map(Seg::Index),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The plan's threat ids (`input.plan.threats[].id`): the adapter to the plan model.
fn threat_ids(input: &Value) -> Vec<String> {
    input["plan"]["threats"]
        .as_array()
        .map(|ts| {
            ts.iter()
                .filter_map(|t| t["id"].as_string().ok().map(|s| s.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Ids after the plan's: the most used `PREFIX<digits>` prefix, numbered on from its highest
/// (zero-padded as its ids are); `THR-001` onwards when the plan has none.
pub fn next_ids(existing: &[String], n: usize) -> Vec<String> {
    // prefix -> (ids, highest number, narrowest width)
    let mut prefixes: BTreeMap<String, (usize, u64, usize)> = BTreeMap::new();
    for id in existing {
        let digits = id.chars().rev().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            continue;
        }
        let (prefix, num) = id.split_at(id.len() - digits);
        let Ok(value) = num.parse::<u64>() else {
            continue;
        };
        let e = prefixes
            .entry(prefix.to_string())
            .or_insert((0, 0, usize::MAX));
        e.0 += 1;
        e.1 = e.1.max(value);
        e.2 = e.2.min(digits);
    }
    let (prefix, (_, max, width)) = prefixes
        .into_iter()
        .max_by_key(|(p, (count, _, _))| (*count, std::cmp::Reverse(p.clone())))
        .unwrap_or_else(|| ("THR-".to_string(), (0, 0, 3)));
    let mut out = Vec::new();
    let mut next = max + 1;
    while out.len() < n {
        let id = format!("{prefix}{next:0width$}");
        next += 1;
        if !existing.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// The suggestions for a loaded repository, one per uncovered risk, in the order of the
/// first manifest place showing each.
/// `plancheck threats suggest`: the suggestions for the checked repository, rendered.
pub fn run(cmd: crate::cli::ThreatsCommand) -> Result<super::Output> {
    let crate::cli::ThreatsCommand::Suggest { dir, load, format } = cmd;
    let opened = crate::pipeline::open(&super::options(dir, load)?)?;
    let found = suggestions(&opened)?;
    Ok(super::ok(render(&opened, &found, format)?))
}

/// The risks the manifests show that no threat names: what the `uncovered` rule of the
/// threat-coverage package returns.
fn uncovered(opened: &Opened, input: &Value) -> Result<Vec<Value>> {
    let mut engine = opened
        .policies
        .engine_with_data(crate::input::config_data(&opened.workspace.config))?;
    engine.set_input(input.clone());
    let value = engine
        .eval_rule(UNCOVERED.to_string())
        .map_err(|e| anyhow!("evaluating {UNCOVERED}: {e}"))?;
    let items: Vec<Value> = match value {
        Value::Set(s) => s.iter().cloned().collect(),
        Value::Array(a) => a.iter().cloned().collect(),
        Value::Undefined => {
            if engine
                .get_packages()
                .is_ok_and(|ps| ps.iter().any(|p| p == "data.plancheck.threat_coverage"))
            {
                Vec::new()
            } else {
                bail!(Advice::new(
                    format!("no rule {UNCOVERED}: a policy directory replaced package plancheck.threat_coverage without it"),
                    "define `uncovered` in your plancheck.threat_coverage package (see policies/threat-coverage.rego), or drop the replacement",
                ));
            }
        }
        other => bail!("{UNCOVERED} must be a set, but it is {other}"),
    };
    Ok(items)
}

pub fn suggestions(opened: &Opened) -> Result<Vec<Suggestion>> {
    let ws = &opened.workspace;
    if let Some(v) = crate::input::schema_findings(ws).first() {
        bail!(Advice::new(
            format!(
                "{}:{}: {}",
                v.location.path, v.location.line, v.message
            ),
            "fix the plan's schema errors first (`plancheck check` lists them): no rule runs on a plan that breaks the schema",
        ));
    }
    let (input, _) = check::input_document(opened);
    let items = uncovered(opened, &input)?;
    let areas = &input["facts"]["manifests"]["areas"];
    let mut by_risk: BTreeMap<String, Suggestion> = BTreeMap::new();
    let mut area_votes: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for u in &items {
        let risk = text(&u["risk"]);
        let index = u["index"]
            .as_u64()
            .ok()
            .and_then(|n| usize::try_from(n).ok());
        let path = segs(&u["path"]);
        let (location, _, _) = crate::input::locate(ws, Some(&path));
        let object = index
            .and_then(|i| ws.manifests.objects.get(i))
            .map(|o| o.shown())
            .unwrap_or_default();
        if let Some(i) = index {
            for a in areas[i].as_array().map(|a| a.to_vec()).unwrap_or_default() {
                *area_votes
                    .entry(risk.clone())
                    .or_default()
                    .entry(text(&a))
                    .or_default() += 1;
            }
        }
        let s = by_risk.entry(risk.clone()).or_insert_with(|| Suggestion {
            id: String::new(),
            risk: risk.clone(),
            title: text(&u["title"]),
            source: text(&u["source"]),
            severity: text(&u["severity"]),
            area: None,
            techniques: u["techniques"]
                .as_array()
                .map(|ts| ts.iter().map(text).collect())
                .unwrap_or_default(),
            matches: text(&u["matches"]),
            hits: Vec::new(),
        });
        let hit = Hit {
            path: location.path,
            line: location.line,
            object,
        };
        if !s.hits.contains(&hit) {
            s.hits.push(hit);
        }
    }
    let mut out: Vec<Suggestion> = by_risk
        .into_values()
        .map(|mut s| {
            s.hits.sort();
            s.area = area_votes.get(&s.risk).and_then(|votes| {
                votes
                    .iter()
                    .max_by_key(|(id, n)| (**n, std::cmp::Reverse((*id).clone())))
                    .map(|(id, _)| id.clone())
            });
            s
        })
        .collect();
    out.sort_by(|a, b| {
        a.hits
            .first()
            .cmp(&b.hits.first())
            .then(a.risk.cmp(&b.risk))
    });
    let ids = next_ids(&threat_ids(&input), out.len());
    for (s, id) in out.iter_mut().zip(ids) {
        s.id = id;
    }
    Ok(out)
}

/// A YAML scalar: plain when it reads back as the same string, else double-quoted.
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`~ ".contains(c))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
        )
        && s.parse::<f64>().is_err()
        && !s.ends_with(' ');
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
    }
}

/// The suggestions as YAML list items, indented to sit under `threats:`.
pub fn yaml_items(suggestions: &[Suggestion], indent: &str) -> String {
    let mut s = String::new();
    for g in suggestions {
        let _ = writeln!(s, "{indent}# {}: {}", g.risk, g.matches);
        for h in g.hits.iter().take(5) {
            let _ = writeln!(s, "{indent}# {}:{} {}", h.path, h.line, h.object);
        }
        if g.hits.len() > 5 {
            let _ = writeln!(s, "{indent}# and {} more", g.hits.len() - 5);
        }
        let _ = writeln!(s, "{indent}- id: {}", scalar(&g.id));
        let _ = writeln!(s, "{indent}  title: {}", scalar(&g.title));
        let _ = writeln!(s, "{indent}  source: {}", scalar(&g.source));
        match &g.area {
            Some(a) => {
                let _ = writeln!(s, "{indent}  area: {}", scalar(a));
            }
            None => {
                let _ = writeln!(
                    s,
                    "{indent}  area: TODO   # no area owns these objects: name one (and give it their kinds or paths)"
                );
            }
        }
        let _ = writeln!(s, "{indent}  severity: {}", scalar(&g.severity));
        let names: Vec<String> = g.techniques.iter().map(|t| tmfk::describe(t)).collect();
        let ids: Vec<String> = g.techniques.iter().map(|t| scalar(t)).collect();
        let _ = writeln!(
            s,
            "{indent}  techniques: [{}]   # {}",
            ids.join(", "),
            names.join("; ")
        );
        let _ = writeln!(s, "{indent}  owner: TODO   # a contact id or a team id");
    }
    s
}

/// `plancheck threats suggest` output.
pub fn render(
    opened: &Opened,
    suggestions: &[Suggestion],
    format: SuggestFormat,
) -> Result<String> {
    if format == SuggestFormat::Json {
        return Ok(serde_json::to_string_pretty(suggestions)? + "\n");
    }
    let m = &opened.workspace.manifests;
    let scope = format!(
        "{} from {}",
        crate::report::plural(m.objects.len(), "Kubernetes object"),
        crate::report::plural(m.files.len(), "manifest file")
    );
    if suggestions.is_empty() {
        return Ok(format!(
            "# Every risk the manifests show is named by a threat's techniques ({scope}).\n"
        ));
    }
    let mut s = format!(
        "# {} the manifests show ({scope}) {} named by no threat's techniques.\n\
         # Paste these under `threats:` in a plan file, then replace each `owner: TODO`.\n",
        crate::report::plural(suggestions.len(), "risk"),
        if suggestions.len() == 1 { "is" } else { "are" }
    );
    s.push_str(&yaml_items(suggestions, "  "));
    Ok(s)
}

/// After `init`: with `--from-manifests`, writes the suggestions as a plan file of their own;
/// otherwise, when there are some, says how to get them. Returns lines for the summary.
pub fn after_init(root: &Path, write: bool) -> Result<String> {
    let opts = crate::pipeline::Options {
        dir: Some(root.to_path_buf()),
        ..crate::pipeline::Options::default()
    };
    let opened = match crate::pipeline::open(&opts) {
        Ok(o) => o,
        // Not a repository yet, or a plan that does not load: init's own steps say what to do.
        Err(_) if !write => return Ok(String::new()),
        Err(e) => return Err(e.context("--from-manifests: cannot read the repository")),
    };
    let found = suggestions(&opened)?;
    let objects = opened.workspace.manifests.objects.len();
    if found.is_empty() {
        return Ok(if write {
            format!(
                "\n{} in the manifests and no uncovered risk: nothing to write to {INIT_PATH}.\n",
                crate::report::plural(objects, "Kubernetes object")
            )
        } else {
            String::new()
        });
    }
    if !write {
        return Ok(format!(
            "\nYour Kubernetes manifests ({}) show {} no threat covers: `plancheck threats suggest` prints threats for them (or rerun init with --from-manifests).\n",
            crate::report::plural(objects, "object"),
            crate::report::plural(found.len(), "risk")
        ));
    }
    let text = format!(
        "apiVersion: {}\nkind: {}\n# Threats for the risks the Kubernetes manifests show (plancheck threats suggest).\n# Set each owner (and an area where it says TODO), then review titles and severities.\nthreats:\n{}",
        crate::plan::schema::API_VERSION,
        crate::plan::schema::KIND,
        yaml_items(&found, "  ")
    );
    let target = root.join(INIT_PATH);
    let roots = crate::safe_write::Roots::new([root.to_path_buf()]);
    roots.check(&target)?;
    if target.exists() {
        bail!(Advice::new(
            format!("{INIT_PATH} already exists"),
            "move it away, or print the threats with `plancheck threats suggest`",
        ));
    }
    roots.write(&target, text.as_bytes())?;
    Ok(format!(
        "wrote {INIT_PATH}: {} for the risks your Kubernetes manifests show (set their owners)\n",
        crate::report::plural(found.len(), "threat")
    ))
}

/// `plancheck explain threat-coverage` / `manifest-area`: the risk catalogues in force, with
/// the names of their techniques, or the kinds that need an area.
pub fn explain(set: &crate::policy::PolicySet, rule: &str) -> Result<String> {
    if rule != "threat-coverage" && rule != "manifest-area" {
        return Ok(String::new());
    }
    let mut engine =
        set.engine_with_data(crate::input::config_data(&crate::config::Config::default()))?;
    engine.set_input(Value::from(BTreeMap::<Value, Value>::new()));
    let mut packages: Vec<String> = engine
        .get_packages()
        .map_err(|e| anyhow!("cannot list policy packages: {e}"))?
        .into_iter()
        .filter(|p| p.starts_with("data.plancheck.risks."))
        .collect();
    packages.sort();
    packages.dedup();
    if packages.is_empty() {
        return Ok("\nNo risk catalogue is loaded (no package under plancheck.risks).\n".into());
    }
    let mut s = String::new();
    for full in &packages {
        let pkg = full.trim_start_matches("data.plancheck.risks.");
        let mut get = |rule: &str| {
            // A query, not eval_rule: `risks["id"] := ...` defines rules per key.
            engine
                .eval_query(format!("{full}.{rule}"), false)
                .ok()
                .and_then(|r| r.result.into_iter().next())
                .and_then(|r| r.expressions.into_iter().next())
                .map_or(Value::Undefined, |e| e.value)
        };
        if rule == "manifest-area" {
            let kinds = get("significant_kinds");
            let kinds: Vec<String> = kinds
                .as_set()
                .map(|k| k.iter().map(text).collect())
                .or_else(|_| kinds.as_array().map(|k| k.iter().map(text).collect()))
                .unwrap_or_default();
            if !kinds.is_empty() {
                let _ = write!(
                    s,
                    "\nKinds that need an area (plancheck.risks.{pkg}): {}\n",
                    kinds.join(", ")
                );
            }
            continue;
        }
        let risks = get("risks");
        let Ok(risks) = risks.as_object() else {
            continue;
        };
        let _ = writeln!(s, "\nRisks checked (plancheck.risks.{pkg}):");
        for (id, r) in risks.iter() {
            let techniques: Vec<String> = r["techniques"]
                .as_array()
                .map(|ts| ts.iter().map(|t| tmfk::describe(&text(t))).collect())
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "  {}: {}\n      techniques: {}; suggested threat: {} ({}, {})",
                text(id),
                text(&r["matches"]),
                techniques.join(", "),
                text(&r["title"]),
                text(&r["source"]),
                text(&r["severity"])
            );
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_ids_follow_the_plans_own_numbering() {
        let ids = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            next_ids(&ids(&["THR-001", "THR-047", "x"]), 2),
            ["THR-048", "THR-049"]
        );
        assert_eq!(next_ids(&ids(&[]), 1), ["THR-001"]);
        assert_eq!(next_ids(&ids(&["T-9", "T-10", "SEC-0100"]), 1), ["T-11"]);
    }

    #[test]
    fn scalars_stay_plain_only_when_they_read_back_the_same() {
        assert_eq!(
            scalar("Cluster-admin binding abused"),
            "Cluster-admin binding abused"
        );
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("- x"), "\"- x\"");
        assert_eq!(scalar("1.5"), "\"1.5\"");
    }
}
