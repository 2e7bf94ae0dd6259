# -*- coding: utf-8 -*-
# Copyright (c) 2025, arcops.azcmagent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Parsers for the output of the Azure Connected Machine agent (``azcmagent``).

This module is PRIVATE to the arcops.azcmagent collection and may change at any time
without notice. Do not use it from other collections or from standalone plugins.

Pure functions, standard library only (Python 3.8+): text in, data (and warnings) out.
No function here raises on any string input, however malformed; ``None`` and bytes are
accepted where text is expected (bytes are decoded as UTF-8 with replacement).

Public API
==========

``strip_ansi(text) -> str``
    Remove ANSI escape sequences: CSI (colours ``ESC[36m``, erase line ``ESC[2K``, cursor
    moves), OSC (window titles), other two-byte escapes and the 8-bit CSI.

``split_lines(text) -> list[str]``
    ANSI stripped, split on CRLF, LF and lone CR (progress-bar redraws). A final line
    break does not give an empty last line. Line *n* of every result below is
    ``split_lines(text)[n - 1]``.

``extract_codes(text) -> list[str]``
    ``AZCMnnnn`` codes in order of first appearance, unique, upper-cased (lower-case pasted
    codes are accepted). A code needs a non-alphanumeric character (or a ``\\n``/``\\t``/``\\r``
    escape) before it and no letter or digit after it. One regex pass over the text.

``code_from_exit_status(rc) -> str | None``
    ``42 -> "AZCM0042"``; 0..125 only (ints or digit strings); anything else ``None``.

``parse_output(text, max_records=None) -> dict``
    Console output or ``azcmagent.log`` of any agent generation. Keys:

    * ``records``: one record per line (two when a progress bar and a message share a line;
      none for a blank line), at most ``max_records`` (``0`` builds none):
      ``{"line": int (1-based), "format": "modern"|"logrus"|"logfmt"|"progress"|"devicecode"|"plain",
      "level": "info"|"error"|"fatal"|"debug"|"warning"|"trace"|"panic"|None, "time": str|None,
      "elapsed": int|None, "msg": str, "fields": dict}``.
      ``fields``: logfmt keys other than time/level/msg; for modern and logrus lines the
      ``Key=value`` tail after a padded message (2+ blanks before it, or 1 blank before a key
      ending in ID/Id/URL/Code/... such as ``Correlation ID=``); ``{"percent": 20}`` for a progress
      bar; ``{"url", "code"}`` for the device-code prompt; ``{"executable"}`` for the non-root
      refusal.
    * ``truncated``: True when ``max_records`` cut the records short.
    * everything ``scan_output`` returns, over the whole text.

``scan_output(text) -> dict``
    What ``parse_output`` returns except ``records``/``truncated``, computed with whole-text
    regular expressions (no record per line), for very large logs:

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

``parse_azure_errors(text) -> list[dict]``
    Errors of Azure Resource Manager and Microsoft Entra ID found anywhere in the text:
    ``{"arm_code", "message", "status" (int|None), "correlation_id", "target", "raw",
    "source", "aadsts"}``. ``source`` is ``flattened`` (``RequestCorrelationId:<guid> Message:
    <text> Code: <ArmCode> httpStatusCode:<nnn>``), ``json`` (ARM bodies, wrapped in ``"error"``
    or not, raw or with escaped quotes at any depth), ``sdk`` (``RESPONSE 403: 403 Forbidden`` /
    ``ERROR CODE: AuthorizationFailed``), ``entra`` (token endpoint JSON; ``arm_code`` is the
    OAuth ``error``, ``aadsts`` the ``AADSTSnnnn`` code, ``message`` the description without the
    Trace ID / Correlation ID / Timestamp tail) or ``aadsts`` (a bare ``AADSTSnnnn: text``).
    Reports of the same error close together (SDK block + its JSON body) are merged, exact
    duplicates dropped (a long log still yields one entry per distinct correlation ID). Codes
    that are AZCM codes (install script JSON) are not Azure errors and are left out.

``parse_show(text) -> dict``
    ``azcmagent show`` as text (labels padded to 40 columns, headers without colon, indented
    service rows) or JSON (``show -j``), detected automatically. snake_case keys:
    ``resource_name``, ``resource_group``, ``resource_namespace``, ``resource_id``,
    ``subscription_id``, ``tenant_id``, ``vm_id``, ``vm_uuid``, ``correlation_id``, ``location``,
    ``cloud``, ``identity_key_store``, ``agent_version``, ``agent_logfile``, ``status``,
    ``last_heartbeat``, ``error_code``, ``error_details``, ``error_timestamp``, ``https_proxy``,
    ``proxy_bypass``, ``upstream_proxy``, ``gateway_url``, ``cloud_provider``, ``manufacturer``,
    ``model``, ``portal_page``, ``disabled_features``, ``auto_upgrade_task_status``, ... (other
    labels snake_cased); ``services`` ``{name: state}`` (the short name in parentheses);
    ``raw`` (original labels/keys and values); ``unparsed`` (text lines not understood).
    Empty values are ``""``.

``parse_check(text) -> list[dict]``
    ``azcmagent check`` table (``|`` separated or blank padded, INFO lines before it) or
    ``check -j`` JSON: ``{"endpoint": str, "reachable": bool, "private": bool|None,
    "tls": str|None, "proxy": str}``.

``parse_config_list(text) -> dict``
    ``azcmagent config list`` (or a JSON object): ``{key: value}``, ``(preview)`` stripped from
    keys; ``true``/``false`` -> bool, ``[]``/``[a, b]`` -> list of str, integers -> int.

``parse_version(text) -> str | None``
    ``"azcmagent version  1.7.21162.003"`` -> ``"1.7.21162.003"``; also ``1.58.03228.700``,
    ``1.50.02986-239``.
"""

from __future__ import annotations

import json
import re

__all__ = [
    "strip_ansi",
    "split_lines",
    "extract_codes",
    "code_from_exit_status",
    "parse_output",
    "scan_output",
    "parse_logfmt_line",
    "parse_azure_errors",
    "parse_show",
    "parse_check",
    "parse_config_list",
    "parse_version",
    "LEVELS",
    "RECORD_FORMATS",
]

LEVELS = ("info", "error", "fatal", "debug", "warning", "trace", "panic")
RECORD_FORMATS = ("modern", "logrus", "logfmt", "progress", "devicecode", "plain")

# ---------------------------------------------------------------------------------------------
# Regular expressions. Every one is anchored or literal-prefixed where it runs over big texts
# (a literal prefix lets the regex engine skip ahead quickly), and bounded where a line can be
# hostile (1 MB of junk must not make any of them quadratic).
# ---------------------------------------------------------------------------------------------

# ANSI escapes: CSI (ESC [ params intermediates final), OSC (ESC ] ... BEL or ESC \),
# any other two-character escape, the 8-bit CSI, and a lone ESC.
_ANSI_RE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b\r\n]*(?:\x07|\x1b\\)"
    r"|\x1b[@-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x1b"
)

# AZCM codes: "AZCM0042", or pasted as "azcm0042" / "Azcm0042". Two literal-prefixed scans (fast);
# the character before the code is checked in Python ("xAZCM0042" is not a code).
_CODE_UPPER_RE = re.compile(r"AZCM(\d{4})(?![0-9A-Za-z_])")
_CODE_LOWER_RE = re.compile(r"zcm(\d{4})(?![0-9A-Za-z_])")
_CODE_BAD_PREFIX = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")

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

# "Looks like agent output": a leading level word, "level=", "[0032]", or an AZCM code that is
# not in one of the known plain forms (bare "AZCMnnnn: Title" line, "Exit Code: AZCMnnnn",
# a JSON line).
_LOOKS_LEVEL = r"[ \t]*\[?(?:INFO|ERROR?|FATAL?|WARN(?:ING)?|DEBUG?|TRACE?|PANIC?)\b"
_CODE_ANY = r"(?:AZCM|[Aa]zcm)\d{4}"
_PLAIN_CODE_OK = (
    r"(?:[ \t]*[{\"]"
    r"|[ \t]*" + _CODE_ANY + r":[ \t]*\S"
    r"|.*?[Ee][Xx][Ii][Tt] [Cc][Oo][Dd][Ee]:[ \t]+" + _CODE_ANY + ")"
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

# Per-line parsers (same prefixes as above, with groups): modern padded level, logrus text with
# [elapsed] or [timestamp], progress bar, device-code prompt, non-root refusal.
_MODERN_RE = re.compile(
    r"[ \t]*(?P<level>(?:INFO|WARN)(?= {4})|(?:ERROR|FATAL|DEBUG|TRACE|PANIC)(?= {3})|WARNING(?= )) +(?P<rest>.*)")
_LOGRUS_RE = re.compile(
    r"[ \t]*(?P<level>INFO|ERROR?|FATAL?|WARN(?:ING)?|DEBUG?|TRACE?|PANIC?)"
    r"\[(?:(?P<elapsed>\d{4,})|(?P<time>\d{4}-\d\d-\d\d[^\]\n]*))\] ?(?P<rest>.*)")
_PROGRESS_RE = re.compile(r"[ \t]*(?P<pct>\d{1,3})%[ \t]*\[[^\]\n]*\]")
_DEVICECODE_RE = re.compile(
    r"[ \t]*To sign in, use a web browser to open the page (?P<url>\S+) and enter the code (?P<code>\S+) to authenticate")
_ROOT_RE = re.compile(r"[ \t]*You must be root to execute (?P<path>\S*)")
_STRUCTURED_RE = re.compile(_STRUCTURED_PREFIX)
_LOGFMT_RE = re.compile(_LOGFMT_PREFIX)

# logfmt pieces. A key is a word, optionally followed by up to four more words separated by
# single spaces ("Status Code", "Correlation ID"); bounded so junk cannot make it quadratic.
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

# Go strconv.Quote escapes (logrus quotes values with %q).
_ESCAPE_RE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
                   "f": "\f", "v": "\v", "'": "'", "/": "/"}

# Exit code lines (in a decoded message): "Exit Code:  AZCM0043: Title" anywhere, "AZCM0026: Title" at the start.
_EXIT_CODE_MSG_RE = re.compile(r"[Ee][Xx][Ii][Tt] [Cc][Oo][Dd][Ee]:[ \t]+(" + _CODE_ANY + r"):[ \t]*([^\n]*)")
_BARE_CODE_MSG_RE = re.compile(r"[ \t]*(" + _CODE_ANY + r"):[ \t]*(\S[^\n]*)")

# Machine resource IDs.
_RESOURCE_ID_RE = re.compile(
    r"/subscriptions/[^/\s\"'\\]{1,64}/[Rr]esource[Gg]roups/[^/\s\"'\\]{1,90}"
    r"/[Pp]roviders/[Mm]icrosoft\.[Hh]ybrid[Cc]ompute/[Mm]achines/[\w.\-]{1,64}")
# "Resource ID=<id>" field of the modern console (also "Resource Id: ", "resourceId=").
_RESOURCE_FIELD_RE = re.compile(r"esource ?I[Dd][=:][ \t]*\"?(?P<id>" + _RESOURCE_ID_RE.pattern + ")")

# Azure errors.
_GUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
# Flattened ARM error: RequestCorrelationId:<guid> Message: <text> Code: <ArmCode> httpStatusCode:<nnn>.
# Found from its end ("httpStatusCode:"), then "Code: <ArmCode>" and "Message:" are looked up backwards
# on the same line with rfind, so a line full of "Message:" cannot make it quadratic.
_FLAT_STATUS_RE = re.compile(r"httpStatusCode:[ \t]*(?P<status>\d{3})")
_FLAT_CODE_RE = re.compile(r"Code:[ \t]*(?P<code>[A-Za-z][\w.]{0,127})[ \t]*\Z")
_FLAT_REACH = 4000
_FLAT_CID_RE = re.compile(r"RequestCorrelationId:[ \t]*(?P<cid>" + _GUID + r")?[ \t,;]*\Z")
# Azure SDK for Go ResponseError text: RESPONSE 403: 403 Forbidden / ERROR CODE: AuthorizationFailed
_SDK_RE = re.compile(
    r"RESPONSE (?P<status>\d{3})[^\n]{0,200}?(?:\n|\\+[nr])+[ \t]*ERROR CODE:[ \t]*(?P<code>[\w.\-]{1,128})")
# Start of a JSON error body, raw or with escaped quotes ({\n  \"error\": ...).
_JSON_START_RE = re.compile(
    r"\{(?:[ \t\r\n]|\\+[nrt])*(?P<bs>\\*)\"(?P<key>error|code|message|error_description)\\*\"")
# The object right after "error": / "details": [ is part of an outer body already reported.
_JSON_NESTED_RE = re.compile(r"\\*\"(?:error|details|innererror)\\*\"(?:[ \t\r\n]|\\+[nrt])*:(?:[ \t\r\n]|\\+[nrt])*\[?\Z")
_JSON_WINDOW = 16384
# HTTP status and correlation ID written before a JSON body on the same line.
_STATUS_NEAR_RE = re.compile(
    r"(?:RESPONSE |[Ss]tatus ?[Cc]ode ?[=:] ?'?|StatusCode=|httpStatusCode:[ \t]*|HTTP/\d(?:\.\d)? )(?P<status>[1-5]\d\d)\b")
_CID_NEAR_RE = re.compile(r"(?:[Cc]orrelation ?(?:[Rr]equest ?)?I[Dd]|correlation-request-id)[\"'=: \t]{0,4}(?P<cid>" + _GUID + ")")
# Entra error_description: the message ends where " Trace ID:" starts (CRLF, escaped or space separated).
_TRACE_SPLIT_RE = re.compile(r"(?:\r\n|\r|\n|\\r\\n|\\n|\s)+Trace ID:")
# A bare "AADSTS700016: text" outside a JSON body.
_AADSTS_RE = re.compile(r"AADSTS(?P<num>\d{4,8}):[ \t]*(?P<message>[^\"\r\n\\]{0,2000})")
_AADSTS_MSG_END_RE = re.compile(r" Trace ID:| Correlation ID:| Timestamp:")
# "key": "value" pairs of a JSON body that does not decode (truncated).
_FALLBACK_FIELD_RE = re.compile(r"\"(?P<key>code|message|target|error|error_description)\"[ \t\r\n]*:[ \t\r\n]*\"(?P<value>[^\"\\]*(?:\\.[^\"\\]*)*)\"")
# Reports of one error (SDK block and its JSON body) lie within this many characters.
_MERGE_DISTANCE = 6000

# show: "Label<padding>: value" (label without colon; value may hold colons, C:\ paths, URLs)...
_SHOW_ROW_RE = re.compile(r"(?P<indent>[ \t]*)(?P<label>[^:\s][^:]*?)[ \t]*:(?:[ \t]+(?P<value>.*?))?[ \t]*")
# ...or a section header without colon ("Cloud Metadata", "Dependent Service Status").
_SHOW_HEADER_RE = re.compile(r"(?P<label>[A-Za-z][^:]*?)[ \t]*")
# Short service name in a service label: "Agent Service (himdsd)".
_PAREN_NAME_RE = re.compile(r"\((?P<name>[^()]+)\)\s*\Z")
# camelCase boundaries and runs of non-alphanumerics, for snake_case keys.
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_ALNUM_RE = re.compile(r"[^0-9A-Za-z]+")
# A line that starts a JSON document (after log lines).
_JSON_LINE_START_RE = re.compile(r"(?m)^[ \t]*[\[{]")
# check table cells: tabwriter "|" separators, or 2+ blanks when printed without them.
_CHECK_SPLIT_RE = re.compile(r"[ \t]*\|[ \t]*|[ \t]{2,}")
# config list row: 2-space indent, key padded, ": value".
_CONFIG_ROW_RE = re.compile(r"[ \t]+(?P<key>[^\s:][^:]*?)[ \t]*:(?:[ \t]?(?P<value>.*?))?[ \t]*")
# "(preview)" suffix of a config key; an integer value.
_PREVIEW_RE = re.compile(r"[ \t]*\(preview\)\Z", re.I)
_INT_RE = re.compile(r"[+-]?\d{1,18}")
# Agent versions: 1.7.21162.003, 1.58.03228.700, 1.50.02986-239; after the word "version", else alone on a line.
_VERSION = r"\d{1,4}\.\d{1,4}\.\d{1,6}(?:[.\-]\d{1,6})?"
_VERSION_WORD_RE = re.compile(r"[Vv]ersion[\s:=\"]{0,8}v?(?P<v>" + _VERSION + r")(?![\d.])")
_VERSION_LINE_RE = re.compile(r"(?m)^[ \t]*v?(?P<v>" + _VERSION + r")[ \t]*$")


# ---------------------------------------------------------------------------------------------
# Basics
# ---------------------------------------------------------------------------------------------


def _text(value):
    """Any input as text: None -> '', bytes decoded (UTF-8, replacement), lists joined by lines."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, (list, tuple)):
        return "\n".join(_text(item) for item in value)
    return str(value)


def strip_ansi(text):
    """Return text without ANSI escape sequences (colours, cursor moves, titles)."""
    text = _text(text)
    if "\x1b" not in text and "\x9b" not in text:
        return text
    return _ANSI_RE.sub("", text)


def _normalise(text):
    """ANSI stripped, every line break (CRLF, CR, LF) as LF."""
    text = strip_ansi(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split_lines(text):
    """Split console output into lines: ANSI stripped, CRLF / CR / LF aware."""
    text = _normalise(text)
    if not text:
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _code_matches(text):
    """[(position, "AZCMnnnn")] for every code in the text, in order."""
    found = []
    for match in _CODE_UPPER_RE.finditer(text):
        start = match.start()
        if start and text[start - 1] in _CODE_BAD_PREFIX and not _escape_before(text, start):
            continue
        found.append((start, "AZCM" + match.group(1)))
    lower = []
    for match in _CODE_LOWER_RE.finditer(text):
        start = match.start() - 1
        if start < 0 or text[start] not in "Aa":
            continue
        if start and text[start - 1] in _CODE_BAD_PREFIX and not _escape_before(text, start):
            continue
        lower.append((start, "AZCM" + match.group(1)))
    if lower:
        found = sorted(found + lower)
    return found


def _escape_before(text, start):
    """True when a \\n, \\t or \\r escape (logfmt) ends right before start."""
    return start >= 2 and text[start - 2] == "\\" and text[start - 1] in "ntr"


def extract_codes(text):
    """AZCM codes in order of first appearance, unique, upper case."""
    text = _text(text)
    return list(dict.fromkeys(code for _pos, code in _code_matches(text)))


def code_from_exit_status(rc):
    """Return the AZCM code of a process exit status (0..125), else None."""
    if isinstance(rc, bool):
        return None
    if isinstance(rc, str):
        rc = rc.strip()
        if not rc.isdigit() or len(rc) > 3 or not rc.isascii():
            return None
        rc = int(rc)
    if not isinstance(rc, int) or rc < 0 or rc > 125:
        return None
    return "AZCM%04d" % rc


# ---------------------------------------------------------------------------------------------
# logfmt and fields
# ---------------------------------------------------------------------------------------------


def _unescape_repl(match):
    hex2, hex4, hex8, char = match.groups()
    number = hex2 or hex4 or hex8
    if number is not None:
        code = int(number, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return "\ufffd"
        return chr(code)
    return _SIMPLE_ESCAPES.get(char, "\\" + char)


def _unescape(value):
    """Decode Go/logrus string escapes."""
    if "\\" not in value:
        return value
    return _ESCAPE_RE.sub(_unescape_repl, value)


def _decode_value(value):
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return _unescape(value[1:-1])
    return value


def parse_logfmt_line(line):
    """Parse one logfmt line (first key time, level or msg) into a dict, or return None."""
    line = _text(line)
    if "\n" in line or "\r" in line:
        line = _normalise(line).split("\n", 1)[0]
    first = _LOGFMT_PAIR_RE.match(line)
    if first is None or first.group("key") not in ("time", "level", "msg"):
        return None
    result = {}
    junk = []
    for match in _LOGFMT_TOKEN_RE.finditer(line):
        key = match.group("key")
        if key is None:
            junk.append(_decode_value(match.group("junk")))
            continue
        quoted = match.group("q")
        result[key] = _unescape(quoted) if quoted is not None else match.group("u")
    if junk:
        result["_junk"] = " ".join(junk)
    return result


def _split_fields(rest):
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
                    fields[match.group("key")] = _unescape(quoted) if quoted is not None else match.group("u")
                return rest[:gap.start()].rstrip(), fields
    return rest.rstrip(), {}


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


def _record(lineno, fmt, level, msg, fields=None, time=None, elapsed=None):
    return {"line": lineno, "format": fmt, "level": level, "time": time, "elapsed": elapsed,
            "msg": msg, "fields": fields if fields is not None else {}}


def _parse_structured(line, lineno):
    """Record for a line without leading progress bars (never None for a non-blank line)."""
    match = _MODERN_RE.match(line)
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
            return _record(lineno, "logfmt", norm, msg, pairs, time=time)
    match = _LOGRUS_RE.match(line)
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


def _parse_line(line, lineno):
    """Records of one line: progress bars first, then the rest of the line (if any)."""
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


def _exit_code_of(record):
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
# Whole-text scan
# ---------------------------------------------------------------------------------------------


class _LineCounter(object):
    """Line number of increasing positions, counting newlines incrementally."""

    def __init__(self, text):
        self.text = text
        self.pos = 0
        self.line = 1

    def at(self, pos):
        if pos < self.pos:
            self.pos = 0
            self.line = 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def _line_bounds(text, pos):
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    if end < 0:
        end = len(text)
    return start, end


def _scan_exit_codes(text, matches):
    exit_codes = []
    counter = _LineCounter(text)
    last_start = -1
    for pos, _code in matches:
        start, end = _line_bounds(text, pos)
        if start == last_start:
            continue
        last_start = start
        lineno = counter.at(start)
        for record in _parse_line(text[start:end], lineno):
            found = _exit_code_of(record)
            if found is not None:
                exit_codes.append({"code": found[0], "title": found[1], "line": lineno})
    return exit_codes


def _scan_unparsed(text):
    reduced = _VALID_LINES_RE.sub("", text)
    unparsed = []
    warnings = []
    if not reduced.strip("\n"):
        return unparsed, warnings
    counter = _LineCounter(reduced)
    for match in _NONEMPTY_LINE_RE.finditer(reduced):
        lineno = counter.at(match.start())
        line = match.group()
        unparsed.append(line)
        shown = line.strip()
        if len(shown) > 200:
            shown = shown[:200] + "..."
        warnings.append("line %d: unrecognised agent output: %s" % (lineno, shown))
    return unparsed, warnings


def _scan_resource_id(text):
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


def _line_count(text):
    if not text:
        return 0
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def _scan(text):
    matches = _code_matches(text)
    unparsed, warnings = _scan_unparsed(text)
    return {
        "codes": list(dict.fromkeys(code for _pos, code in matches)),
        "exit_codes": _scan_exit_codes(text, matches),
        "azure_errors": _azure_errors(text),
        "resource_id": _scan_resource_id(text),
        "unparsed": unparsed,
        "warnings": warnings,
        "lines": _line_count(text),
    }


def scan_output(text):
    """Everything parse_output returns except the records, without a per-line loop."""
    return _scan(_normalise(text))


def parse_output(text, max_records=None):
    """Parse console output or azcmagent.log of any generation (see the module docstring)."""
    text = _normalise(text)
    result = _scan(text)
    records = []
    truncated = False
    limit = max_records if isinstance(max_records, int) and not isinstance(max_records, bool) and max_records >= 0 else None
    if limit != 0 and text:
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()
        for index, line in enumerate(lines):
            if not line or line.isspace():
                continue
            for record in _parse_line(line, index + 1):
                if limit is not None and len(records) >= limit:
                    truncated = True
                    break
                records.append(record)
            if truncated:
                break
    elif limit == 0 and text.strip():
        truncated = True
    result["records"] = records
    result["truncated"] = truncated
    return result


# ---------------------------------------------------------------------------------------------
# Azure errors
# ---------------------------------------------------------------------------------------------


def _error(source, pos, raw, arm_code=None, message=None, status=None, correlation_id=None, target=None, aadsts=None):
    return pos, {
        "arm_code": arm_code if arm_code else None,
        "message": message.strip() if isinstance(message, str) else message,
        "status": status,
        "correlation_id": correlation_id,
        "target": target if target else None,
        "raw": raw,
        "source": source,
        "aadsts": aadsts,
    }


def _line_window(text, pos):
    """The text before pos on the same line (at most 400 characters)."""
    return text[max(0, pos - 400, text.rfind("\n", max(0, pos - 400), pos) + 1):pos]


def _status_near(text, pos):
    status = None
    for match in _STATUS_NEAR_RE.finditer(_line_window(text, pos)):
        status = int(match.group("status"))
    return status


def _cid_near(text, pos):
    cid = None
    for match in _CID_NEAR_RE.finditer(_line_window(text, pos)):
        cid = match.group("cid")
    return cid


def _str_or_none(value):
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def _entra_message(description):
    description = description if isinstance(description, str) else ""
    head = _TRACE_SPLIT_RE.split(description, 1)[0]
    return head.strip()


def _from_object(obj):
    """(source, fields) of a decoded JSON error body, or None."""
    if not isinstance(obj, dict):
        return None
    err = obj.get("error")
    if isinstance(err, dict) and (err.get("code") or err.get("message")):
        return "json", {"arm_code": _str_or_none(err.get("code")), "message": _str_or_none(err.get("message")),
                        "target": _str_or_none(err.get("target"))}
    if isinstance(err, str) and ("error_description" in obj or "error_codes" in obj):
        description = _str_or_none(obj.get("error_description")) or ""
        aadsts = None
        match = re.search(r"AADSTS\d+", description)
        if match is not None:
            aadsts = match.group()
        elif isinstance(obj.get("error_codes"), list) and obj["error_codes"]:
            aadsts = "AADSTS%s" % (obj["error_codes"][0],)
        cid = obj.get("correlation_id")
        if not isinstance(cid, str) or not cid:
            match = re.search(r"Correlation ID: ?(" + _GUID + ")", description)
            cid = match.group(1) if match else None
        return "entra", {"arm_code": err, "message": _entra_message(description), "aadsts": aadsts,
                         "correlation_id": cid}
    if obj.get("code") and "message" in obj:
        return "json", {"arm_code": _str_or_none(obj.get("code")), "message": _str_or_none(obj.get("message")),
                        "target": _str_or_none(obj.get("target"))}
    return None


_BRACE_RE = re.compile(r"[{}]")


def _raw_end(text, start, limit):
    """End of the brace-balanced object starting at start (by counting braces), or None."""
    depth = 0
    for match in _BRACE_RE.finditer(text, start, limit):
        if match.group() == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return match.end()
    return None


_DECODER = json.JSONDecoder(strict=False)


def _raw_decode(window, index=0):
    """(object, end) or (None, position reached); never raises."""
    try:
        return _DECODER.raw_decode(window, index)
    except ValueError as exc:
        return None, getattr(exc, "pos", len(window))
    except RecursionError:
        return None, len(window)


def _decode_body(text, start, depth):
    """(decoded error or None, raw length, characters of work) of the JSON body starting at start."""
    if depth == 0:
        limit = min(len(text), start + _JSON_WINDOW)
        obj, end = _raw_decode(text, start)
        if obj is not None:
            return _from_object(obj), end - start, end - start
        window = text[start:limit]
        raw_end = _raw_end(text, start, limit)
        return _fallback_object(window), (raw_end or limit) - start, max(end, limit) - start
    times = (depth + 1).bit_length() - 1
    line_end = text.find("\n", start, start + _JSON_WINDOW)
    limit = line_end if line_end >= 0 else min(len(text), start + _JSON_WINDOW)
    window = text[start:limit]
    for _round in range(times):
        window = _unescape(window)
    obj, _end = _raw_decode(window)
    raw_end = _raw_end(text, start, limit)
    decoded = _from_object(obj) if obj is not None else _fallback_object(window)
    return decoded, (raw_end or limit) - start, (limit - start) * (times + 1)


def _json_errors(text):
    found = []
    if "{" not in text:
        return found
    cache = {}
    skip_until = -1
    # Bound the decoding work: a hostile text full of '{"code": ...' must stay linear.
    budget = 8 * len(text) + 1000000
    for match in _JSON_START_RE.finditer(text):
        start = match.start()
        if start < skip_until:
            continue
        if _JSON_NESTED_RE.search(text, max(0, start - 40), start):
            continue
        if budget <= 0:
            break
        depth = len(match.group("bs"))
        key = None
        if depth:
            line_end = text.find("\n", start, start + _JSON_WINDOW)
            if line_end >= 0:
                key = text[start:line_end]
        cached = cache.get(key) if key is not None else None
        if cached is None:
            cached = _decode_body(text, start, depth)
            if key is not None:
                cache[key] = cached
        decoded, length, work = cached
        budget -= work
        skip_until = start + length
        if decoded is None:
            continue
        source, fields = decoded
        fields = dict(fields)
        if fields.get("arm_code") and re.match(r"AZCM\d{4}\Z", fields["arm_code"]):
            continue
        raw = text[start:start + min(length, 4000)]
        cid = fields.pop("correlation_id", None) or _cid_near(text, start)
        found.append(_error(source, start, raw, status=_status_near(text, start), correlation_id=cid, **fields))
    return found


def _fallback_object(window):
    """Best effort for a truncated or invalid JSON body: pick "code"/"message"/... by regex."""
    values = {}
    for match in _FALLBACK_FIELD_RE.finditer(window):
        values.setdefault(match.group("key"), _unescape(match.group("value")))
    if values.get("error") and values.get("error_description") is not None:
        description = values["error_description"]
        match = re.search(r"AADSTS\d+", description)
        return "entra", {"arm_code": values["error"], "message": _entra_message(description),
                         "aadsts": match.group() if match else None}
    if values.get("code"):
        return "json", {"arm_code": values["code"], "message": values.get("message"), "target": values.get("target")}
    return None


def _flattened(text, match):
    """The flattened ARM error ending with this httpStatusCode match, or None."""
    end = match.start()
    floor = max(0, end - _FLAT_REACH, text.rfind("\n", max(0, end - _FLAT_REACH), end) + 1)
    code_pos = text.rfind("Code:", floor, end)
    if code_pos < 0:
        return None
    code = _FLAT_CODE_RE.match(text, code_pos, end)
    message_pos = text.rfind("Message:", floor, code_pos)
    if code is None or message_pos < 0:
        return None
    cid_match = _FLAT_CID_RE.search(text, max(floor, message_pos - 80), message_pos)
    cid = cid_match.group("cid") if cid_match else None
    raw_start = cid_match.start() if cid_match else message_pos
    return _error("flattened", raw_start, text[raw_start:match.end()], arm_code=code.group("code"),
                  message=text[message_pos + 8:code_pos], status=int(match.group("status")), correlation_id=cid)


def _azure_errors(text):
    found = []
    for match in _FLAT_STATUS_RE.finditer(text):
        flat = _flattened(text, match)
        if flat is not None:
            found.append(flat)
    for match in _SDK_RE.finditer(text):
        found.append(_error("sdk", match.start(), match.group(), arm_code=match.group("code"),
                            status=int(match.group("status")), correlation_id=_cid_near(text, match.start())))
    found.extend(_json_errors(text))
    known = None
    for match in _AADSTS_RE.finditer(text):
        if known is None:
            known = set(entry["aadsts"] for _pos, entry in found if entry["aadsts"])
        aadsts = "AADSTS" + match.group("num")
        if aadsts in known:
            continue
        known.add(aadsts)
        message = _AADSTS_MSG_END_RE.split(match.group("message"), 1)[0]
        found.append(_error("aadsts", match.start(), match.group(), message="%s: %s" % (aadsts, message.strip()),
                            status=_status_near(text, match.start()), aadsts=aadsts,
                            correlation_id=_cid_near(text, match.start())))
    return _merge_errors(found)


_MERGE_KEYS = ("message", "status", "correlation_id", "target", "aadsts")


def _merge_errors(found):
    found.sort(key=lambda item: item[0])
    merged = []
    for pos, entry in found:
        code = (entry["arm_code"] or "").lower()
        target = None
        for index in range(len(merged) - 1, -1, -1):
            other_pos, other = merged[index]
            if pos - other_pos > _MERGE_DISTANCE:
                break
            if code and (other["arm_code"] or "").lower() == code and _compatible(entry, other):
                target = other
                break
        if target is None:
            merged.append((pos, entry))
            continue
        for key in _MERGE_KEYS:
            if target[key] in (None, "") and entry[key] not in (None, ""):
                target[key] = entry[key]
        if target["source"] == "sdk" and entry["source"] != "sdk":
            target["source"] = entry["source"]
    result = []
    seen = set()
    for _pos, entry in merged:
        key = (entry["arm_code"], entry["message"], entry["status"], entry["correlation_id"], entry["target"])
        if key in seen:
            continue
        seen.add(key)
        result.append(entry)
    return result


def _compatible(entry, other):
    """Two reports of one error: no field that both have differs."""
    for key in ("status", "correlation_id", "message"):
        if entry[key] not in (None, "") and other[key] not in (None, "") and entry[key] != other[key]:
            return False
    return True


def parse_azure_errors(text):
    """ARM / Entra ID errors in any text (see the module docstring)."""
    return _azure_errors(_text(text))


# ---------------------------------------------------------------------------------------------
# show / check / config list / version
# ---------------------------------------------------------------------------------------------

_SHOW_LABELS = {
    "resource name": "resource_name",
    "resource group name": "resource_group",
    "resource group": "resource_group",
    "resource namespace": "resource_namespace",
    "resource id": "resource_id",
    "subscription id": "subscription_id",
    "tenant id": "tenant_id",
    "vm id": "vm_id",
    "correlation id": "correlation_id",
    "vm uuid": "vm_uuid",
    "location": "location",
    "cloud": "cloud",
    "identity key store": "identity_key_store",
    "agent version": "agent_version",
    "agent logfile": "agent_logfile",
    "agent status": "status",
    "agent last heartbeat": "last_heartbeat",
    "agent error code": "error_code",
    "agent error details": "error_details",
    "agent error timestamp": "error_timestamp",
    "using https proxy": "https_proxy",
    "proxy bypass list": "proxy_bypass",
    "upstream proxy": "upstream_proxy",
    "upstream proxy bypass list": "upstream_proxy_bypass",
    "gateway url": "gateway_url",
    "cloud provider": "cloud_provider",
    "portal page": "portal_page",
    "disabled features": "disabled_features",
    "agent auto upgrade task status": "auto_upgrade_task_status",
    "mssql server detected": "mssql_server_detected",
    "mysql server detected": "mysql_server_detected",
    "pgsql server detected": "pgsql_server_detected",
}
_SHOW_JSON_KEYS = {
    "resourceName": "resource_name",
    "resourceGroup": "resource_group",
    "resourceGroupName": "resource_group",
    "resourceNamespace": "resource_namespace",
    "resourceId": "resource_id",
    "subscriptionId": "subscription_id",
    "tenantId": "tenant_id",
    "vmId": "vm_id",
    "vmUuid": "vm_uuid",
    "correlationId": "correlation_id",
    "location": "location",
    "cloud": "cloud",
    "identityKeyStore": "identity_key_store",
    "agentVersion": "agent_version",
    "agentLogfile": "agent_logfile",
    "status": "status",
    "agentStatus": "status",
    "lastHeartbeat": "last_heartbeat",
    "agentLastHeartbeat": "last_heartbeat",
    "agentErrorCode": "error_code",
    "agentErrorDetails": "error_details",
    "agentErrorTimestamp": "error_timestamp",
    "httpsProxy": "https_proxy",
    "proxyBypass": "proxy_bypass",
    "upstreamProxy": "upstream_proxy",
    "gatewayUrl": "gateway_url",
    "cloudProvider": "cloud_provider",
    "portalPage": "portal_page",
    "disabledFeatures": "disabled_features",
}
_SERVICE_HEADERS = ("dependent service status",)
_ESU_HEADERS = {"extended security updates": "esu"}


def _snake(label, camel=False):
    if camel:
        label = _CAMEL_RE.sub("_", label)
    return _NON_ALNUM_RE.sub("_", label).strip("_").lower()


def _json_value(text):
    """The first JSON document in text (object or array), or None."""
    stripped = text.strip()
    if not stripped:
        return None
    if stripped[0] in "{[":
        obj, end = _raw_decode(stripped)
        if obj is not None and not stripped[end:].strip():
            return obj
    for match in _JSON_LINE_START_RE.finditer(text):
        obj, _end = _raw_decode(text, match.end() - 1)
        if obj is not None:
            return obj
    return None


def _show_json(obj):
    result = {"raw": obj, "services": {}, "unparsed": []}
    for key, value in obj.items():
        if key == "services":
            continue
        name = _SHOW_JSON_KEYS.get(key) or _snake(str(key), camel=True)
        result[name] = "" if value is None else value
    services = obj.get("services")
    if isinstance(services, list):
        for item in services:
            if isinstance(item, dict):
                name = item.get("serviceName") or item.get("name") or item.get("displayName")
                if name:
                    state = item.get("status", item.get("state"))
                    result["services"][str(name)] = "" if state is None else state
    elif isinstance(services, dict):
        result["services"] = dict(services)
    return result


def parse_show(text):
    """Parse `azcmagent show` text or JSON output (see the module docstring)."""
    text = _normalise(text)
    stripped = text.strip()
    if stripped[:1] in ("{", "[") or (stripped and "\n{" in text and ":" not in stripped.split("\n", 1)[0]):
        obj = _json_value(text)
        if isinstance(obj, dict):
            return _show_json(obj)
    result = {"raw": {}, "services": {}, "unparsed": []}
    section = None
    for line in text.split("\n"):
        if not line.strip():
            continue
        row = _SHOW_ROW_RE.fullmatch(line)
        if row is None:
            header = _SHOW_HEADER_RE.fullmatch(line)
            if header is not None and not line[:1].isspace():
                section = header.group("label").strip().lower()
            else:
                result["unparsed"].append(line.strip())
            continue
        label = row.group("label").strip()
        value = (row.group("value") or "").strip()
        indented = bool(row.group("indent"))
        if not indented:
            section = None
        result["raw"][label] = value
        if indented and section in _SERVICE_HEADERS:
            paren = _PAREN_NAME_RE.search(label)
            result["services"][paren.group("name").strip() if paren else label] = value
            continue
        key = _SHOW_LABELS.get(label.lower()) or _snake(label)
        if not key:
            result["unparsed"].append(line.strip())
            continue
        if indented and section in _ESU_HEADERS:
            key = _ESU_HEADERS[section] + "_" + key
        elif key in result and indented and section:
            key = _snake(section) + "_" + key
        result[key] = value
    return result


def _bool_or_none(value):
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


def _check_row(cells):
    """Normalise one check row given as {lower-case column: value}."""
    reachable = _bool_or_none(cells.get("reachable"))
    tls = cells.get("tls")
    tls = None if tls is None or str(tls).strip().lower() in ("", "unknown", "n/a") else str(tls).strip()
    proxy = cells.get("proxy", cells.get("proxy status", cells.get("proxystatus", "")))
    row = {
        "endpoint": str(cells.get("endpoint") or cells.get("url") or "").strip(),
        "reachable": bool(reachable),
        "private": _bool_or_none(cells.get("private")),
        "tls": tls,
        "proxy": "" if proxy is None else str(proxy).strip(),
    }
    return row


def parse_check(text):
    """Parse `azcmagent check` table or JSON output into a list of endpoint rows."""
    text = _normalise(text)
    stripped = text.strip()
    if "[" in stripped and ("{" in stripped) and (stripped[:1] == "[" or "\n[" in text):
        obj = _json_value(text)
        if isinstance(obj, list):
            rows = []
            for item in obj:
                if isinstance(item, dict):
                    rows.append(_check_row({str(key).strip().lower(): value for key, value in item.items()}))
            return rows
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
        if _MODERN_RE.match(line) or _LOGRUS_RE.match(line) or _STRUCTURED_RE.match(line):
            continue
        rows.append(_check_row(dict(zip(columns, cells))))
    return rows


def _config_value(value):
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


def parse_config_list(text):
    """Parse `azcmagent config list` output into {key: value}."""
    text = _normalise(text)
    stripped = text.strip()
    if stripped[:1] == "{":
        obj = _json_value(text)
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


def parse_version(text):
    """Return the agent version in `azcmagent version` output, or None."""
    text = _normalise(text)
    match = _VERSION_WORD_RE.search(text)
    if match is None:
        match = _VERSION_LINE_RE.search(text)
    return match.group("v") if match is not None else None
