//! The CODEOWNERS matcher: a pattern and a path from the input (split at the first newline).
//! The literal-segment shortcut agrees with the full regex, the index never loses a match,
//! and a pattern without wildcards owns the path it spells and everything under it.
#![no_main]

use plancheck::codeowners::{Pattern, PatternIndex};

fn plain(pattern: &str) -> bool {
    !pattern.is_empty()
        && pattern
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'))
        && !pattern.trim_matches('/').is_empty()
        && !pattern.contains("//")
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (pattern, path) = text.split_once('\n').unwrap_or((text, ""));
    let Ok(p) = Pattern::new(pattern) else { return };
    assert_eq!(p.as_str(), pattern);
    let full = regex::bytes::Regex::new(p.regex_str()).expect("a compiled pattern recompiles");
    for path in [path, path.trim_start_matches('/')] {
        let m = p.matches(path);
        assert_eq!(
            m,
            full.is_match(path.as_bytes()),
            "the literal shortcut changes the answer for {pattern:?} on {path:?}"
        );
        if m {
            let index = PatternIndex::new([&p]);
            assert_eq!(
                index.candidates(path),
                [0],
                "the index loses {pattern:?} for {path:?}"
            );
        }
    }
    if plain(pattern) {
        let spelled = pattern.trim_matches('/');
        let dir = pattern.ends_with('/');
        assert_eq!(
            p.matches(spelled),
            !dir,
            "{pattern:?} on the path it spells"
        );
        assert!(
            p.matches(&format!("{spelled}/x")),
            "{pattern:?} on what is under it"
        );
        let anchored = pattern.starts_with('/') || spelled.contains('/');
        if !anchored {
            assert!(
                p.matches(&format!("a/b/{spelled}/x")),
                "{pattern:?} at any depth"
            );
        }
    }
});
