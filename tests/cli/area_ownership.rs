//! Areas whose `paths` cover many files: `input.facts.area_ownership` groups an area's files
//! by the CODEOWNERS line deciding them, instead of listing every area on every file.

use crate::common::*;

/// A repository with the demo plan, `n_areas` extra areas covering everything (`**`), and
/// `n_files` tracked files, half of them (`src/m1/`) owned by a team that is not the areas'
/// team, everything else by the areas' team.
fn repo_with_catch_all_areas(n_areas: usize, n_files: usize) -> Repo {
    let repo = Repo::from_fixture("demo");
    let mut plan =
        String::from("apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nareas:\n");
    for a in 0..n_areas {
        plan.push_str(&format!(
            "  - id: all-{a}\n    title: Everything {a}\n    team: platform-sre\n    contacts: [alice, bob]\n    paths: ['**']\n"
        ));
    }
    repo.write("incident-response/all-areas.yaml", plan);
    for i in 0..n_files {
        repo.write(&format!("src/m{}/f{i}.go", i % 2), "x\n");
    }
    repo.write(
        ".github/CODEOWNERS",
        "* @kestrel/platform-sre\n/src/m1/ @kestrel/storage\n",
    );
    repo.commit_all("catch-all areas");
    repo
}

fn parse(repo: &Repo) -> serde_json::Value {
    let r = run(plancheck().arg("parse").arg(repo.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("json")
}

#[test]
fn an_areas_files_are_grouped_by_their_deciding_codeowners_line() {
    let repo = repo_with_catch_all_areas(2, 10);
    let doc = parse(&repo);
    let groups = doc["facts"]["area_ownership"]["all-0"]
        .as_array()
        .expect("groups of all-0");
    let storage = groups
        .iter()
        .find(|g| g["owners"] == serde_json::json!(["@kestrel/storage"]))
        .expect("the /src/m1/ line's group");
    assert_eq!(storage["files"], 5, "{storage}");
    assert_eq!(
        storage["examples"],
        serde_json::json!(["src/m1/f1.go", "src/m1/f3.go", "src/m1/f5.go"])
    );
    assert!(storage["line"].is_u64());
    // Every tracked file is under `**`: the groups count them all, once.
    let total: u64 = groups
        .iter()
        .map(|g| g["files"].as_u64().unwrap_or(0))
        .sum();
    let tracked = doc["ownership"].as_object().expect("ownership").len() as u64;
    assert_eq!(total, tracked);
    assert_eq!(
        doc["facts"]["area_ownership"]["all-1"],
        doc["facts"]["area_ownership"]["all-0"]
    );
    // input.ownership keeps DESIGN's {owners, line} per file, without the areas x files list.
    let entry = &doc["ownership"]["src/m1/f1.go"];
    assert_eq!(entry["owners"], serde_json::json!(["@kestrel/storage"]));
    assert!(entry.get("areas").is_none(), "{entry}");
}

#[test]
fn files_of_catch_all_areas_owned_by_another_team_are_warned_once_per_area_with_a_count() {
    let repo = repo_with_catch_all_areas(3, 10);
    let (_, json, stderr) = check_json(repo.path(), &["--fail-on", "never"]);
    let msgs: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "area-paths-owned")
        .filter_map(|f| f["message"].as_str())
        .filter(|m| m.starts_with("area all-"))
        .collect();
    assert_eq!(msgs.len(), 3, "{msgs:?}\n{stderr}");
    for m in msgs {
        assert!(
            m.contains(": 5 files under its paths are not code-owned by its team or contacts")
                && m.contains("src/m1/f1.go, src/m1/f3.go, src/m1/f5.go and 2 more"),
            "{m}"
        );
    }
}
