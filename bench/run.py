#!/usr/bin/env python3
"""Benchmark `plancheck check` against a bare yaml-rust2 parse of the same files.

    python3 bench/run.py                 # build, generate 100 / 1,000 / 10,000 threats, measure
    python3 bench/run.py --breakdown     # also time `plancheck parse` and `check --format human`
    python3 bench/run.py --no-build --sizes 1000,10000 --runs 9

For each size it generates a plan repository with bench/gen.py (into
bench/out/plan-N, which is gitignored), then measures in the same run,
interleaved, each as a whole process:

    check   plancheck check <dir> --format json --fail-on never
    bare    target/release/examples/bare_parse <the plan's YAML files>

with --warmup runs discarded and --runs measured (wall time from
time.perf_counter around spawn + wait; peak RSS from os.wait4's ru_maxrss, in
KiB on Linux). It prints a table, writes bench/out/results.json, and checks
the targets:

    ratio    at the largest size, median(check) <= 2.5 x median(bare)
    linear   median(check @ 10x input) <= 12 x median(check @ x)   (10,000 vs 1,000 threats)
    memory   peak RSS of check at 10,000 threats < 150 MiB

Every team of the generated plans has on-call in time (time zones, handoffs, layers,
overrides; bench/gen.py), expanded over the 28-day horizon. Unless --no-oncall-cost, each size
also times `plancheck parse` on the plan and on its twin with plain rotations (gen.py
--no-oncall-time): the difference of the medians is the on-call expansion's own cost
(input.oncall and the facts built from it).

Exit status: 0 all targets met, 1 a target missed, 2 the run itself failed
(a build failure, or plancheck exiting 2 at some size: its stderr is printed).
Standard library only.
"""

import argparse
import fcntl
import glob
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

TARGET_RATIO = 2.5
TARGET_SCALING = 12.0
TARGET_RSS_MIB = 150.0


def die(msg):
    print(f"run.py: {msg}", file=sys.stderr)
    sys.exit(2)


def lock_out(out, who):
    """One benchmark at a time per output directory: two would delete each other's plans
    and, sharing the cores, spoil each other's timings. Returns the held lock file."""
    os.makedirs(out, exist_ok=True)
    lock = open(os.path.join(out, ".lock"), "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"{who}: another benchmark is using {out}; waiting for it to finish", file=sys.stderr)
        fcntl.flock(lock, fcntl.LOCK_EX)
    return lock


def build():
    env = dict(os.environ)
    env.setdefault("CARGO_BUILD_JOBS", "1")
    cmd = ["cargo", "build", "--release", "--bin", "plancheck", "--example", "bare_parse"]
    print("$ " + " ".join(cmd), file=sys.stderr)
    r = subprocess.run(cmd, cwd=ROOT, env=env)
    if r.returncode != 0:
        die("cargo build failed")


def target_dir():
    return os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")


def generate(n, out, seed, *extra):
    r = subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), "--threats", str(n),
                        "--out", out, "--seed", str(seed), "--force", *extra],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        die(f"gen.py failed for {n} threats")
    return int(r.stdout.split()[0])


def plan_files(repo):
    files = glob.glob(os.path.join(repo, "incident-response", "**", "*.yaml"), recursive=True)
    files += glob.glob(os.path.join(repo, "incident-response", "**", "*.yml"), recursive=True)
    return sorted(files)


def run_once(argv, stdout=subprocess.DEVNULL):
    """Spawn argv, wait for it; return (wall seconds, peak RSS KiB, exit code, CPU seconds)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting again
    return wall, usage.ru_maxrss, p.returncode, usage.ru_utime + usage.ru_stime


def sanity(plancheck, repo, n):
    """One check run with output kept: findings per rule, and the threat count via `parse`.

    Runs in a child python (`run.py --sanity`), so that loading the large JSON
    documents does not raise this process's RSS, which is the floor of every
    ru_maxrss measured below (see launcher_floor_kib).
    """
    r = subprocess.run([sys.executable, os.path.abspath(__file__), "--sanity", plancheck, repo, str(n)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        die(f"plancheck failed at {n} threats; no measurement is meaningful")
    return json.loads(r.stdout)


def sanity_child(plancheck, repo, n):
    r = subprocess.run([plancheck, "check", repo, "--format", "json", "--fail-on", "never"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(f"\n--- plancheck check {repo} exited {r.returncode}; stderr:\n{r.stderr}\n")
        sys.exit(2)
    report = json.loads(r.stdout)
    by_rule = {}
    for f in report.get("findings", []):
        by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
    p = subprocess.run([plancheck, "parse", repo], capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(f"\n--- plancheck parse {repo} exited {p.returncode}; stderr:\n{p.stderr}\n")
        sys.exit(2)
    doc = json.loads(p.stdout)
    got = len(doc["plan"]["threats"])
    if got != n:
        sys.stderr.write(f"plancheck parse saw {got} threats in a plan of {n}\n")
        sys.exit(2)
    json.dump({"findings": len(report.get("findings", [])), "summary": report.get("summary"),
               "by_rule": dict(sorted(by_rule.items())),
               "ownership_entries": len(doc.get("ownership", {}))}, sys.stdout)


def measure(commands, runs, warmup):
    """Interleave the commands (rotating which goes first); return per-command samples."""
    samples = {name: {"wall": [], "rss": [], "cpu": []} for name in commands}
    names = list(commands)
    for i in range(warmup + runs):
        order = names[i % len(names):] + names[:i % len(names)]
        for name in order:
            wall, rss, code, cpu = run_once(commands[name])
            if code not in (0, 1):
                die(f"{name} exited {code}: {' '.join(commands[name])}")
            if i >= warmup:
                samples[name]["wall"].append(wall)
                samples[name]["rss"].append(rss)
                samples[name]["cpu"].append(cpu)
    return samples


def summarize(s):
    return {
        "median_ms": statistics.median(s["wall"]) * 1000,
        "min_ms": min(s["wall"]) * 1000,
        "max_ms": max(s["wall"]) * 1000,
        "peak_rss_kib": max(s["rss"]),
        "median_rss_kib": statistics.median(s["rss"]),
        "median_cpu_ms": statistics.median(s["cpu"]) * 1000,
        "wall_ms": [round(w * 1000, 3) for w in s["wall"]],
    }


def mib(kib):
    return kib / 1024


def launcher_floor_kib():
    """The lowest ru_maxrss a child of this Python process can report.

    Linux keeps the high-water RSS of the address space a child had before
    exec (a copy of, or with vfork the very, address space of this Python
    process), so ru_maxrss of every child is at least about our own peak RSS.
    Peaks at or below this floor mean "at most this much"; the memory target
    (150 MiB) is far above it, so it is measured exactly.
    """
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def fmt_rss(kib, floor):
    if kib <= floor + 1024:
        return f"<={mib(floor):.1f}"
    return f"{mib(kib):.1f}"


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--sanity":
        sanity_child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000,10000", help="comma-separated threat counts")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", default=os.path.join(HERE, "out"), help="where plans and results.json go")
    ap.add_argument("--no-build", action="store_true", help="use the existing release binaries")
    ap.add_argument("--breakdown", action="store_true",
                    help="also time `plancheck parse` (load only) and `check --format human`")
    ap.add_argument("--no-oncall-cost", action="store_true",
                    help="skip timing the on-call expansion (parse of the plan against parse of its "
                         "twin without time zones, handoffs, layers and overrides)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    lock = lock_out(args.out, "run.py")  # noqa: F841 (held until exit)
    if not args.no_build:
        build()
    plancheck = os.path.join(target_dir(), "release", "plancheck")
    bare = os.path.join(target_dir(), "release", "examples", "bare_parse")
    for b in (plancheck, bare):
        if not os.access(b, os.X_OK):
            die(f"{b} is missing: run without --no-build")

    results = {"sizes": [], "runs": args.runs, "warmup": args.warmup, "seed": args.seed,
               "machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                           "loadavg_before": os.getloadavg()}}
    for n in sizes:
        repo = os.path.join(args.out, f"plan-{n}")
        print(f"[{n} threats] generating {repo}", file=sys.stderr)
        yaml_bytes = generate(n, repo, args.seed)
        files = plan_files(repo)
        info = sanity(plancheck, repo, n)
        commands = {
            "check": [plancheck, "check", repo, "--format", "json", "--fail-on", "never"],
            "bare": [bare, *files],
        }
        if not args.no_oncall_cost:
            # The same plan with plain rotations: `parse` builds the whole input document
            # (input.oncall over the horizon, and the facts derived from it) without policies,
            # so the difference of the two medians is the on-call expansion's own cost.
            plain = os.path.join(args.out, f"plan-{n}-plain")
            generate(n, plain, args.seed, "--no-oncall-time")
            commands["parse"] = [plancheck, "parse", repo]
            commands["parse_plain"] = [plancheck, "parse", plain]
        if args.breakdown:
            commands.setdefault("parse", [plancheck, "parse", repo])
            commands["check_human"] = [plancheck, "check", repo, "--format", "human",
                                       "--fail-on", "never", "--color", "never"]
        print(f"[{n} threats] {yaml_bytes} bytes of YAML in {len(files)} files, "
              f"{info['findings']} findings; measuring {args.warmup}+{args.runs} runs of "
              f"{', '.join(commands)}", file=sys.stderr)
        samples = measure(commands, args.runs, args.warmup)
        entry = {"threats": n, "yaml_bytes": yaml_bytes, "plan_files": len(files),
                 "rss_floor_kib": launcher_floor_kib(), **info}
        for name, s in samples.items():
            entry[name] = summarize(s)
        entry["ratio_check_bare"] = entry["check"]["median_ms"] / entry["bare"]["median_ms"]
        if "parse_plain" in entry:
            entry["oncall_expansion_ms"] = entry["parse"]["median_ms"] - entry["parse_plain"]["median_ms"]
        results["sizes"].append(entry)

    by_n = {e["threats"]: e for e in results["sizes"]}
    targets = {}
    largest = max(sizes)
    targets["ratio"] = {
        "what": f"check <= {TARGET_RATIO}x bare parse at {largest} threats",
        "value": by_n[largest]["ratio_check_bare"], "limit": TARGET_RATIO}
    targets["ratio"]["pass"] = targets["ratio"]["value"] <= TARGET_RATIO
    if 1000 in by_n and 10000 in by_n:
        v = by_n[10000]["check"]["median_ms"] / by_n[1000]["check"]["median_ms"]
        targets["linear"] = {"what": f"time(10k)/time(1k) for check <= {TARGET_SCALING}",
                             "value": v, "limit": TARGET_SCALING, "pass": v <= TARGET_SCALING}
    mem_n = 10000 if 10000 in by_n else largest
    v = mib(by_n[mem_n]["check"]["peak_rss_kib"])
    targets["memory"] = {"what": f"check peak RSS at {mem_n} threats < {TARGET_RSS_MIB:g} MiB",
                         "value": v, "limit": TARGET_RSS_MIB, "pass": v < TARGET_RSS_MIB}
    results["targets"] = targets
    results["machine"]["loadavg_after"] = os.getloadavg()

    # --- table ---------------------------------------------------------------------------
    extra = [k for k in ("parse", "parse_plain", "check_human") if k in results["sizes"][0]]
    head = f"{'threats':>8} {'YAML':>9} {'findings':>8} | {'check ms':>9} {'cpu ms':>8} {'peak MiB':>8} | " \
           f"{'bare ms':>8} {'peak MiB':>8} | {'check/bare':>10}"
    for k in extra:
        head += f" | {k + ' ms':>14}"
    print()
    print(head)
    print("-" * len(head))
    for e in results["sizes"]:
        row = (f"{e['threats']:>8} {e['yaml_bytes'] / 1e6:>7.2f}MB {e['findings']:>8} | "
               f"{e['check']['median_ms']:>9.1f} {e['check']['median_cpu_ms']:>8.1f} {fmt_rss(e['check']['peak_rss_kib'], e['rss_floor_kib']):>8} | "
               f"{e['bare']['median_ms']:>8.1f} {fmt_rss(e['bare']['peak_rss_kib'], e['rss_floor_kib']):>8} | "
               f"{e['ratio_check_bare']:>9.2f}x")
        for k in extra:
            row += f" | {e[k]['median_ms']:>14.1f}"
        print(row)
    print()
    print(f"medians of {args.runs} runs after {args.warmup} warm-ups; peak = max ru_maxrss over the runs")
    print("ms = median wall time; cpu ms = median user+sys CPU time of the process (check evaluates rules on threads)")
    print("'<=X': at or below the launcher floor (a child's ru_maxrss includes the RSS of the python that spawned it)")
    for e in results["sizes"]:
        rules = ", ".join(f"{r} {c}" for r, c in e["by_rule"].items())
        print(f"findings @ {e['threats']}: {e['findings']} ({rules})")
    for e in results["sizes"]:
        if "oncall_expansion_ms" in e:
            print(f"on-call expansion @ {e['threats']}: {e['oncall_expansion_ms']:.1f} ms "
                  f"(parse {e['parse']['median_ms']:.1f} ms with on-call in time, "
                  f"{e['parse_plain']['median_ms']:.1f} ms with plain rotations)")
    print()
    if 1000 in by_n and 10000 in by_n:
        cpu = by_n[10000]["check"]["median_cpu_ms"] / by_n[1000]["check"]["median_cpu_ms"]
        results["check_cpu_scaling_10k_1k"] = cpu
        print(f"(info) check CPU-time scaling 10k/1k: {cpu:.2f}; "
              f"load average before/after: {results['machine']['loadavg_before'][0]:.2f}/"
              f"{results['machine']['loadavg_after'][0]:.2f} on {os.cpu_count()} CPUs")
    for t in targets.values():
        unit = " MiB" if "MiB" in t["what"] else "x" if "bare" in t["what"] else ""
        print(f"{'PASS' if t['pass'] else 'FAIL'}  {t['what']}: {t['value']:.2f}{unit}")

    path = os.path.join(args.out, "results.json")
    with open(path, "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    print(f"\nwrote {os.path.relpath(path)}")
    sys.exit(0 if all(t["pass"] for t in targets.values()) else 1)


if __name__ == "__main__":
    main()
