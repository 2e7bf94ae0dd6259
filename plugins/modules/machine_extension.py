#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: machine_extension
short_description: Remove the extensions of an Azure Arc machine before it is disconnected
version_added: 0.1.0
description:
  - Removes extensions (C(Microsoft.HybridCompute/machines/extensions)) of an Azure Arc-enabled server through Azure
    Resource Manager, following each long-running delete to its end.
  - Microsoft asks to remove a machine's extensions before the machine is disconnected, and extensions are not
    recognised after a new connect; the offboard and remediate roles call this module before a disconnect when
    C(azcmagent_remove_extensions) allows it.
  - Lists the extensions first; an extension that does not exist is left alone, and a machine that does not exist
    has nothing to remove (no change).
  - Runs anywhere Azure Resource Manager is reachable, usually on the controller.
author:
  - arcops engineers (@arcops)
extends_documentation_fragment:
  - arcops.azcmagent._azure
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
    details: The prediction comes from the list of the machine's extensions.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: full
    details: Shows the extension names before and after.
  idempotent:
    description: When run twice in a row with the same arguments, the second run reports no change.
    support: full
  action_group:
    description: Use C(group/arcops.azcmagent.azcmagent) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - arcops.azcmagent.azcmagent
options:
  subscription_id:
    description:
      - Subscription (GUID) of the machine resource.
      - When not set, the value of E(AZURE_SUBSCRIPTION_ID) is used.
    type: str
  resource_group:
    description:
      - Resource group of the machine resource.
    type: str
    required: true
  machine_name:
    description:
      - Name of the machine resource.
    type: str
    required: true
  names:
    description:
      - Names of the extensions to remove. When not set, every extension of the machine is removed.
    type: list
    elements: str
  state:
    description:
      - V(absent) removes the extensions. It is the only state, since extensions are installed through Azure, not by this collection.
    type: str
    choices: [absent]
    default: absent
  wait_timeout:
    description:
      - Seconds to follow each long-running delete before failing.
    type: int
    default: 600
seealso:
  - module: arcops.azcmagent.machine_resource_info
  - module: arcops.azcmagent.disconnect
  - name: Microsoft.HybridCompute machine extensions REST API
    description: The Resource Manager API this module calls.
    link: https://learn.microsoft.com/rest/api/hybridcompute/machine-extensions
"""

EXAMPLES = r"""
- name: Remove every extension of a machine before disconnecting it
  arcops.azcmagent.machine_extension:
    subscription_id: "{{ azcmagent_subscription_id }}"
    resource_group: "{{ azcmagent_resource_group }}"
    machine_name: "{{ inventory_hostname_short }}"
  delegate_to: localhost

- name: Remove one extension
  arcops.azcmagent.machine_extension:
    resource_group: rg-arc-servers
    machine_name: web01
    names: [AzureMonitorLinuxAgent]
  delegate_to: localhost
"""

RETURN = r"""
id:
  description: Resource ID of the machine resource.
  returned: always
  type: str
extensions:
  description: Names of the machine's extensions before the run (empty when the machine does not exist).
  returned: success
  type: list
  elements: str
  sample: [AzureMonitorLinuxAgent, MDE.Linux]
removed:
  description: Names of the extensions removed (in check mode, those that would be).
  returned: success
  type: list
  elements: str
machine_found:
  description: Whether the machine resource exists.
  returned: success
  type: bool
retries:
  description: How many HTTP requests were retried after a V(429) or V(5xx) answer.
  returned: always
  type: int
status:
  description: HTTP status of the failed Azure answer.
  returned: failure
  type: int
arm_code:
  description: Error code of the failed Azure answer.
  returned: failure
  type: str
error_message:
  description: The message of the failed Azure answer, with secrets removed.
  returned: failure
  type: str
request_id:
  description: The C(x-ms-request-id) of the failed Azure answer.
  returned: failure
  type: str
findings:
  description: Known errors recognised in the Azure answer, in the language of O(lang).
  returned: failure
  type: list
  elements: dict
category:
  description: Category of the first finding.
  returned: failure
  type: str
remediation:
  description: What fixes the failure, in the language of O(lang).
  returned: failure
  type: str
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._arm import MACHINES_API_VERSION, ArmClient
from ansible_collections.arcops.azcmagent.plugins.module_utils._client import AzureModuleClient, Spec

Result = t.Dict[str, t.Any]

ARGUMENT_SPEC: Spec = {
    "resource_group": {"type": "str", "required": True},
    "machine_name": {"type": "str", "required": True},
    "names": {"type": "list", "elements": "str"},
    "state": {"type": "str", "default": "absent", "choices": ["absent"]},
    "wait_timeout": {"type": "int", "default": 600},
}


def remove(client: AzureModuleClient) -> Result:
    """List the machine's extensions, remove the requested ones unless in check mode, report."""
    params = client.params
    sub, group, machine = client.require_subscription(), params["resource_group"], params["machine_name"]
    client.failure_fields["id"] = None
    resource_id = client.failure_fields["id"] = ArmClient.machine_path(sub, group, machine)
    api_version = params["api_version"] or MACHINES_API_VERSION
    arm = client.arm
    found = arm.list_extensions(sub, group, machine, api_version)
    before = sorted(str(e.get("name")) for e in found or [] if isinstance(e, dict) and e.get("name"))
    wanted = before if params["names"] is None else [n for n in before if n.lower() in {w.lower() for w in params["names"]}]
    if not client.check_mode:
        for name in wanted:
            arm.delete_extension(sub, group, machine, name, api_version, params["wait_timeout"])
    result: Result = {"changed": bool(wanted), "id": resource_id, "extensions": before, "removed": wanted,
                      "machine_found": found is not None, "retries": arm.retries}
    if client.diff:
        result["diff"] = {"before": {"extensions": before}, "after": {"extensions": [n for n in before if n not in wanted]}}
    return result


def main() -> None:
    AzureModuleClient(ARGUMENT_SPEC).run(remove)


if __name__ == "__main__":
    main()
