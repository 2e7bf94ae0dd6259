# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The private filters of the reconcile role and the extension checks (thin wrappers over _reconcile)."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.arcops.azcmagent.plugins.filter import _azcm_extension_gate as gate_plugin
from ansible_collections.arcops.azcmagent.plugins.filter import _azcm_reconcile as reconcile_plugin
from ansible_collections.arcops.azcmagent.plugins.filter import _azcm_reconcile_report as report_plugin
from ansible_collections.arcops.azcmagent.plugins.module_utils import _reconcile

PLUGINS = {"_azcm_reconcile": reconcile_plugin, "_azcm_reconcile_report": report_plugin, "_azcm_extension_gate": gate_plugin}


@pytest.mark.parametrize("name", sorted(PLUGINS))
def test_private_filter_is_documented_as_internal(name):
    module = PLUGINS[name]
    assert list(module.FilterModule().filters()) == [name]
    doc = yaml.safe_load(module.DOCUMENTATION)
    assert doc["name"] == name and doc["short_description"].startswith("[INTERNAL]")
    assert "internal tool" in doc["description"][0]
    yaml.safe_load(module.EXAMPLES)
    assert "_value" in yaml.safe_load(module.RETURN)


def test_reconcile_filter_documents_every_policy_key():
    doc = yaml.safe_load(reconcile_plugin.DOCUMENTATION)
    options = doc["options"]["policy"]["suboptions"]
    assert sorted(options) == sorted(_reconcile.RECONCILE_POLICY_SCHEMA)
    for key, spec in _reconcile.RECONCILE_POLICY_SCHEMA.items():
        assert (options[key]["type"], options[key]["default"]) == (spec.type, spec.default), key


def test_role_argument_spec_documents_every_policy_key():
    import os
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
    with open(os.path.join(root, "roles", "reconcile", "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)["argument_specs"]["main"]["options"]["azcmagent_reconcile_policy"]
    assert sorted(spec["options"]) == sorted(_reconcile.RECONCILE_POLICY_SCHEMA)
    for key, schema in _reconcile.RECONCILE_POLICY_SCHEMA.items():
        assert (spec["options"][key]["type"], spec["options"][key]["default"]) == (schema.type, schema.default), key


def test_the_filters_call_the_pure_functions():
    decision = reconcile_plugin.azcm_reconcile([], {"h": {"target": {}, "reachable": False}}, lang="nl")
    assert decision["rows"][0]["outcome"] == "missing" and decision["lines"][0].startswith("Afstemming")
    report = report_plugin.azcm_reconcile_report(decision)
    assert report["title"] == "Reconcile" and report["counts"]["failed"] == 0
    assert gate_plugin.azcm_extension_gate(None)["proceed"]
    assert not gate_plugin.azcm_extension_gate([{"name": "MDE.Linux"}])["proceed"]


@pytest.mark.parametrize("call, message", [
    (lambda: reconcile_plugin.azcm_reconcile("x", {}), "_azcm_reconcile: expected a list of machine summaries"),
    (lambda: reconcile_plugin.azcm_reconcile([], []), "_azcm_reconcile: option hosts expects a dict"),
    (lambda: reconcile_plugin.azcm_reconcile([], {}, policy={"nuke": True}), "unknown reconcile policy key 'nuke'"),
    (lambda: reconcile_plugin.azcm_reconcile([], {}, lang="fr"), "option lang expects 'en' or 'nl'"),
    (lambda: report_plugin.azcm_reconcile_report([]), "_azcm_reconcile_report: expected the decision"),
    (lambda: report_plugin.azcm_reconcile_report({}, deleted="x"), "option deleted expects a list"),
    (lambda: gate_plugin.azcm_extension_gate("x"), "_azcm_extension_gate: expected the list of the machine's extensions"),
    (lambda: gate_plugin.azcm_extension_gate([], remove="yes"), "option remove expects a boolean"),
])
def test_bad_input_names_the_argument(call, message):
    with pytest.raises(AnsibleFilterError, match=message):
        call()


def test_reconcile_role_defaults_match_its_argument_spec():
    import os
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
    with open(os.path.join(root, "roles", "reconcile", "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        options = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
    with open(os.path.join(root, "roles", "reconcile", "defaults", "main.yml"), encoding="utf-8") as handle:
        defaults = yaml.safe_load(handle)
    assert sorted(defaults) == sorted(options)
    for name, spec in options.items():
        assert name.startswith("azcmagent_") and defaults[name] == spec.get("default"), name
