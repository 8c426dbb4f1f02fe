//! What a change did to the plan, computed on the model (lists matched by id), not the text.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use serde_json::Value;

/// One statement about the change, e.g. "owner of THR-2 changed erin → bob".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// threats, contacts, teams, areas, escalation, executive, waivers or metadata.
    pub section: &'static str,
    pub text: String,
}

fn list<'a>(plan: &'a Value, key: &str) -> BTreeMap<String, &'a Value> {
    plan.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| Some((e.get("id")?.as_str()?.to_string(), e)))
        .collect()
}

fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "(none)".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => format!(
            "[{}]",
            a.iter()
                .map(|x| show(Some(x)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(other) => other.to_string(),
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|x| show(Some(x)))
        .collect()
}

/// "a, b" for a set difference, in order.
fn minus(a: &[String], b: &[String]) -> Vec<String> {
    a.iter().filter(|x| !b.contains(x)).cloned().collect()
}

/// A short inline text diff of a changed sentence, e.g. `restore [-PVC-]{+volume+} from backup`.
fn text_diff(old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_words(old, new);
    let mut out = String::new();
    let mut run: Option<(similar::ChangeTag, String)> = None;
    let flush = |out: &mut String, run: Option<(similar::ChangeTag, String)>| match run {
        Some((similar::ChangeTag::Delete, t)) => out.push_str(&format!("[-{t}-]")),
        Some((similar::ChangeTag::Insert, t)) => out.push_str(&format!("{{+{t}+}}")),
        Some((similar::ChangeTag::Equal, t)) => out.push_str(&t),
        None => {}
    };
    for change in diff.iter_all_changes() {
        match &mut run {
            Some((tag, text)) if *tag == change.tag() => text.push_str(change.value()),
            _ => {
                flush(&mut out, run.take());
                run = Some((change.tag(), change.value().to_string()));
            }
        }
    }
    flush(&mut out, run);
    out
}

/// Field changes of one element, as "field a → b" phrases.
fn fields(old: &Value, new: &Value, keys: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for &k in keys {
        let (a, b) = (old.get(k), new.get(k));
        if a == b {
            continue;
        }
        let phrase = match (a, b) {
            (Some(Value::String(x)), Some(Value::String(y))) if k == "title" || k == "runbook" => {
                format!("{k}: {}", text_diff(x, y))
            }
            _ => format!("{k} {} → {}", show(a), show(b)),
        };
        out.push(phrase);
    }
    out
}

type Rv = regorus::Value;

fn rv_str(v: &Rv) -> Option<&str> {
    v.as_string().ok().map(|s| s.as_ref())
}

/// The keys read once per element of a large list, made once: indexing a value with a `&str`
/// allocates the key every time.
struct Keys {
    id: Rv,
    area: Rv,
    team: Rv,
    high_profile: Rv,
    escalation_policy: Rv,
}

static KEYS: std::sync::LazyLock<Keys> = std::sync::LazyLock::new(|| Keys {
    id: Rv::from("id"),
    area: Rv::from("area"),
    team: Rv::from("team"),
    high_profile: Rv::from("high_profile"),
    escalation_policy: Rv::from("escalation_policy"),
});

/// `list[id] -> element` of a plan list, on the engine's values (no conversion).
fn rv_list<'a>(plan: &'a Rv, key: &str) -> HashMap<&'a str, &'a Rv> {
    let id = &KEYS.id;
    plan[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| Some((rv_str(&e[id])?, e)))
        .collect()
}

/// The executive-tier targets each high-profile threat's effective policy reaches.
fn executive_reach(plan: &Rv) -> BTreeMap<String, BTreeSet<String>> {
    let policies = rv_list(plan, "escalation_policies");
    let areas = rv_list(plan, "areas");
    let teams = rv_list(plan, "teams");
    let k = &*KEYS;
    let executives: HashMap<&str, BTreeSet<String>> = policies
        .iter()
        .map(|(id, p)| {
            let targets = p["levels"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|l| rv_str(&l["tier"]) == Some("executive"))
                .flat_map(|l| l["targets"].as_array().into_iter().flatten())
                .filter_map(|t| rv_str(t).map(str::to_string))
                .collect();
            (*id, targets)
        })
        .collect();
    let mut out = BTreeMap::new();
    for t in plan["threats"].as_array().into_iter().flatten() {
        if t[&k.high_profile] != Rv::Bool(true) {
            continue;
        }
        let Some(id) = rv_str(&t[&k.id]) else {
            continue;
        };
        let inherited = || {
            let area = areas.get(rv_str(&t[&k.area])?)?;
            let team = teams.get(rv_str(&area[&k.team])?)?;
            rv_str(&team[&k.escalation_policy])
        };
        let policy = rv_str(&t[&k.escalation_policy]).or_else(inherited);
        let targets = policy
            .and_then(|p| executives.get(p))
            .cloned()
            .unwrap_or_default();
        out.insert(id.to_string(), targets);
    }
    out
}

/// The parts of `plan` that differ from `other`: list elements whose id is missing there or
/// whose value differs, and the small sections whole. Identical elements (most of a large
/// plan) are never converted.
fn differing(plan: &Rv, other: &Rv) -> Value {
    let mut out = serde_json::Map::new();
    for key in [
        "threats",
        "contacts",
        "teams",
        "areas",
        "escalation_policies",
    ] {
        let theirs = rv_list(other, key);
        let items: Vec<Value> = plan[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| rv_str(&e[&KEYS.id]).is_none_or(|id| theirs.get(id) != Some(e)))
            .filter_map(|e| serde_json::to_value(e).ok())
            .collect();
        out.insert(key.to_string(), Value::Array(items));
    }
    for key in ["metadata", "waivers"] {
        if let Ok(v) = serde_json::to_value(&plan[key]) {
            if !v.is_string() {
                out.insert(key.to_string(), v);
            }
        }
    }
    Value::Object(out)
}

/// A Mermaid flowchart of one escalation policy the change adds or edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chart {
    pub policy: String,
    pub mermaid: String,
}

/// Text safe inside a quoted Mermaid label.
fn mermaid_label(s: &str) -> String {
    s.replace('&', "#amp;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
        .replace(['\n', '\r'], " ")
}

/// Charts of the escalation chains in `head` that differ from `base` (added or edited), each
/// level with its tier, delay and targets (an `oncall:` target with the team's rotation), up
/// to the executive tier, or a warning node when the chain never gets there.
pub fn escalation_charts(base: &Rv, head: &Rv) -> Vec<Chart> {
    let before = rv_list(&base["plan"], "escalation_policies");
    let teams = rv_list(&head["plan"], "teams");
    let mut out = Vec::new();
    let mut edited: Vec<(&str, &Rv)> = rv_list(&head["plan"], "escalation_policies")
        .into_iter()
        .collect();
    edited.sort_unstable_by_key(|(id, _)| *id);
    for (id, policy) in edited {
        if before.get(id) == Some(&policy) {
            continue;
        }
        let mut m = String::from("flowchart LR\n");
        let levels: Vec<&Rv> = policy["levels"].as_array().into_iter().flatten().collect();
        let mut executive = Vec::new();
        for (n, level) in levels.iter().enumerate() {
            let tier = rv_str(&level["tier"]).unwrap_or("(no tier)");
            let after = match serde_json::to_value(&level["after_minutes"]) {
                Ok(Value::Number(x)) => format!("{x} min"),
                _ => "? min".to_string(),
            };
            let targets: Vec<String> = level["targets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| rv_str(t))
                .map(|t| match t.strip_prefix("oncall:") {
                    Some(team) => {
                        let names = |r: &Rv| -> String {
                            let v: Vec<String> = r
                                .as_array()
                                .into_iter()
                                .flatten()
                                .filter_map(|c| rv_str(c).map(str::to_string))
                                .collect();
                            v.join(" → ")
                        };
                        let oncall = teams.get(team).map(|tm| &tm["oncall"]);
                        let mut rotation: Vec<String> = oncall
                            .map(|o| names(&o["rotation"]))
                            .into_iter()
                            .filter(|r| !r.is_empty())
                            .collect();
                        // Layers: "apac: chen; emea: bob → devika".
                        for layer in oncall
                            .and_then(|o| o["layers"].as_array().ok())
                            .into_iter()
                            .flatten()
                        {
                            let who = names(&layer["rotation"]);
                            match rv_str(&layer["name"]) {
                                Some(name) if !who.is_empty() => {
                                    rotation.push(format!("{name}: {who}"))
                                }
                                _ if !who.is_empty() => rotation.push(who),
                                _ => {}
                            }
                        }
                        if rotation.is_empty() {
                            t.to_string()
                        } else {
                            format!("{t} ({})", rotation.join("; "))
                        }
                    }
                    None => t.to_string(),
                })
                .collect();
            let targets = if targets.is_empty() {
                "(no targets)".to_string()
            } else {
                targets.join(", ")
            };
            let label = format!(
                "L{} {}<br/>at {}<br/>{}",
                n + 1,
                mermaid_label(tier),
                mermaid_label(&after),
                mermaid_label(&targets)
            );
            m.push_str(&format!("  L{n}[\"{label}\"]\n"));
            if n > 0 {
                m.push_str(&format!("  L{} --> L{n}\n", n - 1));
            }
            if tier == "executive" {
                executive.push(format!("L{n}"));
            }
        }
        if executive.is_empty() {
            m.push_str("  none[\"does not reach the executive tier\"]\n");
            if !levels.is_empty() {
                m.push_str(&format!("  L{} -.-> none\n", levels.len() - 1));
            }
            m.push_str("  classDef missing fill:#ffe3e3,stroke:#c92a2a\n  class none missing\n");
        } else {
            m.push_str(&format!(
                "  classDef executive fill:#d3f9d8,stroke:#2b8a3e\n  class {} executive\n",
                executive.join(",")
            ));
        }
        out.push(Chart {
            policy: id.to_string(),
            mermaid: m,
        });
    }
    out
}

/// The semantic diff of two input documents (the engine's values).
pub fn diff(base: &Rv, head: &Rv) -> Vec<Change> {
    let (bp, hp) = (&base["plan"], &head["plan"]);
    let mut out = diff_plans(&differing(bp, hp), &differing(hp, bp));
    let (x, y) = (executive_reach(bp), executive_reach(hp));
    let who = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
    for (id, now) in &y {
        let before = x.get(id);
        let text = match before {
            Some(b) if b == now => continue,
            Some(b) if !b.is_empty() && now.is_empty() => format!(
                "high-profile threat {id} no longer reaches the executive tier (was {})",
                who(b)
            ),
            _ if now.is_empty() => continue,
            Some(b) if !b.is_empty() => format!(
                "high-profile threat {id} now reaches the executive tier through {} (was {})",
                who(now),
                who(b)
            ),
            _ => format!(
                "high-profile threat {id} now reaches the executive tier through {}",
                who(now)
            ),
        };
        out.push(Change {
            section: "executive",
            text,
        });
    }
    out
}

/// The semantic diff of two plans (as JSON, identical elements already left out), except the
/// reach of the executive tier.
fn diff_plans(base: &Value, head: &Value) -> Vec<Change> {
    let empty = Value::Null;
    let mut out = Vec::new();
    let mut push = |section: &'static str, text: String| out.push(Change { section, text });

    let sections: [(&str, &'static str, &str, &[&str]); 6] = [
        (
            "threats",
            "threats",
            "threat",
            &[
                "title",
                "source",
                "area",
                "severity",
                "high_profile",
                "owner",
                "escalation_policy",
                "runbook",
            ],
        ),
        (
            "contacts",
            "contacts",
            "contact",
            &[
                "name", "github", "email", "phone", "timezone", "tier", "active",
            ],
        ),
        (
            "teams",
            "teams",
            "team",
            &["github_team", "escalation_policy"],
        ),
        ("areas", "areas", "area", &["title", "team"]),
        (
            "escalation_policies",
            "escalation",
            "escalation policy",
            &[],
        ),
        ("waivers", "waivers", "waiver", &[]),
    ];
    for (key, section, noun, keys) in sections {
        if key == "waivers" {
            continue;
        }
        let (a, b) = (list(base, key), list(head, key));
        for (id, e) in &b {
            if !a.contains_key(id) {
                let title = e
                    .get("title")
                    .or_else(|| e.get("name"))
                    .and_then(Value::as_str)
                    .map(|t| format!(": {t}"))
                    .unwrap_or_default();
                push(section, format!("{noun} {id} added{title}"));
            }
        }
        for id in a.keys() {
            if !b.contains_key(id) {
                push(section, format!("{noun} {id} removed"));
            }
        }
        for (id, new) in &b {
            let Some(old) = a.get(id) else { continue };
            for phrase in fields(old, new, keys) {
                push(section, format!("{noun} {id}: {phrase}"));
            }
            match key {
                "areas" => {
                    let (x, y) = (strings(old.get("contacts")), strings(new.get("contacts")));
                    for c in minus(&y, &x) {
                        push(section, format!("area {id}: contact {c} added"));
                    }
                    for c in minus(&x, &y) {
                        push(section, format!("area {id}: contact {c} removed"));
                    }
                    let (x, y) = (strings(old.get("paths")), strings(new.get("paths")));
                    if x != y {
                        push(
                            section,
                            format!(
                                "area {id}: paths {} → {}",
                                show(old.get("paths")),
                                show(new.get("paths"))
                            ),
                        );
                    }
                }
                "teams" => {
                    let r = |v: &Value| strings(v.get("oncall").and_then(|o| o.get("rotation")));
                    let (x, y) = (r(old), r(new));
                    for c in minus(&y, &x) {
                        push(
                            section,
                            format!("team {id}: {c} added to the on-call rotation"),
                        );
                    }
                    for c in minus(&x, &y) {
                        push(
                            section,
                            format!("team {id}: {c} removed from the on-call rotation"),
                        );
                    }
                    if minus(&x, &y).is_empty() && minus(&y, &x).is_empty() && x != y {
                        push(
                            section,
                            format!(
                                "team {id}: on-call order {} → {}",
                                x.join(", "),
                                y.join(", ")
                            ),
                        );
                    }
                    let (x, y) = (strings(old.get("members")), strings(new.get("members")));
                    for c in minus(&y, &x) {
                        push(section, format!("team {id}: member {c} added"));
                    }
                    for c in minus(&x, &y) {
                        push(section, format!("team {id}: member {c} removed"));
                    }
                }
                "escalation_policies" => {
                    let levels = |v: &Value| -> Vec<Value> {
                        v.get("levels")
                            .and_then(Value::as_array)
                            .cloned()
                            .unwrap_or_default()
                    };
                    let (x, y) = (levels(old), levels(new));
                    for i in 0..x.len().max(y.len()) {
                        let n = i + 1;
                        match (x.get(i), y.get(i)) {
                            (None, Some(l)) => push(
                                section,
                                format!(
                                    "{id}: level {n} added ({} → {}, after {} min)",
                                    show(l.get("tier")),
                                    show(l.get("targets")),
                                    show(l.get("after_minutes"))
                                ),
                            ),
                            (Some(l), None) => push(
                                section,
                                format!(
                                    "{id}: level {n} removed (was {} → {})",
                                    show(l.get("tier")),
                                    show(l.get("targets"))
                                ),
                            ),
                            (Some(a), Some(b)) if a != b => {
                                let phrases = fields(a, b, &["tier", "targets", "after_minutes"]);
                                let what = phrases
                                    .iter()
                                    .map(|p| p.replacen("targets", "retargeted", 1))
                                    .collect::<Vec<_>>()
                                    .join("; ");
                                push(section, format!("{id}: level {n} {what}"));
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let key = |w: &Value| format!("{} on {}", show(w.get("rule")), show(w.get("target")));
    let waivers = |p: &Value| -> BTreeMap<String, Value> {
        p.get("waivers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|w| (key(w), w.clone()))
            .collect()
    };
    let (a, b) = (waivers(base), waivers(head));
    for (k, w) in &b {
        match a.get(k) {
            None => push(
                "waivers",
                format!(
                    "waiver added: {k} until {} ({})",
                    show(w.get("expires")),
                    show(w.get("reason"))
                ),
            ),
            Some(old) if old.get("expires") != w.get("expires") => push(
                "waivers",
                format!(
                    "waiver {k}: expires {} → {}",
                    show(old.get("expires")),
                    show(w.get("expires"))
                ),
            ),
            _ => {}
        }
    }
    for k in a.keys() {
        if !b.contains_key(k) {
            push("waivers", format!("waiver removed: {k}"));
        }
    }
    let (m0, m1) = (
        base.get("metadata").unwrap_or(&empty),
        head.get("metadata").unwrap_or(&empty),
    );
    for phrase in fields(
        m0,
        m1,
        &["name", "owner", "reviewed_at", "review_interval_days"],
    ) {
        push("metadata", format!("metadata {phrase}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(plan: serde_json::Value) -> Rv {
        Rv::from(serde_json::json!({ "plan": plan }))
    }

    #[test]
    fn changes_are_described_on_the_model() {
        let base = doc(serde_json::json!({
            "threats": [{"id": "THR-1", "owner": "erin", "title": "PVC deleted", "high_profile": true, "escalation_policy": "ep"},
                        {"id": "THR-2", "owner": "bob"}],
            "areas": [{"id": "storage", "contacts": ["erin", "farid"]}],
            "escalation_policies": [{"id": "ep", "levels": [
                {"tier": "responder", "targets": ["oncall:sre"], "after_minutes": 0},
                {"tier": "executive", "targets": ["ceo"], "after_minutes": 30}]}]
        }));
        let head = doc(serde_json::json!({
            "threats": [{"id": "THR-1", "owner": "bob", "title": "PVC deleted by mistake", "high_profile": true, "escalation_policy": "ep"},
                        {"id": "THR-7", "title": "Leaked token"}],
            "areas": [{"id": "storage", "contacts": ["erin"]}],
            "escalation_policies": [{"id": "ep", "levels": [
                {"tier": "responder", "targets": ["oncall:sre"], "after_minutes": 0},
                {"tier": "executive", "targets": ["cto"], "after_minutes": 30}]}]
        }));
        let texts: Vec<String> = diff(&base, &head).into_iter().map(|c| c.text).collect();
        for expected in [
            "threat THR-7 added: Leaked token",
            "threat THR-2 removed",
            "threat THR-1: title: PVC deleted{+ by mistake+}",
            "threat THR-1: owner erin → bob",
            "area storage: contact farid removed",
            "ep: level 2 retargeted [ceo] → [cto]",
            "high-profile threat THR-1 now reaches the executive tier through cto (was ceo)",
        ] {
            assert!(
                texts.iter().any(|t| t == expected),
                "{expected:?} not in {texts:#?}"
            );
        }
    }

    #[test]
    fn edited_escalation_chains_are_charted_up_to_the_executive_tier() {
        let teams = serde_json::json!([{"id": "sre", "oncall": {"rotation": ["alice", "bob"]}}]);
        let base = doc(serde_json::json!({
            "teams": teams,
            "escalation_policies": [
                {"id": "ep", "levels": [{"tier": "responder", "targets": ["oncall:sre"], "after_minutes": 0},
                                        {"tier": "executive", "targets": ["ceo"], "after_minutes": 30}]},
                {"id": "same", "levels": [{"tier": "responder", "targets": ["x"], "after_minutes": 0}]}]
        }));
        let head = doc(serde_json::json!({
            "teams": teams,
            "escalation_policies": [
                {"id": "ep", "levels": [{"tier": "responder", "targets": ["oncall:sre"], "after_minutes": 0},
                                        {"tier": "management", "targets": ["vp \"eng\""], "after_minutes": 15}]},
                {"id": "same", "levels": [{"tier": "responder", "targets": ["x"], "after_minutes": 0}]},
                {"id": "new", "levels": [{"tier": "executive", "targets": ["ceo"], "after_minutes": 0}]}]
        }));
        let charts = escalation_charts(&base, &head);
        let ids: Vec<&str> = charts.iter().map(|c| c.policy.as_str()).collect();
        assert_eq!(ids, vec!["ep", "new"], "unchanged policies are not charted");
        assert_eq!(
            charts[0].mermaid,
            "flowchart LR\n  L0[\"L1 responder<br/>at 0 min<br/>oncall:sre (alice → bob)\"]\n  L1[\"L2 management<br/>at 15 min<br/>vp #quot;eng#quot;\"]\n  L0 --> L1\n  none[\"does not reach the executive tier\"]\n  L1 -.-> none\n  classDef missing fill:#ffe3e3,stroke:#c92a2a\n  class none missing\n"
        );
        assert!(charts[1].mermaid.ends_with("class L0 executive\n"));
    }

    #[test]
    fn identical_plans_have_no_changes() {
        let p = doc(serde_json::json!({"threats": [{"id": "T", "owner": "a"}]}));
        assert_eq!(diff(&p, &p), vec![]);
    }
}
