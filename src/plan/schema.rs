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
pub const WEEKDAYS: &[&str] = &["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

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
    /// An IANA time-zone name that the bundled time-zone database knows.
    Zone,
    /// A local date-time without offset, `YYYY-MM-DDTHH:MM[:SS]`.
    LocalDateTime,
    /// An instant: RFC 3339 with `Z` or an offset.
    Instant,
    /// A time of day `HH:MM`; with `end`, also `24:00` (midnight at the end of the day).
    Clock {
        end: bool,
    },
    /// A Threat Matrix for Kubernetes id (`MS-TA9038`) or an ATT&CK technique id (`T1485`,
    /// `T1078.003`), by shape; `ref-resolves` checks Threat Matrix ids against the catalogue.
    Technique,
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

const ROTATION_DOC: &str = "Ordered contact ids taking turns.";
const SHIFT_DOC: &str =
    "Length of one shift in hours; whole days keep the handoff's wall-clock time across DST.";
const HANDOFF_DOC: &str =
    "Local date-time, no offset (2026-11-02T09:00): rotation[0]'s shift starts here.";

pub static WINDOW: Obj = Obj {
    name: "window",
    doc: "A weekly window in local time: on each listed day from `from` to `to` (to the next day when `to` is not after `from`).",
    fields: &[
        req("days", Ty::List(&Ty::Enum(WEEKDAYS)), "Days the window opens: mon, tue, wed, thu, fri, sat, sun."),
        req("from", Ty::Clock { end: false }, "Local time the window opens, HH:MM."),
        req("to", Ty::Clock { end: true }, "Local time the window closes, HH:MM (24:00 is midnight)."),
    ],
};

pub static LAYER: Obj = Obj {
    name: "layer",
    doc: "One rotation layer; later layers win where they are on call.",
    fields: &[
        f("name", Ty::Str, "Name of the layer, e.g. emea."),
        req("rotation", Ty::List(&Ty::Str), ROTATION_DOC),
        f("shift_hours", Ty::Int { min: 1 }, SHIFT_DOC),
        f("handoff", Ty::LocalDateTime, HANDOFF_DOC),
        f(
            "timezone",
            Ty::Zone,
            "IANA time zone of the handoff and the windows; default the team's.",
        ),
        f(
            "restrict",
            Ty::List(&Ty::Object(&WINDOW)),
            "Weekly windows in which this layer is on call; none: always.",
        ),
    ],
};

pub static OVERRIDE: Obj = Obj {
    name: "override",
    doc: "Someone holds the on-call over [from, to), whatever the layers say.",
    fields: &[
        req("contact", Ty::Str, "Contact id."),
        req(
            "from",
            Ty::Instant,
            "Start, RFC 3339 with offset (2026-12-24T00:00:00Z).",
        ),
        req("to", Ty::Instant, "End (exclusive), RFC 3339 with offset."),
    ],
};

pub static ONCALL: Obj = Obj {
    name: "oncall",
    doc: "Who is on call for the team, and when.",
    fields: &[
        f("rotation", Ty::List(&Ty::Str), ROTATION_DOC),
        f("shift_hours", Ty::Int { min: 1 }, SHIFT_DOC),
        f("handoff", Ty::LocalDateTime, HANDOFF_DOC),
        f(
            "timezone",
            Ty::Zone,
            "IANA time zone of the handoff; default the team's.",
        ),
        f("coverage", Ty::Enum(COVERAGE), "24x7 or business-hours."),
        f(
            "business_hours",
            Ty::Object(&WINDOW),
            "The team's business hours in its time zone (default mon-fri 09:00-17:00).",
        ),
        f(
            "layers",
            Ty::List(&Ty::Object(&LAYER)),
            "Several rotation layers, instead of rotation, shift_hours and handoff.",
        ),
        f(
            "overrides",
            Ty::List(&Ty::Object(&OVERRIDE)),
            "Explicit shifts that win over every layer.",
        ),
    ],
};

pub static TEAM: Obj = Obj {
    name: "team",
    doc: "A team that owns areas and threats and has an on-call rotation.",
    fields: &[
        req("id", Ty::Str, ID_DOC),
        f("name", Ty::Str, "Display name."),
        f(
            "timezone",
            Ty::Zone,
            "IANA time zone of the team's on-call and business hours (default UTC).",
        ),
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
        f(
            "kinds",
            Ty::List(&Ty::Str),
            "Kubernetes kinds this area's experts own (e.g. StorageClass, PersistentVolumeClaim).",
        ),
        f(
            "namespaces",
            Ty::List(&Ty::Str),
            "Globs of the namespaces `kinds` applies to; without it, every namespace.",
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
        f(
            "techniques",
            Ty::List(&Ty::Technique),
            "Threat Matrix for Kubernetes ids (MS-TA9038) or ATT&CK ids (T1485, T1078.003) this threat covers.",
        ),
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
        (Ty::Technique, Value::Str(t)) if crate::manifests::tmfk::well_formed(t) => {}
        (Ty::Technique, _) => wrong(
            "a Threat Matrix for Kubernetes id such as MS-TA9038 or an ATT&CK id such as T1485 or T1078.003",
        ),
    }
}

/// Whether the bundled time-zone database knows `name` (IANA names are case-sensitive in
/// files, so `europe/berlin` is reported with the right spelling).
pub fn is_zone(name: &str) -> bool {
    jiff::tz::TimeZone::get(name).is_ok_and(|tz| tz.iana_name() == Some(name))
}

fn zone_hint(name: &str) -> String {
    match jiff::tz::TimeZone::get(name)
        .ok()
        .and_then(|tz| tz.iana_name().map(str::to_string))
    {
        Some(canonical) if canonical != name => format!("; did you mean `{canonical}`?"),
        _ => String::new(),
    }
}

/// A local date-time `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, with no offset.
pub fn local_datetime(s: &str) -> Option<jiff::civil::DateTime> {
    let b = s.as_bytes();
    let shape = |n: usize| {
        b.len() == n
            && b.get(10) == Some(&b'T')
            && b.get(13) == Some(&b':')
            && (n == 16 || b.get(16) == Some(&b':'))
    };
    if !(shape(16) || shape(19)) || !is_date(s.get(..10)?) {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|p| p.parse::<i8>().ok())
    };
    let (h, m) = (digits(11..13)?, digits(14..16)?);
    let sec = if b.len() == 19 { digits(17..19)? } else { 0 };
    let date: jiff::civil::Date = s.get(..10)?.parse().ok()?;
    jiff::civil::Time::new(h, m, sec, 0)
        .ok()
        .map(|t| date.to_datetime(t))
}

/// An RFC 3339 instant with `Z` or a numeric offset.
pub fn instant(s: &str) -> Option<jiff::Timestamp> {
    let b = s.as_bytes();
    let offset = s.ends_with('Z')
        || s.ends_with('z')
        || (b.len() >= 6 && matches!(b[b.len() - 6], b'+' | b'-') && b[b.len() - 3] == b':');
    if !offset || !is_date(s.get(..10)?) || !matches!(b.get(10), Some(b'T' | b't')) {
        return None;
    }
    s.parse().ok()
}

/// `HH:MM`, and `24:00` when `end` (it stands for midnight at the end of the day: `None`).
pub fn clock(s: &str, end: bool) -> Option<Option<jiff::civil::Time>> {
    if end && s == "24:00" {
        return Some(None);
    }
    let b = s.as_bytes();
    if b.len() != 5
        || b[2] != b':'
        || !s
            .bytes()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
    {
        return None;
    }
    let h: i8 = s.get(..2)?.parse().ok()?;
    let m: i8 = s.get(3..)?.parse().ok()?;
    jiff::civil::Time::new(h, m, 0, 0).ok().map(Some)
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
        &METADATA, &CONTACT, &WINDOW, &LAYER, &OVERRIDE, &ONCALL, &TEAM, &AREA, &LEVEL, &POLICY,
        &THREAT, &WAIVER,
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
        Ty::Zone => json!({"type": "string", "pattern": "^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$"}),
        Ty::LocalDateTime => json!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$"
        }),
        Ty::Instant => json!({"type": "string", "format": "date-time"}),
        Ty::Clock { end: false } => {
            json!({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"})
        }
        Ty::Clock { end: true } => {
            json!({"type": "string", "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"})
        }
        Ty::Technique => {
            json!({"type": "string", "pattern": "^(MS-TA[0-9]{4}|T[0-9]{4}(\\.[0-9]{3})?)$"})
        }
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

    const HEAD: &str =
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nteams:\n  - id: storage\n";

    #[test]
    fn the_on_call_model_in_full_is_valid() {
        let v = violations(&format!(
            "{HEAD}    timezone: Europe/Berlin\n    oncall:\n      coverage: 24x7\n      business_hours: {{days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"17:00\"}}\n      layers:\n        - {{name: emea, rotation: [erin, farid], shift_hours: 24, handoff: 2026-11-02T07:00,\n           timezone: Europe/Berlin, restrict: [{{days: [mon, fri], from: \"07:00\", to: \"19:00\"}}]}}\n        - {{name: nights, rotation: [gus], restrict: [{{days: [sun], from: \"22:00\", to: \"24:00\"}}]}}\n      overrides:\n        - {{contact: gus, from: 2026-12-24T00:00:00Z, to: 2026-12-27T00:00:00+01:00}}\n"
        ));
        assert!(v.is_empty(), "{v:?}");
        let short = violations(&format!(
            "{HEAD}    oncall: {{rotation: [erin, farid], shift_hours: 168, handoff: 2026-11-02T09:00:00, timezone: Asia/Tokyo}}\n"
        ));
        assert!(short.is_empty(), "{short:?}");
    }

    #[test]
    fn an_unknown_zone_a_bad_local_time_and_a_bad_day_are_errors_at_their_lines() {
        let v = violations(&format!(
            "{HEAD}    timezone: Europe/Berlinn\n    oncall:\n      rotation: [a, b]\n      shift_hours: 24\n      handoff: 2026-11-02T25:00\n      layers_: []\n      business_hours: {{days: [monday], from: \"9:00\", to: \"24:00\"}}\n"
        ));
        let find = |needle: &str| v.iter().find(|m| m.contains(needle)).cloned();
        assert!(
            find("`timezone` must be an IANA time zone").is_some_and(|m| m.starts_with("5:15")),
            "{v:?}"
        );
        assert!(
            find("`handoff` must be a local date-time").is_some_and(|m| m.starts_with("9:16")),
            "{v:?}"
        );
        assert!(
            find("did you mean `layers`").is_some_and(|m| m.starts_with("10:7")),
            "{v:?}"
        );
        assert!(
            find("`days` must be one of mon, tue").is_some_and(|m| m.starts_with("11:31")),
            "{v:?}"
        );
        assert!(find("`from` must be a time of day").is_some(), "{v:?}");
        assert_eq!(v.len(), 5, "{v:?}");
    }

    #[test]
    fn a_zone_in_the_wrong_case_suggests_its_spelling() {
        let v = violations(&format!("{HEAD}    timezone: europe/berlin\n"));
        assert!(v[0].contains("did you mean `Europe/Berlin`"), "{v:?}");
    }

    #[test]
    fn layers_replace_the_short_form_and_a_handoff_needs_a_shift_length() {
        let v = violations(&format!(
            "{HEAD}    oncall:\n      rotation: [a, b]\n      layers:\n        - {{rotation: [a, b], handoff: 2026-11-02T07:00}}\n      overrides:\n        - {{contact: a, from: 2026-12-24T00:00:00Z, to: 2026-12-24T00:00:00Z}}\n"
        ));
        assert_eq!(v.len(), 3, "{v:?}");
        assert!(
            v[0].starts_with("6:7 `rotation` cannot stand beside `layers`"),
            "{v:?}"
        );
        assert!(
            v[1].starts_with("8:30 a `handoff` needs `shift_hours`"),
            "{v:?}"
        );
        assert!(
            v[2].starts_with("10:56 an override's `to` must be after"),
            "{v:?}"
        );
    }

    #[test]
    fn local_times_instants_and_clocks_are_strict() {
        assert!(local_datetime("2026-11-02T09:00").is_some());
        assert!(local_datetime("2026-11-02T09:00:30").is_some());
        for bad in [
            "2026-11-02 09:00",
            "2026-11-02T09:00Z",
            "2026-02-30T09:00",
            "2026-11-02T9:00",
        ] {
            assert!(local_datetime(bad).is_none(), "{bad}");
        }
        assert!(instant("2026-12-24T00:00:00Z").is_some());
        assert!(instant("2026-12-24T00:00:00-05:00").is_some());
        assert!(instant("2026-12-24T00:00:00").is_none());
        assert_eq!(clock("24:00", true), Some(None));
        assert_eq!(clock("24:00", false), None);
        assert!(clock("23:59", false).is_some());
        assert!(clock("7:00", false).is_none());
    }
}
