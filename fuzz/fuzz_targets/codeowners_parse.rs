//! The CODEOWNERS parser: any bytes as the file. Every rule and error points at its line and
//! column, owners are where their columns say, and the index that speeds up lookups answers
//! exactly like trying every rule in order.
#![no_main]

mod common;

use plancheck::codeowners::Codeowners;

/// Paths a pattern is about: its text with wildcards filled in, and something under it.
fn paths_for(pattern: &str, out: &mut Vec<String>) {
    let filled: String = pattern
        .trim_matches('/')
        .replace("**", "x")
        .replace('*', "x")
        .replace('?', "q")
        .replace('\\', "");
    out.push(format!("{filled}/f"));
    out.push(format!("d/{filled}"));
    out.push(filled);
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let co = Codeowners::parse_bytes(data);
    let text = String::from_utf8_lossy(data);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut last = 0;
    for r in &co.rules {
        assert!(r.line > last, "rules out of order");
        last = r.line;
        let line = lines[r.line as usize - 1];
        assert_eq!(r.owners.len(), r.owner_columns.len());
        let pattern_at = line
            .find(r.pattern.as_str())
            .expect("the pattern is on its line");
        assert!(
            line[..pattern_at].chars().all(char::is_whitespace),
            "{line:?}"
        );
        for (owner, col) in r.owners.iter().zip(&r.owner_columns) {
            let at: String = line.chars().skip(*col as usize - 1).collect();
            assert!(
                at.starts_with(owner.as_str()),
                "owner {owner:?} not at column {col} of {line:?}"
            );
            assert!(!owner.is_empty());
        }
        assert_eq!(r.matcher().as_str(), r.pattern);
    }
    for e in &co.errors {
        assert!(e.line >= 1 && (e.line as usize) <= lines.len(), "{e:?}");
        let chars = lines[e.line as usize - 1].chars().count();
        assert!(
            e.column >= 1 && e.column as usize <= chars + 1,
            "{e:?} on a {chars}-char line"
        );
        assert!(e.message.contains(&format!("line {}", e.line)), "{e:?}");
    }
    let mut paths = vec!["a".to_string(), "README.md".into(), "src/main.rs".into()];
    for r in co.rules.iter().take(32) {
        paths_for(&r.pattern, &mut paths);
    }
    for p in &paths {
        let linear = co.rules.iter().rev().find(|r| r.matches(p)).map(|r| r.line);
        assert_eq!(
            co.owner_of(p).map(|r| r.line),
            linear,
            "the index and the rules disagree on {p:?}"
        );
    }
    let _ = common::line_count(text);
});
