# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime
import json
import os
import socket

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import LOCK_NAME
from ansible_collections.arcops.azcmagent.plugins.modules import connect

OUTCOME_KEYS = ("rc", "exit_code", "azcm_code", "azcm_codes", "title", "cause", "remediation", "category", "retryable", "action",
                "findings", "log_lines", "stdout_lines", "stderr_lines", "cmd", "state")


def test_four_steps(agent, run_module):
    args = agent.connect_args(tags={"env": "prod", "owner": "platform team"})
    failed, first = run_module(connect, args, check_mode=True)
    assert not failed and first["changed"] and agent.commands() == []
    failed, second = run_module(connect, args)
    assert not failed and second["changed"], second
    assert second["state"] == "Connected" and second["category"] == "success" and second["action"] == "none"
    assert second["resource_id"].endswith("/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/host01")
    assert any("Connected machine to Azure" in line for line in second["log_lines"])
    assert set(OUTCOME_KEYS) <= set(second)
    failed, third = run_module(connect, args, check_mode=True)
    assert not failed and not third["changed"]
    failed, fourth = run_module(connect, args)
    assert not failed and not fourth["changed"]
    assert fourth["azcm_code"] == "AZCM0067" and fourth["category"] == "already_connected" and fourth["action"] == "none"
    (argv,) = agent.commands()
    assert argv[0] == "connect" and "--verbose" in argv
    assert argv[argv.index("--tags") + 1] == "env=prod,owner='platform team'"
    assert argv[argv.index("--location") + 1] == "westeurope"
    assert "--config" in argv and agent.secret not in json.dumps(agent.calls())
    assert [c["config_keys"] for c in agent.calls() if c["argv"][0] == "connect"] == [["service-principal-secret"]]


def test_connected_machine_costs_one_agent_call(agent, run_module):
    """Nothing to do: one ``show -j``, no lock taken (so no lock file), whatever the mode."""
    args = agent.connect_args()
    agent.connect_locally()
    for check_mode in (False, True):
        before = len(agent.calls())
        failed, result = run_module(connect, args, check_mode=check_mode)
        assert not failed and not result["changed"], result
        assert [c["argv"] for c in agent.calls()[before:]] == [["show", "-j"]]
    assert not os.path.exists(os.path.join(agent.root, "var", LOCK_NAME))


def test_change_reads_the_state_again_under_the_lock(agent, run_module):
    """A connect decides on a glance, then reads the state again once it holds the lock, before it acts."""
    failed, result = run_module(connect, agent.connect_args())
    assert not failed and result["changed"], result
    argvs = [c["argv"][:2] for c in agent.calls()]
    assert argvs[:2] == [["show", "-j"], ["show", "-j"]] and argvs[2][0] == "connect", argvs


def test_secret_never_returned(agent, run_module):
    agent.set(fail={"connect": [41, "Failed to Obtain Access Token", "Invalid client secret is provided: %s" % agent.secret]})
    failed, result = run_module(connect, agent.connect_args())
    assert failed
    assert agent.secret not in json.dumps(result)
    assert result["azcm_code"] == "AZCM0041"


def test_failure_carries_everything(agent, run_module):
    agent.set(fail={"connect": [42, "Failed to Create Resource",
                                "RequestCorrelationId:0 Message: The subscription is not registered to use namespace "
                                "'Microsoft.HybridCompute'. Code: MissingSubscriptionRegistration httpStatusCode:409"]})
    failed, result = run_module(connect, agent.connect_args())
    assert failed
    assert result["msg"].startswith("AZCM0042: ")
    assert result["rc"] == 42 and result["exit_code"] == 42
    assert "connect" in result["cmd"] and "--service-principal-id" in result["cmd"]
    assert "Exit Code:  AZCM0042" in result["stdout"]
    assert result["stdout_lines"] and result["log_lines"]
    assert result["state"] == "Disconnected"
    assert set(OUTCOME_KEYS) <= set(result)


def test_dutch_message(agent, run_module):
    agent.set(fail={"connect": [64, "Unable to Establish Communication With HIMDS", "dial unix himds.sock: connect: no such file"]})
    failed, result = run_module(connect, agent.connect_args(lang="nl"))
    assert failed and result["msg"].startswith("AZCM0064: ")
    assert "HIMDS" in result["msg"] and "Ensure that" not in result["msg"]


@pytest.mark.parametrize("overrides, code", [
    ({"location": "atlantis"}, "AZCM0020"),
    ({"resource_name": "bad name"}, "AZCM0023"),
    ({"service_principal_secret": None}, "AZCM0016"),
    ({"cloud": "MarsCloud"}, "AZCM0023"),
    ({"tags": {"a/b": "c"}}, "AZCM0023"),
])
def test_validation_fails_before_running(agent, run_module, overrides, code):
    failed, result = run_module(connect, agent.connect_args(**overrides))
    assert failed and result["azcm_code"] == code and result["msg"].startswith(code + ": ")
    assert result["category"] == "input" and result["retryable"] is False
    assert agent.commands() == []


def test_connected_elsewhere_fails_with_0067(agent, run_module):
    agent.connect_locally(resource_group="rg-old")
    failed, result = run_module(connect, agent.connect_args())
    assert failed and result["azcm_code"] == "AZCM0067" and result["action"] == "reonboard"
    assert "rg-old" in result["msg"] and "rg-arc" in result["msg"]
    assert result["findings"][0]["details"]["differs"] == ["resource_group"]
    assert agent.commands() == []


def test_case_insensitive_target(agent, run_module):
    agent.connect_locally(resource_group="RG-ARC", location="WestEurope")
    failed, result = run_module(connect, agent.connect_args(location="West Europe", cloud="azurecloud",
                                                            subscription_id=agent.subscription.upper()))
    assert not failed and not result["changed"]


@pytest.mark.parametrize("status", ["Disconnected", "Expired"])
def test_onboarded_but_not_connected_is_a_mismatch(agent, run_module, status):
    agent.connect_locally(status=status)
    failed, result = run_module(connect, agent.connect_args())
    assert failed and result["azcm_code"] == "AZCM0067" and status in result["msg"]


def test_interrupted_connect_is_resumed(agent, run_module):
    # What a connect that crashed after creating the resource leaves: resource id, empty status, no heartbeat.
    agent.connect_locally(status="", heartbeat="")
    agent.set(fail={"connect": [62, "Failed to Connect Machine", "the resource already exists from an incomplete connect"]})
    failed, result = run_module(connect, agent.connect_args())
    assert failed and result["azcm_code"] == "AZCM0062"
    assert [argv[0] for argv in agent.commands()] == ["connect"]


def write_agent_config(agent, **record):
    # The fake agent's log is <root>/var/log, so its state directory (where agentconfig.json lives) is <root>/var.
    state = agent.load()["state"]
    data = {"resourceId": state["resourceId"], "status": state["status"], "lastHeartbeat": state["lastHeartbeat"], "connectPending": False}
    data.update(record)
    os.makedirs(os.path.join(agent.root, "var"), exist_ok=True)
    with open(os.path.join(agent.root, "var", "agentconfig.json"), "w") as handle:
        json.dump(data, handle)


@pytest.mark.parametrize("record", [{"status": "", "lastHeartbeat": "", "connectPending": True}, {"status": "", "lastHeartbeat": ""}])
def test_interrupted_connect_shown_as_disconnected_is_resumed(agent, run_module, record):
    # `show` prints an unfinished onboarding as Disconnected; the agent's own record says it is pending.
    agent.connect_locally(status="Disconnected", heartbeat="")
    write_agent_config(agent, **record)
    agent.set(fail={"connect": [62, "Failed to Connect Machine", "the resource already exists from an incomplete connect"]})
    failed, result = run_module(connect, agent.connect_args())
    assert failed and result["azcm_code"] == "AZCM0062"
    assert [argv[0] for argv in agent.commands()] == ["connect"]


OTHER_RESOURCE = "/subscriptions/x/resourceGroups/other/providers/m/machines/y"


@pytest.mark.parametrize("record", [{"status": "Disconnected"}, {"status": "", "lastHeartbeat": "", "connectPending": True, "resourceId": OTHER_RESOURCE}])
def test_agent_record_of_an_onboarded_machine_is_a_mismatch(agent, run_module, record):
    agent.connect_locally(status="Disconnected", heartbeat="")
    write_agent_config(agent, **record)
    failed, result = run_module(connect, agent.connect_args())
    assert failed and result["azcm_code"] == "AZCM0067" and agent.commands() == []


@pytest.mark.parametrize("status", ["Disconnected", "Expired"])
@pytest.mark.parametrize("heartbeat", ["", "recent"])
def test_disconnected_or_expired_always_go_through_on_mismatch(agent, run_module, status, heartbeat):
    if heartbeat == "recent":
        heartbeat = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    agent.connect_locally(status=status, heartbeat=heartbeat)
    failed, result = run_module(connect, agent.connect_args())
    assert failed and result["azcm_code"] == "AZCM0067" and result["action"] == "reonboard"
    assert result["findings"][0]["id"] == "onboarded_%s" % status.lower()
    assert agent.commands() == []
    failed, result = run_module(connect, agent.connect_args(on_mismatch="reconnect"))
    assert not failed and result["changed"] and result["state"] == "Connected"
    assert [argv[0] for argv in agent.commands()] == ["disconnect", "connect"]


@pytest.mark.parametrize("field, value", [("subscription_id", "Some Other Subscription"), ("tenant_id", "contoso.onmicrosoft.com")])
def test_target_given_by_name_is_a_mismatch(agent, run_module, field, value):
    agent.connect_locally()
    failed, result = run_module(connect, agent.connect_args(**{field: value}))
    assert failed and result["azcm_code"] == "AZCM0067" and agent.commands() == []
    assert result["findings"][0]["details"]["differs"] == [field]
    assert field in result["msg"] and "give the GUID" in result["msg"]
    failed, result = run_module(connect, agent.connect_args(lang="nl", **{field: value}))
    assert failed and "geef de GUID op" in result["msg"]
    failed, result = run_module(connect, agent.connect_args(on_mismatch="reconnect", **{field: value}), check_mode=True)
    assert not failed and result["changed"]


def test_reconnect_four_steps(agent, run_module):
    agent.connect_locally(resource_group="rg-old")
    args = agent.connect_args(on_mismatch="reconnect")
    failed, result = run_module(connect, args, check_mode=True, diff=True)
    assert not failed and result["changed"] and agent.commands() == []
    assert [c.split()[1] for c in result["commands"]] == ["disconnect", "connect"]
    assert result["diff"]["before"]["resource_group"] == "rg-old" and result["diff"]["after"]["resource_group"] == "rg-arc"
    failed, result = run_module(connect, args)
    assert not failed and result["changed"] and result["previous"]["resource_group"] == "rg-old"
    assert "/resourceGroups/rg-arc/" in result["resource_id"]
    assert [argv[0] for argv in agent.commands()] == ["disconnect", "connect"]
    assert all("--config" in argv for argv in agent.commands())
    assert not run_module(connect, args, check_mode=True)[1]["changed"]
    assert not run_module(connect, args)[1]["changed"]


def test_reconnect_falls_back_to_force_local(agent, run_module):
    agent.connect_locally(resource_group="rg-old")
    agent.set(fail={"disconnect": [43, "Failed to Delete Resource", "resource not found; use --force-local-only"]})
    failed, result = run_module(connect, agent.connect_args(on_mismatch="reconnect"))
    assert failed and result["azcm_code"] == "AZCM0043" and result["state"] == "Connected"
    assert [argv[0] for argv in agent.commands()] == ["disconnect"]
    failed, result = run_module(connect, agent.connect_args(on_mismatch="reconnect", reconnect_force_local=True))
    assert not failed and result["changed"], result
    assert [argv[:2] for argv in agent.commands()][1:] == [["disconnect", "--service-principal-id"],
                                                           ["disconnect", "--force-local-only"], ["connect", "--subscription-id"]]
    assert len(result["commands"]) == 3


def test_timeout_is_transient_and_retryable(agent, run_module):
    agent.set(hang=True)
    failed, result = run_module(connect, agent.connect_args(timeout=2))
    assert failed
    assert result["azcm_code"] == "AZCM0011" and result["category"] == "transient" and result["retryable"] is True
    assert result["action"] == "retry" and "2 seconds" in result["msg"]


def test_agent_not_found(tmp_path, run_module, agent):
    failed, result = run_module(connect, agent.connect_args(executable=str(tmp_path / "missing")))
    assert failed and result["category"] == "install" and result["state"] == "NotInstalled"
    assert str(tmp_path / "missing") in result["msg"]


def test_legacy_agent_without_json_show(agent, run_module):
    agent.set(no_json=True)
    agent.connect_locally()
    agent.set(no_json=True)
    failed, result = run_module(connect, agent.connect_args())
    assert not failed and not result["changed"], result


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_preflight_runs_only_when_the_machine_has_to_connect(agent, run_module):
    """The preflight's findings come back with the connect and do not stop it; a connected machine costs no probe."""
    port = _closed_port()
    preflight = {"endpoints": [{"url": "https://management.azure.com", "connect_to": f"127.0.0.1:{port}"}],
                 "agent_check": "never", "use_agent_proxy": False, "timeout": 5}
    args = agent.connect_args(preflight=preflight)
    failed, first = run_module(connect, args)
    assert not failed and first["changed"], first.get("msg")
    assert first["preflight"]["ok"] is False and first["preflight"]["endpoints"][0]["ok"] is False
    assert first["preflight"]["findings"], first["preflight"]
    failed, second = run_module(connect, args)
    assert not failed and not second["changed"] and "preflight" not in second


def test_preflight_with_a_bad_option_names_it(agent, run_module):
    failed, result = run_module(connect, agent.connect_args(preflight={"timeout": "soon"}))
    assert failed and "preflight" in result["msg"] and "timeout" in result["msg"], result
    assert agent.commands() == []
