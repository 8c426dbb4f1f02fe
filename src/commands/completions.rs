//! `plancheck completions SHELL`: a shell completion script.

use anyhow::Result;
use clap::CommandFactory;

use super::{ok, Output};
use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: CompletionsArgs) -> Result<Output> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "plancheck", &mut buf);
    Ok(ok(String::from_utf8_lossy(&buf).into_owned()))
}
