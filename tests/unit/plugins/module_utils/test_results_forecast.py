# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check mode forecasts what the real run will do (issue 10): the connect's outcome from read-only probes
(forecast_connect) and the host's end from the plan and the policy (onboard_result's ``forecast``)."""

from __future__ import annotations

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _diagnosis, _plan, _results

WOULD_CONNECT = {"changed": True, "state": "Disconnected", "commands": ["azcmagent connect ..."]}
CLEAN_INFO = {"status": "Disconnected", "resource_id": "", "vm_id": "", "services": []}


def _forecast(**probes):
    return _results.forecast_connect(connect=probes.pop("connect", WOULD_CONNECT), info=probes.pop("info", CLEAN_INFO), **probes)


@pytest.mark.parametrize("probes, rc, category", [
    ({"stopped": ["himdsd"]}, 64, "agent_service"),
    ({"arm": {"changed": False, "failed": False, "category": "credentials", "arm_code": "invalid_client",
              "msg": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value",
              "error_message": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client "
                               "secret value, not the client secret ID"}}, 41, "credentials"),
    ({"arm": {"changed": False, "failed": False, "category": "permissions", "arm_code": "AuthorizationFailed",
              "msg": "AuthorizationFailed",
              "error_message": ("The client 'x' with object id 'x' does not have authorization to perform "
                                "action 'Microsoft.HybridCompute/machines/read' over scope '/subscriptions/s'")}},
     42, "permissions"),
    ({"arm": {"changed": False, "failed": False, "category": "input", "arm_code": "MissingSubscriptionRegistration",
              "msg": "MissingSubscriptionRegistration",
              "error_message": ("The subscription is not registered to use namespace "
                                "'Microsoft.HybridCompute'. See https://aka.ms/rps-not-found")}},
     42, "providers"),
    ({"arm": {"changed": False, "machines": [{"name": "h1", "id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.HybridCompute/machines/h1",
                                              "vm_id": "other"}]}}, 44, "resource_conflict"),
    ({"info": {"status": "", "resource_id": "/subscriptions/s/x", "vm_id": "mine"},
      "arm": {"changed": False, "machines": [{"name": "h1", "id": "/x", "vm_id": "MINE"}]}}, 62, "resource_conflict"),
], ids=["himds-stopped", "bad-secret", "no-role", "provider-unregistered", "stale-resource", "partial-connect"])
def test_a_probe_that_will_fail_the_connect_is_forecast_as_the_agent_code(probes, rc, category):
    predicted = _forecast(**probes)
    assert predicted["failed"] and predicted["rc"] == rc, predicted
    assert predicted["forecast"] in ("services", "azure")
    diagnosis = _diagnosis.diagnose(predicted)
    assert diagnosis["azcm_code"] == "AZCM%04d" % rc and diagnosis["category"] == category, diagnosis


def test_nothing_in_the_way_keeps_the_check_mode_result():
    assert _forecast(arm={"changed": False, "machines": []}, preflight={"ok": True}) == dict(WOULD_CONNECT, forecast="connect")
    # a connect that already failed in check mode (AZCM0067 elsewhere) and one that changes nothing are not re-judged
    failed = {"failed": True, "rc": 67, "changed": False}
    assert _forecast(connect=failed, stopped=["himdsd"])["rc"] == 67
    assert _forecast(connect={"changed": False, "state": "Connected"}, stopped=["himdsd"])["forecast"] == "connect"


def test_an_unreachable_endpoint_is_forecast_as_a_network_failure():
    predicted = _forecast(preflight={"ok": False, "findings": [{"evidence": "dial tcp 127.0.0.1:9: connect: connection refused"}]})
    assert predicted["failed"] and predicted["rc"] == 26 and predicted["forecast"] == "network"
    assert "connection refused" in predicted["stdout"]


def _check_run(code, policy, connect_state="Disconnected", step_outcome=None):
    """The onboard result of a check-mode run whose connect failed with ``code`` (the remediate role ran no step)."""
    diagnosis = _diagnosis.diagnose("INFO    Exit Code:  %s: x" % code)
    steps = _plan.plan(diagnosis, policy)
    actions = [{"action": "connect", "ok": False, "code": code, "attempt": 1}]
    for step in steps:
        outcome = {"done": False, "ok": True}
        outcome.update(step_outcome or {})
        actions.append(dict(step, allowed=True, check_mode=True, **outcome))
    return _results.onboard_result(host="h", failed=True, connect={"state": connect_state, "failed": True}, diagnosis=diagnosis,
                                   plan=steps, actions=actions, escalated=False, check_mode=True)


def test_check_mode_forecasts_a_repair_the_policy_allows():
    result = _check_run("AZCM0067", {"reonboard": True})
    assert result["ok"] and result["repaired"] and result["changed"], result
    assert result["forecast"] == {"ok": True, "state": "Connected", "changed": True, "repaired": True, "actions": ["reonboard"]}
    assert result["message"] == "" and result["code"] is None


def test_check_mode_forecasts_the_failure_when_the_policy_forbids_the_repair():
    result = _check_run("AZCM0067", {})
    assert not result["ok"] and not result["repaired"], result
    assert result["forecast"]["ok"] is False and result["forecast"]["state"] == "Disconnected"
    assert result["code"] == "AZCM0067" and "reonboard" in result["message"]


def test_check_mode_forecasts_the_failure_when_a_lookup_refuses_the_repair():
    result = _check_run("AZCM0044", {"delete_resource": True, "force_local_disconnect": True}, step_outcome={"done": True, "ok": False})
    assert not result["ok"] and not result["forecast"]["repaired"]


def test_a_restart_is_a_repair_and_a_network_failure_is_not():
    assert _check_run("AZCM0064", {})["forecast"]["repaired"] is True
    network = _check_run("AZCM0026", {})
    assert network["forecast"]["ok"] is False and not network["ok"]


def test_a_plain_connect_is_forecast_as_connected():
    result = _results.onboard_result(host="h", failed=False, connect=WOULD_CONNECT, diagnosis={"ok": True}, plan=[],
                                     actions=[{"action": "connect", "ok": True, "changed": True}], escalated=False, check_mode=True)
    assert result["forecast"] == {"ok": True, "state": "Connected", "changed": True, "repaired": False, "actions": []}
    assert result["state"] == "Disconnected", "the agent's state now: check mode changed nothing"


def test_a_connected_host_of_the_remediate_playbook_forecasts_its_repair():
    health = {"status": "Connected", "connected": True, "services": [{"name": "himdsd", "status": "stopped"}]}
    steps = [{"action": "restart_services", "allowed": True, "done": False, "ok": True}]
    result = _results.remediate_result(host="h", health=health, remediation={"steps": steps}, check_mode=True)
    assert result["forecast"] == {"ok": True, "state": "Connected", "changed": True, "repaired": True, "actions": ["restart_services"]}
    healthy = _results.remediate_result(host="h", health={"status": "Connected", "connected": True, "services": []}, remediation={},
                                        check_mode=True)
    assert healthy["forecast"] == {"ok": True, "state": "Connected", "changed": False, "repaired": False, "actions": []}
    assert "forecast" not in _results.remediate_result(host="h", health=health, remediation={}, check_mode=False)


def test_an_interrupted_connect_is_told_from_a_stale_resource_by_the_connect_result():
    # `show` prints an interrupted connect as Disconnected; the connect module's check-mode result keeps its resource ID
    found = {"changed": False, "machines": [{"name": "h1", "id": "/x", "vm_id": "mine"}]}
    info = {"status": "Disconnected", "resource_id": "/x", "vm_id": "mine"}
    assert _forecast(connect=dict(WOULD_CONNECT, resource_id="/x"), info=info, arm=found)["rc"] == 62
    assert _forecast(connect=dict(WOULD_CONNECT, resource_id="/x"), info=dict(info, vm_id="new"), arm=found)["rc"] == 44


def test_the_local_vm_id_comes_from_the_info_modules_show():
    found = {"changed": False, "machines": [{"name": "h1", "id": "/x", "vm_id": "MINE"}]}
    info = {"status": "Disconnected", "resource_id": "/x", "show": {"vmId": "mine"}}
    assert _forecast(connect=dict(WOULD_CONNECT, resource_id="/x"), info=info, arm=found)["rc"] == 62
