# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Never worse than before (issue 10): hypothesis draws sequences of scenario changes and playbook runs over a small
fleet, and after every run the test checks:

* a machine connected to the requested target before the run is still connected to it, whatever the policy and the
  playbook (onboard.yml or remediate.yml), in check mode or not;
* a machine connected to another resource group is moved only by onboard.yml with a policy that allows re-onboarding;
* Azure deletes hit only what may go: the machine resource at the requested name that belongs to another machine or
  to an unfinished connect of this one (with delete_resource allowed), or the old resource of a re-onboarding (with
  reonboard allowed); never a healthy resource, never one in check mode;
* check mode writes nothing to Azure and changes no agent file.

Scenario changes: stop the agent's himds service, lose the heartbeat (Disconnected), re-image the machine (the agent's
state is wiped while its Azure resource stays: it becomes stale), move the machine to the other resource group.
One fixed sequence and two random ones of three steps each (the fleet is shared across them; each check compares a
run with the state just before it), so the test costs a few minutes.
"""

from __future__ import annotations

import json
import os
import sys

import pytest

from hypothesis import HealthCheck, Phase, example, given, settings, strategies as st

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import fleetlib  # noqa: E402  pylint: disable=wrong-import-position
from matrix import harness  # noqa: E402  pylint: disable=wrong-import-position

from tests.counts import record  # noqa: E402  pylint: disable=wrong-import-position

SCENARIOS = {"clean": 1, "connected": 1, "connected_elsewhere": 1}
COUNTS = {"invariant checks": 0, "steps": 0, "runs": 0, "examples": 0}
CHANGES = ("none", "stop_himds", "lose_heartbeat", "reimage")
STEPS = 3
# One sequence always runs (besides the random ones), all with the permissive policy: a connected machine loses its
# heartbeat and the remediate playbook runs in check mode; onboard re-onboards it, moves the one connected elsewhere
# (asked for) and connects the clean one; that one is re-imaged (its resource now stale) and remediate repairs it.
EXPLICIT = [("lose_heartbeat", "connected-01", "remediate", "permissive", True),
            ("none", "clean-01", "onboard", "permissive", False),
            ("reimage", "clean-01", "remediate", "permissive", False)]


def _agent(fleet, host):
    with open(os.path.join(fleet.hosts[host]["host_dir"], "root", "var", "opt", "azcmagent", "agentconfig.json"), encoding="utf-8") as handle:
        return json.load(handle)


def _check(condition, message, problems):
    COUNTS["invariant checks"] += 1
    if not condition:
        problems.append(message)


@pytest.mark.slow
def test_never_worse_than_before(tmp_path_factory, callback_dir):
    from conftest import run_ansible_playbook  # pylint: disable=import-outside-toplevel
    import hostlib  # pylint: disable=import-outside-toplevel

    work = str(tmp_path_factory.mktemp("invariants"))
    fleet = fleetlib.up(os.path.join(work, "fleet"), scenarios=SCENARIOS)
    hosts = sorted(fleet.hosts)
    ident = fleet.identity
    policies = harness.load_expected()["policies"]
    log = []

    def snapshot():
        state = fleet.state()["machines"]
        out = {}
        for host in hosts:
            agent = _agent(fleet, host)
            out[host] = {"agent": agent, "files": harness.files(fleet.hosts[host]),
                         "machines": {key: m["properties"].get("vmId", "") for key, m in state.items() if key.endswith("/machines/" + host.lower())}}
        return out

    def change(what, host):
        """One scenario change on one host (or none)."""
        agent = _agent(fleet, host)
        if what == "stop_himds":
            log.append("stop himds on %s" % host)
            hostlib.stop_himds(fleet.hosts[host]["host_dir"])
        elif what == "lose_heartbeat" and agent.get("resourceId") and agent.get("status") == "Connected":
            log.append("%s loses its heartbeat (Disconnected)" % host)
            hostlib.set_disconnected(fleet.hosts[host]["host_dir"], agent["resourceId"], tenant_id=agent["tenantId"], vm_id=agent["vmId"])
        elif what == "reimage":
            log.append("%s is re-imaged (its Azure resource, if any, becomes stale)" % host)
            hostlib.set_clean(fleet.hosts[host]["host_dir"])
        COUNTS["steps"] += 1

    def run(playbook, policy, check):
        """One playbook run over the fleet, and the invariants on what it did."""
        log.append("run %s, %s policy%s" % (playbook, policy, ", check mode" if check else ""))
        before = snapshot()
        seen = len(fleet.requests())
        extra = dict(harness.load_vars(), azcmagent_policy=policies[policy], azcmagent_report_dir=os.path.join(work, "reports"))
        result = run_ansible_playbook(harness.PLAYBOOKS[playbook], os.path.join(work, "ansible"), callback_dir=callback_dir,
                                      inventory=fleet.inventory, extra_vars=extra, check=check, env=harness.BECOME_ENV, forks=10)
        COUNTS["runs"] += 1
        assert result.stats, result.stdout[-3000:]
        after = snapshot()
        requests = fleet.requests()[seen:]
        problems = []
        allow = policies[policy]
        for host in hosts:
            was, now = before[host]["agent"], after[host]["agent"]
            here = was.get("resourceGroup") == ident["resource_group"]
            if was.get("resourceId") and was.get("status") == "Connected" and here:
                _check(now.get("status") == "Connected" and now.get("resourceGroup") == ident["resource_group"],
                       "%s was connected to the target and is now %s in %s" % (host, now.get("status"), now.get("resourceGroup")), problems)
            if was.get("resourceId") and not here:
                moved = now.get("resourceGroup") != was.get("resourceGroup")
                _check(not moved or (playbook == "onboard" and allow.get("reonboard") and not check),
                       "%s was moved from %s without being asked" % (host, was.get("resourceGroup")), problems)
            if check:
                _check(before[host]["files"] == after[host]["files"], "%s: check mode changed agent files" % host, problems)
            # the deletes this run may make for this host, judged on the state before it
            may = set()
            for key, vm_id in before[host]["machines"].items():
                stale = vm_id.lower() != (was.get("vmId") or "").lower() or bool(was.get("connectPending"))
                old = (was.get("resourceId") or "").lower() == key and was.get("status") in ("Disconnected", "Expired", "Connected")
                if (stale and allow.get("delete_resource")) or (old and allow.get("reonboard")):
                    may.add(key)
            for req in requests:
                path = req["path"].split("?")[0].lower()
                if req["method"] == "DELETE" and path.endswith("/machines/" + host.lower()):
                    _check(not check and path in may, "%s: %s deleted %s, which was not proven stale (may: %s)"
                           % (host, "check mode" if check else "the run", path, sorted(may)), problems)
        if check:
            writes = [r for r in requests if r["method"] not in ("GET", "HEAD") and "/oauth2/" not in r["path"]]
            _check(not writes, "check mode wrote to Azure: %s" % writes, problems)
        assert not problems, "\n".join(log + problems)

    steps = st.lists(st.tuples(st.sampled_from(CHANGES), st.sampled_from(hosts), st.sampled_from(sorted(harness.PLAYBOOKS)),
                               st.sampled_from(sorted(policies)), st.booleans()), min_size=STEPS, max_size=STEPS)

    @settings(max_examples=2, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @example(EXPLICIT)
    @given(steps)
    def sequence(drawn):
        COUNTS["examples"] += 1
        log.append("-- example %d" % COUNTS["examples"])
        for what, host, playbook, policy, check in drawn:
            change(what, host)
            run(playbook, policy, check)

    try:
        sequence()  # pylint: disable=no-value-for-parameter
    finally:
        fleetlib.down(os.path.join(work, "fleet"))
        record("invariants", dict(COUNTS))
    print("\n".join(log))
    assert COUNTS["runs"] >= 1 and COUNTS["invariant checks"] > 0
