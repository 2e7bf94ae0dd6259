# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: _azcm_junit
short_description: "[INTERNAL] The fleet summary as a JUnit XML report"
version_added: 0.2.0
author: arcops engineers
description:
  - B(This is an internal tool and must only be used from the playbooks of this collection!)
    If you use it from outside this collection, be warned that its behavior can change and it can be removed at any
    time, even in bugfix releases!
  - Turns the fleet summary (P(arcops.azcmagent._azcm_fleet_summary#filter)) into a JUnit XML document with one test case per
    host, so that CI systems show per-host results. A host that did not end as wanted is a C(failure) whose type is its AZCM
    code and whose message is the code, cause and remediation; a host without a result is an C(error).
options:
  _input:
    description: The fleet summary.
    type: dict
    required: true
  kind:
    description: The run (V(onboard), V(offboard), V(remediate), V(diagnose)); the suite is named C(arcops.azcmagent.<kind>).
    type: str
    default: run
  timestamp:
    description: When the run happened (ISO 8601), for the suite's C(timestamp).
    type: str
    default: ""
  hostname:
    description: The controller's name, for the suite's C(hostname).
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: Write the fleet report as JUnit XML
  ansible.builtin.copy:
    content: "{{ azcmagent_fleet_summary | arcops.azcmagent._azcm_junit('onboard') }}"
    dest: "{{ report_dir }}/junit.xml"
    mode: "0640"
"""

RETURN = r"""
_value:
  description: The JUnit XML document, with its XML declaration.
  type: str
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._junit import junit_xml
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import call, check_dict, describe, fail

NAME = "_azcm_junit"


def azcm_junit(summary: t.Any, kind: t.Any = "run", timestamp: t.Any = "", hostname: t.Any = "") -> str:
    """The JUnit XML report of a fleet summary (PRIVATE)."""
    check_dict(NAME, summary, "expected the fleet summary (a dict)")
    for option, value in (("kind", kind), ("timestamp", timestamp), ("hostname", hostname)):
        if not isinstance(value, str):
            fail(NAME, f"option {option} expects a string, got {describe(value)}")
    document: str = call(NAME, junit_xml, summary, kind=str(kind), timestamp=str(timestamp), hostname=str(hostname))
    return document


class FilterModule(object):
    """arcops.azcmagent._azcm_junit (PRIVATE)."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_junit}
