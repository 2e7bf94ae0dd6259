# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: _azcm_fleet_summary
short_description: "[INTERNAL] Summarise the per-host results of a run"
version_added: 0.1.0
author: arcops engineers
description:
  - B(This is an internal tool and must only be used from the playbooks of this collection!)
    If you use it from outside this collection, be warned that its behavior can change and it can be removed at any
    time, even in bugfix releases!
  - Takes the C(azcmagent_result) of every host of a run and returns the fleet summary that the playbooks print and
    write as C(fleet_summary.json), and from which they render the Markdown and HTML reports.
options:
  _input:
    description: Host name to its C(azcmagent_result), or V(null) when the host has none (unreachable, or failed before the role ended).
    type: dict
    required: true
  kind:
    description:
      - The run, V(onboard), V(offboard), V(remediate), V(diagnose) or V(upgrade), whose title the summary takes in O(lang).
      - Any other value is used as the title as it is; empty gives V(Azure Arc).
    type: str
    default: ""
  check_mode:
    description: Whether the run was in check mode.
    type: bool
    default: false
  lang:
    description: Language of the texts.
    type: str
    default: en
    choices: [en, nl]
"""

EXAMPLES = r"""
- name: Summarise the fleet
  ansible.builtin.set_fact:
    summary: >-
      {{ dict(names | zip(names | map('extract', hostvars) | map(attribute='azcmagent_result', default=None)))
         | arcops.azcmagent._azcm_fleet_summary('onboard', check_mode=ansible_check_mode) }}
"""

RETURN = r"""
_value:
  description: The fleet summary.
  type: dict
  contains:
    title:
      description: The title of the run.
      type: str
    counts:
      description: C(hosts), C(connected), C(ok), C(changed), C(unchanged), C(repaired), C(failed).
      type: dict
    failures:
      description: One group per code and category, with C(count), C(hosts), C(remediations) (each distinct remediation with its hosts) and C(remediation).
      type: list
      elements: dict
    repairs:
      description: Repaired hosts per first code, with C(count) and C(hosts).
      type: list
      elements: dict
    by_state:
      description: Hosts per state (C(label), C(count)).
      type: list
      elements: dict
    by_code:
      description:
        - Hosts per code and outcome (C(label), C(outcome), C(count)). C(outcome) is V(failed) (labelled by the code that is
          left, V(none) without one), V(repaired) (labelled by the code that was repaired) or V(success) (label V(success)).
      type: list
      elements: dict
    out_of_support:
      description: Hosts whose result holds an C(agent_out_of_support) finding (agent older than Microsoft's one-year support window).
      type: list
      elements: str
    hosts:
      description: One row per host, sorted by name.
      type: list
      elements: dict
    lines:
      description: The lines the playbooks print; the first is the headline.
      type: list
      elements: str
    check_mode:
      description: Whether the run was in check mode.
      type: bool
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._results import fleet_summary, summary_title
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import call, check_dict, check_lang, describe, fail

NAME = "_azcm_fleet_summary"


def azcm_fleet_summary(results: t.Any, kind: t.Any = "", check_mode: t.Any = False, lang: t.Any = "en") -> dict[str, t.Any]:
    """The fleet summary of a run (PRIVATE)."""
    lang = check_lang(NAME, lang)
    check_dict(NAME, results, "expected a dict of host name to azcmagent_result")
    if not isinstance(kind, str):
        fail(NAME, f"option kind expects a string, got {describe(kind)}")
    title = summary_title(kind, lang) if kind else ""
    summary: dict[str, t.Any] = call(NAME, fleet_summary, results={str(host): value for host, value in results.items()}, title=title,
                                     check_mode=bool(check_mode), lang=lang)
    return summary


class FilterModule(object):
    """arcops.azcmagent._azcm_fleet_summary (PRIVATE)."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_fleet_summary}
