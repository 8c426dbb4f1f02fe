//! Every rule's human output, pinned inline: `plancheck check fixtures/broken/<rule>` as a
//! person reads it (snippet, caret, help, summary), with its exit code.

use crate::common::*;

/// The exit code and stdout of `plancheck check` on a broken fixture.
fn human(rule: &str) -> String {
    let r = run(plancheck()
        .arg("check")
        .arg(fixtures().join("broken").join(rule)));
    format!("exit {}\n{}", r.code, r.stdout)
}

#[test]
fn area_min_contacts_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("area-min-contacts"), @r#"
    exit 1
    error[area-min-contacts]: area k8s-core has 1 active contact (alice); at least 2 are required
     --> incident-response/areas.yaml:7:15
      |
    7 |     contacts: [alice]   # expect: area-min-contacts
      |               ^^^^^^^
      |
      = help: Add active contacts to the area's `contacts` list until it names at least the minimum (2 unless `min-contacts` under `[rules.area-min-contacts]` in .plancheck.toml says otherwise) distinct people, and replace inactive or unknown ids.

    error[area-min-contacts]: area k8s-storage has 1 active contact (bob); at least 2 are required
      --> incident-response/areas.yaml:12:15
       |
    12 |     contacts: [bob, bob]   # expect: area-min-contacts (one distinct)
       |               ^^^^^^^^^^
       |
       = help: Add active contacts to the area's `contacts` list until it names at least the minimum (2 unless `min-contacts` under `[rules.area-min-contacts]` in .plancheck.toml says otherwise) distinct people, and replace inactive or unknown ids.

    plancheck: 2 errors, 0 warnings in 8 plan files (3 threats, 2 areas, 5 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn area_paths_owned_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("area-paths-owned"), @r#"
    exit 0
    warning[area-paths-owned]: area k8s-core: 1 file under its paths is not code-owned by its team or contacts (@acme/sre, @alice-ng, @bob-k): clusters/staging/core/kube-proxy.yaml
     --> incident-response/areas.yaml:8:12
      |
    8 |     paths: ["clusters/*/core/**"]   # expect: area-paths-owned
      |            ^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: Add a CODEOWNERS line for the area's paths naming its team's `github_team` or the `@github` handle of one of its contacts, or fix the area's `paths`. `plancheck owners <file>` shows which line owns a file.

    warning[area-paths-owned]: area k8s-storage: 4 files under its paths are not code-owned by its team or contacts (@acme/sre, @bob-k, @carol-diaz): clusters/prod/storage/csi-driver-values.yaml, clusters/prod/storage/storageclass.yaml, clusters/prod/storage/volumesnapshotclass.yaml and 1 more
      --> incident-response/areas.yaml:13:12
       |
    13 |     paths: ["clusters/*/storage/**"]   # expect: area-paths-owned
       |            ^^^^^^^^^^^^^^^^^^^^^^^^^
       |
       = help: Add a CODEOWNERS line for the area's paths naming its team's `github_team` or the `@github` handle of one of its contacts, or fix the area's `paths`. `plancheck owners <file>` shows which line owns a file.

    plancheck: 0 errors, 2 warnings in 8 plan files (3 threats, 2 areas, 5 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn codeowners_owner_known_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("codeowners-owner-known"), @r#"
    exit 1
    error[codeowners-owner-known]: @acme/stroage on line 4 is not a plan contact's github, a team's github_team, or listed in known-owners: GitHub ignores an owner it cannot resolve
     --> .github/CODEOWNERS:4:45
      |
    4 | /clusters/*/storage/       @acme/sre @bob-k @acme/stroage
      |                                             ^^^^^^^^^^^^^
      |
      = help: Fix the owner's spelling, add the person or team to the plan (a contact's `github` or a team's `github_team`), or list owners that live outside the plan in `.plancheck.toml`: `known-owners = ["@acme/legal", "@acme/*"]`.

    error[codeowners-owner-known]: @carol-daiz on line 6 is not a plan contact's github, a team's github_team, or listed in known-owners: GitHub ignores an owner it cannot resolve; did you mean @carol-diaz?
     --> .github/CODEOWNERS:6:38
      |
    6 | /runbooks/restore-pvc.md   @acme/sre @carol-daiz
      |                                      ^^^^^^^^^^^
      |
      = help: Fix the owner's spelling, add the person or team to the plan (a contact's `github` or a team's `github_team`), or list owners that live outside the plan in `.plancheck.toml`: `known-owners = ["@acme/legal", "@acme/*"]`.

    plancheck: 2 errors, 0 warnings in 8 plan files (3 threats, 2 areas, 5 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn codeowners_shadowed_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("codeowners-shadowed"), @r#"
    exit 0
    warning[codeowners-shadowed]: CODEOWNERS pattern `/clusters/*/storage/` never decides an owner: every tracked file it matches (e.g. clusters/prod/storage/storageclass.yaml) is matched again by a later line (line 5)
     --> .github/CODEOWNERS:4:1
      |
    4 | /clusters/*/storage/       @acme/sre @bob-k
      | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: Move the line below the lines that override it, merge its owners into them, or delete it. `plancheck owners <path>` shows which line owns a file.

    plancheck: 0 errors, 1 warning in 8 plan files (3 threats, 2 areas, 5 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn codeowners_syntax_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("codeowners-syntax"), @r#"
    exit 1
    error[codeowners-syntax]: Invalid pattern: both '[' and ']' must be escaped with a '\' (CODEOWNERS has no character ranges)
     --> .github/CODEOWNERS:6:7
      |
    6 | /docs/[a-m]*.md            @acme/sre
      |       ^^^^^
      |
      = help: Fix the line: owners are `@user`, `@org/team` or an email; patterns may not use `!` negation, `[ ]` ranges or a `\#` escape. Run `plancheck owners <path>` to see which line owns a file.

    error[codeowners-syntax]: Invalid owner: `storage-team` does not start with '@' and is not an email address; an owner must be @username, @org/team-name or an email address
     --> .github/CODEOWNERS:7:28
      |
    7 | /runbooks/storage/         storage-team
      |                            ^^^^^^^^^^^^
      |
      = help: Fix the line: owners are `@user`, `@org/team` or an email; patterns may not use `!` negation, `[ ]` ranges or a `\#` escape. Run `plancheck owners <path>` to see which line owns a file.

    plancheck: 2 errors, 0 warnings in 8 plan files (3 threats, 2 areas, 5 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn codeowners_unused_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("codeowners-unused"), @r#"
    exit 0
    warning[codeowners-unused]: CODEOWNERS pattern `/playbooks/` matches no tracked file
     --> .github/CODEOWNERS:6:1
      |
    6 | /playbooks/                @acme/sre
      | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: Fix the pattern so it names the files it should, or delete the line. `plancheck owners <path>` shows which line owns a file.

    plancheck: 0 errors, 1 warning in 8 plan files (3 threats, 2 areas, 5 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn contact_load_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("contact-load"), @r#"
    exit 0
    warning[contact-load]: contact mateo is a key contact of 4 areas (rbac-identity, admission-runtime, secrets, supply-chain); at most 3 per person
      --> incident-response/areas.yaml:88:27
       |
    88 |     contacts: [omar, pia, mateo]
       |                           ^^^^^
       |
       = help: name someone else as a key contact of area supply-chain (or of another of these areas) and take mateo out of it; `max-areas-per-contact` under [rules.contact-load] sets the limit

    suppressed (1):
      error[area-min-contacts] incident-response/areas.yaml:97:15: area observability has 1 active contact (quinn); at least 2 are required
        waived at incident-response/escalation.yaml:76 until 2027-10-31: Rosa and Sam on leave: Quinn covers alone until the new hire starts, platform-sre backs up (approved by vp-eng, PLAT-2291)

    plancheck: 0 errors, 1 warning (1 suppressed) in 8 plan files (36 threats, 11 areas, 28 contacts, 7 teams) from the working tree
    "#);
}

#[test]
fn contact_reachable_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("contact-reachable"), @r#"
    exit 1
    error[contact-reachable]: contact carol has neither email nor phone but is on call for team sre
      --> incident-response/contacts.yaml:18:5
       |
    18 |   - id: carol   # expect: contact-reachable (on call for sre)
       |     ^^^^^^^^^
       |
       = help: Add an `email` or (better, for night pages) an E.164 `phone` such as "+14155550100" to the contact, or take them out of the rotation or level.

    error[contact-reachable]: contact vp-eng has neither email nor phone but is a target of escalation policy ep-sre level 2
      --> incident-response/contacts.yaml:23:5
       |
    23 |   - id: vp-eng   # expect: contact-reachable (level target)
       |     ^^^^^^^^^^
       |
       = help: Add an `email` or (better, for night pages) an E.164 `phone` such as "+14155550100" to the contact, or take them out of the rotation or level.

    error[escalation-reach]: SEV1 threat THR-001 escalates via ep-sre (inherited from team sre), which pages only carol, who cannot be reached (no email or phone) within 5 minutes of an incident starting from 2026-12-07T09:00:00Z (Mon 2026-12-07 09:00 UTC) to 2026-12-14T09:00:00Z (Mon 2026-12-14 09:00 UTC, UTC): 168 hours of the next 28 days
     --> incident-response/threats/human-error.yaml:8:15
      |
    8 |     severity: SEV1
      |               ^^^^
      |
     ::: incident-response/escalation.yaml:6:7
      |
    6 |       - {tier: responder, targets: ["oncall:sre"], after_minutes: 0}
      |       -------------------------------------------------------------- the levels of ep-sre
      |
      = help: add a level to ep-sre with `after_minutes` at most 5 whose targets always reach someone, e.g. `targets: ["oncall:<a 24x7 team>"]`, or point the threat's `escalation_policy` at a policy that does (or raise `first-page-minutes` under [rules.escalation-reach])

    error[escalation-reach]: SEV1 threat THR-002 escalates via ep-sre (inherited from team sre), which pages only carol, who cannot be reached (no email or phone) within 5 minutes of an incident starting from 2026-12-07T09:00:00Z (Mon 2026-12-07 09:00 UTC) to 2026-12-14T09:00:00Z (Mon 2026-12-14 09:00 UTC, UTC): 168 hours of the next 28 days
     --> incident-response/threats/malicious.yaml:8:15
      |
    8 |     severity: SEV1
      |               ^^^^
      |
     ::: incident-response/escalation.yaml:6:7
      |
    6 |       - {tier: responder, targets: ["oncall:sre"], after_minutes: 0}
      |       -------------------------------------------------------------- the levels of ep-sre
      |
      = help: add a level to ep-sre with `after_minutes` at most 5 whose targets always reach someone, e.g. `targets: ["oncall:<a 24x7 team>"]`, or point the threat's `escalation_policy` at a policy that does (or raise `first-page-minutes` under [rules.escalation-reach])

    plancheck: 4 errors, 0 warnings in 8 plan files (3 threats, 2 areas, 6 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn escalation_policy_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("escalation-policy"), @r#"
    exit 1
    error[escalation-policy]: escalation policy ep-sre: level 4 escalates after 30 minutes, before level 3 (45 minutes)
     --> incident-response/escalation.yaml:9:58
      |
    9 |       - {tier: executive, targets: [ceo], after_minutes: 30}   # expect: escalation-policy (30 < 45)
      |                                                          ^^
      |
      = help: Give every team an `escalation_policy`; give every policy at least two `levels` (e.g. on-call responder, then management) and list the levels in increasing `after_minutes`.

    error[escalation-policy]: escalation policy ep-pager-only has 1 level; at least 2 are required
      --> incident-response/escalation.yaml:11:13
       |
    11 |     levels: [{tier: responder, targets: ["oncall:sre"], after_minutes: 0}]   # expect: escalation-policy (1 level)
       |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
       |
       = help: Give every team an `escalation_policy`; give every policy at least two `levels` (e.g. on-call responder, then management) and list the levels in increasing `after_minutes`.

    warning[oncall-load]: contact carol is on call 100 percent of the next 28 days (672 hours, for teams sre, data); at most 50 percent is allowed
     --> incident-response/teams.yaml:8:30
      |
    8 |       rotation: [alice, bob, carol]
      |                              ^^^^^
      |
      = help: spread the on-call: add people to the rotation of team sre (or a layer), or take carol out of one rotation; `max-oncall-share` under [rules.oncall-load] sets the limit

    error[escalation-policy]: team data has no escalation policy
      --> incident-response/teams.yaml:12:5
       |
    12 |   - id: data   # expect: escalation-policy (no policy)
       |     ^^^^^^^^
       |
       = help: Give every team an `escalation_policy`; give every policy at least two `levels` (e.g. on-call responder, then management) and list the levels in increasing `after_minutes`.

    warning[oncall-load]: contact carol is on call for teams sre, data at the same time, first at 2026-12-07T09:00:00Z (Mon 2026-12-07 09:00 UTC, UTC)
      --> incident-response/teams.yaml:16:18
       |
    16 |       rotation: [carol]
       |                  ^^^^^
       |
       = help: one pager cannot answer two teams' incidents at once: take carol out of one rotation, or move a handoff (or add an override) so their shifts do not overlap

    plancheck: 3 errors, 2 warnings in 8 plan files (3 threats, 2 areas, 5 contacts, 2 teams) from the working tree
    "#);
}

#[test]
fn escalation_reach_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("escalation-reach"), @r#"
    exit 1
    error[escalation-reach]: SEV1 threat THR-015 escalates via ep-delivery (inherited from team delivery), which pages nobody within 5 minutes of an incident starting from 2026-11-24T00:00:00Z (Tue 2026-11-24 01:00 CET) to 2026-11-24T08:00:00Z (Tue 2026-11-24 09:00 CET, Europe/Berlin): 512 hours of the next 28 days
       --> incident-response/threats/human-error.yaml:138:15
        |
    138 |     severity: SEV1
        |               ^^^^
        |
       ::: incident-response/escalation.yaml:42:7
        |
     42 |       - {tier: responder, targets: ["oncall:delivery"], after_minutes: 0}
        |       ------------------------------------------------------------------- the levels of ep-delivery
        |
        = help: add a level to ep-delivery with `after_minutes` at most 5 whose targets always reach someone, e.g. `targets: ["oncall:<a 24x7 team>"]`, or point the threat's `escalation_policy` at a policy that does (or raise `first-page-minutes` under [rules.escalation-reach])

    suppressed (1):
      error[area-min-contacts] incident-response/areas.yaml:97:15: area observability has 1 active contact (quinn); at least 2 are required
        waived at incident-response/escalation.yaml:74 until 2027-10-31: Rosa and Sam on leave: Quinn covers alone until the new hire starts, platform-sre backs up (approved by vp-eng, PLAT-2291)

    plancheck: 1 error, 0 warnings (1 suppressed) in 8 plan files (36 threats, 11 areas, 28 contacts, 7 teams) from the working tree
    "#);
}

#[test]
fn high_profile_executive_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("high-profile-executive"), @r#"
    exit 1
    error[high-profile-executive]: high-profile threat THR-004 (malicious actor) escalates via ep-batch (inherited from team batch), whose executive level (level 3) pages nobody: no active, reachable contact with tier executive
      --> incident-response/escalation.yaml:13:36
       |
    13 |       - {tier: executive, targets: [], after_minutes: 60}   # expect: high-profile-executive (an executive level that pages nobody)
       |                                    ^^
       |
       = help: page an executive at this level: `targets: [ceo]` (an active contact with `tier: executive` and an email or phone; an on-call rotation or a manager is not one), or point the threat's `escalation_policy` at a policy that reaches one

    warning[oncall-handoff]: team batch: the on-call rotation (carol, alice) has no handoff, so who is on call when is undefined and pages go to all 2 as candidates
     --> incident-response/teams.yaml:8:17
      |
    8 |       rotation: [carol, alice]
      |                 ^^^^^^^^^^^^^^
      |
      = help: Add `handoff: <local date-time>` (e.g. `handoff: 2026-11-02T09:00`, in the team's or layer's `timezone`) beside the rotation: the first person's shift starts then and the others follow every `shift_hours`.

    error[high-profile-executive]: high-profile threat THR-001 (human error) escalates via ep-no-exec, which has no executive level and pages no active, reachable contact with tier executive
      --> incident-response/threats/human-error.yaml:11:24
       |
    11 |     escalation_policy: ep-no-exec   # expect: high-profile-executive (own policy)
       |                        ^^^^^^^^^^
       |
       = help: add a level `{tier: executive, targets: [ceo], after_minutes: 30}` to escalation policy ep-no-exec, or point the threat's `escalation_policy` at one that already reaches the executive tier

    error[high-profile-executive]: high-profile threat THR-005 (malicious actor) has no escalation policy of its own and inherits none: area k8s-legacy has no team
      --> incident-response/threats/malicious.yaml:24:19
       |
    24 |     high_profile: true   # expect: high-profile-executive (no effective policy)
       |                   ^^^^
       |
       = help: set the threat's `escalation_policy` to a policy with a level `{tier: executive, targets: [ceo], after_minutes: 30}`, or fix the chain it would inherit from (area, then team)

    plancheck: 3 errors, 1 warning in 8 plan files (5 threats, 4 areas, 5 contacts, 2 teams) from the working tree
    "#);
}

#[test]
fn inactive_contact_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("inactive-contact"), @r#"
    exit 1
    error[inactive-contact]: inactive contact dave is a key contact of area k8s-core
     --> incident-response/areas.yaml:9:9
      |
    9 |       - dave   # expect: inactive-contact (area contact)
      |         ^^^^
      |
      = help: Replace the inactive contact with an active one in the rotation, level targets or area contacts (or set `active: true` if they are back).

    error[inactive-contact]: inactive contact dave is a target of escalation policy ep-sre level 2
     --> incident-response/escalation.yaml:9:13
      |
    9 |           - dave   # expect: inactive-contact (level target)
      |             ^^^^
      |
      = help: Replace the inactive contact with an active one in the rotation, level targets or area contacts (or set `active: true` if they are back).

    error[oncall-coverage]: team sre (24x7) has nobody on call from 2026-12-14T09:00:00Z (Mon 2026-12-14 09:00 UTC) to 2026-12-21T09:00:00Z (Mon 2026-12-21 09:00 UTC, UTC): 1 gap, 168 hours uncovered in the next 28 days
     --> incident-response/teams.yaml:9:9
      |
    9 |         - alice
      |         ^^^^^^^
      |
      = help: someone must hold the on-call at every hour: add a layer (or widen a layer's `restrict` windows) so the layers tile the day, replace inactive people, or add an override for the gap; if nights and weekends are intentionally uncovered, set `coverage: business-hours` (and `business_hours`) and make sure SEV1 threats escalate to a 24x7 level

    error[inactive-contact]: inactive contact dave is on call for team sre
      --> incident-response/teams.yaml:11:11
       |
    11 |         - dave   # expect: inactive-contact (rotation)
       |           ^^^^
       |
       = help: Replace the inactive contact with an active one in the rotation, level targets or area contacts (or set `active: true` if they are back).

    error[escalation-reach]: SEV1 threat THR-001 escalates via ep-sre (inherited from team sre), which pages nobody within 5 minutes of an incident starting from 2026-12-14T09:00:00Z (Mon 2026-12-14 09:00 UTC) to 2026-12-21T09:00:00Z (Mon 2026-12-21 09:00 UTC, UTC): 168 hours of the next 28 days
     --> incident-response/threats/human-error.yaml:8:15
      |
    8 |     severity: SEV1
      |               ^^^^
      |
     ::: incident-response/escalation.yaml:6:7
      |
    6 |       - {tier: responder, targets: ["oncall:sre"], after_minutes: 0}
      |       -------------------------------------------------------------- the levels of ep-sre
      |
      = help: add a level to ep-sre with `after_minutes` at most 5 whose targets always reach someone, e.g. `targets: ["oncall:<a 24x7 team>"]`, or point the threat's `escalation_policy` at a policy that does (or raise `first-page-minutes` under [rules.escalation-reach])

    error[escalation-reach]: SEV1 threat THR-002 escalates via ep-sre (inherited from team sre), which pages nobody within 5 minutes of an incident starting from 2026-12-14T09:00:00Z (Mon 2026-12-14 09:00 UTC) to 2026-12-21T09:00:00Z (Mon 2026-12-21 09:00 UTC, UTC): 168 hours of the next 28 days
     --> incident-response/threats/malicious.yaml:8:15
      |
    8 |     severity: SEV1
      |               ^^^^
      |
     ::: incident-response/escalation.yaml:6:7
      |
    6 |       - {tier: responder, targets: ["oncall:sre"], after_minutes: 0}
      |       -------------------------------------------------------------- the levels of ep-sre
      |
      = help: add a level to ep-sre with `after_minutes` at most 5 whose targets always reach someone, e.g. `targets: ["oncall:<a 24x7 team>"]`, or point the threat's `escalation_policy` at a policy that does (or raise `first-page-minutes` under [rules.escalation-reach])

    plancheck: 6 errors, 0 warnings in 8 plan files (3 threats, 2 areas, 6 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn manifest_area_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("manifest-area"), @r#"
    exit 0
    warning[manifest-area]: Deployment shop/web belongs to no area of expertise
     --> apps/web.yaml:3:7
      |
    3 | kind: Deployment   # expect: manifest-area
      |       ^^^^^^^^^^
      |
      = help: Add the object's file to an area's `paths`, or its kind to an area's `kinds` (with `namespaces` to narrow it), so its experts are known.

    warning[manifest-area]: Service shop/web belongs to no area of expertise
      --> apps/web.yaml:19:7
       |
    19 | kind: Service   # expect: manifest-area
       |       ^^^^^^^
       |
       = help: Add the object's file to an area's `paths`, or its kind to an area's `kinds` (with `namespaces` to narrow it), so its experts are known.

    warning[manifest-area]: ServiceAccount shop/web belongs to no area of expertise
      --> apps/web.yaml:48:7
       |
    48 | kind: ServiceAccount   # expect: manifest-area
       |       ^^^^^^^^^^^^^^
       |
       = help: Add the object's file to an area's `paths`, or its kind to an area's `kinds` (with `namespaces` to narrow it), so its experts are known.

    plancheck: 0 errors, 3 warnings in 8 plan files (3 threats, 2 areas, 5 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn oncall_coverage_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("oncall-coverage"), @r#"
    exit 1
    error[oncall-coverage]: team incident-command (24x7) has nobody on call from 2026-11-24T00:00:00Z (Tue 2026-11-24 00:00 GMT) to 2026-11-24T08:00:00Z (Tue 2026-11-24 08:00 GMT, Europe/London): 21 gaps, 432 hours uncovered in the next 28 days
       --> incident-response/teams.yaml:111:9
        |
    111 |         - name: office-hours               # expect: oncall-coverage (nobody 20:00-08:00 or at weekends)
        |         ^^^^^^^^^^^^^^^^^^^^
        |
        = help: someone must hold the on-call at every hour: add a layer (or widen a layer's `restrict` windows) so the layers tile the day, replace inactive people, or add an override for the gap; if nights and weekends are intentionally uncovered, set `coverage: business-hours` (and `business_hours`) and make sure SEV1 threats escalate to a 24x7 level

    suppressed (1):
      error[area-min-contacts] incident-response/areas.yaml:97:15: area observability has 1 active contact (quinn); at least 2 are required
        waived at incident-response/escalation.yaml:76 until 2027-10-31: Rosa and Sam on leave: Quinn covers alone until the new hire starts, platform-sre backs up (approved by vp-eng, PLAT-2291)

    plancheck: 1 error, 0 warnings (1 suppressed) in 8 plan files (36 threats, 11 areas, 28 contacts, 7 teams) from the working tree
    "#);
}

#[test]
fn oncall_handoff_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("oncall-handoff"), @r#"
    exit 0
    warning[oncall-handoff]: team storage: the on-call rotation (erin, farid, gus) has no handoff, so who is on call when is undefined and pages go to all 3 as candidates
      --> incident-response/teams.yaml:38:17
       |
    38 |       rotation: [erin, farid, gus]
       |                 ^^^^^^^^^^^^^^^^^^
       |
       = help: Add `handoff: <local date-time>` (e.g. `handoff: 2026-11-02T09:00`, in the team's or layer's `timezone`) beside the rotation: the first person's shift starts then and the others follow every `shift_hours`.

    suppressed (1):
      error[area-min-contacts] incident-response/areas.yaml:97:15: area observability has 1 active contact (quinn); at least 2 are required
        waived at incident-response/escalation.yaml:76 until 2027-10-31: Rosa and Sam on leave: Quinn covers alone until the new hire starts, platform-sre backs up (approved by vp-eng, PLAT-2291)

    plancheck: 0 errors, 1 warning (1 suppressed) in 8 plan files (36 threats, 11 areas, 28 contacts, 7 teams) from the working tree
    "#);
}

#[test]
fn oncall_load_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("oncall-load"), @r#"
    exit 0
    warning[oncall-load]: contact kofi is on call 100 percent of the next 28 days (672 hours, for team security); at most 50 percent is allowed
      --> incident-response/teams.yaml:62:18
       |
    62 |       rotation: [kofi]                     # expect: oncall-load (kofi alone, 100%)
       |                  ^^^^
       |
       = help: spread the on-call: add people to the rotation of team security (or a layer), or take kofi out of one rotation; `max-oncall-share` under [rules.oncall-load] sets the limit

    suppressed (1):
      error[area-min-contacts] incident-response/areas.yaml:97:15: area observability has 1 active contact (quinn); at least 2 are required
        waived at incident-response/escalation.yaml:76 until 2027-10-31: Rosa and Sam on leave: Quinn covers alone until the new hire starts, platform-sre backs up (approved by vp-eng, PLAT-2291)

    plancheck: 0 errors, 1 warning (1 suppressed) in 8 plan files (36 threats, 11 areas, 28 contacts, 7 teams) from the working tree
    "#);
}

#[test]
fn plan_codeowned_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("plan-codeowned"), @r#"
    exit 1
    error[plan-codeowned]: plan file incident-response/threats/human-error.yaml has no owner in CODEOWNERS
    --> incident-response/threats/human-error.yaml
     = help: add the line `/incident-response/threats/ @acme/sre` at the end of .github/CODEOWNERS (the last matching line wins), naming the team accountable for the plan

    error[plan-codeowned]: plan file incident-response/threats/malicious.yaml has no owner in CODEOWNERS
    --> incident-response/threats/malicious.yaml
     = help: add the line `/incident-response/threats/ @acme/sre` at the end of .github/CODEOWNERS (the last matching line wins), naming the team accountable for the plan

    error[plan-codeowned]: plan file incident-response/threats/supply-chain.json has no owner in CODEOWNERS
    --> incident-response/threats/supply-chain.json
     = help: add the line `/incident-response/threats/ @acme/sre` at the end of .github/CODEOWNERS (the last matching line wins), naming the team accountable for the plan

    plancheck: 3 errors, 0 warnings in 8 plan files (3 threats, 2 areas, 5 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn plan_review_stale_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("plan-review-stale"), @r#"
    exit 0
    warning[plan-review-stale]: the plan was last reviewed on 2026-08-01; with reviews every 90 days, the next one was due by 2026-10-30
     --> incident-response/plan.yaml:9:16
      |
    9 |   reviewed_at: 2026-08-01   # expect: plan-review-stale
      |                ^^^^^^^^^^
      |
      = help: Walk through the plan with its owners (threats, contacts, rotations, escalation), fix what changed, then set `metadata.reviewed_at` to today's date (YYYY-MM-DD).

    plancheck: 0 errors, 1 warning in 8 plan files (3 threats, 2 areas, 5 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn plan_review_stale_undated_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("plan-review-stale-undated"), @r#"
    exit 0
    warning[plan-review-stale]: the plan has no metadata.reviewed_at date, so nobody can tell when it was last reviewed
     --> incident-response/plan.yaml:5:11
      |
    5 | metadata: {name: acme-k8s, owner: sre, review_interval_days: 180}   # expect: plan-review-stale
      |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: Walk through the plan with its owners (threats, contacts, rotations, escalation), fix what changed, then set `metadata.reviewed_at` to today's date (YYYY-MM-DD).

    plancheck: 0 errors, 1 warning in 8 plan files (3 threats, 2 areas, 5 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn plan_schema_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("plan-schema"), @r#"
    exit 1
    error[plan-schema]: `high_profile` must be true or false, found "yes"
     --> incident-response/threats/malicious.yaml:9:19
      |
    9 |     high_profile: "yes"   # expect: plan-schema (a string, not true/false)
      |                   ^^^^^
      |
      = help: plan files follow the schema printed by `plancheck schema` (apiVersion plancheck.dev/v1, kind IncidentResponsePlan)

    error[plan-schema]: unknown key `ownr` in threat; did you mean `owner`? (custom fields start with `x-`)
      --> incident-response/threats/malicious.yaml:10:5
       |
    10 |     ownr: bob             # expect: plan-schema (unknown key; did you mean owner?)
       |     ^^^^^^^^^
       |
       = help: plan files follow the schema printed by `plancheck schema` (apiVersion plancheck.dev/v1, kind IncidentResponsePlan)

    error[plan-schema]: threat is missing required key `id`
      --> incident-response/threats/malicious.yaml:12:5
       |
    12 |   - title: Secrets listed by a service account with broad RBAC   # expect: plan-schema (no id)
       |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
       |
       = help: plan files follow the schema printed by `plancheck schema` (apiVersion plancheck.dev/v1, kind IncidentResponsePlan)

    plancheck: 3 errors, 0 warnings in 8 plan files (4 threats, 2 areas, 5 contacts, 1 team) from the working tree
    plancheck: policies were not evaluated because the plan does not match the schema; fix the plan-schema errors first
    "#);
}

#[test]
fn ref_resolves_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("ref-resolves"), @r#"
    exit 1
    error[ref-resolves]: area k8s-core: contact erin does not exist
      --> incident-response/areas.yaml:10:9
       |
    10 |       - erin   # expect: ref-resolves (area contact)
       |         ^^^^
       |
       = help: Fix the id so it names an existing entry (contacts, teams, areas, escalation_policies or threats), or add the missing entry. Level targets may be a contact id, a team id or `oncall:<team id>`. A threat's `techniques` must be Threat Matrix for Kubernetes ids the bundled catalogue knows (`plancheck explain threat-coverage` lists them) or ATT&CK ids.

    error[ref-resolves]: area k8s-data: team dba does not exist
      --> incident-response/areas.yaml:19:11
       |
    19 |     team: dba   # expect: ref-resolves (area team)
       |           ^^^
       |
       = help: Fix the id so it names an existing entry (contacts, teams, areas, escalation_policies or threats), or add the missing entry. Level targets may be a contact id, a team id or `oncall:<team id>`. A threat's `techniques` must be Threat Matrix for Kubernetes ids the bundled catalogue knows (`plancheck explain threat-coverage` lists them) or ATT&CK ids.

    error[ref-resolves]: escalation policy ep-sre-v2-draft level 1: target oncall:platform names no team (platform is not a team id)
     --> incident-response/escalation.yaml:8:13
      |
    8 |           - "oncall:platform"   # expect: ref-resolves (oncall: names no team)
      |             ^^^^^^^^^^^^^^^^^
      |
      = help: Fix the id so it names an existing entry (contacts, teams, areas, escalation_policies or threats), or add the missing entry. Level targets may be a contact id, a team id or `oncall:<team id>`. A threat's `techniques` must be Threat Matrix for Kubernetes ids the bundled catalogue knows (`plancheck explain threat-coverage` lists them) or ATT&CK ids.

    error[ref-resolves]: escalation policy ep-sre-v2-draft level 2: target cfo is neither a contact, a team nor oncall:<team>
      --> incident-response/escalation.yaml:13:13
       |
    13 |           - cfo   # expect: ref-resolves (unknown target)
       |             ^^^
       |
       = help: Fix the id so it names an existing entry (contacts, teams, areas, escalation_policies or threats), or add the missing entry. Level targets may be a contact id, a team id or `oncall:<team id>`. A threat's `techniques` must be Threat Matrix for Kubernetes ids the bundled catalogue knows (`plancheck explain threat-coverage` lists them) or ATT&CK ids.

    error[ref-resolves]: waiver for area-min-contacts: target k8s-old is not a defined id
      --> incident-response/escalation.yaml:22:13
       |
    22 |     target: k8s-old   # expect: ref-resolves (waiver target)
       |             ^^^^^^^
       |
       = help: Fix the id so it names an existing entry (contacts, teams, areas, escalation_policies or threats), or add the missing entry. Level targets may be a contact id, a team id or `oncall:<team id>`. A threat's `techniques` must be Threat Matrix for Kubernetes ids the bundled catalogue knows (`plancheck explain threat-coverage` lists them) or ATT&CK ids.

    error[ref-resolves]: plan owner platform is neither a team nor a contact
     --> incident-response/plan.yaml:9:10
      |
    9 |   owner: platform   # expect: ref-resolves (plan owner)
      |          ^^^^^^^^
      |
      = help: Fix the id so it names an existing entry (contacts, teams, areas, escalation_policies or threats), or add the missing entry. Level targets may be a contact id, a team id or `oncall:<team id>`. A threat's `techniques` must be Threat Matrix for Kubernetes ids the bundled catalogue knows (`plancheck explain threat-coverage` lists them) or ATT&CK ids.

    error[ref-resolves]: team sre: member zoe is not a contact
      --> incident-response/teams.yaml:10:9
       |
    10 |       - zoe   # expect: ref-resolves (member)
       |         ^^^
       |
       = help: Fix the id so it names an existing entry (contacts, teams, areas, escalation_policies or threats), or add the missing entry. Level targets may be a contact id, a team id or `oncall:<team id>`. A threat's `techniques` must be Threat Matrix for Kubernetes ids the bundled catalogue knows (`plancheck explain threat-coverage` lists them) or ATT&CK ids.

    error[oncall-coverage]: team sre (24x7) has nobody on call from 2026-11-24T00:00:00Z (Tue 2026-11-24 00:00 UTC) to 2026-11-30T09:00:00Z (Mon 2026-11-30 09:00 UTC, UTC): 2 gaps, 168 hours uncovered in the next 28 days
      --> incident-response/teams.yaml:12:17
       |
    12 |       rotation: [alice, bob, carol, zed]   # expect: ref-resolves (rotation)
       |                 ^^^^^^^^^^^^^^^^^^^^^^^^
       |
       = help: someone must hold the on-call at every hour: add a layer (or widen a layer's `restrict` windows) so the layers tile the day, replace inactive people, or add an override for the gap; if nights and weekends are intentionally uncovered, set `coverage: business-hours` (and `business_hours`) and make sure SEV1 threats escalate to a 24x7 level

    error[ref-resolves]: team sre: on-call rotation entry zed is not a contact
      --> incident-response/teams.yaml:12:37
       |
    12 |       rotation: [alice, bob, carol, zed]   # expect: ref-resolves (rotation)
       |                                     ^^^
       |
       = help: Fix the id so it names an existing entry (contacts, teams, areas, escalation_policies or threats), or add the missing entry. Level targets may be a contact id, a team id or `oncall:<team id>`. A threat's `techniques` must be Threat Matrix for Kubernetes ids the bundled catalogue knows (`plancheck explain threat-coverage` lists them) or ATT&CK ids.

    error[ref-resolves]: team sre: escalation policy ep-sre-v2 does not exist
      --> incident-response/teams.yaml:15:24
       |
    15 |     escalation_policy: ep-sre-v2   # expect: ref-resolves (team policy)
       |                        ^^^^^^^^^
       |
       = help: Fix the id so it names an existing entry (contacts, teams, areas, escalation_policies or threats), or add the missing entry. Level targets may be a contact id, a team id or `oncall:<team id>`. A threat's `techniques` must be Threat Matrix for Kubernetes ids the bundled catalogue knows (`plancheck explain threat-coverage` lists them) or ATT&CK ids.

    error[ref-resolves]: threat THR-001: escalation policy ep-major does not exist
     --> incident-response/threats/human-error.yaml:8:24
      |
    8 |     escalation_policy: ep-major   # expect: ref-resolves (threat policy)
      |                        ^^^^^^^^
      |
      = help: Fix the id so it names an existing entry (contacts, teams, areas, escalation_policies or threats), or add the missing entry. Level targets may be a contact id, a team id or `oncall:<team id>`. A threat's `techniques` must be Threat Matrix for Kubernetes ids the bundled catalogue knows (`plancheck explain threat-coverage` lists them) or ATT&CK ids.

    error[ref-resolves]: threat THR-002: technique MS-TA9099 is not in the Threat Matrix for Kubernetes (its techniques run from MS-TA9001 to MS-TA9041)
      --> incident-response/threats/malicious.yaml:12:29
       |
    12 |     techniques: [MS-TA9019, MS-TA9099, T1078.003]   # expect: ref-resolves (no MS-TA9099 in the catalogue)
       |                             ^^^^^^^^^
       |
       = help: Fix the id so it names an existing entry (contacts, teams, areas, escalation_policies or threats), or add the missing entry. Level targets may be a contact id, a team id or `oncall:<team id>`. A threat's `techniques` must be Threat Matrix for Kubernetes ids the bundled catalogue knows (`plancheck explain threat-coverage` lists them) or ATT&CK ids.

    error[ref-resolves]: threat THR-003: area k8s-stroage does not exist
     --> incident-response/threats/supply-chain.json:9:15
      |
    9 |       "area": "k8s-stroage",
      |               ^^^^^^^^^^^^^
      |
      = help: Fix the id so it names an existing entry (contacts, teams, areas, escalation_policies or threats), or add the missing entry. Level targets may be a contact id, a team id or `oncall:<team id>`. A threat's `techniques` must be Threat Matrix for Kubernetes ids the bundled catalogue knows (`plancheck explain threat-coverage` lists them) or ATT&CK ids.

    note: the waiver at incident-response/escalation.yaml:21 (area-min-contacts on k8s-old) matched no finding; delete it if the problem is gone, or fix its rule or target
    plancheck: 13 errors, 0 warnings in 8 plan files (3 threats, 3 areas, 5 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn team_oncall_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("team-oncall"), @r#"
    exit 1
    error[team-oncall]: team data defines no on-call rotation
      --> incident-response/teams.yaml:12:5
       |
    12 |   - id: data   # expect: team-oncall (no oncall)
       |     ^^^^^^^^
       |
       = help: Add `oncall: {rotation: [<contact ids>], shift_hours: 168, coverage: 24x7}` to the team, listing at least one active contact.

    error[team-oncall]: team edge: oncall has no rotation (and no layers)
      --> incident-response/teams.yaml:19:13
       |
    19 |     oncall: {shift_hours: 168, coverage: 24x7}   # expect: team-oncall (no rotation)
       |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
       |
       = help: Add `oncall: {rotation: [<contact ids>], shift_hours: 168, coverage: 24x7}` to the team, listing at least one active contact.

    error[team-oncall]: the on-call rotation of team web is empty
      --> incident-response/teams.yaml:25:17
       |
    25 |       rotation: []   # expect: team-oncall (empty rotation)
       |                 ^^
       |
       = help: Add `oncall: {rotation: [<contact ids>], shift_hours: 168, coverage: 24x7}` to the team, listing at least one active contact.

    plancheck: 3 errors, 0 warnings in 8 plan files (3 threats, 2 areas, 5 contacts, 4 teams) from the working tree
    "#);
}

#[test]
fn threat_area_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("threat-area"), @r#"
    exit 1
    error[threat-area]: threat THR-006 names no area of expertise
      --> incident-response/threats/human-error.yaml:12:5
       |
    12 |   - id: THR-006   # expect: threat-area (no area)
       |     ^^^^^^^^^^^
       |
       = help: set the threat's `area` to the id of an entry in `areas`, e.g. `area: k8s-core` (areas: k8s-core, k8s-storage)

    error[threat-area]: threat THR-003 names no area of expertise
     --> incident-response/threats/supply-chain.json:9:15
      |
    9 |       "area": "",
      |               ^^
      |
      = help: set the threat's `area` to the id of an entry in `areas`, e.g. `area: k8s-core` (areas: k8s-core, k8s-storage)

    plancheck: 2 errors, 0 warnings in 8 plan files (4 threats, 2 areas, 5 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn threat_coverage_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("threat-coverage"), @r#"
    exit 0
    warning[threat-coverage]: ClusterRoleBinding ops-admin: Cluster-admin binding abused or created by a compromised identity; no threat names MS-TA9019 (Cluster-admin binding)
    --> clusters/prod/core/ops-admin.yaml:8:9
     = help: Add a threat whose `techniques` lists one of the risk's techniques (e.g. `techniques: [MS-TA9038]`) with an owner, an area and a runbook; `plancheck threats suggest` prints ready-to-paste threats for every uncovered risk.

    warning[threat-coverage]: Secret kube-system/registry-credentials: Credentials committed to git in a Secret manifest leak; no threat names MS-TA9027 (Application credentials in configuration files)
    --> clusters/prod/core/ops-admin.yaml:31:7
     = help: Add a threat whose `techniques` lists one of the risk's techniques (e.g. `techniques: [MS-TA9038]`) with an owner, an area and a runbook; `plancheck threats suggest` prints ready-to-paste threats for every uncovered risk.

    warning[threat-coverage]: StorageClass scratch: Persistent data destroyed by deleting a claim (reclaimPolicy Delete); no threat names MS-TA9038 (Data destruction)
      --> clusters/prod/storage/storageclass.yaml:14:16
       |
    14 | reclaimPolicy: Delete   # expect: threat-coverage (MS-TA9038)
       |                ^^^^^^
       |
       = help: Add a threat whose `techniques` lists one of the risk's techniques (e.g. `techniques: [MS-TA9038]`) with an owner, an area and a runbook; `plancheck threats suggest` prints ready-to-paste threats for every uncovered risk.

    warning[threat-coverage]: StorageClass gp2-legacy: Persistent data destroyed by deleting a claim (reclaimPolicy Delete); no threat names MS-TA9038 (Data destruction)
      --> clusters/prod/storage/storageclass.yaml:18:7
       |
    18 | kind: StorageClass   # expect: threat-coverage (MS-TA9038)
       |       ^^^^^^^^^^^^
       |
       = help: Add a threat whose `techniques` lists one of the risk's techniques (e.g. `techniques: [MS-TA9038]`) with an owner, an area and a runbook; `plancheck threats suggest` prints ready-to-paste threats for every uncovered risk.

    plancheck: 0 errors, 4 warnings in 8 plan files (3 threats, 2 areas, 5 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn threat_owner_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("threat-owner"), @r#"
    exit 1
    error[threat-owner]: threat THR-002 has no owner
     --> incident-response/threats/malicious.yaml:4:5
      |
    4 |   - id: THR-002   # expect: threat-owner (no owner)
      |     ^^^^^^^^^^^
      |
      = help: set the threat's `owner` to the id of a contact or a team, e.g. `owner: sre`

    error[threat-owner]: threat THR-003 is owned by platfrom-sre, which is neither a contact nor a team
      --> incident-response/threats/supply-chain.json:12:16
       |
    12 |       "owner": "platfrom-sre",
       |                ^^^^^^^^^^^^^^
       |
       = help: set the threat's `owner` to the id of a contact or a team, e.g. `owner: sre`

    plancheck: 2 errors, 0 warnings in 8 plan files (3 threats, 2 areas, 5 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn threat_source_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("threat-source"), @r#"
    exit 1
    error[threat-source]: threat THR-001 has no source (one of human_error, infrastructure, malicious, supply_chain, third_party)
     --> incident-response/threats/human-error.yaml:4:5
      |
    4 |   - id: THR-001   # expect: threat-source (missing)
      |     ^^^^^^^^^^^
      |
      = help: Set `source` to one of human_error, malicious, supply_chain, infrastructure, third_party.

    error[threat-source]: threat THR-002 has source insider; expected one of human_error, infrastructure, malicious, supply_chain, third_party
     --> incident-response/threats/malicious.yaml:6:13
      |
    6 |     source: insider   # expect: threat-source (not in the list)
      |             ^^^^^^^
      |
      = help: Set `source` to one of human_error, malicious, supply_chain, infrastructure, third_party.

    error[threat-source]: threat THR-003 has source Supply Chain; expected one of human_error, infrastructure, malicious, supply_chain, third_party
     --> incident-response/threats/supply-chain.json:8:17
      |
    8 |       "source": "Supply Chain",
      |                 ^^^^^^^^^^^^^^
      |
      = help: Set `source` to one of human_error, malicious, supply_chain, infrastructure, third_party.

    plancheck: 3 errors, 0 warnings in 8 plan files (3 threats, 2 areas, 5 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn unique_id_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("unique-id"), @r#"
    exit 1
    error[unique-id]: area id k8s-core is defined more than once
      --> incident-response/areas.yaml:14:9
       |
    14 |   - id: k8s-core   # expect: unique-id (area)
       |         ^^^^^^^^
       |
      ::: incident-response/areas.yaml:4:9
       |
     4 |   - id: k8s-core
       |         -------- area k8s-core is first defined here
       |
       = help: Rename or remove the second definition; if two files define the same entry, keep it in one file only.

    error[unique-id]: contact id alice is defined more than once
      --> incident-response/contacts.yaml:39:9
       |
    39 |   - id: alice   # expect: unique-id (contact)
       |         ^^^^^
       |
      ::: incident-response/contacts.yaml:4:9
       |
     4 |   - id: alice
       |         ----- contact alice is first defined here
       |
       = help: Rename or remove the second definition; if two files define the same entry, keep it in one file only.

    error[unique-id]: escalation policy id ep-sre is defined more than once
     --> incident-response/escalation.yaml:9:9
      |
    9 |   - id: ep-sre   # expect: unique-id (policy)
      |         ^^^^^^
      |
     ::: incident-response/escalation.yaml:4:9
      |
    4 |   - id: ep-sre
      |         ------ escalation policy ep-sre is first defined here
      |
      = help: Rename or remove the second definition; if two files define the same entry, keep it in one file only.

    error[unique-id]: team id sre is already used by a contact (contacts and teams share one namespace)
      --> incident-response/teams.yaml:4:9
       |
     4 |   - id: sre   # expect: unique-id (team id already used by a contact)
       |         ^^^
       |
      ::: incident-response/contacts.yaml:46:9
       |
    46 |   - id: sre
       |         --- contact sre is first defined here
       |
       = help: Rename or remove the second definition; if two files define the same entry, keep it in one file only.

    error[unique-id]: threat id THR-002 is defined more than once
      --> incident-response/threats/malicious.yaml:13:9
       |
    13 |   - id: THR-002   # expect: unique-id (threat)
       |         ^^^^^^^
       |
      ::: incident-response/threats/malicious.yaml:4:9
       |
     4 |   - id: THR-002
       |         ------- threat THR-002 is first defined here
       |
       = help: Rename or remove the second definition; if two files define the same entry, keep it in one file only.

    plancheck: 5 errors, 0 warnings in 8 plan files (4 threats, 3 areas, 7 contacts, 1 team) from the working tree
    "#);
}

#[test]
fn waiver_expired_reads_as_a_person_sees_it() {
    insta::assert_snapshot!(human("waiver-expired"), @r#"
    exit 0
    warning[waiver-expired]: waiver for area-min-contacts on k8s-storage expired on 2026-11-01
      --> incident-response/escalation.yaml:13:14
       |
    13 |     expires: 2026-11-01   # expect: waiver-expired
       |              ^^^^^^^^^^
       |
       = help: Fix the waived finding and delete the waiver, or, if the exception still stands, get it re-reviewed and move `expires` to a new date.

    warning[waiver-expired]: waiver for contact-reachable on carol expired on 2026-11-23
      --> incident-response/escalation.yaml:17:14
       |
    17 |     expires: 2026-11-23   # expect: waiver-expired
       |              ^^^^^^^^^^
       |
       = help: Fix the waived finding and delete the waiver, or, if the exception still stands, get it re-reviewed and move `expires` to a new date.

    note: the waiver at incident-response/escalation.yaml:18 (area-paths-owned on k8s-core) matched no finding; delete it if the problem is gone, or fix its rule or target
    note: the waiver at incident-response/escalation.yaml:22 (high-profile-executive on THR-003) matched no finding; delete it if the problem is gone, or fix its rule or target
    plancheck: 0 errors, 2 warnings in 8 plan files (3 threats, 2 areas, 5 contacts, 1 team) from the working tree
    "#);
}
