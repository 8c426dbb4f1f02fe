#!/usr/bin/env python3
"""Benchmark what reading Kubernetes manifests adds to `plancheck check`.

    python3 bench/manifests.py                    # build, then 0 / 2,000 / 20,000 objects
    python3 bench/manifests.py --no-build --objects 0,20000 --runs 5

For each size it copies fixtures/demo (the realistic plan: 35 threats, 11 areas) into
bench/out/manifests-N, adds N Kubernetes objects in N/4 files under clusters/<cluster>/<area
dir>/ (Deployments with containers, Services, ConfigMaps, PVCs, RoleBindings, CronJobs; four
documents per file, a few Helm templates that are skipped, a few risky objects the demo's
threats cover), commits it, and times the whole `plancheck check --format json --fail-on
never` process, --warmup runs discarded, --runs measured, interleaved across sizes (and with
--baseline BINARY, interleaved with that binary on the same repositories: before and after in
one run). It prints the medians and the peak RSS, writes bench/out/manifests.json, and checks
the target:

    manifests   at 20,000 objects, median(check) <= 1.5 s and peak RSS < 150 MiB, and the
                report's findings are the ones the generator planted (no silent skip)

Peak RSS is plancheck's own: each run goes through /usr/bin/time, whose wait4 reports the
high-water mark of the process it forked. (ru_maxrss of a child forked straight from this
Python process also counts the Python's own address space before exec, about 140 MiB once it
has read a large report: that was the old "launcher floor".)

Exit status: 0 target met, 1 missed, 2 the run itself failed. Standard library only.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from run import build, lock_out, target_dir  # noqa: E402

TARGET_SECONDS = 1.5
TARGET_RSS_MIB = 150.0
TIME = "/usr/bin/time"
# A machine shared with builds can stretch a run past the default 10 s rule limit.
NO_TIMEOUT = ["--timeout", "600"]


def run_once(argv):
    """Spawn argv under /usr/bin/time; return (wall seconds, plancheck's own peak RSS KiB, exit code,
    CPU seconds user + sys)."""
    import tempfile
    import time
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        t0 = time.perf_counter()
        p = subprocess.run([TIME, "-f", "%U %S %M", "-o", rss.name, *argv], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        text = rss.read().strip().splitlines()
    try:
        user, sys_, kib = text[-1].split()
        cpu, kib = float(user) + float(sys_), int(kib)
    except (IndexError, ValueError):
        cpu, kib = 0.0, 0
    return wall, kib, p.returncode, cpu
# Directories of the demo's areas (by their paths), so that the objects have owners.
DIRS = ["storage", "backup", "apps", "ingress", "cert-manager", "network-policies", "rbac", "policies",
        "falco", "external-secrets", "monitoring", "control-plane"]


def obj(rng, i):
    ns = rng.choice(["checkout", "payments-eu", "shop", "kube-system", "monitoring"])
    kind = rng.choices(["Deployment", "Service", "ConfigMap", "PersistentVolumeClaim", "RoleBinding", "CronJob"],
                       [5, 4, 4, 2, 1, 1])[0]
    meta = {"name": f"obj-{i}", "namespace": ns, "labels": {"app": f"app-{i % 300}", "team": "platform"}}
    c = {"name": "app", "image": f"registry.kestrel.example/app-{i % 300}@sha256:" + "ab" * 32,
         "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
         "ports": [{"containerPort": 8080, "name": "http"}],
         "env": [{"name": f"VAR_{k}", "value": f"value-{k}"} for k in range(rng.randint(2, 8))]}
    if rng.random() < 0.02:
        c["image"] = f"registry.kestrel.example/app-{i % 300}:1.{i % 40}"  # covered: THR-040 names MS-TA9002
    pod = {"containers": [c], "serviceAccountName": "app"}
    if kind == "Deployment":
        return {"apiVersion": "apps/v1", "kind": kind, "metadata": meta,
                "spec": {"replicas": 3, "selector": {"matchLabels": {"app": meta["name"]}},
                         "template": {"metadata": {"labels": {"app": meta["name"]}}, "spec": pod}}}
    if kind == "CronJob":
        return {"apiVersion": "batch/v1", "kind": kind, "metadata": meta,
                "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": pod}}}}}
    if kind == "Service":
        return {"apiVersion": "v1", "kind": kind, "metadata": meta,
                "spec": {"selector": {"app": meta["name"]}, "ports": [{"port": 80, "targetPort": "http"}]}}
    if kind == "PersistentVolumeClaim":
        return {"apiVersion": "v1", "kind": kind, "metadata": meta,
                "spec": {"storageClassName": "gp3-retain", "accessModes": ["ReadWriteOnce"],
                         "resources": {"requests": {"storage": "10Gi"}}}}
    if kind == "RoleBinding":
        return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": meta,
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
                "subjects": [{"kind": "ServiceAccount", "name": "app", "namespace": ns}]}
    return {"apiVersion": "v1", "kind": kind, "metadata": meta,
            "data": {f"key-{k}": f"value {k} " * 4 for k in range(rng.randint(1, 6))}}


def block(v, ind=""):
    """A small YAML block emitter (mappings, lists, scalars as JSON), like hand-written manifests."""
    out = []
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                out.append(f"{ind}{k}:")
                out += block(x, ind + "  ")
            else:
                out.append(f"{ind}{k}: {json.dumps(x)}")
    else:
        for x in v:
            lines = block(x, ind + "  ") if isinstance(x, (dict, list)) else [f"{ind}  {json.dumps(x)}"]
            first = lines[0].lstrip()
            out.append(f"{ind}- {first}")
            out += lines[1:]
    return out


def generate(n, out, seed):
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(os.path.join(ROOT, "fixtures", "demo"), out)
    rng = random.Random(seed)
    files = 0
    for start in range(0, n, 4):
        d = DIRS[(start // 4) % len(DIRS)]
        rel = os.path.join("clusters", f"bench-{(start // 4) % 7}", d, f"objects-{start // 4}.yaml")
        os.makedirs(os.path.join(out, os.path.dirname(rel)), exist_ok=True)
        docs = ["\n".join(block(obj(rng, i))) for i in range(start, min(start + 4, n))]
        with open(os.path.join(out, rel), "w", encoding="utf-8") as f:
            f.write("---\n" + "\n---\n".join(docs) + "\n")
        files += 1
    for k in range(n // 2000):
        chart = os.path.join(out, "charts", f"svc-{k}")
        os.makedirs(os.path.join(chart, "templates"), exist_ok=True)
        with open(os.path.join(chart, "Chart.yaml"), "w") as f:
            f.write(f"apiVersion: v2\nname: svc-{k}\nversion: 0.1.0\n")
        with open(os.path.join(chart, "templates", "deployment.yaml"), "w") as f:
            f.write("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
                    "spec:\n  replicas: {{ .Values.replicas }}\n")
    for cmd in (["init", "-q"], ["add", "-A"],
                ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-qm", "bench"]):
        subprocess.run(["git", *cmd], cwd=out, check=True, capture_output=True)
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--objects", default="0,2000,20000", help="comma-separated object counts")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--baseline", help="another plancheck binary to time on the same repositories, interleaved")
    args = ap.parse_args()
    if not os.access(TIME, os.X_OK):
        print(f"manifests.py: {TIME} is needed to measure plancheck's own peak RSS (apt-get install time)",
              file=sys.stderr)
        return 2
    sizes = [int(s) for s in args.objects.split(",")]
    out = os.path.join(HERE, "out")
    _lock = lock_out(out, "manifests.py")
    if not args.no_build:
        build()
    plancheck = os.path.join(target_dir(), "release", "plancheck")
    repos = {}
    for n in sizes:
        repo = os.path.join(out, f"manifests-{n}")
        files = generate(n, repo, args.seed)
        r = subprocess.run([plancheck, "check", repo, "--format", "json", "--fail-on", "never", *NO_TIMEOUT],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.stderr.write(r.stderr)
            print(f"manifests.py: plancheck failed at {n} objects", file=sys.stderr)
            return 2
        findings = json.loads(r.stdout)["findings"]
        p = subprocess.run([plancheck, "parse", repo], capture_output=True, text=True)
        seen = len(json.loads(p.stdout)["manifests"])
        repos[n] = {"repo": repo, "files": files, "findings": len(findings), "objects_seen": seen,
                    "times": [], "rss": []}
    binaries = {"plancheck": plancheck}
    if args.baseline:
        binaries["baseline"] = os.path.abspath(args.baseline)
    for r in repos.values():
        r["by"] = {b: {"times": [], "rss": [], "cpu": []} for b in binaries}
    for i in range(args.warmup + args.runs):
        for n in sizes:
            names = list(binaries)
            for b in names[i % len(names):] + names[:i % len(names)]:
                argv = [binaries[b], "check", repos[n]["repo"], "--format", "json", "--fail-on", "never", *NO_TIMEOUT]
                wall, rss, code, cpu = run_once(argv)
                if code != 0:
                    print(f"manifests.py: {b} exited {code} at {n} objects", file=sys.stderr)
                    return 2
                if i >= args.warmup:
                    repos[n]["by"][b]["times"].append(wall)
                    repos[n]["by"][b]["rss"].append(rss)
                    repos[n]["by"][b]["cpu"].append(cpu)
    print(f"{'objects':>8} {'files':>6} {'seen':>7} {'findings':>8} {'binary':>10} {'check (median)':>15} {'CPU':>9} {'peak RSS':>9}")
    results = []
    for n in sizes:
        r = repos[n]
        for b in binaries:
            med = statistics.median(r["by"][b]["times"])
            rss = max(r["by"][b]["rss"]) / 1024
            cpu = statistics.median(r["by"][b]["cpu"])
            print(f"{n:>8} {r['files']:>6} {r['objects_seen']:>7} {r['findings']:>8} {b:>10} {med * 1000:>12.0f} ms "
                  f"{cpu * 1000:>6.0f} ms {rss:>6.0f} MiB")
            if b == "plancheck":
                results.append({"objects": n, "files": r["files"], "seen": r["objects_seen"],
                                "findings": r["findings"], "median_s": med, "median_cpu_s": cpu,
                                "peak_rss_mib": rss})
            else:
                results[-1]["baseline"] = {"median_s": med, "median_cpu_s": cpu, "peak_rss_mib": rss}
    with open(os.path.join(out, "manifests.json"), "w") as f:
        json.dump(results, f, indent=1)
    ok = True
    demo_objects = repos[sizes[0]]["objects_seen"] - sizes[0]
    for r in results:
        if r["seen"] != r["objects"] + demo_objects:
            print(f"MISSED: {r['objects']} objects generated, {r['seen'] - demo_objects} read")
            ok = False
        if r["findings"] != 0:
            print(f"MISSED: {r['findings']} findings at {r['objects']} objects; the generated objects are all covered")
            ok = False
    big = max(results, key=lambda r: r["objects"])
    if big["objects"] >= 20000 and big["median_s"] > TARGET_SECONDS:
        print(f"MISSED: {big['median_s']:.2f} s at {big['objects']} objects (target {TARGET_SECONDS} s)")
        ok = False
    if big["objects"] >= 20000 and big["peak_rss_mib"] >= TARGET_RSS_MIB:
        print(f"MISSED: peak RSS {big['peak_rss_mib']:.0f} MiB at {big['objects']} objects (target < {TARGET_RSS_MIB:.0f} MiB)")
        ok = False
    print("OK: targets met" if ok else "targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
