# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: azcm_diagnose
short_description: Diagnose a failed Azure Connected Machine agent run
version_added: 0.1.0
author: arcops engineers
description:
  - Reads agent output (console text, C(azcmagent.log) lines) or a registered result of a module of this
    collection or of M(ansible.builtin.command) / M(ansible.builtin.shell) and says what went wrong.
  - Finds the primary AZCM code (the last one on an C(Exit Code:) line, else the last one seen, else the
    code of the exit status), classifies every known error text (proxy C(Forbidden), DNS C(no such host),
    invalid client secret, missing role, provider not registered, throttling, ...) and refines the code with
    the strongest finding.
  - >-
    Evidence is weighed by the level of its line. The failure is the exit line (also a localized one such as
    C(Exitcode: AZCM0107: ...)), the exit status (RV(ignore:rc), or one a wrapper printed: C(exitcode: 42),
    C(exit status 3), C(exit code 26), C(rc=1)) and the run's fatal and error lines. Debug, info and warning lines
    are context and never the cause on their own; a problem the agent got past (the debug
    C(Failed to register resource provider ... RESPONSE 403 ... AuthorizationFailed) of most connects, or any
    context finding followed by C(ARM Resource Creation Successful) / C(Connected machine to Azure)) is one of
    RV(warnings), not the cause.
  - >-
    Fails closed. A text without an exit status that holds a fatal or error line of the agent is a failure; when
    no rule knows that line it is quoted (secrets masked) as the cause, with category V(unknown).
  - >-
    Also reads the install stage (apt/dpkg, dnf/yum, zypper, Microsoft's install script, the Windows installer)
    and the agent's own network check (private link scope required, private endpoint without a scope, TLS,
    required endpoints unavailable).
  - >-
    A registered result with C(escalated=true) (the run already had root) never gets the V(escalate) action.
  - >-
    Malformed input is never a success. A result whose C(rc) is not an integer exit status (V("abc"), V(1.5),
    V(true), a dict; digits as text such as V("42") are read as the number), whose C(failed) is not a boolean,
    whose C(stdout) / C(stderr) is not a string, whose C(stdout_lines) / C(stderr_lines) / C(log_lines) is not a
    list of strings, whose C(azcm_code) is not an AZCM code or whose C(findings) is not a list of dicts raises an
    error naming that key and the expected form. An input that holds no outcome at all (an empty string, random
    text, an empty dict, a dict with neither C(rc) nor C(failed) nor agent output) is diagnosed as a failure
    (RV(ok=false), category V(unknown), action V(report)) whose cause says that no outcome was found. Any other
    type (a number, a list holding something other than strings) raises an error.
  - Use the result with P(arcops.azcmagent.azcm_plan#filter) to get the steps that fix it.
options:
  _input:
    description:
      - A text, a list of lines (strings), or a registered result (a dict with RV(ignore:stdout), RV(ignore:stderr),
        RV(ignore:rc), RV(ignore:msg), RV(ignore:log_lines), RV(ignore:azcm_code), ...).
      - A result of M(arcops.azcmagent.connect) that reports AZCM0067 with C(same_target=true) or C(changed=false)
        means the machine is already connected where it should be, which is a success.
    type: raw
    required: true
  lang:
    description: Language of the texts (cause, remediation, summary, findings).
    type: str
    default: en
    choices: [en, nl]
seealso:
  - plugin: arcops.azcmagent.azcm_plan
    plugin_type: filter
  - plugin: arcops.azcmagent.azcm_remediation
    plugin_type: filter
  - plugin: arcops.azcmagent.azcm_codes
    plugin_type: filter
  - plugin: arcops.azcmagent.azcm_info
    plugin_type: filter
  - module: arcops.azcmagent.connect
"""

EXAMPLES = r"""
- name: Connect with the plain agent
  ansible.builtin.command:
    cmd: azcmagent connect --resource-group rg-arc --location westeurope --subscription-id "{{ subscription_id }}"
  register: connect_run
  failed_when: false
  changed_when: connect_run.rc == 0

- name: Say what went wrong, in Dutch
  ansible.builtin.debug:
    msg: "{{ (connect_run | arcops.azcmagent.azcm_diagnose(lang='nl')).summary }}"
  when: connect_run.rc != 0

- name: Diagnose a log file read from the machine
  ansible.builtin.set_fact:
    diagnosis: "{{ (log.content | b64decode) | arcops.azcmagent.azcm_diagnose }}"
"""

RETURN = r"""
_value:
  description: The diagnosis.
  type: dict
  contains:
    ok:
      description: V(true) when the run succeeded (or was already connected to the same target).
      type: bool
    azcm_code:
      description: The primary code, for example V(AZCM0044), or V(null) when none was found.
      type: str
    azcm_codes:
      description: Every code seen, in order of appearance, without duplicates.
      type: list
      elements: str
    exit_code:
      description: The process exit code that goes with the primary code (or the given RV(ignore:rc)).
      type: int
    title:
      description: The title of the primary code.
      type: str
    cause:
      description: What went wrong, in O(lang).
      type: str
    remediation:
      description: What a human should do, in O(lang); refined by the strongest finding.
      type: str
    category:
      description: For example V(credentials), V(permissions), V(proxy), V(dns), V(providers), V(throttling), V(success).
      type: str
    retryable:
      description: Whether running connect again can help.
      type: bool
    action:
      description: The main automatic action, for example V(retry), V(register_providers), V(delete_resource), V(report), V(none).
      type: str
    actions:
      description: Every suggested action, strongest first, without duplicates.
      type: list
      elements: str
    findings:
      description:
        - The known errors that explain the failure, in order of appearance; those on fatal and error lines (and on
          plain text without a level), else those on debug and info lines of a failed run.
      type: list
      elements: dict
      contains:
        id:
          description: Stable rule id, for example V(invalid_client_secret).
          type: str
        category:
          description: Category of the error.
          type: str
        cause:
          description: Cause, in O(lang).
          type: str
        remediation:
          description: Remediation, in O(lang).
          type: str
        evidence:
          description: The line that matched, with secrets masked.
          type: str
        action:
          description: The automatic action for this error.
          type: str
        retryable:
          description: Whether a retry can help.
          type: bool
        details:
          description: What the pattern captured (V(host), V(url), V(namespace), V(scope), V(retry_after), ...).
          type: dict
    warnings:
      description:
        - Known errors that did not decide the outcome, with the keys of RV(findings) and one more, C(stage).
        - C(stage=recovered) the agent got past it (for example the debug provider registration 403 of a connect
          that went on to create the resource); C(stage=context) a debug or info line of a run whose failure
          (or success) other lines explain.
      type: list
      elements: dict
    summary:
      description: One readable sentence with the code, the cause and the remediation.
      type: str
    unparsed:
      description: Number of lines that look like agent output but were not recognised.
      type: int
    resource_id:
      description:
        - The Azure resource ID the agent named in its output (for example the existing machine of C(AZCM0044)), or V(null).
        - A hint only; no repair depends on it. A V(delete_resource) step of P(arcops.azcmagent.azcm_plan#filter) carries it as
          C(args.hint_resource_id), and the remediate role finds the conflicting machine in Resource Manager at the requested
          subscription, resource group and name, deleting it only when its identity (vmId) and state prove it stale.
      type: str
"""

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._diagnosis import diagnose
from ansible_collections.arcops.azcmagent.plugins.plugin_utils._filter_input import call, check_lang, check_text_input

NAME = "azcm_diagnose"


def azcm_diagnose(data: object, lang: str = "en") -> dict[str, t.Any]:
    """Diagnose a text, a list of lines or a registered result."""
    lang = check_lang(NAME, lang)
    check_text_input(NAME, data)
    return call(NAME, diagnose, data, lang=lang)


class FilterModule:
    """arcops.azcmagent.azcm_diagnose."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {NAME: azcm_diagnose}
