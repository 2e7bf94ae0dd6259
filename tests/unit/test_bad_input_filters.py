# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Malformed results given to the filters (issue 10): never a success.

A result whose ``rc`` is not an integer, whose other keys have the wrong type, or nested junk is an
``AnsibleFilterError`` naming the key and the expected form; an input without any outcome (empty, random text, a dict
without rc) is a failure diagnosis. Before this, ``{"rc": "abc"}`` came back ``ok: true``.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ansible.errors import AnsibleFilterError

from ansible_collections.arcops.azcmagent.plugins.filter.azcm_diagnose import azcm_diagnose
from ansible_collections.arcops.azcmagent.plugins.filter.azcm_plan import azcm_plan
from ansible_collections.arcops.azcmagent.plugins.filter.azcm_remediation import azcm_remediation
from ansible_collections.arcops.azcmagent.plugins.module_utils._diagnosis import diagnose
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import text

from tests.counts import record

# (input, the key the error must name, words of the expected form)
ERRORS = [
    ({"rc": "abc"}, "rc", "integer exit status"),
    ({"rc": 1.5}, "rc", "integer exit status"),
    ({"rc": "1.5"}, "rc", "integer exit status"),
    ({"rc": True}, "rc", "integer exit status"),
    ({"rc": {"a": 1}}, "rc", "integer exit status"),
    ({"rc": [0]}, "rc", "integer exit status"),
    ({"rc": ""}, "rc", "integer exit status"),
    ({"rc": 0, "failed": "no"}, "failed", "boolean"),
    ({"rc": 1, "stdout": 5}, "stdout", "string"),
    ({"rc": 1, "stderr": {"nested": ["junk"]}}, "stderr", "string"),
    ({"rc": 1, "stdout_lines": "x"}, "stdout_lines", "list of strings"),
    ({"rc": 1, "stdout_lines": [1, 2]}, "stdout_lines", "string"),
    ({"rc": 1, "log_lines": [["nested"]]}, "log_lines", "string"),
    ({"rc": 1, "azcm_code": "junk"}, "azcm_code", "AZCM code"),
    ({"rc": 1, "azcm_code": 12345}, "azcm_code", "AZCM code"),
    ({"rc": 1, "findings": "junk"}, "findings", "list of dicts"),
    ({"rc": 1, "findings": [1, "x"]}, "findings", "list of dicts"),
    (5, "", "expected"),
    (1.5, "", "expected"),
    (None, "", "expected"),
    ([1], "item 0", "expected"),
    ([{"a": 1}], "item 0", "expected"),
]

# Inputs that hold no outcome at all: a failure diagnosis, category unknown, never ok.
NO_OUTCOME = ["", "   \n", "hello world", "random text\nover two lines\n", "\x00\x01\x02", "{\"rc\": \"abc\"}", {}, {"stdout": "whatever"},
              {"msg": "boom"}, {"rc": None}, {"rc": None, "msg": {"nested": [1]}}, {"changed": True}, [], ["a", "b"],
              {"stdout_lines": [], "stderr_lines": []}]


@pytest.mark.parametrize("data, key, words", ERRORS, ids=[repr(c[0])[:40] for c in ERRORS])
def test_malformed_result_is_a_filter_error_naming_the_key(data, key, words):
    for filter_ in (azcm_diagnose, azcm_remediation):
        if filter_ is azcm_remediation and isinstance(data, (int, float)) and not isinstance(data, bool):
            continue  # a number is a code for azcm_remediation (its own error names the accepted forms)
        with pytest.raises(AnsibleFilterError) as info:
            filter_(data)
        message = str(info.value)
        assert key in message and words in message, message


@pytest.mark.parametrize("data", NO_OUTCOME, ids=[repr(c)[:40] for c in NO_OUTCOME])
def test_input_without_outcome_is_a_failure_never_a_success(data):
    diagnosis = azcm_diagnose(data)
    assert diagnosis["ok"] is False
    assert diagnosis["category"] == "unknown" and diagnosis["action"] == "report" and diagnosis["actions"] == ["report"]
    assert diagnosis["cause"] == text("input.no_outcome", "en")
    assert azcm_remediation(data) == text("input.no_outcome_remediation", "en")
    assert azcm_diagnose(data, lang="nl")["cause"] == text("input.no_outcome", "nl")
    steps = azcm_plan(diagnosis)
    assert [step["action"] for step in steps] == ["report"]


@pytest.mark.parametrize("diagnosis, words", [
    ({"ok": "abc", "actions": []}, "'ok' must be a boolean"),
    ({"ok": 1, "actions": ["none"]}, "'ok' must be a boolean"),
    ({"rc": "abc"}, "expects a diagnosis"),
    ({"rc": 0, "failed": False}, "expects a diagnosis"),
    ({"ok": False, "actions": "retry"}, "'actions' must be a list"),
])
def test_plan_refuses_a_malformed_diagnosis(diagnosis, words):
    with pytest.raises(AnsibleFilterError, match=words):
        azcm_plan(diagnosis)


def test_real_results_keep_their_meaning():
    assert azcm_diagnose({"rc": 0, "stdout": "", "stderr": ""})["ok"] is True
    assert azcm_diagnose({"rc": "0"})["ok"] is True
    assert azcm_diagnose({"rc": " 42 ", "stdout": ""})["azcm_code"] == "AZCM0042"
    assert azcm_diagnose({"failed": False, "changed": True, "rc": None})["ok"] is True
    assert azcm_diagnose("INFO    Connected machine to Azure")["ok"] is True
    assert azcm_diagnose({"rc": 1, "failed": True, "msg": "boom"})["ok"] is False


_JUNK_RC = st.one_of(
    st.text(max_size=20).filter(lambda s: not s.strip().lstrip("+-").isdigit() or not s.strip().lstrip("+-").isascii()),
    st.floats(allow_nan=True), st.booleans(), st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(rc=_JUNK_RC, stdout=st.text(max_size=200), failed=st.sampled_from([None, True, False]))
def test_junk_rc_is_never_a_success(rc, stdout, failed):
    try:
        result = diagnose({"rc": rc, "stdout": stdout, "failed": failed})
    except ValueError as error:
        assert "rc" in str(error)
        return
    raise AssertionError(f"rc={rc!r} was accepted: {result['ok']}")


def test_counts():
    record("bad_input", {"filter_cases": len(ERRORS) * 2 + len(NO_OUTCOME) * 4 + 5 + 300})
