# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The check module's reading of the agent (_agent_check): rows as findings, the agent's errors, the time budget."""

from __future__ import annotations

from ansible_collections.arcops.azcmagent.plugins.module_utils import _agent_check as check
from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import RunResult


def test_row_findings():
    rows = [{"endpoint": "https://management.azure.com", "reachable": False}, {"endpoint": "https://x.example:8443", "reachable": False},
            {"endpoint": "https://ok.example", "reachable": True}, {"endpoint": "https://named.example", "reachable": False},
            {"endpoint": "https://gas.example", "reachable": False, "proxy": "set"},
            {"endpoint": "https://auth.example", "reachable": False, "proxy": "set"},
            {"endpoint": "https://direct.example", "reachable": False, "proxy": "not used"}]
    known = [{"id": "proxy_forbidden", "details": {"host": "management.azure.com"}},
             {"id": "proxyconnect_failed", "details": {}, "evidence": 'msg="https://named.example is not reachable" Error="proxyconnect tcp"'}]
    errors = {"https://gas.example": "Forbidden", "https://auth.example": "Proxy Authentication Required",
              "https://direct.example": "Forbidden"}
    found = check.row_findings(rows, known, "en", errors, "http://127.0.0.1:3128")
    assert [(f["id"], f["details"]["host"], f["details"]["port"]) for f in found] == [
        ("tcp_connect_failed", "x.example", 8443), ("proxy_forbidden", "gas.example", 443), ("proxy_auth_required", "auth.example", 443),
        ("tcp_connect_failed", "direct.example", 443)]
    assert found[1]["cause"] == "The proxy http://127.0.0.1:3128 refuses CONNECT to gas.example:443 (403 Forbidden)"
    assert found[1]["details"]["status"] == 403 and found[1]["evidence"].endswith("proxy=set error=Forbidden")
    assert found[3]["cause"] == "The machine cannot open a TCP connection to direct.example port 443 (Forbidden)"
    assert all(f["details"]["source"] == "azcmagent check" for f in found)


def test_agent_errors():
    text = "\n".join([
        'time="2026-01-01T00:00:00Z" level=error msg="https://a.example is not reachable" Error="Forbidden"',
        'level=error msg="https://b.example/ is not reachable" Error="Get \\"https://b.example\\": dial tcp 10.0.0.1:443: i/o timeout"',
        'level=error msg="https://c.example is not reachable"',
        'level=info msg="https://d.example is not reachable" Error=x',
        'INFO    https://e.example is available, using cryptographic protocol: TLS 1.3'])
    assert check.agent_errors(text) == {"https://a.example": "Forbidden",
                                        "https://b.example": 'Get "https://b.example": dial tcp 10.0.0.1:443: i/o timeout'}


def test_deadline_gives_each_stage_what_is_left():
    now = [100.0]
    deadline = check.Deadline(30, clock=lambda: now[0])
    assert deadline.remaining() == 30 and deadline.remaining(cap=10) == 10
    now[0] += 25.5
    assert deadline.remaining() == 4.5 and deadline.remaining(cap=10) == 4.5
    now[0] += 60
    assert deadline.remaining() == check.MIN_STAGE
    assert check.Deadline(0).seconds == check.MIN_STAGE


TABLE = [
    "ENDPOINT                             |REACHABLE  |PRIVATE  |TLS      |PROXY",
    "https://login.microsoftonline.com    |true       |false    |TLS 1.3  |not used",
    "https://gbl.his.arc.azure.com        |false      |unknown  |unknown  |set",
]


def test_read_agent_check():
    stdout = "\n".join(['time="2026-01-01T00:00:00Z" level=error msg="https://gbl.his.arc.azure.com is not reachable" Error="Forbidden"']
                       + TABLE) + "\n"
    record, findings = check.read_agent_check(RunResult(["azcmagent", "check", "--verbose"], 0, stdout, ""), "en")
    assert record["ran"] is True and record["unreachable"] == 1 and record["cmd"] == "azcmagent check --verbose"
    assert record["errors"] == {"https://gbl.his.arc.azure.com": "Forbidden"}
    assert [row["reachable"] for row in record["endpoints"]] == [True, False]
    rows = check.row_findings(record["endpoints"], findings, "en", record["errors"], "http://proxy:3128")
    assert [f["id"] for f in rows] == ["proxy_forbidden"]


def test_check_args_and_lists():
    assert check.check_args("AzureCloud", None, False) == ["check"]
    assert check.check_args("AzureCloud", "westeurope", True) == ["check", "--location", "westeurope", "--cloud", "AzureCloud",
                                                                  "--enable-pls-check"]
    assert check.split_list("[ARM, Arc]") == ["ARM", "Arc"] and check.split_list(["a", " "]) == ["a"] and check.split_list(None) == []


def test_summary_and_failure_in_both_languages():
    records = [{"ok": True}, {"ok": False}]
    finding = {"id": "x", "cause": "The proxy refuses.", "remediation": "Allow it.", "category": "proxy", "action": "set_proxy"}
    assert check.summarize(records[:1], [], "en") == "All 1 endpoints reachable."
    assert check.summarize(records, [finding], "nl") == "1 van 2 endpoints bereikbaar. The proxy refuses."
    failure = check.failure_from_findings("en", {"findings": [finding], "summary": "S."}, None)
    assert failure.msg == "The proxy refuses. Allow it. S." and failure.outcome["action"] == "set_proxy"
    failure = check.failure_from_findings("nl", {"findings": [], "summary": "S."}, None)
    assert failure.msg.startswith("De netwerkcontrole is mislukt.") and failure.outcome["action"] == "check_network"


def test_row_findings_read_the_agents_error_of_each_row():
    # The error texts as the agent logs them for a row (Go's net and crypto/x509 wording).
    rows = [{"endpoint": "https://westeurope-gas.guestconfiguration.azure.com", "reachable": False, "proxy": "not used"},
            {"endpoint": "https://pas.windows.net", "reachable": False, "proxy": "not used"},
            {"endpoint": "https://login.windows.net", "reachable": False, "proxy": "not used"}]
    errors = {"https://westeurope-gas.guestconfiguration.azure.com":
              "dial tcp: lookup westeurope-gas.guestconfiguration.azure.com: no such host",
              "https://pas.windows.net": "Get \"https://pas.windows.net\": tls: failed to verify certificate: "
                                         "x509: certificate signed by unknown authority",
              "https://login.windows.net": "connection closed"}
    found = check.row_findings(rows, [], "en", errors)
    assert [(f["id"], f["details"]["host"]) for f in found] == [
        ("dns_no_such_host", "westeurope-gas.guestconfiguration.azure.com"), ("tls_interception", "pas.windows.net"),
        ("tcp_connect_failed", "login.windows.net")]
    assert all(f["evidence"].startswith("azcmagent check: ") and f["details"]["source"] == "azcmagent check" for f in found)
