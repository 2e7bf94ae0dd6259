# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stale machine resource whose delete Azure refuses: the run says why, the resource and the agent stay as they were.

The delete task of the remediate role is no_log (its arguments hold the admin secret): its console output is hidden,
but the step's detail (and so the fleet report) must still carry Azure's reason, and the secret must not show.
"""

from __future__ import annotations

import os

import pytest

import fleet_checks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ONBOARD = os.path.join(ROOT, "playbooks", "onboard.yml")
REFUSAL = ("The client 'arc-admin' with object id '00000000-0000-0000-0000-000000000001' does not have authorization to "
           "perform action 'Microsoft.HybridCompute/machines/delete' over scope '{scope}' or the scope is invalid.")


@pytest.mark.slow
def test_refused_delete_is_reported_with_azure_reason(fleet_factory, run_playbook, tmp_path):
    import yaml  # pylint: disable=import-outside-toplevel

    fleet = fleet_factory(scenarios={"stale_resource": 1})
    [host] = list(fleet.hosts)
    machine_id = fleet.machine_id(host)
    before = fleet.machine(host)
    assert before is not None, "the scenario seeds the stale resource"
    fleet.client().add_faults([{"kind": "arm", "method": "DELETE", "path_regex": "(?i)/machines/%s$" % host, "status": 403,
                                "code": "AuthorizationFailed", "message": REFUSAL.format(scope=machine_id)}])
    with open(os.path.join(ROOT, "tests", "integration", "e2e", "fix_policy.yml"), encoding="utf-8") as handle:
        extra = yaml.safe_load(handle)
    extra["azcmagent_report_dir"] = str(tmp_path / "report")
    run = run_playbook(ONBOARD, inventory=fleet.inventory, extra_vars=extra, env={"ANSIBLE_BECOME_ALLOW_SAME_USER": "true"})
    result = fleet_checks.results(run, fleet)[host]
    assert result is not None and not result["ok"], run.stdout[-3000:]
    [step] = [a for a in result["actions"] if a["action"] == "delete_resource"]
    assert step["done"] and not step["ok"], step
    assert "AuthorizationFailed" in step["detail"] or "does not have authorization" in step["detail"], step
    assert "hidden" not in step["detail"] and "no_log" not in step["detail"], step
    assert fleet.identity["admin_client_secret"] not in run.stdout
    after = fleet.machine(host)
    assert after is not None and after["properties"]["vmId"] == before["properties"]["vmId"], "the refused delete deleted nothing"
