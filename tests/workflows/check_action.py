"""The GitHub Action's packaging, checked against the binary it runs.

    python check_action.py --plancheck BIN WORKFLOW...

Run by tests/workflows/run, with the venv's Python (ruamel.yaml comes with check-jsonschema;
it reads YAML 1.2, as GitHub does, so `on:` stays a string). Checks:

1. action.yml is a composite action that builds nothing: steps `resolve` (action/install.sh
   picks the archive and version), `cache` (actions/cache, pinned by commit SHA, keyed by the
   archive's committed sum), `install` (action/install.sh downloads, verifies against the
   committed action/checksums.txt, unpacks) and `run` (`plancheck github "$INPUT_PATH"`);
   every step is bash, and no expression is expanded into a script (inputs reach scripts
   through `env`); every `${{ inputs.X }}` is declared and every declared input is used;
   each env value of the `run` step is exactly one input, so an empty input is an unset
   variable; each PLANCHECK_* variable is the one `plancheck github --help` lists for the
   flag named like the input (`filter-mode` -> `--filter-mode` [env: PLANCHECK_FILTER_MODE]);
   `token` goes to GITHUB_TOKEN, `path` to INPUT_PATH, the argument; every output is
   `${{ steps.<id>.outputs.<name> }}` of a step that exists; every input and output has a
   description; nothing in it compiles or builds an image.
2. The workflows (README.md's, the one `plancheck init` writes): every `with:` of a
   `plancheck/plancheck@` step is a declared input, a literal value of an input whose flag
   has possible values is one of them, and `steps.<id>.outputs.<name>` of such a step is a
   declared output.
3. Dockerfile: packages a release binary, compiles nothing: no RUN runs cargo or a compiler;
   the final stage copies `${TARGETOS}-${TARGETARCH}/plancheck` (the release workflow's
   build context), runs as uid 1001, and has ENTRYPOINT ["/usr/local/bin/plancheck"].
4. The `run` step's script run as GitHub runs it (bash, its env filled with the inputs'
   defaults, the token's default, an expression, left empty; the binary first on PATH, as the
   install step leaves it), with the step's environment (event file, GITHUB_OUTPUT,
   GITHUB_STEP_SUMMARY, GITHUB_REPOSITORY), in a git repository made from fixtures/demo:
   - a `push` event with every default: exit 0 or 1, a job summary, `findings=` and
     `new-errors=` outputs;
   - a `pull_request` event (head breaks a rule, working tree at a merge commit as
     actions/checkout leaves it) with `sarif` set, no token and an API that refuses
     connections: exit 1, `new-errors` >= 1, a job summary, and `sarif-file` naming a
     SARIF 2.1.0 file in the workspace.
5. Negative controls: broken copies of action.yml, a workflow and the Dockerfile must each be
   rejected by the checks above, so a checker that accepts everything cannot pass.

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

PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
STEP_OUTPUT = re.compile(r"^steps\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs\.([A-Za-z0-9_-]+)$")
# What a composite step may expand besides inputs and earlier steps' outputs.
CONTEXT_OK = {"runner.temp"}
STEPS = ["resolve", "cache", "install", "run"]
BUILDS = re.compile(r"\b(cargo|rustc|rustup|docker|podman|maturin|make|cc|gcc)\b")
RELEASES = "https://github.com/plancheck/plancheck/releases/download"


def run_step(action):
    steps = ((action.get("runs") or {}).get("steps")) or []
    return next((s for s in steps if isinstance(s, dict) and s.get("id") == "run"), None)


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
    if runs.get("using") != "composite":
        p.append(f"action.yml: runs.using is {runs.get('using')!r}, not 'composite' (a docker "
                 "action builds its image in every job)")
    for key in ("image", "args", "entrypoint", "main"):
        if key in runs:
            p.append(f"action.yml: runs.{key} belongs to a docker or node action")
    steps = runs.get("steps") or []
    ids = [s.get("id") for s in steps if isinstance(s, dict)]
    if ids != STEPS:
        p.append(f"action.yml: the steps are {ids}, expected {STEPS}")

    used = set()

    def refs(where, value, earlier):
        """Expressions in a value: inputs, earlier steps' outputs, runner.temp; else a problem."""
        names = []
        for expr in EXPR.findall(str(value)):
            m, o = INPUT_REF.match(expr), STEP_OUTPUT.match(expr)
            if m:
                if m.group(1) not in inputs:
                    p.append(f"action.yml: {where}: input `{m.group(1)}` is not declared")
                else:
                    names.append(m.group(1))
            elif o:
                if o.group(1) not in earlier:
                    p.append(f"action.yml: {where}: `{expr}` is not the output of an earlier step")
            elif expr not in CONTEXT_OK:
                p.append(f"action.yml: {where}: `${{{{ {expr} }}}}` is not an input, an earlier "
                         "step's output or runner.temp")
        used.update(names)
        return names

    earlier = []
    for i, step in enumerate(steps):
        if not isinstance(step, dict):
            p.append(f"action.yml: step {i} is not a mapping")
            continue
        sid = step.get("id") or f"#{i}"
        where = f"step `{sid}`"
        if "run" in step:
            script = str(step["run"])
            if step.get("shell") != "bash":
                p.append(f"action.yml: {where}: shell is {step.get('shell')!r}; bash runs on "
                         "Linux, macOS and Windows (Git Bash) runners alike")
            if EXPR.search(script):
                p.append(f"action.yml: {where}: an expression inside the script (template "
                         "injection); pass it through `env`")
            if BUILDS.search(script):
                p.append(f"action.yml: {where}: runs {BUILDS.search(script).group(1)}: the "
                         "action must download a release, never build")
        if "uses" in step:
            if not PINNED.match(str(step["uses"])):
                p.append(f"action.yml: {where}: `{step['uses']}` is not pinned to a commit SHA")
            for key, value in (step.get("with") or {}).items():
                refs(f"{where} with.{key}", value, earlier)
        for var, value in (step.get("env") or {}).items():
            refs(f"{where} env.{var}", value, earlier)
        earlier.append(step.get("id"))

    by_id = {s.get("id"): s for s in steps if isinstance(s, dict)}
    for sid in ("resolve", "install"):
        script = str((by_id.get(sid) or {}).get("run", ""))
        if f'action/install.sh" {sid}' not in script or \
                '--sums "$GITHUB_ACTION_PATH/action/checksums.txt"' not in script:
            p.append(f"action.yml: step `{sid}` must run action/install.sh {sid} with the "
                     "committed --sums \"$GITHUB_ACTION_PATH/action/checksums.txt\"")
    install = str((by_id.get("install") or {}).get("run", ""))
    if f'--base-url "{RELEASES}"' not in install:
        p.append(f"action.yml: step `install` must download from {RELEASES}")
    if "--github-path \"$GITHUB_PATH\"" not in install:
        p.append("action.yml: step `install` must put the binary on GITHUB_PATH")
    cache = by_id.get("cache") or {}
    if not str(cache.get("uses", "")).startswith("actions/cache@"):
        p.append("action.yml: step `cache` must use actions/cache")
    elif "steps.resolve.outputs.sha256" not in str((cache.get("with") or {}).get("key", "")):
        p.append("action.yml: the cache key must hold the archive's committed sha256")

    run = by_id.get("run") or {}
    script = str(run.get("run", "")).strip()
    if script != 'plancheck github "$INPUT_PATH"':
        p.append(f"action.yml: step `run` runs {script!r}, not `plancheck github \"$INPUT_PATH\"`")
    env = run.get("env") or {}
    for var, value in env.items():
        names = [n for n in (INPUT_REF.match(e) for e in EXPR.findall(str(value))) if n]
        if len(EXPR.findall(str(value))) != 1 or EXPR.sub("", str(value)) != "" or not names:
            p.append(f"action.yml: step `run` env.{var} = {value!r}: the value must be exactly "
                     "one `${{ inputs.<name> }}`, so an empty input leaves the variable empty "
                     "(unset)")
            continue
        name = names[0].group(1)
        if name == "token":
            if var != "GITHUB_TOKEN":
                p.append(f"action.yml: the token goes to {var}; plancheck reads GITHUB_TOKEN")
            continue
        if name == "path":
            if var != "INPUT_PATH":
                p.append(f"action.yml: the path goes to {var}; the script reads INPUT_PATH")
            continue
        if not var.startswith("PLANCHECK_"):
            p.append(f"action.yml: step `run` env.{var}: not a PLANCHECK_ variable")
        flag = flags.get(name)
        if flag is None:
            p.append(f"action.yml: input `{name}` has no flag `--{name}` in "
                     "`plancheck github --help`")
        elif flag["env"] != var:
            p.append(f"action.yml: env.{var} carries input `{name}`, but `--{name}` reads "
                     f"{flag['env'] or 'no environment variable'} (plancheck github --help)")
    for var in ("GITHUB_TOKEN", "INPUT_PATH"):
        if var not in env:
            p.append(f"action.yml: step `run` has no env.{var}")
    for name in inputs:
        if name not in used:
            p.append(f"action.yml: input `{name}` is declared but never used in runs")
    for name, spec in outputs.items():
        if not isinstance(spec, dict) or not str(spec.get("description") or "").strip():
            p.append(f"action.yml: output `{name}` has no description")
            continue
        value = str(spec.get("value", ""))
        m = STEP_OUTPUT.match(EXPR.fullmatch(value).group(1)) if EXPR.fullmatch(value) else None
        if not m or m.group(1) not in by_id:
            p.append(f"action.yml: output `{name}` = {value!r} is not "
                     "`${{ steps.<id>.outputs.<name> }}` of a step of the action")
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


def dockerfile_problems(text):
    p = []
    ins = dockerfile_instructions(text)
    froms = [i for i, (w, _) in enumerate(ins) if w == "FROM"]
    if not froms:
        return ["Dockerfile: no FROM"]
    for w, a in ins:
        if w == "RUN" and re.search(r"\b(cargo|rustc|rustup|gcc|cc|clang|make|go build)\b", a):
            p.append(f"Dockerfile: `RUN {a}` compiles; the image packages the release binary")
    for i in froms:
        image = ins[i][1].split()
        image = [x for x in image if not x.startswith("--platform")]
        if image and image[0] != "scratch" and (":" not in image[0]
                                                 or image[0].endswith(":latest")):
            p.append(f"Dockerfile: {image[0]!r} has no pinned tag")
    final = ins[froms[-1] + 1:]
    copies = [a for w, a in final if w == "COPY"]
    if not any(re.fullmatch(r"(--chmod=0?755 )?\$\{TARGETOS\}-\$\{TARGETARCH\}/plancheck "
                            r"/usr/local/bin/plancheck", a) for a in copies):
        p.append("Dockerfile: the final stage must COPY ${TARGETOS}-${TARGETARCH}/plancheck (the "
                 "release binary the release workflow puts in the build context) to "
                 "/usr/local/bin/plancheck")
    args = {a for w, a in final if w == "ARG"}
    if not {"TARGETOS", "TARGETARCH"} <= args:
        p.append("Dockerfile: the final stage must declare ARG TARGETOS and ARG TARGETARCH")
    users = [a for w, a in final if w == "USER"]
    if not users or not re.match(r"^1001(:\d+)?$", users[-1]):
        p.append("Dockerfile: the final stage must run as USER 1001 (not root; the runner's "
                 "uid, owner of a mounted checkout)")
    entry = [a for w, a in final if w == "ENTRYPOINT"]
    if [e.replace(" ", "") for e in entry] != ['["/usr/local/bin/plancheck"]']:
        p.append(f'Dockerfile: ENTRYPOINT must be ["/usr/local/bin/plancheck"], not {entry}')
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
    """Runs the `run` step's script as GitHub runs it: bash, the step's env, the binary on
    PATH (where the install step puts it). Returns (code, outputs, summary, log)."""
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
    step = run_step(action) or {}
    for var, value in (step.get("env") or {}).items():
        env[var] = fill(value)
    env["PATH"] = f"{Path(plancheck).parent}{os.pathsep}{env['PATH']}"
    script = str(step.get("run", ""))
    try:
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                           cwd=workspace, env=env, capture_output=True, text=True,
                           timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, {}, "", f"timed out after {RUN_TIMEOUT} s"
    log = f"$ {script.strip()}\n{r.stdout}{r.stderr}"
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


# ---------------------------------------------------------------- 5. negative controls

def negative_controls(action, flags, dockerfile):
    """Each broken copy must be rejected; returns the copies that were not."""
    def mutate(f):
        a = copy.deepcopy(action)
        f(a)
        return a

    def step(a, sid):
        return next(s for s in a["runs"]["steps"] if s.get("id") == sid)

    env = lambda a: step(a, "run")["env"]  # noqa: E731
    broken_actions = {
        "an undeclared input in env":
            mutate(lambda a: env(a).update(PLANCHECK_CONFIG="${{ inputs.configuration }}")),
        "a declared input never used":
            mutate(lambda a: a["inputs"].update(unused={"description": "x", "default": ""})),
        "a variable plancheck does not read":
            mutate(lambda a: env(a).update(PLANCHECK_NO_SUCH="${{ inputs.config }}")),
        "two inputs swapped":
            mutate(lambda a: env(a).update(PLANCHECK_COMMENT="${{ inputs.review }}",
                                           PLANCHECK_REVIEW="${{ inputs.comment }}")),
        "an input expanded into the script":
            mutate(lambda a: step(a, "run").update(
                run='plancheck github "$INPUT_PATH" --fail-on "${{ inputs.fail-on }}"')),
        "an input with text around it in env":
            mutate(lambda a: env(a).update(PLANCHECK_SARIF="x-${{ inputs.sarif }}")),
        "a default plancheck rejects":
            mutate(lambda a: a["inputs"]["filter-mode"].update(default="add")),
        "a step that compiles":
            mutate(lambda a: step(a, "install").update(run="cargo install plancheck")),
        "an action pinned by tag":
            mutate(lambda a: step(a, "cache").update(uses="actions/cache@v5")),
        "sums fetched beside the binary":
            mutate(lambda a: step(a, "install").update(run=step(a, "install")["run"].replace(
                '--sums "$GITHUB_ACTION_PATH/action/checksums.txt"', '--sums "$RUNNER_TEMP/s"'))),
        "an output of a step that does not exist":
            mutate(lambda a: a["outputs"]["findings"].update(
                value="${{ steps.plancheck.outputs.findings }}")),
        "a docker action":
            mutate(lambda a: a["runs"].update(using="docker", image="Dockerfile")),
    }
    missed = [name for name, a in broken_actions.items() if not action_problems(a, flags)]
    bad_workflow = {"jobs": {"j": {"steps": [
        {"id": "pc", "uses": "plancheck/plancheck@v1", "with": {"filter_mode": "added"}},
        {"uses": "x/y@v1", "with": {"f": "${{ steps.pc.outputs.sarif_file }}"}}]}}}
    if len(workflow_problems("broken", bad_workflow, action, flags)) < 2:
        missed.append("a workflow with an unknown input and an unknown output")
    if not dockerfile_problems(dockerfile + "\nRUN cargo build --release --locked\n"):
        missed.append("a Dockerfile that compiles")
    if not dockerfile_problems(re.sub(r"(?m)^USER .*$", "USER root", dockerfile)):
        missed.append("a Dockerfile that runs as root")
    if not dockerfile_problems(dockerfile.replace("${TARGETOS}-${TARGETARCH}/plancheck",
                                                  "plancheck")):
        missed.append("a Dockerfile that copies one binary for every platform")
    return missed


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plancheck", required=True)
    ap.add_argument("--keep", action="store_true", help="keep the temp workspace")
    ap.add_argument("workflows", nargs="*", type=Path)
    a = ap.parse_args()
    plancheck = str(Path(a.plancheck).resolve())

    action = load_yaml((ROOT / "action.yml").read_text(encoding="utf-8"))
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")

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
    print("== Dockerfile: packages the release binary")
    problems += dockerfile_problems(dockerfile)
    print("== negative controls: broken copies must be rejected")
    for name in negative_controls(action, flags, dockerfile):
        problems.append(f"negative control: the checks accepted {name}")
    print("== the action's run step, run as GitHub runs it")
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
