//! Subcommands, one file each.

pub mod threats;
