#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The version matrix of ``make test``: unit tests and ``ansible-test sanity`` on each given ansible-core version.

Usage: ``matrix.py --tarball TARBALL [--python 3.12] VERSION [VERSION ...]``

For each version: a virtual environment ``.venv-matrix/<version>-py<python>`` (made once, from
``tests/matrix-requirements.txt`` plus that ansible-core), the unit tests (``pytest tests/unit``), then the built
collection installed into its own directory and ``ansible-test sanity --venv --python <python>`` there. The
Python comes from PATH (``python3.12``) or pyenv (``~/.pyenv/versions/3.12.*``); a missing one is an error, not
a skip. Prints each step's time; exit status 0 only when every step passed.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REQUIREMENTS = os.path.join(ROOT, "tests", "matrix-requirements.txt")
GET_PIP_STANDIN = os.path.join(ROOT, "tools", "get_pip_standin.py")


def _works(python: str) -> bool:
    """Whether ``python`` runs (a pyenv shim of a version that is installed but not selected does not)."""
    try:
        return subprocess.run([python, "-c", "import venv"], capture_output=True, check=False).returncode == 0
    except OSError:
        return False


def find_python(version: str) -> str:
    # pyenv's own copies first: its shim on PATH fails unless that version is selected
    candidates = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
    candidates.append(shutil.which(f"python{version}") or "")
    for candidate in candidates:
        if candidate and _works(candidate):
            return candidate
    raise SystemExit(f"matrix: no python{version} on PATH or under ~/.pyenv/versions; install Python {version} (pyenv install {version})")


STEP_TIMEOUT = 900  # seconds; a step that takes longer hangs (seen: both steps take 2 to 4 minutes)


def step(label: str, argv: list[str], forbid: str = "", **kwargs: Any) -> bool:
    """Run one step, its output passed through; it fails on a non-zero exit, on a line holding ``forbid``
    and after ``STEP_TIMEOUT`` seconds."""
    started = time.monotonic()
    print(f"matrix: {label} ...", flush=True)
    # a process group of its own and output through a file: a timed-out step is stopped with everything it
    # started, and a grandchild that keeps the output open cannot keep this step waiting
    with tempfile.TemporaryFile() as captured:
        process = subprocess.Popen(argv, stdout=captured, stderr=subprocess.STDOUT, start_new_session=True, **kwargs)
        timed_out = False
        try:
            process.wait(timeout=STEP_TIMEOUT)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        captured.seek(0)
        output = captured.read().decode("utf-8", "replace")
    if timed_out:
        print(output, end="", flush=True)
        print(f"matrix: {label}: FAILED (stopped: no end after {STEP_TIMEOUT} s)", flush=True)
        return False
    print(output, end="", flush=True)
    ok = process.returncode == 0 and not (forbid and forbid in output)
    verdict = "passed" if ok else f"FAILED (exit {process.returncode}{', ' + forbid if forbid and forbid in output else ''})"
    print(f"matrix: {label}: {verdict} in {time.monotonic() - started:.0f} s", flush=True)
    return ok


def ensure_venv(python: str, version: str, pyver: str) -> str:
    venv = os.path.join(ROOT, ".venv-matrix", f"{version}-py{pyver}")
    marker = os.path.join(venv, ".installed")
    wanted = f"ansible-core=={version}\n" + open(REQUIREMENTS, encoding="utf-8").read()
    if os.path.exists(marker) and open(marker, encoding="utf-8").read() == wanted:
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([python, "-m", "venv", venv], check=True)
    pip = [os.path.join(venv, "bin", "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run(pip + ["pip==24.2"], check=True)
    subprocess.run(pip + [f"ansible-core=={version}", "-r", REQUIREMENTS], check=True)
    with open(marker, "w", encoding="utf-8") as handle:
        handle.write(wanted)
    return venv


def pip_standins(venv: str) -> None:
    """ansible-test bootstraps pip with a script from a host that is not reachable here (see ENVIRONMENT.md)."""
    cache = os.path.expanduser("~/.ansible/test/cache")
    os.makedirs(cache, exist_ok=True)
    pattern = os.path.join(venv, "lib", "python*", "site-packages", "ansible_test", "_internal", "python_requirements.py")
    for source in glob.glob(pattern):
        with open(source, encoding="utf-8") as handle:
            for line in handle:
                line = line.strip()
                if line.startswith("pip='"):
                    pinned = line.split("'")[1]
                    shutil.copy(GET_PIP_STANDIN, os.path.join(cache, f"get_pip_{pinned.replace('.', '_')}.py"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", required=True)
    parser.add_argument("--python", default="3.12")
    parser.add_argument("versions", nargs="+")
    args = parser.parse_args(argv)
    python = find_python(args.python)
    env = dict(os.environ, PATH=os.path.dirname(python) + os.pathsep + os.environ.get("PATH", ""))
    env.pop("ANSIBLE_COLLECTIONS_PATH", None)
    ok = True
    for version in args.versions:
        venv = ensure_venv(python, version, args.python)
        pip_standins(venv)
        bin_dir = os.path.join(venv, "bin")
        # the parser fuzz run does not depend on ansible-core: its 10,000 cases run in make unit, 1,000 here
        ok &= step(f"unit tests, ansible-core {version}, Python {args.python}",
                   [os.path.join(bin_dir, "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/unit"], cwd=ROOT,
                   env=dict(env, FUZZ_EXAMPLES="500", ARCOPS_COUNTS_DIR=os.path.join(tempfile.gettempdir(), "arcops-matrix-counts")))
        # outside the git work tree: inside it, ansible-test lists the files with git, finds them ignored and skips
        # every test (the same reason make install installs under $TMPDIR)
        collections = os.path.join(tempfile.gettempdir(), f"arcops-azcmagent-matrix-{hashlib.sha256(ROOT.encode()).hexdigest()[:8]}",
                                   version)
        shutil.rmtree(collections, ignore_errors=True)
        subprocess.run([os.path.join(bin_dir, "ansible-galaxy"), "collection", "install", "--force", "-p", collections, args.tarball],
                       check=True, stdout=subprocess.DEVNULL, env=env)
        ok &= step(f"sanity, ansible-core {version}, Python {args.python}",
                   [os.path.join(bin_dir, "ansible-test"), "sanity", "--venv", "--python", args.python, "--color", "no"],
                   forbid="All targets skipped",
                   cwd=os.path.join(collections, "ansible_collections", "arcops", "azcmagent"),
                   env=dict(env, PATH=bin_dir + os.pathsep + env["PATH"]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
