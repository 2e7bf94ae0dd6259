# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one playbook runner of the pytest integration tests, and the simulated fleet.

``run_playbook(playbook, inventory=..., extra_vars={...}, limit=..., check=False, diff=False, tags=..., env={...},
timeout=1500, verbosity=0, forks=None, args=[...])`` (a fixture; ``run_ansible_playbook(playbook, workdir, ...)`` is the
same without pytest) runs ansible-playbook with ansible-core alone and returns a ``PlaybookResult``: ``rc``,
``stdout``, ``stderr``, ``output`` (both), ``cmd``, ``hosts`` (per host: every task record), ``facts`` (per host: the
facts set during the run), ``stats`` (per host: ok/changed/failures/... counts), and ``task(host, name)``,
``failed_hosts``, ``changed(host)``, ``results(fleet)`` (each host's ``azcmagent_result`` fact). Extra variables go
to ansible-playbook in a mode-0600 file that is removed after the run, never on its command line (they hold
secrets). Per-host results come from a tiny callback plugin written at run time (ansible-core ships no JSON
callback). The collection is the environment's ``ANSIBLE_COLLECTIONS_PATH`` (``make integration``: the installed
tarball), else ``build/dev`` (the working tree).

``fleet_factory(scenarios={"clean": 2, "stale_resource": 1}, proxy=False)`` brings a fleet up in a fresh tmp dir and
ALWAYS brings it down at teardown (even when the test fails). ``scenario_table`` is tests/simulator/scenarios.py.

Module-level tests do not live here: they are ansible-test targets in tests/integration/targets (``make targets``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
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
        """How many tasks changed something on ``host``."""
        return self.stats.get(host, {}).get("changed", 0)

    @property
    def output(self):
        """stdout and stderr of ansible-playbook together."""
        return self.stdout + self.stderr

    def results(self, fleet, fact="azcmagent_result"):
        """Each host's ``fact`` (None when the run set none); ``fleet`` is a fleetlib.Fleet or host names."""
        hosts = fleet.hosts if hasattr(fleet, "hosts") else fleet
        return {name: self.facts.get(name, {}).get(fact) for name in hosts}

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


def _write_extra_vars(workdir, extra_vars):
    """PRIVATE: extra variables in a new mode-0600 JSON file in workdir; returns its path."""
    fd, path = tempfile.mkstemp(prefix="extra-vars-", suffix=".json", dir=workdir)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(extra_vars, handle)
    return path


def run_ansible_playbook(playbook, workdir, callback_dir=None, inventory=None, extra_vars=None, limit=None, check=False, diff=False,
                         tags=None, env=None, timeout=1500, verbosity=0, forks=None, args=()):
    """Run ansible-playbook (ansible-core only) and return a PlaybookResult. Never raises on a failed play.

    ``args`` are more ansible-playbook arguments (e.g. ``["-c", "local"]``); ``env`` overrides the environment.
    """
    os.makedirs(workdir, exist_ok=True)
    callback_dir = callback_dir or write_callback(os.path.join(workdir, "callbacks"))
    index = len([n for n in os.listdir(workdir) if n.startswith("results-")]) + 1
    results_file = os.path.join(workdir, "results-%d.json" % index)
    bindir = os.path.dirname(sys.executable)
    cmd = [os.path.join(bindir, "ansible-playbook"), playbook]
    if inventory:
        cmd += ["-i", inventory]
    vars_file = _write_extra_vars(workdir, extra_vars) if extra_vars else None
    if vars_file:
        cmd += ["-e", "@" + vars_file]
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
    cmd += list(args)
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
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_LOCAL_TEMP": os.path.join(workdir, "ansible-local"),
        "ANSIBLE_REMOTE_TEMP": os.path.join(workdir, "ansible-remote"),
        "ARCSIM_RESULTS_FILE": results_file,
        "PATH": bindir + os.pathsep + environ.get("PATH", ""),
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
    })
    environ.update(env or {})
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=environ, timeout=timeout, cwd=ROOT, check=False)
    finally:
        if vars_file:
            os.unlink(vars_file)
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
        """Run ``playbook``; keyword arguments as run_ansible_playbook's."""
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
