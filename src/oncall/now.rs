//! "Now" for a run (DESIGN.md, "On-call in time", rule 7): `--now` and `PLANCHECK_NOW` take a
//! date (00:00:00Z that day) or an RFC 3339 instant. Date rules (`input.now`) see the UTC date;
//! the on-call horizon starts at the instant.

use jiff::Timestamp;

use crate::plan::schema;

/// The resolved clock of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Now {
    /// The UTC date, YYYY-MM-DD: what `input.now` is.
    pub date: String,
    /// The instant the horizon starts at.
    pub instant: Timestamp,
}

/// A date (`2026-12-12`, meaning 00:00:00Z) or an RFC 3339 instant with `Z` or an offset
/// (`2026-12-12T03:00:00Z`, `2026-12-12T04:00:00+01:00`); `None` for anything else.
pub fn parse(text: &str) -> Option<Now> {
    let text = text.trim();
    let instant = if schema::is_date(text) {
        format!("{text}T00:00:00Z").parse::<Timestamp>().ok()?
    } else {
        // jiff also reads RFC 9557 suffixes (`[Europe/Berlin]`); only RFC 3339 is promised.
        if text.contains('[') || !text.contains('T') && !text.contains('t') {
            return None;
        }
        text.parse::<Timestamp>().ok()?
    };
    Some(Now {
        date: instant.strftime("%Y-%m-%d").to_string(),
        instant,
    })
}

/// The run's clock written back as one string: the date when it is midnight UTC (so date-only
/// runs keep exactly today's behaviour), else the RFC 3339 UTC instant.
pub fn normalize(now: &Now) -> String {
    if now.instant.strftime("%H:%M:%S%.f").to_string() == "00:00:00" {
        now.date.clone()
    } else {
        now.instant.to_string()
    }
}

/// The UTC date of a string [`normalize`] wrote (or of any date or instant); the text itself
/// when it is neither, so a caller comparing dates fails closed the way it did before.
pub fn date(now: &str) -> String {
    parse(now).map_or_else(|| now.to_string(), |n| n.date)
}

/// The error for a value neither [`parse`] accepts, naming where it came from: the
/// `PLANCHECK_NOW` variable when it holds this value, else `--now`.
pub fn invalid(value: &str) -> crate::error::Advice {
    let from_env = std::env::var("PLANCHECK_NOW").is_ok_and(|v| v == value);
    let source = if from_env {
        "in the PLANCHECK_NOW environment variable"
    } else {
        "for --now"
    };
    let what = if value.contains(':') { "time" } else { "date" };
    crate::error::Advice::new(
        format!("invalid {what} `{value}` {source}"),
        "write a date YYYY-MM-DD (midnight UTC), e.g. 2026-11-24, or an RFC 3339 instant with its offset, e.g. 2026-11-24T03:00:00Z",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_midnight_utc_and_an_instant_keeps_its_time_in_utc() {
        let d = parse("2026-12-12").expect("date");
        assert_eq!(d.date, "2026-12-12");
        assert_eq!(d.instant.to_string(), "2026-12-12T00:00:00Z");
        assert_eq!(normalize(&d), "2026-12-12");
        let i = parse("2026-12-12T03:00:00Z").expect("instant");
        assert_eq!(i.date, "2026-12-12");
        assert_eq!(normalize(&i), "2026-12-12T03:00:00Z");
        // An offset is honoured: 00:30 in UTC+01:00 is still the 11th in UTC.
        let o = parse("2026-12-12T00:30:00+01:00").expect("offset");
        assert_eq!(o.date, "2026-12-11");
        assert_eq!(o.instant.to_string(), "2026-12-11T23:30:00Z");
        assert_eq!(date("2026-12-11T23:30:00Z"), "2026-12-11");
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "2026-02-30",
            "2026-12-12T03:00:00",
            "2026-12-12 03:00",
            "tomorrow",
            "",
            "2026-12-12T03:00:00Z[Europe/Berlin]",
            "2026-12-12T25:00:00Z",
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }
}
