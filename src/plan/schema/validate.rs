//! Validating a plan document against the schema tables.

use super::values::{
    clock, closest, instant, is_date, is_technique, is_zone, local_datetime, zone_hint,
};
use super::*;
use crate::plan::node::{Node, Value};

/// Validates one plan document against [`FILE`].
pub fn validate(doc: &Node) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    if !matches!(doc.value, Value::Map(_)) {
        out.push(Violation {
            path,
            pos: doc.pos,
            message: format!(
                "a plan document must be a mapping with apiVersion: {API_VERSION} and kind: {KIND}, found {}",
                doc.type_name()
            ),
        });
        return out;
    }
    check_obj(doc, &FILE, &mut path, &mut out);
    if let Some(Value::Seq(teams)) = doc.get("teams").map(|t| &t.value) {
        for (i, team) in teams.iter().enumerate() {
            if let Some(oncall) = team.get("oncall") {
                let at = vec![
                    Seg::Key("teams".into()),
                    Seg::Index(i),
                    Seg::Key("oncall".into()),
                ];
                oncall_consistency(oncall, at, &mut out);
            }
        }
    }
    out
}

/// What the field tables cannot say about a team's `oncall`: `layers` replaces the short
/// form, a handoff needs a shift length, and an override ends after it starts.
fn oncall_consistency(oncall: &Node, at: Vec<Seg>, out: &mut Vec<Violation>) {
    let key = |k: &str| {
        let mut p = at.clone();
        p.push(Seg::Key(k.into()));
        p
    };
    let present = |n: &Node, k: &str| n.get(k).is_some_and(|v| !matches!(v.value, Value::Null));
    if let Some(layers) = oncall.get("layers").filter(|_| present(oncall, "layers")) {
        for short in ["rotation", "shift_hours", "handoff"] {
            if let (true, Some(pos)) = (present(oncall, short), oncall.key_pos(short)) {
                out.push(Violation {
                    path: key(short),
                    pos,
                    message: format!("`{short}` cannot stand beside `layers`: move it into a layer, or drop `layers` and keep the short form"),
                });
            }
        }
        if let Value::Seq(items) = &layers.value {
            for (i, layer) in items.iter().enumerate() {
                let mut p = key("layers");
                p.push(Seg::Index(i));
                handoff_needs_shift(layer, p, out);
            }
        }
    } else {
        handoff_needs_shift(oncall, at.clone(), out);
    }
    if let Some(Value::Seq(items)) = oncall.get("overrides").map(|o| &o.value) {
        for (i, o) in items.iter().enumerate() {
            let when = |k: &str| o.get(k).and_then(Node::as_str).and_then(instant);
            if let (Some(from), Some(to), Some(node)) = (when("from"), when("to"), o.get("to")) {
                if to <= from {
                    let mut p = key("overrides");
                    p.extend([Seg::Index(i), Seg::Key("to".into())]);
                    out.push(Violation {
                        path: p,
                        pos: node.pos,
                        message: "an override's `to` must be after its `from`".into(),
                    });
                }
            }
        }
    }
}

fn handoff_needs_shift(rotation: &Node, at: Vec<Seg>, out: &mut Vec<Violation>) {
    let has = |k: &str| {
        rotation
            .get(k)
            .is_some_and(|v| !matches!(v.value, Value::Null))
    };
    if let (true, false, Some(pos)) = (
        has("handoff"),
        has("shift_hours"),
        rotation.key_pos("handoff"),
    ) {
        let mut p = at;
        p.push(Seg::Key("handoff".into()));
        out.push(Violation {
            path: p,
            pos,
            message:
                "a `handoff` needs `shift_hours`, the length of one shift (168 for weekly shifts)"
                    .into(),
        });
    }
}

/// Extension fields are free-form, but the policies' input is JSON: a number JSON cannot hold
/// (an overflow like `1e999`, `.inf`, `.nan`) would reach them as null, so it is reported.
fn finite_numbers(node: &Node, path: &mut Vec<Seg>, out: &mut Vec<Violation>) {
    match &node.value {
        Value::Float(f) if !f.is_finite() => out.push(Violation {
            path: path.clone(),
            pos: node.pos,
            message: "a number JSON cannot represent (infinite, NaN or out of range); quote it to keep it as text".into(),
        }),
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                finite_numbers(item, path, out);
                path.pop();
            }
        }
        Value::Map(entries) => {
            for (k, v) in entries {
                path.push(Seg::Key(k.name.clone()));
                finite_numbers(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// An object's name as users read it: plain words, not the schema's definition name.
fn shown(obj: &Obj) -> &'static str {
    match obj.name {
        "plan_file" => "the plan file",
        "escalation_policy" => "escalation policy",
        "oncall" => "on-call",
        "level" => "escalation level",
        other => other,
    }
}

fn check_obj(node: &Node, obj: &Obj, path: &mut Vec<Seg>, out: &mut Vec<Violation>) {
    let Value::Map(entries) = &node.value else {
        out.push(Violation {
            path: path.clone(),
            pos: node.pos,
            message: format!(
                "expected a mapping ({}), found {}",
                shown(obj),
                node.type_name()
            ),
        });
        return;
    };
    for (key, value) in entries {
        path.push(Seg::Key(key.name.clone()));
        match obj.fields.iter().find(|f| f.name == key.name) {
            Some(field) => {
                if !matches!(value.value, Value::Null) || field.required {
                    check_ty(value, &field.ty, field.name, path, out);
                }
                if field.required {
                    not_blank(value, field, path, out);
                }
            }
            None if key.name.starts_with(EXTENSION_PREFIX) => finite_numbers(value, path, out),
            None => {
                let known: Vec<&str> = obj.fields.iter().map(|f| f.name).collect();
                let hint = closest(&key.name, &known)
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_else(|| format!("; known keys: {}", known.join(", ")));
                out.push(Violation {
                    path: path.clone(),
                    pos: key.pos,
                    message: format!(
                        "unknown key `{}` in {}{hint} (custom fields start with `{EXTENSION_PREFIX}`)",
                        key.name, shown(obj)
                    ),
                });
            }
        }
        path.pop();
    }
    for field in obj.fields.iter().filter(|f| f.required) {
        let present = entries
            .iter()
            .any(|(k, v)| k.name == field.name && !matches!(v.value, Value::Null));
        if !present {
            out.push(Violation {
                path: path.clone(),
                pos: node.pos,
                message: format!("{} is missing required key `{}`", shown(obj), field.name),
            });
        }
    }
}

/// A required text (an id, a waiver's reason) must say something: blank is not a value.
fn not_blank(node: &Node, field: &Field, path: &[Seg], out: &mut Vec<Violation>) {
    if let (Ty::Str, Value::Str(s)) = (&field.ty, &node.value) {
        if s.trim().is_empty() {
            out.push(Violation {
                path: path.to_vec(),
                pos: node.pos,
                message: format!("`{}` must not be blank", field.name),
            });
        }
    }
}

fn check_ty(node: &Node, ty: &Ty, name: &str, path: &mut Vec<Seg>, out: &mut Vec<Violation>) {
    let mut wrong = |expected: &str| {
        out.push(Violation {
            path: path.clone(),
            pos: node.pos,
            message: format!("`{name}` must be {expected}, found {}", describe(node)),
        });
    };
    match (ty, &node.value) {
        (Ty::Str | Ty::Suggest(_), Value::Str(_)) => {}
        (Ty::Str | Ty::Suggest(_), _) => wrong("a string"),
        (Ty::Date, Value::Str(s)) if is_date(s) => {}
        (Ty::Date, _) => wrong("a date written YYYY-MM-DD"),
        (Ty::Int { min }, Value::Int(i)) if i >= min => {}
        (Ty::Int { min }, _) => wrong(&format!("an integer of at least {min}")),
        (Ty::Bool, Value::Bool(_)) => {}
        (Ty::Bool, _) => wrong("true or false"),
        (Ty::Enum(options), Value::Str(s)) if options.contains(&s.as_str()) => {}
        (Ty::Enum(options), _) => wrong(&format!("one of {}", options.join(", "))),
        (Ty::List(item), Value::Seq(items)) => {
            for (i, it) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                check_ty(it, item, name, path, out);
                path.pop();
            }
        }
        (Ty::List(_), _) => wrong("a list"),
        (Ty::Object(obj), _) => check_obj(node, obj, path, out),
        (Ty::Zone, Value::Str(z)) if is_zone(z) => {}
        (Ty::Zone, Value::Str(z)) => {
            let hint = zone_hint(z);
            wrong(&format!("an IANA time zone such as Europe/Berlin{hint}"))
        }
        (Ty::Zone, _) => wrong("an IANA time zone such as Europe/Berlin"),
        (Ty::LocalDateTime, Value::Str(s)) if local_datetime(s).is_some() => {}
        (Ty::LocalDateTime, _) => {
            wrong("a local date-time without offset, written YYYY-MM-DDTHH:MM")
        }
        (Ty::Instant, Value::Str(s)) if instant(s).is_some() => {}
        (Ty::Instant, _) => wrong("an instant with its offset, written 2026-12-24T00:00:00Z"),
        (Ty::Clock { end }, Value::Str(s)) if clock(s, *end).is_some() => {}
        (Ty::Clock { end: true }, _) => wrong("a time of day written HH:MM (00:00 to 24:00)"),
        (Ty::Clock { end: false }, _) => wrong("a time of day written HH:MM (00:00 to 23:59)"),
        (Ty::Technique, Value::Str(t)) if is_technique(t) => {}
        (Ty::Technique, _) => wrong(
            "a Threat Matrix for Kubernetes id such as MS-TA9038 or an ATT&CK id such as T1485 or T1078.003",
        ),
    }
}

fn describe(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => format!("\"{}\"", truncate(s, 40)),
        Value::Int(i) => i.to_string(),
        Value::Float(x) => x.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => node.type_name().to_string(),
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}
