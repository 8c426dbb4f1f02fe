//! README.md tells users what plancheck does: these tests keep its claims true.

use std::path::Path;

use crate::common::*;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect(rel)
}

/// `(id, default severity)` of every row of README's "Rules" table, in order.
fn readme_rules(readme: &str) -> Vec<(String, String)> {
    let section = readme
        .split("\n## Rules\n")
        .nth(1)
        .expect("README has a Rules section");
    let section = section.split("\n## ").next().unwrap_or(section);
    section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            // | `id` | default | what it demands |
            let id = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((id.to_string(), cells.get(2)?.to_string()))
        })
        .collect()
}

#[test]
fn readme_rules_table_lists_exactly_the_rules_plancheck_knows_with_their_severities() {
    let r = run(plancheck().args(["rules", "--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rules: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).expect("json");
    let mut known: Vec<(String, String)> = rules
        .iter()
        .map(|r| {
            (
                r["id"].as_str().expect("id").to_string(),
                r["severity"].as_str().expect("severity").to_string(),
            )
        })
        .collect();
    let mut documented = readme_rules(&read("README.md"));
    assert!(
        documented.len() >= 10,
        "the table was not found: {documented:?}"
    );
    known.sort();
    documented.sort();
    assert_eq!(
        documented, known,
        "README's rules table (left) must list the rules of `plancheck rules` (right)"
    );
}

#[test]
fn readme_rules_parser_sees_a_missing_and_a_wrong_row() {
    // The comparison above is only as good as this parser: it must see each row.
    let table = "x\n## Rules\n\n| id | default | what |\n|---|---|---|\n| `a-b` | error | x |\n| `c` | warning | y |\n\n## Next\n| `z` | error | not here |\n";
    assert_eq!(
        readme_rules(table),
        vec![
            ("a-b".to_string(), "error".to_string()),
            ("c".to_string(), "warning".to_string())
        ]
    );
}

/// The fenced `sh` block under "The two commands", one command per line (comments dropped).
fn readme_commands(readme: &str) -> Vec<String> {
    let section = readme
        .split("\n## The two commands\n")
        .nth(1)
        .expect("README has a 'The two commands' section");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a sh block");
    block
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn ci_runs_the_test_command_readme_gives_on_an_empty_cargo_home() {
    let commands = readme_commands(&read("README.md"));
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(commands[0].starts_with("cargo run"), "{commands:?}");
    assert!(commands[0].ends_with("check fixtures/demo"), "{commands:?}");
    let test = &commands[1];
    assert!(test.starts_with("cargo test"), "{commands:?}");
    let ci = read(".ci/run");
    assert!(
        ci.lines().any(|l| l.trim() == test),
        "`.ci/run` must run README's test command `{test}` as written"
    );
    assert!(
        ci.contains("export CARGO_HOME"),
        "`.ci/run` must prove the fresh path with an empty CARGO_HOME"
    );
    // README's demo command checks the bundled demo repository.
    assert!(Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/demo/incident-response")
        .is_dir());
}

#[test]
fn readme_stays_a_users_page() {
    let readme = read("README.md");
    let lines = readme.lines().count();
    assert!(
        lines <= 300,
        "README.md has {lines} lines: move maintainer material to docs/ or CONTRIBUTING.md"
    );
    // Links to repository files resolve.
    for link in readme.split("](").skip(1) {
        let target = link.split(')').next().unwrap_or("");
        if target.starts_with("http") || target.starts_with('#') {
            continue;
        }
        assert!(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(target).exists(),
            "README links to {target}, which does not exist"
        );
    }
    // Installs honour the lockfile.
    for line in readme.lines().filter(|l| l.contains("cargo install")) {
        assert!(line.contains("--locked"), "{line}");
    }
}
