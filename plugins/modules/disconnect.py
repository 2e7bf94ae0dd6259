#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: disconnect
short_description: Disconnect a machine from Azure Arc
version_added: 0.1.0
description:
  - Ensures the machine is not connected to Azure Arc by running C(azcmagent disconnect --verbose), which deletes the
    machine's Azure resource and resets the agent's local configuration.
  - A machine that is not onboarded (no resource ID in C(azcmagent show)) is left alone.
  - With O(force_local_only) only the local configuration is reset; use it when Azure cannot be reached or the resource
    is already gone (C(AZCM0043)).
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
    description: Returns the agent's status and resource before and after.
    support: full
  idempotent:
    description: A machine that is not onboarded is not changed.
    support: full
  action_group:
    description: Use C(group/arcops.azcmagent.azcmagent) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - arcops.azcmagent.azcmagent
options:
  force_local_only:
    description:
      - Reset only the local agent configuration, without deleting the Azure resource (no authentication needed).
      - The resource, if it still exists, must then be deleted in Azure (see M(arcops.azcmagent.machine_resource)).
    type: bool
    default: false
notes:
  - Without O(force_local_only) a non-interactive identity is required (service principal or access token) with the
    right to delete the machine resource.
seealso:
  - module: arcops.azcmagent.connect
  - module: arcops.azcmagent.machine_resource
"""

EXAMPLES = r"""
- name: Disconnect and delete the Azure resource
  arcops.azcmagent.disconnect:
    tenant_id: "{{ azcmagent_tenant_id }}"
    service_principal_id: "{{ azcmagent_service_principal_id }}"
    service_principal_secret: "{{ azcmagent_service_principal_secret }}"
  become: true

- name: Clean up locally when the Azure resource is already gone
  arcops.azcmagent.disconnect:
    force_local_only: true
  become: true
"""

RETURN = r"""
changed:
  description: Whether the machine was (or in check mode would be) disconnected.
  returned: always
  type: bool
previous:
  description: The agent's status and target before the run.
  returned: always
  type: dict
resource_id:
  description: The resource ID the machine had before the run (V("") when it was not onboarded).
  returned: always
  type: str
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

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils import _outcome, _target
from ansible_collections.arcops.azcmagent.plugins.module_utils._client import AgentModuleClient, Spec
from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import render_cmd

Result = t.Dict[str, t.Any]

ARGUMENT_SPEC: Spec = {"force_local_only": {"type": "bool", "default": False}}


def converge(client: AgentModuleClient) -> Result:
    """Under the agent lock: read the state, decide, disconnect, report."""
    with client.session() as before:
        return ensure_disconnected(client, before)


def ensure_disconnected(client: AgentModuleClient, before: t.Mapping[str, t.Any]) -> Result:
    status = before.get("status")
    previous = _target.target_of(before)
    result: Result = {"changed": False, "previous": previous, "resource_id": before.get("resource_id") or ""}
    if not before.get("resource_id") and str(status or "").lower() != "connected":
        result.update(_outcome.empty_outcome(status))
        return result
    force = client.params["force_local_only"]
    auth_argv, secrets = client.require_auth(required=not force, state=status)
    argv = ["disconnect", "--force-local-only"] if force else ["disconnect"] + auth_argv
    secrets = {} if force else secrets
    result["changed"] = True
    if client.diff:
        result["diff"] = {"before": previous, "after": dict(dict.fromkeys(previous), status="Disconnected")}
    if client.check_mode:
        result.update(_outcome.empty_outcome(status, cmd=render_cmd(client.runner.build_argv(argv))))
        return result
    last = client.runner.run(argv, secrets=secrets)
    after = client.state(required=False)
    if not last.ok:
        raise client.failure(last, after.get("status"), previous=previous, resource_id=before.get("resource_id") or "")
    result.update(client.outcome(last, after.get("status")))
    if "diff" in result:
        result["diff"]["after"] = _target.target_of(after)
    return result


def main() -> None:
    AgentModuleClient(ARGUMENT_SPEC, auth=True).run(converge)


if __name__ == "__main__":
    main()
