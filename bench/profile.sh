#!/usr/bin/env bash
# Where the instructions of `plancheck check` go, by stage (callgrind counts instructions, so
# the figures repeat on a busy machine, unlike wall time).
#
#   bash bench/profile.sh                      # plan of 10,000 threats, this checkout's code
#   bash bench/profile.sh 1000                 # another size
#   PLANCHECK=path/to/plancheck TAG=old bash bench/profile.sh   # another build (with symbols);
#                                              # TAG names its profile file
#
# Builds the release binary with its symbol table kept (the release profile strips it),
# generates the plan with bench/gen.py (bench/out/plan-N) when missing,
# runs `plancheck check` under `valgrind --tool=callgrind` (every thread counted), and prints the
# inclusive share of the total for each stage. Stages are found by function name:
#
#   parse            plancheck::plan::parse_file (YAML/JSON with positions, every plan file)
#   schema           plancheck::plan::schema::validate (in Plan::merge) + input::schema_findings
#   facts            plancheck::facts::value + facts::codeowners::value (+ on-call expansion:
#                    input::oncall_value)
#   input build      plancheck::input::build minus the facts and on-call inside it
#   engine setup     PolicySet::from_files (policy parse, METADATA) + regorus prepare_for_eval
#   rule evaluation  regorus Engine::eval_rule + Engine::eval_query, minus prepare_for_eval
#   reporting        plancheck::report::<format>::render and input::locate (placing findings)
#
# Needs valgrind and callgrind_annotate. Output: the table, and the raw profile in
# bench/out/callgrind.N.out (open it with kcachegrind for the full call graph).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
n="${1:-10000}"
plan="$root/bench/out/plan-$n"
out="$root/bench/out/callgrind.$n${TAG:+.$TAG}.out"

if [[ -z "${PLANCHECK:-}" ]]; then
    # The release build, its symbols kept (strip=none on the binary only: the dependencies
    # are the release build's own, so nothing else is rebuilt).
    (cd "$root" && cargo rustc --release --locked --bin plancheck -- -C strip=none >&2)
    PLANCHECK="$root/target/release/plancheck"
fi
if [[ ! -d "$plan" ]]; then
    python3 "$here/gen.py" --threats "$n" --out "$plan" --seed 42 >/dev/null
fi

valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$PLANCHECK" check "$plan" --format json --fail-on never --now 2026-11-24 --timeout 3600 >/dev/null 2>"$out.log" || {
    tail -20 "$out.log" >&2
    exit 2
}

callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null | python3 -c '
import re, sys
total = None
incl = {}
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+)\s+\([^)]*\)\s+PROGRAM TOTALS", line) or re.match(r"\s*([\d,]+)\s+PROGRAM TOTALS", line)
    if m and total is None:
        total = int(m.group(1).replace(",", ""))
        continue
    m = re.match(r"\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(?:[^\s:]*:)?(.+?)\s*(?:\[.*\])?$", line)
    if m:
        name = m.group(2)
        incl[name] = max(incl.get(name, 0), int(m.group(1).replace(",", "")))

def f(pattern):
    """Inclusive Ir of the functions whose name matches exactly (closures excluded)."""
    rx = re.compile(pattern)
    return sum(v for k, v in incl.items() if rx.search(k) and "{{closure}}" not in k)

parse = f(r"plancheck::plan::parse_file$")
schema = f(r"plancheck::input::schema_findings$") + f(r"plancheck::plan::schema::validate::validate$")
oncall = f(r"plancheck::input::oncall_value$")
facts = f(r"plancheck::facts::value$") + f(r"plancheck::facts::codeowners::value$") + oncall
build = f(r"plancheck::input::build$")
setup_parse = f(r"plancheck::policy::PolicySet::from_files$")
prepare = f(r"regorus::engine::Engine::prepare_for_eval$")
evaluate = f(r"regorus::engine::Engine::eval_rule$") + f(r"regorus::engine::Engine::eval_query$")
report = f(r"plancheck::report::[a-z_]+::render$") + f(r"plancheck::input::locate$")
rows = [
    ("parse", parse),
    ("schema", schema),
    ("facts (incl. on-call expansion)", facts),
    ("input build (without facts)", build - facts),
    ("engine setup (policy parse + prepare)", setup_parse + prepare),
    ("rule evaluation", evaluate - prepare),
    ("reporting (locate + render)", report),
]
print(f"total instructions (every thread): {total:,}")
print("%-40s %16s %7s" % ("stage", "instructions", "share"))
for name, v in rows:
    print(f"{name:<40} {v:>16,} {100 * v / total:>6.1f}%")
rest = total - sum(v for _, v in rows)
print("%-40s %16s %6.1f%%" % ("the rest (startup, git, waivers, ...)", f"{rest:,}", 100 * rest / total))
'
