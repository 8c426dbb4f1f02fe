#!/usr/bin/env python3
"""Generate a synthetic plancheck plan repository for benchmarking.

    python3 bench/gen.py --threats 10000 --out bench/out/plan-10000 [--seed 42] [--force]

Writes a complete repository into OUT:

    incident-response/plan.yaml          metadata (and a few waivers)
    incident-response/contacts.yaml      ~threats/5 contacts
    incident-response/teams.yaml         ~threats/50 teams (at least 6), each with on-call in time:
                                         a time zone and a handoff; every third team follows the
                                         sun (three layers in three zones); 24-hour shifts on
                                         every fourth; overrides on every fifth
    incident-response/areas.yaml         ~threats/25 areas (at least 8)
    incident-response/escalation.yaml    one escalation policy per team, plus two shared ones
    incident-response/threats/part-NN.yaml   the threats, ~1,000 per file
    .github/CODEOWNERS                   ~areas*2 + a few rules
    clusters/*/<area>/..., runbooks/<area>/...   tracked files under the areas' paths

then runs `git init`, `git add -A` and `git commit` there, so plancheck sees the
tracked files. The output is deterministic for a given --threats and --seed.

The plan is valid under the schema (only the fields of SPEC.md) and mostly
clean under the built-in rules, with a small deliberate fraction broken (about
1% of the items: threats without an owner or with a dangling reference, areas
with one contact, inactive or unreachable contacts on call, levels out of order,
CODEOWNERS lines routing an area's files to someone else, an invalid CODEOWNERS
line, an expired waiver) so that `plancheck check` reports findings as it would
on a real repository.

Prints the total YAML byte size of the plan files (and, on stderr, a summary).
Standard library only.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys

ORG = "acme"

FIRST = [
    "alice", "bob", "chen", "devika", "erin", "farid", "gus", "hana", "ivan", "jules",
    "kofi", "lena", "mateo", "nora", "omar", "pia", "quinn", "rosa", "sam", "tariq",
    "uma", "victor", "wen", "xavier", "yara", "zoe", "amir", "bianca", "carlos", "dana",
    "elif", "felix", "greta", "hiro", "ines", "jonas", "kira", "liam", "maya", "nikhil",
    "olga", "pavel", "ruth", "sofia", "tomas", "ugo", "vera", "willem", "ximena", "yusuf",
]
LAST = [
    "ng", "okafor", "wei", "raman", "walsh", "haddad", "lindqvist", "sato", "petrov", "laurent",
    "mensah", "fischer", "rossi", "keller", "siddiqui", "jensen", "obrien", "alvarez", "novak", "aziz",
    "brennan", "costa", "dubois", "eriksen", "fujita", "garcia", "horvat", "ibrahim", "jovanovic", "kowalski",
    "larsen", "moreau", "nakamura", "oliveira", "park", "quispe", "reyes", "schmidt", "tanaka", "usman",
]
TIMEZONES = [
    "America/Los_Angeles", "America/New_York", "America/Sao_Paulo", "Europe/London",
    "Europe/Berlin", "Europe/Warsaw", "Asia/Singapore", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney",
]
TEAM_BASES = [
    "platform-sre", "storage", "networking", "security", "delivery", "observability",
    "data-platform", "identity", "edge", "runtime", "compute", "developer-experience",
]
AREA_TOPICS = [
    ("control-plane", "Control plane, cluster upgrades and node lifecycle"),
    ("k8s-storage", "Kubernetes storage (CSI driver, StorageClasses, PV/PVC, snapshots)"),
    ("etcd-backup", "etcd snapshots and Velero cluster backups"),
    ("workloads-rollout", "Workload rollouts, Helm releases and Argo CD sync"),
    ("ingress-dns-tls", "Ingress, external DNS and TLS certificates (cert-manager)"),
    ("cni-network-policy", "Pod networking (Cilium) and NetworkPolicies"),
    ("rbac-identity", "RBAC, service accounts and cloud IAM access to the clusters"),
    ("admission-runtime", "Admission policies (Kyverno) and runtime detection (Falco)"),
    ("secrets", "External Secrets, KMS and secret rotation"),
    ("monitoring", "Prometheus, Alertmanager and dashboards"),
    ("image-supply-chain", "Container images, signing and the CI pipeline"),
    ("autoscaling", "Cluster autoscaler, HPA and capacity"),
    ("service-mesh", "Service mesh (Istio), mTLS and traffic policy"),
    ("logging", "Log shipping (Fluent Bit) and retention"),
    ("databases", "Operators for PostgreSQL and Redis running in-cluster"),
    ("cloud-accounts", "Cloud accounts, VPCs and quotas"),
]
CLUSTERS = ["prod-eu", "prod-us"]

# (source, weight, title templates); {c} is a component of the area, {w} a workload.
THREAT_TEMPLATES = [
    ("human_error", 35, [
        "Accidental deletion of {c} resources with kubectl against the production context",
        "Misconfigured {c} change rolled out to all clusters at once",
        "Expired certificate used by {c} takes {w} down",
        "Helm values typo disables {c} for {w}",
        "Manual hotfix to {c} drifts from Git and is reverted by Argo CD",
        "Resource limits set too low on {c} cause OOM kills in {w}",
        "Wrong namespace selector in {c} NetworkPolicy cuts off {w}",
        "Runbook step for {c} skipped during a failover",
    ]),
    ("malicious", 30, [
        "Leaked credentials used to reach {c} (MS-TA9001 Using cloud credentials)",
        "Attacker creates a privileged pod next to {w} (MS-TA9018 Privileged container)",
        "Interactive exec into {w} to read {c} secrets (MS-TA9006 Exec into container)",
        "Backdoor CronJob planted in the {c} namespace (MS-TA9009 Kubernetes CronJob)",
        "Service account token of {c} stolen and replayed from outside the cluster",
        "Cryptominer deployed through an exposed {c} dashboard",
        "Malicious admission webhook intercepts {w} deployments",
    ]),
    ("supply_chain", 10, [
        "Compromised base image pulled into {w}",
        "Unsigned {c} chart version promoted to production",
        "Typosquatted dependency in the {c} build pipeline",
        "CI runner compromise injects code into the {c} release",
    ]),
    ("infrastructure", 15, [
        "Availability zone outage takes out {c} replicas of {w}",
        "Node pool exhaustion blocks scheduling of {w}",
        "etcd disk latency spikes stall {c}",
        "Regional load balancer failure isolates {w}",
        "Cloud quota reached while {c} scales out",
    ]),
    ("third_party", 10, [
        "Upstream DNS provider outage breaks {c} resolution for {w}",
        "Paging provider outage delays {c} alerts",
        "Certificate authority rate limit blocks {c} renewals",
        "SaaS identity provider outage locks engineers out of {c}",
    ]),
]
WORKLOADS = ["checkout", "payments", "search", "catalog", "auth", "notifications", "billing", "reporting", "api-gateway", "ledger"]
SEVERITIES = [("SEV1", 10), ("SEV2", 30), ("SEV3", 40), ("SEV4", 20)]


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def q(s):
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(s)


def flow(xs):
    return "[" + ", ".join(xs) + "]"


def header(comment):
    lines = ["apiVersion: plancheck.dev/v1", "kind: IncidentResponsePlan"]
    lines += ["# " + c if c else "#" for c in comment]
    return lines


def broken_count(rate, n):
    """How many of n items to break at this rate: at least one."""
    return max(1, round(rate * n))


def generate(n_threats, seed):
    rng = random.Random(seed)
    n_contacts = max(40, n_threats // 5)
    n_teams = max(6, n_threats // 50)
    n_areas = max(8, n_threats // 25)

    # --- contacts ---------------------------------------------------------------
    n_exec = max(3, n_contacts // 200)
    n_mgmt = max(n_teams // 4, 4)
    contacts = []
    seen = {}
    for k in range(n_contacts):
        first = FIRST[(k * 7 + rng.randrange(len(FIRST))) % len(FIRST)]
        last = LAST[rng.randrange(len(LAST))]
        base = f"{first}-{last}"
        seen[base] = seen.get(base, 0) + 1
        cid = base if seen[base] == 1 else f"{base}-{seen[base]}"
        tier = "executive" if k < n_exec else "management" if k < n_exec + n_mgmt else "responder"
        contacts.append({
            "id": cid,
            "name": f"{first.capitalize()} {last.capitalize()}",
            "github": cid,
            "email": f"{cid}@{ORG}.example",
            "phone": "+1415555%04d" % (k % 10000),
            "timezone": TIMEZONES[k % len(TIMEZONES)],
            "tier": tier,
        })
    executives = contacts[:n_exec]
    managers = contacts[n_exec:n_exec + n_mgmt]
    responders = contacts[n_exec + n_mgmt:]

    # --- teams and escalation policies ---------------------------------------------
    teams = []
    team_members = []
    for t in range(n_teams):
        base = TEAM_BASES[t % len(TEAM_BASES)]
        tid = base if n_teams <= len(TEAM_BASES) else f"{base}-{t // len(TEAM_BASES) + 1:02d}"
        members = responders[t::n_teams]
        team_members.append(members)
        rot = members[: min(len(members), 3 + t % 3)]
        teams.append({
            "id": tid,
            "github_team": f"@{ORG}/{tid}",
            "members": [c["id"] for c in members] + [managers[t % n_mgmt]["id"]],
            "rotation": [c["id"] for c in rot],
            "shift_hours": 168 if t % 4 else 120,
            "coverage": "24x7" if t % 4 else "business-hours",
            "escalation_policy": f"ep-{tid}",
            "manager": managers[t % n_mgmt]["id"],
        })
    policies = []
    for t, team in enumerate(teams):
        levels = [("responder", [q("oncall:" + team["id"])], 0)]
        if t % 3 == 0:
            levels.append(("responder", [q("oncall:" + teams[(t + 1) % n_teams]["id"])], 10))
        levels.append(("management", [team["manager"]], 15 + 5 * (t % 3)))
        levels.append(("executive", [executives[t % n_exec]["id"]], 30 + 5 * (t % 4)))
        policies.append({"id": team["escalation_policy"], "levels": levels})
    policies.append({"id": "ep-major-incident", "levels": [
        ("responder", [q("oncall:" + teams[0]["id"]), q("oncall:" + teams[1]["id"])], 0),
        ("management", [managers[0]["id"]], 10),
        ("executive", [executives[0]["id"], executives[1]["id"]], 20),
    ]})
    policies.append({"id": "ep-security-breach", "levels": [
        ("responder", [q("oncall:" + teams[3]["id"])], 0),
        ("management", [managers[1 % n_mgmt]["id"]], 5),
        ("executive", [executives[1]["id"]], 15),
        ("executive", [executives[0]["id"], executives[2]["id"]], 30),
    ]})

    # --- areas ----------------------------------------------------------------------
    areas = []
    for a in range(n_areas):
        slug, title = AREA_TOPICS[a % len(AREA_TOPICS)]
        aid = slug if n_areas <= len(AREA_TOPICS) else f"{slug}-{a // len(AREA_TOPICS) + 1:03d}"
        t = a % n_teams
        members = team_members[t]
        start = (a // n_teams) % max(1, len(members))
        picked = [members[(start + j) % len(members)] for j in range(min(len(members), 2 + a % 2))]
        areas.append({
            "id": aid,
            "title": title if aid == slug else f"{title}, {CLUSTERS[a % 2]} cell {a // len(AREA_TOPICS) + 1}",
            "team": t,
            "contacts": [c["id"] for c in picked],
            "paths": [f"clusters/*/{aid}/**", f"runbooks/{aid}/**"],
            "runbooks": [f"runbooks/{aid}/{name}.md" for name in ("triage", "recover", "escalate")[: 2 + a % 2]],
            "component": slug.replace("-", " "),
        })

    # --- threats ----------------------------------------------------------------------
    source_pairs = [(s, w) for s, w, _ in THREAT_TEMPLATES]
    templates = {s: ts for s, _, ts in THREAT_TEMPLATES}
    threats = []
    for i in range(n_threats):
        area = areas[rng.randrange(n_areas)]
        team = teams[area["team"]]
        source = weighted(rng, source_pairs)
        title = rng.choice(templates[source]).format(c=area["component"], w=rng.choice(WORKLOADS))
        severity = weighted(rng, SEVERITIES)
        high = severity == "SEV1" or (severity == "SEV2" and rng.random() < 0.25)
        r = rng.random()
        owner = team["id"] if r < 0.3 else rng.choice(area["contacts"])
        th = {
            "id": f"THR-{i + 1:05d}",
            "title": title,
            "source": source,
            "area": area["id"],
            "severity": severity,
            "high_profile": high,
            "owner": owner,
            "runbook": rng.choice(area["runbooks"]),
        }
        if high and source == "malicious" and rng.random() < 0.3:
            th["escalation_policy"] = "ep-security-breach"
        elif high and rng.random() < 0.05:
            th["escalation_policy"] = "ep-major-incident"
        threats.append(th)

    # --- deliberate breakage (~1%) ----------------------------------------------------------
    brk = random.Random(seed + 1)
    waivers = []
    codeowners_overrides = {}

    # threats: missing owner, dangling owner, missing source, unknown area, duplicate id
    idx = brk.sample(range(n_threats), min(n_threats, broken_count(0.01, n_threats)))
    for j, i in enumerate(idx):
        th = threats[i]
        kind = j % 5
        if kind == 0:
            del th["owner"]
        elif kind == 1:
            th["owner"] = "former-employee"
        elif kind == 2:
            del th["source"]
        elif kind == 3:
            th["area"] = th["area"] + "-legacy"
        elif kind == 4 and i > 0:
            th["id"] = threats[i - 1]["id"]
    # a high-profile threat whose explicit policy stops at management
    weak = [th for th in threats if not th["high_profile"] and th["severity"] == "SEV2"]
    for th in weak[: broken_count(0.002, n_threats)]:
        th["high_profile"] = True
        th["escalation_policy"] = "ep-" + teams[-1]["id"]
    # ... which is the last team's own policy: make it stop at management
    policies[n_teams - 1]["levels"] = [lv for lv in policies[n_teams - 1]["levels"] if lv[0] != "executive"]
    # ... and which its own high-profile threats inherit: waive the team's policy instead
    # (nothing to do: those threats become findings too, a realistic cluster of them)

    # areas with a single contact
    for a in brk.sample(range(n_areas), broken_count(0.02, n_areas)):
        areas[a]["contacts"] = areas[a]["contacts"][:1]
    # levels out of order
    for t in brk.sample(range(n_teams - 1), broken_count(0.02, n_teams)):
        lv = policies[t]["levels"]
        lv[-1], lv[-2] = (lv[-1][0], lv[-1][1], lv[-2][2]), (lv[-2][0], lv[-2][1], lv[-1][2])
    # an inactive contact still listed in an area with three contacts
    three = [a for a in areas if len(a["contacts"]) == 3]
    by_id = {c["id"]: c for c in contacts}
    for a in three[: broken_count(0.01, len(three) or 1)]:
        by_id[a["contacts"][2]]["active"] = False
    # a contact on call with neither email nor phone
    for team in brk.sample(teams, broken_count(0.01, n_teams)):
        c = by_id[team["rotation"][0]]
        c.pop("email", None)
        c.pop("phone", None)
    # CODEOWNERS routes some areas' runbooks to another team
    for a in brk.sample(range(n_areas), broken_count(0.02, n_areas)):
        codeowners_overrides[a] = teams[(areas[a]["team"] + 1) % n_teams]["github_team"]
    # waivers: one valid, one expired
    single = [a for a in areas if len(a["contacts"]) == 1]
    if single:
        waivers.append(("area-min-contacts", single[0]["id"], "second contact being hired", "2027-03-31"))
    waivers.append(("threat-owner", threats[-1]["id"], "owner rotating out", "2026-01-31"))

    return {
        "contacts": contacts, "teams": teams, "policies": policies, "areas": areas,
        "threats": threats, "waivers": waivers, "overrides": codeowners_overrides,
    }


# Team time zones, in turn (on-call in time: handoffs, layers and business hours are local).
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London", "Australia/Sydney",
         "America/Los_Angeles"]


def render(plan, n_threats, oncall_in_time=True):
    files = {}
    teams = plan["teams"]

    lines = header([
        f"Synthetic incident-response plan for benchmarking ({n_threats} threats).",
        "Generated by bench/gen.py; the plan is split over several files, whose lists plancheck merges.",
    ])
    lines += [
        "metadata:",
        "  name: k8s-platform-synthetic",
        f"  owner: {teams[0]['id']}",
        "  reviewed_at: 2026-11-01",
        "  review_interval_days: 365",
        "waivers:",
    ]
    for rule, target, reason, expires in plan["waivers"]:
        lines.append(f"  - {{rule: {rule}, target: {target}, reason: {q(reason)}, expires: {expires}}}")
    files["incident-response/plan.yaml"] = lines

    lines = header(["The directory of people. `github` is the handle without @."])
    lines.append("contacts:")
    for c in plan["contacts"]:
        lines.append(f"  - id: {c['id']}")
        lines.append(f"    name: {c['name']}")
        lines.append(f"    github: {c['github']}")
        if "email" in c:
            lines.append(f"    email: {c['email']}")
        if "phone" in c:
            lines.append(f"    phone: {q(c['phone'])}")
        lines.append(f"    timezone: {c['timezone']}")
        lines.append(f"    tier: {c['tier']}")
        if c.get("active") is False:
            lines.append("    active: false")
    files["incident-response/contacts.yaml"] = lines

    lines = header(["Teams, who is on call for each, and where pages go when nobody answers."])
    lines.append("teams:")
    for i, t in enumerate(teams):
        if not oncall_in_time:
            lines += [
                f"  - id: {t['id']}",
                f"    github_team: {q(t['github_team'])}",
                f"    members: {flow(t['members'])}",
                "    oncall:",
                f"      rotation: {flow(t['rotation'])}",
                f"      shift_hours: {t['shift_hours']}",
                f"      coverage: {t['coverage']}",
                f"    escalation_policy: {t['escalation_policy']}",
                "",
            ]
            continue
        lines += [
            f"  - id: {t['id']}",
            f"    github_team: {q(t['github_team'])}",
            f"    timezone: {ZONES[i % len(ZONES)]}",
            f"    members: {flow(t['members'])}",
            "    oncall:",
            f"      coverage: {t['coverage']}",
        ]
        rot = t["rotation"]
        if i % 3 == 0 and len(rot) >= 3:
            # Follow the sun: three daily layers in three zones (8 hours each, tiling a
            # winter day in UTC), 24-hour shifts.
            for name, part, zone, start, end in (("emea", rot[0::3], "Europe/Berlin", "07:00", "15:00"),
                                                  ("apac", rot[1::3], "Asia/Tokyo", "07:00", "15:00"),
                                                  ("amer", rot[2::3], "America/New_York", "09:00", "17:00")):
                if name == "emea":
                    lines.append("      layers:")
                lines.append(
                    f"        - {{name: {name}, rotation: {flow(part)}, shift_hours: 24, handoff: 2026-11-02T{start}, "
                    f"timezone: {zone}, restrict: [{{days: [mon, tue, wed, thu, fri, sat, sun], from: \"{start}\", to: \"{end}\"}}]}}")
        else:
            lines += [
                f"      rotation: {flow(rot)}",
                f"      shift_hours: {24 if i % 4 == 1 else t['shift_hours']}",
                "      handoff: 2026-11-02T09:00",
            ]
            if t["coverage"] == "business-hours":
                lines.append('      business_hours: {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}')
        if i % 5 == 0:
            lines += [
                "      overrides:",
                f"        - {{contact: {rot[-1]}, from: 2026-12-24T00:00:00Z, to: 2026-12-27T00:00:00Z}}",
            ]
        lines += [f"    escalation_policy: {t['escalation_policy']}", ""]
    files["incident-response/teams.yaml"] = lines

    lines = header(["Areas of expertise: key contacts, and the repository paths each one owns."])
    lines.append("areas:")
    for a in plan["areas"]:
        lines += [
            f"  - id: {a['id']}",
            f"    title: {q(a['title'])}",
            f"    team: {teams[a['team']]['id']}",
            f"    contacts: {flow(a['contacts'])}",
            "    paths:",
        ]
        lines += [f"      - {q(p)}" for p in a["paths"]]
        lines.append("")
    files["incident-response/areas.yaml"] = lines

    lines = header(["Escalation procedures, level by level up to the executive tier."])
    lines.append("escalation_policies:")
    for p in plan["policies"]:
        lines.append(f"  - id: {p['id']}")
        lines.append("    levels:")
        for tier, targets, after in p["levels"]:
            lines.append(f"      - {{tier: {tier}, targets: {flow(targets)}, after_minutes: {after}}}")
    files["incident-response/escalation.yaml"] = lines

    per_file = 1000
    threats = plan["threats"]
    for part, start in enumerate(range(0, len(threats), per_file), start=1):
        lines = header([f"Threats {start + 1} to {min(start + per_file, len(threats))}."])
        lines.append("threats:")
        for th in threats[start:start + per_file]:
            lines.append(f"  - id: {th['id']}")
            lines.append(f"    title: {th['title']}")  # templates are safe plain scalars
            for key in ("source", "area", "severity"):
                if key in th:
                    lines.append(f"    {key}: {th[key]}")
            if th["high_profile"]:  # optional, false by default
                lines.append("    high_profile: true")
            for key in ("owner", "escalation_policy", "runbook"):
                if key in th:
                    lines.append(f"    {key}: {th[key]}")
        files[f"incident-response/threats/part-{part:02d}.yaml"] = lines

    return {path: "\n".join(ls) + "\n" for path, ls in files.items()}


def codeowners(plan):
    teams = plan["teams"]
    contacts = {c["id"]: c for c in plan["contacts"]}
    root = teams[0]["github_team"]
    lines = [
        "# CODEOWNERS (generated by bench/gen.py). The last matching pattern wins.",
        f"*                          {root}",
        f"/incident-response/        {root} @{contacts[teams[0]['manager']]['github']}",
        f"/incident-response/threats/ {root} {teams[3]['github_team']}",
        f"/.github/CODEOWNERS        {root}",
        # An invalid line, as GitHub would reject it (owner without @).
        f"/docs/legacy/              {ORG}-platform",
        "",
    ]
    for a_i, a in enumerate(plan["areas"]):
        team = teams[a["team"]]
        lines.append(f"/clusters/*/{a['id']}/  {team['github_team']}")
        runbook_owner = plan["overrides"].get(a_i) or f"{team['github_team']} @{contacts[a['contacts'][0]]['github']}"
        lines.append(f"/runbooks/{a['id']}/  {runbook_owner}")
    return "\n".join(lines) + "\n"


def tracked_files(plan):
    out = {}
    for a in plan["areas"]:
        for cluster in CLUSTERS:
            out[f"clusters/{cluster}/{a['id']}/kustomization.yaml"] = (
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                f"namespace: {a['id']}\nresources:\n  - release.yaml\n"
            )
        for rb in a["runbooks"]:
            name = os.path.basename(rb)[:-3]
            out[rb] = f"# {a['title']}: {name}\n\n1. Acknowledge the page.\n2. Check the dashboard.\n3. Follow the steps below.\n"
    out["docs/legacy/README.md"] = "Old docs.\n"
    return out


def git(out, *args):
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
               GIT_AUTHOR_DATE="2026-11-01T12:00:00Z", GIT_COMMITTER_DATE="2026-11-01T12:00:00Z")
    subprocess.run(["git", "-c", "user.name=plancheck bench", "-c", "user.email=bench@example.com",
                    "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                   cwd=out, check=True, env=env, stdout=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threats", type=int, required=True, help="number of threats")
    ap.add_argument("--out", required=True, help="directory to write the repository into")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--force", action="store_true", help="replace OUT if it exists")
    ap.add_argument("--no-git", action="store_true", help="skip git init/add/commit")
    ap.add_argument("--no-oncall-time", action="store_true",
                    help="rotations without time zones, handoffs, layers or overrides (the plan before "
                         "on-call in time; bench/run.py uses it to isolate the expansion's cost)")
    args = ap.parse_args()

    if os.path.exists(args.out):
        if not args.force:
            sys.exit(f"gen.py: {args.out} exists (use --force to replace it)")
        shutil.rmtree(args.out)

    plan = generate(args.threats, args.seed)
    plan_files = render(plan, args.threats, oncall_in_time=not args.no_oncall_time)
    files = dict(plan_files)
    files[".github/CODEOWNERS"] = codeowners(plan)
    files.update(tracked_files(plan))
    for path, text in files.items():
        full = os.path.join(args.out, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)

    if not args.no_git:
        git(args.out, "init", "-q")
        git(args.out, "add", "-A")
        git(args.out, "commit", "-q", "-m", f"Synthetic plan: {args.threats} threats")

    yaml_bytes = sum(len(t.encode()) for t in plan_files.values())
    print(yaml_bytes)
    print(f"gen.py: {args.out}: {args.threats} threats, {len(plan['contacts'])} contacts, "
          f"{len(plan['teams'])} teams, {len(plan['areas'])} areas, {len(plan['policies'])} policies, "
          f"{len(plan_files)} plan files ({yaml_bytes} bytes of YAML), "
          f"{files['.github/CODEOWNERS'].count(chr(10))} CODEOWNERS lines, {len(files) - len(plan_files)} other files",
          file=sys.stderr)


if __name__ == "__main__":
    main()
