# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: _azcm_check_vars
short_description: "[INTERNAL] Check the values of a role's variables against its argument spec"
version_added: 0.1.0
author: arcops engineers
description:
  - B(This is an internal tool and must only be used from the roles and playbooks of this collection!)
    If you use it from outside this collection, be warned that its behavior can change and it can be removed at any
    time, even in bugfix releases!
  - Ansible's argument spec validation checks the types, choices and required variables of a role; this filter checks
    what it cannot - the form of each value. Every variable of the spec obeys the rules of its type (a string given as a
    dict or list, empty where the default is not empty, over 2048 characters, control characters, command syntax
    C(; ` $ | < >), a leading C(-); a negative or huge number; nested lists or dicts where only scalars belong; unknown
    keys of a dict with suboptions), and the variables that carry a known kind of value are checked for its form
    (GUIDs, resource groups, machine names, regions, resource IDs, tags, URLs, package names and versions, state
    directories, the policy and the remediation plan).
  - Secrets (C(no_log) variables) are checked for type, length and control characters only, and never quoted.
  - Returns the list of errors, each naming the variable and the expected form; empty when every value is good.
options:
  _input:
    description: The options of the role's argument spec (C(argument_specs.main.options) of C(meta/argument_specs.yml)).
    type: dict
    required: true
  values:
    description: The variables' values, by name.
    type: dict
    required: true
  lang:
    description: Language of the errors.
    type: str
    default: en
    choices: [en, nl]
"""

EXAMPLES = r"""
- name: Check the role variables
  ansible.builtin.fail:
    msg: "{{ errors | join(' ') }}"
  when: errors | length > 0
  vars:
    spec: "{{ (lookup('ansible.builtin.file', role_path ~ '/meta/argument_specs.yml') | from_yaml).argument_specs.main.options }}"
    errors: "{{ spec | arcops.azcmagent._azcm_check_vars(dict(spec.keys() | zip(query('ansible.builtin.vars', *spec.keys())))) }}"
"""

RETURN = r"""
_value:
  description: The errors, one sentence each, in O(lang); empty when every value is good.
  type: list
  elements: str
"""

import typing as t
from collections.abc import Mapping

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import ACTIONS
from ansible_collections.arcops.azcmagent.plugins.module_utils._plan import validate_policy
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import text
from ansible_collections.arcops.azcmagent.plugins.module_utils._validate import FORMS, ROLE_VARIABLE_FORMS, ValidationError, check_value
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import check_dict, check_lang

NAME = "_azcm_check_vars"


def _check_policy(value: object, option: str, lang: str) -> None:
    try:
        validate_policy(value)
    except ValueError as error:
        raise ValidationError("AZCM0023", option, f"{option}: {error}") from None


def _check_plan(value: object, option: str, lang: str) -> None:
    if not isinstance(value, (list, tuple)):
        return
    for index, step in enumerate(value):
        if not isinstance(step, Mapping) or step.get("action") not in ACTIONS:
            shown = step.get("action") if isinstance(step, Mapping) else step
            raise ValidationError("AZCM0023", option, text("input.form", lang, option=f"{option}[{index}]", form=text("input.form_plan", lang),
                                                           value=shown))


# Variables whose whole value another part of the collection defines (and checks the same way).
_WHOLE_VALUE_CHECKS: t.Mapping[str, t.Callable[[object, str, str], None]] = {
    "azcmagent_policy": _check_policy,
    "azcmagent_remediation_plan": _check_plan,
}


# The plan is azcm_plan's output (nested args, reasons in prose): its steps' actions are checked, not its texts.
_WHOLE_VALUE_ONLY = frozenset(("azcmagent_remediation_plan",))


def azcm_check_vars(spec: t.Any, values: t.Any = None, lang: t.Any = "en") -> list[str]:
    """The errors of the role variables' values (empty when every value is good)."""
    lang = check_lang(NAME, lang)
    check_dict(NAME, spec, "expected the options of a role's argument spec (a dict)")
    check_dict(NAME, values, "option values expects a dict of the variables' values")
    errors = []
    for name, option in spec.items():
        if name not in values or not isinstance(option, Mapping):
            continue
        value = values[name]
        try:
            if name in _WHOLE_VALUE_CHECKS:
                _WHOLE_VALUE_CHECKS[name](value, name, lang)
                if name in _WHOLE_VALUE_ONLY:
                    continue
            check_value(value, name, option, lang, form=ROLE_VARIABLE_FORMS.get(name))
            if name == "azcmagent_policy" and isinstance(value, Mapping) and value.get("proxy_url"):
                FORMS["url"](value["proxy_url"], f"{name}.proxy_url", lang)
        except ValidationError as error:
            errors.append(error.detail if error.detail.startswith(name) or name in error.detail else f"{name}: {error.detail}")
    return errors


class FilterModule:
    """arcops.azcmagent._azcm_check_vars."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_check_vars}
