#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: config
short_description: Manage a local setting of the Azure Connected Machine agent
version_added: 0.1.0
description:
  - Sets or clears one of the agent's local settings with C(azcmagent config set) / C(azcmagent config clear),
    after reading the current value with C(azcmagent config list); C(config set) and C(config clear) run with
    C(--verbose) so that a failure can be diagnosed from the verbose output and log.
  - RV(state) is the agent's status (from C(azcmagent show)) after the run.
  - Known settings include C(proxy.url), C(proxy.bypass), C(extensions.allowlist), C(extensions.blocklist),
    C(extensions.enabled), C(guestconfiguration.enabled), C(config.mode), C(incomingconnections.enabled),
    C(incomingconnections.ports) and C(connection.type); any other name is passed to the agent as it is.
author:
  - arcops engineers (@arcops)
extends_documentation_fragment:
  - arcops.azcmagent._agent
attributes:
  check_mode:
    description: Predicts RV(changed) from C(azcmagent config list) and changes nothing.
    support: full
  diff_mode:
    description: Returns the setting's value before and after.
    support: full
  idempotent:
    description: A setting that already has the requested value is not changed.
    support: full
  action_group:
    description: Use C(group/arcops.azcmagent.azcmagent) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - arcops.azcmagent.azcmagent
options:
  name:
    description:
      - Name of the setting, such as V(proxy.url) or V(extensions.allowlist).
    type: str
    required: true
  value:
    description:
      - The value. A string, a boolean, a number, or a list for the multi-value settings (C(proxy.bypass),
        C(extensions.allowlist), C(extensions.blocklist), C(incomingconnections.ports)).
      - Required with O(state=present).
    type: raw
  list_mode:
    description:
      - For multi-value settings only. V(replace) makes the setting exactly O(value); V(add) adds the missing
        elements (C(config set --add)); V(remove) removes the given elements (C(config set --remove)).
    type: str
    choices: [replace, add, remove]
    default: replace
  state:
    description:
      - V(present) sets the value; V(absent) clears the setting back to the agent's default (C(config clear)).
    type: str
    choices: [present, absent]
    default: present
notes:
  - Changing settings needs root; reading them does not.
seealso:
  - module: arcops.azcmagent.info
"""

EXAMPLES = r"""
- name: Use the corporate proxy
  arcops.azcmagent.config:
    name: proxy.url
    value: http://proxy.example.com:3128
  become: true

- name: Send Entra ID and Resource Manager traffic around the proxy
  arcops.azcmagent.config:
    name: proxy.bypass
    value: [AAD, ARM]
  become: true

- name: Also allow the Azure Monitor agent
  arcops.azcmagent.config:
    name: extensions.allowlist
    value:
      - Microsoft.Azure.Monitor/AzureMonitorLinuxAgent
    list_mode: add
  become: true

- name: Remove the proxy
  arcops.azcmagent.config:
    name: proxy.url
    state: absent
  become: true
"""

RETURN = r"""
changed:
  description: Whether the setting was (or in check mode would be) changed.
  returned: always
  type: bool
name:
  description: The setting.
  returned: always
  type: str
value:
  description: The setting's value after the run (in check mode, the predicted value).
  returned: always
  type: raw
previous:
  description: The setting's value before the run.
  returned: always
  type: raw
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

from ansible_collections.arcops.azcmagent.plugins.module_utils import _config_plan, _outcome
from ansible_collections.arcops.azcmagent.plugins.module_utils._client import AgentModuleClient, Spec
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_config import parse_config_list
from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import render_cmd
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import text
from ansible_collections.arcops.azcmagent.plugins.module_utils._validate import ValidationError

Result = t.Dict[str, t.Any]

ARGUMENT_SPEC: Spec = {
    "name": {"type": "str", "required": True},
    "value": {"type": "raw"},
    "list_mode": {"type": "str", "default": "replace", "choices": ["replace", "add", "remove"]},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
}


def current_settings(client: AgentModuleClient, state: str | None = None) -> t.Dict[str, t.Any]:
    """``config list`` parsed (a failure when it fails)."""
    run = client.runner.run(["config", "list"], capture_log=False, verbose=False)
    if not run.ok:
        raise client.failure(run, state)
    parsed = parse_config_list(run.stdout)
    if isinstance(parsed, tuple):
        parsed = parsed[0]
    return dict(parsed or {})


def converge(client: AgentModuleClient) -> Result:
    """Read the setting, plan the command, run it unless in check mode, read the setting back."""
    params = client.params
    name = params["name"].strip()
    is_list = _config_plan.is_list_setting(name, params["value"])
    if params["list_mode"] != "replace" and not is_list:
        detail = text("outcome.list_mode_scalar", client.lang, mode=params["list_mode"], settings=", ".join(sorted(_config_plan.LIST_SETTINGS)))
        raise _outcome.failure_from_validation(ValidationError("AZCM0023", "list_mode", detail), client.lang)
    with client.session(required=False) as facts:
        status = facts.get("status")
        before = _config_plan.lookup_setting(current_settings(client, status), name)
        if is_list:
            before = _config_plan.as_list(before)
        plan = _config_plan.plan(name, is_list, before, params["value"], params["list_mode"], params["state"])
        result: Result = {"changed": plan.argv is not None, "name": name, "previous": before, "value": plan.value}
        if client.diff:
            result["diff"] = {"before": {name: before}, "after": {name: plan.value}}
        if plan.argv is None or client.check_mode:
            cmd = render_cmd(client.runner.build_argv(plan.argv, verbose=True)) if plan.argv else ""
            result.update(_outcome.empty_outcome(status, cmd=cmd))
            return result
        # -v/--verbose is a common flag of every agent command and feeds the diagnosis; the value is read back with a
        # plain `config list`, so the verbose lines never reach the parser.
        last = client.runner.run(plan.argv, verbose=True)
        if not last.ok:
            raise client.failure(last, client.status(status), name=name, previous=before)
        after = _config_plan.lookup_setting(current_settings(client, status), name)
        result["value"] = _config_plan.as_list(after) if is_list else after
        if "diff" in result:
            result["diff"]["after"] = {name: result["value"]}
        result.update(client.outcome(last, client.status(status)))
        return result


def main() -> None:
    AgentModuleClient(ARGUMENT_SPEC, required_if=[("state", "present", ["value"])]).run(converge)


if __name__ == "__main__":
    main()
