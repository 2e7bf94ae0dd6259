#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: info
short_description: Read the state of the Azure Connected Machine agent
version_added: 0.1.0
description:
  - Returns normalized facts about the agent from C(azcmagent show -j) (the text form for older agents),
    C(azcmagent version) and C(azcmagent config list).
  - Read-only; safe in check mode. A machine without the agent returns RV(installed=false) and does not fail.
author:
  - arcops engineers (@arcops)
extends_documentation_fragment:
  - arcops.azcmagent._agent
attributes:
  check_mode:
    description: The module only reads; it runs the same way in check mode.
    support: full
  diff_mode:
    description: The module changes nothing, so it has no diff.
    support: none
  idempotent:
    description: The module never changes anything.
    support: full
  action_group:
    description: Use C(group/arcops.azcmagent.azcmagent) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - arcops.azcmagent.azcmagent
options:
  gather_config:
    description:
      - Also read the agent's local settings with C(azcmagent config list) (RV(config)).
    type: bool
    default: true
seealso:
  - module: arcops.azcmagent.connect
  - module: arcops.azcmagent.config
  - module: arcops.azcmagent.machine_resource_info
"""

EXAMPLES = r"""
- name: Read the agent state
  arcops.azcmagent.info:
  register: agent

- name: Report machines that are not connected
  ansible.builtin.debug:
    msg: "{{ inventory_hostname }} is {{ agent.status | default('not installed') }}"
  when: not agent.connected
"""

RETURN = r"""
changed:
  description: Always V(false).
  returned: always
  type: bool
installed:
  description: Whether the agent was found.
  returned: always
  type: bool
executable:
  description: Path of the agent binary that was used.
  returned: when installed
  type: str
version:
  description: Agent version, such as V(1.58.03228.700).
  returned: when installed
  type: str
status:
  description: Agent status (V(Connected), V(Disconnected), V(Expired)); V(NotInstalled) without the agent.
  returned: always
  type: str
connected:
  description: Whether the agent is connected (status V(Connected) and a resource ID).
  returned: always
  type: bool
resource_id:
  description: Azure resource ID of the machine (V(null) when not onboarded).
  returned: always
  type: str
resource_name:
  description: Name of the machine resource.
  returned: always
  type: str
resource_group:
  description: Resource group of the machine resource.
  returned: always
  type: str
subscription_id:
  description: Subscription of the machine resource.
  returned: always
  type: str
tenant_id:
  description: Tenant of the machine resource.
  returned: always
  type: str
location:
  description: Region of the machine resource.
  returned: always
  type: str
cloud:
  description: Azure cloud of the agent.
  returned: always
  type: str
last_heartbeat:
  description: Last heartbeat of the agent (ISO 8601, UTC).
  returned: always
  type: str
error_code:
  description: The agent's own error code (C(Agent Error Code)), if any.
  returned: always
  type: str
error_details:
  description: The agent's own error details, if any.
  returned: always
  type: str
services:
  description: The agent's dependent services, each with C(name), C(display_name) and C(status).
  returned: always
  type: list
  elements: dict
services_in_use:
  description:
    - The names of the agent's services (of RV(services)) that the agent uses - the agent service (C(himdsd)) always,
      the extension service (C(extd)) unless C(extensions.enabled) is V(false), the guest configuration service
      (C(gcad)) unless C(guestconfiguration.enabled) is V(false), and the Arc proxy (C(arcproxyd)) only with the Azure
      Arc gateway (C(connection.type) V(gateway), or a gateway URL in C(show)).
    - Without O(gather_config) the settings are not read and the agent's defaults apply.
  returned: always
  type: list
  elements: str
  sample: [himdsd, extd, gcad]
stopped_services:
  description:
    - The services in use (RV(services_in_use)) whose status is stopped (C(inactive), C(failed), C(stopped), C(dead)) -
      what a restart must start. A service the agent does not use never appears here, whatever its status.
  returned: always
  type: list
  elements: str
  sample: [himdsd]
config:
  description: The agent's local settings from C(azcmagent config list), key to value (lists as lists, booleans as booleans).
  returned: when installed and O(gather_config=true)
  type: dict
  sample: {"proxy.url": "", "extensions.enabled": true, "extensions.allowlist": []}
log_file:
  description: Path of C(azcmagent.log), next to the log file the agent reports.
  returned: when installed
  type: str
show:
  description: The raw C(show) record (JSON keys of the agent, or the parsed text form).
  returned: when installed
  type: dict
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
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils import _outcome
from ansible_collections.arcops.azcmagent.plugins.module_utils._client import AgentModuleClient, Spec
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_config import parse_config_list, parse_version
from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import AgentNotFound
from ansible_collections.arcops.azcmagent.plugins.module_utils._show import services_in_use, stopped_services
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import text

Result = t.Dict[str, t.Any]

ARGUMENT_SPEC: Spec = {"gather_config": {"type": "bool", "default": True}}

FACT_KEYS = ("status", "resource_id", "resource_name", "resource_group", "subscription_id", "tenant_id", "location", "cloud",
             "last_heartbeat", "error_code", "error_details", "services")


def _first(parsed: t.Any) -> t.Any:
    """The data part of a parser result that may come as (data, warnings)."""
    if isinstance(parsed, tuple):
        return parsed[0]
    return parsed


def not_installed() -> Result:
    result: Result = {key: None for key in FACT_KEYS}
    result.update({"changed": False, "installed": False, "connected": False, "status": "NotInstalled", "services": [],
                   "services_in_use": [], "stopped_services": []})
    result.update(_outcome.empty_outcome("NotInstalled"))
    return result


def gather(client: AgentModuleClient) -> Result:
    """Read only: show (state), version, config list."""
    try:
        runner = client.runner
    except AgentNotFound:
        return not_installed()
    facts, show_run = client.read_state()
    if facts is None:
        raise client.failure(show_run)
    result: Result = {key: facts.get(key) for key in FACT_KEYS}
    result.update({"changed": False, "installed": True, "executable": runner.executable, "connected": facts["connected"],
                   "log_file": runner.log_file})
    try:
        result["show"] = json.loads(show_run.stdout) if facts.get("format") == "json" else None
    except ValueError:
        result["show"] = None
    result["version"] = facts.get("agent_version")
    version_run = runner.run(["version"], capture_log=False, verbose=False)
    if version_run.ok:
        parsed = _first(parse_version(version_run.stdout))
        if isinstance(parsed, dict):
            parsed = parsed.get("version")
        result["version"] = parsed or result["version"]
    if client.params["gather_config"]:
        config_run = runner.run(["config", "list"], capture_log=False, verbose=False)
        result["config"] = (_first(parse_config_list(config_run.stdout)) or {}) if config_run.ok else {}
        if not config_run.ok:
            detail = (config_run.stderr or config_run.stdout).strip()[:500]
            client.warn(text("outcome.config_list_failed", client.lang, rc=config_run.rc, detail=detail))
    services = list(facts.get("services") or [])
    gateway_url = (result["show"] or {}).get("gatewayUrl") if isinstance(result["show"], dict) else facts.get("gateway_url")
    config = result.get("config") if client.params["gather_config"] else None
    result["services_in_use"] = services_in_use(services, config, gateway_url)
    result["stopped_services"] = stopped_services(services, config, gateway_url)
    result.update(_outcome.from_run(show_run, client.lang, state=facts.get("status")))
    return result


def main() -> None:
    AgentModuleClient(ARGUMENT_SPEC).run(gather)


if __name__ == "__main__":
    main()
