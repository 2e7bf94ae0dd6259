#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: resource_provider
short_description: Ensure the Azure resource providers that Azure Arc needs are registered in a subscription
version_added: 0.1.0
description:
  - Registers resource provider namespaces in a subscription when they are not registered yet, and by default waits
    until Azure reports them V(Registered).
  - Azure Arc-enabled servers need C(Microsoft.HybridCompute), C(Microsoft.GuestConfiguration) and
    C(Microsoft.HybridConnectivity); without the first one, C(azcmagent connect) fails with
    C(MissingSubscriptionRegistration) (unless the onboarding identity may register it itself).
  - Registering needs the C(<namespace>/register/action) permission on the subscription (for example Contributor);
    the C(Azure Connected Machine Onboarding) role does not have it.
  - Runs anywhere Azure Resource Manager is reachable, usually on the controller.
author:
  - arcops engineers (@arcops)
extends_documentation_fragment:
  - arcops.azcmagent._azure
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
    details: The prediction comes from a GET of each provider.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: full
    details: Shows the registration state of each namespace before and after.
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
      - Subscription (GUID) in which the providers are registered.
      - When not set, the value of E(AZURE_SUBSCRIPTION_ID) is used.
    type: str
  namespaces:
    description:
      - Resource provider namespaces that must be registered.
    type: list
    elements: str
    default: [Microsoft.HybridCompute, Microsoft.GuestConfiguration, Microsoft.HybridConnectivity]
  wait:
    description:
      - Wait until every namespace reads V(Registered).
      - When V(false), the module returns as soon as registration is requested (state V(Registering)).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the registrations with O(wait=true) before failing.
    type: int
    default: 300
seealso:
  - module: arcops.azcmagent.connect
  - name: Azure resource providers and types
    description: How resource provider registration works.
    link: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-providers-and-types
"""

EXAMPLES = r"""
- name: Register the Azure Arc resource providers before onboarding
  arcops.azcmagent.resource_provider:
    subscription_id: "{{ azcmagent_subscription_id }}"
    tenant_id: "{{ azcmagent_tenant_id }}"
    service_principal_id: "{{ azcmagent_service_principal_id }}"
    service_principal_secret: "{{ azcmagent_service_principal_secret }}"
  delegate_to: localhost
  run_once: true

- name: Also register Microsoft.AzureArcData (Arc-enabled SQL Server), without waiting
  arcops.azcmagent.resource_provider:
    namespaces:
      - Microsoft.HybridCompute
      - Microsoft.AzureArcData
    wait: false
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
providers:
  description: One entry per namespace, in the order of O(namespaces).
  returned: success
  type: list
  elements: dict
  contains:
    namespace:
      description: The namespace.
      type: str
      sample: Microsoft.HybridCompute
    before:
      description: Registration state before the run (V(NotRegistered), V(Registering), V(Registered), V(Unregistered), ...).
      type: str
      sample: NotRegistered
    after:
      description: Registration state after the run; in check mode, the predicted state.
      type: str
      sample: Registered
    changed:
      description: Whether the module requested the registration of this namespace.
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

import time
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._arm import DEFAULT_NAMESPACES, PROVIDERS_API_VERSION
from ansible_collections.arcops.azcmagent.plugins.module_utils._client import AzureModuleClient, Spec
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import text

Result = t.Dict[str, t.Any]

ARGUMENT_SPEC: Spec = {
    "namespaces": {"type": "list", "elements": "str", "default": list(DEFAULT_NAMESPACES)},
    "wait": {"type": "bool", "default": True},
    "wait_timeout": {"type": "int", "default": 300},
}
REGISTERED = "Registered"


def _state(provider: t.Optional[t.Mapping[str, t.Any]]) -> str:
    return str((provider or {}).get("registrationState") or "NotRegistered")


def register(client: AzureModuleClient) -> Result:
    """Register what is missing (predicted in check mode), then wait until it is registered."""
    params = client.params
    sub = client.require_subscription()
    api_version = params["api_version"] or PROVIDERS_API_VERSION
    entries: t.List[Result] = []
    seen: t.Set[str] = set()
    for namespace in params["namespaces"]:
        if namespace.lower() in seen:
            continue
        seen.add(namespace.lower())
        before = _state(client.arm.get_provider(sub, namespace, api_version))
        entry = {"namespace": namespace, "before": before, "after": before, "changed": False}
        if before not in (REGISTERED, "Registering"):
            entry["changed"] = True
            if client.check_mode:
                entry["after"] = REGISTERED if params["wait"] else "Registering"
            else:
                entry["after"] = _state(client.arm.register_provider(sub, namespace, api_version) or {"registrationState": "Registering"})
        elif before == "Registering" and client.check_mode and params["wait"]:
            entry["after"] = REGISTERED
        entries.append(entry)
    if params["wait"] and not client.check_mode:
        wait(client, sub, api_version, entries)
    result: Result = {"changed": any(e["changed"] for e in entries), "providers": entries, "retries": client.arm.retries,
                      "azure_calls": client.arm.figures()}
    if client.diff:
        result["diff"] = {"before": {e["namespace"]: e["before"] for e in entries}, "after": {e["namespace"]: e["after"] for e in entries}}
    return result


def wait(client: AzureModuleClient, sub: str, api_version: str, entries: t.List[Result]) -> None:
    """Poll with exponential backoff (at most 10 s apart) until every provider is registered, or fail at wait_timeout."""
    timeout = client.params["wait_timeout"]
    deadline = time.monotonic() + timeout
    delay = 1.0
    while True:
        pending = [e for e in entries if e["after"] != REGISTERED]
        if not pending:
            return
        if time.monotonic() >= deadline:
            first = pending[0]
            client.fail_with(text("arm.provider_timeout", client.lang, namespace=first["namespace"], state=first["after"], timeout=timeout),
                             category="transient", providers=entries, changed=any(e["changed"] for e in entries))
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 2, 10.0)
        for entry in pending:
            entry["after"] = _state(client.arm.get_provider(sub, entry["namespace"], api_version))


def main() -> None:
    AzureModuleClient(ARGUMENT_SPEC).run(register)


if __name__ == "__main__":
    main()
