//! Mermaid charts of the escalation policies a change adds or edits.

use serde::Serialize;
use serde_json::Value;

use super::{rv_list, rv_str, Rv};

/// A Mermaid flowchart of one escalation policy the change adds or edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chart {
    pub policy: String,
    pub mermaid: String,
}

/// A level's target as the chart shows it: an `oncall:` target with who takes turns (the
/// rotation, or each layer's).
fn target_label(t: &str, teams: &std::collections::HashMap<&str, &Rv>) -> String {
    match t.strip_prefix("oncall:") {
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
                    Some(name) if !who.is_empty() => rotation.push(format!("{name}: {who}")),
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
    }
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
                .map(|t| target_label(t, &teams))
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
