#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: connect
short_description: Connect a machine to Azure Arc with the Azure Connected Machine agent
version_added: 0.1.0
description:
  - Ensures the machine is connected to the requested subscription, resource group, location, tenant and cloud by
    running C(azcmagent connect --verbose) with a non-interactive identity.
  - Reads the agent state first (C(azcmagent show -j)); a machine already connected to the requested target is left
    alone, at the cost of that one agent call and without taking the agent lock. Any change reads the state again
    under the lock before it acts.
  - A machine connected elsewhere, or still onboarded with status C(Disconnected) or C(Expired), is handled as
    O(on_mismatch) says.
  - A resource ID with an empty or unknown status (not C(Connected), C(Disconnected) or C(Expired)) and no heartbeat,
    or that the agent marks as a pending connect, is an interrupted connect, which the agent resumes (C(azcmagent show)
    prints such a state as C(Disconnected), so the module reads the agent's own C(agentconfig.json) next to its log
    directory, read only, to tell them apart); the module runs
    C(azcmagent connect) again (which fails with C(AZCM0062) when the half-made Azure resource is in the way).
    C(Disconnected) and C(Expired) always go through O(on_mismatch), with or without a heartbeat.
  - Options are validated before anything runs; a value the agent would refuse fails with the code the agent would
    print (C(AZCM0016), C(AZCM0020), C(AZCM0023)).
  - A failure returns the parsed outcome (code, cause, remediation, category, findings, the appended log lines) and a
    readable C(msg) in English or Dutch.
author:
  - arcops engineers (@arcops)
extends_documentation_fragment:
  - arcops.azcmagent._agent
  - arcops.azcmagent._agent.auth
attributes:
  check_mode:
    description: Predicts RV(changed) from C(azcmagent show) and runs nothing that changes the machine.
    support: full
  diff_mode:
    description: Returns the agent's target before and after.
    support: full
  idempotent:
    description: A machine connected to the requested target is not changed.
    support: full
  action_group:
    description: Use C(group/arcops.azcmagent.azcmagent) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - arcops.azcmagent.azcmagent
options:
  subscription_id:
    description:
      - Subscription (GUID, or its name) that will hold the machine resource.
      - The agent records only the GUID, so a name cannot be compared with the machine's current subscription; when the
        machine is already onboarded, a name counts as a different target and is handled as O(on_mismatch) says. Give
        the GUID to let the module recognise a machine that is already connected to it.
      - The same holds for O(tenant_id) given as a domain name instead of a GUID.
    type: str
    required: true
  resource_group:
    description:
      - Resource group of the machine resource (the agent creates it when it does not exist).
    type: str
    required: true
  location:
    description:
      - Azure region of the machine resource, such as V(westeurope); blanks are removed and case is ignored.
    type: str
    required: true
  cloud:
    description:
      - Azure cloud, one of V(AzureCloud), V(AzureUSGovernment), V(AzureChinaCloud) or V(Azure.Local), compared
        case-insensitively.
    type: str
    default: AzureCloud
  resource_name:
    description:
      - Name of the machine resource; the agent uses the host name when not set.
      - Letters, digits, V(-) and V(_), at most 54 characters, not ending with V(-) or V(_).
    type: str
  tags:
    description:
      - Tags of the machine resource, rendered as the agent's C(--tags) string (C(k=v,k2='v w'), commas in values
        escaped as C(\\,)).
    type: dict
  correlation_id:
    description:
      - A GUID that the agent sends to Azure to correlate the onboarding (telemetry).
    type: str
  private_link_scope:
    description:
      - Resource ID of an Azure Arc private link scope.
    type: str
  gateway_id:
    description:
      - Resource ID of an Azure Arc gateway.
    type: str
  enable_automatic_upgrade:
    description:
      - Let Azure upgrade the agent automatically (preview feature of the agent).
    type: bool
    default: false
  ignore_network_check:
    description:
      - Connect even when the agent's own network check fails.
    type: bool
    default: false
  on_mismatch:
    description:
      - What to do when the machine is connected to another target, or still onboarded with status C(Disconnected) or
        C(Expired).
      - V(fail) fails with C(AZCM0067), naming the current and the requested target.
      - V(reconnect) runs C(azcmagent disconnect) (deleting the old Azure resource) with the same identity, then connects.
    type: str
    choices: [fail, reconnect]
    default: fail
  reconnect_force_local:
    description:
      - With O(on_mismatch=reconnect), when the disconnect fails because the old Azure resource is unreachable or gone
        (C(AZCM0043), C(AZCM0063)), clean up locally with C(azcmagent disconnect --force-local-only) and connect anyway.
      - The old resource, if it still exists, stays in Azure.
    type: bool
    default: false
  preflight:
    description:
      - Run the network preflight of M(arcops.azcmagent.check) before connecting, only when the machine has to be
        connected (a machine already connected to the target costs no probe); its findings are returned in
        RV(preflight) and do not stop the connect.
      - A dict of the options of M(arcops.azcmagent.check) except O(arcops.azcmagent.check#module:executable) and
        O(arcops.azcmagent.check#module:fail_on_error), for example O(arcops.azcmagent.check#module:private_link) and
        O(arcops.azcmagent.check#module:endpoints); O(cloud) and O(location) are taken from this module unless the dict
        names them. An empty dict runs it with the defaults.
      - Omit it to run no preflight.
    type: dict
notes:
  - The agent needs root; use O(ignore_network_check) only when you know the network check is wrong.
  - Interactive (device code) logins are not supported; give a service principal or an access token.
seealso:
  - module: arcops.azcmagent.disconnect
  - module: arcops.azcmagent.info
  - module: arcops.azcmagent.check
  - plugin: arcops.azcmagent.azcm_diagnose
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Connect the machine with a service principal
  arcops.azcmagent.connect:
    subscription_id: "{{ azcmagent_subscription_id }}"
    resource_group: rg-arc-servers
    location: westeurope
    tenant_id: "{{ azcmagent_tenant_id }}"
    service_principal_id: "{{ azcmagent_service_principal_id }}"
    service_principal_secret: "{{ azcmagent_service_principal_secret }}"
    tags:
      environment: production
      owner: "platform team"
  become: true
  register: arc

- name: Move a machine that is connected elsewhere, in Dutch
  arcops.azcmagent.connect:
    subscription_id: "{{ azcmagent_subscription_id }}"
    resource_group: rg-new
    location: northeurope
    tenant_id: "{{ azcmagent_tenant_id }}"
    service_principal_id: "{{ azcmagent_service_principal_id }}"
    service_principal_secret: "{{ azcmagent_service_principal_secret }}"
    on_mismatch: reconnect
    reconnect_force_local: true
    lang: nl
  become: true

- name: Show what went wrong
  ansible.builtin.debug:
    msg: "{{ arc.azcm_code }} ({{ arc.category }}): {{ arc.remediation }}"
  when: arc is failed
"""

RETURN = r"""
changed:
  description: Whether the machine was (or in check mode would be) connected or reconnected.
  returned: always
  type: bool
resource_id:
  description: Azure resource ID of the machine after the run (V("") when not connected).
  returned: always
  type: str
  sample: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/web01
preflight:
  description:
    - The network preflight's result, as M(arcops.azcmagent.check) returns it (C(ok), C(summary), C(endpoints),
      C(findings), C(proxy), C(regional_his), C(agent_check)).
  returned: when O(preflight) is set and the machine had to be connected (also on failure)
  type: dict
previous:
  description: The agent's status and target before the run.
  returned: always
  type: dict
commands:
  description: The agent commands that ran (or in check mode would run), without secrets.
  returned: always
  type: list
  elements: str
rc:
  description: Exit status of the last agent command (V(null) when none ran before the failure).
  returned: always
  type: int
exit_code:
  description: The process exit code the outcome stands for (the number of RV(azcm_code)).
  returned: always
  type: int
azcm_code:
  description: Primary AZCM code of the outcome (the last C(Exit Code:) code printed), V(null) on success.
  returned: always
  type: str
  sample: AZCM0041
azcm_codes:
  description: All AZCM codes seen in the output, the appended log lines and the exit status, in order.
  returned: always
  type: list
  elements: str
title:
  description: Title of RV(azcm_code) from the code catalog.
  returned: always
  type: str
cause:
  description: The cause, refined by the findings, in the language of O(lang).
  returned: always
  type: str
remediation:
  description: What fixes it, in the language of O(lang).
  returned: always
  type: str
category:
  description: Category of the outcome, such as V(success), V(credentials), V(permissions), V(network), V(transient).
  returned: always
  type: str
retryable:
  description: Whether running the same command again can succeed without another change.
  returned: always
  type: bool
action:
  description: The automatic action that fixes the failure (see the P(arcops.azcmagent.azcm_plan#filter) filter), V(none) on success.
  returned: always
  type: str
findings:
  description: Known errors recognised in the output and the log, each with C(id), C(category), C(cause), C(remediation),
    C(evidence), C(action), C(retryable) and C(details).
  returned: always
  type: list
  elements: dict
log_lines:
  description: The lines the run appended to C(azcmagent.log) (at most the last 500), with secrets removed.
  returned: always
  type: list
  elements: str
stdout_lines:
  description: Standard output of the agent command, with secrets removed.
  returned: always
  type: list
  elements: str
stderr_lines:
  description: Standard error of the agent command, with secrets removed.
  returned: always
  type: list
  elements: str
cmd:
  description: The agent command line that ran (no secret in it; secrets travel in a removed C(--config) file).
  returned: always
  type: str
agent_uid:
  description:
    - The user ID the agent ran with (V(0) is root), or V(null) when unknown. A result with V(0) never gets the
      V(escalate) action from P(arcops.azcmagent.azcm_diagnose#filter), also when the agent reports AZCM0018.
  returned: when the agent ran
  type: int
  sample: 0
state:
  description: Agent status after the run (V(Connected), V(Disconnected), V(Expired), V(NotInstalled), ...).
  returned: always
  type: str
  sample: Connected
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils import _outcome, _preflight, _target, _validate
from ansible_collections.arcops.azcmagent.plugins.module_utils._client import AgentModuleClient, Spec
from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import render_cmd

Result = t.Dict[str, t.Any]

ARGUMENT_SPEC: Spec = {
    "subscription_id": {"type": "str", "required": True},
    "resource_group": {"type": "str", "required": True},
    "location": {"type": "str", "required": True},
    "cloud": {"type": "str", "default": "AzureCloud"},
    "resource_name": {"type": "str"},
    "tags": {"type": "dict"},
    "correlation_id": {"type": "str"},
    "private_link_scope": {"type": "str"},
    "gateway_id": {"type": "str"},
    "enable_automatic_upgrade": {"type": "bool", "default": False},
    "ignore_network_check": {"type": "bool", "default": False},
    "on_mismatch": {"type": "str", "default": "fail", "choices": ["fail", "reconnect"]},
    "reconnect_force_local": {"type": "bool", "default": False},
    "preflight": {"type": "dict"},
}


def converge(client: AgentModuleClient) -> Result:
    """Validate the target, then under the agent lock: read the state, decide, act, report."""
    try:
        wanted = _validate.validate_connect(client.params, client.lang, auth=False)
    except _validate.ValidationError as error:
        raise _outcome.failure_from_validation(error, client.lang) from None
    preflight_options = None
    if client.params["preflight"] is not None:
        preflight_options = _preflight.options(client, client.params["preflight"], client.params["cloud"], client.params["location"])
    # A machine already connected to the target needs one read of its state and no lock: nothing will change.
    glance = client.peek()
    if glance is not None:
        decision = _target.decide(glance, wanted, _target.read_agent_config(client.runner.state_dir, glance), client.params["on_mismatch"])
        if decision.same:
            return unchanged(client, glance)
    # Only a machine that is about to change is worth the network preflight; it runs before the lock is taken.
    checked = _preflight.preflight(client, preflight_options) if preflight_options is not None else None
    try:
        with client.session() as before:
            result = ensure_connected(client, before, wanted)
    except _outcome.ModuleFailure as failure:
        if checked is not None:
            failure.extra["preflight"] = checked
        raise
    if checked is not None:
        result["preflight"] = checked
    return result


def unchanged(client: AgentModuleClient, before: t.Mapping[str, t.Any]) -> Result:
    """The result for a machine that is connected to the requested target."""
    result: Result = {"changed": False, "previous": _target.target_of(before), "commands": [],
                      "resource_id": before.get("resource_id") or ""}
    result.update(_target.same_target_outcome(before, client.lang))
    return result


def ensure_connected(client: AgentModuleClient, before: t.Mapping[str, t.Any], wanted: t.Mapping[str, t.Any]) -> Result:
    """Under the lock, with the state read under it: decide again and act."""
    runner = client.runner
    previous = _target.target_of(before)
    result: Result = {"changed": False, "previous": previous, "commands": [], "resource_id": before.get("resource_id") or ""}
    record = _target.read_agent_config(runner.state_dir, before)
    decision = _target.decide(before, wanted, record, client.params["on_mismatch"])
    if decision.same:
        return unchanged(client, before)
    if decision.mismatch:
        raise _target.mismatch_failure(before, wanted, decision.differs, client.lang)

    status = before.get("status")
    auth_argv, secrets = client.require_auth(state=status)
    connect_argv = _target.connect_argv(client.params, wanted, auth_argv)
    disconnect_argv = ["disconnect"] + auth_argv
    plan = ([disconnect_argv] if "disconnect" in decision.steps else []) + [connect_argv]
    result["commands"] = [render_cmd([runner.executable] + argv) for argv in plan]
    result["changed"] = True
    if client.diff:
        result["diff"] = {"before": previous, "after": _target.predicted(before, wanted)}
    if client.check_mode:
        result.update(_outcome.empty_outcome(status))
        return result

    if "disconnect" in decision.steps:
        disconnect_first(client, disconnect_argv, secrets, result)
    last = runner.run(connect_argv, secrets=secrets)
    after = client.state(required=False)
    if not last.ok:
        raise client.failure(last, after.get("status"), previous=previous, commands=result["commands"],
                             resource_id=after.get("resource_id") or "")
    result.update(client.outcome(last, after.get("status")))
    result["resource_id"] = after.get("resource_id") or ""
    if "diff" in result:
        result["diff"]["after"] = _target.target_of(after)
    return result


def disconnect_first(client: AgentModuleClient, argv: t.List[str], secrets: t.Mapping[str, str], result: Result) -> None:
    """on_mismatch=reconnect: disconnect (deleting the old resource), else with reconnect_force_local clean up locally."""
    runner = client.runner
    last = runner.run(argv, secrets=secrets)
    if not last.ok and client.params["reconnect_force_local"] and not last.timed_out:
        if _outcome.from_run(last, client.lang)["azcm_code"] in _target.RECONNECT_LOCAL_CODES:
            client.warn_unparsed(last)
            last = runner.run(["disconnect", "--force-local-only"])
            result["commands"].insert(1, last.cmd)
    if not last.ok:
        raise client.failure(last, client.state(required=False).get("status"), previous=result["previous"],
                             commands=result["commands"])
    client.warn_unparsed(last)


def main() -> None:
    AgentModuleClient(ARGUMENT_SPEC, auth=True, nested_specs={"preflight": _preflight.PREFLIGHT_SPEC}).run(converge)


if __name__ == "__main__":
    main()
