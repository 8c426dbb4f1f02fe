//! `plancheck schema`: the JSON Schema of plan files.

use anyhow::{Context, Result};

use super::{ok, Output};
use crate::plan;

pub fn run() -> Result<Output> {
    let s = serde_json::to_string_pretty(&plan::schema::json_schema())
        .context("cannot serialise the schema")?;
    Ok(ok(s + "\n"))
}
