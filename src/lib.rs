//! plancheck: check Kubernetes incident-response plans kept as code.
//!
//! The pipeline flows one way: [`snapshot`] (worktree or git revision) → [`workspace`]
//! (plan files and CODEOWNERS parsed once, with positions) → [`input`] (the document
//! policies see, and the way back to file:line) → [`policy`] (regorus) → [`finding`]
//! → [`report`].

pub mod check;
pub mod checked;
pub mod cli;
pub mod codeowners;
pub mod config;
pub mod diff;
pub mod error;
pub mod finding;
pub mod github;
pub mod init;
pub mod input;
pub mod plan;
pub mod policy;
pub mod report;
pub mod snapshot;
pub mod testing;
pub mod workspace;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

use cli::{CheckFormat, Cli, ColorChoice, Command, ListFormat, LoadArgs};
use error::Advice;
use policy::PolicySet;

/// What a command printed and the exit code it asks for (0 or 1; errors are 2, in `main`).
#[derive(Debug)]
pub struct Output {
    pub stdout: String,
    /// Progress and timing lines (`-v`), printed on stderr before stdout.
    pub stderr: String,
    pub code: u8,
}

fn ok(stdout: String) -> Output {
    Output {
        stdout,
        stderr: String::new(),
        code: 0,
    }
}

fn use_color(choice: ColorChoice) -> bool {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto if set("FORCE_COLOR") => true,
        ColorChoice::Auto => std::io::stdout().is_terminal(),
    }
}

/// `-v`: what was loaded from where, and how long each stage took.
fn verbose_check(opened: &check::Opened, outcome: &check::Outcome, elapsed: Duration) -> String {
    let ws = &opened.workspace;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let config = ws
        .config
        .path
        .clone()
        .unwrap_or_else(|| "none (defaults)".into());
    let codeowners = match &ws.codeowners.path {
        Some(p) => format!("{p} ({} rules)", ws.codeowners.parsed.rules.len()),
        None => "none".into(),
    };
    let rules = &opened.policies.rules;
    let custom = rules.iter().filter(|r| !r.builtin).count();
    let mut s = String::new();
    s.push_str(&format!("plancheck: reading {}\n", ws.source));
    s.push_str(&format!("plancheck: configuration: {config}\n"));
    s.push_str(&format!(
        "plancheck: plan files: {}\n",
        ws.plan
            .files
            .iter()
            .map(|f| f.path.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    s.push_str(&format!(
        "plancheck: CODEOWNERS: {codeowners}; {} tracked files\n",
        ws.tracked.len()
    ));
    s.push_str(&format!(
        "plancheck: {} rules ({} built-in, {custom} from policy directories) loaded and evaluated in {:.1} ms{}\n",
        rules.len(),
        rules.len() - custom,
        ms(elapsed),
        if outcome.policies_skipped {
            " (policies skipped: schema errors)"
        } else {
            ""
        }
    ));
    s
}

fn timeout_arg(secs: f64) -> Result<Duration> {
    if !(secs.is_finite() && secs > 0.0 && secs <= 3600.0) {
        return Err(Advice::new(
            format!("invalid --timeout {secs}"),
            "give a number of seconds between 0 and 3600",
        )
        .into());
    }
    Ok(Duration::from_secs_f64(secs))
}

/// `plancheck test` directories: as given, else the `policies` of the nearest configuration,
/// else the nearest `policies` directory.
fn test_dirs(dirs: Vec<PathBuf>) -> Result<(Vec<policy::PolicyDir>, Vec<PathBuf>)> {
    if !dirs.is_empty() {
        return Ok((
            dirs.iter()
                .map(|d| policy::PolicyDir::new(d, d.display().to_string()))
                .collect(),
            Vec::new(),
        ));
    }
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    if let Some((root, config)) = nearest_config(&cwd)? {
        if !config.policies.is_empty() {
            return Ok((
                config
                    .policies
                    .iter()
                    .map(|d| policy::PolicyDir::new(root.join(d), d.as_str()))
                    .collect(),
                config.data.iter().map(|d| root.join(d)).collect(),
            ));
        }
    }
    let top = snapshot::locate(&cwd, false).map_or_else(|_| cwd.clone(), |r| r.root);
    for dir in cwd.ancestors() {
        if dir.join("policies").is_dir() {
            return Ok((
                vec![policy::PolicyDir::new(dir.join("policies"), "policies")],
                Vec::new(),
            ));
        }
        if dir == top {
            break;
        }
    }
    Err(Advice::new(
        "no policy directory to test",
        "pass one (`plancheck test policies`) or list it in .plancheck.toml: policies = [\"policies\"]",
    )
    .into())
}

fn options(dir: Option<PathBuf>, load: LoadArgs) -> Result<check::Options> {
    let timeout = load.timeout.map(timeout_arg).transpose()?;
    Ok(check::Options {
        dir,
        rev: load.rev,
        staged: load.staged,
        config: load.config,
        policies: load.policies,
        namespaces: policy::Namespaces {
            globs: load.namespaces,
            all: load.all_namespaces,
        },
        data: load.data,
        now: load.now,
        timeout,
    })
}

pub fn run(cli: Cli) -> Result<Output> {
    let color = use_color(cli.color);
    match cli.command {
        Command::Check {
            dir,
            load,
            format,
            fail_on,
            base,
            filter_mode,
            fail_on_existing,
            trusted_policies,
        } => {
            let opts = options(dir, load)?;
            let started = std::time::Instant::now();
            let diff_opts = base.map(|base| diff::DiffOptions {
                base,
                filter: filter_mode,
                trusted: trusted_policies,
                fail_on_existing,
            });
            let checked = checked::Checked::run(&opts, diff_opts.as_ref())?;
            let elapsed = started.elapsed();
            let head = checked.head();
            let report = checked.report(None);
            let stdout = match format {
                CheckFormat::Json => report::json::render(&report),
                CheckFormat::Human => report::human::render(&report, color, cli.quiet),
                CheckFormat::Markdown => report::markdown::render(&report),
                CheckFormat::Sarif => report::sarif::render(&report, &head.policies.rules),
                CheckFormat::Junit => report::junit::render(&report, &head.policies.rules),
                CheckFormat::Github => report::github::render(&report),
                CheckFormat::Rdjson => report::rdjson::render(&report, &head.policies.rules),
                CheckFormat::Gitlab => report::gitlab::render(&report),
            };
            let failing = !checked
                .failing(checked.fail_on(fail_on), fail_on_existing)
                .is_empty();
            let stderr = if cli.verbose {
                verbose_check(head, &checked.outcome, elapsed)
            } else {
                String::new()
            };
            Ok(Output {
                stdout,
                stderr,
                code: u8::from(failing),
            })
        }
        Command::Github(args) => github::run(&args, cli.quiet),
        Command::Parse { dir, load } => {
            let opened = check::open(&options(dir, load)?)?;
            let (input, _) = check::input_document(&opened);
            let json = serde_json::to_string_pretty(&input)
                .context("cannot serialise the input document")?;
            Ok(ok(json + "\n"))
        }
        Command::Owners {
            paths,
            dir,
            rev,
            format,
        } => owners(&paths, dir.as_deref(), rev.as_deref(), format),
        Command::Rules { policies, format } => {
            let set = policy_set(&policies)?;
            Ok(ok(match format {
                ListFormat::Json => rules_json(&set)?,
                ListFormat::Human => rules_human(&set),
            }))
        }
        Command::Explain { id, policies } => {
            let set = policy_set(&policies)?;
            let Some(rule) = set.rule(&id) else {
                let ids = set.rule_ids().join(", ");
                return Err(Advice::new(
                    format!("unknown rule `{id}`"),
                    format!("known rules: {ids}"),
                )
                .into());
            };
            let mut s = format!(
                "{} ({})\n\n{}\n",
                rule.id,
                rule.severity.as_str(),
                rule.title
            );
            if !rule.description.is_empty() {
                s.push_str(&format!("\n{}\n", rule.description));
            } else if !rule.builtin && !rule.query.is_empty() {
                s.push_str(&format!(
                    "\nThis rule has no METADATA block, so its id comes from package {} and rule {}. \
                     Add a `# METADATA` block above the rule to give it a title, a description, a \
                     severity (custom.severity) and help (custom.help).\n",
                    rule.package, rule.name
                ));
            }
            if let Some(h) = &rule.help {
                s.push_str(&format!("\nHow to fix: {h}\n"));
            }
            for r in &rule.related {
                s.push_str(&format!("See also: {r}\n"));
            }
            if rule.line > 0 {
                s.push_str(&format!("\nDefined in {}:{}\n", rule.file, rule.line));
            } else {
                s.push_str(&format!("\nDefined in {}\n", rule.file));
            }
            Ok(ok(s))
        }
        Command::Test {
            dirs,
            run,
            coverage,
            threshold,
            data,
            timeout,
            format,
        } => {
            let run = run
                .map(|r| {
                    regex::Regex::new(&r).map_err(|e| {
                        Advice::new(
                            format!("invalid --run regular expression: {e}"),
                            "e.g. --run owner or --run 'threat_owner_test\\.test_.*missing'",
                        )
                    })
                })
                .transpose()?;
            if let Some(t) = threshold {
                if !(0.0..=100.0).contains(&t) {
                    return Err(Advice::new(
                        format!("invalid --threshold {t}"),
                        "give a percentage between 0 and 100",
                    )
                    .into());
                }
            }
            let (dirs, mut config_data) = test_dirs(dirs)?;
            config_data.extend(data);
            let opts = testing::TestOptions {
                dirs,
                run,
                coverage,
                threshold,
                data: config_data,
                timeout: timeout_arg(timeout)?,
                now: check::today(),
            };
            let report = testing::run(&opts)?;
            let stdout = match format {
                ListFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
                ListFormat::Human => testing::human(&report, cli.quiet),
            };
            Ok(Output {
                stdout,
                stderr: String::new(),
                code: report.exit_code(),
            })
        }
        Command::Init {
            dir,
            force,
            from_codeowners,
        } => {
            let root = match dir {
                Some(d) => d,
                None => {
                    let cwd =
                        std::env::current_dir().context("cannot read the current directory")?;
                    snapshot::locate(&cwd, false).map_or(cwd, |r| r.root)
                }
            };
            let done = init::init(&init::InitOptions {
                root,
                force,
                from_codeowners,
                today: check::today(),
            })?;
            Ok(ok(init::summary(&done)))
        }
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "plancheck", &mut buf);
            Ok(ok(String::from_utf8_lossy(&buf).into_owned()))
        }
        Command::Schema => {
            let s = serde_json::to_string_pretty(&plan::schema::json_schema())
                .context("cannot serialise the schema")?;
            Ok(ok(s + "\n"))
        }
    }
}

/// The nearest directory, from `start` up to its repository's top, holding a configuration
/// file, with that configuration.
fn nearest_config(start: &Path) -> Result<Option<(PathBuf, config::Config)>> {
    let top = snapshot::locate(start, false).map_or_else(|_| start.to_path_buf(), |r| r.root);
    for dir in start.ancestors() {
        let config = check::read_config_at(dir)?;
        if config.path.is_some() {
            return Ok(Some((dir.to_path_buf(), config)));
        }
        if dir == top {
            break;
        }
    }
    Ok(None)
}

/// The pack `rules` and `explain` describe: built-in, the configuration's policies, `--policy`.
fn policy_set(dirs: &[PathBuf]) -> Result<PolicySet> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let mut all: Vec<policy::PolicyDir> = Vec::new();
    if let Some((root, config)) = nearest_config(&cwd)? {
        all.extend(
            config
                .policies
                .iter()
                .map(|d| policy::PolicyDir::new(root.join(d), d.as_str())),
        );
    }
    all.extend(
        dirs.iter()
            .map(|d| policy::PolicyDir::new(d, d.display().to_string())),
    );
    PolicySet::load(&all, &policy::Namespaces::default(), false)
}

fn rules_human(set: &PolicySet) -> String {
    let width = set.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut s = String::new();
    for r in &set.rules {
        let origin = if r.builtin {
            String::new()
        } else {
            format!("  ({}:{})", r.file, r.line)
        };
        s.push_str(&format!(
            "{:width$}  {:7}  {}{origin}\n",
            r.id,
            r.severity.as_str(),
            r.title
        ));
    }
    s
}

fn rules_json(set: &PolicySet) -> Result<String> {
    let rules: Vec<serde_json::Value> = set
        .rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id, "severity": r.severity, "title": r.title, "description": r.description,
                "help": r.help, "related_resources": r.related, "file": r.file, "line": r.line,
                "query": r.query,
                "builtin": r.builtin,
            })
        })
        .collect();
    Ok(serde_json::to_string_pretty(&rules)? + "\n")
}

fn owners(
    paths: &[String],
    dir: Option<&Path>,
    rev: Option<&str>,
    format: ListFormat,
) -> Result<Output> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let located = snapshot::locate(dir.unwrap_or(&cwd), dir.is_some())?;
    let root = located.root.clone();
    // Paths are taken relative to the current directory when it is inside the checked root.
    let base = cwd
        .canonicalize()
        .ok()
        .and_then(|c| c.strip_prefix(&root).ok().map(snapshot::to_slash))
        .unwrap_or_default();
    let snap: Box<dyn snapshot::Snapshot> = match rev {
        Some(r) => Box::new(snapshot::RevisionSnapshot::new(located, r)?),
        // Only CODEOWNERS is read: narrow git's search for untracked files to its locations.
        None => Box::new(snapshot::WorktreeSnapshot::new(
            &located,
            &codeowners::LOCATIONS.map(String::from),
        )?),
    };
    let co = workspace::load_codeowners(snap.as_ref())?;
    let mut rows = Vec::new();
    for p in paths {
        // An absolute path into the checkout (`$PWD/docs/x`) is that file; any other path
        // starting with `/` is from the repository's root, as in CODEOWNERS.
        let repo_path = match check::within(&root, Path::new(p)) {
            Some(rel) if Path::new(p).is_absolute() => rel,
            _ => normalize_path(&base, p).ok_or_else(|| {
                Advice::new(
                    format!("{p}: outside the repository"),
                    "give a path inside the checked repository (relative to the current directory, or from its root with a leading /)",
                )
            })?,
        };
        let rule = co.parsed.owner_of(&repo_path);
        rows.push((
            repo_path,
            rule.map(|r| r.owners.clone()).unwrap_or_default(),
            rule.map(|r| r.line),
        ));
    }
    let stdout = match format {
        ListFormat::Json => {
            let v: Vec<serde_json::Value> = rows
                .iter()
                .map(|(p, o, l)| serde_json::json!({"path": p, "owners": o, "line": l}))
                .collect();
            serde_json::to_string_pretty(&v)? + "\n"
        }
        ListFormat::Human => {
            let file = co.path.as_deref().unwrap_or("CODEOWNERS");
            let width = rows.iter().map(|(p, _, _)| p.len()).max().unwrap_or(0);
            let mut s = String::new();
            if co.path.is_none() {
                s.push_str("no CODEOWNERS file (looked in .github/, the root and docs/)\n");
            }
            for (p, o, l) in &rows {
                let who = if o.is_empty() {
                    "(no owners)".to_string()
                } else {
                    o.join(" ")
                };
                let line =
                    l.map_or_else(|| "no matching line".to_string(), |l| format!("{file}:{l}"));
                s.push_str(&format!("{p:width$}  {who}  [{line}]\n"));
            }
            s
        }
    };
    Ok(ok(stdout))
}

/// Joins a user-typed path onto the current directory's place in the repository.
/// `p` as a repository path: relative to `base` (the current directory's path in the
/// repository), or from the root with a leading `/`; `None` when `..` climbs above the root.
fn normalize_path(base: &str, p: &str) -> Option<String> {
    let mut parts: Vec<&str> = if p.starts_with('/') || base.is_empty() {
        Vec::new()
    } else {
        base.split('/').collect()
    };
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}
