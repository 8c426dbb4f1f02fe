//! `plancheck init`: a starter plan, a configuration and a workflow.

use anyhow::{Context, Result};

use super::{ok, Output};
use crate::cli::InitArgs;
use crate::{clock, init, snapshot};

pub fn run(args: InitArgs) -> Result<Output> {
    let InitArgs {
        dir,
        force,
        from_codeowners,
        from_manifests,
    } = args;
    let root = match dir {
        Some(d) => d,
        None => {
            let cwd = std::env::current_dir().context("cannot read the current directory")?;
            snapshot::locate(&cwd, false).map_or(cwd, |r| r.root)
        }
    };
    let done = init::init(&init::InitOptions {
        root: root.clone(),
        force,
        from_codeowners,
        today: clock::today(),
    })?;
    let manifests = super::threats::after_init(&root, from_manifests)?;
    Ok(ok(init::summary(&done) + &manifests))
}
