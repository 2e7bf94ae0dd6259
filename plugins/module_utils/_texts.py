# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one text table of the collection (English and Dutch) and its one accessor.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

Every sentence a module, filter or role shows a person, other than the per-code texts of the
AZCM catalog (``_catalog_data``), lives here under a dotted key ``<area>.<name>`` with one
entry per language; :func:`text` is the only way to read it. Placeholders use
``str.format`` names (``{timeout}``); a test checks that both languages of a key have the same
placeholders.
"""

from __future__ import annotations

import typing as t

LANGUAGES = ("en", "nl")
DEFAULT_LANG = "en"

# (typing's aliases, not collections.abc's: module_utils still import on the managed node's Python 3.8)
Texts = t.Mapping[str, t.Mapping[str, str]]

# Each area keeps its own block, so that the table reads by area. Keys are "<area>.<name>".

# -- module outcomes: agent not found, lock, timeout, target mismatch, internal errors ---------
_OUTCOME: Texts = {}

# -- the check module ---------------------------------------------------------------------------
_CHECK: Texts = {}

# -- Resource Manager and Entra ID (the ARM client and the Azure modules) ----------------------
_ARM: Texts = {}

# -- option validation --------------------------------------------------------------------------
_VALIDATION: Texts = {}

# -- network probes -----------------------------------------------------------------------------
_PROBES: Texts = {}

# -- classifier defaults and diagnosis sentences ----------------------------------------------
_DIAGNOSIS: Texts = {}

# -- remediation plans ----------------------------------------------------------------------------
_PLAN: Texts = {
    "plan.budget": {
        "en": "The retry budget is spent (attempt {attempt} of {max_attempts}): {remediation}",
        "nl": "Het aantal pogingen is op (poging {attempt} van {max_attempts}): {remediation}",
    },
    "plan.blocked": {
        "en": "The policy does not allow {action} (policy key {policy_key}): {remediation}",
        "nl": "Het beleid staat {action} niet toe (beleidssleutel {policy_key}): {remediation}",
    },
    "plan.no_resource": {
        "en": "The agent's output does not name the resource ID of the existing machine, so nothing is deleted: {remediation}",
        "nl": "De uitvoer van de agent noemt de resource-ID van de bestaande machine niet, dus wordt er niets verwijderd: {remediation}",
    },
}

# -- per-host results and the fleet summary -----------------------------------------------------
_RESULTS: Texts = {
    "results.message": {
        "en": "{host}: {code} ({category}): {cause}. {remediation}",
        "nl": "{host}: {code} ({category}): {cause}. {remediation}",
    },
    "results.no_code": {"en": "no AZCM code", "nl": "geen AZCM-code"},
    "results.step_failed": {
        "en": "The automatic step {action} failed: {detail}.",
        "nl": "De automatische stap {action} is mislukt: {detail}.",
    },
    "results.remediate_step_failed": {
        "en": "The step {action} failed: {detail}.",
        "nl": "De stap {action} is mislukt: {detail}.",
    },
    "results.no_detail": {"en": "no detail", "nl": "geen details"},
    "results.state_refused": {
        "en": "The agent's state directory could not be derived from its log file ({log_file}), so nothing was removed. "
              "Set azcmagent_state_dirs to the directories to remove.",
        "nl": "De statusmap van de agent kon niet uit zijn logbestand ({log_file}) worden afgeleid, dus er is niets verwijderd. "
              "Geef in azcmagent_state_dirs de mappen op die weg moeten.",
    },
    "results.none_reported": {"en": "none reported", "nl": "geen gemeld"},
    "results.still_stopped": {
        "en": "After the repair the agent is {state} and these services are still stopped: {services}.",
        "nl": "Na het herstel is de agent {state} en deze services staan nog steeds stil: {services}.",
    },
    "results.unknown": {"en": "unknown", "nl": "onbekend"},
    "results.none": {"en": "none", "nl": "geen"},
    "results.healthy": {"en": "healthy", "nl": "gezond"},
    "results.restarted": {"en": "restarted {services}", "nl": "herstart: {services}"},
    "results.would_restart": {"en": "would restart {services}", "nl": "zou herstarten: {services}"},
    "results.not_repaired": {"en": "not repaired: {services}", "nl": "niet hersteld: {services}"},
    "results.agent_is": {"en": "The agent is {status}", "nl": "De agent is {status}"},
    "results.onboard_it": {
        "en": "Onboard it with the arcops.azcmagent.onboard playbook.",
        "nl": "Verbind de machine met het playbook arcops.azcmagent.onboard.",
    },
    "results.diagnose_message": {"en": "{host}: {code}: {remediation}", "nl": "{host}: {code}: {remediation}"},
    "results.no_result": {
        "en": "The host has no result: it was unreachable or failed before the role ended; read its task output.",
        "nl": "De host heeft geen resultaat: hij was onbereikbaar of faalde voordat de rol klaar was; lees de uitvoer van zijn taken.",
    },
    "results.no_result_message": {"en": "{host}: no result", "nl": "{host}: geen resultaat"},
    "results.title_default": {"en": "Azure Arc", "nl": "Azure Arc"},
    "results.title_onboard": {"en": "Onboarding", "nl": "Verbinden"},
    "results.title_offboard": {"en": "Offboarding", "nl": "Loskoppelen"},
    "results.title_remediate": {"en": "Remediation", "nl": "Herstel"},
    "results.title_diagnose": {"en": "Diagnosis", "nl": "Diagnose"},
    "results.headline": {
        "en": "{title}: {hosts} hosts, {connected} connected, {changed} changed, {repaired} repaired, {failed} failed.",
        "nl": "{title}: {hosts} hosts, {connected} verbonden, {changed} gewijzigd, {repaired} hersteld, {failed} mislukt.",
    },
    "results.repaired_line": {"en": "repaired {code} x{count}: {hosts}", "nl": "hersteld {code} x{count}: {hosts}"},
    "results.failed_line": {
        "en": "FAILED {code} ({category}) x{count}: {hosts} -> {remediation}",
        "nl": "MISLUKT {code} ({category}) x{count}: {hosts} -> {remediation}",
    },
    "results.failed_group": {"en": "FAILED {code} ({category}) x{count}: {hosts}", "nl": "MISLUKT {code} ({category}) x{count}: {hosts}"},
    "results.failed_member": {"en": "  {hosts} -> {remediation}", "nl": "  {hosts} -> {remediation}"},
}

TEXTS: dict[str, t.Mapping[str, str]] = {}
for _area in (_OUTCOME, _CHECK, _ARM, _VALIDATION, _PROBES, _DIAGNOSIS, _PLAN, _RESULTS):
    _clash = set(TEXTS) & set(_area)
    if _clash:
        raise RuntimeError(f"text keys defined twice: {sorted(_clash)}")
    TEXTS.update(_area)


def normalize_lang(lang: object) -> str:
    """``en`` or ``nl`` from a language tag such as ``EN``, ``nl-NL`` or ``nl_BE``.

    Raises ``ValueError`` naming the accepted values for anything else."""
    if isinstance(lang, str):
        base = lang.strip().replace("_", "-").split("-")[0].lower()
        if base in LANGUAGES:
            return base
    raise ValueError(f"unsupported language {lang!r}: expected one of {', '.join(LANGUAGES)} (a region such as 'nl-NL' is allowed)")


def text(key: str, lang: str = DEFAULT_LANG, /, **fields: object) -> str:
    """The sentence ``key`` in ``lang`` (English when the key has no text in that language), filled with ``fields``.

    An unknown key raises ``KeyError``: a missing text is a bug of the collection, not of the input."""
    entry = TEXTS[key]
    template = entry.get(normalize_lang(lang)) or entry[DEFAULT_LANG]
    return template.format(**fields) if fields else template
