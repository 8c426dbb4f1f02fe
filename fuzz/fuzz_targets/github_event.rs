//! The GitHub event reader: the first byte picks the event name, the rest is the file
//! GITHUB_EVENT_PATH names, read through `Actions::from_env` as `plancheck github` does. An
//! event that cannot be used is an error naming the event file; one that can yields the
//! values written in it.
#![no_main]

use std::io::Write;
use std::sync::OnceLock;

use plancheck::github::env::{Actions, Trigger};

const NAMES: [&str; 6] = [
    "pull_request",
    "pull_request_target",
    "workflow_run",
    "push",
    "merge_group",
    "workflow_dispatch",
];

fn event_file() -> &'static std::path::Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("plancheck-fuzz-event-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        for var in [
            "GITHUB_REPOSITORY",
            "GITHUB_TOKEN",
            "GITHUB_API_URL",
            "GITHUB_SERVER_URL",
        ] {
            std::env::remove_var(var);
        }
        dir.join("event.json")
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((pick, event)) = data.split_first() else {
        return;
    };
    let name = NAMES[*pick as usize % NAMES.len()];
    let path = event_file();
    std::fs::File::create(path)
        .and_then(|mut f| f.write_all(event))
        .expect("writes the event file");
    std::env::set_var("GITHUB_EVENT_NAME", name);
    std::env::set_var("GITHUB_EVENT_PATH", path);
    let shown = path.display().to_string();
    let actions = match Actions::from_env() {
        Ok(a) => a,
        Err(e) => {
            let msg = format!("{e:#}");
            assert!(
                msg.contains(&shown),
                "an event error that does not name the file: {msg}"
            );
            return;
        }
    };
    let json: serde_json::Value = serde_json::from_slice(event).expect("from_env read JSON");
    assert_eq!(actions.event, json);
    if let Some(full) = json
        .pointer("/repository/full_name")
        .and_then(|v| v.as_str())
    {
        if !full.trim().is_empty() {
            assert_eq!(actions.repository, full);
        }
    }
    match actions.trigger() {
        Err(e) => {
            let msg = format!("{e:#}");
            assert!(
                msg.contains(&shown),
                "a trigger error that does not name the file: {msg}"
            );
        }
        Ok(Trigger::PullRequest(pr)) => {
            assert!(name.starts_with("pull_request"));
            let s = |p: &str| json.pointer(p).and_then(|v| v.as_str());
            assert_eq!(Some(pr.head_sha.as_str()), s("/pull_request/head/sha"));
            assert_eq!(Some(pr.base_sha.as_str()), s("/pull_request/base/sha"));
            if name == "pull_request_target" {
                assert!(!pr.read_only, "pull_request_target tokens can write");
            }
        }
        Ok(Trigger::WorkflowRun(run)) => {
            assert_eq!(name, "workflow_run");
            assert_eq!(
                Some(run.head_sha.as_str()),
                json.pointer("/workflow_run/head_sha")
                    .and_then(|v| v.as_str())
            );
        }
        Ok(Trigger::Other) => assert!(!name.starts_with("pull_request") && name != "workflow_run"),
    }
});
