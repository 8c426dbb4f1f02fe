#!/usr/bin/env python3
"""Where the time of `plancheck check` goes, rule by rule (a diagnosis aid for bench/run.py).

    python3 bench/rules.py bench/out/plan-10000 [--runs 5]

Times, as whole processes (median wall and CPU time of --runs after one warm-up):

    bare        the bare yaml-rust2 parse of the plan's YAML files (examples/bare_parse)
    parse       plancheck parse DIR                (load + input document + JSON printed)
    no rules    plancheck check DIR, every rule disabled through a --config file
                (load + input document + policy compile + report: the fixed part)
    <rule>      plancheck check DIR with only that rule enabled; shown minus "no rules"
                (helpers in policies/lib.rego that the rule uses are charged to it, so
                the per-rule numbers overlap and add up to more than "all rules")
    all rules   plancheck check DIR --format json

Uses the release binaries in target/ (or $CARGO_TARGET_DIR); build them first
(bench/run.py does). Standard library only.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def timed(argv, runs):
    """Median (wall ms, CPU ms = user + sys of the child) over runs, after one warm-up."""
    walls, cpus = [], []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err = subprocess.run(argv, capture_output=True, text=True).stderr
            sys.exit(f"rules.py: {' '.join(argv)} exited {code}:\n{err}")
        if i:
            walls.append(wall)
            cpus.append(ru.ru_utime + ru.ru_stime)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo", help="a plan repository, e.g. bench/out/plan-10000 (bench/gen.py writes one)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    plancheck = os.path.join(target, "release", "plancheck")
    bare = os.path.join(target, "release", "examples", "bare_parse")
    rules = json.loads(subprocess.run([plancheck, "rules", "--format", "json"], check=True,
                                      capture_output=True, text=True).stdout)
    ids = [r["id"] for r in rules if r["id"] != "plan-schema"]
    files = []
    for d, _, names in os.walk(os.path.join(args.repo, "incident-response")):
        files += [os.path.join(d, n) for n in names if n.endswith((".yaml", ".yml"))]

    check = [plancheck, "check", args.repo, "--format", "json", "--fail-on", "never"]
    with tempfile.TemporaryDirectory() as tmp:
        def config_with(enabled):
            path = os.path.join(tmp, f"only-{enabled or 'none'}.toml")
            with open(path, "w") as f:
                for rid in ids:
                    if rid != enabled:
                        f.write(f'[rules."{rid}"]\ndisable = true\n')
            return path

        rows = [("bare", timed([bare, *sorted(files)], args.runs), None),
                ("parse", timed([plancheck, "parse", args.repo], args.runs), None)]
        base = timed(check + ["--config", config_with(None)], args.runs)
        rows.append(("no rules", base, None))
        per_rule = []
        for rid in ids:
            t = timed(check + ["--config", config_with(rid)], args.runs)
            per_rule.append((rid, t, t[1] - base[1]))
        per_rule.sort(key=lambda r: -r[2])
        rows += per_rule
        rows.append(("all rules", timed(check, args.runs), None))

    print(f"{'':<24} {'wall ms':>9} {'cpu ms':>9} {'cpu minus no-rules':>19}")
    for name, (wall, cpu), extra in rows:
        print(f"{name:<24} {wall:>9.1f} {cpu:>9.1f} {'' if extra is None else f'{extra:>+19.1f}'}")
    print("cpu = user + sys of the process (robust when other work shares the cores); "
          "rules run on up to 2 threads, so wall < cpu is possible")


if __name__ == "__main__":
    main()
