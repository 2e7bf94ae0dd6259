# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The mock's machine extensions (in process, no HTTP): list with paging, GET, async DELETE, removed with their machine,
shown in the machine's ``resources``, and the role check (Onboarding may not read them)."""

from __future__ import annotations

import json
import urllib.parse
import uuid

import pytest

from mockazure.model import Mock

API = "api-version=2025-01-13"
TENANT, SUB, RG = str(uuid.uuid4()), str(uuid.uuid4()), "rg-arc"
ADMIN, ONBOARD = str(uuid.uuid4()), str(uuid.uuid4())
MACHINE = "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/web01" % (SUB, RG)
NAMES = ["AzureMonitorLinuxAgent", "CustomScript", "MDE.Linux"]


@pytest.fixture
def mock():
    m = Mock()
    scope = "/subscriptions/%s/resourceGroups/%s" % (SUB, RG)
    m.seed({
        "tenants": {TENANT: {"display_name": "Contoso"}},
        "principals": {ADMIN: {"tenant": TENANT, "secret": "a", "object_id": "oid-admin"},
                       ONBOARD: {"tenant": TENANT, "secret": "b", "object_id": "oid-onboard"}},
        "subscriptions": {SUB: {"tenant": TENANT, "providers": {"Microsoft.HybridCompute": "Registered"}}},
        "resource_groups": {scope.lower(): {"name": RG, "location": "westeurope"}},
        "role_assignments": [{"object_id": "oid-admin", "role": "Azure Connected Machine Resource Administrator", "scope": scope},
                             {"object_id": "oid-onboard", "role": "Azure Connected Machine Onboarding", "scope": scope}],
        "machines": {MACHINE.lower(): Mock.new_machine(MACHINE, "web01", "westeurope")},
        "extensions": {(MACHINE + "/extensions/" + n).lower(): Mock.new_extension(MACHINE, n) for n in NAMES},
        "settings": {"page_size": 2},
    })
    return m


def call(mock, method, path, principal=ADMIN):
    token = mock.issue_token(principal, mock.state["principals"][principal], TENANT, "https://management.azure.com/")
    target = path if "api-version" in path else path + ("&" if "?" in path else "?") + API
    status, headers, body = mock.handle(method, target, {"Authorization": "Bearer " + token, "Host": "management.azure.com"}, b"")
    return status, headers, json.loads(body) if body else None


def test_list_pages_and_get(mock):
    status, _, page = call(mock, "GET", MACHINE + "/extensions")
    assert status == 200 and [e["name"] for e in page["value"]] == NAMES[:2]
    nxt = urllib.parse.urlsplit(page["nextLink"])
    status, _, page2 = call(mock, "GET", nxt.path + "?" + nxt.query)
    assert status == 200 and [e["name"] for e in page2["value"]] == NAMES[2:] and "nextLink" not in page2
    status, _, ext = call(mock, "GET", MACHINE + "/extensions/MDE.Linux")
    assert status == 200 and ext["type"] == "Microsoft.HybridCompute/machines/extensions" and ext["name"] == "MDE.Linux"
    status, _, machine = call(mock, "GET", MACHINE)
    assert [r["name"] for r in machine["resources"]] == NAMES


def test_delete_is_a_long_running_operation(mock):
    status, headers, body = call(mock, "DELETE", MACHINE + "/extensions/CustomScript")
    assert status == 202 and body is None and headers["Retry-After"] == "1"
    poll = urllib.parse.urlsplit(headers["Azure-AsyncOperation"])
    assert call(mock, "GET", poll.path + "?" + poll.query)[2]["status"] == "InProgress"
    assert call(mock, "GET", poll.path + "?" + poll.query)[2]["status"] == "Succeeded"
    assert call(mock, "GET", MACHINE + "/extensions/CustomScript")[0] == 404
    assert call(mock, "DELETE", MACHINE + "/extensions/CustomScript")[0] == 204
    assert MACHINE.lower() in mock.state["machines"]


def test_deleting_the_machine_deletes_its_extensions(mock):
    assert call(mock, "DELETE", MACHINE)[0] == 200
    assert mock.state["extensions"] == {}
    assert call(mock, "GET", MACHINE + "/extensions")[0] == 404


def test_the_onboarding_role_may_not_read_extensions(mock):
    status, _, body = call(mock, "GET", MACHINE + "/extensions", principal=ONBOARD)
    assert status == 403 and body["error"]["code"] == "AuthorizationFailed"
    assert "Microsoft.HybridCompute/machines/extensions/read" in body["error"]["message"]
