//! Entry points for the fuzz targets in `fuzz/` (docs/fuzzing.md): the readers of untrusted
//! files that are not public API, reached the way a run reaches them. Not a stable interface.

use anyhow::Result;

pub use crate::error::Located;
pub use crate::plan::node::Pos;
use crate::snapshot::{ReadError, Snapshot};

/// What `.plancheck.toml` parsing kept, for the fuzz target's properties.
#[derive(Debug, Clone)]
pub struct ConfigSummary {
    pub plans: Vec<String>,
    pub manifests: Vec<String>,
    pub timeout: Option<std::time::Duration>,
    pub horizon_days: i64,
    /// `[rules.<id>]` tables and where each is written.
    pub rules: Vec<(String, Pos)>,
}

/// Parses a configuration file as `check` does.
pub fn config(path: &str, text: &str) -> Result<ConfigSummary, Located> {
    let c = crate::config::Config::parse(path, text)?;
    Ok(ConfigSummary {
        plans: c.plans,
        manifests: c.manifests,
        timeout: c.timeout,
        horizon_days: c.oncall.horizon_days,
        rules: c.rules.into_iter().map(|(k, r)| (k, r.pos)).collect(),
    })
}

/// A rule head found in a Rego file.
#[derive(Debug, Clone)]
pub struct RuleSummary {
    pub name: String,
    pub line: u32,
    /// `custom.id` of its METADATA (or its package's).
    pub id: Option<String>,
}

/// Scans a Rego file for its package, rule heads and METADATA blocks, as loading a policy
/// directory does; returns the package and its rules.
pub fn policy_metadata(path: &str, source: &str) -> Result<(String, Vec<RuleSummary>), Located> {
    let s = crate::policy::metadata::scan(path, source)?;
    let rules = s
        .rules
        .into_iter()
        .map(|r| RuleSummary {
            name: r.name,
            line: r.line,
            id: r.meta.id,
        })
        .collect();
    Ok((s.package, rules))
}

/// One file in memory, as git would hand it over (any bytes, any name).
struct OneFile {
    path: String,
    bytes: Vec<u8>,
}

impl Snapshot for OneFile {
    fn describe(&self) -> String {
        "the fuzz input".into()
    }

    fn files(&self) -> Result<Vec<String>> {
        Ok(vec![self.path.clone()])
    }

    fn tracked(&self) -> Result<Vec<String>> {
        self.files()
    }

    fn read(&self, path: &str, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
        if path != self.path {
            return Ok(None);
        }
        if self.bytes.len() as u64 > limit {
            return Err(ReadError::TooLarge {
                path: path.to_string(),
                size: self.bytes.len() as u64,
                limit,
            });
        }
        Ok(Some(self.bytes.clone()))
    }

    fn size(&self, path: &str) -> Option<u64> {
        (path == self.path).then_some(self.bytes.len() as u64)
    }
}

/// Reads one tracked file as Kubernetes manifests with the default globs, as `check` does.
pub fn manifests(path: &str, bytes: Vec<u8>) -> Result<crate::manifests::Manifests> {
    let snap = OneFile {
        path: path.to_string(),
        bytes,
    };
    let globs: Vec<String> = crate::manifests::DEFAULT_GLOBS
        .iter()
        .map(|g| g.to_string())
        .collect();
    crate::manifests::load(&snap, &globs, &[path.to_string()], &[])
}
