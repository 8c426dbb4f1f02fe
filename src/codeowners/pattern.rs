//! One CODEOWNERS pattern, compiled to a regex (syntax: see [`Pattern`]).

use std::fmt;
use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};

use super::index::{extension, Key};
use super::segments;

/// Why a pattern was rejected. `column` is 1-based, counted in characters
/// within the pattern text, and points at the offending character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub column: u32,
    pub kind: String,
    pub message: String,
    /// A replacement or hint, worded like GitHub's `suggestion` field.
    pub suggestion: Option<String>,
}

impl PatternError {
    fn new(column: usize, message: impl Into<String>, suggestion: Option<String>) -> Self {
        PatternError {
            column: to_u32(column),
            kind: KIND_INVALID_PATTERN.to_string(),
            message: message.into(),
            suggestion,
        }
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at column {}: {}",
            self.kind, self.column, self.message
        )
    }
}

impl std::error::Error for PatternError {}

/// The `kind` GitHub's codeowners/errors API uses for a bad pattern.
pub const KIND_INVALID_PATTERN: &str = "Invalid pattern";

/// A compiled CODEOWNERS pattern. Paths given to [`Pattern::matches`] are
/// repository-relative, use `/` separators and have no leading slash.
///
/// GitHub documents its patterns as "most of" gitignore's syntax, with three
/// features that do not work (`!` negation, `[ ]` ranges, `\#` for a leading
/// `#`) and one deliberate departure (`docs/*` does not recurse). The rules
/// implemented here:
///
/// - A leading `/` anchors the pattern at the repository root. So does a `/`
///   anywhere but at the end. A pattern with no such slash (`*.js`, `apps/`)
///   matches at any depth.
/// - A trailing `/` means "a directory": it matches everything under that
///   directory but not a file with that name. It is treated as a trailing
///   `/**`.
/// - Every other pattern also matches everything under what it names
///   (`/docs` owns `docs/a/b`), except when its last segment is a lone `*`
///   (`docs/*` owns `docs/a` but not `docs/a/b`).
/// - `*` matches any run of characters except `/`, `?` one character except
///   `/`.
/// - A `**` segment matches any number of directories: leading (`**/logs`),
///   in the middle (`a/**/b`, also `a/b`) or trailing (`docs/**`: everything
///   under `docs`, not `docs` itself). `**` inside a segment (`**.swift`) is
///   two ordinary `*`. Three or more consecutive `*` are rejected.
/// - `\x` is the literal character `x` (so `\ ` is a space, `\*` a star).
/// - Comparison is case sensitive and byte for byte: no case folding and no
///   Unicode normalisation.
///
/// [`Pattern::new`] rejects, with GitHub's kind `Invalid pattern`: a leading
/// `!`, an unescaped `[` or `]`, a leading `\#`, `***`, a pattern with no
/// segment (`/`), an empty segment (`a//b`) and a dangling final `\`.
#[derive(Debug, Clone)]
pub struct Pattern {
    text: String,
    /// The pattern's segments, a trailing `/` already turned into a trailing `**`.
    segs: Vec<Seg>,
    /// A leading `/` or a `/` in the middle: matched from the root, not at any depth.
    anchored: bool,
    /// The regex the pattern translates to, compiled on first use: the reference semantics,
    /// used for the odd paths the segment walk leaves to it (see `segments`). Compiling a
    /// regex per line is what made a large CODEOWNERS slow and big, so most never are.
    regex: OnceLock<Option<Regex>>,
    /// The longest run of literal characters in the pattern: every path it matches contains
    /// it, so a path without it is rejected with one substring search (`*-generated-*`
    /// has no segment or extension to index by, and is tried against every path).
    needle: Option<String>,
}

/// Patterns longer than this are compiled at once, so that one too complex for the regex
/// engine is rejected when it is read rather than never matching.
const COMPILE_EAGERLY_OVER: usize = 256;

impl Pattern {
    /// Compile `pattern` (as written in the file, escapes included).
    pub fn new(pattern: &str) -> Result<Pattern, PatternError> {
        let (segs, anchored) = parse(pattern)?;
        let needle = longest_literal(&segs);
        let p = Pattern {
            text: pattern.to_string(),
            segs,
            anchored,
            needle,
            regex: OnceLock::new(),
        };
        if pattern.len() > COMPILE_EAGERLY_OVER && p.regex().is_none() {
            return Err(PatternError::new(
                1,
                "the pattern is too long or too complex to compile",
                None,
            ));
        }
        Ok(p)
    }

    /// The compiled regex; `None` when it is too complex for the regex engine.
    fn regex(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| {
                // No lazy DFA: each regex would grow its own transition cache. Paths are
                // short, so the backtracking and one-pass engines match them as fast.
                RegexBuilder::new(&regex_source(&self.segs, self.anchored))
                    .dfa_size_limit(0)
                    .build()
                    .ok()
            })
            .as_ref()
    }

    /// Whether `path` is owned by a rule with this pattern.
    pub fn matches(&self, path: &str) -> bool {
        if self
            .needle
            .as_deref()
            .is_some_and(|needle| !path.contains(needle))
        {
            return false;
        }
        segments::matches(&self.segs, self.anchored, path)
            .unwrap_or_else(|| self.matches_by_regex(path))
    }

    /// [`Pattern::matches`] decided by the pattern's regex alone: the straightforward
    /// reference the segment walk is tested against.
    pub fn matches_by_regex(&self, path: &str) -> bool {
        self.regex().is_some_and(|r| r.is_match(path.as_bytes()))
    }

    /// Whether the pattern's regex has been built (only the odd paths the segment walk leaves
    /// to it, and patterns too long to check lazily, need it).
    pub fn regex_compiled(&self) -> bool {
        self.regex.get().is_some()
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The regex the pattern translates to (for debugging and docs).
    pub fn regex_str(&self) -> &str {
        self.regex().map_or("", Regex::as_str)
    }

    /// What every path this pattern matches has, for [`super::PatternIndex`]: positional
    /// segments (deepest first), then any-depth segments (deepest first), then extensions.
    /// Empty when the pattern has none (`*`) or has an escaped `/` in a segment.
    pub(super) fn index_keys(&self) -> Vec<Key> {
        let mut at = Vec::new();
        let mut segment = Vec::new();
        let mut ext = Vec::new();
        let mut positional = self.anchored;
        for (i, seg) in self.segs.iter().enumerate() {
            let toks = match seg {
                Seg::DoubleStar => {
                    positional = false;
                    continue;
                }
                Seg::Glob(toks) => toks,
            };
            if toks.iter().any(|t| matches!(t, Tok::Slash | Tok::Lit('/'))) {
                return Vec::new();
            }
            let lits = toks.iter().rev().map_while(|t| match t {
                Tok::Lit(c) => Some(*c),
                _ => None,
            });
            let mut tail: Vec<char> = lits.collect();
            tail.reverse();
            let tail: String = tail.into_iter().collect();
            if tail.chars().count() == toks.len() {
                if positional {
                    at.push(Key::At(i, tail.clone()));
                }
                segment.push(Key::Segment(tail));
            } else if let Some(e) = extension(&tail) {
                ext.push(Key::Extension(e.to_string()));
            }
        }
        at.reverse();
        segment.reverse();
        at.into_iter().chain(segment).chain(ext).collect()
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// One lexical unit of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tok {
    /// A character to match literally (escaped or ordinary).
    Lit(char),
    /// Unescaped `*`.
    Star,
    /// Unescaped `?`.
    Any,
    /// Unescaped `/`.
    Slash,
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Split the pattern into tokens, each with its 1-based column, and reject
/// the constructs GitHub does not support.
fn lex(pattern: &str) -> Result<Vec<(Tok, usize)>, PatternError> {
    let chars: Vec<char> = pattern.chars().collect();
    if chars.is_empty() {
        return Err(PatternError::new(1, "the pattern is empty", None));
    }
    if chars[0] == '!' {
        return Err(PatternError::new(
            1,
            "negation with '!' is not supported in CODEOWNERS; \
             to leave paths unowned, add a later line with the pattern and no owners",
            None,
        ));
    }
    if chars.len() >= 2 && chars[0] == '\\' && chars[1] == '#' {
        return Err(PatternError::new(
            1,
            "escaping a leading '#' with '\\' does not work in CODEOWNERS; \
             a pattern cannot start with '#'",
            None,
        ));
    }
    let mut toks = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let col = i + 1;
        match chars[i] {
            '\\' => match chars.get(i + 1) {
                Some(&c) => {
                    toks.push((Tok::Lit(c), col));
                    i += 2;
                    continue;
                }
                None => {
                    let fixed: String = chars[..i].iter().collect();
                    return Err(PatternError::new(
                        col,
                        "the pattern ends with a '\\' that escapes nothing; \
                         remove it, or use '\\\\' for a literal backslash",
                        Some(format!("did you mean `{fixed}`?")),
                    ));
                }
            },
            '[' | ']' => {
                return Err(PatternError::new(
                    col,
                    "both '[' and ']' must be escaped with a '\\' \
                     (CODEOWNERS has no character ranges)",
                    Some(format!("did you mean `{}`?", escape_brackets(&chars))),
                ));
            }
            '*' => {
                let run = chars[i..].iter().take_while(|&&c| c == '*').count();
                if run >= 3 {
                    let mut fixed: String = chars[..i].iter().collect();
                    fixed.push_str("**");
                    fixed.extend(&chars[i + run..]);
                    return Err(PatternError::new(
                        col,
                        "three or more consecutive '*' are not allowed; use '**' to match \
                         any number of directories, or '*' within a name",
                        Some(format!("did you mean `{fixed}`?")),
                    ));
                }
                toks.push((Tok::Star, col));
            }
            '?' => toks.push((Tok::Any, col)),
            '/' => toks.push((Tok::Slash, col)),
            c => toks.push((Tok::Lit(c), col)),
        }
        i += 1;
    }
    Ok(toks)
}

/// `chars` with every unescaped `[` and `]` escaped.
fn escape_brackets(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len() + 4);
    let mut escaped = false;
    for &c in chars {
        if !escaped && (c == '[' || c == ']') {
            out.push('\\');
        }
        escaped = !escaped && c == '\\';
        out.push(c);
    }
    out
}

/// A path segment of the pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Seg {
    /// An unescaped `**` on its own.
    DoubleStar,
    /// Anything else (a lone `*` is `[Tok::Star]`).
    Glob(Vec<Tok>),
}

/// Check a pattern and split it into segments (a trailing `/` becomes a trailing `**`), with
/// whether it is anchored (see [`Pattern`]).
fn parse(pattern: &str) -> Result<(Vec<Seg>, bool), PatternError> {
    let toks = lex(pattern)?;

    let leading_slash = matches!(toks.first(), Some((Tok::Slash, _)));
    let trailing_slash = toks.len() > 1 && matches!(toks.last(), Some((Tok::Slash, _)));
    let start = usize::from(leading_slash);
    let end = toks.len() - usize::from(trailing_slash);
    let body = toks.get(start..end).unwrap_or(&[]);

    if body.is_empty() {
        let msg = format!("the pattern `{pattern}` will never match anything");
        return Err(PatternError::new(
            1,
            msg,
            Some(format!(
                "The pattern `{pattern}` will never match anything, did you mean `*` instead?"
            )),
        ));
    }

    let mut segs: Vec<Seg> = Vec::new();
    let mut cur: Vec<Tok> = Vec::new();
    for &(tok, col) in body {
        if tok == Tok::Slash {
            if cur.is_empty() {
                return Err(empty_segment(pattern, col));
            }
            segs.push(to_seg(std::mem::take(&mut cur)));
        } else {
            cur.push(tok);
        }
    }
    if cur.is_empty() {
        // The body ended in a slash, i.e. the pattern ends in `//`.
        let col = body.last().map_or(1, |&(_, c)| c);
        return Err(empty_segment(pattern, col));
    }
    segs.push(to_seg(cur));

    // A pattern is anchored by a leading slash or by a slash in the middle.
    let anchored = leading_slash || segs.len() > 1;
    // A trailing slash is a trailing `/**`: everything under the directory.
    if trailing_slash {
        segs.push(Seg::DoubleStar);
    }
    segs.dedup_by(|a, b| *a == Seg::DoubleStar && *b == Seg::DoubleStar);
    Ok((segs, anchored))
}

/// The anchored regex a parsed pattern means (see [`Pattern`]).
fn regex_source(segs: &[Seg], anchored: bool) -> String {
    // Byte mode without Unicode classes: `.` and `[^/]` compile to one byte range instead of
    // a UTF-8 automaton, which made compiling a large CODEOWNERS or many area paths the
    // costliest part of building the input. On a path (valid UTF-8) a run of bytes other
    // than `/` or `\n` is exactly a run of such characters, since neither byte occurs inside
    // a multi-byte character; only `?` (one character) keeps a Unicode class.
    let mut re = String::from(r"(?-u)\A");
    if !anchored {
        re.push_str("(?:.*/)?");
    }
    let last = segs.len() - 1;
    let mut need_sep = false;
    for (i, seg) in segs.iter().enumerate() {
        match seg {
            Seg::DoubleStar if i == 0 && i == last => re.push_str(".+"),
            Seg::DoubleStar if i == 0 => re.push_str("(?:.*/)?"),
            Seg::DoubleStar if i == last => re.push_str("/.+"),
            Seg::DoubleStar => re.push_str("(?:/.+)?"),
            Seg::Glob(toks) => {
                if need_sep {
                    re.push('/');
                }
                if toks.as_slice() == [Tok::Star] {
                    re.push_str("[^/]+");
                } else {
                    for tok in toks {
                        match tok {
                            Tok::Star => re.push_str("[^/]*"),
                            Tok::Any => re.push_str("(?u:[^/])"),
                            Tok::Lit(c) => push_literal(&mut re, *c),
                            Tok::Slash => re.push('/'),
                        }
                    }
                }
            }
        }
        need_sep = !(i == 0 && *seg == Seg::DoubleStar);
    }
    // What the pattern names owns everything under it, except that a final
    // lone `*` does not recurse (`docs/*`). A final `**` already covers it.
    match segs.last() {
        Some(Seg::DoubleStar) => {}
        Some(Seg::Glob(toks)) if toks.as_slice() == [Tok::Star] => {}
        _ => re.push_str("(?:/.+)?"),
    }
    re.push_str(r"\z");
    re
}

/// The longest run of literal characters within one segment of `segs`, if any.
fn longest_literal(segs: &[Seg]) -> Option<String> {
    let mut best = String::new();
    for seg in segs {
        let Seg::Glob(toks) = seg else { continue };
        let mut run = String::new();
        for tok in toks.iter().chain([&Tok::Star]) {
            match tok {
                Tok::Lit(c) => run.push(*c),
                _ => {
                    if run.len() > best.len() {
                        best = std::mem::take(&mut run);
                    }
                    run.clear();
                }
            }
        }
    }
    (!best.is_empty()).then_some(best)
}

fn to_seg(toks: Vec<Tok>) -> Seg {
    if toks.as_slice() == [Tok::Star, Tok::Star] {
        Seg::DoubleStar
    } else {
        Seg::Glob(toks)
    }
}

fn empty_segment(pattern: &str, col: usize) -> PatternError {
    let mut fixed = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        if !(c == '/' && fixed.ends_with('/')) {
            fixed.push(c);
        }
    }
    PatternError::new(
        col,
        "an empty path segment ('//') will never match anything",
        Some(format!("did you mean `{fixed}`?")),
    )
}

/// Append `c` to the regex as a literal (byte-exact, no case folding).
fn push_literal(re: &mut String, c: char) {
    let mut buf = [0u8; 4];
    re.push_str(&regex::escape(c.encode_utf8(&mut buf)));
}
