#!/usr/bin/env python3
"""Differential test: plancheck (regorus) against the real OPA engine on generated plans.

    python3 tests/opa/differential.py [--plancheck target/release/plancheck] [--count N] [--seed S] [--keep DIR]

Needs the `opa_bindings` module (PyPI opa-golib-python-bindings, installed with
--ignore-requires-python; tests/opa/run sets that up). It generates plan
repositories with gen_plans.py as subdirectories of one temporary git
repository, and for each one:

  1. `plancheck parse DIR --now NOW` gives the input document the policies see;
  2. `plancheck check DIR --format json --now NOW --fail-on never` gives the
     findings (those moved to a `suppressed` array by a waiver count too);
  3. OPA evaluates every rule query of `plancheck rules --format json` on that
     input, with the policies/*.rego files (not *_test.rego) and the data
     plancheck passes (DATA below: the default rule options, and "tmfk": the embedded
     Threat Matrix for Kubernetes catalogue).

The set of (rule id, message) must be the same on both sides, and no message
may appear more often in plancheck's output than OPA has distinct results for
it (plancheck merges results that land on the same location). A repository
with plan-schema findings is skipped (the policies do not run there) and must
be one the generator broke on purpose. Exit status 1 on any disagreement, any
error on either side, a generator mismatch, or a rule that never fired.
"""

import argparse
import collections
import concurrent.futures
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import gen_plans  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# The defaults plancheck passes (src/policy/mod.rs config_data, src/oncall/options.rs),
# and data.tmfk as plancheck gives it to the policies: the embedded catalogue's techniques.
with open(os.path.join(ROOT, "src", "manifests", "tmfk", "tmfk.json"), encoding="utf-8") as _f:
    DATA = {"config": {"area_min_contacts": 2, "horizon_days": 28, "first_page_minutes": 5,
                       "max_oncall_share": 50, "max_areas_per_contact": 3},
            "tmfk": {"techniques": json.load(_f)["techniques"]}}
SCHEMA_RULE = "plan-schema"
SHOWN = 5  # disagreements printed in full

try:
    from opa_bindings import OpaEngine, OpaError, OpaUndefinedError
except ImportError:
    sys.exit("differential.py: the OPA binding is missing; run `bash tests/opa/run`, or install it with\n"
             "  pip install --ignore-requires-python opa-golib-python-bindings==0.4.4")


def run(cmd, cwd=None):
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)


def make_repos(out, count, seed):
    """Generates the repositories into out and makes out one git repository tracking them all."""
    manifest = gen_plans.generate(out, count, seed)
    for cmd in (["init", "-q"], ["add", "-A"]):
        r = subprocess.run(["git", "-c", "init.defaultBranch=main", *cmd], cwd=out, capture_output=True, text=True)
        if r.returncode:
            sys.exit(f"differential.py: git {' '.join(cmd)} failed in {out}:\n{r.stderr}")
    return manifest


def plancheck_side(binary, repo_dir):
    """(input document, findings as [(rule, msg)], error text or None) for one repository."""
    now = ["--now", gen_plans.NOW]
    parse = run([binary, "parse", repo_dir, *now])
    check = run([binary, "check", repo_dir, "--format", "json", "--fail-on", "never", "--color", "never", *now])
    for name, r in (("parse", parse), ("check", check)):
        if r.returncode:
            return None, [], f"plancheck {name} exited {r.returncode}:\n{r.stderr.strip()}"
    report = json.loads(check.stdout)
    findings = [(f["rule"], f["message"]) for f in report["findings"] + report.get("suppressed", [])]
    return json.loads(parse.stdout), findings, None


def opa_side(engine, rules, doc):
    """(results as [(rule, msg, path)], error text or None): every rule query evaluated by OPA."""
    out = []
    for rule in rules:
        try:
            value = engine.eval_document(rule["query"].removeprefix("data."), doc)
        except OpaUndefinedError:
            continue
        except OpaError as e:
            return out, f"OPA failed on {rule['query']}: {e}"
        for item in value:
            if isinstance(item, str):
                out.append((rule["id"], item, None))
            else:
                out.append((rule["id"], item.get("msg"), json.dumps(item.get("path"))))
    return out, None


def compare(pc_findings, opa_results):
    """Problems found comparing both sides: (plancheck only, OPA only, over-counted) as sorted lists."""
    pc = collections.Counter(pc_findings)
    opa = collections.Counter((rule, msg) for rule, msg, _ in set(opa_results))
    return (sorted(set(pc) - set(opa)), sorted(set(opa) - set(pc)),
            sorted((key, n, opa[key]) for key, n in pc.items() if key in opa and n > opa[key]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plancheck", default=os.path.join(ROOT, "target", "release", "plancheck"))
    ap.add_argument("--count", type=int, default=gen_plans.COUNT)
    ap.add_argument("--seed", type=int, default=gen_plans.SEED)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="plancheck processes at once")
    ap.add_argument("--keep", metavar="DIR", help="generate into DIR (must not exist) and keep it")
    args = ap.parse_args()
    binary = os.path.abspath(args.plancheck)
    started = time.monotonic()

    policy_files = sorted(f for f in glob.glob(os.path.join(ROOT, "policies", "*.rego"))
                          if not f.endswith("_test.rego"))
    with tempfile.TemporaryDirectory(prefix="plancheck-opa-") as tmp:
        out = os.path.abspath(args.keep) if args.keep else os.path.join(tmp, "repos")
        manifest = make_repos(out, args.count, args.seed)
        # Run where no configuration can add custom policies to the list: the built-in rules only.
        rules_out = run([binary, "rules", "--format", "json"], cwd=out)
        if rules_out.returncode:
            sys.exit(f"differential.py: plancheck rules failed:\n{rules_out.stderr}")
        rules = [r for r in json.loads(rules_out.stdout) if r["query"]]
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            sides = list(pool.map(lambda m: plancheck_side(binary, os.path.join(out, m["name"])), manifest))

    stats = collections.Counter()
    per_rule = {r["id"]: collections.Counter() for r in rules}
    failures = []
    with OpaEngine() as engine:
        for f in policy_files:
            with open(f, encoding="utf-8") as src:
                engine.add_policy(os.path.relpath(f, ROOT), src.read())
        engine.add_data(DATA)
        for m, (doc, pc_findings, error) in zip(manifest, sides):
            label = f"{m['name']} (breakers: {', '.join(m['breakers']) or 'none'})"
            if error:
                failures.append(f"{label}: {error}")
                stats["errors"] += 1
                continue
            schema = [msg for rule, msg in pc_findings if rule == SCHEMA_RULE]
            if schema or m["schema_invalid"]:
                stats["skipped: schema"] += 1
                if not (schema and m["schema_invalid"]):
                    stats["generator mismatches"] += 1
                    failures.append(f"{label}: generated to be schema-{'valid' if schema else 'invalid'}, "
                                    f"but plancheck reported {schema or 'no plan-schema finding'}")
                continue
            opa_results, error = opa_side(engine, rules, doc)
            if error:
                failures.append(f"{label}: {error}")
                stats["errors"] += 1
                continue
            stats["repos compared"] += 1
            pc_only, opa_only, over = compare(pc_findings, opa_results)
            pc_keys, opa_keys = set(pc_findings), {(rule, msg) for rule, msg, _ in opa_results}
            stats["findings compared"] += len(pc_keys | opa_keys)
            for rule, _ in pc_keys:
                per_rule.setdefault(rule, collections.Counter())["plancheck"] += 1
            for rule, _ in opa_keys:
                per_rule[rule]["opa"] += 1
            if pc_only or opa_only or over:
                stats["disagreements"] += 1
                lines = [f"  - plancheck only: [{r}] {msg}" for r, msg in pc_only]
                lines += [f"  + OPA only:       [{r}] {msg}" for r, msg in opa_only]
                lines += [f"  ! [{r}] {msg}: {n} findings, {k} OPA results" for (r, msg), n, k in over]
                failures.append(f"{label}:\n" + "\n".join(lines))
            else:
                stats["agreements"] += 1

    never = [rule for rule, c in per_rule.items() if not (c["plancheck"] and c["opa"])]
    print(f"{'rule':<24} {'plancheck':>9} {'OPA':>9}   (distinct findings over all repositories)")
    for rule, c in per_rule.items():
        print(f"{rule:<24} {c['plancheck']:>9} {c['opa']:>9}")
    print()
    print(f"repos generated:     {len(manifest)}")
    for key in ["repos compared", "skipped: schema", "findings compared", "agreements", "disagreements",
                "errors", "generator mismatches"]:
        print(f"{key + ':':<20} {stats[key]}")
    print(f"time:                {time.monotonic() - started:.1f} s")
    if never:
        failures.append(f"rules that never fired on one side or both: {', '.join(never)}")
    for f in failures[:SHOWN]:
        print("\n" + f)
    if len(failures) > SHOWN:
        print(f"\n... and {len(failures) - SHOWN} more")
    print("\nOK: plancheck and OPA agree" if not failures else "\nFAIL")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
