# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_reconcile: outcomes, what each policy key allows, the extension gate and the report."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _reconcile as rc

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.timezone.utc)
SUB, RG = "11111111-1111-1111-1111-111111111111", "rg-arc"
ALL = {"delete_orphans": True, "reonboard": True, "reidentify_clones": True, "remove_extensions": True}


def stamp(days):
    return (NOW - datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S.1234567Z")


def machine(name, status="Connected", vm=None, days=0, rg=RG):
    return {"id": rc.machine_id(SUB, rg, name), "name": name, "resource_group": rg, "status": status, "vm_id": vm or "vm-" + name,
            "last_status_change": stamp(days)}


def host(name, resource=None, vm=None, status="Connected", reachable=True, heartbeat="", resource_name=""):
    info = {}
    if resource:
        info = {"resource_id": rc.machine_id(SUB, RG, resource), "vm_id": vm or "vm-" + resource, "status": status,
                "last_heartbeat": heartbeat}
    elif reachable:
        info = {"resource_id": None, "vm_id": "", "status": "Disconnected"}
    return {"target": {"subscription_id": SUB, "resource_group": RG, "resource_name": resource_name, "host_name": name},
            "reachable": reachable, "info": info if reachable else {}}


def rows_by(result):
    return {(r["host"] or r["resource"], r["outcome"]): r for r in result["rows"]}


FLEET_MACHINES = [machine("web01"), machine("web02", "Disconnected", days=3), machine("web03", "Expired", days=50),
                  machine("gone01", "Disconnected", days=90), machine("gone02", "Expired", days=10), machine("live01", days=400),
                  machine("web01-old", "Disconnected", vm="vm-web01", days=70)]
FLEET_HOSTS = {"web01": host("web01", "web01"), "web02": host("web02", "web02", status="Disconnected", heartbeat=stamp(2)),
               "web03": host("web03", "web03", status="Expired", heartbeat=stamp(51)), "web04": host("web04"),
               "web05": host("web05", "web01"), "web06": host("web06", reachable=False)}


def test_every_outcome_with_the_default_policy_changes_nothing():
    result = rc.reconcile(machines=FLEET_MACHINES, hosts=FLEET_HOSTS, now=NOW)
    rows = rows_by(result)
    assert sorted(rows) == sorted([("web01", "connected"), ("web02", "disconnected"), ("web03", "expired"), ("web04", "missing"),
                                   ("web05", "clone"), ("web06", "missing"), ("gone01", "orphan"), ("gone02", "orphan"),
                                   ("live01", "orphan"), ("web01", "duplicate")])
    assert not any(r["allowed"] for r in result["rows"])
    assert result["delete"] == [] and result["reonboard"] == [] and result["reidentify"] == []
    assert rows[("web01", "connected")]["action"] == "none"
    assert {r["action"] for k, r in rows.items() if k != ("web01", "connected")} == {"report"}
    assert rows[("web02", "disconnected")]["days_since_heartbeat"] == 2   # the agent's heartbeat wins over lastStatusChange
    assert rows[("web03", "expired")]["days_since_heartbeat"] == 51
    assert rows[("gone01", "orphan")]["days_since_heartbeat"] == 90
    assert rows[("web05", "clone")]["kept_by"] == "web01"
    assert rows[("web01", "duplicate")]["resource"] == "web01-old"
    assert rows[("web01", "connected")]["same_vm_id"] == [rc.machine_id(SUB, RG, "web01-old")]
    assert result["counts"] == {"connected": 1, "disconnected": 1, "expired": 1, "orphan": 3, "missing": 2, "duplicate": 1, "clone": 1,
                                "rows": 10, "delete_orphan": 0, "reonboard": 0, "reidentify": 0}
    assert result["hosts"]["web05"]["outcome"] == "clone" and result["hosts"]["web06"]["outcome"] == "missing"
    assert result["lines"][0].startswith("Reconcile: 10 rows, 1 connected")
    assert len(result["lines"]) == 10   # headline + every row that is not connected


def test_the_permissive_policy_allows_exactly_the_safe_actions():
    result = rc.reconcile(machines=FLEET_MACHINES, hosts=FLEET_HOSTS, policy=ALL, now=NOW)
    assert [d["resource"] for d in result["delete"]] == ["gone01"]           # gone02 is too young, live01 is Connected
    assert result["reonboard"] == ["web02", "web03"]
    assert result["reidentify"] == ["web05"]
    rows = rows_by(result)
    assert not rows[("gone02", "orphan")]["allowed"] and "10 days" in rows[("gone02", "orphan")]["reason"]
    assert not rows[("live01", "orphan")]["allowed"] and "never deleted" in rows[("live01", "orphan")]["reason"]
    assert not rows[("web01", "duplicate")]["allowed"]
    assert result["counts"]["delete_orphan"] == 1 and result["counts"]["reonboard"] == 2 and result["counts"]["reidentify"] == 1


@pytest.mark.parametrize("min_days, deleted", [(0, ["gone01", "gone02"]), (10, ["gone01", "gone02"]), (11, ["gone01"]), (91, [])])
def test_orphan_min_days(min_days, deleted):
    result = rc.reconcile(machines=FLEET_MACHINES, hosts=FLEET_HOSTS, policy={"delete_orphans": True, "orphan_min_days": min_days}, now=NOW)
    assert [d["resource"] for d in result["delete"]] == deleted


def test_an_unreachable_host_is_compared_by_name_and_never_acted_on():
    hosts = {"web02": host("web02", reachable=False)}
    result = rc.reconcile(machines=[machine("web02", "Disconnected", days=3)], hosts=hosts, policy=ALL, now=NOW)
    [row] = result["rows"]
    assert (row["outcome"], row["action"], row["allowed"]) == ("disconnected", "report", False)
    assert "could not be reached" in row["reason"]


def test_a_host_without_identity_claims_the_resource_at_its_name():
    result = rc.reconcile(machines=[machine("db01", "Expired", days=60)], hosts={"db": host("db", resource_name="db01")}, now=NOW)
    assert [(r["host"], r["outcome"], r["resource"]) for r in result["rows"]] == [("db", "expired", "db01")]


def test_a_clone_that_would_connect_under_the_same_name_is_only_reported():
    hosts = {"a": host("a", "web01"), "b": host("b", "web01", resource_name="web01")}
    result = rc.reconcile(machines=[machine("web01")], hosts=hosts, policy=ALL, now=NOW)
    rows = rows_by(result)
    assert rows[("b", "connected")]["resource"] == "web01"            # b's expected name is the resource: b keeps it
    assert rows[("a", "clone")]["kept_by"] == "b"
    assert result["reidentify"] == ["a"]
    hosts = {"a": host("a", "web01", resource_name="web01"), "b": host("b", "web01", resource_name="web01")}
    result = rc.reconcile(machines=[machine("web01")], hosts=hosts, policy=ALL, now=NOW)
    clone = rows_by(result)[("b", "clone")]
    assert not clone["allowed"] and "azcmagent_resource_name" in clone["reason"]


def test_two_hosts_with_the_same_expected_name_are_a_clone_by_name():
    hosts = {"x": host("x", resource_name="web01", reachable=False), "y": host("y", resource_name="web01", reachable=False)}
    result = rc.reconcile(machines=[machine("web01", "Disconnected")], hosts=hosts, now=NOW)
    assert sorted((r["host"], r["outcome"]) for r in result["rows"]) == [("x", "disconnected"), ("y", "clone")]


def test_machines_without_id_are_ignored_and_ids_compare_case_insensitively():
    upper = dict(machine("web01"), id=rc.machine_id(SUB, RG, "web01").upper())
    result = rc.reconcile(machines=[upper, {"name": "no-id"}, "junk"], hosts={"web01": host("web01", "web01")}, now=NOW)
    assert [(r["host"], r["outcome"]) for r in result["rows"]] == [("web01", "connected")]


def test_dutch():
    result = rc.reconcile(machines=FLEET_MACHINES, hosts=FLEET_HOSTS, now=NOW, lang="nl-NL")
    assert result["lines"][0].startswith("Afstemming: 10 regels, 1 verbonden")
    assert "afstemmingsbeleid delete_orphans: true" in rows_by(result)[("gone01", "orphan")]["reason"]


@pytest.mark.parametrize("policy, message", [
    ("yes", "the reconcile policy must be a dict"),
    ({"delete": True}, "unknown reconcile policy key 'delete'"),
    ({"reonboard": "true"}, "'reonboard' must be a boolean"),
    ({"orphan_min_days": -1}, "'orphan_min_days' must be an integer >= 0"),
    ({"orphan_min_days": True}, "'orphan_min_days' must be an integer >= 0"),
])
def test_bad_policies_name_the_key(policy, message):
    with pytest.raises(ValueError, match=message):
        rc.validate_reconcile_policy(policy)


def test_default_policy_changes_nothing():
    assert rc.validate_reconcile_policy(None) == rc.DEFAULT_RECONCILE_POLICY
    assert not any(v for k, v in rc.DEFAULT_RECONCILE_POLICY.items() if k != "orphan_min_days")


@pytest.mark.parametrize("value, expected", [
    ("2025-03-11T23:13:04.3842126Z", datetime.datetime(2025, 3, 11, 23, 13, 4, tzinfo=datetime.timezone.utc)),
    ("2025-03-11T23:13:04Z", datetime.datetime(2025, 3, 11, 23, 13, 4, tzinfo=datetime.timezone.utc)),
    ("2025-03-11T23:13:04+02:00", datetime.datetime(2025, 3, 11, 21, 13, 4, tzinfo=datetime.timezone.utc)),
    ("2025-03-11 23:13:04 +0000 UTC", datetime.datetime(2025, 3, 11, 23, 13, 4, tzinfo=datetime.timezone.utc)),
    ("", None), (None, None), ("yesterday", None), ("2025-13-40T00:00:00Z", None),
])
def test_parse_time(value, expected):
    assert rc.parse_time(value) == expected


# ---------------------------------------------------------------- the extension gate

EXTS = [{"name": "MDE.Linux"}, {"name": "AzureMonitorLinuxAgent"}]


def test_no_extensions_let_the_disconnect_go_on():
    for extensions in (None, [], [{"id": "no-name"}]):
        gate = rc.extension_gate(extensions=extensions, remove=False, what="offboarding")
        assert gate["proceed"] and gate["remove"] == [] and gate["message"] == ""


def test_extensions_stop_the_disconnect_unless_removal_is_allowed():
    gate = rc.extension_gate(extensions=EXTS, remove=False, what="offboarding")
    assert not gate["proceed"] and gate["remove"] == [] and gate["extensions"] == ["AzureMonitorLinuxAgent", "MDE.Linux"]
    assert "AzureMonitorLinuxAgent, MDE.Linux" in gate["cause"] and "the offboarding did not disconnect it" in gate["cause"]
    assert "azcmagent_remove_extensions: true" in gate["remediation"] and gate["message"].startswith(gate["cause"])
    gate = rc.extension_gate(extensions=EXTS, remove=True, what="re-onboarding")
    assert gate["proceed"] and gate["remove"] == ["AzureMonitorLinuxAgent", "MDE.Linux"]
    assert gate["message"] == "The extensions AzureMonitorLinuxAgent, MDE.Linux are removed before the re-onboarding."
    gate = rc.extension_gate(extensions=EXTS, remove=True, what="re-onboarding", check_mode=True, lang="nl")
    assert "controlemodus" in gate["message"]


# ---------------------------------------------------------------- the report

def test_report_merges_what_was_carried_out():
    decision = rc.reconcile(machines=FLEET_MACHINES, hosts=FLEET_HOSTS, policy=ALL, now=NOW)
    deleted = [{"id": rc.machine_id(SUB, RG, "gone01"), "changed": True}]
    results = {"web02": {"ok": True, "changed": True, "state": "Connected"},
               "web03": {"ok": False, "changed": False, "state": "Expired", "message": "web03: AZCM0067: still expired"}}
    report = rc.reconcile_report(decision=decision, deleted=deleted, results=results)
    rows = rows_by(report)
    assert rows[("gone01", "orphan")]["done"] and rows[("gone01", "orphan")]["changed"]
    assert rows[("web02", "disconnected")]["done"] and rows[("web02", "disconnected")]["state"] == "Connected"
    assert not rows[("web03", "expired")]["ok"] and "still expired" in rows[("web03", "expired")]["detail"]
    assert not rows[("web05", "clone")]["ok"] and "no result" in rows[("web05", "clone")]["detail"]   # allowed but never ran
    assert report["counts"]["done"] == 2 and report["counts"]["failed"] == 2 and report["counts"]["changed"] == 2
    assert report["lines"][1] == "Carried out: 2 done, 2 changed, 2 failed."
    assert "done delete_orphan gone01 -> -" in report["lines"] and "FAILED reonboard web03: web03: AZCM0067: still expired" in report["lines"]
    assert {b["label"] for b in report["by_outcome"]} == {"connected", "disconnected", "expired", "orphan", "missing", "duplicate", "clone"}
    check = rc.reconcile_report(decision=decision, deleted=deleted, results=results, check_mode=True)
    assert not any(r["done"] for r in check["rows"]) and check["check_mode"]
    assert "would delete_orphan gone01 (check mode)" in check["lines"]


def test_report_in_check_mode_does_not_count_predicted_connects_as_failures():
    decision = rc.reconcile(machines=FLEET_MACHINES, hosts=FLEET_HOSTS, policy=ALL, now=NOW)
    results = {h: {"ok": False, "changed": True, "state": "Disconnected", "message": "would reonboard"} for h in ("web02", "web03", "web05")}
    report = rc.reconcile_report(decision=decision, deleted=[{"id": rc.machine_id(SUB, RG, "gone01"), "changed": True}], results=results,
                                 check_mode=True)
    assert report["counts"]["failed"] == 0 and report["counts"]["done"] == 0
    assert all(r["ok"] and not r["done"] for r in report["rows"])
    assert sorted(line for line in report["lines"] if line.startswith("would")) == [
        "would delete_orphan gone01 (check mode)", "would reidentify web05 (check mode)", "would reonboard web02 (check mode)",
        "would reonboard web03 (check mode)"]
