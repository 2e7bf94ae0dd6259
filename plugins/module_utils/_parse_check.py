# -*- coding: utf-8 -*-
# Copyright (c) 2025, arcops.azcmagent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""``azcmagent check``: its endpoint table (``|`` separated or blank padded) and its JSON form (``check -j``).

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

``parse_check(text) -> list[CheckRow]``
    One row per endpoint: ``{"endpoint": str, "reachable": bool, "private": bool|None,
    "tls": str|None, "proxy": str}``. Log lines before the table (``INFO    Testing ...``) are
    skipped. Pure, standard library only (Python 3.8+), never raises.
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_console import LOGRUS_RE, MODERN_RE, STRUCTURED_RE
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_text import json_value, normalise

__all__ = ["CheckRow", "parse_check"]


class CheckRow(t.TypedDict):
    """One endpoint of the check table."""

    endpoint: str
    reachable: bool
    private: bool | None
    tls: str | None
    proxy: str


# Table cells: tabwriter "|" separators, or 2+ blanks when printed without them.
_CHECK_SPLIT_RE = re.compile(r"[ \t]*\|[ \t]*|[ \t]{2,}")


def _bool_or_none(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if value is None:
        return None
    word = str(value).strip().lower()
    if word in ("true", "yes"):
        return True
    if word in ("false", "no"):
        return False
    return None


def _check_row(cells: t.Mapping[str, t.Any]) -> CheckRow:
    """Normalise one check row given as {lower-case column: value}."""
    tls = cells.get("tls")
    proxy = cells.get("proxy", cells.get("proxy status", cells.get("proxystatus", "")))
    return {
        "endpoint": str(cells.get("endpoint") or cells.get("url") or "").strip(),
        "reachable": bool(_bool_or_none(cells.get("reachable"))),
        "private": _bool_or_none(cells.get("private")),
        "tls": None if tls is None or str(tls).strip().lower() in ("", "unknown", "n/a") else str(tls).strip(),
        "proxy": "" if proxy is None else str(proxy).strip(),
    }


def parse_check(text: object) -> list[CheckRow]:
    """Parse `azcmagent check` table or JSON output into a list of endpoint rows."""
    text = normalise(text)
    stripped = text.strip()
    if "[" in stripped and ("{" in stripped) and (stripped[:1] == "[" or "\n[" in text):
        obj = json_value(text)
        if isinstance(obj, list):
            return [_check_row({str(key).strip().lower(): value for key, value in item.items()}) for item in obj if isinstance(item, dict)]
    rows = []
    columns = None
    for line in text.split("\n"):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in _CHECK_SPLIT_RE.split(line.strip())]
        while cells and cells[-1] == "":
            cells.pop()
        upper = [cell.upper() for cell in cells]
        if "ENDPOINT" in upper and "REACHABLE" in upper:
            columns = [cell.lower() for cell in cells]
            continue
        if columns is None or len(cells) < 2 or set(line.strip()) <= set("-|+= "):
            continue
        if MODERN_RE.match(line) or LOGRUS_RE.match(line) or STRUCTURED_RE.match(line):
            continue
        rows.append(_check_row(dict(zip(columns, cells))))
    return rows
