# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The simulated fleet: every scenario once, its inventory, sim.json, mock state, init scripts,
the first connect of each host against scenarios.yml, and a teardown that leaves nothing behind."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
import yaml

import fleetlib
import scenarios
from mockazure.client import Client

from ansible_collections.arcops.azcmagent.plugins.module_utils._diagnosis import diagnose

pytestmark = pytest.mark.slow

HERE = os.path.dirname(os.path.abspath(__file__))
FLEET_CLI = os.path.join(HERE, "fleet")
HOST_KEYS = {"ansible_connection", "ansible_python_interpreter", "azcmagent_executable", "azcmagent_service_names", "sim_scenario", "sim_host_dir"}
GROUP_KEYS = {"azcmagent_subscription_id", "azcmagent_resource_group", "azcmagent_location", "azcmagent_tenant_id", "azcmagent_cloud",
              "azcmagent_service_principal_id", "azcmagent_service_principal_secret", "azcmagent_authority_host",
              "azcmagent_resource_manager_endpoint", "azcmagent_ca_file", "azcmagent_endpoints", "sim_mock_url", "sim_fleet_dir"}


def _alive(pid):
    return fleetlib.pid_alive(pid)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp("fleet"))
    proc = subprocess.run([FLEET_CLI, "up", "--dir", directory, "--scenarios", "all", "--proxy"], capture_output=True, text=True,
                          timeout=120, check=False, env=dict(os.environ, FLEET_PYTHON=sys.executable))
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["hosts"] == len(scenarios.NAMES)
    f = fleetlib.Fleet(directory)
    yield f
    fleetlib.down(directory)


@pytest.fixture(scope="module")
def inventory(fleet):
    with open(fleet.inventory, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def by_scenario(fleet, name):
    return next(h for h, e in fleet.hosts.items() if e["scenario"] == name)


def read_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def test_host_names_and_plan():
    assert scenarios.host_name("stale_resource", 3) == "stale-resource-03"
    plan = fleetlib._plan({"clean": 2, "no_role": 1})  # pylint: disable=protected-access
    assert plan == [("clean-01", "clean"), ("clean-02", "clean"), ("no-role-01", "no_role")]
    assert fleetlib._plan(hosts=120)[-1] == ("clean-120", "clean")  # pylint: disable=protected-access
    with pytest.raises(KeyError, match="unknown scenario 'nope'"):
        fleetlib._plan({"nope": 1})  # pylint: disable=protected-access


def test_scenario_table_is_complete():
    brief = {"bad_secret", "app_not_found", "tenant_not_found", "no_role", "provider_unregistered", "resource_locked", "stale_resource",
             "partial_connect", "connected", "connected_elsewhere", "disconnected", "expired", "throttled", "transient", "hang", "not_root",
             "legacy_agent", "himds_stopped", "proxy_blocked", "dns_failure", "port_closed", "tls_intercepted", "clean", "agent_1_21"}
    assert set(scenarios.NAMES) == brief
    for name in scenarios.NAMES:
        exp = scenarios.expect(name)
        assert (exp["code"] is None) == (exp["category"] in ("success",) or bool(exp.get("timeout"))), name
        assert exp["action"] in ("retry", "restart_services", "escalate", "register_providers", "set_proxy", "check_network",
                                 "force_local_disconnect", "delete_resource", "reonboard", "report", "none"), name


def test_files_holding_secrets_are_owner_only(fleet):
    secret = fleet.identity["client_secret"]
    holders = []
    for base, _dirs, files in os.walk(fleet.dir):
        for name in files:
            path = os.path.join(base, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            with open(path, "rb") as handle:
                if secret.encode() in handle.read():
                    holders.append(path)
    assert os.path.join(fleet.dir, "inventory.yml") in holders and os.path.join(fleet.dir, "fleet.json") in holders
    assert {path: oct(os.stat(path).st_mode & 0o077) for path in holders} == {path: "0o0" for path in holders}


def test_inventory_shape(fleet, inventory):
    children = inventory["all"]["children"]
    hosts = children["arc_fleet"]["hosts"]
    assert set(hosts) == set(fleet.hosts)
    assert GROUP_KEYS <= set(children["arc_fleet"]["vars"])
    gvars = children["arc_fleet"]["vars"]
    assert gvars["azcmagent_authority_host"] == fleet.mock_url and gvars["azcmagent_ca_file"] == fleet.ca_file
    assert gvars["azcmagent_service_principal_secret"] == fleet.identity["client_secret"] and len(fleet.identity["client_secret"]) >= 40
    for name, hvars in hosts.items():
        assert HOST_KEYS <= set(hvars), name
        assert hvars["ansible_connection"] == "local"
        if hvars["sim_scenario"] == "not_root":
            # a non_root host runs modules with its own Python wrapper, which pretends its user (README, "The caller's user")
            assert hvars["ansible_python_interpreter"] == os.path.join(hvars["sim_host_dir"], "python")
            assert os.access(hvars["ansible_python_interpreter"], os.X_OK)
            assert hvars["sim_environment"] == {"ARCOPS_AZCMAGENT_AGENT_UID": "1000"}
        else:
            assert hvars["ansible_python_interpreter"] == sys.executable and "sim_environment" not in hvars
        assert os.access(hvars["azcmagent_executable"], os.X_OK)
        assert children["scenario_%s" % hvars["sim_scenario"]]["hosts"] == {name: None}
    assert oct(os.stat(fleet.inventory).st_mode & 0o777) == "0o600"


def test_identity_overrides(fleet):
    ident = fleet.identity
    assert fleet.host_vars(by_scenario(fleet, "bad_secret"))["azcmagent_service_principal_secret"] == ident["wrong_secret"]
    assert fleet.host_vars(by_scenario(fleet, "app_not_found"))["azcmagent_service_principal_id"] == ident["unknown_client_id"]
    assert fleet.host_vars(by_scenario(fleet, "tenant_not_found"))["azcmagent_tenant_id"] == ident["unknown_tenant_id"]
    assert fleet.host_vars(by_scenario(fleet, "no_role"))["azcmagent_service_principal_id"] == ident["norole_client_id"]
    assert fleet.host_vars(by_scenario(fleet, "provider_unregistered"))["azcmagent_subscription_id"] == ident["unregistered_subscription_id"]
    clean = fleet.host_vars(by_scenario(fleet, "clean"))
    assert clean["azcmagent_service_principal_id"] == ident["client_id"] and clean["azcmagent_tenant_id"] == ident["tenant_id"]


def test_sim_json(fleet):
    mock = fleet.data["mock"]
    for name, entry in fleet.hosts.items():
        sim = read_json(os.path.join(entry["host_dir"], "sim.json"))
        setup = scenarios.setup(entry["scenario"])
        assert sim["name"] == name and sim["scenario"] == entry["scenario"] and sim["ca_file"] == fleet.ca_file
        assert sim["services"]["himds"] == "arcsim-%s-%s-himdsd" % (fleet.id, name)
        assert fleet.host_vars(name)["azcmagent_service_names"] == [sim["services"]["himds"]]
        for knob, value in setup["sim"].items():
            assert sim[knob] == value, (name, knob)
        expected = {"direct": "127.0.0.1:%d" % mock["port"], "proxy_blocked": "127.0.0.1:%d" % mock["port"],
                    "dns_failure": fleetlib.DNS_FAILURE_TARGET, "port_closed": "127.0.0.1:%d" % mock["closed_port"],
                    "tls_intercepted": "127.0.0.1:%d" % mock["intercept_port"]}[setup["network"]]
        for real in ("login.microsoftonline.com", "management.azure.com", "gbl.his.arc.azure.com", "westeurope.his.arc.azure.com",
                     "pas.windows.net", "login.microsoftonline.us", "management.chinacloudapi.cn"):
            assert sim["endpoints"][real] == expected, (name, real)
        # The check module probes the same names where this host's agent dials them.
        probes = fleet.host_vars(name)["azcmagent_endpoints"]
        assert [probe["url"] for probe in probes] == ["https://%s" % real for real in fleetlib.CHECK_NAMES]
        assert all(probe["connect_to"] == sim["endpoints"][probe["url"][8:]] for probe in probes), name


def test_local_state_matches_mock_state(fleet):
    state = fleet.state()
    ident = fleet.identity
    for name, entry in fleet.hosts.items():
        setup = scenarios.setup(entry["scenario"])
        agent = read_json(os.path.join(entry["root"], "var", "opt", "azcmagent", "agentconfig.json"))
        machines = [m for m in state["machines"].values() if m["name"] == name]
        if setup["local"] == "none":
            assert not agent.get("resourceId"), name
        else:
            group = ident["other_resource_group"] if setup["target"] == "elsewhere" else ident["resource_group"]
            assert agent["resourceGroup"] == group and agent["tenantId"] == ident["tenant_id"], name
            assert agent["status"] == ("" if setup["local"] == "pending" else setup["local_status"]), name
            assert bool(agent.get("connectPending")) == (setup["local"] == "pending")
        if setup["machine"] == "none":
            assert machines == [], name
            continue
        assert len(machines) == 1, name
        vm_id = machines[0]["properties"]["vmId"]
        if setup["machine"] == "same_vm":
            assert vm_id == agent["vmId"] and machines[0]["id"] == agent["resourceId"], name
        else:
            assert vm_id != agent.get("vmId"), name


def test_mock_seed(fleet):
    state = fleet.state()
    ident = fleet.identity
    assert state["tenants"][ident["tenant_id"]]["display_name"] == ident["tenant_name"]
    assert state["principals"][ident["client_id"]]["secret"] == ident["client_secret"]
    roles = {(a["object_id"], a["role"], a["scope"].lower()) for a in state["role_assignments"]}
    scope = ("/subscriptions/%s/resourceGroups/%s" % (ident["subscription_id"], ident["resource_group"])).lower()
    assert (ident["object_id"], "Azure Connected Machine Onboarding", scope) in roles
    norole_oid = state["principals"][ident["norole_client_id"]]["object_id"]
    assert not [r for r in roles if r[0] == norole_oid]
    assert ident["unknown_client_id"] not in state["principals"] and ident["unknown_tenant_id"] not in state["tenants"]
    assert state["subscriptions"][ident["subscription_id"]]["providers"]["Microsoft.HybridCompute"] == "Registered"
    assert state["subscriptions"][ident["unregistered_subscription_id"]]["providers"]["Microsoft.HybridCompute"] == "NotRegistered"
    locked = fleet.hosts[by_scenario(fleet, "resource_locked")]["machine_id"]
    assert [lk["level"] for lk in state["locks"] if lk["scope"] == locked] == ["CanNotDelete"]
    throttled = by_scenario(fleet, "throttled")
    faults = [f for f in state["faults"] if throttled in f["path_regex"]]
    assert len(faults) == 1 and faults[0]["status"] == 429 and faults[0]["retry_after"] == 2 and faults[0]["method"] == "PUT"


def test_init_scripts_and_himds(fleet):
    for name, entry in fleet.hosts.items():
        script = entry["init_script"]
        assert script == os.path.join("/etc/init.d", "arcsim-%s-%s-himdsd" % (fleet.id, name))
        assert os.access(script, os.X_OK)
        status = subprocess.run([script, "status"], capture_output=True, text=True, check=False)
        want = 3 if scenarios.setup(entry["scenario"])["himds"] == "stopped" else 0
        assert status.returncode == want, (name, status.stdout)
    report = fleetlib.status(fleet.dir)
    assert report["mock"]["running"] and report["proxy"]["running"]
    assert report["hosts"][by_scenario(fleet, "himds_stopped")]["himds"] == "stopped"


def test_proxy_denies_azure_with_403(fleet):
    proxy = fleet.data["proxy"]
    host = fleet.hosts[by_scenario(fleet, "proxy_blocked")]
    local = read_json(os.path.join(host["root"], "var", "opt", "azcmagent", "localconfig.json"))
    assert local["proxy.url"] == proxy["url"]
    with socket.create_connection(("127.0.0.1", proxy["port"]), 5) as sock:
        sock.sendall(b"CONNECT login.microsoftonline.com:443 HTTP/1.1\r\nHost: login.microsoftonline.com:443\r\n\r\n")
        assert sock.recv(64).startswith(b"HTTP/1.1 403 Forbidden")


@pytest.mark.parametrize("name", scenarios.NAMES)
def test_first_connect_gives_the_expected_code(fleet, name):
    host = by_scenario(fleet, name)
    hvars = fleet.host_vars(host)
    expect = scenarios.expect(name)
    cmd = [hvars["azcmagent_executable"], "connect", "--service-principal-id", hvars["azcmagent_service_principal_id"],
           "--service-principal-secret", hvars["azcmagent_service_principal_secret"], "--tenant-id", hvars["azcmagent_tenant_id"],
           "--subscription-id", hvars["azcmagent_subscription_id"], "--resource-group", hvars["azcmagent_resource_group"],
           "--location", hvars["azcmagent_location"], "--cloud", hvars["azcmagent_cloud"]]
    if expect.get("timeout"):
        with pytest.raises(subprocess.TimeoutExpired):
            subprocess.run(cmd, capture_output=True, text=True, timeout=4, check=False)
        return
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    want = int(expect["code"][4:]) if expect["code"] else 0
    assert proc.returncode == want, proc.stdout + proc.stderr
    if expect["code"]:
        assert "Exit Code:  %s" % expect["code"] in proc.stdout + proc.stderr
        # What the agent printed, and what it logged, must be understood by the collection as the table says.
        log = _run_log(fleet.hosts[host]["root"])
        for label, text in (("console", proc.stdout + proc.stderr), ("log", log)):
            diagnosis = diagnose(text)
            assert (diagnosis["azcm_code"], diagnosis["category"], diagnosis["unparsed"]) == (expect["code"], expect["category"], 0), label
            if expect["code"] != "AZCM0067":  # same target or not is the connect module's call
                assert diagnosis["action"] == expect["action"], label
        for marker in ('msg="Agent Version: ', 'msg="Agent Command: connect', 'msg="Exit Code:  %s' % expect["code"], "level=fatal"):
            assert marker in log, marker
    machine = fleet.machine(host, subscription=hvars["azcmagent_subscription_id"])
    if expect["code"] is None:
        assert machine["properties"]["status"] == "Connected"
    if expect["category"] in ("credentials", "permissions", "providers"):
        assert machine is None


def _run_log(root):
    """The lines of azcmagent.log written by the last run (from its `Agent Version:` line on)."""
    with open(os.path.join(root, "var", "opt", "azcmagent", "log", "azcmagent.log"), encoding="utf-8") as handle:
        text = handle.read()
    return text[text.rfind('msg="Agent Version: '):]


def test_transient_fails_twice_then_connects(tmp_path):
    fleet = fleetlib.up(str(tmp_path / "transient"), scenario="transient", hosts=1)
    try:
        [host] = fleet.hosts
        hvars = fleet.host_vars(host)
        cmd = [hvars["azcmagent_executable"], "connect", "--service-principal-id", hvars["azcmagent_service_principal_id"],
               "--service-principal-secret", hvars["azcmagent_service_principal_secret"], "--tenant-id", hvars["azcmagent_tenant_id"],
               "--subscription-id", hvars["azcmagent_subscription_id"], "--resource-group", hvars["azcmagent_resource_group"],
               "--location", hvars["azcmagent_location"]]
        codes = [subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False).returncode for _ in range(3)]
        assert codes == [26, 26, 0]
        assert fleet.machine(host)["properties"]["status"] == "Connected"
    finally:
        fleetlib.down(fleet.dir)


@pytest.mark.parametrize("name", [n for n in scenarios.NAMES if scenarios.expect(n, "offboard")])
def test_disconnect_gives_the_expected_offboard_code(fleet, name):
    host = by_scenario(fleet, name)
    hvars = fleet.host_vars(host)
    expect = scenarios.expect(name, "offboard")
    cmd = [hvars["azcmagent_executable"], "disconnect", "--service-principal-id", hvars["azcmagent_service_principal_id"],
           "--service-principal-secret", hvars["azcmagent_service_principal_secret"]]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    want = int(expect["code"][4:]) if expect["code"] else 0
    assert proc.returncode == want, proc.stdout + proc.stderr
    machine = fleet.machine(host, subscription=hvars["azcmagent_subscription_id"])
    assert (machine is not None) == (expect["azure"] == "present")
    if expect["code"] == "AZCM0043":
        assert "Code: ScopeLocked httpStatusCode:409" in proc.stdout + proc.stderr


def test_results_helper_runs_a_playbook_on_the_fleet(fleet, tmp_path):
    spec = importlib.util.spec_from_file_location("integration_conftest", os.path.join(HERE, "..", "integration", "conftest.py"))
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    playbook = tmp_path / "show.yml"
    playbook.write_text("---\n- name: Read the agents\n  hosts: arc_fleet\n  gather_facts: false\n  tasks:\n"
                        "    - name: Show\n      ansible.builtin.command: \"{{ azcmagent_executable }} show -j\"\n"
                        "      changed_when: false\n      register: shown\n"
                        "    - name: Keep\n      ansible.builtin.set_fact:\n        sim_shown: \"{{ shown.stdout | from_json }}\"\n")
    clean, connected = by_scenario(fleet, "clean"), by_scenario(fleet, "resource_locked")
    result = helper.run_ansible_playbook(str(playbook), str(tmp_path / "work"), inventory=fleet.inventory, limit=[clean, connected])
    assert result.rc == 0, result.stdout + result.stderr
    assert set(result.stats) == {clean, connected} and result.failed_hosts == []
    assert result.task(connected, "Show")["status"] == "ok"
    assert result.facts[connected]["sim_shown"]["resourceId"] == fleet.hosts[connected]["machine_id"]
    failing = helper.run_ansible_playbook(str(playbook), str(tmp_path / "work"), inventory=fleet.inventory, limit=[clean],
                                          extra_vars={"azcmagent_executable": "/nonexistent/azcmagent"})
    assert failing.rc != 0 and failing.failed_hosts == [clean] and failing.task(clean, "Show")["status"] == "failed"


def test_zz_down_leaves_nothing(fleet):
    pids = [fleet.data["mock"]["pid"], fleet.data["proxy"]["pid"]]
    pids += [h["himds_pid"] for h in fleet.hosts.values() if h.get("himds_pid")]
    assert all(_alive(p) for p in pids[:2])
    summary = fleetlib.down(fleet.dir)
    assert summary["mock"] and summary["proxy"] and summary["init_scripts"] == len(fleet.hosts)
    deadline = time.time() + 5
    while time.time() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    assert [p for p in pids if _alive(p)] == []
    assert [h for h in fleet.hosts.values() if os.path.exists(h["init_script"])] == []
    again = fleetlib.down(fleet.dir)
    assert again == {"mock": False, "proxy": False, "himds": 0, "init_scripts": 0}
    # the state stays readable after the mock stopped
    assert fleet.identity["client_id"] in fleet.state()["principals"]
    with pytest.raises(OSError):
        Client(fleet.mock_url, fleet.ca_file, timeout=2).state()


def test_two_hundred_hosts_up_and_down(tmp_path):
    # How fast this is, is measured by bench/fleet.py, not asserted here.
    fleet = fleetlib.up(str(tmp_path / "big"), hosts=200)
    try:
        assert len(fleet.hosts) == 200
        assert all(h.get("himds_pid") for h in fleet.hosts.values())
    finally:
        summary = fleetlib.down(fleet.dir)
    assert summary["himds"] == 200 and summary["init_scripts"] == 200
    assert not [h for h in fleet.hosts.values() if _alive(h["himds_pid"])]


def test_down_stops_a_daemon_whose_pid_file_is_gone(tmp_path):
    fleet = fleetlib.up(str(tmp_path / "stray"), scenario="clean", hosts=1)
    [entry] = fleet.hosts.values()
    pid = entry["himds_pid"]
    assert _alive(pid)
    # what the offboard role's remove_state does to a host: its agent state, pid file included, is gone
    shutil.rmtree(os.path.join(entry["root"], "var", "opt", "azcmagent"))
    summary = fleetlib.down(fleet.dir)
    assert summary["himds"] == 1
    deadline = time.time() + 5
    while _alive(pid) and time.time() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)
