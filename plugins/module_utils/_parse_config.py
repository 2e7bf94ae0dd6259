# -*- coding: utf-8 -*-
# Copyright (c) 2025, arcops.azcmagent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""``azcmagent config list`` and ``azcmagent version``.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

``parse_config_list(text) -> dict``
    ``azcmagent config list`` (or a JSON object): ``{key: value}``, ``(preview)`` stripped from
    keys; ``true``/``false`` -> bool, ``[]``/``[a, b]`` -> list of str, integers -> int.

``parse_version(text) -> str | None``
    ``"azcmagent version  1.7.21162.003"`` -> ``"1.7.21162.003"``; also ``1.58.03228.700``,
    ``1.50.02986-239``.

Pure, standard library only (Python 3.8+), never raises.
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_text import json_value, normalise

__all__ = ["parse_config_list", "parse_version"]

# config list row: 2-space indent, key padded, ": value".
# (Key and value end in a non-blank, matched greedily: a lazy group before [ \t]* is quadratic in a run of blanks.)
_CONFIG_ROW_RE = re.compile(r"[ \t]+(?P<key>[^\s:](?:[^:]*[^: \t])?)[ \t]*:(?:[ \t]?(?P<value>(?:.*[^ \t])?))?[ \t]*")
# "(preview)" suffix of a config key; an integer value.
_PREVIEW_RE = re.compile(r"[ \t]*\(preview\)\Z", re.I)
_INT_RE = re.compile(r"[+-]?\d{1,18}")


def _config_value(value: str) -> t.Any:
    word = value.strip()
    lower = word.lower()
    if lower == "true":
        return True
    if lower == "false":
        return False
    if len(word) >= 2 and word[0] == "[" and word[-1] == "]":
        inner = word[1:-1].strip()
        if not inner:
            return []
        parts = inner.split(",") if "," in inner else inner.split()
        return [part.strip() for part in parts if part.strip()]
    if _INT_RE.fullmatch(word):
        return int(word)
    return word


def parse_config_list(text: object) -> dict[str, t.Any]:
    """Parse `azcmagent config list` output into {key: value}."""
    text = normalise(text)
    stripped = text.strip()
    if stripped[:1] == "{":
        obj = json_value(text)
        if isinstance(obj, dict):
            return {_PREVIEW_RE.sub("", str(key)): value for key, value in obj.items()}
    result = {}
    for line in text.split("\n"):
        if not line.strip() or not line[:1].isspace():
            continue
        match = _CONFIG_ROW_RE.fullmatch(line)
        if match is None:
            continue
        key = _PREVIEW_RE.sub("", match.group("key").strip())
        result[key] = _config_value(match.group("value") or "")
    return result


# Agent versions: 1.7.21162.003, 1.58.03228.700, 1.50.02986-239; after the word "version", else alone on a line.
_VERSION = r"\d{1,4}\.\d{1,4}\.\d{1,6}(?:[.\-]\d{1,6})?"
_VERSION_WORD_RE = re.compile(r"[Vv]ersion[\s:=\"]{0,8}v?(?P<v>" + _VERSION + r")(?![\d.])")
_VERSION_LINE_RE = re.compile(r"(?m)^[ \t]*v?(?P<v>" + _VERSION + r")[ \t]*$")


def parse_version(text: object) -> str | None:
    """Return the agent version in `azcmagent version` output, or None."""
    text = normalise(text)
    match = _VERSION_WORD_RE.search(text)
    if match is None:
        match = _VERSION_LINE_RE.search(text)
    return match.group("v") if match is not None else None
