//! Kubernetes manifests: reading them, the two rules, `threats suggest`, diff mode, and the
//! promise that a Secret's values never leave the reader.

use crate::common::*;

/// The demo with one StorageClass switched to `reclaimPolicy: Delete` and a new
/// ClusterRoleBinding to cluster-admin (issue 13's "done when").
fn risky_demo() -> Repo {
    let repo = Repo::from_fixture("demo");
    repo.edit(
        "clusters/prod-eu/storage/storageclass.yaml",
        "reclaimPolicy: Retain",
        "reclaimPolicy: Delete",
    );
    repo.write(
        "clusters/prod-eu/rbac/oncall-admin.yaml",
        "# Temporary: the on-call group gets cluster-admin while the operator is migrated.\n\
         apiVersion: rbac.authorization.k8s.io/v1\n\
         kind: ClusterRoleBinding\n\
         metadata:\n  name: oncall-admin\n\
         roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\n\
         subjects:\n  - {kind: Group, name: oncall, apiGroup: rbac.authorization.k8s.io}\n",
    );
    repo.commit_all("risky manifests");
    repo
}

fn findings_of<'a>(json: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == rule)
        .collect()
}

#[test]
fn risky_manifests_in_the_demo_are_reported_on_their_lines_and_suggested_threats_make_it_clean() {
    let repo = risky_demo();
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 0, "warnings do not fail by default: {stderr}");
    let mut got: Vec<(String, u64, String)> = findings_of(&json, "threat-coverage")
        .iter()
        .map(|f| {
            (
                f["location"]["path"].as_str().unwrap_or("").to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(
        (got[0].0.as_str(), got[0].1),
        ("clusters/prod-eu/rbac/oncall-admin.yaml", 9)
    );
    assert!(
        got[0].2.contains("ClusterRoleBinding oncall-admin")
            && got[0].2.contains("MS-TA9019 (Cluster-admin binding)"),
        "{}",
        got[0].2
    );
    assert_eq!(
        (got[1].0.as_str(), got[1].1),
        ("clusters/prod-eu/storage/storageclass.yaml", 10)
    );
    assert!(
        got[1].2.contains("MS-TA9038 (Data destruction)"),
        "{}",
        got[1].2
    );
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(2), "{json}");
    // Human output shows the manifest line itself.
    let human = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--color", "never"]));
    assert!(
        human.stdout.contains("10 | reclaimPolicy: Delete"),
        "{}",
        human.stdout
    );

    let suggest = run(plancheck().args(["threats", "suggest"]).arg(repo.path()));
    assert_eq!(suggest.code, 0, "{}", suggest.stderr);
    let yaml = &suggest.stdout;
    assert_eq!(yaml.matches("\n  - id: ").count(), 2, "{yaml}");
    for want in [
        "  - id: THR-048\n",
        "  - id: THR-049\n",
        "    techniques: [MS-TA9019]   # MS-TA9019 Cluster-admin binding\n",
        "    techniques: [MS-TA9038]   # MS-TA9038 Data destruction\n",
        "    area: rbac-identity\n",
        "    area: k8s-storage\n",
        "  # clusters/prod-eu/rbac/oncall-admin.yaml:9 ClusterRoleBinding oncall-admin\n",
        "  # clusters/prod-eu/storage/storageclass.yaml:10 StorageClass gp3-retain\n",
        "    owner: TODO",
    ] {
        assert!(yaml.contains(want), "missing {want:?} in:\n{yaml}");
    }

    // Pasted under `threats:` with owners filled in, the check is clean again.
    let pasted = yaml
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| match l.split_once("owner: TODO") {
            Some((indent, _)) => format!("{indent}owner: security"),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let file = "incident-response/threats/malicious.yaml";
    let mut text = repo.read(file);
    text.push('\n');
    text.push_str(&pasted);
    text.push('\n');
    repo.write(file, text);
    repo.commit_all("threats for the risky manifests");
    let (code, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json["findings"], serde_json::json!([]), "{json}");
    let again = run(plancheck().args(["threats", "suggest"]).arg(repo.path()));
    assert!(
        again
            .stdout
            .starts_with("# Every risk the manifests show is named by a threat's techniques"),
        "{}",
        again.stdout
    );
}

#[test]
fn a_pull_request_adding_a_risky_object_gets_a_new_finding_on_the_added_line() {
    let repo = Repo::from_fixture("demo");
    let base = repo.commit_all("base").to_string();
    let head = risky_demo_on(&repo);
    let (code, json, stderr) = check_json(
        repo.path(),
        &["--base", &base, "--rev", &head, "--filter-mode", "added"],
    );
    assert_eq!(code, 0, "{stderr}");
    let found = findings_of(&json, "threat-coverage");
    assert_eq!(found.len(), 2, "{json}");
    for f in &found {
        assert_eq!(f["status"], "new", "{f}");
        assert_eq!(f["in_diff"], true, "{f}");
    }
    // The semantic diff lists the objects that came with an area (or none).
    let changes = json["diff"]["plan_changes"].to_string();
    assert!(
        changes.contains(
            "ClusterRoleBinding oncall-admin added (clusters/prod-eu/rbac/oncall-admin.yaml), area rbac-identity"
        ),
        "{changes}"
    );
    // Moving the binding down its file keeps the finding (its key is the object, never the line).
    let fp = |j: &serde_json::Value| {
        findings_of(j, "threat-coverage")
            .iter()
            .filter(|f| f["message"].as_str().unwrap_or("").contains("oncall-admin"))
            .map(|f| f["fingerprint"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    let before = fp(&json);
    let text = repo.read("clusters/prod-eu/rbac/oncall-admin.yaml");
    repo.write(
        "clusters/prod-eu/rbac/oncall-admin.yaml",
        format!("# Reviewed in PLAT-3001.\n# Expires with the migration.\n{text}"),
    );
    let moved = repo.commit_all("comment").to_string();
    let (_, json, stderr) = check_json(repo.path(), &["--base", &head, "--rev", &moved]);
    assert_eq!(fp(&json), before, "{stderr}");
    assert!(
        findings_of(&json, "threat-coverage")
            .iter()
            .all(|f| f["status"] == "existing"),
        "{json}"
    );
}

/// Applies [`risky_demo`]'s changes to an existing repository; returns the new commit.
fn risky_demo_on(repo: &Repo) -> String {
    repo.edit(
        "clusters/prod-eu/storage/storageclass.yaml",
        "reclaimPolicy: Retain",
        "reclaimPolicy: Delete",
    );
    repo.write(
        "clusters/prod-eu/rbac/oncall-admin.yaml",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: oncall-admin\nroleRef:\n  kind: ClusterRole\n  name: cluster-admin\n",
    );
    repo.commit_all("risky").to_string()
}

#[test]
fn a_kubernetes_object_that_loses_its_area_is_in_the_semantic_diff_and_reported() {
    let repo = Repo::from_fixture("demo");
    let base = repo.commit_all("base").to_string();
    // The PVCs sit in apps/ (workloads-rollout by path) and are storage's by kind: drop the kind.
    repo.edit(
        "incident-response/areas.yaml",
        "    kinds: [StorageClass, PersistentVolume, PersistentVolumeClaim, VolumeSnapshotClass]\n",
        "    kinds: [StorageClass, PersistentVolume, VolumeSnapshotClass]\n",
    );
    let head = repo.commit_all("storage stops claiming PVCs").to_string();
    let r = run(plancheck()
        .arg("check")
        .arg(repo.path())
        .args(["--base", &base, "--rev", &head, "--format", "markdown"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("**Kubernetes objects and their areas**"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "PersistentVolumeClaim checkout/checkout-redis (clusters/prod-eu/apps/checkout-data.yaml) lost area k8s-storage"
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn manifest_area_follows_paths_kinds_and_namespaces() {
    let repo = Repo::from_fixture("broken/manifest-area");
    let (_, json, stderr) = check_json(repo.path(), &[]);
    let got: Vec<String> = findings_of(&json, "manifest-area")
        .iter()
        .map(|f| f["message"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        got,
        [
            "Deployment shop/web belongs to no area of expertise",
            "Service shop/web belongs to no area of expertise",
            "ServiceAccount shop/web belongs to no area of expertise",
        ],
        "{stderr}"
    );
    // The namespace glob decides: move the ServiceAccount into kube-system and k8s-core owns it.
    let text = repo.read("apps/web.yaml").replace(
        "kind: ServiceAccount   # expect: manifest-area\nmetadata:\n  name: web\n  namespace: shop",
        "kind: ServiceAccount\nmetadata:\n  name: web\n  namespace: kube-system",
    );
    repo.write("apps/web.yaml", text);
    repo.commit_all("move the service account");
    let (_, json, _) = check_json(repo.path(), &[]);
    assert_eq!(findings_of(&json, "manifest-area").len(), 2, "{json}");
}

#[test]
fn a_secret_value_reaches_no_output_format_no_parse_output_and_no_suggestion() {
    let repo = Repo::from_fixture("broken/threat-coverage");
    let secret = "hunter2-do-not-print";
    assert!(repo
        .read("clusters/prod/core/ops-admin.yaml")
        .contains(secret));
    repo.write(
        "clusters/prod/core/db.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: kube-system\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{\"data\":{\"password\":\"aHVudGVyMi1kby1ub3QtcHJpbnQ=\"}}'\ndata:\n  password: aHVudGVyMi1kby1ub3QtcHJpbnQ=\n",
    );
    repo.commit_all("another secret");
    let encoded = "aHVudGVyMi1kby1ub3QtcHJpbnQ";
    let mut outputs = Vec::new();
    for format in [
        "human", "json", "sarif", "junit", "github", "markdown", "rdjson", "gitlab",
    ] {
        let r = run(plancheck()
            .arg("-v")
            .arg("check")
            .arg(repo.path())
            .args(["--format", format, "--color", "never"]));
        assert!(
            r.stdout.contains("Secret kube-system/"),
            "{format}: {}",
            r.stdout
        );
        outputs.push((format.to_string(), r.stdout + &r.stderr));
    }
    let parse = run(plancheck().arg("parse").arg(repo.path()));
    assert!(
        parse.stdout.contains("\"password\": null"),
        "{}",
        parse.stdout
    );
    outputs.push(("parse".into(), parse.stdout + &parse.stderr));
    let suggest = run(plancheck().args(["threats", "suggest"]).arg(repo.path()));
    assert!(suggest.stdout.contains("MS-TA9027"), "{}", suggest.stdout);
    outputs.push(("suggest".into(), suggest.stdout + &suggest.stderr));
    for (what, out) in outputs {
        assert!(
            !out.contains(secret) && !out.contains(encoded),
            "{what} shows the secret:\n{out}"
        );
    }
}

#[test]
fn helm_templates_and_invalid_yaml_are_skipped_counted_and_listed_with_verbose() {
    let repo = Repo::from_fixture("demo");
    repo.write(
        "deploy/broken.yaml",
        "apiVersion: v1\nkind: ConfigMap\n  bad: [indent\n",
    );
    repo.write(
        "deploy/latin1.yaml",
        b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n",
    );
    repo.commit_all("odd files");
    let r = run(plancheck()
        .arg("-v")
        .arg("check")
        .arg(repo.path())
        .args(["--color", "never"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("plancheck: Kubernetes manifests: 23 objects from 20 files"),
        "{}",
        r.stderr
    );
    for want in [
        "skipped charts/apps/checkout/templates/deployment.yaml: a Helm chart template",
        "skipped deploy/broken.yaml: not valid YAML (line 3",
        "skipped deploy/latin1.yaml: not valid UTF-8",
    ] {
        assert!(r.stderr.contains(want), "missing {want:?}:\n{}", r.stderr);
    }
    assert!(r.stdout.contains("no findings"), "{}", r.stdout);
}

#[test]
fn manifests_are_read_from_the_revision_checked_and_plan_files_are_not_manifests() {
    let repo = Repo::from_fixture("demo");
    repo.commit_all("base");
    // Committed: the StorageClass retains. In the working tree only: it deletes.
    repo.edit(
        "clusters/prod-eu/storage/storageclass.yaml",
        "reclaimPolicy: Retain",
        "reclaimPolicy: Delete",
    );
    let (_, json, _) = check_json(repo.path(), &["--rev", "HEAD"]);
    assert_eq!(findings_of(&json, "threat-coverage").len(), 0, "{json}");
    let (_, json, _) = check_json(repo.path(), &[]);
    assert_eq!(findings_of(&json, "threat-coverage").len(), 1, "{json}");
    let parse = run(plancheck().arg("parse").arg(repo.path()));
    let doc: serde_json::Value = serde_json::from_str(&parse.stdout).expect("json");
    assert!(doc["manifests"]
        .as_array()
        .expect("manifests")
        .iter()
        .all(|m| !m["path"]
            .as_str()
            .unwrap_or("")
            .starts_with("incident-response/")
            && !m["path"].as_str().unwrap_or("").starts_with(".github/")));
}

#[test]
fn the_manifests_setting_narrows_what_is_read_and_a_bad_glob_is_a_located_error() {
    let repo = Repo::from_fixture("broken/threat-coverage");
    repo.write(
        ".plancheck.toml",
        "manifests = [\"clusters/*/storage/**\"]\n",
    );
    repo.commit_all("config");
    let (_, json, _) = check_json(repo.path(), &[]);
    let paths: Vec<&str> = findings_of(&json, "threat-coverage")
        .iter()
        .filter_map(|f| f["location"]["path"].as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "clusters/prod/storage/storageclass.yaml",
            "clusters/prod/storage/storageclass.yaml"
        ]
    );
    repo.write(".plancheck.toml", "manifests = [\"clusters/[*.yaml\"]\n");
    let r = run(plancheck().arg("check").arg(repo.path()));
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains(".plancheck.toml:1:")
            && r.stderr
                .contains("invalid glob `clusters/[*.yaml` in `manifests`"),
        "{}",
        r.stderr
    );
}

#[test]
fn techniques_are_in_the_schema_and_a_bad_one_is_a_located_schema_error() {
    let schema = run(plancheck().arg("schema"));
    let v: serde_json::Value = serde_json::from_str(&schema.stdout).expect("json");
    let area = &v["$defs"]["area"]["properties"];
    assert!(
        area["kinds"].is_object() && area["namespaces"].is_object(),
        "{area}"
    );
    let t = v["$defs"]["threat"]["properties"]["techniques"].to_string();
    assert!(t.contains("MS-TA[0-9]{4}"), "{t}");

    let repo = Repo::from_fixture("demo");
    repo.edit(
        "incident-response/threats/malicious.yaml",
        "    techniques: [MS-TA9001]",
        "    technique: [MS-TA9001]",
    );
    repo.edit(
        "incident-response/threats/malicious.yaml",
        "    techniques: [MS-TA9006]",
        "    techniques: [TA9006]",
    );
    repo.commit_all("typos");
    let (code, json, _) = check_json(repo.path(), &[]);
    assert_eq!(code, 1);
    let msgs: Vec<String> = findings_of(&json, "plan-schema")
        .iter()
        .map(|f| {
            format!(
                "{}: {}",
                f["location"]["line"],
                f["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("13: ") && m.contains("did you mean `techniques`")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.starts_with("37: ")
            && m.contains("a Threat Matrix for Kubernetes id such as MS-TA9038")),
        "{msgs:?}"
    );
}

#[test]
fn explain_names_the_risks_and_their_techniques() {
    let r = run(plancheck().args(["explain", "threat-coverage"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for want in [
        "Risks checked (plancheck.risks.builtin):",
        "delete-reclaim-policy: a PersistentVolume or StorageClass",
        "techniques: MS-TA9038 Data destruction;",
        "techniques: MS-TA9005 Exposed sensitive interfaces, MS-TA9040 Denial of service;",
    ] {
        assert!(r.stdout.contains(want), "missing {want:?}:\n{}", r.stdout);
    }
    let r = run(plancheck().args(["explain", "manifest-area"]));
    assert!(
        r.stdout
            .contains("Kinds that need an area (plancheck.risks.builtin): ClusterRole,"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_policy_directory_extends_the_risk_catalogue() {
    let repo = Repo::from_fixture("demo");
    repo.write(
        "policies/risks.rego",
        "package plancheck.risks.kestrel\n\nimport rego.v1\n\n\
         risks[\"velero-schedule\"] := {\"matches\": \"a Velero Schedule\", \"techniques\": [\"MS-TA9022\"], \
         \"title\": \"Backups tampered with\", \"source\": \"malicious\", \"severity\": \"SEV2\"}\n\n\
         hits contains {\"risk\": \"velero-schedule\", \"index\": i, \"path\": [\"manifests\", i, \"object\", \"kind\"]} if {\n\
         \tsome i, m in input.manifests\n\tm.object.kind == \"Schedule\"\n}\n",
    );
    repo.write(".plancheck.toml", "policies = [\"policies\"]\n");
    repo.commit_all("own risk");
    let (_, json, stderr) = check_json(repo.path(), &[]);
    let found = findings_of(&json, "threat-coverage");
    assert_eq!(found.len(), 1, "{json} {stderr}");
    assert_eq!(
        found[0]["location"]["path"],
        "clusters/prod-eu/backup/velero-schedule.yaml"
    );
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("MS-TA9022 (Delete Kubernetes events)"),
        "{}",
        found[0]
    );
}

#[test]
fn init_from_manifests_writes_threats_for_the_risks_plain_init_points_to_them() {
    let repo = Repo::new();
    repo.write(
        "deploy/storage.yaml",
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: x\nreclaimPolicy: Delete\n",
    );
    repo.commit_all("manifests");
    let r = run(plancheck().arg("init").arg(repo.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("show 1 risk no threat covers: `plancheck threats suggest`"),
        "{}",
        r.stdout
    );
    let repo = Repo::new();
    repo.write(
        "deploy/storage.yaml",
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: x\nreclaimPolicy: Delete\n",
    );
    repo.commit_all("manifests");
    let r = run(plancheck()
        .args(["init", "--from-manifests"])
        .arg(repo.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("wrote incident-response/kubernetes-threats.yaml: 1 threat"),
        "{}",
        r.stdout
    );
    let written = repo.read("incident-response/kubernetes-threats.yaml");
    assert!(
        written.starts_with("apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\n"),
        "{written}"
    );
    assert!(written.contains("techniques: [MS-TA9038]"), "{written}");
    // The file loads as part of the plan: threat-coverage has nothing left to say.
    repo.add_all();
    let (_, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(
        findings_of(&json, "threat-coverage").len(),
        0,
        "{json} {stderr}"
    );
    assert_eq!(findings_of(&json, "plan-schema").len(), 0, "{json}");
}

#[test]
fn checking_a_manifest_file_shows_only_its_findings() {
    let repo = risky_demo();
    let r = run(plancheck()
        .arg("check")
        .arg(
            repo.path()
                .join("clusters/prod-eu/storage/storageclass.yaml"),
        )
        .args(["--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let paths: Vec<&str> = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["location"]["path"].as_str())
        .collect();
    assert_eq!(paths, ["clusters/prod-eu/storage/storageclass.yaml"]);
}

#[test]
fn a_waiver_targets_a_kubernetes_object_by_its_kind_namespace_and_name() {
    let repo = Repo::from_fixture("broken/manifest-area");
    repo.write(
        "incident-response/waivers.yaml",
        "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nwaivers:\n  - {rule: manifest-area, target: Deployment/shop/web, reason: moving to the shop team's repository, expires: 2099-01-01}\n",
    );
    repo.commit_all("waive the web deployment");
    // (ref-resolves still reports the target as an unknown plan id: waiver targets are
    // checked against plan ids only.)
    let (_, json, _) = check_json(repo.path(), &[]);
    let messages: Vec<&str> = findings_of(&json, "manifest-area")
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages
        .iter()
        .all(|m| !m.starts_with("Deployment shop/web")));
    let suppressed = json["suppressed"].as_array().map_or(0, Vec::len);
    assert_eq!(suppressed, 1, "{json}");
}

#[test]
fn a_user_catalogue_that_fails_is_named_with_its_file_and_line_and_exits_2() {
    let repo = Repo::from_fixture("demo");
    repo.write(
        "policies/risks.rego",
        "package plancheck.risks.kestrel\n\nimport rego.v1\n\n\
         risks[\"odd\"] := {\"matches\": \"x\", \"techniques\": [\"MS-TA9022\"], \
         \"title\": \"x\", \"source\": \"malicious\", \"severity\": \"SEV2\"}\n\n\
         hits contains {\"risk\": \"odd\", \"index\": n, \"path\": []} if {\n\
         \tn := to_number(\"not a number\")\n}\n",
    );
    repo.write(".plancheck.toml", "policies = [\"policies\"]\n");
    repo.commit_all("broken risk");
    let (code, _, stderr) = check_json(repo.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("policies/risks.rego:8"), "{stderr}");
}

#[test]
fn a_user_rule_that_evaluates_the_catalogue_on_another_input_sees_its_rules() {
    // `with input as` re-evaluates the catalogue's rules on that input: the catalogue given
    // to the rules as data (evaluated once, on the real input) must not answer for it.
    let repo = Repo::from_fixture("demo");
    repo.write(
        "policies/ours.rego",
        "package plancheck.ours\n\nimport rego.v1\n\n\
         warn_cronjobs contains \"a CronJob input shows the cronjob risk\" if {\n\
         \tsome h in data.plancheck.risks.builtin.hits with input as {\"manifests\": [{\"object\": {\"kind\": \"CronJob\", \"metadata\": {\"name\": \"x\"}}}]}\n\
         \th.risk == \"cronjob\"\n}\n",
    );
    repo.write(".plancheck.toml", "policies = [\"policies\"]\n");
    repo.commit_all("own rule");
    let (_, json, stderr) = check_json(repo.path(), &[]);
    assert_eq!(
        findings_of(&json, "ours-cronjobs").len(),
        1,
        "{json} {stderr}"
    );
}
