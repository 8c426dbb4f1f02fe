//! One file per subcommand.

pub mod oncall;
pub mod threats;
