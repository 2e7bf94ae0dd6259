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
    assert agent.commands() == [["config", "set", "proxy.url", "http://proxy:3128"]]


def test_boolean_setting(agent, run_module):
    four_steps(run_module, agent, {"executable": agent.path, "name": "extensions.enabled", "value": False})
    assert agent.commands() == [["config", "set", "extensions.enabled", "false"]]
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
    assert agent.commands() == [command]
    assert results[1]["value"] == end and results[0]["diff"]["after"] == {"proxy.bypass": end}


def test_absent_clears(agent, run_module):
    agent.set(config=dict(agent.load()["config"], **{"proxy.url": "http://proxy:3128"}))
    four_steps(run_module, agent, {"executable": agent.path, "name": "proxy.url", "state": "absent"})
    assert agent.commands() == [["config", "clear", "proxy.url"]]


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
    assert result["cmd"].endswith("config set proxy.url http://p:1")
