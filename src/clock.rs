//! Today's date, and the `--now` that overrides it for reproducible runs.

use anyhow::Result;

/// Today's date (UTC) as YYYY-MM-DD.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn resolve_now(now: Option<&str>) -> Result<String> {
    match now {
        // An empty PLANCHECK_NOW is unset (`drop_empty_env`); an empty `--now` is a mistake
        // (an unset shell variable), not "today".
        Some(d) if d.trim().is_empty() => Err(crate::error::Advice::new(
            "--now is empty",
            "give a date YYYY-MM-DD (midnight UTC) or an RFC 3339 instant, e.g. --now 2026-11-24; leave --now out for today",
        )
        .into()),
        Some(d) => crate::oncall::now::parse(d)
            .map(|n| crate::oncall::now::normalize(&n))
            .ok_or_else(|| crate::oncall::now::invalid(d).into()),
        None => Ok(today()),
    }
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn days_since_epoch_become_dates() {
        assert_eq!(civil_from_days(0), "1970-01-01");
        assert_eq!(civil_from_days(20_781), "2026-11-24");
        assert_eq!(civil_from_days(11_016), "2000-02-29");
    }
}
