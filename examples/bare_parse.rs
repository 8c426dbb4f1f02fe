//! Bare YAML parse baseline for the benchmark (bench/run.py).
//!
//! Reads each file given on the command line and parses it with
//! `yaml_rust2::YamlLoader::load_from_str`: no positions, no conversion to the
//! plan model, no policies. This is the floor `plancheck check` is compared to.
//!
//! Usage: bare_parse [-n N] FILE...
//!   -n N   parse every file N times (default 1); reading happens once per round.
//!
//! Prints one short line to stderr (files, bytes, documents); nothing heavy.

use std::process::ExitCode;

use yaml_rust2::YamlLoader;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut rounds: usize = 1;
    let mut files = Vec::new();
    while let Some(arg) = args.next() {
        if arg == "-n" {
            match args.next().and_then(|v| v.parse().ok()) {
                Some(n) if n > 0 => rounds = n,
                _ => {
                    eprintln!("bare_parse: -n needs a positive integer");
                    return ExitCode::from(2);
                }
            }
        } else {
            files.push(arg);
        }
    }
    if files.is_empty() {
        eprintln!("usage: bare_parse [-n N] FILE...");
        return ExitCode::from(2);
    }

    let mut bytes = 0usize;
    let mut docs = 0usize;
    for _ in 0..rounds {
        for path in &files {
            let text = match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("bare_parse: {path}: {e}");
                    return ExitCode::from(2);
                }
            };
            match YamlLoader::load_from_str(&text) {
                Ok(parsed) => {
                    bytes += text.len();
                    docs += parsed.len();
                    // Keep the parsed tree alive until here so the work is not elided.
                    std::hint::black_box(&parsed);
                }
                Err(e) => {
                    eprintln!("bare_parse: {path}: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    }
    eprintln!(
        "bare_parse: {} file(s) x {rounds}: {bytes} bytes, {docs} document(s)",
        files.len()
    );
    ExitCode::SUCCESS
}
