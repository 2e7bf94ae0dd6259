#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: machine_resource
short_description: Delete an Azure Arc machine resource or reconcile its tags
version_added: 0.1.0
description:
  - Manages the Azure side of an Azure Arc-enabled server, the C(Microsoft.HybridCompute/machines) resource, through
    Azure Resource Manager.
  - O(state=absent) deletes the resource and follows the long-running delete to its end. A resource that does not
    exist is left alone (no change).
  - O(state=present) reconciles the resource's tags and, with O(enable_automatic_upgrade), whether Azure upgrades the
    agent automatically (the resource's C(properties.agentUpgrade.enableAutomaticUpgrade)). It never creates the
    resource; the agent does that when it connects (M(arcops.azcmagent.connect)), so a missing resource is an error.
  - Runs anywhere Azure Resource Manager is reachable, usually on the controller (C(delegate_to) set to V(localhost)).
author:
  - arcops engineers (@arcops)
extends_documentation_fragment:
  - arcops.azcmagent._azure
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
    details: The prediction comes from a GET of the resource.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: full
    details: Shows the resource's presence and tags before and after.
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
  name:
    description:
      - Name of the machine resource (by default the agent uses the host name).
    type: str
    required: true
    aliases: [resource_name]
  state:
    description:
      - V(absent) deletes the resource; V(present) reconciles the tags of an existing resource.
    type: str
    choices: [absent, present]
    default: present
  tags:
    description:
      - Tags the resource must have, with O(state=present).
      - When not set, the tags are left as they are.
    type: dict
  purge_tags:
    description:
      - With O(state=present) and O(tags), remove the tags that are not in O(tags).
      - When V(false), tags not in O(tags) are kept (tags that the agent or Azure Policy set survive).
    type: bool
    default: false
  enable_automatic_upgrade:
    description:
      - With O(state=present), switch automatic agent upgrades on (V(true)) or off (V(false)) for the machine, as
        C(azcmagent connect --enable-automatic-upgrade) does at onboarding (a preview of Microsoft's, agent 1.57 and later,
        Azure public cloud only). The module sends a C(PATCH) of the resource's C(properties.agentUpgrade.enableAutomaticUpgrade).
      - When not set, the setting is left as it is.
    type: bool
  wait_timeout:
    description:
      - Seconds to follow a long-running delete before failing.
    type: int
    default: 600
seealso:
  - module: arcops.azcmagent.machine_resource_info
  - module: arcops.azcmagent.disconnect
  - name: Microsoft.HybridCompute machines REST API
    description: The Resource Manager API this module calls.
    link: https://learn.microsoft.com/rest/api/hybridcompute/machines
"""

EXAMPLES = r"""
- name: Delete the stale Azure resource of a machine that cannot reconnect
  arcops.azcmagent.machine_resource:
    subscription_id: "{{ azcmagent_subscription_id }}"
    resource_group: "{{ azcmagent_resource_group }}"
    name: "{{ inventory_hostname_short }}"
    state: absent
    tenant_id: "{{ azcmagent_tenant_id }}"
    service_principal_id: "{{ azcmagent_service_principal_id }}"
    service_principal_secret: "{{ azcmagent_service_principal_secret }}"
  delegate_to: localhost

- name: Make sure the machine resource carries the owner and environment tags
  arcops.azcmagent.machine_resource:
    subscription_id: "{{ azcmagent_subscription_id }}"
    resource_group: rg-arc-servers
    name: web01
    tags:
      owner: platform-team
      environment: production
  delegate_to: localhost
  register: machine

- name: Let Azure upgrade the agent of an onboarded machine automatically
  arcops.azcmagent.machine_resource:
    subscription_id: "{{ azcmagent_subscription_id }}"
    resource_group: rg-arc-servers
    name: web01
    enable_automatic_upgrade: true
  delegate_to: localhost

- name: Replace all tags (credentials from the AWX Azure credential environment)
  arcops.azcmagent.machine_resource:
    resource_group: rg-arc-servers
    name: web01
    tags:
      environment: test
    purge_tags: true
  delegate_to: localhost
"""

RETURN = r"""
id:
  description: Resource ID of the machine resource.
  returned: always
  type: str
  sample: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/web01
existed:
  description: Whether the resource existed before the run.
  returned: success
  type: bool
machine:
  description:
    - The resource as Azure returns it after the run, trimmed of extensions, the client public key and system data.
    - V(null) when it does not exist (after O(state=absent)). In check mode, the predicted resource.
  returned: success
  type: dict
  sample: {"name": "web01", "location": "westeurope", "tags": {"owner": "platform-team"},
           "properties": {"status": "Connected", "agentVersion": "1.58.03228.700", "provisioningState": "Succeeded"}}
automatic_upgrade:
  description: Whether automatic agent upgrades are on for the machine after the run (in check mode, the prediction).
  returned: when O(enable_automatic_upgrade) is set and O(state=present)
  type: bool
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
  sample: 409
arm_code:
  description: Error code of the failed Azure answer (C(AuthorizationFailed), C(ScopeLocked), C(AADSTS7000215), ...).
  returned: failure
  type: str
  sample: ScopeLocked
error_message:
  description: The message of the failed Azure answer, with secrets removed.
  returned: failure
  type: str
request_id:
  description: The C(x-ms-request-id) of the failed Azure answer, for a support case.
  returned: failure
  type: str
findings:
  description:
    - Known errors recognised in the Azure answer, each with C(id), C(category), C(cause), C(remediation), C(evidence),
      C(action), C(retryable) and C(details), in the language of O(lang).
  returned: failure
  type: list
  elements: dict
category:
  description: Category of the first finding (V(permissions), V(credentials), V(resource_conflict), V(throttling), ...).
  returned: failure
  type: str
remediation:
  description: What fixes the failure, in the language of O(lang).
  returned: failure
  type: str
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._arm import MACHINES_API_VERSION, ArmClient, trim_machine
from ansible_collections.arcops.azcmagent.plugins.module_utils._client import AzureModuleClient, Spec
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import text

Result = t.Dict[str, t.Any]

ARGUMENT_SPEC: Spec = {
    "resource_group": {"type": "str", "required": True},
    "name": {"type": "str", "required": True, "aliases": ["resource_name"]},
    "state": {"type": "str", "default": "present", "choices": ["absent", "present"]},
    "tags": {"type": "dict"},
    "purge_tags": {"type": "bool", "default": False},
    "enable_automatic_upgrade": {"type": "bool"},
    "wait_timeout": {"type": "int", "default": 600},
}


def _tags_view(machine: t.Optional[t.Mapping[str, t.Any]]) -> Result:
    if machine is None:
        return {"state": "absent"}
    return {"state": "present", "tags": dict(machine.get("tags") or {})}


def automatic_upgrade(machine: t.Optional[t.Mapping[str, t.Any]]) -> bool:
    """Whether automatic agent upgrades are on for a machine resource (absent counts as off, the RP's default)."""
    upgrade = ((machine or {}).get("properties") or {}).get("agentUpgrade") or {}
    return upgrade.get("enableAutomaticUpgrade") is True or str(upgrade.get("enableAutomaticUpgrade")).lower() == "true"


def desired_tags(current: t.Mapping[str, t.Any], requested: t.Mapping[str, t.Any], purge: bool) -> t.Dict[str, str]:
    """The complete tag set to PATCH: the requested tags over the current ones (or alone with purge_tags)."""
    desired = {} if purge else dict(current)
    desired.update({str(k): "" if v is None else str(v) for k, v in requested.items()})
    return desired


def reconcile(client: AzureModuleClient) -> Result:
    """Read the machine resource, decide (delete / patch tags / nothing), act unless in check mode, report."""
    params = client.params
    sub, group, name = client.require_subscription(), params["resource_group"], params["name"]
    client.failure_fields["id"] = None  # until the path is known to be valid
    resource_id = client.failure_fields["id"] = ArmClient.machine_path(sub, group, name)
    api_version = params["api_version"] or MACHINES_API_VERSION
    arm = client.arm
    before = arm.get_machine(sub, group, name, api_version)
    result: Result = {"changed": False, "id": (before or {}).get("id") or resource_id, "existed": before is not None}
    after: t.Optional[t.Dict[str, t.Any]] = None
    if params["state"] == "absent":
        if before is not None:
            result["changed"] = client.check_mode or arm.delete_machine(sub, group, name, api_version, params["wait_timeout"])
    else:
        if before is None:
            client.fail_with(text("arm.machine_missing", client.lang, id=resource_id), id=resource_id, findings=[])
        after = dict(before)
        if params["tags"] is not None:
            desired = desired_tags(before.get("tags") or {}, params["tags"], params["purge_tags"])
            if desired != dict(before.get("tags") or {}):
                result["changed"] = True
                after["tags"] = desired
                if not client.check_mode:
                    updated = arm.update_machine_tags(sub, group, name, desired, api_version)
                    if isinstance(updated, dict) and updated.get("id"):
                        after = updated
        wanted = params["enable_automatic_upgrade"]
        if wanted is not None and automatic_upgrade(after) != wanted:
            result["changed"] = True
            properties = dict(after.get("properties") or {})
            properties["agentUpgrade"] = dict(properties.get("agentUpgrade") or {}, enableAutomaticUpgrade=wanted)
            after["properties"] = properties
            if not client.check_mode:
                updated = arm.patch_machine(sub, group, name, {"properties": {"agentUpgrade": {"enableAutomaticUpgrade": wanted}}},
                                            api_version)
                if isinstance(updated, dict) and updated.get("id"):
                    after = updated
    if params["state"] == "present" and params["enable_automatic_upgrade"] is not None:
        result["automatic_upgrade"] = automatic_upgrade(after)
    result["machine"] = trim_machine(after)
    if client.diff:
        result["diff"] = {"before": _tags_view(before), "after": _tags_view(after)}
    result["retries"] = arm.retries
    result["azure_calls"] = arm.figures()
    return result


def main() -> None:
    AzureModuleClient(ARGUMENT_SPEC).run(reconcile)


if __name__ == "__main__":
    main()
