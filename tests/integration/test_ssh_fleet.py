# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SSH fleet: playbooks/onboard.yml over SSH with become, the agent installed from a signed apt repository.

`fleet up --ssh` makes each host a network namespace with its own sshd, host name and overlay file system; the
agent simulator is a real ``azcmagent`` .deb served from a signed mirror on the bridge. Hosts without local agent
state are bare (the install role installs the package through apt, with its defaults and the mirror of the
inventory); hosts whose scenario needs an agent already (connected, himds stopped) have it installed beforehand.
The inventory names no simulator path and no service: the agent is at /usr/bin/azcmagent, its services are himdsd
and arcproxyd. One onboarding (the remediation scenarios included), a second one that changes nothing, and an
offboarding; then `fleet down`, after which nothing of the fleet is left (namespaces, links, processes, user,
control sockets, mounts).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

import fleetlib  # noqa: E402  pylint: disable=wrong-import-position
import sshfleet  # noqa: E402  pylint: disable=wrong-import-position
from tests.counts import record  # noqa: E402  pylint: disable=wrong-import-position

PLAYBOOKS = os.path.join(ROOT, "playbooks")
# the runner points Ansible's remote temp dir into the test's private tmp dir (fine for local connections): an SSH
# host's unprivileged user needs its own, the default
SSH_ENV = {"ANSIBLE_REMOTE_TEMP": "~/.ansible/tmp"}
# fresh machines (installed by the role): clean, stale resource, throttled, wrong secret;
# machines with the agent already: himds stopped, already connected
FLEET = {"clean": 1, "stale_resource": 1, "throttled": 1, "bad_secret": 1, "himds_stopped": 1, "connected": 1}
VERSION = "1.58.03228.700"

pytestmark = pytest.mark.slow


def _policy(scenario_table):
    policy = {}
    for name in FLEET:
        policy.update(scenario_table.expect(name)["policy"])
    return policy


def _show(entry):
    proc = sshfleet.agent(entry, "show", "-j")
    return json.loads(proc.stdout) if proc.returncode == 0 else {}


def test_onboard_an_ssh_fleet_from_the_package_repository(tmp_path, run_playbook, scenario_table):
    if os.geteuid() != 0:
        pytest.fail("the SSH fleet test needs root (make test runs as root)")
    started = time.monotonic()
    directory = str(tmp_path / "sshfleet")
    fleet = fleetlib.up(directory, scenarios=FLEET, ssh=True)
    try:
        up_seconds = time.monotonic() - started
        hosts = fleet.hosts
        assert len(hosts) == 6
        with open(fleet.inventory, encoding="utf-8") as handle:
            inventory = handle.read()
        # a real site's inventory: no simulator path, no service names, no local connection
        for word in ("azcmagent_executable", "azcmagent_service_names", "ansible_connection", "azcmagent_host_name"):
            assert word not in inventory
        ssh_user = fleet.data["ssh"]["user"]["user"]
        assert subprocess.run(["id", "-u", ssh_user], capture_output=True, text=True, check=True).stdout.strip() != "0"
        # the machine itself never gets the package
        assert subprocess.run(["dpkg", "-s", "azcmagent"], capture_output=True, check=False).returncode != 0
        for name, entry in hosts.items():
            routes = sshfleet.host_exec(entry, ["ip", "-4", "route"]).stdout
            assert "default" not in routes and routes.count("\n") == 1, routes
            # nothing leaves the bridge: an outside address is unreachable at once
            probe = sshfleet.host_exec(entry, ["/usr/bin/python3", "-c", "import socket; socket.create_connection(('192.0.2.1', 443), 2)"],
                                       check=False)
            assert probe.returncode != 0 and "Network is unreachable" in probe.stderr, probe.stderr
            assert sshfleet.host_exec(entry, ["hostname"]).stdout.strip() == name
            installed = sshfleet.host_exec(entry, ["dpkg", "-s", "azcmagent"], check=False).returncode == 0
            assert installed == entry["preinstalled"] == (entry["scenario"] in ("himds_stopped", "connected")), name

        extra = {"azcmagent_policy": _policy(scenario_table)}
        onboard = run_playbook(os.path.join(PLAYBOOKS, "onboard.yml"), inventory=fleet.inventory, extra_vars=extra, env=SSH_ENV, forks=10, timeout=1500)
        onboard_seconds = time.monotonic() - started - up_seconds
        assert onboard.rc == 2, onboard.output[-4000:]           # only the wrong secret fails
        assert onboard.failed_hosts == ["bad-secret-01"], onboard.output[-4000:]
        results = onboard.results(fleet)
        for name, entry in hosts.items():
            expect = scenario_table.expect(entry["scenario"])
            result = results[name]
            assert result["state"] == expect["state"], (name, result)
            install = onboard.facts[name]["azcmagent_install_result"]
            if entry["preinstalled"]:
                assert (install["action"], install["changed"]) == ("none", False), (name, install)
            else:
                assert (install["action"], install["changed"], install["version_after"]) == ("install", True, VERSION), (name, install)
            # the package is in the host's own dpkg database, the agent at its real paths, its services running
            assert sshfleet.host_exec(entry, ["dpkg-query", "-W", "-f", "${Version}", "azcmagent"]).stdout == VERSION
            assert sshfleet.host_exec(entry, ["readlink", "/usr/bin/azcmagent"]).stdout.strip() == "/opt/azcmagent/bin/azcmagent"
            assert sshfleet.service(entry, "himdsd", "status") == 0, name
            show = _show(entry)
            assert show["status"] == expect["state"], (name, show)
            machine = fleet.machine(name)
            assert (machine is not None) == (expect["azure"] == "present"), name
            if expect["state"] == "Connected":
                local = json.loads(sshfleet.host_exec(entry, ["cat", "/var/opt/azcmagent/agentconfig.json"]).stdout)
                assert machine["properties"]["vmId"] == local["vmId"], name
        assert results["bad-secret-01"]["code"] == "AZCM0041"
        assert results["stale-resource-01"]["repaired"] and results["himds-stopped-01"]["repaired"], results
        assert subprocess.run(["dpkg", "-s", "azcmagent"], capture_output=True, check=False).returncode != 0
        # every host was reached as the unprivileged user and became root through sudo
        for entry in hosts.values():
            with open(os.path.join(entry["host_dir"], "sshd.log"), encoding="utf-8") as handle:
                assert "Accepted publickey for %s" % ssh_user in handle.read()

        again = run_playbook(os.path.join(PLAYBOOKS, "onboard.yml"), inventory=fleet.inventory, extra_vars=extra, env=SSH_ENV, forks=10, timeout=1500)
        assert again.failed_hosts == ["bad-secret-01"], again.output[-4000:]
        for name in hosts:
            if name != "bad-secret-01":
                assert again.changed(name) == 0, (name, [r["task"] for r in again.hosts[name] if r["status"] == "changed"])

        offboard = run_playbook(os.path.join(PLAYBOOKS, "offboard.yml"), inventory=fleet.inventory, env=SSH_ENV, forks=10, timeout=900)
        assert offboard.rc == 0, offboard.output[-4000:]
        for name, entry in hosts.items():
            assert _show(entry)["status"] == "Disconnected", name
            assert fleet.machine(name) is None, name
    finally:
        summary = fleetlib.down(directory)
    total = time.monotonic() - started
    assert summary["ssh"]["namespaces"] == 6 and summary["ssh"]["user"] and summary["ssh"]["hostside"], summary
    assert sshfleet.leftovers(fleet.data) == []
    assert fleet.data["ssh"]["user"]["user"] not in open("/etc/passwd", encoding="utf-8").read()
    record("ssh_fleet", {"hosts": len(FLEET), "installed by the role": 4, "repaired": 2, "up s": round(up_seconds, 1),
                         "first onboard s": round(onboard_seconds, 1), "total s": round(total, 1)})
