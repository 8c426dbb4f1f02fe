//! Integration tests: the plancheck binary run on real git repositories.

mod adoption;
mod attacks;
mod bad_input;
mod checks;
mod codeowners_owners;
mod commands;
mod common;
mod custom;
mod diff;
mod formats;
mod fuzzed;
mod github;
mod github_owners;
mod kubernetes;
mod oncall;
mod oncall_rules;
mod paths_and_hints;
mod policies;
mod readme;
mod robust;
mod rules_human;
mod support;
mod syntax_errors;
mod unit_tests;
