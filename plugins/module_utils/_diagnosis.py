# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Diagnosis of an agent run: what went wrong, in the catalog's and the classifier's words.

PRIVATE: this module is private to the arcops.azcmagent collection and may change at any time.

* :func:`diagnose` takes a text, a list of lines, a registered result of one of our modules
  or of ``ansible.builtin.command`` / ``shell`` and returns a diagnosis dict: ``ok``,
  ``azcm_code``, ``azcm_codes``, ``exit_code``, ``title``, ``cause``, ``remediation``,
  ``category``, ``retryable``, ``action``, ``findings``, ``warnings``, ``actions``, ``summary``,
  ``unparsed``, ``resource_id``.

Evidence is weighed by the level of its line and by what the run did next (issue 9):

* The failure is the exit line (``Exit Code:  AZCMnnnn``, also localized), the exit status (``rc``, or one a
  wrapper printed: ``exitcode: 42``, ``exit status 3``, ``exit code 26``, ``rc=1``) and the run's fatal and error
  lines. ``findings`` are the known errors on those lines (and on plain text, which has no level).
* Debug, info and warning lines are context: never the cause on their own. They explain a failure only when no
  fatal or error line does; otherwise they are ``warnings``.
* A problem the agent got past is a warning, never the cause: the debug ``Failed to register resource provider``
  block (the agent carries on without the registration), or any context finding followed by the agent's success
  lines (``ARM Resource Creation Successful``, ``Successfully Onboarded Resource to Azure``, ``Connected machine to
  Azure``, ``All endpoints are available``).
* ``warnings`` are findings with one more key, ``stage``: ``recovered`` (the agent got past it) or ``context``
  (a debug/info line that did not decide the outcome).
* Fail closed: a text without an exit status that holds a fatal or error line of the agent is a failure; when no
  rule knows that line it is quoted (secrets scrubbed) as the cause, with category ``unknown``.
* Insufficient evidence: a text without an exit status whose only failure evidence is context (debug or info lines
  that the agent did not get past, e.g. an excerpt of a log cut off before its exit line) is not a success: ``ok``
  false, category ``unknown``, action ``report``, the cause says the excerpt cannot tell, and the evidence stays in
  ``warnings`` (stage ``context``).
* Already root: a result with ``escalated`` or ``become`` true, or ``agent_uid`` 0 (the user ID the agent ran with,
  as the agent modules return it), never gets the ``escalate`` action; when the agent still says it lacks
  administrative privileges, the cause says that the run already was root and what can take root's rights away.
* Install stage: findings of the package manager, Microsoft's install script and the Windows installer
  (``install_*``) explain a failure the same way; an exit status a wrapper printed next to them is the package
  manager's, not an AZCM code.

What to do about it is :func:`._plan.plan`'s business. A pure function; standard library only,
Python 3.8+.
"""

from __future__ import annotations

import re
import typing as t
from collections.abc import Mapping

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import (
    CodeError,
    lookup,
    normalize_code,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._classifier import (
    classify_positions,
    rule_weight,
    strongest,
    translate_finding,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_console import (
    FAILURE_LEVELS,
    LEVEL_LINE_RE,
    ScanResult,
    code_from_exit_status,
    last_failure_line,
    level_line,
    scan_output,
    wrapper_exit_status,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._secrets import scrub
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import normalize_lang, text as _text


# Categories that a plain retry cannot fix (a retry with a bad secret can even lock the account).
_NO_RETRY_CATEGORIES = frozenset(("credentials", "permissions", "input"))

# Codes that only say "something failed"; a finding's more specific category and action win over them.
# AZCM0011 (interrupted, or stopped for its timeout) says only that the command did not finish: a failure line it
# printed before says why.
_GENERIC_CODES = frozenset((None, "AZCM0001", "AZCM0002", "AZCM0011", "AZCM0012", "AZCM0026", "AZCM0041", "AZCM0042", "AZCM0043", "AZCM0062",
                            "AZCM0063", "AZCM0068", "AZCM0101"))

# Keys of a registered result whose text is diagnosed, in the order the text is assembled.
# ``msg`` counts only when the result holds no output: our modules' msg quotes the catalog,
# whose remediation texts would otherwise be classified as if the agent had printed them.
_TEXT_KEYS = (("stdout", "stdout_lines"), ("stderr", "stderr_lines"), (None, "log_lines"))


# --------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------

def _describe(value: object) -> str:
    """A value for an error message: its type and a cut-off repr."""
    shown = repr(value)
    return f"{type(value).__name__} {shown[:60] + '...' if len(shown) > 60 else shown}"


def _lines_text(value: t.Iterable[object], key: str) -> str:
    """Join a list of lines; every item must be a string."""
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"the result's {key} must be a list of strings, got {_describe(value)}")
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
        if value is not None and not isinstance(value, str):
            raise TypeError(f"the result's {text_key} must be a string, got {_describe(value)}")
        if isinstance(value, str) and value:
            parts.append(value)
            continue
        lines = result.get(lines_key)
        if lines is not None:
            joined = _lines_text(lines, lines_key)
            if joined:
                parts.append(joined)
    msg = result.get("msg")
    if not parts and isinstance(msg, str):
        parts.append(msg)
    return "\n".join(parts)


# An exit status given as text: optional sign, ASCII digits, surrounding blanks.
_RC_TEXT_RE = re.compile(r"^[ \t]*[-+]?[0-9]{1,10}[ \t]*\Z")


def _as_int(value: object, key: str = "rc") -> int | None:
    """The exit status of a result: None, an integer or its digits as text; anything else (``"abc"``, ``1.5``, ``True``,
    a dict) is not an exit status and raises ``ValueError``: a malformed result is never read as a success."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _RC_TEXT_RE.match(value):
        return int(value.strip())
    raise ValueError(f"the result's {key} must be an integer exit status (or null), got {_describe(value)}")


def _agent_uid(value: object) -> int | None:
    """The agent's user ID from a module result (``agent_uid``): an integer, else unknown (None), never an error: a
    result without it is a result of an older collection or of ``command``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():  # templated results may carry it as text
        return int(value.strip())
    return None


def _as_failed(value: object) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool) or (isinstance(value, int) and value in (0, 1)):
        return bool(value)
    raise ValueError(f"the result's failed must be a boolean (or null), got {_describe(value)}")


class _Input(t.NamedTuple):
    """PRIVATE: what diagnose() reads from its input."""

    text: str
    rc: int | None = None
    failed: bool | None = None
    given_code: str | None = None
    given_findings: list[t.Mapping[str, t.Any]] | None = None
    same_target: bool = False
    escalated: bool = False


def _read_input(data: object) -> _Input:
    """Normalize the input: text, rc, failed, given code and findings, and whether the target was already reached."""
    if isinstance(data, str):
        return _Input(data)
    if isinstance(data, Mapping):
        rc = _as_int(data.get("rc"))
        failed = _as_failed(data.get("failed"))
        raw_code = data.get("azcm_code")
        try:
            given = normalize_code(raw_code) if raw_code not in (None, "") else None
        except CodeError:
            raise ValueError(f"the result's azcm_code must be an AZCM code such as AZCM0044 (or null), got {_describe(raw_code)}") from None
        raw_findings = data.get("findings")
        if raw_findings is not None and (not isinstance(raw_findings, (list, tuple))
                                         or not all(isinstance(f, Mapping) for f in raw_findings)):
            raise ValueError(f"the result's findings must be a list of dicts (as our modules return them), got {_describe(raw_findings)}")
        findings = list(raw_findings) if raw_findings is not None else None
        unchanged = data.get("changed") is False and not failed and rc in (None, 0)
        same_target = data.get("same_target") is True or (data.get("azcm_code") == "AZCM0067" and unchanged)
        # The run already had root: escalated by the caller, run with become, or the agent's user ID was 0.
        escalated = data.get("escalated") is True or data.get("become") is True or _agent_uid(data.get("agent_uid")) == 0
        return _Input(_result_text(data), rc, failed, given, findings, same_target, escalated)
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


# Lines of the agent that say a step went through: a context finding before one of them was got past.
_SUCCESS_MARKERS = (
    "ARM Resource Creation Successful",        # log/azure-docs-99004-create-success.txt (1.21)
    "Successfully Onboarded Resource to Azure",  # connect/mslearn-onboard-powershell-success.txt (2020)
    "Connected machine to Azure",              # connect/jpazmon-pls-success-windows.txt (console)
    "All endpoints are available",             # connect/mslearn-onboard-powershell-success.txt (network check passed)
)
# Lines the agent logs and then carries on without: never the cause (log/azure-docs-99004-register-403.txt).
_BENIGN_LINES = ("Failed to register resource provider",)
# The longest quote of an unknown failure line.
_MAX_QUOTE = 500


def _line_at(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[text.rfind("\n", 0, pos) + 1:end if end >= 0 else len(text)]


def _last_success(text: str) -> int:
    """Position of the last success line of the agent in text, or -1."""
    return max(text.rfind(marker) for marker in _SUCCESS_MARKERS)


def _stage(text: str, pos: int, last_success: list[int]) -> str:
    """``failure`` (an error/fatal line or plain text), ``recovered``, ``benign`` (a line the agent always carries on
    after: recovered, and never the explanation of a failure) or ``context`` for the evidence at pos.

    ``last_success`` caches the position of the agent's last success line (computed when first needed)."""
    level, start = level_line(text, pos)
    if level is None or level in FAILURE_LEVELS:
        return "failure"
    line = _line_at(text, pos)
    # The benign text is on the line with the level; the evidence may be a later line of its block (RESPONSE 403 ...).
    if any(benign in _line_at(text, start) for benign in _BENIGN_LINES):
        return "benign"
    if not last_success:
        last_success.append(_last_success(text))
    if last_success[0] > pos + len(line):
        return "recovered"
    return "context"


def _quote(line: str) -> str:
    line = scrub(line.strip()) or ""
    return line if len(line) <= _MAX_QUOTE else line[:_MAX_QUOTE] + "..."


def _without_escalate(actions: list[str]) -> list[str]:
    return [action for action in actions if action != "escalate"] or ["report"]


def _insufficient(context: list[t.Any], codes: list[str], unparsed: int, resource_id: str | None, lang: str) -> dict[str, t.Any]:
    """The diagnosis of a text whose only evidence of a failure is context (debug / info lines): unknown, not success."""
    best = strongest(context) or context[0]
    cause = _text("diagnosis.insufficient", lang, finding=str(best.get("cause") or best.get("id") or "").rstrip("."))
    remediation = _text("diagnosis.insufficient_remediation", lang)
    return {
        "ok": False, "azcm_code": None, "azcm_codes": codes, "exit_code": None, "title": None, "cause": cause,
        "remediation": remediation, "category": "unknown", "retryable": False, "action": "report", "findings": [],
        "warnings": [dict(f, stage="context") for f in context], "actions": ["report"],
        "summary": _summary(None, None, cause, remediation, None), "unparsed": unparsed, "resource_id": resource_id,
    }


# A line with a level word of the agent (any generation), or one of its success lines: the text is agent output.
_AGENT_LINE_RE = re.compile(r"(?m)^(?:" + LEVEL_LINE_RE.pattern + ")")
# The package manager's line for the agent package being set up: install output without a level word
# (install/azure-arc-329-apt-install-1.3.txt, apt).
_INSTALL_LINES = ("Setting up azcmagent (",)


def _has_agent_lines(text: str) -> bool:
    """Whether text holds a line of the agent or of its install (a level word, logfmt, a success line, the package being
    set up); random text does not."""
    return (_AGENT_LINE_RE.search(text) is not None or _last_success(text) >= 0
            or any(line in text for line in _INSTALL_LINES))


def _has_failure_line(text: str, primary: str | None, rc: int | None, known: tuple[int, str] | None) -> bool:
    """Whether text holds a fatal or error line; ``known`` is that line when diagnose already looked (no code, no rc)."""
    if primary is None and rc is None:
        return known is not None
    return bool(text) and last_failure_line(text) is not None


def diagnose(data: object, lang: str = "en") -> dict[str, t.Any]:
    """Diagnose a text, a list of lines, or a registered module / command result (see the module docstring)."""
    lang = normalize_lang(lang)
    text, rc, failed, given_code, given_findings, same_target, escalated = _read_input(data)

    scan: ScanResult | None = scan_output(text) if text else None
    codes = list(scan["codes"]) if scan else []
    exit_codes = scan["exit_codes"] if scan else []
    unparsed = len(scan["unparsed"]) if scan else 0
    resource_id = scan["resource_id"] if scan else None

    # Findings, weighed by the level of their line and by what the run did next.
    failing: list[t.Any] = []
    context: list[t.Any] = []
    warnings: list[t.Any] = []
    benign: list[t.Any] = []  # the recovered warnings that never explain a failure
    if text:
        last_success: list[int] = []
        for pos, finding in classify_positions(text, lang):
            stage = _stage(text, pos, last_success)
            if stage == "failure":
                failing.append(finding)
            elif stage == "context":
                context.append(finding)
            else:
                warnings.append(dict(finding, stage="recovered"))
                if stage == "benign":
                    benign.append(warnings[-1])
    else:
        failing = [translate_finding(f, lang) for f in given_findings or ()]
    install_stage = any(str(f.get("id", "")).startswith("install_") for f in failing)

    wrapper_rc = wrapper_exit_status(text) if text and rc is None and not exit_codes else None
    primary = given_code or (exit_codes[-1]["code"] if exit_codes else None) or (codes[-1] if codes else None)
    if primary is None and rc not in (None, 0):
        primary = code_from_exit_status(rc)
    if primary is None and wrapper_rc not in (None, 0) and not install_stage:
        # The agent's exit status as a wrapper printed it ("exitcode: 42").
        primary = code_from_exit_status(wrapper_rc)
    if primary and primary not in codes:
        codes.append(primary)
    failure_line = last_failure_line(text) if text and primary is None and rc is None else None

    # Fail closed: without an exit status, a fatal or error line, a failing finding or a wrapper's exit status fails;
    # and an input that holds no outcome at all (empty, random text, a dict without rc, failed or agent output) is no
    # success either.
    if rc == 0 or failed is False:
        ok = primary in (None, "AZCM0000") and not failed and rc in (None, 0)
        evidence = True
    else:
        evidence = bool(primary or codes or failing or context or warnings or wrapper_rc is not None or failed
                        or (text and _has_agent_lines(text)))
        ok = (evidence and primary in (None, "AZCM0000") and not failed and rc is None and not failing and failure_line is None
              and wrapper_rc in (None, 0))
    if primary == "AZCM0067" and same_target:
        ok = True

    if ok and context and rc is None and failed is None and primary is None:
        # Only debug or info lines show a failure, the agent did not get past it in this text, and nothing says how
        # the run ended (no exit status, exit line, fatal or error line): an excerpt that cannot tell, never success.
        return _insufficient(context, codes, unparsed, resource_id, lang)

    if ok:
        warnings.extend(dict(f, stage="context") for f in context)
        entry = lookup(primary, lang) if primary else None
        cause = _text("diagnosis.same_target" if primary == "AZCM0067" else "diagnosis.ok", lang)
        return {
            "ok": True, "azcm_code": primary, "azcm_codes": codes, "exit_code": entry["exit_code"] if entry else (rc if rc is not None else 0),
            "title": entry["title"] if entry else None, "cause": cause, "remediation": None, "category": "success",
            "retryable": False, "action": "none", "findings": failing, "warnings": warnings, "actions": ["none"],
            "summary": cause if primary in (None, "AZCM0000") or entry is None else f"{primary} ({entry['title']}): {cause}",
            "unparsed": unparsed,
            "resource_id": resource_id,
        }

    # Debug and info lines explain the failure only when no fatal or error line does; what the agent seemed to get
    # past explains it only when the output holds no failure line at all (the run failed after all).
    if failing:
        findings = failing
        warnings.extend(dict(f, stage="context") for f in context)
    elif context or _has_failure_line(text, primary, rc, failure_line):
        findings = context
    else:
        explaining = [f for f in warnings if f.get("stage") == "recovered" and not any(f is b for b in benign)]
        findings = [{k: v for k, v in f.items() if k != "stage"} for f in explaining]
        warnings = [f for f in warnings if not any(f is e for e in explaining)]
    best = strongest(findings)

    title: str | None
    exit_code: int | None
    if primary:
        entry = lookup(primary, lang)
        title, cause, remediation = entry["title"], entry["cause"], entry["remediation"]
        category, retryable, action, exit_code = entry["category"], entry["retryable"], entry["action"] or "report", entry["exit_code"]
    else:
        title, cause, remediation = None, _text("diagnosis.unknown", lang), _text("diagnosis.unknown_remediation", lang)
        category, retryable, action = "unknown", False, "report"
        exit_code = rc if rc is not None else wrapper_rc
        if failure_line is not None and best is None:
            # An unknown failure: the agent's own words are the cause.
            cause = _text("diagnosis.unknown_line", lang, line=_quote(failure_line[1]))
        elif not evidence:
            cause, remediation = _text("input.no_outcome", lang), _text("input.no_outcome_remediation", lang)

    if best is not None and (primary in _GENERIC_CODES or category == "unknown" or install_stage):
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
    if escalated and "escalate" in actions:
        # The run already had root, yet the agent says it lacks privileges: escalating cannot help, and the catalog's
        # cause ("run without administrative privileges") is not what happened. Report what can take root's rights away.
        actions = _without_escalate(actions)
        if action == "escalate":
            actions = [a for a in actions if a != "retry"] or ["report"]
            action = actions[0]
            cause, remediation = _text("diagnosis.root_not_enough", lang), _text("diagnosis.root_not_enough_remediation", lang)
            retryable = False
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
        "warnings": warnings,
        "actions": actions,
        "summary": _summary(primary, title, cause, remediation, best if primary else None),
        "unparsed": unparsed,
        "resource_id": resource_id,
    }
