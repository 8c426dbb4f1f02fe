//! Positions as each reader counts them: SARIF columns in UTF-16 code units and artifact URIs
//! percent-encoded; plan files with CR-only line endings; errors that name the environment
//! variable a bad value came from.

use crate::common::*;

const MOVED: &str = "incident-response/threats/supply chain #1 équipe.json";

/// The threat-owner fixture with its JSON threats file renamed to a path with a space, `#`
/// and non-ASCII, and two emoji before the finding's token on its line.
fn emoji_repo() -> (Repo, String) {
    let repo = Repo::from_fixture("broken/threat-owner");
    let old = "incident-response/threats/supply-chain.json";
    let text = repo.read(old).replace(
        "\"owner\": \"platfrom-sre\",",
        "\"x-tag\": \"🔥🎉\", \"owner\": \"platfrom-sre\",",
    );
    std::fs::remove_file(repo.path().join(old)).expect("remove");
    repo.write(MOVED, &text);
    repo.commit_all("rename");
    let line = text
        .lines()
        .find(|l| l.contains("platfrom-sre"))
        .expect("the owner line")
        .to_string();
    (repo, line)
}

#[test]
fn sarif_columns_count_utf16_code_units_after_an_emoji() {
    let (repo, line) = emoji_repo();
    let (_, json, stderr) = check_json(repo.path(), &[]);
    let finding = json["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["location"]["path"] == MOVED))
        .unwrap_or_else(|| panic!("no finding in {MOVED}: {json} {stderr}"));
    let chars = finding["location"]["column"].as_u64().expect("column");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--format", "sarif"]));
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("sarif");
    crate::formats::validate_sarif(&doc);
    let results = doc["runs"][0]["results"].as_array().expect("results");
    let region = results
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"])
        .find(|p| {
            p["artifactLocation"]["uri"]
                == "incident-response/threats/supply%20chain%20%231%20%C3%A9quipe.json"
        })
        .map(|p| &p["region"])
        .unwrap_or_else(|| panic!("no percent-encoded URI in {}", r.stdout));
    let units = region["startColumn"].as_u64().expect("startColumn");
    // The two emoji are one character each in plancheck's column, two code units each in SARIF.
    assert_eq!(units, chars + 2, "{region}");
    let utf16: Vec<u16> = line.encode_utf16().collect();
    let at = String::from_utf16_lossy(&utf16[(units - 1) as usize..]);
    assert!(
        at.starts_with("\"platfrom-sre\""),
        "column {units} is at {at:?}"
    );
}

#[test]
fn a_cr_only_plan_file_keeps_its_line_and_column_and_shows_its_line() {
    let repo = Repo::from_fixture("broken/threat-owner");
    let path = "incident-response/threats/malicious.yaml";
    let text = repo.read(path).replace('\n', "\r");
    repo.write(path, &text);
    repo.commit_all("CR line endings");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--color", "never"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("--> incident-response/threats/malicious.yaml:4:5\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("4 |   - id: THR-002   # expect: threat-owner (no owner)\n"),
        "the line is shown: {}",
        r.stdout
    );
}

#[test]
fn an_invalid_environment_variable_is_named_as_the_variable() {
    let repo = Repo::from_fixture("demo");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .env("PLANCHECK_TIMEOUT", "abc"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "invalid value 'abc' in the PLANCHECK_TIMEOUT environment variable (read as --timeout)"
        ),
        "{}",
        r.stderr
    );
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .env("PLANCHECK_FORMAT", "xml"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("'xml' in the PLANCHECK_FORMAT environment variable"),
        "{}",
        r.stderr
    );
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .env("PLANCHECK_TIMEOUT", "-1"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("error: invalid PLANCHECK_TIMEOUT=-1\n"),
        "{}",
        r.stderr
    );
    // The same value on the command line is named as the flag.
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--timeout", "abc"])
        .env("PLANCHECK_TIMEOUT", "abc"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("for '--timeout <SECONDS>'"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_empty_now_flag_is_an_error_not_today() {
    let repo = Repo::from_fixture("demo");
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--now", ""]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("error: --now is empty\n"),
        "{}",
        r.stderr
    );
    // An empty PLANCHECK_NOW (an Action input left blank) still means today.
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .env("PLANCHECK_NOW", ""));
    assert_eq!(r.code, 0, "{}", r.stderr);
}
