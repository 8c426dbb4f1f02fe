#!/usr/bin/env python3
"""The hooks of .pre-commit-hooks.yaml under the real pre-commit (run by tests/precommit/run).

Every check works on a temp git repository made from fixtures/demo, with a git
configuration of its own (HOME in a temp dir, GIT_CONFIG_NOSYSTEM=1, no GIT_* variable
from the caller), and asserts on what pre-commit itself prints and returns. Expected
locations are derived from the files the check edits, never written down as numbers.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

# The date the integration tests pin (tests/cli/common.rs NOW). The demo carries a waiver
# that expires and a review date that goes stale; the hooks cannot pass --now, so the
# environment does (plancheck reads PLANCHECK_NOW), keeping this test the same every day.
PLANCHECK_NOW = "2026-11-24"

SYSTEM_HOOK = "plancheck-system"
RUST_HOOK = "plancheck-src"
PYTHON_HOOK = "plancheck"
# pre-commit cold and warm times of the python hook, from the issue that made it: the tools
# users compare plancheck with start in 6-7 s cold and 0.3 s warm. A run slower than twice
# the target fails (that is compiling, or fetching from the wrong place, not noise).
COLD_TARGET_S = 15.0
WARM_TARGET_S = 1.0
HUMAN_ERROR = "incident-response/threats/human-error.yaml"
CONTACTS = "incident-response/contacts.yaml"
# Picked by reading the demo: gus is a key contact of the k8s-storage area
# (areas.yaml) and a member and on-call of the storage team (teams.yaml).
REMOVED_CONTACT = "gus"
OWNERLESS_THREAT = "THR-007"  # a human-error threat with an `owner:` line of its own
RETITLED_THREAT = "THR-001"

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# A finding in plancheck's human output: `error[rule]: message` then `  --> path:line:col`.
FINDING = re.compile(
    r"^(?P<severity>error|warning)\[(?P<rule>[^\]]+)\]: (?P<message>.*)\n"
    r"\s*--> (?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+)\s*$",
    re.M,
)
# pre-commit's status line for one hook: `name.....Passed`, `name...(no files to check)Skipped`.
STATUS = re.compile(
    r"^(?P<name>.+?)\.{3,}(?P<nofiles>\(no files to check\))?"
    r"(?P<status>Passed|Failed|Skipped)$",
    re.M,
)


class Failed(Exception):
    def __init__(self, reason: str, output: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.output = output


class Skip(Exception):
    pass


def check(cond: bool, reason: str, output: str = "") -> None:
    if not cond:
        raise Failed(reason, output)


# --- plan edits -------------------------------------------------------------------------


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines), encoding="utf-8")


def list_item_block(lines: list[str], item_id: str) -> tuple[int, int]:
    """The [start, end) line indexes of the YAML list item `- id: ITEM_ID`."""
    head = re.compile(r"^(?P<indent>\s*)- id: " + re.escape(item_id) + r"\s*(#.*)?$")
    for start, text in enumerate(lines):
        m = head.match(text)
        if m:
            body_indent = len(m.group("indent")) + 2
            end = start + 1
            while end < len(lines):
                t = lines[end]
                indent = len(t) - len(t.lstrip(" "))
                # A shallower line (the next item, a section comment) or a blank line
                # (the demo's layout between items) ends the item.
                if not t.strip() or indent < body_indent:
                    break
                end += 1
            return start, end
    raise Failed(f"no `- id: {item_id}` in the file")


def id_location(lines: list[str], item_id: str) -> tuple[int, int]:
    """1-based line and column of the `id` key of item ITEM_ID (where findings point)."""
    start, _ = list_item_block(lines, item_id)
    return start + 1, lines[start].index("id:") + 1


def remove_owner(path: Path, threat: str) -> tuple[int, int]:
    """Delete the threat's `owner:` line; return where its finding must point."""
    lines = read_lines(path)
    start, end = list_item_block(lines, threat)
    owners = [i for i in range(start, end) if re.match(r"^\s+owner:", lines[i])]
    check(len(owners) == 1, f"{threat} in {path.name} has {len(owners)} owner lines, expected 1")
    del lines[owners[0]]
    write_lines(path, lines)
    return id_location(lines, threat)


def retitle(path: Path, threat: str) -> None:
    """A change that breaks nothing: reword the threat's title."""
    lines = read_lines(path)
    start, end = list_item_block(lines, threat)
    titles = [i for i in range(start, end) if re.match(r"^\s+title: ", lines[i])]
    check(len(titles) == 1, f"{threat} has no single title line")
    lines[titles[0]] += " (reviewed)"
    write_lines(path, lines)


# --- the harness --------------------------------------------------------------------------


class Harness:
    def __init__(self, args: argparse.Namespace, tmp: Path):
        self.checkout = Path(args.checkout).resolve()
        venv = Path(args.venv)
        if not venv.is_absolute():
            venv = self.checkout / venv
        self.pre_commit = str(venv / "bin" / "pre-commit")
        self.bin_dir = Path(args.bin_dir).resolve()
        self.cache_dir = Path(args.cache_dir).resolve()
        self.index_url = args.index_url
        self.tmp = tmp
        self.hook_names = manifest_names(self.checkout / ".pre-commit-hooks.yaml")
        self.env = self._isolated_env()
        self._base: Path | None = None
        self._installed: Path | Failed | None = None
        self._count = 0

    def _isolated_env(self) -> dict[str, str]:
        home = self.tmp / "home"
        (home / ".config").mkdir(parents=True)
        real_home = Path(os.environ.get("HOME", str(Path.home())))
        drop = {"SKIP", "FORCE_COLOR", "NO_COLOR", "CLICOLOR_FORCE", "XDG_CONFIG_HOME",
                "CARGO_TARGET_DIR", "PLANCHECK_NOW"}
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("GIT_", "PRE_COMMIT", "PIP_")) and k not in drop
        }
        env.update(
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / ".config"),
            GIT_CONFIG_NOSYSTEM="1",
            GIT_TERMINAL_PROMPT="0",
            # HOME moved: keep cargo and rustup where they are, for the rust hook.
            CARGO_HOME=os.environ.get("CARGO_HOME", str(real_home / ".cargo")),
            RUSTUP_HOME=os.environ.get("RUSTUP_HOME", str(real_home / ".rustup")),
            PATH=f"{self.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            PRE_COMMIT_HOME=str(self.cache_dir / "pre-commit-home"),
            PLANCHECK_NOW=PLANCHECK_NOW,
        )
        return env

    def run(self, cmd: list[str], cwd: Path, timeout: float = 600,
            extra_env: dict[str, str] | None = None) -> tuple[int, str]:
        env = dict(self.env, **(extra_env or {}))
        p = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
        return p.returncode, ANSI.sub("", p.stdout.decode("utf-8", "replace"))

    def git(self, repo: Path, *args: str) -> str:
        rc, out = self.run(["git", *args], repo)
        if rc != 0:
            raise Failed(f"git {' '.join(args)} exited {rc}", out)
        return out

    def base(self) -> Path:
        """fixtures/demo committed in a fresh repository (made once, copied per check)."""
        if self._base is None:
            base = self.tmp / "base"
            shutil.copytree(self.checkout / "fixtures" / "demo", base, symlinks=True)
            self.git(base, "init", "-q", "-b", "main")
            self.git(base, "config", "user.name", "plancheck hook test")
            self.git(base, "config", "user.email", "hooks@plancheck.invalid")
            self.git(base, "add", "-A")
            self.git(base, "commit", "-q", "-m", "demo plan")
            self._base = base
        return self._base

    def fresh(self, name: str) -> Path:
        self._count += 1
        repo = self.tmp / f"{self._count:02d}-{name}"
        shutil.copytree(self.base(), repo, symlinks=True)
        return repo

    def try_repo(self, repo: Path, hook: str, *extra: str, source: Path | None = None,
                 timeout: float = 600, extra_env: dict[str, str] | None = None
                 ) -> tuple[int, str]:
        return self.run([self.pre_commit, "try-repo", "--color", "never",
                         str(source or self.checkout), hook, *extra],
                        repo, timeout=timeout, extra_env=extra_env)

    def plancheck_json(self, repo: Path, *args: str) -> tuple[int, dict]:
        rc, out = self.run(["plancheck", "check", *args, "--format", "json"], repo)
        try:
            return rc, json.loads(out)
        except ValueError:
            raise Failed(f"{' '.join(['plancheck', 'check', *args])} --format json printed no JSON "
                         f"(exit {rc})", out) from None

    def status(self, out: str, hook: str) -> str:
        """pre-commit's verdict on HOOK: Passed, Failed, Skipped or `(no files)Skipped`."""
        name = self.hook_names.get(hook, hook)
        for m in STATUS.finditer(out):
            if m.group("name") == name:
                return (m.group("nofiles") or "") + m.group("status")
        raise Failed(f"pre-commit printed no status line for hook `{name}`", out)

    def installed(self) -> Path:
        """A demo copy with `pre-commit install` done, its config at this checkout's HEAD."""
        if isinstance(self._installed, Failed):
            raise self._installed
        if self._installed is None:
            try:
                self._installed = self._install()
            except Failed as e:
                self._installed = Failed(f"setting up the installed hook: {e.reason}", e.output)
                raise self._installed from None
        return self._installed

    def _install(self) -> Path:
        manifest = ".pre-commit-hooks.yaml"
        dirty = self.git(self.checkout, "status", "--porcelain", "--untracked-files=all",
                         "--", manifest).strip()
        check(not dirty,
              f"{manifest} has uncommitted changes in {self.checkout} ({dirty!r}): "
              "an installed hook is cloned at `rev`, the HEAD commit, so it would not be "
              f"the {manifest} of the working tree. Commit it, then run again.")
        sha = self.git(self.checkout, "rev-parse", "HEAD").strip()
        rc, _ = self.run(["git", "cat-file", "-e", f"{sha}:{manifest}"], self.checkout)
        check(rc == 0, f"HEAD ({sha}) has no {manifest}: commit it, then run again")
        repo = self.fresh("installed")
        (repo / ".pre-commit-config.yaml").write_text(
            "repos:\n"
            f"  - repo: {json.dumps(str(self.checkout))}\n"
            f"    rev: {sha}\n"
            "    hooks:\n"
            f"      - id: {SYSTEM_HOOK}\n",
            encoding="utf-8",
        )
        self.git(repo, "add", ".pre-commit-config.yaml")
        self.git(repo, "commit", "-q", "-m", "pre-commit configuration")
        rc, out = self.run([self.pre_commit, "install"], repo)
        check(rc == 0, f"pre-commit install exited {rc}", out)
        check((repo / ".git" / "hooks" / "pre-commit").is_file(),
              "pre-commit install wrote no .git/hooks/pre-commit", out)
        return repo

    def commit(self, repo: Path, message: str) -> tuple[int, str, bool]:
        """git commit with the installed hook; returns (exit, output, whether HEAD moved)."""
        before = self.git(repo, "rev-parse", "HEAD").strip()
        rc, out = self.run(["git", "commit", "-m", message], repo)
        after = self.git(repo, "rev-parse", "HEAD").strip()
        return rc, out, before != after


def manifest_names(path: Path) -> dict[str, str]:
    """id -> name of the hooks in .pre-commit-hooks.yaml (a flat list; no YAML library)."""
    names: dict[str, str] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^- id:\s*(\S+)", line)
        if m:
            current = m.group(1)
            continue
        m = re.match(r"^\s+name:\s*(.+?)\s*$", line)
        if m and current:
            names[current] = m.group(1).strip("'\"")
    return names


def findings(out: str) -> list[tuple[str, str, str]]:
    """(rule, message, path:line:col) of every finding in plancheck's human output."""
    return [(m["rule"], m["message"], f"{m['path']}:{m['line']}:{m['col']}")
            for m in FINDING.finditer(out)]


def expect_blocked(h: Harness, out: str, rc: int, hook: str = SYSTEM_HOOK) -> None:
    check(rc != 0, f"pre-commit exited 0: the change was not blocked", out)
    status = h.status(out, hook)
    check(status == "Failed", f"hook status is {status}, expected Failed", out)
    # plancheck's 1 is "findings"; 2 would mean the run itself failed.
    check("- exit code: 1\n" in out, "the hook did not exit 1 (findings)", out)


def expect_finding(out: str, rule: str, location: str, message: str | None = None) -> None:
    found = findings(out)
    hit = [f for f in found if f[0] == rule and f[2] == location
           and (message is None or f[1] == message)]
    want = f"error[{rule}]" + (f": {message}" if message else "") + f" at {location}"
    check(bool(hit), f"no {want} in pre-commit's output (findings seen: {found})", out)


# --- the checks --------------------------------------------------------------------------


def check_manifest(h: Harness) -> str:
    rc, out = h.run([h.pre_commit, "validate-manifest", ".pre-commit-hooks.yaml"], h.checkout)
    check(rc == 0, f"pre-commit validate-manifest exited {rc}", out)
    known = {PYTHON_HOOK, RUST_HOOK, SYSTEM_HOOK}
    check(set(h.hook_names) == known,
          f"the manifest defines hooks {sorted(h.hook_names)}, this test knows "
          f"{sorted(known)}", out)
    return f"pre-commit validate-manifest accepts it; hooks {', '.join(sorted(h.hook_names))}"


def check_base_clean(h: Harness) -> str:
    rc, report = h.plancheck_json(h.base(), "--staged")
    check(rc == 0 and not report.get("findings"),
          f"plancheck check --staged on the committed demo exits {rc} with "
          f"{len(report.get('findings', []))} findings; every check assumes a clean base",
          json.dumps(report, indent=2))
    return "plancheck check --staged on the committed fixtures/demo copy: no findings"


def check_clean(h: Harness) -> str:
    repo = h.fresh("clean")
    retitle(repo / HUMAN_ERROR, RETITLED_THREAT)
    h.git(repo, "add", HUMAN_ERROR)
    rc, out = h.try_repo(repo, SYSTEM_HOOK)
    status = h.status(out, SYSTEM_HOOK)
    check(rc == 0 and status == "Passed",
          f"try-repo exited {rc}, hook {status}; expected 0 and Passed", out)
    return f"staged retitle of {RETITLED_THREAT}: try-repo exit 0, hook Passed"


def check_broken(h: Harness) -> str:
    repo = h.fresh("broken")
    line, col = remove_owner(repo / HUMAN_ERROR, OWNERLESS_THREAT)
    h.git(repo, "add", HUMAN_ERROR)
    location = f"{HUMAN_ERROR}:{line}:{col}"
    # Where plancheck itself puts the finding must agree with the threat's `id` line.
    _, report = h.plancheck_json(repo, "--staged")
    got = [f"{f['location']['path']}:{f['location']['line']}:{f['location']['column']}"
           for f in report["findings"] if f["rule"] == "threat-owner"]
    check(got == [location], f"plancheck --format json locates threat-owner at {got}, "
          f"the threat's id is at {location}", json.dumps(report, indent=2))
    rc, out = h.try_repo(repo, SYSTEM_HOOK)
    expect_blocked(h, out, rc)
    expect_finding(out, "threat-owner", location, f"threat {OWNERLESS_THREAT} has no owner")
    return f"owner of {OWNERLESS_THREAT} removed: try-repo exit {rc}, error[threat-owner] at {location}"


def check_staged_not_worktree(h: Harness) -> str:
    repo = h.fresh("staged-broken-worktree-fixed")
    path = repo / HUMAN_ERROR
    original = path.read_bytes()
    line, col = remove_owner(path, OWNERLESS_THREAT)
    h.git(repo, "add", HUMAN_ERROR)
    broken_index = h.git(repo, "show", f":{HUMAN_ERROR}")
    path.write_bytes(original)  # fixed in the working tree, not staged
    rc, _ = h.run(["git", "diff", "--quiet", "--", HUMAN_ERROR], repo)
    check(rc == 1, "setup: the working-tree fix does not differ from the index")
    rc, out = h.try_repo(repo, SYSTEM_HOOK)
    expect_blocked(h, out, rc)
    location = f"{HUMAN_ERROR}:{line}:{col}"
    expect_finding(out, "threat-owner", location)
    check(path.read_bytes() == original,
          "pre-commit did not give the unstaged fix back to the working tree", out)
    check(h.git(repo, "show", f":{HUMAN_ERROR}") == broken_index,
          "the index changed during the run", out)
    return (f"broken {OWNERLESS_THREAT} staged, fixed only in the working tree: blocked at "
            f"{location}; the unstaged fix is still in the working tree afterwards")


DRAFT = """\
apiVersion: plancheck.dev/v1
kind: IncidentResponsePlan
threats:
  - id: THR-900
    title: Draft threat that nobody owns yet
    source: human_error
    area: control-plane
    severity: SEV3
"""


def check_untracked_ignored(h: Harness) -> str:
    repo = h.fresh("untracked-draft")
    retitle(repo / HUMAN_ERROR, RETITLED_THREAT)
    h.git(repo, "add", HUMAN_ERROR)  # a plan file is staged, so the hook does run
    draft = "incident-response/threats/draft.yaml"
    (repo / draft).write_text(DRAFT, encoding="utf-8")
    # The draft would block if the hook read the working tree: prove it, so this check
    # cannot pass because the draft is malformed or ignored for another reason.
    rc, report = h.plancheck_json(repo)
    at = [f["location"]["path"] for f in report["findings"] if f["rule"] == "threat-owner"]
    check(rc == 1 and draft in at, f"setup: `plancheck check` (working tree) does not report "
          f"the untracked draft (exit {rc}, threat-owner findings at {at})",
          json.dumps(report, indent=2))
    rc, out = h.try_repo(repo, SYSTEM_HOOK)
    status = h.status(out, SYSTEM_HOOK)
    check(rc == 0 and status == "Passed",
          f"try-repo exited {rc}, hook {status}: the untracked {draft}, which is not part "
          "of the commit, blocked it", out)
    check((repo / draft).is_file(), "the untracked draft is gone after the run", out)
    return (f"untracked {draft} without an owner (reported by a working-tree check) does "
            "not block a commit of a clean staged change: exit 0, hook Passed")


def check_cross_file(h: Harness) -> str:
    repo = h.fresh("contact-removed")
    path = repo / CONTACTS
    lines = read_lines(path)
    start, end = list_item_block(lines, REMOVED_CONTACT)
    del lines[start:end]
    write_lines(path, lines)
    h.git(repo, "add", CONTACTS)
    # Every remaining mention of the contact in another plan file is a dangling reference.
    word = re.compile(r"\b" + re.escape(REMOVED_CONTACT) + r"\b")
    expected = []
    for f in sorted((repo / "incident-response").rglob("*")):
        rel = f.relative_to(repo).as_posix()
        if not f.is_file() or rel == CONTACTS:
            continue
        for n, text in enumerate(f.read_text(encoding="utf-8").split("\n"), 1):
            code = text.split("#", 1)[0] if f.suffix != ".json" else text
            for m in word.finditer(code):
                expected.append(f"{rel}:{n}:{m.start() + 1}")
    check(bool(expected), f"setup: {REMOVED_CONTACT} is mentioned in no other plan file")
    _, report = h.plancheck_json(repo, "--staged")
    ref = {f"{f['location']['path']}:{f['location']['line']}:{f['location']['column']}"
           for f in report["findings"] if f["rule"] == "ref-resolves"}
    check(set(expected) <= ref, f"plancheck --format json reports ref-resolves at "
          f"{sorted(ref)}, the references to {REMOVED_CONTACT} are at {expected}",
          json.dumps(report, indent=2))
    rc, out = h.try_repo(repo, SYSTEM_HOOK)
    expect_blocked(h, out, rc)
    for location in expected:
        expect_finding(out, "ref-resolves", location)
    inside = [f for f in findings(out) if f[2].startswith(CONTACTS + ":")]
    check(not inside, f"findings located in the edited file itself: {inside}", out)
    return (f"contact {REMOVED_CONTACT} removed from {CONTACTS} only: blocked with "
            f"error[ref-resolves] at {', '.join(expected)}")


def check_installed_blocks(h: Harness) -> str:
    repo = h.installed()
    line, col = remove_owner(repo / HUMAN_ERROR, OWNERLESS_THREAT)
    h.git(repo, "add", HUMAN_ERROR)
    rc, out, moved = h.commit(repo, "drop an owner")
    location = f"{HUMAN_ERROR}:{line}:{col}"
    try:
        check(not moved, "git commit recorded the broken change", out)
        expect_blocked(h, out, rc)
        expect_finding(out, "threat-owner", location, f"threat {OWNERLESS_THREAT} has no owner")
    finally:
        h.git(repo, "reset", "-q", "--hard", "HEAD")
    return f"git commit refused (exit {rc}), error[threat-owner] at {location}"


def check_installed_allows(h: Harness) -> str:
    repo = h.installed()
    retitle(repo / HUMAN_ERROR, RETITLED_THREAT)
    h.git(repo, "add", HUMAN_ERROR)
    rc, out, moved = h.commit(repo, "reword a threat")
    status = h.status(out, SYSTEM_HOOK)
    check(rc == 0 and moved and status == "Passed",
          f"git commit exited {rc}, commit recorded: {moved}, hook {status}", out)
    return "git commit of a clean change: exit 0, committed, hook Passed"


def check_readme_skipped(h: Harness) -> str:
    repo = h.installed()
    with open(repo / "README.md", "a", encoding="utf-8") as f:
        f.write("\nOn-call questions go to #platform-sre.\n")
    h.git(repo, "add", "README.md")
    rc, out, moved = h.commit(repo, "README only")
    status = h.status(out, SYSTEM_HOOK)
    check(rc == 0 and moved and status == "(no files to check)Skipped",
          f"git commit exited {rc}, committed: {moved}, hook {status}; "
          "expected the hook not to run", out)
    return "git commit touching only README.md: exit 0, hook (no files to check)Skipped"


def check_codeowners_runs(h: Harness) -> str:
    repo = h.installed()
    codeowners = ".github/CODEOWNERS"
    with open(repo / codeowners, "a", encoding="utf-8") as f:
        f.write("# reviewed\n")
    h.git(repo, "add", codeowners)
    rc, out, moved = h.commit(repo, "CODEOWNERS only")
    status = h.status(out, SYSTEM_HOOK)
    check(rc == 0 and moved and status == "Passed",
          f"git commit exited {rc}, committed: {moved}, hook {status}; expected the hook "
          "to run on a CODEOWNERS change and pass", out)
    return f"git commit touching only {codeowners}: the hook runs and passes"


def check_snapshot(h: Harness) -> str:
    clone = h.tmp / "checkout-clone"
    h.git(h.tmp, "clone", "-q", str(h.checkout), str(clone))
    manifest = clone / ".pre-commit-hooks.yaml"
    marker = "plancheck uncommitted-marker"
    text = manifest.read_text(encoding="utf-8")
    name = h.hook_names[SYSTEM_HOOK]
    check(f"name: {name}\n" in text, f"setup: no `name: {name}` in the committed manifest")
    manifest.write_text(text.replace(f"name: {name}\n", f"name: {marker}\n"), encoding="utf-8")
    repo = h.fresh("snapshot")
    retitle(repo / HUMAN_ERROR, RETITLED_THREAT)
    h.git(repo, "add", HUMAN_ERROR)
    rc, out = h.try_repo(repo, SYSTEM_HOOK, source=clone)
    check("Creating temporary repo with uncommitted changes" in out,
          "pre-commit did not snapshot the uncommitted change", out)
    statuses = {m["name"]: m["status"] for m in STATUS.finditer(out)}
    check(statuses.get(marker) == "Passed" and rc == 0,
          f"try-repo exited {rc} with hook statuses {statuses}; expected the uncommitted "
          f"name `{marker}` to have Passed", out)
    return ("try-repo on a checkout with an uncommitted .pre-commit-hooks.yaml edit runs "
            "the edited hook")


def check_rust_hook(h: Harness) -> str:
    if os.environ.get("PLANCHECK_SKIP_RUST_HOOK") == "1":
        raise Skip("PLANCHECK_SKIP_RUST_HOOK=1")
    repo = h.fresh("rust-hook")
    started = time.monotonic()
    # try-repo uses a store of its own in a temp dir, so PRE_COMMIT_HOME cannot keep the
    # hook's build; a CARGO_TARGET_DIR does (cargo install builds there when it is set).
    rc, out = h.try_repo(repo, RUST_HOOK, "--all-files", timeout=3600,
                         extra_env={"CARGO_TARGET_DIR": str(h.cache_dir / "precommit-cargo")})
    took = time.monotonic() - started
    status = h.status(out, RUST_HOOK)
    check(rc == 0 and status == "Passed",
          f"try-repo {RUST_HOOK} --all-files exited {rc}, hook {status} ({took:.0f}s)", out)
    return f"language: rust hook built by pre-commit with cargo install, --all-files Passed ({took:.0f}s)"


def python_env(h: Harness, cache: Path) -> dict[str, str]:
    """The python hook's environment: the local index as the only index, no real PyPI.

    Any request that does not go to the loopback index goes to a proxy nothing listens on, so
    a pip that reached for pypi.org would fail instead of passing quietly. The release
    binary's directory is taken off PATH: a hook that did not install plancheck cannot run
    the system one.
    """
    if not h.index_url:
        raise Skip("needs the plancheck wheel on a package index: tests/dist/run builds "
                   "both and runs these checks with --index-url")
    path = os.pathsep.join(p for p in h.env["PATH"].split(os.pathsep)
                           if p and Path(p).resolve() != h.bin_dir)
    found = shutil.which("plancheck", path=path)
    check(found is None, f"setup: a plancheck on PATH besides the release build ({found})")
    dead = "http://127.0.0.1:9"
    return {
        "PATH": path,
        "PIP_INDEX_URL": h.index_url,
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_CACHE_DIR": str(cache),
        "HTTP_PROXY": dead, "HTTPS_PROXY": dead, "http_proxy": dead, "https_proxy": dead,
        "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
    }


def check_python_clean(h: Harness) -> str:
    repo = h.fresh("python-clean")
    retitle(repo / HUMAN_ERROR, RETITLED_THREAT)
    h.git(repo, "add", HUMAN_ERROR)
    env = python_env(h, h.tmp / "pip-cache-try-repo")
    started = time.monotonic()
    rc, out = h.try_repo(repo, PYTHON_HOOK, extra_env=env)
    took = time.monotonic() - started
    status = h.status(out, PYTHON_HOOK)
    check(rc == 0 and status == "Passed",
          f"try-repo {PYTHON_HOOK} exited {rc}, hook {status} ({took:.1f}s)", out)
    return (f"python hook from the local index, staged retitle: try-repo exit 0, hook Passed "
            f"({took:.1f}s, a new hook environment)")


def check_python_broken(h: Harness) -> str:
    repo = h.fresh("python-broken")
    line, col = remove_owner(repo / HUMAN_ERROR, OWNERLESS_THREAT)
    h.git(repo, "add", HUMAN_ERROR)
    location = f"{HUMAN_ERROR}:{line}:{col}"
    rc, out = h.try_repo(repo, PYTHON_HOOK,
                         extra_env=python_env(h, h.tmp / "pip-cache-try-repo"))
    expect_blocked(h, out, rc, PYTHON_HOOK)
    expect_finding(out, "threat-owner", location, f"threat {OWNERLESS_THREAT} has no owner")
    return f"python hook: owner of {OWNERLESS_THREAT} removed, blocked with error[threat-owner] at {location}"


def hook_source(h: Harness) -> tuple[Path, str]:
    """This checkout's files as try-repo sees them (tracked and untracked, not ignored),
    committed in a repository of their own: what a user's `rev:` points at."""
    src = h.tmp / "hook-source"
    if not src.exists():
        rc, listing = h.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], h.checkout)
        check(rc == 0, "git ls-files failed in the checkout", listing)
        for rel in sorted(set(filter(None, listing.split("\0")))):
            f = h.checkout / rel
            if f.is_file():
                (src / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(f, src / rel)
        h.git(src, "init", "-q", "-b", "main")
        h.git(src, "add", "-A")
        h.git(src, "-c", "user.name=t", "-c", "user.email=t@plancheck.invalid",
              "commit", "-q", "-m", "hook source")
    return src, h.git(src, "rev-parse", "HEAD").strip()


def check_python_cold_warm(h: Harness) -> str:
    env = python_env(h, h.tmp / "pip-cache-cold-warm")
    src, sha = hook_source(h)
    home = h.tmp / "pre-commit-home-python"
    env["PRE_COMMIT_HOME"] = str(home)
    repo = h.fresh("python-cold-warm")
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {json.dumps(str(src))}\n"
        f"    rev: {sha}\n"
        "    hooks:\n"
        f"      - id: {PYTHON_HOOK}\n",
        encoding="utf-8",
    )
    retitle(repo / HUMAN_ERROR, RETITLED_THREAT)
    h.git(repo, "add", "-A")
    cmd = [h.pre_commit, "run", "--color", "never", PYTHON_HOOK]
    times = []
    for _ in range(4):  # the first run installs the hook; the others find it installed
        started = time.monotonic()
        rc, out = h.run(cmd, repo, extra_env=env)
        times.append(time.monotonic() - started)
        status = h.status(out, PYTHON_HOOK)
        check(rc == 0 and status == "Passed",
              f"pre-commit run {PYTHON_HOOK} exited {rc}, hook {status}", out)
    cold, warm = times[0], sorted(times[1:])[1]
    # The hook's environment holds the wheel's plancheck, the version of this checkout.
    bins = sorted(home.glob("repo*/py_env-*/bin/plancheck"))
    check(len(bins) == 1, f"pre-commit's store holds {len(bins)} plancheck executables "
          f"({bins}), expected the wheel's one")
    rc, version = h.run([str(bins[0]), "--version"], repo)
    cargo_version = re.search(r'(?m)^version\s*=\s*"([^"]+)"',
                              (h.checkout / "Cargo.toml").read_text(encoding="utf-8"))
    check(rc == 0 and cargo_version is not None and cargo_version.group(1) in version,
          f"the hook's plancheck says {version.strip()!r}, Cargo.toml has "
          f"{cargo_version.group(1) if cargo_version else None}")
    verdict = (f"cold {cold:.1f}s (target <= {COLD_TARGET_S:.0f}s: "
               f"{'met' if cold <= COLD_TARGET_S else 'MISSED'}), "
               f"warm {warm:.2f}s (median of 3; target <= {WARM_TARGET_S:.0f}s: "
               f"{'met' if warm <= WARM_TARGET_S else 'MISSED'})")
    print(f"   pre-commit python hook: {verdict}", flush=True)
    check(cold <= 2 * COLD_TARGET_S and warm <= 2 * WARM_TARGET_S,
          f"too slow: {verdict}; more than twice a target is a regression (something "
          "compiles or downloads), not noise")
    return f"python hook installed from the local index: {verdict}; {version.strip()}"


CHECKS = [
    ("manifest-is-valid", check_manifest),
    ("base-is-clean", check_base_clean),
    ("try-repo-clean-change-passes", check_clean),
    ("try-repo-broken-change-blocked", check_broken),
    ("staged-state-not-worktree", check_staged_not_worktree),
    ("untracked-plan-file-ignored", check_untracked_ignored),
    ("cross-file-contact-removal", check_cross_file),
    ("installed-hook-refuses-broken-commit", check_installed_blocks),
    ("installed-hook-allows-clean-commit", check_installed_allows),
    ("readme-only-commit-skips-hook", check_readme_skipped),
    ("codeowners-commit-runs-hook", check_codeowners_runs),
    ("try-repo-snapshots-uncommitted-changes", check_snapshot),
    ("python-hook-try-repo-clean-passes", check_python_clean),
    ("python-hook-try-repo-broken-blocked", check_python_broken),
    ("python-hook-cold-and-warm", check_python_cold_warm),
    ("rust-hook-all-files", check_rust_hook),
]


def indent(text: str, limit: int = 150) -> str:
    lines = text.rstrip("\n").split("\n")
    if len(lines) > limit:
        lines = [f"... ({len(lines) - limit} lines left out)"] + lines[-limit:]
    return "\n".join("    | " + line for line in lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--checkout", required=True, help="root of this plancheck checkout")
    ap.add_argument("--venv", required=True, help="the venv holding pre-commit")
    ap.add_argument("--bin-dir", required=True, help="directory of the plancheck binary")
    ap.add_argument("--cache-dir", required=True,
                    help="where PRE_COMMIT_HOME and the rust hook's cargo target go")
    ap.add_argument("--index-url", metavar="URL",
                    help="a package index serving the plancheck wheel of this checkout (and "
                    "setuptools, to build the placeholder): runs the python hook's checks, "
                    "which are skipped without it")
    ap.add_argument("--keep", action="store_true", help="keep the temp repositories")
    ap.add_argument("--only", metavar="NAME", action="append",
                    help="run only these checks (repeatable)")
    args = ap.parse_args()

    plancheck = Path(args.bin_dir) / "plancheck"
    if not os.access(plancheck, os.X_OK):
        print(f"no plancheck binary at {plancheck}: build it first", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="plancheck-precommit-"))
    try:
        h = Harness(args, tmp)
        found = shutil.which("plancheck", path=h.env["PATH"])
        if found is None or Path(found).resolve() != plancheck.resolve():
            print(f"`plancheck` on PATH is {found}, not {plancheck}", file=sys.stderr)
            return 2
        rc, version = h.run([h.pre_commit, "--version"], tmp)
        print(f"{version.strip()} (exit {rc}); plancheck {plancheck}; PLANCHECK_NOW={PLANCHECK_NOW}")
        rc, untracked = h.run(["git", "ls-files", "--others", "--exclude-standard",
                               "--", "src", "policies", "Cargo.toml", "build.rs"], h.checkout)
        if untracked.strip():
            print("note: untracked files that `pre-commit try-repo` leaves out of its snapshot "
                  "(and so out of the rust hook's build):")
            print(indent(untracked, 20))

        started_all = time.monotonic()
        passed, failed, skipped = [], [], []
        for name, fn in CHECKS:
            if args.only and name not in args.only:
                continue
            started = time.monotonic()
            try:
                reason = fn(h)
            except Skip as e:
                skipped.append(name)
                print(f"SKIP {name}: {e}", flush=True)
                continue
            except Failed as e:
                failed.append(name)
                print(f"FAIL {name} ({time.monotonic() - started:.1f}s): {e.reason}")
                if e.output:
                    print(indent(e.output))
                sys.stdout.flush()
                continue
            except Exception as e:  # a subprocess time-out, a missing file: still a failure
                failed.append(name)
                print(f"FAIL {name} ({time.monotonic() - started:.1f}s): {type(e).__name__}: {e}")
                print(indent(traceback.format_exc()))
                sys.stdout.flush()
                continue
            passed.append(name)
            print(f"PASS {name} ({time.monotonic() - started:.1f}s): {reason}", flush=True)

        summary = f"pre-commit hooks: {len(passed)} checks passed"
        if failed:
            summary += f", {len(failed)} failed ({', '.join(failed)})"
        if skipped:
            summary += f", {len(skipped)} skipped ({', '.join(skipped)})"
        print(f"took {time.monotonic() - started_all:.0f}s")
        print(summary)
        return 1 if failed else 0
    finally:
        if args.keep:
            print(f"kept the temp repositories in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
