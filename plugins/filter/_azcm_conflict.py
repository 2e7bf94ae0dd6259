# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: _azcm_conflict
short_description: "[INTERNAL] Decide whether the remediate role may delete a conflicting machine resource"
version_added: 0.1.0
author: arcops engineers
description:
  - B(This is an internal tool and must only be used from the roles of this collection!)
    If you use it from outside this collection, be warned that its behavior can change and it can be removed at any
    time, even in bugfix releases!
  - Takes what M(arcops.azcmagent.machine_resource_info) read at the requested subscription, resource group and name,
    this machine's state from M(arcops.azcmagent.info) and the policy, and returns the decision of a C(delete_resource)
    step of AZCM0044, AZCM0062 or AZCM0081.
  - The resource is deleted only when the policy allows C(delete_resource) and its C(properties.vmId) differs from this
    machine's, or, for an unfinished connect (C(partial)), when it is this machine's and its provisioning state is not
    V(Succeeded). The agent's wording is never needed; a resource ID it named is mentioned as a hint only.
options:
  _input:
    description: The registered result of M(arcops.azcmagent.machine_resource_info) (or its C(machines) list).
    type: raw
    required: true
  kind:
    description: V(stale) (AZCM0044) or V(partial) (AZCM0062, AZCM0081); the C(conflict) argument of the plan's step.
    type: str
    required: true
    choices: [stale, partial]
  target:
    description: The requested resource, a dict with C(subscription_id), C(resource_group), C(resource_name) and C(host_name)
      (the name the agent uses when no resource name is requested).
    type: dict
    required: true
  local:
    description: The registered result of M(arcops.azcmagent.info) on the machine (its C(vm_id), else C(show.vmId)).
    type: dict
    default: {}
  policy:
    description: The policy (C(azcmagent_policy)); only C(delete_resource) is read.
    type: dict
    default: {}
  hint_resource_id:
    description: The machine resource ID the agent's output named, if any.
    type: str
    default: ""
  check_mode:
    description: Word the message for check mode (the resource would be deleted).
    type: bool
    default: false
  lang:
    description: Language of the message.
    type: str
    default: en
    choices: [en, nl]
"""

EXAMPLES = r"""
- name: Decide about the conflicting machine resource
  ansible.builtin.set_fact:
    conflict: >-
      {{ arm_record | arcops.azcmagent._azcm_conflict(kind='stale', local=agent_info, policy=azcmagent_policy,
         target={'subscription_id': sub, 'resource_group': rg, 'resource_name': '', 'host_name': 'web01'}) }}
"""

RETURN = r"""
_value:
  description: The decision.
  type: dict
  contains:
    decision:
      description: V(delete), V(blocked) (the policy does not allow it), V(absent), V(same_machine), V(succeeded),
        V(unknown_identity) or V(no_target).
      type: str
    delete:
      description: Whether the resource is to be deleted.
      type: bool
    resource_id:
      description: The resource that was looked for (its ID as Azure spells it when found).
      type: str
    subscription_id:
      description: Its subscription.
      type: str
    resource_group:
      description: Its resource group.
      type: str
    resource_name:
      description: Its name.
      type: str
    vm_id:
      description: The resource's C(properties.vmId) (empty when not found).
      type: str
    local_vm_id:
      description: This machine's vmId as the agent shows it (empty when it has none).
      type: str
    provisioning_state:
      description: The resource's provisioning state.
      type: str
    status:
      description: The resource's status as Azure sees it.
      type: str
    message:
      description: What was found and what happens to it, in O(lang).
      type: str
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._conflict import KINDS, decide, target as make_target
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import call, check_dict, check_lang, describe, fail

NAME = "_azcm_conflict"


def azcm_conflict(machines: t.Any, kind: t.Any, target: t.Any, local: t.Any = None, policy: t.Any = None,
                  hint_resource_id: t.Any = "", check_mode: t.Any = False, lang: t.Any = "en") -> dict[str, t.Any]:
    """The decision about the conflicting machine resource (PRIVATE)."""
    lang = check_lang(NAME, lang)
    if kind not in KINDS:
        fail(NAME, f"option kind expects one of {', '.join(KINDS)}, got {describe(kind)}")
    check_dict(NAME, target, "option target expects a dict")
    for name, value in (("local", local), ("policy", policy)):
        check_dict(NAME, value, f"option {name} expects a dict", optional=True)
    wanted = make_target(target.get("subscription_id"), target.get("resource_group"), target.get("resource_name"),
                         target.get("host_name"))
    result: dict[str, t.Any] = dict(call(NAME, decide, kind=kind, target=wanted, machine=machines, local=local, policy=policy,
                                         hint_resource_id=hint_resource_id, check_mode=bool(check_mode), lang=lang))
    return result


class FilterModule(object):
    """arcops.azcmagent._azcm_conflict (PRIVATE)."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_conflict}
