#!/usr/bin/env python3
"""Adversarial scaling benchmark: shapes that were quadratic, at two sizes.

    python3 bench/adversarial.py                          # build, 10,000 and 40,000, 3 runs
    python3 bench/adversarial.py --no-build --sizes 2000 8000 --runs 1
    python3 bench/adversarial.py --no-build --plancheck OLD --plancheck NEW   # same run

Each shape is added to a copy of fixtures/demo (a valid plan), committed in a git repository,
and measured as a whole process (`plancheck check <repo> --format json --fail-on never`):

    waivers     N threats without an owner (N findings) and N/10 waivers, one per threat
                (each waiver used to partition every finding)
    dup-ids     N threats sharing one id, in 8 files
    diff        N threats in one file; the change removes every `owner:` line, so N new
                findings are placed on the lines the change touched (`--base HEAD~1`)
    levels      N high-profile threats on one escalation policy of N/20 levels, none of
                which pages an executive (N findings of high-profile-executive)

For each binary it prints the median wall time per shape and size, and the scaling ratio
from the smallest to the largest size: near-linear work is about 4x for 4x the input (the
target is <= 5x); quadratic work is about 16x. A run slower than --cap seconds is stopped and
printed as "> cap"; once a binary's runs of one shape and size have taken --cap seconds in
all, it is not run again there (its median is of fewer runs). Exit status 0 when every shape of the last binary is within 5x, else 1.
Standard library only; release build.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEMO = os.path.join(ROOT, "fixtures", "demo")
TARGET = 5.0
HEADER = "apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\n"


def die(msg):
    print(f"adversarial.py: {msg}", file=sys.stderr)
    sys.exit(2)


def git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.invalid")
    subprocess.run(["git", "-C", repo, *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def new_repo(path):
    shutil.copytree(DEMO, path)
    git(path, "init", "-q")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "demo")


def write(repo, rel, text):
    full = os.path.join(repo, rel)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)


def threat(tid, owner=True, extra=""):
    lines = [
        f"  - id: {tid}",
        f"    title: Benchmark threat {tid} against the storage area",
        "    source: human_error",
        "    area: k8s-storage",
        "    severity: SEV3",
    ]
    if owner:
        lines.append("    owner: erin")
    lines.append("    runbook: runbooks/storage/restore-pvc-from-snapshot.md")
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n"


def threat_files(repo, ids, files, **kw):
    per = (len(ids) + files - 1) // files
    for k in range(files):
        part = ids[k * per:(k + 1) * per]
        write(repo, f"incident-response/threats/bench-{k:02d}.yaml",
              HEADER + "threats:\n" + "".join(threat(t, **kw) for t in part))


def shape_waivers(repo, n):
    ids = [f"BW-{i}" for i in range(n)]
    threat_files(repo, ids, 8, owner=False)
    waivers = "".join(
        f"  - rule: threat-owner\n    target: {t}\n    reason: benchmark\n    expires: 2099-12-31\n"
        for t in ids[: n // 10])
    write(repo, "incident-response/bench-waivers.yaml", HEADER + "waivers:\n" + waivers)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "shape")
    return []


def shape_dup_ids(repo, n):
    threat_files(repo, ["DUP-1"] * n, 8)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "shape")
    return []


def shape_diff(repo, n):
    ids = [f"BD-{i}" for i in range(n)]
    threat_files(repo, ids, 1)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    threat_files(repo, ids, 1, owner=False)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "head: every benchmark threat loses its owner")
    return ["--base", "HEAD~1"]


def shape_levels(repo, n):
    levels = max(2, n // 20)
    policy = HEADER + "escalation_policies:\n  - id: ep-bench\n    levels:\n" + "".join(
        f"      - {{tier: responder, targets: [erin], after_minutes: {i}}}\n" for i in range(levels))
    write(repo, "incident-response/bench-escalation.yaml", policy)
    ids = [f"BL-{i}" for i in range(n)]
    threat_files(repo, ids, 8, extra="    high_profile: true\n    escalation_policy: ep-bench")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "shape")
    return []


SHAPES = [
    ("waivers", shape_waivers),
    ("dup-ids", shape_dup_ids),
    ("diff", shape_diff),
    ("levels", shape_levels),
]


def run_once(plancheck, repo, extra, cap):
    argv = [plancheck, "check", repo, "--format", "json", "--fail-on", "never",
            "--timeout", str(int(cap) + 1), *extra]
    start = time.perf_counter()
    try:
        r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=cap,
                           env=dict(os.environ, PLANCHECK_NOW="2026-12-06T12:00:00Z"))
    except subprocess.TimeoutExpired:
        return None
    if r.returncode not in (0, 1):
        die(f"{' '.join(argv)} exited {r.returncode}:\n{r.stderr.decode(errors='replace')[:2000]}")
    return time.perf_counter() - start


def fmt(t, cap):
    return f"> {cap:.0f} s" if t is None else f"{t * 1000:,.0f} ms"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 40000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cap", type=float, default=300.0, help="seconds before a run is stopped")
    ap.add_argument("--plancheck", action="append",
                    help="binary to measure (repeatable; default target/release/plancheck)")
    ap.add_argument("--shapes", nargs="+", default=[s for s, _ in SHAPES])
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        r = subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "plancheck"], cwd=ROOT)
        if r.returncode != 0:
            die("cargo build failed")
    binaries = args.plancheck or [os.path.join(ROOT, "target", "release", "plancheck")]
    for b in binaries:
        if not os.access(b, os.X_OK):
            die(f"{b} is not an executable")
    sizes = sorted(args.sizes)
    results = {}  # (binary, shape, size) -> median or None
    with tempfile.TemporaryDirectory(prefix="plancheck-adversarial-") as tmp:
        for name, build in SHAPES:
            if name not in args.shapes:
                continue
            for n in sizes:
                repo = os.path.join(tmp, f"{name}-{n}")
                new_repo(repo)
                extra = build(repo, n)
                for b in binaries:
                    # Up to --runs runs; a slow binary stops repeating once its runs of this
                    # cell have taken --cap seconds (its median is then of fewer runs).
                    times = []
                    for _ in range(args.runs):
                        t = run_once(b, repo, extra, args.cap)
                        times.append(t)
                        if t is None or sum(times) > args.cap:
                            break
                    med = None if None in times else statistics.median(times)
                    results[(b, name, n)] = med
                    print(f"{name:8} {n:>7,}  {fmt(med, args.cap):>12}  {b}", file=sys.stderr, flush=True)
                shutil.rmtree(repo)
    lo, hi = sizes[0], sizes[-1]
    print(f"\nmedians of up to {args.runs} run(s); ratio = time at {hi:,} / time at {lo:,} "
          f"(input x{hi / lo:g}; near-linear <= {TARGET:g}x)\n")
    print(f"| shape | binary | {lo:,} | {hi:,} | ratio |")
    print("|---|---|---:|---:|---:|")
    ok = True
    for name, _ in SHAPES:
        if name not in args.shapes:
            continue
        for b in binaries:
            a, z = results[(b, name, lo)], results[(b, name, hi)]
            if a is None or z is None:
                ratio = "n/a"
                within = False
            else:
                ratio = f"{z / a:.1f}x"
                within = z / a <= TARGET
            if b == binaries[-1] and not within:
                ok = False
            print(f"| {name} | {b} | {fmt(a, args.cap)} | {fmt(z, args.cap)} | {ratio} |")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
