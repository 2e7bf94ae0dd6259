# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: azcm_info
short_description: Describe an AZCM error code
version_added: 0.1.0
author: arcops engineers
description:
  - Looks a code up in the catalog of every AZCM code Microsoft documents (and the legacy codes older agents still print).
  - Accepts V(AZCM0044), V(azcm0044), V(0044), V(44) and the integer V(44).
  - A well-formed code that the catalog does not know gives RV(known=false) and category V(unknown).
options:
  _input:
    description: The code.
    type: raw
    required: true
  lang:
    description: Language of RV(title), RV(cause) and RV(remediation).
    type: str
    default: en
    choices: [en, nl]
seealso:
  - plugin: arcops.azcmagent.azcm_codes
    plugin_type: filter
  - plugin: arcops.azcmagent.azcm_remediation
    plugin_type: filter
  - plugin: arcops.azcmagent.azcm_diagnose
    plugin_type: filter
  - module: arcops.azcmagent.connect
"""

EXAMPLES = r"""
- name: What does AZCM0044 mean
  ansible.builtin.debug:
    msg: "{{ 'AZCM0044' | arcops.azcmagent.azcm_info }}"

- name: The same from an exit status, in Dutch
  ansible.builtin.debug:
    msg: "{{ (connect_run.rc | arcops.azcmagent.azcm_info(lang='nl')).cause }}"
"""

RETURN = r"""
_value:
  description: The catalog entry.
  type: dict
  contains:
    code:
      description: Canonical code, for example V(AZCM0044).
      type: str
    exit_code:
      description: Process exit code of the agent for this code.
      type: int
    title:
      description: Short title.
      type: str
    cause:
      description: Cause, in O(lang).
      type: str
    remediation:
      description: Remediation, in O(lang).
      type: str
    category:
      description: Category, for example V(credentials), V(resource_conflict), V(network).
      type: str
    retryable:
      description: Whether a retry can help.
      type: bool
    action:
      description: Automatic action of the remediate role, for example V(delete_resource).
      type: str
    legacy:
      description: V(true) for codes that only older agents print.
      type: bool
    known:
      description: V(false) for a well-formed code the catalog does not describe.
      type: bool
    note:
      description: The older meaning of the code, when it changed.
      type: str
    url:
      description: Troubleshooting page.
      type: str
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import CodeInfo, lookup
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import call, check_lang, describe, fail

NAME = "azcm_info"


def azcm_info(code: object, lang: str = "en") -> CodeInfo:
    """The catalog entry of a code."""
    lang = check_lang(NAME, lang)
    if isinstance(code, bool) or not isinstance(code, (str, int)):
        fail(NAME, f"expected an AZCM code ('AZCM0044', 'azcm0044', '0044', '44' or 44), got {describe(code)}")
    return call(NAME, lookup, code, lang)


class FilterModule:
    """arcops.azcmagent.azcm_info."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_info}
