# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import ACTIONS, CATEGORIES, lookup
from ansible_collections.arcops.azcmagent.plugins.module_utils._diagnosis import diagnose
from ansible_collections.arcops.azcmagent.plugins.module_utils._plan import plan

SUB = str(uuid.uuid4())
KEYS = {"ok", "azcm_code", "azcm_codes", "exit_code", "title", "cause", "remediation", "category", "retryable", "action", "findings",
        "warnings", "actions", "summary", "unparsed", "resource_id"}


def console(code, title, *fatal):
    lines = ["INFO    Connecting machine to Azure... This might take a few minutes.",
             "INFO    Exit Code:  %s: %s" % (code, title),
             "INFO    For troubleshooting, see https://aka.ms/arc/azcmerror"]
    lines += ["FATAL   %s" % line for line in fatal]
    return "\n".join(lines) + "\n"


STALE_ID = "/subscriptions/%s/resourceGroups/arc-rg/providers/Microsoft.HybridCompute/machines/web01" % uuid.uuid4()
STALE = ("A resource with the name 'web01' already exists in resource group 'arc-rg' for another machine (Resource ID=%s, "
         "VM Id=%s). Specify a different name with --resource-name or delete the existing resource in Azure." % (STALE_ID, uuid.uuid4()))
NOT_REGISTERED = "The subscription is not registered to use namespace 'Microsoft.HybridCompute'. Code: MissingSubscriptionRegistration"
BAD_SECRET = "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value."
PROXY_FORBIDDEN = "Post \"https://login.microsoftonline.com/%s/oauth2/v2.0/token\": Forbidden" % uuid.uuid4()
LOCKED = ("The scope '/subscriptions/%s/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/m1' cannot perform delete operation "
          "because following scope(s) are locked: '/subscriptions/%s/resourceGroups/rg'. Please remove the lock and try again." % (SUB, SUB))
THROTTLED = ("Number of 'write' requests for subscription '%s' actor '%s' exceeded. Please try again after '45' seconds after additional "
             "tokens are available. Code: SubscriptionRequestsThrottled httpStatusCode:429 " % (SUB, uuid.uuid4()))
UNREACHABLE = "dial tcp 20.190.1.1:443: connect: network is unreachable"


# ---------------------------------------------------------------- input forms

def test_text_input():
    diagnosis = diagnose(console("AZCM0044", "Resource Already Exists", "A resource with the same name already exists"))
    assert set(diagnosis) == KEYS
    assert diagnosis["ok"] is False
    assert diagnosis["azcm_code"] == "AZCM0044"
    assert diagnosis["exit_code"] == 44
    assert diagnosis["action"] == "delete_resource"
    assert diagnosis["category"] in CATEGORIES
    assert diagnosis["summary"].startswith("AZCM0044 (%s): " % lookup("AZCM0044")["title"])


def test_list_of_lines_input():
    lines = console("AZCM0026", "Network Error", UNREACHABLE).splitlines()
    diagnosis = diagnose(lines)
    assert diagnosis["azcm_code"] == "AZCM0026"
    assert diagnosis["findings"][0]["id"] == "network_unreachable"


def test_mixed_list_is_a_clear_error():
    with pytest.raises(TypeError, match=r"item 1 is int .*expected a string"):
        diagnose(["INFO    ok", 42])


@pytest.mark.parametrize("data", [42, None, 4.2, object()], ids=["int", "none", "float", "object"])
def test_other_types_are_a_clear_error(data):
    with pytest.raises(TypeError, match="expected a text, a list of strings or a registered result"):
        diagnose(data)


def test_module_result_input():
    result = {"changed": False, "failed": True, "rc": 41, "azcm_code": "AZCM0041", "azcm_codes": ["AZCM0041"],
              "stdout_lines": console("AZCM0041", "Failed to Obtain Access Token", BAD_SECRET).splitlines(), "stderr_lines": [],
              "log_lines": ['time="2024-01-01T00:00:00Z" level=fatal msg="%s"' % BAD_SECRET], "findings": []}
    diagnosis = diagnose(result)
    assert diagnosis["azcm_code"] == "AZCM0041"
    assert diagnosis["category"] == "credentials"
    assert diagnosis["action"] == "report"
    assert diagnosis["retryable"] is False
    assert "retry" not in diagnosis["actions"]


def test_module_msg_quoting_the_catalog_is_not_diagnosed_as_output():
    # The connect module's msg quotes AZCM0026's remediation, which mentions --private-link-scope;
    # only what the agent printed may produce findings.
    remediation = lookup("AZCM0026")["remediation"]
    result = {"failed": True, "rc": 26, "azcm_code": "AZCM0026", "msg": "AZCM0026: %s" % remediation,
              "stdout_lines": console("AZCM0026", "Network Error", UNREACHABLE).splitlines()}
    assert "Private Link Scope" in remediation
    ids = [finding["id"] for finding in diagnose(result)["findings"]]
    assert ids and "private_link_scope_required" not in ids
    assert ids == [finding["id"] for finding in diagnose(console("AZCM0026", "Network Error", UNREACHABLE))["findings"]]


def test_module_result_without_text_reuses_findings_in_language():
    english = diagnose(console("AZCM0026", "Network Error", PROXY_FORBIDDEN))
    result = {"failed": True, "rc": 26, "azcm_code": "AZCM0026", "findings": english["findings"]}
    dutch = diagnose(result, lang="nl")
    assert dutch["findings"][0]["id"] == "proxy_forbidden"
    assert dutch["findings"][0]["cause"] != english["findings"][0]["cause"]
    assert dutch["category"] == "proxy"


def test_command_result_rc_zero_is_ok():
    result = {"changed": True, "rc": 0, "stdout": "INFO    Connected machine to Azure", "stderr": "", "cmd": ["azcmagent", "connect"],
              "msg": "", "failed": False}
    diagnosis = diagnose(result)
    assert diagnosis["ok"] is True
    assert diagnosis["actions"] == ["none"]
    assert diagnosis["category"] == "success"
    assert plan(diagnosis) == [{"action": "none", "reason": diagnosis["summary"], "code": None, "destructive": False,
                                "reconnect": False, "args": {}}]


def test_command_result_with_stderr():
    result = {"rc": 26, "stdout": "", "stderr": console("AZCM0026", "Network Error", UNREACHABLE), "failed": True, "msg": "non-zero return code"}
    diagnosis = diagnose(result)
    assert diagnosis["azcm_code"] == "AZCM0026"
    assert diagnosis["actions"][:2] == ["check_network", "retry"]


def test_failed_result_with_only_msg():
    diagnosis = diagnose({"failed": True, "msg": "[Errno 2] No such file or directory: b'azcmagent'"})
    assert diagnosis["ok"] is False
    assert diagnosis["azcm_code"] is None
    assert diagnosis["category"] == "unknown"
    assert diagnosis["actions"] == ["report"]


def test_failed_result_msg_with_code():
    diagnosis = diagnose({"failed": True, "msg": "AZCM0041: The credentials supplied are invalid. Check the secret."})
    assert diagnosis["azcm_code"] == "AZCM0041"


# ---------------------------------------------------------------- primary code rules

def test_primary_is_last_exit_code_line():
    text = "INFO    Exit Code:  AZCM0062: Failed to Connect Machine\nFATAL   see AZCM0099\nINFO    Exit Code:  AZCM0044: Resource Already Exists\n" \
           "FATAL   earlier code AZCM0026 mentioned again"
    diagnosis = diagnose(text)
    assert diagnosis["azcm_code"] == "AZCM0044"
    assert diagnosis["azcm_codes"] == ["AZCM0062", "AZCM0099", "AZCM0044", "AZCM0026"]


def test_primary_is_last_code_seen_without_exit_line():
    diagnosis = diagnose("something AZCM0026 happened, then AZCM0042 too")
    assert diagnosis["azcm_code"] == "AZCM0042"


def test_primary_from_exit_status():
    diagnosis = diagnose({"rc": 42, "stdout": "", "stderr": "", "failed": True})
    assert diagnosis["azcm_code"] == "AZCM0042"
    assert diagnosis["azcm_codes"] == ["AZCM0042"]
    assert diagnosis["exit_code"] == 42


def test_exit_status_out_of_range_gives_no_code():
    diagnosis = diagnose({"rc": 143, "stdout": "", "stderr": "", "failed": True})
    assert diagnosis["azcm_code"] is None
    assert diagnosis["ok"] is False


def test_azcm0000_is_ok():
    diagnosis = diagnose("INFO    Exit Code:  AZCM0000: No Error")
    assert diagnosis["ok"] is True


def test_plain_text_with_findings_is_not_ok():
    diagnosis = diagnose("lookup gbl.his.arc.azure.com: no such host")
    assert diagnosis["ok"] is False
    assert diagnosis["category"] == "dns"
    assert diagnosis["summary"].startswith("The name gbl.his.arc.azure.com cannot be resolved")


# ---------------------------------------------------------------- refinements

@pytest.mark.parametrize("code, title, fatal, category, action, retryable", [
    ("AZCM0042", "Failed to Create Resource", NOT_REGISTERED, "providers", "register_providers", False),
    ("AZCM0041", "Failed to Obtain Access Token", BAD_SECRET, "credentials", "report", False),
    ("AZCM0026", "Network Error", PROXY_FORBIDDEN, "proxy", "check_network", False),
    ("AZCM0043", "Failed to Delete Resource", LOCKED, "permissions", "report", False),
    ("AZCM0042", "Failed to Create Resource", THROTTLED, "throttling", "retry", True),
    ("AZCM0026", "Network Error", UNREACHABLE, "network", "check_network", True),
], ids=["0042-registration", "0041-secret", "0026-proxy", "0043-locked", "0042-throttled", "0026-unreachable"])
def test_finding_refines_code(code, title, fatal, category, action, retryable):
    diagnosis = diagnose({"rc": int(code[4:]), "stdout": console(code, title, fatal), "failed": True})
    assert diagnosis["azcm_code"] == code
    assert (diagnosis["category"], diagnosis["action"], diagnosis["retryable"]) == (category, action, retryable)
    assert diagnosis["actions"][0] == action
    assert diagnosis["findings"]
    assert diagnosis["findings"][0]["cause"].rstrip(".") in diagnosis["summary"]


def test_scope_locked_never_force_disconnects():
    diagnosis = diagnose(console("AZCM0043", "Failed to Delete Resource", LOCKED))
    assert "force_local_disconnect" not in diagnosis["actions"]
    steps = plan(diagnosis, {"force_local_disconnect": True})
    assert [s["action"] for s in steps] == ["report"]
    assert "lock" in steps[0]["args"]["remediation"]


def test_specific_code_is_not_overridden_by_noise():
    diagnosis = diagnose(console("AZCM0044", "Resource Already Exists", UNREACHABLE))
    assert diagnosis["action"] == "delete_resource"
    assert diagnosis["category"] == "resource_conflict"


@pytest.mark.parametrize("code", ["AZCM0044", "AZCM0043", "AZCM0061", "AZCM0064", "AZCM0018", "AZCM0067", "AZCM0062", "AZCM0081", "AZCM0011"])
def test_catalog_action_without_findings(code):
    diagnosis = diagnose({"rc": int(code[4:]), "stdout": "", "failed": True})
    entry = lookup(code)
    assert diagnosis["action"] == (entry["action"] or "report")
    assert diagnosis["category"] == entry["category"]
    assert diagnosis["actions"][0] == diagnosis["action"]
    assert all(action in ACTIONS for action in diagnosis["actions"])


def test_0067_other_target_is_reonboard():
    diagnosis = diagnose({"rc": 67, "stdout": console("AZCM0067", "Machine Already Connected"), "failed": True})
    assert diagnosis["action"] == "reonboard"
    assert diagnosis["ok"] is False


@pytest.mark.parametrize("result", [
    {"rc": 67, "azcm_code": "AZCM0067", "same_target": True, "failed": True},
    {"rc": 0, "azcm_code": "AZCM0067", "changed": False, "failed": False},
], ids=["caller-says-same-target", "module-unchanged"])
def test_0067_same_target_is_ok(result):
    diagnosis = diagnose(result)
    assert diagnosis["ok"] is True
    assert diagnosis["actions"] == ["none"]
    assert diagnosis["azcm_code"] == "AZCM0067"


def test_dutch_summary():
    diagnosis = diagnose(console("AZCM0042", "Failed to Create Resource", NOT_REGISTERED), lang="nl")
    assert diagnosis["summary"].startswith("AZCM0042 (%s): " % lookup("AZCM0042", "nl")["title"])
    assert "Registreer de resourceproviders" in diagnosis["summary"]
    with pytest.raises(ValueError):
        diagnose("x", lang="fr")


# ---------------------------------------------------------------- robustness

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_diagnose_never_raises_on_text(text):
    diagnosis = diagnose(text)
    assert set(diagnosis) == KEYS
    plan(diagnosis)


@settings(max_examples=150, deadline=None)
@given(st.binary(), st.integers(min_value=-5, max_value=300))
def test_diagnose_never_raises_on_decoded_bytes(data, rc):
    diagnosis = diagnose({"stdout": data.decode("utf-8", errors="replace"), "rc": rc})
    assert diagnosis["ok"] is (rc == 0 and diagnosis["azcm_code"] in (None, "AZCM0000"))


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(["x", " ", "AZCM", "Exit Code:  ", "level=info "]))
def test_diagnose_one_megabyte_line(filler):
    text = filler * (1000000 // len(filler)) + " AZCM0044 " + UNREACHABLE
    diagnosis = diagnose(text)
    assert diagnosis["azcm_code"] == "AZCM0044"
