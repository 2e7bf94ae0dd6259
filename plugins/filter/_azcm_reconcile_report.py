# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: _azcm_reconcile_report
short_description: "[INTERNAL] The reconcile summary, with what was carried out"
version_added: 0.1.0
author: arcops engineers
description:
  - B(This is an internal tool and must only be used from the roles of this collection!)
    If you use it from outside this collection, be warned that its behavior can change and it can be removed at any
    time, even in bugfix releases!
  - Takes the decision of P(arcops.azcmagent._azcm_reconcile#filter) and the results of the deletes, re-onboardings
    and new identities, and returns the summary the reconcile role prints and writes as Markdown, HTML and JSON.
options:
  _input:
    description: The decision of P(arcops.azcmagent._azcm_reconcile#filter).
    type: dict
    required: true
  deleted:
    description: The results of M(arcops.azcmagent.machine_resource) with O(arcops.azcmagent.machine_resource#module:state=absent) for the orphans.
    type: list
    elements: dict
    default: []
  results:
    description: Host name to its C(azcmagent_result) after a re-onboarding or a new identity.
    type: dict
    default: {}
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
- name: Summarise the reconciliation
  ansible.builtin.set_fact:
    summary: "{{ decision | arcops.azcmagent._azcm_reconcile_report(deleted=deletes.results, results=host_results) }}"
"""

RETURN = r"""
_value:
  description: The reconcile summary.
  type: dict
  contains:
    title:
      description: The title of the run.
      type: str
    counts:
      description: Rows per outcome, the allowed actions, and C(done), C(changed), C(failed).
      type: dict
    rows:
      description: The decision rows, each with C(done), C(ok), C(changed) and C(detail).
      type: list
      elements: dict
    by_outcome:
      description: Rows per outcome (C(label), C(count)), for the chart.
      type: list
      elements: dict
    lines:
      description: The lines the role prints; the first is the headline.
      type: list
      elements: str
    check_mode:
      description: Whether the run was in check mode.
      type: bool
    policy:
      description: The complete reconcile policy.
      type: dict
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._reconcile import reconcile_report
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import call, check_dict, check_lang, describe, fail

NAME = "_azcm_reconcile_report"


def azcm_reconcile_report(decision: t.Any, deleted: t.Any = None, results: t.Any = None, check_mode: t.Any = False,
                          lang: t.Any = "en") -> dict[str, t.Any]:
    """The reconcile summary (PRIVATE)."""
    lang = check_lang(NAME, lang)
    check_dict(NAME, decision, "expected the decision of _azcm_reconcile (a dict)")
    check_dict(NAME, results, "option results expects a dict of host name to azcmagent_result", optional=True)
    if deleted is not None and not isinstance(deleted, list):
        fail(NAME, f"option deleted expects a list of module results, got {describe(deleted)}")
    summary: dict[str, t.Any] = call(NAME, reconcile_report, decision=decision, deleted=deleted or [], results=results or {},
                                     check_mode=bool(check_mode), lang=lang)
    return summary


class FilterModule(object):
    """arcops.azcmagent._azcm_reconcile_report (PRIVATE)."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_reconcile_report}
