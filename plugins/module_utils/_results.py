# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Per-host results (``azcmagent_result``), the remediate role's result and the fleet summary.

PRIVATE: this module_util is internal to the arcops.azcmagent collection and may change at any time.

The roles and playbooks collect what their tasks returned and hand it to the private filters
``_azcm_result``, ``_azcm_remediation_result`` and ``_azcm_fleet_summary``, which call the pure
functions here. Every builder takes keyword arguments only (what the tasks registered) and returns
plain data; every sentence comes from the text table (``_texts``, area ``results``) in ``lang``.

* :func:`onboard_result`, :func:`offboard_result`, :func:`remediate_result` (a connected host of
  the remediate playbook), :func:`diagnose_result`, :func:`upgrade_result`: the per-host result. Every one has the fields
  ``host``, ``ok``, ``state``, ``changed``, ``repaired``, ``code``, ``initial_code``, ``category``,
  ``cause``, ``remediation``, ``summary``, ``message``, ``attempts`` and ``actions``, plus its own.
* :func:`remediation_result`: ``azcmagent_remediation_result`` of the remediate role, including
  ``escalated`` and ``reconnect`` (whether the onboard role connects again).
* :func:`fleet_summary`: counts, failures grouped by code and category, repairs by code, the
  chart series and the printed lines of a run.
"""

from __future__ import annotations

import re
import typing as t
from collections.abc import Mapping

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import lookup
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_console import extract_codes
from ansible_collections.arcops.azcmagent.plugins.module_utils._show import STOPPED_STATUSES as _SHOW_STOPPED_STATUSES
from ansible_collections.arcops.azcmagent.plugins.module_utils._show import stopped_services as _show_stopped
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import normalize_lang, text
from ansible_collections.arcops.azcmagent.plugins.module_utils._versions import support_finding, support_status

Record = t.Dict[str, t.Any]
Facts = t.Mapping[str, t.Any]

# The catalog and the parser are not typed yet: give them their types here.
_lookup = t.cast(t.Callable[[str, str], t.Mapping[str, t.Any]], lookup)
_extract_codes = t.cast(t.Callable[[str], t.List[str]], extract_codes)

#: Service states (as the info module reports them) that count as stopped (one home: ``_show``).
STOPPED_STATUSES = _SHOW_STOPPED_STATUSES

#: Summary titles per kind of run; any other title is shown as given.
SUMMARY_KINDS = ("onboard", "offboard", "remediate", "diagnose", "upgrade")

#: Actions that change nothing when they are planned but not carried out: the remediate role counts them
#: for ``reconnect`` also in check mode (the next connect is the step itself).
_CONNECT_STEPS = ("retry", "escalate")

_TRAILING_DOT_RE = re.compile(r"\.$")

#: The outcomes of the per-code chart, in the order a code's bars are drawn.
_OUTCOME_ORDER = ("failed", "repaired", "success")

_TRUE_STRINGS = frozenset(("y", "yes", "on", "1", "true", "t"))


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------

def _bool(value: object) -> bool:
    """What Ansible's ``bool`` filter makes of a value (a templated ``"True"`` included)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in _TRUE_STRINGS
    if isinstance(value, (int, float)):
        return value == 1
    return False


def _map(value: object) -> Facts:
    return value if isinstance(value, Mapping) else {}


def _maps(value: object) -> list[Facts]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, (list, tuple)) else []


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _undot(sentence: object) -> str:
    """A sentence without its final full stop (the message adds its own)."""
    return _TRAILING_DOT_RE.sub("", _str(sentence))


def _message(host: str, code: str | None, category: str, cause: object, remediation: str, lang: str) -> str:
    return text("results.message", lang, host=host, code=code or text("results.no_code", lang), category=category, cause=_undot(cause),
                remediation=remediation)


def stopped_services(info: object) -> list[str]:
    """Names of the agent's services in use that are stopped: the ``info`` module's ``stopped_services``, or, for an
    older result that has none, computed from its ``services`` (a service the agent does not use never counts)."""
    if isinstance(info, Mapping) and isinstance(info.get("stopped_services"), (list, tuple)):
        return [_str(name) for name in info["stopped_services"]]
    services = info.get("services") if isinstance(info, Mapping) else info
    return _show_stopped(list(_maps(services)), info.get("config") if isinstance(info, Mapping) and isinstance(info.get("config"), Mapping) else None)


# --------------------------------------------------------------------------------------
# check mode: what the real run will do
# --------------------------------------------------------------------------------------

#: Steps that change what made a connect fail, so that the next connect can succeed. In check mode a connect never
#: fails for a passing reason (nothing runs), so a plan of retries, network checks and reports repairs nothing.
FIXING_ACTIONS = ("restart_services", "escalate", "register_providers", "set_proxy", "force_local_disconnect", "delete_resource",
                  "reonboard")

#: Agent statuses of a finished onboarding (anything else with a resource ID is an interrupted connect).
_ONBOARDED_STATUSES = ("connected", "disconnected", "expired")

#: The code a connect prints for what a read-only probe of Resource Manager (with the connect's own identity) found.
_ARM_FORECAST_CODES = {"credentials": 41, "permissions": 42, "providers": 42}


def forecast_connect(*, connect: Facts | None, info: Facts | None = None, arm: Facts | None = None, preflight: Facts | None = None,
                     stopped: t.Sequence[str] = (), lang: str = "en") -> Record:
    """Check mode: what ``azcmagent connect`` will do, from read-only probes, as a module result for ``azcm_diagnose``.

    ``connect`` is the connect module's check-mode result (it ran nothing); ``info`` the info module's facts (status,
    resource ID, vmId); ``arm`` what machine_resource_info answered for the requested name WITH THE CONNECT'S OWN
    IDENTITY (its failure says whether the credentials, the role or the resource provider will fail the connect; the
    machine it finds says whether AZCM0044 or AZCM0062 will); ``preflight`` the check module's result; ``stopped``
    the agent services that are not running. A connect that will fail gives ``failed`` with the code the agent prints
    (``rc``) and the Azure answer's own text (``stdout``), so the diagnosis and the plan are those of the real run;
    otherwise the check-mode result comes back as it is. ``forecast`` in the result says which probe decided."""
    connect = _map(connect)
    if connect.get("failed") or not _bool(connect.get("changed")):
        return dict(connect, forecast="connect")
    info = _map(info)
    arm = _map(arm)
    preflight = _map(preflight)
    lines: list[str] = []
    rc = 0
    why = ""
    if stopped:
        rc, why = 64, "services"
        lines.append(_lookup("AZCM0064", lang)["cause"] + ": " + ", ".join(_str(s) for s in stopped))
    elif preflight and not _bool(preflight.get("ok", True)):
        rc, why = 26, "network"
        lines += [_str(f.get("evidence")) or _str(f.get("cause")) for f in _maps(preflight.get("findings"))] or [_str(preflight.get("summary"))]
    elif arm.get("failed") or (arm and "machines" not in arm and arm.get("msg")):
        # (the role registers the probe with failed_when false: a refusal then has no machines, only the Azure answer)
        code = _ARM_FORECAST_CODES.get(_str(arm.get("category")))
        if arm.get("arm_code") == "MissingSubscriptionRegistration":
            code = 42
        if code:
            rc, why = code, "azure"
            lines.append(_str(arm.get("error_message")) or _str(arm.get("msg")))
    else:
        machines = _maps(arm.get("machines"))
        found = machines[0] if machines else {}
        # the info module returns `show` as the agent printed it: its vmId is this machine's
        local_vm = (_str(info.get("vm_id")) or _str(_map(info.get("show")).get("vmId"))).lower()
        # a connect that would run although the agent has a resource ID resumes an interrupted one (`show` prints such a
        # state as Disconnected: the connect module read the agent's own record to tell them apart)
        pending = bool(connect.get("resource_id")) or (bool(info.get("resource_id"))
                                                       and _str(info.get("status")).lower() not in _ONBOARDED_STATUSES)
        if found and _str(found.get("vm_id")).lower() != local_vm:
            rc, why = 44, "azure"
            lines.append(f"A resource with the name '{_str(found.get('name'))}' already exists for another machine "
                         f"(Resource ID={_str(found.get('id'))}, VM Id={_str(found.get('vm_id'))})")
        elif found and pending:
            rc, why = 62, "azure"
            lines.append(f"The resource {_str(found.get('id'))} already exists in Azure from a previous incomplete connect attempt")
    if not rc:
        return dict(connect, forecast="connect")
    return {"changed": False, "failed": True, "rc": rc, "msg": " ".join(lines), "stdout": "\n".join(lines), "stderr": "",
            "state": connect.get("state") or info.get("status") or "", "forecast": why}


def _forecast(ok: bool, connect: Facts, plan: t.Sequence[Facts], steps: t.Sequence[Facts]) -> Record:
    """What the real run will end with, from a check-mode run of the onboard role: its last connect (which ran nothing)
    and the plan and the steps of the remediate role for it (which, in check mode, ran only their read-only lookups)."""
    if ok:
        changed = _bool(connect.get("changed"))
        return {"ok": True, "state": "Connected" if changed else _str(connect.get("state")), "changed": changed, "repaired": False,
                "actions": []}
    actions = [_str(step.get("action")) for step in plan]
    failed_step = any(s.get("done") and not s.get("ok") for s in steps)
    blocked = [s for s in steps if not _bool(s.get("allowed", True))]
    fixes = [a for a in actions if a in FIXING_ACTIONS]
    repairs = (bool(fixes) and not failed_step and not blocked and all(a in FIXING_ACTIONS or a in _CONNECT_STEPS for a in actions)
               and any(_bool(step.get("reconnect")) for step in plan))
    if repairs:
        return {"ok": True, "state": "Connected", "changed": True, "repaired": True, "actions": actions}
    return {"ok": False, "state": _str(connect.get("state")), "changed": False, "repaired": False, "actions": actions}


# --------------------------------------------------------------------------------------
# per-host results
# --------------------------------------------------------------------------------------

def onboard_result(*, host: str, failed: bool, connect: Facts | None, diagnosis: Facts | None, plan: t.Sequence[Facts] | None,
                   actions: t.Sequence[Facts], escalated: bool, check_mode: bool, preflight: str = "", lang: str = "en") -> Record:
    """The result of the onboard role, from the facts of its connect attempts.

    ``actions`` holds the connects and the remediation steps in order; ``diagnosis`` and ``plan`` are those of
    the last attempt; ``connect`` is its module result."""
    lang = normalize_lang(lang)
    ok = not failed
    diagnosis = _map(diagnosis)
    actions = _maps(actions)
    connects = [a for a in actions if a.get("action") == "connect"]
    first = connects[0] if connects else {}

    # why the plan stopped: a step that the policy blocked or the spent budget says it better than the catalog
    note = ""
    for step in _maps(plan):
        args = _map(step.get("args"))
        if step.get("action") == "report" and ("blocked_action" in args or "max_attempts" in args):
            note = _str(step.get("reason"))
    network = ""
    for step in actions:
        if step.get("action") == "check_network" and step.get("detail"):
            network = _str(step.get("detail"))
    # a remediation step that failed: say which and why, so the operator knows the automatic fix did not happen
    failed_steps = [a for a in actions if a.get("action") != "connect" and a.get("done") and not a.get("ok")]
    remediation = note or _str(diagnosis.get("remediation"))
    if network:
        remediation += f" {network}"
    if failed_steps:
        last = failed_steps[-1]
        detail = _undot(last.get("detail") or text("results.no_detail", lang))
        remediation += " " + text("results.step_failed", lang, action=last.get("action"), detail=detail)

    forecast: Record = {}
    if check_mode:
        # check mode ran nothing: say what the real run will end with, and judge the host by that
        last_connect = max([i for i, a in enumerate(actions) if a.get("action") == "connect"] or [-1])
        forecast = _forecast(ok, _map(connect), _maps(plan), actions[last_connect + 1:])
        ok = ok or forecast["ok"]
    code = None if ok else diagnosis.get("azcm_code")
    category = _str(diagnosis.get("category")) or "unknown"
    cause = "" if ok else _str(diagnosis.get("cause"))
    result = {
        "host": host,
        "ok": ok,
        "state": _str(_map(connect).get("state")),
        "changed": any(_bool(a.get("changed")) for a in actions),
        "repaired": ok and len(connects) > 1,
        "code": code,
        "initial_code": first.get("code") if not first.get("ok", True) else None,
        "category": "success" if ok else category,
        "cause": cause,
        "remediation": "" if ok else remediation,
        "summary": _str(diagnosis.get("summary")),
        "message": "" if ok else _message(host, code, category, cause, remediation, lang),
        "attempts": len(connects),
        "escalated": bool(escalated),
        "check_mode": bool(check_mode),
        "preflight": preflight or "",
        "actions": [dict(a) for a in actions],
    }
    if check_mode:
        result["forecast"] = forecast
        result["repaired"] = forecast["repaired"]
        result["changed"] = result["changed"] or forecast["changed"]
        if ok:
            result.update({"remediation": "", "message": "", "cause": "", "category": "success"})
    return result


def offboard_result(*, host: str, failed: bool, disconnect: Facts | None, diagnosis: Facts | None, force_local_only: bool,
                    remove_state: bool = False, state_paths: t.Sequence[str] = (), log_file: str = "",
                    package_removal: Facts | None = None, state_removal: Facts | None = None, lang: str = "en") -> Record:
    """The result of the offboard role.

    The removal of the state directories is refused (the host fails with category ``input``) when it was asked for,
    the disconnect worked, and no directory could be derived (``state_paths`` empty)."""
    lang = normalize_lang(lang)
    diagnosis = _map(diagnosis)
    disconnect = _map(disconnect)
    state_removal = _map(state_removal)
    refused = bool(remove_state) and not failed and not state_paths
    note = text("results.state_refused", lang, log_file=log_file or text("results.none_reported", lang))
    code = diagnosis.get("azcm_code") if failed else None
    category = _str(diagnosis.get("category")) or "unknown"
    if failed:
        remediation = _str(diagnosis.get("remediation"))
        message = _message(host, code, category, diagnosis.get("cause"), remediation, lang)
    elif refused:
        remediation, message = note, f"{host}: {note}"
    else:
        remediation = message = ""
    return {
        "host": host,
        "ok": not failed and not refused,
        "state": _str(disconnect.get("state")),
        "state_dirs_removed": [r.get("path") for r in _maps(state_removal.get("results")) if _bool(r.get("changed"))],
        "changed": any(_bool(r.get("changed")) for r in (disconnect, _map(package_removal), state_removal)),
        "repaired": False,
        "code": code,
        "initial_code": code,
        "category": category if failed else "input" if refused else "success",
        "cause": _str(diagnosis.get("cause")) if failed else "",
        "remediation": remediation,
        "summary": _str(diagnosis.get("summary")),
        "message": message,
        "attempts": 1,
        "actions": [{
            "action": "force_local_disconnect" if force_local_only else "disconnect",
            "ok": not failed,
            "changed": _bool(disconnect.get("changed")),
            "code": diagnosis.get("azcm_code"),
        }],
    }


def remediate_result(*, host: str, health: Facts, remediation: Facts | None, check_mode: bool, lang: str = "en") -> Record:
    """The result of a connected host of the remediate playbook (stopped agent services restarted or not).

    Repaired only when a step was really done AND the verification shows the agent Connected with every service running;
    in check mode a host counts as ok when the plan would restart its services."""
    lang = normalize_lang(lang)
    fix = _map(remediation)
    steps = _maps(fix.get("steps"))
    stopped = stopped_services(health)
    needed = bool(stopped)
    done = any(s.get("done") and s.get("ok") and s.get("action") not in ("report", "none") for s in steps)
    verified = _bool(fix.get("verified"))
    verified_ok = verified and _bool(fix.get("connected")) and not fix.get("stopped_services", ["unknown"])
    repaired = needed and done and verified_ok
    would = bool(check_mode) and any(s.get("action") == "restart_services" and s.get("allowed") for s in steps)
    ok = not needed or repaired or would

    entry = _lookup("AZCM0064", lang)
    blocked = [_str(s.get("reason")) for s in steps if s.get("action") == "report"]
    failed_steps = [s for s in steps if s.get("done") and not s.get("ok")]
    remedy = blocked[0] if blocked else _str(entry["remediation"])
    if failed_steps:
        remedy += " " + text("results.remediate_step_failed", lang, action=failed_steps[0].get("action"), detail=failed_steps[0].get("detail"))
    if verified and not verified_ok:
        services = ", ".join(fix.get("stopped_services") or ()) or text("results.none", lang)
        remedy += " " + text("results.still_stopped", lang, state=fix.get("state") or text("results.unknown", lang), services=services)

    names = ", ".join(stopped)
    if not needed:
        summary = text("results.healthy", lang)
    elif repaired:
        summary = text("results.restarted", lang, services=names)
    elif would:
        summary = text("results.would_restart", lang, services=names)
    else:
        summary = text("results.not_repaired", lang, services=names)
    result: Record = {
        "host": host,
        "ok": ok,
        "state": fix.get("state") if verified else health.get("status"),
        "changed": _bool(fix.get("changed")),
        "repaired": repaired,
        "code": None if ok else "AZCM0064",
        "initial_code": "AZCM0064" if needed else None,
        "category": "success" if ok else "agent_service",
        "cause": "" if ok else _str(entry["cause"]),
        "remediation": "" if ok else remedy,
        "summary": summary,
        "message": "" if ok else _message(host, "AZCM0064", "agent_service", entry["cause"], remedy, lang),
        "attempts": 0,
        "check_mode": bool(check_mode),
        "actions": [dict(s) for s in steps],
    }
    if check_mode:
        # what the real run will end with: a connected agent stays so; its stopped services restarted when the plan may
        result["forecast"] = {"ok": ok, "state": _str(health.get("status")), "changed": would, "repaired": would,
                              "actions": ["restart_services"] if would else []}
    return result


def diagnose_result(*, host: str, info: Facts, check: Facts | None, logs: str = "", lang: str = "en") -> Record:
    """The result of the diagnose playbook for one host (read-only: agent state, network check, log bundle)."""
    lang = normalize_lang(lang)
    check = _map(check)
    status = _str(info.get("status"))
    stopped = stopped_services(info)
    findings = _maps(check.get("findings"))
    network_ok = _bool(check.get("ok", True))
    healthy = _bool(info.get("connected")) and not stopped and network_ok
    codes = _extract_codes(_str(info.get("error_code")))
    code = codes[0] if codes else "AZCM0064" if stopped else None
    finding = findings[0] if findings else {}
    category = finding.get("category", "agent_service" if stopped else "not_connected")
    if "cause" in finding:
        cause = finding["cause"]
    else:
        cause = _lookup("AZCM0064", lang)["cause"] if stopped else text("results.agent_is", lang, status=status)
    if "remediation" in finding:
        remedy = finding["remediation"]
    else:
        remedy = _lookup(code, lang)["remediation"] if code else text("results.onboard_it", lang)
    return {
        "host": host,
        "ok": healthy,
        "state": status,
        "changed": False,
        "repaired": False,
        "code": code,
        "initial_code": code,
        "category": "success" if healthy else category,
        "cause": "" if healthy else cause,
        "remediation": "" if healthy else remedy,
        "summary": _str(check.get("summary")),
        "attempts": 0,
        "actions": [],
        "message": "" if healthy else text("results.diagnose_message", lang, host=host, code=code or status, remediation=remedy),
        "network_ok": network_ok,
        # the check's findings, then the agent's support window (neither changes ok: an old agent still works)
        "findings": [dict(f) for f in findings] + _support_findings(info.get("version"), lang),
        "logs": logs or "",
        "version": _str(info.get("version")),
        "support": support_status(_str(info.get("version"))),
    }


def _support_findings(version: object, lang: str) -> list[Record]:
    found = support_finding(version, None, lang)
    return [dict(found)] if found else []


def upgrade_result(*, host: str, install: Facts | None, before: Facts | None, after: Facts | None, today: object = None,
                   check_mode: bool = False, lang: str = "en") -> Record:
    """The result of the upgrade playbook for one host: the install role's ``azcmagent_install_result`` of the upgrade,
    and the info module's facts before and after it.

    ``support_before`` / ``support_after`` place each version against Microsoft's support window on ``today``
    (``_versions.support_status``); ``findings_before`` / ``findings`` hold the ``agent_out_of_support`` finding of each."""
    lang = normalize_lang(lang)
    install, before, after = _map(install), _map(before), _map(after)
    version_before = _str(before.get("version")) or _str(install.get("version_before"))
    version_after = _str(after.get("version")) or _str(install.get("version_after")) or version_before
    failed = _bool(install.get("failed"))
    action = _str(install.get("action"))
    method = _str(install.get("upgrade_method"))
    upgraded = not failed and bool(version_before) and version_after != version_before
    found_before = support_finding(version_before, today, lang)
    found_after = support_finding(version_after, today, lang)
    if failed:
        summary = _str(install.get("message"))
    elif action == "not_installed" or not version_before:
        summary = text("results.not_installed", lang)
    elif upgraded:
        summary = text("results.upgraded", lang, before=version_before, after=version_after, method=method)
    elif check_mode and action == "upgrade":
        summary = text("results.would_upgrade", lang, before=version_before, method=method)
    else:
        summary = text("results.up_to_date", lang, version=version_before)
    code = _str(install.get("code")) or None if failed else None
    category = (_str(install.get("category")) or "install") if failed else "success"
    cause = (_str(install.get("cause")) or text("results.upgrade_failed_cause", lang)) if failed else ""
    remediation = _str(install.get("remediation")) if failed else ""
    return {
        "host": host,
        "ok": not failed,
        "state": _str(after.get("status")) or _str(before.get("status")),
        "changed": _bool(install.get("changed")),
        "repaired": False,
        "code": code,
        "initial_code": code,
        "category": category,
        "cause": cause,
        "remediation": remediation,
        "summary": summary,
        "message": _message(host, code, category, cause, remediation, lang) if failed else "",
        "attempts": 1 if action == "upgrade" else 0,
        "actions": [{"action": "upgrade", "method": method, "ok": not failed, "changed": _bool(install.get("changed"))}]
        if action == "upgrade" else [],
        "check_mode": bool(check_mode),
        "upgraded": upgraded,
        "upgrade_method": method,
        "version_before": version_before,
        "version_after": version_after,
        "support_before": support_status(version_before, today),
        "support_after": support_status(version_after, today),
        "findings_before": [dict(found_before)] if found_before else [],
        "findings": [dict(found_after)] if found_after else [],
    }


# --------------------------------------------------------------------------------------
# the remediate role
# --------------------------------------------------------------------------------------

def remediation_result(*, steps: t.Sequence[Facts], verify: Facts | None = None) -> Record:
    """``azcmagent_remediation_result`` of the remediate role, from its recorded steps and the verification (info module).

    ``reconnect`` is true when a step whose plan entry asks for it (``reconnect``) was carried out (a retry or escalate
    step also when it was only planned, in check mode), no step failed, and no check_network step found the endpoints
    unreachable unless a set_proxy step was done too."""
    steps = _maps(steps)
    verify = _map(verify)
    ok = not any(s.get("done") and not s.get("ok") for s in steps)
    network_ok = all(_bool(s["network_ok"]) for s in steps if "network_ok" in s)
    proxy_set = any(s.get("action") == "set_proxy" and s.get("done") for s in steps)
    asks = any(_bool(s.get("reconnect")) and (s.get("done") or s.get("action") in _CONNECT_STEPS) for s in steps)
    return {
        "ok": ok,
        "changed": any(_bool(s.get("changed")) for s in steps),
        "state": _str(verify.get("status")),
        "verified": "status" in verify,
        "connected": _bool(verify.get("connected", False)),
        "stopped_services": stopped_services(verify),
        "steps": [dict(s) for s in steps],
        "network_ok": network_ok,
        "escalated": any(s.get("action") == "escalate" and s.get("done") and s.get("ok") for s in steps),
        "reconnect": ok and asks and (network_ok or proxy_set),
    }


# --------------------------------------------------------------------------------------
# the fleet summary
# --------------------------------------------------------------------------------------

def _row(host: str, result: object, lang: str) -> Record:
    if not isinstance(result, Mapping):
        return {"host": host, "ok": False, "state": "NoResult", "changed": False, "repaired": False, "code": "", "initial_code": "",
                "category": "unknown", "attempts": 0, "remediation": text("results.no_result", lang),
                "message": text("results.no_result_message", lang, host=host)}
    return {
        "host": host,
        "ok": _bool(result.get("ok")),
        "state": result.get("state") or "Unknown",
        "changed": _bool(result.get("changed", False)),
        "repaired": _bool(result.get("repaired", False)),
        "code": result.get("code") or "",
        "initial_code": result.get("initial_code") or "",
        "category": result.get("category", "unknown"),
        "remediation": result.get("remediation", ""),
        "attempts": result.get("attempts", 0),
        "message": result.get("message", ""),
    }


def _fold(value: t.Any) -> t.Any:
    return value.lower() if isinstance(value, str) else value


def _groups(rows: t.Iterable[Record], key: str) -> list[tuple[t.Any, list[Record]]]:
    """Rows grouped by a key as Jinja's ``groupby`` groups them: case-insensitively, groups in the key's order,
    rows in their order, each group named by its first row."""
    groups: dict[t.Any, list[Record]] = {}
    for row in rows:
        groups.setdefault(_fold(row[key]), []).append(row)
    return [(members[0][key], members) for _folded, members in sorted(groups.items(), key=lambda item: item[0])]


def summary_title(kind: str, lang: str = "en") -> str:
    """The title of a summary: the text of a known kind (``onboard``, ...), else the kind as given."""
    return text(f"results.title_{kind}", lang) if kind in SUMMARY_KINDS else kind


def fleet_summary(*, results: t.Mapping[str, object], title: str = "", check_mode: bool = False, lang: str = "en") -> Record:
    """The summary of a run over the hosts of ``results`` (host name -> its ``azcmagent_result``, or None when it has none).

    Keys: ``title``, ``counts``, ``failures`` (per code and category, every distinct remediation with its hosts),
    ``repairs`` (per first code), ``by_state`` and ``by_code`` (chart series; each ``by_code`` item has an ``outcome``:
    ``failed`` (by the code that is left), ``repaired`` (by the code that was repaired) or ``success``),
    ``out_of_support`` (hosts whose result holds an ``agent_out_of_support`` finding), ``hosts`` (one row per host, sorted),
    ``lines`` (what the playbook prints) and ``check_mode``. ``counts.connected`` counts the hosts that ended ok and
    Connected, not a host that failed because it is still connected to another target."""
    lang = normalize_lang(lang)
    title = title or text("results.title_default", lang)
    rows = [_row(host, results[host], lang) for host in sorted(results)]
    failed = [r for r in rows if not r["ok"]]
    ok_rows = [r for r in rows if r["ok"]]

    failures: list[Record] = []
    for code, by_code in _groups(failed, "code"):
        for category, members in _groups(by_code, "category"):
            texts: list[str] = []
            for member in members:
                if member["remediation"] not in texts:
                    texts.append(member["remediation"])
            remediations = [{"remediation": rem, "hosts": [m["host"] for m in members if m["remediation"] == rem]} for rem in texts]
            failures.append({"code": code or "none", "category": category, "count": len(members), "hosts": [m["host"] for m in members],
                             "remediations": remediations, "remediation": " / ".join(texts)})
    repaired = [r for r in ok_rows if r["repaired"]]
    repairs: list[Record] = [{"code": code or "none", "count": len(members), "hosts": [m["host"] for m in members]}
                             for code, members in _groups(repaired, "initial_code")]
    by_state = [{"label": state, "count": len(members)} for state, members in _groups(rows, "state")]
    # per code, a repaired host apart from a failed one: (label, outcome) with outcome failed, repaired or success
    outcomes = [(r["code"] or "none", "failed") if not r["ok"] else (r["initial_code"], "repaired") if r["repaired"] and r["initial_code"]
                else ("success", "success") for r in rows]
    by_code = [{"label": label, "outcome": outcome, "count": outcomes.count((label, outcome))}
               for label, outcome in sorted(set(outcomes), key=lambda item: (item[0], _OUTCOME_ORDER.index(item[1])))]
    out_of_support = [host for host in sorted(results) if any(_map(f).get("id") == "agent_out_of_support"
                                                              for f in _maps(_map(results[host]).get("findings")))]
    counts = {
        "hosts": len(rows),
        # connected to the requested target: a host still connected elsewhere reports Connected but failed
        "connected": sum(1 for r in ok_rows if r["state"] == "Connected"),
        "ok": len(ok_rows),
        "changed": sum(1 for r in rows if r["changed"]),
        "unchanged": sum(1 for r in ok_rows if not r["changed"]),
        "repaired": sum(1 for r in ok_rows if r["repaired"]),
        "failed": len(failed),
    }

    lines = [text("results.headline", lang, title=title, **counts)]
    for group in repairs:
        lines.append(text("results.repaired_line", lang, code=group["code"], count=group["count"], hosts=", ".join(group["hosts"])))
    for group in failures:
        fields = {"code": group["code"], "category": group["category"], "count": group["count"], "hosts": ", ".join(group["hosts"])}
        if len(group["remediations"]) == 1:
            lines.append(text("results.failed_line", lang, remediation=group["remediation"], **fields))
        else:
            lines.append(text("results.failed_group", lang, **fields))
            for entry in group["remediations"]:
                lines.append("  " + text("results.failed_member", lang, hosts=", ".join(entry["hosts"]), remediation=entry["remediation"]))
    if out_of_support:
        lines.append(text("results.out_of_support_line", lang, count=len(out_of_support), hosts=", ".join(out_of_support)))
    return {"title": title, "counts": counts, "failures": failures, "repairs": repairs, "by_state": by_state, "by_code": by_code,
            "out_of_support": out_of_support, "hosts": rows, "lines": lines, "check_mode": bool(check_mode)}
