//! Integration tests: the plancheck binary run on real git repositories.

mod bad_input;
mod checks;
mod commands;
mod common;
mod policies;
