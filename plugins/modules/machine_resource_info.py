#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: machine_resource_info
short_description: Read Azure Arc machine resources as Azure Resource Manager sees them
version_added: 0.1.0
description:
  - Reads one C(Microsoft.HybridCompute/machines) resource (O(name) given), or lists those of a resource group
    (O(resource_group) given) or of a whole subscription, following every result page.
  - Returns each machine's status and last status change as Azure sees them, which tells a machine whose agent stopped
    sending heartbeats (V(Disconnected), V(Expired)) from a connected one.
  - Runs anywhere Azure Resource Manager is reachable, usually on the controller.
author:
  - arcops engineers (@arcops)
extends_documentation_fragment:
  - arcops.azcmagent._azure
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
    details: The module only reads.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: N/A
    details: The module changes nothing.
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
      - Subscription (GUID) to read.
      - When not set, the value of E(AZURE_SUBSCRIPTION_ID) is used.
    type: str
  resource_group:
    description:
      - Resource group to read. When not set, the machines of the whole subscription are listed.
    type: str
  name:
    description:
      - Name of one machine resource; needs O(resource_group).
      - A machine that does not exist gives an empty RV(machines) list, not a failure.
    type: str
    aliases: [resource_name]
  extensions:
    description:
      - Also list each machine's extensions (C(machines/{name}/extensions), every result page) in RV(machines[].extensions).
      - One more request per machine, so meant for one machine (O(name)) or a small resource group.
    type: bool
    default: false
seealso:
  - module: arcops.azcmagent.machine_resource
  - module: arcops.azcmagent.info
  - module: arcops.azcmagent.machine_extension
"""

EXAMPLES = r"""
- name: Read one machine as Azure sees it
  arcops.azcmagent.machine_resource_info:
    subscription_id: "{{ azcmagent_subscription_id }}"
    resource_group: "{{ azcmagent_resource_group }}"
    name: "{{ inventory_hostname_short }}"
  delegate_to: localhost
  register: arc

- name: Fail when Azure does not see the machine as connected
  ansible.builtin.assert:
    that:
      - arc.machines | length == 1
      - arc.machines[0].status == 'Connected'

- name: List the extensions of one machine (before disconnecting it)
  arcops.azcmagent.machine_resource_info:
    resource_group: rg-arc-servers
    name: web01
    extensions: true
  delegate_to: localhost
  register: arc_extensions

- name: List the machines of a resource group that are not connected
  arcops.azcmagent.machine_resource_info:
    resource_group: rg-arc-servers
  delegate_to: localhost
  run_once: true
  register: all_machines

- name: Show them
  ansible.builtin.debug:
    msg: "{{ all_machines.machines | rejectattr('status', 'equalto', 'Connected') | map(attribute='name') | list }}"
  run_once: true
"""

RETURN = r"""
machines:
  description: The machine resources found (one at most when O(name) is given), in the order Azure lists them.
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: Name of the resource.
      type: str
      sample: web01
    id:
      description: Resource ID.
      type: str
    resource_group:
      description: Resource group, as spelled in the resource ID.
      type: str
    location:
      description: Azure region of the resource.
      type: str
      sample: westeurope
    status:
      description: Agent status as Azure sees it (V(Connected), V(Disconnected), V(Error), V(Expired)).
      type: str
      sample: Connected
    last_status_change:
      description: When the status last changed (ISO 8601, UTC).
      type: str
    agent_version:
      description: Version of the agent that last reported.
      type: str
      sample: 1.58.03228.700
    provisioning_state:
      description: Provisioning state of the resource (V(Succeeded), V(Updating), V(Failed), ...).
      type: str
    tags:
      description: Tags of the resource.
      type: dict
    vm_id:
      description: The unique ID the agent generated for the machine (C(properties.vmId)).
      type: str
    os_name:
      description: Operating system family (V(linux), V(windows)).
      type: str
    error_details:
      description: Errors the agent reported to Azure (C(properties.errorDetails)), each with C(code) and C(message).
      type: list
      elements: dict
    extensions:
      description:
        - The machine's extensions, with O(extensions=true) only; each with C(name), C(id), C(publisher), C(type),
          C(version), C(provisioning_state) and C(status).
      type: list
      elements: dict
count:
  description: Number of machines in RV(machines).
  returned: success
  type: int
azure_calls:
  description:
    - What the Entra ID and Resource Manager calls of this run cost, so that throttling and retries show in the result.
    - C(requests) HTTP exchanges, C(retries) requests sent again, C(waited_seconds) spent waiting between attempts, C(token_renewals)
      (an access token that expired during the run is renewed once per request), C(throttled), C(server_errors) and
      C(connection_resets) (retries by cause), and C(events), one per retry with C(reason), C(method), C(path), C(status),
      C(attempt) and C(wait) (at most 50).
    - Retries are bounded by count and by waiting time; a C(Retry-After) longer than the budget ends them at once.
  returned: always
  type: dict
  sample: {"requests": 4, "retries": 2, "waited_seconds": 3.0, "token_renewals": 0, "throttled": 1, "server_errors": 1,
           "connection_resets": 0, "events": [{"reason": "throttled", "method": "GET", "status": 429, "attempt": 1, "wait": 2.0,
           "path": "/subscriptions/xxx/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/web01"}]}
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
  sample: AuthorizationFailed
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

from ansible_collections.arcops.azcmagent.plugins.module_utils._arm import MACHINES_API_VERSION, extension_summary, machine_summary
from ansible_collections.arcops.azcmagent.plugins.module_utils._client import AzureModuleClient, Spec

Result = t.Dict[str, t.Any]

ARGUMENT_SPEC: Spec = {
    "resource_group": {"type": "str"},
    "name": {"type": "str", "aliases": ["resource_name"]},
    "extensions": {"type": "bool", "default": False},
}


def read(client: AzureModuleClient) -> Result:
    """One machine (by name), or the machines of a resource group or subscription."""
    params = client.params
    sub, group, name = client.require_subscription(), params["resource_group"], params["name"]
    api_version = params["api_version"] or MACHINES_API_VERSION
    if name:
        machine = client.arm.get_machine(sub, group, name, api_version)
        machines = [machine] if machine else []
    else:
        machines = client.arm.list_machines(sub, group, api_version)
    summaries = [machine_summary(m) for m in machines if isinstance(m, dict)]
    if params["extensions"]:
        for summary in summaries:
            found = client.arm.list_extensions(sub, summary["resource_group"] or group, summary["name"], api_version)
            summary["extensions"] = [extension_summary(e) for e in found or [] if isinstance(e, dict)]
    return {"changed": False, "machines": summaries, "count": len(summaries), "retries": client.arm.retries,
            "azure_calls": client.arm.figures()}


def main() -> None:
    # A machine is looked up in its resource group.
    AzureModuleClient(ARGUMENT_SPEC, required_by={"name": ["resource_group"]}).run(read)


if __name__ == "__main__":
    main()
