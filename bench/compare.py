#!/usr/bin/env python3
"""Two plancheck builds side by side: check, diff mode and a bare parse, interleaved in one run.

    python3 bench/compare.py --before OLD_BINARY [--after target/release/plancheck]
                             [--bare BARE_PARSE] [--sizes 1000,10000] [--runs 9] [--warmup 1]

For each size it generates the core benchmark's plan (bench/gen.py, seed 42, as bench/run.py
does) and times, interleaved, each as a whole process: the bare yaml-rust2 parse of the plan's
YAML files (examples/bare_parse), `check` with the old build and with the new one. At the
largest size it also makes bench/diff.py's change (seed 7) and times `check` and
`check --base HEAD` with both builds. Prints medians of wall and CPU time, peak RSS, and the
ratios the targets are stated in (docs/performance.md). `--timeout 600`: a loaded machine
must not stop what is being timed. Standard library only.
"""

import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as core  # noqa: E402
import diff as diffbench  # noqa: E402


def table(title, samples):
    print(f"\n{title}\n")
    print("| run | wall (median) | CPU (median) | peak RSS |")
    print("|---|---:|---:|---:|")
    med = {}
    for k, v in samples.items():
        med[k] = statistics.median(v["wall"])
        print(f"| {k} | {med[k] * 1000:.0f} ms | {statistics.median(v['cpu']) * 1000:.0f} ms | "
              f"{max(v['rss']) / 1024:.0f} MiB |")
    return med


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True, help="the old plancheck binary")
    ap.add_argument("--after", default=os.path.join(core.target_dir(), "release", "plancheck"))
    ap.add_argument("--bare", default=os.path.join(core.target_dir(), "release", "examples", "bare_parse"),
                    help="the bare-parse example binary (cargo build --release --example bare_parse)")
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--warmup", type=int, default=1)
    args = ap.parse_args()
    bare = args.bare
    builds = {"before": os.path.abspath(args.before), "after": os.path.abspath(args.after)}
    sizes = [int(s) for s in args.sizes.split(",")]
    for n in sizes:
        repo = os.path.join(core.HERE, "out", f"plan-{n}")
        core.generate(n, repo, 42)
        cmds = {"bare parse": [bare, *core.plan_files(repo)]}
        for name, exe in builds.items():
            cmds[f"check, {name}"] = [exe, "check", repo, "--format", "json", "--fail-on", "never",
                                      "--timeout", "600"]
        med = table(f"{n:,} threats", core.measure(cmds, args.runs, args.warmup))
        for name in builds:
            print(f"\ncheck / bare parse, {name}: {med[f'check, {name}'] / med['bare parse']:.2f}x", end="")
        print()
    n = max(sizes)
    repo = os.path.join(core.HERE, "out", f"diff-{n}")
    core.generate(n, repo, 7)
    diffbench.change(repo)
    cmds = {}
    for name, exe in builds.items():
        check = [exe, "check", repo, "--format", "json", "--fail-on", "never", "--timeout", "600"]
        cmds[f"check, {name}"] = check
        cmds[f"diff, {name}"] = check + ["--base", "HEAD"]
    med = table(f"diff mode, {n:,} threats", core.measure(cmds, args.runs, args.warmup))
    for name in builds:
        print(f"\ndiff / check, {name}: {med[f'diff, {name}'] / med[f'check, {name}']:.2f}x", end="")
    print()


if __name__ == "__main__":
    main()
