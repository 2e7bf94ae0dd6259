# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The outcome fields every agent module returns, and the one place that fails a module.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

An outcome is a dict with the keys of :data:`OUTCOME_KEYS` (see docs/architecture.md, "Module
outcome fields").  It is built from a :class:`~._runner.RunResult` through
:func:`._diagnosis.diagnose`, from a validation error, from a runner error, or for the cases where
the module decides without running the agent (already connected, timeout, target mismatch).

Modules raise :class:`ModuleFailure`; :func:`run_module` turns it into the single
``module.fail_json`` call of the collection, with ``msg`` (``"AZCM0041: <cause>. <remediation>"``
in the language of option ``lang``), ``cmd``, ``rc``, ``stdout``, ``stderr`` and the outcome fields.
"""

from __future__ import annotations

import traceback

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import lookup
from ansible_collections.arcops.azcmagent.plugins.module_utils._diagnosis import diagnose

OUTCOME_KEYS = (
    "rc", "exit_code", "azcm_code", "azcm_codes", "title", "cause", "remediation", "category", "retryable",
    "action", "findings", "log_lines", "stdout_lines", "stderr_lines", "cmd", "state",
)

_TEXTS = {
    "en": {
        "timeout_cause": "The azcmagent command did not finish within {timeout} seconds; its process group was stopped",
        "timeout_remediation": "Retry the command; if it keeps hanging, check the network path to Azure (azcmagent check) "
                               "and raise the module's timeout option",
        "not_found_cause": "The Azure Connected Machine agent was not found ({detail})",
        "not_found_remediation": "Install the agent (role arcops.azcmagent.install) or set the executable option to its path",
        "lock_cause": "Another azcmagent run on this machine kept the agent lock ({detail})",
        "lock_remediation": "Wait for the other run to finish and try again, or raise the lock_timeout option",
        "mismatch_cause": "The machine is already connected to another target (now: {current}; requested: {requested})",
        "mismatch_state_cause": "The machine is still onboarded with status {status} (resource {current}; requested: {requested})",
        "mismatch_remediation": "Run azcmagent disconnect to remove the current connection, then connect again; "
                                "or set on_mismatch=reconnect to let the module do it",
        "same_target_cause": "The machine is already connected to the requested target ({current})",
        "same_target_remediation": "Nothing to do",
        "internal_cause": "The module failed unexpectedly: {detail}",
        "internal_remediation": "Report this as a bug of arcops.azcmagent with the module's output",
    },
    "nl": {
        "timeout_cause": "De azcmagent-opdracht was na {timeout} seconden niet klaar; de procesgroep is gestopt",
        "timeout_remediation": "Voer de opdracht opnieuw uit; blijft hij hangen, controleer dan de netwerkroute naar Azure "
                               "(azcmagent check) en verhoog de optie timeout van de module",
        "not_found_cause": "De Azure Connected Machine-agent is niet gevonden ({detail})",
        "not_found_remediation": "Installeer de agent (rol arcops.azcmagent.install) of zet de optie executable op het pad ervan",
        "lock_cause": "Een andere azcmagent-opdracht op deze machine hield de agentvergrendeling vast ({detail})",
        "lock_remediation": "Wacht tot de andere opdracht klaar is en probeer het opnieuw, of verhoog de optie lock_timeout",
        "mismatch_cause": "De machine is al verbonden met een ander doel (nu: {current}; gevraagd: {requested})",
        "mismatch_state_cause": "De machine is nog aangemeld met status {status} (resource {current}; gevraagd: {requested})",
        "mismatch_remediation": "Voer azcmagent disconnect uit om de huidige verbinding te verwijderen en maak daarna opnieuw "
                                "verbinding; of zet on_mismatch=reconnect zodat de module dat doet",
        "same_target_cause": "De machine is al verbonden met het gevraagde doel ({current})",
        "same_target_remediation": "Er hoeft niets te gebeuren",
        "internal_cause": "De module is onverwacht mislukt: {detail}",
        "internal_remediation": "Meld dit als fout van arcops.azcmagent, met de uitvoer van de module",
    },
}


def text(lang, key, **kwargs):
    """A localized sentence of this module (English when lang is unknown)."""
    return _TEXTS.get(lang, _TEXTS["en"])[key].format(**kwargs)


class ModuleFailure(Exception):
    """Raised by module code: the module fails with ``msg`` and the outcome (and any extra return values)."""

    def __init__(self, msg, outcome, run=None, **extra):
        super(ModuleFailure, self).__init__(msg)
        self.msg = msg
        self.outcome = outcome
        self.run = run
        self.extra = extra


def _lines(value):
    return (value or "").splitlines()


def _strip_period(value):
    return (value or "").strip().rstrip(".")


def message(outcome, detail=None):
    """``"AZCM0041: <cause>. <remediation>"`` (``detail`` is appended to the cause in parentheses)."""
    cause = _strip_period(outcome.get("cause")) or "azcmagent failed"
    if detail:
        cause = "%s (%s)" % (cause, _strip_period(detail))
    remediation = _strip_period(outcome.get("remediation"))
    code = outcome.get("azcm_code")
    head = "%s: %s." % (code, cause) if code else "%s." % cause
    return "%s %s." % (head, remediation) if remediation else head


def empty_outcome(state=None, cmd=""):
    """The outcome of a module that decided without running a mutating command (success)."""
    return {
        "rc": 0, "exit_code": 0, "azcm_code": None, "azcm_codes": [], "title": None, "cause": None,
        "remediation": None, "category": "success", "retryable": False, "action": "none", "findings": [],
        "log_lines": [], "stdout_lines": [], "stderr_lines": [], "cmd": cmd, "state": state,
    }


def from_code(code, lang="en", state=None, cmd="", cause=None, remediation=None, rc=None, **overrides):
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


def from_run(run, lang="en", state=None):
    """Build the outcome of one agent run from its stdout, stderr, appended log lines and exit status."""
    # A process killed by a signal (timeout) has a negative status that stands for no AZCM code.
    status = run.rc if isinstance(run.rc, int) and 0 <= run.rc <= 255 and not run.timed_out else None
    diagnosis = diagnose({"stdout": run.stdout, "stderr": run.stderr, "log_lines": list(run.log_lines), "rc": status,
                          "failed": not run.ok}, lang=lang)
    codes = list(diagnosis.get("azcm_codes") or [])
    outcome = {
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
    if run.timed_out:
        info = lookup("AZCM0011", lang)
        outcome.update({
            "azcm_code": info["code"], "azcm_codes": [c for c in codes if c != info["code"]] + [info["code"]],
            "exit_code": info["exit_code"], "title": info.get("title"),
            "cause": text(lang, "timeout_cause", timeout=run.timeout), "remediation": text(lang, "timeout_remediation"),
            "category": "transient", "retryable": True, "action": "retry",
        })
    return outcome


def failure_from_run(run, lang="en", state=None, **extra):
    """A :class:`ModuleFailure` for a failed (or timed-out) agent run."""
    outcome = from_run(run, lang, state)
    return ModuleFailure(message(outcome), outcome, run=run, **extra)


def failure_from_validation(error, lang="en", state=None):
    """A :class:`ModuleFailure` for a :class:`~._validate.ValidationError` (nothing ran)."""
    outcome = from_code(error.code, lang, state=state, rc=None)
    outcome["cause"] = "%s: %s" % (_strip_period(outcome["cause"]), error.detail)
    outcome["findings"] = [{
        "id": "invalid_option", "category": outcome["category"], "cause": error.detail, "remediation": outcome["remediation"],
        "evidence": error.option, "action": outcome["action"], "retryable": False, "details": {"option": error.option},
    }]
    outcome.update({"rc": None, "retryable": False})
    return ModuleFailure(message(outcome), outcome)


def failure_from_agent_error(error, lang="en", state=None):
    """A :class:`ModuleFailure` for a runner error (agent not found, lock timeout)."""
    from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import AgentNotFound, LockTimeout
    if isinstance(error, AgentNotFound):
        outcome = empty_outcome(state or "NotInstalled")
        outcome.update({"rc": None, "exit_code": None, "category": "install", "action": "report",
                        "cause": text(lang, "not_found_cause", detail=error.message),
                        "remediation": text(lang, "not_found_remediation")})
    elif isinstance(error, LockTimeout):
        outcome = from_code("AZCM0011", lang, state=state, cause=text(lang, "lock_cause", detail=error.message),
                            remediation=text(lang, "lock_remediation"), category="transient", retryable=True, action="retry")
        outcome["rc"] = None
    else:
        outcome = empty_outcome(state)
        outcome.update({"rc": None, "exit_code": None, "category": "internal", "action": "report",
                        "cause": text(lang, "internal_cause", detail=error), "remediation": text(lang, "internal_remediation")})
    return ModuleFailure(message(outcome), outcome)


def fail(module, failure):
    """THE place where a module of this collection fails: msg, cmd, rc, stdout, stderr and the outcome fields."""
    result = dict(failure.outcome)
    result.update(failure.extra)
    run = failure.run
    result["cmd"] = run.cmd if run is not None else result.get("cmd", "")
    result["rc"] = run.rc if run is not None else result.get("rc")
    result["stdout"] = run.stdout if run is not None else ""
    result["stderr"] = run.stderr if run is not None else ""
    result.setdefault("changed", False)
    module.fail_json(msg=failure.msg, **result)


def run_module(module, func):
    """Run ``func(module) -> dict`` and exit with its result, or fail through :func:`fail`."""
    try:
        result = func(module)
    except ModuleFailure as failure:
        fail(module, failure)
    except Exception as exc:  # pylint: disable=broad-except
        lang = module.params.get("lang") or "en"
        outcome = empty_outcome()
        outcome.update({"rc": None, "exit_code": None, "category": "internal", "action": "report",
                        "cause": text(lang, "internal_cause", detail=exc), "remediation": text(lang, "internal_remediation")})
        fail(module, ModuleFailure(message(outcome), outcome, exception=traceback.format_exc()))
    else:
        module.exit_json(**result)
