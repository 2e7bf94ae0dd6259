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
    alone.
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
state:
  description: Agent status after the run (V(Connected), V(Disconnected), V(Expired), V(NotInstalled), ...).
  returned: always
  type: str
  sample: Connected
"""

import json
import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.arcops.azcmagent.plugins.module_utils import _outcome, _runner, _validate

RECONNECT_LOCAL_CODES = ("AZCM0043", "AZCM0063")

# The agent's record of its onboarding, in its state directory (/var/opt/azcmagent).
AGENT_CONFIG = "agentconfig.json"


def _target_of(facts):
    return {key: (facts or {}).get(key) for key in ("status", "resource_id", "subscription_id", "resource_group", "location",
                                                    "tenant_id", "cloud", "resource_name")}


def _same(a, b):
    return (a or "").strip().lower() == (b or "").strip().lower()


def mismatches(facts, wanted):
    """Names of the target fields where the connected machine differs from the request (empty: same target).

    A subscription or tenant given by name (not a GUID) cannot be compared with the GUID the agent records, so it
    counts as a difference: the module never reports a machine unchanged without having verified its target."""
    diff = []
    if not _validate.is_guid(wanted["subscription_id"]) or not _same(facts.get("subscription_id"), wanted["subscription_id"]):
        diff.append("subscription_id")
    if not _same(facts.get("resource_group"), wanted["resource_group"]):
        diff.append("resource_group")
    if _validate.normalize_location(facts.get("location")) != wanted["location"]:
        diff.append("location")
    if wanted.get("tenant_id") and (not _validate.is_guid(wanted["tenant_id"]) or not _same(facts.get("tenant_id"), wanted["tenant_id"])):
        diff.append("tenant_id")
    if not _same(facts.get("cloud") or "AzureCloud", wanted["cloud"]):
        diff.append("cloud")
    if wanted.get("resource_name") and not _same(facts.get("resource_name"), wanted["resource_name"]):
        diff.append("resource_name")
    return diff


def unverifiable(wanted):
    """The requested target fields given by name instead of GUID (they cannot be compared with the agent's state)."""
    return [key for key in ("subscription_id", "tenant_id") if wanted.get(key) and not _validate.is_guid(wanted[key])]


# Agent statuses of an onboarded machine; any other (empty, unknown) next to a resource ID is a connect in progress.
ONBOARDED_STATUSES = ("connected", "disconnected", "expired")

NOT_A_GUID = {
    "en": "{fields} was given by name, which cannot be compared with the GUID the agent records; give the GUID so the module "
          "can compare the target",
    "nl": "{fields} is als naam opgegeven, die niet te vergelijken is met de GUID die de agent vastlegt; geef de GUID op zodat "
          "de module het doel kan vergelijken",
}


def agent_config(runner, facts):
    """The agent's own record (``agentconfig.json`` in its state directory, read only), or {} when it cannot be read
    or describes another resource than ``show`` does.

    ``show`` reports an onboarding the agent never finished as C(Disconnected); only this record tells the two apart."""
    state_dir = getattr(runner, "state_dir", None)
    if not state_dir or not (facts or {}).get("resource_id"):
        return {}
    try:
        with open(os.path.join(state_dir, AGENT_CONFIG), "r") as handle:
            data = json.load(handle)
    except (IOError, OSError, ValueError):
        return {}
    if not isinstance(data, dict) or not _same(data.get("resourceId"), facts["resource_id"]):
        return {}
    return data


def is_interrupted_connect(facts, record=None):
    """Whether the agent's state is a connect that stopped after Azure accepted the resource.

    That is a resource ID with the agent's pending-connect mark, or with an empty or unknown status and no heartbeat
    (the agent's own record, when readable, wins over what ``show`` prints); a machine with status Connected,
    Disconnected or Expired is onboarded, whatever its heartbeat says."""
    facts = facts or {}
    record = record or {}
    if not facts.get("resource_id"):
        return False
    if record.get("connectPending") in (True, "true", "True") or facts.get("connect_pending") in (True, "true", "True"):
        return True
    status = record["status"] if "status" in record else facts.get("status")
    heartbeat = record["lastHeartbeat"] if "lastHeartbeat" in record else facts.get("last_heartbeat")
    return (status or "").strip().lower() not in ONBOARDED_STATUSES and not (heartbeat or "").strip()


def describe(target):
    keys = ("subscription_id", "resource_group", "location", "tenant_id", "cloud", "resource_name")
    parts = ["%s=%s" % (key, target.get(key)) for key in keys if target.get(key)]
    return ", ".join(parts) or "-"


def connect_args(params, wanted):
    argv = ["connect", "--subscription-id", wanted["subscription_id"], "--resource-group", wanted["resource_group"],
            "--location", wanted["location"], "--cloud", wanted["cloud"]]
    if wanted.get("resource_name"):
        argv += ["--resource-name", wanted["resource_name"]]
    if wanted.get("tags"):
        argv += ["--tags", _validate.render_tags(wanted["tags"])]
    for option, flag in (("correlation_id", "--correlation-id"), ("private_link_scope", "--private-link-scope"),
                         ("gateway_id", "--gateway-id")):
        if wanted.get(option):
            argv += [flag, wanted[option]]
    if params.get("enable_automatic_upgrade"):
        argv.append("--enable-automatic-upgrade")
    if params.get("ignore_network_check"):
        argv.append("--ignore-network-check")
    auth_argv, secrets = _runner.auth_args(params)
    return argv + auth_argv, secrets


def read_state(runner, lang):
    facts, run = runner.state()
    if facts is None:
        raise _outcome.failure_from_run(run, lang)
    return facts


def run(module):
    params = module.params
    lang = params["lang"]
    try:
        wanted = _validate.validate_connect(params, lang, auth=False)
    except _validate.ValidationError as error:
        raise _outcome.failure_from_validation(error, lang)
    try:
        runner = _runner.AgentRunner(module, params["executable"], params["timeout"], params["lock_timeout"])
    except _runner.AgentError as error:
        raise _outcome.failure_from_agent_error(error, lang)
    for secret in (params.get("service_principal_secret"), params.get("access_token")):
        runner.add_secret(secret)

    runner.state()  # finds the agent's state directory, where the lock lives
    try:
        with runner.lock():
            return _converge(module, runner, wanted, lang)
    except _runner.AgentError as error:
        raise _outcome.failure_from_agent_error(error, lang)


def _converge(module, runner, wanted, lang):
    params = module.params
    before = read_state(runner, lang)
    previous = _target_of(before)
    result = {"changed": False, "previous": previous, "commands": [], "resource_id": before.get("resource_id") or ""}
    steps = []
    # A connect that stopped after Azure accepted the resource leaves a resource ID that never sent a heartbeat;
    # the agent resumes such a pending connect itself, so it is not a target to protect.
    pending = is_interrupted_connect(before, agent_config(runner, before))
    if before.get("resource_id") and not pending:
        diff = mismatches(before, wanted)
        if before["connected"] and not diff:
            # The agent would say AZCM0067; for the requested target that is success with nothing to do.
            result.update(_outcome.from_code("AZCM0067", lang, state=before.get("status"), rc=0, action="none", retryable=False,
                                             cause=_outcome.text(lang, "same_target_cause", current=describe(before)),
                                             remediation=_outcome.text(lang, "same_target_remediation")))
            return result
        if params["on_mismatch"] == "fail":
            current = describe(before)
            requested = describe(wanted)
            if before["connected"]:
                cause = _outcome.text(lang, "mismatch_cause", current=current, requested=requested)
            else:
                cause = _outcome.text(lang, "mismatch_state_cause", status=before.get("status"), current=before.get("resource_id"),
                                      requested=requested)
            names = [key for key in unverifiable(wanted) if key in diff]
            if names:
                cause = "%s; %s" % (cause, NOT_A_GUID[lang if lang in NOT_A_GUID else "en"].format(fields=", ".join(names)))
            outcome = _outcome.from_code("AZCM0067", lang, state=before.get("status"), cause=cause,
                                         remediation=_outcome.text(lang, "mismatch_remediation"), rc=None)
            outcome["findings"] = [{
                "id": "connected_elsewhere" if before["connected"] else "onboarded_%s" % (before.get("status") or "unknown").lower(),
                "category": outcome["category"], "cause": cause, "remediation": outcome["remediation"], "evidence": current,
                "action": "reonboard", "retryable": False,
                "details": {"current": previous, "requested": {k: wanted.get(k) for k in previous if k in wanted}, "differs": diff},
            }]
            outcome["action"] = "reonboard"
            raise _outcome.ModuleFailure(_outcome.message(outcome), outcome, previous=previous, commands=[])
        steps.append("disconnect")
    steps.append("connect")

    try:
        _validate.validate_auth(params, lang, required=True)
    except _validate.ValidationError as error:
        raise _outcome.failure_from_validation(error, lang, state=before.get("status"))

    connect_argv, secrets = connect_args(params, wanted)
    auth_argv = _runner.auth_args(params)[0]
    plan = []
    if "disconnect" in steps:
        plan.append(["disconnect"] + auth_argv)
    plan.append(connect_argv)
    result["commands"] = [_runner.render_cmd([runner.executable] + argv) for argv in plan]
    result["changed"] = True
    if module._diff:
        result["diff"] = {"before": previous, "after": dict(previous, status="Connected", **{
            k: wanted.get(k) for k in ("subscription_id", "resource_group", "location", "tenant_id", "cloud", "resource_name")
            if wanted.get(k)})}
    if module.check_mode:
        result.update(_outcome.empty_outcome(before.get("status")))
        return result

    last = None
    if "disconnect" in steps:
        last = runner.run(["disconnect"] + auth_argv, secrets=secrets)
        if not last.ok:
            outcome = _outcome.from_run(last, lang)
            if params["reconnect_force_local"] and outcome["azcm_code"] in RECONNECT_LOCAL_CODES and not last.timed_out:
                last = runner.run(["disconnect", "--force-local-only"])
                result["commands"].insert(1, last.cmd)
            if not last.ok:
                after = runner.state()[0] or {}
                raise _outcome.failure_from_run(last, lang, state=after.get("status"), previous=previous, commands=result["commands"])
    last = runner.run(connect_argv, secrets=secrets)
    after = runner.state()[0] or {}
    if not last.ok:
        raise _outcome.failure_from_run(last, lang, state=after.get("status"), previous=previous, commands=result["commands"],
                                        resource_id=after.get("resource_id") or "")
    result.update(_outcome.from_run(last, lang, state=after.get("status")))
    result["resource_id"] = after.get("resource_id") or ""
    if "diff" in result:
        result["diff"]["after"] = _target_of(after)
    return result


def main():
    spec = dict(
        subscription_id={"type": "str", "required": True},
        resource_group={"type": "str", "required": True},
        location={"type": "str", "required": True},
        cloud={"type": "str", "default": "AzureCloud"},
        resource_name={"type": "str"},
        tags={"type": "dict"},
        correlation_id={"type": "str"},
        private_link_scope={"type": "str"},
        gateway_id={"type": "str"},
        enable_automatic_upgrade={"type": "bool", "default": False},
        ignore_network_check={"type": "bool", "default": False},
        on_mismatch={"type": "str", "default": "fail", "choices": ["fail", "reconnect"]},
        reconnect_force_local={"type": "bool", "default": False},
    )
    spec.update(_runner.auth_argument_spec())
    spec.update(_runner.common_argument_spec())
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    _outcome.run_module(module, run)


if __name__ == "__main__":
    main()
