# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The conflicting machine resource of AZCM0044 / AZCM0062 / AZCM0081: may the remediate role delete it?

PRIVATE: this module_util is internal to the arcops.azcmagent collection and may change at any time.

The decision never depends on the agent's wording. The remediate role reads the machine resource that
Azure Resource Manager holds at the requested subscription, resource group and name
(``machine_resource_info``) and this machine's own identity from the agent (``info``: the ``vm_id``
fact, else ``show``'s ``vmId`` / ``VM ID``), and :func:`decide` says what to do:

* **stale** (AZCM0044, the name is taken): delete only when the resource's ``properties.vmId`` differs
  from this machine's. A machine that has never been connected has no vmId of its own (the agent shows
  none), so any resource at the name belongs to another machine; an agent that holds a resource ID
  but shows no vmId cannot be told apart, and nothing is deleted.
* **partial** (AZCM0062 / AZCM0081, the connect stopped after the resource was created): delete when
  the vmId differs (as above), or when it is this machine's and its ``provisioningState`` is not
  ``Succeeded``.
* Otherwise, or when ``delete_resource`` is not allowed by the policy, nothing is deleted and the
  decision's ``message`` says what was found (resource ID, vmId, provisioning state, status).

A resource ID that the agent's output names is only a hint: the message mentions it when it is not the
resource that was read. Pure functions, standard library only, Python 3.8+.
"""

from __future__ import annotations

import re
import typing as t
from collections.abc import Mapping

from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import normalize_lang, text

#: The kind of conflict per AZCM code (any other code with a delete_resource action is ``stale``).
CODE_KINDS: t.Mapping[str, str] = {"AZCM0044": "stale", "AZCM0062": "partial", "AZCM0081": "partial"}
KINDS = ("stale", "partial")

#: What :func:`decide` can conclude; only ``delete`` deletes.
DECISIONS = ("delete", "blocked", "absent", "same_machine", "succeeded", "unknown_identity", "no_target")

_GUID_BRACES = re.compile(r"^\{(?P<guid>.*)\}$")


class Target(t.TypedDict):
    """The machine resource the agent tried to create: the requested subscription, group and name."""

    subscription_id: str
    resource_group: str
    resource_name: str
    resource_id: str


class Decision(t.TypedDict):
    """The outcome of :func:`decide` (a plain dict for Ansible)."""

    decision: str
    delete: bool
    kind: str
    found: bool
    subscription_id: str
    resource_group: str
    resource_name: str
    resource_id: str
    vm_id: str
    local_vm_id: str
    provisioning_state: str
    status: str
    hint_resource_id: str
    message: str


def conflict_kind(code: object) -> str:
    """``partial`` for AZCM0062 / AZCM0081, else ``stale``."""
    return CODE_KINDS.get(code if isinstance(code, str) else "", "stale")


def target(subscription_id: object, resource_group: object, resource_name: object = "", host_name: object = "") -> Target:
    """The requested machine resource: ``resource_name`` when given, else the host name the agent uses by default."""
    sub, group = _text(subscription_id), _text(resource_group)
    name = _text(resource_name) or _text(host_name)
    resource_id = (f"/subscriptions/{sub}/resourceGroups/{group}/providers/Microsoft.HybridCompute/machines/{name}"
                   if sub and group and name else "")
    return {"subscription_id": sub, "resource_group": group, "resource_name": name, "resource_id": resource_id}


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _guid(value: object) -> str:
    """A vmId for comparison: trimmed, without braces, lower case ("" when absent)."""
    raw = _text(value)
    match = _GUID_BRACES.match(raw)
    return (match.group("guid") if match else raw).strip().lower()


def local_vm_id(local: Mapping[str, t.Any] | None) -> str:
    """This machine's vmId from the info module's result: ``vm_id``, else ``show`` (``vmId``, ``VM ID``, ``vm_id``)."""
    local = local if isinstance(local, Mapping) else {}
    show = local.get("show")
    show = show if isinstance(show, Mapping) else {}
    for value in (local.get("vm_id"), show.get("vmId"), show.get("VM ID"), show.get("vm_id")):
        if _text(value):
            return _text(value)
    return ""


def _machine(machines: object) -> Mapping[str, t.Any] | None:
    """The one machine of a machine_resource_info result (or a list of machines, or one machine)."""
    if isinstance(machines, Mapping) and "machines" in machines:
        machines = machines["machines"]
    if isinstance(machines, Mapping):
        return machines
    if isinstance(machines, (list, tuple)):
        found = [m for m in machines if isinstance(m, Mapping)]
        return found[0] if found else None
    return None


def _field(machine: Mapping[str, t.Any], summary_key: str, property_key: str) -> str:
    """A field of a machine summary (``vm_id``) or of the raw ARM record (``properties.vmId``)."""
    properties = machine.get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    return _text(machine.get(summary_key)) or _text(properties.get(property_key))


def decide(*, kind: str, target: Mapping[str, t.Any], machine: object, local: Mapping[str, t.Any] | None,
           policy: Mapping[str, t.Any] | None, hint_resource_id: object = "", check_mode: bool = False, lang: str = "en") -> Decision:
    """Decide whether the conflicting machine resource may be deleted (see the module docstring).

    ``machine``: the machine_resource_info result (or its ``machines`` list, or one machine; none = absent);
    ``local``: the info module's result; ``policy``: ``azcmagent_policy`` (only ``delete_resource`` is read)."""
    lang = normalize_lang(lang)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    record = _machine(machine)
    mine = local_vm_id(local)
    hint = _text(hint_resource_id)
    resource_id = _text(target.get("resource_id"))
    decision: Decision = {
        "decision": "", "delete": False, "kind": kind, "found": record is not None,
        "subscription_id": _text(target.get("subscription_id")), "resource_group": _text(target.get("resource_group")),
        "resource_name": _text(target.get("resource_name")), "resource_id": resource_id,
        "vm_id": "", "local_vm_id": mine, "provisioning_state": "", "status": "", "hint_resource_id": hint, "message": "",
    }
    none = text("plan.conflict_none", lang)
    if not resource_id:
        decision["decision"] = "no_target"
        decision["message"] = text("plan.conflict_no_target", lang)
        return decision
    parts: list[str] = []
    if record is None:
        decision["decision"] = "absent"
        parts.append(text("plan.conflict_absent", lang, resource_id=resource_id))
    else:
        decision["resource_id"] = _text(record.get("id")) or resource_id
        decision["vm_id"] = _field(record, "vm_id", "vmId")
        decision["provisioning_state"] = _field(record, "provisioning_state", "provisioningState")
        decision["status"] = _field(record, "status", "status")
        parts.append(text("plan.conflict_found", lang, resource_id=decision["resource_id"], vm_id=decision["vm_id"] or none,
                          state=decision["provisioning_state"] or none, status=decision["status"] or none, local_vm_id=mine or none))
        theirs = _guid(decision["vm_id"])
        has_local_resource = bool(_text((local or {}).get("resource_id")) if isinstance(local, Mapping) else "")
        if theirs and _guid(mine) and theirs == _guid(mine):
            identity = "same"
        elif theirs and (_guid(mine) or not has_local_resource):
            identity = "other"
        else:
            identity = "unknown"
        succeeded = decision["provisioning_state"].lower() == "succeeded"
        if identity == "other":
            verdict, reason = "delete", text("plan.conflict_other_machine", lang)
        elif identity == "same" and kind == "partial" and not succeeded:
            verdict, reason = "delete", text("plan.conflict_unfinished", lang, state=decision["provisioning_state"] or none)
        elif identity == "same" and kind == "partial":
            verdict, reason = "succeeded", text("plan.conflict_succeeded", lang)
        elif identity == "same":
            verdict, reason = "same_machine", text("plan.conflict_same_machine", lang)
        else:
            verdict, reason = "unknown_identity", text("plan.conflict_unknown_identity", lang)
        parts.append(reason)
        if verdict == "delete" and not bool((policy or {}).get("delete_resource")):
            verdict = "blocked"
            parts.append(text("plan.conflict_blocked", lang))
        elif verdict == "delete":
            parts.append(text("plan.conflict_would_delete" if check_mode else "plan.conflict_delete", lang))
        else:
            parts.append(text("plan.conflict_keep", lang))
        decision["decision"] = verdict
        decision["delete"] = verdict == "delete"
    if hint and hint.lower() != decision["resource_id"].lower():
        parts.append(text("plan.conflict_hint", lang, hint=hint))
    decision["message"] = " ".join(parts)
    return decision
