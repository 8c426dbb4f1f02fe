//! A base revision that could not be read (invalid YAML, a byte that is not UTF-8, a bad
//! configuration, no plan at all): the run goes on against no base findings and says so in
//! every output format, so the change that repairs the base is never blocked by it.

use serde::Serialize;

use crate::error::{located, Advice};

/// Why the base was not read, where, and what the gate compared the head against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseUnreadable {
    /// The base as the report names it: "main (0123456789ab)".
    pub base: String,
    /// The error that stopped reading it (its first line; the help is in `help`).
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The file (and line) the error points at, when it points somewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<BaseLocation>,
    /// What the head was judged against: always "no base findings".
    pub compared_against: &'static str,
    /// Which policies judged the head: the base's, or the built-in pack and why.
    pub policies: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseLocation {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

/// What the gate compares against when the base cannot be read.
pub const NO_BASE_FINDINGS: &str = "no base findings";

impl BaseUnreadable {
    /// The note for `err`, met reading the base `base`; `policies` says which policies judge.
    pub fn new(base: &str, err: &anyhow::Error, policies: String) -> Self {
        let (location, reason, help) = match located(err).and_then(|l| l.into_iter().next()) {
            Some(l) => (
                Some(BaseLocation {
                    path: l.path.clone(),
                    line: l.pos.line,
                    column: l.pos.column,
                }),
                l.message,
                l.help,
            ),
            None => {
                let advice = err.chain().find_map(|e| e.downcast_ref::<Advice>());
                match advice {
                    Some(a) => (None, a.message.clone(), a.help.clone()),
                    None => {
                        let text = format!("{err:#}");
                        let mut lines = text.splitn(2, "\n  help: ");
                        let reason = lines.next().unwrap_or_default().to_string();
                        (None, reason, lines.next().map(str::to_string))
                    }
                }
            }
        };
        let location = location.or_else(|| path_in(&reason));
        BaseUnreadable {
            base: base.to_string(),
            reason,
            help,
            location,
            compared_against: NO_BASE_FINDINGS,
            policies,
        }
    }

    /// "path:line" (or "path"), when the error points at a file.
    pub fn place(&self) -> Option<String> {
        self.location.as_ref().map(|l| {
            if l.line > 0 {
                format!("{}:{}", l.path, l.line)
            } else {
                l.path.clone()
            }
        })
    }

    /// One paragraph for every format: what could not be read, why, where, and what the
    /// gate did instead.
    pub fn text(&self) -> String {
        let at = self.place().map(|p| format!(" at {p}")).unwrap_or_default();
        format!(
            "the base {} could not be read{at}: {}. The head was compared against {}: every finding at head counts as new, and the change passes only if the head itself is clean (a waiver counts as added unless a base file that could be read holds it). Policies: {}.",
            self.base,
            self.reason.trim_end_matches('.'),
            self.compared_against,
            self.policies
        )
    }
}

/// The file an error without a position names at its start ("path: message"), e.g. a plan
/// file that is not UTF-8.
fn path_in(reason: &str) -> Option<BaseLocation> {
    let (head, _) = reason.split_once(": ")?;
    let looks_like_path = !head.contains(' ') && (head.contains('.') || head.contains('/'));
    looks_like_path.then(|| BaseLocation {
        path: head.to_string(),
        line: 0,
        column: 0,
    })
}
