# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Issue 9 on real agent output: the cases of the issue from the sourced corpus (fixtures/real/), the property that
benign debug lines of real successful runs change no diagnosis, and the sources of every classifier rule."""

from __future__ import annotations

import pathlib
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ansible_collections.arcops.azcmagent.plugins.module_utils._classifier import RULES, classify
from ansible_collections.arcops.azcmagent.plugins.module_utils._diagnosis import _SUCCESS_MARKERS, diagnose
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_text import unescape
from ansible_collections.arcops.azcmagent.plugins.module_utils._plan import plan

REAL = pathlib.Path(__file__).parent / "fixtures" / "real"
README = REAL / "README.md"
ROW_RE = re.compile(r"^\|\s*`(?P<path>[a-z]+/[^`]+\.txt)`\s*\|(?P<rest>.*)\|\s*$")


def capture(path: str) -> str:
    return (REAL / path).read_text(encoding="utf-8").split("# ---\n", 1)[1]


def outcomes() -> dict[str, str]:
    section = README.read_text(encoding="utf-8").split("\n## Index\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = ROW_RE.match(line)
        if match:
            rows[match.group("path")] = [cell.strip() for cell in match.group("rest").split("|")][5]
    return rows


def ids(findings):
    return [f["id"] for f in findings]


# --------------------------------------------------------------------------------------------------
# The cases of issue 9, each from its real text: (file, ok, code, category, action, finding)
# --------------------------------------------------------------------------------------------------

CASES = [
    # 2. unknown fatal/error text without an exit status: a failure, quoted, category unknown
    ("log/azure-arc-3322-heartbeat-clientassertion.txt", False, None, "unknown", "report", None),
    ("connect/azure-docs-47776-os-discovery-windows.txt", False, None, "unknown", "report", None),
    # 3. AZCM0104: make the FQDN resolve, never escalate
    ("connect/azure-docs-77734-fqdn-0104.txt", False, "AZCM0104", "platform", "report", "fqdn_unknown"),
    # 4. the agent's own network check
    ("connect/azure-docs-109136-pls-required.txt", False, "AZCM0026", "input", "report", "private_link_scope_required"),
    ("connect/azurelocal-184-private-endpoint-no-scope.txt", False, "AZCM0026", "input", "report", "private_endpoint_no_scope"),
    ("connect/azure-docs-64707-tls-unknown-authority.txt", False, None, "tls", "check_network", "tls_interception"),
    ("connect/sentinel-13955-required-endpoints-tls.txt", False, None, "tls", "check_network", "tls_remote_error"),
    # 5. a wrapper that prints only the exit code
    ("wrapper/azurelocal-tsg-error-42.txt", False, "AZCM0042", "permissions", "report", None),
    # 8. install stage: package manager, install script, Windows installer
    ("install/linux-package-repositories-90-apt-arm64.txt", False, None, "install", "report", "install_package_not_found"),
    ("install/linux-package-repositories-84-yum-404.txt", False, None, "install", "report", "install_repository_unavailable"),
    ("install/wsl-6316-no-systemd.txt", False, None, "platform", "report", "install_no_systemd"),
    ("install/wsl-6316-upgrade-no-systemd.txt", False, None, "platform", "report", "install_no_systemd"),
    ("install/azure-arc-771-msi-extensionservice.txt", False, None, "install", "report", "install_service_failed"),
    ("install/azure-arc-329-apt-install-1.3.txt", True, None, "success", "none", None),
]


@pytest.mark.parametrize("path, ok, code, category, action, finding", CASES, ids=[c[0] for c in CASES])
def test_issue9_case_from_its_real_text(path, ok, code, category, action, finding):
    result = diagnose(capture(path))
    assert (result["ok"], result["azcm_code"], result["category"], result["action"]) == (ok, code, category, action)
    if finding:
        assert finding in ids(result["findings"])
    if not ok:
        assert "retry" not in result["actions"] or result["retryable"]


def test_case1_benign_provider_registration_403_is_a_warning_not_the_cause():
    register = capture("log/azure-docs-99004-register-403.txt")
    for text in (register, register + capture("log/azure-docs-99004-create-success.txt")):
        result = diagnose(text)
        assert result["ok"] is True and result["category"] == "success" and result["findings"] == []
        warning = result["warnings"][0]
        assert warning["id"] == "authorization_failed" and warning["stage"] == "recovered"
        # The SDK block keeps its details across the escaped line breaks.
        assert warning["details"]["action"] == "Microsoft.HybridCompute/register/action"
        assert warning["details"]["principal"] == "fde13302-cb6c-4e9a-92b7-934840222253"
        assert warning["details"]["arm_code"] == "AuthorizationFailed" and warning["details"]["status"] == 403


def test_case1_with_a_real_cause_the_cause_wins():
    # The registration 403 (debug) and the TLS interception (error) of two real logs, in one log.
    for text in (capture("log/azure-docs-99004-register-403.txt") + capture("connect/azure-docs-64707-tls-unknown-authority.txt"),
                 capture("connect/azure-docs-64707-tls-unknown-authority.txt") + capture("log/azure-docs-99004-register-403.txt")):
        result = diagnose({"stdout": text, "rc": 26, "failed": True})
        assert (result["azcm_code"], result["category"], result["action"]) == ("AZCM0026", "tls", "check_network")
        assert ids(result["findings"]) == ["tls_interception"]
        assert ids(result["warnings"]) == ["authorization_failed"]


def test_case2_unknown_failure_is_quoted_and_scrubbed():
    result = diagnose(capture("log/azure-arc-3322-heartbeat-clientassertion.txt"))
    assert result["ok"] is False and result["category"] == "unknown"
    assert "ClientAssertionCredential authentication failed" in result["cause"]
    result = diagnose('time="2026-01-01T00:00:00Z" level=error msg="Something new" Error="--service-principal-secret s3cr3tValue"')
    assert result["ok"] is False and "Something new" in result["cause"] and "s3cr3tValue" not in result["cause"]


def test_case3_fqdn_is_never_escalated():
    text = capture("connect/azure-docs-77734-fqdn-0104.txt")
    for data in (text, {"stdout": text, "rc": 104, "failed": True}, {"stdout": text, "rc": 104, "failed": True, "escalated": True}):
        result = diagnose(data)
        assert "escalate" not in result["actions"]
        assert "hostname -f" in result["remediation"]
        steps = plan(result, {"escalate": True})
        assert [step["action"] for step in steps] == ["report"]


@pytest.mark.parametrize("marker", [{"escalated": True}, {"become": True}, {"agent_uid": 0}, {"agent_uid": "0"}])
def test_escalate_never_when_the_run_was_already_root(marker):
    text = capture("connect/azure-arc-570-not-root.txt")
    assert diagnose(text)["action"] == "escalate"
    result = diagnose(dict({"stdout": text, "rc": 18, "failed": True}, **marker))
    assert "escalate" not in result["actions"] and result["action"] == "report" and result["actions"] == ["report"]
    # the real cause: the run already was root, so the catalog's "without administrative privileges" is not it
    assert result["cause"].startswith("The agent reports that it lacks administrative privileges although it already ran as root")
    assert "SELinux" in result["remediation"] and result["retryable"] is False
    assert result["category"] == "permissions"
    assert [step["action"] for step in plan(result, {"escalate": True})] == ["report"]
    assert diagnose(dict({"stdout": text, "rc": 18, "failed": True}, **marker), lang="nl")["cause"].startswith("De agent meldt")


@pytest.mark.parametrize("marker", [{}, {"agent_uid": 1000}, {"agent_uid": None}, {"agent_uid": False}, {"escalated": False}])
def test_escalate_once_when_the_agent_was_not_root(marker):
    # a non-root run (or one whose user is unknown) is escalated, once (the plan bounds it)
    result = diagnose(dict({"stdout": capture("connect/azure-arc-570-not-root.txt"), "rc": 18, "failed": True}, **marker))
    assert result["action"] == "escalate"
    assert [step["action"] for step in plan(result, {"escalate": True})] == ["escalate"]


def test_a_module_run_carries_the_agents_user_into_its_outcome_and_diagnosis():
    from ansible_collections.arcops.azcmagent.plugins.module_utils import _outcome, _runner
    text = capture("connect/azure-arc-570-not-root.txt")
    run = _runner.RunResult(["/opt/azcmagent/bin/azcmagent", "connect"], 18, text, "", uid=0)
    assert _outcome.from_run(run)["action"] == "report" and run.as_dict()["uid"] == 0
    run = _runner.RunResult(["/opt/azcmagent/bin/azcmagent", "connect"], 18, text, "", uid=1000)
    assert _outcome.from_run(run)["action"] == "escalate"
    # the user ID: the pretended one of a test double when set, else this process's own
    assert _runner.agent_uid({_runner.AGENT_UID_ENV: "1000"}) == 1000
    assert _runner.agent_uid({}) == __import__("os").geteuid()
    assert _runner.agent_uid({_runner.AGENT_UID_ENV: "root"}) == __import__("os").geteuid()


def test_case4_private_endpoint_is_not_a_network_retry():
    result = diagnose({"stdout": capture("connect/azurelocal-184-private-endpoint-no-scope.txt"), "rc": 26, "failed": True})
    assert result["retryable"] is False and "retry" not in result["actions"]
    assert result["findings"][0]["details"]["host"] == "agentserviceapi.guestconfiguration.azure.com"
    assert "--private-link-scope" in result["remediation"]
    assert [step["action"] for step in plan(result)] == ["report"]


@pytest.mark.parametrize("text, code", [
    ("AZCMAgent command failed with error:  >> exitcode: 42. Additional Info: See https://aka.ms/arc/azcmerror", "AZCM0042"),
    ("azcmagent connect: exit status 26", "AZCM0026"),
    ("the agent stopped with exit code 44", "AZCM0044"),
    ("connect failed rc=41", "AZCM0041"),
])
def test_case5_wrapper_exit_codes_count(text, code):
    result = diagnose(text)
    assert result["ok"] is False and result["azcm_code"] == code


def test_wrapper_exit_status_zero_is_no_failure():
    assert diagnose("azcmagent connect finished, exit status 0")["ok"] is True


def test_case6_sdk_block_keeps_details_across_real_line_breaks():
    # The real SDK block of the registration 403, printed over lines as the modern console prints it.
    line = capture("log/azure-docs-99004-register-403.txt").strip()
    msg = unescape(re.search(r'msg="((?:[^"\\]|\\.)*)"', line).group(1))
    result = diagnose({"stdout": "FATAL   " + msg + "\nINFO    Exit Code:  AZCM0042: Failed to Create Resource\n", "rc": 42, "failed": True})
    finding = [f for f in result["findings"] if f["id"] == "authorization_failed"]
    assert len(finding) == 1
    assert finding[0]["details"]["action"] == "Microsoft.HybridCompute/register/action"
    assert finding[0]["details"]["principal"] == "fde13302-cb6c-4e9a-92b7-934840222253"
    assert finding[0]["details"]["status"] == 403


def test_case6_throttling_block_keeps_retry_after():
    # azcore's ResponseError of a 429, as another Go tool on azcore printed it (research note 3.3, X-azqr); no agent capture.
    block = ("FATAL   GET https://management.azure.com/subscriptions/x/providers/Microsoft.Cdn/profiles\n"
             + "-" * 80 + "\nRESPONSE 429: 429 Too Many Requests\nERROR CODE: ResourceRequestsThrottled\n" + "-" * 80 + "\n"
             '{\n  "error": {\n    "code": "ResourceRequestsThrottled",\n    "message": "Number of requests for action '
             "'Microsoft.Cdn/profiles/read' exceeded the limit of '50' for time interval '00:05:00'. Please try again after '372' "
             'seconds."\n  }\n}\n' + "-" * 80 + "\n")
    findings = [f for f in classify(block) if f["id"] == "throttled"]
    assert len(findings) == 1 and findings[0]["details"]["retry_after"] == 372 and findings[0]["details"]["status"] == 429


def test_case6_azidentity_block_keeps_app_and_directory():
    finding = [f for f in classify(capture("log/azure-docs-99004-spn-aadsts700016.txt")) if f["id"] == "application_not_found"][0]
    assert finding["details"]["app_id"] == "ae0e4d3e-e887-4678-907a-96a2007c7477"
    assert finding["details"]["directory"] == "Liberty Global"


@pytest.mark.parametrize("line, code", [
    ("Exitcode: AZCM0107: Fehler", "AZCM0107"),
    ("INFO    Exit Code:  AZCM0026: Network Error", "AZCM0026"),
    ("INFO    Code de sortie : AZCM0041: Erreur", "AZCM0041"),
])
def test_case8_localized_exit_lines(line, code):
    result = diagnose(line)
    assert result["ok"] is False and result["azcm_code"] == code


@pytest.mark.parametrize("path, finding", [
    # The delete's AuthorizationFailed is logged at debug level, and the excerpt ends before the exit line.
    ("disconnect/azure-docs-99004-delete-403.txt", "authorization_failed"),
    # The SPN token request's AADSTS700016 is logged at debug level, and the excerpt ends before the exit line.
    ("log/azure-docs-99004-spn-aadsts700016.txt", "application_not_found"),
])
def test_debug_only_excerpt_is_insufficient_evidence_not_success(path, finding):
    # Decided from the captures: both hold only debug lines of a run whose end is not in the excerpt (the issue's log
    # shows the run failing later). No exit status, exit line, fatal or error line: the text cannot tell, so the
    # diagnosis says so (unknown, report) instead of reading a failed step as success; the evidence stays a warning.
    result = diagnose(capture(path))
    assert result["ok"] is False and result["category"] == "unknown" and result["action"] == "report"
    assert result["azcm_code"] is None and result["findings"] == [] and result["actions"] == ["report"]
    assert result["cause"].startswith("Unknown: the text shows a failure only in debug or info lines")
    assert [(w["id"], w["stage"]) for w in result["warnings"]] == [(finding, "context")]
    assert diagnose(capture(path), lang="nl")["cause"].startswith("Onbekend: de tekst toont alleen in debug- of info-regels")
    # With the exit status, the same debug evidence explains the failure.
    result = diagnose({"stdout": capture(path), "rc": 43, "failed": True})
    assert result["ok"] is False and ids(result["findings"]) == [finding]
    # A registered result that says the run succeeded stays a success (the debug line was got past).
    assert diagnose({"stdout": capture(path), "rc": 0, "failed": False})["ok"] is True


def test_debug_lines_followed_by_success_stay_success():
    # The same debug evidence before one of the agent's success lines is recovered, never insufficient.
    text = capture("disconnect/azure-docs-99004-delete-403.txt") + "\n" + capture("log/azure-docs-99004-create-success.txt")
    result = diagnose(text)
    assert result["ok"] is True and result["category"] == "success"


# --------------------------------------------------------------------------------------------------
# Property: benign debug lines of real successful runs change no diagnosis
# --------------------------------------------------------------------------------------------------

BENIGN_SOURCES = ("log/azure-docs-99004-register-403.txt", "log/azure-docs-99004-create-success.txt",
                  "log/azure-docs-99004-connectivity.txt", "log/azure-docs-99004-start.txt")
BENIGN_LINES = [line for path in BENIGN_SOURCES for line in capture(path).splitlines()
                if line.startswith("time=") and "level=debug" in line]
OUTCOMES = outcomes()
FAILURES = sorted(path for path, outcome in OUTCOMES.items() if outcome == "failure")
SUCCESSES = sorted(path for path, outcome in OUTCOMES.items() if outcome == "success")
BASELINE = {path: diagnose(capture(path)) for path in FAILURES + SUCCESSES}


def test_the_benign_lines_are_real_and_many():
    assert len(BENIGN_LINES) >= 20 and any("Failed to register resource provider" in line for line in BENIGN_LINES)
    assert any("ARM Resource Creation Successful" in line for line in BENIGN_LINES)


@settings(max_examples=60, deadline=None)
@given(path=st.sampled_from(FAILURES), lines=st.lists(st.sampled_from(BENIGN_LINES), min_size=1, max_size=12),
       as_result=st.booleans())
# found by this test: a wrapper's plain exit line and the benign registration block alone; the block explained the
# failure as a permissions problem
@example(path="wrapper/azurelocal-tsg-error-42.txt",
         lines=[next(line for line in BENIGN_LINES if "Failed to register resource provider" in line)], as_result=True)
def test_benign_debug_lines_change_no_failure(path, lines, as_result):
    text = capture(path).rstrip("\n") + "\n" + "\n".join(lines) + "\n"
    before = BASELINE[path]
    after = diagnose({"stdout": text, "rc": 1, "failed": True} if as_result else text)
    if as_result:
        before = diagnose({"stdout": capture(path), "rc": 1, "failed": True})
    elif before["cause"].startswith("Unknown: the text shows a failure only") and any(m in line for m in _SUCCESS_MARKERS for line in lines):
        # An excerpt that cannot tell how its run ended (insufficient evidence) is decided by an appended success
        # line of the agent: the debug failure before it was got past. No other benign line decides it.
        assert (after["ok"], after["category"], after["action"]) == (True, "success", "none")
        return
    assert (after["ok"], after["category"], after["action"]) == (before["ok"], before["category"], before["action"])


@settings(max_examples=40, deadline=None)
@given(path=st.sampled_from(SUCCESSES), lines=st.lists(st.sampled_from(BENIGN_LINES), min_size=1, max_size=12))
def test_benign_debug_lines_keep_a_success(path, lines):
    after = diagnose(capture(path).rstrip("\n") + "\n" + "\n".join(lines) + "\n")
    assert after["ok"] is True and after["category"] == "success" and after["action"] == "none"


# --------------------------------------------------------------------------------------------------
# Every rule is triggered by a capture of the corpus or marked assumed
# --------------------------------------------------------------------------------------------------

def rule_sources() -> dict[str, list[str]]:
    sources: dict[str, list[str]] = {rule.id: [] for rule in RULES}
    for path in sorted(OUTCOMES):
        for finding in classify(capture(path)):
            if path not in sources[finding["id"]]:
                sources[finding["id"]].append(path)
    return sources


def test_every_rule_is_sourced_or_assumed_and_the_readme_counts_them():
    sources = rule_sources()
    sourced = [rule.id for rule in RULES if sources[rule.id]]
    assumed = [rule.id for rule in RULES if not sources[rule.id] and rule.assumed]
    neither = [rule.id for rule in RULES if not sources[rule.id] and not rule.assumed]
    assert neither == [], f"rules with neither a capture of fixtures/real/ nor assumed=...: {neither}"
    assert len(sourced) >= 17
    line = (f"Classifier rules: {len(RULES)}; triggered by a capture: {len(sourced)}; marked assumed: {len(assumed)}; "
            f"neither: {len(neither)}.")
    assert line in README.read_text(encoding="utf-8"), "README.md is stale: run fixtures/real/evaluate.py"


def test_modern_console_registration_block_over_lines_is_recovered():
    # The real block of the registration 403, as a verbose modern console prints it (DEBUG, then the block's lines).
    line = capture("log/azure-docs-99004-register-403.txt").strip()
    msg = unescape(re.search(r'msg="((?:[^"\\]|\\.)*)"', line).group(1))
    text = ("INFO    Connecting machine to Azure... This might take a few minutes.\nDEBUG   " + msg
            + "\n  INFO    Connected machine to Azure\n")
    result = diagnose(text)
    assert result["ok"] is True and [(w["id"], w["stage"]) for w in result["warnings"]] == [("authorization_failed", "recovered")]
    failed = diagnose({"stdout": "INFO    Connecting machine to Azure...\nDEBUG   " + msg
                       + "\nINFO    Exit Code:  AZCM0026: Network Error\nFATAL   x509: certificate signed by unknown authority\n",
                       "rc": 26, "failed": True})
    assert failed["category"] == "tls" and ids(failed["findings"]) == ["tls_interception"]
    assert ids(failed["warnings"]) == ["authorization_failed"]


def test_case6_modern_azidentity_block_over_lines():
    # azidentity's error as the Azure SDK for Go formats it (its source, research note 3.3 SDK-ID), printed over lines
    # after a FATAL line; the AADSTS7000215 sentence is Entra ID's. No agent capture of this form was found.
    app = "11111111-2222-3333-4444-555555555555"
    text = ("INFO    Exit Code:  AZCM0041: Failed to Obtain Access Token\n"
            "FATAL   ClientSecretCredential authentication failed. \n"
            "POST https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token\n" + "-" * 80 + "\n"
            "RESPONSE 401: 401 Unauthorized\n" + "-" * 80 + "\n"
            '{\n  "error": "invalid_client",\n  "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the '
            "secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app "
            f"'{app}'." + '",\n  "error_codes": [\n    7000215\n  ]\n}\n' + "-" * 80 + "\n"
            "To troubleshoot, visit https://aka.ms/azsdk/go/identity/troubleshoot#client-secret\n")
    result = diagnose({"stdout": text, "rc": 41, "failed": True})
    assert (result["azcm_code"], result["category"], result["action"]) == ("AZCM0041", "credentials", "report")
    finding = [f for f in result["findings"] if f["id"] == "invalid_client_secret"]
    assert len(finding) == 1 and finding[0]["details"]["app_id"] == app


def test_a_failed_run_is_explained_by_what_the_agent_seemed_to_get_past_when_nothing_else_does():
    # Found by the property test: a debug-only 403 of a delete, then an unrelated success line, in a run that failed.
    text = capture("disconnect/azure-docs-99004-delete-403.txt").rstrip("\n") + "\n" + \
        'time="2022-09-30T10:04:17Z" level=debug msg="ARM Resource Creation Successful"\n'
    result = diagnose({"stdout": text, "rc": 1, "failed": True})
    assert (result["ok"], result["category"], result["action"]) == (False, "permissions", "report")
    assert [f["id"] for f in result["findings"]] == ["authorization_failed"] and "stage" not in result["findings"][0]
    assert not any(w.get("stage") == "recovered" for w in result["warnings"])


# --------------------------------------------------------------------------------------------------
# Localized agents (case 8): the main findings come from codes, never from the translated sentences
# --------------------------------------------------------------------------------------------------
# ASSUMED wording: no capture of a localized azcmagent console was found (the corpus' only localized capture is a
# Japanese guest configuration log). The German sentences below are ours; only the codes in them are the agent's and
# Azure's (AZCM codes, AADSTS numbers, ARM error codes, HTTP statuses, Go's x509 and DNS texts, which are not
# translated). Each case must be diagnosed from those codes alone.

LOCALIZED = [
    # (text, code, category, action, finding)
    ("FATAL   Fehler beim Abrufen des Autorisierungstokens: AADSTS7000215: Ungültiger geheimer Clientschlüssel.\n"
     "INFO    Exitcode: AZCM0041: Anmeldeinformationen ungültig", "AZCM0041", "credentials", "report", "invalid_client_secret"),
    ("FATAL   Anwendung nicht gefunden: AADSTS700016: Die Anwendung wurde im Verzeichnis nicht gefunden.\n"
     "INFO    Exitcode: AZCM0041: Fehler", "AZCM0041", "credentials", "report", "application_not_found"),
    ('FATAL   Ressource konnte nicht erstellt werden: {"error":{"code":"AuthorizationFailed","message":"Keine Berechtigung"}}\n'
     "INFO    Exitcode: AZCM0042: Ressource konnte nicht erstellt werden", "AZCM0042", "permissions", "report", "authorization_failed"),
    ("FATAL   Ressource konnte nicht erstellt werden\nRESPONSE 409: 409 Conflict\nERROR CODE: MissingSubscriptionRegistration\n"
     "INFO    Exitcode: AZCM0042: Fehler", "AZCM0042", "providers", "register_providers", "missing_subscription_registration"),
    ('FATAL   Ressource konnte nicht gelöscht werden: {"error":{"code":"ScopeLocked","message":"Gesperrt"}}\n'
     "INFO    Exitcode: AZCM0043: Fehler", "AZCM0043", "permissions", "report", "scope_locked"),
    ("FATAL   Zu viele Anfragen\nRESPONSE 429: 429 Too Many Requests\nERROR CODE: TooManyRequests\nINFO    Exitcode: AZCM0042: Fehler",
     "AZCM0042", "throttling", "retry", "throttled"),
    ('FATAL   Netzwerkfehler: Get "https://login.microsoftonline.com": dial tcp: lookup login.microsoftonline.com: no such host\n'
     "INFO    Exitcode: AZCM0026: Netzwerkfehler", "AZCM0026", "dns", "check_network", "dns_no_such_host"),
    ("FATAL   Netzwerkfehler: x509: certificate signed by unknown authority\nINFO    Exitcode: AZCM0026: Netzwerkfehler",
     "AZCM0026", "tls", "check_network", "tls_interception"),
    ('FATAL   {"error":{"code":"ResourceGroupNotFound","message":"Die Ressourcengruppe wurde nicht gefunden."}}\n'
     "INFO    Exitcode: AZCM0042: Fehler", "AZCM0042", None, None, "resource_group_not_found"),
    ('FATAL   {"error":{"code":"SubscriptionNotFound","message":"Das Abonnement wurde nicht gefunden."}}\n'
     "INFO    Exitcode: AZCM0042: Fehler", "AZCM0042", None, None, "subscription_not_found"),
    # codes whose catalog entry alone decides: no finding needed
    ("FATAL   Administratorrechte sind erforderlich\nINFO    Exitcode: AZCM0018: Administratorrechte erforderlich",
     "AZCM0018", "permissions", "escalate", None),
    ("FATAL   Der vollqualifizierte Domänenname konnte nicht ermittelt werden\nINFO    Exitcode: AZCM0104: Fehler",
     "AZCM0104", "platform", "report", None),
    ("FATAL   Der Computer ist bereits mit Azure verbunden\nINFO    Exitcode: AZCM0067: Bereits verbunden",
     "AZCM0067", "already_connected", None, None),
]


@pytest.mark.parametrize("text, code, category, action, finding", LOCALIZED, ids=[c[1] + "-" + str(c[4]) for c in LOCALIZED])
def test_localized_output_is_diagnosed_from_its_codes(text, code, category, action, finding):
    result = diagnose(text)
    english = diagnose(re.sub(r"Exitcode: ", "Exit Code:  ", text))
    assert result["ok"] is False and result["azcm_code"] == code
    if finding:
        assert finding in ids(result["findings"])
    if category:
        assert result["category"] == category
    if action:
        assert result["action"] == action
    # the localized exit line decides exactly as the English one
    assert (result["azcm_code"], result["category"], result["action"], ids(result["findings"])) == (
        english["azcm_code"], english["category"], english["action"], ids(english["findings"]))


def test_code_only_sdk_block_finds_the_registration_finding():
    # the modern SDK block gives the ARM code on its own line; a translated message around it must not matter
    found = ids(classify("RESPONSE 409: 409 Conflict\nERROR CODE: MissingSubscriptionRegistration\n"))
    assert "missing_subscription_registration" in found


def test_apt_version_not_found_is_an_install_finding():
    # apt-get's own words for a version the repository does not hold (the install role's integration test makes it)
    text = "'/usr/bin/apt-get -y install 'azcmagent=9.99*'' failed: E: Version '9.99*' for 'azcmagent' was not found\n"
    result = diagnose({"stdout": text, "failed": True})
    assert (result["ok"], result["category"], result["action"]) == (False, "install", "report")
    [finding] = result["findings"]
    assert finding["id"] == "install_package_not_found" and finding["details"]["package"] == "azcmagent"
    assert finding["details"]["version"] == "9.99*"


@pytest.mark.parametrize("text, version", [
    ("no available installation candidate for azcmagent=9.99*", "9.99*"),   # ansible.builtin.apt (the role's test)
    ("E: Package 'azcmagent' has no installation candidate", None),          # apt-get
])
def test_no_installation_candidate_is_an_install_finding(text, version):
    result = diagnose({"stdout": text, "failed": True})
    assert (result["category"], result["action"]) == ("install", "report")
    [finding] = result["findings"]
    assert finding["id"] == "install_package_not_found" and finding["details"]["package"] == "azcmagent"
    assert finding["details"].get("version") == version
