# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_results: the per-host results, the remediate role's result and the fleet summary."""

from __future__ import annotations

import string

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import lookup
from ansible_collections.arcops.azcmagent.plugins.module_utils._diagnosis import diagnose
from ansible_collections.arcops.azcmagent.plugins.module_utils._plan import plan
from ansible_collections.arcops.azcmagent.plugins.module_utils._results import (
    diagnose_result,
    fleet_summary,
    offboard_result,
    onboard_result,
    remediate_result,
    remediation_result,
    stopped_services,
    summary_title,
    upgrade_result,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import TEXTS

COMMON_FIELDS = {"host", "ok", "state", "changed", "repaired", "code", "initial_code", "category", "cause", "remediation", "summary",
                 "message", "attempts", "actions"}


def _connect(attempt, ok, code=None, category="success", changed=False):
    return {"attempt": attempt, "action": "connect", "ok": ok, "changed": changed, "escalated": False, "code": code, "category": category,
            "state": "Connected" if ok else "Disconnected", "detail": "", "plan": []}


def _step(action, done=True, ok=True, changed=False, detail="", **extra):
    return dict({"attempt": 1, "action": action, "code": "AZCM0064", "destructive": False, "reconnect": False, "allowed": True,
                 "check_mode": False, "reason": "", "args": {}, "done": done, "ok": ok, "changed": changed, "detail": detail}, **extra)


# ---------------------------------------------------------------- texts

def _fields(template):
    return sorted(field for _literal, field, _spec, _conversion in string.Formatter().parse(template) if field)


@pytest.mark.parametrize("key", sorted(k for k in TEXTS if k.startswith(("results.", "plan."))))
def test_texts_are_in_both_languages_with_the_same_placeholders(key):
    entry = TEXTS[key]
    assert set(entry) == {"en", "nl"} and all(entry.values()), key
    assert _fields(entry["en"]) == _fields(entry["nl"]), key


# ---------------------------------------------------------------- onboard

def test_onboard_success_first_time():
    diagnosis = diagnose({"rc": 0, "stdout": "INFO    Connected machine to Azure", "changed": True})
    result = onboard_result(host="web01", failed=False, connect={"state": "Connected", "changed": True}, diagnosis=diagnosis, plan=[],
                            actions=[_connect(1, True, changed=True)], escalated=False, check_mode=False, preflight="")
    assert COMMON_FIELDS | {"escalated", "check_mode", "preflight"} == set(result)
    assert (result["ok"], result["state"], result["changed"], result["repaired"], result["code"], result["initial_code"]) == \
        (True, "Connected", True, False, None, None)
    assert (result["category"], result["cause"], result["remediation"], result["message"], result["attempts"]) == ("success", "", "", "", 1)


def test_onboard_repaired_after_a_fix():
    actions = [_connect(1, False, "AZCM0064", "agent_service"), _step("restart_services", changed=True), _step("retry"), _connect(2, True)]
    result = onboard_result(host="web01", failed=False, connect={"state": "Connected"}, diagnosis={"ok": True, "summary": "ok"}, plan=[],
                            actions=actions, escalated=False, check_mode=False)
    assert (result["ok"], result["repaired"], result["initial_code"], result["attempts"], result["changed"]) == (True, True, "AZCM0064", 2, True)
    assert result["summary"] == "ok"


def test_onboard_failure_names_code_cause_and_the_blocked_policy():
    diagnosis = diagnose({"rc": 44, "stdout": "INFO    Exit Code:  AZCM0044: Resource Already Exists\n", "failed": True})
    steps = plan(diagnosis)
    result = onboard_result(host="web01", failed=True, connect={"state": "Disconnected"}, diagnosis=diagnosis, plan=steps,
                            actions=[_connect(1, False, "AZCM0044", diagnosis["category"])], escalated=False, check_mode=False)
    assert (result["ok"], result["code"], result["category"]) == (False, "AZCM0044", diagnosis["category"])
    assert result["remediation"] == steps[0]["reason"] and "delete_resource" in result["remediation"]
    cause = diagnosis["cause"].rstrip(".")
    assert result["message"] == "web01: AZCM0044 (%s): %s. %s" % (diagnosis["category"], cause, result["remediation"])
    assert result["initial_code"] == "AZCM0044"


def test_onboard_failure_adds_the_network_check_and_the_failed_step():
    diagnosis = {"ok": False, "azcm_code": None, "category": None, "cause": "It failed.", "remediation": "Fix it.", "summary": "s"}
    actions = [_connect(1, False), _step("check_network", detail="login.microsoftonline.com is blocked."),
               _step("register_providers", ok=False, detail="Forbidden.")]
    result = onboard_result(host="h", failed=True, connect=None, diagnosis=diagnosis, plan=[], actions=actions, escalated=True,
                            check_mode=True)
    assert result["remediation"] == ("Fix it. login.microsoftonline.com is blocked. "
                                     "The automatic step register_providers failed: Forbidden.")
    assert result["message"] == "h: no AZCM code (unknown): It failed. " + result["remediation"]
    assert (result["category"], result["state"], result["escalated"], result["check_mode"]) == ("unknown", "", True, True)


def test_onboard_failed_step_without_detail_in_dutch():
    diagnosis = {"ok": False, "azcm_code": "AZCM0042", "category": "providers", "cause": "Oorzaak.", "remediation": "Doe iets."}
    actions = [_connect(1, False, "AZCM0042"), _step("register_providers", ok=False, detail="")]
    result = onboard_result(host="h", failed=True, connect={}, diagnosis=diagnosis, plan=[], actions=actions, escalated=False,
                            check_mode=False, lang="nl")
    assert result["remediation"] == "Doe iets. De automatische stap register_providers is mislukt: geen details."
    assert result["message"].startswith("h: AZCM0042 (providers): Oorzaak. Doe iets.")


# ---------------------------------------------------------------- offboard

def test_offboard_success_and_state_removed():
    result = offboard_result(host="h", failed=False, disconnect={"changed": True, "state": "Disconnected"}, diagnosis={"summary": "ok"},
                             force_local_only=False, remove_state=True, state_paths=["/x/azcmagent"],
                             state_removal={"changed": True, "results": [{"changed": True, "path": "/x/azcmagent"}, {"changed": False, "path": "/y"}]})
    assert COMMON_FIELDS | {"state_dirs_removed"} == set(result)
    assert (result["ok"], result["state"], result["changed"], result["category"], result["message"]) == (True, "Disconnected", True, "success", "")
    assert result["state_dirs_removed"] == ["/x/azcmagent"]
    assert result["actions"] == [{"action": "disconnect", "ok": True, "changed": True, "code": None}]


def test_offboard_failure():
    diagnosis = {"azcm_code": "AZCM0063", "category": "resource_conflict", "cause": "Locked.", "remediation": "Remove the lock.", "summary": "s"}
    result = offboard_result(host="h", failed=True, disconnect={"state": "Connected"}, diagnosis=diagnosis, force_local_only=True)
    assert (result["ok"], result["code"], result["initial_code"], result["category"]) == (False, "AZCM0063", "AZCM0063", "resource_conflict")
    assert result["message"] == "h: AZCM0063 (resource_conflict): Locked. Remove the lock."
    assert result["actions"][0]["action"] == "force_local_disconnect" and result["attempts"] == 1


@pytest.mark.parametrize("lang, words", [("en", "none reported"), ("nl", "geen gemeld")])
def test_offboard_refuses_to_guess_the_state_directory(lang, words):
    result = offboard_result(host="h", failed=False, disconnect={"state": "Disconnected"}, diagnosis={}, force_local_only=False,
                             remove_state=True, state_paths=[], log_file="", lang=lang)
    assert (result["ok"], result["category"]) == (False, "input")
    assert words in result["remediation"] and "azcmagent_state_dirs" in result["remediation"]
    assert result["message"] == "h: " + result["remediation"]


# ---------------------------------------------------------------- remediate playbook (connected hosts)

HEALTH_STOPPED = {"status": "Connected", "connected": True,
                  "services": [{"name": "himdsd", "status": "stopped"}, {"name": "arcproxyd", "status": "running"}]}


def test_remediate_healthy_host():
    result = remediate_result(host="h", health={"status": "Connected", "services": [{"name": "himdsd", "status": "running"}]},
                              remediation=None, check_mode=False)
    assert (result["ok"], result["summary"], result["code"], result["initial_code"], result["changed"]) == (True, "healthy", None, None, False)


def test_remediate_repaired_only_when_verified():
    fix = {"changed": True, "verified": True, "connected": True, "state": "Connected", "stopped_services": [],
           "steps": [_step("restart_services", changed=True)]}
    result = remediate_result(host="h", health=HEALTH_STOPPED, remediation=fix, check_mode=False)
    assert (result["ok"], result["repaired"], result["state"], result["summary"]) == (True, True, "Connected", "restarted himdsd")
    fix = dict(fix, stopped_services=["himdsd"], state="Connected")
    result = remediate_result(host="h", health=HEALTH_STOPPED, remediation=fix, check_mode=False)
    assert (result["ok"], result["repaired"], result["code"], result["summary"]) == (False, False, "AZCM0064", "not repaired: himdsd")
    assert result["remediation"].endswith("After the repair the agent is Connected and these services are still stopped: himdsd.")
    assert result["message"] == "h: AZCM0064 (agent_service): %s. %s" % (lookup("AZCM0064")["cause"].rstrip("."), result["remediation"])


def test_remediate_blocked_by_the_policy():
    blocked = _step("report", done=False, reason="The policy does not allow restart_services (policy key restart_services): x")
    result = remediate_result(host="h", health=HEALTH_STOPPED, remediation={"steps": [blocked]}, check_mode=False)
    assert (result["ok"], result["repaired"], result["category"]) == (False, False, "agent_service")
    assert result["remediation"] == blocked["reason"] and result["state"] == "Connected"


def test_remediate_check_mode_would_restart():
    steps = [_step("restart_services", done=False)]
    result = remediate_result(host="h", health=HEALTH_STOPPED, remediation={"steps": steps}, check_mode=True, lang="nl")
    assert (result["ok"], result["summary"], result["check_mode"]) == (True, "zou herstarten: himdsd", True)


def test_remediate_failed_step_is_named():
    steps = [_step("restart_services", ok=False, detail="no such service")]
    result = remediate_result(host="h", health=HEALTH_STOPPED, remediation={"steps": steps}, check_mode=False)
    assert result["remediation"] == lookup("AZCM0064")["remediation"] + " The step restart_services failed: no such service."


# ---------------------------------------------------------------- diagnose playbook

def test_diagnose_healthy():
    result = diagnose_result(host="h", info={"status": "Connected", "connected": True, "services": [], "version": "1.2"},
                             check={"ok": True, "summary": "all reachable", "findings": []}, logs="/r/logs/h.zip")
    assert COMMON_FIELDS | {"network_ok", "findings", "logs", "version", "support"} == set(result)
    assert (result["ok"], result["category"], result["message"], result["logs"], result["version"]) == (True, "success", "", "/r/logs/h.zip", "1.2")
    # agent 1.2 (November 2020) is long out of support: a finding, but the host is still healthy
    assert [f["id"] for f in result["findings"]] == ["agent_out_of_support"] and result["support"]["status"] == "out_of_support"


def test_diagnose_stopped_services():
    result = diagnose_result(host="h", info=HEALTH_STOPPED, check={"ok": True})
    assert (result["ok"], result["code"], result["category"]) == (False, "AZCM0064", "agent_service")
    assert result["cause"] == lookup("AZCM0064")["cause"]
    assert result["message"] == "h: AZCM0064: " + lookup("AZCM0064")["remediation"]


def test_diagnose_network_finding_wins():
    finding = {"category": "proxy", "cause": "The proxy refused.", "remediation": "Allow the endpoints."}
    result = diagnose_result(host="h", info={"status": "Connected", "connected": True}, check={"ok": False, "findings": [finding]})
    assert (result["ok"], result["category"], result["cause"], result["remediation"], result["network_ok"]) == \
        (False, "proxy", "The proxy refused.", "Allow the endpoints.", False)


@pytest.mark.parametrize("lang, cause, remedy", [
    ("en", "The agent is Disconnected", "Onboard it with the arcops.azcmagent.onboard playbook."),
    ("nl", "De agent is Disconnected", "Verbind de machine met het playbook arcops.azcmagent.onboard."),
])
def test_diagnose_not_connected(lang, cause, remedy):
    result = diagnose_result(host="h", info={"status": "Disconnected", "connected": False}, check=None, lang=lang)
    assert (result["code"], result["category"], result["cause"], result["remediation"]) == (None, "not_connected", cause, remedy)
    assert result["message"] == "h: Disconnected: " + remedy


def test_diagnose_error_code_of_the_agent():
    result = diagnose_result(host="h", info={"status": "Expired", "connected": False, "error_code": "AZCM0041 then azcm0042"}, check={})
    assert result["code"] == "AZCM0041" and result["remediation"] == lookup("AZCM0041")["remediation"]


# ---------------------------------------------------------------- the remediate role's result

def test_remediation_result_fields():
    verify = {"status": "Connected", "connected": True, "services": [{"name": "himdsd", "status": "dead"}]}
    result = remediation_result(steps=[_step("restart_services", changed=True)], verify=verify)
    assert result == {"ok": True, "changed": True, "state": "Connected", "verified": True, "connected": True, "stopped_services": ["himdsd"],
                      "steps": [_step("restart_services", changed=True)], "network_ok": True, "escalated": False, "reconnect": False}
    skipped = remediation_result(steps=[], verify={"skipped": True})
    assert (skipped["verified"], skipped["state"], skipped["connected"], skipped["reconnect"]) == (False, "", False, False)


@pytest.mark.parametrize("steps, reconnect", [
    ([_step("restart_services", reconnect=True), _step("retry", reconnect=True)], True),
    ([_step("force_local_disconnect", reconnect=True)], True),
    ([_step("reonboard", reconnect=True)], True),
    ([_step("force_local_disconnect", reconnect=False)], False),
    # check mode: nothing is done, only a planned retry or escalate connects again
    ([_step("force_local_disconnect", done=False, reconnect=True)], False),
    ([_step("retry", done=False, reconnect=True)], True),
    ([_step("escalate", done=False, reconnect=True)], True),
    # a failed step stops the plan
    ([_step("register_providers", ok=False, reconnect=True), _step("retry", done=False, reconnect=True)], False),
    # the endpoints are unreachable: a retry cannot help, unless the proxy was set
    ([_step("check_network", network_ok=False), _step("retry", reconnect=True)], False),
    ([_step("check_network", network_ok=True), _step("retry", reconnect=True)], True),
    ([_step("check_network", network_ok=False), _step("set_proxy", reconnect=True), _step("retry", reconnect=True)], True),
    ([_step("check_network", network_ok=False)], False),
], ids=["fix+retry", "force-local", "reonboard", "budget-spent", "check-mode-fix", "check-mode-retry", "check-mode-escalate",
        "step-failed", "unreachable", "reachable", "proxy-set", "check-only"])
def test_remediation_result_reconnect(steps, reconnect):
    assert remediation_result(steps=steps)["reconnect"] is reconnect


def test_remediation_result_escalated():
    assert remediation_result(steps=[_step("escalate", reconnect=True)])["escalated"] is True
    assert remediation_result(steps=[_step("escalate", done=False, reconnect=True)])["escalated"] is False


def test_stopped_services():
    services = [{"name": "himdsd", "status": s} for s in ("running", "stopped", "inactive", "failed", "dead", "unknown")] + ["junk"]
    assert stopped_services(services) == ["himdsd"] * 4
    assert stopped_services(None) == []
    # a service the agent does not use never counts (arcproxyd without the gateway, a foreign service)
    assert stopped_services([{"name": "arcproxyd", "status": "inactive"}, {"name": "a", "status": "stopped"}]) == []


# ---------------------------------------------------------------- fleet summary

def _result(host, ok=True, state="Connected", code=None, initial_code=None, category="success", remediation="", changed=False,
            repaired=False, attempts=1):
    return {"host": host, "ok": ok, "state": state, "code": code, "initial_code": initial_code, "category": category,
            "remediation": remediation, "changed": changed, "repaired": repaired, "attempts": attempts, "message": "m-" + host}


FLEET = {
    "h5": _result("h5", ok=False, state="Disconnected", code="AZCM0026", category="proxy", remediation="Open the proxy."),
    "h1": _result("h1", changed=True),
    "h2": _result("h2", changed=True, repaired=True, initial_code="AZCM0064", attempts=2),
    "h3": _result("h3", ok=False, state="Disconnected", code="AZCM0026", category="network", remediation="Open port 443."),
    "h4": _result("h4", ok=False, state="Disconnected", code="AZCM0026", category="network", remediation="Open port 443 on the firewall."),
    "h6": None,
    "h7": _result("h7", ok="True", state="", changed="false"),
}


def test_fleet_summary_counts_and_groups():
    summary = fleet_summary(results=FLEET, title="Onboarding", check_mode=False)
    assert set(summary) == {"title", "counts", "failures", "repairs", "by_state", "by_code", "out_of_support", "hosts", "lines", "check_mode"}
    assert summary["counts"] == {"hosts": 7, "connected": 2, "ok": 3, "changed": 2, "unchanged": 1, "repaired": 1, "failed": 4}
    assert [h["host"] for h in summary["hosts"]] == ["h1", "h2", "h3", "h4", "h5", "h6", "h7"]
    assert summary["hosts"][5] == {"host": "h6", "ok": False, "state": "NoResult", "changed": False, "repaired": False, "code": "", "initial_code": "",
                                   "category": "unknown", "attempts": 0, "message": "h6: no result",
                                   "remediation": "The host has no result: it was unreachable or failed before the role ended; "
                                                  "read its task output."}
    assert summary["hosts"][6]["state"] == "Unknown" and summary["hosts"][6]["ok"] is True and summary["hosts"][6]["changed"] is False
    assert [(g["code"], g["category"], g["hosts"]) for g in summary["failures"]] == [
        ("none", "unknown", ["h6"]), ("AZCM0026", "network", ["h3", "h4"]), ("AZCM0026", "proxy", ["h5"])]
    network = summary["failures"][1]
    assert network["remediations"] == [{"remediation": "Open port 443.", "hosts": ["h3"]},
                                       {"remediation": "Open port 443 on the firewall.", "hosts": ["h4"]}]
    assert network["remediation"] == "Open port 443. / Open port 443 on the firewall."
    assert summary["repairs"] == [{"code": "AZCM0064", "count": 1, "hosts": ["h2"]}]
    assert summary["by_state"] == [{"label": "Connected", "count": 2}, {"label": "Disconnected", "count": 3}, {"label": "NoResult", "count": 1},
                                   {"label": "Unknown", "count": 1}]
    # a repaired host is not a failure of its first code, and a host without a result is no success
    assert summary["by_code"] == [{"label": "AZCM0026", "outcome": "failed", "count": 3}, {"label": "AZCM0064", "outcome": "repaired", "count": 1},
                                  {"label": "none", "outcome": "failed", "count": 1}, {"label": "success", "outcome": "success", "count": 2}]
    assert summary["out_of_support"] == []
    assert summary["lines"] == [
        "Onboarding: 7 hosts, 2 connected, 2 changed, 1 repaired, 4 failed.",
        "repaired AZCM0064 x1: h2",
        "FAILED none (unknown) x1: h6 -> The host has no result: it was unreachable or failed before the role ended; read its task output.",
        "FAILED AZCM0026 (network) x2: h3, h4",
        "  h3 -> Open port 443.",
        "  h4 -> Open port 443 on the firewall.",
        "FAILED AZCM0026 (proxy) x1: h5 -> Open the proxy.",
    ]


def test_fleet_summary_groups_like_jinja_case_insensitively():
    results = {"a": _result("a", state="connected"), "b": _result("b", state="Connected")}
    assert fleet_summary(results=results)["by_state"] == [{"label": "connected", "count": 2}]


def test_fleet_summary_empty_and_dutch():
    summary = fleet_summary(results={}, title=summary_title("remediate", "nl"), check_mode=True, lang="nl")
    assert summary["lines"] == ["Herstel: 0 hosts, 0 verbonden, 0 gewijzigd, 0 hersteld, 0 mislukt."]
    assert summary["check_mode"] is True and summary["failures"] == [] and summary["by_code"] == []
    assert fleet_summary(results={})["title"] == "Azure Arc"
    assert summary_title("onboard") == "Onboarding" and summary_title("Custom run") == "Custom run"


def test_a_host_still_connected_elsewhere_is_not_counted_as_connected():
    results = {"ok": _result("ok"),
               "elsewhere": _result("elsewhere", ok=False, state="Connected", code="AZCM0067", category="already_connected",
                                    remediation="Allow reonboard."),
               "fixed": _result("fixed", repaired=True, initial_code="AZCM0067", attempts=2)}
    summary = fleet_summary(results=results, title="Onboarding")
    assert (summary["counts"]["connected"], summary["counts"]["failed"], summary["counts"]["repaired"]) == (2, 1, 1)
    assert summary["lines"][0] == "Onboarding: 3 hosts, 2 connected, 0 changed, 1 repaired, 1 failed."
    # the same code once as a failure and once as a repair: two bars, not one red bar of two hosts
    assert summary["by_code"] == [{"label": "AZCM0067", "outcome": "failed", "count": 1}, {"label": "AZCM0067", "outcome": "repaired", "count": 1},
                                  {"label": "success", "outcome": "success", "count": 1}]


# ---------------------------------------------------------------- upgrade playbook

UPGRADED = {"ok": True, "failed": False, "action": "upgrade", "changed": True, "version_before": "1.57.03197.640",
            "version_after": "1.67.03504.1320", "upgrade_method": "package"}


def test_upgrade_result_before_and_after_the_support_window():
    result = upgrade_result(host="h", install=UPGRADED, before={"version": "1.57.03197.640", "status": "Connected"},
                            after={"version": "1.67.03504.1320", "status": "Connected"}, today="2026-11-30")
    assert COMMON_FIELDS <= set(result)
    assert (result["ok"], result["upgraded"], result["changed"], result["state"], result["code"]) == (True, True, True, "Connected", None)
    assert result["summary"] == "upgraded 1.57.03197.640 -> 1.67.03504.1320 (package)"
    assert [f["id"] for f in result["findings_before"]] == ["agent_out_of_support"] and result["findings"] == []
    assert (result["support_before"]["status"], result["support_after"]["status"]) == ("out_of_support", "supported")
    summary = fleet_summary(results={"h": result}, title=summary_title("upgrade"))
    assert summary["out_of_support"] == [] and summary["lines"][0].startswith("Agent upgrade: 1 hosts, 1 connected, 1 changed")


def test_upgrade_result_left_alone_failed_and_dutch():
    same = upgrade_result(host="h", install=dict(UPGRADED, action="none", changed=False, version_after="1.57.03197.640"),
                          before={"version": "1.57.03197.640"}, after={"version": "1.57.03197.640"}, today="2026-11-30", lang="nl")
    assert (same["ok"], same["upgraded"], same["summary"]) == (True, False, "1.57.03197.640: niets bij te werken")
    assert [f["id"] for f in same["findings"]] == ["agent_out_of_support"]
    assert fleet_summary(results={"h": same}, lang="nl")["lines"][-1] == "buiten ondersteuning x1: h"
    failed = upgrade_result(host="h", install={"failed": True, "action": "upgrade", "code": "AZCM0147", "category": "install",
                                               "cause": "Version not found.", "remediation": "Pick another version.", "message": "m"},
                            before={"version": "1.63.03420.1"}, after={"version": "1.63.03420.1"}, today="2026-11-30")
    assert (failed["ok"], failed["code"], failed["category"], failed["upgraded"]) == (False, "AZCM0147", "install", False)
    assert failed["message"] == "h: AZCM0147 (install): Version not found. Pick another version."
    absent = upgrade_result(host="h", install={"action": "not_installed"}, before={}, after={})
    assert (absent["ok"], absent["summary"], absent["actions"]) == (True, "the agent is not installed", [])
    would = upgrade_result(host="h", install=dict(UPGRADED, version_after="1.57.03197.640"), before={"version": "1.57.03197.640"},
                           after={}, check_mode=True, today="2026-11-30")
    assert would["summary"] == "would upgrade 1.57.03197.640 (package)"
