# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The private filters that build results and summaries for the roles and playbooks (thin wrappers over _results)."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from tests.unit.compat import tagged

from ansible_collections.arcops.azcmagent.plugins.filter import _azcm_fleet_summary as summary_plugin
from ansible_collections.arcops.azcmagent.plugins.filter import _azcm_remediation_result as remediation_plugin
from ansible_collections.arcops.azcmagent.plugins.filter import _azcm_result as result_plugin
from ansible_collections.arcops.azcmagent.plugins.module_utils import _results

PLUGINS = {"_azcm_result": result_plugin, "_azcm_fleet_summary": summary_plugin, "_azcm_remediation_result": remediation_plugin}


@pytest.mark.parametrize("name", sorted(PLUGINS))
def test_private_filter_is_documented_as_internal(name):
    module = PLUGINS[name]
    assert list(module.FilterModule().filters()) == [name]
    doc = yaml.safe_load(module.DOCUMENTATION)
    assert doc["name"] == name and name.startswith("_")
    assert doc["short_description"].startswith("[INTERNAL]")
    assert "internal tool" in doc["description"][0]
    assert "_input" in doc["options"]
    yaml.safe_load(module.EXAMPLES)
    assert "_value" in yaml.safe_load(module.RETURN)


DIAGNOSIS_FACTS = {"host": "h", "info": {"status": "Disconnected", "connected": False}, "check": {"ok": True}, "logs": ""}


def test_result_filter_calls_the_builder_of_its_kind():
    result = result_plugin.azcm_result(tagged(DIAGNOSIS_FACTS), tagged("diagnose"), lang=tagged("nl-NL"))
    assert result == _results.diagnose_result(lang="nl", **DIAGNOSIS_FACTS)


@pytest.mark.parametrize("facts, kind, lang, message", [
    ("text", "diagnose", "en", "_azcm_result: expected a dict of facts, got str 'text'"),
    (DIAGNOSIS_FACTS, "install", "en", "_azcm_result: option kind expects one of onboard, offboard, remediate, diagnose, upgrade, forecast, got str 'install'"),
    (DIAGNOSIS_FACTS, "diagnose", "fr", "_azcm_result: option lang expects 'en' or 'nl'"),
    (dict(DIAGNOSIS_FACTS, colour="red"), "diagnose", "en", "_azcm_result: .*unexpected keyword argument 'colour'"),
    ({"host": "h"}, "offboard", "en", "_azcm_result: .*missing .*required keyword-only argument"),
], ids=["not-a-dict", "bad-kind", "bad-lang", "unknown-fact", "missing-fact"])
def test_result_filter_errors(facts, kind, lang, message):
    with pytest.raises(AnsibleFilterError, match=message):
        result_plugin.azcm_result(facts, kind, lang=lang)


def test_remediation_result_filter():
    steps = [{"action": "escalate", "done": True, "ok": True, "reconnect": True}]
    result = remediation_plugin.azcm_remediation_result(tagged(steps), tagged({"skipped": True}))
    assert (result["escalated"], result["reconnect"], result["verified"]) == (True, True, False)
    assert remediation_plugin.azcm_remediation_result([]) == _results.remediation_result(steps=[])
    with pytest.raises(AnsibleFilterError, match="expected the list of recorded steps"):
        remediation_plugin.azcm_remediation_result({"action": "retry"})
    with pytest.raises(AnsibleFilterError, match="option verify expects a dict"):
        remediation_plugin.azcm_remediation_result([], "x")


def test_fleet_summary_filter():
    results = tagged({"h2": None, "h1": {"ok": True, "state": "Connected"}})
    summary = summary_plugin.azcm_fleet_summary(results, tagged("onboard"), check_mode=True, lang="nl")
    assert summary["title"] == "Verbinden" and summary["check_mode"] is True
    assert [row["host"] for row in summary["hosts"]] == ["h1", "h2"]
    assert summary_plugin.azcm_fleet_summary({}, "My run")["title"] == "My run"
    assert summary_plugin.azcm_fleet_summary({})["lines"] == ["Azure Arc: 0 hosts, 0 connected, 0 changed, 0 repaired, 0 failed."]
    with pytest.raises(AnsibleFilterError, match="expected a dict of host name to azcmagent_result"):
        summary_plugin.azcm_fleet_summary(["h1"])
    with pytest.raises(AnsibleFilterError, match="option kind expects a string"):
        summary_plugin.azcm_fleet_summary({}, 3)
