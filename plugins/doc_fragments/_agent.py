# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Doc fragments shared by the modules that run azcmagent.

PRIVATE: this doc fragment is internal to arcops.azcmagent and may change at any time.
"""

from __future__ import annotations


class ModuleDocFragment:

    # Options of every module that runs the agent: where it is, how long it may take, the language.
    DOCUMENTATION = r"""
options:
  executable:
    description:
      - Path of the C(azcmagent) binary.
      - When not set, C(azcmagent) is searched on E(PATH), then V(/opt/azcmagent/bin/azcmagent) is used.
    type: path
  timeout:
    description:
      - Seconds an C(azcmagent) command may run before its whole process group is stopped.
      - A command that runs out of time fails with C(AZCM0011), category V(transient), RV(retryable=true);
        when the agent had printed why it failed before it was stopped (a fatal line of a missing role, say), that
        failure gives the category, the remediation and whether a retry can help, and the cause names both.
      - The agent itself gives up connecting after ten minutes.
    type: int
    default: 600
  lock_timeout:
    description:
      - Seconds to wait for another run of this collection on the same machine to release the agent lock.
      - The lock file lives in the agent's state directory (the parent of its log directory), or in the
        temporary directory when that is not writable.
      - The default outlasts a connect that runs for its whole O(timeout).
    type: int
    default: 660
  lang:
    description:
      - Language of the failure message C(msg), RV(cause), RV(remediation) and the findings.
    type: str
    choices: [en, nl]
    default: en
notes:
  - Commands run with E(LANG=C) and E(LC_ALL=C), with stdin closed, as an argument list (never through a shell).
  - C(--no-color) is not passed, because agents older than 1.22 reject it; output goes to a pipe, which the agent
    does not colour.
  - Lines of the agent's output that the module does not recognise are reported as warnings (at most ten per
    command, each shortened), so that a change of the agent's output format is noticed; please report them.
"""

    # Non-interactive authentication of connect and disconnect.
    AUTH = r"""
options:
  tenant_id:
    description:
      - The Microsoft Entra ID tenant (GUID or verified domain name) of the service principal and the subscription.
      - Required with O(service_principal_id).
    type: str
  service_principal_id:
    description:
      - Application (client) ID of the service principal that onboards the machine.
      - Needs the role C(Azure Connected Machine Onboarding) (or Contributor) on the resource group.
    type: str
  service_principal_secret:
    description:
      - Client secret of O(service_principal_id).
      - Passed to the agent only in a C(--config) file of mode 0600 in a private temporary directory that is removed
        after the run; never on the command line, and scrubbed from every returned text.
      - Mutually exclusive with O(service_principal_cert) and O(access_token).
    type: str
  service_principal_cert:
    description:
      - Path on the managed node of a PEM or PFX certificate (with its private key, not password protected) of
        O(service_principal_id).
      - Mutually exclusive with O(service_principal_secret) and O(access_token).
    type: path
  access_token:
    description:
      - A Microsoft Entra ID access token for Azure Resource Manager.
      - Passed only in the private C(--config) file, like O(service_principal_secret).
      - Mutually exclusive with the service principal options.
    type: str
"""

    # RETURN values shared by every module that runs the agent.
    OUTCOME = r"""
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
