# -*- coding: utf-8 -*-
# Copyright (c) 2025, arcops.azcmagent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Text basics every parser of agent output shares: input coercion, ANSI escapes, lines, Go escapes, JSON in text.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

Pure functions, standard library only (Python 3.8+). No function here raises on any input;
``None`` and bytes are accepted where text is expected (bytes are decoded as UTF-8 with
replacement), lists of lines are joined.
"""

from __future__ import annotations

import json
import re
import typing as t

__all__ = ["as_text", "strip_ansi", "normalise", "split_lines", "unescape", "raw_decode", "json_value", "LineCounter"]


def as_text(value: object) -> str:
    """Any input as text: None -> '', bytes decoded (UTF-8, replacement), lists joined by lines."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, (list, tuple)):
        return "\n".join(as_text(item) for item in value)
    return str(value)


# ANSI escapes: CSI (ESC [ params intermediates final), OSC (ESC ] ... BEL or ESC \),
# any other two-character escape, the 8-bit CSI, and a lone ESC.
_ANSI_RE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b\r\n]*(?:\x07|\x1b\\)"
    r"|\x1b[@-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x1b"
)


def strip_ansi(text: object) -> str:
    """Return text without ANSI escape sequences (colours, cursor moves, titles)."""
    text = as_text(text)
    if "\x1b" not in text and "\x9b" not in text:
        return text
    return _ANSI_RE.sub("", text)


def normalise(text: object) -> str:
    """ANSI stripped, every line break (CRLF, CR, LF) as LF."""
    text = strip_ansi(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split_lines(text: object) -> list[str]:
    """Split console output into lines: ANSI stripped, CRLF / CR / LF aware; a final line break gives no empty line."""
    text = normalise(text)
    if not text:
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


# Go strconv.Quote escapes (logrus quotes values with %q).
_ESCAPE_RE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
                   "f": "\f", "v": "\v", "'": "'", "/": "/"}


def _unescape_repl(match: re.Match[str]) -> str:
    hex2, hex4, hex8, char = match.groups()
    number = hex2 or hex4 or hex8
    if number is not None:
        code = int(number, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return "\ufffd"
        return chr(code)
    return _SIMPLE_ESCAPES.get(char, f"\\{char}")


def unescape(value: str) -> str:
    """Decode Go/logrus string escapes (``\\"``, ``\\\\``, ``\\n``, ``\\uXXXX``, ...)."""
    if "\\" not in value:
        return value
    return _ESCAPE_RE.sub(_unescape_repl, value)


_DECODER = json.JSONDecoder(strict=False)


def raw_decode(window: str, index: int = 0) -> tuple[t.Any, int]:
    """(object, end) of the JSON document at ``index``, or (None, position reached); never raises."""
    try:
        return _DECODER.raw_decode(window, index)
    except ValueError as exc:
        return None, getattr(exc, "pos", len(window))
    except RecursionError:
        return None, len(window)


# A line that starts a JSON document (after log lines).
_JSON_LINE_START_RE = re.compile(r"(?m)^[ \t]*[\[{]")


def json_value(text: str) -> t.Any:
    """The first JSON document in text (object or array) that starts a line, or None."""
    stripped = text.strip()
    if not stripped:
        return None
    if stripped[0] in "{[":
        obj, end = raw_decode(stripped)
        if obj is not None and not stripped[end:].strip():
            return obj
    for match in _JSON_LINE_START_RE.finditer(text):
        obj, _end = raw_decode(text, match.end() - 1)
        if obj is not None:
            return obj
    return None


class LineCounter:
    """Line number of increasing positions in a text, counting newlines incrementally."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def at(self, pos: int) -> int:
        """The 1-based line number of ``pos``."""
        if pos < self.pos:
            self.pos = 0
            self.line = 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line
