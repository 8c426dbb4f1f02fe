"""The GitHub Action's packaging, checked against the binary it packages.

    python check_action.py --plancheck BIN --ci-build "cargo build --release --locked" WORKFLOW...

Run by tests/workflows/run, with the venv's Python (ruamel.yaml comes with check-jsonschema;
it reads YAML 1.2, as GitHub does, so `on:` stays a string). Checks:

1. action.yml: a docker action on ./Dockerfile; every `${{ inputs.X }}` in `runs` is declared
   and every declared input is used; each `runs.env` value is exactly one input, so that an
   empty input is an unset variable; each PLANCHECK_* variable is the one `plancheck github
   --help` lists for the flag of the same name as the input (`filter-mode` ->
   `--filter-mode` [env: PLANCHECK_FILTER_MODE]); `token` goes to GITHUB_TOKEN; every input
   and output has a description.
2. The workflows (README.md's, the one `plancheck init` writes): every `with:` of a
   `plancheck/plancheck@` step is a declared input, a literal value of an input whose flag
   has possible values is one of them, and `steps.<id>.outputs.<name>` of such a step is a
   declared output.
3. Dockerfile: its only cargo RUN line is `RUN <CI's build command>`; the builder's Rust tag
   is an exact version, not older than Cargo.toml's rust-version; the final stage copies the
   binary from the builder, runs as uid 1001, smoke-tests `plancheck --version` and has
   ENTRYPOINT ["plancheck"].
4. .dockerignore: every file the release binary is built from (its dep-info,
   target/release/plancheck.d) and Cargo.toml/Cargo.lock reach the build context; target/
   and .git/ do not.
5. The binary run the way GitHub runs the action: the `runs.env` of action.yml filled with
   the inputs' defaults (the token's default, an expression, left empty), `runs.args`, the
   step's environment (event file, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_REPOSITORY),
   in a git repository made from fixtures/demo:
   - a `push` event with every default: exit 0 or 1, a job summary, `findings=` and
     `new-errors=` outputs;
   - a `pull_request` event (head breaks a rule, working tree at a merge commit as
     actions/checkout leaves it) with `sarif` set, no token and an API that refuses
     connections: exit 1, `new-errors` >= 1, a job summary, and `sarif-file` naming a
     SARIF 2.1.0 file in the workspace.
6. Negative controls: broken copies of action.yml, a workflow, the Dockerfile and the
   .dockerignore must each be rejected by the checks above, so a checker that accepts
   everything cannot pass.

Exit 1 on any problem, listing them all.
"""

import argparse
import copy
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}", re.S)
INPUT_REF = re.compile(r"^inputs\.([A-Za-z_][A-Za-z0-9_-]*)$")
# The day the demo's dates are judged on, as tests/precommit/test_hooks.py fixes it.
NOW = "2026-11-24"
RUN_TIMEOUT = 120


def load_yaml(text):
    return YAML(typ="safe", pure=True).load(io.StringIO(text))


# ---------------------------------------------------------------- plancheck github --help

def parse_help(text):
    """{flag: {"env": NAME or None, "values": [...] or None}} from clap's help text."""
    flags = {}
    current = None
    block = []

    def close():
        if current:
            body = " ".join(block)
            env = re.search(r"\[env:\s+([A-Z0-9_]+)=", body)
            values = re.search(r"\[possible values:\s*([^\]]*)\]", body)
            flags[current] = {
                "env": env.group(1) if env else None,
                "values": [v.strip() for v in values.group(1).split(",")] if values else None,
            }

    for line in text.splitlines():
        m = re.match(r"^\s+(?:-\w, )?--([a-z][a-z0-9-]*)\b", line)
        if m:
            close()
            current, block = m.group(1), [line]
        elif current is not None:
            block.append(line.strip())
    close()
    # Clap lists possible values one per line under "Possible values:" in long help; the
    # short help (-h) has them inline. Both forms are handled by asking for -h.
    return flags


def github_help(plancheck):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NO_COLOR": "1", "COLUMNS": "200"}
    r = subprocess.run([plancheck, "github", "-h"], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise SystemExit(
            f"`{plancheck} github -h` failed (exit {r.returncode}): the `plancheck github` "
            f"command is missing or broken.\n{r.stderr.strip()}")
    return parse_help(r.stdout)


# ---------------------------------------------------------------- 1. action.yml

def action_problems(action, flags):
    p = []
    if not isinstance(action, dict):
        return ["action.yml: not a mapping"]
    for key in ("name", "description", "runs"):
        if not action.get(key):
            p.append(f"action.yml: no `{key}`")
    branding = action.get("branding") or {}
    if not (branding.get("icon") and branding.get("color")):
        p.append("action.yml: `branding` needs an icon and a color")
    inputs = action.get("inputs") or {}
    outputs = action.get("outputs") or {}
    runs = action.get("runs") or {}
    for name, spec in inputs.items():
        if not isinstance(spec, dict) or not str(spec.get("description") or "").strip():
            p.append(f"action.yml: input `{name}` has no description")
            continue
        if spec.get("required") is True:
            p.append(f"action.yml: input `{name}` is required; every input has a default")
        if "default" not in spec:
            p.append(f"action.yml: input `{name}` has no default")
    for name, spec in outputs.items():
        if not isinstance(spec, dict) or not str(spec.get("description") or "").strip():
            p.append(f"action.yml: output `{name}` has no description")
    if runs.get("using") != "docker":
        p.append(f"action.yml: runs.using is {runs.get('using')!r}, not 'docker'")
    if runs.get("image") != "Dockerfile":
        p.append(f"action.yml: runs.image is {runs.get('image')!r}, not 'Dockerfile'")
    for key in ("entrypoint", "pre-entrypoint", "post-entrypoint"):
        if key in runs:
            p.append(f"action.yml: runs.{key} bypasses the image's ENTRYPOINT [\"plancheck\"]")

    used = set()

    def refs(where, value):
        """The inputs a value names; any other expression is a problem."""
        names = []
        for expr in EXPR.findall(str(value)):
            m = INPUT_REF.match(expr)
            if not m:
                p.append(f"action.yml: {where}: `${{{{ {expr} }}}}` is not `inputs.<name>`")
            elif m.group(1) not in inputs:
                p.append(f"action.yml: {where}: input `{m.group(1)}` is not declared")
            else:
                names.append(m.group(1))
        used.update(names)
        return names

    args = runs.get("args") or []
    if not isinstance(args, list) or not args or args[0] != "github":
        p.append(f"action.yml: runs.args must start with 'github', not {args!r}")
    else:
        for i, arg in enumerate(args[1:], 1):
            names = refs(f"runs.args[{i}]", arg)
            if names != ["path"] or EXPR.sub("", str(arg)).strip():
                p.append(f"action.yml: runs.args[{i}] = {arg!r}: only the `path` input is an "
                         "argument (the others go through runs.env, so empty means unset)")
    env = runs.get("env") or {}
    for var, value in env.items():
        names = refs(f"runs.env.{var}", value)
        if len(EXPR.findall(str(value))) != 1 or EXPR.sub("", str(value)) != "":
            p.append(f"action.yml: runs.env.{var} = {value!r}: the value must be exactly one "
                     "`${{ inputs.<name> }}`, so an empty input leaves the variable empty (unset)")
            continue
        if not names:
            continue  # reported by refs()
        name = names[0]
        if name == "token":
            if var != "GITHUB_TOKEN":
                p.append(f"action.yml: the token goes to {var}; plancheck reads GITHUB_TOKEN")
            continue
        if not var.startswith("PLANCHECK_"):
            p.append(f"action.yml: runs.env.{var}: not a PLANCHECK_ variable")
        flag = flags.get(name)
        if flag is None:
            p.append(f"action.yml: input `{name}` has no flag `--{name}` in "
                     "`plancheck github --help`")
        elif flag["env"] != var:
            p.append(f"action.yml: runs.env.{var} carries input `{name}`, but `--{name}` reads "
                     f"{flag['env'] or 'no environment variable'} (plancheck github --help)")
    if env.get("GITHUB_TOKEN") is None:
        p.append("action.yml: runs.env has no GITHUB_TOKEN")
    for name in inputs:
        if name not in used:
            p.append(f"action.yml: input `{name}` is declared but never used in runs")
    for name, spec in inputs.items():
        flag = flags.get(name)
        default = str((spec or {}).get("default", ""))
        if flag and flag["values"] and default and default not in flag["values"]:
            p.append(f"action.yml: input `{name}` defaults to {default!r}, not one of "
                     f"{flag['values']}")
    return p


# ---------------------------------------------------------------- 2. workflows

def walk_steps(workflow):
    for job in ((workflow or {}).get("jobs") or {}).values():
        for step in (job or {}).get("steps") or []:
            yield job, step


def workflow_problems(path, workflow, action, flags):
    p = []
    inputs = action.get("inputs") or {}
    outputs = action.get("outputs") or {}
    for job, step in walk_steps(workflow):
        if not str(step.get("uses", "")).startswith("plancheck/plancheck@"):
            continue
        for key, value in (step.get("with") or {}).items():
            if key not in inputs:
                p.append(f"{path}: `with: {key}` is not an input of action.yml "
                         f"({', '.join(inputs)})")
                continue
            flag = flags.get(key)
            value = str(value)
            if flag and flag["values"] and not EXPR.search(value) and value not in flag["values"]:
                p.append(f"{path}: `{key}: {value}` is not one of {flag['values']}")
        sid = step.get("id")
        if sid:
            text = json.dumps(job)
            for out in re.findall(rf"steps\.{re.escape(sid)}\.outputs\.([A-Za-z0-9_-]+)", text):
                if out not in outputs:
                    p.append(f"{path}: steps.{sid}.outputs.{out} is not an output of action.yml")
    return p


# ---------------------------------------------------------------- 3. Dockerfile

def dockerfile_instructions(text):
    """[(INSTRUCTION, arguments)] with continuations joined and comments dropped."""
    out, cur = [], ""
    for line in text.splitlines():
        s = line.strip()
        if not cur and (not s or s.startswith("#")):
            continue
        if cur and s.startswith("#"):
            continue
        if s.endswith("\\"):
            cur += s[:-1].rstrip() + " "
            continue
        cur += s
        word, _, rest = cur.partition(" ")
        out.append((word.upper(), rest.strip()))
        cur = ""
    return out


def version_tuple(v):
    return tuple(int(x) for x in v.split("."))


def dockerfile_problems(text, ci_build, rust_version):
    p = []
    ins = dockerfile_instructions(text)
    froms = [i for i, (w, _) in enumerate(ins) if w == "FROM"]
    if len(froms) < 2:
        return [f"Dockerfile: {len(froms)} stage(s); a build stage and a small final stage"]
    first = ins[froms[0]][1].split()
    if len(first) != 3 or first[1].upper() != "AS":
        p.append("Dockerfile: the first stage must be named (FROM <image> AS <name>)")
        builder = None
    else:
        builder = first[2]
    m = re.match(r"^rust:(\d+\.\d+\.\d+)-", first[0])
    if not m:
        p.append(f"Dockerfile: the builder {first[0]!r} is not rust:<exact X.Y.Z>-<variant>")
    elif rust_version and version_tuple(m.group(1)) < version_tuple(rust_version):
        p.append(f"Dockerfile: Rust {m.group(1)} is older than Cargo.toml's rust-version "
                 f"{rust_version}")
    final_from = ins[froms[-1]][1].split()[0]
    if ":" not in final_from or final_from.endswith(":latest"):
        p.append(f"Dockerfile: the final stage's image {final_from!r} has no pinned tag")
    cargo_runs = [(w, a) for w, a in ins if w == "RUN" and re.search(r"\bcargo\b", a)]
    expected = f"RUN {ci_build}"
    if [f"{w} {a}" for w, a in cargo_runs] != [expected]:
        p.append(f"Dockerfile: the cargo RUN lines {[f'{w} {a}' for w, a in cargo_runs]} must "
                 f"be exactly one, {expected!r}: the command CI builds with "
                 "(tests/workflows/run)")
    final = ins[froms[-1] + 1:]
    copies = [a for w, a in final if w == "COPY"]
    if builder and not any(a.startswith(f"--from={builder} ") and "target/release/plancheck" in a
                           for a in copies):
        p.append(f"Dockerfile: the final stage does not COPY --from={builder} the release binary")
    users = [i for i, (w, _) in enumerate(final) if w == "USER"]
    if not users or not re.match(r"^1001(:\d+)?$", final[users[-1]][1]):
        p.append("Dockerfile: the final stage must run as USER 1001 (the runner's uid, the "
                 "owner of /github/workspace)")
    smoke = [i for i, (w, a) in enumerate(final)
             if w == "RUN" and a.replace(" ", "") == '["plancheck","--version"]']
    if not smoke:
        p.append('Dockerfile: no smoke test RUN ["plancheck", "--version"] in the final stage')
    elif users and smoke[-1] < users[-1]:
        p.append("Dockerfile: the smoke test runs before USER 1001")
    entry = [a for w, a in final if w == "ENTRYPOINT"]
    if [e.replace(" ", "") for e in entry] != ['["plancheck"]']:
        p.append(f'Dockerfile: ENTRYPOINT must be ["plancheck"], not {entry}')
    if any(w == "CMD" for w, _ in final):
        p.append("Dockerfile: a CMD would run when action.yml gives no args")
    return p


# ---------------------------------------------------------------- 4. .dockerignore

def dockerignore_patterns(text):
    pats = []
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        neg = s.startswith("!")
        s = s[1:].strip() if neg else s
        s = os.path.normpath(s).lstrip("/")
        pats.append((neg, re.compile("^" + glob_regex(s) + "$")))
    return pats


def glob_regex(pat):
    """Docker's pattern syntax (moby/patternmatcher): Go's filepath.Match plus `**`."""
    rx, i = "", 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**", i):
            i += 2
            if pat.startswith("/", i):
                i += 1
                rx += "(?:.*/)?"
            else:
                rx += ".*"
            continue
        if c == "*":
            rx += "[^/]*"
        elif c == "?":
            rx += "[^/]"
        elif c == "[":
            j = pat.index("]", i + 1)
            body = pat[i + 1:j]
            if body.startswith(("!", "^")):
                body = "^" + body[1:]
            rx += "[" + body.replace("\\", "\\\\") + "]"
            i = j
        elif c == "\\" and i + 1 < len(pat):
            i += 1
            rx += re.escape(pat[i])
        else:
            rx += re.escape(c)
        i += 1
    return rx


def in_context(patterns, path):
    """Whether `path` (relative, with /) reaches the build context. As Docker does: the last
    pattern that matches the path or one of its parent directories decides."""
    parts = path.split("/")
    candidates = ["/".join(parts[:k]) for k in range(1, len(parts) + 1)]
    excluded = False
    for neg, rx in patterns:
        if any(rx.match(c) for c in candidates):
            excluded = not neg
    return not excluded


def build_inputs(depinfo):
    """The repository files the release binary is built from, from its dep-info file."""
    text = depinfo.read_text(encoding="utf-8")
    first = text.split("\n", 1)[0]
    _, _, deps = first.partition(": ")
    files = re.split(r"(?<!\\) ", deps.strip())
    out = set()
    for f in files:
        f = f.replace("\\ ", " ")
        if not f:
            continue
        try:
            rel = Path(f).resolve().relative_to(ROOT)
        except ValueError:
            continue  # registry crates, the toolchain
        if rel.parts[0] != "target":
            out.add(rel.as_posix())
    return out


def dockerignore_problems(text, files):
    p = []
    pats = dockerignore_patterns(text)
    for f in sorted(set(files) | {"Cargo.toml", "Cargo.lock"}):
        if not in_context(pats, f):
            p.append(f".dockerignore: {f} is needed by the build but left out of the context")
    for f in ("target/release/plancheck", ".git/config", "target"):
        if in_context(pats, f):
            p.append(f".dockerignore: {f} reaches the build context")
    return p


# ---------------------------------------------------------------- 5. running it

def git(repo, *args, env):
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def git_out(repo, *args, env):
    return subprocess.run(["git", "-C", str(repo), *args], check=True, env=env,
                          capture_output=True, text=True).stdout.strip()


def read_outputs(text):
    """GITHUB_OUTPUT's `name=value` and `name<<DELIM ... DELIM` lines."""
    out, lines, i = {}, text.split("\n"), 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^([^=<]+)<<(.+)$", line)
        if m:
            name, delim, body = m.group(1), m.group(2), []
            i += 1
            while i < len(lines) and lines[i] != delim:
                body.append(lines[i])
                i += 1
            out[name] = "\n".join(body)
        elif "=" in line:
            name, _, value = line.partition("=")
            out[name] = value
        i += 1
    return out


def run_action(plancheck, action, workspace, event_name, event, sha, ref, tmp, inputs=None):
    """Runs the binary as GitHub runs the docker action; returns (code, outputs, summary, log)."""
    declared = action.get("inputs") or {}
    values = {}
    for name, spec in declared.items():
        default = str(spec.get("default", ""))
        values[name] = "" if EXPR.search(default) else default  # ${{ github.token }}: no token
    values.update(inputs or {})

    def fill(v):
        return EXPR.sub(lambda m: values[INPUT_REF.match(m.group(1)).group(1)], str(v))

    tmp.mkdir(parents=True, exist_ok=True)
    event_path = tmp / "event.json"
    event_path.write_text(json.dumps(event), encoding="utf-8")
    output, summary = tmp / "output", tmp / "summary"
    output.write_text("")
    summary.write_text("")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp),
        "GIT_CONFIG_NOSYSTEM": "1",
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_REPOSITORY": "o/r",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_SHA": sha,
        "GITHUB_REF": ref,
        "GITHUB_RUN_ID": "1",
        # Loopback, a port nothing listens on: an API call fails at once, and nothing leaves
        # the machine.
        "GITHUB_API_URL": "http://127.0.0.1:9",
        "PLANCHECK_NOW": NOW,
    }
    for var, value in ((action.get("runs") or {}).get("env") or {}).items():
        env[var] = fill(value)
    args = [fill(a) for a in (action.get("runs") or {}).get("args") or []]
    try:
        r = subprocess.run([plancheck, *args], cwd=workspace, env=env, capture_output=True,
                           text=True, timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, {}, "", f"timed out after {RUN_TIMEOUT} s"
    log = f"$ plancheck {' '.join(args)}\n{r.stdout}{r.stderr}"
    return (r.returncode, read_outputs(output.read_text(encoding="utf-8")),
            summary.read_text(encoding="utf-8"), log)


def runtime_problems(plancheck, action, tmp):
    p = []
    genv = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp),
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
            "GIT_AUTHOR_DATE": "2026-11-20T12:00:00Z", "GIT_COMMITTER_DATE": "2026-11-20T12:00:00Z"}
    repo = tmp / "workspace"
    shutil.copytree(ROOT / "fixtures" / "demo", repo)
    git(repo, "init", "--quiet", "--initial-branch=main", env=genv)
    git(repo, "add", "-A", env=genv)
    git(repo, "commit", "--quiet", "-m", "plan", env=genv)
    base = git_out(repo, "rev-parse", "HEAD", env=genv)

    def show(what, code, outputs, summary, log):
        return (f"{what}: exit {code}, outputs {outputs}, summary {len(summary)} chars\n"
                + "\n".join("    " + line for line in log.splitlines()[-25:]))

    # A push: every input at its default.
    push = {"ref": "refs/heads/main", "before": "0" * 40, "after": base,
            "repository": {"full_name": "o/r", "default_branch": "main"}}
    code, outputs, summary, log = run_action(plancheck, action, repo, "push", push, base,
                                             "refs/heads/main", tmp / "push")
    what = "the action on a push, with the inputs' defaults"
    print(f"   push: exit {code}, findings={outputs.get('findings')}, "
          f"new-errors={outputs.get('new-errors')}, summary {len(summary)} chars")
    if code not in (0, 1):
        p.append(show(f"{what}: expected exit 0 or 1", code, outputs, summary, log))
    else:
        missing = [o for o in ("findings", "new-errors") if o not in outputs]
        if missing or not summary.strip():
            p.append(show(f"{what}: no job summary or no output {missing}", code, outputs,
                          summary, log))

    # A pull request whose head gives a threat an owner that does not exist; the workspace
    # is the merge commit actions/checkout makes for a pull_request event.
    git(repo, "checkout", "--quiet", "-b", "feature", env=genv)
    threats = repo / "incident-response" / "threats" / "human-error.yaml"
    text = threats.read_text(encoding="utf-8")
    assert "    owner: erin\n" in text, "fixtures/demo changed: update the edit in check_action.py"
    threats.write_text(text.replace("    owner: erin\n", "    owner: nobody-by-that-id\n", 1),
                       encoding="utf-8")
    git(repo, "commit", "--quiet", "-am", "a threat owned by nobody", env=genv)
    head = git_out(repo, "rev-parse", "HEAD", env=genv)
    git(repo, "checkout", "--quiet", "main", env=genv)
    git(repo, "commit", "--quiet", "--allow-empty", "-m", "main moves on", env=genv)
    base = git_out(repo, "rev-parse", "HEAD", env=genv)
    git(repo, "merge", "--quiet", "--no-ff", "--no-edit", "feature", env=genv)
    merge = git_out(repo, "rev-parse", "HEAD", env=genv)
    git(repo, "checkout", "--quiet", "--detach", merge, env=genv)
    pr = {"action": "synchronize", "number": 1,
          "pull_request": {"number": 1,
                           "head": {"sha": head, "ref": "feature",
                                    "repo": {"full_name": "o/r"}},
                           "base": {"sha": base, "ref": "main",
                                    "repo": {"full_name": "o/r"}}},
          "repository": {"full_name": "o/r", "default_branch": "main"}}
    sarif = "plancheck.sarif"
    code, outputs, summary, log = run_action(plancheck, action, repo, "pull_request", pr, merge,
                                             "refs/pull/1/merge", tmp / "pr", {"sarif": sarif})
    what = ("the action on a pull request that breaks a rule (sarif set, no token, the API "
            "unreachable)")
    try:
        new_errors = int(outputs.get("new-errors", ""))
    except ValueError:
        new_errors = None
    if code != 1 or not new_errors or not summary.strip():
        p.append(show(f"{what}: expected exit 1, new-errors >= 1 and a job summary", code,
                      outputs, summary, log))
    sarif_out = outputs.get("sarif-file")
    if code not in (0, 1):
        pass  # reported above, with the log
    elif not sarif_out:
        p.append(show(f"{what}: no sarif-file output", code, outputs, summary, log))
    else:
        path = repo / sarif_out
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("version") != "2.1.0" or not doc.get("runs"):
                p.append(f"{what}: {sarif_out} is not SARIF 2.1.0")
        except (OSError, ValueError) as e:
            p.append(f"{what}: sarif-file={sarif_out}: not a JSON file in the workspace ({e})")
    print(f"   pull_request: exit {code}, findings={outputs.get('findings')}, "
          f"new-errors={outputs.get('new-errors')}, sarif-file={sarif_out}, "
          f"summary {len(summary)} chars")
    return p


# ---------------------------------------------------------------- 6. negative controls

def negative_controls(action, flags, dockerfile, ci_build, rust_version, dockerignore, files):
    """Each broken copy must be rejected; returns the copies that were not."""
    def mutate(f):
        a = copy.deepcopy(action)
        f(a)
        return a

    env = lambda a: a["runs"]["env"]  # noqa: E731
    broken_actions = {
        "an undeclared input in runs.env":
            mutate(lambda a: env(a).update(PLANCHECK_CONFIG="${{ inputs.configuration }}")),
        "a declared input never used":
            mutate(lambda a: a["inputs"].update(unused={"description": "x", "default": ""})),
        "a variable plancheck does not read":
            mutate(lambda a: env(a).update(PLANCHECK_NO_SUCH="${{ inputs.config }}")),
        "two inputs swapped":
            mutate(lambda a: env(a).update(PLANCHECK_COMMENT="${{ inputs.review }}",
                                           PLANCHECK_REVIEW="${{ inputs.comment }}")),
        "an optional input as an argument":
            mutate(lambda a: a["runs"]["args"].extend(["--fail-on", "${{ inputs.fail-on }}"])),
        "an input with text around it in runs.env":
            mutate(lambda a: env(a).update(PLANCHECK_SARIF="x-${{ inputs.sarif }}")),
        "a default plancheck rejects":
            mutate(lambda a: a["inputs"]["filter-mode"].update(default="add")),
    }
    missed = [name for name, a in broken_actions.items() if not action_problems(a, flags)]
    bad_workflow = {"jobs": {"j": {"steps": [
        {"id": "pc", "uses": "plancheck/plancheck@v1", "with": {"filter_mode": "added"}},
        {"uses": "x/y@v1", "with": {"f": "${{ steps.pc.outputs.sarif_file }}"}}]}}}
    if len(workflow_problems("broken", bad_workflow, action, flags)) < 2:
        missed.append("a workflow with an unknown input and an unknown output")
    if not dockerfile_problems(dockerfile.replace(f"RUN {ci_build}", "RUN cargo build --release"),
                               ci_build, rust_version):
        missed.append("a Dockerfile whose build command differs from CI's")
    if not dockerfile_problems(re.sub(r"(?m)^USER .*$", "USER root", dockerfile), ci_build,
                               rust_version):
        missed.append("a Dockerfile that runs as root")
    if not dockerignore_problems(dockerignore.replace("!policies/", ""), files):
        missed.append("a .dockerignore that leaves out policies/")
    if not dockerignore_problems("target/release/\n", files) or not dockerignore_problems(
            "*\n!*\n", files):
        missed.append("a .dockerignore that lets target/ or .git/ through")
    return missed


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plancheck", required=True)
    ap.add_argument("--ci-build", required=True, help="the build command CI runs")
    ap.add_argument("--keep", action="store_true", help="keep the temp workspace")
    ap.add_argument("workflows", nargs="*", type=Path)
    a = ap.parse_args()
    plancheck = str(Path(a.plancheck).resolve())

    action = load_yaml((ROOT / "action.yml").read_text(encoding="utf-8"))
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    dockerignore = (ROOT / ".dockerignore").read_text(encoding="utf-8")
    cargo_toml = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    m = re.search(r'(?m)^rust-version\s*=\s*"([0-9.]+)"', cargo_toml)
    rust_version = m.group(1) if m else None
    depinfo = Path(plancheck).with_suffix(".d")
    files = build_inputs(depinfo)
    if not any(f.startswith("src/") for f in files):
        raise SystemExit(f"{depinfo}: no src/ file listed; build the binary first")

    flags = github_help(plancheck)
    problems = []
    print(f"== action.yml: {len(action.get('inputs') or {})} inputs, "
          f"{len(action.get('outputs') or {})} outputs; `plancheck github -h`: "
          f"{sum(1 for f in flags.values() if f['env'])} flags with a variable")
    problems += action_problems(action, flags)
    print(f"== plancheck steps in {len(a.workflows)} workflow(s)")
    for path in a.workflows:
        problems += workflow_problems(path, load_yaml(path.read_text(encoding="utf-8")), action,
                                      flags)
    print(f"== Dockerfile (build command: {a.ci_build})")
    problems += dockerfile_problems(dockerfile, a.ci_build, rust_version)
    print(f"== .dockerignore: the {len(files)} files the binary is built from")
    problems += dockerignore_problems(dockerignore, files)
    print("== negative controls: broken copies must be rejected")
    for name in negative_controls(action, flags, dockerfile, a.ci_build, rust_version,
                                  dockerignore, files):
        problems.append(f"negative control: the checks accepted {name}")
    print("== the binary run as the action runs it")
    tmp = Path(tempfile.mkdtemp(prefix="plancheck-action-"))
    try:
        problems += runtime_problems(plancheck, action, tmp)
    finally:
        if a.keep:
            print(f"   kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    for prob in problems:
        print(f"FAIL {prob}", file=sys.stderr)
    print(f"check_action: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
