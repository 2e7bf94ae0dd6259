# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The connect decision: is the machine already where it should be, elsewhere, or half-way there?

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

Pure functions over the agent's normalized ``show`` facts and the requested target: target
comparison (GUIDs compared, names counted as different), the interrupted-connect rule (with a
defensive, read-only look at the agent's own ``agentconfig.json``), the decision of the connect
module, the outcomes it decides without running the agent, and the agent's connect argv.
"""

from __future__ import annotations

import json
import os
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils import _outcome
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import text
from ansible_collections.arcops.azcmagent.plugins.module_utils._clouds import normalize_location
from ansible_collections.arcops.azcmagent.plugins.module_utils._validate import is_guid, render_tags

Facts = t.Mapping[str, t.Any]

# The target fields of the agent's state that the modules report (``previous``, ``diff``).
TARGET_KEYS = ("status", "resource_id", "subscription_id", "resource_group", "location", "tenant_id", "cloud", "resource_name")
# The fields of a requested target, in the order they are described.
WANTED_KEYS = ("subscription_id", "resource_group", "location", "tenant_id", "cloud", "resource_name")
# Agent statuses of an onboarded machine; any other (empty, unknown) next to a resource ID is a connect in progress.
ONBOARDED_STATUSES = ("connected", "disconnected", "expired")
# The agent's record of its onboarding, in its state directory (/var/opt/azcmagent).
AGENT_CONFIG = "agentconfig.json"
# The fields read from it, by their lower-cased key (the file is private to the agent: keys are matched in any case).
# ASSUMED, all four: no public source shows this file's content. Microsoft's docs name one key of it, spelled
# "resourcename"; Microsoft's DSC module reads tenant, subscription, group and location from it case-insensitively and
# takes status and heartbeat from the local agent service instead. A field that is missing or of another shape counts
# as absent, and the decision falls back to what `azcmagent show` says.
RECORD_RESOURCE_ID = "resourceid"
RECORD_CONNECT_PENDING = "connectpending"
RECORD_STATUS = "status"
RECORD_LAST_HEARTBEAT = "lastheartbeat"
# Disconnect failures after which reconnect_force_local cleans up locally: the old resource is unreachable or gone.
RECONNECT_LOCAL_CODES = ("AZCM0043", "AZCM0063")
# Optional connect options given to the agent as they are.
_PASSED_OPTIONS = (("correlation_id", "--correlation-id"), ("private_link_scope", "--private-link-scope"), ("gateway_id", "--gateway-id"))


class Decision(t.NamedTuple):
    """What connect does: ``same`` (nothing), ``mismatch`` (fail as on_mismatch=fail says), else the ``steps``."""

    same: bool = False
    mismatch: bool = False
    differs: t.Tuple[str, ...] = ()
    steps: t.Tuple[str, ...] = ()


def target_of(facts: t.Optional[Facts]) -> t.Dict[str, t.Any]:
    """The target fields of the agent's state (every key present, None when unknown)."""
    return {key: (facts or {}).get(key) for key in TARGET_KEYS}


def _same(a: object, b: object) -> bool:
    return str(a or "").strip().lower() == str(b or "").strip().lower()


def mismatches(facts: Facts, wanted: Facts) -> t.List[str]:
    """Names of the target fields where the connected machine differs from the request (empty: same target).

    A subscription or tenant given by name (not a GUID) cannot be compared with the GUID the agent records, so it
    counts as a difference: the module never reports a machine unchanged without having verified its target."""
    diff = []
    if not is_guid(wanted["subscription_id"]) or not _same(facts.get("subscription_id"), wanted["subscription_id"]):
        diff.append("subscription_id")
    if not _same(facts.get("resource_group"), wanted["resource_group"]):
        diff.append("resource_group")
    if normalize_location(facts.get("location")) != wanted["location"]:
        diff.append("location")
    if wanted.get("tenant_id") and (not is_guid(wanted["tenant_id"]) or not _same(facts.get("tenant_id"), wanted["tenant_id"])):
        diff.append("tenant_id")
    if not _same(facts.get("cloud") or "AzureCloud", wanted["cloud"]):
        diff.append("cloud")
    if wanted.get("resource_name") and not _same(facts.get("resource_name"), wanted["resource_name"]):
        diff.append("resource_name")
    return diff


def unverifiable(wanted: Facts) -> t.List[str]:
    """The requested target fields given by name instead of GUID (they cannot be compared with the agent's state)."""
    return [key for key in ("subscription_id", "tenant_id") if wanted.get(key) and not is_guid(wanted[key])]


def read_agent_config(state_dir: str | None, facts: t.Optional[Facts]) -> t.Dict[str, t.Any]:
    """The agent's own record (``agentconfig.json`` in its state directory, read only), or {} when it cannot be read
    or describes another resource than ``show`` does.

    ``show`` reports an onboarding the agent never finished as ``Disconnected``; only this record tells the two apart.
    The file is private to the agent: anything unexpected in it (not JSON, not an object, another resource) is
    ignored rather than trusted."""
    if not state_dir or not (facts or {}).get("resource_id"):
        return {}
    try:
        with open(os.path.join(state_dir, AGENT_CONFIG), "r", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    record = {str(key).lower(): value for key, value in data.items()}
    if not _same(record.get(RECORD_RESOURCE_ID), (facts or {}).get("resource_id")):
        return {}
    return record


def _truthy(value: object) -> bool:
    return value in (True, "true", "True")


def is_interrupted_connect(facts: t.Optional[Facts], record: t.Optional[Facts] = None) -> bool:
    """Whether the agent's state is a connect that stopped after Azure accepted the resource.

    That is a resource ID with the agent's pending-connect mark, or with an empty or unknown status and no heartbeat
    (the agent's own record, when readable, wins over what ``show`` prints); a machine with status Connected,
    Disconnected or Expired is onboarded, whatever its heartbeat says."""
    facts = facts or {}
    record = record or {}
    if not facts.get("resource_id"):
        return False
    record = {str(key).lower(): value for key, value in record.items()}
    if _truthy(record.get(RECORD_CONNECT_PENDING)) or _truthy(facts.get("connect_pending")):
        return True
    status = record[RECORD_STATUS] if isinstance(record.get(RECORD_STATUS), str) else facts.get("status")
    heartbeat = record[RECORD_LAST_HEARTBEAT] if isinstance(record.get(RECORD_LAST_HEARTBEAT), str) else facts.get("last_heartbeat")
    return str(status or "").strip().lower() not in ONBOARDED_STATUSES and not str(heartbeat or "").strip()


def decide(before: Facts, wanted: Facts, record: t.Optional[Facts] = None, on_mismatch: str = "fail") -> Decision:
    """The connect decision for the state ``before`` (and the agent's own ``record``) and the ``wanted`` target.

    A connect that stopped after Azure accepted the resource leaves a resource ID that never sent a heartbeat; the
    agent resumes such a pending connect itself, so it is not a target to protect: connect again."""
    if not before.get("resource_id") or is_interrupted_connect(before, record):
        return Decision(steps=("connect",))
    differs = tuple(mismatches(before, wanted))
    if before.get("connected") and not differs:
        return Decision(same=True)
    if on_mismatch == "fail":
        return Decision(mismatch=True, differs=differs)
    return Decision(differs=differs, steps=("disconnect", "connect"))


def describe(target: Facts) -> str:
    """``subscription_id=..., resource_group=..., ...`` of the fields that are set ("-" when none)."""
    return ", ".join(f"{key}={target.get(key)}" for key in WANTED_KEYS if target.get(key)) or "-"


def same_target_outcome(before: Facts, lang: str) -> _outcome.Outcome:
    """The agent would say AZCM0067; for the requested target that is success with nothing to do."""
    return _outcome.from_code("AZCM0067", lang, state=before.get("status"), rc=0, action="none", retryable=False,
                              cause=text("outcome.same_target_cause", lang, current=describe(before)),
                              remediation=text("outcome.same_target_remediation", lang))


def mismatch_failure(before: Facts, wanted: Facts, differs: t.Sequence[str], lang: str) -> _outcome.ModuleFailure:
    """AZCM0067 naming the current and the requested target, with a ``reonboard`` finding."""
    previous = target_of(before)
    current = describe(before)
    requested = describe(wanted)
    if before.get("connected"):
        cause = text("outcome.mismatch_cause", lang, current=current, requested=requested)
    else:
        cause = text("outcome.mismatch_state_cause", lang, status=before.get("status"), current=before.get("resource_id"),
                     requested=requested)
    names = [key for key in unverifiable(wanted) if key in differs]
    if names:
        cause = f"{cause}; {text('outcome.not_a_guid', lang, fields=', '.join(names))}"
    outcome = _outcome.from_code("AZCM0067", lang, state=before.get("status"), cause=cause,
                                 remediation=text("outcome.mismatch_remediation", lang), rc=None)
    finding_id = "connected_elsewhere" if before.get("connected") else f"onboarded_{str(before.get('status') or 'unknown').lower()}"
    outcome["findings"] = [{
        "id": finding_id, "category": outcome["category"], "cause": cause, "remediation": outcome["remediation"], "evidence": current,
        "action": "reonboard", "retryable": False,
        "details": {"current": previous, "requested": {k: wanted.get(k) for k in previous if k in wanted}, "differs": list(differs)},
    }]
    outcome["action"] = "reonboard"
    return _outcome.failure(outcome, previous=previous, commands=[])


def predicted(before: Facts, wanted: Facts) -> t.Dict[str, t.Any]:
    """The target fields after a successful connect (for the diff in check mode)."""
    after = dict(target_of(before), status="Connected")
    after.update({key: wanted.get(key) for key in WANTED_KEYS if wanted.get(key)})
    return after


def connect_argv(params: Facts, wanted: Facts, auth_argv: t.Sequence[str]) -> t.List[str]:
    """``connect`` and its flags for the validated target ``wanted`` (secrets are not in it: they go to --config)."""
    argv = ["connect", "--subscription-id", wanted["subscription_id"], "--resource-group", wanted["resource_group"],
            "--location", wanted["location"], "--cloud", wanted["cloud"]]
    if wanted.get("resource_name"):
        argv += ["--resource-name", wanted["resource_name"]]
    if wanted.get("tags"):
        argv += ["--tags", render_tags(wanted["tags"])]
    for option, flag in _PASSED_OPTIONS:
        if wanted.get(option):
            argv += [flag, wanted[option]]
    if params.get("enable_automatic_upgrade"):
        argv.append("--enable-automatic-upgrade")
    if params.get("ignore_network_check"):
        argv.append("--ignore-network-check")
    return argv + list(auth_argv)
