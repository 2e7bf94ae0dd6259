# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_conflict: may the remediate role delete the conflicting machine resource? (table test, no agent text involved)"""

from __future__ import annotations

import uuid

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.arcops.azcmagent.plugins.filter._azcm_conflict import azcm_conflict
from ansible_collections.arcops.azcmagent.plugins.module_utils._conflict import DECISIONS, conflict_kind, decide, local_vm_id, target

SUB = str(uuid.uuid4())
MINE = str(uuid.uuid4())
OTHER = str(uuid.uuid4())
TARGET = target(SUB, "arc-rg", "", "web01")
ID = TARGET["resource_id"]
LOCAL_ID = "/subscriptions/%s/resourceGroups/arc-rg/providers/Microsoft.HybridCompute/machines/web01" % SUB
ALLOW = {"delete_resource": True}


def machine(vm_id, state="Succeeded", status="Connected"):
    """A machine as machine_resource_info summarises it."""
    return {"name": "web01", "id": ID, "resource_group": "arc-rg", "vm_id": vm_id, "provisioning_state": state, "status": status}


FRESH = {"connected": False, "resource_id": None, "vm_id": None, "show": {"vmId": "", "status": "Disconnected"}}     # never connected
PENDING = {"connected": False, "resource_id": LOCAL_ID, "show": {"vmId": MINE, "resourceId": LOCAL_ID}}              # unfinished connect
NO_VM_ID = {"connected": False, "resource_id": LOCAL_ID, "show": {"resourceId": LOCAL_ID}}                            # holds an id, shows no vmId


@pytest.mark.parametrize("kind, record, local, policy, decision", [
    # stale (AZCM0044): another machine's resource goes, this machine's own stays
    ("stale", machine(OTHER), FRESH, ALLOW, "delete"),
    ("stale", machine(OTHER), PENDING, ALLOW, "delete"),
    ("stale", machine(MINE), PENDING, ALLOW, "same_machine"),
    ("stale", machine(MINE.upper()), {"vm_id": "{%s}" % MINE}, ALLOW, "same_machine"),
    ("stale", machine(MINE, state="Creating"), PENDING, ALLOW, "same_machine"),
    ("stale", machine(OTHER), NO_VM_ID, ALLOW, "unknown_identity"),
    ("stale", machine(""), FRESH, ALLOW, "unknown_identity"),
    ("stale", None, FRESH, ALLOW, "absent"),
    ("stale", machine(OTHER), FRESH, {}, "blocked"),
    ("stale", machine(OTHER), FRESH, {"delete_resource": False}, "blocked"),
    ("stale", machine(OTHER), FRESH, None, "blocked"),
    # partial (AZCM0062 / AZCM0081): this machine's unfinished resource goes, a finished one stays
    ("partial", machine(MINE, state="Creating"), PENDING, ALLOW, "delete"),
    ("partial", machine(MINE, state="Failed"), PENDING, ALLOW, "delete"),
    ("partial", machine(MINE, state=""), PENDING, ALLOW, "delete"),
    ("partial", machine(MINE, state="Succeeded"), PENDING, ALLOW, "succeeded"),
    ("partial", machine(MINE, state="succeeded"), PENDING, ALLOW, "succeeded"),
    ("partial", machine(OTHER, state="Succeeded"), PENDING, ALLOW, "delete"),
    ("partial", machine(MINE, state="Creating"), PENDING, {}, "blocked"),
    ("partial", machine(MINE, state="Creating"), NO_VM_ID, ALLOW, "unknown_identity"),
    ("partial", None, PENDING, ALLOW, "absent"),
], ids=["stale-other-fresh", "stale-other-pending", "stale-same", "stale-same-case-braces", "stale-same-creating", "stale-no-local-vmid",
        "stale-no-resource-vmid", "stale-absent", "stale-policy-off", "stale-policy-false", "stale-policy-none",
        "partial-creating", "partial-failed", "partial-no-state", "partial-succeeded", "partial-succeeded-lower", "partial-other",
        "partial-policy-off", "partial-no-local-vmid", "partial-absent"])
def test_decision_table(kind, record, local, policy, decision):
    result = decide(kind=kind, target=TARGET, machine={"machines": [record] if record else []}, local=local, policy=policy)
    assert result["decision"] == decision
    assert result["delete"] == (decision == "delete")
    assert result["decision"] in DECISIONS
    assert (result["subscription_id"], result["resource_group"], result["resource_name"]) == (SUB, "arc-rg", "web01")
    # the message says precisely what was found
    assert result["resource_id"] in result["message"]
    if record is not None:
        assert result["found"] and result["vm_id"] == record["vm_id"]
        assert (record["vm_id"] or "none") in result["message"] and (record["provisioning_state"] or "none") in result["message"]
    else:
        assert not result["found"] and "nothing to delete" in result["message"]


def test_the_decision_reads_the_raw_arm_record_too():
    raw = {"id": ID, "name": "web01", "properties": {"vmId": MINE, "provisioningState": "Creating", "status": "Disconnected"}}
    result = decide(kind="partial", target=TARGET, machine=raw, local=PENDING, policy=ALLOW)
    assert (result["decision"], result["provisioning_state"], result["status"]) == ("delete", "Creating", "Disconnected")


def test_agent_text_is_a_hint_never_the_decision():
    elsewhere = "/subscriptions/%s/resourceGroups/other-rg/providers/Microsoft.HybridCompute/machines/web01" % SUB
    result = decide(kind="stale", target=TARGET, machine=[machine(MINE)], local=PENDING, policy=ALLOW, hint_resource_id=elsewhere)
    assert result["decision"] == "same_machine" and not result["delete"]
    assert result["resource_id"] == ID and elsewhere in result["message"] and "hint" in result["message"]
    same = decide(kind="stale", target=TARGET, machine=[machine(OTHER)], local=FRESH, policy=ALLOW, hint_resource_id=ID.upper())
    assert same["delete"] and "hint" not in same["message"]


def test_check_mode_wording_and_dutch():
    would = decide(kind="stale", target=TARGET, machine=[machine(OTHER)], local=FRESH, policy=ALLOW, check_mode=True)
    assert would["delete"] and "would be deleted" in would["message"]
    dutch = decide(kind="partial", target=TARGET, machine=[machine(MINE)], local=PENDING, policy=ALLOW, lang="nl")
    assert dutch["decision"] == "succeeded" and "Gevonden" in dutch["message"] and "Er wordt niets verwijderd" in dutch["message"]


def test_target_prefers_the_requested_name_over_the_host_name():
    assert target(SUB, "rg", "arc-web01", "web01")["resource_name"] == "arc-web01"
    assert target(SUB, "rg", "", "web01")["resource_id"].endswith("/machines/web01")
    empty = target(SUB, "rg", "", "")
    assert empty["resource_id"] == ""
    result = decide(kind="stale", target=empty, machine=[machine(OTHER)], local=FRESH, policy=ALLOW)
    assert result["decision"] == "no_target" and not result["delete"]


def test_local_vm_id_sources():
    assert local_vm_id({"vm_id": MINE, "show": {"vmId": OTHER}}) == MINE
    assert local_vm_id({"show": {"vmId": MINE}}) == MINE
    assert local_vm_id({"show": {"VM ID": MINE}}) == MINE
    assert local_vm_id({"show": None}) == "" and local_vm_id(None) == ""


@pytest.mark.parametrize("code, kind", [("AZCM0044", "stale"), ("AZCM0062", "partial"), ("AZCM0081", "partial"), (None, "stale")])
def test_conflict_kind(code, kind):
    assert conflict_kind(code) == kind


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind must be one of"):
        decide(kind="other", target=TARGET, machine=None, local=None, policy=None)


def test_filter():
    result = azcm_conflict({"machines": [machine(OTHER)], "count": 1}, "stale",
                           {"subscription_id": SUB, "resource_group": "arc-rg", "resource_name": "", "host_name": "web01"},
                           local=FRESH, policy=ALLOW)
    assert result["delete"] and result["resource_name"] == "web01"
    with pytest.raises(AnsibleFilterError, match="_azcm_conflict: option kind"):
        azcm_conflict([], "bogus", {})
    with pytest.raises(AnsibleFilterError, match="option target expects a dict"):
        azcm_conflict([], "stale", "web01")
    with pytest.raises(AnsibleFilterError, match="option local expects a dict"):
        azcm_conflict([], "stale", {}, local="x")
