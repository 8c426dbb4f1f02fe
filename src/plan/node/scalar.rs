//! Scalar resolution with the YAML 1.2 core schema.

use yaml_rust2::scanner::TScalarStyle;

use super::{Pos, SyntaxError, Value};

/// Resolves a scalar with the YAML 1.2 core schema (so `yes`, `on` and dates stay strings).
pub(super) fn resolve_scalar(
    text: String,
    style: TScalarStyle,
    tag: Option<(&str, &str)>,
    pos: Pos,
) -> Result<Value, SyntaxError> {
    if let Some((handle, suffix)) = tag {
        if handle == "!!" || handle == "tag:yaml.org,2002:" {
            return match suffix {
                "str" => Ok(Value::Str(text)),
                "int" => parse_int(&text).map(Value::Int).ok_or_else(|| {
                    SyntaxError::new(
                        pos,
                        format!("`{text}` is tagged !!int but is not an integer"),
                        None,
                    )
                }),
                "float" => parse_float(&text).map(Value::Float).ok_or_else(|| {
                    SyntaxError::new(
                        pos,
                        format!("`{text}` is tagged !!float but is not a number"),
                        None,
                    )
                }),
                "bool" => match text.as_str() {
                    "true" | "True" | "TRUE" => Ok(Value::Bool(true)),
                    "false" | "False" | "FALSE" => Ok(Value::Bool(false)),
                    _ => Err(SyntaxError::new(
                        pos,
                        format!("`{text}` is tagged !!bool but is not true or false"),
                        None,
                    )),
                },
                "null" => match text.as_str() {
                    "" | "~" | "null" | "Null" | "NULL" => Ok(Value::Null),
                    _ => Err(SyntaxError::new(
                        pos,
                        format!("`{text}` is tagged !!null but is not null"),
                        Some(
                            "remove the tag to keep the text, or the text to leave the value empty",
                        ),
                    )),
                },
                other => Err(SyntaxError::new(
                    pos,
                    format!("unsupported tag !!{other}"),
                    None,
                )),
            };
        }
        return Err(SyntaxError::new(
            pos,
            format!("unsupported tag {handle}{suffix}"),
            Some("plan files use plain YAML values; remove the tag"),
        ));
    }
    if style != TScalarStyle::Plain {
        return Ok(Value::Str(text));
    }
    Ok(match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => {
            if let Some(i) = parse_int(&text) {
                Value::Int(i)
            } else if let Some(f) = parse_float(&text) {
                Value::Float(f)
            } else {
                Value::Str(text)
            }
        }
    })
}

fn parse_int(s: &str) -> Option<i64> {
    let (neg, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let magnitude = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = digits.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()?
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i64>().ok()?
    } else {
        return None;
    };
    Some(if neg { -magnitude } else { magnitude })
}

fn parse_float(s: &str) -> Option<f64> {
    match s {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    // YAML 1.2 core: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - frac_start;
    }
    if digits == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>().ok()
}
