//! `known-owners = [...]` in `.plancheck.toml`: CODEOWNERS owners that exist outside the plan
//! (`@acme/legal`, a bot), as exact owners or globs (`@acme/*`), compared as GitHub compares
//! owners: ASCII case-insensitively.

use crate::error::Located;
use crate::plan::node::Pos;

/// The configured list, compiled.
#[derive(Debug, Clone, Default)]
pub struct KnownOwners {
    /// The entries as written.
    pub entries: Vec<String>,
    set: Option<globset::GlobSet>,
}

impl PartialEq for KnownOwners {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl KnownOwners {
    /// Compiles `entries` (each with the position it is written at, for errors). An entry is
    /// an owner as CODEOWNERS writes it (`@user`, `@org/team`, `name@example.com`) in which
    /// `*` stands for any run of characters other than `/` and `?` for one.
    pub fn new(path: &str, entries: &[(String, Pos)]) -> Result<KnownOwners, Located> {
        let mut builder = globset::GlobSetBuilder::new();
        for (entry, pos) in entries {
            let bad = |why: &str| {
                Located::new(
                    path,
                    *pos,
                    format!("`{entry}` in `known-owners` {why}"),
                )
                .with_help(
                    "list owners as CODEOWNERS writes them: `@user`, `@org/team` or an email address; `*` matches any characters except `/` (`@acme/*` is every team of acme)",
                )
            };
            if let Some(c) = entry
                .chars()
                .find(|c| matches!(c, '[' | ']' | '{' | '}' | '\\'))
            {
                return Err(bad(&format!(
                    "has `{c}`: only `*` and `?` are wildcards here"
                )));
            }
            // The shape, with every wildcard read as a letter.
            let shape: String = entry
                .chars()
                .map(|c| if matches!(c, '*' | '?') { 'x' } else { c })
                .collect();
            if !super::is_valid_owner(&shape) {
                return Err(bad("is not an owner: it must start with `@` (a user or `@org/team`) or be an email address"));
            }
            let glob = globset::GlobBuilder::new(entry)
                .case_insensitive(true)
                .literal_separator(true)
                .build()
                .map_err(|e| bad(&format!("is not a valid pattern: {}", e.kind())))?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|e| {
            Located::new(
                path,
                entries.first().map_or(Pos { line: 1, column: 1 }, |e| e.1),
                format!("`known-owners` cannot be compiled: {e}"),
            )
        })?;
        Ok(KnownOwners {
            entries: entries.iter().map(|(e, _)| e.clone()).collect(),
            set: Some(set),
        })
    }

    /// Whether `owner` (as written in CODEOWNERS) is listed.
    pub fn contains(&self, owner: &str) -> bool {
        self.set.as_ref().is_some_and(|s| s.is_match(owner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(entries: &[&str]) -> Result<KnownOwners, Located> {
        let list: Vec<(String, Pos)> = entries
            .iter()
            .map(|e| {
                (
                    e.to_string(),
                    Pos {
                        line: 3,
                        column: 17,
                    },
                )
            })
            .collect();
        KnownOwners::new(".plancheck.toml", &list)
    }

    #[test]
    fn globs_match_case_insensitively_within_one_name() {
        let k = known(&["@acme/*", "@release-bot", "*@example.com"]).expect("valid");
        assert!(k.contains("@acme/legal"));
        assert!(k.contains("@ACME/Legal"));
        assert!(k.contains("@Release-Bot"));
        assert!(k.contains("sec@example.com"));
        assert!(!k.contains("@acme"));
        assert!(!k.contains("@other/legal"));
        assert!(!k.contains("@release-bots"));
        assert!(!KnownOwners::default().contains("@acme/legal"));
    }

    #[test]
    fn entries_that_are_not_owners_are_located_errors() {
        for (entry, what) in [
            ("acme/legal", "must start with `@`"),
            ("@acme/[lt]egal", "only `*` and `?` are wildcards"),
            ("@", "is not an owner"),
            ("@acme/", "is not an owner"),
        ] {
            let err = known(&["@ok", entry]).unwrap_err();
            assert_eq!((err.pos.line, err.pos.column), (3, 17), "{entry}");
            assert!(err.message.contains(what), "{entry}: {}", err.message);
            assert!(err.message.contains(entry), "{}", err.message);
        }
    }
}
