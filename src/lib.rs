//! plancheck: check Kubernetes incident-response plans kept as code.
//!
//! The pipeline flows one way: [`snapshot`] (worktree or git revision) → [`workspace`]
//! (plan files and CODEOWNERS parsed once, with positions) → [`input`] (the document
//! policies see, and the way back to file:line) → [`policy`] (regorus) → [`finding`]
//! → [`report`].
//!
//! The command layer (`commands/`, one file per subcommand) is the only place that reads
//! `cli` and the only one allowed to print; everything below returns values.

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub(crate) mod checked;
pub mod cli;
pub(crate) mod clock;
pub mod codeowners;
pub(crate) mod commands;
pub(crate) mod config;
pub(crate) mod diff;
pub(crate) mod error;
pub mod escalation;
pub(crate) mod facts;
pub(crate) mod finding;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod gate;
pub mod github;
pub mod init;
pub(crate) mod input;
pub(crate) mod limits;
pub mod manifests;
pub mod oncall;
pub(crate) mod parallel;
pub(crate) mod pipeline;
pub mod plan;
pub(crate) mod policy;
pub(crate) mod position;
pub(crate) mod report;
pub(crate) mod rule;
pub(crate) mod safe_write;
#[cfg(test)]
mod sample_plans;
pub(crate) mod snapshot;
pub(crate) mod text;
pub(crate) mod waiver;
pub(crate) mod workspace;

use anyhow::Result;

use cli::{Cli, Command};
pub use commands::Output;

/// Runs one command line: dispatch only, each subcommand lives in `commands/`.
pub fn run(cli: Cli) -> Result<Output> {
    let color = commands::use_color(cli.color);
    match cli.command {
        Command::Check(args) => commands::check::run(args, color, cli.verbose),
        Command::Github(args) => commands::github::run(&args),
        Command::Parse(args) => commands::parse::run(args),
        Command::Threats(cmd) => commands::threats::run(cmd),
        Command::Owners(args) => commands::owners::run(args),
        Command::Rules(args) => commands::rules::run(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Test(args) => commands::test::run(args),
        Command::Init(args) => commands::init::run(args),
        Command::Oncall(args) => commands::oncall::run(&args, color),
        Command::Completions(args) => commands::completions::run(args),
        Command::Schema => commands::schema::run(),
    }
}
