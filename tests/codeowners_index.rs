//! The fast CODEOWNERS matcher against the straightforward one, on generated patterns and
//! paths: the segment walk against each pattern's regex (`Pattern::matches_by_regex`), and
//! the indexed last-match lookup (`Codeowners::owner_of`) against trying every line from the
//! last one with that regex. They must agree exactly, owners and line.

use plancheck::codeowners::{Codeowners, Pattern};

#[path = "shared/rng.rs"]
mod rng;
use rng::Rng;

/// Pieces of patterns: the names paths use, wildcards, `**`, escapes (an escaped `/` too),
/// extensions and multi-byte characters, so every kind of index key and every shape of
/// segment shows up.
const PATTERN_PIECES: &[&str] = &[
    "a", "b", "ab", "x", ".", ".js", ".md", "*", "*", "?", "**", "/", "/", "/", "\\*", "\\/", "é",
    "日", "-",
];

/// Segments of paths. The odd paths (empty, a leading or doubled `/`, a line feed) are made
/// separately below.
const PATH_PARTS: &[&str] = &[
    "a", "b", "ab", "x", "a.js", "b.md", ".js", "x.md", "é", "日.js", "*", "a-b", "ab.js.md",
];

fn pattern(rng: &mut Rng) -> String {
    (0..1 + rng.below(7))
        .map(|_| *rng.pick(PATTERN_PIECES))
        .collect()
}

fn path(rng: &mut Rng) -> String {
    let mut p: String = (0..1 + rng.below(5))
        .map(|_| *rng.pick(PATH_PARTS))
        .collect::<Vec<_>>()
        .join("/");
    match rng.below(40) {
        0 => p.insert(0, '/'),
        1 => p.push('/'),
        2 => p = p.replacen('/', "//", 1),
        3 => p.push('\n'),
        4 => p.clear(),
        _ => {}
    }
    p
}

#[test]
fn segment_matching_agrees_with_the_regex_of_every_generated_pattern() {
    let mut rng = Rng(19);
    let (mut compared, mut matched, mut patterns) = (0, 0, 0);
    for _ in 0..6000 {
        let text = pattern(&mut rng);
        let Ok(p) = Pattern::new(&text) else {
            continue;
        };
        patterns += 1;
        for _ in 0..30 {
            let path = path(&mut rng);
            let fast = p.matches(&path);
            assert_eq!(
                fast,
                p.matches_by_regex(&path),
                "pattern {text:?} (regex {}) on path {path:?}",
                p.regex_str()
            );
            compared += 1;
            matched += usize::from(fast);
        }
    }
    // Both outcomes, many times, or the comparison proves little.
    assert!(patterns > 3000, "{patterns} valid patterns");
    assert!(
        matched > 5_000 && compared - matched > 5_000,
        "{compared} compared, {matched} matched"
    );
}

#[test]
fn indexed_last_match_agrees_with_trying_every_line_in_reverse() {
    let mut rng = Rng(2026);
    let (mut compared, mut owned) = (0, 0);
    for _ in 0..400 {
        let lines = 1 + rng.below(80);
        let text: String = (0..lines)
            .map(|i| {
                let owner = if rng.below(8) == 0 {
                    String::new()
                } else {
                    format!(" @team-{i}")
                };
                format!("{}{owner}\n", pattern(&mut rng))
            })
            .collect();
        let co = Codeowners::parse(&text);
        for _ in 0..60 {
            let path = path(&mut rng);
            let naive = co
                .rules
                .iter()
                .rev()
                .find(|r| r.matcher().matches_by_regex(&path));
            let indexed = co.owner_of(&path);
            assert_eq!(
                indexed.map(|r| (r.line, &r.owners)),
                naive.map(|r| (r.line, &r.owners)),
                "path {path:?} under\n{text}"
            );
            compared += 1;
            owned += usize::from(naive.is_some());
        }
    }
    assert!(
        owned > 2_000 && compared - owned > 2_000,
        "{compared} compared, {owned} owned"
    );
}

#[test]
fn a_large_codeowners_is_read_without_compiling_every_line() {
    // 70,000 lines of globs, under GitHub's 3 MB limit: reading it must not build a regex
    // per line (that took seconds and hundreds of MB even to answer for one path).
    let mut text = String::from("* @org/all\n");
    for i in 0..70_000 {
        text.push_str(&format!("/services/svc-{i}/**/*.proto @org/t{}\n", i % 50));
    }
    assert!(text.len() < plancheck::codeowners::MAX_BYTES);
    let co = Codeowners::parse(&text);
    assert_eq!(co.rules.len(), 70_001);
    assert_eq!(co.owners("services/svc-69999/api/v1/x.proto"), ["@org/t49"]);
    assert_eq!(co.owners("services/svc-5/x.go"), ["@org/all"]);
    assert_eq!(co.owners("services/svc-5/a/b/c.proto"), ["@org/t5"]);
    let compiled = co
        .rules
        .iter()
        .filter(|r| r.matcher().regex_compiled())
        .count();
    assert_eq!(compiled, 0, "regexes built for ordinary paths");
    // An odd path (a line feed in a name) is left to the regex of the lines it may match.
    assert_eq!(co.owners("services/svc-5/a\nb.proto"), ["@org/t5"]);
    let compiled = co
        .rules
        .iter()
        .filter(|r| r.matcher().regex_compiled())
        .count();
    assert!(compiled <= 2, "{compiled} regexes built for one path");
}
