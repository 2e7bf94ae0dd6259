# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input, module side (issue 10): every option of all eight modules, from their real argument specs.

The table is generated from the argument spec each module hands to AnsibleModule (captured, not copied), so a new
option is covered by the cases of its type the day it is added. Each case runs the module in-process through its
client: it must fail with a message that names the option and says what was expected, and the agent must never run
(the stubbed executor records every invocation, ``show`` included) nor Resource Manager be contacted (the ArmClient
is never built).

Tag values with ``=``, ``,``, quotes and command syntax are not bad input: Azure allows them and the agent (1.50+)
reads backslash escapes. Those cases must run, and the agent must receive exactly one ``--tags`` argument that reads
back to the values given.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import pathlib
import sys

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _arm, _client

from tests.counts import record
from tests.unit.compat import patch_module_args

HERE = pathlib.Path(__file__).resolve().parent
MODULES_DIR = HERE.parent.parent / "plugins" / "modules"


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The modules' fake agent and in-process runner (tests/unit/plugins/modules/conftest.py), and the agent's reading of
# --tags (tests/unit/plugins/module_utils/test_validate.py).
_MODULES_CONFTEST = _load("_bad_input_modules_conftest", HERE / "plugins" / "modules" / "conftest.py")
_parse_rendered = _load("_bad_input_test_validate", HERE / "plugins" / "module_utils" / "test_validate.py")._parse_rendered

MODULES = ("connect", "disconnect", "info", "config", "check", "machine_resource", "machine_resource_info", "resource_provider",
           "machine_extension", "identity")
AZURE_MODULES = ("machine_resource", "machine_resource_info", "resource_provider", "machine_extension", "identity")
GUID = "0f0f0f0f-1111-2222-3333-444444444444"


class _Captured(Exception):
    pass


def _module(name):
    return importlib.import_module(f"ansible_collections.arcops.azcmagent.plugins.modules.{name}")


def capture_spec(name):
    """The merged argument spec the module's client hands to AnsibleModule."""
    seen = {}

    def fake(argument_spec, **_kwargs):
        seen["spec"] = argument_spec
        raise _Captured()

    original = _client.AnsibleModule
    _client.AnsibleModule = fake
    try:
        with patch_module_args({}):
            try:
                _module(name).main()
            except _Captured:
                pass
    finally:
        _client.AnsibleModule = original
    return seen["spec"]


SPECS = {name: capture_spec(name) for name in MODULES}

# Values that must be refused wherever a string goes, whatever the option means.
TEXT_CASES = {
    "dict": {"a": 1},
    "list": ["a", "b"],
    "blank": "   ",
    "overlong": "a" * 5000,
    "newline": "x\ny",
    "nul": "x\x00y",
    "semicolon": "x; reboot",
    "subshell": "$(reboot)",
    "backticks": "`reboot`",
    "pipe": "x | sh",
}
# (Distinctive contents: AnsibleModule masks every no_log value wherever it appears in the result, a bare "a" too.)
SECRET_CASES = {"dict": {"Q7secretQ7": 1}, "list": ["Q7secretQ7"], "overlong": "Q" * 40000, "newline": "Q7secret\nQ7",
                "nul": "Q7secret\x00Q7"}


def cases_for(module, option, spec):
    """(case id, value) pairs that must be refused for one option."""
    kind = spec.get("type", "str")
    argv = module not in AZURE_MODULES
    out = []
    if spec.get("choices"):
        out += [("not-a-choice", "bogus; reboot"), ("dict", {"a": 1}), ("newline", "x\n")]
    elif kind in ("str", "path"):
        out += list((SECRET_CASES if spec.get("no_log") else TEXT_CASES).items())
        if argv and not spec.get("no_log"):
            out.append(("leading-dash", "--help"))
        if spec.get("required") or (isinstance(spec.get("default"), str) and spec.get("default")):
            out.append(("empty", ""))
    elif kind == "int":
        out += [("text", "abc"), ("negative", -1), ("overlong", 10 ** 12), ("fraction", 1.5), ("bool", True)]
    elif kind == "float":
        out += [("text", "abc"), ("negative", -1.5), ("overlong", 10.0 ** 12), ("bool", True)]
    elif kind == "bool":
        out += [("text", "abc"), ("dict", {"a": 1})]
    elif kind == "list":
        out += [("item-newline", ["x\ny"]), ("item-overlong", ["a" * 5000]), ("item-subshell", ["$(reboot)"]),
                ("item-empty", [""])]
        if argv:
            out.append(("item-leading-dash", ["--help"]))
        if spec.get("elements") in ("str", "path"):
            out.append(("item-dict", [{"a": 1}]))
        else:
            out.append(("item-nested", [{"a": {"b": [1]}}]))
    elif kind == "dict":
        out += [("not-a-dict", "abc"), ("key-equals", {"a=b": "c"}), ("key-comma", {"a,b": "c"}), ("key-newline", {"a\nb": "c"}),
                ("value-newline", {"k": "x\ny"}), ("key-overlong", {"k" * 600: "v"}), ("value-overlong", {"k": "v" * 300}),
                ("nested", {"k": {"nested": [1]}}), ("too-many", {f"k{i}": "v" for i in range(51)})]
        if argv:
            out.append(("key-leading-dash", {"-k": "v"}))
    elif kind == "raw":
        out += [("dict", {"a": {"b": 1}}), ("newline", "x\ny"), ("subshell", "$(reboot)"), ("item-comma", ["a,b"])]
        if argv:
            out.append(("leading-dash", "--help"))
    return out


def table():
    rows = []
    for module in MODULES:
        for option, spec in sorted(SPECS[module].items()):
            for case, value in cases_for(module, option, spec):
                rows.append(pytest.param(module, option, case, value, id=f"{module}-{option}-{case}"))
    return rows


TABLE = table()


def base_args(module, agent):
    """Valid arguments of each module: only the option under test is wrong."""
    if module == "connect":
        return agent.connect_args()
    if module == "disconnect":
        return {"executable": agent.path, "tenant_id": agent.tenant, "service_principal_id": agent.app,
                "service_principal_secret": agent.secret}
    if module == "info":
        return {"executable": agent.path}
    if module == "config":
        return {"executable": agent.path, "name": "proxy.url", "value": "http://proxy.example:3128"}
    if module == "check":
        return {"executable": agent.path, "agent_check": "never", "endpoints": ["https://127.0.0.1:9"], "timeout": 1}
    common = {"subscription_id": GUID, "tenant_id": GUID, "access_token": "token-" + "x" * 20, "timeout": 1}
    if module == "machine_resource":
        return dict(common, resource_group="rg-arc", name="host01")
    if module == "machine_resource_info":
        return dict(common, resource_group="rg-arc")
    if module == "machine_extension":
        return dict(common, resource_group="rg-arc", machine_name="host01")
    if module == "identity":
        return dict(common, targets=[{"subscription_id": GUID, "resource_group": "rg-arc"}])
    return common


@pytest.fixture
def agent(tmp_path, monkeypatch):
    fake = _MODULES_CONFTEST.FakeAgent(str(tmp_path))
    monkeypatch.setattr(_client.AgentModuleClient, "executor", fake)
    return fake


@pytest.fixture
def run_module(capsys):
    def runner(module, args):
        with patch_module_args(dict(args, _ansible_check_mode=False, _ansible_diff=False)):
            with pytest.raises(SystemExit) as exit_info:
                module.main()
        result = json.loads(capsys.readouterr().out)
        return bool(result.get("failed")) or exit_info.value.code != 0, result
    return runner


@pytest.fixture
def arm_calls(monkeypatch):
    """Every ArmClient built (none may be: building it is the first step towards Resource Manager)."""
    calls = []
    original = _arm.ArmClient.__init__

    def recording(self, *args, **kwargs):
        calls.append(kwargs)
        raise RuntimeError("Resource Manager must not be contacted with bad input")

    monkeypatch.setattr(_arm.ArmClient, "__init__", recording)
    yield calls
    monkeypatch.setattr(_arm.ArmClient, "__init__", original)


# Words that tell the user the expected form: ours ("must", "expected") and AnsibleModule's.
FORM_WORDS = ("must", "expected", "one of", "unable to convert", "is required")
SYSLOG_REFUSAL = "Failed to log to syslog (embedded null character)"


@pytest.mark.parametrize("module, option, case, value", TABLE)
def test_bad_option_is_refused_before_anything_runs(agent, run_module, arm_calls, module, option, case, value):
    args = base_args(module, agent)
    args[option] = value
    failed, result = run_module(_module(module), args)
    assert failed, f"{module} accepted {option}={value!r}: {result}"
    msg = result["msg"]
    if case == "nul" and msg.startswith(SYSLOG_REFUSAL):
        # Python 3.12+: AnsibleModule itself refuses a NUL byte (its invocation log goes to syslog) before the module's
        # own checks run; what matters holds all the same: the module failed and nothing ran
        assert sys.version_info >= (3, 12), msg
    else:
        assert option in msg, msg
        assert any(word in msg for word in FORM_WORDS), msg
    assert agent.calls() == [], f"the agent ran with {option}={value!r}: {agent.calls()}"
    assert arm_calls == []
    if option in ("service_principal_secret", "access_token") and isinstance(value, str):
        assert value not in json.dumps(result)


def test_table_covers_every_option_of_every_module():
    covered = {(row.values[0], row.values[1]) for row in TABLE}
    every = {(module, option) for module in MODULES for option in SPECS[module]}
    assert every - covered == set()
    assert set(MODULES) == {path.stem for path in MODULES_DIR.glob("*.py")} and len(TABLE) > 400
    record("bad_input", {"module_cases": len(TABLE), "module_options": len(every)})


def test_subscription_help_never_reaches_the_agent(agent, run_module):
    """The issue's example: subscription_id '--help' reached the agent as `--subscription-id --help`."""
    failed, result = run_module(_module("connect"), agent.connect_args(subscription_id="--help"))
    assert failed and result["azcm_code"] == "AZCM0023"
    assert "subscription_id must not start with '-'" in result["msg"]
    assert result["findings"][0]["details"] == {"option": "subscription_id"}
    assert agent.calls() == []


@pytest.mark.parametrize("tags", [
    {"eq": "a=b", "comma": "a,b", "both": "x=1,y=2"},
    {"quote": "it's", "slash": "c:\\x", "blank": "two words"},
    {"syntax": "x; $(reboot) `id` | sh"},
], ids=["equals-comma", "quote-backslash", "command-syntax"])
def test_tag_values_with_separators_reach_the_agent_as_one_escaped_argument(agent, run_module, tags):
    failed, result = run_module(_module("connect"), agent.connect_args(tags=tags))
    assert not failed, result
    (argv,) = [c["argv"] for c in agent.calls() if c["argv"][0] == "connect"]
    rendered = argv[argv.index("--tags") + 1]
    assert _parse_rendered(rendered) == tags
    assert not any(arg.startswith("-") and arg not in rendered and "=" in arg for arg in argv)


def test_fake_agent_records_a_valid_run(agent, run_module):
    """The recorder the table relies on does see the agent run when the input is good."""
    failed, _result = run_module(_module("connect"), agent.connect_args())
    assert not failed and [c["argv"][0] for c in agent.calls()].count("connect") == 1
