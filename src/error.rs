//! Errors that stop a run (exit code 2). Every one names the file, and the line where there is one.

use std::fmt;

use crate::position::Pos;

/// A problem at a place in a file: rendered as `path:line:column: message` plus a help line.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub path: String,
    pub pos: Pos,
    pub message: String,
    pub help: Option<String>,
    /// The text of the line `pos` is on, for a snippet (when the file's text was at hand).
    pub source_line: Option<String>,
}

impl Located {
    pub fn new(path: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Located {
            path: path.into(),
            pos,
            message: message.into(),
            help: None,
            source_line: None,
        }
    }

    /// Keeps the line of `text` the error points at, so every output format can show it.
    pub fn with_source(mut self, text: &str) -> Self {
        if self.pos.line > 0 {
            self.source_line = text
                .split('\n')
                .nth(self.pos.line as usize - 1)
                .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string());
        }
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Where it points, 1-based: (path, line, column); None for an error about no file
    /// (an invalid flag, an unreadable repository).
    pub fn place(&self) -> Option<(&str, u32, u32)> {
        (!self.path.is_empty()).then(|| {
            (
                self.path.as_str(),
                self.pos.line.max(1),
                self.pos.column.max(1),
            )
        })
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pos.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path, self.pos.line, self.pos.column, self.message
            )?;
        } else {
            write!(f, "{}: {}", self.path, self.message)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Located {}

/// An error without a position, with advice on what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}{}", help.as_ref().map(|h| format!("\n  help: {h}")).unwrap_or_default())]
pub struct Advice {
    pub message: String,
    pub help: Option<String>,
}

impl Advice {
    pub fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        Advice {
            message: message.into(),
            help: Some(help.into()),
        }
    }
}

/// Every file that could not be read (syntax errors in several plan files), reported together.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadErrors(pub Vec<Located>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                write!(f, "\nerror: ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadErrors {}

/// The located errors in an error's chain: what stopped a run at a place in a file.
pub fn located(err: &anyhow::Error) -> Option<Vec<Located>> {
    err.chain().find_map(|e| {
        if let Some(all) = e.downcast_ref::<LoadErrors>() {
            return Some(all.0.clone());
        }
        e.downcast_ref::<Located>().map(|l| vec![l.clone()])
    })
}

/// Every error that stopped a run, as located errors for the structured formats: the located
/// ones in its chain, else one error about no file (empty path) carrying the whole chain.
pub fn run_errors(err: &anyhow::Error) -> Vec<Located> {
    if let Some(all) = located(err) {
        return all;
    }
    let advice = err.chain().find_map(|e| e.downcast_ref::<Advice>());
    let mut message = String::new();
    for (i, cause) in err.chain().enumerate() {
        let text = match cause.downcast_ref::<Advice>() {
            Some(a) => a.message.clone(),
            None => cause.to_string(),
        };
        if i > 0 {
            message.push_str("\n  caused by: ");
        }
        message.push_str(&text);
    }
    vec![Located {
        path: String::new(),
        pos: crate::position::Pos { line: 0, column: 0 },
        message,
        help: advice.and_then(|a| a.help.clone()),
        source_line: None,
    }]
}

/// The text `main` prints on stderr for an error: `error: ...` and each `caused by: ...`.
pub fn human(err: &anyhow::Error) -> String {
    let mut msg = format!("error: {err}");
    for cause in err.chain().skip(1) {
        msg.push_str(&format!("\n  caused by: {cause}"));
    }
    msg + "\n"
}
