//! Where each line of a file starts, computed once per file: placing many findings in one
//! big file looks each line up directly instead of scanning the text again for every one.

use std::collections::HashMap;

/// The byte offset of every line of a text, as `str::lines` counts lines.
#[derive(Debug, Clone, Default)]
pub struct LineStarts(Vec<usize>);

impl LineStarts {
    pub fn of(text: &str) -> LineStarts {
        let mut starts = Vec::new();
        if !text.is_empty() {
            starts.push(0);
        }
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(i, b)| *b == b'\n' && i + 1 < text.len())
                .map(|(i, _)| i + 1),
        );
        LineStarts(starts)
    }

    /// Line `line` (1-based) of `text`, without its line ending: `text.lines().nth(line - 1)`.
    pub fn line<'t>(&self, text: &'t str, line: u32) -> Option<&'t str> {
        let i = usize::try_from(line.checked_sub(1)?).ok()?;
        let start = *self.0.get(i)?;
        let rest = text.get(start..)?;
        Some(match rest.find('\n') {
            Some(end) => rest[..end].strip_suffix('\r').unwrap_or(&rest[..end]),
            None => rest,
        })
    }
}

/// Line starts of several files, each computed the first time one of its lines is asked for.
#[derive(Debug, Default)]
pub struct FileLines(HashMap<usize, LineStarts>);

impl FileLines {
    /// Line `line` (1-based) of file number `file`, whose text is `text`.
    pub fn line<'t>(&mut self, file: usize, text: &'t str, line: u32) -> Option<&'t str> {
        self.0
            .entry(file)
            .or_insert_with(|| LineStarts::of(text))
            .line(text, line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_those_str_lines_gives() {
        for text in [
            "",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\n\n",
            "x\n\ny\n",
            "a\rb\n",
            "é\u{3000}\nz",
        ] {
            let starts = LineStarts::of(text);
            let ours: Vec<Option<&str>> = (1..=6).map(|n| starts.line(text, n)).collect();
            let std: Vec<Option<&str>> = (0..6).map(|n| text.lines().nth(n)).collect();
            assert_eq!(ours, std, "{text:?}");
            assert_eq!(starts.line(text, 0), None);
        }
    }
}
