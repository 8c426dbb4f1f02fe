#!/usr/bin/env python3
"""plancheck's distribution, tested here without GitHub or a registry (run by tests/dist/run).

Each check prints PASS or FAIL and why; the run exits 1 if any failed. Standard library
only, plus PyYAML (pre-commit's dependency) to read the release workflow, and the tools
tests/dist/run installs into the venv (pypiserver, zizmor, pre-commit).
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import io
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import tomllib
import traceback
import urllib.request
import zipfile
from pathlib import Path

import yaml

# The date fixtures/demo is judged on (tests/cli/common.rs NOW).
NOW = "2026-11-24"
# The release targets, as the release workflow builds them and the action installs them.
TARGETS = {
    "x86_64-unknown-linux-musl": ("Linux", "X64", "tar.gz"),
    "aarch64-unknown-linux-musl": ("Linux", "ARM64", "tar.gz"),
    "x86_64-apple-darwin": ("macOS", "X64", "tar.gz"),
    "aarch64-apple-darwin": ("macOS", "ARM64", "tar.gz"),
    "x86_64-pc-windows-msvc": ("Windows", "X64", "zip"),
}
PIN = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")


class Failed(Exception):
    def __init__(self, reason: str, output: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.output = output


def check(cond: bool, reason: str, output: str = "") -> None:
    if not cond:
        raise Failed(reason, output)


def run(cmd, cwd=None, env=None, timeout=300) -> tuple[int, str]:
    p = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Ctx:
    def __init__(self, a: argparse.Namespace, tmp: Path):
        self.root = Path(a.checkout).resolve()
        venv = Path(a.venv)
        self.venv = venv if venv.is_absolute() else self.root / venv
        self.plancheck = Path(a.plancheck).resolve()
        self.wheels = sorted(Path(a.wheels).glob("*.whl"))
        self.sdists = sorted(Path(a.sdist).glob("*.tar.gz"))
        self.setuptools = Path(a.setuptools).resolve()
        self.tmp = tmp
        cargo = tomllib.loads((self.root / "Cargo.toml").read_text(encoding="utf-8"))
        self.cargo = cargo
        self.version = cargo["package"]["version"]
        self.install_sh = self.root / "action" / "install.sh"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("PIP_", "RUNNER_", "GITHUB_", "PLANCHECK_"))}
        env.update(HOME=str(self.tmp / "home"), PLANCHECK_NOW=NOW, NO_COLOR="1")
        env.update(extra)
        return env


# ---------------------------------------------------------------- the wheel and the sdist

def check_wheel(c: Ctx) -> str:
    check(len(c.wheels) == 1, f"maturin built {len(c.wheels)} wheels: {c.wheels}")
    wheel = c.wheels[0]
    m = re.match(r"^plancheck-([^-]+)-py3-none-(.+)\.whl$", wheel.name)
    check(m is not None, f"{wheel.name}: not a py3-none-<platform> wheel of plancheck (a "
          "bindings = \"bin\" wheel works on every Python)")
    check(m.group(1) == c.version, f"{wheel.name}: version {m.group(1)}, Cargo.toml {c.version}")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        script = f"plancheck-{c.version}.data/scripts/plancheck"
        check(script in names, f"{wheel.name} has no {script}: {names}")
        mode = (z.getinfo(script).external_attr >> 16) & 0o777
        check(mode & 0o111 != 0, f"{script} is not executable in the wheel ({oct(mode)})")
        py = [n for n in names if n.endswith(".py")]
        check(not py, f"{wheel.name} carries Python modules {py}; bindings = bin carries none")
        size = z.getinfo(script).file_size
    venv = c.tmp / "wheel-venv"
    rc, out = run([sys.executable, "-m", "venv", venv])
    check(rc == 0, "python -m venv failed", out)
    rc, out = run([venv / "bin" / "python", "-m", "pip", "install", "--no-index",
                   "--disable-pip-version-check", wheel], env=c.env())
    check(rc == 0, f"pip install {wheel.name} (no index) exited {rc}", out)
    exe = venv / "bin" / "plancheck"
    check(exe.is_file(), f"the wheel installed no {exe}", out)
    rc, out = run([exe, "--version"], env=c.env())
    check(rc == 0 and out.strip() == f"plancheck {c.version}",
          f"`plancheck --version` from the wheel: exit {rc}, {out.strip()!r}", out)
    rc, demo = run([exe, "check", c.root / "fixtures" / "demo"], env=c.env())
    check(rc == 0, f"`plancheck check fixtures/demo` from the wheel exited {rc}", demo)
    rc, bad = run([exe, "check", c.root / "fixtures" / "broken" / "threat-owner"], env=c.env())
    check(rc == 1 and "error[threat-owner]" in bad,
          f"the wheel's plancheck did not report fixtures/broken/threat-owner (exit {rc})", bad)
    return (f"{wheel.name} ({size / 1e6:.1f} MB binary): in a fresh venv, "
            f"`plancheck --version` = plancheck {c.version}, fixtures/demo exit 0, a broken "
            "fixture exit 1")


def check_sdist(c: Ctx) -> str:
    check(len(c.sdists) == 1, f"maturin sdist made {len(c.sdists)} files: {c.sdists}")
    sdist = c.sdists[0]
    prefix = f"plancheck-{c.version}/"
    with tarfile.open(sdist) as t:
        names = set(t.getnames())
        pyproject = t.extractfile(prefix + "pyproject.toml")
        check(pyproject is not None, f"{sdist.name} has no pyproject.toml")
        meta = tomllib.loads(pyproject.read().decode("utf-8"))
    check(meta.get("tool", {}).get("maturin", {}).get("bindings") == "bin",
          f"{sdist.name}: pyproject.toml has no [tool.maturin] bindings = \"bin\"")
    manifest = meta.get("tool", {}).get("maturin", {}).get("manifest-path", "Cargo.toml")
    check(prefix + manifest in names,
          f"{sdist.name}: pyproject.toml's manifest-path {manifest!r} is not in the sdist")
    check(meta.get("project", {}).get("name") == "plancheck",
          f"{sdist.name}: the project is {meta.get('project', {}).get('name')!r}")
    # Every file the release binary is built from (its dep-info) is in the sdist.
    depinfo = c.plancheck.with_suffix(".d").read_text(encoding="utf-8")
    deps = set()
    for token in depinfo.split(":", 1)[1].split():
        p = Path(token.replace("\\ ", " "))
        if p.is_absolute() and c.root in p.parents and "target" not in p.relative_to(c.root).parts:
            deps.add(p.relative_to(c.root).as_posix())
    check(any(d.startswith("src/") for d in deps), f"no src/ file in {depinfo[:200]}")
    missing = sorted(d for d in deps | {"Cargo.toml", "Cargo.lock"} if prefix + d not in names)
    check(not missing, f"{sdist.name} lacks files the binary is built from: {missing}")
    return f"{sdist.name}: bindings = bin, all {len(deps)} source files of the binary, Cargo.lock"


def check_placeholder(c: Ctx) -> str:
    meta = tomllib.loads((c.root / "pyproject.toml").read_text(encoding="utf-8"))
    project = meta.get("project", {})
    deps = project.get("dependencies", [])
    check(deps == [f"plancheck=={c.version}"],
          f"pyproject.toml (the pre-commit placeholder) depends on {deps}, expected exactly "
          f"plancheck=={c.version} (Cargo.toml's version)")
    check(project.get("version") == c.version,
          f"the placeholder's version {project.get('version')} is not Cargo.toml's {c.version}")
    check(project.get("name") != "plancheck", "the placeholder must not be named plancheck")
    setuptools = meta.get("tool", {}).get("setuptools", {})
    check(setuptools.get("packages") == [] and setuptools.get("py-modules") == [],
          "the placeholder must install no module (packages = [], py-modules = [])")
    return f"pyproject.toml pins plancheck=={c.version}, version {c.version}, installs no module"


# ---------------------------------------------------------------- pre-commit, local index

def check_precommit_python_hook(c: Ctx) -> str:
    index = c.tmp / "index"
    index.mkdir()
    for f in [*c.wheels, c.setuptools]:
        shutil.copy2(f, index / f.name)
    port = free_port()
    log = (c.tmp / "pypiserver.log").open("w")
    server = subprocess.Popen(
        [c.venv / "bin" / "pypi-server", "run", "--interface", "127.0.0.1", "--port",
         str(port), "--disable-fallback", "--authenticate", ".", "--passwords", ".", str(index)],
        stdout=log, stderr=subprocess.STDOUT, env=c.env())
    url = f"http://127.0.0.1:{port}/simple/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "plancheck/", timeout=2) as r:
                    page = r.read().decode()
                break
            except OSError:
                check(server.poll() is None and time.monotonic() < deadline,
                      "pypiserver did not start", (c.tmp / "pypiserver.log").read_text())
                time.sleep(0.2)
        check(c.wheels[0].name in page, f"the index does not list {c.wheels[0].name}", page)
        bin_dir = c.plancheck.parent
        cmd = [c.venv / "bin" / "python", c.root / "tests" / "precommit" / "test_hooks.py",
               "--checkout", c.root, "--venv", c.venv, "--bin-dir", bin_dir,
               "--cache-dir", c.tmp / "precommit-cache", "--index-url", url]
        for name in ("manifest-is-valid", "python-hook-try-repo-clean-passes",
                     "python-hook-try-repo-broken-blocked", "python-hook-cold-and-warm"):
            cmd += ["--only", name]
        (c.tmp / "precommit-cache").mkdir()
        started = time.monotonic()
        rc, out = run(cmd, env=c.env(), timeout=900)
        print("\n".join("    | " + line for line in out.rstrip().split("\n")))
        check(rc == 0 and "4 checks passed" in out,
              f"tests/precommit/test_hooks.py's python-hook checks exited {rc}")
        times = re.search(r"pre-commit python hook: (cold .*)$", out, re.M)
        return (f"pre-commit python hook from the wheel on {url}: clean commit passes, broken "
                f"one blocked; {times.group(1) if times else '?'} "
                f"({time.monotonic() - started:.0f}s in all)")
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


# ---------------------------------------------------------------- the action's download

class Release:
    """A fake GitHub release served on 127.0.0.1: <root>/v<version>/<archive>."""

    def __init__(self, root: Path):
        self.root = root
        self.requests: list[str] = []
        release = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kw):
                super().__init__(*args, directory=str(root), **kw)

            def log_message(self, fmt, *args):
                release.requests.append(self.path)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def tar_gz(path: Path, inner: str, exe_name: str, content: bytes) -> None:
    with tarfile.open(path, "w:gz") as t:
        info = tarfile.TarInfo(f"{inner}/{exe_name}")
        info.size = len(content)
        info.mode = 0o755
        t.addfile(info, io.BytesIO(content))
        readme = b"plancheck\n"
        info = tarfile.TarInfo(f"{inner}/README.md")
        info.size = len(readme)
        t.addfile(info, io.BytesIO(readme))


def zip_archive(path: Path, inner: str, exe_name: str, content: bytes) -> None:
    with zipfile.ZipFile(path, "w") as z:
        info = zipfile.ZipInfo(f"{inner}/{exe_name}")
        info.external_attr = (stat.S_IFREG | 0o755) << 16
        z.writestr(info, content)


def fake_binary(version: str, marker: Path) -> bytes:
    """A stand-in executable (a shell script) that leaves a marker when it runs."""
    return (f"#!/bin/sh\necho ran >> '{marker}'\necho 'plancheck {version}'\n").encode()


class ActionCase:
    def __init__(self, c: Ctx, release: Release, name: str):
        self.c = c
        self.release = release
        self.dir = c.tmp / "action" / name
        self.dir.mkdir(parents=True)
        self.github_path = self.dir / "github_path"
        self.github_path.write_text("")

    def install(self, sums: Path, os_: str, arch: str, version: str = "",
                base_url: str | None = None) -> tuple[int, str, str]:
        env = self.c.env(RUNNER_OS=os_, RUNNER_ARCH=arch)
        p = subprocess.run(
            ["bash", str(self.c.install_sh), "install", "--version", version, "--sums",
             str(sums), "--base-url", base_url or self.release.url, "--cache-dir",
             str(self.dir / "cache"), "--dest", str(self.dir / "bin"), "--github-path",
             str(self.github_path)],
            env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
        return p.returncode, p.stdout, p.stderr

    def binaries(self) -> list[str]:
        b = self.dir / "bin"
        return sorted(p.name for p in b.iterdir()) if b.is_dir() else []


def check_action_download(c: Ctx) -> str:
    v = c.version
    www = c.tmp / "release"
    rel = www / f"v{v}"
    rel.mkdir(parents=True)
    marker = c.tmp / "fake-binary-ran"
    # The Linux x86_64 archive holds this build's real binary; the others stand-ins.
    linux = f"plancheck-{v}-x86_64-unknown-linux-musl"
    tar_gz(rel / f"{linux}.tar.gz", linux, "plancheck", c.plancheck.read_bytes())
    win = f"plancheck-{v}-x86_64-pc-windows-msvc"
    zip_archive(rel / f"{win}.zip", win, "plancheck.exe", fake_binary(v, marker))
    mac = f"plancheck-{v}-aarch64-apple-darwin"
    tar_gz(rel / f"{mac}.tar.gz", mac, "plancheck", fake_binary(v, marker))
    arm = f"plancheck-{v}-aarch64-unknown-linux-musl"
    genuine_arm = c.tmp / f"{arm}.tar.gz"
    tar_gz(genuine_arm, arm, "plancheck", fake_binary(v, marker))
    # The served aarch64 Linux archive is not the released one: same name, other bytes.
    tampered_marker = c.tmp / "tampered-binary-ran"
    tar_gz(rel / f"{arm}.tar.gz", arm, "plancheck", fake_binary(v, tampered_marker))
    # The committed table: what the action knows. 9.9.9 is listed but was never uploaded.
    sums = c.tmp / "checksums.txt"
    sums.write_text(
        "# test table\n"
        f"{sha256(rel / f'{linux}.tar.gz')}  {linux}.tar.gz\n"
        f"{sha256(rel / f'{win}.zip')}  {win}.zip\n"
        f"{sha256(rel / f'{mac}.tar.gz')}  {mac}.tar.gz\n"
        f"{sha256(genuine_arm)}  {arm}.tar.gz\n"
        f"{'0' * 64}  plancheck-9.9.9-x86_64-unknown-linux-musl.tar.gz\n",
        encoding="utf-8")
    results = []
    release = Release(www)
    try:
        # 1. The right archive: downloaded, verified, unpacked, run; its dir on GITHUB_PATH.
        case = ActionCase(c, release, "right")
        rc, out, err = case.install(sums, "Linux", "X64", v)
        check(rc == 0, f"install of {linux}.tar.gz exited {rc}", out + err)
        bin_dir = case.dir / "bin"
        check(f"bin-dir={bin_dir}" in out.split("\n"), f"no bin-dir={bin_dir} in stdout", out)
        check(case.github_path.read_text() == f"{bin_dir}\n",
              f"GITHUB_PATH holds {case.github_path.read_text()!r}")
        check(set(out.strip().split("\n")) == {f"bin-dir={bin_dir}"},
              f"stdout must hold only the GITHUB_OUTPUT lines: {out!r}")
        rc, ver = run([bin_dir / "plancheck", "--version"])
        check(rc == 0 and ver.strip() == f"plancheck {v}", f"installed binary: {ver!r}")
        check("matches the committed checksum" in err and f"installed plancheck {v}" in err,
              "no verification or smoke-test line on stderr", err)
        rc, demo = run([bin_dir / "plancheck", "check", c.root / "fixtures" / "demo"],
                       env=c.env())
        check(rc == 0, f"the installed binary's demo check exited {rc}", demo)
        results.append(f"{linux}.tar.gz verified, unpacked and run")

        # 2. The same job again, the server gone: the restored archive is verified and used.
        rc, out, err = case.install(sums, "Linux", "X64", v, base_url="http://127.0.0.1:9")
        check(rc == 0 and "from the cache" in err and "matches the committed" in err,
              f"second install from the cache exited {rc}", out + err)
        # A poisoned cache: the archive in it no longer matches the committed sum.
        cached = case.dir / "cache" / f"{linux}.tar.gz"
        tar_gz(cached, linux, "plancheck", fake_binary(v, marker))
        shutil.rmtree(case.dir / "bin")
        rc, out, err = case.install(sums, "Linux", "X64", v, base_url="http://127.0.0.1:9")
        check(rc == 1 and "checksum mismatch" in err and not cached.exists()
              and not case.binaries() and not marker.exists(),
              f"a tampered cached archive: exit {rc}, cache file kept: {cached.exists()}, "
              f"binaries {case.binaries()}", out + err)
        results.append("a restored cache is re-verified (tampered: refused, deleted)")

        # 3. Windows (.zip, plancheck.exe): unpacked with unzip, its directory on PATH.
        case = ActionCase(c, release, "windows")
        rc, out, err = case.install(sums, "Windows", "X64", v)
        check(rc == 0 and case.binaries() == ["plancheck.exe"],
              f"Windows X64 install exited {rc}, binaries {case.binaries()}", out + err)
        marker.unlink()  # the stand-in ran as the smoke test: expected here
        results.append(f"{win}.zip (Windows) unpacked")

        # 4. A tampered archive: refused before anything is unpacked or run.
        before = len(release.requests)
        case = ActionCase(c, release, "tampered")
        rc, out, err = case.install(sums, "Linux", "ARM64", v)
        check(rc == 1, f"a tampered archive: exit {rc}", out + err)
        check(f"checksum mismatch for {arm}.tar.gz: expected {sha256(genuine_arm)}" in err
              and f"got {sha256(rel / f'{arm}.tar.gz')}" in err and "nothing was run" in err,
              "the message does not name the archive and both sums", err)
        check(not tampered_marker.exists() and not case.binaries()
              and not (case.dir / "cache" / f"{arm}.tar.gz").exists()
              and case.github_path.read_text() == "" and out == "",
              "the tampered archive left something behind or ran", out + err)
        check(len(release.requests) == before + 1, "expected exactly one download")
        results.append("tampered archive refused, nothing unpacked or run")

        # 5. Missing platforms: a runner with no release build, and a build missing from a
        #    release; nothing is requested from the server.
        before = len(release.requests)
        case = ActionCase(c, release, "no-build")
        rc, out, err = case.install(sums, "Windows", "ARM64", v)
        check(rc == 1 and "no plancheck release archive for runner Windows ARM64" in err
              and "pipx install plancheck" in err, f"Windows ARM64: exit {rc}", err)
        case = ActionCase(c, release, "missing-in-release")
        rc, out, err = case.install(sums, "macOS", "X64", v)
        check(rc == 1 and f"plancheck {v} has no committed checksum for x86_64-apple-darwin"
              in err, f"macOS X64 (not in the table): exit {rc}", err)
        case = ActionCase(c, release, "unknown-version")
        rc, out, err = case.install(sums, "Linux", "X64", "1.2.3")
        check(rc == 1 and "no committed checksums for plancheck 1.2.3" in err
              and f"it knows: {v} 9.9.9" in err, f"an unknown version: exit {rc}", err)
        check(len(release.requests) == before,
              f"a missing platform made requests: {release.requests[before:]}")
        check(not marker.exists() and not tampered_marker.exists(), "something ran")
        results.append("missing platforms and versions refused without a request")

        # 6. A 404: listed in the table, absent from the release.
        case = ActionCase(c, release, "404")
        rc, out, err = case.install(sums, "Linux", "X64", "9.9.9")
        check(rc == 1 and "HTTP 404" in err and
              f"{release.url}/v9.9.9/plancheck-9.9.9-x86_64-unknown-linux-musl.tar.gz" in err,
              f"a missing archive: exit {rc}", err)
        check(not case.binaries() and not list((case.dir / "cache").glob("*.tar.gz*")),
              "a 404 left a file behind", err)
        results.append("a 404 fails naming the URL")

        # 7. Defaults and refusals: the newest listed version; no plain http; a bad table.
        case = ActionCase(c, release, "default")
        env = c.env(RUNNER_OS="Linux", RUNNER_ARCH="X64")
        rc, out = run(["bash", c.install_sh, "resolve", "--version", "", "--sums", sums],
                      env=env)
        check(rc == 0 and "version=9.9.9\n" in out, f"default version: exit {rc}", out)
        rc, out, err = case.install(sums, "Linux", "X64", v, base_url="http://example.com")
        check(rc == 1 and "must be https" in err, f"plain http: exit {rc}", err)
        bad = c.tmp / "bad-sums.txt"
        bad.write_text(f"{'a' * 63}  {linux}.tar.gz\n")
        rc, out, err = case.install(bad, "Linux", "X64", v)
        check(rc == 1 and "malformed line" in err, f"malformed table: exit {rc}", err)
        rc, out, err = case.install(sums, "Linux", "X64", "1.0; rm -rf /")
        check(rc == 1 and "not a release version" in err, f"bad version: exit {rc}", err)
        # The committed table parses: a default version, or the clear "no release yet".
        rc, out = run(["bash", c.install_sh, "resolve", "--version", "", "--sums",
                       c.root / "action" / "checksums.txt"], env=env)
        check((rc == 0 and re.search(r"(?m)^sha256=[0-9a-f]{64}$", out)) or
              (rc == 1 and "lists no release yet" in out),
              f"action/checksums.txt: exit {rc}", out)
        results.append("default = newest listed; plain http, malformed sums and a bad "
                       "version refused; action/checksums.txt "
                       + ("lists " + out.split("version=")[1].split()[0] if rc == 0
                          else "lists no release yet"))

        # 8. cargo binstall's templates lead to the same archives and binary paths.
        results.append(binstall_resolves(c, release, v))
    finally:
        release.close()
    return "; ".join(results)


def binstall_resolves(c: Ctx, release: Release, v: str) -> str:
    meta = c.cargo["package"]["metadata"]["binstall"]
    repo = c.cargo["package"]["repository"]
    check(repo == "https://github.com/plancheck/plancheck", f"repository = {repo}")
    name = c.cargo["package"]["name"]
    seen = []
    for target, (os_, _, ext) in {**TARGETS, "x86_64-unknown-linux-gnu": ("Linux", "", "tar.gz"),
                                  "aarch64-unknown-linux-gnu": ("Linux", "", "tar.gz")}.items():
        spec = {**meta, **meta.get("overrides", {}).get(target, {})}
        fmt = spec.get("pkg-fmt", "tgz")
        real = target.replace("-gnu", "-musl")  # the gnu hosts get the static musl build
        check(fmt == {"tar.gz": "tgz", "zip": "zip"}[TARGETS[real][2]],
              f"binstall pkg-fmt for {target} is {fmt}; the archive is .{TARGETS[real][2]}")
        values = {"repo": repo, "version": v, "name": name, "target": target, "bin": name,
                  "binary-ext": ".exe" if os_ == "Windows" else ""}

        def render(t: str) -> str:
            return re.sub(r"\{\s*([a-z-]+)\s*\}", lambda m: values[m.group(1)], t)

        url, bin_dir = render(spec["pkg-url"]), render(spec["bin-dir"])
        archive = f"plancheck-{v}-{real}.{TARGETS[real][2]}"
        check(url == f"{repo}/releases/download/v{v}/{archive}",
              f"binstall for {target}: {url}, the release has {archive}")
        exe = "plancheck.exe" if os_ == "Windows" else "plancheck"
        check(bin_dir == f"plancheck-{v}-{real}/{exe}", f"binstall bin-dir for {target}: {bin_dir}")
        seen.append(target)
    # One of them fetched from the served release, and its bin-dir found in the archive.
    spec = {**meta, **meta["overrides"]["x86_64-unknown-linux-gnu"]}
    url = spec["pkg-url"].replace("{ repo }/releases/download", release.url)
    url = re.sub(r"\{\s*([a-z-]+)\s*\}", lambda m: {"version": v, "name": name}[m.group(1)],
                 url)
    with urllib.request.urlopen(url, timeout=10) as r:
        data = r.read()
    with tarfile.open(fileobj=io.BytesIO(data)) as t:
        member = f"plancheck-{v}-x86_64-unknown-linux-musl/plancheck"
        check(member in t.getnames(), f"{url} has no {member}")
    return f"binstall metadata resolves for {len(seen)} targets (gnu hosts get musl)"


# ---------------------------------------------------------------- the release workflow

def check_release_workflow(c: Ctx) -> str:
    path = c.root / ".github" / "workflows" / "release.yml"
    wf = yaml.safe_load(path.read_text(encoding="utf-8"))
    trigger = wf.get("on", wf.get(True))
    tags = ((trigger or {}).get("push") or {}).get("tags") or []
    check(tags and all(t.startswith("v") for t in tags) and set(trigger) == {"push"},
          f"release.yml must run on pushed v* tags only: {trigger}")
    check(wf.get("permissions") == {}, "release.yml: top-level permissions must be {}")
    jobs = wf["jobs"]
    text = path.read_text(encoding="utf-8")
    pins = 0
    for name, job in jobs.items():
        check(isinstance(job.get("permissions"), dict),
              f"release.yml: job {name} has no permissions of its own")
        for step in job.get("steps", []):
            uses = step.get("uses")
            if uses:
                check(PIN.match(uses), f"release.yml: job {name} uses {uses}: pin a full SHA")
                line = next(l for l in text.split("\n") if f"uses: {uses}" in l)
                check(re.search(r"# v\d", line), f"release.yml: `{line.strip()}` has no # vX")
                pins += 1
    targets = {i["target"] for i in jobs["binaries"]["strategy"]["matrix"]["include"]}
    check(targets == set(TARGETS), f"release.yml builds {sorted(targets)}, the action and "
          f"binstall expect {sorted(TARGETS)}")
    exts = {i["target"]: i["ext"] for i in jobs["binaries"]["strategy"]["matrix"]["include"]}
    check(all(exts[t] == TARGETS[t][2] for t in TARGETS), f"archive kinds differ: {exts}")
    script = c.install_sh.read_text(encoding="utf-8")
    for target, (os_, arch, ext) in TARGETS.items():
        check(f"{os_}/{arch}) target={target} ext={ext}" in script,
              f"action/install.sh does not map {os_}/{arch} to {target}.{ext}")
    wheels = jobs["wheels"]["strategy"]["matrix"]["include"]
    platforms = {w["platform"] for w in wheels}
    check(platforms == {"manylinux", "musllinux", "macos", "windows"},
          f"wheels for {platforms}")
    needed = {"binaries", "sums", "wheels", "sdist"}
    for publish in ("github-release", "pypi", "image", "crates-io"):
        check(needed <= set(jobs[publish]["needs"]),
              f"job {publish} may publish before every build succeeded")
    perms = jobs["pypi"]["permissions"]
    check(perms.get("id-token") == "write" and "contents" not in perms,
          f"the PyPI job: trusted publishing needs id-token: write and nothing more: {perms}")
    check("attest-build-provenance" in str(jobs["sums"]["steps"]),
          "archives are not attested")
    # The image is built from the release binaries: the Dockerfile compiles nothing.
    dockerfile = (c.root / "Dockerfile").read_text(encoding="utf-8")
    check(not re.search(r"(?m)^RUN .*\bcargo\b", dockerfile), "the Dockerfile runs cargo")
    check("COPY --chmod=0755 ${TARGETOS}-${TARGETARCH}/plancheck" in dockerfile,
          "the Dockerfile does not copy the release binary of the target platform")
    image = "\n".join(str(s.get("run", "")) for s in jobs["image"]["steps"])
    check('image-context/linux-$arch/plancheck' in image,
          "the image job does not lay out linux-<arch>/plancheck from the archives")
    return (f"{len(jobs)} jobs, {pins} actions pinned by SHA with a version comment, "
            f"per-job permissions; targets agree with action/install.sh and binstall")


def check_zizmor(c: Ctx) -> str:
    files = [c.root / ".github" / "workflows" / "release.yml", c.root / "action.yml"]
    rc, out = run([c.venv / "bin" / "zizmor", "--offline", "--no-progress", *files],
                  env=c.env())
    check(rc == 0, f"zizmor --offline exited {rc}", out)
    # The auditor is real: a workflow with a template injection is refused.
    bad = c.tmp / "zizmor-bad" / ".github" / "workflows"
    bad.mkdir(parents=True)
    (bad / "bad.yml").write_text(
        "on: pull_request_target\npermissions: {}\njobs:\n  j:\n    runs-on: ubuntu-24.04\n"
        "    permissions: {}\n    steps:\n"
        "      - run: echo \"${{ github.event.pull_request.title }}\"\n", encoding="utf-8")
    rc2, out2 = run([c.venv / "bin" / "zizmor", "--offline", "--no-progress",
                     bad / "bad.yml"], env=c.env())
    check(rc2 != 0, "zizmor accepted a template injection", out2)
    last = [l for l in out.strip().split("\n") if l.strip()]
    return f"zizmor --offline: release.yml and action.yml clean ({last[-1] if last else ''})"


CHECKS = [
    ("wheel-installs-and-runs", check_wheel),
    ("sdist-is-complete", check_sdist),
    ("placeholder-pins-this-version", check_placeholder),
    ("action-download-verifies", check_action_download),
    ("release-workflow-consistent", check_release_workflow),
    ("zizmor-release-and-action", check_zizmor),
    ("precommit-python-hook-local-index", check_precommit_python_hook),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--checkout", required=True)
    ap.add_argument("--venv", required=True)
    ap.add_argument("--plancheck", required=True, help="the release binary")
    ap.add_argument("--wheels", required=True, help="the directory maturin built into")
    ap.add_argument("--sdist", required=True, help="the directory maturin sdist wrote")
    ap.add_argument("--setuptools", required=True, help="a setuptools wheel for the index")
    ap.add_argument("--only", action="append", metavar="NAME")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="plancheck-dist-"))
    (tmp / "home").mkdir()
    passed, failed = [], []
    try:
        c = Ctx(a, tmp)
        for name, fn in CHECKS:
            if a.only and name not in a.only:
                continue
            started = time.monotonic()
            try:
                reason = fn(c)
            except Failed as e:
                failed.append(name)
                print(f"FAIL {name} ({time.monotonic() - started:.1f}s): {e.reason}")
                if e.output:
                    print("\n".join("    | " + l for l in e.output.rstrip().split("\n")[-60:]))
                sys.stdout.flush()
                continue
            except Exception as e:
                failed.append(name)
                print(f"FAIL {name}: {type(e).__name__}: {e}")
                print(traceback.format_exc())
                continue
            passed.append(name)
            print(f"PASS {name} ({time.monotonic() - started:.1f}s): {reason}", flush=True)
    finally:
        if a.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"distribution: {len(passed)} checks passed"
          + (f", {len(failed)} failed ({', '.join(failed)})" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
