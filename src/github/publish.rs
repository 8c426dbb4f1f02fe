//! Writing to the pull request: the sticky comment and the review, through [`Api`].
//!
//! Writes are serial (GitHub's secondary limits punish bursts), and a write whose answer was
//! lost (5xx, timeout) is checked for before it is ever sent again.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{json, Value};

use super::api::{Api, ApiError};
use super::comment::{self, Action, Existing, Marker};
use super::review::{self, LineComment};
use crate::finding::Finding;

/// Where to write: one pull request of one repository.
pub struct Target<'a> {
    pub api: &'a Api,
    /// `owner/name`.
    pub repo: &'a str,
    pub number: u64,
    /// The login plancheck posts as: only comments by it count as ours. Anyone can write our
    /// markers, so a marker alone proves nothing.
    pub author: String,
}

/// A failed step: what we were doing and GitHub's answer.
#[derive(Debug)]
pub struct Failure {
    pub doing: String,
    pub error: ApiError,
}

impl Target<'_> {
    fn fail(&self, doing: impl Into<String>) -> impl FnOnce(ApiError) -> Failure {
        let doing = doing.into();
        move |error| Failure { doing, error }
    }

    /// Whether a comment (issue or review comment) was written by the identity we post as.
    fn by_us(&self, c: &Value) -> bool {
        c.pointer("/user/login").and_then(Value::as_str) == Some(self.author.as_str())
    }

    /// A comment we wrote: our marker first, and our identity as its author.
    fn ours(&self, c: &Value) -> Option<Existing> {
        let body = c.get("body").and_then(Value::as_str)?;
        if !body.starts_with("<!-- plancheck:v1 ") || !self.by_us(c) {
            return None;
        }
        Some(Existing {
            id: c.get("id").and_then(Value::as_u64)?,
            body: body.to_string(),
        })
    }

    fn our_comments(&self) -> Result<Vec<Existing>, Failure> {
        let all = self
            .api
            .get_all(&format!(
                "/repos/{}/issues/{}/comments",
                self.repo, self.number
            ))
            .map_err(self.fail("listing the pull request's comments"))?;
        Ok(all.iter().filter_map(|c| self.ours(c)).collect())
    }

    /// Creates, updates or leaves the sticky comment, and deletes our duplicates.
    /// Returns what was done, one line per step.
    pub fn sticky(
        &self,
        marker: &Marker,
        body: &str,
        newer_than_ours: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<String>, Failure> {
        let mut log = Vec::new();
        let existing = self.our_comments()?;
        let (action, duplicates) = comment::plan(&existing, marker, body, newer_than_ours);
        log.push(comment::describe(&action, &duplicates));
        match action {
            Action::Skip(_) => {}
            Action::Update(id) => self.update(id, body)?,
            Action::Create => {
                self.create(marker, body, &mut log)?;
                // Another run may have created one at the same time: the oldest wins.
                let again = self.our_comments()?;
                let (action, more) = comment::plan(&again, marker, body, newer_than_ours);
                if !more.is_empty() {
                    log.push(format!(
                        "another run created the comment at the same time: {}",
                        comment::describe(&action, &more)
                    ));
                    if let Action::Update(id) = action {
                        self.update(id, body)?;
                    }
                    self.delete_all(&more, &mut log)?;
                }
            }
        }
        self.delete_all(&duplicates, &mut log)?;
        Ok(log)
    }

    fn update(&self, id: u64, body: &str) -> Result<(), Failure> {
        // PATCH: octocrab's update_comment sends POST, which GitHub answers with 404.
        self.api
            .patch(
                &format!("/repos/{}/issues/comments/{id}", self.repo),
                &json!({ "body": body }),
            )
            .map(|_| ())
            .map_err(self.fail(format!("updating comment {id}")))
    }

    fn create(&self, marker: &Marker, body: &str, log: &mut Vec<String>) -> Result<(), Failure> {
        let path = format!("/repos/{}/issues/{}/comments", self.repo, self.number);
        match self.api.post(&path, &json!({ "body": body })) {
            Ok(_) => Ok(()),
            Err(e) if e.uncertain() => {
                // The comment may exist although the answer was lost: look before resending.
                let there = self
                    .our_comments()?
                    .iter()
                    .any(|c| Marker::find(&c.body).as_ref() == Some(marker));
                if there {
                    log.push(format!(
                        "creating the comment got no clear answer ({e}), but it is there: not posting again"
                    ));
                    return Ok(());
                }
                log.push(format!(
                    "creating the comment got no clear answer ({e}) and it is not there: posting once more"
                ));
                self.api
                    .post(&path, &json!({ "body": body }))
                    .map(|_| ())
                    .map_err(self.fail("creating the plancheck comment"))
            }
            Err(e) => Err(Failure {
                doing: "creating the plancheck comment".into(),
                error: e,
            }),
        }
    }

    fn delete_all(&self, ids: &[u64], log: &mut Vec<String>) -> Result<(), Failure> {
        for id in ids {
            match self
                .api
                .delete(&format!("/repos/{}/issues/comments/{id}", self.repo))
            {
                Ok(()) => log.push(format!("deleted duplicate comment {id}")),
                // Already gone (another run deleted it): nothing to do.
                Err(ApiError::Denied { status: 404, .. }) => {}
                Err(e) => {
                    return Err(Failure {
                        doing: format!("deleting duplicate comment {id}"),
                        error: e,
                    })
                }
            }
        }
        Ok(())
    }

    /// The RIGHT-side lines GitHub's diff of the pull request shows, per file: the only lines
    /// a review comment may be placed on.
    pub fn diff_lines(&self) -> Result<BTreeMap<String, BTreeSet<u32>>, Failure> {
        let files = self
            .api
            .get_all(&format!("/repos/{}/pulls/{}/files", self.repo, self.number))
            .map_err(self.fail("listing the pull request's files"))?;
        Ok(files
            .iter()
            .filter_map(|f| {
                let name = f.get("filename")?.as_str()?.to_string();
                // No `patch` (binary, or too large a diff): no line can take a comment.
                let lines = f
                    .get("patch")
                    .and_then(Value::as_str)
                    .map(right_lines)
                    .unwrap_or_default();
                Some((name, lines))
            })
            .collect())
    }

    /// The fingerprints of the line comments we already posted on the pull request (markers
    /// in anyone else's comments do not count: fingerprints are predictable).
    fn posted_fingerprints(&self) -> Result<Vec<String>, Failure> {
        let bodies: Vec<String> = self
            .api
            .get_all(&format!(
                "/repos/{}/pulls/{}/comments",
                self.repo, self.number
            ))
            .map_err(self.fail("listing the pull request's review comments"))?
            .iter()
            .filter(|c| self.by_us(c))
            .filter_map(|c| c.get("body").and_then(Value::as_str).map(str::to_string))
            .collect();
        Ok(review::posted(&bodies))
    }

    /// Posts one review with line comments for new findings inside the diff that were not
    /// posted before. Returns what was done.
    pub fn review(&self, head_sha: &str, findings: &[Finding]) -> Result<Vec<String>, Failure> {
        let already = self.posted_fingerprints()?;
        let diff = self.diff_lines()?;
        let eligible: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.status == Some(crate::finding::Status::New) && f.in_diff == Some(true))
            .collect();
        let (posted_now, candidates): (Vec<&Finding>, Vec<&Finding>) = eligible
            .into_iter()
            .partition(|f| already.contains(&f.fingerprint));
        // GitHub rejects the whole review over one line outside its diff: those stay in the
        // sticky comment only.
        let placeable: Vec<Finding> = candidates
            .iter()
            .filter(|f| {
                diff.get(&f.location.path)
                    .is_some_and(|lines| lines.contains(&f.location.line.max(1)))
            })
            .map(|f| (*f).clone())
            .collect();
        let outside = candidates.len() - placeable.len();
        let (mut comments, mut overflow) = review::select(&placeable, &already);
        // At most 30 line comments on a pull request's current findings in all: a rerun does
        // not add the ones that did not fit the first time (they are in the sticky comment).
        let budget = review::MAX_COMMENTS.saturating_sub(posted_now.len());
        if comments.len() > budget {
            overflow += comments.len() - budget;
            comments.truncate(budget);
        }
        let mut log = Vec::new();
        if comments.is_empty() {
            log.push(format!(
                "no new line comments ({} posted before{})",
                already.len(),
                if outside > 0 {
                    format!(", {outside} on lines outside GitHub's diff")
                } else {
                    String::new()
                }
            ));
            return Ok(log);
        }
        let review = Review {
            commit_id: head_sha,
            event: "COMMENT",
            body: review_body(comments.len(), overflow + outside),
            comments: &comments,
        };
        let path = format!("/repos/{}/pulls/{}/reviews", self.repo, self.number);
        let value = serde_json::to_value(&review).unwrap_or(Value::Null);
        match self.api.post(&path, &value) {
            Ok(_) => {}
            Err(e) if e.uncertain() => {
                let now = self.posted_fingerprints()?;
                let first = review::posted(&[comments[0].body.clone()]);
                if first.iter().all(|fp| now.contains(fp)) {
                    log.push(format!(
                        "posting the review got no clear answer ({e}), but it is there: not posting again"
                    ));
                } else {
                    log.push(format!(
                        "posting the review got no clear answer ({e}) and it is not there: posting once more"
                    ));
                    self.api
                        .post(&path, &value)
                        .map_err(self.fail("posting the review"))?;
                }
            }
            Err(e) => {
                return Err(Failure {
                    doing: "posting the review".into(),
                    error: e,
                })
            }
        }
        log.push(format!(
            "posted a review with {} line comment{}{}",
            comments.len(),
            if comments.len() == 1 { "" } else { "s" },
            if overflow + outside > 0 {
                format!("; {} more in the plancheck comment", overflow + outside)
            } else {
                String::new()
            }
        ));
        Ok(log)
    }
}

#[derive(Serialize)]
struct Review<'a> {
    commit_id: &'a str,
    event: &'static str,
    body: String,
    comments: &'a [LineComment],
}

fn review_body(n: usize, more: usize) -> String {
    let mut s = format!(
        "plancheck: {n} new finding{} on lines this pull request changes.",
        if n == 1 { "" } else { "s" }
    );
    if more > 0 {
        s.push_str(&format!(
            " {more} more {} in the plancheck comment.",
            if more == 1 { "is" } else { "are" }
        ));
    }
    s
}

/// The new-side line numbers of a GitHub `patch` (hunks only): added and context lines.
pub fn right_lines(patch: &str) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    let mut line: Option<u32> = None;
    for l in patch.lines() {
        if let Some(rest) = l.strip_prefix("@@ ") {
            // @@ -a,b +c,d @@ …
            line = rest
                .split_whitespace()
                .find_map(|p| p.strip_prefix('+'))
                .and_then(|p| p.split(',').next())
                .and_then(|n| n.parse().ok());
            continue;
        }
        let Some(n) = line.as_mut() else { continue };
        match l.chars().next() {
            Some('+') | Some(' ') | None => {
                out.insert(*n);
                *n += 1;
            }
            _ => {} // '-' lines and "\ No newline at end of file"
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_lines_are_added_and_context_lines_of_each_hunk() {
        let patch = "@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n c\n@@ -20,2 +21,2 @@ threats:\n x\n-y\n+z\n\\ No newline at end of file";
        let lines: Vec<u32> = right_lines(patch).into_iter().collect();
        assert_eq!(lines, vec![1, 2, 3, 4, 21, 22]);
    }

    #[test]
    fn the_review_body_counts_what_did_not_fit() {
        assert_eq!(
            review_body(1, 0),
            "plancheck: 1 new finding on lines this pull request changes."
        );
        assert!(review_body(30, 4).ends_with("4 more are in the plancheck comment."));
    }
}
