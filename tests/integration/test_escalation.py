# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Escalation follows the user the agent really ran as (the connect result's agent_uid), on the simulated fleet.

One fleet of two not_root hosts, one playbook run with play-level become (``-b``):

* the plain not_root host: its user is root under become (its Python wrapper sees Ansible's become), so the first
  connect succeeds and no escalate step is ever planned;
* the same host whose agent drops privileges whoever starts it (sim.json ``drops_privileges``): the connect ran as
  root and still fails with AZCM0018, so escalating cannot help: no escalate step, one attempt, and the result names
  the real cause (root's rights taken away), not "run as root".

The other path (a module that is not root escalates once and connects) is the not_root host of
test_e2e.py's fix-policy run; the diagnosis of both is unit-tested in test_diagnosis_real.py.
"""

from __future__ import annotations

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ONBOARD = os.path.join(ROOT, "playbooks", "onboard.yml")
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator", "agent"))

import hostlib  # noqa: E402  pylint: disable=wrong-import-position

BECOME_ENV = {"ANSIBLE_BECOME_ALLOW_SAME_USER": "true"}
# no install (the fleet's agents are simulated), escalation allowed, no waiting
EXTRA = {"azcmagent_install": False, "azcmagent_service_settle_seconds": 0,
         "azcmagent_policy": {"escalate": True, "max_attempts": 3, "backoff_base": 0.2, "backoff_max": 1, "jitter": False}}


@pytest.mark.slow
def test_play_level_become_never_escalates_again(fleet_factory, run_playbook, tmp_path):
    fleet = fleet_factory(scenarios={"not_root": 2})
    plain, dropping = sorted(fleet.hosts)
    hostlib.update_sim(fleet.hosts[dropping]["host_dir"], drops_privileges=True)
    extra = dict(EXTRA, azcmagent_report_dir=str(tmp_path / "report"))
    run = run_playbook(ONBOARD, inventory=fleet.inventory, extra_vars=extra, forks=2, env=BECOME_ENV, args=["-b"])
    results = run.results(fleet)
    assert results[plain] is not None and results[dropping] is not None, run.output[-6000:]

    ok = results[plain]
    assert ok["ok"] and ok["state"] == "Connected", ok
    assert [a["action"] for a in ok["actions"]] == ["connect"] and not ok["escalated"], ok["actions"]

    failed = results[dropping]
    assert (failed["ok"], failed["code"], failed["category"]) == (False, "AZCM0018", "permissions"), failed
    assert [a["action"] for a in failed["actions"]] == ["connect"], failed["actions"]
    assert not failed["escalated"]
    assert "already ran as root" in failed["message"] and "SELinux" in failed["remediation"], failed
    assert run.failed_hosts == [dropping]
