#!/usr/bin/env python3
"""Benchmark diff mode against a single-revision check.

    python3 bench/diff.py                    # build, 10,000 threats, 11 runs
    python3 bench/diff.py --threats 1000 --runs 7 --no-build

It generates the core benchmark's plan repository (bench/gen.py, committed), then makes a
realistic uncommitted change in the working tree (one threat loses its owner, another
changes severity, an area loses a contact) and measures, interleaved in the same run, each
as a whole process:

    check   plancheck check <repo> --format json --fail-on never
    diff    plancheck check <repo> --base HEAD --format json --fail-on never

Target: median(diff) <= 1.3 x median(check). Exit status 0 met, 1 missed, 2 the run failed.
Standard library only.
"""

import argparse
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as core  # noqa: E402  (the core benchmark's build/generate/measure helpers)

TARGET = 1.3


def change(repo):
    """Edits the working tree the way a pull request would."""
    files = sorted(core.plan_files(repo))
    # Threat files may be split (incident-response/threats/part-01.yaml): match the whole path.
    threats = [f for f in files if "threat" in os.path.relpath(f, repo)] or files
    path = threats[0]
    text = open(path, encoding="utf-8").read()
    text, n1 = re.subn(r"\n(\s+)owner: ", r"\n\1x-owner: ", text, count=1)
    text, n2 = re.subn(r"severity: SEV2", "severity: SEV1", text, count=1)
    open(path, "w", encoding="utf-8").write(text)
    areas = [f for f in files if "area" in os.path.basename(f)]
    n3 = 0
    if areas:
        a = open(areas[0], encoding="utf-8").read()
        a, n3 = re.subn(r"contacts: \[([^,\]]+), ", r"contacts: [", a, count=1)
        open(areas[0], "w", encoding="utf-8").write(a)
    # Every edit must land, or the benchmark would measure a smaller change than it claims.
    if (n1, n2, n3) != (1, 1, 1):
        core.die(f"could not make the change (owner {n1}, severity {n2}, contact {n3} edits)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threats", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--baseline", help="another plancheck binary to time on the same repository, interleaved")
    args = ap.parse_args()
    if not args.no_build:
        core.build()
    plancheck = os.path.join(core.target_dir(), "release", "plancheck")
    repo = os.path.join(core.HERE, "out", f"diff-{args.threats}")
    print(f"[{args.threats} threats] generating {repo}", file=sys.stderr)
    core.generate(args.threats, repo, args.seed)
    change(repo)
    check = [plancheck, "check", repo, "--format", "json", "--fail-on", "never"]
    diff = check + ["--base", "HEAD"]
    runs = {"check": check, "diff": diff}
    if args.baseline:
        runs["baseline check"] = [args.baseline] + check[1:]
        runs["baseline diff"] = [args.baseline] + diff[1:]
    for argv in runs.values():
        _, _, code, _ = core.run_once(argv)
        if code not in (0, 1):
            core.die(f"{' '.join(argv)} exited {code}")
    samples = core.measure(runs, args.runs, args.warmup)
    wall = {k: statistics.median(v["wall"]) for k, v in samples.items()}
    cpu = {k: statistics.median(v["cpu"]) for k, v in samples.items()}
    rss = {k: max(v["rss"]) / 1024 for k, v in samples.items()}
    ratio = wall["diff"] / wall["check"]
    print("| threats | run | wall (median) | CPU (median) | peak RSS |")
    print("|---:|---|---:|---:|---:|")
    for k in runs:
        print(f"| {args.threats:,} | {k} | {wall[k] * 1000:.0f} ms | {cpu[k] * 1000:.0f} ms | {rss[k]:.0f} MiB |")
    if args.baseline:
        print(f"\nbaseline diff / check (wall medians, same run): "
              f"{wall['baseline diff'] / wall['baseline check']:.2f}x; CPU: "
              f"{cpu['baseline diff'] / cpu['baseline check']:.2f}x")
    print(f"diff / check CPU (medians): {cpu['diff'] / cpu['check']:.2f}x")
    print(f"\ndiff / check (wall medians, one run): {ratio:.2f}x; target <= {TARGET}x: "
          f"{'met' if ratio <= TARGET else 'MISSED'}")
    sys.exit(0 if ratio <= TARGET else 1)


if __name__ == "__main__":
    main()
