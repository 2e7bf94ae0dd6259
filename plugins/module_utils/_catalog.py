# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The AZCM code catalog: what a code means, in English or Dutch, and what can be done about it.

PRIVATE: this module is private to the arcops.azcmagent collection and may change at any time.

Modules (on the managed node) and filters (on the controller) both use it, so a code means the
same thing everywhere. Standard library only, Python 3.8+.

    >>> lookup("azcm0044", lang="nl")["action"]
    'delete_resource'
"""

from __future__ import annotations

import re

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog_data import CATALOG

TROUBLESHOOTING_URL = "https://aka.ms/arc/azcmerror"

LANGUAGES = ("en", "nl")
DEFAULT_LANG = "en"

CATEGORIES = (
    "success",
    "credentials",
    "permissions",
    "network",
    "proxy",
    "dns",
    "tls",
    "input",
    "agent_service",
    "already_connected",
    "resource_conflict",
    "providers",
    "local_config",
    "install",
    "platform",
    "tpm",
    "extension",
    "throttling",
    "transient",
    "internal",
    "unknown",
)

ACTIONS = (
    "retry",
    "restart_services",
    "escalate",
    "register_providers",
    "set_proxy",
    "check_network",
    "force_local_disconnect",
    "delete_resource",
    "reonboard",
    "report",
    "none",
)

# Actions that delete or disconnect something: opt-in through the policy, shown in check mode only.
DESTRUCTIVE_ACTIONS = frozenset(("force_local_disconnect", "delete_resource", "reonboard"))

# Every code of the catalog, in numeric order.
CODES = tuple(sorted(CATALOG, key=lambda code: CATALOG[code]["exit_code"]))

# A code as text: optional "AZCM" prefix (any case), then 1 to 4 ASCII digits, nothing else.
# "AZCM0044", "azcm0044", "AZCM44", "0044" and "44" match; "AZCM44x", "AZCM00044", "-1" do not.
# [0-9] and not \d: \d also matches non-ASCII digits such as U+0664.
_CODE_TEXT_RE = re.compile(r"^(?:AZCM)?(?P<number>[0-9]{1,4})$", re.IGNORECASE)

# A language tag: a two-letter primary language, then optional "-" or "_" subtags ("nl", "nl-NL", "nl_BE", "EN").
_LANG_RE = re.compile(r"^(?P<primary>[A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*$")

_ACCEPTED_FORMS = "'AZCM0044', 'azcm0044', '0044', '44' or the integer 44 (0 to 9999)"

_UNKNOWN_TEXT = {
    "title": {
        "en": "Unknown AZCM code",
        "nl": "Onbekende AZCM-code",
    },
    "cause": {
        "en": "The agent reported {code}, a code this catalog does not know (newer than this collection, or undocumented)",
        "nl": "De agent meldde {code}, een code die deze catalogus niet kent (nieuwer dan deze collectie, of niet gedocumenteerd)",
    },
    "remediation": {
        "en": (
            "Look the code up in the current list at {url}, then run azcmagent connect --verbose again and read the agent log "
            "(/var/opt/azcmagent/log/azcmagent.log) for the detailed error."
        ),
        "nl": (
            "Zoek de code op in de actuele lijst op {url}, voer daarna azcmagent connect --verbose opnieuw uit en lees het "
            "agentlogboek (/var/opt/azcmagent/log/azcmagent.log) voor de uitgebreide foutmelding."
        ),
    },
}


class CodeError(ValueError):
    """A value that is not an AZCM code in any accepted form."""


def normalize_code(value):
    """Return the canonical form ``AZCMnnnn`` of an AZCM code.

    Accepts ``"AZCM0044"``, ``"azcm0044"``, ``"AZCM44"``, ``"0044"``, ``"44"`` (surrounding blanks are ignored)
    and the integer ``44`` (0 to 9999). Raises CodeError for anything else.
    """
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise CodeError("%r is not an AZCM code: expected %s" % (value, _ACCEPTED_FORMS))
    if isinstance(value, int):
        number = value
    else:
        match = _CODE_TEXT_RE.match(value.strip())
        if match is None:
            raise CodeError("%r is not an AZCM code: expected %s" % (value, _ACCEPTED_FORMS))
        number = int(match.group("number"))
    if not 0 <= number <= 9999:
        raise CodeError("%r is out of range for an AZCM code: expected %s" % (value, _ACCEPTED_FORMS))
    return "AZCM%04d" % number


def is_code(value):
    """Tell whether ``value`` is an AZCM code in an accepted form (known to the catalog or not)."""
    try:
        normalize_code(value)
    except CodeError:
        return False
    return True


def is_known(value):
    """Tell whether ``value`` is an AZCM code that the catalog describes."""
    try:
        return normalize_code(value) in CATALOG
    except CodeError:
        return False


def normalize_lang(lang):
    """Return ``"en"`` or ``"nl"`` for a language tag such as ``"EN"``, ``"nl-NL"`` or ``"nl_BE"``.

    Raises ValueError for anything else.
    """
    match = _LANG_RE.match(lang.strip()) if isinstance(lang, str) else None
    primary = match.group("primary").lower() if match else None
    if primary not in LANGUAGES:
        raise ValueError("unsupported language %r: expected one of %s (a region such as 'nl-NL' is allowed)" % (lang, ", ".join(LANGUAGES)))
    return primary


def _unknown_entry(code):
    """The entry of a well-formed code that the catalog does not describe."""
    fill = {"code": code, "url": TROUBLESHOOTING_URL}
    entry = {
        "exit_code": int(code[4:]),
        "legacy": False,
        "category": "unknown",
        "retryable": False,
        "action": "report",
        "console_title": None,
        "note": None,
    }
    for key, texts in _UNKNOWN_TEXT.items():
        entry[key] = dict((lang, text.format(**fill)) for lang, text in texts.items())
    return entry


def lookup(value, lang=DEFAULT_LANG):
    """Describe an AZCM code in ``lang`` (``en`` or ``nl``).

    Returns a new dict on every call (callers may change it): ``code``, ``exit_code``, ``title``,
    ``console_title``, ``cause``, ``remediation``, ``category``, ``retryable``, ``action``, ``legacy``,
    ``known``, ``note`` (the code's older meaning, or None), ``url`` and ``lang``. A well-formed code
    that the catalog does not describe gives ``known: False`` and category ``unknown``.
    Raises CodeError (a ValueError) for a bad code and ValueError for an unsupported language.
    """
    code = normalize_code(value)
    lang = normalize_lang(lang)
    entry = CATALOG.get(code)
    known = entry is not None
    if not known:
        entry = _unknown_entry(code)
    note = entry["note"]
    return {
        "code": code,
        "exit_code": entry["exit_code"],
        "title": entry["title"][lang],
        "console_title": entry["console_title"],
        "cause": entry["cause"][lang],
        "remediation": entry["remediation"][lang],
        "category": entry["category"],
        "retryable": entry["retryable"],
        "action": entry["action"],
        "legacy": entry["legacy"],
        "known": known,
        "note": note[lang] if note else None,
        "url": TROUBLESHOOTING_URL,
        "lang": lang,
    }
