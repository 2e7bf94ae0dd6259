# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The identity stage of playbooks/onboard.yml against one simulated fleet (shared by every test of this file).

* each failing prerequisite (bad secret, no permission, provider not registered, missing resource group) stops the whole run
  in the identity play, with its one message, before any host is touched: no other play starts, no agent state changes, the
  mock Azure sees no write and no host asks Entra ID for anything;
* the success path, with the credential given only as the AWX credential's environment variables while the inventory still
  carries a secret: the hosts connect with the controller's access token, the secret appears in no file of any host, the
  token is renewed for every batch when it would expire within the renewal margin;
* a managed identity (the mock's IMDS-style endpoint) gets the token in check mode, nothing changes.
"""

from __future__ import annotations

import json
import os
import uuid
import xml.etree.ElementTree as ET

import pytest
import xmlschema

import fleet_checks
import fleetlib
from conftest import run_ansible_playbook

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ONBOARD = os.path.join(ROOT, "playbooks", "onboard.yml")
IDENTITY_PLAY = "Prove the controller's Azure identity and the onboarding prerequisites before any host is touched"
BASE_VARS = {"azcmagent_install": False, "azcmagent_service_settle_seconds": 0,
             "azcmagent_policy": {"backoff_base": 0.2, "backoff_max": 2}}
BECOME_ENV = {"ANSIBLE_BECOME_ALLOW_SAME_USER": "true"}
JUNIT_SCHEMA = xmlschema.XMLSchema(os.path.join(ROOT, "tests", "schemas", "junit-10.xsd"))


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp("identity-fleet"))
    made = fleetlib.up(directory, scenarios={"clean": 3})
    try:
        yield made
    finally:
        fleetlib.down(directory)


def _env(fleet, client_id=None, secret=None):
    """The AWX Azure Resource Manager credential's environment: the only place the controller gets its credential from."""
    ident = fleet.identity
    return dict(BECOME_ENV, AZURE_CLIENT_ID=client_id or ident["client_id"], AZURE_SECRET=secret or ident["client_secret"],
                AZURE_TENANT=ident["tenant_id"], AZURE_SUBSCRIPTION_ID=ident["subscription_id"], AZURE_CLOUD_ENVIRONMENT="AzureCloud")


def _run(fleet, tmp_path, env, check=False, **extra):
    extra_vars = dict(BASE_VARS, azcmagent_report_dir=str(tmp_path / "report"), **extra)
    return run_ansible_playbook(ONBOARD, str(tmp_path / "ansible"), inventory=fleet.inventory, extra_vars=extra_vars, env=env,
                                forks=10, check=check, timeout=600)


def _host_files(fleet):
    """Every file of every simulated host (the agent's state, configuration, logs; the run's temporary files)."""
    for entry in fleet.hosts.values():
        for base, _dirs, files in os.walk(entry["host_dir"]):
            for name in files:
                path = os.path.join(base, name)
                if os.path.isfile(path) and not os.path.islink(path):   # not the agent's sockets
                    yield path


def _token_requests(fleet):
    return [r for r in fleet.requests() if "/oauth2/" in r["path"] and r["method"] == "POST"]


def _case(fleet, name):
    ident = fleet.identity
    if name == "bad_secret":
        return {"env": _env(fleet, secret=ident["wrong_secret"]), "extra": {},
                "says": ["AADSTS7000215", "Invalid client secret", ident["client_id"]], "category": "credentials"}
    if name == "no_permission":
        return {"env": _env(fleet, client_id=ident["norole_client_id"], secret=ident["norole_client_secret"]), "extra": {},
                "says": ["may not create Microsoft.HybridCompute/machines", ident["resource_group"], "Azure Connected Machine Onboarding"],
                "category": "permissions"}
    if name == "provider_unregistered":
        return {"env": _env(fleet), "extra": {"azcmagent_subscription_id": ident["unregistered_subscription_id"]},
                "says": ["Resource provider Microsoft.HybridCompute is NotRegistered", "az provider register"], "category": "providers"}
    if name == "missing_group":
        return {"env": _env(fleet), "extra": {"azcmagent_resource_group": "arcsim-no-such-rg"},
                "says": ["Resource group arcsim-no-such-rg does not exist", "az group create"], "category": "input"}
    raise AssertionError(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["bad_secret", "no_permission", "provider_unregistered", "missing_group"])
def test_a_failing_prerequisite_stops_the_run_before_any_host_is_touched(fleet, tmp_path, name):
    case = _case(fleet, name)
    before_local, before_azure = fleet_checks.local_state(fleet), fleet.state()["machines"]
    fleet.client().request("DELETE", "/_mock/requests", host="localhost")
    run = _run(fleet, tmp_path, case["env"], **case["extra"])
    assert run.rc != 0, run.stdout[-3000:]
    # the identity play was the only play: no host was installed, configured, connected or even summarised
    assert run.plays == [IDENTITY_PLAY], (run.plays, run.stdout[-3000:])
    message = "The identity stage stopped the run before any host was changed."
    fatal = [text for text in run.stdout.splitlines() if text.startswith("fatal: [")]
    assert len(fatal) == 1 and message in fatal[0], run.stdout[-4000:]
    line = fatal[0]
    for words in case["says"]:
        assert words in line, (words, line)
    assert fleet.identity["client_secret"] not in run.output and fleet.identity["wrong_secret"] not in run.output
    # nothing changed anywhere; only the controller talked to Azure, and wrote nothing
    assert fleet_checks.local_state(fleet) == before_local
    assert fleet.state()["machines"] == before_azure
    requests = fleet.requests()
    assert [r for r in requests if r["method"] not in ("GET",) and "/oauth2/" not in r["path"]] == []
    assert len(_token_requests(fleet)) == 1, requests
    # one failure (the first host carries the stage's task), not one per host; the run fails for CI and AWX
    assert run.failed_hosts == [sorted(fleet.hosts)[0]]
    # CI still gets a JUnit report: one failed test case, the identity stage, with the same message
    with open(tmp_path / "report" / "junit.xml", encoding="utf-8") as handle:
        document = handle.read()
    JUNIT_SCHEMA.validate(document)
    [testcase] = ET.fromstring(document.encode()).iter("testcase")
    failure = testcase.find("failure")
    assert testcase.get("name") == "identity-stage" and failure.get("type") == "IdentityStage"
    assert failure.get("message") == json.loads(line.split("=> ", 1)[1])["msg"]
    assert "category: %s\n" % case["category"] in failure.text


@pytest.mark.slow
def test_the_hosts_connect_with_the_controllers_token_never_the_secret(fleet, tmp_path):
    ident = fleet.identity
    fleet.client().request("DELETE", "/_mock/requests", host="localhost")
    # batches of two hosts, and a renewal margin longer than the token's lifetime: every batch renews the token
    run = _run(fleet, tmp_path, _env(fleet), azcmagent_serial=2, azcmagent_identity_renew_before=7200)
    assert run.rc == 0, run.stdout[-4000:]
    assert run.plays[0] == IDENTITY_PLAY
    results = run.results(fleet)
    assert {h: (r or {}).get("state") for h, r in results.items()} == {h: "Connected" for h in fleet.hosts}
    for host in fleet.hosts:
        assert fleet.machine(host) is not None
        connect = run.task(host, "Connect to Azure Arc, attempt 1")
        assert connect is not None and connect["status"] == "changed"
    # the secret (in the inventory and in the environment) reached no host: not in any file of theirs, not in the output
    secret = ident["client_secret"]
    leaked = []
    for path in _host_files(fleet):
        with open(path, "rb") as handle:
            if secret.encode() in handle.read():
                leaked.append(path)
    assert leaked == []
    assert secret not in run.output
    # only the controller asked Entra ID for tokens: once for the stage, once per batch of two hosts (3 hosts: 2 batches)
    tokens = _token_requests(fleet)
    assert len(tokens) == 1 + 2, tokens
    assert {r["principal"] for r in tokens} == {ident["client_id"]}
    # the machines were created with the controller's token (the onboarding principal), by the agents
    created = [r for r in fleet.requests() if r["method"] == "PUT" and "/machines/" in r["path"]]
    assert len(created) == len(fleet.hosts) and {r["principal"] for r in created} == {ident["client_id"]}


@pytest.mark.slow
def test_a_managed_identity_gets_the_token_from_the_identity_endpoint(fleet, tmp_path):
    ident = fleet.identity
    managed = str(uuid.uuid4())
    object_id = str(uuid.uuid4())
    client = fleet.client()
    client.seed({"principals": {managed: {"tenant": ident["tenant_id"], "managed_identity": True, "system_assigned": True,
                                          "object_id": object_id, "display_name": "arcsim-controller-vm"}},
                 "role_assignments": [{"object_id": object_id, "role": fleetlib.ONBOARDING,
                                       "scope": "/subscriptions/%s/resourceGroups/%s" % (ident["subscription_id"], ident["resource_group"])}]})
    client.request("DELETE", "/_mock/requests", host="localhost")
    before_local = fleet_checks.local_state(fleet)
    with open(os.path.join(fleet.dir, "mock", "mock.json"), encoding="utf-8") as handle:
        imds = json.load(handle)["imds_url"]
    # one host is enough here: the identity play runs on the controller whatever the fleet's size
    run = _run(fleet, tmp_path, dict(BECOME_ENV), check=True, azcmagent_identity_stage="required", azcmagent_identity_managed=True,
               azcmagent_identity_endpoint=imds, azcmagent_hosts=sorted(fleet.hosts)[0])
    assert run.plays[0] == IDENTITY_PLAY and len(run.plays) == 4, (run.plays, run.stdout[-3000:])
    requests = fleet.requests()
    assert [r["principal"] for r in requests if r["path"].startswith("/metadata/identity/oauth2/token")] == [managed]
    assert [r for r in requests if "/oauth2/v2.0/token" in r["path"]] == []
    assert any("/providers/Microsoft.Authorization/permissions" in r["path"] and r["principal"] == managed for r in requests)
    assert fleet_checks.local_state(fleet) == before_local


@pytest.mark.slow
def test_a_secret_forced_on_the_hosts_by_extra_variables_is_refused(fleet, tmp_path):
    # extra variables win over the token the stage hands the hosts: the run stops instead of sending the secret to them
    before_local = fleet_checks.local_state(fleet)
    secret = fleet.identity["client_secret"]
    run = _run(fleet, tmp_path, _env(fleet), azcmagent_service_principal_secret=secret)
    assert run.rc != 0 and run.plays == [IDENTITY_PLAY], run.stdout[-3000:]
    fatal = [text for text in run.stdout.splitlines() if text.startswith("fatal: [")]
    assert len(fatal) == 1 and "azcmagent_service_principal_secret was given as an extra variable" in fatal[0]
    assert secret not in run.output
    assert fleet_checks.local_state(fleet) == before_local
