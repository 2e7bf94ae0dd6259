# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: azcm_plan
short_description: Turn a diagnosis into the steps that fix it
version_added: 0.1.0
author: arcops engineers
description:
  - Takes a diagnosis from P(arcops.azcmagent.azcm_diagnose#filter) and a policy of what may be done
    automatically, and returns the ordered remediation steps that the C(arcops.azcmagent.remediate) role carries out.
  - A V(delete_resource) step (AZCM0044, AZCM0062, AZCM0081) names no resource to delete. It carries the kind of conflict
    in C(args.conflict) (V(stale) for AZCM0044, V(partial) for AZCM0062 and AZCM0081), and C(args.hint_resource_id), the
    machine resource ID the agent's output named, if any. The C(arcops.azcmagent.remediate) role finds the resource in
    Azure Resource Manager at the requested subscription, resource group and name and deletes it only when its vmId
    differs from this machine's, or, for V(partial), when it is this machine's and its provisioning state is not
    V(Succeeded); the agent's wording is never needed.
  - A destructive step (V(delete_resource), V(force_local_disconnect), V(reonboard)) appears only when its policy key
    is V(true); otherwise the plan holds a V(report) step whose C(args.remediation) says what a human must do.
  - Credentials, permissions and input failures never produce a V(retry) step. Retries are bounded by
    O(policy.max_attempts) and wait O(policy.backoff_base) seconds doubled for every earlier attempt, at most
    O(policy.backoff_max), plus jitter, and at least the C(Retry-After) that Azure asked for when it throttled.
options:
  _input:
    description:
      - The diagnosis (a dict with RV(ignore:ok), RV(ignore:actions), RV(ignore:findings), ...).
      - A dict without C(ok) and C(actions) (a raw registered result, for example), an C(ok) that is not a boolean
        (V("abc"), V(1)) or C(actions) that is not a list of action names raises an error naming the key; pass a
        result through P(arcops.azcmagent.azcm_diagnose#filter) first.
    type: dict
    required: true
  policy:
    description: What may be done automatically. Keys that are not given keep their defaults; an unknown key or a value of the
      wrong type is an error.
    type: dict
    default: {}
    suboptions:
      reonboard:
        description: Disconnect and connect again when the machine is connected elsewhere (AZCM0067).
        type: bool
        default: false
      delete_resource:
        description: Delete a stale Azure resource (AZCM0044, AZCM0062, AZCM0081).
        type: bool
        default: false
      force_local_disconnect:
        description: Run C(azcmagent disconnect --force-local-only) (AZCM0043, AZCM0063, and after deleting a stale resource).
        type: bool
        default: false
      restart_services:
        description: Restart the agent services.
        type: bool
        default: true
      register_providers:
        description: Register the resource providers in the subscription.
        type: bool
        default: false
      escalate:
        description: Retry with privilege escalation (AZCM0018).
        type: bool
        default: true
      set_proxy:
        description: Set O(policy.proxy_url) as the agent's C(proxy.url) after a network or proxy failure.
        type: bool
        default: true
      proxy_url:
        description: The proxy to set; empty means none.
        type: str
        default: ""
      retry:
        description: Retry transient failures.
        type: bool
        default: true
      max_attempts:
        description: Connect attempts in all.
        type: int
        default: 3
      attempt:
        description: The number of the attempt that just failed (1 for the first).
        type: int
        default: 1
      backoff_base:
        description: Seconds of the first backoff.
        type: float
        default: 2
      backoff_max:
        description: Upper bound of the backoff in seconds (before jitter and Retry-After).
        type: float
        default: 60
      jitter:
        description: Add a random delay of up to half the backoff.
        type: bool
        default: true
  lang:
    description: Language of the texts of report steps.
    type: str
    default: en
    choices: [en, nl]
seealso:
  - plugin: arcops.azcmagent.azcm_diagnose
    plugin_type: filter
  - plugin: arcops.azcmagent.azcm_remediation
    plugin_type: filter
  - module: arcops.azcmagent.connect
"""

EXAMPLES = r"""
- name: Plan the fix of a failed connect
  ansible.builtin.set_fact:
    steps: >-
      {{ connect_result | arcops.azcmagent.azcm_diagnose
         | arcops.azcmagent.azcm_plan(policy={'register_providers': true, 'attempt': 2}) }}

- name: Show what would be done
  ansible.builtin.debug:
    msg: "{{ steps | map(attribute='action') | list }}"
"""

RETURN = r"""
_value:
  description: The ordered steps.
  type: list
  elements: dict
  contains:
    action:
      description: >-
        V(retry), V(restart_services), V(escalate), V(register_providers), V(set_proxy), V(check_network),
        V(force_local_disconnect), V(delete_resource), V(reonboard), V(report) or V(none).
      type: str
    reason:
      description: Why, in O(lang).
      type: str
    code:
      description: The AZCM code the step answers, or V(null).
      type: str
    destructive:
      description: Whether the step deletes or disconnects something.
      type: bool
    reconnect:
      description:
        - Whether the onboard role connects again once this step has been carried out. V(true) for V(retry) and
          V(escalate) (the next connect is the step itself) and for the fixes that change what the next connect meets
          (V(restart_services), V(register_providers), V(set_proxy), V(delete_resource), V(force_local_disconnect),
          V(reonboard)) while O(policy.attempt) is below O(policy.max_attempts); V(false) for V(check_network),
          V(report) and V(none), and when the attempt budget is spent.
        - The C(arcops.azcmagent.remediate) role turns it into C(azcmagent_remediation_result.reconnect), which is V(true) when a step
          that asks for it was carried out (a V(retry) or V(escalate) step also in check mode), no step failed, and no
          V(check_network) step found the endpoints unreachable without a V(set_proxy) step done after it.
      type: bool
    args:
      description: >-
        Arguments: C(delay), C(attempt), C(max_attempts) for V(retry); C(namespaces) for V(register_providers);
        C(proxy_url) for V(set_proxy); C(endpoints) for V(check_network); C(conflict) and C(hint_resource_id) for
        V(delete_resource); C(remediation) (and C(blocked_action), C(policy_key) when the policy forbade the fix, plus
        C(conflict) and C(hint_resource_id) when that fix was V(delete_resource)) for V(report).
      type: dict
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._plan import plan
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import call, check_diagnosis_ok, check_dict, check_lang

NAME = "azcm_plan"


def azcm_plan(diagnosis: t.Any, policy: t.Any = None, lang: t.Any = "en") -> list[dict[str, t.Any]]:
    """The remediation steps for a diagnosis under a policy."""
    lang = check_lang(NAME, lang)
    check_dict(NAME, diagnosis, "expected a diagnosis (the dict that azcm_diagnose returns)")
    check_diagnosis_ok(NAME, diagnosis)
    check_dict(NAME, policy, "option policy expects a dict", optional=True)
    steps: list[dict[str, t.Any]] = call(NAME, plan, diagnosis, dict(policy) if policy else None, lang=lang)
    return steps


class FilterModule(object):
    """arcops.azcmagent.azcm_plan."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_plan}
