# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import ast
import os

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from tests.unit.compat import tagged

from ansible_collections.arcops.azcmagent.plugins.filter import azcm_codes as codes_plugin
from ansible_collections.arcops.azcmagent.plugins.filter import azcm_diagnose as diagnose_plugin
from ansible_collections.arcops.azcmagent.plugins.filter import azcm_info as info_plugin
from ansible_collections.arcops.azcmagent.plugins.filter import azcm_plan as plan_plugin
from ansible_collections.arcops.azcmagent.plugins.filter import azcm_remediation as remediation_plugin
from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import lookup

azcm_codes = codes_plugin.azcm_codes
azcm_diagnose = diagnose_plugin.azcm_diagnose
azcm_info = info_plugin.azcm_info
azcm_plan = plan_plugin.azcm_plan
azcm_remediation = remediation_plugin.azcm_remediation

PLUGINS = {"azcm_codes": codes_plugin, "azcm_info": info_plugin, "azcm_diagnose": diagnose_plugin, "azcm_remediation": remediation_plugin,
           "azcm_plan": plan_plugin}

CONSOLE = ("INFO    Exit Code:  AZCM0042: Failed to Create Resource\n"
           "INFO    For troubleshooting, see https://aka.ms/arc/azcmerror\n"
           "FATAL   The subscription is not registered to use namespace 'Microsoft.HybridCompute'\n")


@pytest.mark.parametrize("name", sorted(PLUGINS))
def test_filter_module_exposes_only_its_filter(name):
    assert list(PLUGINS[name].FilterModule().filters()) == [name]


@pytest.mark.parametrize("name", sorted(PLUGINS))
def test_documentation_is_valid_yaml_with_seealso(name):
    module = PLUGINS[name]
    doc = yaml.safe_load(module.DOCUMENTATION)
    assert doc["name"] == name
    assert "_input" in doc["options"]
    targets = [entry.get("plugin") or entry.get("module") for entry in doc["seealso"]]
    assert "arcops.azcmagent.connect" in targets
    assert any(t.startswith("arcops.azcmagent.azcm_") for t in targets if t)
    assert yaml.safe_load(module.EXAMPLES)
    assert "_value" in yaml.safe_load(module.RETURN)


@pytest.mark.parametrize("name", sorted(PLUGINS))
def test_documentation_is_inside_the_python_file(name):
    path = PLUGINS[name].__file__
    assert not os.path.exists(os.path.splitext(path)[0] + ".yml")
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    names = [target.id for node in tree.body if isinstance(node, ast.Assign) for target in node.targets if isinstance(target, ast.Name)]
    assert {"DOCUMENTATION", "EXAMPLES", "RETURN"} <= set(names)


# ---------------------------------------------------------------- azcm_codes

def test_codes_text_and_lines():
    assert azcm_codes("x AZCM0026 y AZCM0042 z AZCM0026") == ["AZCM0026", "AZCM0042"]
    assert azcm_codes(tagged(CONSOLE.splitlines())) == ["AZCM0042"]
    assert azcm_codes(tagged(CONSOLE)) == ["AZCM0042"]


def test_codes_result_includes_exit_status():
    assert azcm_codes(tagged({"rc": 44, "stdout": "", "stderr": ""})) == ["AZCM0044"]


@pytest.mark.parametrize("value, message", [
    (42, "azcm_codes: expected a text, a list of strings or a registered result (dict), got int 42"),
    (["ok", 3], "azcm_codes: expected a text, a list of strings or a registered result (dict), got a list whose item 1 is int 3"),
    (None, "got NoneType None"),
])
def test_codes_errors(value, message):
    with pytest.raises(AnsibleFilterError) as excinfo:
        azcm_codes(value)
    assert message in str(excinfo.value)


# ---------------------------------------------------------------- azcm_info

@pytest.mark.parametrize("value", ["AZCM0044", "azcm0044", "44", "0044", 44, " AZCM0044 "])
def test_info_forms(value):
    info = azcm_info(tagged(value) if isinstance(value, str) else value)
    assert info["code"] == "AZCM0044"
    assert {"code", "exit_code", "title", "cause", "remediation", "category", "retryable", "action", "legacy"} <= set(info)


def test_info_dutch():
    assert azcm_info("AZCM0044", lang=tagged("nl"))["cause"] == lookup("AZCM0044", "nl")["cause"]


@pytest.mark.parametrize("value, lang, message", [
    ("hello", "en", "azcm_info: 'hello' is not an AZCM code"),
    (True, "en", "azcm_info: expected an AZCM code ('AZCM0044', 'azcm0044', '0044', '44' or 44), got bool True"),
    ({"code": 44}, "en", "got dict"),
    (-1, "en", "out of range"),
    ("AZCM0044", "de", "azcm_info: option lang expects 'en' or 'nl', got str 'de'"),
])
def test_info_errors(value, lang, message):
    with pytest.raises(AnsibleFilterError) as excinfo:
        azcm_info(value, lang=lang)
    assert message in str(excinfo.value)


# ---------------------------------------------------------------- azcm_diagnose

def test_diagnose_tagged_result():
    diagnosis = azcm_diagnose(tagged({"rc": 42, "stdout": CONSOLE, "stderr": "", "failed": True}))
    assert diagnosis["azcm_code"] == "AZCM0042"
    assert diagnosis["action"] == "register_providers"


def test_diagnose_lang():
    assert "Registreer" in azcm_diagnose(CONSOLE, lang="nl")["summary"]


@pytest.mark.parametrize("value, message", [
    (3.5, "azcm_diagnose: expected a text, a list of strings or a registered result (dict), got float 3.5"),
    (["x", {"a": 1}], "got a list whose item 1 is dict {'a': 1}"),
    ({"stdout_lines": ["a", 5]}, "azcm_diagnose: stdout_lines item 1 is int (5), expected a string"),
])
def test_diagnose_errors(value, message):
    with pytest.raises(AnsibleFilterError) as excinfo:
        azcm_diagnose(value)
    assert message in str(excinfo.value)


# ---------------------------------------------------------------- azcm_remediation

def test_remediation_of_code_text_and_result():
    assert azcm_remediation("AZCM0044") == lookup("AZCM0044")["remediation"]
    assert azcm_remediation(44, lang="nl") == lookup("AZCM0044", "nl")["remediation"]
    assert "Register the resource providers" in azcm_remediation(tagged(CONSOLE))
    assert "Register the resource providers" in azcm_remediation({"rc": 42, "stdout": CONSOLE})
    assert azcm_remediation({"rc": 0, "stdout": "INFO    Connected machine to Azure"}) == azcm_diagnose({"rc": 0})["cause"]


@pytest.mark.parametrize("value, message", [
    (False, "azcm_remediation: expected an AZCM code, a text, a list of strings or a registered result (dict), got bool False"),
    (2.0, "got float 2.0"),
])
def test_remediation_errors(value, message):
    with pytest.raises(AnsibleFilterError) as excinfo:
        azcm_remediation(value)
    assert message in str(excinfo.value)


# ---------------------------------------------------------------- azcm_plan

def test_plan_with_policy():
    diagnosis = azcm_diagnose(CONSOLE)
    steps = azcm_plan(tagged(diagnosis), tagged({"register_providers": True}))
    assert [s["action"] for s in steps] == ["register_providers", "retry"]
    assert [s["action"] for s in azcm_plan(diagnosis)] == ["report"]


@pytest.mark.parametrize("diagnosis, policy, message", [
    ("AZCM0044", None, "azcm_plan: expected a diagnosis (the dict that azcm_diagnose returns), got str 'AZCM0044'"),
    ({"rc": 1}, None, "azcm_plan: plan() expects a diagnosis"),
    ("diag", None, "got str"),
    (None, None, "got NoneType"),
    ("ok", ["retry"], "got str"),
    ("DIAG", ["retry"], "azcm_plan: option policy expects a dict, got list ['retry']"),
    ("DIAG", {"retries": 1}, "azcm_plan: unknown policy key 'retries'"),
    ("DIAG", {"max_attempts": "5"}, "azcm_plan: policy key 'max_attempts' must be an integer >= 1, got str '5'"),
])
def test_plan_errors(diagnosis, policy, message):
    if diagnosis == "DIAG":
        diagnosis = azcm_diagnose(CONSOLE)
    with pytest.raises(AnsibleFilterError) as excinfo:
        azcm_plan(diagnosis, policy)
    assert message in str(excinfo.value)
