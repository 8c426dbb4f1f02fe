//! The plan's waivers, as the check applies them.

use regorus::Value;

use crate::finding::{Location, Subject};
use crate::workspace::Workspace;
use crate::{input, plan};

pub struct Waiver {
    pub rule: String,
    pub target: String,
    pub reason: String,
    pub expires: String,
    pub location: Location,
    /// The waiver's stable key (`plan.waivers[rule:target]`).
    pub subject: Subject,
}

/// The plan's waivers that are complete enough to apply (the schema reports the others).
pub fn waivers(ws: &Workspace, input: &Value) -> Vec<Waiver> {
    let Ok(list) = input["plan"]["waivers"].as_array() else {
        return Vec::new();
    };
    let text = |w: &Value, key: &str| w[key].as_string().ok().map(|s| s.to_string());
    list.iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let path = [
                plan::Seg::Key("plan".into()),
                plan::Seg::Key("waivers".into()),
                plan::Seg::Index(i),
            ];
            let (location, subject, _) = input::locate(ws, Some(&path));
            Some(Waiver {
                rule: text(w, "rule")?,
                target: text(w, "target")?,
                reason: text(w, "reason").unwrap_or_default(),
                expires: text(w, "expires").unwrap_or_else(|| "9999-12-31".into()),
                location,
                subject,
            })
        })
        .collect()
}
