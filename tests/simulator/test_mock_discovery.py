# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The mock Azure's regional HIS discovery (GET gbl.his…/discovery?location=…&api-version=2.1), without a daemon."""

from __future__ import annotations

import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "agent"))
sys.path.insert(0, HERE)

from azsim import azure as sim_azure  # noqa: E402  pylint: disable=wrong-import-position
from mockazure.model import DISCOVERY_CODES, Mock  # noqa: E402  pylint: disable=wrong-import-position


def ask(mock, location, host="gbl.his.arc.azure.com", version="2.1", method="GET"):
    query = "?" + "&".join(part for part in (f"location={location}" if location is not None else "",
                                              f"api-version={version}" if version else "") if part)
    status, headers, body = mock.handle(method, "/discovery" + query, {"Host": host}, b"")
    return status, headers, json.loads(body)


@pytest.mark.parametrize("location, answer", [
    ("westeurope", "https://weu.his.arc.azure.com"),
    ("ukwest", "https://uks.his.arc.azure.com"),    # a secondary region answered with the UK South host (real capture)
    ("West Europe", "https://weu.his.arc.azure.com"),
])
def test_discovery_answers_one_url_string(location, answer):
    status, headers, body = ask(Mock(), location)
    assert status == 200 and body == answer and headers["Content-Type"].startswith("application/json")


def test_discovery_per_cloud_and_settings_override():
    mock = Mock()
    assert ask(mock, "usgovvirginia", host="gbl.his.arc.azure.us")[2] == "https://usgv.his.arc.azure.us"
    mock.seed({"settings": {"regional_his": {"westus3": "wus3x"}}})
    assert ask(mock, "westus3")[2] == "https://wus3x.his.arc.azure.com"
    assert mock.requests[-1]["path"] == "/discovery?location=westus3&api-version=2.1"
    assert mock.requests[-1]["host"] == "gbl.his.arc.azure.com"


@pytest.mark.parametrize("location, version, method, status", [
    ("westus3", "2.1", "GET", 400),     # no public source names its host: the mock knows none
    (None, "2.1", "GET", 400),
    ("westeurope", None, "GET", 400),
    ("westeurope", "2.1", "POST", 405),
])
def test_discovery_errors(location, version, method, status):
    got, _headers, body = ask(Mock(), location, version=version, method=method)
    assert got == status and set(body["error"]) == {"code", "message"}


def test_mock_and_agent_simulator_agree_on_every_host():
    for cloud in ("AzureCloud", "AzureUSGovernment", "AzureChinaCloud"):
        suffix = sim_azure.cloud_info(cloud)["his"]
        assert DISCOVERY_CODES[suffix] == sim_azure.REGIONAL_HIS[sim_azure.cloud_info(cloud)["name"]], cloud
