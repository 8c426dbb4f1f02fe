//! Plain-words help for YAML and JSON syntax errors, and the place they are really at.
//!
//! The parsers' messages name their grammar ("while parsing a block mapping, did not find
//! expected key"); a user needs to know what to type. Each common message maps to a help
//! line; anything else gets a generic one.

use super::node::Pos;

/// The help for a yaml-rust2 error message.
pub fn yaml_help(message: &str) -> &'static str {
    const TABS: &str = "indent with spaces, not tabs: YAML does not allow a tab in indentation";
    let table: &[(&str, &str)] = &[
        ("tab", TABS),
        (
            "did not find expected '-' indicator",
            "a list item here needs `- `: every item of a list starts with a dash, lined up with the others",
        ),
        (
            "block sequence entries are not allowed",
            "a list item (`- `) must start its own line, indented under its key: `contacts:` then `  - id: alice`",
        ),
        (
            "mapping values are not allowed",
            "a second `: ` on this line: quote a value that contains `: ` (title: \"Outage: EU\"), or indent this line like the keys above it",
        ),
        (
            "did not find expected key",
            "this line is not lined up with the keys above it: indent keys of one mapping by the same number of spaces, and start a list item with `- `",
        ),
        (
            "simple key expect",
            "a key needs `: ` after it (`owner: erin`)",
        ),
        (
            "could not find expected ':'",
            "a key needs `: ` after it (`owner: erin`)",
        ),
        (
            "did not find expected ',' or '}'",
            "an inline mapping `{…}` separates its entries with `, ` and ends with `}`",
        ),
        (
            "expected ',' or ']'",
            "an inline list `[…]` separates its items with `, ` and ends with `]`",
        ),
        (
            "found unexpected end of stream",
            "a quoted string is not closed: add the closing quote",
        ),
        (
            "found unexpected document indicator",
            "a quoted string is not closed before the next `---`: add the closing quote",
        ),
        (
            "unknown escape character",
            "inside double quotes a backslash starts an escape: write `\\\\` for a backslash, or use single quotes",
        ),
        (
            "unknown anchor",
            "`*name` repeats a value marked `&name` earlier in the same document; define the anchor first or write the value out",
        ),
        (
            "duplicated anchor",
            "each `&name` anchor may be defined once per document: rename one of them",
        ),
        (
            "did not find expected node content",
            "a value is missing here, or starts with a character YAML reserves (`@`, a backquote, `%`, `|`, `>`): quote it",
        ),
        (
            "unexpected character",
            "a value starts with a character YAML reserves (`@`, a backquote, `%`): quote it",
        ),
        (
            "invalid indentation",
            "line this up with the other keys of the same level, using spaces",
        ),
        (
            "comments must be separated",
            "put a space before `#`, or quote a value that contains `#`",
        ),
        (
            "did not find expected <document start>",
            "a file holds one mapping per document: start another document with `---`, or indent this line under a key",
        ),
    ];
    table
        .iter()
        .find(|(needle, _)| message.contains(needle))
        .map_or(
            "check the caret and the line above it: indentation with spaces, a missing `- ` or `: `, an unclosed quote or bracket",
            |(_, help)| help,
        )
}

/// The help for a serde_json error message (its text without the position).
pub fn json_help(message: &str) -> &'static str {
    let table: &[(&str, &str)] = &[
        (
            "trailing comma",
            "JSON allows no comma after the last item of an object or array: remove it",
        ),
        (
            "expected `,` or `}`",
            "a comma is missing between two members of this object (or a `}` to close it)",
        ),
        (
            "expected `,` or `]`",
            "a comma is missing between two items of this array (or a `]` to close it)",
        ),
        (
            "key must be a string",
            "JSON keys are double-quoted strings: \"owner\": \"erin\"",
        ),
        (
            "expected `:`",
            "a key is followed by `:` and its value",
        ),
        (
            "EOF while parsing",
            "the file ends before every `{`, `[` and string is closed",
        ),
        (
            "expected value",
            "a value is missing here, or it is not JSON: strings take double quotes, and JSON has no comments",
        ),
        (
            "expected ident",
            "JSON's literals are true, false and null, in lower case; quote anything else",
        ),
        (
            "control character",
            "a JSON string cannot hold a raw line break or tab: write \\n or \\t",
        ),
        (
            "invalid escape",
            "inside a JSON string a backslash starts an escape: write \\\\ for a backslash",
        ),
        (
            "trailing characters",
            "a JSON file holds one value: remove what follows the closing bracket",
        ),
        (
            "recursion limit",
            "the document nests too deeply; a plan nests about six levels",
        ),
    ];
    table
        .iter()
        .find(|(needle, _)| message.contains(needle))
        .map_or(
            "check the JSON at the caret: every string double-quoted, commas between items, brackets closed",
            |(_, help)| help,
        )
}

/// The help for a serde_json error, looking at the text around it: `expected value` just
/// after a comma and before a closing bracket is a trailing comma.
pub fn json_help_at(message: &str, line: Option<&str>, column: u32) -> &'static str {
    if message.contains("expected value") {
        if let Some(line) = line {
            let chars: Vec<char> = line.chars().collect();
            let at = column.saturating_sub(1) as usize;
            let closing = matches!(chars.get(at), Some(']' | '}'));
            let after_comma = chars[..at.min(chars.len())]
                .iter()
                .rev()
                .find(|c| !c.is_whitespace())
                == Some(&',');
            if closing && after_comma {
                return json_help("trailing comma");
            }
        }
    }
    json_help(message)
}

/// Where a YAML error really is. yaml-rust2 reports a tab used for indentation at the end of
/// the line before it; the tab's own line and column are what the user must fix.
pub fn yaml_pos(text: &str, pos: Pos, message: &str) -> Pos {
    let lines: Vec<&str> = text.split('\n').collect();
    let at = pos.line.max(1) as usize - 1;
    // The reported line and the two after it: the first with a tab in its indentation.
    for (i, line) in lines.iter().enumerate().skip(at).take(3) {
        let indent: &str = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        if let Some(col) = indent.find('\t') {
            // Only when the tab explains the error: a tab message, or the error sits at the
            // end of the line just before the tab's line.
            let end_of_previous =
                i > at || line_is_blank_after(lines.get(at).copied().unwrap_or(""), pos.column);
            if message.contains("tab") || end_of_previous {
                return Pos {
                    line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    column: u32::try_from(indent[..col].chars().count() + 1).unwrap_or(u32::MAX),
                };
            }
        }
    }
    pos
}

/// Whether nothing but blanks or a comment follows 1-based character column `column`.
fn line_is_blank_after(line: &str, column: u32) -> bool {
    let rest: String = line
        .chars()
        .skip(column.saturating_sub(1) as usize)
        .collect();
    let rest = rest.trim();
    rest.is_empty() || rest.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tab_in_indentation_is_placed_on_its_own_line() {
        let text = "threats:\n\t- id: T1\n";
        let p = yaml_pos(
            text,
            Pos { line: 1, column: 9 },
            "mapping values are not allowed",
        );
        assert_eq!(p, Pos { line: 2, column: 1 });
        let text = "threats:\n  -\tid: T1\n";
        let p = Pos { line: 2, column: 5 };
        assert_eq!(yaml_pos(text, p, "mapping values are not allowed"), p);
    }

    #[test]
    fn a_comma_before_a_closing_bracket_is_a_trailing_comma() {
        let line = "  \"threats\": [{\"id\": \"THR-1\"},]";
        let col = u32::try_from(line.find(",]").expect("comma") + 2).expect("small");
        assert!(json_help_at("expected value", Some(line), col)
            .contains("no comma after the last item"));
        assert!(
            json_help_at("expected value", Some("  \"a\": ,"), 8).starts_with("a value is missing")
        );
    }

    #[test]
    fn unknown_messages_get_the_generic_help() {
        assert!(yaml_help("something new").starts_with("check the caret"));
        assert!(json_help("something new").starts_with("check the JSON"));
        assert_eq!(
            yaml_help("while parsing a block collection, did not find expected '-' indicator"),
            "a list item here needs `- `: every item of a list starts with a dash, lined up with the others"
        );
    }
}
