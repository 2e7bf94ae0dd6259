# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: azcm_remediation
short_description: The remediation of an AZCM code, agent output or result, for a human
version_added: 0.1.0
author: arcops engineers
description:
  - For a code (V(AZCM0044), V(44), ...) returns the catalog's remediation.
  - For a text, a list of lines or a registered result returns the remediation of its diagnosis (see
    P(arcops.azcmagent.azcm_diagnose#filter)), refined by the known errors found in the output. Errors on debug and
    info lines, and problems the agent got past (the debug provider registration 403 of most connects), do not
    change it when a fatal or error line explains the failure.
  - Output of an install (apt/dpkg, dnf/yum, zypper, Microsoft's install script) gets the remediation of the
    install-stage error found in it.
  - For a successful run it returns the sentence that says nothing needs to be done.
  - >-
    Malformed input is treated as P(arcops.azcmagent.azcm_diagnose#filter) treats it: a result with an C(rc) that
    is not an integer (or another malformed key) raises an error naming the key; an input without any outcome (an
    empty string, random text, an empty dict) gets the sentence that asks for the registered result or the agent's
    output, never the success sentence.
options:
  _input:
    description: A code, a text, a list of lines (strings) or a registered result (a dict).
    type: raw
    required: true
  lang:
    description: Language of the sentence.
    type: str
    default: en
    choices: [en, nl]
seealso:
  - plugin: arcops.azcmagent.azcm_diagnose
    plugin_type: filter
  - plugin: arcops.azcmagent.azcm_info
    plugin_type: filter
  - plugin: arcops.azcmagent.azcm_plan
    plugin_type: filter
  - module: arcops.azcmagent.connect
"""

EXAMPLES = r"""
- name: Tell the operator what to do
  ansible.builtin.fail:
    msg: "{{ connect_run | arcops.azcmagent.azcm_remediation }}"
  when: connect_run.rc != 0

- name: The remediation of a code, in Dutch
  ansible.builtin.debug:
    msg: "{{ 'AZCM0041' | arcops.azcmagent.azcm_remediation(lang='nl') }}"
"""

RETURN = r"""
_value:
  description: The remediation sentence, in O(lang).
  type: str
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import is_code, lookup
from ansible_collections.arcops.azcmagent.plugins.module_utils._diagnosis import diagnose
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import call, check_lang, check_text_input, describe, fail

NAME = "azcm_remediation"


def azcm_remediation(data: object, lang: str = "en") -> str | None:
    """The remediation sentence for a code, a text, a list of lines or a result."""
    lang = check_lang(NAME, lang)
    if isinstance(data, bool):
        fail(NAME, f"expected an AZCM code, a text, a list of strings or a registered result (dict), got {describe(data)}")
    if isinstance(data, int) or (isinstance(data, str) and is_code(data)):
        return call(NAME, lookup, data, lang)["remediation"]
    check_text_input(NAME, data, "an AZCM code, a text, a list of strings or a registered result (dict)")
    diagnosis = call(NAME, diagnose, data, lang=lang)
    sentence: str | None = diagnosis["remediation"] or diagnosis["cause"]
    return sentence


class FilterModule:
    """arcops.azcmagent.azcm_remediation."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_remediation}
