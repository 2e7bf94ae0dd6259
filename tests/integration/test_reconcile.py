# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/reconcile.yml against one simulated fleet, one run per policy.

The fleet holds one host per reconcile outcome plus resources that no host claims:

* connected-01      Connected, in the inventory                                    -> connected
* disconnected-01   Disconnected (2 h without heartbeat), with two extensions      -> disconnected
* expired-01        Expired (50 days without heartbeat)                             -> expired
* clean-01          no agent identity, no resource                                  -> missing
* clean-02          a clone of connected-01 (same resource ID and vmId)             -> clone
* orphan-old        Disconnected for 90 days, no host                               -> orphan, deleted by policy
* orphan-young      Expired for 5 days, no host                                     -> orphan, kept (orphan_min_days 30)
* orphan-live       Connected, no host                                              -> orphan, never deleted
* connected-01-old  the vmId of connected-01 under another name                    -> duplicate, only reported

The mock lists two machines per page, so every list follows nextLink. With the default policy the run only reports:
the mock's machines and extensions are unchanged and no write request reached it; so does the permissive policy in
check mode, which lists what it would do. With the permissive policy the run
deletes exactly orphan-old, re-onboards exactly disconnected-01 (its extensions removed first) and expired-01, and gives
clean-02 an identity of its own; nothing else changes.
"""

from __future__ import annotations

import json
import os
import time

import pytest

import fleetlib
import fleet_checks
from tests.counts import record

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOK = os.path.join(ROOT, "playbooks", "reconcile.yml")
PERMISSIVE = {"delete_orphans": True, "orphan_min_days": 30, "reonboard": True, "reidentify_clones": True, "remove_extensions": True}


def _summary(report_dir):
    with open(os.path.join(report_dir, "reconcile_summary.json"), encoding="utf-8") as handle:
        return json.load(handle)


def _azure(fleet):
    state = fleet.state()
    return {"machines": state["machines"], "extensions": state.get("extensions", {})}


def _rows(summary):
    return {(row["host"] or row["resource"]): row for row in summary["rows"] if row["outcome"] != "duplicate"}


@pytest.mark.slow
def test_reconcile(fleet_factory, run_playbook, tmp_path):
    started = time.monotonic()
    fleet = fleet_factory(scenarios={"connected": 1, "disconnected": 1, "expired": 1, "clean": 2}, page_size=2)
    connected, disconnected, expired = "connected-01", "disconnected-01", "expired-01"
    missing, clone = "clean-01", "clean-02"
    assert set(fleet.hosts) == {connected, disconnected, expired, missing, clone}
    old = fleetlib.seed_machine(fleet, "orphan-old", status="Disconnected", days_since_change=90, extensions=["CustomScript"])
    young = fleetlib.seed_machine(fleet, "orphan-young", status="Expired", days_since_change=5)
    live = fleetlib.seed_machine(fleet, "orphan-live", status="Connected", days_since_change=200)
    duplicate = fleetlib.seed_machine(fleet, "connected-01-old", status="Disconnected", days_since_change=60,
                                      vm_id=fleet.machine(connected)["properties"]["vmId"])
    extensions = fleetlib.seed_extensions(fleet, fleet.machine_id(disconnected), ["AzureMonitorLinuxAgent", "MDE.Linux"])
    fleetlib.make_clone(fleet, clone, connected)
    before = _azure(fleet)
    assert len(before["machines"]) == 7

    # -- default policy: report only, nothing changes in Azure or on the hosts ------------------------------------
    fleet.client().request("DELETE", "/_mock/requests")
    local_before = fleet_checks.local_state(fleet)
    report = str(tmp_path / "default")
    run = run_playbook(PLAYBOOK, inventory=fleet.inventory, extra_vars={"azcmagent_report_dir": report})
    assert run.rc == 0, run.output[-3000:]
    assert _azure(fleet) == before
    assert fleet_checks.writes(fleet) == []
    assert fleet_checks.local_state(fleet) == local_before
    # the list of the resource group was read page by page
    lists = [r for r in fleet.requests() if r["method"] == "GET" and r["path"].lower().split("?")[0].endswith("/machines")]
    assert any("skiptoken" in r["path"].lower() for r in lists), lists
    summary = _summary(report)
    rows = _rows(summary)
    expected = {connected: "connected", disconnected: "disconnected", expired: "expired", missing: "missing", clone: "clone",
                "orphan-old": "orphan", "orphan-young": "orphan", "orphan-live": "orphan"}
    for name, outcome in expected.items():
        assert rows[name]["outcome"] == outcome, (name, rows[name])
        assert not rows[name]["allowed"] and not rows[name]["done"], rows[name]
    dup = [r for r in summary["rows"] if r["outcome"] == "duplicate"]
    assert [(r["host"], r["resource_id"]) for r in dup] == [(connected, duplicate)]
    assert rows[expired]["days_since_heartbeat"] >= 49
    assert rows["orphan-old"]["days_since_heartbeat"] >= 89
    assert rows[clone]["kept_by"] == connected
    assert summary["counts"]["rows"] == 9
    assert summary["counts"]["done"] == 0 and summary["counts"]["changed"] == 0
    assert "reconcile policy reonboard: true" in rows[disconnected]["reason"]
    assert "delete_orphans" in rows["orphan-old"]["reason"]
    for name in ("reconcile_report.md", "reconcile_report.html"):
        with open(os.path.join(report, name), encoding="utf-8") as handle:
            text = handle.read()
        assert "orphan-old" in text and "clone" in text and "expired" in text, name

    # -- permissive policy in check mode: every allowed action is shown, nothing is done ---------------------------
    fleet.client().request("DELETE", "/_mock/requests")
    report = str(tmp_path / "check")
    run = run_playbook(PLAYBOOK, inventory=fleet.inventory, check=True,
                       extra_vars={"azcmagent_report_dir": report, "azcmagent_reconcile_policy": PERMISSIVE})
    assert run.rc == 0, run.output[-3000:]
    assert _azure(fleet) == before
    assert fleet_checks.writes(fleet) == []
    assert fleet_checks.local_state(fleet) == local_before
    summary = _summary(report)
    assert summary["check_mode"] and summary["counts"]["done"] == 0 and summary["counts"]["failed"] == 0, summary["lines"]
    assert sorted(line for line in summary["lines"] if line.startswith("would")) == [
        "would delete_orphan orphan-old (check mode)", "would reidentify %s (check mode)" % clone,
        "would reonboard %s (check mode)" % disconnected, "would reonboard %s (check mode)" % expired]

    # -- permissive policy: exactly the expected deletes, re-onboardings and new identities ------------------------
    fleet.client().request("DELETE", "/_mock/requests")
    report = str(tmp_path / "permissive")
    run = run_playbook(PLAYBOOK, inventory=fleet.inventory, extra_vars={"azcmagent_report_dir": report,
                                                                        "azcmagent_reconcile_policy": PERMISSIVE})
    assert run.rc == 0, run.output[-3000:]
    summary = _summary(report)
    rows = _rows(summary)
    assert summary["counts"]["failed"] == 0, summary["lines"]
    allowed = sorted((r["host"] or r["resource"], r["action"]) for r in summary["rows"] if r["allowed"])
    assert allowed == [(clone, "reidentify"), (disconnected, "reonboard"), (expired, "reonboard"), ("orphan-old", "delete_orphan")]
    assert all(rows[name]["done"] and rows[name]["ok"] for name in (clone, disconnected, expired, "orphan-old"))

    after = _azure(fleet)
    machines = after["machines"]
    # deleted: orphan-old (and its extension with it); kept: the young and the live orphan, the duplicate
    assert old.lower() not in machines
    for kept in (young, live, duplicate):
        assert machines[kept.lower()] == before["machines"][kept.lower()], kept
    # the host that keeps the cloned identity is untouched; the clone has its own resource with a new vmId
    assert machines[fleet.machine_id(connected).lower()] == before["machines"][fleet.machine_id(connected).lower()]
    clone_machine = fleet.machine(clone)
    assert clone_machine and clone_machine["properties"]["status"] == "Connected"
    assert clone_machine["properties"]["vmId"] != before["machines"][fleet.machine_id(connected).lower()]["properties"]["vmId"]
    # re-onboarded hosts are Connected again; the missing host got nothing
    for host in (disconnected, expired):
        assert fleet.machine(host)["properties"]["status"] == "Connected", host
    assert fleet.machine(missing) is None
    assert set(machines) == {m.lower() for m in (young, live, duplicate)} | {
        fleet.machine_id(h).lower() for h in (connected, disconnected, expired, clone)}
    # the extensions of disconnected-01 were removed before its old resource was deleted
    assert not after["extensions"]
    writes = fleet_checks.writes(fleet)
    ext_deletes = [i for i, r in enumerate(writes) if r["method"] == "DELETE" and "/extensions/" in r["path"]]
    machine_deletes = [i for i, r in enumerate(writes) if r["method"] == "DELETE" and "/extensions/" not in r["path"]
                       and r["path"].split("?")[0].lower().endswith("/machines/" + disconnected)]
    assert len(ext_deletes) == len(extensions) and machine_deletes and max(ext_deletes) < min(machine_deletes), writes
    # nothing was written for the hosts and resources the policy left alone
    written = {r["path"].split("?")[0].split("/machines/")[1].split("/")[0].lower() for r in writes if "/machines/" in r["path"]}
    assert written == {disconnected, expired, clone, "orphan-old"}, writes
    record("reconcile", {"fleet hosts": len(fleet.hosts), "azure resources": len(before["machines"]),
                         "seconds": round(time.monotonic() - started, 1)})
