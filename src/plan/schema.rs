//! The plan-file schema, written once: the loader validates against it and
//! `plancheck schema` prints it as JSON Schema (draft 2020-12), so the two cannot drift.

use serde_json::{json, Map, Value as Json};

use super::node::{Node, Value};

pub const API_VERSION: &str = "plancheck.dev/v1";
pub const KIND: &str = "IncidentResponsePlan";
pub const SOURCES: &[&str] = &[
    "human_error",
    "malicious",
    "supply_chain",
    "infrastructure",
    "third_party",
];
pub const TIERS: &[&str] = &["responder", "management", "executive"];
pub const SEVERITIES: &[&str] = &["SEV1", "SEV2", "SEV3", "SEV4"];
pub const COVERAGE: &[&str] = &["24x7", "business-hours"];

#[derive(Debug)]
pub enum Ty {
    Str,
    /// A calendar date written `YYYY-MM-DD`.
    Date,
    Int {
        min: i64,
    },
    Bool,
    /// One of these strings, enforced by the loader.
    Enum(&'static [&'static str]),
    /// Any string; these are suggestions for editors, and a rule judges the value.
    Suggest(&'static [&'static str]),
    List(&'static Ty),
    Object(&'static Obj),
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    pub doc: &'static str,
}

#[derive(Debug)]
pub struct Obj {
    pub name: &'static str,
    pub doc: &'static str,
    pub fields: &'static [Field],
}

const fn f(name: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required: false,
        doc,
    }
}

const fn req(name: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required: true,
        doc,
    }
}

const ID_DOC: &str = "Unique id. Contact and team ids share one namespace.";

pub static METADATA: Obj = Obj {
    name: "metadata",
    doc: "About the plan as a whole. Define it in one file only.",
    fields: &[
        f("name", Ty::Str, "Name of the plan."),
        f(
            "owner",
            Ty::Str,
            "Team (or contact) id accountable for the plan.",
        ),
        f(
            "reviewed_at",
            Ty::Date,
            "Date of the last review, YYYY-MM-DD.",
        ),
        f(
            "review_interval_days",
            Ty::Int { min: 1 },
            "Days between reviews (default 90).",
        ),
    ],
};

pub static CONTACT: Obj = Obj {
    name: "contact",
    doc: "A person who can be paged or consulted.",
    fields: &[
        req("id", Ty::Str, ID_DOC),
        f("name", Ty::Str, "Full name."),
        f(
            "github",
            Ty::Str,
            "GitHub handle without @; matches @handle in CODEOWNERS.",
        ),
        f("email", Ty::Str, "Email address."),
        f(
            "phone",
            Ty::Str,
            "Phone number in E.164 form, quoted (\"+14155550100\").",
        ),
        f("timezone", Ty::Str, "IANA time zone, e.g. Europe/Berlin."),
        f(
            "tier",
            Ty::Enum(TIERS),
            "responder, management or executive.",
        ),
        f(
            "active",
            Ty::Bool,
            "false for people who left or are on leave (default true).",
        ),
    ],
};

pub static ONCALL: Obj = Obj {
    name: "oncall",
    doc: "Who is on call for the team.",
    fields: &[
        f(
            "rotation",
            Ty::List(&Ty::Str),
            "Ordered contact ids taking turns.",
        ),
        f(
            "shift_hours",
            Ty::Int { min: 1 },
            "Length of one shift in hours.",
        ),
        f("coverage", Ty::Enum(COVERAGE), "24x7 or business-hours."),
    ],
};

pub static TEAM: Obj = Obj {
    name: "team",
    doc: "A team that owns areas and threats and has an on-call rotation.",
    fields: &[
        req("id", Ty::Str, ID_DOC),
        f("name", Ty::Str, "Display name."),
        f(
            "github_team",
            Ty::Str,
            "The team as CODEOWNERS names it, e.g. \"@acme/platform-sre\".",
        ),
        f("members", Ty::List(&Ty::Str), "Contact ids."),
        f("oncall", Ty::Object(&ONCALL), "Who is on call."),
        f(
            "escalation_policy",
            Ty::Str,
            "Id of the team's escalation policy.",
        ),
    ],
};

pub static AREA: Obj = Obj {
    name: "area",
    doc: "An area of expertise with its key contacts.",
    fields: &[
        req("id", Ty::Str, "Unique area id."),
        f("title", Ty::Str, "What the area covers."),
        f("description", Ty::Str, "Longer description."),
        f("team", Ty::Str, "Id of the owning team."),
        f(
            "contacts",
            Ty::List(&Ty::Str),
            "Key contact ids for this area.",
        ),
        f(
            "paths",
            Ty::List(&Ty::Str),
            "CODEOWNERS-style patterns of the repository files this area covers.",
        ),
    ],
};

pub static LEVEL: Obj = Obj {
    name: "level",
    doc: "One step of an escalation procedure.",
    fields: &[
        req(
            "tier",
            Ty::Enum(TIERS),
            "responder, management or executive.",
        ),
        req(
            "targets",
            Ty::List(&Ty::Str),
            "Contact ids, team ids, or oncall:<team id>.",
        ),
        req(
            "after_minutes",
            Ty::Int { min: 0 },
            "Minutes after the incident starts at which this level is paged.",
        ),
    ],
};

pub static POLICY: Obj = Obj {
    name: "escalation_policy",
    doc: "An escalation procedure, level by level up to the executive tier.",
    fields: &[
        req("id", Ty::Str, "Unique policy id."),
        f("name", Ty::Str, "Display name."),
        f(
            "levels",
            Ty::List(&Ty::Object(&LEVEL)),
            "Levels in the order they are paged.",
        ),
    ],
};

pub static THREAT: Obj = Obj {
    name: "threat",
    doc: "A potential threat, from human error or a malicious actor, and who answers for it.",
    fields: &[
        req("id", Ty::Str, "Unique threat id, e.g. THR-001."),
        f("title", Ty::Str, "One-line description."),
        f("description", Ty::Str, "Longer description."),
        f(
            "source",
            Ty::Suggest(SOURCES),
            "human_error, malicious, supply_chain, infrastructure or third_party.",
        ),
        f("area", Ty::Str, "Id of the area of expertise."),
        f("severity", Ty::Enum(SEVERITIES), "SEV1 (worst) to SEV4."),
        f(
            "high_profile",
            Ty::Bool,
            "High-profile incidents must escalate to the executive tier.",
        ),
        f(
            "owner",
            Ty::Str,
            "Contact id or team id accountable for the threat.",
        ),
        f(
            "escalation_policy",
            Ty::Str,
            "Escalation policy id; defaults to the area's team's policy.",
        ),
        f("runbook", Ty::Str, "Path or URL of the runbook."),
    ],
};

pub static WAIVER: Obj = Obj {
    name: "waiver",
    doc: "An explicit, reviewed exception to one rule for one target.",
    fields: &[
        req("rule", Ty::Str, "Rule id."),
        req("target", Ty::Str, "Id of the thing the waiver is about."),
        req("reason", Ty::Str, "Why the finding is accepted."),
        req(
            "expires",
            Ty::Date,
            "YYYY-MM-DD after which the waiver stops applying.",
        ),
    ],
};

/// The plan sections that are lists, in the order they appear in the input document.
pub const LISTS: [(&str, &Obj); 6] = [
    ("contacts", &CONTACT),
    ("teams", &TEAM),
    ("areas", &AREA),
    ("escalation_policies", &POLICY),
    ("threats", &THREAT),
    ("waivers", &WAIVER),
];

pub static FILE: Obj = Obj {
    name: "plan_file",
    doc: "A plancheck incident-response plan file. A plan may be split across files; their lists are merged.",
    fields: &[
        req("apiVersion", Ty::Enum(&[API_VERSION]), "Always plancheck.dev/v1."),
        req("kind", Ty::Enum(&[KIND]), "Always IncidentResponsePlan."),
        f("metadata", Ty::Object(&METADATA), "About the plan."),
        f("contacts", Ty::List(&Ty::Object(&CONTACT)), "The directory of people."),
        f("teams", Ty::List(&Ty::Object(&TEAM)), "Teams and who is on call."),
        f("areas", Ty::List(&Ty::Object(&AREA)), "Areas of expertise and their key contacts."),
        f("escalation_policies", Ty::List(&Ty::Object(&POLICY)), "Escalation procedures."),
        f("threats", Ty::List(&Ty::Object(&THREAT)), "All potential threats."),
        f("waivers", Ty::List(&Ty::Object(&WAIVER)), "Reviewed exceptions."),
    ],
};

/// Keys starting with this prefix are free-form extensions that the schema allows anywhere.
pub const EXTENSION_PREFIX: &str = "x-";

/// A schema violation at a node.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Path from the document root, e.g. ["threats", 3, "owner"].
    pub path: Vec<Seg>,
    pub pos: super::node::Pos,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

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
    out
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

/// Whether `s` is a real calendar date in `YYYY-MM-DD` form.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d) && y >= 1
}

/// The known name closest to `name` by edit distance, if it is close enough to be a typo.
pub fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The JSON Schema (draft 2020-12) of a plan file.
pub fn json_schema() -> Json {
    let mut defs = Map::new();
    for obj in [
        &METADATA, &CONTACT, &ONCALL, &TEAM, &AREA, &LEVEL, &POLICY, &THREAT, &WAIVER,
    ] {
        defs.insert(obj.name.to_string(), obj_schema(obj));
    }
    let mut root = obj_schema(&FILE);
    let map = root.as_object_mut().expect("obj_schema returns an object");
    map.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    map.insert(
        "$id".into(),
        json!("https://plancheck.dev/schema/plan.v1.json"),
    );
    map.insert(
        "title".into(),
        json!("plancheck incident-response plan file"),
    );
    map.insert("$defs".into(), Json::Object(defs));
    root
}

fn obj_schema(obj: &Obj) -> Json {
    let mut props = Map::new();
    for field in obj.fields {
        let mut s = ty_schema(&field.ty);
        if !field.required {
            s = json!({"anyOf": [s, {"type": "null"}]});
        }
        if let Some(m) = s.as_object_mut() {
            m.insert("description".into(), json!(field.doc));
        }
        props.insert(field.name.to_string(), s);
    }
    let required: Vec<&str> = obj
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    json!({
        "type": "object",
        "description": obj.doc,
        "properties": props,
        "required": required,
        "patternProperties": {format!("^{EXTENSION_PREFIX}"): {}},
        "additionalProperties": false,
    })
}

fn ty_schema(ty: &Ty) -> Json {
    match ty {
        Ty::Str => json!({"type": "string"}),
        Ty::Date => {
            json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "format": "date"})
        }
        Ty::Int { min } => json!({"type": "integer", "minimum": min}),
        Ty::Bool => json!({"type": "boolean"}),
        Ty::Enum(options) => json!({"type": "string", "enum": options}),
        Ty::Suggest(options) => {
            json!({"anyOf": [{"type": "string", "enum": options}, {"type": "string"}]})
        }
        Ty::List(item) => json!({"type": "array", "items": ty_schema(item)}),
        Ty::Object(obj) => json!({"$ref": format!("#/$defs/{}", obj.name)}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::node::parse_documents;

    fn violations(text: &str) -> Vec<String> {
        let doc = parse_documents(text).expect("parses").remove(0);
        validate(&doc)
            .into_iter()
            .map(|v| format!("{}:{} {}", v.pos.line, v.pos.column, v.message))
            .collect()
    }

    #[test]
    fn unknown_keys_suggest_the_closest_known_key() {
        let v = violations("apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nthreats:\n  - id: T1\n    ownr: bob\n");
        assert_eq!(v.len(), 1, "{v:?}");
        assert!(v[0].starts_with("5:5 unknown key `ownr`"), "{v:?}");
        assert!(v[0].contains("did you mean `owner`"), "{v:?}");
    }

    #[test]
    fn wrong_types_and_missing_ids_are_located() {
        let v = violations(
            "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nteams:\n  - name: x\n    oncall: {shift_hours: \"12\"}\n",
        );
        assert!(
            v.iter()
                .any(|m| m.starts_with("4:5 team is missing required key `id`")),
            "{v:?}"
        );
        assert!(
            v.iter()
                .any(|m| m.contains("`shift_hours` must be an integer")),
            "{v:?}"
        );
    }

    #[test]
    fn extension_numbers_json_cannot_hold_are_reported_where_they_are() {
        let v = violations(
            "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nthreats:\n  - id: T1\n    x-cost: {min: 1.5, max: 1e999}\n    x-odds: [.nan, 2]\n",
        );
        assert_eq!(v.len(), 2, "{v:?}");
        assert!(
            v[0].starts_with("5:") && v[0].contains("JSON cannot represent"),
            "{v:?}"
        );
        assert!(v[1].starts_with("6:"), "{v:?}");
        assert!(violations(
            "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nx-cost: 1.5e300\n"
        )
        .is_empty());
    }

    #[test]
    fn unknown_kind_is_a_violation() {
        let v = violations("apiVersion: plancheck.dev/v1\nkind: Runbook\n");
        assert_eq!(v.len(), 1);
        assert!(
            v[0].starts_with("2:7 `kind` must be one of IncidentResponsePlan"),
            "{v:?}"
        );
    }

    #[test]
    fn dates_must_exist_on_the_calendar() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2026-02-29"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("2026-1-01"));
    }

    #[test]
    fn extension_keys_and_empty_values_are_accepted() {
        let v = violations(
            "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nx-team-notes: hi\nthreats:\n  - id: T1\n    owner:\n    x-jira: OPS-1\n",
        );
        assert!(v.is_empty(), "{v:?}");
    }
}
