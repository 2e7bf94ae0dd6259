# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The mock Azure's endpoints of the identity stage: the Resource Manager permissions API and the IMDS-style managed identity
token endpoint (plain HTTP, its own port, nothing else served there)."""

from __future__ import annotations

import json
import os
import secrets
import time
import urllib.error
import urllib.request
import uuid

import pytest

from mockazure import server
from mockazure.client import Client

pytestmark = pytest.mark.slow

ONBOARDING = "Azure Connected Machine Onboarding"
PERMISSIONS = "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Authorization/permissions?api-version=2022-04-01"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp("mock-identity"))
    info = server.start_daemon(directory)
    client = Client(info["url"], info["ca_file"])
    ids = {name: {"id": str(uuid.uuid4()), "oid": str(uuid.uuid4()), "secret": secrets.token_urlsafe(24)}
           for name in ("onboard", "contributor", "norole", "vm", "uami")}
    tid, sub = str(uuid.uuid4()), str(uuid.uuid4())
    principals = {p["id"]: {"tenant": tid, "secret": p["secret"], "object_id": p["oid"]} for n, p in ids.items() if n not in ("vm", "uami")}
    principals[ids["vm"]["id"]] = {"tenant": tid, "object_id": ids["vm"]["oid"], "managed_identity": True, "system_assigned": True}
    principals[ids["uami"]["id"]] = {"tenant": tid, "object_id": ids["uami"]["oid"], "managed_identity": True}
    client.seed({
        "tenants": {tid: {"display_name": "Contoso"}}, "principals": principals,
        "subscriptions": {sub: {"tenant": tid, "providers": {"Microsoft.HybridCompute": "Registered"}}},
        "resource_groups": {"/subscriptions/%s/resourcegroups/rg1" % sub: {"name": "rg1", "location": "westeurope"}},
        "role_assignments": [
            {"object_id": ids["onboard"]["oid"], "role": ONBOARDING, "scope": "/subscriptions/%s/resourceGroups/rg1" % sub},
            {"object_id": ids["contributor"]["oid"], "role": "Contributor", "scope": "/subscriptions/%s" % sub},
            {"object_id": ids["vm"]["oid"], "role": ONBOARDING, "scope": "/subscriptions/%s" % sub},
        ]})
    yield {"info": info, "client": client, "ids": ids, "tid": tid, "sub": sub}
    server.stop_daemon(directory)


def _token(world, name):
    p = world["ids"][name]
    return world["client"].token(world["tid"], p["id"], p["secret"])


def _imds(world, query, headers=None):
    request = urllib.request.Request(world["info"]["imds_url"] + query, headers=headers if headers is not None else {"Metadata": "true"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_permissions_of_the_onboarding_role_at_its_group(world):
    response = world["client"].request("GET", PERMISSIONS % (world["sub"], "rg1"), token=_token(world, "onboard"))
    assert response.status == 200
    [entry] = response.json()["value"]
    assert set(entry) == {"actions", "notActions", "dataActions", "notDataActions"}
    assert "Microsoft.HybridCompute/machines/write" in entry["actions"] and entry["notActions"] == []
    assert response.header("x-ms-request-id")


def test_permissions_inherited_from_the_subscription_and_none(world):
    contributor = world["client"].request("GET", PERMISSIONS % (world["sub"], "rg1"), token=_token(world, "contributor")).json()
    assert contributor["value"][0]["actions"] == ["*"] and "Microsoft.Authorization/*/Write" in contributor["value"][0]["notActions"]
    # a principal without any role may still ask, and learns it may do nothing there
    assert world["client"].request("GET", PERMISSIONS % (world["sub"], "rg1"), token=_token(world, "norole")).json() == {"value": []}


def test_permissions_of_a_missing_group_and_without_api_version(world):
    token = _token(world, "onboard")
    missing = world["client"].request("GET", PERMISSIONS % (world["sub"], "nope"), token=token)
    assert missing.status == 404 and missing.json()["error"] == {"code": "ResourceGroupNotFound",
                                                                  "message": "Resource group 'nope' could not be found."}
    bare = world["client"].request("GET", (PERMISSIONS % (world["sub"], "rg1")).split("?")[0], token=token)
    assert bare.status == 400 and bare.json()["error"]["code"] == "MissingApiVersionParameter"
    assert world["client"].request("GET", PERMISSIONS % (world["sub"], "rg1")).status == 401


def test_imds_gives_the_system_assigned_identity_a_token_arm_accepts(world):
    status, body = _imds(world, "?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F")
    assert status == 200 and body["client_id"] == world["ids"]["vm"]["id"] and body["token_type"] == "Bearer"
    assert body["expires_in"] == "3599" and abs(int(body["expires_on"]) - (time.time() + 3599)) < 60
    assert body["resource"] == "https://management.azure.com/"
    permissions = world["client"].request("GET", PERMISSIONS % (world["sub"], "rg1"), token=body["access_token"])
    assert permissions.status == 200 and permissions.json()["value"]


def test_imds_client_id_and_errors(world):
    status, body = _imds(world, "?api-version=2018-02-01&resource=https://management.azure.com/&client_id=%s" % world["ids"]["uami"]["id"])
    assert status == 200 and body["client_id"] == world["ids"]["uami"]["id"]
    assert _imds(world, "?api-version=2018-02-01&resource=https://management.azure.com/", headers={}) == (
        400, {"error": "invalid_request", "error_description": "Required metadata header not specified"})
    assert _imds(world, "?api-version=2018-02-01&resource=x&client_id=%s" % uuid.uuid4()) == (
        400, {"error": "invalid_request", "error_description": "Identity not found"})
    assert _imds(world, "?resource=x")[0] == 400


def test_the_imds_port_serves_nothing_else(world):
    url = "http://127.0.0.1:%d/subscriptions/%s?api-version=2022-12-01" % (world["info"]["imds_port"], world["sub"])
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(url, timeout=10)
    assert info.value.code == 404
    assert os.path.basename(world["info"]["imds_url"]) == "token"
