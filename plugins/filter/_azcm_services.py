# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: _azcm_services
short_description: "[INTERNAL] The agent services the remediate role restarts"
version_added: 0.1.0
author: arcops engineers
description:
  - B(This is an internal tool and must only be used from the roles and playbooks of this collection!)
    If you use it from outside this collection, be warned that its behavior can change and it can be removed at any
    time, even in bugfix releases!
  - Takes the system service names (C(azcmagent_service_names)) and the M(arcops.azcmagent.info) result, and returns the
    names to restart - those whose agent service is stopped and in use (C(stopped_services)), else those in use
    (C(services_in_use)). A service the agent does not use (C(arcproxyd) without the Arc gateway, C(extd) with extensions
    disabled) is never restarted. A name stands for the agent service it is or ends with (C(-himdsd)).
options:
  _input:
    description: The system service names.
    type: list
    elements: str
    required: true
  info:
    description: The registered result of M(arcops.azcmagent.info).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Restart the stopped agent services that are in use
  ansible.builtin.service:
    name: "{{ item }}"
    state: restarted
  loop: "{{ ['himdsd', 'gcad', 'extd', 'arcproxyd'] | arcops.azcmagent._azcm_services(agent_info) }}"
"""

RETURN = r"""
_value:
  description: The names to restart, in the order given.
  type: list
  elements: str
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._show import services_to_restart
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import check_dict

NAME = "_azcm_services"


def azcm_services(names: t.Any, info: t.Any) -> list[str]:
    """The services to restart (PRIVATE)."""
    if not isinstance(names, (list, tuple)):
        names = [names] if isinstance(names, str) else []
    check_dict(NAME, info, "info: expected the registered result of arcops.azcmagent.info")
    return services_to_restart(names, info)


class FilterModule(object):
    """arcops.azcmagent._azcm_services (PRIVATE)."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_services}
