# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The fleet report as JUnit XML, for CI systems (Jenkins, GitHub Actions reporters, Azure Pipelines, GitLab).

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

One ``<testsuite>`` per run, one ``<testcase>`` per host (``classname`` ``arcops.azcmagent.<kind>``, ``name`` the host).
A host that ended as wanted passes; a host that did not fails with ``<failure type="<code>" message="<code: cause.
remediation>">`` whose text repeats the code, category, remediation and message on separate lines; a host without a
result (unreachable, or failed before its role ended) is an ``<error type="NoResult">``. The document follows the JUnit
schema that Jenkins validates against (tests/schemas/junit-10.xsd).
"""

from __future__ import annotations

import re
import typing as t
import xml.etree.ElementTree as ET

Summary = t.Mapping[str, t.Any]

# Characters XML 1.0 cannot carry (control characters other than tab, newline, carriage return): removed.
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: object) -> str:
    return _XML_INVALID_RE.sub("", "" if value is None else str(value))


def junit_xml(summary: Summary, *, kind: str = "onboard", timestamp: str = "", hostname: str = "") -> str:
    """The JUnit XML document (a string, with its XML declaration) of a fleet summary (``_results.fleet_summary``)."""
    rows = [row for row in summary.get("hosts") or () if isinstance(row, t.Mapping)]
    errors = [row for row in rows if not row.get("ok") and row.get("state") == "NoResult"]
    failures = [row for row in rows if not row.get("ok") and row.get("state") != "NoResult"]
    suite_name = "arcops.azcmagent.%s" % (kind or "run")
    counts = {"tests": str(len(rows)), "failures": str(len(failures)), "errors": str(len(errors))}
    root = ET.Element("testsuites", dict(counts, name=_clean(summary.get("title") or suite_name)))
    attributes = dict(counts, name=suite_name, skipped="0")
    if timestamp:
        attributes["timestamp"] = _clean(timestamp)
    if hostname:
        attributes["hostname"] = _clean(hostname)
    suite = ET.SubElement(root, "testsuite", attributes)
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", {"name": "check_mode", "value": "true" if summary.get("check_mode") else "false"})
    for key, value in sorted((summary.get("counts") or {}).items()):
        ET.SubElement(properties, "property", {"name": "count_%s" % _clean(key), "value": _clean(value)})
    for row in rows:
        case = ET.SubElement(suite, "testcase", {"classname": suite_name, "name": _clean(row.get("host"))})
        code = _clean(row.get("code")) or ("NoResult" if row.get("state") == "NoResult" else "unknown")
        if not row.get("ok"):
            element = ET.SubElement(case, "error" if row.get("state") == "NoResult" else "failure",
                                    {"type": code, "message": _clean(row.get("message") or row.get("remediation"))})
            element.text = "\n".join((
                "code: %s" % code,
                "category: %s" % _clean(row.get("category")),
                "state: %s" % _clean(row.get("state")),
                "remediation: %s" % _clean(row.get("remediation")),
                "message: %s" % _clean(row.get("message")),
            ))
        out = ET.SubElement(case, "system-out")
        out.text = "state: %s; changed: %s; repaired: %s; attempts: %s%s" % (
            _clean(row.get("state")), bool(row.get("changed")), bool(row.get("repaired")), _clean(row.get("attempts")),
            "; first code: %s" % _clean(row.get("initial_code")) if row.get("initial_code") else "")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
