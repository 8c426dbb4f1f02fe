//! `plancheck test`: the Rego unit tests of policy directories, like `opa test`.

use std::path::PathBuf;

use anyhow::{Context, Result};

use super::{timeout_arg, Output};
use crate::cli::{ListFormat, TestArgs};
use crate::error::Advice;
use crate::policy::testing;
use crate::{clock, config, policy, report, snapshot};

pub fn run(args: TestArgs) -> Result<Output> {
    let TestArgs {
        dirs,
        run,
        coverage,
        threshold,
        data,
        timeout,
        max_memory,
        format,
        quiet,
    } = args;
    let run = run
        .map(|r| {
            regex::Regex::new(&r).map_err(|e| {
                Advice::new(
                    format!("invalid --run regular expression: {e}"),
                    "e.g. --run owner or --run 'threat_owner_test\\.test_.*missing'",
                )
            })
        })
        .transpose()?;
    if let Some(t) = threshold {
        if !(0.0..=100.0).contains(&t) {
            return Err(Advice::new(
                format!("invalid --threshold {t}"),
                "give a percentage between 0 and 100",
            )
            .into());
        }
    }
    let cap = max_memory
        .as_deref()
        .map(super::max_memory_arg)
        .transpose()?;
    crate::limits::set_cap(cap.unwrap_or_else(crate::limits::default_cap));
    let (dirs, mut config_data) = test_dirs(dirs)?;
    config_data.extend(data);
    let opts = testing::TestOptions {
        dirs,
        run,
        coverage,
        threshold,
        data: config_data,
        timeout: timeout_arg(timeout)?,
        now: clock::today(),
    };
    let report = testing::run(&opts)?;
    let stdout = match format {
        ListFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        ListFormat::Human => report::policy_tests::render(&report, quiet),
    };
    Ok(Output {
        stdout,
        stderr: String::new(),
        code: report.exit_code(),
    })
}

/// `plancheck test` directories: as given, else the `policies` of the nearest configuration,
/// else the nearest `policies` directory.
fn test_dirs(dirs: Vec<PathBuf>) -> Result<(Vec<policy::PolicyDir>, Vec<PathBuf>)> {
    if !dirs.is_empty() {
        return Ok((
            dirs.iter()
                .map(|d| policy::PolicyDir::new(d, d.display().to_string()))
                .collect(),
            Vec::new(),
        ));
    }
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    if let Some((root, config)) = config::nearest_config(&cwd)? {
        if !config.policies.is_empty() {
            return Ok((
                config
                    .policies
                    .iter()
                    .map(|d| policy::PolicyDir::new(root.join(d), d.as_str()))
                    .collect(),
                config.data.iter().map(|d| root.join(d)).collect(),
            ));
        }
    }
    let top = snapshot::locate(&cwd, false).map_or_else(|_| cwd.clone(), |r| r.root);
    for dir in cwd.ancestors() {
        if dir.join("policies").is_dir() {
            return Ok((
                vec![policy::PolicyDir::new(dir.join("policies"), "policies")],
                Vec::new(),
            ));
        }
        if dir == top {
            break;
        }
    }
    Err(Advice::new(
        "no policy directory to test",
        "pass one (`plancheck test policies`) or list it in .plancheck.toml: policies = [\"policies\"]",
    )
    .into())
}
