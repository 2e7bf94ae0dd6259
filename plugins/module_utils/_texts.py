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
_OUTCOME: Texts = {
    "outcome.timeout_cause": {
        "en": "The azcmagent command did not finish within {timeout} seconds; its process group was stopped",
        "nl": "De azcmagent-opdracht was na {timeout} seconden niet klaar; de procesgroep is gestopt",
    },
    "outcome.timeout_remediation": {
        "en": "Retry the command; if it keeps hanging, check the network path to Azure (azcmagent check) and raise the module's "
              "timeout option",
        "nl": "Voer de opdracht opnieuw uit; blijft hij hangen, controleer dan de netwerkroute naar Azure (azcmagent check) en "
              "verhoog de optie timeout van de module",
    },
    "outcome.not_found_cause": {
        "en": "The Azure Connected Machine agent was not found ({detail})",
        "nl": "De Azure Connected Machine-agent is niet gevonden ({detail})",
    },
    "outcome.not_found_remediation": {
        "en": "Install the agent (role arcops.azcmagent.install) or set the executable option to its path",
        "nl": "Installeer de agent (rol arcops.azcmagent.install) of zet de optie executable op het pad ervan",
    },
    "outcome.lock_cause": {
        "en": "Another azcmagent run on this machine kept the agent lock ({detail})",
        "nl": "Een andere azcmagent-opdracht op deze machine hield de agentvergrendeling vast ({detail})",
    },
    "outcome.lock_remediation": {
        "en": "Wait for the other run to finish and try again, or raise the lock_timeout option",
        "nl": "Wacht tot de andere opdracht klaar is en probeer het opnieuw, of verhoog de optie lock_timeout",
    },
    "outcome.mismatch_cause": {
        "en": "The machine is already connected to another target (now: {current}; requested: {requested})",
        "nl": "De machine is al verbonden met een ander doel (nu: {current}; gevraagd: {requested})",
    },
    "outcome.mismatch_state_cause": {
        "en": "The machine is still onboarded with status {status} (resource {current}; requested: {requested})",
        "nl": "De machine is nog aangemeld met status {status} (resource {current}; gevraagd: {requested})",
    },
    "outcome.mismatch_remediation": {
        "en": "Run azcmagent disconnect to remove the current connection, then connect again; or set on_mismatch=reconnect to "
              "let the module do it",
        "nl": "Voer azcmagent disconnect uit om de huidige verbinding te verwijderen en maak daarna opnieuw verbinding; of zet "
              "on_mismatch=reconnect zodat de module dat doet",
    },
    "outcome.not_a_guid": {
        "en": "{fields} was given by name, which cannot be compared with the GUID the agent records; give the GUID so the module "
              "can compare the target",
        "nl": "{fields} is als naam opgegeven, die niet te vergelijken is met de GUID die de agent vastlegt; geef de GUID op zodat "
              "de module het doel kan vergelijken",
    },
    "outcome.same_target_cause": {
        "en": "The machine is already connected to the requested target ({current})",
        "nl": "De machine is al verbonden met het gevraagde doel ({current})",
    },
    "outcome.same_target_remediation": {
        "en": "Nothing to do",
        "nl": "Er hoeft niets te gebeuren",
    },
    "outcome.internal_cause": {
        "en": "The module failed unexpectedly: {detail}",
        "nl": "De module is onverwacht mislukt: {detail}",
    },
    "outcome.internal_remediation": {
        "en": "Report this as a bug of arcops.azcmagent with the module's output",
        "nl": "Meld dit als fout van arcops.azcmagent, met de uitvoer van de module",
    },
    "outcome.option_conflict": {
        "en": "{option} and {other} are mutually exclusive",
        "nl": "{option} en {other} sluiten elkaar uit",
    },
    "outcome.option_required_by": {
        "en": "{option} is required with {other}",
        "nl": "{option} is verplicht samen met {other}",
    },
    "outcome.list_mode_scalar": {
        "en": "list_mode={mode} only applies to multi-value settings ({settings})",
        "nl": "list_mode={mode} geldt alleen voor instellingen met meerdere waarden ({settings})",
    },
    "outcome.unparsed_line": {
        "en": "{command}: {warning} (the module did not recognise this line; please report it to arcops.azcmagent)",
        "nl": "{command}: {warning} (de module herkende deze regel niet; meld hem alstublieft bij arcops.azcmagent)",
    },
    "outcome.unparsed_more": {
        "en": "{command}: {count} more unrecognised lines of agent output were not shown",
        "nl": "{command}: nog {count} onherkende regels agentuitvoer zijn niet getoond",
    },
    "outcome.config_list_failed": {
        "en": "azcmagent config list failed (rc={rc}): {detail}",
        "nl": "azcmagent config list is mislukt (rc={rc}): {detail}",
    },
}

# -- the check module ---------------------------------------------------------------------------
_CHECK: Texts = {
    "check.summary_ok": {"en": "All {total} endpoints reachable.", "nl": "Alle {total} endpoints bereikbaar."},
    "check.summary_bad": {"en": "{good} of {total} endpoints reachable. {first}.", "nl": "{good} van {total} endpoints bereikbaar. {first}."},
    "check.summary_findings": {"en": "All {total} endpoints reachable, but: {first}.", "nl": "Alle {total} endpoints bereikbaar, maar: {first}."},
    "check.agent_missing": {
        "en": "agent_check=always but the agent is not installed ({detail})",
        "nl": "agent_check=always maar de agent is niet geinstalleerd ({detail})",
    },
    "check.agent_missing_remediation": {
        "en": "Install the agent (role arcops.azcmagent.install), set the executable option to its path, or set agent_check=auto",
        "nl": "Installeer de agent (rol arcops.azcmagent.install), zet de optie executable op het pad ervan, of zet agent_check=auto",
    },
    "check.bad_option": {"en": "{detail}", "nl": "{detail}"},
    "check.bad_option_remediation": {"en": "Correct the module's options", "nl": "Corrigeer de opties van de module"},
    "check.not_reachable": {"en": "azcmagent check reports it not reachable", "nl": "azcmagent check meldt het als niet bereikbaar"},
    "check.no_finding": {"en": "The network check failed", "nl": "De netwerkcontrole is mislukt"},
    "check.no_finding_remediation": {
        "en": "Look at the endpoints and agent_check results of the module",
        "nl": "Bekijk de resultaten endpoints en agent_check van de module",
    },
}

# -- Resource Manager and Entra ID (the ARM client and the Azure modules) ----------------------
_ARM: Texts = {
    "arm.cause": {
        "en": "Azure answered {what} with {code} (HTTP {status}): {message}",
        "nl": "Azure beantwoordde {what} met {code} (HTTP {status}): {message}",
    },
    "arm.cause_network": {
        "en": "Azure could not be reached at {url}: {message}",
        "nl": "Azure is niet bereikbaar op {url}: {message}",
    },
    "arm.remediation_credentials": {
        "en": "Check the service principal, its secret or certificate and the tenant ID",
        "nl": "Controleer de service principal, het geheim of certificaat en de tenant-ID",
    },
    "arm.remediation_permissions": {
        "en": "Give the identity a role that allows the action (for example Azure Connected Machine Resource Administrator)",
        "nl": "Geef de identiteit een rol die de actie toestaat (bijvoorbeeld Azure Connected Machine Resource Administrator)",
    },
    "arm.remediation_input": {
        "en": "Check the subscription, resource group and machine name",
        "nl": "Controleer het abonnement, de resourcegroep en de machinenaam",
    },
    "arm.remediation_resource_conflict": {
        "en": "Resolve the conflict named in the message, then run again",
        "nl": "Los het conflict uit de melding op en voer opnieuw uit",
    },
    "arm.remediation_throttling": {
        "en": "Wait for the time Azure asks for, then run again",
        "nl": "Wacht de tijd af die Azure vraagt en voer dan opnieuw uit",
    },
    "arm.remediation_transient": {
        "en": "Run again later; Azure reported a temporary failure",
        "nl": "Voer later opnieuw uit; Azure meldde een tijdelijke fout",
    },
    "arm.remediation_network": {
        "en": "Check the network path, proxy and CA file (ca_file) to the Azure endpoints",
        "nl": "Controleer het netwerkpad, de proxy en het CA-bestand (ca_file) naar de Azure-endpoints",
    },
    "arm.remediation_internal": {
        "en": "Report this answer with its request id",
        "nl": "Meld dit antwoord met de request-ID",
    },
    "arm.no_subscription": {
        "en": "subscription_id is required (or the AZURE_SUBSCRIPTION_ID environment variable)",
        "nl": "subscription_id is verplicht (of de omgevingsvariabele AZURE_SUBSCRIPTION_ID)",
    },
    "arm.machine_missing": {
        "en": "The machine resource {id} does not exist. The agent creates it when it connects: run arcops.azcmagent.connect on "
              "the machine first; this module only reconciles the tags of an existing resource",
        "nl": "De machineresource {id} bestaat niet. De agent maakt haar aan bij het verbinden: voer eerst arcops.azcmagent.connect "
              "uit op de machine; deze module past alleen de tags van een bestaande resource aan",
    },
    "arm.name_needs_group": {
        "en": "name needs resource_group: a machine is looked up in its resource group",
        "nl": "name vereist resource_group: een machine wordt in haar resourcegroep opgezocht",
    },
    "arm.provider_timeout": {
        "en": "Resource provider {namespace} is still {state} after {timeout} seconds. Wait and run again, or raise wait_timeout",
        "nl": "Resourceprovider {namespace} is na {timeout} seconden nog steeds {state}. Wacht en voer opnieuw uit, of verhoog "
              "wait_timeout",
    },
}

# -- option validation --------------------------------------------------------------------------
_VALIDATION: Texts = {}

# -- network probes -----------------------------------------------------------------------------
_PROBES: Texts = {}

# -- classifier defaults and diagnosis sentences ----------------------------------------------
_DIAGNOSIS: Texts = {}

# -- remediation plans ----------------------------------------------------------------------------
_PLAN: Texts = {}

# -- per-host results and the fleet summary -----------------------------------------------------
_RESULTS: Texts = {}

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
