# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every playbook runs with the inventory that `fleet up` writes, as it is: no extra variables, no environment.

`ansible-playbook -i DIR/inventory.yml playbooks/<name>.yml` for every playbook in playbooks/ (onboard, remediate,
diagnose, offboard, and any later one: the test lists the directory), in the order a user would run them, on one
small local fleet. The install role recognises the simulated agent at ``azcmagent_executable`` (the package manager
does not know it) and installs nothing; the Azure virtual machine probe asks the fleet's closed port; reports go to
DIR/reports. What each playbook must do to each scenario is checked against the mock and the agents afterwards.
"""

from __future__ import annotations

import glob
import json
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOKS = os.path.join(ROOT, "playbooks")
# A host that connects, one that the default policy repairs (himds stopped), one that nothing can fix (wrong secret).
FLEET = {"clean": 1, "himds_stopped": 1, "bad_secret": 1}
# The order a user runs them in; playbooks not named here run after these (a new playbook is tested too).
ORDER = ["onboard", "remediate", "diagnose", "offboard"]
INSTALL_TASKS = ("Download the repository signing key", "Install the agent from the apt repository", "Configure the apt source")

pytestmark = pytest.mark.slow


def _playbooks():
    names = sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(PLAYBOOKS, "*.yml")))
    return [n for n in ORDER if n in names] + [n for n in names if n not in ORDER]


def _host(fleet, scenario):
    return [name for name, entry in fleet.hosts.items() if entry["scenario"] == scenario][0]


def _status(fleet, host):
    proc = subprocess.run([fleet.hosts[host]["executable"], "show", "-j"], capture_output=True, text=True, timeout=60, check=False)
    return json.loads(proc.stdout)["status"]


def test_every_playbook_runs_with_the_written_inventory(fleet_factory, run_playbook):
    fleet = fleet_factory(scenarios=FLEET)
    clean, stopped, bad = _host(fleet, "clean"), _host(fleet, "himds_stopped"), _host(fleet, "bad_secret")
    reports = os.path.join(fleet.dir, "reports")
    ran = {}
    summaries = {}
    for name in _playbooks():
        # exactly what the README shows: the inventory, the playbook, nothing else (the runner adds only its callback)
        run = run_playbook(os.path.join(PLAYBOOKS, name + ".yml"), inventory=fleet.inventory, env={"PWD": fleet.dir})
        ran[name] = run
        assert "couldn't resolve" not in run.output and "was not found" not in run.output, run.output[-3000:]
        for host in fleet.hosts:
            records = run.hosts.get(host, [])
            assert records, "%s: no task ran on %s\n%s" % (name, host, run.output[-3000:])
            # no host ever reaches the package repository: the agent at azcmagent_executable is recognised
            assert not [r for r in records if any(t in r["task"] for t in INSTALL_TASKS) and r["status"] != "skipped"], (name, host)
            if name == "onboard":
                asked = run.task(host, "Ask an agent installed outside the package manager for its version")
                assert asked and asked["status"] == "ok" and "1.58.03228.700" in asked["result"]["stdout"], (host, asked)
            assert not [r for r in records if r["status"] == "unreachable"], (name, host)

        # only the host with the wrong secret ends with a failure (a repaired host's rescued connect is no failure)
        assert set(run.failed_hosts) <= {bad}, (name, run.failed_hosts, run.output[-3000:])
        with open(os.path.join(reports, "fleet_summary.json"), encoding="utf-8") as handle:
            summaries[name] = json.load(handle)

    onboard = ran["onboard"]
    assert onboard.rc == 2, onboard.output[-3000:]        # the wrong secret fails its host, nothing else fails
    install = onboard.facts[clean]["azcmagent_install_result"]
    assert (install["action"], install["changed"], install["version_after"]) == ("none", False, "1.58.03228.700")
    results = onboard.results(fleet)
    assert results[clean]["state"] == "Connected" and results[stopped]["state"] == "Connected"
    assert results[bad]["code"] == "AZCM0041" and results[bad]["category"] == "credentials"
    assert (summaries["onboard"]["counts"]["failed"], summaries["onboard"]["counts"]["hosts"]) == (1, 3)

    assert ran["remediate"].rc == 2 and ran["remediate"].failed_hosts == [bad]
    assert ran["diagnose"].rc == 0, ran["diagnose"].output[-3000:]
    assert sorted(os.listdir(os.path.join(reports, "logs"))) == sorted(h + ".zip" for h in fleet.hosts)
    assert ran["offboard"].rc == 0, ran["offboard"].output[-3000:]
    for host in (clean, stopped):
        assert _status(fleet, host) == "Disconnected"
        assert fleet.machine(host) is None
