# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.arcops.azcmagent.plugins.modules import config


def four_steps(run_module, agent, args):
    results = [run_module(config, args, check_mode=True, diff=True), run_module(config, args, diff=True),
               run_module(config, args, check_mode=True), run_module(config, args)]
    assert [result[0] for result in results] == [False] * 4, results
    assert [result[1]["changed"] for result in results] == [True, True, False, False]
    return [result[1] for result in results]


def test_scalar_setting(agent, run_module):
    results = four_steps(run_module, agent, {"executable": agent.path, "name": "proxy.url", "value": "http://proxy:3128"})
    assert results[0]["diff"] == {"before": {"proxy.url": ""}, "after": {"proxy.url": "http://proxy:3128"}}
    assert results[1]["value"] == "http://proxy:3128" and results[1]["previous"] == ""
    assert agent.commands() == [["config", "set", "proxy.url", "http://proxy:3128", "--verbose"]]


def test_boolean_setting(agent, run_module):
    four_steps(run_module, agent, {"executable": agent.path, "name": "extensions.enabled", "value": False})
    assert agent.commands() == [["config", "set", "extensions.enabled", "false", "--verbose"]]
    assert agent.load()["config"]["extensions.enabled"] == "false"


@pytest.mark.parametrize("mode, start, value, command, end", [
    ("replace", [], ["AAD", "ARM"], ["config", "set", "proxy.bypass", "AAD,ARM"], ["AAD", "ARM"]),
    ("add", ["AAD"], ["AAD", "Arc"], ["config", "set", "proxy.bypass", "Arc", "--add"], ["AAD", "Arc"]),
    ("remove", ["AAD", "ARM"], ["ARM", "Arc"], ["config", "set", "proxy.bypass", "ARM", "--remove"], ["AAD"]),
    ("replace", ["AAD"], [], ["config", "clear", "proxy.bypass"], []),
])
def test_list_modes(agent, run_module, mode, start, value, command, end):
    agent.set(config=dict(agent.load()["config"], **{"proxy.bypass": start}))
    results = four_steps(run_module, agent, {"executable": agent.path, "name": "proxy.bypass", "value": value, "list_mode": mode})
    assert agent.commands() == [command + ["--verbose"]]
    assert results[1]["value"] == end and results[0]["diff"]["after"] == {"proxy.bypass": end}


def test_absent_clears(agent, run_module):
    agent.set(config=dict(agent.load()["config"], **{"proxy.url": "http://proxy:3128"}))
    four_steps(run_module, agent, {"executable": agent.path, "name": "proxy.url", "state": "absent"})
    assert agent.commands() == [["config", "clear", "proxy.url", "--verbose"]]


def test_absent_on_default_is_unchanged(agent, run_module):
    failed, result = run_module(config, {"executable": agent.path, "name": "config.mode", "state": "absent"})
    assert not failed and not result["changed"] and agent.commands() == []


def test_list_mode_on_scalar_is_invalid(agent, run_module):
    failed, result = run_module(config, {"executable": agent.path, "name": "proxy.url", "value": "x", "list_mode": "add"})
    assert failed and result["azcm_code"] == "AZCM0023" and agent.commands() == []


def test_not_root_fails_with_0018(agent, run_module):
    agent.set(non_root=True)
    failed, result = run_module(config, {"executable": agent.path, "name": "proxy.url", "value": "http://p:1"})
    assert failed and result["azcm_code"] == "AZCM0018" and result["rc"] == 18
    assert result["cmd"].endswith("config set proxy.url http://p:1 --verbose")
    assert result["state"] == "Disconnected"


@pytest.mark.parametrize("status", ["Connected", "Disconnected", "Expired"])
def test_state_is_the_agent_status(agent, run_module, status):
    agent.connect_locally(status=status)
    args = {"executable": agent.path, "name": "proxy.url", "value": "http://proxy:3128"}
    results = four_steps(run_module, agent, args)
    assert [result["state"] for result in results] == [status] * 4
    assert results[0]["cmd"].endswith("config set proxy.url http://proxy:3128 --verbose")


def test_state_after_the_run_is_read_again(agent, run_module):
    # The status reported is the one `show` gives after the change, not the one read before it.
    agent.connect_locally()
    show_count = sum(1 for c in agent.calls() if c["argv"][0] == "show")
    failed, result = run_module(config, {"executable": agent.path, "name": "config.mode", "value": "monitor"})
    assert not failed and result["changed"] and result["state"] == "Connected"
    shows = [c["argv"] for c in agent.calls() if c["argv"][0] == "show"][show_count:]
    mutating = [i for i, c in enumerate(agent.calls()) if c["argv"][:2] == ["config", "set"]][0]
    assert any(c["argv"][0] == "show" for c in agent.calls()[mutating + 1:]) and len(shows) >= 2


def test_not_installed_state(tmp_path, run_module):
    failed, result = run_module(config, {"executable": str(tmp_path / "missing"), "name": "proxy.url", "value": "x"})
    assert failed and result["state"] == "NotInstalled"
