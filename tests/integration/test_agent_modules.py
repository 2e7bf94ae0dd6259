# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Integration tests of connect, disconnect, info and config against the simulated fleet and the mock Azure.

One fleet serves the whole file: a host per scenario, a few clean ones for the four-step playbooks.
The playbooks live in agent_modules/ (their assertions in validate_*.yml); failure paths are checked here
against tests/simulator/scenarios.yml.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import threading
import uuid

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "tests", "integration", "agent_modules")
SIMULATOR = os.path.join(ROOT, "tests", "simulator")
sys.path.insert(0, SIMULATOR)
sys.path.insert(0, os.path.join(ROOT, "build", "dev"))

import fleetlib  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import lookup  # noqa: E402

pytestmark = pytest.mark.slow

with open(os.path.join(SIMULATOR, "scenarios.yml"), encoding="utf-8") as _handle:
    SCENARIOS = yaml.safe_load(_handle)["scenarios"]

CONNECT_SCENARIOS = [
    "bad_secret", "app_not_found", "tenant_not_found", "no_role", "provider_unregistered", "stale_resource", "partial_connect",
    "himds_stopped", "resource_locked", "proxy_blocked", "dns_failure", "port_closed", "tls_intercepted", "throttled",
    "transient", "hang", "not_root", "legacy_agent", "connected", "connected_elsewhere", "disconnected", "expired",
]
OFFBOARD_SCENARIOS = sorted(name for name in CONNECT_SCENARIOS if "offboard" in SCENARIOS[name])

# Words each failure's remediation must contain (what a person has to do), by scenario.
REMEDIATION_WORDS = {
    "bad_secret": "secret", "app_not_found": "", "tenant_not_found": "tenant", "no_role": "Onboarding",
    "provider_unregistered": "regist", "stale_resource": "", "partial_connect": "delete", "himds_stopped": "HIMDS",
    "proxy_blocked": "proxy", "dns_failure": "", "port_closed": "", "tls_intercepted": "", "throttled": "",
    "transient": "", "hang": "timeout", "not_root": "root", "connected_elsewhere": "disconnect", "disconnected": "disconnect",
    "expired": "disconnect",
}


def _host(name, index=1):
    return "%s-%02d" % (name.replace("_", "-"), index)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp("agent-modules-fleet"))
    plan = {"clean": 4, "connected": 2}
    for name in CONNECT_SCENARIOS:
        plan.setdefault(name, 1)
    started = fleetlib.up(directory, scenarios=plan)
    try:
        yield started
    finally:
        fleetlib.down(directory)


def playbook(fleet, name, hosts, extra=None, verbosity=0, env=None, tmp=None):
    """Run agent_modules/<name>.yml on hosts; return the CompletedProcess (stdout+stderr in .stdout)."""
    vars_file = os.path.join(tmp, "vars-%s-%s.json" % (name, uuid.uuid4().hex[:8]))
    data = {"target_hosts": ",".join(hosts)}
    data.update(extra or {})
    with open(vars_file, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    os.chmod(vars_file, 0o600)
    environment = dict(os.environ)
    environment.update({
        "ANSIBLE_COLLECTIONS_PATH": os.path.join(ROOT, "build", "dev"), "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
        "ANSIBLE_FORKS": "30", "ANSIBLE_NOCOLOR": "1", "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_DEPRECATION_WARNINGS": "false", "PYTHONDONTWRITEBYTECODE": "1",
    })
    environment.update(env or {})
    argv = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", fleet.inventory, "-e", "@" + vars_file,
            os.path.join(HERE, name + ".yml")]
    if verbosity:
        argv.append("-" + "v" * verbosity)
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment, timeout=300,
                          check=False)


def show(fleet, host):
    out = subprocess.run([fleet.hosts[host]["executable"], "show", "-j"], stdout=subprocess.PIPE, text=True, check=True).stdout
    return json.loads(out)


def test_connect_four_steps(fleet, tmp_path):
    host = _host("clean", 1)
    proc = playbook(fleet, "connect", [host], tmp=str(tmp_path))
    assert proc.returncode == 0, proc.stdout[-6000:]
    assert "failed=0" in proc.stdout
    machine = fleet.machine(host)
    assert machine is not None and machine["properties"]["status"] == "Connected"
    assert machine["properties"]["vmId"] == show(fleet, host)["vmId"]
    assert machine["tags"] == {"environment": "integration", "owner": "platform team", "list": "a,b"}
    puts = [r for r in fleet.requests() if r["method"] == "PUT" and r["path"].split("?")[0].lower().endswith("/machines/" + host)]
    assert len(puts) == 1  # the second run and the check-mode runs created nothing


def test_disconnect_four_steps(fleet, tmp_path):
    host = _host("connected", 2)
    assert fleet.machine(host) is not None
    proc = playbook(fleet, "disconnect", [host], tmp=str(tmp_path))
    assert proc.returncode == 0, proc.stdout[-6000:]
    assert fleet.machine(host) is None
    assert show(fleet, host)["status"] == "Disconnected"
    deletes = [r for r in fleet.requests() if r["method"] == "DELETE" and r["path"].split("?")[0].lower().endswith("/machines/" + host)]
    assert len(deletes) == 1


def test_info_four_steps(fleet, tmp_path):
    proc = playbook(fleet, "info", [_host("clean", 2), _host("legacy_agent")], tmp=str(tmp_path))
    assert proc.returncode == 0, proc.stdout[-6000:]
    assert "changed=0" in proc.stdout and "failed=0" in proc.stdout


def test_config_four_steps(fleet, tmp_path):
    host = _host("clean", 3)
    proc = playbook(fleet, "config", [host], tmp=str(tmp_path))
    assert proc.returncode == 0, proc.stdout[-6000:]
    local = os.path.join(fleet.hosts[host]["host_dir"], "root", "var", "opt", "azcmagent", "localconfig.json")
    with open(local, encoding="utf-8") as handle:
        settings = json.load(handle)
    assert settings["extensions.allowlist"] == ["Microsoft.Azure.Monitor/AzureMonitorLinuxAgent", "Microsoft.CPlat.Core/LinuxPatchExtension"]
    assert settings.get("guestconfiguration.enabled", True) in (True, "true")


def _results(fleet, tmp_path, module, scenarios):
    results_dir = tmp_path / ("results-" + module)
    results_dir.mkdir()
    hosts = [_host(name) for name in scenarios]
    proc = playbook(fleet, "failures", hosts, {"module_under_test": module, "results_dir": str(results_dir)}, tmp=str(tmp_path))
    assert proc.returncode == 0, proc.stdout[-8000:]
    results = {}
    for name, host in zip(scenarios, hosts):
        with open(str(results_dir / (host + ".json")), encoding="utf-8") as handle:
            results[name] = json.load(handle)
    return results


def _check_expectation(name, result, expect):
    code = expect["code"]
    context = "%s: %s" % (name, json.dumps({k: result.get(k) for k in ("msg", "azcm_code", "azcm_codes", "category", "remediation",
                                                                        "action", "findings", "stdout_lines")})[:3000])
    if expect.get("timeout"):
        # The agent prints nothing: the runner's timeout ends it with an interrupted, retryable outcome.
        assert result.get("failed") and result["azcm_code"] == "AZCM0011", context
        assert re.search(r"\b3 seconds\b", result["msg"]), context
    elif code is None:
        assert not result.get("failed") and result["changed"] and result["state"] == "Connected", context
        assert result["azcm_code"] is None, context
    elif expect["category"] == "already_connected" and expect["action"] == "none":
        assert not result.get("failed") and not result["changed"], context
        assert result["azcm_code"] == code, context
    else:
        assert result.get("failed"), context
        assert result["azcm_code"] == code, context
        assert result["msg"].startswith(code + ": "), context
    assert result["category"] == expect["category"], context
    if result.get("failed"):
        remediation = result["remediation"]
        assert remediation and remediation.rstrip(".") in result["msg"], context
        known = [lookup(result["azcm_code"])["remediation"]] + [f.get("remediation") for f in result["findings"]]
        assert remediation in known or name in ("connected_elsewhere", "disconnected", "expired", "hang"), context
        assert REMEDIATION_WORDS.get(name, "").lower() in remediation.lower(), context
        assert all(key in result for key in ("cmd", "rc", "stdout", "stderr")), context
        assert bool(result["cmd"]) == bool(result["stdout_lines"] or result["stderr_lines"]), context


def test_connect_failure_scenarios(fleet, tmp_path):
    results = _results(fleet, tmp_path, "connect", CONNECT_SCENARIOS)
    problems = []
    for name in CONNECT_SCENARIOS:
        try:
            _check_expectation(name, results[name], SCENARIOS[name]["expect"])
        except AssertionError as exc:
            problems.append(str(exc))
    assert not problems, "\n\n".join(problems)
    # agent-side evidence: the failures came from the agent's real output, and the log lines of this run came back
    assert any("AADSTS" in line or "secret" in line.lower() for line in results["bad_secret"]["log_lines"] + results["bad_secret"]["stdout_lines"])
    assert fleet.machine(_host("bad_secret")) is None
    assert fleet.machine(_host("partial_connect")) is not None
    assert results["legacy_agent"]["resource_id"]


def test_disconnect_failure_scenarios(fleet, tmp_path):
    results = _results(fleet, tmp_path, "disconnect", OFFBOARD_SCENARIOS)
    problems = []
    for name in OFFBOARD_SCENARIOS:
        expect = SCENARIOS[name]["offboard"]
        result = results[name]
        try:
            if expect["code"] is None:
                assert not result.get("failed") and result["changed"] and result["state"] == expect["state"], name
            else:
                assert result.get("failed") and result["azcm_code"] == expect["code"], (name, result.get("msg"))
                assert result["category"] == expect["category"], (name, result["category"])
                assert result["remediation"] and result["remediation"].rstrip(".") in result["msg"], name
        except AssertionError as exc:
            problems.append(str(exc))
    assert not problems, "\n".join(problems)


class CmdlineSampler(threading.Thread):
    """Reads every process's command line in a loop; remembers those holding the needle and how much it saw."""

    def __init__(self, needle):
        super().__init__(daemon=True)
        self.needle = needle.encode()
        self.hits = []
        self.agent_commands = set()
        self.samples = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    with open("/proc/%s/cmdline" % pid, "rb") as handle:
                        cmdline = handle.read()
                except OSError:
                    continue
                if self.needle in cmdline:
                    self.hits.append(cmdline.replace(b"\0", b" ").decode("utf-8", "replace"))
                if b"azcmagent" in cmdline:
                    words = cmdline.split(b"\0")
                    for word in (b"connect", b"disconnect"):
                        if word in words:
                            self.agent_commands.add(word.decode())
            self.samples += 1


def _files_containing(root, needle):
    found = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            try:
                with open(path, "rb") as handle:
                    if needle in handle.read():
                        found.append(path)
            except OSError:
                continue
    return found


def test_secret_never_leaks(fleet, tmp_path):
    host = _host("clean", 4)
    state = fleet.state()
    ident = fleet.identity
    fleet_principal = state["principals"][ident["client_id"]]
    fresh_id, fresh_object = str(uuid.uuid4()), str(uuid.uuid4())
    fresh_secret = "Zq8~" + secrets.token_urlsafe(30)
    roles = [dict(a, object_id=fresh_object) for a in state["role_assignments"] if a["object_id"] == fleet_principal["object_id"]]
    assert roles
    fleet.client().seed({"principals": {fresh_id: {"tenant": fleet_principal["tenant"], "secret": fresh_secret,
                                                   "object_id": fresh_object, "display_name": "arcsim fresh secret"}},
                         "role_assignments": roles})
    base = tmp_path / "run"
    scratch = {name: base / name for name in ("tmp", "remote", "local")}
    for path in scratch.values():
        path.mkdir(parents=True)
    results_dir = tmp_path / "results"
    results_dir.mkdir()
    sampler = CmdlineSampler(fresh_secret)
    sampler.start()
    try:
        proc = playbook(fleet, "secret", [host], {"fresh_secret": fresh_secret, "fresh_principal_id": fresh_id,
                                                  "results_dir": str(results_dir)},
                        verbosity=4, tmp=str(tmp_path),
                        env={"TMPDIR": str(scratch["tmp"]), "ANSIBLE_REMOTE_TEMP": str(scratch["remote"]),
                             "ANSIBLE_LOCAL_TEMP": str(scratch["local"])})
    finally:
        sampler.stop.set()
        sampler.join()
    assert proc.returncode == 0, proc.stdout[-8000:]
    with open(str(results_dir / (host + ".json")), encoding="utf-8") as handle:
        results = json.load(handle)
    assert results["connect"]["changed"] and results["disconnect"]["changed"]
    assert results["connect"]["state"] == "Connected" and results["disconnect"]["state"] == "Disconnected"
    # the sampler really watched the agent run, and the mock saw this principal log in
    assert sampler.samples > 20 and {"connect", "disconnect"} <= sampler.agent_commands, (sampler.samples, sampler.agent_commands)
    assert any(r.get("principal") in (fresh_id, fresh_object) for r in fleet.requests())
    needle = fresh_secret.encode()
    assert sampler.hits == []
    assert fresh_secret not in proc.stdout
    assert fresh_secret not in json.dumps(results)
    agent_log_dir = os.path.join(fleet.hosts[host]["host_dir"], "root", "var", "opt", "azcmagent")
    assert _files_containing(agent_log_dir, needle) == []
    for path in scratch.values():
        assert _files_containing(str(path), needle) == []
    leftovers = [name for name in os.listdir(str(scratch["tmp"])) if name.startswith("arcops-azcmagent-")]
    assert leftovers == []
