# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: _azcm_reconcile
short_description: "[INTERNAL] Compare the inventory with the machine resources in Azure"
version_added: 0.1.0
author: arcops engineers
description:
  - B(This is an internal tool and must only be used from the playbooks of this collection!)
    If you use it from outside this collection, be warned that its behavior can change and it can be removed at any
    time, even in bugfix releases!
  - Takes the machine resources of the reconciled scopes (M(arcops.azcmagent.machine_resource_info)) and what each
    inventory host's agent says about itself, and returns one row per resource and per host without one, with its
    outcome (V(connected), V(disconnected), V(expired), V(orphan), V(missing), V(duplicate), V(clone)) and what the
    reconcile policy lets the playbook do about it.
options:
  _input:
    description: The machine summaries of M(arcops.azcmagent.machine_resource_info) of every reconciled scope.
    type: list
    elements: dict
    required: true
  hosts:
    description:
      - Inventory host name to C(target) (C(subscription_id), C(resource_group), C(resource_name), C(host_name)),
        C(reachable) and C(info) (the facts of M(arcops.azcmagent.info); empty when the host was not reached).
    type: dict
    required: true
  policy:
    description: The reconcile policy; keys left out keep their defaults.
    type: dict
    default: {}
    suboptions:
      delete_orphans:
        description: Delete resources no host claims that are not Connected and whose status has not changed for O(policy.orphan_min_days) days.
        type: bool
        default: false
      orphan_min_days:
        description: Days an orphan must have kept its status before O(policy.delete_orphans) deletes it.
        type: int
        default: 30
      reonboard:
        description: Re-onboard the reachable hosts whose resource is Disconnected or Expired.
        type: bool
        default: false
      reidentify_clones:
        description: Give each clone its own identity (C(azcmagent disconnect --force-local-only), then connect).
        type: bool
        default: false
      remove_extensions:
        description: Remove a machine's extensions before it is disconnected or re-onboarded.
        type: bool
        default: false
  lang:
    description: Language of the texts.
    type: str
    default: en
    choices: [en, nl]
seealso:
  - module: arcops.azcmagent.machine_resource_info
"""

EXAMPLES = r"""
- name: Decide what to do
  ansible.builtin.set_fact:
    decision: "{{ machines | arcops.azcmagent._azcm_reconcile(hosts=inventory_hosts, policy={'delete_orphans': true}) }}"
"""

RETURN = r"""
_value:
  description: The reconciliation.
  type: dict
  contains:
    rows:
      description:
        - One row per resource and per host without one; C(host), C(outcome), C(resource), C(resource_id),
          C(subscription_id), C(resource_group), C(status), C(vm_id), C(last_status_change), C(last_heartbeat),
          C(days_since_heartbeat), C(action), C(allowed), C(reason), C(same_vm_id) (and C(kept_by) for a clone).
      type: list
      elements: dict
    counts:
      description: Rows per outcome, C(rows), and the allowed C(delete_orphan), C(reonboard) and C(reidentify) actions.
      type: dict
    hosts:
      description: Inventory host to its decision (C(outcome), C(action), C(allowed), C(resource_id), C(reason), ...).
      type: dict
    delete:
      description: The orphans to delete (C(resource_id), C(resource), C(resource_group), C(subscription_id)).
      type: list
      elements: dict
    reonboard:
      description: Hosts to re-onboard.
      type: list
      elements: str
    reidentify:
      description: Clones that get an identity of their own.
      type: list
      elements: str
    policy:
      description: The complete policy.
      type: dict
    lines:
      description: What the playbook prints; the first is the headline.
      type: list
      elements: str
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._reconcile import reconcile
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import call, check_dict, check_lang, describe, fail

NAME = "_azcm_reconcile"


def azcm_reconcile(machines: t.Any, hosts: t.Any, policy: t.Any = None, lang: t.Any = "en") -> dict[str, t.Any]:
    """The reconciliation of the inventory with Azure (PRIVATE)."""
    lang = check_lang(NAME, lang)
    if not isinstance(machines, list):
        fail(NAME, f"expected a list of machine summaries (machine_resource_info machines), got {describe(machines)}")
    check_dict(NAME, hosts, "option hosts expects a dict of host name to {target, reachable, info}")
    check_dict(NAME, policy, "option policy expects a dict", optional=True)
    result: dict[str, t.Any] = call(NAME, reconcile, machines=machines, hosts=hosts, policy=policy, lang=lang)
    return result


class FilterModule(object):
    """arcops.azcmagent._azcm_reconcile (PRIVATE)."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_reconcile}
