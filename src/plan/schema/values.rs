//! Scalar values the schema knows: dates, instants, local date-times, clock times, zones;
//! and the closest known name for a typo.

/// Whether the bundled time-zone database knows `name` (IANA names are case-sensitive in
/// files, so `europe/berlin` is reported with the right spelling).
pub fn is_zone(name: &str) -> bool {
    jiff::tz::TimeZone::get(name).is_ok_and(|tz| tz.iana_name() == Some(name))
}

pub(super) fn zone_hint(name: &str) -> String {
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

/// Whether `id` has the shape of a Threat Matrix id (`MS-TA9038`) or an ATT&CK technique id
/// (`T1485`, `T1078.003`).
pub fn is_technique(id: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = id.strip_prefix("MS-TA") {
        return digits(rest, 4);
    }
    match id.strip_prefix('T') {
        Some(rest) => match rest.split_once('.') {
            Some((main, sub)) => digits(main, 4) && digits(sub, 3),
            None => digits(rest, 4),
        },
        None => false,
    }
}
