//! `plancheck parse`: the input document the policies see, as JSON.

use anyhow::{Context, Result};

use super::{ok, options, Output};
use crate::check;
use crate::cli::ParseArgs;
use crate::pipeline;

pub fn run(args: ParseArgs) -> Result<Output> {
    let ParseArgs { dir, load } = args;
    let opened = pipeline::open(&options(dir, load)?)?;
    let (input, _) = check::input_document(&opened);
    let json =
        serde_json::to_string_pretty(&input).context("cannot serialise the input document")?;
    Ok(ok(json + "\n"))
}
