# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: _azcm_result
short_description: "[INTERNAL] Build the per-host result C(azcmagent_result) of a role or playbook"
version_added: 0.1.0
author: arcops engineers
description:
  - B(This is an internal tool and must only be used from the roles and playbooks of this collection!)
    If you use it from outside this collection, be warned that its behavior can change and it can be removed at any
    time, even in bugfix releases!
  - Takes what the tasks of a role or playbook registered and returns the per-host result C(azcmagent_result) with
    the fields C(host), C(ok), C(state), C(changed), C(repaired), C(code), C(initial_code), C(category), C(cause),
    C(remediation), C(summary), C(message), C(attempts) and C(actions), plus the fields of its O(kind).
  - Every sentence is in O(lang).
options:
  _input:
    description:
      - The facts, as keyword arguments of the builder of O(kind).
      - V(onboard) takes C(host), C(failed), C(connect), C(diagnosis), C(plan), C(actions), C(escalated), C(check_mode), C(preflight).
      - V(offboard) takes C(host), C(failed), C(disconnect), C(diagnosis), C(force_local_only), C(remove_state), C(state_paths),
        C(log_file), C(package_removal), C(state_removal).
      - V(remediate) (a connected host of the remediate playbook) takes C(host), C(health), C(remediation), C(check_mode).
      - V(diagnose) takes C(host), C(info), C(check), C(logs).
      - V(upgrade) takes C(host), C(install) (the install role's C(azcmagent_install_result)), C(before) and C(after) (the info
        module's results), C(today) (the day of the support window check, V(YYYY-MM-DD); default today), C(check_mode).
      - V(forecast) (check mode of the onboard role; not a per-host result but what C(azcmagent connect) will do, as a
        module result for P(arcops.azcmagent.azcm_diagnose#filter)) takes C(connect), C(info), C(arm), C(preflight), C(stopped).
    type: dict
    required: true
  kind:
    description: Which role or playbook the result is for.
    type: str
    required: true
    choices: [onboard, offboard, remediate, diagnose, upgrade, forecast]
  lang:
    description: Language of the texts.
    type: str
    default: en
    choices: [en, nl]
"""

EXAMPLES = r"""
- name: Record the offboarding result
  ansible.builtin.set_fact:
    azcmagent_result: >-
      {{ {'host': inventory_hostname, 'failed': false, 'disconnect': disconnect_result, 'diagnosis': diagnosis,
          'force_local_only': false} | arcops.azcmagent._azcm_result('offboard') }}
"""

RETURN = r"""
_value:
  description: The per-host result.
  type: dict
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils import _results
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import call, check_dict, check_lang, describe, fail

NAME = "_azcm_result"

_BUILDERS: dict[str, t.Callable[..., dict[str, t.Any]]] = {
    "onboard": _results.onboard_result,
    "offboard": _results.offboard_result,
    "remediate": _results.remediate_result,
    "diagnose": _results.diagnose_result,
    "upgrade": _results.upgrade_result,
    "forecast": _results.forecast_connect,
}


def azcm_result(facts: t.Any, kind: t.Any, lang: t.Any = "en") -> dict[str, t.Any]:
    """The per-host result of a role or playbook (PRIVATE)."""
    lang = check_lang(NAME, lang)
    check_dict(NAME, facts, "expected a dict of facts")
    if not isinstance(kind, str) or kind not in _BUILDERS:
        fail(NAME, f"option kind expects one of {', '.join(_BUILDERS)}, got {describe(kind)}")
    result: dict[str, t.Any] = call(NAME, _BUILDERS[kind], lang=lang, **{str(key): value for key, value in facts.items()})
    return result


class FilterModule(object):
    """arcops.azcmagent._azcm_result (PRIVATE)."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_result}
