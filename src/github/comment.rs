//! The sticky pull-request comment: its hidden marker, its body, and what to do with the
//! comments already on the pull request. Pure logic; the API calls live apart.

use std::fmt::Write as _;

/// GitHub rejects comment bodies longer than this (422 "Body is too long").
pub use crate::report::markdown::MAX_COMMENT_CHARS as MAX_BODY;

/// The hidden marker: which tool, which configuration (several plancheck jobs may comment on
/// one pull request), and the head commit the comment was written for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub config: String,
    pub sha: String,
}

impl Marker {
    pub fn render(&self) -> String {
        format!(
            "<!-- plancheck:v1 config={} sha={} -->",
            self.config, self.sha
        )
    }

    /// The marker in a comment body, if the comment is one of ours.
    pub fn find(body: &str) -> Option<Marker> {
        let start = body.find("<!-- plancheck:v1 ")?;
        let rest = &body[start + "<!-- plancheck:v1 ".len()..];
        let end = rest.find(" -->")?;
        let mut config = None;
        let mut sha = None;
        for part in rest[..end].split(' ') {
            match part.split_once('=') {
                Some(("config", v)) => config = Some(v.to_string()),
                Some(("sha", v)) => sha = Some(v.to_string()),
                _ => {}
            }
        }
        Some(Marker {
            config: config?,
            sha: sha?,
        })
    }
}

/// The comment body: the marker, then the report, within GitHub's limit.
pub fn body(marker: &Marker, report_markdown: &str) -> String {
    let mut out = marker.render();
    out.push('\n');
    out.push_str(report_markdown);
    if out.chars().count() > MAX_BODY {
        // The report is rendered to fit (markdown::render_within); this only guards the
        // marker's few extra characters.
        out = out.chars().take(MAX_BODY).collect();
    }
    out
}

/// A comment already on the pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub id: u64,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Create,
    Update(u64),
    /// Nothing to write, and why.
    Skip(String),
}

/// What to do with the sticky comment, and which duplicates of ours (left by a race) to
/// delete, oldest kept. Comments without our marker, or for another configuration, are
/// never touched. `newer_than_ours(sha)` says whether a comment's head commit is a
/// descendant of ours: a run for an older head must not overwrite it.
pub fn plan(
    existing: &[Existing],
    ours: &Marker,
    body: &str,
    newer_than_ours: impl Fn(&str) -> bool,
) -> (Action, Vec<u64>) {
    let mut mine: Vec<(&Existing, Marker)> = existing
        .iter()
        .filter_map(|c| Marker::find(&c.body).map(|m| (c, m)))
        .filter(|(_, m)| m.config == ours.config)
        .collect();
    mine.sort_by_key(|(c, _)| c.id);
    let duplicates: Vec<u64> = mine.iter().skip(1).map(|(c, _)| c.id).collect();
    let action = match mine.first() {
        None => Action::Create,
        Some((c, m)) if m.sha != ours.sha && newer_than_ours(&m.sha) => Action::Skip(format!(
            "comment {} was written for {}, a newer head than {}",
            c.id, m.sha, ours.sha
        )),
        Some((c, _)) if c.body == body => Action::Skip(format!("comment {} is up to date", c.id)),
        Some((c, _)) => Action::Update(c.id),
    };
    (action, duplicates)
}

/// A short description of a plan, for the log.
pub fn describe(action: &Action, duplicates: &[u64]) -> String {
    let mut s = match action {
        Action::Create => "creating the plancheck comment".to_string(),
        Action::Update(id) => format!("updating the plancheck comment {id}"),
        Action::Skip(why) => format!("not writing the plancheck comment: {why}"),
    };
    if !duplicates.is_empty() {
        let ids: Vec<String> = duplicates.iter().map(u64::to_string).collect();
        let _ = write!(s, "; deleting duplicates {}", ids.join(", "));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(sha: &str) -> Marker {
        Marker {
            config: "default".into(),
            sha: sha.into(),
        }
    }

    fn comment(id: u64, sha: &str, text: &str) -> Existing {
        Existing {
            id,
            body: body(&ours(sha), text),
        }
    }

    #[test]
    fn markers_round_trip_and_foreign_comments_have_none() {
        let m = ours("abc123");
        assert_eq!(Marker::find(&format!("{}\nreport", m.render())), Some(m));
        assert_eq!(Marker::find("LGTM <!-- sticky -->"), None);
        assert_eq!(Marker::find("<!-- plancheck:v1 config=x -->"), None);
    }

    #[test]
    fn no_comment_yet_means_create() {
        let others = vec![Existing {
            id: 1,
            body: "LGTM".into(),
        }];
        let (action, dups) = plan(&others, &ours("b"), &body(&ours("b"), "r"), |_| false);
        assert_eq!(action, Action::Create);
        assert!(dups.is_empty());
    }

    #[test]
    fn a_changed_report_updates_the_oldest_and_duplicates_go() {
        let existing = vec![
            comment(7, "a", "old"),
            comment(9, "a", "old"),
            comment(3, "a", "old"),
        ];
        let new = body(&ours("b"), "new");
        let (action, dups) = plan(&existing, &ours("b"), &new, |_| false);
        assert_eq!(action, Action::Update(3));
        assert_eq!(dups, vec![7, 9]);
    }

    #[test]
    fn an_unchanged_report_is_not_rewritten() {
        let existing = vec![comment(3, "b", "same")];
        let (action, _) = plan(&existing, &ours("b"), &body(&ours("b"), "same"), |_| false);
        assert!(
            matches!(action, Action::Skip(ref w) if w.contains("up to date")),
            "{action:?}"
        );
    }

    #[test]
    fn a_run_for_an_older_head_does_not_overwrite_a_newer_comment() {
        let existing = vec![comment(3, "newer", "report for newer")];
        let (action, _) = plan(
            &existing,
            &ours("older"),
            &body(&ours("older"), "x"),
            |sha| sha == "newer",
        );
        assert!(
            matches!(action, Action::Skip(ref w) if w.contains("newer head")),
            "{action:?}"
        );
    }

    #[test]
    fn another_configurations_comment_is_left_alone() {
        let theirs = Marker {
            config: "staging".into(),
            sha: "b".into(),
        };
        let existing = vec![Existing {
            id: 2,
            body: body(&theirs, "x"),
        }];
        let (action, dups) = plan(&existing, &ours("b"), &body(&ours("b"), "x"), |_| false);
        assert_eq!(action, Action::Create);
        assert!(dups.is_empty());
    }
}
