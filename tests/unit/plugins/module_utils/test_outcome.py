# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import re

import pytest
import yaml

from ansible_collections.arcops.azcmagent.plugins.doc_fragments._agent import ModuleDocFragment
from ansible_collections.arcops.azcmagent.plugins.module_utils import _outcome, _runner, _validate
from ansible_collections.arcops.azcmagent.plugins.modules import config, connect, disconnect, info


def run_result(rc, stdout="", stderr="", log_lines=(), timed_out=False):
    return _runner.RunResult(["/opt/azcmagent/bin/azcmagent", "connect", "--verbose"], rc, stdout, stderr, list(log_lines),
                             timed_out=timed_out, timeout=7)


FAILED_CONNECT = (
    "INFO    Connecting machine to Azure... This might take a few minutes.\n"
    "INFO    Exit Code:  AZCM0041: Failed to Obtain Access Token\n"
    "INFO    For troubleshooting, see https://aka.ms/arc/azcmerror\n"
    "FATAL   Failed to acquire authorization token from SPN: Invalid client secret is provided\n"
)


def test_outcome_of_a_failed_run_has_every_field():
    outcome = _outcome.from_run(run_result(41, FAILED_CONNECT, log_lines=['level=info msg="Exit Code:  AZCM0041: x"']), "en", "Disconnected")
    assert set(outcome) == set(_outcome.OUTCOME_KEYS)
    assert outcome["azcm_code"] == "AZCM0041" and outcome["rc"] == 41 and outcome["exit_code"] == 41
    assert outcome["category"] == "credentials" and outcome["retryable"] is False
    assert outcome["stdout_lines"][1].startswith("INFO    Exit Code:") and outcome["log_lines"]
    assert outcome["cmd"].endswith("connect --verbose") and outcome["state"] == "Disconnected"
    message = _outcome.message(outcome)
    assert re.match(r"^AZCM0041: [^.]+\. .+\.$", message)


def test_codes_from_the_log_and_exit_status_count():
    outcome = _outcome.from_run(run_result(64, "", "", ['level=info msg="Exit Code:  AZCM0064: Unable to Establish Communication"']))
    assert outcome["azcm_code"] == "AZCM0064" and outcome["category"] == "agent_service"
    assert _outcome.from_run(run_result(44))["azcm_code"] == "AZCM0044"


def test_success():
    outcome = _outcome.from_run(run_result(0, "INFO    Connected machine to Azure\n"))
    assert outcome["category"] == "success" and outcome["action"] == "none" and outcome["azcm_code"] is None


def test_timeout_outcome():
    outcome = _outcome.from_run(run_result(-15, "INFO    Connecting machine to Azure...\n", timed_out=True), "nl")
    assert outcome["azcm_code"] == "AZCM0011" and outcome["category"] == "transient" and outcome["retryable"] is True
    assert outcome["action"] == "retry" and "7 seconden" in outcome["cause"]


def test_validation_failure_in_dutch():
    error = _validate.ValidationError("AZCM0020", "location", "location 'atlantis' is geen bekende regio van AzureCloud")
    failure = _outcome.failure_from_validation(error, "nl")
    assert failure.msg.startswith("AZCM0020: ") and "atlantis" in failure.msg
    assert failure.outcome["category"] == "input" and failure.outcome["findings"][0]["details"] == {"option": "location"}


def test_not_found_and_lock_failures():
    failure = _outcome.failure_from_agent_error(_runner.AgentNotFound("azcmagent was not found at /x"))
    assert failure.outcome["category"] == "install" and failure.outcome["state"] == "NotInstalled" and "/x" in failure.msg
    failure = _outcome.failure_from_agent_error(_runner.LockTimeout("held"))
    assert failure.outcome["azcm_code"] == "AZCM0011" and failure.outcome["retryable"] is True


def test_arm_error_in_the_outcome_shape():
    from ansible_collections.arcops.azcmagent.plugins.module_utils._arm import ArmError
    error = ArmError("The scope is locked.", status=409, arm_code="ScopeLocked", method="DELETE", url="https://m/x", request_id="r1")
    failure = _outcome.failure_from_arm_error(error, "nl", id="/x")
    assert failure.msg.startswith("ScopeLocked (HTTP 409): ")
    assert set(_outcome.OUTCOME_KEYS) <= set(failure.outcome)
    assert failure.outcome["findings"] and failure.outcome["cause"] == failure.outcome["findings"][0]["cause"]
    assert failure.extra == {"status": 409, "arm_code": "ScopeLocked", "error_message": "The scope is locked.", "request_id": "r1",
                             "retries": 0, "id": "/x"}
    config = _outcome.failure_from_arm_error(ArmError("no Azure credentials: give ...", kind="config"))
    assert config.msg == "no Azure credentials: give ..." and config.outcome["category"] == "input"


@pytest.mark.parametrize("module", [connect, disconnect, info, config], ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_module_return_docs_repeat_the_outcome_fragment(module):
    """RETURN cannot use doc fragments: every module repeats the shared OUTCOME block verbatim."""
    shared = yaml.safe_load(ModuleDocFragment.OUTCOME)
    documented = yaml.safe_load(module.RETURN)
    assert set(shared) == set(_outcome.OUTCOME_KEYS)
    for key, doc in shared.items():
        assert documented.get(key) == doc, key


# The agent printed why it failed (a missing role), then was stopped for its timeout before it exited.
DENIED_THEN_STOPPED = (
    "INFO    Connecting machine to Azure... This might take a few minutes.\n"
    "FATAL   RESPONSE 403: 403 Forbidden\nERROR CODE: AuthorizationFailed\n"
    "FATAL   The client '00000000-0000-0000-0000-00000000c003' with object id '00000000-0000-0000-0000-00000000c003' does not "
    "have authorization to perform action 'Microsoft.HybridCompute/machines/read' over scope "
    "'/subscriptions/00000000-0000-0000-0000-00000000a001/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/web01' "
    "or the scope is invalid.\n"
)


def test_timeout_after_a_failure_line_keeps_that_failure():
    outcome = _outcome.from_run(run_result(-15, DENIED_THEN_STOPPED, timed_out=True))
    assert outcome["azcm_code"] == "AZCM0011" and outcome["category"] == "permissions"
    assert outcome["retryable"] is False and outcome["action"] != "retry"
    assert "did not finish within 7 seconds" in outcome["cause"] and "Onboarding" in outcome["remediation"]


def test_timeout_outcome_diagnosed_again_by_the_filter_agrees():
    """The role diagnoses the module's outcome again (azcm_diagnose): the same category, and no retry planned."""
    from ansible_collections.arcops.azcmagent.plugins.module_utils._diagnosis import diagnose
    from ansible_collections.arcops.azcmagent.plugins.module_utils._plan import plan
    outcome = _outcome.from_run(run_result(-15, DENIED_THEN_STOPPED, timed_out=True))
    again = diagnose(dict(outcome, failed=True))
    assert again["category"] == outcome["category"] == "permissions"
    assert [step["action"] for step in plan(again, {"attempt": 1})] == ["report"]
    hung = _outcome.from_run(run_result(-15, "INFO    Connecting machine to Azure... This might take a few minutes.\n", timed_out=True))
    assert diagnose(dict(hung, failed=True))["category"] == hung["category"] == "transient"
    assert [step["action"] for step in plan(diagnose(dict(hung, failed=True)), {"attempt": 1})] == ["retry"]
