# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The outcome fields every module returns, and the failures that carry them.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

An outcome is a dict with the keys of :data:`OUTCOME_KEYS` (see docs/architecture.md, "Module
outcome fields").  It is built from a :class:`~._runner.RunResult` through
:func:`._diagnosis.diagnose`, from a validation error, from a runner error, from a Resource
Manager error, or for the cases where the module decides without running the agent (already
connected, timeout, target mismatch).

Module code raises :class:`ModuleFailure`; the module client (:mod:`._client`) turns it into the
single ``fail_json`` call of the collection, with ``msg`` (``"AZCM0041: <cause>. <remediation>"``
in the language of option ``lang``), ``cmd``, ``rc``, ``stdout``, ``stderr`` and the outcome fields.
"""

from __future__ import annotations

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import lookup
from ansible_collections.arcops.azcmagent.plugins.module_utils._classifier import strongest
from ansible_collections.arcops.azcmagent.plugins.module_utils._diagnosis import diagnose
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import text

if t.TYPE_CHECKING:  # pragma: no cover
    from ansible_collections.arcops.azcmagent.plugins.module_utils._arm import ArmError
    from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import RunResult
    from ansible_collections.arcops.azcmagent.plugins.module_utils._validate import ValidationError

Outcome = t.Dict[str, t.Any]

OUTCOME_KEYS = (
    "rc", "exit_code", "azcm_code", "azcm_codes", "title", "cause", "remediation", "category", "retryable",
    "action", "findings", "log_lines", "stdout_lines", "stderr_lines", "cmd", "state",
)


class ModuleFailure(Exception):
    """Raised by module code: the module fails with ``msg`` and the outcome (and any extra return values)."""

    def __init__(self, msg: str, outcome: Outcome, run: RunResult | None = None, **extra: t.Any) -> None:
        super().__init__(msg)
        self.msg = msg
        self.outcome = outcome
        self.run = run
        self.extra = extra


def _lines(value: str | None) -> t.List[str]:
    return (value or "").splitlines()


def _strip_period(value: object) -> str:
    return str(value or "").strip().rstrip(".")


def message(outcome: t.Mapping[str, t.Any], detail: str | None = None) -> str:
    """``"AZCM0041: <cause>. <remediation>"`` (``detail`` is appended to the cause in parentheses)."""
    cause = _strip_period(outcome.get("cause")) or "azcmagent failed"
    if detail:
        cause = f"{cause} ({_strip_period(detail)})"
    remediation = _strip_period(outcome.get("remediation"))
    code = outcome.get("azcm_code")
    head = f"{code}: {cause}." if code else f"{cause}."
    return f"{head} {remediation}." if remediation else head


def empty_outcome(state: str | None = None, cmd: str = "") -> Outcome:
    """The outcome of a module that decided without running a mutating command (success)."""
    return {
        "rc": 0, "exit_code": 0, "azcm_code": None, "azcm_codes": [], "title": None, "cause": None,
        "remediation": None, "category": "success", "retryable": False, "action": "none", "findings": [],
        "log_lines": [], "stdout_lines": [], "stderr_lines": [], "cmd": cmd, "state": state,
    }


def from_code(code: str, lang: str = "en", state: str | None = None, cmd: str = "", cause: str | None = None,
              remediation: str | None = None, rc: int | None = None, **overrides: t.Any) -> Outcome:
    """An outcome for a code the module decided itself (validation, mismatch), from the catalog."""
    info = lookup(code, lang)
    outcome = empty_outcome(state, cmd)
    outcome.update({
        "rc": info["exit_code"] if rc is None else rc, "exit_code": info["exit_code"], "azcm_code": info["code"],
        "azcm_codes": [info["code"]], "title": info.get("title"), "cause": cause or info.get("cause"),
        "remediation": remediation or info.get("remediation"), "category": info.get("category"),
        "retryable": bool(info.get("retryable")), "action": info.get("action") or "report",
    })
    outcome.update(overrides)
    return outcome


def from_run(run: RunResult, lang: str = "en", state: str | None = None) -> Outcome:
    """Build the outcome of one agent run from its stdout, stderr, appended log lines and exit status.

    A run stopped for its timeout is AZCM0011, to be retried, unless a failure line the agent printed before it was
    stopped says why it had not finished (a fatal line of a missing role: no retry can help). The diagnosis is the one
    the azcm_diagnose filter makes of this outcome again, so that the module and the filter agree."""
    # A process killed by a signal (timeout) has a negative status that stands for no AZCM code.
    status = run.rc if isinstance(run.rc, int) and 0 <= run.rc <= 255 and not run.timed_out else None
    timeout_code = "AZCM0011" if run.timed_out else None
    diagnosis = diagnose({"stdout": run.stdout, "stderr": run.stderr, "log_lines": list(run.log_lines), "rc": status,
                          "failed": not run.ok, "agent_uid": getattr(run, "uid", None), "azcm_code": timeout_code}, lang=lang)
    codes = list(diagnosis.get("azcm_codes") or [])
    outcome: Outcome = {
        "rc": run.rc,
        "exit_code": diagnosis.get("exit_code") if diagnosis.get("exit_code") is not None else run.rc,
        "azcm_code": diagnosis.get("azcm_code"),
        "azcm_codes": codes,
        "title": diagnosis.get("title"),
        "cause": diagnosis.get("cause"),
        "remediation": diagnosis.get("remediation"),
        "category": diagnosis.get("category") or ("success" if run.ok else "unknown"),
        "retryable": bool(diagnosis.get("retryable")),
        "action": diagnosis.get("action") or ("none" if run.ok else "report"),
        "findings": list(diagnosis.get("findings") or []),
        "log_lines": list(run.log_lines),
        "stdout_lines": _lines(run.stdout),
        "stderr_lines": _lines(run.stderr),
        "cmd": run.cmd,
        "state": state,
    }
    if run.ok:
        outcome.update({"category": "success", "retryable": False, "action": "none"})
    if timeout_code:
        # The catalog's AZCM0011 speaks of Ctrl+C: say that the timeout stopped it, and what explains it if anything does.
        cause = text("outcome.timeout_cause", lang, timeout=run.timeout)
        explained = strongest(outcome["findings"])
        outcome["azcm_codes"] = [c for c in codes if c != timeout_code] + [timeout_code]
        outcome["cause"] = f"{_strip_period(cause)}; {_strip_period(explained.get('cause'))}" if explained else cause
        if not explained:
            outcome["remediation"] = text("outcome.timeout_remediation", lang)
    return outcome


def failure(outcome: Outcome, msg: str | None = None, run: RunResult | None = None, **extra: t.Any) -> ModuleFailure:
    """A :class:`ModuleFailure` with ``outcome`` (``msg`` defaults to :func:`message` of it)."""
    return ModuleFailure(msg if msg is not None else message(outcome), outcome, run=run, **extra)


def failure_from_run(run: RunResult, lang: str = "en", state: str | None = None, **extra: t.Any) -> ModuleFailure:
    """A :class:`ModuleFailure` for a failed (or timed-out) agent run."""
    outcome = from_run(run, lang, state)
    return ModuleFailure(message(outcome), outcome, run=run, **extra)


def failure_from_validation(error: ValidationError, lang: str = "en", state: str | None = None) -> ModuleFailure:
    """A :class:`ModuleFailure` for a :class:`~._validate.ValidationError` (nothing ran)."""
    outcome = from_code(error.code, lang, state=state, rc=None)
    outcome["cause"] = f"{_strip_period(outcome['cause'])}: {error.detail}"
    outcome["findings"] = [{
        "id": "invalid_option", "category": outcome["category"], "cause": error.detail, "remediation": outcome["remediation"],
        "evidence": error.option, "action": outcome["action"], "retryable": False, "details": {"option": error.option},
    }]
    outcome.update({"rc": None, "retryable": False})
    return ModuleFailure(message(outcome), outcome)


def internal_outcome(detail: object, lang: str = "en", state: str | None = None) -> Outcome:
    """The outcome of an unexpected error (a bug of the collection)."""
    outcome = empty_outcome(state)
    outcome.update({"rc": None, "exit_code": None, "category": "internal", "action": "report",
                    "cause": text("outcome.internal_cause", lang, detail=detail), "remediation": text("outcome.internal_remediation", lang)})
    return outcome


def failure_from_agent_error(error: Exception, lang: str = "en", state: str | None = None) -> ModuleFailure:
    """A :class:`ModuleFailure` for a runner error (agent not found, lock timeout)."""
    from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import AgentNotFound, LockTimeout
    if isinstance(error, AgentNotFound):
        outcome = empty_outcome(state or "NotInstalled")
        outcome.update({"rc": None, "exit_code": None, "category": "install", "action": "report",
                        "cause": text("outcome.not_found_cause", lang, detail=error.message),
                        "remediation": text("outcome.not_found_remediation", lang)})
    elif isinstance(error, LockTimeout):
        outcome = from_code("AZCM0011", lang, state=state, cause=text("outcome.lock_cause", lang, detail=error.message),
                            remediation=text("outcome.lock_remediation", lang), category="transient", retryable=True, action="retry")
        outcome["rc"] = None
    else:
        outcome = internal_outcome(error, lang, state)
    return ModuleFailure(message(outcome), outcome)


def failure_from_arm_error(error: ArmError, lang: str = "en", **extra: t.Any) -> ModuleFailure:
    """A :class:`ModuleFailure` for a failed Entra ID / Resource Manager call, in the agent modules' outcome shape.

    ``msg`` is ``"<ARM code> (HTTP <status>): <cause>. <remediation>."`` (the option error itself for bad options);
    the Azure answer's own fields (``status``, ``arm_code``, ``error_message``, ``request_id``, ``retries``) come along."""
    answer = error.to_result(lang)
    findings = list(answer["findings"] or [])
    first = findings[0] if findings else {}
    outcome = empty_outcome()
    outcome.update({
        "rc": None, "exit_code": None, "cause": first.get("cause") or error.message, "remediation": first.get("remediation"),
        "category": first.get("category") or error.category_guess(), "retryable": bool(first.get("retryable")),
        "action": first.get("action") or "report", "findings": findings,
    })
    fields = {key: answer[key] for key in ("status", "arm_code", "error_message", "request_id", "retries")}
    fields.update(extra)
    return ModuleFailure(error.message if error.kind == "config" else answer["msg"], outcome, **fields)
