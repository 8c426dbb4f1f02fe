//! Small helpers for the English of messages, shared by every stage.

/// "1 file", "2 files".
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
