# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_plan: the policy schema and the remediation plan (moved here from test_diagnosis.py)."""

from __future__ import annotations

import os
import random
import pytest
import yaml

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import DESTRUCTIVE_ACTIONS, lookup
from ansible_collections.arcops.azcmagent.plugins.module_utils._diagnosis import diagnose
from ansible_collections.arcops.azcmagent.plugins.filter import azcm_plan as azcm_plan_filter
from ansible_collections.arcops.azcmagent.plugins.module_utils._plan import (
    DEFAULT_POLICY,
    INTERNAL_POLICY_KEYS,
    POLICY_SCHEMA,
    PROVIDER_NAMESPACES,
    backoff_delay,
    plan,
    validate_policy,
)
from agent_samples import STALE, STALE_ID, NOT_REGISTERED, BAD_SECRET, PROXY_FORBIDDEN, THROTTLED, UNREACHABLE, console


# ---------------------------------------------------------------- plan

ALL_ON = {"reonboard": True, "delete_resource": True, "force_local_disconnect": True, "register_providers": True,
          "proxy_url": "http://127.0.0.1:3128", "jitter": False}


def _plan_for(code, fatal=None, policy=None):
    stdout = console(code, lookup(code)["title"], *([fatal] if fatal else []))
    return plan(diagnose({"rc": int(code[4:]), "stdout": stdout, "failed": True}), policy, rng=random.Random(1))


def actions_of(steps):
    return [s["action"] for s in steps]


@pytest.mark.parametrize("code, fatal, off, on", [
    ("AZCM0044", STALE, ["report"], ["delete_resource", "force_local_disconnect", "retry"]),
    ("AZCM0043", None, ["report"], ["force_local_disconnect"]),
    ("AZCM0067", None, ["report"], ["reonboard"]),
    ("AZCM0042", NOT_REGISTERED, ["report"], ["register_providers", "retry"]),
    ("AZCM0026", PROXY_FORBIDDEN, ["check_network"], ["check_network", "set_proxy", "retry"]),
    ("AZCM0026", UNREACHABLE, ["check_network", "retry"], ["check_network", "set_proxy", "retry"]),
    ("AZCM0064", None, ["restart_services", "retry"], ["restart_services", "retry"]),
    ("AZCM0018", None, ["escalate"], ["escalate"]),
    ("AZCM0041", BAD_SECRET, ["report"], ["report"]),
    ("AZCM0042", THROTTLED, ["retry"], ["retry"]),
], ids=["0044", "0043", "0067", "providers", "proxy", "unreachable", "restart", "escalate", "credentials", "throttled"])
def test_plan_policy_off_and_on(code, fatal, off, on):
    default_steps = _plan_for(code, fatal)
    assert actions_of(default_steps) == off
    steps = _plan_for(code, fatal, ALL_ON)
    assert actions_of(steps) == on
    for step in default_steps + steps:
        assert set(step) == {"action", "reason", "code", "destructive", "reconnect", "args"}
        assert step["destructive"] == (step["action"] in DESTRUCTIVE_ACTIONS)
        assert step["code"] == code
    assert not any(s["destructive"] for s in default_steps)


def test_delete_resource_carries_the_named_resource_as_a_hint_only():
    [delete] = [s for s in _plan_for("AZCM0044", STALE, ALL_ON) if s["action"] == "delete_resource"]
    # the remediate role finds the resource in Resource Manager (_conflict.decide); the agent's text is a hint
    assert delete["args"] == {"conflict": "stale", "hint_resource_id": STALE_ID}
    assert delete["destructive"] and delete["reconnect"]


@pytest.mark.parametrize("code, kind", [("AZCM0044", "stale"), ("AZCM0062", "partial"), ("AZCM0081", "partial")])
def test_delete_resource_without_a_named_resource_is_still_planned(code, kind):
    # no resource ID in the agent's output: the plan no longer stops at report (issue 9, item 7)
    steps = _plan_for(code, None, ALL_ON)
    assert actions_of(steps) == ["delete_resource", "force_local_disconnect", "retry"]
    assert steps[0]["args"] == {"conflict": kind, "hint_resource_id": ""}
    assert "resource_id" not in steps[0]["args"] and "resource_name" not in steps[0]["args"]


@pytest.mark.parametrize("fatal", [STALE, None], ids=["named", "unnamed"])
def test_blocked_delete_resource_report_still_names_the_conflict(fatal):
    [report] = _plan_for("AZCM0044", fatal)
    assert report["action"] == "report" and not report["destructive"] and not report["reconnect"]
    assert report["args"]["blocked_action"] == "delete_resource"
    assert report["args"]["conflict"] == "stale"
    assert report["args"]["hint_resource_id"] == (STALE_ID if fatal else "")


def test_blocked_destructive_step_reports_remediation():
    steps = _plan_for("AZCM0044")
    assert steps[0]["args"]["blocked_action"] == "delete_resource"
    assert steps[0]["args"]["policy_key"] == "delete_resource"
    assert steps[0]["args"]["remediation"] == lookup("AZCM0044")["remediation"]


def test_register_providers_namespaces():
    steps = _plan_for("AZCM0042", "The subscription is not registered to use namespace 'Microsoft.AzureArcData'", ALL_ON)
    assert steps[0]["args"]["namespaces"] == ["Microsoft.AzureArcData"] + list(PROVIDER_NAMESPACES)


def test_check_network_endpoints():
    steps = _plan_for("AZCM0026", PROXY_FORBIDDEN)
    assert steps[0]["args"]["endpoints"] == ["login.microsoftonline.com"]


def test_credentials_never_retry_even_when_allowed():
    steps = _plan_for("AZCM0041", BAD_SECRET, dict(ALL_ON, retry=True, max_attempts=10))
    assert "retry" not in actions_of(steps)


def test_retry_backoff_is_exponential_and_bounded():
    delays = [_plan_for("AZCM0026", UNREACHABLE, {"jitter": False, "attempt": n, "max_attempts": 10})[-1]["args"]["delay"] for n in range(1, 9)]
    assert delays == [2, 4, 8, 16, 32, 60, 60, 60]


def test_retry_jitter_within_half_the_delay():
    policy = validate_policy({"attempt": 3, "max_attempts": 10})
    values = set(backoff_delay(policy, rng=random.Random(seed)) for seed in range(50))
    assert min(values) >= 8 and max(values) <= 12 and len(values) > 1


def test_throttling_waits_retry_after():
    steps = _plan_for("AZCM0042", THROTTLED)
    assert steps[-1]["action"] == "retry"
    assert steps[-1]["args"]["delay"] >= 45
    assert steps[-1]["args"]["attempt"] == 2


def test_retry_budget_spent():
    steps = _plan_for("AZCM0026", UNREACHABLE, {"attempt": 3, "max_attempts": 3})
    assert actions_of(steps) == ["check_network", "report"]
    assert "attempt 3 of 3" in steps[-1]["reason"]
    steps = _plan_for("AZCM0018", None, {"attempt": 3})
    assert actions_of(steps) == ["report"]


def test_retry_disabled_by_policy():
    assert actions_of(_plan_for("AZCM0026", UNREACHABLE, {"retry": False})) == ["check_network"]


def test_restart_services_disabled_reports():
    steps = _plan_for("AZCM0064", None, {"restart_services": False})
    assert actions_of(steps) == ["report"]
    assert steps[0]["args"]["policy_key"] == "restart_services"


def test_plan_dutch_report():
    diagnosis = diagnose(console("AZCM0044", "Resource Already Exists"), lang="nl")
    steps = plan(diagnosis, lang="nl")
    assert "Het beleid staat delete_resource niet toe" in steps[0]["reason"]


@pytest.mark.parametrize("policy, message", [
    ({"retries": 3}, "unknown policy key 'retries'"),
    ({"max_attempts": "3"}, "'max_attempts' must be an integer"),
    ({"max_attempts": 0}, "'max_attempts' must be an integer >= 1"),
    ({"attempt": True}, "'attempt' must be an integer"),
    ({"reonboard": "yes"}, "'reonboard' must be a boolean"),
    ({"backoff_base": -1}, "'backoff_base' must be a number >= 0"),
    ({"proxy_url": 3128}, "'proxy_url' must be a string"),
    (["retry"], "policy must be a dict"),
], ids=["unknown", "str-int", "zero", "bool-int", "str-bool", "negative", "int-str", "list"])
def test_policy_validation(policy, message):
    with pytest.raises(ValueError, match=message):
        plan(diagnose("AZCM0026"), policy)


def test_default_policy_matches_contract():
    assert validate_policy(None) == DEFAULT_POLICY
    assert DEFAULT_POLICY["max_attempts"] == 3 and DEFAULT_POLICY["attempt"] == 1
    assert not any(DEFAULT_POLICY[key] for key in DESTRUCTIVE_ACTIONS)


@pytest.mark.parametrize("bad", ["text", {"azcm_code": "AZCM0044"}, None], ids=["str", "dict", "none"])
def test_plan_needs_a_diagnosis(bad):
    with pytest.raises(ValueError, match="expects a diagnosis"):
        plan(bad)


@pytest.mark.parametrize("policy, expected", [
    ({}, ["report"]),
    ({"proxy_url": "http://proxy.example:3128", "jitter": False}, ["set_proxy", "retry"]),
    ({"proxy_url": "http://proxy.example:3128", "set_proxy": False}, ["report"]),
], ids=["no-proxy-url", "allowed", "disabled"])
def test_plan_set_proxy_action(policy, expected):
    diagnosis = dict(diagnose("AZCM0026"), actions=["set_proxy"], category="proxy")
    steps = plan(diagnosis, policy)
    assert actions_of(steps) == expected
    if expected[0] == "set_proxy":
        assert steps[0]["args"] == {"proxy_url": "http://proxy.example:3128"}
    else:
        assert steps[0]["args"]["blocked_action"] == "set_proxy"


# ---------------------------------------------------------------- reconnect

@pytest.mark.parametrize("code, fatal, policy, expected", [
    ("AZCM0044", STALE, ALL_ON, {"delete_resource": True, "force_local_disconnect": True, "retry": True}),
    ("AZCM0043", None, ALL_ON, {"force_local_disconnect": True}),
    ("AZCM0067", None, ALL_ON, {"reonboard": True}),
    ("AZCM0042", NOT_REGISTERED, ALL_ON, {"register_providers": True, "retry": True}),
    ("AZCM0026", PROXY_FORBIDDEN, ALL_ON, {"check_network": False, "set_proxy": True, "retry": True}),
    ("AZCM0026", UNREACHABLE, None, {"check_network": False, "retry": True}),
    ("AZCM0064", None, None, {"restart_services": True, "retry": True}),
    ("AZCM0018", None, None, {"escalate": True}),
    ("AZCM0041", BAD_SECRET, ALL_ON, {"report": False}),
    ("AZCM0044", STALE, None, {"report": False}),
], ids=["0044", "0043", "0067", "providers", "proxy", "unreachable", "restart", "escalate", "credentials", "blocked"])
def test_each_step_says_whether_to_connect_again(code, fatal, policy, expected):
    steps = _plan_for(code, fatal, policy)
    assert {s["action"]: s["reconnect"] for s in steps} == expected


@pytest.mark.parametrize("code, fatal", [("AZCM0043", None), ("AZCM0067", None), ("AZCM0064", None), ("AZCM0044", STALE)],
                         ids=["0043", "0067", "restart", "0044"])
def test_no_reconnect_when_the_budget_is_spent(code, fatal):
    steps = _plan_for(code, fatal, dict(ALL_ON, attempt=3, max_attempts=3))
    assert [s["action"] for s in steps if s["reconnect"]] == []
    assert any(s["action"] not in ("report", "none") for s in steps), "the fix itself is still planned"


def test_success_plan_does_not_reconnect():
    [step] = plan(diagnose({"rc": 0, "stdout": "INFO    Connected machine to Azure"}))
    assert (step["action"], step["reconnect"]) == ("none", False)


# ---------------------------------------------------------------- one home for the policy schema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
POLICY_ROLES = ("onboard", "remediate")


def _role_file(role, *parts):
    return os.path.join(ROOT, "roles", role, *parts)


def test_default_policy_comes_from_the_schema():
    assert DEFAULT_POLICY == {key: spec.default for key, spec in POLICY_SCHEMA.items()}
    assert INTERNAL_POLICY_KEYS <= set(POLICY_SCHEMA)
    for key, spec in POLICY_SCHEMA.items():
        assert spec.type in ("bool", "int", "float", "str"), key
        assert validate_policy({key: spec.default})[key] == spec.default


@pytest.mark.parametrize("role", POLICY_ROLES)
def test_role_argument_spec_policy_matches_the_schema(role):
    with open(_role_file(role, "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)["argument_specs"]["main"]["options"]["azcmagent_policy"]
    options = spec["options"]
    user_keys = {key: value for key, value in POLICY_SCHEMA.items() if key not in INTERNAL_POLICY_KEYS}
    assert sorted(options) == sorted(user_keys), "policy keys of %s disagree with _plan.POLICY_SCHEMA" % role
    for key, schema in user_keys.items():
        assert options[key]["type"] == schema.type, key
        assert "default" in options[key], "%s: policy key %s documents no default" % (role, key)
        assert options[key]["default"] == schema.default and type(options[key]["default"]) is type(schema.default), key
    assert spec["default"] == {}


@pytest.mark.parametrize("role", POLICY_ROLES)
def test_role_defaults_policy_matches_the_schema(role):
    with open(_role_file(role, "defaults", "main.yml"), encoding="utf-8") as handle:
        policy = yaml.safe_load(handle)["azcmagent_policy"]
    # the role default may leave keys out (they keep the schema's default) but may not contradict the schema
    assert validate_policy(policy) == DEFAULT_POLICY, role


def test_filter_documentation_policy_matches_the_schema():
    documentation = yaml.safe_load(azcm_plan_filter.DOCUMENTATION)
    options = documentation["options"]["policy"]["suboptions"]
    assert sorted(options) == sorted(POLICY_SCHEMA)
    for key, schema in POLICY_SCHEMA.items():
        assert (options[key]["type"], options[key]["default"]) == (schema.type, schema.default), key
