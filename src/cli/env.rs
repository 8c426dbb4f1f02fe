//! Values read from `PLANCHECK_*` environment variables are named as the variable in errors:
//! a CI job that sets `PLANCHECK_TIMEOUT: abc` has no `--timeout` on any command line.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, Parser};

use super::Cli;

/// Parses the command line; an invalid value that came from an environment variable is
/// reported as that variable's.
pub fn parse() -> Cli {
    Cli::try_parse().unwrap_or_else(|e| name_variable(e).exit())
}

/// How to name where a flag's value came from: `PLANCHECK_TIMEOUT=abc` when the flag is not
/// on the command line and the variable holds the value, else `--timeout abc`.
pub fn shown(flag: &str, value: &str) -> String {
    match from_variable(flag, value) {
        Some(var) => format!("{var}={value}"),
        None => format!("{flag} {value}"),
    }
}

/// The variable `flag`'s `value` was read from, if it was not given on the command line.
fn from_variable(flag: &str, value: &str) -> Option<String> {
    let given = std::env::args().skip(1).any(|a| {
        a == flag
            || a.strip_prefix(flag)
                .is_some_and(|rest| rest.starts_with('='))
    });
    if given {
        return None;
    }
    let var = variable_of(&Cli::command(), flag.trim_start_matches("--"))?;
    let set = std::env::var(&var).ok()?;
    // A list flag (`PLANCHECK_POLICY=a,b`) fails on one of its items.
    (set.trim() == value.trim() || set.split(',').any(|v| v.trim() == value.trim())).then_some(var)
}

/// The environment variable of the long flag `long`, in any subcommand.
fn variable_of(cmd: &clap::Command, long: &str) -> Option<String> {
    cmd.get_arguments()
        .find(|a| a.get_long() == Some(long))
        .and_then(|a| a.get_env())
        .map(|v| v.to_string_lossy().into_owned())
        .or_else(|| cmd.get_subcommands().find_map(|s| variable_of(s, long)))
}

fn name_variable(e: clap::Error) -> clap::Error {
    if !matches!(
        e.kind(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation
    ) {
        return e;
    }
    let (Some(ContextValue::String(arg)), Some(ContextValue::String(value))) = (
        e.get(ContextKind::InvalidArg),
        e.get(ContextKind::InvalidValue),
    ) else {
        return e;
    };
    let flag = arg.split([' ', '=']).next().unwrap_or(arg);
    let Some(var) = from_variable(flag, value) else {
        return e;
    };
    let text = e.render().to_string();
    let text = text.replacen(
        &format!("for '{arg}'"),
        &format!("in the {var} environment variable (read as {flag})"),
        1,
    );
    clap::Error::raw(e.kind(), text.trim_start_matches("error: "))
}

/// plancheck reports an error as its message and causes, never with a backtrace, but an
/// `anyhow::Error` captures one when `RUST_BACKTRACE` is set, and regorus and the engine's value
/// accessors raise errors that are handled on hot paths (a missing key, an undefined lookup).
/// With `RUST_BACKTRACE=1`, common in CI, that capture cost 3 % of a 10,000-threat check
/// (docs/performance.md). Library backtraces are off unless `RUST_LIB_BACKTRACE` asks for them;
/// panics still follow `RUST_BACKTRACE`. Called first thing in `main`, before any thread starts.
pub fn no_error_backtraces() {
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        std::env::set_var("RUST_LIB_BACKTRACE", "0");
    }
}
