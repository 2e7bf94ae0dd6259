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

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.arcops.azcmagent.plugins.module_utils import _outcome, _runner, _validate
from ansible_collections.arcops.azcmagent.plugins.module_utils._parsers import parse_config_list

LIST_SETTINGS = frozenset(("proxy.bypass", "extensions.allowlist", "extensions.blocklist", "incomingconnections.ports"))

# What `config clear` gives back (an unknown setting's default is taken to be empty).
DEFAULTS = {
    "proxy.url": "", "proxy.bypass": [], "extensions.allowlist": [], "extensions.blocklist": [], "extensions.enabled": "true",
    "guestconfiguration.enabled": "true", "config.mode": "full", "incomingconnections.enabled": "true",
    "incomingconnections.ports": [], "connection.type": "default",
}


def scalar(value):
    """A setting value as the agent prints it: booleans lower-case, everything else as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def as_list(value):
    """A multi-value setting as a list of strings ('[a b]', 'a,b', ['a', 'b'] and '' all accepted)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [scalar(v) for v in value if scalar(v) != ""]
    text = scalar(value)
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return [part for part in (p.strip() for p in text.replace(",", " ").split()) if part]


def status_after(runner, fallback=None):
    """The agent's status as ``show`` reports it now (fallback when it cannot be read)."""
    facts = runner.state()[0]
    return facts.get("status") if facts else fallback


def current_settings(runner, lang, state=None):
    run = runner.run(["config", "list"], capture_log=False, verbose=False)
    if not run.ok:
        raise _outcome.failure_from_run(run, lang, state=state)
    parsed = parse_config_list(run.stdout)
    if isinstance(parsed, tuple):
        parsed = parsed[0]
    return dict(parsed or {})


def lookup_setting(settings, name):
    """The value of name in the parsed list (keys compared case-insensitively, '(preview)' suffixes ignored)."""
    wanted = name.strip().lower()
    for key, value in settings.items():
        if key.replace("(preview)", "").strip().lower() == wanted:
            return value
    return None


def plan(name, is_list, current, value, list_mode, state):
    """(argv or None, predicted value) for the request; argv None means nothing to change."""
    if state == "absent":
        default = DEFAULTS.get(name, [] if is_list else "")
        empty = as_list(current) == as_list(default) if is_list else scalar(current) in ("", scalar(default))
        return (None, current) if empty else (["config", "clear", name], default)
    if is_list:
        have = as_list(current)
        items = as_list(value)
        if list_mode == "add":
            missing = [item for item in items if item not in have]
            return (["config", "set", name, ",".join(missing), "--add"], have + missing) if missing else (None, have)
        if list_mode == "remove":
            present = [item for item in items if item in have]
            return (["config", "set", name, ",".join(present), "--remove"], [h for h in have if h not in present]) if present else (None, have)
        if sorted(have) == sorted(items):
            return None, have
        if not items:
            return ["config", "clear", name], []
        return ["config", "set", name, ",".join(items)], items
    if scalar(current) == scalar(value) or (isinstance(value, bool) and scalar(current).lower() == scalar(value)):
        return None, scalar(current)
    return ["config", "set", name, scalar(value)], scalar(value)


def run(module):
    params = module.params
    lang = params["lang"]
    name = params["name"].strip()
    value = params["value"]
    is_list = name.lower() in LIST_SETTINGS or isinstance(value, (list, tuple))
    if params["list_mode"] != "replace" and not is_list:
        detail = "list_mode=%s only applies to multi-value settings (%s)" % (params["list_mode"], ", ".join(sorted(LIST_SETTINGS)))
        raise _outcome.failure_from_validation(_validate.ValidationError("AZCM0023", "list_mode", detail), lang)
    try:
        runner = _runner.AgentRunner(module, params["executable"], params["timeout"], params["lock_timeout"])
        facts = runner.state()[0] or {}  # also finds the agent's state directory, where the lock lives
        with runner.lock():
            return _converge(module, runner, name, value, is_list, lang, facts.get("status"))
    except _runner.AgentError as error:
        raise _outcome.failure_from_agent_error(error, lang)


def _converge(module, runner, name, value, is_list, lang, status=None):
    """Read the setting, change it when needed; ``status`` is the agent's status read before (the state when nothing runs)."""
    params = module.params
    before_settings = current_settings(runner, lang, status)
    before = lookup_setting(before_settings, name)
    if is_list:
        before = as_list(before)
    argv, predicted = plan(name, is_list, before, value, params["list_mode"], params["state"])
    result = {"changed": argv is not None, "name": name, "previous": before, "value": predicted}
    if module._diff:
        result["diff"] = {"before": {name: before}, "after": {name: predicted}}
    if argv is None or module.check_mode:
        result.update(_outcome.empty_outcome(status, cmd=_runner.render_cmd(runner.build_argv(argv, verbose=True)) if argv else ""))
        return result
    # -v/--verbose is a common flag of every agent command and feeds the diagnosis; the value is read back with a plain
    # `config list`, so the verbose lines never reach the parser.
    last = runner.run(argv, verbose=True)
    if not last.ok:
        raise _outcome.failure_from_run(last, lang, state=status_after(runner, status), name=name, previous=before)
    after = lookup_setting(current_settings(runner, lang, status), name)
    result["value"] = as_list(after) if is_list else after
    if "diff" in result:
        result["diff"]["after"] = {name: result["value"]}
    result.update(_outcome.from_run(last, lang, state=status_after(runner, status)))
    return result


def main():
    spec = {
        "name": {"type": "str", "required": True},
        "value": {"type": "raw"},
        "list_mode": {"type": "str", "default": "replace", "choices": ["replace", "add", "remove"]},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    }
    spec.update(_runner.common_argument_spec())
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, required_if=[("state", "present", ["value"])])
    _outcome.run_module(module, run)


if __name__ == "__main__":
    main()
