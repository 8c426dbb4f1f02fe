//! Review line comments for new findings inside the diff: at most 30 per review, each with a
//! fingerprint marker so a rerun does not post it again. Pure logic.

use serde::Serialize;

use crate::finding::{Finding, Status};

/// reviewdog's cap: more line comments in one review trip GitHub's secondary limits.
pub const MAX_COMMENTS: usize = 30;

/// One line comment, as `POST /repos/{o}/{r}/pulls/{n}/reviews` takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineComment {
    pub path: String,
    pub line: u32,
    pub side: &'static str,
    pub body: String,
}

fn marker(fingerprint: &str) -> String {
    format!("<!-- plancheck:fp={fingerprint} -->")
}

/// The fingerprints already posted, read from existing review comment bodies.
pub fn posted(bodies: &[String]) -> Vec<String> {
    bodies
        .iter()
        .filter_map(|b| {
            let start = b.find("<!-- plancheck:fp=")? + "<!-- plancheck:fp=".len();
            let end = b[start..].find(" -->")?;
            Some(b[start..start + end].to_string())
        })
        .collect()
}

/// The comments to post (new findings the diff shows, not posted before, errors first), and
/// how many did not fit (they stay in the sticky comment). Only findings marked `in_diff`
/// are candidates: GitHub rejects a whole review if one comment is outside the diff.
pub fn select(findings: &[Finding], already: &[String]) -> (Vec<LineComment>, usize) {
    let mut candidates: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.status == Some(Status::New) && f.in_diff == Some(true))
        .filter(|f| !already.contains(&f.fingerprint))
        .collect();
    candidates.sort_by_key(|f| (f.severity, f.location.path.clone(), f.location.line));
    let overflow = candidates.len().saturating_sub(MAX_COMMENTS);
    let comments = candidates
        .into_iter()
        .take(MAX_COMMENTS)
        .map(|f| {
            let help = f
                .help
                .as_deref()
                .map(|h| format!("\n\n{h}"))
                .unwrap_or_default();
            LineComment {
                path: f.location.path.clone(),
                line: f.location.line.max(1),
                side: "RIGHT",
                body: format!(
                    "**{} `{}`**: {}{help}\n\n{}",
                    f.severity.as_str(),
                    f.rule,
                    // Plan values in the message must not mention people or inject HTML.
                    crate::report::markdown::cell(&f.message),
                    marker(&f.fingerprint)
                ),
            }
        })
        .collect();
    (comments, overflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Location, Severity};

    fn finding(n: u32, sev: Severity, status: Status, in_diff: bool) -> Finding {
        let mut f = Finding::new(
            "threat-owner",
            sev,
            format!("threat T{n} has no owner"),
            Location {
                path: "p.yaml".into(),
                line: n,
                column: 1,
            },
            format!("plan.threats[T{n}]"),
        );
        f.status = Some(status);
        f.in_diff = Some(in_diff);
        f
    }

    #[test]
    fn only_new_findings_inside_the_diff_become_line_comments() {
        let fs = vec![
            finding(1, Severity::Error, Status::New, true),
            finding(2, Severity::Error, Status::New, false),
            finding(3, Severity::Error, Status::Existing, true),
        ];
        let (comments, overflow) = select(&fs, &[]);
        assert_eq!(comments.len(), 1);
        assert_eq!(comments[0].line, 1);
        assert_eq!(overflow, 0);
    }

    #[test]
    fn reruns_skip_posted_fingerprints_and_the_cap_holds() {
        let fs: Vec<Finding> = (1..=40)
            .map(|n| {
                finding(
                    n,
                    if n % 2 == 0 {
                        Severity::Error
                    } else {
                        Severity::Warning
                    },
                    Status::New,
                    true,
                )
            })
            .collect();
        let (first, overflow) = select(&fs, &[]);
        assert_eq!(first.len(), MAX_COMMENTS);
        assert_eq!(overflow, 10);
        assert!(
            first[..20].iter().all(|c| c.body.starts_with("**error")),
            "errors first"
        );
        let bodies: Vec<String> = first.iter().map(|c| c.body.clone()).collect();
        let already = posted(&bodies);
        assert_eq!(already.len(), MAX_COMMENTS);
        let (second, overflow) = select(&fs, &already);
        assert_eq!(second.len(), 10, "only the ones not posted yet");
        assert_eq!(overflow, 0);
    }
}
