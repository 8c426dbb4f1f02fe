//! `plancheck rules`: the rules with their ids, severities and titles.

use anyhow::Result;

use super::{ok, policy_set, Output};
use crate::cli::{ListFormat, RulesArgs};
use crate::policy::PolicySet;

pub fn run(args: RulesArgs) -> Result<Output> {
    let RulesArgs { policies, format } = args;
    let set = policy_set(&policies)?;
    Ok(ok(match format {
        ListFormat::Json => rules_json(&set)?,
        ListFormat::Human => rules_human(&set),
    }))
}

fn rules_human(set: &PolicySet) -> String {
    let width = set.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut s = String::new();
    for r in &set.rules {
        let origin = if r.builtin {
            String::new()
        } else {
            format!("  ({}:{})", r.file, r.line)
        };
        s.push_str(&format!(
            "{:width$}  {:7}  {}{origin}\n",
            r.id,
            r.severity.as_str(),
            r.title
        ));
    }
    s
}

fn rules_json(set: &PolicySet) -> Result<String> {
    let rules: Vec<serde_json::Value> = set
        .rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id, "severity": r.severity, "title": r.title, "description": r.description,
                "help": r.help, "related_resources": r.related, "file": r.file, "line": r.line,
                "query": r.query,
                "builtin": r.builtin,
            })
        })
        .collect();
    Ok(serde_json::to_string_pretty(&rules)? + "\n")
}
