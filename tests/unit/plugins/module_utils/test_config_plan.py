# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The config module's plan (_config_plan): which command, if any, and the value it leaves."""

from __future__ import annotations

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _config_plan as plan


@pytest.mark.parametrize("value, expected", [(None, []), ("", []), ("[a b]", ["a", "b"]), ("a,b", ["a", "b"]), (["a", "", 1], ["a", "1"])])
def test_as_list(value, expected):
    assert plan.as_list(value) == expected


@pytest.mark.parametrize("value, expected", [(None, ""), (True, "true"), (False, "false"), (" x ", "x"), (3, "3")])
def test_scalar(value, expected):
    assert plan.scalar(value) == expected


def test_lookup_ignores_case_and_preview():
    assert plan.lookup_setting({"Extensions.Allowlist (preview)": "[a]"}, " extensions.allowlist ") == "[a]"
    assert plan.lookup_setting({}, "proxy.url") is None
    assert plan.is_list_setting("Proxy.Bypass", "x") and plan.is_list_setting("other", ["x"]) and not plan.is_list_setting("proxy.url", "x")


@pytest.mark.parametrize("name, is_list, current, value, mode, state, argv, after", [
    ("proxy.url", False, "", "http://p:3128", "replace", "present", ["config", "set", "proxy.url", "http://p:3128"], "http://p:3128"),
    ("proxy.url", False, "http://p:3128", "http://p:3128", "replace", "present", None, "http://p:3128"),
    ("extensions.enabled", False, "TRUE", True, "replace", "present", None, "TRUE"),
    ("extensions.enabled", False, "true", False, "replace", "present", ["config", "set", "extensions.enabled", "false"], "false"),
    ("proxy.bypass", True, ["ARM"], ["Arc", "ARM"], "add", "present", ["config", "set", "proxy.bypass", "Arc", "--add"], ["ARM", "Arc"]),
    ("proxy.bypass", True, ["ARM"], ["ARM"], "add", "present", None, ["ARM"]),
    ("proxy.bypass", True, ["ARM", "Arc"], ["Arc", "x"], "remove", "present", ["config", "set", "proxy.bypass", "Arc", "--remove"], ["ARM"]),
    ("proxy.bypass", True, ["ARM"], ["x"], "remove", "present", None, ["ARM"]),
    ("proxy.bypass", True, ["b", "a"], ["a", "b"], "replace", "present", None, ["b", "a"]),
    ("proxy.bypass", True, ["a"], [], "replace", "present", ["config", "clear", "proxy.bypass"], []),
    ("proxy.bypass", True, ["a"], ["c"], "replace", "present", ["config", "set", "proxy.bypass", "c"], ["c"]),
    ("config.mode", False, "monitor", None, "replace", "absent", ["config", "clear", "config.mode"], "full"),
    ("config.mode", False, "full", None, "replace", "absent", None, "full"),
    ("proxy.bypass", True, [], None, "replace", "absent", None, []),
    ("unknown.thing", False, "", None, "replace", "absent", None, ""),
], ids=lambda v: v if isinstance(v, str) and v in ("add", "remove", "replace") else None)
def test_plan(name, is_list, current, value, mode, state, argv, after):
    assert plan.plan(name, is_list, current, value, mode, state) == plan.Plan(argv, after)
