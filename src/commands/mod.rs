//! The command layer: one file per subcommand, each turning its flags into options for the
//! library and its results into [`Output`]. Nothing below this layer imports `cli`, prints, or
//! exits.

#![allow(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod completions;
pub mod explain;
pub mod github;
pub mod init;
pub mod oncall;
pub mod owners;
pub mod parse;
pub mod rules;
pub mod schema;
pub mod test;
pub mod threats;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::cli::{CheckFormat, ColorChoice, LoadArgs};
use crate::error::{self, Advice};
use crate::{config, pipeline, policy, report};

/// What a command printed and the exit code it asks for (0 or 1; errors are 2, in `main`).
#[derive(Debug)]
pub struct Output {
    pub stdout: String,
    /// Progress and timing lines (`-v`), printed on stderr before stdout.
    pub stderr: String,
    pub code: u8,
}

pub(crate) fn ok(stdout: String) -> Output {
    Output {
        stdout,
        stderr: String::new(),
        code: 0,
    }
}

/// Whether to color human output: the flag, else `NO_COLOR` / `FORCE_COLOR`, else a terminal.
pub(crate) fn use_color(choice: ColorChoice) -> bool {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto if set("FORCE_COLOR") => true,
        ColorChoice::Auto => std::io::stdout().is_terminal(),
    }
}

pub(crate) fn timeout_arg(secs: f64) -> Result<Duration> {
    if !(secs.is_finite() && secs > 0.0 && secs <= 3600.0) {
        return Err(Advice::new(
            format!(
                "invalid {}",
                crate::cli::env::shown("--timeout", &secs.to_string())
            ),
            "give a number of seconds between 0 and 3600",
        )
        .into());
    }
    Ok(Duration::from_secs_f64(secs))
}

/// `--max-memory` (or PLANCHECK_MAX_MEMORY) in bytes.
pub(crate) fn max_memory_arg(text: &str) -> Result<u64> {
    crate::limits::parse_size(text).map_err(|e| {
        Advice::new(
            format!(
                "invalid {}: {e}",
                crate::cli::env::shown("--max-memory", text)
            ),
            "give a size such as 2GiB or 512MiB (at least 64MiB)",
        )
        .into()
    })
}

pub(crate) fn options(dir: Option<PathBuf>, load: LoadArgs) -> Result<pipeline::Options> {
    let timeout = load.timeout.map(timeout_arg).transpose()?;
    let max_memory = load.max_memory.as_deref().map(max_memory_arg).transpose()?;
    let (dir, only) = match dir {
        Some(d) => {
            let (root, only) = pipeline::resolve_target(&d)?;
            (Some(root), only)
        }
        None => (None, Vec::new()),
    };
    Ok(pipeline::Options {
        dir,
        only,
        rev: load.rev,
        staged: load.staged,
        config: load.config,
        policies: load.policies,
        namespaces: policy::Namespaces {
            globs: load.namespaces,
            all: load.all_namespaces,
        },
        data: load.data,
        now: load.now,
        timeout,
        max_memory,
    })
}

/// A check stopped by errors in files (a plan file or the configuration that does not parse):
/// each error rendered like a finding, in the requested format, exit code 2. Machine formats
/// go to stdout (a SARIF upload or a JSON reader still gets a valid document) and the plain
/// text to stderr; human output goes to stderr only.
pub(crate) fn load_errors(errors: &[error::Located], format: CheckFormat, color: bool) -> Output {
    let plain = || {
        let text: Vec<String> = errors.iter().map(|e| format!("error: {e}")).collect();
        text.join("\n") + "\n"
    };
    let (stdout, stderr) = match format {
        CheckFormat::Human => (String::new(), report::human::render_errors(errors, color)),
        CheckFormat::Json => (report::json::render_errors(errors), plain()),
        CheckFormat::Markdown => (report::markdown::render_errors(errors), plain()),
        CheckFormat::Sarif => (report::sarif::render_errors(errors), plain()),
        CheckFormat::Junit => (report::junit::render_errors(errors), plain()),
        CheckFormat::Github => (report::github::render_errors(errors), plain()),
        CheckFormat::Rdjson => (report::rdjson::render_errors(errors), plain()),
        CheckFormat::Gitlab => (report::gitlab::render_errors(errors), plain()),
    };
    Output {
        stdout,
        stderr,
        code: 2,
    }
}

/// Any other error that stopped a check (an invalid flag, a rule that failed or ran away, an
/// unreadable repository): in the machine formats, a document carrying it on stdout; the
/// human message stays on stderr, and the exit code is 2. Human output is left to `main`.
pub(crate) fn run_error(err: anyhow::Error, format: CheckFormat, color: bool) -> Result<Output> {
    match error::located(&err) {
        Some(errors) if errors.iter().all(|e| e.source_line.is_some()) => {
            Ok(load_errors(&errors, format, color))
        }
        _ if format == CheckFormat::Human => Err(err),
        _ => {
            let mut out = load_errors(&error::run_errors(&err), format, color);
            out.stderr = error::human(&err);
            Ok(out)
        }
    }
}

/// The pack `rules` and `explain` describe: built-in, the configuration's policies, `--policy`.
pub(crate) fn policy_set(dirs: &[PathBuf]) -> Result<policy::PolicySet> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let mut all: Vec<policy::PolicyDir> = Vec::new();
    if let Some((root, config)) = config::nearest_config(&cwd)? {
        all.extend(
            config
                .policies
                .iter()
                .map(|d| policy::PolicyDir::new(root.join(d), d.as_str())),
        );
    }
    all.extend(
        dirs.iter()
            .map(|d| policy::PolicyDir::new(d, d.display().to_string())),
    );
    policy::PolicySet::load(&all, &policy::Namespaces::default(), false)
}
