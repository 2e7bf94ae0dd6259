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
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog_data import CATALOG
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import DEFAULT_LANG, LANGUAGES, normalize_lang, text

# The languages and normalize_lang() live in _texts (the one text table), the catalog reads its per-code texts through them.
__all__ = ["TROUBLESHOOTING_URL", "CATEGORIES", "ACTIONS", "DESTRUCTIVE_ACTIONS", "CODES", "CodeError", "CodeInfo", "normalize_code",
           "is_code", "is_known", "lookup"]

TROUBLESHOOTING_URL = "https://aka.ms/arc/azcmerror"

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
CODES: tuple[str, ...] = tuple(sorted(CATALOG, key=lambda code: int(CATALOG[code]["exit_code"])))

# A code as text: optional "AZCM" prefix (any case), then 1 to 4 ASCII digits, nothing else.
# "AZCM0044", "azcm0044", "AZCM44", "0044" and "44" match; "AZCM44x", "AZCM00044", "-1" do not.
# [0-9] and not \d: \d also matches non-ASCII digits such as U+0664.
_CODE_TEXT_RE = re.compile(r"^(?:AZCM)?(?P<number>[0-9]{1,4})$", re.IGNORECASE)

_ACCEPTED_FORMS = "'AZCM0044', 'azcm0044', '0044', '44' or the integer 44 (0 to 9999)"


class CodeError(ValueError):
    """A value that is not an AZCM code in any accepted form."""


class CodeInfo(t.TypedDict):
    """What :func:`lookup` says about a code."""

    code: str
    exit_code: int
    title: str
    console_title: str | None
    cause: str
    remediation: str
    category: str
    retryable: bool
    action: str
    legacy: bool
    known: bool
    note: str | None
    url: str
    lang: str


def normalize_code(value: object) -> str:
    """Return the canonical form ``AZCMnnnn`` of an AZCM code.

    Accepts ``"AZCM0044"``, ``"azcm0044"``, ``"AZCM44"``, ``"0044"``, ``"44"`` (surrounding blanks are ignored)
    and the integer ``44`` (0 to 9999). Raises CodeError for anything else.
    """
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise CodeError(f"{value!r} is not an AZCM code: expected {_ACCEPTED_FORMS}")
    if isinstance(value, int):
        number = value
    else:
        match = _CODE_TEXT_RE.match(value.strip())
        if match is None:
            raise CodeError(f"{value!r} is not an AZCM code: expected {_ACCEPTED_FORMS}")
        number = int(match.group("number"))
    if not 0 <= number <= 9999:
        raise CodeError(f"{value!r} is out of range for an AZCM code: expected {_ACCEPTED_FORMS}")
    return f"AZCM{number:04d}"


def is_code(value: object) -> bool:
    """Tell whether ``value`` is an AZCM code in an accepted form (known to the catalog or not)."""
    try:
        normalize_code(value)
    except CodeError:
        return False
    return True


def is_known(value: object) -> bool:
    """Tell whether ``value`` is an AZCM code that the catalog describes."""
    try:
        return normalize_code(value) in CATALOG
    except CodeError:
        return False


def _unknown_entry(code: str) -> dict[str, t.Any]:
    """The entry of a well-formed code that the catalog does not describe (texts: ``diagnosis.unknown_code.*``)."""
    entry: dict[str, t.Any] = {
        "exit_code": int(code[4:]),
        "legacy": False,
        "category": "unknown",
        "retryable": False,
        "action": "report",
        "console_title": None,
        "note": None,
    }
    for key in ("title", "cause", "remediation"):
        entry[key] = {lang: text(f"diagnosis.unknown_code.{key}", lang, code=code, url=TROUBLESHOOTING_URL) for lang in LANGUAGES}
    return entry


def lookup(value: object, lang: str = DEFAULT_LANG) -> CodeInfo:
    """Describe an AZCM code in ``lang`` (``en`` or ``nl``).

    Returns a new dict on every call (callers may change it): ``code``, ``exit_code``, ``title``,
    ``console_title``, ``cause``, ``remediation``, ``category``, ``retryable``, ``action``, ``legacy``,
    ``known``, ``note`` (the code's older meaning, or None), ``url`` and ``lang``. A well-formed code
    that the catalog does not describe gives ``known: False`` and category ``unknown``.
    Raises CodeError (a ValueError) for a bad code and ValueError for an unsupported language.
    """
    code = normalize_code(value)
    lang = normalize_lang(lang)
    known = code in CATALOG
    entry = CATALOG[code] if known else _unknown_entry(code)
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
