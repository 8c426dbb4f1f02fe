//! Rule ids and what plancheck knows about a rule: a leaf every stage may name.
//!
//! Most rules are Rego (their info comes from `# METADATA`); the few built into the loader and
//! diff mode are described here.

use crate::finding::Severity;

/// Where plancheck lives: SARIF's and rdjson's tool information, and `init`'s hook snippet.
pub const SOURCE_REPOSITORY: &str = "https://github.com/plancheck/plancheck";

/// The rule that reports a change to the policies or configuration that judge it.
pub const POLICY_CHANGED: &str = "policy-changed";

/// The rule that reports a waiver the change adds: plan data must not silence the change's
/// own findings without the plan owners' approval.
pub const WAIVER_ADDED: &str = "waiver-added";

/// The online rule that compares a plan team's members with its GitHub team's.
pub const TEAM_MEMBERS_DRIFT: &str = "team-members-drift";

/// The rule implemented by the loader rather than in Rego: schema problems in plan files.
pub const SCHEMA_RULE: &str = "plan-schema";

/// Everything plancheck knows about one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleInfo {
    pub id: String,
    /// `data.<package>.<rule>`
    pub query: String,
    pub package: String,
    /// The rule's name in Rego, e.g. `deny_two_zones`.
    pub name: String,
    pub severity: Severity,
    pub title: String,
    pub description: String,
    pub help: Option<String>,
    pub related: Vec<String>,
    pub file: String,
    pub line: u32,
    pub builtin: bool,
}

impl RuleInfo {
    pub(crate) fn policy_changed_rule() -> RuleInfo {
        RuleInfo {
            id: POLICY_CHANGED.into(),
            query: String::new(),
            package: String::new(),
            name: String::new(),
            severity: Severity::Warning,
            title: "A change to the policies or configuration is reviewed by their owners".into(),
            description: "In diff mode (--base), the policies and the configuration come from the base \
                          revision, so a change cannot rewrite the rules that judge it. When the change \
                          edits them (.plancheck.toml, a policy directory), this finding names the files \
                          and their CODEOWNERS owners, who should review it; the new rules apply once merged."
                .into(),
            help: Some("have the owners of these files review the change".into()),
            related: vec![],
            file: "(built into diff mode)".into(),
            line: 0,
            builtin: true,
        }
    }

    pub(crate) fn waiver_added_rule() -> RuleInfo {
        RuleInfo {
            id: WAIVER_ADDED.into(),
            query: String::new(),
            package: String::new(),
            name: String::new(),
            severity: Severity::Error,
            title: "A waiver the change adds is approved by the plan's owners".into(),
            description: "In diff mode (--base, and `plancheck github`), waivers are plan data the change itself \
                          can write: a change that adds a violation and a waiver for it would pass. So every \
                          waiver at head that the base does not hold (same rule and target, expiring no later) \
                          is reported at its line, naming the plan file's CODEOWNERS owners (from the base), \
                          who must approve it; as an error it fails the gate until the waiver is merged. The \
                          base's configuration may choose otherwise: `[rules.waiver-added] severity = \"warning\"` \
                          reports it without failing (the owners' review decides, e.g. with branch protection \
                          requiring code-owner review), `disable = true` drops it. The change's own \
                          configuration cannot choose this."
                .into(),
            help: Some("have the plan file's CODEOWNERS approve the waiver, or set `[rules.waiver-added]` in the base's configuration".into()),
            related: vec![],
            file: "(built into diff mode)".into(),
            line: 0,
            builtin: true,
        }
    }

    pub(crate) fn schema_rule() -> RuleInfo {
        RuleInfo {
            id: SCHEMA_RULE.into(),
            query: String::new(),
            package: String::new(),
            name: String::new(),
            severity: Severity::Error,
            title: "Plan files match the plan schema".into(),
            description: "Every plan file declares apiVersion plancheck.dev/v1 and kind IncidentResponsePlan, \
                          uses only known keys (custom ones start with x-), gives every list entry an id, and \
                          writes each field with the right type. Checked by the loader; while a plan has schema \
                          errors the policies are not evaluated, since they would judge data they cannot read."
                .into(),
            help: Some("`plancheck schema` prints the JSON Schema; point your editor at it for completion".into()),
            related: vec![],
            file: "(built into the loader)".into(),
            line: 0,
            builtin: true,
        }
    }

    /// `team-members-drift`, reported by the online checks (`plancheck github`,
    /// `check --online`).
    pub(crate) fn team_members_drift_rule() -> RuleInfo {
        RuleInfo {
            id: TEAM_MEMBERS_DRIFT.into(),
            query: String::new(),
            package: String::new(),
            name: String::new(),
            severity: Severity::Warning,
            title: "A plan team's members are its GitHub team's members".into(),
            description: "Online only (`plancheck github`, `plancheck check --online`): the plan's \
                          `members` of a team with a `github_team` are compared with that GitHub \
                          team's members, both ways, so the people paged for an area are the people \
                          GitHub asks to review it. A contact without a `github` handle cannot be \
                          compared and is left out."
                .into(),
            help: Some(
                "Add the missing people to the plan team's `members` (with their `github` handle) or \
                 to the GitHub team, or remove those who left. The check needs a token that can read \
                 the organization's teams (`read:org`, or a GitHub App with `members: read`); \
                 without one it is skipped with a note."
                    .into(),
            ),
            related: Vec::new(),
            file: "(built into the online checks)".into(),
            line: 0,
            builtin: true,
        }
    }
}
