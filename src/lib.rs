//! plancheck: check Kubernetes incident-response plans kept as code.
//!
//! The pipeline flows one way: [`snapshot`] (worktree or git revision) → [`workspace`]
//! (plan files and CODEOWNERS parsed once, with positions) → [`input`] (the document
//! policies see, and the way back to file:line) → [`policy`] (regorus) → [`finding`]
//! → [`report`].

pub mod check;
pub mod checked;
pub mod cli;
pub mod clock;
pub mod codeowners;
pub mod commands;
pub mod config;
pub mod diff;
pub mod error;
pub mod finding;
pub mod gate;
pub mod github;
pub mod init;
pub mod input;
pub mod oncall;
pub mod pipeline;
pub mod plan;
pub mod policy;
pub mod position;
pub mod report;
pub mod rule;
pub mod safe_write;
pub mod snapshot;
pub mod testing;
pub mod text;
pub mod waiver;
pub mod workspace;

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
        Command::Owners(args) => commands::owners::run(args),
        Command::Rules(args) => commands::rules::run(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Test(args) => commands::test::run(args),
        Command::Init(args) => commands::init::run(args),
        Command::Completions(args) => commands::completions::run(args),
        Command::Schema => commands::schema::run(),
    }
}
