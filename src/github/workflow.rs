//! The files GitHub Actions gives a step: `GITHUB_OUTPUT` (step outputs) and
//! `GITHUB_STEP_SUMMARY` (the job summary, 1 MiB at most).

use std::path::Path;

use anyhow::Result;

/// GitHub refuses a job summary larger than this.
pub const MAX_SUMMARY: usize = 1024 * 1024;

/// `name=value` lines for `GITHUB_OUTPUT`; a value with a newline uses the heredoc form with
/// a delimiter that does not occur in it.
pub fn outputs(pairs: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if value.contains('\n') || value.contains('\r') {
            let mut delimiter = "PLANCHECK_EOF".to_string();
            while value.contains(&delimiter) {
                delimiter.push('_');
            }
            out.push_str(&format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"));
        } else {
            out.push_str(&format!("{name}={value}\n"));
        }
    }
    out
}

/// The job summary, cut at a line boundary to fit GitHub's limit, with a note when cut.
pub fn summary(markdown: &str) -> String {
    if markdown.len() <= MAX_SUMMARY {
        return markdown.to_string();
    }
    let note = "\n\n… the report was cut to fit GitHub's 1 MiB job-summary limit; run `plancheck check --format json` for all of it.\n";
    let mut end = MAX_SUMMARY - note.len();
    while !markdown.is_char_boundary(end) {
        end -= 1;
    }
    let end = markdown[..end].rfind('\n').unwrap_or(end);
    format!("{}{note}", &markdown[..end])
}

/// Appends to one of the step's files (the runner chose the path; a link there is refused).
pub fn append(path: &Path, text: &str) -> Result<()> {
    crate::safe_write::append(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_outputs_use_a_delimiter_the_value_does_not_contain() {
        let out = outputs(&[
            ("findings", "3".into()),
            ("report", "a\nPLANCHECK_EOF\nb".into()),
        ]);
        assert_eq!(
            out,
            "findings=3\nreport<<PLANCHECK_EOF_\na\nPLANCHECK_EOF\nb\nPLANCHECK_EOF_\n"
        );
    }

    #[test]
    fn an_oversized_summary_is_cut_at_a_line_under_the_limit() {
        let line = "| x | y |\n".repeat(200_000);
        let s = summary(&line);
        assert!(s.len() <= MAX_SUMMARY);
        assert!(s.contains("cut to fit"));
        assert!(s.lines().rev().nth(2).is_some_and(|l| l == "| x | y |"));
        assert_eq!(summary("short\n"), "short\n");
    }
}
