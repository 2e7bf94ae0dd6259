# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: azcm_codes
short_description: List the AZCM codes in agent output
version_added: 0.1.0
author: arcops engineers
description:
  - Returns every AZCM error code (C(AZCMnnnn)) in a text, a list of lines or a registered result, in order of
    appearance and without duplicates.
  - For a registered result, the code of the exit status is included when the output names none
    (exit status 42 is V(AZCM0042)).
options:
  _input:
    description: A text, a list of lines (strings), or a registered result (a dict).
    type: raw
    required: true
seealso:
  - plugin: arcops.azcmagent.azcm_info
    plugin_type: filter
  - plugin: arcops.azcmagent.azcm_diagnose
    plugin_type: filter
  - module: arcops.azcmagent.connect
"""

EXAMPLES = r"""
- name: Codes printed by a run
  ansible.builtin.debug:
    msg: "{{ connect_run.stdout | arcops.azcmagent.azcm_codes }}"

- name: Fail on a code that needs a human
  ansible.builtin.fail:
    msg: The machine name is taken
  when: "'AZCM0044' in (connect_run | arcops.azcmagent.azcm_codes)"
"""

RETURN = r"""
_value:
  description: The codes, for example V(['AZCM0026', 'AZCM0042']).
  type: list
  elements: str
"""

import typing as t
from collections.abc import Mapping

from ansible_collections.arcops.azcmagent.plugins.module_utils._diagnosis import diagnose
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_console import extract_codes
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import call, check_text_input

NAME = "azcm_codes"


def azcm_codes(data: object) -> list[str]:
    """The AZCM codes of a text, list of lines or registered result."""
    check_text_input(NAME, data)
    if isinstance(data, Mapping):
        return list(call(NAME, diagnose, data)["azcm_codes"])
    text = data if isinstance(data, str) else "\n".join(t.cast("list[str]", data))
    return list(call(NAME, extract_codes, text))


class FilterModule:
    """arcops.azcmagent.azcm_codes."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_codes}
