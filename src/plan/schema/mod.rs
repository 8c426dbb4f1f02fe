//! The plan-file schema, written once: the loader validates against it and
//! `plancheck schema` prints it as JSON Schema (draft 2020-12), so the two cannot drift.

mod json;
mod validate;
mod values;

pub use json::json_schema;
pub use validate::validate;
pub use values::{clock, closest, instant, is_date, is_technique, is_zone, local_datetime};

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

pub use crate::position::Seg;

#[cfg(test)]
mod tests;
