# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The agent's services: which are in use, which are stopped, which the remediate role restarts."""

from __future__ import annotations

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _results, _show
from ansible_collections.arcops.azcmagent.plugins.filter._azcm_services import azcm_services


def services(**states):
    return [{"name": name, "display_name": name, "status": status} for name, status in states.items()]


LINUX = dict(himdsd="active", arcproxyd="inactive", extd="active", gcad="active")
HIMDS_DOWN = {"himdsd": "inactive", "arcproxyd": "inactive", "extd": "active", "gcad": "active"}


def test_the_arc_proxy_is_in_use_only_with_the_gateway():
    listed = services(**LINUX)
    assert _show.services_in_use(listed) == ["himdsd", "extd", "gcad"]
    assert _show.stopped_services(listed) == []          # arcproxyd is stopped, but not in use
    assert _show.services_in_use(listed, {"connection.type": "gateway"}) == ["himdsd", "arcproxyd", "extd", "gcad"]
    assert _show.stopped_services(listed, {"connection.type": "gateway"}) == ["arcproxyd"]
    assert _show.stopped_services(listed, None, "https://abc.gw.arc.azure.com") == ["arcproxyd"]


@pytest.mark.parametrize("config, stopped", [
    ({}, ["himdsd", "extd", "gcad"]),
    ({"extensions.enabled": False}, ["himdsd", "gcad"]),
    ({"guestconfiguration.enabled": "false", "extensions.enabled": "false"}, ["himdsd"]),
])
def test_disabled_services_are_not_in_use(config, stopped):
    listed = services(himdsd="inactive", arcproxyd="inactive", extd="failed", gcad="dead")
    assert _show.stopped_services(listed, config) == stopped


def test_windows_names_and_foreign_services():
    listed = services(himds="stopped", arcproxy="stopped", extensionservice="running", gcarcservice="running", CcmExec="stopped")
    assert _show.services_in_use(listed) == ["himds", "extensionservice", "gcarcservice"]
    assert _show.stopped_services(listed) == ["himds"]


def test_results_use_the_info_modules_stopped_services():
    info = {"services": services(**HIMDS_DOWN), "stopped_services": ["himdsd"]}
    assert _results.stopped_services(info) == ["himdsd"]
    # an older result without stopped_services: computed the same way, never counting a service not in use
    assert _results.stopped_services({"services": services(**HIMDS_DOWN)}) == ["himdsd"]
    assert _results.stopped_services({"services": services(**LINUX)}) == []
    assert _results.STOPPED_STATUSES == _show.STOPPED_STATUSES


@pytest.mark.parametrize("info, restart", [
    # himds stopped: only it (the fleet's wrapper unit stands for himdsd)
    ({"services_in_use": ["himdsd", "extd", "gcad"], "stopped_services": ["himdsd"]}, ["arcsim-f1-h1-himdsd"]),
    # nothing stopped (a socket that does not answer): every unit in use, never arcproxyd without a gateway
    ({"services_in_use": ["himdsd", "extd", "gcad"], "stopped_services": []}, ["arcsim-f1-h1-himdsd", "gcad", "extd"]),
    ({"services_in_use": ["himdsd", "arcproxyd"], "stopped_services": ["arcproxyd"]}, ["arcproxyd"]),
    # no info (the info module failed): the agent service only
    ({}, ["arcsim-f1-h1-himdsd"]),
])
def test_services_to_restart(info, restart):
    units = ["arcsim-f1-h1-himdsd", "gcad", "extd", "arcproxyd", "unrelated"]
    assert _show.services_to_restart(units, info) == restart
    assert azcm_services(units, info) == restart
