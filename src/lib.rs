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
pub mod commands;
pub mod config;
pub mod diff;
pub mod error;
pub mod escalation;
pub mod finding;
pub mod github;
pub mod init;
pub mod input;
pub mod manifests;
pub mod oncall;
pub mod plan;
pub mod policy;
pub mod report;
pub mod safe_write;
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
    s.push_str(&ws.manifests.verbose());
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
    let (dir, only) = match dir {
        Some(d) => {
            let (root, only) = check::resolve_target(&d)?;
            (Some(root), only)
        }
        None => (None, Vec::new()),
    };
    Ok(check::Options {
        dir,
        only,
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
            quiet,
            base,
            filter_mode,
            fail_on_existing,
            trusted_policies,
            online,
        } => {
            let opts = options(dir, load)?;
            let started = std::time::Instant::now();
            let diff_opts = base.map(|base| diff::DiffOptions {
                base,
                filter: filter_mode,
                trusted: trusted_policies,
                fail_on_existing,
            });
            let mut checked = match checked::Checked::run(&opts, diff_opts.as_ref()) {
                Ok(c) => c,
                Err(err) => {
                    return match error::located(&err) {
                        Some(errors) if errors.iter().all(|e| e.source_line.is_some()) => {
                            Ok(load_errors(&errors, format, color))
                        }
                        _ => Err(err),
                    }
                }
            };
            let online_notes = if online {
                github::online::check(&opts, &mut checked)
            } else {
                Vec::new()
            };
            let elapsed = started.elapsed();
            let head = checked.head();
            let report = checked.report(None);
            let stdout = match format {
                CheckFormat::Json => report::json::render(&report),
                CheckFormat::Human => report::human::render(&report, color, quiet),
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
            let mut stderr = if cli.verbose {
                verbose_check(head, &checked.outcome, elapsed)
            } else {
                String::new()
            };
            for note in online_notes {
                stderr.push_str(&format!("{note}\n"));
            }
            if opts.staged {
                let unstaged = check::unstaged_plans(&opts, &head.workspace.config.plans);
                if !unstaged.is_empty() {
                    let files: Vec<&str> = unstaged
                        .iter()
                        .filter_map(|u| u.split(" (").next())
                        .collect();
                    stderr.push_str(&format!(
                        "plancheck: note: --staged checks what is staged, not {}; stage it (git add {}) to check it as it is now\n",
                        unstaged.join(", "),
                        files.join(" ")
                    ));
                }
            }
            Ok(Output {
                stdout,
                stderr,
                code: u8::from(failing),
            })
        }
        Command::Github(args) => match github::run(&args, args.quiet) {
            Err(err) => match error::located(&err) {
                // A plan file that does not parse: annotate its line, and put the snippet in
                // the job summary, as a check would show a finding.
                Some(errors) if errors.iter().all(|e| e.source_line.is_some()) => {
                    if let Some(path) =
                        std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty())
                    {
                        github::workflow::append(
                            Path::new(&path),
                            &report::markdown::render_errors(&errors),
                        )?;
                    }
                    Ok(load_errors(&errors, CheckFormat::Github, false))
                }
                _ => Err(err),
            },
            done => done,
        },
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
            s.push_str(&commands::threats::explain(&set, &rule.id)?);
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
            quiet,
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
                ListFormat::Human => testing::human(&report, quiet),
            };
            Ok(Output {
                stdout,
                stderr: String::new(),
                code: report.exit_code(),
            })
        }
        Command::Threats(cli::ThreatsCommand::Suggest { dir, load, format }) => {
            let opened = check::open(&options(dir, load)?)?;
            let found = commands::threats::suggestions(&opened)?;
            Ok(ok(commands::threats::render(&opened, &found, format)?))
        }
        Command::Init {
            dir,
            force,
            from_codeowners,
            from_manifests,
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
                root: root.clone(),
                force,
                from_codeowners,
                today: check::today(),
            })?;
            let manifests = commands::threats::after_init(&root, from_manifests)?;
            Ok(ok(init::summary(&done) + &manifests))
        }
        Command::Oncall(args) => commands::oncall::run(&args, color),
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

/// A check stopped by errors in files (a plan file or the configuration that does not parse):
/// each error rendered like a finding, in the requested format, exit code 2. Machine formats
/// go to stdout (a SARIF upload or a JSON reader still gets a valid document) and the plain
/// text to stderr; human output goes to stderr only.
fn load_errors(errors: &[error::Located], format: CheckFormat, color: bool) -> Output {
    let plain = || {
        let text: Vec<String> = errors.iter().map(|e| format!("error: {e}")).collect();
        text.join("\n") + "\n"
    };
    let (stdout, stderr) = match format {
        CheckFormat::Human => (String::new(), report::human::render_errors(errors, color)),
        CheckFormat::Json => (report::json::render_errors(errors), plain()),
        CheckFormat::Markdown => (report::markdown::render_errors(errors), plain()),
        CheckFormat::Sarif => (report::sarif::render_errors(errors), plain()),
        CheckFormat::Junit => (report::junit::render_errors(errors), plain()),
        CheckFormat::Github => (report::github::render_errors(errors), plain()),
        CheckFormat::Rdjson => (report::rdjson::render_errors(errors), plain()),
        CheckFormat::Gitlab => (report::gitlab::render_errors(errors), plain()),
    };
    Output {
        stdout,
        stderr,
        code: 2,
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
    let tracked = snap.tracked()?;
    let outside = |p: &str| {
        Advice::new(
            format!("{p}: outside the repository"),
            "give a path inside the checked repository (relative to the current directory, or from its root with a leading /)",
        )
    };
    let mut rows = Vec::new();
    let mut notes = String::new();
    for p in paths {
        let given = Path::new(p);
        // An absolute path into the checkout (`$PWD/docs/x`) is that file; an absolute path
        // to somewhere else on this machine is outside; any other path starting with `/` is
        // from the repository's root, as in CODEOWNERS.
        let in_repo = |rel: &str| {
            let under = format!("{rel}/");
            tracked.iter().any(|t| t == rel || t.starts_with(&under))
                || (rev.is_none() && root.join(rel).exists())
        };
        let on_this_machine = given.exists()
            || given
                .parent()
                .is_some_and(|d| d != Path::new("/") && d.exists());
        let repo_path = match check::within(&root, given) {
            Some(rel) if given.is_absolute() => rel,
            None if given.is_absolute()
                && on_this_machine
                && !normalize_path("", p).is_some_and(|r| in_repo(&r)) =>
            {
                return Err(outside(p).into());
            }
            _ => normalize_path(&base, p).ok_or_else(|| outside(p))?,
        };
        // A directory: every tracked file under it, as CODEOWNERS treats each of them.
        let under = format!("{}/", repo_path.trim_end_matches('/'));
        let is_dir = repo_path.is_empty()
            || p.ends_with('/')
            || (rev.is_none() && root.join(&repo_path).is_dir())
            || (!tracked.contains(&repo_path) && tracked.iter().any(|t| t.starts_with(&under)));
        if is_dir {
            let mut groups: DirRules = Vec::new();
            for t in tracked
                .iter()
                .filter(|t| repo_path.is_empty() || t.starts_with(&under))
            {
                let rule = co.parsed.owner_of(t);
                let line = rule.map(|r| r.line);
                match groups.iter_mut().find(|g| g.0 == line) {
                    Some(g) => g.2 += 1,
                    None => {
                        groups.push((line, rule.map(|r| r.owners.clone()).unwrap_or_default(), 1))
                    }
                }
            }
            groups.sort_by_key(|g| std::cmp::Reverse(g.2));
            let shown = if repo_path.is_empty() {
                "/".to_string()
            } else {
                under
            };
            rows.push(OwnersRow {
                path: shown,
                dir: Some(groups),
                owners: Vec::new(),
                line: None,
            });
            continue;
        }
        if !in_repo(&repo_path) {
            // CODEOWNERS answers for any path, so this is not an error; but a mistyped path
            // would otherwise look like a real answer (often the catch-all `*` line).
            let known: Vec<&str> = tracked.iter().map(String::as_str).collect();
            let hint = plan::schema::closest(&repo_path, &known)
                .map(|c| format!("; did you mean {c}?"))
                .unwrap_or_default();
            notes.push_str(&format!(
                "note: {repo_path} is not in the repository{hint} (the answer is for a file added there)\n"
            ));
        }
        let rule = co.parsed.owner_of(&repo_path);
        rows.push(OwnersRow {
            path: repo_path,
            dir: None,
            owners: rule.map(|r| r.owners.clone()).unwrap_or_default(),
            line: rule.map(|r| r.line),
        });
    }
    let stdout = match format {
        ListFormat::Json => {
            let v: Vec<serde_json::Value> = rows.iter().map(OwnersRow::json).collect();
            serde_json::to_string_pretty(&v)? + "\n"
        }
        ListFormat::Human => {
            let file = co.path.as_deref().unwrap_or("CODEOWNERS");
            let width = rows.iter().map(|r| r.path.len()).max().unwrap_or(0);
            let who = |o: &[String]| {
                if o.is_empty() {
                    "(no owners)".to_string()
                } else {
                    o.join(" ")
                }
            };
            let at = |l: Option<u32>| {
                l.map_or_else(|| "no matching line".to_string(), |l| format!("{file}:{l}"))
            };
            let mut s = String::new();
            if co.path.is_none() {
                s.push_str("no CODEOWNERS file (looked in .github/, the root and docs/)\n");
            }
            for r in &rows {
                let p = &r.path;
                match &r.dir {
                    None => s.push_str(&format!(
                        "{p:width$}  {}  [{}]\n",
                        who(&r.owners),
                        at(r.line)
                    )),
                    Some(groups) if groups.is_empty() => s.push_str(&format!(
                        "{p:width$}  a directory with no tracked files: ask for a file in it\n"
                    )),
                    Some(groups) => {
                        let total: usize = groups.iter().map(|g| g.2).sum();
                        match groups.as_slice() {
                            [(line, owners, _)] => s.push_str(&format!(
                                "{p:width$}  {}  [{}] (a directory: {})\n",
                                who(owners),
                                at(*line),
                                if total == 1 {
                                    "its one tracked file".to_string()
                                } else {
                                    format!("all {total} tracked files")
                                }
                            )),
                            _ => {
                                s.push_str(&format!(
                                    "{p:width$}  a directory of {} with different owners:\n",
                                    report::plural(total, "tracked file")
                                ));
                                for (line, owners, n) in groups {
                                    s.push_str(&format!(
                                        "  {}  [{}] {}\n",
                                        who(owners),
                                        at(*line),
                                        report::plural(*n, "file")
                                    ));
                                }
                            }
                        }
                    }
                }
            }
            s
        }
    };
    Ok(Output {
        stdout,
        stderr: notes,
        code: 0,
    })
}

/// For a directory: each deciding line (none when no line matches), its owners, and how many
/// tracked files under the directory it decides for.
type DirRules = Vec<(Option<u32>, Vec<String>, usize)>;

/// One answer of `plancheck owners`: a file and its deciding line, or a directory and the
/// lines that decide for the tracked files under it (with how many files each).
struct OwnersRow {
    path: String,
    dir: Option<DirRules>,
    owners: Vec<String>,
    line: Option<u32>,
}

impl OwnersRow {
    fn json(&self) -> serde_json::Value {
        match &self.dir {
            None => {
                serde_json::json!({"path": self.path, "owners": self.owners, "line": self.line})
            }
            Some(groups) => {
                let mut owners: Vec<&String> = Vec::new();
                for g in groups {
                    for o in &g.1 {
                        if !owners.contains(&o) {
                            owners.push(o);
                        }
                    }
                }
                let line = match groups.as_slice() {
                    [(l, _, _)] => *l,
                    _ => None,
                };
                serde_json::json!({
                    "path": self.path,
                    "directory": true,
                    "owners": owners,
                    "line": line,
                    "files": groups.iter().map(|g| g.2).sum::<usize>(),
                    "rules": groups.iter().map(|(l, o, n)| serde_json::json!({"line": l, "owners": o, "files": n})).collect::<Vec<_>>(),
                })
            }
        }
    }
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
