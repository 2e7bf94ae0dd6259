# -*- coding: utf-8 -*-
# Copyright (c) 2025, arcops.azcmagent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Errors of Azure Resource Manager and Microsoft Entra ID, in every form the agent prints them.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

``parse_azure_errors(text) -> list[AzureError]``
    Errors found anywhere in the text: ``{"arm_code", "message", "status" (int|None),
    "correlation_id", "target", "raw", "source", "aadsts"}``. ``source`` is one of the forms:

    * ``flattened``: ``RequestCorrelationId:<guid> Message: <text> Code: <ArmCode> httpStatusCode:<nnn>``;
    * ``json``: ARM bodies, wrapped in ``"error"`` or not, raw or with escaped quotes at any depth;
    * ``sdk``: the Azure SDK for Go text ``RESPONSE 403: 403 Forbidden`` / ``ERROR CODE: AuthorizationFailed``;
    * ``entra``: token endpoint JSON; ``arm_code`` is the OAuth ``error``, ``aadsts`` the ``AADSTSnnnn``
      code, ``message`` the description without the Trace ID / Correlation ID / Timestamp tail;
    * ``aadsts``: a bare ``AADSTSnnnn: text``.

    Reports of the same error close together (SDK block + its JSON body) are merged, exact
    duplicates dropped (a long log still yields one entry per distinct correlation ID). Codes
    that are AZCM codes (install script JSON) are not Azure errors and are left out.

Pure functions, standard library only (Python 3.8+); nothing raises on any input, and the work
is bounded (a hostile text full of ``{"code":`` stays linear).
"""

from __future__ import annotations

import json
import re
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_text import as_text, raw_decode, unescape

__all__ = ["AzureError", "parse_azure_errors", "azure_errors", "entra_message"]


class AzureError(t.TypedDict):
    """One error of Resource Manager or Entra ID (see the module docstring)."""

    arm_code: str | None
    message: str | None
    status: int | None
    correlation_id: str | None
    target: str | None
    raw: str
    source: str
    aadsts: str | None


# What a decoder found: the form and the fields it could read (a subset of AzureError's keys).
_Decoded = t.Tuple[str, t.Dict[str, t.Any]]

_GUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"

# HTTP status and correlation ID written before an error on the same line.
_STATUS_NEAR_RE = re.compile(
    r"(?:RESPONSE |[Ss]tatus ?[Cc]ode ?[=:] ?'?|StatusCode=|httpStatusCode:[ \t]*|HTTP/\d(?:\.\d)? )(?P<status>[1-5]\d\d)\b")
_CID_NEAR_RE = re.compile(r"(?:[Cc]orrelation ?(?:[Rr]equest ?)?I[Dd]|correlation-request-id)[\"'=: \t]{0,4}(?P<cid>" + _GUID + ")")


def _error(source: str, pos: int, raw: str, arm_code: str | None = None, message: str | None = None, status: int | None = None,
           correlation_id: str | None = None, target: str | None = None, aadsts: str | None = None) -> tuple[int, AzureError]:
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


def _line_window(text: str, pos: int) -> str:
    """The text before pos on the same line (at most 400 characters)."""
    return text[max(0, pos - 400, text.rfind("\n", max(0, pos - 400), pos) + 1):pos]


def _status_near(text: str, pos: int) -> int | None:
    status = None
    for match in _STATUS_NEAR_RE.finditer(_line_window(text, pos)):
        status = int(match.group("status"))
    return status


def _cid_near(text: str, pos: int) -> str | None:
    cid = None
    for match in _CID_NEAR_RE.finditer(_line_window(text, pos)):
        cid = match.group("cid")
    return cid


# ---------------------------------------------------------------------------------------------
# flattened: RequestCorrelationId:<guid> Message: <text> Code: <ArmCode> httpStatusCode:<nnn>
# ---------------------------------------------------------------------------------------------

# Found from its end ("httpStatusCode:"), then "Code: <ArmCode>" and "Message:" are looked up backwards
# on the same line with rfind, so a line full of "Message:" cannot make it quadratic.
_FLAT_STATUS_RE = re.compile(r"httpStatusCode:[ \t]*(?P<status>\d{3})")
_FLAT_CODE_RE = re.compile(r"Code:[ \t]*(?P<code>[A-Za-z][\w.]{0,127})[ \t]*\Z")
_FLAT_REACH = 4000
_FLAT_CID_RE = re.compile(r"RequestCorrelationId:[ \t]*(?P<cid>" + _GUID + r")?[ \t,;]*\Z")


def _flattened(text: str, match: re.Match[str]) -> tuple[int, AzureError] | None:
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


# ---------------------------------------------------------------------------------------------
# sdk: RESPONSE 403: 403 Forbidden / ERROR CODE: AuthorizationFailed (Azure SDK for Go ResponseError)
# ---------------------------------------------------------------------------------------------

_SDK_RE = re.compile(
    r"RESPONSE (?P<status>\d{3})[^\n]{0,200}?(?:\n|\\+[nr])+[ \t]*ERROR CODE:[ \t]*(?P<code>[\w.\-]{1,128})")


def _sdk_errors(text: str) -> list[tuple[int, AzureError]]:
    return [_error("sdk", match.start(), match.group(), arm_code=match.group("code"), status=int(match.group("status")),
                   correlation_id=_cid_near(text, match.start()))
            for match in _SDK_RE.finditer(text)]


# ---------------------------------------------------------------------------------------------
# json and entra: ARM error bodies and token endpoint answers, raw or with escaped quotes
# ---------------------------------------------------------------------------------------------

# Start of a JSON error body, raw or with escaped quotes ({\n  \"error\": ...).
_JSON_START_RE = re.compile(
    r"\{(?:[ \t\r\n]|\\+[nrt])*(?P<bs>\\*)\"(?P<key>error|code|message|error_description)\\*\"")
# The object right after "error": / "details": [ is part of an outer body already reported.
_JSON_NESTED_RE = re.compile(r"\\*\"(?:error|details|innererror)\\*\"(?:[ \t\r\n]|\\+[nrt])*:(?:[ \t\r\n]|\\+[nrt])*\[?\Z")
_JSON_WINDOW = 16384
# Entra error_description: the message ends where " Trace ID:" starts (CRLF, escaped or space separated); see
# entra_message (no regular expression: one with overlapping separators took exponential time on a run of CRLFs).
_TRACE_MARK = "Trace ID:"
_ESCAPED_SEPARATORS = ("\\r\\n", "\\n")
_AADSTS_CODE_RE = re.compile(r"AADSTS\d+")
_ENTRA_CID_RE = re.compile(r"Correlation ID: ?(" + _GUID + ")")
# "key": "value" pairs of a JSON body that does not decode (truncated).
_FALLBACK_FIELD_RE = re.compile(
    r"\"(?P<key>code|message|target|error|error_description)\"[ \t\r\n]*:[ \t\r\n]*\"(?P<value>[^\"\\]*(?:\\.[^\"\\]*)*)\"")
_BRACE_RE = re.compile(r"[{}]")
_AZCM_CODE_RE = re.compile(r"AZCM\d{4}\Z")


def _str_or_none(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def _strip_separators(text: str) -> str:
    """``text`` without the whitespace and escaped line breaks (``\\n``, ``\\r\\n``) at its end."""
    end = len(text)
    while end:
        if text[end - 1].isspace():
            end -= 1
            continue
        for token in _ESCAPED_SEPARATORS:
            if text.endswith(token, 0, end):
                end -= len(token)
                break
        else:
            break
    return text[:end]


def entra_message(description: object) -> str:
    """The message of an Entra ID ``error_description``: the text before the first ``Trace ID:`` that whitespace
    or an escaped line break precedes (linear in the length of the text, whatever it holds)."""
    text = description if isinstance(description, str) else ""
    start = 0
    while True:
        cut = text.find(_TRACE_MARK, start)
        if cut < 0:
            return text.strip()
        head = _strip_separators(text[:cut])
        if len(head) < cut:
            return head.strip()
        start = cut + 1


def _from_object(obj: object) -> _Decoded | None:
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
        match = _AADSTS_CODE_RE.search(description)
        if match is not None:
            aadsts = match.group()
        elif isinstance(obj.get("error_codes"), list) and obj["error_codes"]:
            aadsts = f"AADSTS{obj['error_codes'][0]}"
        cid = obj.get("correlation_id")
        if not isinstance(cid, str) or not cid:
            found = _ENTRA_CID_RE.search(description)
            cid = found.group(1) if found else None
        return "entra", {"arm_code": err, "message": entra_message(description), "aadsts": aadsts, "correlation_id": cid}
    if obj.get("code") and "message" in obj:
        return "json", {"arm_code": _str_or_none(obj.get("code")), "message": _str_or_none(obj.get("message")),
                        "target": _str_or_none(obj.get("target"))}
    return None


def _fallback_object(window: str) -> _Decoded | None:
    """Best effort for a truncated or invalid JSON body: pick "code"/"message"/... by regex."""
    values: dict[str, str] = {}
    for match in _FALLBACK_FIELD_RE.finditer(window):
        values.setdefault(match.group("key"), unescape(match.group("value")))
    if values.get("error") and values.get("error_description") is not None:
        description = values["error_description"]
        found = _AADSTS_CODE_RE.search(description)
        return "entra", {"arm_code": values["error"], "message": entra_message(description),
                         "aadsts": found.group() if found else None}
    if values.get("code"):
        return "json", {"arm_code": values["code"], "message": values.get("message"), "target": values.get("target")}
    return None


def _raw_end(text: str, start: int, limit: int) -> int | None:
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


def _decode_body(text: str, start: int, depth: int) -> tuple[_Decoded | None, int, int]:
    """(decoded error or None, raw length, characters of work) of the JSON body starting at start."""
    if depth == 0:
        limit = min(len(text), start + _JSON_WINDOW)
        obj, end = raw_decode(text, start)
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
        window = unescape(window)
    obj, _end = raw_decode(window)
    raw_end = _raw_end(text, start, limit)
    decoded = _from_object(obj) if obj is not None else _fallback_object(window)
    return decoded, (raw_end or limit) - start, (limit - start) * (times + 1)


def _json_errors(text: str) -> list[tuple[int, AzureError]]:
    found: list[tuple[int, AzureError]] = []
    if "{" not in text:
        return found
    cache: dict[str, tuple[_Decoded | None, int, int]] = {}
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
        if fields.get("arm_code") and _AZCM_CODE_RE.match(fields["arm_code"]):
            continue
        raw = text[start:start + min(length, 4000)]
        cid = fields.pop("correlation_id", None) or _cid_near(text, start)
        found.append(_error(source, start, raw, status=_status_near(text, start), correlation_id=cid, **fields))
    return found


# ---------------------------------------------------------------------------------------------
# aadsts: a bare "AADSTS700016: text" outside a JSON body
# ---------------------------------------------------------------------------------------------

_AADSTS_RE = re.compile(r"AADSTS(?P<num>\d{4,8}):[ \t]*(?P<message>[^\"\r\n\\]{0,2000})")
_AADSTS_MSG_END_RE = re.compile(r" Trace ID:| Correlation ID:| Timestamp:")


def _aadsts_errors(text: str, found: list[tuple[int, AzureError]]) -> list[tuple[int, AzureError]]:
    """The bare AADSTS errors whose code none of the errors found so far carries."""
    bare: list[tuple[int, AzureError]] = []
    known: set[str] | None = None
    for match in _AADSTS_RE.finditer(text):
        if known is None:
            known = {entry["aadsts"] for _pos, entry in found if entry["aadsts"]}
        aadsts = f"AADSTS{match.group('num')}"
        if aadsts in known:
            continue
        known.add(aadsts)
        message = _AADSTS_MSG_END_RE.split(match.group("message"), 1)[0]
        bare.append(_error("aadsts", match.start(), match.group(), message=f"{aadsts}: {message.strip()}",
                           status=_status_near(text, match.start()), aadsts=aadsts, correlation_id=_cid_near(text, match.start())))
    return bare


# ---------------------------------------------------------------------------------------------
# All forms, merged
# ---------------------------------------------------------------------------------------------

# Reports of one error (SDK block and its JSON body) lie within this many characters.
_MERGE_DISTANCE = 6000
_MERGE_KEYS = ("message", "status", "correlation_id", "target", "aadsts")


def _compatible(entry: AzureError, other: AzureError) -> bool:
    """Two reports of one error: no field that both have differs."""
    for key in ("status", "correlation_id", "message"):
        mine, theirs = entry[key], other[key]
        if mine not in (None, "") and theirs not in (None, "") and mine != theirs:
            return False
    return True


def _merge_errors(found: list[tuple[int, AzureError]]) -> list[AzureError]:
    found.sort(key=lambda item: item[0])
    merged: list[tuple[int, AzureError]] = []
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
            if target[key] in (None, "") and entry[key] not in (None, ""):  # type: ignore[literal-required]
                target[key] = entry[key]  # type: ignore[literal-required]
        if target["source"] == "sdk" and entry["source"] != "sdk":
            target["source"] = entry["source"]
    result = []
    seen = set()
    for _pos, entry in merged:
        identity = (entry["arm_code"], entry["message"], entry["status"], entry["correlation_id"], entry["target"])
        if identity in seen:
            continue
        seen.add(identity)
        result.append(entry)
    return result


def azure_errors(text: str) -> list[AzureError]:
    """PRIVATE: :func:`parse_azure_errors` over a text that is already a ``str`` (the console scan's entry point)."""
    found = [flat for flat in (_flattened(text, match) for match in _FLAT_STATUS_RE.finditer(text)) if flat is not None]
    found.extend(_sdk_errors(text))
    found.extend(_json_errors(text))
    found.extend(_aadsts_errors(text, found))
    return _merge_errors(found)


def parse_azure_errors(text: object) -> list[AzureError]:
    """ARM / Entra ID errors in any text (see the module docstring)."""
    return azure_errors(as_text(text))
