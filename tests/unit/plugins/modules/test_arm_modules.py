# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""machine_resource, machine_resource_info and resource_provider against a small stateful ARM double."""

from __future__ import annotations

import json
import os
import re
import secrets
import sys
import urllib.parse
import uuid

import pytest

from ansible_collections.arcops.azcmagent.plugins.modules import machine_resource, machine_resource_info, resource_provider

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils"))
from azure_doubles import ScriptedHTTPS, make_pki  # noqa: E402  pylint: disable=wrong-import-position

SUB = str(uuid.uuid4())
TENANT = str(uuid.uuid4())
CLIENT = str(uuid.uuid4())

# /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.HybridCompute/machines[/<name>]
MACHINE_RE = re.compile(r"^/subscriptions/(?P<sub>[^/]+)(?:/resourceGroups/(?P<rg>[^/]+))?/providers/Microsoft\.HybridCompute/machines"
                        r"(?:/(?P<name>[^/?]+))?$", re.IGNORECASE)
# /subscriptions/<sub>/providers/<namespace>[/register]
PROVIDER_RE = re.compile(r"^/subscriptions/(?P<sub>[^/]+)/providers/(?P<ns>[A-Za-z.]+)(?P<register>/register)?$")


class FakeArm:
    """Machines, providers, a lock and a list of principals allowed to write; faults by (method, path regex)."""

    def __init__(self, secret):
        self.secret = secret
        self.machines = {}
        self.providers = {"Microsoft.HybridCompute": "Registered", "Microsoft.GuestConfiguration": "NotRegistered",
                          "Microsoft.HybridConnectivity": "Registered"}
        self.locked = False
        self.readonly = False
        self.faults = []
        self.registering_polls = 1

    def add_machine(self, name, tags=None, rg="rg-arc"):
        rid = "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/%s" % (SUB, rg, name)
        self.machines[name.lower()] = {"id": rid, "name": name, "location": "westeurope", "type": "Microsoft.HybridCompute/machines",
                                       "tags": dict(tags or {}), "resources": [],
                                       "properties": {"status": "Connected", "provisioningState": "Succeeded", "agentVersion": "1.58.03228.700",
                                                      "vmId": str(uuid.uuid4()), "lastStatusChange": "2026-01-01T00:00:00Z",
                                                      "errorDetails": [], "clientPublicKey": "MIIB"}}

    def __call__(self, request):
        path = urllib.parse.urlsplit(request["path"]).path
        for fault in list(self.faults):
            if fault["method"] == request["method"] and re.search(fault["path"], path):
                if fault.get("remaining", 1) <= 1:
                    self.faults.remove(fault)
                else:
                    fault["remaining"] -= 1
                return fault["status"], fault.get("headers", {}), fault["body"]
        if path.endswith("/oauth2/v2.0/token"):
            form = urllib.parse.parse_qs(request["body"].decode())
            if form.get("client_secret") != [self.secret]:
                return 401, {}, {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the "
                                 "secret being sent in the request is the client secret value, not the client secret ID, for a secret added "
                                 "to app '%s'. Trace ID: x Correlation ID: y Timestamp: 2026-01-01 00:00:00Z" % CLIENT,
                                 "error_codes": [7000215]}
            return 200, {}, {"token_type": "Bearer", "expires_in": 3599, "access_token": "eyJ0eXAiOiJKV1QifQ.eyJvaWQiOiJ4In0.c2ln"}
        match = PROVIDER_RE.match(path)
        if match:
            ns = match.group("ns")
            if match.group("register"):
                self.providers[ns] = "Registering"
                self._polls = self.registering_polls
            elif self.providers.get(ns) == "Registering":
                if self._polls <= 0:
                    self.providers[ns] = "Registered"
                self._polls -= 1
            return 200, {}, {"namespace": ns, "registrationState": self.providers.get(ns, "NotRegistered")}
        match = MACHINE_RE.match(path)
        if not match:
            return 404, {}, {"error": {"code": "NotFound", "message": path}}
        name = (match.group("name") or "").lower()
        if not name:
            return 200, {}, {"value": [m for m in self.machines.values() if not match.group("rg") or
                                       m["id"].lower().split("/providers/")[0].endswith(match.group("rg").lower())]}
        current = self.machines.get(name)
        if current is None:
            if request["method"] == "DELETE":
                return 204, {}, None
            return 404, {}, {"error": {"code": "ResourceNotFound", "message": "The Resource 'Microsoft.HybridCompute/machines/%s' under "
                                       "resource group '%s' was not found." % (name, match.group("rg"))}}
        if request["method"] == "GET":
            return 200, {}, current
        if request["method"] == "DELETE":
            if self.locked:
                return 409, {}, {"error": {"code": "ScopeLocked", "message": "The scope '%s' cannot perform delete operation because "
                                           "following scope(s) are locked: '/subscriptions/%s/resourceGroups/rg-arc'. Please remove the lock "
                                           "and try again." % (current["id"], SUB)}}
            del self.machines[name]
            return 200, {"Content-Length": "0"}, None
        if request["method"] == "PATCH":
            body = json.loads(request["body"])
            if "tags" in body:
                current["tags"] = body["tags"]
            for prop, value in (body.get("properties") or {}).items():
                current["properties"][prop] = dict(current["properties"].get(prop) or {}, **value)
            current["properties"]["provisioningState"] = "Updating"
            return 200, {}, current
        return 405, {}, {"error": {"code": "MethodNotAllowed", "message": "no"}}


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"), "modules")


@pytest.fixture
def fake_secret():
    return secrets.token_urlsafe(20)


@pytest.fixture
def arm(pki, fake_secret):
    server = ScriptedHTTPS(pki)
    fake = FakeArm(fake_secret)
    server.handler = fake
    fake.server = server
    yield fake
    server.close()


@pytest.fixture
def args(arm, pki, fake_secret):
    return {"subscription_id": SUB, "tenant_id": TENANT, "service_principal_id": CLIENT, "service_principal_secret": fake_secret,
            "authority_host": arm.server.url, "resource_manager_endpoint": arm.server.url, "ca_file": pki["ca"]}


def four_steps(run_module, module, args, diff=False):
    """check mode, run, check mode, run -> list of (failed, result)."""
    return [run_module(module, args, check_mode=check, diff=diff) for check in (True, False, True, False)]


def test_delete_four_steps(run_module, arm, args):
    arm.add_machine("web01", {"a": "1"})
    steps = four_steps(run_module, machine_resource, dict(args, resource_group="rg-arc", name="web01", state="absent"), diff=True)
    assert [failed for failed, r in steps] == [False] * 4
    assert [r["changed"] for failed, r in steps] == [True, True, False, False]
    assert steps[0][1]["diff"] == {"before": {"state": "present", "tags": {"a": "1"}}, "after": {"state": "absent"}}
    assert steps[1][1]["machine"] is None and steps[1][1]["existed"] is True
    assert arm.machines == {}
    assert steps[1][1]["id"].endswith("/machines/web01")
    deletes = [r for r in arm.server.requests if r["method"] == "DELETE"]
    assert len(deletes) == 1, "check mode never deletes"


def test_tags_four_steps_merge_and_purge(run_module, arm, args):
    arm.add_machine("web01", {"keep": "me", "env": "old"})
    base = dict(args, resource_group="rg-arc", name="web01", tags={"env": "prod", "owner": "ops"})
    steps = four_steps(run_module, machine_resource, base, diff=True)
    assert [r["changed"] for failed, r in steps] == [True, True, False, False]
    assert steps[0][1]["machine"]["tags"] == {"keep": "me", "env": "prod", "owner": "ops"}
    assert steps[0][1]["diff"]["before"]["tags"] == {"keep": "me", "env": "old"}
    assert arm.machines["web01"]["tags"] == {"keep": "me", "env": "prod", "owner": "ops"}
    assert "clientPublicKey" not in steps[1][1]["machine"]["properties"] and "resources" not in steps[1][1]["machine"]
    purge = four_steps(run_module, machine_resource, dict(base, purge_tags=True))
    assert [r["changed"] for failed, r in purge] == [True, True, False, False]
    assert arm.machines["web01"]["tags"] == {"env": "prod", "owner": "ops"}
    patches = [json.loads(r["body"]) for r in arm.server.requests if r["method"] == "PATCH"]
    assert patches == [{"tags": {"keep": "me", "env": "prod", "owner": "ops"}}, {"tags": {"env": "prod", "owner": "ops"}}]


def test_automatic_upgrade_four_steps_on_and_off(run_module, arm, args):
    arm.add_machine("web01", {"keep": "me"})
    base = dict(args, resource_group="rg-arc", name="web01", enable_automatic_upgrade=True)
    steps = four_steps(run_module, machine_resource, base)
    assert [failed for failed, r in steps] == [False] * 4
    assert [r["changed"] for failed, r in steps] == [True, True, False, False]
    assert [r["automatic_upgrade"] for failed, r in steps] == [True] * 4
    assert arm.machines["web01"]["properties"]["agentUpgrade"] == {"enableAutomaticUpgrade": True}
    assert arm.machines["web01"]["tags"] == {"keep": "me"}
    off = four_steps(run_module, machine_resource, dict(base, enable_automatic_upgrade=False))
    assert [r["changed"] for failed, r in off] == [True, True, False, False]
    patches = [json.loads(r["body"]) for r in arm.server.requests if r["method"] == "PATCH"]
    assert patches == [{"properties": {"agentUpgrade": {"enableAutomaticUpgrade": True}}},
                       {"properties": {"agentUpgrade": {"enableAutomaticUpgrade": False}}}]
    failed, result = run_module(machine_resource, dict(args, resource_group="rg-arc", name="web01"))
    assert not failed and not result["changed"] and "automatic_upgrade" not in result


def test_present_without_tags_changes_nothing(run_module, arm, args):
    arm.add_machine("web01", {"a": "1"})
    failed, result = run_module(machine_resource, dict(args, resource_group="rg-arc", name="web01"))
    assert not failed and result["changed"] is False and result["machine"]["tags"] == {"a": "1"}


@pytest.mark.parametrize("lang, words", [("en", "does not exist"), ("nl", "bestaat niet")])
def test_present_on_missing_machine_fails_clearly(run_module, arm, args, lang, words):
    failed, result = run_module(machine_resource, dict(args, resource_group="rg-arc", name="ghost", tags={"a": "b"}, lang=lang))
    assert failed and words in result["msg"] and "arcops.azcmagent.connect" in result["msg"]


def test_scope_locked_delete_fails_with_finding(run_module, arm, args, fake_secret):
    arm.add_machine("web01")
    arm.locked = True
    failed, result = run_module(machine_resource, dict(args, resource_group="rg-arc", name="web01", state="absent", lang="nl"))
    assert failed and result["arm_code"] == "ScopeLocked" and result["status"] == 409
    assert result["msg"].startswith("ScopeLocked (HTTP 409): ")
    assert [f["id"] for f in result["findings"]] == ["scope_locked"] and result["category"] == "permissions"
    assert fake_secret not in json.dumps(result)
    assert "web01" in arm.machines


def test_bad_secret_fails_without_retry(run_module, arm, args):
    failed, result = run_module(machine_resource_info, dict(args, service_principal_secret="wrong-" + secrets.token_hex(4)))
    assert failed and result["arm_code"] == "AADSTS7000215" and result["status"] == 401
    assert result["findings"][0]["id"] == "invalid_client_secret" and result["retries"] == 0
    assert len(arm.server.requests) == 1


def test_throttled_read_is_retried(run_module, arm, args, monkeypatch):
    slept = []
    monkeypatch.setattr("time.sleep", slept.append)
    arm.add_machine("web01")
    arm.faults.append({"method": "GET", "path": "/machines/web01$", "status": 429, "headers": {"Retry-After": "2"}, "remaining": 1,
                       "body": {"error": {"code": "SubscriptionRequestsThrottled", "message": "Please try again after '2' seconds."}}})
    failed, result = run_module(machine_resource_info, dict(args, resource_group="rg-arc", name="web01"))
    assert not failed and result["retries"] == 1 and slept == [2]
    assert result["machines"][0]["name"] == "web01"


def test_info_one_group_subscription_and_missing(run_module, arm, args):
    arm.add_machine("web01", {"a": "1"})
    arm.add_machine("web02", rg="rg-other")
    failed, one = run_module(machine_resource_info, dict(args, resource_group="rg-arc", name="web01"))
    assert not failed and one["count"] == 1 and one["changed"] is False
    entry = one["machines"][0]
    assert set(entry) >= {"name", "id", "status", "last_status_change", "agent_version", "provisioning_state", "location", "tags",
                          "vm_id", "error_details"}
    assert entry["status"] == "Connected" and entry["tags"] == {"a": "1"} and entry["resource_group"] == "rg-arc"
    failed, group = run_module(machine_resource_info, dict(args, resource_group="rg-arc"))
    assert [m["name"] for m in group["machines"]] == ["web01"]
    failed, everything = run_module(machine_resource_info, args)
    assert sorted(m["name"] for m in everything["machines"]) == ["web01", "web02"]
    failed, missing = run_module(machine_resource_info, dict(args, resource_group="rg-arc", name="nope"), check_mode=True)
    assert not failed and missing["machines"] == []


def test_info_name_needs_group(run_module, arm, args):
    failed, result = run_module(machine_resource_info, dict(args, name="web01"))
    assert failed and "resource_group" in result["msg"]


def test_subscription_from_awx_environment(run_module, arm, args, monkeypatch):
    monkeypatch.setenv("AZURE_SUBSCRIPTION_ID", SUB)
    monkeypatch.setenv("AZURE_SECRET", args["service_principal_secret"])
    env_args = dict(args)
    del env_args["subscription_id"], env_args["service_principal_secret"]
    failed, result = run_module(machine_resource_info, env_args)
    assert not failed and result["machines"] == []
    monkeypatch.delenv("AZURE_SUBSCRIPTION_ID")
    failed, result = run_module(machine_resource_info, env_args)
    assert failed and "AZURE_SUBSCRIPTION_ID" in result["msg"]


def test_providers_four_steps(run_module, arm, args, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    steps = four_steps(run_module, resource_provider, args, diff=True)
    assert [r["changed"] for failed, r in steps] == [True, True, False, False]
    predicted = dict((p["namespace"], (p["before"], p["after"], p["changed"])) for p in steps[0][1]["providers"])
    assert predicted["Microsoft.GuestConfiguration"] == ("NotRegistered", "Registered", True)
    assert predicted["Microsoft.HybridCompute"] == ("Registered", "Registered", False)
    assert steps[1][1]["diff"]["after"]["Microsoft.GuestConfiguration"] == "Registered"
    assert arm.providers["Microsoft.GuestConfiguration"] == "Registered"
    registers = [r["path"] for r in arm.server.requests if r["method"] == "POST" and "/register" in r["path"]]
    assert len(registers) == 1 and "Microsoft.GuestConfiguration/register" in registers[0]


def test_provider_no_wait_and_timeout(run_module, arm, args, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    failed, result = run_module(resource_provider, dict(args, namespaces=["Microsoft.AzureArcData"], wait=False))
    assert not failed and result["providers"] == [{"namespace": "Microsoft.AzureArcData", "before": "NotRegistered",
                                                   "after": "Registering", "changed": True}]
    arm.providers["Microsoft.Kubernetes"] = "NotRegistered"
    arm.registering_polls = 10 ** 6
    failed, result = run_module(resource_provider, dict(args, namespaces=["Microsoft.Kubernetes"], wait_timeout=0))
    assert failed and "Microsoft.Kubernetes" in result["msg"] and "Registering" in result["msg"]


def test_provider_authorization_failed(run_module, arm, args):
    message = ("The client '%s' with object id '%s' does not have authorization to perform action "
               "'Microsoft.GuestConfiguration/register/action' over scope '/subscriptions/%s' or the scope is invalid. If access was "
               "recently granted, please refresh your credentials." % (CLIENT, CLIENT, SUB))
    arm.faults.append({"method": "POST", "path": "/register$", "status": 403,
                       "body": {"error": {"code": "AuthorizationFailed", "message": message}}})
    failed, result = run_module(resource_provider, args)
    assert failed and result["findings"][0]["id"] == "authorization_failed"
    assert result["findings"][0]["details"]["action"] == "Microsoft.GuestConfiguration/register/action"


def test_no_credentials(run_module, arm, args, monkeypatch):
    for name in ("AZURE_CLIENT_ID", "AZURE_SECRET", "AZURE_TENANT"):
        monkeypatch.delenv(name, raising=False)
    failed, result = run_module(machine_resource_info, {"subscription_id": SUB, "resource_manager_endpoint": arm.server.url})
    assert failed and "no Azure credentials" in result["msg"]
