# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Agent versions: when a version was released, whether it is inside Microsoft's support window, how to upgrade it.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

Microsoft supports only "Connected Machine agent versions released within the last year" (warning at the top of
"What's new with Azure Connected Machine agent", ``articles/azure-arc/servers/agent-release-notes.md``, and
``manage-agent.md`` "Install a specific version of the agent"). A version string of the agent is
``1.<minor>.<build>.<n>`` (``1.58.03228.700``; rpm ``1.50.02986-239``; legacy ``1.7.21162.003``): the minor number
names the monthly release, and :data:`RELEASES` maps it to the month of that release.

The table is copied from the release notes and their archive (MicrosoftDocs/azure-management-docs,
``articles/azure-arc/servers/agent-release-notes.md`` and ``agent-release-notes-archive.md``, commit d923d588,
2026-08-20: "## Version 1.<minor> - <Month> <year>" for every minor from 1.0 to 1.67; 1.42 had two releases in May 2024,
1.25 and 1.26 both came out in January 2023). The notes give a month, not a day: a release counts as made on the
**last day of its month**, so that no agent is called unsupported before its time.

A version the table does not hold:

* a minor newer than the newest row (the table is older than the agent): its release date is unknown, the status is
  ``unknown`` and no finding is raised (it is at least as new as the newest release we know of);
* a string that is not ``1.<minor>...`` (empty, another major, garbage): status ``unknown``, no finding.

``azcmagent upgrade`` exists from agent 1.62 on ("Added `azcmagent upgrade` CLI command", release notes 1.62 - March
2026; ``azcmagent-upgrade.md``: "only supported for machines that are already running version 1.62 or later"); older
agents are upgraded through the package manager (:func:`upgrade_method`).
"""

from __future__ import annotations

import calendar
import datetime
import re
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._findings import Finding, kind

__all__ = ["RELEASES", "SUPPORT_DAYS", "UPGRADE_COMMAND_MINOR", "parse_version", "release_date", "support_status",
           "support_finding", "upgrade_method", "short_version"]

#: minor -> (year, month) of the release, from Microsoft's release notes (see the module docstring).
RELEASES: t.Mapping[int, t.Tuple[int, int]] = {
    0: (2020, 9), 1: (2020, 10), 2: (2020, 11), 3: (2020, 12), 4: (2021, 3), 5: (2021, 4), 6: (2021, 5), 7: (2021, 6),
    8: (2021, 7), 9: (2021, 7), 10: (2021, 8), 11: (2021, 9), 12: (2021, 10), 13: (2021, 11), 14: (2022, 1), 15: (2022, 2),
    16: (2022, 3), 17: (2022, 4), 18: (2022, 5), 19: (2022, 6), 20: (2022, 7), 21: (2022, 8), 22: (2022, 9), 23: (2022, 10),
    24: (2022, 11), 25: (2023, 1), 26: (2023, 1), 27: (2023, 2), 28: (2023, 3), 29: (2023, 4), 30: (2023, 5), 31: (2023, 6),
    32: (2023, 7), 33: (2023, 8), 34: (2023, 9), 35: (2023, 10), 36: (2023, 11), 37: (2023, 12), 38: (2024, 2), 39: (2024, 3),
    40: (2024, 4), 41: (2024, 5), 42: (2024, 5), 43: (2024, 6), 44: (2024, 7), 45: (2024, 8), 46: (2024, 9), 47: (2024, 10),
    48: (2025, 1), 49: (2025, 2), 50: (2025, 3), 51: (2025, 4), 52: (2025, 5), 53: (2025, 6), 54: (2025, 7), 55: (2025, 8),
    56: (2025, 9), 57: (2025, 10), 58: (2025, 11), 59: (2025, 12), 60: (2026, 1), 61: (2026, 2), 62: (2026, 3), 63: (2026, 4),
    64: (2026, 5), 65: (2026, 6), 66: (2026, 7), 67: (2026, 8),
}

#: "released within the last year"
SUPPORT_DAYS = 365

#: The first minor whose agent has ``azcmagent upgrade``.
UPGRADE_COMMAND_MINOR = 62

# "1.58.03228.700", "1.50.02986-239", "azcmagent version  1.7.21162.003", "v1.58": the first dotted number, major 1.
_VERSION_RE = re.compile(r"(?<![\d.])v?(?P<major>\d+)\.(?P<minor>\d+)(?P<rest>(?:[.-]\d+)*)")

Status = t.Dict[str, t.Any]


def parse_version(value: object) -> t.Optional[t.Tuple[int, ...]]:
    """``(major, minor, ...)`` of the first version number in ``value``, or None."""
    if not isinstance(value, str):
        return None
    match = _VERSION_RE.search(value)
    if match is None:
        return None
    rest = [int(part) for part in re.split(r"[.-]", match.group("rest")) if part]
    return (int(match.group("major")), int(match.group("minor")), *rest)


def short_version(value: object) -> str:
    """``MAJOR.MINOR`` of a version (what ``azcmagent upgrade --version`` takes), or ``""``."""
    parsed = parse_version(value)
    return f"{parsed[0]}.{parsed[1]}" if parsed else ""


def release_date(value: object) -> t.Optional[datetime.date]:
    """The day a version counts as released (the last day of its release month), or None when the table lacks it."""
    parsed = parse_version(value)
    if parsed is None or parsed[0] != 1 or parsed[1] not in RELEASES:
        return None
    year, month = RELEASES[parsed[1]]
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _today(today: object) -> datetime.date:
    if isinstance(today, datetime.datetime):
        return today.date()
    if isinstance(today, datetime.date):
        return today
    if isinstance(today, str) and today.strip():
        return datetime.date.fromisoformat(today.strip()[:10])
    return datetime.date.today()


def support_status(version: object, today: object = None) -> Status:
    """Where ``version`` stands against the support window on ``today`` (a date or ``YYYY-MM-DD``; default: today).

    Keys: ``version``, ``status`` (``supported``, ``out_of_support`` or ``unknown``), ``released`` (``YYYY-MM`` or ``""``),
    ``supported_until`` (``YYYY-MM-DD`` or ``""``), ``days_over`` (days past the window, 0 inside it), ``reason``
    (``""``, ``newer_than_table``, ``not_a_version``), ``upgrade_method`` (see :func:`upgrade_method`)."""
    day = _today(today)
    text_version = version if isinstance(version, str) else ""
    parsed = parse_version(text_version)
    released = release_date(text_version)
    status: Status = {"version": text_version, "status": "unknown", "released": "", "supported_until": "", "days_over": 0,
                      "reason": "", "upgrade_method": upgrade_method(text_version)}
    if released is None:
        newer = parsed is not None and parsed[0] == 1 and parsed[1] > max(RELEASES)
        status["reason"] = "newer_than_table" if newer else "not_a_version"
        return status
    until = released + datetime.timedelta(days=SUPPORT_DAYS)
    status.update(released=released.strftime("%Y-%m"), supported_until=until.isoformat(), days_over=max(0, (day - until).days),
                  status="out_of_support" if day > until else "supported")
    return status


def support_finding(version: object, today: object = None, lang: str = "en") -> t.Optional[Finding]:
    """The ``agent_out_of_support`` finding when ``version`` is past the support window on ``today``, else None."""
    status = support_status(version, today)
    if status["status"] != "out_of_support":
        return None
    found = kind("agent_out_of_support")
    fields = {"version": status["version"], "released": status["released"], "supported_until": status["supported_until"],
              "days_over": status["days_over"]}
    return {
        "id": found.id,
        "category": found.category,
        "cause": found.rule_text("cause", lang, **fields),
        "remediation": found.rule_text("remediation", lang, **fields),
        "evidence": f"agent version {status['version']}",
        "action": found.action,
        "retryable": found.retryable,
        "details": dict(fields),
    }


def upgrade_method(version: object) -> str:
    """``agent`` when the installed agent has ``azcmagent upgrade`` (1.62 and later), ``package`` when it is older,
    ``""`` when nothing (readable) is installed."""
    parsed = parse_version(version)
    if parsed is None:
        return ""
    return "agent" if (parsed[0], parsed[1]) >= (1, UPGRADE_COMMAND_MINOR) else "package"
