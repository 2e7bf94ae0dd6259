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

from collections.abc import Mapping

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import (
    CodeError,
    lookup,
    normalize_code,
    normalize_lang,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._classifier import (
    classify,
    rule_weight,
    strongest,
    translate_finding,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._parsers import code_from_exit_status, scan_output


# Categories that a plain retry cannot fix (a retry with a bad secret can even lock the account).
_NO_RETRY_CATEGORIES = frozenset(("credentials", "permissions", "input"))

# Codes that only say "something failed"; a finding's more specific category and action win over them.
_GENERIC_CODES = frozenset((None, "AZCM0001", "AZCM0002", "AZCM0012", "AZCM0026", "AZCM0041", "AZCM0042", "AZCM0043", "AZCM0062",
                            "AZCM0063", "AZCM0068", "AZCM0101"))

_TEXTS = {
    "en": {
        "ok": "No error: the agent reported success.",
        "unknown": "The command failed, but no AZCM code or known error was found in its output.",
        "unknown_remediation": "Read the output and the agent log (/var/opt/azcmagent/log/azcmagent.log); see https://aka.ms/arc/azcmerror.",
        "same_target": "The machine is already connected to the requested target: nothing to do.",
        "budget": "The retry budget is spent (attempt {attempt} of {max_attempts}): {remediation}",
        "blocked": "The policy does not allow {action} (policy key {key}): {remediation}",
        "no_proxy": "No proxy_url is set in the policy to configure.",
        "no_resource": "The agent's output does not name the resource ID of the existing machine, so nothing is deleted: {remediation}",
    },
    "nl": {
        "ok": "Geen fout: de agent meldt dat het gelukt is.",
        "unknown": "De opdracht is mislukt, maar in de uitvoer staat geen AZCM-code of bekende fout.",
        "unknown_remediation": "Lees de uitvoer en het agentlogboek (/var/opt/azcmagent/log/azcmagent.log); zie https://aka.ms/arc/azcmerror.",
        "same_target": "De machine is al verbonden met het gevraagde doel: er hoeft niets te gebeuren.",
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

def _lines_text(value, key):
    """Join a list of lines; every item must be a string."""
    parts = []
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise TypeError("%s item %d is %s (%r), expected a string: give a text, a list of strings or a registered result"
                            % (key, index, type(item).__name__, item))
        parts.append(item)
    return "\n".join(parts)


def _result_text(result):
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


def _as_int(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _read_input(data):
    """Normalize the input: (text, rc, failed, given_code, given_findings, same_target)."""
    if isinstance(data, str):
        return data, None, None, None, None, False
    if isinstance(data, Mapping):
        text = _result_text(data)
        rc = _as_int(data.get("rc"))
        failed = data.get("failed")
        failed = bool(failed) if isinstance(failed, (bool, int)) else None
        given = data.get("azcm_code")
        try:
            given = normalize_code(given) if given not in (None, "") else None
        except CodeError:
            given = None
        findings = data.get("findings")
        findings = [f for f in findings if isinstance(f, Mapping)] if isinstance(findings, (list, tuple)) else None
        unchanged = data.get("changed") is False and not failed and rc in (None, 0)
        same_target = data.get("same_target") is True or (data.get("azcm_code") == "AZCM0067" and unchanged)
        return text, rc, failed, given, findings, same_target
    if isinstance(data, (list, tuple)):
        return _lines_text(data, "list"), None, None, None, None, False
    raise TypeError("cannot diagnose %s: expected a text, a list of strings or a registered result (a dict)" % type(data).__name__)


# --------------------------------------------------------------------------------------
# Diagnosis
# --------------------------------------------------------------------------------------

def _sentence(text):
    text = (text or "").strip()
    if text and text[-1] not in ".!?":
        text += "."
    return text


def _summary(code, title, cause, remediation, finding):
    parts = []
    if code:
        parts.append("%s (%s): %s" % (code, title, _sentence(cause)))
    elif cause:
        parts.append(_sentence(cause))
    if finding and finding.get("cause") and finding.get("cause") != cause:
        parts.append(_sentence(finding["cause"]))
    if remediation:
        parts.append(_sentence(remediation))
    return " ".join(parts)


def _unique(values):
    seen = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def diagnose(data, lang="en"):
    """Diagnose a text, a list of lines, or a registered module / command result (see the module docstring)."""
    lang = normalize_lang(lang)
    text, rc, failed, given_code, given_findings, same_target = _read_input(data)

    scan = scan_output(text) if text else {}
    codes = list(scan.get("codes") or [])
    exit_codes = scan.get("exit_codes") or []
    primary = given_code or (exit_codes[-1]["code"] if exit_codes else None) or (codes[-1] if codes else None)
    if primary is None and rc not in (None, 0):
        primary = code_from_exit_status(rc)
    if primary and primary not in codes:
        codes.append(primary)

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
        cause = _TEXTS[lang]["same_target"] if primary == "AZCM0067" else _TEXTS[lang]["ok"]
        return {
            "ok": True, "azcm_code": primary, "azcm_codes": codes, "exit_code": entry["exit_code"] if entry else (rc if rc is not None else 0),
            "title": entry["title"] if entry else None, "cause": cause, "remediation": None, "category": "success",
            "retryable": False, "action": "none", "findings": findings, "actions": ["none"],
            "summary": cause if primary in (None, "AZCM0000") else "%s (%s): %s" % (primary, entry["title"], cause),
            "unparsed": len(scan.get("unparsed") or ()),
            "resource_id": scan.get("resource_id"),
        }

    if primary:
        entry = lookup(primary, lang)
        title, cause, remediation = entry["title"], entry["cause"], entry["remediation"]
        category, retryable, action, exit_code = entry["category"], entry["retryable"], entry["action"] or "report", entry["exit_code"]
    else:
        title, cause, remediation = None, _TEXTS[lang]["unknown"], _TEXTS[lang]["unknown_remediation"]
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
        "unparsed": len(scan.get("unparsed") or ()),
        "resource_id": scan.get("resource_id"),
    }
