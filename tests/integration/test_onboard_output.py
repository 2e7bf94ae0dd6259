# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an operator sees when onboard.yml repairs hosts: no red error block for a failed first attempt that the role
repairs, one line per repair, red only for the host that is left broken. And the preflight of the onboard role (run by the
connect module, only when the host has to be connected) follows private link and gateway mode, so a private-link site
is held to private addresses, not public ones.

One fleet: transient (two transient failures, then a retry connects), himds_stopped (the services are restarted),
bad_secret (left broken), clean. One real run of onboard.yml, two check-mode runs with the preflight.
"""

from __future__ import annotations

import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ONBOARD = os.path.join(ROOT, "playbooks", "onboard.yml")
BECOME_ENV = {"ANSIBLE_BECOME_ALLOW_SAME_USER": "true"}
VARS = {"azcmagent_install": False, "azcmagent_service_settle_seconds": 0,
        "azcmagent_policy": {"backoff_base": 0.2, "backoff_max": 1, "jitter": False}}
PLS = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/arc/providers/Microsoft.HybridCompute/privateLinkScopes/pls"

pytestmark = pytest.mark.slow


def _host(fleet, scenario):
    return [name for name, entry in sorted(fleet.hosts.items()) if entry["scenario"] == scenario][0]


def test_repairs_print_no_error_and_the_preflight_follows_private_link(fleet_factory, run_playbook, tmp_path):
    fleet = fleet_factory(scenarios={"transient": 1, "himds_stopped": 1, "bad_secret": 1, "clean": 1})
    transient, stopped, broken = _host(fleet, "transient"), _host(fleet, "himds_stopped"), _host(fleet, "bad_secret")
    run = run_playbook(ONBOARD, inventory=fleet.inventory, env=BECOME_ENV,
                       extra_vars=dict(VARS, azcmagent_report_dir=str(tmp_path / "report")))
    results = run.results(fleet)
    assert all(results.values()), run.output[-6000:]
    assert results[transient]["ok"] and results[transient]["repaired"] and results[transient]["attempts"] == 3, results[transient]
    assert results[stopped]["ok"] and results[stopped]["repaired"], results[stopped]
    assert not results[broken]["ok"] and run.failed_hosts == [broken]

    output = run.stdout
    # red is for what is left broken: one failed task, on the broken host, in the last play
    fatal = re.findall(r"^fatal: \[([^\]]+)\]", output, re.M)
    assert fatal == [broken], output[-4000:]
    assert output.count("[ERROR]") == 1, output[-4000:]
    assert "Module failed" not in output
    # one line per failed attempt that the role went on to repair, with its code (not an error block)
    assert "Plan: retry" in output and "Plan: restart_services" in output, output[-4000:]
    for host in (transient, stopped):
        assert run.task(host, "Diagnose the connect")["status"] == "ok"
        connects = [r for r in run.hosts[host] if "Connect to Azure Arc" in r["task"] and r["status"] != "skipped"]
        # the failed attempts are ok (not failed, not rescued), the last one connected (changed)
        assert [r["status"] for r in connects] == ["ok"] * (len(connects) - 1) + ["changed"] and len(connects) >= 2

    # the preflight with a private link scope runs inside the connect (the host has to be connected: bad_secret), with
    # private link and a direct connection: the check is held to private addresses, not public ones
    check = run_playbook(ONBOARD, inventory=fleet.inventory, env=BECOME_ENV, check=True, limit=f"{broken},localhost",
                         extra_vars=dict(VARS, azcmagent_preflight=True, azcmagent_private_link_scope=PLS, azcmagent_report=False))
    facts = check.task(broken, "Diagnose the connect")["result"]["ansible_facts"]
    preflight = facts["_azcmagent_preflight"]
    assert preflight["summary"] and preflight["endpoints"], preflight
    assert preflight["regional_his"] is not None and preflight["proxy"]["source"] in ("none", "agent", "option")
    assert not [f for f in preflight.get("findings", []) if f["id"] == "dns_not_public"], preflight["findings"]
    # the same run on a connected host: nothing to connect, so no preflight at all
    clean = _host(fleet, "clean")
    again = run_playbook(ONBOARD, inventory=fleet.inventory, env=BECOME_ENV, check=True, limit=f"{clean},localhost",
                         extra_vars=dict(VARS, azcmagent_preflight=True, azcmagent_private_link_scope=PLS, azcmagent_report=False))
    assert again.rc == 0, again.stdout[-3000:]
    assert again.task(clean, "Diagnose the connect")["result"]["ansible_facts"]["_azcmagent_preflight"] == {}
