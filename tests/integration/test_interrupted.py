# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Interrupted runs (issue 10): after each, the next onboard.yml converges to Connected or says precisely what is left.

One fleet, one host per case; the interrupting runs go side by side, then the next runs:

* the agent killed during connect (right after it created the Azure resource: simulator fault point
  ``connect_after_create``): the next run with the default policy reports AZCM0062 and the resource to delete (id
  and vmId), and deletes nothing; so does the permissive one, since the resource is this machine's own and its
  provisioning succeeded (the conflict decision deletes only an unfinished one): what is left is said precisely;
* the controller killed between deleting the stale Azure resource and connecting again: the next run converges;
* the controller killed while a remediation step runs (the re-onboarding's disconnect, held by the fault point
  ``disconnect_before_delete``): the agent, in its own session like on a real host, finishes; the next run waits
  for it through the agent lock and converges;
* the agent's log rotated during a connect: the connect still reports the lines of both files and succeeds;
* a lock left by a killed run (holder pid gone): taken over, with a warning naming it, and the run converges;
* a lock held by a live run: the connect waits lock_timeout seconds, then fails naming the holder and the option;
  once it is released, the next run converges.

Check mode changes nothing here either: no case leaves a lock file behind a check-mode run.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import fleetlib  # noqa: E402  pylint: disable=wrong-import-position
from matrix import harness  # noqa: E402  pylint: disable=wrong-import-position

from tests.counts import record  # noqa: E402  pylint: disable=wrong-import-position

ONBOARD = harness.PLAYBOOKS["onboard"]
CONNECT_ONCE = os.path.join(HERE, "matrix", "connect_once.yml")
LOCK_NAME = ".arcops-azcmagent.lock"
CASES = {
    "agent_killed_during_connect": "clean-01",
    "controller_killed_after_delete": "stale-resource-01",
    "controller_killed_during_remediation": "connected-elsewhere-01",
    "log_rotated_during_connect": "clean-02",
    "stale_lock": "clean-03",
    "live_lock": "clean-04",
}


def _state_dir(fleet, host):
    return os.path.join(fleet.hosts[host]["host_dir"], "root", "var", "opt", "azcmagent")


def _agent(fleet, host):
    with open(os.path.join(_state_dir(fleet, host), "agentconfig.json"), encoding="utf-8") as handle:
        return json.load(handle)


def _sim_state(fleet, host):
    path = os.path.join(fleet.hosts[host]["host_dir"], "sim-state.json")
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _children(pid):
    out = []
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/children" % (pid, task), encoding="ascii") as handle:
                out += [int(p) for p in handle.read().split()]
        except OSError:
            pass
    return out


def _session(pid):
    try:
        return os.getsid(pid)
    except OSError:
        return None


def _kill_controller(workdir):
    """SIGKILL the ansible-playbook this test started in ``workdir`` (its extra-vars file is there) and every process of its session below it (its
    workers and the modules they run); what left that session (the agent: the runner starts it in a session of its
    own) lives on, as it would on a managed node whose controller died."""
    mine = [p for p in _children(os.getpid()) if "ansible-playbook" in _cmdline(p) and workdir + os.sep in _cmdline(p)]
    assert mine, "the controller of %s is not running" % workdir
    killed = []
    for root in mine:
        session = _session(root)
        todo = [root]
        while todo:
            pid = todo.pop()
            todo += _children(pid) if os.path.exists("/proc/%d" % pid) else []
            if _session(pid) == session:
                killed.append(pid)
        for pid in killed:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    return killed


def _cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _in_thread(func):
    box = {}

    def target():
        try:
            box["value"] = func()
        except BaseException as exc:  # pylint: disable=broad-except
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, box


def _join(thread, box, timeout=900):
    thread.join(timeout)
    assert not thread.is_alive(), "a run did not end"
    if "error" in box:
        raise box["error"]
    return box.get("value")


@pytest.mark.slow
def test_interrupted_runs_converge(tmp_path, callback_dir, scenario_table):
    from conftest import run_ansible_playbook  # pylint: disable=import-outside-toplevel
    import hostlib  # pylint: disable=import-outside-toplevel

    expected = harness.load_expected()
    permissive, default = expected["policies"]["permissive"], expected["policies"]["default"]
    fleet = fleetlib.up(str(tmp_path / "fleet"), scenarios={"clean": 4, "stale_resource": 1, "connected_elsewhere": 1})
    workdirs = iter(range(100))

    def play(playbook, hosts, policy, check=False, tag=None, **extra):
        extra_vars = dict(harness.load_vars(), azcmagent_hosts=hosts, azcmagent_policy=policy,
                          azcmagent_report_dir=str(tmp_path / "reports"), **extra)
        work = str(tmp_path / ("ansible-%s" % (tag or next(workdirs))))
        return run_ansible_playbook(playbook, work, callback_dir=callback_dir, inventory=fleet.inventory, extra_vars=extra_vars,
                                    check=check, env=harness.BECOME_ENV, timeout=900)

    try:
        killed_agent = CASES["agent_killed_during_connect"]
        after_delete = CASES["controller_killed_after_delete"]
        mid_step = CASES["controller_killed_during_remediation"]
        rotated = CASES["log_rotated_during_connect"]
        stale, live = CASES["stale_lock"], CASES["live_lock"]
        stale_vm = fleet.machine(after_delete)["properties"]["vmId"]
        old_group = fleet.identity["other_resource_group"]
        hostlib.update_sim(fleet.hosts[killed_agent]["host_dir"], fault_points={"connect_after_create": {"kill": True, "times": 1}})
        hostlib.update_sim(fleet.hosts[rotated]["host_dir"], fault_points={"connect_after_create": {"rotate_log": True}})
        hostlib.update_sim(fleet.hosts[mid_step]["host_dir"], fault_points={"disconnect_before_delete": {"delay": 20, "times": 1}})
        # a lock file left by a killed run: its holder record names a process that has ended
        gone = subprocess.Popen(["true"])
        gone.wait()
        with open(os.open(os.path.join(_state_dir(fleet, stale), LOCK_NAME), os.O_WRONLY | os.O_CREAT, 0o600), "w") as handle:
            json.dump({"pid": gone.pid, "since": time.time() - 3600}, handle)
        # a live run holds the lock of another host
        live_lock = os.open(os.path.join(_state_dir(fleet, live), LOCK_NAME), os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(live_lock, fcntl.LOCK_EX)
        os.write(live_lock, json.dumps({"pid": os.getpid(), "since": time.time()}).encode())

        # check mode first: it changes nothing, and leaves no lock file where none was
        assert not os.path.exists(os.path.join(_state_dir(fleet, killed_agent), LOCK_NAME))
        check = play(ONBOARD, killed_agent, permissive, check=True)
        assert check.results([killed_agent])[killed_agent]["check_mode"], check.stdout[-2000:]
        assert not os.path.exists(os.path.join(_state_dir(fleet, killed_agent), LOCK_NAME)), "check mode made a lock file"

        # -- the interrupting runs, side by side -------------------------------------------------------------------
        runs = {
            "killed_agent": _in_thread(lambda: play(ONBOARD, killed_agent, default)),
            "rotated": _in_thread(lambda: play(CONNECT_ONCE, rotated, default)),
            "live": _in_thread(lambda: play(CONNECT_ONCE, live, default, sim_lock_timeout=3)),
            "after_delete": _in_thread(lambda: play(ONBOARD, after_delete, permissive, tag="after-delete")),
            "mid_step": _in_thread(lambda: play(ONBOARD, mid_step, permissive, tag="mid-step")),
        }
        # the controller dies right after the stale resource was deleted (before the connect that follows), and the other
        # while the re-onboarding's disconnect runs (the fault point holds the agent there for 20 s): whichever comes first
        moments = {
            "after-delete": lambda: fleet.machine(after_delete) is None,
            "mid-step": lambda: _sim_state(fleet, mid_step).get("fault_points", {}).get("disconnect_before_delete"),
        }
        old_left = None
        deadline = time.monotonic() + 600
        while moments and time.monotonic() < deadline:
            for tag, moment in list(moments.items()):
                if moment():
                    assert _kill_controller(str(tmp_path / ("ansible-" + tag)))
                    del moments[tag]
                    if tag == "mid-step":
                        old_left = fleet.machine(mid_step, group=old_group) is not None
            time.sleep(0.1)
        assert not moments, "never reached: %s" % sorted(moments)
        assert old_left, "killed before the agent deleted the old resource"
        results = {name: _join(*pair) for name, pair in runs.items()}
        assert results["after_delete"].rc == -signal.SIGKILL and results["mid_step"].rc == -signal.SIGKILL

        # the agent killed during connect: the resource exists, the agent state says connect pending
        agent = _agent(fleet, killed_agent)
        assert agent["resourceId"] and agent["connectPending"] and fleet.machine(killed_agent) is not None
        first = results["killed_agent"].results([killed_agent])[killed_agent]
        assert first is not None and not first["ok"], results["killed_agent"].stdout[-3000:]

        # the log rotated during the connect: both files' lines reported, connected
        connect = results["rotated"].facts[rotated]["sim_connect_result"]
        assert connect["changed"] and connect["state"] == "Connected" and not connect.get("failed"), connect
        assert any("Creating resource in Azure" in line for line in connect["log_lines"]), connect["log_lines"]
        assert any("Connected machine to Azure" in line for line in connect["log_lines"]), connect["log_lines"]
        assert os.path.exists(os.path.join(_state_dir(fleet, rotated), "log", "azcmagent.log.1"))

        # a live lock: waited for 3 s, then a clear error naming the holder and the option
        refused = results["live"].facts[live]["sim_connect_result"]
        assert refused["azcm_code"] == "AZCM0011" and not refused["changed"], refused
        assert "pid %d" % os.getpid() in refused["msg"] and "lock_timeout" in refused["msg"], refused["msg"]
        assert _agent(fleet, live)["resourceId"] == "", "the agent never ran"
        os.close(live_lock)

        # the agent of the killed re-onboarding lives on (its controller died, not the managed node) and finishes its
        # disconnect, which deletes the old resource once the fault point lets it go: wait for that DELETE, so that it
        # is not counted against the next run (on a loaded machine it came during that run)
        deadline = time.monotonic() + 120
        while fleet.machine(mid_step, group=old_group) is not None and time.monotonic() < deadline:
            time.sleep(0.5)
        assert fleet.machine(mid_step, group=old_group) is None, "the orphaned agent's disconnect never finished"

        # -- the next run with the default policy says precisely what is left, and deletes nothing ---------------------
        deletes = len([r for r in fleet.requests() if r["method"] == "DELETE"])
        report = play(ONBOARD, killed_agent, default)
        left = report.results([killed_agent])[killed_agent]
        assert not left["ok"] and left["code"] == "AZCM0062", left
        assert "delete_resource" in left["remediation"], left
        detail = " ".join(a.get("detail", "") for a in left["actions"])
        assert fleet.machine_id(killed_agent) in detail and agent["vmId"] in detail, left["actions"]
        assert len([r for r in fleet.requests() if r["method"] == "DELETE"]) == deletes

        # -- the next run converges: every host Connected to the requested target ----------------------------------
        final = play(ONBOARD, ",".join(CASES.values()), permissive)
        finals = final.results(list(CASES.values()))
        problems = []
        # the agent killed after Resource Manager created its resource (provisioning Succeeded, this machine's vmId):
        # the conflict decision (_conflict.decide) does not delete a machine's own resource whose provisioning
        # succeeded, so the run stops and says precisely what is left: that resource, its vmId, nothing deleted
        result, agent = finals[killed_agent], _agent(fleet, killed_agent)
        if not (result and result["ok"]):
            assert result["code"] == "AZCM0062" and fleet.machine_id(killed_agent) in result["message"], result
            assert agent["vmId"] in result["message"] and "Nothing is deleted" in result["message"], result["message"]
            assert "delete this resource" in result["remediation"], result["remediation"]
            assert fleet.machine(killed_agent)["properties"]["vmId"] == agent["vmId"], "never worse: the resource is kept"
        for case, host in CASES.items():
            if host == killed_agent:
                continue
            result, agent = finals[host], _agent(fleet, host)
            if not (result and result["ok"] and agent["status"] == "Connected" and agent["resourceGroup"] == fleet.identity["resource_group"]):
                problems.append("%s (%s): %s, agent %s in %s" % (case, host, result and result["message"], agent["status"], agent["resourceGroup"]))
            machine = fleet.machine(host)
            if machine is None or machine["properties"]["vmId"].lower() != agent["vmId"].lower():
                problems.append("%s (%s): the machine resource is not this machine's" % (case, host))
        assert not problems, "\n".join(problems) + final.stdout[-3000:]
        assert fleet.machine(after_delete)["properties"]["vmId"] != stale_vm
        assert fleet.machine(mid_step, group=old_group) is None, "the re-onboarding's disconnect finished"
        assert "was taken over" in final.output and str(gone.pid) in final.output
        with open(os.path.join(_state_dir(fleet, stale), LOCK_NAME), encoding="utf-8") as handle:
            assert handle.read() == "", "the lock is released and its holder record cleared"
        record("interrupted_runs", {"interruption cases": len(CASES)})
    finally:
        fleetlib.down(str(tmp_path / "fleet"))
