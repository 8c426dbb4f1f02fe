"""Differential test of on-call in time: plancheck's `input.oncall` against Python's zoneinfo.

Generates plan repositories with random rotations, layers, restrictions, overrides and
inactive contacts in time zones with DST (and half-hour DST), runs `plancheck parse` on each
with a `--now` near a DST change, and checks every interval it reports against an
independent implementation of DESIGN.md's "On-call in time" rules 1-4 written with zoneinfo:
the holder at random instants inside each interval, at each interval's first second and at
its last second. Exits non-zero on any disagreement, printing the plan and the instant.

    python3 tests/oncall/oracle.py --plancheck target/release/plancheck [--plans 60] [--seed 7]
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc
ZONES = [
    "America/New_York", "Europe/London", "Europe/Berlin", "Australia/Sydney",
    "Australia/Lord_Howe", "America/St_Johns", "Asia/Tokyo", "Asia/Kolkata",
    "America/Los_Angeles", "Pacific/Auckland", "UTC",
]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# --now dates a few days before DST changes in the zones above (the horizon is 28 days).
NOWS = ["2027-03-10", "2027-03-25", "2027-04-01", "2027-09-28", "2027-10-30",
        "2027-11-04", "2026-12-06", "2027-06-15"]
SHIFTS = [1, 5, 8, 12, 24, 24, 24, 36, 48, 72, 168, 336]


# ---- the oracle: DESIGN.md rules 1-4 with zoneinfo --------------------------------------

def instant(local: datetime, zone: str) -> datetime:
    """Rule 1: the offset in force just before any transition (fold=0)."""
    return local.replace(tzinfo=ZoneInfo(zone), fold=0).astimezone(UTC)


def parse_clock(s: str):
    if s == "24:00":
        return None
    h, m = s.split(":")
    return time(int(h), int(m))


def in_window(layer, t: datetime) -> bool:
    if not layer.get("restrict"):
        return True
    zone = layer["zone"]
    today = t.astimezone(ZoneInfo(zone)).date()
    for w in layer["restrict"]:
        for d in (today - timedelta(days=1), today):
            if DAYS[d.weekday()] not in w["days"]:
                continue
            start_t, end_t = parse_clock(w["from"]), parse_clock(w["to"])
            start = instant(datetime.combine(d, start_t), zone)
            if end_t is None:
                end = instant(datetime.combine(d + timedelta(days=1), time(0, 0)), zone)
            elif end_t > start_t:
                end = instant(datetime.combine(d, end_t), zone)
            else:
                end = instant(datetime.combine(d + timedelta(days=1), end_t), zone)
            if start <= t < end:
                return True
    return False


def boundary(layer, k: int) -> datetime:
    """Rule 2: whole-day shifts keep the wall-clock time, others count elapsed hours."""
    handoff = datetime.fromisoformat(layer["handoff"])
    s = layer["shift_hours"]
    if s % 24 == 0:
        return instant(handoff + timedelta(days=k * (s // 24)), layer["zone"])
    return instant(handoff, layer["zone"]) + timedelta(hours=k * s)


def layer_holder(layer, t: datetime):
    """None: off; a string: the holder; a list: candidates."""
    rot = layer["rotation"]
    if not rot or not in_window(layer, t):
        return None
    if len(rot) == 1:
        return rot[0]
    if "handoff" not in layer:
        return list(rot)
    start = boundary(layer, 0)
    k = int((t - start).total_seconds() // (layer["shift_hours"] * 3600))
    while boundary(layer, k) > t:
        k -= 1
    while boundary(layer, k + 1) <= t:
        k += 1
    return rot[k % len(rot)]


def team_at(team, t: datetime, inactive) -> list:
    """Rule 4: last override, else the last layer on call, else nobody; inactive: nobody."""
    holder = None
    for o in reversed(team["overrides"]):
        if o["from_dt"] <= t < o["to_dt"]:
            holder = o["contact"]
            break
    else:
        for layer in reversed(team["layers"]):
            h = layer_holder(layer, t)
            if h is not None:
                holder = h
                break
    if holder is None:
        return []
    if isinstance(holder, list):
        return sorted({c for c in holder if c not in inactive})
    return [] if holder in inactive else [holder]


# ---- generating plans -----------------------------------------------------------------

def rand_local(rng, zone) -> str:
    base = datetime(2026, 10, 1) + timedelta(days=rng.randrange(0, 240))
    # Half of the handoffs sit at the hours DST changes happen (gaps and folds).
    if rng.random() < 0.5:
        hour, minute = rng.choice([1, 2, 3]), rng.choice([0, 15, 30, 45])
    else:
        hour, minute = rng.randrange(24), rng.choice([0, 30, rng.randrange(60)])
    return (base.replace(hour=hour, minute=minute)).strftime("%Y-%m-%dT%H:%M")


def rand_window(rng):
    days = sorted(rng.sample(DAYS, rng.randrange(1, 8)), key=DAYS.index)
    h = rng.choice([1, 2, 2, 3, rng.randrange(24)])
    f = f"{h:02d}:{rng.choice([0, 30, rng.randrange(60)]):02d}"
    t = rng.choice(["24:00", f"{rng.randrange(24):02d}:{rng.choice([0, 30]):02d}"])
    return {"days": days, "from": f, "to": t}


def rand_layer(rng, people, team_zone):
    layer = {"rotation": rng.sample(people, rng.randrange(1, 5))}
    zone = team_zone
    if rng.random() < 0.5:
        zone = rng.choice(ZONES)
        layer["timezone"] = zone
    if len(layer["rotation"]) > 1 and rng.random() < 0.85:
        layer["shift_hours"] = rng.choice(SHIFTS)
        layer["handoff"] = rand_local(rng, zone)
    if rng.random() < 0.4:
        layer["restrict"] = [rand_window(rng) for _ in range(rng.randrange(1, 3))]
    return layer, zone


def rand_team(rng, i, people):
    zone = rng.choice(ZONES)
    team = {"id": f"team-{i}", "timezone": zone}
    oncall = {}
    engine = {"layers": [], "overrides": []}
    if rng.random() < 0.4:
        layer, lz = rand_layer(rng, people, zone)
        layer.pop("timezone", None)
        lz = zone
        oncall.update(layer)
        engine["layers"].append(dict(layer, zone=lz))
    else:
        layers = []
        for n in range(rng.randrange(1, 4)):
            layer, lz = rand_layer(rng, people, zone)
            layer["name"] = f"l{n}"
            layers.append(layer)
            engine["layers"].append(dict(layer, zone=lz))
        oncall["layers"] = layers
    if rng.random() < 0.5:
        overrides = []
        for _ in range(rng.randrange(1, 3)):
            start = datetime(2026, 11, 25, tzinfo=UTC) + timedelta(hours=rng.randrange(0, 24 * 340))
            end = start + timedelta(hours=rng.randrange(1, 96))
            o = {"contact": rng.choice(people),
                 "from": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "to": end.strftime("%Y-%m-%dT%H:%M:%SZ")}
            overrides.append(o)
            engine["overrides"].append(dict(o, from_dt=start, to_dt=end))
        oncall["overrides"] = overrides
    team["oncall"] = oncall
    return team, engine


def make_plan(rng):
    people = [f"p{i}" for i in range(rng.randrange(4, 9))]
    inactive = {p for p in people if rng.random() < 0.15}
    contacts = [{"id": p, "email": f"{p}@example.com", **({"active": False} if p in inactive else {})}
                for p in people]
    teams, engines = [], []
    for i in range(rng.randrange(1, 5)):
        t, e = rand_team(rng, i, people)
        teams.append(t)
        engines.append(e)
    plan = {"apiVersion": "plancheck.dev/v1", "kind": "IncidentResponsePlan",
            "contacts": contacts, "teams": teams}
    return plan, engines, inactive


def ts(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plancheck", required=True)
    ap.add_argument("--plans", type=int, default=60)
    ap.add_argument("--seed", type=int, default=20261206)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    checked = intervals_seen = 0
    with tempfile.TemporaryDirectory(prefix="plancheck-oncall-") as tmp:
        for n in range(args.plans):
            plan, engines, inactive = make_plan(rng)
            repo = os.path.join(tmp, f"repo-{n}")
            os.makedirs(os.path.join(repo, "incident-response"))
            with open(os.path.join(repo, "incident-response", "plan.json"), "w") as f:
                json.dump(plan, f, indent=1)
            subprocess.run(["git", "init", "-q", repo], check=True)
            now = rng.choice(NOWS)
            out = subprocess.run([args.plancheck, "parse", repo, "--now", now],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                print(json.dumps(plan, indent=1))
                print(f"plancheck parse failed: {out.stderr}", file=sys.stderr)
                return 1
            oncall = json.loads(out.stdout)["oncall"]
            assert oncall["from"] == f"{now}T00:00:00Z", oncall["from"]
            for team, engine in zip(plan["teams"], engines):
                got = oncall["teams"][team["id"]]
                samples = []
                for iv in got:
                    a, b = ts(iv["from"]), ts(iv["to"])
                    intervals_seen += 1
                    span = int((b - a).total_seconds())
                    samples += [(a, iv), (b - timedelta(seconds=1), iv)]
                    samples += [(a + timedelta(seconds=rng.randrange(span)), iv) for _ in range(3)]
                for t, iv in samples:
                    want = team_at(engine, t, inactive)
                    checked += 1
                    if want != iv["contacts"]:
                        print(json.dumps(team, indent=1))
                        print(f"inactive: {sorted(inactive)}")
                        print(f"at {t.isoformat()}: plancheck says {iv['contacts']} "
                              f"(interval {iv['from']}..{iv['to']}), zoneinfo says {want}",
                              file=sys.stderr)
                        return 1
    print(f"on-call oracle: {args.plans} plans, {intervals_seen} intervals, "
          f"{checked} instants checked against zoneinfo, 0 disagreements")
    if checked < 2000:
        print("too few instants were checked", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
