# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reconciliation of the inventory with the machine resources Azure holds, and what may be done about it.

PRIVATE: this module_util is internal to the arcops.azcmagent collection and may change at any time.

:func:`reconcile` takes the machine resources of the target scopes (``machine_resource_info`` summaries),
what each inventory host's agent says about itself (``info`` facts, or nothing when the host was not
reachable) and the reconcile policy, and returns one row per machine resource and per host without
one, each with an ``outcome``:

``connected``     the resource of an inventory host, Connected
``disconnected``  the resource of an inventory host, Disconnected (or Error): no heartbeat for a while
``expired``       the resource of an inventory host, Expired (no heartbeat for 45 days or more)
``orphan``        a resource that no inventory host claims
``missing``       an inventory host without a resource in the scopes
``duplicate``     one more resource of a host that already has one (same vmId, or the host's name besides the
                  resource its agent uses)
``clone``         a host that claims, with its agent's resource ID or vmId, the resource another host keeps
                  (a server cloned from an image of a connected one)

and an ``action``: ``none``, ``report``, ``delete_orphan``, ``reonboard`` or ``reidentify`` (``azcmagent
disconnect --force-local-only``, then connect: a clone needs an identity of its own). ``allowed`` says whether
the policy lets the playbook do it; otherwise ``reason`` says what a person must do.

A host claims a resource by its agent's resource ID and vmId; a host whose agent has no identity (or that
was not reachable) claims the resource at its expected name (``resource_name``, else the host name) in its
target resource group. Pure functions; standard library only, Python 3.8+.
"""

from __future__ import annotations

import datetime
import re
import typing as t
from collections.abc import Mapping

from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import normalize_lang, text

Row = t.Dict[str, t.Any]
Facts = t.Mapping[str, t.Any]


class ReconcileKey(t.NamedTuple):
    """One key of the reconcile policy: its type (``bool`` or ``int``), default and meaning."""

    type: str
    default: t.Any
    description: str


#: The reconcile policy (``azcmagent_reconcile_policy``): everything that changes something is off by default.
RECONCILE_POLICY_SCHEMA: t.Mapping[str, ReconcileKey] = {
    "delete_orphans": ReconcileKey("bool", False, "Delete machine resources that no inventory host claims, when they are not "
                                                  "Connected and their status has not changed for orphan_min_days days."),
    "orphan_min_days": ReconcileKey("int", 30, "Days an orphan must have been Disconnected or Expired before delete_orphans "
                                               "deletes it."),
    "reonboard": ReconcileKey("bool", False, "Re-onboard the reachable hosts whose resource is Disconnected or Expired (the "
                                             "onboard role with re-onboarding allowed for them)."),
    "reidentify_clones": ReconcileKey("bool", False, "Give each clone an identity of its own: azcmagent disconnect "
                                                     "--force-local-only, then connect with the host's own name."),
    "remove_extensions": ReconcileKey("bool", False, "Remove a machine's extensions before it is disconnected or re-onboarded; "
                                                     "without it a machine with extensions is only reported."),
}

DEFAULT_RECONCILE_POLICY: t.Mapping[str, t.Any] = {key: spec.default for key, spec in RECONCILE_POLICY_SCHEMA.items()}

OUTCOMES = ("connected", "disconnected", "expired", "orphan", "missing", "duplicate", "clone")
ACTIONS = ("none", "report", "delete_orphan", "reonboard", "reidentify")

# The segments of an ARM machine ID: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.HybridCompute/machines/<name>
_MACHINE_ID_RE = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)/providers/microsoft\.hybridcompute/machines/(?P<name>[^/]+)$",
    re.IGNORECASE)

# ISO 8601 as ARM and the agent write it: 2025-03-11T23:13:04.3842126Z, 2025-03-11T23:13:04Z, 2025-03-11 23:13:04 +0000 UTC.
_TIME_RE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{2}:\d{2}:\d{2})(?:\.\d+)?\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?")


def validate_reconcile_policy(policy: object) -> t.Dict[str, t.Any]:
    """The complete reconcile policy (defaults + ``policy``); ValueError names a bad key and what it expects."""
    merged = dict(DEFAULT_RECONCILE_POLICY)
    if policy is None:
        return merged
    if not isinstance(policy, Mapping):
        raise ValueError(f"the reconcile policy must be a dict of {', '.join(sorted(merged))}, got {type(policy).__name__}")
    for key, value in policy.items():
        spec = RECONCILE_POLICY_SCHEMA.get(key)
        if spec is None:
            raise ValueError(f"unknown reconcile policy key {key!r}: expected one of {', '.join(sorted(merged))}")
        if spec.type == "bool" and not isinstance(value, bool):
            raise ValueError(f"reconcile policy key {key!r} must be a boolean (true/false), got {type(value).__name__} {value!r}")
        if spec.type == "int" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ValueError(f"reconcile policy key {key!r} must be an integer >= 0, got {type(value).__name__} {value!r}")
        merged[key] = value
    return merged


def machine_id(subscription_id: str, resource_group: str, name: str) -> str:
    return f"/subscriptions/{subscription_id}/resourceGroups/{resource_group}/providers/Microsoft.HybridCompute/machines/{name}"


def parse_time(value: object) -> datetime.datetime | None:
    """A UTC datetime from an ARM or agent timestamp; None when absent or not understood."""
    match = _TIME_RE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        moment = datetime.datetime.strptime(f"{match.group('date')} {match.group('time')}", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    zone = match.group("zone")
    offset = datetime.timedelta(0)
    if zone and zone != "Z":
        digits = zone.replace(":", "")
        offset = datetime.timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5])) * (1 if digits[0] == "+" else -1)
    return (moment - offset).replace(tzinfo=datetime.timezone.utc)


def days_since(value: object, now: datetime.datetime) -> int | None:
    moment = parse_time(value)
    if moment is None:
        return None
    return max(0, int((now - moment).total_seconds() // 86400))


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _map(value: object) -> Facts:
    return value if isinstance(value, Mapping) else {}


def _key(resource_id: object) -> str:
    return _str(resource_id).strip().rstrip("/").lower()


def _split(resource_id: str) -> t.Tuple[str, str, str]:
    match = _MACHINE_ID_RE.match(resource_id.strip().rstrip("/"))
    return (match.group("sub"), match.group("rg"), match.group("name")) if match else ("", "", "")


class _Host(t.NamedTuple):
    name: str
    expected_id: str
    reachable: bool
    local_id: str
    local_vm: str
    local_status: str
    last_heartbeat: str


def _host(name: str, facts: Facts) -> _Host:
    target = _map(facts.get("target"))
    info = _map(facts.get("info"))
    resource_name = _str(target.get("resource_name")) or _str(target.get("host_name")) or name
    expected = machine_id(_str(target.get("subscription_id")), _str(target.get("resource_group")), resource_name)
    return _Host(name=name, expected_id=expected, reachable=bool(facts.get("reachable")) and bool(info),
                 local_id=_str(info.get("resource_id")), local_vm=_str(info.get("vm_id")), local_status=_str(info.get("status")),
                 last_heartbeat=_str(info.get("last_heartbeat")))


def _row(machine: Facts | None, host: str, outcome: str, now: datetime.datetime, last_heartbeat: str = "") -> Row:
    machine = _map(machine)
    resource_id = _str(machine.get("id"))
    sub, group, name = _split(resource_id)
    changed = _str(machine.get("last_status_change"))
    days = days_since(last_heartbeat, now) if last_heartbeat else None
    if days is None:
        days = days_since(changed, now)
    return {
        "host": host,
        "outcome": outcome,
        "resource": _str(machine.get("name")) or name,
        "resource_id": resource_id,
        "subscription_id": sub,
        "resource_group": _str(machine.get("resource_group")) or group,
        "status": _str(machine.get("status")),
        "vm_id": _str(machine.get("vm_id")),
        "last_status_change": changed,
        "last_heartbeat": last_heartbeat,
        "days_since_heartbeat": days,
        "action": "none",
        "allowed": False,
        "reason": "",
        "same_vm_id": [],
    }


def _status_outcome(status: str) -> str:
    lowered = status.lower()
    if lowered == "connected":
        return "connected"
    if lowered == "expired":
        return "expired"
    return "disconnected"


def reconcile(*, machines: t.Sequence[Facts], hosts: t.Mapping[str, Facts], policy: object = None,
              now: datetime.datetime | None = None, lang: str = "en") -> Row:
    """Compare the inventory (``hosts``: name -> ``{target: {subscription_id, resource_group, resource_name, host_name},
    reachable, info}``) with ``machines`` and decide per row what may be done.

    Returns ``rows`` (sorted: hosts first, by host, then resources without one), ``counts`` (per outcome, plus ``rows``
    and the ``actions`` allowed), ``hosts`` (host -> its decision: ``outcome``, ``action``, ``allowed``, ``resource_id``,
    ``reason``), ``delete`` (the orphans to delete), ``reonboard`` and ``reidentify`` (host names), ``policy`` and
    ``lines`` (what the playbook prints)."""
    lang = normalize_lang(lang)
    policy = validate_reconcile_policy(policy)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    by_id: t.Dict[str, Facts] = {}
    for machine in machines:
        if isinstance(machine, Mapping) and _key(machine.get("id")) and _key(machine.get("id")) not in by_id:
            by_id[_key(machine.get("id"))] = machine
    by_vm: t.Dict[str, t.List[str]] = {}
    for key, machine in by_id.items():
        vm = _str(machine.get("vm_id")).lower()
        if vm:
            by_vm.setdefault(vm, []).append(key)
    parsed = {str(name): _host(str(name), _map(facts)) for name, facts in hosts.items()}

    # Hosts whose agents carry the same identity (vmId, else resource ID) are clones: one keeps the identity (the one
    # whose expected name is the resource its agent uses, else the first by name), the others claim nothing.
    identities: t.Dict[str, t.List[str]] = {}
    for name in sorted(parsed):
        ident = parsed[name].local_vm.lower() or _key(parsed[name].local_id)
        if ident:
            identities.setdefault(ident, []).append(name)
    cloned: t.Dict[str, str] = {}
    for names in identities.values():
        if len(names) > 1:
            named = [n for n in names if parsed[n].local_id and _key(parsed[n].expected_id) == _key(parsed[n].local_id)]
            keeper_name = (named or names)[0]
            cloned.update({n: keeper_name for n in names if n != keeper_name})

    # Which resources each host claims: strongly (its agent's resource ID or vmId) or by its expected name.
    strong: t.Dict[str, t.List[str]] = {}
    claims: t.Dict[str, t.List[str]] = {}
    for name in sorted(parsed):
        host = parsed[name]
        if name in cloned:
            claims[name] = []
            continue
        keys: t.List[str] = []
        if host.local_id and _key(host.local_id) in by_id:
            keys.append(_key(host.local_id))
        for key in by_vm.get(host.local_vm.lower(), []) if host.local_vm else []:
            if key not in keys:
                keys.append(key)
        for key in keys:
            strong.setdefault(key, []).append(name)
        if not host.local_id and _key(host.expected_id) in by_id and _key(host.expected_id) not in keys:
            keys.append(_key(host.expected_id))
        claims[name] = keys
    by_name: t.Dict[str, t.List[str]] = {}
    for name, keys in claims.items():
        for key in keys:
            by_name.setdefault(key, []).append(name)

    # The host that keeps a resource claimed by several: the one whose expected name it is, else the first by name.
    keeper: t.Dict[str, str] = {}
    for key, names in by_name.items():
        owners = strong.get(key) or names
        named = [n for n in owners if _key(parsed[n].expected_id) == key]
        keeper[key] = (named or sorted(owners))[0]

    rows: t.List[Row] = []
    seen: t.Set[str] = set()
    decisions: t.Dict[str, Row] = {}
    for name in sorted(parsed):
        host = parsed[name]
        if name in cloned:
            used = [k for k in ([_key(host.local_id)] + by_vm.get(host.local_vm.lower(), [])) if k in by_id]
            row = _row(by_id[used[0]] if used else None, name, "clone", now, host.last_heartbeat)
            if not used:
                row["resource_id"] = host.local_id
                row["resource"] = _split(host.local_id)[2]
            row["kept_by"] = cloned[name]
            _decide_clone(row, host, policy, lang)
            rows.append(row)
            decisions[name] = row
            continue
        keys = claims[name]
        own = [k for k in keys if keeper.get(k) == name]
        others = [k for k in keys if keeper.get(k) != name]
        if not own and others:
            key = others[0]
            row = _row(by_id[key], name, "clone", now, host.last_heartbeat)
            row["kept_by"] = keeper[key]
            _decide_clone(row, host, policy, lang)
            rows.append(row)
            decisions[name] = row
            continue
        if not own:
            row = _row(None, name, "missing", now)
            row["resource"] = _split(host.expected_id)[2]
            row["resource_id"] = host.local_id or host.expected_id
            row["reason"] = text("reconcile.missing", lang, resource_id=row["resource_id"])
            row["action"] = "report"
            rows.append(row)
            decisions[name] = row
            continue
        # the resource its agent uses first, else the one at its expected name, else the first claimed
        own.sort(key=lambda k: (k != _key(host.local_id), k != _key(host.expected_id), k))
        primary = own[0]
        row = _row(by_id[primary], name, _status_outcome(_str(by_id[primary].get("status"))), now, host.last_heartbeat)
        _decide_owned(row, host, policy, lang)
        rows.append(row)
        decisions[name] = row
        seen.add(primary)
        for key in own[1:]:
            extra = _row(by_id[key], name, "duplicate", now)
            extra["action"] = "report"
            extra["reason"] = text("reconcile.duplicate", lang, host=name, resource_id=row["resource_id"])
            rows.append(extra)
            seen.add(key)
        seen.update(others)
    for key in sorted(by_id):
        if key in seen or key in by_name:
            continue
        row = _row(by_id[key], "", "orphan", now)
        _decide_orphan(row, policy, lang)
        rows.append(row)
    for row in rows:
        vm = row["vm_id"].lower()
        row["same_vm_id"] = [by_id[k].get("id") for k in by_vm.get(vm, []) if vm and k != _key(row["resource_id"])]

    counts: t.Dict[str, int] = {outcome: sum(1 for r in rows if r["outcome"] == outcome) for outcome in OUTCOMES}
    counts["rows"] = len(rows)
    for action in ACTIONS[2:]:
        counts[action] = sum(1 for r in rows if r["action"] == action and r["allowed"])
    lines = [text("reconcile.headline", lang, **counts)]
    for row in rows:
        if row["outcome"] != "connected":
            lines.append(_line(row, lang))
    return {
        "rows": rows,
        "counts": counts,
        "hosts": {name: {k: row.get(k) for k in _DECISION_KEYS} for name, row in decisions.items()},
        "delete": [{k: r[k] for k in ("resource_id", "resource", "resource_group", "subscription_id")}
                   for r in rows if r["action"] == "delete_orphan" and r["allowed"]],
        "reonboard": sorted(r["host"] for r in rows if r["action"] == "reonboard" and r["allowed"]),
        "reidentify": sorted(r["host"] for r in rows if r["action"] == "reidentify" and r["allowed"]),
        "policy": policy,
        "lines": lines,
    }


# The fields of a row that the per-host decision (``hosts``) carries.
_DECISION_KEYS = ("outcome", "action", "allowed", "resource_id", "resource", "resource_group", "subscription_id", "status", "reason",
                  "days_since_heartbeat")


def _line(row: Row, lang: str) -> str:
    what = row["host"] or row["resource"]
    days = row["days_since_heartbeat"]
    stale = row["status"] and row["status"].lower() != "connected"
    status = row["status"] + (text("reconcile.days", lang, days=days) if days is not None and stale else "")
    verdict = text("reconcile.will", lang, action=row["action"]) if row["allowed"] else row["reason"]
    return text("reconcile.line", lang, outcome=row["outcome"], what=what, status=status or "-", verdict=verdict)


def _decide_owned(row: Row, host: _Host, policy: t.Mapping[str, t.Any], lang: str) -> None:
    if row["outcome"] == "connected":
        return
    row["action"] = "reonboard"
    if not host.reachable:
        row["reason"] = text("reconcile.unreachable", lang, host=host.name, status=row["status"])
    elif not policy["reonboard"]:
        row["reason"] = text("reconcile.reonboard_blocked", lang, status=row["status"])
    else:
        row["allowed"] = True
        row["reason"] = text("reconcile.reonboard", lang, status=row["status"])
    if not row["allowed"]:
        row["action"] = "report"


def _decide_clone(row: Row, host: _Host, policy: t.Mapping[str, t.Any], lang: str) -> None:
    row["action"] = "report"
    if _key(host.expected_id) == _key(row["resource_id"]):
        row["reason"] = text("reconcile.clone_same_name", lang, host=host.name, keeper=row["kept_by"])
    elif not host.reachable:
        row["reason"] = text("reconcile.unreachable", lang, host=host.name, status=row["status"])
    elif not policy["reidentify_clones"]:
        row["reason"] = text("reconcile.clone_blocked", lang, keeper=row["kept_by"])
    else:
        row["action"] = "reidentify"
        row["allowed"] = True
        row["reason"] = text("reconcile.clone", lang, keeper=row["kept_by"])


def _decide_orphan(row: Row, policy: t.Mapping[str, t.Any], lang: str) -> None:
    row["action"] = "report"
    days = row["days_since_heartbeat"]
    if row["status"].lower() == "connected":
        row["reason"] = text("reconcile.orphan_connected", lang)
    elif not policy["delete_orphans"]:
        row["reason"] = text("reconcile.orphan_blocked", lang)
    elif days is None or days < int(policy["orphan_min_days"]):
        row["reason"] = text("reconcile.orphan_young", lang, days="?" if days is None else days, min_days=policy["orphan_min_days"])
    else:
        row["action"] = "delete_orphan"
        row["allowed"] = True
        row["reason"] = text("reconcile.orphan_delete", lang, days=days)


# --------------------------------------------------------------------------------------
# extensions before a disconnect or a re-onboarding
# --------------------------------------------------------------------------------------

def reconcile_report(*, decision: Facts, deleted: t.Sequence[Facts] = (), results: t.Mapping[str, object] | None = None,
                     check_mode: bool = False, lang: str = "en") -> Row:
    """The reconcile summary in the fleet report shape: ``title``, ``counts``, ``rows`` (each decision row with ``done``,
    ``ok``, ``changed`` and ``detail`` of what was carried out), ``by_outcome`` (chart series), ``lines`` and ``check_mode``.

    ``deleted``: the ``machine_resource state=absent`` results of the orphans (each with ``id``, ``changed``, ``failed``,
    ``msg``); ``results``: host -> its ``azcmagent_result`` after a re-onboarding or a new identity."""
    lang = normalize_lang(lang)
    results = results or {}
    by_id = {_key(d.get("id") or d.get("resource_id")): d for d in deleted if isinstance(d, Mapping)}
    rows: t.List[Row] = []
    for source in decision.get("rows") or []:
        row = dict(_map(source))
        row.update({"done": False, "ok": True, "changed": False, "detail": ""})
        if row.get("allowed") and row.get("action") == "delete_orphan":
            outcome = _map(by_id.get(_key(row.get("resource_id"))))
            if outcome:
                row["done"] = not check_mode
                row["ok"] = not outcome.get("failed")
                row["changed"] = bool(outcome.get("changed"))
                row["detail"] = _str(outcome.get("msg")) if outcome.get("failed") else ""
            else:
                row.update({"ok": False, "detail": text("reconcile.not_done", lang)})
        elif row.get("allowed") and row.get("action") in ("reonboard", "reidentify") and row.get("host"):
            result = _map(results.get(row["host"]))
            if result and check_mode:
                # a connect in check mode predicts, it does not repair: the row says what would be done, not how it went
                row["changed"] = bool(result.get("changed"))
            elif result:
                row["done"] = not check_mode
                row["ok"] = bool(result.get("ok"))
                row["changed"] = bool(result.get("changed"))
                row["state"] = _str(result.get("state"))
                row["detail"] = "" if row["ok"] else _str(result.get("message")) or _str(result.get("remediation"))
            else:
                row.update({"ok": False, "detail": text("reconcile.not_done", lang)})
        rows.append(row)
    counts = dict(_map(decision.get("counts")))
    counts["done"] = sum(1 for r in rows if r["done"] and r["ok"])
    counts["failed"] = sum(1 for r in rows if not r["ok"])
    counts["changed"] = sum(1 for r in rows if r["changed"])
    lines = list(decision.get("lines") or [])[:1]
    lines.append(text("reconcile.actions_line", lang, **counts))
    for row in rows:
        what = row.get("host") or row.get("resource")
        if row.get("allowed") and not row["ok"]:
            lines.append(text("reconcile.action_failed", lang, action=row.get("action"), what=what, detail=row["detail"]))
        elif row.get("allowed") and check_mode:
            lines.append(text("reconcile.action_would", lang, action=row.get("action"), what=what))
        elif row.get("allowed"):
            lines.append(text("reconcile.action_done", lang, action=row.get("action"), what=what, state=row.get("state") or "-"))
    lines.extend(line for line in list(decision.get("lines") or [])[1:])
    by_outcome = [{"label": outcome, "count": sum(1 for r in rows if r.get("outcome") == outcome)} for outcome in OUTCOMES]
    return {"title": text("reconcile.title", lang), "counts": counts, "rows": rows,
            "by_outcome": [b for b in by_outcome if b["count"]], "lines": lines, "check_mode": bool(check_mode),
            "policy": dict(_map(decision.get("policy")))}


def extension_gate(*, extensions: object, remove: bool, what: str, check_mode: bool = False, lang: str = "en") -> Row:
    """Whether a disconnect (``what``: ``disconnect`` or ``reonboard``) may go on given the machine's extensions.

    ``extensions`` is the list ``machine_resource_info`` returned for the machine (None when the machine was not
    found). Returns ``proceed`` (bool), ``remove`` (names to delete first), ``extensions`` (names) and ``message``."""
    lang = normalize_lang(lang)
    names = sorted(_str(e.get("name")) for e in extensions if isinstance(e, Mapping) and e.get("name")) \
        if isinstance(extensions, (list, tuple)) else []
    if not names:
        return {"proceed": True, "remove": [], "extensions": [], "cause": "", "remediation": "", "message": ""}
    listed = ", ".join(names)
    if not remove:
        cause = text("reconcile.extensions_block", lang, what=what, extensions=listed)
        remediation = text("reconcile.extensions_remedy", lang)
        return {"proceed": False, "remove": [], "extensions": names, "cause": cause, "remediation": remediation,
                "message": f"{cause}. {remediation}"}
    key = "reconcile.extensions_would_remove" if check_mode else "reconcile.extensions_remove"
    return {"proceed": True, "remove": names, "extensions": names, "cause": "", "remediation": "",
            "message": text(key, lang, what=what, extensions=listed)}
