#!/usr/bin/env python3
"""Generate plan repositories for the OPA differential test, deterministically.

    python3 tests/opa/gen_plans.py OUT_DIR [--count N] [--seed S]

Writes OUT_DIR/r000, r001, ...: each a plan repository (plan files, maybe a
CODEOWNERS, tracked files under the areas' paths), not a git repository itself;
differential.py puts them all in one. Each starts as a clean plan and most are
then broken by a few "breakers", one family per built-in rule, using the edge
cases the policies must survive: unicode ids, absent, null, empty and blank
fields, empty lists, integers at 2**31, 2**53 and 2**63, dates at the limits of
nanosecond time (1677-09-21, 2262-04-11) and of four-digit years, duplicate ids
across files, invalid CODEOWNERS lines, expired and future waivers. The plan
is written as one file or split over several, YAML (block and flow, several
documents per file) or JSON.

Every repository is meant to pass the plan schema, except every SCHEMA_EVERY-th,
which breaks it on purpose (plancheck must then skip the policies). Dates are
relative to NOW, the --now the differential passes. Standard library only.
"""

import argparse
import copy
import datetime
import json
import os
import random
import re

SEED = 20261124
COUNT = 320
NOW = "2026-11-24"
SCHEMA_EVERY = 25
ORG = "acme"

ASCII_NAMES = [
    "alice", "bob", "chen", "devika", "erin", "farid", "gus", "hana", "ivan", "jules",
    "kofi", "lena", "mateo", "nora", "omar", "pia", "quinn", "rosa", "sam", "tariq",
]
# Odd but valid ids: non-ASCII letters, NFD and NFC forms of one name, RTL and CJK
# text, an emoji, YAML-significant characters, format verbs, a fake oncall: target.
ODD_IDS = [
    "zoë", "josé", "e\u0301mile", "\u00e9mile", "李雷", "сергей", "سارة", "ølaf", "δ-ops",
    "🚒-fire", "a b", "o'neil", 'say "hi"', "back\\slash", "100%s", "#hash", "x: y",
    "oncall:ghost", "Null", "true", "- dash", "tab\there", "  padded  ", "ﬁ-ligature", "0x1F",
]
TEAM_IDS = ["platform-sre", "storage", "networking", "security", "delivery", "équipe-données", "团队-核心", "sre"]
AREA_IDS = [
    "control-plane", "k8s-storage", "etcd-backup", "ingress-dns", "rbac-identity", "secrets",
    "monitoring", "supply-chain", "réseau", "ストレージ", "autoscaling", "service-mesh",
]
SOURCES = ["human_error", "malicious", "supply_chain", "infrastructure", "third_party"]
TIERS = ["responder", "management", "executive"]
RULES = [
    "threat-owner", "area-min-contacts", "high-profile-executive", "team-oncall", "escalation-policy",
    "ref-resolves", "unique-id", "threat-area", "threat-source", "contact-reachable",
    "inactive-contact", "codeowners-syntax", "plan-codeowned", "area-paths-owned",
    "plan-review-stale", "waiver-expired", "oncall-coverage", "oncall-handoff", "escalation-reach",
    "oncall-load", "contact-load", "manifest-area", "threat-coverage", "codeowners-owner-known",
    "codeowners-unused", "codeowners-shadowed", "area-path-unused",
]
# Threat Matrix for Kubernetes ids the bundled catalogue knows, and ATT&CK ids by shape.
TECHNIQUES = ["MS-TA9001", "MS-TA9002", "MS-TA9005", "MS-TA9013", "MS-TA9014", "MS-TA9015", "MS-TA9018",
              "MS-TA9019", "MS-TA9027", "MS-TA9038", "MS-TA9039", "MS-TA9040", "MS-TA9041"]
ATTACK = ["T1485", "T1078.003", "T1610", "T1611", "T1053.007", "T1496", "T1499", "T9999", "T0001.001"]
KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Service", "Ingress", "StorageClass", "PersistentVolumeClaim",
         "ClusterRoleBinding", "RoleBinding", "CronJob", "ConfigMap", "Secret", "ValidatingWebhookConfiguration"]
NAMESPACES = ["prod", "prod-eu", "kube-system", "default", "ünï-ns", "team-a"]
# after_minutes values the schema accepts (integers from 0 to 2**63 - 1).
AFTER = [0, 0, 1, 5, 15, 30, 60, 1440, 2**31 - 1, 2**31, 2**32, 2**53 - 1, 2**53, 2**53 + 1, 2**63 - 2, 2**63 - 1]
# Dates valid under the schema that sit on a boundary: four-digit years, nanosecond
# time (1677-09-21 .. 2262-04-11), leap days, and NOW itself.
BOUNDARY_DATES = [
    "0001-01-01", "0400-02-29", "1582-10-10", "1677-09-20", "1677-09-21", "1677-09-22",
    "1900-02-28", "1970-01-01", "2000-02-29", "2024-02-29", "2026-11-23", NOW,
    "2026-11-25", "2262-04-10", "2262-04-11", "2262-04-12", "9999-12-31",
]
INTERVALS = [1, 30, 90, 365, 99999, 100000, 2**31, 2**53 + 1, 2**63 - 1]
# Values the schema allows in x- fields, which the policies never read but which
# still travel through both engines' input documents.
X_VALUES = [0, -1, 1.5, -0.0, 1e308, -1e308, 5e-324, 2**53 + 1, 2**63, -(2**63), 2**64 + 1,
            "ünïcödé", None, True, [], {}, {"nested": [1, {"deep": None}]}]


# --- dates ----------------------------------------------------------------------

def shifted(delta):
    """NOW plus delta days, as YYYY-MM-DD."""
    return (datetime.date.fromisoformat(NOW) + datetime.timedelta(days=delta)).isoformat()


# --- a clean plan -----------------------------------------------------------------

def pick_ids(rng, n, pool, odd_share, taken=()):
    """n distinct ids from pool (or, at odd_share, from ODD_IDS), none of them in taken."""
    out = []
    while len(out) < n:
        cand = rng.choice(ODD_IDS) if rng.random() < odd_share else rng.choice(pool)
        if cand in out or cand in taken:
            cand = f"{cand}-{len(out)}"
        if cand not in out and cand not in taken:
            out.append(cand)
    return out


def clean_repo(rng, index):
    """A repository on which every built-in rule passes."""
    odd = rng.choice([0.0, 0.1, 0.3])
    contact_ids = pick_ids(rng, rng.randint(6, 12), ASCII_NAMES, odd)
    contacts = []
    for i, cid in enumerate(contact_ids):
        c = {"id": cid, "name": f"Person {cid}", "github": f"gh-{index}-{i}", "email": f"c{i}@example.com"}
        if rng.random() < 0.5:
            c["phone"] = f"+1415555{i:04d}"
        if rng.random() < 0.3:
            c["timezone"] = rng.choice(["Europe/Berlin", "Asia/Tokyo", "America/New_York"])
        c["tier"] = rng.choice(TIERS)
        if rng.random() < 0.5:
            c["active"] = True
        contacts.append(c)

    team_ids = pick_ids(rng, rng.randint(1, 4), TEAM_IDS, odd / 2, taken=contact_ids)
    teams, policies = [], []
    for k, tid in enumerate(team_ids):
        members = rng.sample(contact_ids, rng.randint(2, 4))
        team = {
            "id": tid,
            "github_team": f"@{ORG}/team-{k}",
            "members": members,
            "oncall": oncall(rng, members),
            "escalation_policy": f"ep-{tid}",
        }
        if rng.random() < 0.6:
            team["timezone"] = rng.choice(ZONES)
        teams.append(team)
        policies.append(policy(rng, f"ep-{tid}", tid, contact_ids, team_ids))
    if rng.random() < 0.3:
        policies.append(policy(rng, "ep-major", rng.choice(team_ids), contact_ids, team_ids))

    areas, tracked, owners_lines = [], [], []
    for k, aid in enumerate(pick_ids(rng, rng.randint(1, 6), AREA_IDS, odd / 2)):
        team = rng.choice(teams)
        area = {"id": aid, "title": f"Area {aid}", "team": team["id"],
                "contacts": rng.sample(contact_ids, rng.randint(2, 3)),
                "paths": [f"svc/a{k}/**", f"clusters/*/a{k}/"]}
        if rng.random() < 0.4:
            area["kinds"] = rng.sample(KINDS, rng.randint(1, 4))
            if rng.random() < 0.5:
                area["namespaces"] = rng.sample(["prod*", "kube-*", "default", "*", "ünï-*", "[bad"], rng.randint(1, 2))
        areas.append(area)
        tracked += [f"svc/a{k}/main.go", f"clusters/prod/a{k}/deploy.yaml"]
        if rng.random() < 0.3:
            tracked += [f"svc/a{k}/配置 {j}.yaml" for j in range(rng.randint(1, 5))]
        contact = next(c for c in contacts if c["id"] == area["contacts"][0])
        owners_lines += [f"/svc/a{k}/ {case(rng, team['github_team'])}",
                         f"/clusters/*/a{k}/ {case(rng, '@' + contact['github'])} @{ORG}/someone-else"]

    threats = []
    size = 400 + index if index % 40 == 7 else rng.choice([1, 3, 10, 10, 30, 60])
    for n in range(size):
        t = {"id": rng.choice([f"THR-{n:03d}", f"THR-{n:03d}", f"脅威-{n}", f"thr-ü-{n}"]),
             "title": f"Threat {n}", "source": rng.choice(SOURCES), "area": rng.choice(areas)["id"],
             "severity": rng.choice(["SEV1", "SEV2", "SEV3", "SEV4"]),
             "owner": rng.choice(contact_ids + team_ids)}
        if rng.random() < 0.6:
            t["high_profile"] = rng.random() < 0.5
        if rng.random() < 0.3:
            t["escalation_policy"] = rng.choice(policies)["id"]
        if rng.random() < 0.3:
            t["runbook"] = f"runbooks/{n}.md"
        if rng.random() < 0.2:
            t["techniques"] = rng.sample(TECHNIQUES + ATTACK, rng.randint(0, 3))
        if t["id"] in [x["id"] for x in threats]:
            t["id"] += f"-{n}"
        threats.append(t)

    interval = rng.choice([30, 90, 365])
    metadata = {"name": "k8s-platform", "owner": rng.choice(team_ids),
                "reviewed_at": shifted(-rng.randint(0, interval)), "review_interval_days": interval}
    waivers = [{"rule": rng.choice(RULES), "target": rng.choice(contact_ids + team_ids + [a["id"] for a in areas[:1]]
                                                                + [t["id"] for t in threats[:3]]),
                "reason": "accepted for now", "expires": shifted(rng.randint(0, 400))}
               for _ in range(rng.randint(0, 2))]
    plan = {"metadata": metadata, "contacts": contacts, "teams": teams, "areas": areas,
            "escalation_policies": policies, "threats": threats, "waivers": waivers}
    codeowners = ["# generated", f"* @{ORG}/fallback", f"/incident-response/ @{ORG}/team-0 @gh-{index}-0",
                  f"/incident-plan.* @{ORG}/team-0"] + owners_lines
    manifests = {}
    for k in range(len(areas)):
        if rng.random() < 0.6:
            manifests[f"clusters/prod/a{k}/k8s.yaml"] = [safe_object(rng, f"o{k}-{j}")
                                                         for j in range(rng.randint(1, 4))]
    return {"plan": plan, "codeowners": codeowners, "tracked": tracked, "manifests": manifests}


# --- Kubernetes objects ------------------------------------------------------------------

def container(rng, risky=None):
    c = {"name": "app", "image": "registry.example/app@sha256:" + "ab" * 32,
         "resources": {"limits": {"memory": "128Mi"}}}
    if risky == "privileged-container":
        c["securityContext"] = {"privileged": True}
    elif risky == "mutable-image-tag":
        c["image"] = rng.choice(["nginx", "nginx:1.27", "nginx:latest", "r.example/x:ü"])
    elif risky == "no-resource-limits":
        c["resources"] = rng.choice([DELETE, {}, {"limits": {}}, "none", {"requests": {"cpu": "1"}}])
        if c["resources"] is DELETE:
            del c["resources"]
    elif rng.random() < 0.2:
        c["securityContext"] = rng.choice([{"privileged": False}, "odd", None, {"privileged": "true"}])
    return c


def meta(rng, name, namespaced=True):
    m = {"name": name}
    if namespaced and rng.random() < 0.8:
        m["namespace"] = rng.choice(NAMESPACES)
    return m


def safe_object(rng, name):
    """An object that shows no risk of the built-in catalogue."""
    kind = rng.choice(["Deployment", "Service", "ConfigMap", "StorageClass", "PersistentVolumeClaim", "Role"])
    obj = {"apiVersion": "v1", "kind": kind, "metadata": meta(rng, name, kind != "StorageClass")}
    if kind == "Deployment":
        obj["spec"] = {"template": {"spec": {"containers": [container(rng)]}}}
    elif kind == "Service":
        obj["spec"] = {"type": rng.choice(["ClusterIP", "NodePort"])}
    elif kind == "StorageClass":
        obj["reclaimPolicy"] = "Retain"
    return obj


RISKS = ["delete-reclaim-policy", "cluster-admin-binding", "privileged-container", "writable-hostpath", "cronjob",
         "admission-webhook", "exposed-service", "secret-in-git", "mutable-image-tag", "no-resource-limits"]


def risky_object(rng, name, risk):
    """An object that shows one risk of the built-in catalogue (and maybe others)."""
    m = meta(rng, name)
    if risk == "delete-reclaim-policy":
        if rng.random() < 0.5:
            return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name},
                    "spec": {"persistentVolumeReclaimPolicy": "Delete"}}
        sc = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": name}}
        if rng.random() < 0.5:
            sc["reclaimPolicy"] = "Delete"
        return sc
    if risk == "cluster-admin-binding":
        return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": rng.choice(["ClusterRoleBinding", "RoleBinding"]),
                "metadata": m, "roleRef": {"kind": "ClusterRole", "name": "cluster-admin"}}
    if risk == "writable-hostpath":
        c = container(rng)
        c["volumeMounts"] = [{"name": "host", "mountPath": "/h", **({"readOnly": False} if rng.random() < 0.5 else {})}]
        return {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": m,
                "spec": {"template": {"spec": {"containers": [c], "volumes": [{"name": "host", "hostPath": {"path": "/"}}]}}}}
    if risk == "cronjob":
        return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": m,
                "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [container(rng)]}}}}}}
    if risk == "admission-webhook":
        return {"apiVersion": "admissionregistration.k8s.io/v1",
                "kind": rng.choice(["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]),
                "metadata": {"name": name}}
    if risk == "exposed-service":
        if rng.random() < 0.5:
            return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": m}
        return {"apiVersion": "v1", "kind": "Service", "metadata": m, "spec": {"type": "LoadBalancer"}}
    if risk == "secret-in-git":
        return {"apiVersion": "v1", "kind": "Secret", "metadata": m,
                rng.choice(["data", "stringData"]): {"password": "c2VjcmV0", "token": "t"}}
    kind = rng.choice(["Deployment", "StatefulSet", "Job", "Pod"])
    spec = {"containers": [container(rng, risk)]}
    if kind == "Pod":
        return {"apiVersion": "v1", "kind": kind, "metadata": m, "spec": spec}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": m, "spec": {"template": {"spec": spec}}}


# On-call in time: zones with DST changes inside the horizon's year, and without.
ZONES = ["UTC", "Europe/Berlin", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Tokyo",
         "Asia/Kolkata"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def handoff(rng):
    """A local date-time near NOW (before or after it), on the hour or not."""
    day = shifted(rng.randint(-40, 20))
    return f"{day}T{rng.choice(['00:00', '07:00', '09:00', '09:30', '17:00', '23:59'])}"


def window(rng):
    """A weekly restriction window: some days, from-to, sometimes wrapping midnight or to 24:00."""
    start = rng.choice(["00:00", "07:00", "08:00", "09:00", "19:00", "22:00"])
    end = rng.choice(["17:00", "19:00", "24:00", "07:00", "09:00"])
    return {"days": rng.sample(DAYS, rng.randint(1, 7)), "from": start, "to": end}


def oncall(rng, members):
    """A team's on-call: the short form (mostly with a handoff), or layers over an unrestricted
    base (so coverage holds), with zones, restrictions, overrides and business hours."""
    rotation = members[: rng.randint(1, len(members))]
    o = {"coverage": rng.choice(["24x7", "business-hours"])}
    if rng.random() < 0.6:
        o.update({"rotation": rotation, "shift_hours": rng.choice([8, 12, 24, 168])})
        if rng.random() < 0.85:
            o["handoff"] = handoff(rng)
    else:
        base = {"name": "base", "rotation": rotation, "shift_hours": rng.choice([24, 168]), "handoff": handoff(rng)}
        layers = [base]
        for n in range(rng.randint(0, 2)):
            layer = {"name": f"l{n}", "rotation": rng.sample(members, rng.randint(1, len(members))),
                     "shift_hours": rng.choice([12, 24, 168]), "handoff": handoff(rng),
                     "restrict": [window(rng) for _ in range(rng.randint(1, 2))]}
            if rng.random() < 0.5:
                layer["timezone"] = rng.choice(ZONES)
            layers.append(layer)
        o["layers"] = layers
    if rng.random() < 0.3:
        o["timezone"] = rng.choice(ZONES)
    if o["coverage"] == "business-hours" and rng.random() < 0.5:
        o["business_hours"] = {"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "18:00"}
    if rng.random() < 0.2:
        start = datetime.datetime.fromisoformat(NOW + "T00:00:00+00:00") + datetime.timedelta(hours=rng.randint(0, 500))
        end = start + datetime.timedelta(hours=rng.randint(1, 100))
        o["overrides"] = [{"contact": rng.choice(members), "from": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                           "to": end.strftime("%Y-%m-%dT%H:%M:%SZ")}]
    return o


def policy(rng, pid, team_id, contact_ids, team_ids):
    """An escalation policy with ordered levels that ends at the executive tier."""
    minutes = sorted(rng.choice(AFTER) for _ in range(3))
    # A contact id like "oncall:ghost" is fine, but as a level target it reads as team "ghost".
    contact_ids = [c for c in contact_ids if not c.startswith("oncall:")]
    levels = [
        {"tier": "responder", "targets": [f"oncall:{team_id}"], "after_minutes": minutes[0]},
        {"tier": "management", "targets": rng.sample(contact_ids, 1) + rng.sample(team_ids, rng.randint(0, 1)),
         "after_minutes": minutes[1]},
        {"tier": "executive", "targets": rng.sample(contact_ids, rng.randint(1, 2)), "after_minutes": minutes[2]},
    ]
    if rng.random() < 0.3:
        del levels[1]
    return {"id": pid, "name": f"Escalation {pid}", "levels": levels}


def case(rng, owner):
    """CODEOWNERS owners are compared case-insensitively: vary the case."""
    return owner.upper() if rng.random() < 0.15 else owner


# --- breakers: each breaks (or probes the edge of) one rule ----------------------------

DELETE = object()  # as a value to put(): remove the key


def blank(rng):
    """An empty value: absent, null, empty or whitespace (Unicode's too; a zero-width space is not one)."""
    return rng.choice([DELETE, None, "", "   ", "\t", "\u00a0", "\u3000 \u2028", "\u200b", "\ufeff"])


def put(obj, key, value):
    if value is DELETE:
        obj.pop(key, None)
    else:
        obj[key] = value


def unknown_id(rng):
    return rng.choice(["ghost", "nobody", "ünknown-ïd", "幽霊", "", " ", "oncall:", "oncall:nobody", "100%d"])


def ids(plan, key):
    return [x["id"] for x in plan[key]]


def b_threat_owner(rng, repo):
    t = rng.choice(repo["plan"]["threats"])
    put(t, "owner", rng.choice([blank(rng), unknown_id(rng), rng.choice(ids(repo["plan"], "areas"))]))


def b_area_min_contacts(rng, repo):
    plan = repo["plan"]
    a = rng.choice(plan["areas"])
    cs = ids(plan, "contacts")
    choice = rng.randrange(6)
    if choice == 0:
        put(a, "contacts", rng.choice([DELETE, None, []]))
    elif choice == 1:
        a["contacts"] = [cs[0]]
    elif choice == 2:
        a["contacts"] = [cs[0], cs[0], cs[0]]
    elif choice == 3:
        a["contacts"] = [cs[0], unknown_id(rng), rng.choice(ids(plan, "teams"))]
    elif choice == 4:
        a["contacts"] = cs[:2]
        plan["contacts"][1]["active"] = False
    else:
        a["contacts"] = cs[:2]
        for c in plan["contacts"][:2]:
            c["active"] = False


def b_high_profile_executive(rng, repo):
    plan = repo["plan"]
    t = rng.choice(plan["threats"])
    t["high_profile"] = True
    choice = rng.randrange(8)
    p = rng.choice(plan["escalation_policies"])
    if choice == 0:
        p["levels"] = [lv for lv in p["levels"] if lv["tier"] != "executive"]
    elif choice == 1:
        for lv in p["levels"]:
            if lv["tier"] == "executive":
                lv["targets"] = []
    elif choice == 2:
        put(t, "area", blank(rng))
        t.pop("escalation_policy", None)
    elif choice == 3:
        t["area"] = unknown_id(rng)
        t.pop("escalation_policy", None)
    elif choice == 4:
        area = next((a for a in plan["areas"] if a["id"] == t.get("area")), plan["areas"][0])
        put(area, "team", rng.choice([blank(rng), unknown_id(rng)]))
        t.pop("escalation_policy", None)
    elif choice == 5:
        team = rng.choice(plan["teams"])
        put(team, "escalation_policy", rng.choice([blank(rng), unknown_id(rng)]))
        for other in plan["threats"]:
            other.pop("escalation_policy", None)
    elif choice == 6:
        t["escalation_policy"] = unknown_id(rng)
    else:
        p["levels"] = [{"tier": "management", "targets": [ids(plan, "contacts")[0]], "after_minutes": 0}]
        t["escalation_policy"] = p["id"]
    for other in rng.sample(plan["threats"], min(3, len(plan["threats"]))):
        other["high_profile"] = True


def b_team_oncall(rng, repo):
    plan = repo["plan"]
    team = rng.choice(plan["teams"])
    if "layers" in (team.get("oncall") or {}):
        # The breakers below edit the short form; `rotation` beside `layers` is a schema error.
        base = team["oncall"]["layers"][0]
        team["oncall"] = {"rotation": base["rotation"], "shift_hours": base["shift_hours"],
                          "handoff": base["handoff"], "coverage": team["oncall"]["coverage"]}
    choice = rng.randrange(6)
    if choice == 0:
        put(team, "oncall", rng.choice([DELETE, None]))
    elif choice == 1:
        team["oncall"] = rng.choice([{}, {"shift_hours": 12}, {"rotation": None, "coverage": "24x7"}])
    elif choice == 2:
        team["oncall"]["rotation"] = []
    elif choice == 3:
        team["oncall"]["rotation"] = [unknown_id(rng), unknown_id(rng)]
    else:
        for c in plan["contacts"]:
            if c["id"] in team["oncall"]["rotation"]:
                c["active"] = False


def b_escalation_policy(rng, repo):
    plan = repo["plan"]
    choice = rng.randrange(5)
    if choice == 0:
        put(rng.choice(plan["teams"]), "escalation_policy", blank(rng))
    elif choice == 1:
        p = rng.choice(plan["escalation_policies"])
        put(p, "levels", rng.choice([DELETE, None, [], p["levels"][:1]]))
    else:
        p = rng.choice(plan["escalation_policies"])
        pairs = [(1, 0), (2**53 + 1, 2**53), (2**53, 2**53 - 1), (2**63 - 1, 2**63 - 2), (2**31, 2**31 - 1),
                 (2**63 - 1, 0), (15, 15), (2**53, 2**53)]
        for lv in p["levels"]:
            lv["after_minutes"] = rng.choice(AFTER)
        k = rng.randrange(1, len(p["levels"])) if len(p["levels"]) > 1 else 0
        before, after = rng.choice(pairs)
        p["levels"][k]["after_minutes"] = after
        if k > 0:
            p["levels"][k - 1]["after_minutes"] = before


def b_ref_resolves(rng, repo):
    plan = repo["plan"]
    choice = rng.randrange(12)
    bad = unknown_id(rng)
    if choice == 0:
        rng.choice(plan["threats"])["area"] = bad
    elif choice == 1:
        rng.choice(plan["threats"])["escalation_policy"] = bad
    elif choice == 2:
        rng.choice(plan["teams"])["escalation_policy"] = bad
    elif choice == 3:
        rng.choice(plan["teams"])["members"].append(bad)
    elif choice == 4:
        rng.choice(plan["teams"])["oncall"]["rotation"].append(bad)
    elif choice == 5:
        rng.choice(plan["areas"])["contacts"].append(bad)
    elif choice == 6:
        rng.choice(plan["areas"])["team"] = bad
    elif choice == 7:
        level = rng.choice(rng.choice(plan["escalation_policies"])["levels"])
        level["targets"].append(rng.choice([bad, "oncall:" + bad, "oncall:" + ids(plan, "contacts")[0]]))
    elif choice == 8:
        put(plan["metadata"], "owner", rng.choice([bad, DELETE, None]))
    elif choice == 9:
        # A waiver's target is required: a blank one is a schema error, not a dangling reference.
        plan["waivers"].append({"rule": rng.choice(RULES + ["no-such-rule"]), "target": bad if bad.strip() else "ghost",
                                "reason": "r", "expires": shifted(30)})
    elif choice == 11:
        # An id of the right shape that the Threat Matrix for Kubernetes does not have.
        t = rng.choice(plan["threats"])
        t["techniques"] = t.get("techniques", []) + [rng.choice(["MS-TA9032", "MS-TA9099", "MS-TA0000", "MS-TA9000"])]
    else:
        plan["metadata"]["owner"] = rng.choice(ids(plan, "contacts") + ids(plan, "threats")[:1])


def b_unique_id(rng, repo):
    plan = repo["plan"]
    choice = rng.randrange(4)
    if choice == 0:
        key = rng.choice(["threats", "areas", "escalation_policies", "contacts", "teams"])
        item = rng.choice(plan[key])
        for _ in range(rng.randint(1, 2)):
            plan[key].insert(rng.randrange(len(plan[key]) + 1), copy.deepcopy(item))
    elif choice == 1:
        plan["contacts"].append({"id": rng.choice(ids(plan, "teams")), "email": "shared@example.com"})
    elif choice == 2:
        team = copy.deepcopy(rng.choice(plan["teams"]))
        team["id"] = rng.choice(ids(plan, "contacts"))
        plan["teams"].append(team)
    else:
        # The same id in lists that do not share a namespace is fine.
        plan["threats"][0]["id"] = plan["areas"][0]["id"]
        plan["escalation_policies"][0]["id"] = plan["areas"][0]["id"]


def b_threat_area(rng, repo):
    put(rng.choice(repo["plan"]["threats"]), "area", blank(rng))


def b_threat_source(rng, repo):
    t = rng.choice(repo["plan"]["threats"])
    put(t, "source", rng.choice([blank(rng), "Malicious", "insider", "human error", "ünknown", "supply-chain"]))


def b_contact_reachable(rng, repo):
    plan = repo["plan"]
    team = rng.choice(plan["teams"])
    level = rng.choice(rng.choice(plan["escalation_policies"])["levels"])
    targets = [x for x in team["oncall"]["rotation"] + level["targets"] if x in ids(plan, "contacts")]
    if rng.random() < 0.3:
        targets = ids(plan, "contacts")  # on call and escalation target at once, some of them
    for c in plan["contacts"]:
        if c["id"] in targets[:2]:
            put(c, "email", blank(rng))
            put(c, "phone", blank(rng))


def b_inactive_contact(rng, repo):
    plan = repo["plan"]
    where = rng.choice([rng.choice(plan["teams"])["oncall"]["rotation"],
                        rng.choice(rng.choice(plan["escalation_policies"])["levels"])["targets"],
                        rng.choice(plan["areas"])["contacts"]])
    for c in plan["contacts"]:
        if c["id"] in where:
            c["active"] = False
            break


def b_codeowners_syntax(rng, repo):
    bad = ["!/secret/ @acme/x", "/a[bc]/ @acme/x", "\\#notes @acme/x", "/docs/ not-an-owner",
           "/x/ @acme/", "/y/ @bad!owner", "/z/ user@", "/w/ @acme/sre @@double", "*.md\t@ok bad owner"]
    lines = repo["codeowners"]
    for line in rng.sample(bad, rng.randint(1, 4)):
        lines.insert(rng.randrange(len(lines) + 1), line)


def b_plan_codeowned(rng, repo):
    choice = rng.randrange(4)
    lines = repo["codeowners"]
    if choice == 0:
        repo["codeowners"] = None
    elif choice == 1:
        repo["codeowners"] = [line for line in lines if not line.startswith(("*", "/incident"))]
    elif choice == 2:
        lines += ["/incident-response/", "/incident-plan.*"]  # a line without owners unsets ownership
    else:
        repo["codeowners_at"] = "docs/CODEOWNERS"
        lines.insert(0, "/.github/ @acme/x")
        repo["extra_codeowners"] = ["* @acme/shadowed"]  # .github/CODEOWNERS, when present, wins


def b_area_paths_owned(rng, repo):
    plan = repo["plan"]
    k = rng.randrange(len(plan["areas"]))
    area = plan["areas"][k]
    choice = rng.randrange(4)
    if choice == 0:
        repo["codeowners"].append(f"/svc/a{k}/ @{ORG}/strangers")
        repo["tracked"] += [f"svc/a{k}/extra/{j}.txt" for j in range(rng.randint(0, 6))]
    elif choice == 3:
        # Handles whose letters lower-case differently by Unicode's rules (final sigma, dotted
        # I) and letter by letter: the warning lists them, and "İ" lowered letter by letter
        # is ASCII "i", which a CODEOWNERS owner can be.
        for team in plan["teams"]:
            if team["id"] == area.get("team"):
                team["github_team"] = rng.choice([f"@{ORG}/ΣΟΦΙΑΣ", f"@{ORG}/İSTANBUL", "ΟΔΟΣ@example.com"])
        for c in plan["contacts"]:
            if c["id"] in area["contacts"]:
                c["github"] = rng.choice(["İnci", "ΟΔΥΣΣΕΥΣ", "Ǆemal", "ﬃ"])
        repo["codeowners"].append(rng.choice([f"/svc/a{k}/ @inci @{ORG}/istanbul", f"/svc/a{k}/ İnci@example.com"]))
    elif choice == 1:
        for team in plan["teams"]:
            if team["id"] == area.get("team"):
                put(team, "github_team", blank(rng))
        for c in plan["contacts"]:
            if c["id"] in area["contacts"]:
                put(c, "github", blank(rng))
        repo["codeowners"].append(f"/svc/a{k}/ @{ORG}/strangers")
    else:
        area["paths"] = [rng.choice(["**", "*", "svc/**", "*.yaml", "nothing/matches/**"])]


def b_plan_review_stale(rng, repo):
    meta = repo["plan"]["metadata"]
    choice = rng.randrange(5)
    if choice == 0:
        if rng.random() < 0.5:
            meta.pop("reviewed_at")
        else:
            repo["metadata_as"] = rng.choice(["absent", None, {}])
    elif choice == 1:
        meta["reviewed_at"] = rng.choice(BOUNDARY_DATES)
    elif choice == 2:
        meta["review_interval_days"] = rng.choice(INTERVALS)
        meta["reviewed_at"] = rng.choice(BOUNDARY_DATES)
    elif choice == 3:
        interval = meta.get("review_interval_days", 90)
        meta["reviewed_at"] = shifted(-interval - rng.choice([0, 1]))  # due today (fine) or yesterday (stale)
    else:
        put(meta, "review_interval_days", rng.choice([DELETE, None]))
        meta["reviewed_at"] = shifted(-rng.choice([89, 90, 91, 1000]))


def b_manifest_area(rng, repo):
    """Significant objects no area owns: outside every area's paths, or of a kind an area
    claims but in a namespace its globs do not match (or without a namespace)."""
    objects = []
    for j in range(rng.randint(1, 4)):
        obj = safe_object(rng, rng.choice([f"orphan-{j}", f"ø-{j}", f"名前-{j}"]))
        if obj["kind"] == "ConfigMap":
            obj["kind"] = "Deployment"
        objects.append(obj)
    if rng.random() < 0.3:
        objects = [{"apiVersion": "v1", "kind": "List", "items": objects + [{"kind": "NoName"}]}]
    repo["manifests"][f"apps/orphans-{rng.randint(0, 9)}.yaml"] = objects


def b_threat_coverage(rng, repo):
    """Objects showing risks, in an area's files; sometimes a threat names one technique of
    them (or an ATT&CK id it maps to), so some risks are covered and others not."""
    plan = repo["plan"]
    k = rng.randrange(len(plan["areas"]))
    objects = [risky_object(rng, f"risky-{j}", rng.choice(RISKS)) for j in range(rng.randint(1, 5))]
    repo["manifests"].setdefault(f"clusters/prod/a{k}/k8s.yaml", []).extend(objects)
    if plan["threats"] and rng.random() < 0.5:
        t = rng.choice(plan["threats"])
        t["techniques"] = rng.sample(["MS-TA9038", "MS-TA9019", "T1078.003", "MS-TA9040", "T1485", "MS-TA9014"],
                                     rng.randint(1, 2))


def b_waiver_expired(rng, repo):
    plan = repo["plan"]
    targets = [i for key in ["contacts", "teams", "areas", "escalation_policies", "threats"] for i in ids(plan, key)]
    for _ in range(rng.randint(1, 3)):
        plan["waivers"].append({"rule": rng.choice(RULES), "target": rng.choice(targets),
                                "reason": "temporary", "expires": rng.choice(BOUNDARY_DATES + [shifted(-1), NOW])})


def b_oncall_coverage(rng, repo):
    team = rng.choice(repo["plan"]["teams"])
    members = team["members"]
    team["oncall"] = {"coverage": rng.choice(["24x7", "business-hours"]), "layers": [
        {"name": "part", "rotation": members[:2], "shift_hours": 24, "handoff": handoff(rng),
         "timezone": rng.choice(ZONES), "restrict": [window(rng)]}]}
    if rng.random() < 0.5:
        team["oncall"]["layers"].append({"name": "night", "rotation": members[-1:],
                                         "restrict": [{"days": DAYS, "from": "22:00", "to": "06:00"}]})


def b_oncall_handoff(rng, repo):
    team = rng.choice(repo["plan"]["teams"])
    members = team["members"]
    o = team["oncall"]
    if "layers" in o and rng.random() < 0.7:
        o["layers"].append({"name": rng.choice(["apac", "", "夜"]), "rotation": members[:2] or members,
                            "shift_hours": 24})
    else:
        team["oncall"] = {"rotation": members, "shift_hours": rng.choice([12, 168]),
                          "coverage": o.get("coverage", "24x7")}


def b_escalation_reach(rng, repo):
    plan = repo["plan"]
    t = rng.choice(plan["threats"])
    if rng.random() < 0.5:
        t["severity"] = "SEV1"
    else:
        t["high_profile"] = True
    p = rng.choice(plan["escalation_policies"])
    choice = rng.randrange(3)
    if choice == 0:
        for lv in p["levels"]:
            lv["after_minutes"] = max(lv["after_minutes"], rng.choice([6, 30, 2**53]))
    elif choice == 1:
        team = rng.choice(plan["teams"])
        team["oncall"] = {"coverage": "business-hours", "layers": [
            {"name": "office", "rotation": team["members"][:1], "restrict": [window(rng)]}]}
        p["levels"][0]["targets"] = [f"oncall:{team['id']}"]
    else:
        for c in plan["contacts"]:
            if any(c["id"] in lv["targets"] for lv in p["levels"][:1]) or rng.random() < 0.3:
                c["active"] = False
    t["escalation_policy"] = p["id"]


def b_oncall_load(rng, repo):
    plan = repo["plan"]
    team = rng.choice(plan["teams"])
    person = rng.choice(team["members"])
    team["oncall"] = {"rotation": [person], "coverage": "24x7"}
    if len(plan["teams"]) > 1 and rng.random() < 0.6:
        other = rng.choice([x for x in plan["teams"] if x is not team])
        other["oncall"] = {"rotation": [person, rng.choice(other["members"])], "shift_hours": 24,
                           "handoff": handoff(rng), "coverage": "24x7"}


def b_contact_load(rng, repo):
    plan = repo["plan"]
    person = rng.choice(ids(plan, "contacts"))
    while len(plan["areas"]) < 5:
        k = len(plan["areas"])
        plan["areas"].append({"id": f"extra-{k}", "team": plan["teams"][0]["id"],
                              "contacts": [person, person], "paths": [f"extra/{k}/**"]})
        repo["tracked"].append(f"extra/{k}/README.md")
    for a in plan["areas"]:
        if person not in a["contacts"]:
            a["contacts"].append(person)


def b_codeowners_owner_known(rng, repo):
    plan = repo["plan"]
    lines = repo["codeowners"]
    choice = rng.randrange(3)
    if choice == 0:
        # A team misspelled by one letter (swap two neighbours).
        team = rng.choice(plan["teams"])["github_team"]
        typo = team[:-2] + team[-1] + team[-2]
        lines.append(f"/svc/typo/ {typo}")
    elif choice == 1:
        contact = rng.choice(plan["contacts"])
        handle = contact.get("github") or "someone"
        lines.append(f"/svc/typo/ @{handle}x {case(rng, '@' + handle) if contact.get('github') else ''}".rstrip())
    else:
        lines.append(rng.choice([f"/svc/typo/ @{ORG}/legal", "/svc/typo/ @outsider legal@example.com"]))
    repo["tracked"].append("svc/typo/file.txt")


def b_codeowners_unused(rng, repo):
    lines = repo["codeowners"]
    for k in range(rng.randint(1, 3)):
        lines.insert(rng.randrange(2, len(lines) + 1), rng.choice([f"/nowhere/{k}/ @{ORG}/team-0", f"*.nothing{k} @{ORG}/team-0", f"/svc/a{k}/none.txt"]))


def b_codeowners_shadowed(rng, repo):
    lines = repo["codeowners"]
    # Before the per-area lines, which override it for every file it matches.
    lines.insert(2, rng.choice([f"/svc/ @{ORG}/team-0", f"/svc/a0/ @{ORG}/team-0", f"/clusters/ @{ORG}/team-0"]))
    lines.append("/incident-response/ @acme/team-0")


def b_area_path_unused(rng, repo):
    plan = repo["plan"]
    area = rng.choice(plan["areas"])
    k = len(area["paths"])
    area["paths"].append(rng.choice([f"/svc/renamed-{k}/", f"clusters/*/gone-{k}/**", f"*.nothing{k}"]))


BREAKERS = {
    "threat-owner": b_threat_owner,
    "area-min-contacts": b_area_min_contacts,
    "high-profile-executive": b_high_profile_executive,
    "team-oncall": b_team_oncall,
    "escalation-policy": b_escalation_policy,
    "ref-resolves": b_ref_resolves,
    "unique-id": b_unique_id,
    "threat-area": b_threat_area,
    "threat-source": b_threat_source,
    "contact-reachable": b_contact_reachable,
    "inactive-contact": b_inactive_contact,
    "codeowners-syntax": b_codeowners_syntax,
    "plan-codeowned": b_plan_codeowned,
    "area-paths-owned": b_area_paths_owned,
    "plan-review-stale": b_plan_review_stale,
    "waiver-expired": b_waiver_expired,
    "oncall-coverage": b_oncall_coverage,
    "oncall-handoff": b_oncall_handoff,
    "escalation-reach": b_escalation_reach,
    "oncall-load": b_oncall_load,
    "contact-load": b_contact_load,
    "manifest-area": b_manifest_area,
    "threat-coverage": b_threat_coverage,
    "codeowners-owner-known": b_codeowners_owner_known,
    "codeowners-unused": b_codeowners_unused,
    "codeowners-shadowed": b_codeowners_shadowed,
    "area-path-unused": b_area_path_unused,
}


# --- shapes that no rule is about, and schema breakers --------------------------------

def vary_shape(rng, repo):
    """Empty and missing lists, null optional fields, x- fields with odd numbers."""
    plan = repo["plan"]
    for key in ["waivers", "threats", "escalation_policies", "areas", "teams", "contacts"]:
        if rng.random() < 0.04:
            plan[key] = []
    for entry in [e for key in plan if isinstance(plan[key], list) for e in plan[key]]:
        if rng.random() < 0.05:
            entry[rng.choice(["x-cost", "x-note", "x-n"])] = rng.choice(X_VALUES)
        if rng.random() < 0.05:
            for field in ["name", "title", "timezone", "runbook", "github", "tier", "severity"]:
                if field in entry:
                    entry[field] = None


def break_schema(rng, repo):
    """A schema violation: plancheck reports plan-schema and skips the policies."""
    plan = repo["plan"]
    choice = rng.randrange(6)
    if choice == 0:
        plan["escalation_policies"].append({"id": "ep-bad", "levels": [
            {"tier": "responder", "targets": [], "after_minutes": rng.choice([-1, 1.5, 1e308, 2**63, 2**64])}]})
    elif choice == 1:
        plan["metadata"]["reviewed_at"] = rng.choice(["2026-02-30", "2023-02-29", "0000-01-01", "26-11-24"])
    elif choice == 2:
        plan["metadata"]["review_interval_days"] = rng.choice([0, -5, 2**64, 2.5])
    elif choice == 3:
        plan["threats"].append({"id": "THR-bad", "ownr": "alice"})
    elif choice == 4:
        plan["waivers"].append({"rule": "threat-owner", "target": "x", "expires": "2030-01-01"})
    else:
        plan["threats"].append({"title": "a threat without an id"})


# --- writing files ----------------------------------------------------------------------

PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*|[0-9]{4}-[0-9]{2}-[0-9]{2}")
YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf"}


def yaml_scalar(v, rng, flow):
    if v is None:
        return rng.choice(["null", "~"] + ([] if flow else [""]))
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return hex(v) if 0 < v < 2**31 and rng.random() < 0.05 else str(v)
    if isinstance(v, float):
        return repr(v)
    if PLAIN.fullmatch(v) and v.lower() not in YAML_WORDS:
        return v
    quoted = json.dumps(v, ensure_ascii=False)
    return escape_non_ascii(quoted, yaml=True) if rng.random() < 0.2 else quoted


def escape_non_ascii(text, yaml):
    """Escapes the non-ASCII characters of JSON-quoted text: \\uXXXX up to U+FFFF; beyond it,
    YAML's \\UXXXXXXXX, or in JSON the raw character. (JSON's surrogate pairs, such as
    \\ud83d\\ude92, are valid but plancheck rejects them: a loader bug, not the policies' concern.)"""
    def escape(c):
        if ord(c) < 128 or (ord(c) > 0xFFFF and not yaml):
            return c
        return f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
    return "".join(escape(c) for c in text)


def yaml_flow(v, rng):
    if isinstance(v, dict):
        return "{" + ", ".join(f"{yaml_scalar(k, rng, True)}: {yaml_flow(x, rng)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(yaml_flow(x, rng) for x in v) + "]"
    return yaml_scalar(v, rng, True)


def yaml_block(v, ind, rng):
    """Lines of a non-empty mapping or sequence in block style (small ones sometimes in flow style)."""
    lines = []
    if isinstance(v, dict):
        for k, x in v.items():
            key = yaml_scalar(k, rng, False)
            if isinstance(x, (dict, list)) and x and not (len(json.dumps(x)) < 60 and rng.random() < 0.5):
                lines.append(f"{ind}{key}:")
                lines += yaml_block(x, ind + rng.choice(["  ", "    "]) if isinstance(x, dict) else ind + "  ", rng)
            else:
                text = yaml_flow(x, rng) if isinstance(x, (dict, list)) else yaml_scalar(x, rng, False)
                lines.append(f"{ind}{key}: {text}".rstrip(" "))
    else:
        for x in v:
            if isinstance(x, dict) and x:
                inner = yaml_block(x, ind + "  ", rng)
                lines.append(ind + "- " + inner[0][len(ind) + 2:])
                lines += inner[1:]
            elif isinstance(x, (dict, list)):
                lines.append(f"{ind}- {yaml_flow(x, rng)}")
            else:
                lines.append(f"{ind}- {yaml_scalar(x, rng, False)}".rstrip(" "))
    return lines


def plan_docs(rng, plan, layout):
    """Split the plan over files: {relative path: [documents]}, each list cut in contiguous runs."""
    docs = {path: [{"apiVersion": "plancheck.dev/v1", "kind": "IncidentResponsePlan"}] for path in layout}
    paths = list(layout)
    if "metadata" in plan:
        docs[rng.choice(paths)][0]["metadata"] = plan["metadata"]
    for key in ["contacts", "teams", "areas", "escalation_policies", "threats", "waivers"]:
        items = plan[key]
        if not items:
            # An empty list: written as [], null or not at all.
            choice = rng.randrange(3)
            if choice < 2:
                docs[rng.choice(paths)][0][key] = [[], None][choice]
            continue
        cuts = sorted(rng.sample(range(1, len(items)), min(len(items) - 1, rng.randint(0, 2)))) if len(items) > 1 else []
        for lo, hi in zip([0] + cuts, cuts + [len(items)]):
            path = rng.choice(paths)
            target = docs[path]
            if path.endswith((".yaml", ".yml")) and rng.random() < 0.1:
                target.append({"apiVersion": "plancheck.dev/v1", "kind": "IncidentResponsePlan"})
            target[-1].setdefault(key, []).extend(items[lo:hi])
    return docs


def plan_layout(rng):
    choice = rng.randrange(4)
    if choice == 0:
        return [f"incident-plan.{rng.choice(['yaml', 'yml', 'json'])}"]
    if choice == 1:
        return [f"incident-response/plan.{rng.choice(['yaml', 'json'])}"]
    names = ["plan", "contacts", "teams", "areas", "escalation", "threats/human-error", "threats/malicious",
             "threats/supply-chain", "nested/deep/more", "équipes", "脅威"]
    picked = rng.sample(names, rng.randint(2, 6))
    return [f"incident-response/{n}.{rng.choice(['yaml', 'yaml', 'yml', 'json'])}" for n in sorted(picked)]


def write_repo(rng, root, repo):
    os.makedirs(root)

    def write(rel, text):
        full = os.path.join(root, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)

    plan = repo["plan"]
    if "metadata_as" in repo:
        plan["metadata"] = repo["metadata_as"]
    if plan["metadata"] == "absent":
        del plan["metadata"]
    for rel, docs in plan_docs(rng, plan, plan_layout(rng)).items():
        if rel.endswith(".json"):
            text = json.dumps(docs[0], indent=rng.choice([None, 2]), ensure_ascii=False)
            write(rel, (escape_non_ascii(text, yaml=False) if rng.random() < 0.5 else text) + "\n")
        else:
            write(rel, "\n".join("---\n" + "\n".join(yaml_block(d, "", rng)) for d in docs) + "\n")
    if repo["codeowners"] is not None:
        write(repo.get("codeowners_at") or rng.choice([".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]),
              "\n".join(repo["codeowners"]) + "\n")
        if "extra_codeowners" in repo:
            write(".github/CODEOWNERS", "\n".join(repo["extra_codeowners"]) + "\n")
    for rel in repo["tracked"]:
        write(rel, f"# {rel}\n")
    for rel, objects in repo.get("manifests", {}).items():
        write(rel, "".join("---\n" + json.dumps(o, ensure_ascii=False) + "\n" for o in objects))


def generate(out, count=COUNT, seed=SEED):
    """Writes the repositories under out; returns [{name, breakers, schema_invalid}]."""
    manifest = []
    for i in range(count):
        rng = random.Random(f"{seed}-{i}")
        repo = clean_repo(rng, i)
        broken = []
        for rule in [] if i % 7 == 0 else rng.sample(sorted(BREAKERS), rng.choice([1, 1, 2, 3, 5])):
            # A breaker may need what an earlier one removed (a rotation, the levels):
            # then it is left out rather than taught every combination.
            before = copy.deepcopy(repo)
            try:
                BREAKERS[rule](rng, repo)
                broken.append(rule)
            except (KeyError, IndexError, TypeError, AttributeError, ValueError):
                repo = before
        if i % 7 != 0:
            vary_shape(rng, repo)
        schema_invalid = i % SCHEMA_EVERY == SCHEMA_EVERY - 1
        if schema_invalid:
            break_schema(rng, repo)
        name = f"r{i:03d}"
        write_repo(rng, os.path.join(out, name), repo)
        manifest.append({"name": name, "breakers": broken, "schema_invalid": schema_invalid})
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=COUNT)
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    manifest = generate(args.out, args.count, args.seed)
    print(json.dumps(manifest, indent=1))


if __name__ == "__main__":
    main()
