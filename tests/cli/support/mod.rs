//! What the tests run against besides the binary: the GitHub stand-in (a stateful loopback
//! server speaking the REST API) and the one way snapshots name what changes between runs.

pub mod github_standin;
pub mod redact;
