# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The connect decision (_target): target comparison, interrupted connects, the agent's own record, argv."""

from __future__ import annotations

import json

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _target

SUB = "11111111-1111-1111-1111-111111111111"
TENANT = "22222222-2222-2222-2222-222222222222"
RID = "/subscriptions/%s/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/m" % SUB
WANTED = {"subscription_id": SUB, "resource_group": "rg", "location": "westeurope", "tenant_id": TENANT, "cloud": "AzureCloud",
          "resource_name": None, "tags": {}}


@pytest.mark.parametrize("facts, expected", [
    ({"resource_id": "/r", "status": "", "last_heartbeat": ""}, True),
    ({"resource_id": "/r", "status": None, "last_heartbeat": None}, True),
    ({"resource_id": "/r", "status": "Connecting", "last_heartbeat": None}, True),
    ({"resource_id": "/r", "status": "Connected", "last_heartbeat": "", "connect_pending": True}, True),
    ({"resource_id": "/r", "status": "", "last_heartbeat": "2026-01-01T11:00:00Z"}, False),
    ({"resource_id": "/r", "status": "Disconnected", "last_heartbeat": None}, False),
    ({"resource_id": "/r", "status": "expired", "last_heartbeat": ""}, False),
    ({"resource_id": "/r", "status": "Connected", "last_heartbeat": None}, False),
    ({"resource_id": "", "status": "", "last_heartbeat": ""}, False),
])
def test_is_interrupted_connect(facts, expected):
    assert _target.is_interrupted_connect(facts) is expected


def test_agent_record_wins_over_show():
    shown = {"resource_id": "/r", "status": "Disconnected", "last_heartbeat": None}
    assert not _target.is_interrupted_connect(shown, {})
    assert _target.is_interrupted_connect(shown, {"status": "", "lastHeartbeat": ""})
    assert _target.is_interrupted_connect(shown, {"status": "Disconnected", "connectPending": True})
    assert not _target.is_interrupted_connect(shown, {"status": "Expired", "lastHeartbeat": ""})


def test_mismatches_compares_guids_only():
    facts = {"subscription_id": "11111111-1111-1111-1111-111111111111", "tenant_id": "22222222-2222-2222-2222-222222222222",
             "resource_group": "rg", "location": "westeurope", "cloud": "AzureCloud"}
    wanted = dict(facts)
    assert _target.mismatches(facts, wanted) == []
    assert _target.mismatches(facts, dict(wanted, subscription_id="11111111-1111-1111-1111-111111111111".upper())) == []
    assert _target.mismatches(facts, dict(wanted, subscription_id="Some Other Subscription")) == ["subscription_id"]
    assert _target.mismatches(facts, dict(wanted, tenant_id="contoso.com")) == ["tenant_id"]
    assert _target.mismatches(facts, dict(wanted, tenant_id=None)) == []


def connected(**overrides):
    facts = {"status": "Connected", "connected": True, "resource_id": RID, "subscription_id": SUB, "resource_group": "rg",
             "location": "westeurope", "tenant_id": TENANT, "cloud": "AzureCloud", "last_heartbeat": "2026-01-01T00:00:00Z"}
    facts.update(overrides)
    return facts


@pytest.mark.parametrize("before, on_mismatch, expected", [
    ({"status": "Disconnected", "resource_id": ""}, "fail", _target.Decision(steps=("connect",))),
    (connected(), "fail", _target.Decision(same=True)),
    (connected(resource_group="RG", location="West Europe"), "fail", _target.Decision(same=True)),
    (connected(resource_group="old"), "fail", _target.Decision(mismatch=True, differs=("resource_group",))),
    (connected(resource_group="old"), "reconnect", _target.Decision(differs=("resource_group",), steps=("disconnect", "connect"))),
    (connected(status="Expired", connected=False), "fail", _target.Decision(mismatch=True)),
    (connected(status="", connected=False, last_heartbeat=""), "fail", _target.Decision(steps=("connect",))),
], ids=["not-onboarded", "same", "same-other-case", "elsewhere", "elsewhere-reconnect", "expired", "interrupted"])
def test_decide(before, on_mismatch, expected):
    assert _target.decide(before, WANTED, {}, on_mismatch) == expected


def test_decide_reads_the_agent_record():
    shown = connected(status="Disconnected", connected=False, last_heartbeat="")
    assert _target.decide(shown, WANTED, {}, "fail").mismatch
    assert _target.decide(shown, WANTED, {"status": "", "lastHeartbeat": "", "connectPending": True}).steps == ("connect",)


SAME_RESOURCE = json.dumps({"resourceId": RID.upper(), "status": ""})


@pytest.mark.parametrize("content", [None, "not json", "[1, 2]", json.dumps({"resourceId": "/other"}), SAME_RESOURCE],
                         ids=["missing", "garbage", "not-an-object", "other-resource", "same-resource"])
def test_read_agent_config_is_defensive(tmp_path, content):
    if content is not None:
        (tmp_path / _target.AGENT_CONFIG).write_text(content)
    record = _target.read_agent_config(str(tmp_path), {"resource_id": RID})
    assert record == ({"resourceid": RID.upper(), "status": ""} if content and "status" in content else {})
    assert _target.read_agent_config(None, {"resource_id": RID}) == {}
    assert _target.read_agent_config(str(tmp_path), {"resource_id": ""}) == {}


def test_mismatch_failure_names_both_targets_in_both_languages():
    before = connected(resource_group="old")
    for lang, words in (("en", "already connected to another target"), ("nl", "al verbonden met een ander doel")):
        failure = _target.mismatch_failure(before, WANTED, ["resource_group"], lang)
        assert failure.msg.startswith("AZCM0067: ") and words in failure.msg and "resource_group=old" in failure.msg
        assert failure.outcome["action"] == "reonboard" and failure.outcome["findings"][0]["id"] == "connected_elsewhere"
        assert failure.extra == {"previous": _target.target_of(before), "commands": []}
    failure = _target.mismatch_failure(before, dict(WANTED, subscription_id="By Name"), ["subscription_id"], "en")
    assert "give the GUID" in failure.msg


def test_same_target_outcome_is_success():
    outcome = _target.same_target_outcome(connected(), "nl")
    assert outcome["azcm_code"] == "AZCM0067" and outcome["action"] == "none" and outcome["rc"] == 0
    assert outcome["cause"].startswith("De machine is al verbonden met het gevraagde doel")


def test_connect_argv():
    wanted = dict(WANTED, resource_name="web01", tags={"env": "prod", "owner": "platform team"}, correlation_id="c",
                  private_link_scope=None, gateway_id="/g")
    argv = _target.connect_argv({"enable_automatic_upgrade": True, "ignore_network_check": False}, wanted, ["--tenant-id", TENANT])
    assert argv == ["connect", "--subscription-id", SUB, "--resource-group", "rg", "--location", "westeurope", "--cloud", "AzureCloud",
                    "--resource-name", "web01", "--tags", "env=prod,owner='platform team'", "--correlation-id", "c",
                    "--gateway-id", "/g", "--enable-automatic-upgrade", "--tenant-id", TENANT]
    assert _target.predicted(connected(resource_group="old"), wanted)["resource_group"] == "rg"


@pytest.mark.parametrize("record, interrupted", [
    ({"RESOURCEID": RID, "ConnectPending": "true", "Status": "Disconnected"}, True),
    ({"resourceid": RID, "status": "", "lastheartbeat": ""}, True),
    ({"ResourceId": RID, "STATUS": "Connected", "LastHeartbeat": ""}, False),
    # fields of another shape count as absent: show decides (Disconnected with a heartbeat is onboarded)
    ({"resourceId": RID, "status": 7, "lastHeartbeat": ["x"]}, False),
    ({"resourceId": RID}, False),
], ids=["upper-keys-pending", "lower-keys-no-heartbeat", "mixed-keys-connected", "wrong-shapes", "missing-fields"])
def test_the_agents_record_is_read_in_any_key_case_and_shape(tmp_path, record, interrupted):
    (tmp_path / _target.AGENT_CONFIG).write_text(json.dumps(record))
    shown = {"resource_id": RID, "status": "Disconnected", "last_heartbeat": "2026-01-01T00:00:00Z"}
    read = _target.read_agent_config(str(tmp_path), shown)
    assert read and all(key == key.lower() for key in read)
    assert _target.is_interrupted_connect(shown, read) is interrupted
