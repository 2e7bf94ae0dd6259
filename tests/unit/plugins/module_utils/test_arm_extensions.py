# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ARM client's machine extensions: list (every page, None for a missing machine), delete (long-running), summary."""

from __future__ import annotations

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _arm as arm

from test_arm import MACHINE_PATH, SUB, Script, client_for, fake_token, pki, server  # noqa: F401  pylint: disable=unused-import

EXT_PATH = MACHINE_PATH + "/extensions"


def extension(name):
    return {"id": EXT_PATH + "/" + name, "name": name, "type": "Microsoft.HybridCompute/machines/extensions", "location": "westeurope",
            "properties": {"publisher": "Microsoft.Azure.Monitor", "type": name, "typeHandlerVersion": "1.33.2",
                           "provisioningState": "Succeeded",
                           "instanceView": {"status": {"code": "success", "displayStatus": "Provisioning succeeded"}}}}


def test_list_extensions_follows_next_link(server, pki):  # noqa: F811
    page2 = server.url + EXT_PATH + "?api-version=2025-01-13&%24skiptoken=1"
    server.handler = (Script(fake_token())
                      .add("GET", EXT_PATH + "?api-version=2025-01-13&%24skiptoken=1", (200, {}, {"value": [extension("MDE.Linux")]}))
                      .add("GET", EXT_PATH, (200, {}, {"value": [extension("AzureMonitorLinuxAgent")], "nextLink": page2})))
    found = client_for(server, pki).list_extensions(SUB, "rg-arc", "web01")
    assert [e["name"] for e in found] == ["AzureMonitorLinuxAgent", "MDE.Linux"]
    assert [arm.extension_summary(e) for e in found][0] == {
        "name": "AzureMonitorLinuxAgent", "id": EXT_PATH + "/AzureMonitorLinuxAgent", "publisher": "Microsoft.Azure.Monitor",
        "type": "AzureMonitorLinuxAgent", "version": "1.33.2", "provisioning_state": "Succeeded", "status": "Provisioning succeeded"}


def test_list_extensions_of_a_missing_machine_is_none(server, pki):  # noqa: F811
    server.handler = Script(fake_token()).add("GET", EXT_PATH, (404, {}, {"error": {"code": "ResourceNotFound", "message": "gone"}}))
    assert client_for(server, pki).list_extensions(SUB, "rg-arc", "web01") is None


def test_delete_extension_follows_the_operation(server, pki):  # noqa: F811
    status_url = "%s/subscriptions/%s/providers/Microsoft.HybridCompute/locations/westeurope/operationstatus/op9" % (server.url, SUB)
    sleeps = []
    server.handler = (Script(fake_token())
                      .add("DELETE", EXT_PATH + "/MDE.Linux", (202, {"Azure-AsyncOperation": status_url, "Retry-After": "1"}, None),
                           (204, {}, None))
                      .add("GET", "/subscriptions/%s/providers/Microsoft.HybridCompute/locations" % SUB,
                           (200, {}, {"name": "op9", "status": "InProgress"}), (200, {}, {"name": "op9", "status": "Succeeded"})))
    client = client_for(server, pki, sleeps)
    assert client.delete_extension(SUB, "rg-arc", "web01", "MDE.Linux") is True
    assert sleeps == [1, 1]
    assert client.delete_extension(SUB, "rg-arc", "web01", "MDE.Linux") is False


@pytest.mark.parametrize("name", ["../machines/other", "a/b", "", "x" * 129])
def test_bad_extension_names_are_refused_before_sending(server, pki, name):  # noqa: F811
    client = client_for(server, pki)
    with pytest.raises(arm.ArmError) as info:
        client.extension_path(SUB, "rg-arc", "web01", name or "bad name")
    assert info.value.kind == "config"
    assert not server.requests
