#!/usr/bin/env python3
"""Benchmark the whole `plancheck check` process against OPA evaluating the same policy pack.

    target/py-venv/bin/python bench/opa.py              # 1,000 and 10,000 threats, medians of 7
    target/py-venv/bin/python bench/opa.py --runs 11 --sizes 1000 --no-build

Needs the OPA Python binding (PyPI opa-golib-python-bindings, the real OPA Go
engine through ctypes) in the venv tests/opa/run creates; see VENV_HELP.

For each size it generates the plan with bench/gen.py (into bench/out/plan-N,
as bench/run.py does), gets the input document from `plancheck parse`, checks
that OPA finds the same (rule, message) set as `plancheck check`, then times,
interleaved, --warmup + --runs times:

    plancheck   the whole `plancheck check DIR --format json` process (spawn to exit:
                git and file reading, YAML parsing, schema, CODEOWNERS, input
                document, evaluation on regorus, report)
    OPA         evaluation only, on an engine prepared beforehand (policies/*.rego
                but *_test.rego, and the data plancheck passes, added outside the
                timed region; each query evaluated once before timing, so OPA's
                prepared-query cache is warm). Three ways:
      per-query     one eval_document call per rule query, each passing the input:
                    every call marshals the input document into Go (JSON text in
                    Python, parsed again in Go)
      one query     a single eval_query binding every rule query, with the input
                    passed (marshalled) once; OPA shares its cache of the lib rules
                    across the rules within that one evaluation
      input stored  the binding cannot set the input once, so the input is added
                    to the data store beforehand and each rule query runs
                    `with input as data.<stored>`: no input marshalling is timed

and prints the medians. The target "the whole plancheck process is faster than
OPA's evaluation alone" is checked against each OPA variant; the table's target
column is against the fastest. Exit status: 0 target met against every variant
at every size, 1 missed somewhere, 2 the run failed.
"""

import argparse
import datetime
import glob
import json
import os
import statistics
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import run  # noqa: E402  (bench/run.py: build(), generate(), run_once(), target_dir())

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = {"config": {"area_min_contacts": 2}}  # what plancheck passes as data by default
STORED = "bench_input"  # where the "input stored" variant keeps the input in data
VENV = os.environ.get("PLANCHECK_PY_VENV", "target/py-venv")
VENV_HELP = f"""\
bench/opa.py needs the OPA Python binding. Create the venv tests/opa/run uses (or run
`bash tests/opa/run`, which creates it) and run this script with its python:

    python3 -m venv {VENV}
    {VENV}/bin/pip install --ignore-requires-python opa-golib-python-bindings==0.4.4
    {VENV}/bin/python bench/opa.py

(Every release of the binding declares Requires-Python >= 3.14, but its wheel works
on 3.11: hence --ignore-requires-python.)"""

try:
    from opa_bindings import OpaEngine, OpaUndefinedError
except ImportError:
    sys.exit(VENV_HELP)


def plancheck_json(plancheck, *args, cwd=None):
    r = subprocess.run([plancheck, *args], capture_output=True, text=True, cwd=cwd)
    if r.returncode not in (0, 1):
        run.die(f"plancheck {' '.join(args)} exited {r.returncode}:\n{r.stderr}")
    return json.loads(r.stdout)


def prepared_engine(doc):
    engine = OpaEngine()
    for f in sorted(glob.glob(os.path.join(ROOT, "policies", "*.rego"))):
        if not f.endswith("_test.rego"):
            with open(f, encoding="utf-8") as src:
                engine.add_policy(os.path.relpath(f, ROOT), src.read())
    engine.add_data(DATA)
    engine.add_data(doc, path=STORED)
    return engine


def variants(engine, queries, doc):
    """{name: function evaluating every rule query once, returning {query: results}}."""
    def per_query():
        out = {}
        for q in queries:
            try:
                out[q] = engine.eval_document(q.removeprefix("data."), doc)
            except OpaUndefinedError:
                out[q] = []
        return out

    one = "; ".join(f"r{i} := {q}" for i, q in enumerate(queries))

    def one_query():
        [bindings] = engine.eval_query(one, doc)
        return {q: bindings[f"r{i}"] for i, q in enumerate(queries)}

    def input_stored():
        return {q: engine.eval_query(f"r := {q} with input as data.{STORED}")[0]["r"] for q in queries}

    return {"per-query": per_query, "one query": one_query, "input stored": input_stored}


def findings_of(rules, results):
    """(rule id, message) pairs from {query: results}."""
    out = set()
    for rule in rules:
        for item in results[rule["query"]]:
            out.add((rule["id"], item if isinstance(item, str) else item["msg"]))
    return out


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated threat counts")
    ap.add_argument("--runs", type=int, default=7, help="measured runs (medians are reported)")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--seed", type=int, default=42, help="bench/gen.py seed (bench/run.py's default)")
    ap.add_argument("--now", default=datetime.date.today().isoformat(), help="--now for plancheck")
    ap.add_argument("--out", default=os.path.join(HERE, "out"), help="where the plans go")
    ap.add_argument("--no-build", action="store_true", help="use the existing release binary")
    args = ap.parse_args()

    lock = run.lock_out(args.out, "opa.py")  # noqa: F841 (held until exit)
    if not args.no_build:
        run.build()
    plancheck = os.path.join(run.target_dir(), "release", "plancheck")
    now = ["--now", args.now]
    load_before = os.getloadavg()[0]

    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        repo = os.path.join(args.out, f"plan-{n}")
        print(f"[{n} threats] generating {repo}", file=sys.stderr)
        run.generate(n, repo, args.seed)
        # Listed inside the plan's repository, whose (absent) configuration adds no custom policies.
        rules = [r for r in plancheck_json(plancheck, "rules", "--format", "json", cwd=repo) if r["query"]]
        queries = [r["query"] for r in rules]
        doc = plancheck_json(plancheck, "parse", repo, *now)
        report = plancheck_json(plancheck, "check", repo, "--format", "json", "--fail-on", "never", *now)
        expected = {(f["rule"], f["message"]) for f in report["findings"] + report.get("suppressed", [])}
        check = [plancheck, "check", repo, "--format", "json", "--fail-on", "never", *now]
        engine = prepared_engine(doc)
        fns = variants(engine, queries, doc)
        for name, fn in fns.items():
            got = findings_of(rules, fn())  # also prepares (caches) OPA's queries
            if got != expected:
                run.die(f"at {n} threats, OPA ({name}) and plancheck disagree: "
                        f"{len(got - expected)} findings only from OPA, {len(expected - got)} only from plancheck")
        print(f"[{n} threats] {len(expected)} findings, the same from OPA; measuring "
              f"{args.warmup}+{args.runs} runs", file=sys.stderr)
        samples = {"plancheck": [], **{name: [] for name in fns}}
        for i in range(args.warmup + args.runs):
            wall, _, code, _ = run.run_once(check)
            if code != 0:
                run.die(f"plancheck check exited {code}: {' '.join(check)}")
            times = {"plancheck": wall, **{name: timed(fn) for name, fn in fns.items()}}
            if i >= args.warmup:
                for name, t in times.items():
                    samples[name].append(t)
        engine.close()
        marshal = statistics.median(timed(lambda: json.dumps(doc, ensure_ascii=False).encode())
                                    for _ in range(args.runs))
        rows.append({"threats": n, "input_mb": len(json.dumps(doc)) / 1e6, "findings": len(expected),
                     "marshal_ms": marshal * 1000,
                     **{name: statistics.median(s) * 1000 for name, s in samples.items()}})

    opa_names = [name for name in samples if name != "plancheck"]
    head = (f"{'threats':>8} {'input':>8} {'findings':>8} | {'plancheck check':>15} | "
            + " | ".join(f"{'OPA ' + name + ' (ratio)':>26}" for name in opa_names) + " | target")
    print()
    print(head)
    print("-" * len(head))
    for r in rows:
        fastest = min(r[name] for name in opa_names)
        print(f"{r['threats']:>8} {r['input_mb']:>6.2f}MB {r['findings']:>8} | {r['plancheck']:>12.1f} ms | "
              + " | ".join(f"{r[name]:>14.1f} ms ({r['plancheck'] / r[name]:>5.2f}x)" for name in opa_names)
              + f" | {'met' if r['plancheck'] < fastest else 'MISSED'}")
    print()
    print(f"medians of {args.runs} runs after {args.warmup} warm-up, interleaved; {len(queries)} rule queries; "
          f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after, on {os.cpu_count()} CPUs")
    print("ratio = plancheck check / OPA (below 1: the whole plancheck process is faster)")
    print("plancheck check: wall time of the whole process, spawn to exit (loading, input, regorus "
          "evaluation on up to 2 threads, JSON report)")
    print("OPA: evaluation only, one thread, engine and policies prepared beforehand; every variant "
          "includes marshalling the results back to Python")
    print("  per-query:    includes marshalling the input into Go on each of the "
          f"{len(queries)} calls (json.dumps alone: "
          + ", ".join(f"{r['marshal_ms']:.1f} ms per call at {r['threats']:,}" for r in rows) + ")")
    print("  one query:    includes marshalling the input once; all rules in one evaluation")
    print("  input stored: no input marshalling (input added to the data store before timing, "
          "queries use `with input as ...`)")
    print("target: the whole plancheck process is faster than OPA's evaluation alone")
    met = True
    for name in opa_names:
        verdicts = [f"{'met' if r['plancheck'] < r[name] else 'MISSED'} at {r['threats']:,}" for r in rows]
        met &= all(r["plancheck"] < r[name] for r in rows)
        print(f"  against OPA {name + ':':<14} {', '.join(verdicts)}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
