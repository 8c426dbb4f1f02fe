//! Field by field: every field the schema defines for an element, compared in schema order.
//! Lists and objects a reader thinks of as sets or chains (an area's contacts, a rotation, a
//! policy's levels) get their own phrases; every other field reads "field a → b".

use std::collections::BTreeMap;

use serde_json::Value;

use super::{list, minus, show, strings, Change};
use crate::plan::schema::{self, Obj};
use crate::plan::List;

/// The plan lists the diff describes, in the order the sections are shown, with their section
/// name and the noun for one element.
pub(super) const SECTIONS: [(&str, (&str, &str)); 5] = [
    ("threats", ("threats", "threat")),
    ("contacts", ("contacts", "contact")),
    ("teams", ("teams", "team")),
    ("areas", ("areas", "area")),
    ("escalation_policies", ("escalation", "escalation policy")),
];

/// The schema object of a plan list.
fn object_of(list: &str) -> Option<&'static Obj> {
    List::named(list).map(List::object)
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

/// "field a → b", or for prose (a title, a description, a runbook) an inline word diff.
fn phrase(name: &str, a: Option<&Value>, b: Option<&Value>) -> String {
    let prose = |s: &str| s.contains(char::is_whitespace) || name == "runbook";
    match (a, b) {
        (Some(Value::String(x)), Some(Value::String(y))) if prose(x) || prose(y) => {
            format!("{name}: {}", text_diff(x, y))
        }
        _ => format!("{name} {} → {}", show(a), show(b)),
    }
}

/// Changes of the named fields, as "field a → b" phrases.
pub(super) fn fields(old: &Value, new: &Value, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .filter(|k| old.get(**k) != new.get(**k))
        .map(|k| phrase(k, old.get(*k), new.get(*k)))
        .collect()
}

/// The fields of `obj` that get the generic phrase: every field but the id and those the
/// list describes itself (see [`special`]).
fn plain_fields(list: &str, obj: &Obj) -> Vec<&'static str> {
    obj.fields
        .iter()
        .map(|f| f.name)
        .filter(|name| *name != "id" && !special(list, name))
        .collect()
}

/// Fields with phrases of their own.
fn special(list: &str, field: &str) -> bool {
    matches!(
        (list, field),
        ("areas", "contacts" | "paths")
            | ("teams", "members" | "oncall")
            | ("escalation_policies", "levels")
    )
}

/// An object-valued field (a team's `oncall`), subfield by subfield: "oncall.coverage a → b".
fn object_fields(name: &str, obj: &Obj, old: &Value, new: &Value, skip: &[&str]) -> Vec<String> {
    let empty = Value::Null;
    let (a, b) = (
        old.get(name).unwrap_or(&empty),
        new.get(name).unwrap_or(&empty),
    );
    obj.fields
        .iter()
        .filter(|f| !skip.contains(&f.name) && a.get(f.name) != b.get(f.name))
        .map(|f| phrase(&format!("{name}.{}", f.name), a.get(f.name), b.get(f.name)))
        .collect()
}

fn area_changes(id: &str, old: &Value, new: &Value, push: &mut dyn FnMut(String)) {
    let (x, y) = (strings(old.get("contacts")), strings(new.get("contacts")));
    for c in minus(&y, &x) {
        push(format!("area {id}: contact {c} added"));
    }
    for c in minus(&x, &y) {
        push(format!("area {id}: contact {c} removed"));
    }
    if strings(old.get("paths")) != strings(new.get("paths")) {
        push(format!(
            "area {id}: paths {} → {}",
            show(old.get("paths")),
            show(new.get("paths"))
        ));
    }
}

fn team_changes(id: &str, old: &Value, new: &Value, push: &mut dyn FnMut(String)) {
    let r = |v: &Value| strings(v.get("oncall").and_then(|o| o.get("rotation")));
    let (x, y) = (r(old), r(new));
    for c in minus(&y, &x) {
        push(format!("team {id}: {c} added to the on-call rotation"));
    }
    for c in minus(&x, &y) {
        push(format!("team {id}: {c} removed from the on-call rotation"));
    }
    if minus(&x, &y).is_empty() && minus(&y, &x).is_empty() && x != y {
        push(format!(
            "team {id}: on-call order {} → {}",
            x.join(", "),
            y.join(", ")
        ));
    }
    for p in object_fields("oncall", &schema::ONCALL, old, new, &["rotation"]) {
        push(format!("team {id}: {p}"));
    }
    let (x, y) = (strings(old.get("members")), strings(new.get("members")));
    for c in minus(&y, &x) {
        push(format!("team {id}: member {c} added"));
    }
    for c in minus(&x, &y) {
        push(format!("team {id}: member {c} removed"));
    }
}

fn level_changes(id: &str, old: &Value, new: &Value, push: &mut dyn FnMut(String)) {
    let levels = |v: &Value| -> Vec<Value> {
        v.get("levels")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let level_keys: Vec<&str> = schema::LEVEL.fields.iter().map(|f| f.name).collect();
    let (x, y) = (levels(old), levels(new));
    for i in 0..x.len().max(y.len()) {
        let n = i + 1;
        match (x.get(i), y.get(i)) {
            (None, Some(l)) => push(format!(
                "{id}: level {n} added ({} → {}, after {} min)",
                show(l.get("tier")),
                show(l.get("targets")),
                show(l.get("after_minutes"))
            )),
            (Some(l), None) => push(format!(
                "{id}: level {n} removed (was {} → {})",
                show(l.get("tier")),
                show(l.get("targets"))
            )),
            (Some(a), Some(b)) if a != b => {
                let what = fields(a, b, &level_keys)
                    .iter()
                    .map(|p| p.replacen("targets", "retargeted", 1))
                    .collect::<Vec<_>>()
                    .join("; ");
                push(format!("{id}: level {n} {what}"));
            }
            _ => {}
        }
    }
}

/// One list's changes: elements added, removed, and edited field by field.
fn list_changes(
    key: &str,
    (section, noun): (&'static str, &str),
    base: &Value,
    head: &Value,
    out: &mut Vec<Change>,
) {
    let Some(obj) = object_of(key) else { return };
    let mut push = |text: String| out.push(Change { section, text });
    let (a, b) = (list(base, key), list(head, key));
    for (id, e) in &b {
        if !a.contains_key(id) {
            let title = e
                .get("title")
                .or_else(|| e.get("name"))
                .and_then(Value::as_str)
                .map(|t| format!(": {t}"))
                .unwrap_or_default();
            push(format!("{noun} {id} added{title}"));
        }
    }
    for id in a.keys() {
        if !b.contains_key(id) {
            push(format!("{noun} {id} removed"));
        }
    }
    let plain = plain_fields(key, obj);
    for (id, new) in &b {
        let Some(old) = a.get(id) else { continue };
        for p in fields(old, new, &plain) {
            push(format!("{noun} {id}: {p}"));
        }
        match key {
            "areas" => area_changes(id, old, new, &mut push),
            "teams" => team_changes(id, old, new, &mut push),
            "escalation_policies" => level_changes(id, old, new, &mut push),
            _ => {}
        }
    }
}

fn waiver_changes(base: &Value, head: &Value, out: &mut Vec<Change>) {
    let mut push = |text: String| {
        out.push(Change {
            section: "waivers",
            text,
        })
    };
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
            None => push(format!(
                "waiver added: {k} until {} ({})",
                show(w.get("expires")),
                show(w.get("reason"))
            )),
            Some(old) if old.get("expires") != w.get("expires") => push(format!(
                "waiver {k}: expires {} → {}",
                show(old.get("expires")),
                show(w.get("expires"))
            )),
            _ => {}
        }
    }
    for k in a.keys() {
        if !b.contains_key(k) {
            push(format!("waiver removed: {k}"));
        }
    }
}

/// The semantic diff of two plans (as JSON, identical elements already left out), except the
/// reach of the executive tier.
pub(super) fn diff_plans(base: &Value, head: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    for (key, names) in SECTIONS {
        list_changes(key, names, base, head, &mut out);
    }
    waiver_changes(base, head, &mut out);
    let empty = Value::Null;
    let (m0, m1) = (
        base.get("metadata").unwrap_or(&empty),
        head.get("metadata").unwrap_or(&empty),
    );
    let keys: Vec<&str> = schema::METADATA.fields.iter().map(|f| f.name).collect();
    for p in fields(m0, m1, &keys) {
        out.push(Change {
            section: "metadata",
            text: format!("metadata {p}"),
        });
    }
    out
}
