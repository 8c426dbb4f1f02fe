//! From the plan's `teams[].oncall` (schema-valid) to schedules the engine expands.

use jiff::civil::{Time, Weekday};
use jiff::tz::TimeZone;

use super::{Layer, Override, Schedule, Window};
use crate::plan::node::{Node, Value};
use crate::plan::schema;
use crate::plan::{strings, text, List, Plan};

/// A team's on-call as the plan states it, ready to expand.
#[derive(Debug, Clone)]
pub struct TeamOncall {
    pub team: String,
    pub schedule: Schedule,
    /// `business-hours` teams intend gaps outside [`TeamOncall::business_hours`].
    pub business_hours_only: bool,
    pub business_hours: Window,
    pub tz: TimeZone,
}

/// Monday to Friday, 09:00 to 17:00: DESIGN's default business hours.
fn default_business_hours() -> Window {
    Window {
        days: vec![
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ],
        from: Time::constant(9, 0, 0, 0),
        to: Some(Time::constant(17, 0, 0, 0)),
    }
}

fn weekday(name: &str) -> Option<Weekday> {
    let i = schema::WEEKDAYS.iter().position(|d| *d == name)?;
    Some(Weekday::Monday.wrapping_add(i as i64))
}

fn zone(node: &Node, fallback: &TimeZone) -> TimeZone {
    text(node, "timezone")
        .and_then(|z| TimeZone::get(z).ok())
        .unwrap_or_else(|| fallback.clone())
}

fn window(node: &Node) -> Option<Window> {
    let days = match node.get("days").map(|d| &d.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(|d| d.as_str().and_then(weekday))
            .collect(),
        _ => Vec::new(),
    };
    let from = schema::clock(text(node, "from")?, false)??;
    let to = schema::clock(text(node, "to")?, true)?;
    Some(Window { days, from, to })
}

fn layer(node: &Node, name: String, tz: &TimeZone) -> Layer {
    let shift_hours = match node.get("shift_hours").map(|s| &s.value) {
        Some(Value::Int(h)) => u32::try_from(*h).unwrap_or(u32::MAX).max(1),
        _ => 168,
    };
    let restrict = match node.get("restrict").map(|r| &r.value) {
        Some(Value::Seq(items)) => items.iter().filter_map(window).collect(),
        _ => Vec::new(),
    };
    Layer {
        name: text(node, "name").map_or(name, str::to_string),
        rotation: strings(node, "rotation"),
        shift_hours,
        handoff: text(node, "handoff").and_then(schema::local_datetime),
        tz: zone(node, tz),
        restrict,
    }
}

fn team_oncall(team: &Node) -> Option<TeamOncall> {
    let id = text(team, "id")?.to_string();
    let tz = zone(team, &TimeZone::UTC);
    let oncall = team
        .get("oncall")
        .filter(|o| matches!(o.value, Value::Map(_)));
    let Some(oncall) = oncall else {
        return Some(TeamOncall {
            team: id,
            schedule: Schedule::default(),
            business_hours_only: false,
            business_hours: default_business_hours(),
            tz,
        });
    };
    let oncall_tz = zone(oncall, &tz);
    let layers = match oncall.get("layers").map(|l| &l.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .enumerate()
            .map(|(i, l)| layer(l, format!("layer {}", i + 1), &oncall_tz))
            .collect(),
        _ => vec![layer(oncall, "rotation".into(), &oncall_tz)],
    };
    let overrides = match oncall.get("overrides").map(|o| &o.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(|o| {
                Some(Override {
                    contact: text(o, "contact")?.to_string(),
                    from: schema::instant(text(o, "from")?)?,
                    to: schema::instant(text(o, "to")?)?,
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    Some(TeamOncall {
        team: id,
        schedule: Schedule { layers, overrides },
        business_hours_only: text(oncall, "coverage") == Some("business-hours"),
        business_hours: oncall
            .get("business_hours")
            .and_then(window)
            .unwrap_or_else(default_business_hours),
        tz,
    })
}

/// The ids of contacts marked `active: false`: the engine pages them as nobody.
pub fn inactive_contacts(plan: &Plan) -> std::collections::HashSet<String> {
    plan.elements(List::Contacts)
        .filter(|c| matches!(c.get("active").map(|a| &a.value), Some(Value::Bool(false))))
        .filter_map(|c| text(c, "id").map(str::to_string))
        .collect()
}

/// Every team of the merged plan with its on-call, in plan order. Call it on a plan without
/// schema violations: values the schema rejects are skipped here, not reported.
pub fn teams(plan: &Plan) -> Vec<TeamOncall> {
    plan.elements(List::Teams).filter_map(team_oncall).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{parse_file, Plan};

    fn plan(yaml: &str) -> Plan {
        let file =
            parse_file("incident-response/plan.yaml", yaml.as_bytes().to_vec()).expect("parses");
        let plan = Plan::merge(vec![file]);
        assert!(plan.violations.is_empty(), "{:?}", plan.violations);
        plan
    }

    #[test]
    fn the_short_form_is_one_layer_in_the_teams_zone() {
        let p = plan(
            "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nteams:\n  - id: storage\n    timezone: Europe/Berlin\n    oncall: {rotation: [erin, farid], shift_hours: 168, handoff: 2026-11-02T09:00, coverage: business-hours}\n",
        );
        let teams = teams(&p);
        assert_eq!(teams.len(), 1);
        let t = &teams[0];
        assert_eq!(t.team, "storage");
        assert!(t.business_hours_only);
        assert_eq!(t.schedule.layers.len(), 1);
        let l = &t.schedule.layers[0];
        assert_eq!(l.tz.iana_name(), Some("Europe/Berlin"));
        // 09:00 in Berlin on 2026-11-02 is 08:00Z: erin's shift starts there.
        let at = |s: &str| t.schedule.at(s.parse().expect("ts"), &|_| true);
        assert_eq!(at("2026-11-02T07:59:59Z"), vec!["farid".to_string()]);
        assert_eq!(at("2026-11-02T08:00:00Z"), vec!["erin".to_string()]);
    }

    #[test]
    fn layers_take_their_own_zone_and_overrides_their_instants() {
        let p = plan(
            "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nteams:\n  - id: sre\n    oncall:\n      layers:\n        - {name: apac, rotation: [gus, hiro], shift_hours: 24, handoff: 2026-11-02T07:00, timezone: Asia/Tokyo,\n           restrict: [{days: [mon, tue, wed, thu, fri], from: \"07:00\", to: \"19:00\"}]}\n      overrides:\n        - {contact: ivy, from: 2026-12-24T00:00:00Z, to: 2026-12-27T00:00:00Z}\n",
        );
        let t = &teams(&p)[0];
        assert_eq!(t.tz.iana_name(), Some("UTC"));
        let l = &t.schedule.layers[0];
        assert_eq!(l.name, "apac");
        assert_eq!(l.tz.iana_name(), Some("Asia/Tokyo"));
        assert_eq!(l.restrict[0].days.len(), 5);
        let at = |s: &str| t.schedule.at(s.parse().expect("ts"), &|_| true);
        // Monday 2026-11-02 07:00 in Tokyo is 2026-11-01T22:00Z.
        assert_eq!(at("2026-11-01T22:00:00Z"), vec!["gus".to_string()]);
        assert_eq!(at("2026-11-01T21:59:59Z"), Vec::<String>::new());
        assert_eq!(at("2026-12-25T12:00:00Z"), vec!["ivy".to_string()]);
    }

    #[test]
    fn a_team_without_oncall_has_an_empty_schedule() {
        let p = plan(
            "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nteams:\n  - id: docs\n",
        );
        let t = &teams(&p)[0];
        assert!(t.schedule.layers.is_empty());
        assert_eq!(
            t.schedule
                .at("2026-11-01T00:00:00Z".parse().expect("ts"), &|_| true),
            Vec::<String>::new()
        );
    }
}
