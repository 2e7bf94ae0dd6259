# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Diagnosis (what went wrong) and plan (what to do about it) for an agent run.

PRIVATE: this module is private to the arcops.azcmagent collection and may change at any time.

* :func:`diagnose` takes a text, a list of lines, a registered result of one of our modules
  or of ``ansible.builtin.command`` / ``shell`` and returns a diagnosis dict: ``ok``,
  ``azcm_code``, ``azcm_codes``, ``exit_code``, ``title``, ``cause``, ``remediation``,
  ``category``, ``retryable``, ``action``, ``findings``, ``actions``, ``summary``,
  ``unparsed``.
* :func:`plan` turns a diagnosis and a policy (what may be done automatically, see
  :data:`DEFAULT_POLICY`) into ordered steps ``{action, reason, code, destructive, args}``
  for the remediate role.

Both are pure functions (``plan`` draws jitter from ``random`` unless given ``rng``).
Standard library only, Python 3.8+.
"""

from __future__ import annotations

import math
import random
import re
import typing as t
from collections.abc import Mapping

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import (
    CodeError,
    DESTRUCTIVE_ACTIONS,
    lookup,
    normalize_code,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._classifier import (
    classify,
    rule_weight,
    strongest,
    translate_finding,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_console import ScanResult, code_from_exit_status, scan_output
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import normalize_lang, text as _text


#: What the remediate role may do on its own (docs/architecture.md), plus ``attempt``:
#: the number of the connect attempt that just failed (1 for the first).
DEFAULT_POLICY = {
    "reonboard": False,
    "delete_resource": False,
    "force_local_disconnect": False,
    "restart_services": True,
    "register_providers": False,
    "escalate": True,
    "set_proxy": True,
    "proxy_url": "",
    "retry": True,
    "max_attempts": 3,
    "backoff_base": 2,
    "backoff_max": 60,
    "jitter": True,
    "attempt": 1,
}

_BOOL_KEYS = ("reonboard", "delete_resource", "force_local_disconnect", "restart_services", "register_providers", "escalate",
              "set_proxy", "retry", "jitter")
_INT_KEYS = ("max_attempts", "attempt")
_NUMBER_KEYS = ("backoff_base", "backoff_max")
_STR_KEYS = ("proxy_url",)

#: Resource providers the agent needs (registered together by the register_providers action).
PROVIDER_NAMESPACES = ("Microsoft.HybridCompute", "Microsoft.GuestConfiguration", "Microsoft.HybridConnectivity")

# Categories that a plain retry cannot fix (a retry with a bad secret can even lock the account).
_NO_RETRY_CATEGORIES = frozenset(("credentials", "permissions", "input"))

# Codes that only say "something failed"; a finding's more specific category and action win over them.
_GENERIC_CODES = frozenset((None, "AZCM0001", "AZCM0002", "AZCM0012", "AZCM0026", "AZCM0041", "AZCM0042", "AZCM0043", "AZCM0062",
                            "AZCM0063", "AZCM0068", "AZCM0101"))

# Actions after which connect is run again.
_RETRY_AFTER_FIX = frozenset(("restart_services", "register_providers", "set_proxy", "delete_resource"))

# The sentences of plan() (the diagnosis sentences are in _texts, block _DIAGNOSIS); they move with plan().
_TEXTS = {
    "en": {
        "budget": "The retry budget is spent (attempt {attempt} of {max_attempts}): {remediation}",
        "blocked": "The policy does not allow {action} (policy key {key}): {remediation}",
        "no_proxy": "No proxy_url is set in the policy to configure.",
        "no_resource": "The agent's output does not name the resource ID of the existing machine, so nothing is deleted: {remediation}",
    },
    "nl": {
        "budget": "Het aantal pogingen is op (poging {attempt} van {max_attempts}): {remediation}",
        "blocked": "Het beleid staat {action} niet toe (beleidssleutel {key}): {remediation}",
        "no_proxy": "Er is geen proxy_url in het beleid opgegeven om in te stellen.",
        "no_resource": "De uitvoer van de agent noemt de resource-ID van de bestaande machine niet, dus wordt er niets verwijderd: {remediation}",
    },
}

# Keys of a registered result whose text is diagnosed, in the order the text is assembled.
# ``msg`` counts only when the result holds no output: our modules' msg quotes the catalog,
# whose remediation texts would otherwise be classified as if the agent had printed them.
_TEXT_KEYS = (("stdout", "stdout_lines"), ("stderr", "stderr_lines"), (None, "log_lines"))


# --------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------

def _lines_text(value: t.Iterable[object], key: str) -> str:
    """Join a list of lines; every item must be a string."""
    parts = []
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise TypeError(f"{key} item {index} is {type(item).__name__} ({item!r}), expected a string: give a text, a list of strings "
                            "or a registered result")
        parts.append(item)
    return "\n".join(parts)


def _result_text(result: t.Mapping[str, t.Any]) -> str:
    """The text of a registered result: stdout, stderr and the agent log lines, else msg."""
    parts = []
    for text_key, lines_key in _TEXT_KEYS:
        value = result.get(text_key) if text_key else None
        if isinstance(value, str) and value:
            parts.append(value)
            continue
        lines = result.get(lines_key)
        if isinstance(lines, (list, tuple)) and lines:
            parts.append(_lines_text(lines, lines_key))
    msg = result.get("msg")
    if not parts and isinstance(msg, str):
        parts.append(msg)
    return "\n".join(parts)


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


class _Input(t.NamedTuple):
    """PRIVATE: what diagnose() reads from its input."""

    text: str
    rc: int | None = None
    failed: bool | None = None
    given_code: str | None = None
    given_findings: list[t.Mapping[str, t.Any]] | None = None
    same_target: bool = False


def _read_input(data: object) -> _Input:
    """Normalize the input: text, rc, failed, given code and findings, and whether the target was already reached."""
    if isinstance(data, str):
        return _Input(data)
    if isinstance(data, Mapping):
        rc = _as_int(data.get("rc"))
        raw_failed = data.get("failed")
        failed = bool(raw_failed) if isinstance(raw_failed, (bool, int)) else None
        raw_code = data.get("azcm_code")
        try:
            given = normalize_code(raw_code) if raw_code not in (None, "") else None
        except CodeError:
            given = None
        raw_findings = data.get("findings")
        findings = [f for f in raw_findings if isinstance(f, Mapping)] if isinstance(raw_findings, (list, tuple)) else None
        unchanged = data.get("changed") is False and not failed and rc in (None, 0)
        same_target = data.get("same_target") is True or (data.get("azcm_code") == "AZCM0067" and unchanged)
        return _Input(_result_text(data), rc, failed, given, findings, same_target)
    if isinstance(data, (list, tuple)):
        return _Input(_lines_text(data, "list"))
    raise TypeError(f"cannot diagnose {type(data).__name__}: expected a text, a list of strings or a registered result (a dict)")


# --------------------------------------------------------------------------------------
# Diagnosis
# --------------------------------------------------------------------------------------

def _sentence(sentence: str | None) -> str:
    sentence = (sentence or "").strip()
    if sentence and sentence[-1] not in ".!?":
        sentence += "."
    return sentence


def _summary(code: str | None, title: str | None, cause: str | None, remediation: str | None,
             finding: t.Mapping[str, t.Any] | None) -> str:
    parts = []
    if code:
        parts.append(f"{code} ({title}): {_sentence(cause)}")
    elif cause:
        parts.append(_sentence(cause))
    if finding and finding.get("cause") and finding.get("cause") != cause:
        parts.append(_sentence(finding["cause"]))
    if remediation:
        parts.append(_sentence(remediation))
    return " ".join(parts)


def _unique(values: t.Iterable[t.Any]) -> list[t.Any]:
    seen = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def diagnose(data: object, lang: str = "en") -> dict[str, t.Any]:
    """Diagnose a text, a list of lines, or a registered module / command result (see the module docstring)."""
    lang = normalize_lang(lang)
    text, rc, failed, given_code, given_findings, same_target = _read_input(data)

    scan: ScanResult | None = scan_output(text) if text else None
    codes = list(scan["codes"]) if scan else []
    exit_codes = scan["exit_codes"] if scan else []
    unparsed = len(scan["unparsed"]) if scan else 0
    resource_id = scan["resource_id"] if scan else None
    primary = given_code or (exit_codes[-1]["code"] if exit_codes else None) or (codes[-1] if codes else None)
    if primary is None and rc not in (None, 0):
        primary = code_from_exit_status(rc)
    if primary and primary not in codes:
        codes.append(primary)

    findings: list[t.Any]
    if text:
        findings = classify(text, lang)
    else:
        findings = [translate_finding(f, lang) for f in given_findings or ()]
    best = strongest(findings)

    ok = (primary in (None, "AZCM0000")) and not failed and rc in (None, 0) and (rc == 0 or failed is False or not findings)
    if primary == "AZCM0067" and same_target:
        ok = True

    if ok:
        entry = lookup(primary, lang) if primary else None
        cause = _text("diagnosis.same_target" if primary == "AZCM0067" else "diagnosis.ok", lang)
        return {
            "ok": True, "azcm_code": primary, "azcm_codes": codes, "exit_code": entry["exit_code"] if entry else (rc if rc is not None else 0),
            "title": entry["title"] if entry else None, "cause": cause, "remediation": None, "category": "success",
            "retryable": False, "action": "none", "findings": findings, "actions": ["none"],
            "summary": cause if primary in (None, "AZCM0000") or entry is None else f"{primary} ({entry['title']}): {cause}",
            "unparsed": unparsed,
            "resource_id": resource_id,
        }

    title: str | None
    exit_code: int | None
    if primary:
        entry = lookup(primary, lang)
        title, cause, remediation = entry["title"], entry["cause"], entry["remediation"]
        category, retryable, action, exit_code = entry["category"], entry["retryable"], entry["action"] or "report", entry["exit_code"]
    else:
        title, cause, remediation = None, _text("diagnosis.unknown", lang), _text("diagnosis.unknown_remediation", lang)
        category, retryable, action, exit_code = "unknown", False, "report", rc

    if best is not None and (primary in _GENERIC_CODES or category == "unknown"):
        # The finding says more precisely what went wrong than the code does.
        category, retryable, action = best["category"], best["retryable"], best["action"]
        remediation = best["remediation"]
        if not primary:
            cause = best["cause"]
    if category in _NO_RETRY_CATEGORIES:
        retryable = False

    # The diagnosis action first, then what the findings suggest, strongest first. A code action that a
    # finding overrode (e.g. force_local_disconnect for AZCM0043 with a ScopeLocked error) does not come back.
    ranked = sorted(findings, key=lambda f: -rule_weight(f.get("id")))
    actions = _unique([action] + [f.get("action") for f in ranked])
    if retryable and "retry" not in actions:
        actions.append("retry")
    if not retryable:
        actions = [a for a in actions if a != "retry"] or ["report"]
    return {
        "ok": False,
        "azcm_code": primary,
        "azcm_codes": codes,
        "exit_code": exit_code,
        "title": title,
        "cause": cause,
        "remediation": remediation,
        "category": category,
        "retryable": bool(retryable),
        "action": action,
        "findings": findings,
        "actions": actions,
        "summary": _summary(primary, title, cause, remediation, best if primary else None),
        "unparsed": unparsed,
        "resource_id": resource_id,
    }


# --------------------------------------------------------------------------------------
# Plan
# --------------------------------------------------------------------------------------

def _type_name(value):
    return type(value).__name__


def validate_policy(policy):
    """Return the complete policy (defaults + policy); ValueError names a bad key and the expected type."""
    if policy is None:
        return dict(DEFAULT_POLICY)
    if not isinstance(policy, Mapping):
        raise ValueError("policy must be a dict of %s, got %s" % (", ".join(sorted(DEFAULT_POLICY)), _type_name(policy)))
    merged = dict(DEFAULT_POLICY)
    for key, value in policy.items():
        if key not in DEFAULT_POLICY:
            raise ValueError("unknown policy key %r: expected one of %s" % (key, ", ".join(sorted(DEFAULT_POLICY))))
        if key in _BOOL_KEYS and not isinstance(value, bool):
            raise ValueError("policy key %r must be a boolean (true/false), got %s %r" % (key, _type_name(value), value))
        if key in _INT_KEYS and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise ValueError("policy key %r must be an integer >= 1, got %s %r" % (key, _type_name(value), value))
        if key in _NUMBER_KEYS and (isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf")):
            raise ValueError("policy key %r must be a number >= 0 (seconds), got %s %r" % (key, _type_name(value), value))
        if key in _STR_KEYS and not isinstance(value, str):
            raise ValueError("policy key %r must be a string, got %s %r" % (key, _type_name(value), value))
        merged[key] = value
    return merged


def backoff_delay(policy, retry_after=0, rng=None):
    """Seconds to wait before the next attempt: min(backoff_max, base * 2**(attempt-1)) + jitter, at least retry_after."""
    attempt = policy["attempt"]
    delay = min(float(policy["backoff_max"]), float(policy["backoff_base"]) * (2 ** min(attempt - 1, 30)))
    if policy["jitter"] and delay > 0:
        delay += (rng or random).uniform(0, delay / 2.0)
    return int(math.ceil(max(delay, float(retry_after or 0))))


def _check_diagnosis(diagnosis):
    if not isinstance(diagnosis, Mapping) or "ok" not in diagnosis or "actions" not in diagnosis:
        given = _type_name(diagnosis)
        if isinstance(diagnosis, Mapping):
            given = "a dict with keys %s" % ", ".join(sorted(str(k) for k in diagnosis)[:12])
        raise ValueError("plan() expects a diagnosis (the output of azcm_diagnose, with keys ok, actions, findings, ...), got %s" % given)
    actions = diagnosis.get("actions")
    if not isinstance(actions, (list, tuple)) or not all(isinstance(a, str) for a in actions):
        raise ValueError("the diagnosis key 'actions' must be a list of action names, got %s" % _type_name(actions))


def _step(action, reason, code, args=None):
    return {"action": action, "reason": reason, "code": code, "destructive": action in DESTRUCTIVE_ACTIONS, "args": args or {}}


# A machine resource ID as the agent prints it (the Azure resource of AZCM0044 / 0062 / 0081).
_MACHINE_ID_RE = re.compile(
    r"^/subscriptions/(?P<subscription_id>[^/]+)/resourceGroups/(?P<resource_group>[^/]+)"
    r"/providers/Microsoft\.HybridCompute/machines/(?P<resource_name>[^/?#\s]+)$", re.IGNORECASE)


def _resource_args(resource_id):
    """The arguments of a delete_resource step: the machine resource the agent named, or None."""
    match = _MACHINE_ID_RE.match(resource_id or "")
    if not match:
        return None
    args = match.groupdict()
    args["resource_id"] = resource_id
    return args


def _finding_hosts(findings):
    hosts = []
    for finding in findings:
        details = finding.get("details") if isinstance(finding, Mapping) else None
        if isinstance(details, Mapping) and details.get("host") and finding.get("category") in ("network", "proxy", "dns", "tls"):
            hosts.append(details["host"])
    return _unique(hosts)


def _namespaces(findings):
    found = []
    for finding in findings:
        details = finding.get("details") if isinstance(finding, Mapping) else None
        if finding.get("id") == "missing_subscription_registration" and isinstance(details, Mapping) and details.get("namespace"):
            found.append(details["namespace"])
    return _unique(found + list(PROVIDER_NAMESPACES))


def _retry_after(findings):
    values = [f["details"]["retry_after"] for f in findings
              if isinstance(f, Mapping) and isinstance(f.get("details"), Mapping) and isinstance(f["details"].get("retry_after"), int)]
    return max(values) if values else 0


def plan(diagnosis, policy=None, lang="en", rng=None):
    """Return the ordered remediation steps for a diagnosis under a policy (see the module docstring)."""
    _check_diagnosis(diagnosis)
    policy = validate_policy(policy)
    lang = normalize_lang(lang)
    texts = _TEXTS[lang]
    code = diagnosis.get("azcm_code")
    reason = diagnosis.get("summary") or diagnosis.get("cause") or ""
    remediation = diagnosis.get("remediation") or diagnosis.get("summary") or ""
    findings = [f for f in diagnosis.get("findings") or () if isinstance(f, Mapping)]
    if diagnosis.get("ok"):
        return [_step("none", reason, code)]

    category = diagnosis.get("category")
    steps = []
    blocked = False
    needs_retry = False
    for action in diagnosis["actions"]:
        if action in ("none", "retry"):
            continue
        if action == "report":
            steps.append(_step("report", reason, code, {"remediation": remediation}))
            blocked = True
        elif action in DESTRUCTIVE_ACTIONS:
            if not policy[action]:
                steps.append(_step("report", texts["blocked"].format(action=action, key=action, remediation=remediation), code,
                                   {"remediation": remediation, "blocked_action": action, "policy_key": action}))
                blocked = True
                continue
            args = None
            if action == "delete_resource":
                # Only the resource the agent named may be deleted: never a guess from the inventory name.
                args = _resource_args(diagnosis.get("resource_id"))
                if args is None:
                    steps.append(_step("report", texts["no_resource"].format(remediation=remediation), code, {"remediation": remediation}))
                    blocked = True
                    continue
            steps.append(_step(action, reason, code, args))
            if action == "delete_resource" and policy["force_local_disconnect"]:
                steps.append(_step("force_local_disconnect", reason, code))
            needs_retry = needs_retry or action in _RETRY_AFTER_FIX
        elif action == "check_network":
            steps.append(_step("check_network", reason, code, {"endpoints": _finding_hosts(findings)}))
            if policy["set_proxy"] and policy["proxy_url"] and any(f.get("category") in ("proxy", "network") for f in findings):
                steps.append(_step("set_proxy", reason, code, {"proxy_url": policy["proxy_url"]}))
                needs_retry = True
        elif action == "set_proxy":
            if policy["set_proxy"] and policy["proxy_url"]:
                steps.append(_step("set_proxy", reason, code, {"proxy_url": policy["proxy_url"]}))
                needs_retry = True
            else:
                key = "set_proxy" if not policy["set_proxy"] else "proxy_url"
                steps.append(_step("report", texts["blocked"].format(action=action, key=key, remediation=remediation), code,
                                   {"remediation": remediation, "blocked_action": action, "policy_key": key}))
                blocked = True
        elif action in ("restart_services", "register_providers", "escalate"):
            if not policy[action]:
                steps.append(_step("report", texts["blocked"].format(action=action, key=action, remediation=remediation), code,
                                   {"remediation": remediation, "blocked_action": action, "policy_key": action}))
                blocked = True
                continue
            if action == "escalate":
                # A retry with become: it spends an attempt like any retry.
                if policy["attempt"] >= policy["max_attempts"]:
                    steps.append(_step("report", texts["budget"].format(remediation=remediation, **policy), code,
                                       {"remediation": remediation, "attempt": policy["attempt"], "max_attempts": policy["max_attempts"]}))
                    blocked = True
                else:
                    steps.append(_step("escalate", reason, code, {"attempt": policy["attempt"] + 1, "max_attempts": policy["max_attempts"]}))
                continue
            args = {"namespaces": _namespaces(findings)} if action == "register_providers" else {}
            steps.append(_step(action, reason, code, args))
            needs_retry = True
        else:
            steps.append(_step("report", reason, code, {"remediation": remediation}))
            blocked = True

    wants_retry = "retry" in diagnosis["actions"] and policy["retry"] and category not in _NO_RETRY_CATEGORIES
    if (needs_retry or wants_retry) and not blocked:
        if policy["attempt"] >= policy["max_attempts"]:
            steps.append(_step("report", texts["budget"].format(remediation=remediation, **policy), code,
                               {"remediation": remediation, "attempt": policy["attempt"], "max_attempts": policy["max_attempts"]}))
        else:
            steps.append(_step("retry", reason, code, {
                "delay": backoff_delay(policy, _retry_after(findings), rng),
                "attempt": policy["attempt"] + 1,
                "max_attempts": policy["max_attempts"],
            }))
    if not steps:
        steps.append(_step("report", reason, code, {"remediation": remediation}))
    return _dedupe_steps(steps)


def _dedupe_steps(steps):
    result = []
    seen = set()
    for step in steps:
        key = (step["action"], step["args"].get("blocked_action"))
        if key in seen:
            continue
        seen.add(key)
        result.append(step)
    return result
