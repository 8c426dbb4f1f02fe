//! Lines and columns as each reader counts them: a plan file's lines end at `\r\n`, `\n` or a
//! lone `\r` (YAML's line breaks, so the parser's line numbers), plancheck's columns count
//! characters, SARIF's count UTF-16 code units, and URIs are percent-encoded.

use std::collections::HashMap;

/// The lines of `text`, split at `\r\n`, `\n` and a lone `\r`, without their breaks.
pub(crate) fn split_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                lines.push(&text[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// The source files of a report split into lines once, for many lookups.
#[derive(Default)]
pub(crate) struct Lines<'a> {
    split: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Lines<'a> {
    /// The text of 1-based `line` of `path`, if the file's text is at hand.
    pub(crate) fn get(
        &mut self,
        sources: &HashMap<&'a str, &'a str>,
        path: &str,
        line: u32,
    ) -> Option<&'a str> {
        let (path, text) = sources.get_key_value(path)?;
        let index = (line as usize).checked_sub(1)?;
        self.split
            .entry(*path)
            .or_insert_with(|| split_lines(text))
            .get(index)
            .copied()
    }
}

/// SARIF's `startColumn` (UTF-16 code units, 1-based) of 1-based character `column` in `row`.
/// Without the line's text, the character column is the best there is.
pub(crate) fn utf16_column(row: Option<&str>, column: u32) -> u32 {
    let column = column.max(1);
    let Some(row) = row else {
        return column;
    };
    let chars = (column - 1) as usize;
    let units: usize = row.chars().take(chars).map(char::len_utf16).sum();
    // A column past the end of the line (an end-of-line position) keeps its extra characters.
    let beyond = chars.saturating_sub(row.chars().count());
    u32::try_from(units + beyond + 1).unwrap_or(u32::MAX)
}

/// A repository path as a relative URI reference: each segment percent-encoded (spaces, `#`,
/// `%`, non-ASCII as UTF-8 bytes), the `/` separators kept.
pub(crate) fn uri(path: &str) -> String {
    path.split('/')
        .map(super::percent_encode)
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_crlf_lf_and_a_lone_cr() {
        assert_eq!(split_lines("a\r\nb\rc\nd"), vec!["a", "b", "c", "d"]);
        assert_eq!(split_lines("a\r\r\nb\n"), vec!["a", "", "b"]);
        assert_eq!(split_lines(""), Vec::<&str>::new());
    }

    #[test]
    fn sarif_columns_count_utf16_code_units() {
        // '🔥' is one character but two UTF-16 code units; 'é' is one of each.
        let row = "title: 🔥é owner: x";
        assert_eq!(utf16_column(Some(row), 8), 8);
        assert_eq!(utf16_column(Some(row), 9), 10);
        assert_eq!(utf16_column(Some(row), 10), 11);
        assert_eq!(utf16_column(Some("ab"), 4), 4);
        assert_eq!(utf16_column(None, 9), 9);
    }

    #[test]
    fn uris_encode_spaces_hashes_and_non_ascii_per_segment() {
        assert_eq!(
            uri("incident response/équipe #1/plan.yaml"),
            "incident%20response/%C3%A9quipe%20%231/plan.yaml"
        );
        assert_eq!(uri("a/b_c-d.e~f/100%.yaml"), "a/b_c-d.e~f/100%25.yaml");
    }
}
