#!/usr/bin/env python3
"""The cost of the memory cap: `plancheck check` with its counting allocator against the
same source built with the plain system allocator.

    python3 bench/alloc.py --plain PATH          # PATH: a plancheck built without the cap
    python3 bench/alloc.py --plain PATH --sizes 10000 --runs 21

The counting allocator (src/limits.rs) is the `#[global_allocator]` of every build, so the
baseline is built by hand from the same commit with that one attribute removed:

    sed -i 's/^#\\[global_allocator\\]/\\/\\/ &/' src/limits.rs
    cargo build --release --bin plancheck && cp target/release/plancheck /tmp/plancheck-plain
    git checkout src/limits.rs && cargo build --release --bin plancheck

For each size it generates the plan of bench/run.py (bench/gen.py, into bench/out/plan-N) and
measures, in the same run and interleaved (rotating which goes first), the whole process

    counting   target/release/plancheck check <plan> --format json --fail-on never
    plain      PATH check <plan> --format json --fail-on never

and prints the medians of wall time, CPU time and peak RSS, and the overhead of the
counting build. Both must report the same findings. Standard library only.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402  (bench/run.py: generate, measure, lock_out)


def findings(binary, repo):
    r = subprocess.run([binary, "check", repo, "--format", "json", "--fail-on", "never"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        bench.die(f"{binary} exited {r.returncode} on {repo}")
    return json.loads(r.stdout)["findings"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plain", required=True, help="plancheck built without the counting allocator")
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", default=os.path.join(bench.HERE, "out"))
    args = ap.parse_args()
    counting = os.path.join(bench.target_dir(), "release", "plancheck")
    for b in (counting, args.plain):
        if not os.access(b, os.X_OK):
            bench.die(f"{b} is missing")
    lock = bench.lock_out(args.out, "alloc.py")  # noqa: F841 (held until exit)
    print("| threats | counting | plain | overhead (wall) | CPU counting / plain | peak RSS counting / plain |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in [int(s) for s in args.sizes.split(",")]:
        repo = os.path.join(args.out, f"plan-{n}")
        bench.generate(n, repo, args.seed)
        if findings(counting, repo) != findings(args.plain, repo):
            bench.die(f"the two builds disagree on the findings at {n} threats")
        argv = ["check", repo, "--format", "json", "--fail-on", "never"]
        samples = bench.measure({"counting": [counting, *argv], "plain": [args.plain, *argv]},
                                args.runs, args.warmup)
        med = {k: {m: statistics.median(v[m]) for m in ("wall", "cpu", "rss")}
               for k, v in samples.items()}
        c, p = med["counting"], med["plain"]
        print(f"| {n:,} | {c['wall'] * 1000:.0f} ms | {p['wall'] * 1000:.0f} ms | "
              f"{(c['wall'] / p['wall'] - 1) * 100:+.1f}% | "
              f"{c['cpu'] * 1000:.0f} / {p['cpu'] * 1000:.0f} ms | "
              f"{c['rss'] / 1024:.0f} / {p['rss'] / 1024:.0f} MiB |")


if __name__ == "__main__":
    main()
