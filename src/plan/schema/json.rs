//! The schema as JSON Schema (draft 2020-12), for `plancheck schema` and editors.

use serde_json::{json, Map, Value as Json};

use super::*;

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
        } else if matches!(field.ty, Ty::Str) {
            // Not blank: at least one character that is not white space.
            s["pattern"] = json!("\\S");
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
