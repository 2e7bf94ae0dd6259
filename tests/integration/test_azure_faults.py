# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Azure side under faults: the three Azure modules against the mock Entra ID + Resource Manager.

One ``ansible-playbook`` run, one task per situation, each on its own machine (or tenant) so that the mock's faults
(set through its control API before the run) hit exactly that task:

* throttling (429 + Retry-After), server errors (5xx) and connection resets, at Entra ID and at Resource Manager,
  are retried within bounds and the result reports them (``azure_calls``: retries by cause, waited seconds);
  the mock's request log shows exactly the attempts the figures claim;
* a Retry-After beyond the waiting budget and a 5xx that does not stop end with a clear failure, bounded;
* a token that expires in the middle of a module's run is renewed once; a given access token is not;
* a delete that Azure accepts (202) and does not finish in time fails and says so; the resource is still there;
  an asynchronous delete that does finish is followed to its end.
"""

from __future__ import annotations

import os
import secrets
import sys
import time
import uuid

import pytest
import yaml

from tests.counts import record

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIMULATOR = os.path.join(ROOT, "tests", "simulator")
if SIMULATOR not in sys.path:
    sys.path.insert(0, SIMULATOR)

from mockazure import server as mock_server  # noqa: E402  pylint: disable=wrong-import-position
from mockazure.client import Client  # noqa: E402  pylint: disable=wrong-import-position
from mockazure.model import Mock  # noqa: E402  pylint: disable=wrong-import-position

pytestmark = pytest.mark.slow

MACHINES = ("m-throttled", "m-5xx", "m-reset", "m-expire", "m-given", "m-slowdelete", "m-asyncdelete", "m-budget", "m-down", "m-tenant2")


class World:
    """The mock with two tenants (the second one's token endpoint misbehaves), one subscription each, fresh fake secrets."""

    def __init__(self, directory):
        self.dir = directory
        self.info = mock_server.start_daemon(directory)
        self.url, self.ca_file = self.info["url"], self.info["ca_file"]
        self.client = Client(self.url, self.ca_file)
        self.tenant, self.tenant2 = str(uuid.uuid4()), str(uuid.uuid4())
        self.sub, self.sub2 = str(uuid.uuid4()), str(uuid.uuid4())
        self.rg = "rg-faults"
        self.sp = {"id": str(uuid.uuid4()), "secret": "faults-" + secrets.token_urlsafe(24), "oid": str(uuid.uuid4())}
        self.sp2 = {"id": str(uuid.uuid4()), "secret": "faults2-" + secrets.token_urlsafe(24), "oid": str(uuid.uuid4())}
        machines = {}
        for name in MACHINES:
            sub = self.sub2 if name == "m-tenant2" else self.sub
            machine_id = self.machine_id(name, sub)
            machine = Mock.new_machine(machine_id, name, "westeurope", {"vmId": str(uuid.uuid4())}, tags={"keep": "yes"}, tenant=self.tenant)
            if name in ("m-slowdelete", "m-asyncdelete"):
                machine["_mock_delete"] = "async"
                machine["_mock_async_polls"] = 100000 if name == "m-slowdelete" else 1
            machines[machine_id.lower()] = machine
        self.client.seed({
            "tenants": {self.tenant: {"display_name": "Faults"}, self.tenant2: {"display_name": "Faults Two"}},
            "principals": {self.sp["id"]: {"tenant": self.tenant, "secret": self.sp["secret"], "object_id": self.sp["oid"]},
                           self.sp2["id"]: {"tenant": self.tenant2, "secret": self.sp2["secret"], "object_id": self.sp2["oid"]}},
            "subscriptions": {
                self.sub: {"tenant": self.tenant,
                           "providers": {"Microsoft.HybridCompute": "Registered", "Microsoft.HybridConnectivity": "NotRegistered"}},
                self.sub2: {"tenant": self.tenant2, "providers": {"Microsoft.HybridCompute": "Registered"}},
            },
            "resource_groups": {("/subscriptions/%s/resourcegroups/%s" % (s, self.rg)): {"name": self.rg, "location": "westeurope"}
                                for s in (self.sub, self.sub2)},
            "role_assignments": [{"object_id": self.sp["oid"], "role": "Owner", "scope": "/subscriptions/%s" % self.sub},
                                 {"object_id": self.sp2["oid"], "role": "Owner", "scope": "/subscriptions/%s" % self.sub2}],
            "machines": machines,
        })
        self.given_token = self.client.token(self.tenant, self.sp["id"], self.sp["secret"])

    def machine_id(self, name, sub=None):
        return "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/%s" % (sub or self.sub, self.rg, name)

    def machine(self, name, sub=None):
        return self.client.state()["machines"].get(self.machine_id(name, sub).lower())

    def stop(self):
        mock_server.stop_daemon(self.dir)


def _machine_path(name):
    return "(?i)/providers/microsoft\\.hybridcompute/machines/%s$" % name


FAULTS = [
    # Entra ID of the second tenant: a reset, then a 503 with Retry-After, then the token
    {"kind": "aad", "path_regex": None, "reset": True, "remaining": 1},
    {"kind": "aad", "path_regex": None, "status": 503, "retry_after": 1, "remaining": 1},
    {"kind": "arm", "method": "GET", "path_regex": _machine_path("m-throttled"), "status": 429, "retry_after": 1, "remaining": 2},
    {"kind": "arm", "method": "GET", "path_regex": _machine_path("m-5xx"), "status": 500, "remaining": 1},
    {"kind": "arm", "method": "PATCH", "path_regex": _machine_path("m-5xx"), "status": 503, "retry_after": 1, "remaining": 1},
    {"kind": "arm", "method": "GET", "path_regex": _machine_path("m-reset"), "reset": True, "remaining": 2},
    {"kind": "arm", "method": "PATCH", "path_regex": _machine_path("m-expire"), "token_expired": True, "remaining": 1},
    {"kind": "arm", "method": "GET", "path_regex": _machine_path("m-given"), "token_expired": True, "remaining": 1},
    {"kind": "arm", "method": "GET", "path_regex": _machine_path("m-budget"), "status": 429, "retry_after": 120, "remaining": 1},
    {"kind": "arm", "method": "GET", "path_regex": _machine_path("m-down"), "status": 503, "retry_after": 0},
    {"kind": "arm", "method": "POST", "path_regex": "(?i)/providers/Microsoft\\.HybridConnectivity/register$", "status": 429,
     "retry_after": 1, "remaining": 1},
]


def _playbook(world, path):
    auth = {"tenant_id": world.tenant, "subscription_id": world.sub, "service_principal_id": world.sp["id"],
            "service_principal_secret": world.sp["secret"], "authority_host": world.url, "resource_manager_endpoint": world.url,
            "ca_file": world.ca_file}

    def task(title, module, **options):
        args = dict(auth)
        args.update(options)
        return {"name": title, "arcops.azcmagent.%s" % module: {k: v for k, v in args.items() if v is not None}, "ignore_errors": True}

    tasks = [
        task("tenant2 token reset and 503", "machine_resource_info", resource_group=world.rg, name="m-tenant2", tenant_id=world.tenant2,
             subscription_id=world.sub2, service_principal_id=world.sp2["id"], service_principal_secret=world.sp2["secret"]),
        task("throttled read", "machine_resource_info", resource_group=world.rg, name="m-throttled"),
        task("server errors on read and tag update", "machine_resource", resource_group=world.rg, name="m-5xx", tags={"owner": "ops"}),
        task("connection resets on read", "machine_resource_info", resource_group=world.rg, name="m-reset"),
        task("token expires before the tag update", "machine_resource", resource_group=world.rg, name="m-expire", tags={"owner": "ops"}),
        task("given token expired", "machine_resource_info", resource_group=world.rg, name="m-given", service_principal_id=None,
             service_principal_secret=None, access_token=world.given_token),
        task("delete that does not finish", "machine_resource", resource_group=world.rg, name="m-slowdelete", state="absent",
             wait_timeout=3),
        task("delete that finishes", "machine_resource", resource_group=world.rg, name="m-asyncdelete", state="absent", wait_timeout=30),
        task("throttled beyond the budget", "machine_resource_info", resource_group=world.rg, name="m-budget"),
        task("server errors that do not stop", "machine_resource_info", resource_group=world.rg, name="m-down"),
        task("provider registration throttled", "resource_provider", namespaces=["Microsoft.HybridConnectivity"], wait_timeout=30),
    ]
    play = [{"name": "Azure faults", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(play, handle, sort_keys=False)
    return path


@pytest.fixture
def world(tmp_path):  # noqa: D103
    made = World(str(tmp_path / "mock"))
    yield made
    made.stop()


def _requests(world, method, name):
    return [r for r in world.client.requests() if r["method"] == method and r["path"].split("?")[0].endswith("/machines/" + name)]


def test_azure_faults_are_retried_bounded_and_reported(world, run_playbook, tmp_path):
    for fault in FAULTS:
        if fault["kind"] == "aad":
            fault["path_regex"] = "(?i)^/%s/oauth2/" % world.tenant2
    world.client.add_faults(FAULTS)
    playbook = _playbook(world, str(tmp_path / "faults.yml"))
    started = time.monotonic()
    run = run_playbook(playbook, inventory="localhost,", args=["-c", "local"], extra_vars={"ansible_python_interpreter": sys.executable},
                       timeout=300)
    seconds = time.monotonic() - started
    assert run.stats.get("localhost"), run.output[-3000:]

    def result(name):
        found = run.task("localhost", name)
        assert found is not None, "no result for %r\n%s" % (name, run.output[-3000:])
        return dict(found["result"], failed=found["status"] in ("failed", "ignored"))

    checked = 0

    # Entra ID: a reset and a 503 (Retry-After 1) before the token, then the read
    res = result("tenant2 token reset and 503")
    assert not res.get("failed") and res.get("machines", [{}])[0].get("name") == "m-tenant2", res
    calls = res["azure_calls"]
    assert (calls["connection_resets"], calls["server_errors"], calls["retries"]) == (1, 1, 2), calls
    assert calls["waited_seconds"] == 2.0 and calls["requests"] == 4, calls
    assert [e["reason"] for e in calls["events"]] == ["connection_reset", "server_error"]
    assert all(e["path"] == "/%s/oauth2/v2.0/token" % world.tenant2 for e in calls["events"])
    checked += 1

    # Resource Manager throttles twice with Retry-After 1
    res = result("throttled read")
    calls = res["azure_calls"]
    assert not res.get("failed") and res["count"] == 1 and res["retries"] == 2, res
    assert (calls["throttled"], calls["waited_seconds"]) == (2, 2.0), calls
    assert [(e["status"], e["wait"]) for e in calls["events"]] == [(429, 1.0), (429, 1.0)]
    assert [r["status"] for r in _requests(world, "GET", "m-throttled")] == [429, 429, 200]
    checked += 1

    # a 500 on the read (no Retry-After: 1 s backoff) and a 503 on the tag update (Retry-After 1): the update happens
    res = result("server errors on read and tag update")
    calls = res["azure_calls"]
    assert res["changed"] and not res.get("failed"), res
    assert (calls["server_errors"], calls["waited_seconds"]) == (2, 2.0), calls
    assert world.machine("m-5xx")["tags"] == {"keep": "yes", "owner": "ops"}
    assert [r["status"] for r in _requests(world, "PATCH", "m-5xx")] == [503, 200]
    checked += 1

    # two connection resets on the read, then the answer
    res = result("connection resets on read")
    calls = res["azure_calls"]
    assert not res.get("failed") and res["machines"][0]["name"] == "m-reset", res
    assert (calls["connection_resets"], calls["waited_seconds"]) == (2, 3.0), calls
    assert [r["status"] for r in _requests(world, "GET", "m-reset")] == [0, 0, 200]
    checked += 1

    # the token expires between the read and the update: renewed once, the update goes through
    res = result("token expires before the tag update")
    calls = res["azure_calls"]
    assert res["changed"] and not res.get("failed"), res
    assert (calls["token_renewals"], calls["retries"], calls["requests"]) == (1, 0, 5), calls
    assert [r["status"] for r in _requests(world, "PATCH", "m-expire")] == [401, 200]
    assert world.machine("m-expire")["tags"]["owner"] == "ops"
    checked += 1

    # a given access token cannot be renewed: the failure says the token expired
    res = result("given token expired")
    assert res.get("failed") and res["arm_code"] == "ExpiredAuthenticationToken" and res["status"] == 401, res
    assert res["category"] == "credentials" and res["azure_calls"]["token_renewals"] == 0, res
    assert world.given_token not in run.output
    checked += 1

    # Azure accepted the delete (202) but it is still InProgress after wait_timeout: a failure, the resource is still there
    res = result("delete that does not finish")
    assert res.get("failed") and res["arm_code"] == "OperationTimeout", res
    finding = res["findings"][0]
    assert (finding["id"], finding["category"], finding["action"]) == ("arm_operation_timeout", "transient", "report"), finding
    assert "InProgress" in res["msg"] and "may still exist" in res["msg"], res["msg"]
    assert finding["details"]["polls"] >= 2 and finding["details"]["operation_status"] == "InProgress", finding
    left = world.machine("m-slowdelete")
    assert left is not None and left["properties"]["provisioningState"] == "Deleting"
    assert res["azure_calls"]["requests"] >= 4
    checked += 1

    # an asynchronous delete that does finish is followed to its end
    res = result("delete that finishes")
    assert res["changed"] and not res.get("failed") and world.machine("m-asyncdelete") is None, res
    checked += 1

    # a Retry-After of 120 s is beyond the 60 s budget: fails at once, with the figure
    res = result("throttled beyond the budget")
    assert res.get("failed") and res["status"] == 429 and res["category"] == "throttling", res
    assert res["azure_calls"]["retries"] == 0 and res["findings"][0]["details"]["retry_after"] == 120, res
    assert len(_requests(world, "GET", "m-budget")) == 1
    checked += 1

    # a 503 that never stops: 1 + 4 attempts, then the failure
    res = result("server errors that do not stop")
    assert res.get("failed") and res["status"] == 503 and res["retries"] == 4, res
    assert res["azure_calls"]["server_errors"] == 4 and res["category"] == "transient", res
    assert len(_requests(world, "GET", "m-down")) == 5
    checked += 1

    # registering a provider: the POST is throttled once, then registered
    res = result("provider registration throttled")
    assert res["changed"] and not res.get("failed") and res["azure_calls"]["throttled"] == 1, res
    checked += 1

    # nothing secret in the output of the run
    for secret in (world.sp["secret"], world.sp2["secret"], world.given_token):
        assert secret not in run.output
    record("azure_faults", {"situations": checked, "seconds": round(seconds, 1)})
