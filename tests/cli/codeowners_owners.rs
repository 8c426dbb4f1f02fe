//! CODEOWNERS owners checked against the plan offline (`codeowners-owner-known`), and the
//! hygiene warnings `codeowners-unused` and `codeowners-shadowed`.

use crate::common::*;

const CODEOWNERS: &str = ".github/CODEOWNERS";

fn findings<'a>(json: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == rule)
        .collect()
}

#[test]
fn a_team_misspelled_by_one_letter_is_an_error_at_its_column_with_the_right_suggestion() {
    let repo = Repo::from_fixture("demo");
    repo.edit(
        CODEOWNERS,
        "/runbooks/storage/                  @kestrel/storage",
        "/runbooks/storage/                  @kestrel/stroage",
    );
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let got = findings(&json, "codeowners-owner-known");
    assert_eq!(got.len(), 1, "{json}");
    let f = got[0];
    assert_eq!(f["severity"], "error");
    assert_eq!(f["location"]["path"], CODEOWNERS);
    assert_eq!(f["location"]["line"], 25);
    assert_eq!(f["location"]["column"], 37);
    let msg = f["message"].as_str().unwrap_or_default();
    assert!(msg.contains("@kestrel/stroage"), "{msg}");
    assert!(msg.ends_with("did you mean @kestrel/storage?"), "{msg}");
}

#[test]
fn a_misspelled_user_in_the_staged_codeowners_fails_pre_commit_without_a_token() {
    let repo = Repo::from_fixture("demo");
    let clean = repo.read(CODEOWNERS);
    repo.write(
        CODEOWNERS,
        clean.replacen("@farid-haddad @erin-walsh", "@farid-haddad @erin-walsch", 1),
    );
    repo.add_all();
    // The working tree is fixed again; the commit would still record the typo.
    repo.write(CODEOWNERS, &clean);
    let r = run(plancheck()
        .current_dir(repo.path())
        .args(["check", "--staged", "--color", "never"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("error[codeowners-owner-known]"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(".github/CODEOWNERS:26:"), "{}", r.stdout);
    assert!(
        r.stdout.contains("did you mean @erin-walsh?"),
        "{}",
        r.stdout
    );
    let (code, _, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 0, "the working tree is clean: {stderr}");
}

#[test]
fn owners_compare_ignoring_ascii_case_and_known_owners_admit_outside_owners_by_glob() {
    let repo = Repo::from_fixture("demo");
    repo.edit(
        CODEOWNERS,
        "@kestrel/storage @farid-haddad",
        "@KESTREL/Storage @Farid-Haddad @kestrel/legal @dependabot-ops legal@example.com",
    );
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let unknown: Vec<&str> = findings(&json, "codeowners-owner-known")
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    assert!(
        unknown.iter().any(|m| m.starts_with("@kestrel/legal ")),
        "{unknown:?}"
    );
    assert!(
        unknown.iter().any(|m| m.starts_with("@dependabot-ops ")),
        "{unknown:?}"
    );
    repo.write(
        ".plancheck.toml",
        "known-owners = [\"@Kestrel/*\", \"@dependabot-ops\"]\n",
    );
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 0, "{stderr}{json}");
}

#[test]
fn a_known_owners_entry_that_is_not_an_owner_is_a_located_configuration_error() {
    let repo = Repo::from_fixture("demo");
    repo.write(
        ".plancheck.toml",
        "horizon-days = 28\nknown-owners = [\"@acme/legal\", \"acme/*\"]\n",
    );
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--color", "never"]));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(".plancheck.toml:2:32"), "{}", r.stderr);
    assert!(
        r.stderr.contains("`acme/*` in `known-owners`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("must start with `@`"), "{}", r.stderr);
}

#[test]
fn unused_and_shadowed_lines_are_warnings_at_their_lines_and_exit_zero() {
    let repo = Repo::from_fixture("demo");
    let text = repo.read(CODEOWNERS);
    repo.write(
        CODEOWNERS,
        text.replacen(
            "/runbooks/storage/                  @kestrel/storage\n",
            "/runbooks/storage/                  @kestrel/storage\n/runbooks/storge/ @kestrel/storage\n/clusters/*/storage/ @kestrel/storage @farid-haddad\n",
            1,
        ),
    );
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 0, "warnings only: {stderr}{json}");
    let unused = findings(&json, "codeowners-unused");
    assert_eq!(unused.len(), 1, "{json}");
    assert_eq!(unused[0]["location"]["line"], 26);
    assert!(unused[0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("`/runbooks/storge/`"));
    let shadowed = findings(&json, "codeowners-shadowed");
    assert_eq!(shadowed.len(), 1, "{json}");
    assert_eq!(
        shadowed[0]["location"]["line"], 23,
        "the first /clusters/*/storage/ line"
    );
    assert!(
        shadowed[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("(line 27)"),
        "{json}"
    );
}
