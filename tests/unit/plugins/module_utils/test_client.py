# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module clients (_client): the one failure path, warnings for unrecognised agent output, the session lock,
declarative option rules, environment fallbacks and the injectable executor."""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import re

import pytest

from tests.unit.compat import patch_module_args

from ansible_collections.arcops.azcmagent.plugins.module_utils import _client, _outcome, _runner
from ansible_collections.arcops.azcmagent.plugins.module_utils._arm import ArmError
from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import Completed, RunResult

COLLECTION = pathlib.Path(__file__).resolve().parents[4]


_PATCHES = contextlib.ExitStack()


@pytest.fixture(autouse=True)
def _module_args():
    """Module arguments stay patched for the whole test: exit_json and fail_json need them too."""
    with _PATCHES:
        yield


def make(cls, args, **kwargs):
    _PATCHES.enter_context(patch_module_args(dict(args, _ansible_check_mode=False, _ansible_diff=False)))
    return cls(**kwargs)


def finish(capsys, func):
    """Run func (which ends the module) and return (exit status, result)."""
    with pytest.raises(SystemExit) as info:
        func()
    return info.value.code, json.loads(capsys.readouterr().out)


class StubAgent:
    """An executor: ``show -j`` names a log under state_dir, every other command answers ``answers[command]``."""

    def __init__(self, state_dir, answers=None):
        self.state_dir = state_dir
        self.answers = answers or {}
        self.calls = []

    def __call__(self, execution):
        argv = execution.argv[1:]
        self.calls.append(argv)
        if argv[:1] == ["show"]:
            log = os.path.join(self.state_dir, "log", "himds.log")
            return Completed(rc=0, stdout=json.dumps({"status": "Disconnected", "resourceId": "", "agentLogfile": log}), stderr="")
        return self.answers.get(argv[0], Completed(rc=0, stdout="", stderr=""))


@pytest.fixture
def stub(tmp_path, monkeypatch):
    (tmp_path / "log").mkdir()
    executable = tmp_path / "azcmagent"
    executable.write_text("#!/bin/sh\nexit 127\n")  # never run: the stub answers
    executable.chmod(0o755)
    agent = StubAgent(str(tmp_path))
    agent.executable = str(executable)
    monkeypatch.setattr(_client.AgentModuleClient, "executor", agent)
    return agent


# -- the one failure path -----------------------------------------------------------------------

def test_fail_json_is_called_in_one_place_only():
    calls = []
    for path in sorted((COLLECTION / "plugins").rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\bfail_json\(", line):
                calls.append("%s:%d" % (path.relative_to(COLLECTION), number))
    assert len(calls) == 1 and calls[0].startswith("plugins/module_utils/_client.py:")


def test_module_failure_carries_msg_command_and_outcome(capsys):
    client = make(_client.ModuleClient, {})
    run = RunResult(["/a/azcmagent", "connect", "--verbose"], 41, "INFO    Exit Code:  AZCM0041: Failed to Obtain Access Token\n", "err")

    def boom(_client):
        raise _outcome.failure_from_run(run, previous={"status": "Disconnected"})

    code, result = finish(capsys, lambda: client.run(boom))
    assert code == 1 and result["failed"] is True and result["msg"].startswith("AZCM0041: ")
    assert result["cmd"] == run.cmd and result["rc"] == 41 and result["stdout"] == run.stdout and result["stderr"] == "err"
    assert result["previous"] == {"status": "Disconnected"} and result["changed"] is False
    assert set(_outcome.OUTCOME_KEYS) <= set(result)


@pytest.mark.parametrize("lang, words", [("en", "failed unexpectedly"), ("nl", "onverwacht mislukt")])
def test_unexpected_error_is_an_internal_failure(capsys, lang, words):
    client = make(_client.ModuleClient, {"lang": lang})

    def crash(_client):
        raise KeyError("surprise")

    code, result = finish(capsys, lambda: client.run(crash))
    assert code == 1 and result["category"] == "internal" and "surprise" in result["msg"] and words in result["msg"]


def test_agent_errors_and_arm_errors_become_outcomes(capsys, stub):
    client = make(_client.AgentModuleClient, {"executable": "/nowhere/azcmagent"})
    code, result = finish(capsys, lambda: client.run(lambda c: c.runner and {}))
    assert code == 1 and result["category"] == "install" and result["state"] == "NotInstalled" and "/nowhere" in result["msg"]
    azure = make(_client.AzureModuleClient, {"subscription_id": "s", "access_token": "x"})
    azure.failure_fields["id"] = "/the/machine"

    def denied(_client):
        raise ArmError("denied", status=403, arm_code="AuthorizationFailed", method="GET", url="https://m/x")

    code, result = finish(capsys, lambda: azure.run(denied))
    assert code == 1 and result["msg"].startswith("AuthorizationFailed (HTTP 403): ")
    assert result["id"] == "/the/machine" and result["retries"] == 0 and result["status"] == 403
    assert set(_outcome.OUTCOME_KEYS) <= set(result) and result["findings"] and result["category"] == "permissions"


def test_success_exits_with_the_result_and_warnings(capsys, monkeypatch):
    client = make(_client.ModuleClient, {})
    warned = []
    monkeypatch.setattr(client.module, "warn", warned.append)

    def ok(client):
        client.warn("careful")
        return {"changed": True, "value": 1}

    code, result = finish(capsys, lambda: client.run(ok))
    assert code == 0 and result["changed"] is True and result["value"] == 1 and warned == ["careful"]


# -- warnings for agent output the parsers do not recognise --------------------------------------

def test_unrecognised_lines_become_bounded_shortened_warnings(stub, monkeypatch):
    client = make(_client.AgentModuleClient, {"executable": stub.executable, "lang": "nl"})
    warnings = []
    monkeypatch.setattr(client, "warn", warnings.append)
    odd = ["WARN  odd line %d %s" % (i, "x" * 300 if i == 0 else "") for i in range(12)]
    run = RunResult(["/a/azcmagent", "connect", "--verbose"], 0, "INFO    Connected machine to Azure\n" + "\n".join(odd) + "\n", "",
                    log_lines=[odd[1], 'time="2026-01-01T00:00:00Z" level=info msg="fine"'])
    assert client.warn_unparsed(run) == 12
    assert len(warnings) == _client.MAX_UNPARSED_WARNINGS + 1
    assert all(w.startswith("azcmagent connect: unrecognised agent output: WARN  odd line") for w in warnings[:-1])
    assert len(warnings[0]) < 200 + 150 and "..." in warnings[0]
    assert sum("odd line 1 " in w for w in warnings) == 1, "the same line in stdout and the log warns once"
    assert warnings[-1] == "azcmagent connect: nog 2 onherkende regels agentuitvoer zijn niet getoond"
    warnings.clear()
    assert client.warn_unparsed(RunResult(["/a/azcmagent", "connect"], 0, "INFO    Connected machine to Azure\n", "")) == 0
    assert warnings == []


def test_outcome_and_failure_of_a_run_warn(stub, monkeypatch):
    client = make(_client.AgentModuleClient, {"executable": stub.executable})
    warnings = []
    monkeypatch.setattr(client, "warn", warnings.append)
    run = RunResult(["/a/azcmagent", "disconnect"], 0, "ERROR something new\n", "")
    assert client.outcome(run)["category"] == "success" and len(warnings) == 1
    assert isinstance(client.failure(run), _outcome.ModuleFailure) and len(warnings) == 2


# -- the session --------------------------------------------------------------------------------

def test_session_finds_the_state_directory_and_holds_the_lock(stub, tmp_path):
    client = make(_client.AgentModuleClient, {"executable": stub.executable})
    with client.session() as facts:
        assert facts["status"] == "Disconnected"
        assert client.runner.lock_path == str(tmp_path / _runner.LOCK_NAME)
        other = _runner.AgentRunner(executable=stub.executable, lock_timeout=0, executor=stub)
        other.state()
        with pytest.raises(_runner.LockTimeout):
            with other.lock():
                pass  # pragma: no cover
    with other.lock():
        pass
    assert [argv[0] for argv in stub.calls] == ["show"] * 3, "located once and read once under the lock (client), once (other)"


def test_unreadable_state_fails_the_session(stub):
    stub.answers["show"] = Completed(rc=1, stdout="", stderr="boom")

    def broken_show(execution):
        return Completed(rc=1, stdout="FATAL   himds is not running\n", stderr="")

    client = make(_client.AgentModuleClient, {"executable": stub.executable})
    client._runner = client.make_runner()
    client._runner.executor = broken_show
    with pytest.raises(_outcome.ModuleFailure):
        with client.session():
            pass  # pragma: no cover
    assert client.state(required=False) == {}


# -- options --------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, code, option, words", [
    ({"service_principal_secret": "s", "service_principal_cert": "/c", "service_principal_id": "i"}, "AZCM0023",
     "service_principal_secret", "service_principal_secret and service_principal_cert are mutually exclusive"),
    ({"access_token": "t", "service_principal_id": "i"}, "AZCM0023", "access_token", "access_token and service_principal_id"),
    ({"service_principal_secret": "s"}, "AZCM0016", "service_principal_id", "service_principal_id is required with service_principal_secret"),
    ({"service_principal_id": "11111111-1111-1111-1111-111111111111", "service_principal_secret": "s"}, "AZCM0016", "tenant_id",
     "tenant_id is required with service_principal_id"),
], ids=["secret-and-cert", "token-and-id", "secret-without-id", "id-without-tenant"])
def test_declarative_auth_rules_name_the_option(stub, args, code, option, words):
    client = make(_client.AgentModuleClient, dict(args, executable=stub.executable), auth=True)
    with pytest.raises(_outcome.ModuleFailure) as info:
        client.require_auth(state="Disconnected")
    failure = info.value
    assert failure.outcome["azcm_code"] == code and failure.msg.startswith(code + ": ") and words in failure.msg
    assert failure.outcome["findings"][0]["details"] == {"option": option} and failure.outcome["state"] == "Disconnected"


def test_declarative_rules_of_ansible_name_the_option(capsys):
    with patch_module_args({"name": "web01", "subscription_id": "s"}):
        code, result = finish(capsys, lambda: _client.AzureModuleClient({"name": {"type": "str"}, "resource_group": {"type": "str"}},
                                                                        required_by={"name": ["resource_group"]}))
    assert code == 1 and "resource_group" in result["msg"] and "name" in result["msg"]


def test_secrets_of_no_log_options_are_registered(stub):
    client = make(_client.AgentModuleClient, {"executable": stub.executable, "access_token": "tok-abcdef"}, auth=True)
    assert client.runner.secrets == {"tok-abcdef"} and "tok-abcdef" in client.module.no_log_values


def test_azure_options_fall_back_to_the_awx_environment(monkeypatch):
    environ = {"AZURE_CLIENT_ID": "env-client", "AZURE_SECRET": "env-secret", "AZURE_TENANT": "env-tenant",
               "AZURE_SUBSCRIPTION_ID": "env-sub", "AZURE_CLOUD_ENVIRONMENT": "AzureUSGovernment"}
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    client = make(_client.AzureModuleClient, {"tenant_id": "explicit"})
    assert client.params["service_principal_id"] == "env-client" and client.params["service_principal_secret"] == "env-secret"
    assert client.params["tenant_id"] == "explicit" and client.require_subscription() == "env-sub"
    assert "env-secret" in client.module.no_log_values and "env-secret" in client.secret_values()
    assert client.arm.endpoints["authority_host"] == "https://login.microsoftonline.us"
    with_token = make(_client.AzureModuleClient, {"access_token": "tok"})
    assert with_token.arm.client_id is None and with_token.arm._client_secret is None, "a given token wins over the environment"
    monkeypatch.delenv("AZURE_SUBSCRIPTION_ID")
    with pytest.raises(_outcome.ModuleFailure) as info:
        make(_client.AzureModuleClient, {"lang": "nl"}).require_subscription()
    assert "AZURE_SUBSCRIPTION_ID" in info.value.msg and info.value.outcome["category"] == "input"


def test_executor_as_a_plain_function_or_constructor_argument(stub, monkeypatch):
    calls = []

    def plain(execution):
        calls.append(execution.argv[1:])
        return stub(execution)

    monkeypatch.setattr(_client.AgentModuleClient, "executor", plain)
    make(_client.AgentModuleClient, {"executable": stub.executable}).runner.show()
    given = make(_client.AgentModuleClient, {"executable": stub.executable}, executor=stub)
    given.runner.run(["version"], capture_log=False)
    assert calls == [["show", "-j"]] and stub.calls[-1] == ["version"]


def test_texts_of_outcomes_check_and_arm_have_both_languages_with_the_same_fields():
    import string
    from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import TEXTS
    mine = {key: entry for key, entry in TEXTS.items() if key.split(".")[0] in ("outcome", "check", "arm")}
    assert len(mine) >= 40
    for key, entry in mine.items():
        fields = {lang: sorted(part[1] for part in string.Formatter().parse(entry[lang]) if part[1]) for lang in ("en", "nl")}
        assert fields["en"] == fields["nl"], key
        assert entry["en"] != entry["nl"] or "{" in entry["en"], key
