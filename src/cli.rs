//! Command-line definitions (clap) only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::finding::FailOn;

pub mod env;

/// Removes `PLANCHECK_*` and `GITHUB_TOKEN` variables that are set but empty, so they count as
/// unset: a GitHub Action passes every optional input, empty when not given.
pub fn drop_empty_env() {
    let empty: Vec<std::ffi::OsString> = std::env::vars_os()
        .filter(|(k, v)| {
            let k = k.to_string_lossy();
            (k.starts_with("PLANCHECK_") || k == "GITHUB_TOKEN")
                && v.to_string_lossy().trim().is_empty()
        })
        .map(|(k, _)| k)
        .collect();
    for k in empty {
        // Single-threaded: called first thing in `main`, before any thread starts.
        std::env::remove_var(k);
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "plancheck",
    version,
    about = "Check Kubernetes incident-response plans kept as code",
    long_about = "plancheck reads the incident-response plan files of a repository (threats, contacts, \
teams and on-call, areas of expertise, escalation policies) and its CODEOWNERS, evaluates Rego \
policies on them, and reports what is wrong at file:line.\n\n\
Exit codes: 0 no failing finding, 1 failing findings, 2 the run itself failed.",
    after_help = "Examples:\n  plancheck check                     check the repository you are in\n  plancheck check fixtures/demo       check a plan repository kept in a directory\n  plancheck check --rev main --format json\n  plancheck owners incident-response/plan.yaml\n  plancheck explain area-min-contacts"
)]
pub struct Cli {
    /// When to use colour: auto honours NO_COLOR, FORCE_COLOR and whether output is a terminal.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, env = "PLANCHECK_COLOR")]
    pub color: ColorChoice,
    /// Also print, on stderr, what was loaded and how long each stage took.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// rustc-style diagnostics with the source line.
    Human,
    /// Versioned JSON (see README.md).
    Json,
    /// Markdown, for a pull-request comment or a job summary.
    Markdown,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// JUnit XML, for GitLab, Jenkins and other CI test reports.
    Junit,
    /// GitHub Actions workflow-command annotations.
    Github,
    /// reviewdog's Diagnostic format (rdjson): review comments on GitLab, Bitbucket, Gerrit.
    Rdjson,
    /// GitLab Code Quality report, for the merge-request widget.
    Gitlab,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct LoadArgs {
    /// Read the files of this git revision (branch, tag, commit) instead of the working tree.
    #[arg(long, value_name = "REV", env = "PLANCHECK_REV")]
    pub rev: Option<String>,
    /// Check what is staged in the git index (what `git commit` would record), not the working
    /// tree; this is what the pre-commit hook runs.
    #[arg(long, conflicts_with = "rev")]
    pub staged: bool,
    /// Configuration file (default: .plancheck.toml, plancheck.toml or .github/plancheck.toml at the root).
    #[arg(long, value_name = "FILE", env = "PLANCHECK_CONFIG")]
    pub config: Option<PathBuf>,
    /// Add the Rego policies in this directory (repeatable). A directory that declares a
    /// built-in package (e.g. `plancheck.threat_owner`) replaces that built-in rule.
    #[arg(
        long = "policy",
        value_name = "DIR",
        env = "PLANCHECK_POLICY",
        value_delimiter = ','
    )]
    pub policies: Vec<PathBuf>,
    /// Run only the packages matching this glob (repeatable), e.g. `plancheck.storage*` or
    /// `storage*`. Default: every package under `plancheck`.
    #[arg(
        long = "namespace",
        short = 'n',
        value_name = "GLOB",
        env = "PLANCHECK_NAMESPACE",
        value_delimiter = ','
    )]
    pub namespaces: Vec<String>,
    /// Also run rules of packages outside `plancheck` (e.g. conftest's `main`).
    #[arg(long, conflicts_with = "namespaces")]
    pub all_namespaces: bool,
    /// Add a JSON or YAML object to `data` for the policies (repeatable).
    #[arg(
        long = "data",
        short = 'd',
        value_name = "FILE",
        env = "PLANCHECK_DATA",
        value_delimiter = ','
    )]
    pub data: Vec<PathBuf>,
    /// "Now" for date and on-call rules: a date YYYY-MM-DD (midnight UTC) or an RFC 3339 instant
    /// such as 2026-12-12T03:00:00Z (default: today). On-call rules look ahead from it.
    #[arg(long, value_name = "TIME", env = "PLANCHECK_NOW")]
    pub now: Option<String>,
    /// Stop a policy that runs longer than this many seconds [default: 10, or `timeout` in the
    /// configuration].
    #[arg(long, value_name = "SECONDS", env = "PLANCHECK_TIMEOUT")]
    pub timeout: Option<f64>,
    /// Stop a policy whose evaluation takes plancheck past this much memory, e.g. 2GiB
    /// [default: 4GiB or half the machine's memory, or `max-memory` in the configuration].
    #[arg(long, value_name = "SIZE", env = "PLANCHECK_MAX_MEMORY")]
    pub max_memory: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the plan and CODEOWNERS and report findings.
    #[command(
        after_help = "Examples:\n  plancheck check\n  plancheck check fixtures/demo\n  plancheck check incident-response/teams.yaml   only the findings in that file\n  plancheck check --rev HEAD~1 --format json\n  plancheck check --fail-on warning\n  plancheck check --base main...          what this branch changes, as a pull request shows it\n  plancheck check --base origin/main --format markdown"
    )]
    Check(CheckArgs),
    /// Inside a GitHub Actions run: diff-aware check of the pull request, then the sticky
    /// comment, a review with line comments, annotations, job summary and step outputs.
    #[command(
        long_about = "Inside a GitHub Actions run: check the pull request the way `check --base` does \
(policies and configuration from the base branch, the gate on new findings), then publish: one \
sticky comment on the pull request (updated in place on every push), a review with line comments \
on new findings inside the diff, workflow-command annotations, the full report in the job summary, \
and the step outputs `findings`, `new-errors` and `sarif-file`.\n\n\
Reads GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_SERVER_URL, \
GITHUB_TOKEN, GITHUB_STEP_SUMMARY and GITHUB_OUTPUT. On `pull_request` and `pull_request_target` \
the base and head commits come from the event; on `workflow_run` (the safe way to comment on pull \
requests from forks) the pull request is looked up through the API. Any other event runs a plain \
check and writes the summary.\n\n\
A read-only token (a pull request from a fork) or an API error never changes the exit code: the \
findings still reach the annotations and the job summary, and one log line says why the comment \
was not written.\n\n\
Exit codes: 0 no failing finding, 1 failing findings, 2 the run itself failed.",
        after_help = "Examples:\n  plancheck github                       in a workflow step (see README.md)\n  plancheck github --review false --sarif plancheck.sarif\n  plancheck github --filter-mode file --fail-on warning"
    )]
    Github(GithubArgs),
    /// Print the input document the policies see, as JSON.
    #[command(
        after_help = "Examples:\n  plancheck parse > input.json\n  plancheck parse --rev main | jq '.plan.threats | length'"
    )]
    Parse(ParseArgs),
    /// Threats for what the Kubernetes manifests show (`plancheck threats suggest`).
    #[command(subcommand)]
    Threats(ThreatsCommand),
    /// Show which CODEOWNERS line owns each path.
    #[command(
        after_help = "Examples:\n  plancheck owners incident-response/plan.yaml\n  plancheck owners --format json clusters/prod/storage/pv.yaml"
    )]
    Owners(OwnersArgs),
    /// List the rules with their ids, severities and titles.
    #[command(
        after_help = "Examples:\n  plancheck rules\n  plancheck rules --policy policies --format json"
    )]
    Rules(RulesArgs),
    /// Explain one rule: what it demands, why, and how to fix a finding.
    #[command(after_help = "Example:\n  plancheck explain high-profile-executive")]
    Explain(ExplainArgs),
    /// Print the JSON Schema (draft 2020-12) of plan files, for editor completion.
    #[command(
        after_help = "Examples:\n  plancheck schema > plan.schema.json\n  # then, at the top of a plan file, for yaml-language-server:\n  # yaml-language-server: $schema=../plan.schema.json"
    )]
    Schema,
    /// Scaffold a starter plan, a configuration and a GitHub workflow.
    #[command(
        long_about = "Write a starter plan (incident-response/plan.yaml, with commented examples of every \
section), a .plancheck.toml and a GitHub workflow (.github/workflows/plancheck.yml), then print the \
CODEOWNERS line the plan needs and what to fill in. Existing files are never overwritten without \
--force.",
        after_help = "Examples:\n  plancheck init\n  plancheck init --from-codeowners      contacts, teams and areas from CODEOWNERS\n  plancheck init path/to/repo --force"
    )]
    Init(InitArgs),
    /// Who is on call now (or at --at), and who is paged, minute by minute, for an incident.
    #[command(
        long_about = "Who holds each team's on-call at an instant (default now; PLANCHECK_NOW too), with \
phone, email and local time, when the shift ends and who comes next. With --threat, --area or \
--path: who the effective escalation policy pages, level by level, for an incident at that instant.\n\n\
Exit codes: 0 answered, 2 bad arguments (an unknown team, threat or area, a bad time) or an \
unreadable plan.",
        after_help = "Examples:\n  plancheck oncall\n  plancheck oncall --team storage --at 2026-12-12T03:00:00Z\n  plancheck oncall --threat THR-001 --at 2026-12-12T03:00:00Z\n  plancheck oncall --path clusters/prod-eu/storage/pv.yaml --format json"
    )]
    Oncall(OncallArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  plancheck completions bash > ~/.local/share/bash-completion/completions/plancheck\n  plancheck completions zsh > \"${fpath[1]}/_plancheck\"\n  plancheck completions fish > ~/.config/fish/completions/plancheck.fish"
    )]
    Completions(CompletionsArgs),
    /// Run the Rego unit tests (`test_*` rules) of policy directories, like `opa test`.
    #[command(
        long_about = "Run the Rego unit tests (`test_*` rules) of policy directories, like `opa test`.\n\n\
Every .rego file under each DIR is loaded together with the built-in pack (a DIR that declares a \
built-in package replaces it), and every rule named `test_*` is evaluated: it passes when it is \
true. `todo_*` tests are listed as skipped. Every deny/violation/warn rule is then also evaluated \
once on sample plans, so a rule that errors at run time (a builtin plancheck does not have, a \
type error on an empty plan) fails here rather than in CI.\n\n\
Exit codes: 0 all passed, 1 a test failed or coverage is below --threshold, 2 a test or rule errored \
or a policy does not compile.",
        after_help = "Examples:\n  plancheck test policies\n  plancheck test policies --run owner\n  plancheck test policies --coverage --threshold 95\n  plancheck test --format json policies"
    )]
    Test(TestArgs),
}

/// The flags of `plancheck check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// What to check: a repository, or a plan kept in a directory of one (default: the git
    /// repository of the current directory); or plan files or directories inside it, to
    /// check the whole plan and report only their findings.
    #[arg(value_name = "PATH")]
    pub dir: Option<PathBuf>,
    #[command(flatten)]
    pub load: LoadArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human, env = "PLANCHECK_FORMAT")]
    pub format: CheckFormat,
    /// Which findings make the exit code 1 [default: error, or `fail-on` in the configuration].
    #[arg(long, value_enum, env = "PLANCHECK_FAIL_ON")]
    pub fail_on: Option<FailOn>,
    /// Print findings only, no summary lines (human format).
    #[arg(short, long)]
    pub quiet: bool,
    /// Diff mode: compare with this base revision (`main`, or `main...` for the merge base
    /// with head, as a pull request does). Findings get a status: new, existing or fixed.
    #[arg(long, value_name = "REV", env = "PLANCHECK_BASE")]
    pub base: Option<String>,
    /// Diff mode: which findings get line-level treatment, as reviewdog defines it.
    #[arg(long, value_enum, default_value_t = crate::diff::FilterMode::Added, requires = "base")]
    pub filter_mode: crate::diff::FilterMode,
    /// Diff mode: existing findings fail the run too (default: only new ones do).
    #[arg(long, requires = "base")]
    pub fail_on_existing: bool,
    /// Diff mode: where the policies and configuration come from.
    #[arg(long, value_enum, default_value_t = crate::diff::Trusted::Base, requires = "base")]
    pub trusted_policies: crate::diff::Trusted,
    /// Also verify CODEOWNERS owners with GitHub (needs GITHUB_TOKEN or GH_TOKEN): its own
    /// CODEOWNERS errors, write access, team members (docs/codeowners.md).
    #[arg(long, env = "PLANCHECK_ONLINE")]
    pub online: bool,
}

/// The flags of `plancheck parse`.
#[derive(Debug, Clone, Args)]
pub struct ParseArgs {
    /// Root of the repository (default: the git repository of the current directory).
    pub dir: Option<PathBuf>,
    #[command(flatten)]
    pub load: LoadArgs,
}

/// The flags of `plancheck owners`.
#[derive(Debug, Clone, Args)]
pub struct OwnersArgs {
    /// Repository paths (relative to the current directory when run inside the repository).
    #[arg(required = true)]
    pub paths: Vec<String>,
    /// Root of the repository (default: the git repository of the current directory).
    #[arg(short = 'C', long = "dir", value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Read CODEOWNERS from this git revision instead of the working tree.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

/// The flags of `plancheck rules`.
#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    /// Also list the rules of the policies in this directory (repeatable).
    #[arg(long = "policy", value_name = "DIR")]
    pub policies: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

/// The flags of `plancheck explain`.
#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// Rule id, e.g. threat-owner.
    pub id: String,
    #[arg(long = "policy", value_name = "DIR")]
    pub policies: Vec<PathBuf>,
}

/// The flags of `plancheck init`.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Repository root to write into (default: the git repository of the current directory).
    pub dir: Option<PathBuf>,
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
    /// Pre-fill contacts, teams and areas from the handles and patterns in CODEOWNERS.
    #[arg(long)]
    pub from_codeowners: bool,
    /// Also write incident-response/kubernetes-threats.yaml: a threat for every risk the
    /// repository's Kubernetes manifests show (as `plancheck threats suggest` prints them).
    #[arg(long)]
    pub from_manifests: bool,
}

/// The flags of `plancheck completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish.
    pub shell: clap_complete::Shell,
}

/// The flags of `plancheck test`.
#[derive(Debug, Clone, Args)]
pub struct TestArgs {
    /// Policy directories (default: `policies = [...]` of .plancheck.toml, else ./policies).
    pub dirs: Vec<PathBuf>,
    /// Run only tests whose full name (`data.<package>.<test>`) matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    pub run: Option<String>,
    /// Report line coverage of each policy file.
    #[arg(long)]
    pub coverage: bool,
    /// Fail (exit 1) when total line coverage is below this percentage (implies --coverage).
    #[arg(long, value_name = "PERCENT")]
    pub threshold: Option<f64>,
    /// Add a JSON or YAML object to `data` (repeatable).
    #[arg(long = "data", short = 'd', value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Stop a test that runs longer than this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub timeout: f64,
    /// Stop a test whose evaluation takes plancheck past this much memory [default: 4GiB or
    /// half the machine's memory].
    #[arg(long, value_name = "SIZE", env = "PLANCHECK_MAX_MEMORY")]
    pub max_memory: Option<String>,
    /// Print failures only, no passing tests or summary (human format).
    #[arg(short, long)]
    pub quiet: bool,
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

/// The flags of `plancheck github`.
#[derive(Debug, Clone, Args)]
pub struct GithubArgs {
    /// Root of the repository (default: the git repository of the current directory).
    pub dir: Option<PathBuf>,
    /// Configuration file (default: .plancheck.toml, plancheck.toml or .github/plancheck.toml
    /// at the root; taken from the base branch in a pull request).
    #[arg(long, value_name = "FILE", env = "PLANCHECK_CONFIG")]
    pub config: Option<PathBuf>,
    /// Which new findings become line comments, as reviewdog defines it.
    #[arg(long, value_enum, default_value_t = crate::diff::FilterMode::Added, env = "PLANCHECK_FILTER_MODE")]
    pub filter_mode: crate::diff::FilterMode,
    /// Which findings make the exit code 1 [default: error, or `fail-on` in the configuration].
    #[arg(long, value_enum, env = "PLANCHECK_FAIL_ON")]
    pub fail_on: Option<FailOn>,
    /// Existing findings fail the run too (default: only the ones the pull request adds).
    #[arg(long, env = "PLANCHECK_FAIL_ON_EXISTING")]
    pub fail_on_existing: bool,
    /// Write the sticky pull-request comment.
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set, env = "PLANCHECK_COMMENT")]
    pub comment: bool,
    /// Post new findings inside the diff as review line comments.
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set, env = "PLANCHECK_REVIEW")]
    pub review: bool,
    /// Verify CODEOWNERS owners with GitHub: its own CODEOWNERS errors, write access, team members.
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set, env = "PLANCHECK_VERIFY_OWNERS")]
    pub verify_owners: bool,
    /// Also write the report as SARIF 2.1.0 to this file (for github/codeql-action/upload-sarif).
    #[arg(long, value_name = "FILE", env = "PLANCHECK_SARIF")]
    pub sarif: Option<PathBuf>,
    /// "Now" for date and on-call rules: a date YYYY-MM-DD (midnight UTC) or an RFC 3339 instant
    /// such as 2026-12-12T03:00:00Z (default: today). On-call rules look ahead from it.
    #[arg(long, value_name = "TIME", env = "PLANCHECK_NOW")]
    pub now: Option<String>,
    /// Log less: no closing summary line, and no note when there is no job summary file.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The flags of `plancheck oncall`.
#[derive(Debug, Clone, Args)]
pub struct OncallArgs {
    /// Root of the repository (default: the git repository of the current directory).
    pub dir: Option<PathBuf>,
    /// Read the plan of this git revision instead of the working tree.
    #[arg(long, value_name = "REV", env = "PLANCHECK_REV")]
    pub rev: Option<String>,
    /// Configuration file (default: .plancheck.toml, plancheck.toml or .github/plancheck.toml at the root).
    #[arg(long, value_name = "FILE", env = "PLANCHECK_CONFIG")]
    pub config: Option<PathBuf>,
    /// The instant to answer for: a date (midnight UTC) or an RFC 3339 instant
    /// [default: PLANCHECK_NOW, else now].
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Only this team (repeatable).
    #[arg(long = "team", value_name = "ID", conflicts_with_all = ["threat", "area", "path"])]
    pub teams: Vec<String>,
    /// Who is paged, minute by minute, for an incident on this threat (its effective
    /// escalation policy: its own, else its area's team's).
    #[arg(long, value_name = "ID", conflicts_with_all = ["area", "path"])]
    pub threat: Option<String>,
    /// Who is paged, minute by minute, for an incident in this area (its team's policy).
    #[arg(long, value_name = "ID", conflicts_with = "path")]
    pub area: Option<String>,
    /// Who is paged, minute by minute, for an incident in the area whose `paths` cover this
    /// repository path.
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Subcommand)]
pub enum ThreatsCommand {
    /// Print ready-to-paste threats for every risk the Kubernetes manifests show that no
    /// threat's `techniques` names.
    #[command(
        long_about = "Print ready-to-paste YAML threats for every risk the Kubernetes manifests show \
(the risk catalogue: packages under plancheck.risks) that no threat's `techniques` names: the next \
free id, a title, source, severity and techniques from the catalogue, the area that owns the object \
when one does, `owner: TODO`, and a comment naming each manifest's path:line. Paste them under \
`threats:` in a plan file and set the owners; `threat-coverage` then passes.",
        after_help = "Examples:\n  plancheck threats suggest\n  plancheck threats suggest --rev main\n  plancheck threats suggest --format json | jq '.[].techniques'"
    )]
    Suggest {
        /// Root of the repository (default: the git repository of the current directory).
        dir: Option<PathBuf>,
        #[command(flatten)]
        load: LoadArgs,
        /// yaml (to paste into a plan) or json.
        #[arg(long, value_enum, default_value_t = SuggestFormat::Yaml)]
        format: SuggestFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SuggestFormat {
    Yaml,
    Json,
}
