# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The remediation plan: a diagnosis and a policy -> the ordered steps of the remediate role.

PRIVATE: this module_util is internal to the arcops.azcmagent collection and may change at any time.

* :data:`POLICY_SCHEMA` is the one home of the policy (``azcmagent_policy``, the ``policy`` of
  ``azcm_plan``): every key with its type, default and meaning. :data:`DEFAULT_POLICY` is derived
  from it; the role argument specs, role defaults and filter docs repeat it for Ansible, and a unit
  test fails when they disagree with it.
* :func:`plan` turns a diagnosis (``_diagnosis.diagnose``) and a policy into ordered steps
  ``{action, reason, code, destructive, reconnect, args}``. ``reconnect`` says whether the onboard
  role connects again once the step has been carried out (for ``retry`` and ``escalate`` the next
  connect is the step itself); it is false when the attempt budget is spent.

Pure functions (``plan`` draws jitter from ``random`` unless given ``rng``); standard library only,
Python 3.8+.
"""

from __future__ import annotations

import math
import random
import re
import typing as t
from collections.abc import Mapping

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import DESTRUCTIVE_ACTIONS
from ansible_collections.arcops.azcmagent.plugins.module_utils._conflict import conflict_kind
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import normalize_lang, text

Step = t.Dict[str, t.Any]
Policy = t.Dict[str, t.Any]


class PolicyKey(t.NamedTuple):
    """One key of the policy: its type (``bool``, ``int``, ``float``, ``str``), default and meaning."""

    type: str
    default: t.Any
    description: str


#: The policy schema, the one home of the policy keys (docs/architecture.md). ``attempt`` is not a
#: user setting: the onboard role passes the number of the connect attempt that just failed.
POLICY_SCHEMA: t.Mapping[str, PolicyKey] = {
    "reonboard": PolicyKey("bool", False, "Disconnect and connect again when connected elsewhere, Disconnected or Expired."),
    "delete_resource": PolicyKey("bool", False, "Delete a stale Azure resource (AZCM0044, AZCM0062, AZCM0081)."),
    "force_local_disconnect": PolicyKey("bool", False, "Run azcmagent disconnect --force-local-only."),
    "restart_services": PolicyKey("bool", True, "Restart the agent services."),
    "register_providers": PolicyKey("bool", False, "Register the resource providers Azure Arc needs."),
    "escalate": PolicyKey("bool", True, "Retry with privilege escalation (become) after AZCM0018."),
    "set_proxy": PolicyKey("bool", True, "Set proxy.url to proxy_url after a network failure."),
    "proxy_url": PolicyKey("str", "", "The proxy that set_proxy configures; empty means none."),
    "retry": PolicyKey("bool", True, "Retry transient failures."),
    "max_attempts": PolicyKey("int", 3, "Connect attempts in all."),
    "backoff_base": PolicyKey("float", 2, "Seconds of the first backoff; the delay doubles each attempt."),
    "backoff_max": PolicyKey("float", 60, "Longest backoff in seconds (before jitter and Retry-After)."),
    "jitter": PolicyKey("bool", True, "Add a random delay of up to half the backoff."),
    "attempt": PolicyKey("int", 1, "The number of the connect attempt that just failed (1 for the first)."),
}

#: Keys that the plan reads but users do not set (the onboard role passes them).
INTERNAL_POLICY_KEYS = frozenset(("attempt",))

#: What the remediate role may do on its own, plus ``attempt``.
DEFAULT_POLICY: t.Mapping[str, t.Any] = {key: spec.default for key, spec in POLICY_SCHEMA.items()}

_BOOL_KEYS = tuple(key for key, spec in POLICY_SCHEMA.items() if spec.type == "bool")
_INT_KEYS = tuple(key for key, spec in POLICY_SCHEMA.items() if spec.type == "int")
_NUMBER_KEYS = tuple(key for key, spec in POLICY_SCHEMA.items() if spec.type == "float")
_STR_KEYS = tuple(key for key, spec in POLICY_SCHEMA.items() if spec.type == "str")

#: Resource providers the agent needs (registered together by the register_providers action).
PROVIDER_NAMESPACES = ("Microsoft.HybridCompute", "Microsoft.GuestConfiguration", "Microsoft.HybridConnectivity")

# Categories that a plain retry cannot fix (a retry with a bad secret can even lock the account).
_NO_RETRY_CATEGORIES = frozenset(("credentials", "permissions", "input"))

# Fixes after which the plan adds a retry step (the retry waits the backoff before the next connect).
_RETRY_AFTER_FIX = frozenset(("restart_services", "register_providers", "set_proxy", "delete_resource"))

#: Steps after which the onboard role connects again (when the budget allows): the retries themselves and
#: every fix that changes what the next connect meets. check_network, report and none change nothing.
RECONNECT_ACTIONS = frozenset(("retry", "escalate")) | _RETRY_AFTER_FIX | frozenset(("force_local_disconnect", "reonboard"))


def _type_name(value: object) -> str:
    return type(value).__name__


def _unique(values: t.Iterable[t.Any]) -> list[t.Any]:
    seen: list[t.Any] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def validate_policy(policy: object) -> Policy:
    """Return the complete policy (defaults + policy); ValueError names a bad key and the expected type."""
    if policy is None:
        return dict(DEFAULT_POLICY)
    if not isinstance(policy, Mapping):
        raise ValueError(f"policy must be a dict of {', '.join(sorted(DEFAULT_POLICY))}, got {_type_name(policy)}")
    merged = dict(DEFAULT_POLICY)
    for key, value in policy.items():
        if key not in DEFAULT_POLICY:
            raise ValueError(f"unknown policy key {key!r}: expected one of {', '.join(sorted(DEFAULT_POLICY))}")
        if key in _BOOL_KEYS and not isinstance(value, bool):
            raise ValueError(f"policy key {key!r} must be a boolean (true/false), got {_type_name(value)} {value!r}")
        if key in _INT_KEYS and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise ValueError(f"policy key {key!r} must be an integer >= 1, got {_type_name(value)} {value!r}")
        if key in _NUMBER_KEYS and (isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf")):
            raise ValueError(f"policy key {key!r} must be a number >= 0 (seconds), got {_type_name(value)} {value!r}")
        if key in _STR_KEYS and not isinstance(value, str):
            raise ValueError(f"policy key {key!r} must be a string, got {_type_name(value)} {value!r}")
        merged[key] = value
    return merged


def backoff_delay(policy: t.Mapping[str, t.Any], retry_after: float = 0, rng: random.Random | None = None) -> int:
    """Seconds to wait before the next attempt: min(backoff_max, base * 2**(attempt-1)) + jitter, at least retry_after."""
    attempt = int(policy["attempt"])
    delay = min(float(policy["backoff_max"]), float(policy["backoff_base"]) * (2 ** min(attempt - 1, 30)))
    if policy["jitter"] and delay > 0:
        delay += (rng or random).uniform(0, delay / 2.0)
    return int(math.ceil(max(delay, float(retry_after or 0))))


def _check_diagnosis(diagnosis: object) -> None:
    if not isinstance(diagnosis, Mapping) or "ok" not in diagnosis or "actions" not in diagnosis:
        given = _type_name(diagnosis)
        if isinstance(diagnosis, Mapping):
            given = f"a dict with keys {', '.join(sorted(str(k) for k in diagnosis)[:12])}"
        raise ValueError(f"plan() expects a diagnosis (the output of azcm_diagnose, with keys ok, actions, findings, ...), got {given}")
    actions = diagnosis.get("actions")
    if not isinstance(actions, (list, tuple)) or not all(isinstance(a, str) for a in actions):
        raise ValueError(f"the diagnosis key 'actions' must be a list of action names, got {_type_name(actions)}")


def _step(action: str, reason: str, code: str | None, args: t.Mapping[str, t.Any] | None = None, *, reconnect: bool = False) -> Step:
    return {"action": action, "reason": reason, "code": code, "destructive": action in DESTRUCTIVE_ACTIONS, "reconnect": reconnect,
            "args": dict(args or {})}


# A machine resource ID as the agent prints it (a hint to the Azure resource of AZCM0044 / 0062 / 0081).
_MACHINE_ID_RE = re.compile(
    r"^/subscriptions/(?P<subscription_id>[^/]+)/resourceGroups/(?P<resource_group>[^/]+)"
    r"/providers/Microsoft\.HybridCompute/machines/(?P<resource_name>[^/?#\s]+)$", re.IGNORECASE)


def _conflict_args(code: object, diagnosis: t.Mapping[str, t.Any]) -> dict[str, str]:
    """The arguments of a delete_resource step (and of the report that stands for it when the policy blocks it).

    ``conflict``: the kind of conflict (``stale`` or ``partial``, see ``_conflict``), which the remediate role
    resolves in Resource Manager; ``hint_resource_id``: the machine resource ID the agent's output named, or ""."""
    hint = diagnosis.get("resource_id")
    match = _MACHINE_ID_RE.match(hint if isinstance(hint, str) else "")
    return {"conflict": conflict_kind(code), "hint_resource_id": match.string if match else ""}


def _details(finding: t.Mapping[str, t.Any]) -> t.Mapping[str, t.Any]:
    details = finding.get("details")
    return details if isinstance(details, Mapping) else {}


def _finding_hosts(findings: t.Sequence[t.Mapping[str, t.Any]]) -> list[str]:
    return _unique(_details(f).get("host") for f in findings if f.get("category") in ("network", "proxy", "dns", "tls"))


def _namespaces(findings: t.Sequence[t.Mapping[str, t.Any]]) -> list[str]:
    found = [_details(f).get("namespace") for f in findings if f.get("id") == "missing_subscription_registration"]
    return _unique(found + list(PROVIDER_NAMESPACES))


def _retry_after(findings: t.Sequence[t.Mapping[str, t.Any]]) -> int:
    values = [v for v in (_details(f).get("retry_after") for f in findings) if isinstance(v, int) and not isinstance(v, bool)]
    return max(values) if values else 0


def plan(diagnosis: t.Mapping[str, t.Any], policy: t.Mapping[str, t.Any] | None = None, lang: str = "en",
         rng: random.Random | None = None) -> list[Step]:
    """Return the ordered remediation steps for a diagnosis under a policy (see the module docstring)."""
    _check_diagnosis(diagnosis)
    full = validate_policy(policy)
    lang = normalize_lang(lang)
    code = diagnosis.get("azcm_code")
    reason = diagnosis.get("summary") or diagnosis.get("cause") or ""
    remediation = diagnosis.get("remediation") or diagnosis.get("summary") or ""
    findings = [f for f in diagnosis.get("findings") or () if isinstance(f, Mapping)]
    if diagnosis.get("ok"):
        return [_step("none", reason, code)]
    # A fix is followed by another connect only while the budget lasts.
    budget_left = full["attempt"] < full["max_attempts"]

    def blocked_report(action: str, key: str) -> Step:
        return _step("report", text("plan.blocked", lang, action=action, policy_key=key, remediation=remediation), code,
                     {"remediation": remediation, "blocked_action": action, "policy_key": key})

    def budget_report() -> Step:
        return _step("report", text("plan.budget", lang, attempt=full["attempt"], max_attempts=full["max_attempts"], remediation=remediation),
                     code, {"remediation": remediation, "attempt": full["attempt"], "max_attempts": full["max_attempts"]})

    def fix(action: str, args: t.Mapping[str, t.Any] | None = None) -> Step:
        return _step(action, reason, code, args, reconnect=budget_left and action in RECONNECT_ACTIONS)

    category = diagnosis.get("category")
    steps: list[Step] = []
    blocked = False
    needs_retry = False
    for action in diagnosis["actions"]:
        if action in ("none", "retry"):
            continue
        if action == "report":
            steps.append(_step("report", reason, code, {"remediation": remediation}))
            blocked = True
        elif action in DESTRUCTIVE_ACTIONS:
            # The conflicting resource is found in Resource Manager by the remediate role, which decides with
            # _conflict.decide; the resource ID the agent named, if any, travels as a hint only.
            conflict = _conflict_args(code, diagnosis) if action == "delete_resource" else {}
            if not full[action]:
                report = blocked_report(action, action)
                report["args"].update(conflict)
                steps.append(report)
                blocked = True
                continue
            steps.append(fix(action, conflict or None))
            if action == "delete_resource" and full["force_local_disconnect"]:
                steps.append(fix("force_local_disconnect"))
            needs_retry = needs_retry or action in _RETRY_AFTER_FIX
        elif action == "check_network":
            steps.append(fix("check_network", {"endpoints": _finding_hosts(findings)}))
            if full["set_proxy"] and full["proxy_url"] and any(f.get("category") in ("proxy", "network") for f in findings):
                steps.append(fix("set_proxy", {"proxy_url": full["proxy_url"]}))
                needs_retry = True
        elif action == "set_proxy":
            if full["set_proxy"] and full["proxy_url"]:
                steps.append(fix("set_proxy", {"proxy_url": full["proxy_url"]}))
                needs_retry = True
            else:
                steps.append(blocked_report(action, "set_proxy" if not full["set_proxy"] else "proxy_url"))
                blocked = True
        elif action in ("restart_services", "register_providers", "escalate"):
            if not full[action]:
                steps.append(blocked_report(action, action))
                blocked = True
                continue
            if action == "escalate":
                # A retry with become: it spends an attempt like any retry.
                if not budget_left:
                    steps.append(budget_report())
                    blocked = True
                else:
                    steps.append(fix("escalate", {"attempt": full["attempt"] + 1, "max_attempts": full["max_attempts"]}))
                continue
            steps.append(fix(action, {"namespaces": _namespaces(findings)} if action == "register_providers" else {}))
            needs_retry = True
        else:
            steps.append(_step("report", reason, code, {"remediation": remediation}))
            blocked = True

    wants_retry = "retry" in diagnosis["actions"] and full["retry"] and category not in _NO_RETRY_CATEGORIES
    if (needs_retry or wants_retry) and not blocked:
        if not budget_left:
            steps.append(budget_report())
        else:
            steps.append(fix("retry", {
                "delay": backoff_delay(full, _retry_after(findings), rng),
                "attempt": full["attempt"] + 1,
                "max_attempts": full["max_attempts"],
            }))
    if not steps:
        steps.append(_step("report", reason, code, {"remediation": remediation}))
    return _dedupe_steps(steps)


def _dedupe_steps(steps: t.Iterable[Step]) -> list[Step]:
    result: list[Step] = []
    seen: set[tuple[str, object]] = set()
    for step in steps:
        key = (step["action"], step["args"].get("blocked_action"))
        if key in seen:
            continue
        seen.add(key)
        result.append(step)
    return result
