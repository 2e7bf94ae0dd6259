# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: _azcm_extension_gate
short_description: "[INTERNAL] Decide whether a machine with extensions may be disconnected"
version_added: 0.1.0
author: arcops engineers
description:
  - B(This is an internal tool and must only be used from the roles of this collection!)
    If you use it from outside this collection, be warned that its behavior can change and it can be removed at any
    time, even in bugfix releases!
  - Microsoft asks to remove a machine's extensions before it is disconnected, and extensions are not recognised after
    a new connect. Takes the extensions Azure lists for the machine and says whether the disconnect may go on, and which
    extensions to remove first.
options:
  _input:
    description: The C(extensions) of the machine as M(arcops.azcmagent.machine_resource_info) returns them; V(null) when the machine was not found.
    type: list
    elements: dict
    required: true
  remove:
    description: Whether the extensions may be removed first (C(azcmagent_remove_extensions)).
    type: bool
    default: false
  what:
    description: What the extensions stand in the way of (V(disconnect), V(re-onboarding)), for the message.
    type: str
    default: disconnect
  check_mode:
    description: Whether the run is in check mode (the message then says nothing is removed).
    type: bool
    default: false
  lang:
    description: Language of the message.
    type: str
    default: en
    choices: [en, nl]
seealso:
  - module: arcops.azcmagent.machine_resource_info
  - module: arcops.azcmagent.machine_extension
"""

EXAMPLES = r"""
- name: Decide about the extensions
  ansible.builtin.set_fact:
    gate: "{{ info.machines[0].extensions | arcops.azcmagent._azcm_extension_gate(remove=false) }}"
"""

RETURN = r"""
_value:
  description: The decision.
  type: dict
  contains:
    proceed:
      description: Whether the disconnect may go on (no extensions, or they are removed first).
      type: bool
    remove:
      description: Names of the extensions to remove first.
      type: list
      elements: str
    extensions:
      description: Names of the machine's extensions.
      type: list
      elements: str
    message:
      description: What was found and what happens, in O(lang); empty when the machine has no extensions.
      type: str
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._reconcile import extension_gate
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import call, check_lang, describe, fail

NAME = "_azcm_extension_gate"


def azcm_extension_gate(extensions: t.Any, remove: t.Any = False, what: t.Any = "disconnect", check_mode: t.Any = False,
                        lang: t.Any = "en") -> dict[str, t.Any]:
    """Whether a machine with extensions may be disconnected (PRIVATE)."""
    lang = check_lang(NAME, lang)
    if extensions is not None and not isinstance(extensions, list):
        fail(NAME, f"expected the list of the machine's extensions (or null), got {describe(extensions)}")
    if not isinstance(remove, bool):
        fail(NAME, f"option remove expects a boolean, got {describe(remove)}")
    result: dict[str, t.Any] = call(NAME, extension_gate, extensions=extensions, remove=remove, what=str(what),
                                    check_mode=bool(check_mode), lang=lang)
    return result


class FilterModule(object):
    """arcops.azcmagent._azcm_extension_gate (PRIVATE)."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_extension_gate}
