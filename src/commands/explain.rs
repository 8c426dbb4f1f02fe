//! `plancheck explain ID`: one rule, what it demands, why, and how to fix a finding.

use anyhow::Result;

use super::{ok, policy_set, Output};
use crate::cli::ExplainArgs;
use crate::error::Advice;

pub fn run(args: ExplainArgs) -> Result<Output> {
    let ExplainArgs { id, policies } = args;
    let set = policy_set(&policies)?;
    let Some(rule) = set.rule(&id) else {
        let ids = set.rule_ids().join(", ");
        return Err(Advice::new(
            format!("unknown rule `{id}`"),
            format!("known rules: {ids}"),
        )
        .into());
    };
    let mut s = format!(
        "{} ({})\n\n{}\n",
        rule.id,
        rule.severity.as_str(),
        rule.title
    );
    if !rule.description.is_empty() {
        s.push_str(&format!("\n{}\n", rule.description));
    } else if !rule.builtin && !rule.query.is_empty() {
        s.push_str(&format!(
            "\nThis rule has no METADATA block, so its id comes from package {} and rule {}. \
             Add a `# METADATA` block above the rule to give it a title, a description, a \
             severity (custom.severity) and help (custom.help).\n",
            rule.package, rule.name
        ));
    }
    if let Some(h) = &rule.help {
        s.push_str(&format!("\nHow to fix: {h}\n"));
    }
    for r in &rule.related {
        s.push_str(&format!("See also: {r}\n"));
    }
    s.push_str(&super::threats::explain(&set, &rule.id)?);
    if rule.line > 0 {
        s.push_str(&format!("\nDefined in {}:{}\n", rule.file, rule.line));
    } else {
        s.push_str(&format!("\nDefined in {}\n", rule.file));
    }
    Ok(ok(s))
}
