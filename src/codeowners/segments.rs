//! Matching a pattern segment by segment, without a regex.
//!
//! A pattern is a list of segments ([`Seg`]): a glob matching exactly one path segment, or
//! `**` matching any number of them. Matching walks the path's segments once per pattern
//! segment, keeping the set of positions the pattern can have reached. It gives exactly the
//! answer of the regex [`super::pattern`] translates the pattern to (the differential tests
//! compare them) on every path it accepts: a non-empty path of non-empty segments without a
//! line feed, for a pattern without an escaped `/`. Other paths go to the regex.

use super::pattern::{Seg, Tok};

/// Whether `segs` (anchored or not) matches `path`; `None` when the path or pattern is one
/// the walk does not decide (see the module docs) and the regex must.
pub(super) fn matches(segs: &[Seg], anchored: bool, path: &str) -> Option<bool> {
    if path.is_empty()
        || path.starts_with('/')
        || path.ends_with('/')
        || path.contains("//")
        || path.contains('\n')
    {
        return None;
    }
    let n = path.bytes().filter(|&b| b == b'/').count() + 1;
    if n >= 127 {
        return None; // deeper than the bit set below holds
    }
    let last = segs.len().checked_sub(1)?;
    // Bit p of `reach`: the segments so far can have matched exactly the path's first p
    // segments. An unanchored pattern (one segment) may start at any path segment.
    let before_end: u128 = (1u128 << n) - 1;
    let any: u128 = (1u128 << (n + 1)) - 1;
    let mut reach: u128 = if anchored { 1 } else { before_end };
    for (i, seg) in segs.iter().enumerate() {
        match seg {
            // A `**` alone (`**`, `/**`) is any non-empty path; a trailing one (`docs/**`)
            // needs at least one more segment.
            Seg::DoubleStar if i == last => return Some(reach & before_end != 0),
            // A leading or middle `**`: any number of segments, none included.
            Seg::DoubleStar => {
                if reach == 0 {
                    return Some(false);
                }
                reach = any & !((1u128 << reach.trailing_zeros()) - 1);
            }
            Seg::Glob(toks) => {
                if toks.iter().any(|t| matches!(t, Tok::Slash | Tok::Lit('/'))) {
                    return None;
                }
                let mut next = 0u128;
                for (p, part) in path.split('/').enumerate() {
                    if reach & (1 << p) != 0 && glob(toks, part) {
                        next |= 1 << (p + 1);
                    }
                }
                reach = next;
                if reach == 0 {
                    return Some(false);
                }
            }
        }
    }
    // The last segment is a glob. A lone `*` names one segment; anything else also owns
    // everything under what it names.
    Some(match segs.last() {
        Some(Seg::Glob(toks)) if toks.as_slice() == [Tok::Star] => reach & (1 << n) != 0,
        _ => reach != 0,
    })
}

/// Whether the tokens of one glob segment match all of `s` (a path segment: no `/`).
/// `*` is any run of characters, `?` one character, anything else itself. The classic
/// backtrack to the last `*` keeps it linear in practice and never exponential.
fn glob(toks: &[Tok], s: &str) -> bool {
    let (mut t, mut i) = (0usize, 0usize);
    // After a mismatch: the token after the last `*`, and where in `s` that `*` stops now.
    let mut star: Option<(usize, usize)> = None;
    loop {
        let rest = s.get(i..).unwrap_or_default();
        let step = match toks.get(t) {
            Some(Tok::Star) => {
                star = Some((t + 1, i));
                t += 1;
                continue;
            }
            Some(Tok::Any) => rest.chars().next().map(char::len_utf8),
            Some(Tok::Lit(c)) => rest.starts_with(*c).then(|| c.len_utf8()),
            Some(Tok::Slash) => None,
            None if rest.is_empty() => return true,
            None => None,
        };
        if let Some(len) = step {
            i += len;
            t += 1;
            continue;
        }
        // Mismatch: let the last `*` take one more character, or fail.
        let Some((after, from)) = star else {
            return false;
        };
        let Some(c) = s.get(from..).and_then(|r| r.chars().next()) else {
            return false;
        };
        star = Some((after, from + c.len_utf8()));
        t = after;
        i = from + c.len_utf8();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        s.chars()
            .map(|c| match c {
                '*' => Tok::Star,
                '?' => Tok::Any,
                c => Tok::Lit(c),
            })
            .collect()
    }

    #[test]
    fn glob_matches_stars_and_question_marks_by_character() {
        assert!(glob(&toks("*.js"), "a.js"));
        assert!(glob(&toks("*.js"), ".js"));
        assert!(!glob(&toks("*.js"), "a.jsx"));
        assert!(glob(&toks("a*b*c"), "aXbYbZc"));
        assert!(!glob(&toks("a*b*c"), "aXbYbZ"));
        assert!(glob(&toks("?"), "é"));
        assert!(!glob(&toks("?"), "ab"));
        assert!(glob(&toks("**.swift"), "x.swift"));
        assert!(glob(&toks("*"), ""));
    }

    #[test]
    fn paths_the_walk_does_not_decide_go_to_the_regex() {
        let segs = [Seg::Glob(toks("a"))];
        assert_eq!(matches(&segs, false, "x/a"), Some(true));
        for odd in ["", "/a", "a/", "x//a", "x\n/a"] {
            assert_eq!(matches(&segs, false, odd), None, "{odd:?}");
        }
    }
}
