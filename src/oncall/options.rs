//! On-call options in `.plancheck.toml`: `horizon-days` (top level) and the on-call rules'
//! options under `[rules.<rule-id>]`. They reach Rego as `data.config.<snake_case>`.

use std::collections::BTreeMap;

use regorus::Value;

use crate::error::Located;
use crate::plan::node::Pos;

/// The options with their defaults (DESIGN.md, "On-call in time" and the rules table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// `horizon-days`: rules look at [now, now + horizon-days).
    pub horizon_days: i64,
    /// `[rules.escalation-reach] first-page-minutes`.
    pub first_page_minutes: i64,
    /// `[rules.oncall-load] max-oncall-share`, a percentage of the horizon.
    pub max_oncall_share: i64,
    /// `[rules.contact-load] max-areas-per-contact`.
    pub max_areas_per_contact: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            horizon_days: 28,
            first_page_minutes: 5,
            max_oncall_share: 50,
            max_areas_per_contact: 3,
        }
    }
}

/// The longest horizon: a year of shifts is plenty, and it bounds the work per run.
pub const MAX_HORIZON_DAYS: i64 = 366;

/// Validates `horizon-days`.
pub fn horizon_days(path: &str, pos: Pos, v: i64) -> Result<i64, Located> {
    if (1..=MAX_HORIZON_DAYS).contains(&v) {
        Ok(v)
    } else {
        Err(Located::new(
            path,
            pos,
            format!("`horizon-days` must be between 1 and {MAX_HORIZON_DAYS}, found {v}"),
        )
        .with_help("the number of days ahead the on-call rules look at, 28 unless set"))
    }
}

impl Options {
    /// Sets a rule option found under `[rules.<rule>]`, checking that it belongs to that rule
    /// and is in range.
    pub fn set(
        &mut self,
        path: &str,
        pos: Pos,
        rule: &str,
        option: &str,
        v: i64,
    ) -> Result<(), Located> {
        let (owner, range, slot) = match option {
            "first-page-minutes" => ("escalation-reach", 0..=1440, &mut self.first_page_minutes),
            "max-oncall-share" => ("oncall-load", 1..=100, &mut self.max_oncall_share),
            "max-areas-per-contact" => ("contact-load", 1..=1000, &mut self.max_areas_per_contact),
            _ => {
                return Err(Located::new(
                    path,
                    pos,
                    format!("unknown option `{option}`"),
                ));
            }
        };
        if rule != owner {
            return Err(Located::new(
                path,
                pos,
                format!("`{option}` applies to {owner} only, not to {rule}"),
            )
            .with_help(format!("move it under [rules.{owner}]")));
        }
        if !range.contains(&v) {
            return Err(Located::new(
                path,
                pos,
                format!(
                    "`{option}` must be between {} and {}, found {v}",
                    range.start(),
                    range.end()
                ),
            ));
        }
        *slot = v;
        Ok(())
    }

    /// Adds the options to `data.config`.
    pub fn insert_into(&self, conf: &mut BTreeMap<Value, Value>) {
        for (k, v) in [
            ("horizon_days", self.horizon_days),
            ("first_page_minutes", self.first_page_minutes),
            ("max_oncall_share", self.max_oncall_share),
            ("max_areas_per_contact", self.max_areas_per_contact),
        ] {
            conf.insert(Value::from(k), Value::from(v));
        }
    }
}
