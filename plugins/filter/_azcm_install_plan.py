# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: _azcm_install_plan
short_description: "[INTERNAL] Decide what the install role does with the agent package"
version_added: 0.1.0
author: arcops engineers
description:
  - B(This is an internal tool and must only be used from the roles and playbooks of this collection!)
    If you use it from outside this collection, be warned that its behavior can change and it can be removed at any
    time, even in bugfix releases!
  - Takes the host's package facts and the install role's variables and returns the plan of the role
    P(arcops.azcmagent.install#role) - the package family, whether to install, leave, change or only report the
    installed version, the repository, the package spec, the package file path and the proxy environment.
options:
  _input:
    description:
      - The facts, as keyword arguments - C(pkg_mgr), C(distribution), C(distribution_version),
        C(distribution_major_version), C(distribution_release) (from C(ansible_facts)), C(package_records) (the
        package's entry of C(ansible_facts.packages), or an empty list), C(package_name), C(version), C(version_change),
        C(repo_url), C(repo_suite), C(package_dest), C(proxy) and C(unmanaged_output) (what C(azcmagent version)
        printed at C(azcmagent_executable) when the package manager does not know the agent, else empty).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Decide what to do with the agent package
  ansible.builtin.set_fact:
    install_plan: >-
      {{ {'pkg_mgr': ansible_facts.pkg_mgr, 'distribution': ansible_facts.distribution,
          'distribution_version': ansible_facts.distribution_version,
          'distribution_major_version': ansible_facts.distribution_major_version,
          'distribution_release': ansible_facts.distribution_release,
          'package_records': ansible_facts.packages['azcmagent'] | default([]), 'package_name': 'azcmagent'}
         | arcops.azcmagent._azcm_install_plan }}
"""

RETURN = r"""
_value:
  description: The plan.
  type: dict
  contains:
    family:
      description: V(apt), V(dnf), V(zypper) or V(unsupported).
      type: str
    action:
      description: V(install), V(none), V(change) (upgrade or downgrade allowed) or V(mismatch) (another version, left alone).
      type: str
    version_before:
      description: The installed version, V("") when none.
      type: str
    managed:
      description:
        - V(false) when the agent was found at C(azcmagent_executable) but the package manager does not know it;
          such an agent is never installed over, upgraded or downgraded.
      type: bool
    wanted:
      description: The wanted version, V("") for any.
      type: str
    repo_url:
      description: The package repository.
      type: str
    suite:
      description: The repository suite (apt).
      type: str
    package_spec:
      description: The package as the package manager takes it, with the version.
      type: str
    package_path:
      description: Where a package file goes on the managed node.
      type: str
    proxy_env:
      description: Proxy environment variables for the package manager, empty without a proxy.
      type: dict
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._install_plan import install_plan
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import call, check_dict

NAME = "_azcm_install_plan"


def azcm_install_plan(facts: t.Any) -> dict[str, t.Any]:
    """The install role's plan (PRIVATE)."""
    check_dict(NAME, facts, "expected a dict of facts")
    plan: dict[str, t.Any] = call(NAME, install_plan, **{str(key): value for key, value in facts.items()})
    return plan


class FilterModule(object):
    """arcops.azcmagent._azcm_install_plan (PRIVATE)."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_install_plan}
