# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/onboard.yml through ansible-runner, the engine AWX / Automation Platform runs jobs with.

The job is laid out as AWX lays it out: a private data directory with ``env/envvars`` (the Azure Resource Manager
credential's injected variables, the only place the credential is given), ``env/extravars``, ``inventory/`` (the fleet's
inventory without any identity variable), and the project's playbook. The test reads what AWX reads back, the runner's
artifacts: ``status`` and ``rc``, one ``runner_on_ok`` event per host for the onboarding, and the ``set_stats`` data of
the ``playbook_on_stats`` event (the fleet summary, the per-host results and what the identity stage found). No secret and
no access token appears in any artifact.
"""

from __future__ import annotations

import base64
import glob
import json
import os
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IDENTITY_KEYS = ("azcmagent_service_principal_id", "azcmagent_service_principal_secret", "sim_admin_principal_id",
                 "sim_admin_principal_secret")


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# The first segment of every token the mock Azure issues (its JWT header): an access token in an artifact starts with it.
MOCK_TOKEN_HEAD = _b64url(json.dumps({"typ": "JWT", "alg": "HS256", "kid": "arcsim"}).encode())


def _write(path, data, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle, default_flow_style=False)


def _private_data_dir(fleet, base):
    """AWX's job layout: env/envvars (credential injection), env/extravars, inventory/hosts.yml without identities."""
    ident = fleet.identity
    with open(fleet.inventory, encoding="utf-8") as handle:
        inventory = yaml.safe_load(handle)
    for group in inventory["all"]["children"].values():
        for key in IDENTITY_KEYS:
            (group.get("vars") or {}).pop(key, None)
        for host_vars in (group.get("hosts") or {}).values():
            for key in IDENTITY_KEYS:
                (host_vars or {}).pop(key, None)
    _write(os.path.join(base, "inventory", "hosts.yml"), inventory)
    bindir = os.path.dirname(sys.executable)
    _write(os.path.join(base, "env", "envvars"), {
        # the Microsoft Azure Resource Manager credential type's injectors
        "AZURE_CLIENT_ID": ident["client_id"], "AZURE_SECRET": ident["client_secret"], "AZURE_TENANT": ident["tenant_id"],
        "AZURE_SUBSCRIPTION_ID": ident["subscription_id"], "AZURE_CLOUD_ENVIRONMENT": "AzureCloud",
        # the execution environment's own settings
        "ANSIBLE_COLLECTIONS_PATH": os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.path.join(ROOT, "build", "dev"),
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false", "ANSIBLE_BECOME_ALLOW_SAME_USER": "true", "ANSIBLE_HOST_KEY_CHECKING": "false",
        "ANSIBLE_LOCAL_TEMP": os.path.join(base, "tmp", "local"), "ANSIBLE_REMOTE_TEMP": os.path.join(base, "tmp", "remote"),
        "PATH": bindir + os.pathsep + os.environ.get("PATH", ""), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
    })
    _write(os.path.join(base, "env", "extravars"), {
        "azcmagent_install": False, "azcmagent_report_dir": os.path.join(base, "report")})
    return base


@pytest.mark.slow
def test_onboard_through_ansible_runner_with_the_awx_credential(fleet_factory, tmp_path):
    import ansible_runner  # pylint: disable=import-outside-toplevel

    fleet = fleet_factory(scenarios={"clean": 2, "connected": 1})
    base = _private_data_dir(fleet, str(tmp_path / "job"))
    runner = ansible_runner.run(private_data_dir=base, project_dir=os.path.join(ROOT, "playbooks"), playbook="onboard.yml",
                                inventory=os.path.join(base, "inventory", "hosts.yml"), forks=5, quiet=True, timeout=900,
                                ident="job1")
    artifacts = os.path.join(base, "artifacts", "job1")
    stdout = runner.stdout.read()
    assert (runner.status, runner.rc) == ("successful", 0), stdout[-4000:]
    with open(os.path.join(artifacts, "status"), encoding="utf-8") as handle:
        assert handle.read().strip() == "successful"
    with open(os.path.join(artifacts, "rc"), encoding="utf-8") as handle:
        assert handle.read().strip() == "0"

    events = list(runner.events)
    assert [e["event"] for e in events if e["event"] == "playbook_on_stats"] == ["playbook_on_stats"]
    # per-host events: each host's onboarding record, and its stats
    records = {e["event_data"]["host"]: e for e in events
               if e["event"] == "runner_on_ok" and e["event_data"].get("task") == "Record the onboarding result"}
    assert sorted(records) == sorted(fleet.hosts)
    stats = runner.stats
    assert sorted(stats["ok"]) == sorted(list(fleet.hosts) + ["localhost"]) and not stats["failures"] and not stats["dark"]

    # set_stats: what an AWX workflow's next node receives
    [final] = [e for e in events if e["event"] == "playbook_on_stats"]
    data = final["event_data"]["artifact_data"]
    summary = data["azcmagent_fleet_summary"]
    assert summary["kind"] == "onboard" and summary["counts"]["hosts"] == 3 and summary["counts"]["connected"] == 3
    assert summary["counts"]["changed"] == 2 and summary["counts"]["failed"] == 0
    assert sorted(data["azcmagent_results"]) == sorted(fleet.hosts)
    assert {h: r["state"] for h, r in data["azcmagent_results"].items()} == {h: "Connected" for h in fleet.hosts}
    identity = data["azcmagent_identity"]
    assert (identity["enabled"], identity["source"], identity["principal"]) == (True, "service_principal_secret", fleet.identity["client_id"])
    assert {c["check"] for c in identity["checks"] if c["ok"]} == {"token", "resource_group", "permission", "provider"}
    assert "access_token" not in identity
    # the clean hosts were connected by the agents with the controller's token: the Onboarding principal created them
    for host, entry in fleet.hosts.items():
        assert fleet.machine(host) is not None, host

    # AWX keeps the job's output and events: neither the credential's secret nor any access token may be in them (the
    # runner's own "command" artifact records the environment it was given, the credential's injection included)
    secret = fleet.identity["client_secret"]
    checked = 0
    for path in glob.glob(os.path.join(artifacts, "**", "*"), recursive=True):
        if os.path.isfile(path) and os.path.basename(path) != "command":
            checked += 1
            with open(path, encoding="utf-8", errors="replace") as handle:
                content = handle.read()
            assert secret not in content, path
            assert MOCK_TOKEN_HEAD not in content, path
    assert checked > len(events) // 2, checked
    assert secret not in stdout and MOCK_TOKEN_HEAD not in stdout
