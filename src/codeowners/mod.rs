//! GitHub CODEOWNERS: parsing, validation and ownership lookup.
//!
//! Follows GitHub's documented behaviour (see `shared/notes/codeowners.md`):
//!
//! - The file is read from the first of [`LOCATIONS`] that exists, and is
//!   ignored as a whole when it is [`MAX_BYTES`] or larger ([`locate`]).
//! - Each line is `pattern owner…`. `#` starts a comment, also after the
//!   owners (`*.js @a # owner is @b` gives only `@a`). Blank lines, CRLF line
//!   endings, a UTF-8 byte order mark, tabs between tokens and trailing
//!   whitespace are all fine.
//! - An invalid line is skipped and reported as a [`LineError`] with GitHub's
//!   `kind` (`Invalid pattern`, `Invalid owner`); the rest of the file still
//!   applies.
//! - The last matching rule wins ([`Codeowners::owner_of`]). A rule with no
//!   owners is valid and leaves the paths it matches unowned.
//!
//! Pattern syntax is described on [`Pattern`].
//!
//! ```
//! use plancheck::codeowners::Codeowners;
//!
//! let co = Codeowners::parse("* @org/core\n/apps/github\n");
//! assert_eq!(co.owners("src/main.rs"), ["@org/core"]);
//! // The last match has no owners: explicitly unowned.
//! let rule = co.owner_of("apps/github/app.rb").expect("a rule matches");
//! assert_eq!((rule.line, rule.owners.len()), (2, 0));
//! ```
//!
//! Choices where GitHub documents nothing: a `#` starts a comment only at the
//! start of a token (so `src/C#/` is a pattern with a literal `#`, and
//! `@a#b` is an invalid owner), and an invalid owner makes the whole line
//! invalid, like an invalid pattern.

mod index;
pub mod known;
mod pattern;
mod segments;

pub use index::PatternIndex;
pub use pattern::{Pattern, PatternError, KIND_INVALID_PATTERN};

use pattern::to_u32;

/// GitHub ignores a CODEOWNERS file unless it is smaller than this.
pub const MAX_BYTES: usize = 3 * 1024 * 1024;

/// Where GitHub looks for the file, in order; the first one found wins.
pub const LOCATIONS: [&str; 3] = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/// The `kind` GitHub's codeowners/errors API uses for a bad owner.
pub const KIND_INVALID_OWNER: &str = "Invalid owner";

/// One valid line of the file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Rule {
    /// 1-based line number.
    pub line: u32,
    /// The pattern as written (escapes included).
    pub pattern: String,
    /// Owners in file order. Empty means the rule makes its paths unowned.
    pub owners: Vec<String>,
    /// 1-based character column of each owner, in `owners` order.
    #[serde(skip)]
    pub owner_columns: Vec<u32>,
    #[serde(skip)]
    matcher: Pattern,
}

impl Rule {
    /// Whether this rule's pattern matches `path`.
    pub fn matches(&self, path: &str) -> bool {
        self.matcher.matches(path)
    }

    /// The compiled pattern.
    pub fn matcher(&self) -> &Pattern {
        &self.matcher
    }
}

/// A skipped line, with the field names of GitHub's codeowners/errors API.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LineError {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters, of the offending token or character.
    pub column: u32,
    /// `Invalid pattern` or `Invalid owner`.
    pub kind: String,
    /// `"<kind> on line <n>: <what is wrong and what to do>"`.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl LineError {
    /// The message without its "on line N" (for reports that show the line on their own).
    pub fn message_without_line(&self) -> String {
        self.message
            .replacen(&format!(" on line {}", self.line), "", 1)
    }
}

/// A parsed CODEOWNERS file: its valid rules in file order and the errors of
/// the lines that were skipped.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Codeowners {
    pub rules: Vec<Rule>,
    pub errors: Vec<LineError>,
    /// Which rules may match a path; built once `rules` is complete.
    #[serde(skip)]
    pub(crate) index: PatternIndex,
}

impl Codeowners {
    /// Parse a whole file. Never fails: invalid lines are skipped and
    /// reported in `errors`.
    pub fn parse(text: &str) -> Codeowners {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut out = Codeowners::default();
        for (idx, raw) in text.split('\n').enumerate() {
            let line_no = to_u32(idx.saturating_add(1));
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            parse_line(line_no, line, &mut out);
        }
        out.index = PatternIndex::new(out.rules.iter().map(Rule::matcher));
        out
    }

    /// Like [`Codeowners::parse`], for raw file contents; invalid UTF-8 is
    /// replaced with U+FFFD.
    pub fn parse_bytes(bytes: &[u8]) -> Codeowners {
        Codeowners::parse(&String::from_utf8_lossy(bytes))
    }

    /// The rule that decides who owns `path`: the last one that matches.
    /// `None` when no rule matches; a rule with empty `owners` when the path
    /// was explicitly left unowned.
    pub fn owner_of(&self, path: &str) -> Option<&Rule> {
        if self.index.len() != self.rules.len() {
            // `rules` was changed after parsing: fall back to trying every rule.
            return self.rules.iter().rev().find(|rule| rule.matches(path));
        }
        self.index
            .candidates(path)
            .into_iter()
            .rev()
            .map(|i| &self.rules[i])
            .find(|rule| rule.matches(path))
    }

    /// The owners of `path`; empty when it is unowned.
    pub fn owners(&self, path: &str) -> &[String] {
        self.owner_of(path)
            .map_or(&[], |rule| rule.owners.as_slice())
    }
}

/// A CODEOWNERS file found by [`locate`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct Located {
    /// One of [`LOCATIONS`].
    pub path: &'static str,
    /// The file's size in bytes.
    pub size: usize,
    /// The parsed file; `None` when it is too large for GitHub to load
    /// (`size >= MAX_BYTES`), in which case nobody owns anything.
    pub codeowners: Option<Codeowners>,
}

/// Find the file GitHub would use. `read` returns the contents of a
/// repository-relative path, or `None` when there is no such file (it can
/// read a work tree or a git tree). The first of [`LOCATIONS`] that exists
/// wins, even when it is too large to be loaded.
pub fn locate<F>(mut read: F) -> Option<Located>
where
    F: FnMut(&str) -> Option<Vec<u8>>,
{
    let mut bytes = None;
    let path = first_present(|p| {
        bytes = read(p);
        bytes.is_some()
    })?;
    let bytes = bytes?;
    let size = bytes.len();
    let codeowners = (size < MAX_BYTES).then(|| Codeowners::parse_bytes(&bytes));
    Some(Located {
        path,
        size,
        codeowners,
    })
}

/// The one discovery rule every reader of CODEOWNERS shares (a work tree, a git revision,
/// `init`): the first of [`LOCATIONS`] that `present` says exists.
pub fn first_present(mut present: impl FnMut(&str) -> bool) -> Option<&'static str> {
    LOCATIONS.iter().copied().find(|p| present(p))
}

/// Find and load the file under a work tree `root` (see [`locate`]).
pub fn locate_in_dir(root: &std::path::Path) -> Option<Located> {
    locate(|rel| {
        let path = root.join(rel);
        if path.is_file() {
            std::fs::read(path).ok()
        } else {
            None
        }
    })
}

/// Whether `c` separates tokens.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\u{0b}' | '\u{0c}')
}

/// A token of a line: its text and 1-based character column.
struct Token<'a> {
    text: &'a str,
    column: usize,
}

/// Split a line into tokens, stopping at a `#` that starts a token. A `\`
/// escapes the next character, so `\ ` does not end a token.
fn tokenize(line: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut chars = line.char_indices().enumerate().peekable();
    while let Some((col0, (start, c))) = chars.next() {
        if is_space(c) {
            continue;
        }
        if c == '#' {
            break;
        }
        let mut end = start + c.len_utf8();
        let mut escaped = c == '\\';
        while let Some(&(_, (pos, next))) = chars.peek() {
            if !escaped && is_space(next) {
                break;
            }
            escaped = !escaped && next == '\\';
            end = pos + next.len_utf8();
            chars.next();
        }
        tokens.push(Token {
            text: line.get(start..end).unwrap_or_default(),
            column: col0 + 1,
        });
    }
    tokens
}

fn parse_line(line_no: u32, line: &str, out: &mut Codeowners) {
    let tokens = tokenize(line);
    let Some((pattern_tok, owner_toks)) = tokens.split_first() else {
        return; // blank or comment
    };
    let mut ok = true;

    let matcher = match Pattern::new(pattern_tok.text) {
        Ok(p) => Some(p),
        Err(e) => {
            ok = false;
            let column = pattern_tok.column + (e.column as usize).saturating_sub(1);
            out.errors.push(LineError {
                line: line_no,
                column: to_u32(column),
                kind: e.kind,
                message: format!("{KIND_INVALID_PATTERN} on line {line_no}: {}", e.message),
                suggestion: e.suggestion,
            });
            None
        }
    };

    let mut owners = Vec::with_capacity(owner_toks.len());
    let mut owner_columns = Vec::with_capacity(owner_toks.len());
    for tok in owner_toks {
        match check_owner(tok.text) {
            Ok(()) => {
                owners.push(tok.text.to_string());
                owner_columns.push(to_u32(tok.column));
            }
            Err((problem, suggestion)) => {
                ok = false;
                out.errors.push(LineError {
                    line: line_no,
                    column: to_u32(tok.column),
                    kind: KIND_INVALID_OWNER.to_string(),
                    message: format!(
                        "{KIND_INVALID_OWNER} on line {line_no}: `{}` {problem}; an owner must be \
                         @username, @org/team-name or an email address",
                        tok.text
                    ),
                    suggestion,
                });
            }
        }
    }

    if let (true, Some(matcher)) = (ok, matcher) {
        out.rules.push(Rule {
            line: line_no,
            pattern: pattern_tok.text.to_string(),
            owners,
            owner_columns,
            matcher,
        });
    }
}

/// Characters of a GitHub login (EMU logins add `_shortcode`).
fn is_login_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Characters of a team slug.
fn is_team_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// Characters allowed in the local part of an email address.
fn is_email_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c)
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && local.chars().all(is_email_local_char)
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Whether `tok` is a well-formed owner: `@user`, `@org/team` or an email address.
pub(crate) fn is_valid_owner(tok: &str) -> bool {
    check_owner(tok).is_ok()
}

/// Check an owner token's syntax. On error: what is wrong, and a suggestion.
fn check_owner(tok: &str) -> Result<(), (String, Option<String>)> {
    if let Some(name) = tok.strip_prefix('@') {
        let (org, team) = match name.split_once('/') {
            Some((org, team)) => (org, Some(team)),
            None => (name, None),
        };
        let org_ok = !org.is_empty() && org.chars().all(is_login_char);
        let team_ok = team.is_none_or(|t| !t.is_empty() && t.chars().all(is_team_char));
        if org_ok && team_ok {
            return Ok(());
        }
        let problem = match team {
            _ if org.is_empty() => "has no user or organization name after '@'".to_string(),
            Some("") => "has no team name after '/'".to_string(),
            _ if !org_ok => {
                "has characters not allowed in a GitHub user or organization name".to_string()
            }
            _ => "has characters not allowed in a team name".to_string(),
        };
        return Err((problem, None));
    }
    if tok.contains('@') {
        if is_email(tok) {
            return Ok(());
        }
        return Err(("is not a valid email address".to_string(), None));
    }
    let suggestion = (!tok.is_empty()
        && tok
            .split_once('/')
            .map_or(tok.chars().all(is_login_char), |(org, team)| {
                !org.is_empty()
                    && org.chars().all(is_login_char)
                    && !team.is_empty()
                    && team.chars().all(is_team_char)
            }))
    .then(|| format!("did you mean `@{tok}`?"));
    Err((
        "does not start with '@' and is not an email address".to_string(),
        suggestion,
    ))
}
