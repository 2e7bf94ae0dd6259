# -*- coding: utf-8 -*-
# Copyright (c) 2025, arcops.azcmagent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Console output and ``azcmagent.log`` of every agent generation: codes, exit-code lines, logfmt, unparsed lines.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

Pure functions, standard library only (Python 3.8+); no function raises on any input (``None``,
bytes and lists of lines are accepted, see :func:`._parse_text.as_text`). Line *n* of every
result below is ``split_lines(text)[n - 1]``.

The agent's console comes in three generations, all recognised line by line:

* modern (1.30+): the level word left-justified in 7 columns (``INFO    Exit Code:  AZCM0044: ...``),
  a padded message and a ``Key=value`` tail (``Correlation ID=...``);
* logrus text (1.7 to 1.2x): ``ERRO[0002] message``, or ``INFO[2021-06-01T10:00:00Z] message``;
* logfmt (previews and ``azcmagent.log``): ``time="..." level=info msg="..." Key="value"``;

plus progress bars (``  20% [==>   ]``), the device-code prompt and the non-root refusal.

``extract_codes(text) -> list[str]``
    ``AZCMnnnn`` codes in order of first appearance, unique, upper-cased (lower-case pasted
    codes are accepted). A code needs a non-alphanumeric character (or a ``\\n``/``\\t``/``\\r``
    escape) before it and no letter or digit after it. One regex pass over the text.

``code_from_exit_status(rc) -> str | None``
    ``42 -> "AZCM0042"``; 0..125 only (ints or digit strings); anything else ``None``.

``scan_output(text) -> ScanResult``
    Computed with whole-text regular expressions (no record per line), fast on very large logs:

    * ``codes``: as ``extract_codes``.
    * ``exit_codes``: ``[{"code", "title", "line"}]`` from ``Exit Code:\\s+AZCMnnnn: Title``
      anywhere in a message and from messages that start with ``AZCMnnnn: Title``.
    * ``azure_errors``: ``parse_azure_errors`` over the text.
    * ``resource_id``: the machine resource ID: the last ``Resource ID=`` field, else the last
      one in a portal overview URL, else the last one anywhere; ``None`` when absent.
    * ``unparsed``: lines that look like agent output (a leading level word, ``level=``,
      ``[0032]``, an AZCM code) but match no known format; ``warnings``: one per such line,
      ``"line 7: unrecognised agent output: ..."``.
    * ``lines``: the number of lines.

``parse_logfmt_line(line) -> dict | None``
    A logrus logfmt line (first key ``time``, ``level`` or ``msg``) as ``{key: value}``; quoted
    values decoded (``\\"``, ``\\\\``, ``\\n``, ``\\t``, ``\\r``, ``\\uXXXX``, ...); keys may contain
    spaces (``Status Code=200``). Lenient: an unterminated quoted value runs to the end of the
    line, and tokens that are not ``key=value`` are collected under the key ``_junk``.
    ``None`` for any other line.

There is no per-line record API: no module, filter or role consumed one, and a dict per line
costs ten times the whole-text scan. The one-line parser (:func:`_line_records`) stays private:
it decides what an exit-code line says, for the lines that hold a code.
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_azure_errors import AzureError, azure_errors
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_text import LineCounter, as_text, normalise, unescape

__all__ = ["extract_codes", "code_from_exit_status", "scan_output", "parse_logfmt_line", "LEVELS", "RECORD_FORMATS",
           "ExitCode", "ScanResult", "MODERN_RE", "LOGRUS_RE", "STRUCTURED_RE",
           "LEVEL_LINE_RE", "FAILURE_LEVELS", "level_line", "line_level", "last_failure_line", "wrapper_exit_status"]

LEVELS = ("info", "error", "fatal", "debug", "warning", "trace", "panic")
RECORD_FORMATS = ("modern", "logrus", "logfmt", "progress", "devicecode", "plain")


class ExitCode(t.TypedDict):
    """An exit-code line: the code, the title printed after it and the 1-based line number."""

    code: str
    title: str
    line: int


class ScanResult(t.TypedDict):
    """What :func:`scan_output` finds in a text (see the module docstring)."""

    codes: list[str]
    exit_codes: list[ExitCode]
    azure_errors: list[AzureError]
    resource_id: str | None
    unparsed: list[str]
    warnings: list[str]
    lines: int


class _Record(t.TypedDict):
    """PRIVATE: one recognised piece of a line (two when a progress bar and a message share it)."""

    line: int
    format: str
    level: str | None
    time: str | None
    elapsed: int | None
    msg: str
    fields: dict[str, t.Any]


# Every regular expression below is anchored or literal-prefixed where it runs over big texts (a
# literal prefix lets the regex engine skip ahead quickly), and bounded where a line can be hostile
# (1 MB of junk must not make any of them quadratic).

# ---------------------------------------------------------------------------------------------
# AZCM codes
# ---------------------------------------------------------------------------------------------

# "AZCM0042", or pasted as "azcm0042" / "Azcm0042". Two literal-prefixed scans (fast); the character
# before the code is checked in Python ("xAZCM0042" is not a code).
_CODE_UPPER_RE = re.compile(r"AZCM(\d{4})(?![0-9A-Za-z_])")
_CODE_LOWER_RE = re.compile(r"zcm(\d{4})(?![0-9A-Za-z_])")
_CODE_BAD_PREFIX = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
# A code in any case, inside larger patterns.
_CODE_ANY = r"(?:AZCM|[Aa]zcm)\d{4}"


def _escape_before(text: str, start: int) -> bool:
    """True when a \\n, \\t or \\r escape (logfmt) ends right before start."""
    return start >= 2 and text[start - 2] == "\\" and text[start - 1] in "ntr"


def _code_matches(text: str) -> list[tuple[int, str]]:
    """[(position, "AZCMnnnn")] for every code in the text, in order."""
    found = []
    for match in _CODE_UPPER_RE.finditer(text):
        start = match.start()
        if start and text[start - 1] in _CODE_BAD_PREFIX and not _escape_before(text, start):
            continue
        found.append((start, f"AZCM{match.group(1)}"))
    lower = []
    for match in _CODE_LOWER_RE.finditer(text):
        start = match.start() - 1
        if start < 0 or text[start] not in "Aa":
            continue
        if start and text[start - 1] in _CODE_BAD_PREFIX and not _escape_before(text, start):
            continue
        lower.append((start, f"AZCM{match.group(1)}"))
    if lower:
        found = sorted(found + lower)
    return found


def extract_codes(text: object) -> list[str]:
    """AZCM codes in order of first appearance, unique, upper case."""
    return list(dict.fromkeys(code for _pos, code in _code_matches(as_text(text))))


def code_from_exit_status(rc: object) -> str | None:
    """Return the AZCM code of a process exit status (0..125), else None."""
    if isinstance(rc, bool):
        return None
    if isinstance(rc, str):
        digits = rc.strip()
        if not digits.isdigit() or len(digits) > 3 or not digits.isascii():
            return None
        rc = int(digits)
    if not isinstance(rc, int) or rc < 0 or rc > 125:
        return None
    return f"AZCM{rc:04d}"


# ---------------------------------------------------------------------------------------------
# Line formats
# ---------------------------------------------------------------------------------------------

# Level words. Modern console: word left-justified in 7 columns, then a space (so the message
# starts in column 9 relative to the word). Logrus text: word (4-letter truncated or full)
# immediately followed by [elapsed seconds] or [timestamp].
_LEVEL_WORDS = {
    "INFO": "info",
    "ERRO": "error",
    "ERROR": "error",
    "FATA": "fatal",
    "FATAL": "fatal",
    "WARN": "warning",
    "WARNING": "warning",
    "DEBU": "debug",
    "DEBUG": "debug",
    "TRAC": "trace",
    "TRACE": "trace",
    "PANI": "panic",
    "PANIC": "panic",
}
_MODERN_PREFIX = r"[ \t]*(?:(?:INFO|WARN) {4}|(?:ERROR|FATAL|DEBUG|TRACE|PANIC) {3}|WARNING )"
_LOGRUS_PREFIX = r"[ \t]*(?:INFO|ERROR?|FATAL?|WARN(?:ING)?|DEBUG?|TRACE?|PANIC?)\[(?:\d{4,}|\d{4}-\d\d-\d\d[^\]\n]*)\]"
_LOGFMT_PREFIX = r"[ \t]*(?:time|level|msg)="
_DEVICECODE_PREFIX = r"[ \t]*To sign in, use a web browser to open the page "
_ROOT_PREFIX = r"[ \t]*You must be root to execute "
# The Azure SDK error block line "ERROR CODE: AuthorizationFailed" (not a level word).
_SDK_CODE_PREFIX = r"[ \t]*ERROR CODE:"
_PROGRESS_PREFIX = r"[ \t]*\d{1,3}%[ \t]*\[[^\]\n]*\]"

_STRUCTURED_PREFIX = "(?:" + "|".join(
    (_LOGFMT_PREFIX, _MODERN_PREFIX, _LOGRUS_PREFIX, _DEVICECODE_PREFIX, _ROOT_PREFIX, _SDK_CODE_PREFIX)) + ")"

# Per-line parsers (same prefixes as above, with groups): modern padded level, logrus text with
# [elapsed] or [timestamp], progress bar, device-code prompt, non-root refusal.
MODERN_RE = re.compile(
    r"[ \t]*(?P<level>(?:INFO|WARN)(?= {4})|(?:ERROR|FATAL|DEBUG|TRACE|PANIC)(?= {3})|WARNING(?= )) +(?P<rest>.*)")
LOGRUS_RE = re.compile(
    r"[ \t]*(?P<level>INFO|ERROR?|FATAL?|WARN(?:ING)?|DEBUG?|TRACE?|PANIC?)"
    r"\[(?:(?P<elapsed>\d{4,})|(?P<time>\d{4}-\d\d-\d\d[^\]\n]*))\] ?(?P<rest>.*)")
_PROGRESS_RE = re.compile(r"[ \t]*(?P<pct>\d{1,3})%[ \t]*\[[^\]\n]*\]")
_DEVICECODE_RE = re.compile(
    r"[ \t]*To sign in, use a web browser to open the page (?P<url>\S+) and enter the code (?P<code>\S+) to authenticate")
_ROOT_RE = re.compile(r"[ \t]*You must be root to execute (?P<path>\S*)")
#: A line in one of the agent's structured formats (a level word, logfmt, prompts); the check table skips these.
STRUCTURED_RE = re.compile(_STRUCTURED_PREFIX)
_LOGFMT_RE = re.compile(_LOGFMT_PREFIX)

# ---------------------------------------------------------------------------------------------
# logfmt and Key=value fields
# ---------------------------------------------------------------------------------------------

# A key is a word, optionally followed by up to four more words separated by single spaces
# ("Status Code", "Correlation ID"); bounded so junk cannot make it quadratic.
_KEY_WORD = r"[A-Za-z_][\w.\-/]{0,127}"
_KEY = _KEY_WORD + r"(?: " + _KEY_WORD + r"){0,4}"
_QUOTED = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
_VALUE = r"(?:" + _QUOTED + r'|[^\s"]*)'
# One pair at a position (lenient: an unterminated quoted value runs to the end of the line).
_LOGFMT_PAIR_RE = re.compile(
    r"[ \t]*(?P<key>" + _KEY + r')=(?:"(?P<q>[^"\\]*(?:\\.[^"\\]*)*)(?:"|\\?\Z)|(?P<u>[^\s"]*))')
# A pair, or else a token that is not a pair (quoted junk or a run of non-blanks), to collect.
_LOGFMT_TOKEN_RE = re.compile(
    r"[ \t]*(?:(?P<key>" + _KEY + r')=(?:"(?P<q>[^"\\]*(?:\\.[^"\\]*)*)(?:"|\\?\Z)|(?P<u>[^\s"]*))'
    r'|(?P<junk>"[^"\\]*(?:\\.[^"\\]*)*"?|[^\s"]+))')
# A field tail after a message: key=value pairs separated by blanks, to the end of the line.
_FIELDS_TAIL_RE = re.compile(_KEY + r"=" + _VALUE + r"(?:[ \t]+" + _KEY + r"=" + _VALUE + r")*[ \t]*")
# Where a field tail may start: after 2+ blanks (the message is padded), any key...
_GAP_RE = re.compile(r"[ \t]{2,}(?=" + _KEY + r"=)")
# ...or after one blank (the message overflowed the padding), only a key that ends in an
# identifier-like word ("Correlation ID=", "Resource ID=", "Status Code="), so that a message
# such as "Invalid parameter foo=bar" keeps its text.
_ID_WORDS = r"(?:ID|Id|URL|Url|URI|Uri|Code|Name|Type|Version|Status|Time|Path|Key|Host|Method|Message)"
_SINGLE_RE = re.compile(r" (?=[A-Za-z_][\w.\-/]{0,127}(?: " + _ID_WORDS + r"){1,3}=)")
_MAX_TAIL_TRIES = 8


def _decode_value(value: str) -> str:
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return unescape(value[1:-1])
    return value


def parse_logfmt_line(line: object) -> dict[str, str] | None:
    """Parse one logfmt line (first key time, level or msg) into a dict, or return None."""
    line = as_text(line)
    if "\n" in line or "\r" in line:
        line = normalise(line).split("\n", 1)[0]
    first = _LOGFMT_PAIR_RE.match(line)
    if first is None or first.group("key") not in ("time", "level", "msg"):
        return None
    result: dict[str, str] = {}
    junk = []
    for match in _LOGFMT_TOKEN_RE.finditer(line):
        key = match.group("key")
        if key is None:
            junk.append(_decode_value(match.group("junk")))
            continue
        quoted = match.group("q")
        result[key] = unescape(quoted) if quoted is not None else match.group("u")
    if junk:
        result["_junk"] = " ".join(junk)
    return result


def _split_fields(rest: str) -> tuple[str, dict[str, t.Any]]:
    """Split 'message   Key=value Other Key="v"' into (message, fields)."""
    if "=" not in rest:
        return rest.rstrip(), {}
    tries = 0
    for regex in (_GAP_RE, _SINGLE_RE):
        for gap in regex.finditer(rest):
            if gap.start() == 0:
                continue
            tries += 1
            if tries > _MAX_TAIL_TRIES:
                return rest.rstrip(), {}
            tail = rest[gap.end():]
            if _FIELDS_TAIL_RE.fullmatch(tail):
                fields = {}
                for match in _LOGFMT_PAIR_RE.finditer(tail):
                    quoted = match.group("q")
                    fields[match.group("key")] = unescape(quoted) if quoted is not None else match.group("u")
                return rest[:gap.start()].rstrip(), fields
    return rest.rstrip(), {}


# ---------------------------------------------------------------------------------------------
# One line (PRIVATE): what an exit-code line says
# ---------------------------------------------------------------------------------------------


def _record(lineno: int, fmt: str, level: str | None, msg: str, fields: dict[str, t.Any] | None = None,
            time: str | None = None, elapsed: int | None = None) -> _Record:
    return {"line": lineno, "format": fmt, "level": level, "time": time, "elapsed": elapsed,
            "msg": msg, "fields": fields if fields is not None else {}}


def _parse_structured(line: str, lineno: int) -> _Record:
    """Record for a line without leading progress bars (never None for a non-blank line)."""
    match = MODERN_RE.match(line)
    if match is not None:
        msg, fields = _split_fields(match.group("rest"))
        return _record(lineno, "modern", _LEVEL_WORDS[match.group("level")], msg, fields)
    if _LOGFMT_RE.match(line):
        pairs = parse_logfmt_line(line)
        if pairs is not None:
            level = pairs.pop("level", None)
            time = pairs.pop("time", None)
            msg = pairs.pop("msg", "")
            norm = _LEVEL_WORDS.get(level.upper()) if isinstance(level, str) else None
            return _record(lineno, "logfmt", norm, msg, dict(pairs), time=time)
    match = LOGRUS_RE.match(line)
    if match is not None:
        msg, fields = _split_fields(match.group("rest"))
        elapsed = match.group("elapsed")
        return _record(lineno, "logrus", _LEVEL_WORDS[match.group("level")], msg, fields,
                       time=match.group("time"), elapsed=int(elapsed) if elapsed is not None else None)
    match = _DEVICECODE_RE.match(line)
    if match is not None:
        return _record(lineno, "devicecode", None, line.strip(), {"url": match.group("url"), "code": match.group("code")})
    match = _ROOT_RE.match(line)
    if match is not None:
        return _record(lineno, "plain", None, line.strip(), {"executable": match.group("path")})
    return _record(lineno, "plain", None, line.strip())


def _line_records(line: str, lineno: int) -> list[_Record]:
    """PRIVATE: the records of one line: progress bars first, then the rest of the line (if any)."""
    records = []
    pos = 0
    while True:
        match = _PROGRESS_RE.match(line, pos)
        if match is None:
            break
        records.append(_record(lineno, "progress", None, line[match.start():match.end()].strip(),
                               {"percent": int(match.group("pct"))}))
        pos = match.end()
    rest = line[pos:] if pos else line
    if rest.strip():
        records.append(_parse_structured(rest, lineno))
    return records


# Exit code lines (in a decoded message): "Exit Code:  AZCM0043: Title" anywhere, "AZCM0026: Title" at the start.
# Localized agents translate the words (issue 9 names the German "Exitcode: AZCM0107: ..."; no capture of a localized
# console was found, so the other words are Windows' own translations of "exit code", assumed).
_EXIT_WORDS = r"(?:[Ee][Xx][Ii][Tt] ?[Cc][Oo][Dd][Ee]|Beendigungscode|Code de sortie|C[óo]digo de salida|Codice di uscita|Afsluitcode|終了コード)"
_EXIT_CODE_MSG_RE = re.compile(_EXIT_WORDS + r"[ \t]*:[ \t]+(" + _CODE_ANY + r"):[ \t]*([^\n]*)")
_BARE_CODE_MSG_RE = re.compile(r"[ \t]*(" + _CODE_ANY + r"):[ \t]*(\S[^\n]*)")


def _exit_code_of(record: _Record) -> tuple[str, str] | None:
    """(code, title) when the record's message is an exit-code line, else None."""
    msg = record["msg"]
    if record["format"] in ("progress", "devicecode"):
        return None
    match = _EXIT_CODE_MSG_RE.search(msg)
    if match is None:
        match = _BARE_CODE_MSG_RE.match(msg)
    if match is None:
        return None
    return match.group(1).upper(), match.group(2).strip()


# ---------------------------------------------------------------------------------------------
# Levels: how much a line weighs (issue 9, "evidence by weight and stage")
# ---------------------------------------------------------------------------------------------

#: The level of a line, at its start: logfmt ``level=``, the modern padded word, logrus ``ERRO[0032]``, and the
#: bracketed forms of wrappers and other logs (``[2023-10-17][08:15:14] ERROR ...``, ``<GCLOG>[...] [ERROR] ...``).
LEVEL_LINE_RE = re.compile(
    r"[ \t]*(?:"
    r"(?:[^\n]{0,40}?[ \t`'\"])?level=(?P<logfmt>[A-Za-z]+)"
    r"|(?P<modern>(?:INFO|WARN)(?= {4})|(?:ERROR|FATAL|DEBUG|TRACE|PANIC)(?= {3})|WARNING(?= ))"
    r"|(?P<logrus>INFO|ERROR?|FATAL?|WARN(?:ING)?|DEBUG?|TRACE?|PANIC?)\["
    r"|(?:<\w{1,16}>)?(?:\[[^\]\n]{1,64}\][ \t]*){1,8}\[?(?P<bracket>INFO|ERROR|FATAL|WARN|WARNING|DEBUG|VERBOSE|TRACE|CRITICAL)\]?(?=[ \t:])"
    r")")
_FAILURE_WORDS = frozenset(("ERRO", "ERROR", "FATA", "FATAL", "PANI", "PANIC", "CRITICAL"))
#: Levels of the lines that can be the failure of a run; every other level is context.
FAILURE_LEVELS = frozenset(("error", "fatal", "panic"))
# How far back a line without a level looks for the line it continues.
_CONTINUATION_CHARS = 8000


def _level_word(match: re.Match[str]) -> str:
    word = next(value for value in match.groups() if value)
    upper = word.upper()
    if upper in _FAILURE_WORDS:
        return "panic" if upper.startswith("PANI") else "fatal" if upper.startswith("FATA") else "error"
    return "context"


def level_line(text: str, pos: int) -> tuple[str | None, int]:
    """PRIVATE: (level, start of the line that has it) for the line at pos; see :func:`line_level`.

    Without a level above it, (None, start of the line at pos)."""
    own = start = text.rfind("\n", 0, pos) + 1
    floor = max(0, start - _CONTINUATION_CHARS)
    while True:
        match = LEVEL_LINE_RE.match(text, start)
        if match is not None:
            return _level_word(match), start
        if start <= floor or start == 0:
            return None, own
        start = text.rfind("\n", 0, start - 1) + 1


def line_level(text: str, pos: int) -> str | None:
    """PRIVATE: ``error``/``fatal``/``panic``, ``context`` (info, debug, warning, trace) or None (plain text) for the line at pos.

    A line without a level continues the nearest line above it that has one (an SDK error block, a JSON body, a
    wrapped message); plain text with no level above it is None."""
    return level_line(text, pos)[0]


# Literal starts of failure-level words, searched from the end of the text.
_FAILURE_LITERALS = ("level=error", "level=fatal", "level=panic", "ERROR", "FATAL", "ERRO[", "FATA[", "PANIC", "PANI[", "CRITICAL")
_MAX_FAILURE_TRIES = 64


def last_failure_line(text: str) -> tuple[int, str] | None:
    """PRIVATE: (position, stripped line) of the last line whose own level is error, fatal or panic; None if none."""
    best = -1
    for literal in _FAILURE_LITERALS:
        pos = len(text)
        for _try in range(_MAX_FAILURE_TRIES):
            hit = text.rfind(literal, best + 1 if best >= 0 else 0, pos)
            if hit < 0:
                break
            start = text.rfind("\n", 0, hit) + 1
            match = LEVEL_LINE_RE.match(text, start)
            if match is not None and match.end() >= hit and _level_word(match) in FAILURE_LEVELS:
                best = max(best, start)
                break
            pos = hit
    if best < 0:
        return None
    end = text.find("\n", best)
    return best, text[best:end if end >= 0 else len(text)].strip()


# Exit statuses that wrappers print about the agent: "exitcode: 42", "exit status 3", "exit code 26", "rc=1".
_WRAPPER_EXIT_RE = re.compile(r"(?:\b[Ee]xit ?[Cc]ode:?|\b[Ee]xit [Ss]tatus:?|\brc=)[ \t]*(?P<rc>[0-9]{1,3})\b")


def wrapper_exit_status(text: str) -> int | None:
    """PRIVATE: the last exit status a wrapper printed (``exitcode: 42``, ``exit status 3``, ``exit code 26``, ``rc=1``), or None."""
    last = None
    for last in _WRAPPER_EXIT_RE.finditer(text):
        pass
    return int(last.group("rc")) if last is not None else None


# ---------------------------------------------------------------------------------------------
# Whole-text scan
# ---------------------------------------------------------------------------------------------

# "Looks like agent output": a leading level word, "level=", "[0032]", or an AZCM code that is
# not in one of the known plain forms (bare "AZCMnnnn: Title" line, "Exit Code: AZCMnnnn",
# a JSON line).
_LOOKS_LEVEL = r"[ \t]*\[?(?:INFO|ERROR?|FATAL?|WARN(?:ING)?|DEBUG?|TRACE?|PANIC?)\b"
_PLAIN_CODE_OK = (
    r"(?:[ \t]*[{\"]"
    r"|[ \t]*" + _CODE_ANY + r":[ \t]*\S"
    r"|.*?" + _EXIT_WORDS + r"[ \t]*:[ \t]+" + _CODE_ANY + ")"
)
_PLAIN_OK = (
    r"(?!" + _LOOKS_LEVEL + r")(?!.*\blevel=)(?!.*\[\d{4}\])"
    r"(?:(?=" + _PLAIN_CODE_OK + r")|(?!.*" + _CODE_ANY + r")).*"
)
# One line that is NOT unparsed: progress bars (all of them: the lookahead + backreference makes
# the group atomic, as the per-line parser consumes them all), then a structured line or a plain
# line that does not look like agent output. sub() removes every such line from the whole text;
# what remains are the unparsed lines. The per-line parser uses the same prefixes.
_VALID_LINE_BODY = (r"(?=(?P<bars>(?:" + _PROGRESS_PREFIX + r")*))(?P=bars)"
                    r"(?:" + _STRUCTURED_PREFIX + r".*|" + _PLAIN_OK + r")")
_VALID_LINES_RE = re.compile(r"(?m)^" + _VALID_LINE_BODY + r"$")
_NONEMPTY_LINE_RE = re.compile(r"[^\n]+")

# Machine resource IDs.
_RESOURCE_ID_RE = re.compile(
    r"/subscriptions/[^/\s\"'\\]{1,64}/[Rr]esource[Gg]roups/[^/\s\"'\\]{1,90}"
    r"/[Pp]roviders/[Mm]icrosoft\.[Hh]ybrid[Cc]ompute/[Mm]achines/[\w.\-]{1,64}")
# "Resource ID=<id>" field of the modern console (also "Resource Id: ", "resourceId=").
_RESOURCE_FIELD_RE = re.compile(r"esource ?I[Dd][=:][ \t]*\"?(?P<id>" + _RESOURCE_ID_RE.pattern + ")")


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    if end < 0:
        end = len(text)
    return start, end


def _scan_exit_codes(text: str, matches: list[tuple[int, str]]) -> list[ExitCode]:
    exit_codes: list[ExitCode] = []
    counter = LineCounter(text)
    last_start = -1
    for pos, _code in matches:
        start, end = _line_bounds(text, pos)
        if start == last_start:
            continue
        last_start = start
        lineno = counter.at(start)
        for record in _line_records(text[start:end], lineno):
            found = _exit_code_of(record)
            if found is not None:
                exit_codes.append({"code": found[0], "title": found[1], "line": lineno})
    return exit_codes


def _scan_unparsed(text: str) -> tuple[list[str], list[str]]:
    reduced = _VALID_LINES_RE.sub("", text)
    unparsed: list[str] = []
    warnings: list[str] = []
    if not reduced.strip("\n"):
        return unparsed, warnings
    counter = LineCounter(reduced)
    for match in _NONEMPTY_LINE_RE.finditer(reduced):
        lineno = counter.at(match.start())
        line = match.group()
        unparsed.append(line)
        shown = line.strip()
        if len(shown) > 200:
            shown = f"{shown[:200]}..."
        warnings.append(f"line {lineno}: unrecognised agent output: {shown}")
    return unparsed, warnings


def _scan_resource_id(text: str) -> str | None:
    last = None
    for last in _RESOURCE_FIELD_RE.finditer(text):
        pass
    if last is not None:
        return last.group("id")
    pos = len(text)
    while True:
        pos = text.rfind("/overview", 0, pos)
        if pos < 0:
            break
        start = text.rfind("/subscriptions/", max(0, pos - 400), pos)
        if start >= 0:
            match = _RESOURCE_ID_RE.match(text, start)
            if match is not None and match.end() == pos:
                return match.group()
    pos = len(text)
    while True:
        pos = text.rfind("/subscriptions/", 0, pos)
        if pos < 0:
            return None
        match = _RESOURCE_ID_RE.match(text, pos)
        if match is not None:
            return match.group()


def _line_count(text: str) -> int:
    if not text:
        return 0
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def scan_output(text: object) -> ScanResult:
    """Codes, exit-code lines, Azure errors, resource ID and unparsed lines of console output or a log."""
    text = normalise(text)
    matches = _code_matches(text)
    unparsed, warnings = _scan_unparsed(text)
    return {
        "codes": list(dict.fromkeys(code for _pos, code in matches)),
        "exit_codes": _scan_exit_codes(text, matches),
        "azure_errors": azure_errors(text),
        "resource_id": _scan_resource_id(text),
        "unparsed": unparsed,
        "warnings": warnings,
        "lines": _line_count(text),
    }
