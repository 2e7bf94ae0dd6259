# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Console output (modern padded levels, or the logrus text of 1.7 agents) and the
logfmt lines appended to azcmagent.log.  Every write goes through ``scrub`` so a secret
registered with ``add_secret`` can never reach stdout, stderr or the log."""

from __future__ import annotations

import datetime
import json
import os
import re
import time

from .errors import code_text, title

TROUBLESHOOTING = "For troubleshooting, see https://aka.ms/arc/azcmerror"
# Width the message is padded to before key=value fields (reference section 11: 45 + one space).
FIELD_PAD = 45
# logrus pads the message of its text formatter to 44 columns.
LEGACY_FIELD_PAD = 44
PROGRESS_CELLS = 15
COLORS = {"DEBUG": "37", "INFO": "36", "WARN": "33", "ERROR": "31", "FATAL": "31"}
# logrus quotes a value unless every character is in this set.
_BARE_VALUE = re.compile(r"^[A-Za-z0-9\-._/@^+]+$")


def logfmt_value(value):
    """A logfmt value as logrus writes it: bare when safe, else a Go-quoted string."""
    text = value if isinstance(value, str) else str(value)
    if _BARE_VALUE.match(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def rfc3339(moment=None):
    """Local time in RFC 3339 with ``Z`` for UTC, as Go prints it."""
    moment = moment or datetime.datetime.now().astimezone()
    text = moment.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def utc_now():
    """UTC now as ``2025-11-19T23:34:03Z``."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_fields(fields):
    """Console key=value tail (values unquoted, keys may hold spaces)."""
    return " ".join("%s=%s" % (key, value) for key, value in (fields or {}).items())


def progress_bar(percent):
    """``  20% [==>            ]``: 15 cells, the head ``>`` until 100 %."""
    cells = percent * PROGRESS_CELLS // 100
    if cells >= PROGRESS_CELLS:
        bar = "=" * PROGRESS_CELLS
    else:
        bar = "=" * max(cells - 1, 0) + (">" if cells else "") + " " * (PROGRESS_CELLS - cells)
    return "%4d%% [%s]" % (percent, bar)


# A line that names a machine resource (dropped when the sim.json knob name_resource is false).
RESOURCE_NAMING_RE = re.compile(r"(?i)/providers/Microsoft\.HybridCompute/machines/|Resource ID=|VM Id=")


class Console:
    """Where a run's output goes.  ``out``/``err`` are text streams."""

    def __init__(self, out, err, log_path, legacy=False, verbose=False, log_stderr=False,
                 json_mode=False, color=False, style=None):
        self.out = out
        self.err = err
        self.log_path = log_path
        self.legacy = legacy
        # modern (padded levels), logrus (INFO[0032]) or logfmt (the log line itself on the console)
        self.style = style or ("logrus" if legacy else "modern")
        self.verbose = verbose
        self.log_stderr = log_stderr
        self.json_mode = json_mode
        self.color = color
        self.started = time.monotonic()
        self.indent = ""
        self._secrets = []
        self.log_lines = []
        # sim.json knob name_resource: false drops every console and log line that names a machine resource
        # (its ID, "Resource ID=", "VM Id="), as no public capture shows the real agent naming it on a conflict.
        self.name_resource = True

    # -- secrets ---------------------------------------------------------------------------
    def add_secret(self, secret):
        """Never print or log this string (or its JSON-escaped form)."""
        # Values shorter than 4 characters are not masked: masking "x" would garble every word holding an x,
        # and no Entra secret or token is that short.
        if secret and len(secret) >= 4 and secret not in self._secrets:
            self._secrets.append(secret)
            escaped = json.dumps(secret)[1:-1]
            if escaped != secret:
                self._secrets.append(escaped)

    def scrub(self, text):
        """Replace every registered secret by ``***``."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    # -- the log file ----------------------------------------------------------------------
    def names_resource(self, text):
        """Whether a line must be dropped under ``name_resource: false``."""
        return not self.name_resource and bool(RESOURCE_NAMING_RE.search(text))

    @staticmethod
    def logfmt_line(level, msg, fields=None):
        """``time="..." level=<level> msg="<msg>" Key=value``."""
        parts = ['time="%s"' % rfc3339(), "level=%s" % level, "msg=%s" % json.dumps(str(msg), ensure_ascii=False)]
        for key, value in (fields or {}).items():
            parts.append("%s=%s" % (key, logfmt_value(value)))
        return " ".join(parts)

    def log(self, level, msg, fields=None):
        """Append one logfmt line to azcmagent.log."""
        line = self.scrub(self.logfmt_line(level, msg, fields))
        if self.names_resource(line):
            return
        self.log_lines.append(line)
        if not self.log_path:
            return
        try:
            os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
            with open(self.log_path, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        except OSError:
            pass

    # -- the console -----------------------------------------------------------------------
    def _stream(self, level):
        if self.log_stderr and level in ("DEBUG", "ERROR", "FATAL", "EXIT"):
            return self.err
        if self.json_mode and level != "PLAIN":
            return self.err
        return self.out

    def _write(self, stream, text):
        stream.write(self.scrub(text) + "\n")
        stream.flush()

    def _prefix(self, level):
        word = "INFO" if level == "EXIT" else level
        if self.legacy:
            return "%s[%04d] " % (word, int(time.monotonic() - self.started))
        if self.color:
            return "\x1b[%sm%-7s\x1b[0m " % (COLORS.get(word, "0"), word)
        return "%-7s " % word

    def line(self, level, msg, fields=None, log=True, log_level=None):
        """One console line at ``level`` (DEBUG/INFO/WARN/ERROR/FATAL), also logged."""
        if log:
            self.log(log_level or ("warning" if level == "WARN" else level.lower()), msg, fields)
        if level == "DEBUG" and not self.verbose:
            return
        if self.style == "logfmt":
            self._write(self._stream(level), self.logfmt_line(log_level or ("warning" if level == "WARN" else level.lower()),
                                                              msg, fields))
            return
        text = msg
        if fields:
            pad = LEGACY_FIELD_PAD if self.legacy else FIELD_PAD
            text = "%-*s %s" % (pad, msg, format_fields(fields))
        if self.names_resource(text):
            return
        self._write(self._stream(level), self.indent + self._prefix(level) + text)

    def info(self, msg, fields=None):
        self.line("INFO", msg, fields)

    def debug(self, msg, fields=None):
        """Verbose: on the console and in the log only with ``--verbose``."""
        if self.verbose:
            self.line("DEBUG", msg, fields)

    def warn(self, msg, fields=None):
        self.line("WARN", msg, fields)

    def plain(self, text, stream=None):
        """A line without level prefix (device code prompt, tables, JSON)."""
        self._write(stream or self.out, text)

    def progress(self, percent):
        """A progress bar line; INFO lines after it are indented by two spaces."""
        if self.style != "modern":
            return
        self._write(self._stream("INFO"), progress_bar(percent))
        self.indent = "  "

    def end_progress(self):
        self.indent = ""

    def exit_lines(self, code, details):
        """``Exit Code:  AZCMnnnn: <Title>``, the troubleshooting link, FATAL details."""
        self.indent = ""
        head = "Exit Code:  %s: %s" % (code_text(code), title(code))
        lines = [("info", "EXIT", head)]
        if not self.legacy:
            lines.append(("info", "EXIT", TROUBLESHOOTING))
        lines += [("fatal", "FATAL", detail) for detail in details if not self.names_resource(detail)]
        for log_level, level, text in lines:
            self.log(log_level, text)
            if self.style == "logfmt":
                self._write(self._stream(level), self.logfmt_line(log_level, text))
            else:
                self._write(self._stream(level), self._prefix(level) + text)
