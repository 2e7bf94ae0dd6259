# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fixtures for integration tests that run ansible-playbook against the simulated fleet.

``fleet_factory(scenarios={"clean": 2, "stale_resource": 1}, proxy=False)`` brings a fleet up
in a fresh tmp dir and ALWAYS brings it down at teardown (even when the test fails).

``run_playbook(playbook, inventory=fleet.inventory, extra_vars={...}, limit=..., check=False)``
runs ansible-playbook with ansible-core alone and returns a ``PlaybookResult``:
``rc``, ``stdout``, ``stderr``, ``hosts`` (per host: list of task records), ``facts`` (per host:
the facts set during the run, e.g. ``azcmagent_result``), ``stats`` (per host: ok/changed/
failed/... counts), plus helpers ``task(host, name)``, ``failed_hosts``, ``changed(host)``.
Per-host results come from a tiny callback plugin written by this file at session start
(ansible-core ships no JSON callback; ansible.posix is not installed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIMULATOR = os.path.join(ROOT, "tests", "simulator")
if SIMULATOR not in sys.path:
    sys.path.insert(0, SIMULATOR)

import fleetlib  # noqa: E402  pylint: disable=wrong-import-position
import scenarios as _scenarios  # noqa: E402  pylint: disable=wrong-import-position

CALLBACK_NAME = "arcsim_results"
CALLBACK_SOURCE = textwrap.dedent('''\
    # Written by tests/integration/conftest.py: records every task result as JSON.
    from __future__ import annotations

    import json
    import os

    from ansible.plugins.callback import CallbackBase

    DOCUMENTATION = """
    name: arcsim_results
    type: aggregate
    short_description: write per-host task results to $ARCSIM_RESULTS_FILE as JSON
    description: test helper of arcops.azcmagent
    """


    def _plain(value):
        try:
            return json.loads(json.dumps(value, default=str))
        except (TypeError, ValueError):
            return str(value)


    class CallbackModule(CallbackBase):
        CALLBACK_VERSION = 2.0
        CALLBACK_TYPE = "aggregate"
        CALLBACK_NAME = "arcsim_results"
        CALLBACK_NEEDS_ENABLED = True

        def __init__(self):
            super().__init__()
            self.data = {"hosts": {}, "facts": {}, "stats": {}, "plays": []}

        def v2_playbook_on_play_start(self, play):
            self.data["plays"].append(play.get_name())

        def _record(self, result, status):
            host = result._host.get_name()
            res = _plain(result._result)
            task = result._task
            entry = {"task": task.get_name(), "action": task.action, "status": status, "result": res}
            self.data["hosts"].setdefault(host, []).append(entry)
            facts = res.get("ansible_facts") if isinstance(res, dict) else None
            if isinstance(facts, dict):
                self.data["facts"].setdefault(host, {}).update(facts)

        def v2_runner_on_ok(self, result):
            self._record(result, "changed" if result._result.get("changed") else "ok")

        def v2_runner_on_failed(self, result, ignore_errors=False):
            self._record(result, "ignored" if ignore_errors else "failed")

        def v2_runner_on_skipped(self, result):
            self._record(result, "skipped")

        def v2_runner_on_unreachable(self, result):
            self._record(result, "unreachable")

        def v2_playbook_on_stats(self, stats):
            for host in sorted(stats.processed):
                self.data["stats"][host] = stats.summarize(host)
            path = os.environ.get("ARCSIM_RESULTS_FILE")
            if path:
                with open(path, "w", encoding="utf-8") as handle:
                    json.dump(self.data, handle, indent=1, sort_keys=True)
    ''')


class PlaybookResult:
    """What one ansible-playbook run did."""

    def __init__(self, rc, stdout, stderr, data, cmd):
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.cmd = cmd
        self.hosts = data.get("hosts", {})
        self.facts = data.get("facts", {})
        self.stats = data.get("stats", {})
        self.plays = data.get("plays", [])

    def task(self, host, name):
        """The last record of the task called ``name`` (exact, else substring) on ``host``, or None."""
        records = self.hosts.get(host, [])
        for wanted in (lambda t: t["task"] == name, lambda t: name in t["task"]):
            found = [r for r in records if wanted(r)]
            if found:
                return found[-1]
        return None

    @property
    def failed_hosts(self):
        return sorted(h for h, s in self.stats.items() if s.get("failures") or s.get("unreachable"))

    def changed(self, host):
        return self.stats.get(host, {}).get("changed", 0)

    def __repr__(self):
        return "PlaybookResult(rc=%s, hosts=%d, failed=%s)" % (self.rc, len(self.stats), self.failed_hosts)


def collections_path():
    return os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.path.join(ROOT, "build", "dev")


def write_callback(directory):
    """Write the results callback plugin into ``directory``; returns the directory."""
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, CALLBACK_NAME + ".py"), "w", encoding="utf-8") as handle:
        handle.write(CALLBACK_SOURCE)
    return directory


def run_ansible_playbook(playbook, workdir, callback_dir=None, inventory=None, extra_vars=None, limit=None, check=False, diff=False,
                         tags=None, env=None, timeout=900, verbosity=0, forks=None):
    """Run ansible-playbook (ansible-core only) and return a PlaybookResult. Never raises on a failed play."""
    os.makedirs(workdir, exist_ok=True)
    callback_dir = callback_dir or write_callback(os.path.join(workdir, "callbacks"))
    index = len([n for n in os.listdir(workdir) if n.startswith("results-")]) + 1
    results_file = os.path.join(workdir, "results-%d.json" % index)
    bindir = os.path.dirname(sys.executable)
    cmd = [os.path.join(bindir, "ansible-playbook"), playbook]
    if inventory:
        cmd += ["-i", inventory]
    if extra_vars:
        cmd += ["-e", json.dumps(extra_vars)]
    if limit:
        cmd += ["--limit", limit if isinstance(limit, str) else ",".join(limit)]
    if check:
        cmd.append("--check")
    if diff:
        cmd.append("--diff")
    if tags:
        cmd += ["--tags", tags if isinstance(tags, str) else ",".join(tags)]
    if forks:
        cmd += ["--forks", str(forks)]
    if verbosity:
        cmd.append("-" + "v" * verbosity)
    environ = dict(os.environ)
    environ.update({
        "ANSIBLE_COLLECTIONS_PATH": collections_path(),
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
        "ANSIBLE_CALLBACK_PLUGINS": callback_dir,
        "ANSIBLE_CALLBACKS_ENABLED": CALLBACK_NAME,
        "ANSIBLE_CALLBACK_RESULT_FORMAT": "json",
        "ANSIBLE_HOST_KEY_CHECKING": "false",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_LOCAL_TEMP": os.path.join(workdir, "ansible-local"),
        "ANSIBLE_REMOTE_TEMP": os.path.join(workdir, "ansible-remote"),
        "ARCSIM_RESULTS_FILE": results_file,
        "PATH": bindir + os.pathsep + environ.get("PATH", ""),
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
    })
    environ.update(env or {})
    proc = subprocess.run(cmd, capture_output=True, text=True, env=environ, timeout=timeout, cwd=ROOT, check=False)
    data = {}
    if os.path.exists(results_file):
        with open(results_file, encoding="utf-8") as handle:
            data = json.load(handle)
    return PlaybookResult(proc.returncode, proc.stdout, proc.stderr, data, cmd)


@pytest.fixture(scope="session")
def callback_dir(tmp_path_factory):
    return write_callback(str(tmp_path_factory.mktemp("callbacks")))


@pytest.fixture
def run_playbook(callback_dir, tmp_path):
    """``run_playbook(playbook, inventory=..., extra_vars=..., limit=..., check=..., env=..., timeout=...)`` -> PlaybookResult."""

    def run(playbook, **kwargs):
        return run_ansible_playbook(playbook, os.path.join(str(tmp_path), "ansible"), callback_dir=callback_dir, **kwargs)

    return run


@pytest.fixture
def fleet_factory(tmp_path):
    """``fleet_factory(scenarios=None, hosts=None, scenario=None, proxy=False)`` -> fleetlib.Fleet; every fleet is brought down."""
    made = []

    def make(scenarios=None, hosts=None, scenario=None, proxy=False, **kwargs):
        directory = os.path.join(str(tmp_path), "fleet-%d" % (len(made) + 1))
        made.append(directory)
        return fleetlib.up(directory, scenarios=scenarios, hosts=hosts, scenario=scenario, proxy=proxy, **kwargs)

    yield make
    errors = []
    for directory in made:
        try:
            fleetlib.down(directory)
        except Exception as exc:  # pylint: disable=broad-except
            errors.append("%s: %s" % (directory, exc))
    assert not errors, "fleet teardown failed: %s" % errors


@pytest.fixture(scope="session")
def scenario_table():
    """tests/simulator/scenarios.py: ``scenario_table.expect("stale_resource")["code"]`` etc."""
    return _scenarios
