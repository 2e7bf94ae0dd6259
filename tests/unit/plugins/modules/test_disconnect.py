# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json

from ansible_collections.arcops.azcmagent.plugins.modules import disconnect


def auth(agent, **overrides):
    args = {"executable": agent.path, "tenant_id": agent.tenant, "service_principal_id": agent.app,
            "service_principal_secret": agent.secret}
    args.update(overrides)
    return args


def test_four_steps(agent, run_module):
    agent.connect_locally()
    failed, first = run_module(disconnect, auth(agent), check_mode=True, diff=True)
    assert not failed and first["changed"] and agent.commands() == []
    assert first["diff"]["before"]["status"] == "Connected" and first["diff"]["after"]["status"] == "Disconnected"
    failed, second = run_module(disconnect, auth(agent))
    assert not failed and second["changed"] and second["state"] == "Disconnected"
    assert second["previous"]["resource_group"] == "rg-arc" and second["resource_id"].endswith("/machines/host01")
    failed, third = run_module(disconnect, auth(agent), check_mode=True)
    assert not failed and not third["changed"]
    failed, fourth = run_module(disconnect, auth(agent))
    assert not failed and not fourth["changed"] and fourth["category"] == "success"
    (argv,) = agent.commands()
    assert argv[0] == "disconnect" and "--verbose" in argv and "--config" in argv
    assert agent.secret not in json.dumps(agent.calls()) and agent.secret not in json.dumps(second)


def test_force_local_only_needs_no_auth(agent, run_module):
    agent.connect_locally()
    failed, result = run_module(disconnect, {"executable": agent.path, "force_local_only": True})
    assert not failed and result["changed"]
    (argv,) = agent.commands()
    assert argv[:2] == ["disconnect", "--force-local-only"] and "--config" not in argv


def test_missing_auth_is_0016_and_runs_nothing(agent, run_module):
    agent.connect_locally()
    failed, result = run_module(disconnect, {"executable": agent.path})
    assert failed and result["azcm_code"] == "AZCM0016" and agent.commands() == []


def test_resource_gone_suggests_force_local(agent, run_module):
    agent.connect_locally()
    agent.set(fail={"disconnect": [43, "Failed to Delete Resource",
                                   "RequestCorrelationId:1 Message: The Resource 'Microsoft.HybridCompute/machines/host01' under "
                                   "resource group 'rg-arc' was not found. Code: ResourceNotFound httpStatusCode:404"]})
    failed, result = run_module(disconnect, auth(agent))
    assert failed and result["azcm_code"] == "AZCM0043" and result["rc"] == 43
    assert "--force-local-only" in result["msg"]
    assert result["state"] == "Connected" and result["previous"]["status"] == "Connected"


def test_timeout(agent, run_module):
    agent.connect_locally()
    agent.set(hang=True)
    failed, result = run_module(disconnect, auth(agent, timeout=1))
    assert failed and result["azcm_code"] == "AZCM0011" and result["category"] == "transient"
