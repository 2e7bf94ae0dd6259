# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: _azcm_remediation_result
short_description: "[INTERNAL] Build the result of the remediate role"
version_added: 0.1.0
author: arcops engineers
description:
  - B(This is an internal tool and must only be used from the roles of this collection!)
    If you use it from outside this collection, be warned that its behavior can change and it can be removed at any
    time, even in bugfix releases!
  - Takes the steps the C(arcops.azcmagent.remediate) role recorded and its verification with
    M(arcops.azcmagent.info), and returns C(azcmagent_remediation_result), including C(escalated) and C(reconnect).
options:
  _input:
    description: The recorded steps (the plan's steps with C(done), C(ok), C(changed), C(detail) and, for V(check_network), C(network_ok)).
    type: list
    elements: dict
    required: true
  verify:
    description: The registered result of M(arcops.azcmagent.info) after the steps (a skipped result when it did not run).
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Record the remediation result
  ansible.builtin.set_fact:
    azcmagent_remediation_result: "{{ steps | arcops.azcmagent._azcm_remediation_result(verify_result) }}"
"""

RETURN = r"""
_value:
  description: The result of the remediate role (see the role's documentation).
  type: dict
  contains:
    ok:
      description: No step failed.
      type: bool
    escalated:
      description: An V(escalate) step was carried out, so the next connect uses privilege escalation.
      type: bool
    reconnect:
      description: The plan asks for another connect and nothing the remediation found stands against it.
      type: bool
"""

import typing as t
from collections.abc import Mapping

from ansible_collections.arcops.azcmagent.plugins.module_utils._results import remediation_result
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import call, check_dict, describe, fail

NAME = "_azcm_remediation_result"


def azcm_remediation_result(steps: t.Any, verify: t.Any = None) -> dict[str, t.Any]:
    """The result of the remediate role (PRIVATE)."""
    if not isinstance(steps, (list, tuple)) or not all(isinstance(step, Mapping) for step in steps):
        fail(NAME, f"expected the list of recorded steps, got {describe(steps)}")
    check_dict(NAME, verify, "option verify expects a dict", optional=True)
    result: dict[str, t.Any] = call(NAME, remediation_result, steps=steps, verify=verify)
    return result


class FilterModule(object):
    """arcops.azcmagent._azcm_remediation_result (PRIVATE)."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_remediation_result}
