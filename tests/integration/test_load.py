# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Load: 200 simulated hosts onboarded in one ``ansible-playbook`` run with forks 50.

Mostly fresh hosts, with a few of the scenarios that need a repair or fail: every host ends in the state
scenarios.yml gives it under the policy that allows the automatic fixes (agent state, and the machine resource in the
mock Azure), and once the run is over and the fleet is down nothing is left running: no process the run started, no
daemon or server of the fleet, no port of the mock Azure still accepting connections. Records host counts and wall time.

It takes minutes, so it is a stage of its own: ``make load`` sets ARCOPS_LOAD=1, without which the test is not run
(``make integration`` would otherwise run it a second time).
"""

from __future__ import annotations

import os
import socket
import time

import pytest
import yaml

import fleet_checks
import fleetlib
from tests.counts import record

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ONBOARD = os.path.join(ROOT, "playbooks", "onboard.yml")
FIX_POLICY = os.path.join(ROOT, "tests", "integration", "e2e", "fix_policy.yml")
BECOME_ENV = {"ANSIBLE_BECOME_ALLOW_SAME_USER": "true"}
HOSTS = 200
FORKS = 50
# a fleet of mostly fresh machines with some that need a repair (or cannot be repaired), as a real one
MIX = {"clean": 160, "connected": 10, "stale_resource": 10, "himds_stopped": 10, "bad_secret": 10}

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not os.environ.get("ARCOPS_LOAD"), reason="the load test is a stage of its own: make load")]


def _processes_mentioning(text):
    """Pids (other than ours) whose command line mentions ``text``."""
    found = []
    needle = text.encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as handle:
                data = handle.read()
            with open("/proc/%s/stat" % entry, encoding="ascii", errors="replace") as handle:
                zombie = handle.read().rsplit(")", 1)[1].split()[0] == "Z"
        except (OSError, IndexError):
            continue
        if needle in data and not zombie:
            found.append((int(entry), data.replace(b"\0", b" ")[:200]))
    return found


def _accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def test_200_hosts_with_forks_50(fleet_factory, run_playbook, scenario_table, tmp_path):
    assert sum(MIX.values()) == HOSTS
    started = time.monotonic()
    fleet = fleet_factory(scenarios=MIX)
    up_seconds = time.monotonic() - started
    with open(FIX_POLICY, encoding="utf-8") as handle:
        extra = yaml.safe_load(handle)
    extra["azcmagent_report_dir"] = str(tmp_path / "report")

    started = time.monotonic()
    run = run_playbook(ONBOARD, inventory=fleet.inventory, extra_vars=extra, forks=FORKS, env=BECOME_ENV, timeout=1800)
    run_seconds = time.monotonic() - started
    results = fleet_checks.results(run, fleet)
    machines = fleet.state()["machines"]

    problems = []
    for host, entry in sorted(fleet.hosts.items()):
        expect = scenario_table.expect(entry["scenario"])
        result = results.get(host) or {}
        present = fleet.machine_id(host).lower() in machines
        got = (result.get("state"), "present" if present else "absent")
        if got != (expect["state"], expect["azure"]):
            problems.append("%s (%s): %s, expected %s" % (host, entry["scenario"], got, (expect["state"], expect["azure"])))
    connected = sum(1 for r in results.values() if r and r.get("state") == "Connected")
    assert len(results) == HOSTS and len(run.stats) >= HOSTS, run.stdout[-3000:]
    assert not problems, "%d hosts not in their expected state:\n%s" % (len(problems), "\n".join(problems[:40]))

    # the run itself left nothing behind: no agent, module or ansible process of this fleet
    left = _processes_mentioning(os.path.join(fleet.dir, "hosts"))
    left = [p for p in left if b"himds.py" not in p[1]]   # the fleet's own daemons stay until the fleet goes down
    assert not left, "processes of the run left running: %s" % left

    started = time.monotonic()
    summary = fleetlib.down(fleet.dir)
    down_seconds = time.monotonic() - started
    assert summary["mock"] is True
    assert not _processes_mentioning(fleet.dir), "processes left after the fleet went down: %s" % _processes_mentioning(fleet.dir)
    mock = fleet.data["mock"]
    assert not any(_accepts(port) for port in (mock["port"], mock["intercept_port"])), "the mock Azure still listens"
    assert not [s for s in fleet.data.get("init_scripts", []) if os.path.exists(s)], "init scripts left in place"

    record("load", {"hosts": HOSTS, "forks": FORKS, "hosts in expected state": HOSTS - len(problems), "hosts connected": connected,
                    "fleet up seconds": round(up_seconds, 1), "onboard wall seconds": round(run_seconds, 1),
                    "fleet down seconds": round(down_seconds, 1), "processes left": 0})
