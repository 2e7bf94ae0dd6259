# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Extensions before a disconnect: the offboard role and the remediate role's re-onboarding, on one simulated fleet.

Every machine has two extensions in the mock Azure. The *-01 hosts keep the default (azcmagent_remove_extensions
false): the disconnect does not happen, the machine, its extensions and the agent's local state stay as they were, and
the host's result says why (the extension names and the variable that allows their removal). The *-02 hosts allow it:
the extensions are deleted first (their DELETE requests come before the machine's), then the machine is disconnected
(offboarding) or re-onboarded (the onboard role with reonboard allowed, on a Disconnected host). Two playbook runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import time

import pytest
import yaml

import fleetlib
import fleet_checks
from tests.counts import record

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOKS = os.path.join(ROOT, "playbooks")
EXTENSIONS = ["AzureMonitorLinuxAgent", "MDE.Linux"]


def _status(fleet, host):
    proc = subprocess.run([fleet.hosts[host]["executable"], "show", "-j"], capture_output=True, text=True, timeout=60, check=False)
    return json.loads(proc.stdout)["status"]


def _allow_removal(fleet, hosts):
    """Set azcmagent_remove_extensions: true for ``hosts`` in the fleet's inventory."""
    with open(fleet.inventory, encoding="utf-8") as handle:
        inventory = yaml.safe_load(handle)
    for host in hosts:
        inventory["all"]["children"]["arc_fleet"]["hosts"][host]["azcmagent_remove_extensions"] = True
    with open(fleet.inventory, "w", encoding="utf-8") as handle:
        yaml.safe_dump(inventory, handle, default_flow_style=False, sort_keys=False, width=200)


def _extensions(fleet, host):
    prefix = (fleet.machine_id(host) + "/extensions/").lower()
    return sorted(e["name"] for key, e in fleet.state().get("extensions", {}).items() if key.startswith(prefix))


def _deletes(writes, host):
    """Indexes of the DELETE requests of the host's extensions and of its machine, in the order the mock saw them."""
    ext = [i for i, r in enumerate(writes) if r["method"] == "DELETE" and ("/machines/%s/extensions/" % host) in r["path"].lower()]
    machine = [i for i, r in enumerate(writes) if r["method"] == "DELETE" and r["path"].split("?")[0].lower().endswith("/machines/" + host)]
    return ext, machine


@pytest.mark.slow
def test_extensions_block_or_go_first(fleet_factory, run_playbook, tmp_path):
    started = time.monotonic()
    fleet = fleet_factory(scenarios={"connected": 2, "disconnected": 2})
    for host in fleet.hosts:
        fleetlib.seed_extensions(fleet, fleet.machine_id(host), EXTENSIONS)
    _allow_removal(fleet, ["connected-02", "disconnected-02"])
    before = fleet.state()

    # -- offboarding -----------------------------------------------------------------------------------------------
    fleet.client().request("DELETE", "/_mock/requests")
    run = run_playbook(os.path.join(PLAYBOOKS, "offboard.yml"), inventory=fleet.inventory,
                       extra_vars={"azcmagent_hosts": "connected-*", "azcmagent_report_dir": str(tmp_path / "offboard")})
    results = run.results(["connected-01", "connected-02"])
    blocked = results["connected-01"]
    assert (blocked["ok"], blocked["category"]) == (False, "extension"), blocked
    for name in EXTENSIONS + ["azcmagent_remove_extensions"]:
        assert name in blocked["message"], blocked["message"]
    assert run.failed_hosts == ["connected-01"]
    assert _status(fleet, "connected-01") == "Connected"
    assert fleet.machine("connected-01") == before["machines"][fleet.machine_id("connected-01").lower()]
    assert _extensions(fleet, "connected-01") == sorted(EXTENSIONS)
    assert results["connected-02"]["ok"] and _status(fleet, "connected-02") == "Disconnected", results["connected-02"]
    assert fleet.machine("connected-02") is None and _extensions(fleet, "connected-02") == []
    writes = fleet_checks.writes(fleet)
    assert not [r for r in writes if "/machines/connected-01" in r["path"].lower()], writes
    ext, machine = _deletes(writes, "connected-02")
    assert len(ext) == len(EXTENSIONS) and machine and max(ext) < min(machine), writes

    # -- re-onboarding (remediate role, reached through the onboard role) -------------------------------------------
    fleet.client().request("DELETE", "/_mock/requests")
    local_before = fleet_checks.local_state(fleet)
    run = run_playbook(os.path.join(PLAYBOOKS, "onboard.yml"), inventory=fleet.inventory,
                       extra_vars={"azcmagent_hosts": "disconnected-*", "azcmagent_install": False, "azcmagent_service_settle_seconds": 0,
                                   "azcmagent_policy": {"reonboard": True}, "azcmagent_report_dir": str(tmp_path / "onboard")})
    results = run.results(["disconnected-01", "disconnected-02"])
    blocked = results["disconnected-01"]
    assert not blocked["ok"], blocked
    for name in EXTENSIONS + ["azcmagent_remove_extensions"]:
        assert name in blocked["message"], blocked["message"]
    steps = [a for a in blocked["actions"] if a.get("action") == "reonboard"]
    assert steps and steps[-1]["done"] and not steps[-1]["ok"], blocked["actions"]
    assert run.failed_hosts == ["disconnected-01"]
    assert fleet.machine("disconnected-01") == before["machines"][fleet.machine_id("disconnected-01").lower()]
    assert _extensions(fleet, "disconnected-01") == sorted(EXTENSIONS)
    assert {k: v for k, v in fleet_checks.local_state(fleet).items() if k.startswith("disconnected-01:")} == \
        {k: v for k, v in local_before.items() if k.startswith("disconnected-01:")}
    assert results["disconnected-02"]["ok"] and _status(fleet, "disconnected-02") == "Connected", results["disconnected-02"]
    assert fleet.machine("disconnected-02")["properties"]["status"] == "Connected"
    assert _extensions(fleet, "disconnected-02") == []
    writes = fleet_checks.writes(fleet)
    assert not [r for r in writes if "/machines/disconnected-01" in r["path"].lower()], writes
    ext, machine = _deletes(writes, "disconnected-02")
    assert len(ext) == len(EXTENSIONS) and machine and max(ext) < min(machine), writes
    record("extensions", {"fleet hosts": len(fleet.hosts), "seconds": round(time.monotonic() - started, 1)})
