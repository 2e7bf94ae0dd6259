# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/remediate.yml, offboard.yml and diagnose.yml (and the offboard role) against the simulated fleet.

* remediate: a connected host whose himds is stopped is not "repaired" when the policy forbids the restart
  (the host fails with AZCM0064 and its remediation) and is repaired with the default policy; on a small
  mixed fleet it repairs himds_stopped, leaves the healthy hosts alone, fails the rest with their own code and
  category, changes nothing in check mode and nothing on a second run;
* offboard: Disconnected and resource gone; a locked resource fails with the scenarios.yml offboard code,
  category and a remediation about the lock; force_local_only disconnects locally and keeps the resource;
  a second run changes nothing; remove_state removes the host's own state directory and nothing else;
* diagnose: read-only, fetches every host's log bundle, writes the reports, groups failures by code and category.
"""

from __future__ import annotations

import glob
import json
import os
import subprocess
import tempfile
import zipfile

import pytest
import yaml

import fleet_checks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOKS = os.path.join(ROOT, "playbooks")
VARS = os.path.join(ROOT, "tests", "integration", "vars")
# local connections run as root: without this ansible skips `become` (root to root), which the simulator needs to see
BECOME_ENV = {"ANSIBLE_BECOME_ALLOW_SAME_USER": "true"}
FLEET = {"clean": 1, "connected": 1, "himds_stopped": 1, "resource_locked": 1, "port_closed": 1, "stale_resource": 1, "proxy_blocked": 1}


def _vars(name, report_dir, **extra):
    with open(os.path.join(VARS, name), encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    data["azcmagent_report_dir"] = report_dir
    data.update(extra)
    return data


def _host(fleet, scenario):
    return [name for name, entry in sorted(fleet.hosts.items()) if entry["scenario"] == scenario][0]


def _service(fleet, host, action):
    proc = subprocess.run([fleet.hosts[host]["init_script"], action], capture_output=True, text=True, timeout=60, check=False)
    return proc.returncode


def _summary(report_dir):
    with open(os.path.join(report_dir, "fleet_summary.json"), encoding="utf-8") as handle:
        return json.load(handle)


def _status(fleet, host):
    """The agent status of a host, read with `azcmagent show -j` (what the info module reads)."""
    proc = subprocess.run([fleet.hosts[host]["executable"], "show", "-j"], capture_output=True, text=True, timeout=60, check=False)
    return json.loads(proc.stdout)["status"]


@pytest.mark.slow
def test_remediate_repairs_only_what_it_really_repaired(fleet_factory, run_playbook, tmp_path):
    fleet = fleet_factory(scenarios={"connected": 2})
    hosts = sorted(fleet.hosts)
    for host in hosts:
        assert _service(fleet, host, "stop") == 0
        assert _service(fleet, host, "status") != 0
    playbook = os.path.join(PLAYBOOKS, "remediate.yml")

    # the policy forbids the restart: nothing is done, so nothing is repaired and the hosts fail with AZCM0064
    report = str(tmp_path / "no-restart")
    run = run_playbook(playbook, inventory=fleet.inventory, extra_vars=_vars("remediate_no_restart.yml", report), env=BECOME_ENV)
    results = fleet_checks.results(run, fleet)
    for host in hosts:
        result = results[host]
        assert (result["ok"], result["repaired"], result["code"], result["category"]) == (False, False, "AZCM0064", "agent_service"), result
        assert "restart_services" in result["remediation"] and result["remediation"] in result["message"], result
        assert "AZCM0064" in result["message"]
        assert _service(fleet, host, "status") != 0, "the policy forbade the restart"
    assert run.failed_hosts == hosts
    assert "0 repaired, 2 failed" in run.stdout and "1 repaired" not in run.stdout
    assert _summary(report)["counts"]["repaired"] == 0

    # the default policy allows restart_services: restarted, verified Connected with every service running
    report = str(tmp_path / "default")
    run = run_playbook(playbook, inventory=fleet.inventory, extra_vars=_vars("remediate.yml", report), env=BECOME_ENV)
    results = fleet_checks.results(run, fleet)
    for host in hosts:
        result = results[host]
        assert (result["ok"], result["repaired"], result["state"], result["code"]) == (True, True, "Connected", None), result
        assert [a["action"] for a in result["actions"] if a["done"]] == ["restart_services"]
        assert _service(fleet, host, "status") == 0
    assert run.failed_hosts == [] and run.rc == 0
    assert _summary(report)["counts"]["repaired"] == 2
    assert _summary(report)["repairs"] == [{"code": "AZCM0064", "count": 2, "hosts": hosts}]


@pytest.mark.slow
def test_remediate_a_mixed_fleet(fleet_factory, run_playbook, scenario_table, tmp_path):
    fleet = fleet_factory(scenarios=FLEET)
    playbook = os.path.join(PLAYBOOKS, "remediate.yml")
    extra = _vars("remediate.yml", str(tmp_path / "report"))

    # check mode changes neither the simulator nor the mock Azure
    before_local, before_azure = fleet_checks.local_state(fleet), fleet.state()["machines"]
    check = run_playbook(playbook, inventory=fleet.inventory, extra_vars=extra, check=True, forks=10, env=BECOME_ENV)
    assert check.stats, check.stdout[-3000:]
    assert fleet_checks.local_state(fleet) == before_local
    assert fleet.state()["machines"] == before_azure
    assert fleet_checks.writes(fleet) == []
    assert _service(fleet, _host(fleet, "himds_stopped"), "status") != 0

    run = run_playbook(playbook, inventory=fleet.inventory, extra_vars=extra, forks=10, env=BECOME_ENV)
    results = fleet_checks.results(run, fleet)
    stopped = _host(fleet, "himds_stopped")
    assert results[stopped]["ok"] and results[stopped]["state"] == "Connected", results[stopped]
    assert _service(fleet, stopped, "status") == 0
    assert results[_host(fleet, "clean")]["ok"]
    # the healthy (connected) hosts are left alone
    for scenario in ("connected", "resource_locked"):
        host = _host(fleet, scenario)
        assert results[host]["ok"] and not results[host]["changed"] and not results[host]["repaired"], results[host]
        assert run.changed(host) == 0, run.hosts[host]
        assert results[host]["summary"] == "healthy"
    # the others fail with their own code, category and remediation; nothing destructive happened
    for scenario in ("port_closed", "proxy_blocked", "stale_resource"):
        host, expect = _host(fleet, scenario), scenario_table.expect(scenario)
        result = results[host]
        assert (result["ok"], result["code"], result["category"]) == (False, expect["code"], expect["category"]), result
        assert result["remediation"] and result["remediation"] in result["message"]
    assert "delete_resource" in results[_host(fleet, "stale_resource")]["remediation"]
    assert [r for r in fleet_checks.writes(fleet) if r["method"] == "DELETE"] == []
    assert fleet.machine(_host(fleet, "stale_resource")) is not None
    failing = sorted(_host(fleet, s) for s in ("port_closed", "proxy_blocked", "stale_resource"))
    assert run.failed_hosts == failing

    # AZCM0026 of a closed port and of a blocking proxy: two groups, each with its own hosts and remediation
    failures = {(g["code"], g["category"]): g for g in _summary(str(tmp_path / "report"))["failures"]}
    network, proxy = failures[("AZCM0026", "network")], failures[("AZCM0026", "proxy")]
    assert network["hosts"] == [_host(fleet, "port_closed")] and proxy["hosts"] == [_host(fleet, "proxy_blocked")]
    assert network["remediations"][0]["remediation"] == results[_host(fleet, "port_closed")]["remediation"]
    assert proxy["remediations"][0]["remediation"] == results[_host(fleet, "proxy_blocked")]["remediation"]
    assert network["remediation"] != proxy["remediation"]

    # a second run changes nothing
    before_local, before_azure = fleet_checks.local_state(fleet), fleet.state()["machines"]
    again = run_playbook(playbook, inventory=fleet.inventory, extra_vars=extra, forks=10, env=BECOME_ENV)
    changed = {h: again.changed(h) for h in fleet.hosts if again.changed(h)}
    assert not changed, changed
    assert again.failed_hosts == failing
    assert fleet_checks.local_state(fleet) == before_local
    assert fleet.state()["machines"] == before_azure
    assert not any(r["repaired"] for r in fleet_checks.results(again, fleet).values())


def _tree(directory, skip):
    """Every path under directory except those under skip."""
    found = set()
    for base, dirs, files in os.walk(directory):
        for name in dirs + files:
            path = os.path.join(base, name)
            if path != skip and not path.startswith(skip + os.sep):
                found.add(path)
    return found


@pytest.mark.slow
def test_offboard(fleet_factory, run_playbook, scenario_table, tmp_path):
    fleet = fleet_factory(scenarios={"clean": 1, "connected": 2, "resource_locked": 1})
    playbook = os.path.join(PLAYBOOKS, "offboard.yml")
    connected, spare = sorted(h for h, e in fleet.hosts.items() if e["scenario"] == "connected")
    locked, clean = _host(fleet, "resource_locked"), _host(fleet, "clean")
    selection = ",".join([clean, connected, locked])
    assert fleet.machine(connected) is not None and fleet.machine(locked) is not None

    run = run_playbook(playbook, inventory=fleet.inventory, extra_vars=_vars("offboard.yml", str(tmp_path / "r1"), azcmagent_hosts=selection),
                       env=BECOME_ENV)
    results = fleet_checks.results(run, fleet)
    assert results[connected]["ok"] and results[connected]["state"] == "Disconnected", results[connected]
    assert _status(fleet, connected) == "Disconnected"
    assert fleet.machine(connected) is None
    expect = scenario_table.expect("resource_locked", phase="offboard")
    result = results[locked]
    assert (result["ok"], result["code"], result["category"]) == (False, expect["code"], expect["category"]), result
    assert "lock" in result["remediation"].lower() and result["remediation"] in result["message"]
    assert _status(fleet, locked) == expect["state"]
    assert fleet.machine(locked) is not None
    assert run.failed_hosts == [locked]
    assert results[spare] is None and fleet.machine(spare) is not None

    # locally only: the agent ends Disconnected, the locked resource stays
    run = run_playbook(playbook, inventory=fleet.inventory, env=BECOME_ENV,
                       extra_vars=_vars("offboard.yml", str(tmp_path / "r2"), azcmagent_hosts=locked, azcmagent_offboard_force_local_only=True))
    result = fleet_checks.results(run, fleet)[locked]
    assert result["ok"] and result["state"] == "Disconnected", result
    assert result["actions"][0]["action"] == "force_local_disconnect"
    assert _status(fleet, locked) == "Disconnected"
    assert fleet.machine(locked) is not None
    assert run.failed_hosts == []

    # a second offboarding changes nothing
    before_local, before_azure = fleet_checks.local_state(fleet), fleet.state()["machines"]
    again = run_playbook(playbook, inventory=fleet.inventory, extra_vars=_vars("offboard.yml", str(tmp_path / "r3"), azcmagent_hosts=selection),
                         env=BECOME_ENV)
    changed = {h: again.changed(h) for h in fleet.hosts if again.changed(h)}
    assert not changed, changed
    assert again.failed_hosts == []
    assert fleet_checks.local_state(fleet) == before_local and fleet.state()["machines"] == before_azure

    # remove_state: the host's own state directory (derived from its log file) goes, nothing else does
    state_dir = os.path.join(fleet.hosts[spare]["host_dir"], "root", "var", "opt", "azcmagent")
    fleet_dir = os.path.dirname(os.path.dirname(fleet.hosts[spare]["host_dir"]))
    assert os.path.isdir(state_dir)
    outside = _tree(fleet_dir, state_dir)
    real = {path: os.path.exists(path) for path in ("/var/opt/azcmagent", "/opt/azcmagent")}
    run = run_playbook(playbook, inventory=fleet.inventory, env=BECOME_ENV,
                       extra_vars=_vars("offboard.yml", str(tmp_path / "r4"), azcmagent_hosts=spare, azcmagent_offboard_remove_state=True))
    result = fleet_checks.results(run, fleet)[spare]
    assert result["ok"] and result["state_dirs_removed"] == [state_dir], result
    assert not os.path.exists(state_dir)
    assert fleet.machine(spare) is None
    # the mock's logs grow with each request: compare the paths, not their contents
    assert _tree(fleet_dir, state_dir) == outside
    assert {path: os.path.exists(path) for path in real} == real


@pytest.mark.slow
def test_diagnose_is_read_only_and_reports(fleet_factory, run_playbook, tmp_path):
    fleet = fleet_factory(scenarios=FLEET)
    playbook = os.path.join(PLAYBOOKS, "diagnose.yml")
    report = str(tmp_path / "report")
    before_local, before_azure = fleet_checks.local_state(fleet), fleet.state()["machines"]
    before_tmp = set(glob.glob(os.path.join(tempfile.gettempdir(), "azcmagent-logs-*")))

    run = run_playbook(playbook, inventory=fleet.inventory, extra_vars=_vars("diagnose.yml", report), forks=10, env=BECOME_ENV)
    assert run.rc == 0, run.stdout[-3000:]
    assert {h: run.changed(h) for h in fleet.hosts if run.changed(h)} == {}
    assert fleet_checks.local_state(fleet) == before_local
    assert fleet.state()["machines"] == before_azure
    assert fleet_checks.writes(fleet) == []
    assert set(glob.glob(os.path.join(tempfile.gettempdir(), "azcmagent-logs-*"))) == before_tmp

    results = fleet_checks.results(run, fleet)
    for host in fleet.hosts:
        bundle = os.path.join(report, "logs", host + ".zip")
        assert results[host]["logs"] == bundle
        assert zipfile.is_zipfile(bundle), bundle
    for name in ("fleet_report.md", "fleet_report.html"):
        assert os.path.getsize(os.path.join(report, name)) > 0
    with open(os.path.join(report, "fleet_report.html"), encoding="utf-8") as handle:
        html = handle.read()
    assert "<svg" in html and "<script" not in html.lower()

    # failures grouped by code AND category, each group with the remediation of its own hosts
    failures = _summary(report)["failures"]
    keys = [(g["code"], g["category"]) for g in failures]
    assert len(keys) == len(set(keys))
    by_host = {}
    for group in failures:
        for entry in group["remediations"]:
            for host in entry["hosts"]:
                by_host[host] = (group["code"], group["category"], entry["remediation"])
    for host, result in results.items():
        if result["ok"]:
            assert host not in by_host
        else:
            assert by_host[host] == (result["code"] or "none", result["category"], result["remediation"]), host
    closed, blocked = _host(fleet, "port_closed"), _host(fleet, "proxy_blocked")
    assert by_host[closed][1] == "network" and by_host[blocked][1] == "proxy"
    assert by_host[closed][2] != by_host[blocked][2]
    assert by_host[_host(fleet, "himds_stopped")][:2] == ("AZCM0064", "agent_service")
    with open(os.path.join(report, "fleet_report.md"), encoding="utf-8") as handle:
        markdown = handle.read()
    assert "| network |" in markdown and "| proxy |" in markdown


@pytest.mark.slow
def test_onboard_failure_names_the_failed_remediation_step(fleet_factory, run_playbook, scenario_table, tmp_path):
    # register_providers is allowed, but the fleet principal may not register providers: the step fails
    fleet = fleet_factory(scenarios={"provider_unregistered": 1})
    [host] = fleet.hosts
    run = run_playbook(os.path.join(PLAYBOOKS, "onboard.yml"), inventory=fleet.inventory, env=BECOME_ENV,
                       extra_vars=_vars("onboard_register_providers.yml", str(tmp_path / "report")))
    result = fleet_checks.results(run, fleet)[host]
    assert not result["ok"] and result["code"] == scenario_table.expect("provider_unregistered")["code"], result
    failed = [a for a in result["actions"] if a["action"] == "register_providers" and a.get("done") and not a["ok"]]
    assert failed, result["actions"]
    note = "The automatic step register_providers failed: "
    assert note in result["remediation"] and note in result["message"], result
    assert failed[-1]["detail"].rstrip(".") in result["message"]
    assert run.failed_hosts == [host]
