# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Integration tests of check, machine_resource, machine_resource_info and resource_provider.

One small fleet serves the file: a clean host (the playbooks run there, against the mock Azure)
and one host per network failure for the check module. The playbooks live in azure_modules/,
their assertions in validate_*.yml; the mock's state and request log are checked here.
"""

from __future__ import annotations

import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "tests", "integration", "azure_modules")
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

import fleetlib  # noqa: E402  pylint: disable=wrong-import-position
from mockazure.model import Mock  # noqa: E402  pylint: disable=wrong-import-position

pytestmark = pytest.mark.slow

NETWORKS = ("clean", "proxy_blocked", "dns_failure", "port_closed", "tls_intercepted")
CHECK_HOSTS = ("login.microsoftonline.com", "management.azure.com", "pas.windows.net", "gbl.his.arc.azure.com",
               "westeurope.his.arc.azure.com", "agentserviceapi.guestconfiguration.azure.com")
EXPECTED_FINDINGS = {
    "clean": [], "proxy_blocked": ["proxy_forbidden"], "dns_failure": ["dns_no_such_host"], "port_closed": ["connection_refused"],
    "tls_intercepted": ["tls_interception"],
}


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp("azure-modules-fleet"))
    started = fleetlib.up(directory, scenarios=dict((name, 1) for name in NETWORKS), page_size=2)
    try:
        yield started
    finally:
        fleetlib.down(directory)


def path_of(record):
    """The path of a request in the mock's log (which records the target with its query)."""
    return record["path"].split("?", 1)[0]


def seed_machines(fleet, names, group=None, subscription=None, status="Disconnected", tags=None):
    machines = {}
    for name in names:
        machine_id = fleet.machine_id(name, subscription, group)
        machines[machine_id.lower()] = Mock.new_machine(machine_id, name, "westeurope", tags=tags if tags is not None else {"seeded": "yes"},
                                                        tenant=fleet.identity["tenant_id"], status=status)
    fleet.client().seed({"machines": machines})
    return machines


def run(run_playbook, fleet, name, hosts=("clean-01",), **extra):
    result = run_playbook(os.path.join(HERE, name), inventory=fleet.inventory, extra_vars=dict(extra, target_hosts=",".join(hosts)))
    assert result.rc == 0 and not result.failed_hosts, result.stdout[-6000:] + result.stderr[-3000:]
    return result


def test_machine_resource(fleet, run_playbook):
    seed_machines(fleet, ["stale-01"])
    requests_before = len(fleet.requests())
    result = run(run_playbook, fleet, "machine_resource.yml", seeded_machine="stale-01")
    assert fleet.machine("stale-01") is None
    calls = [(r["method"], r["path"]) for r in fleet.requests()[requests_before:]]
    deletes = [c for c in calls if c[0] == "DELETE"]
    patches = [c for c in calls if c[0] == "PATCH"]
    assert len(deletes) == 1 and len(patches) == 2, calls
    assert result.task("clean-01", "Delete")["status"] == "changed"
    secret = fleet.identity["admin_client_secret"]
    assert secret not in result.stdout and secret not in json.dumps(result.hosts)


def test_machine_resource_info_pages(fleet, run_playbook):
    names = ["info-%02d" % i for i in range(1, 6)]
    seed_machines(fleet, names)
    group = fleet.identity["resource_group"].lower()
    in_group = [m for k, m in fleet.state()["machines"].items() if "/resourcegroups/%s/" % group in k]
    run(run_playbook, fleet, "machine_resource_info.yml", seeded_machine="info-03", expected_group_count=len(in_group))
    listed = [r for r in fleet.requests() if r["method"] == "GET" and path_of(r).lower().endswith("/machines")]
    assert len(listed) >= 3, "the group list needs three pages of two"


def test_resource_provider(fleet, run_playbook):
    sub = fleet.identity["unregistered_subscription_id"]
    assert fleet.state()["subscriptions"][sub]["providers"]["Microsoft.HybridCompute"] == "NotRegistered"
    run(run_playbook, fleet, "resource_provider.yml")
    assert fleet.state()["subscriptions"][sub]["providers"]["Microsoft.HybridCompute"] == "Registered"
    registers = [r for r in fleet.requests() if r["method"] == "POST" and path_of(r).endswith("/register")]
    assert len(registers) == 1


def test_failures(fleet, run_playbook):
    ident = fleet.identity
    machines = seed_machines(fleet, ["locked-01", "throttle-01"])
    locked_id = [m["id"] for m in machines.values() if m["name"] == "locked-01"][0]
    client = fleet.client()
    # the providers test may have registered it: the failure needs it unregistered again
    client.seed({"subscriptions": {ident["unregistered_subscription_id"]: {"providers": {"Microsoft.HybridCompute": "NotRegistered"}}}})
    client.seed({"locks": [{"scope": locked_id, "level": "CanNotDelete", "name": "keep"}]})
    client.add_faults([{"method": "GET", "path_regex": "(?i)/machines/throttle-01$", "status": 429, "retry_after": 1, "remaining": 1}])
    extra = {"locked_machine": "locked-01", "throttle_machine": "throttle-01", "norole_principal_id": ident["norole_client_id"],
             "norole_principal_secret": ident["norole_client_secret"], "wrong_secret": ident["wrong_secret"],
             "unknown_tenant": ident["unknown_tenant_id"]}
    result = run(run_playbook, fleet, "failures.yml", **extra)
    assert fleet.machine("locked-01") is not None, "the lock kept the machine"
    throttled = [r for r in fleet.requests() if path_of(r).lower().endswith("/machines/throttle-01")]
    assert [r["status"] for r in throttled] == [429, 200]
    for secret in (ident["wrong_secret"], ident["norole_client_secret"], ident["client_secret"]):
        assert secret not in json.dumps(result.hosts)


def test_check(fleet, run_playbook):
    endpoints = {}
    for host, entry in fleet.hosts.items():
        with open(os.path.join(entry["host_dir"], "sim.json"), encoding="utf-8") as handle:
            mapping = json.load(handle)["endpoints"]
        endpoints[host] = [{"url": "https://" + name, "connect_to": mapping[name]} for name in CHECK_HOSTS]
    hosts = sorted(fleet.hosts)
    result = run(run_playbook, fleet, "check.yml", hosts=hosts, check_endpoints=endpoints, expected_findings=EXPECTED_FINDINGS)
    for host in hosts:
        record = result.task(host, "Check")
        assert record is not None and record["status"] == "ok", (host, record)
