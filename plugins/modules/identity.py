#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: identity
short_description: Get an Azure access token on the controller and prove the onboarding prerequisites before any host is touched
version_added: 0.2.0
description:
  - The identity stage of the C(arcops.azcmagent.onboard) playbook, run once per run on the controller.
  - Gets a Resource Manager access token for the controller's credential - a service principal secret or certificate
    (options, or the E(AZURE_CLIENT_ID), E(AZURE_SECRET), E(AZURE_TENANT), E(AZURE_SUBSCRIPTION_ID) and E(AZURE_CLOUD_ENVIRONMENT)
    variables that the AWX / Automation Platform C(Microsoft Azure Resource Manager) credential injects), or a managed identity
    from an Azure Instance Metadata Service style endpoint.
  - Then proves, for every distinct subscription and resource group of O(targets), that Resource Manager accepts the token,
    that the resource group exists, that the identity may create C(Microsoft.HybridCompute/machines) there (the Resource Manager
    permissions API), and that the resource providers of O(namespaces) are registered.
  - Fails with one message that lists every problem found, each with its remediation, so that a playbook can stop the whole
    run instead of failing a thousand hosts with the same error.
  - Returns the access token, never the secret, for the hosts to connect with (C(azcmagent connect --access-token), through the
    agent's owner-only configuration file). With O(current_expires_on) it only renews the token when it expires within
    O(renew_before) seconds.
  - Changes nothing anywhere.
author:
  - arcops engineers (@arcops)
extends_documentation_fragment:
  - arcops.azcmagent._azure
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
    details: It only reads; check mode runs the same requests.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: none
  idempotent:
    description: When run twice in a row with the same arguments, the second run reports no change.
    support: full
options:
  subscription_id:
    description:
      - Subscription of the O(targets) that name none.
      - When not set, the value of E(AZURE_SUBSCRIPTION_ID) is used.
    type: str
  stage:
    description:
      - V(auto) runs the stage when the controller was given a credential (options, environment or O(managed_identity)), and
        otherwise returns RV(enabled=false) without a request.
      - V(required) fails when there is no credential; V(disabled) never runs it.
    type: str
    choices: [auto, required, disabled]
    default: auto
  managed_identity:
    description:
      - Authenticate as the managed identity of the machine that runs the module, through O(identity_endpoint).
    type: bool
    default: false
  managed_identity_client_id:
    description:
      - Client ID of a user-assigned managed identity; empty means the system-assigned one.
    type: str
  identity_endpoint:
    description:
      - The managed identity token endpoint, in the form of the Azure Instance Metadata Service (C(GET ?api-version=2018-02-01&resource=...)
        with the C(Metadata) header set to V(true)). Never reached through a proxy.
    type: str
    default: http://169.254.169.254/metadata/identity/oauth2/token
  targets:
    description:
      - The subscriptions and resource groups the hosts will be onboarded to, each a dict with C(subscription_id),
        C(resource_group) and optionally C(tenant_id) (or a list of those two or three). Duplicates are checked once. An empty
        C(subscription_id) takes O(subscription_id).
      - When O(tenant_id) is not set (nor E(AZURE_TENANT)), the one tenant the targets name is used.
      - Required when O(verify=true) and the stage runs.
    type: list
    elements: raw
    default: []
  namespaces:
    description:
      - Resource providers that must be registered in every target subscription.
    type: list
    elements: str
    default: [Microsoft.HybridCompute, Microsoft.GuestConfiguration, Microsoft.HybridConnectivity]
  verify:
    description:
      - Check the prerequisites of O(targets). V(false) only gets (or renews) the token.
    type: bool
    default: true
  current_expires_on:
    description:
      - Expiry (epoch seconds) of the token the hosts hold now. When it is more than O(renew_before) seconds away, no new token is
        requested (RV(renewed=false), no RV(access_token)).
    type: float
  renew_before:
    description:
      - Renew a token that expires within this many seconds. A batch of hosts must finish its connects within it.
    type: int
    default: 1800
seealso:
  - module: arcops.azcmagent.resource_provider
  - module: arcops.azcmagent.connect
  - name: Resource Manager permissions API
    description: Gets all permissions the caller has for a resource group.
    link: https://learn.microsoft.com/rest/api/authorization/permissions/list-for-resource-group
  - name: Managed identities and the Instance Metadata Service
    description: How a virtual machine gets an access token for its managed identity.
    link: https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token
"""

EXAMPLES = r"""
- name: Prove the prerequisites and get a token for the hosts (AWX Azure Resource Manager credential in the environment)
  arcops.azcmagent.identity:
    targets:
      - subscription_id: "{{ azcmagent_subscription_id }}"
        resource_group: "{{ azcmagent_resource_group }}"
  register: arc_identity
  no_log: true   # the result holds the access token
  run_once: true
  delegate_to: localhost

- name: The same with the controller's managed identity
  arcops.azcmagent.identity:
    stage: required
    managed_identity: true
    targets: [["{{ azcmagent_subscription_id }}", "{{ azcmagent_resource_group }}"]]
  register: arc_identity
  no_log: true
  run_once: true
  delegate_to: localhost
"""

RETURN = r"""
enabled:
  description: Whether the stage ran (V(false) with O(stage=auto) and no credential, or with O(stage=disabled)).
  returned: success
  type: bool
source:
  description: The credential used.
  returned: success
  type: str
  sample: service_principal_secret
  choices: [service_principal_secret, service_principal_certificate, managed_identity, access_token, none]
principal:
  description: The identity (client ID) the token belongs to.
  returned: success
  type: str
access_token:
  description:
    - The Resource Manager access token for the hosts. Register the result with C(no_log) so that it is never shown.
  returned: when the stage ran and a token was requested
  type: str
expires_on:
  description: When the returned token (or the current one, when it was not renewed) expires, epoch seconds.
  returned: when the stage ran
  type: float
renewed:
  description: Whether a new token was requested.
  returned: when the stage ran
  type: bool
targets:
  description: The distinct targets checked, C(subscription_id/resource_group).
  returned: when the stage ran with O(verify=true)
  type: list
  elements: str
checks:
  description: One entry per check, C(target), C(check) (V(token), V(resource_group), V(permission), V(provider)), C(ok) (null when
    the identity may not make it) and C(detail).
  returned: when the stage ran with O(verify=true)
  type: list
  elements: dict
retries:
  description: How many HTTP requests were retried after a V(429) or V(5xx) answer.
  returned: always
  type: int
problems:
  description: On failure, each problem as C(check), C(target), C(cause), C(remediation) and C(category).
  returned: failure
  type: list
  elements: dict
"""

import time
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils import _identity
from ansible_collections.arcops.azcmagent.plugins.module_utils._arm import (
    DEFAULT_NAMESPACES,
    IMDS_TOKEN_ENDPOINT,
    ArmClient,
    ArmError,
    managed_identity_token,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._client import AzureModuleClient, Spec
from ansible_collections.arcops.azcmagent.plugins.module_utils._clouds import arm_endpoints

Result = t.Dict[str, t.Any]

ARGUMENT_SPEC: Spec = {
    "stage": {"type": "str", "default": "auto", "choices": list(_identity.STAGES)},
    "managed_identity": {"type": "bool", "default": False},
    "managed_identity_client_id": {"type": "str"},
    "identity_endpoint": {"type": "str", "default": IMDS_TOKEN_ENDPOINT},
    "targets": {"type": "list", "elements": "raw", "default": []},
    "namespaces": {"type": "list", "elements": "str", "default": list(DEFAULT_NAMESPACES)},
    "verify": {"type": "bool", "default": True},
    "current_expires_on": {"type": "float"},
    "renew_before": {"type": "int", "default": _identity.DEFAULT_RENEW_BEFORE},
}


def _problems(problems: t.Sequence[_identity.IdentityError]) -> t.List[Result]:
    return [{"check": p.check, "target": p.target, "cause": p.cause, "remediation": p.remediation, "category": p.category} for p in problems]


def _stop(client: AzureModuleClient, problems: t.Sequence[_identity.IdentityError], **extra: t.Any) -> t.NoReturn:
    client.fail_with(_identity.stop_message(problems, client.lang), category=problems[0].category, problems=_problems(problems),
                     identity_failed=True, **extra)


def _token(client: AzureModuleClient, credential: _identity.Credential) -> t.Tuple[ArmClient, t.Dict[str, t.Any]]:
    """The ARM client of the credential and the token it got ({access_token, expires_on})."""
    params = client.params
    if credential.kind == "managed_identity":
        resource = arm_endpoints(params.get("cloud"), params.get("authority_host"), params.get("resource_manager_endpoint"))["scope"]
        got = managed_identity_token(resource[: -len(".default")], params["identity_endpoint"], params.get("managed_identity_client_id"),
                                     timeout=params.get("timeout") or 60)
        arm = ArmClient(cloud=params.get("cloud"), access_token=got["access_token"], authority_host=params.get("authority_host"),
                        resource_manager_endpoint=params.get("resource_manager_endpoint"), ca_file=params.get("ca_file"),
                        timeout=params.get("timeout") or 60)
        return arm, got
    arm = client.arm
    token = arm.token()
    return arm, {"access_token": token, "expires_on": arm.token_expires_on}


def run(client: AzureModuleClient) -> Result:
    params = client.params
    lang = client.lang
    try:
        credential = _identity.resolve_credential(
            client_id=params.get("service_principal_id"), secret=params.get("service_principal_secret"),
            cert=params.get("service_principal_cert"),
            tenant_id=params.get("tenant_id") or _identity.target_tenant(params["targets"]), access_token=params.get("access_token"),
            managed_identity=params["managed_identity"], managed_identity_client_id=params.get("managed_identity_client_id"), lang=lang)
        if not _identity.stage_enabled(params["stage"], credential, lang):
            return {"changed": False, "enabled": False, "source": credential.kind, "retries": 0}
        targets = (_identity.distinct_targets(params["targets"], params.get("subscription_id"), lang) if params["verify"] else [])
    except _identity.IdentityError as problem:
        _stop(client, [problem])
    result: Result = {"changed": False, "enabled": True, "source": credential.kind, "principal": credential.principal, "renewed": False,
                      "retries": 0}
    current = params.get("current_expires_on")
    if current is not None and not params["verify"] and not _identity.needs_renewal(current, time.time(), params["renew_before"]):
        result["expires_on"] = current
        return result
    try:
        arm, got = _token(client, credential)
    except ArmError as error:
        if error.kind == "config":
            raise
        _stop(client, [_identity.token_problem(error, credential, lang)])
    result.update({"access_token": got["access_token"], "expires_on": got["expires_on"], "renewed": True, "retries": arm.retries})
    if not params["verify"]:
        return result
    checks: t.List[Result] = []
    problems: t.List[_identity.IdentityError] = []
    for target in targets:
        found, wrong, warnings = _identity.verify_target(arm, target, credential.principal, params["namespaces"], lang)
        checks += found
        problems += wrong
        for warning in warnings:
            client.warn(warning)
    if problems:
        _stop(client, problems, checks=checks, targets=[target.label for target in targets])
    result.update({"checks": checks, "targets": [target.label for target in targets], "retries": arm.retries})
    return result


def main() -> None:
    AzureModuleClient(ARGUMENT_SPEC).run(run)


if __name__ == "__main__":
    main()
