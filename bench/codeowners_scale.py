#!/usr/bin/env python3
"""Benchmark CODEOWNERS and area `paths` matching at scale: rules x tracked files.

    python3 bench/codeowners_scale.py                       # build (release), generate, measure
    python3 bench/codeowners_scale.py --no-build --runs 5 --only unanchored-1k
    python3 bench/codeowners_scale.py --no-build --plancheck /path/to/other/plancheck

Shapes (each a git repository under bench/out/codeowners-scale/, holding the demo plan):

  unanchored-1k   1,000 unanchored CODEOWNERS lines (`*.ext`, `dir/`, `**/logs-N`, `name.txt`,
                  a few `*-gen-N-*` with no literal to index) x 20,000 tracked files: `check`
  unanchored-10k  10,000 such lines x 50,000 files: `check`
  big-file        a CODEOWNERS just under GitHub's 3 MiB limit (about 69,000 glob lines) and
                  1,000 files: `owners <one path>`, and `check`
  areas-all       1,000 areas with `paths: ['**']` x 10,000 files: `check`

Each command runs as a whole process, --warmup runs discarded, --runs measured; it prints the
median wall time, the median CPU time (user + system: the comparable figure on a shared,
loaded machine) and the peak RSS of the plancheck process itself (wait4's ru_maxrss; plancheck
starts no child processes). A run slower than --timeout is stopped and reported as "> N s".
Standard library only.
"""

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out", "codeowners-scale")
MAX_BYTES = 3 * 1024 * 1024
NOW = ["--now", "2026-11-24"]

TEAMS = ["@kestrel/platform-sre", "@kestrel/storage", "@kestrel/delivery", "@kestrel/networking",
         "@kestrel/security", "@kestrel/observability"]


def die(msg):
    print(f"codeowners_scale.py: {msg}", file=sys.stderr)
    sys.exit(2)


def git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.com",
               GIT_CONFIG_NOSYSTEM="1", HOME=cwd)
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)


def repo(name, files, codeowners, extra_plan=None):
    """A git repository with the demo plan, `files` (paths), CODEOWNERS text, and an optional
    extra plan file; reused when it already holds the same inputs."""
    out = os.path.join(OUT, name)
    stamp = os.path.join(out, ".git", "bench-stamp")
    digest = hashlib.sha256("\n".join([*files, codeowners, extra_plan or ""]).encode()).hexdigest()
    key = f"{len(files)} {digest}"
    if os.path.exists(stamp) and open(stamp).read() == key:
        return out
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(os.path.join(ROOT, "fixtures", "demo", "incident-response"),
                    os.path.join(out, "incident-response"))
    for p in files:
        full = os.path.join(out, p)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write("x\n")
    os.makedirs(os.path.join(out, ".github"), exist_ok=True)
    with open(os.path.join(out, ".github", "CODEOWNERS"), "w") as f:
        f.write(codeowners)
    if extra_plan:
        with open(os.path.join(out, "incident-response", "bench-areas.yaml"), "w") as f:
            f.write(extra_plan)
    git(out, "init", "-q")
    git(out, "add", "-A")
    git(out, "commit", "-q", "-m", name)
    with open(stamp, "w") as f:
        f.write(key)
    return out


def unanchored(n_rules, n_files):
    """Files spread over directories and extensions the rules name, and unanchored rules."""
    n_ext = max(1, n_rules // 2)
    n_dir = max(1, n_rules // 4)
    files = [f"src/mod{i % 97}/dir{i % n_dir}/pkg{i % 13}/file{i}.ext{i % n_ext}" for i in range(n_files)]
    lines = ["*  @kestrel/platform-sre", "/incident-response/  @kestrel/platform-sre"]
    i = 0
    while len(lines) < n_rules + 2:
        team = TEAMS[i % len(TEAMS)]
        shape = i % 50
        if shape < 25:
            lines.append(f"*.ext{i % n_ext}  {team}")
        elif shape < 37:
            lines.append(f"dir{i % n_dir}/  {team}")
        elif shape < 43:
            lines.append(f"**/logs-{i}  {team}")
        elif shape < 49:
            lines.append(f"file{i * 7 % n_files}.ext{i * 7 % n_files % n_ext}  {team}")
        else:
            lines.append(f"*-gen-{i}-*  {team}")
        i += 1
    return files, "\n".join(lines) + "\n"


def big_file(n_files):
    files = [f"services/svc-{i % 500}/api/v{i % 3}/api{i}.proto" for i in range(n_files)]
    lines = ["*  @kestrel/platform-sre"]
    size = len(lines[0]) + 1
    i = 0
    while True:
        line = f"/services/svc-{i}/api/**/*.proto  {TEAMS[i % len(TEAMS)]}"
        if size + len(line) + 1 >= MAX_BYTES:
            break
        lines.append(line)
        size += len(line) + 1
        i += 1
    return files, "\n".join(lines) + "\n"


def areas_all(n_areas, n_files):
    files = [f"src/mod{i % 97}/pkg{i % 13}/file{i}.go" for i in range(n_files)]
    plan = ["apiVersion: plancheck.dev/v1", "kind: IncidentResponsePlan", "areas:"]
    for a in range(n_areas):
        plan += [f"  - id: bench-area-{a}", f"    title: Bench area {a}", "    team: platform-sre",
                 "    contacts: [alice, bob]", "    paths: ['**']"]
    return files, "*  @kestrel/platform-sre\n", "\n".join(plan) + "\n"


def run_once(cmd, cwd, timeout):
    """Wall seconds, CPU seconds (user + system) and peak RSS (KiB) of one process; None for
    the times when it timed out."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            p.kill()
            _, status, usage = os.wait4(p.pid, 0)
            return None, usage.ru_utime + usage.ru_stime, usage.ru_maxrss
        time.sleep(0.005)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        die(f"{' '.join(cmd)} exited {code}:\n{p.stderr.read().decode(errors='replace')}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def measure(label, cmd, cwd, args):
    times, cpu, rss = [], [], []
    for i in range(args.warmup + args.runs):
        t, c, r = run_once(cmd, cwd, args.timeout)
        if t is None:
            print(f"{label:<56} > {args.timeout:.0f} s (stopped after {c:.1f} s CPU),"
                  f" peak RSS >= {r / 1024:.0f} MiB", flush=True)
            return
        if i >= args.warmup:
            times.append(t)
            cpu.append(c)
            rss.append(r)
    print(f"{label:<56} median {statistics.median(times) * 1000:8.0f} ms"
          f"  (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
          f"  CPU {statistics.median(cpu) * 1000:.0f} ms"
          f"  peak RSS {max(rss) / 1024:5.0f} MiB", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--only", action="append", help="a shape name (repeatable)")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--plancheck", default=os.path.join(ROOT, "target", "release", "plancheck"))
    args = ap.parse_args()
    pc = os.path.abspath(args.plancheck)
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=ROOT, check=True)
    want = lambda name: not args.only or name in args.only
    # --timeout: a slow policy is part of what is measured, not a reason to stop the run.
    check = lambda d: [pc, "check", d, "--format", "json", "--fail-on", "never",
                       "--timeout", str(int(args.timeout) + 1), *NOW]
    print(f"plancheck: {pc}; {args.runs} runs after {args.warmup} warmup")
    if want("unanchored-1k"):
        files, co = unanchored(1_000, 20_000)
        d = repo("unanchored-1k", files, co)
        measure("unanchored-1k: 1,000 lines x 20,000 files, check", check(d), d, args)
    if want("unanchored-10k"):
        files, co = unanchored(10_000, 50_000)
        d = repo("unanchored-10k", files, co)
        measure("unanchored-10k: 10,000 lines x 50,000 files, check", check(d), d, args)
    if want("big-file"):
        files, co = big_file(1_000)
        d = repo("big-file", files, co)
        n = co.count("\n")
        label = f"big-file: {len(co) / 2**20:.2f} MiB, {n:,} lines"
        measure(f"{label}, owners <one path>", [pc, "owners", "services/svc-7/api/v1/api7.proto"], d, args)
        measure(f"{label} x 1,000 files, check", check(d), d, args)
    if want("areas-all"):
        files, co, plan = areas_all(1_000, 10_000)
        d = repo("areas-all", files, co, plan)
        measure("areas-all: 1,000 areas ['**'] x 10,000 files, check", check(d), d, args)


if __name__ == "__main__":
    main()
