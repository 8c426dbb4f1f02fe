//! One file per subcommand.

pub mod oncall;
