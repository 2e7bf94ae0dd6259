# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.arcops.azcmagent.plugins.modules import info


def test_not_installed_is_not_a_failure(tmp_path, run_module):
    failed, result = run_module(info, {"executable": str(tmp_path / "none")})
    assert not failed and result["installed"] is False and result["status"] == "NotInstalled"
    assert result["connected"] is False and not result["changed"]


def test_connected_facts(agent, run_module):
    agent.connect_locally()
    agent.set(config=dict(agent.load()["config"], **{"proxy.url": "http://proxy:3128", "proxy.bypass": ["AAD", "ARM"]}))
    failed, result = run_module(info, {"executable": agent.path}, check_mode=True)
    assert not failed and not result["changed"]
    assert result["installed"] and result["connected"] and result["status"] == "Connected"
    assert result["resource_group"] == "rg-arc" and result["subscription_id"] == agent.subscription
    assert result["version"] == "1.58.03228.700"
    assert result["log_file"].endswith("/var/log/azcmagent.log")
    assert result["config"]["proxy.url"] == "http://proxy:3128"
    assert result["config"]["proxy.bypass"] == ["AAD", "ARM"]
    assert agent.commands() == []


def test_text_fallback_for_old_agents(agent, run_module):
    agent.connect_locally()
    agent.set(no_json=True)
    failed, result = run_module(info, {"executable": agent.path, "gather_config": False})
    assert not failed and result["connected"] and result["resource_group"] == "rg-arc"
    assert "config" not in result
