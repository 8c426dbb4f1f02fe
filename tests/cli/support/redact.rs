//! The one redaction helper: every snapshot names what changes from run to run (commit ids,
//! the temporary repository, the version, the stand-in's repository) by role, the same way.

/// Replacements applied in order, longest text first, so a full commit id is replaced before
/// its short forms.
#[derive(Debug, Clone, Default)]
pub struct Redact {
    pairs: Vec<(String, String)>,
}

impl Redact {
    /// The version of plancheck is always `[VERSION]`.
    pub fn new() -> Redact {
        Redact::default().with(env!("CARGO_PKG_VERSION"), "[VERSION]")
    }

    /// Replace `text` with `role` (`[BASE]`, `[HEAD7]`, `[REPO]`...). Empty text is ignored.
    pub fn with(mut self, text: impl Into<String>, role: &str) -> Redact {
        let text = text.into();
        if !text.is_empty() {
            self.pairs.push((text, role.to_string()));
            self.pairs.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
        }
        self
    }

    /// A commit id: the full id as `[ROLE]`, its first 12 characters as `[ROLE]` too (diff
    /// labels) and its first 7 as `[ROLE7]` (GitHub's short form).
    pub fn commit(self, id: &str, role: &str) -> Redact {
        let bare = role.trim_matches(|c| c == '[' || c == ']');
        let short = |n: usize| id.get(..n).unwrap_or(id).to_string();
        self.with(id, role)
            .with(short(12), role)
            .with(short(7), &format!("[{bare}7]"))
    }

    pub fn apply(&self, text: &str) -> String {
        self.pairs.iter().fold(text.to_string(), |s, (from, to)| {
            s.replace(from.as_str(), to)
        })
    }
}

#[test]
fn longer_texts_are_replaced_first_and_commits_by_role() {
    let id = "0123456789abcdef0123456789abcdef01234567";
    let r = Redact::new()
        .commit(id, "[HEAD]")
        .with("acme/plans", "[REPO]");
    assert_eq!(
        r.apply(&format!("{id} {} {} acme/plans", &id[..12], &id[..7])),
        "[HEAD] [HEAD] [HEAD7] [REPO]"
    );
    assert_eq!(r.apply(env!("CARGO_PKG_VERSION")), "[VERSION]");
}
