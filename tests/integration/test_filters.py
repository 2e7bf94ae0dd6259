# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run the filters inside ansible-playbook (collection loaded from build/dev) and check the outcome."""

from __future__ import annotations

import os

import pytest

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "filters")

pytestmark = pytest.mark.slow


def test_filters_in_a_playbook(run_playbook):
    result = run_playbook(os.path.join(HERE, "filters.yml"))
    assert result.rc == 0, result.stdout + result.stderr
    facts = result.facts["localhost"]
    assert facts["filter_diagnosis"]["azcm_code"] == "AZCM0042"
    assert facts["filter_codes"] == ["AZCM0042"]
    assert [step["action"] for step in facts["filter_plan_allowed"]] == ["register_providers", "retry"]
    assert facts["filter_plan_allowed"][0]["args"]["namespaces"][0] == "Microsoft.HybridCompute"
    assert facts["filter_diagnosis_nl"]["summary"].startswith("AZCM0042 (")


def test_bad_input_fails_with_the_filter_message(run_playbook):
    result = run_playbook(os.path.join(HERE, "bad_input.yml"))
    assert result.rc != 0
    output = result.stdout + result.stderr
    assert "azcm_info: 'hello' is not an AZCM code" in output
    assert "not reached" not in output


def test_bad_policy_names_the_key(run_playbook):
    result = run_playbook(os.path.join(HERE, "bad_policy.yml"))
    assert result.rc != 0
    output = result.stdout + result.stderr
    assert "azcm_plan: unknown policy key 'delete_resources'" in output
