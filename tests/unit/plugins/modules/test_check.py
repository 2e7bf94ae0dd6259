# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import os
import socket
import sys
import time

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils._client import AgentModuleClient
from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import Completed
from ansible_collections.arcops.azcmagent.plugins.modules import check

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils"))
from azure_doubles import ConnectProxy, RawTLS, ScriptedHTTPS, closed_port, make_pki  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"), "check")


@pytest.fixture(scope="module")
def other_pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki2"), "intercept")


@pytest.fixture(scope="module")
def good(pki):
    server = RawTLS(pki)
    yield server
    server.close()


@pytest.fixture(scope="module")
def intercepting(other_pki):
    server = RawTLS(other_pki)
    yield server
    server.close()


def loop(url, port, **extra):
    return dict(url=url, connect_to="127.0.0.1:%d" % port, **extra)


def test_all_reachable_in_check_mode(run_module, pki, good):
    args = {"endpoints": [loop("https://login.microsoftonline.com", good.port), loop("https://westeurope.his.arc.azure.com", good.port)],
            "ca_file": pki["ca"], "agent_check": "never", "timeout": 5}
    for check_mode in (True, False):
        failed, result = run_module(check, args, check_mode=check_mode)
        assert not failed and result["changed"] is False and result["ok"] is True
        assert result["summary"] == "All 2 endpoints reachable."
        assert result["findings"] == [] and result["proxy"] == {"url": None, "bypass": [], "source": "none"}
        login = result["endpoints"][0]
        assert login["url"] == "https://login.microsoftonline.com" and login["connect_to"] == "127.0.0.1:%d" % good.port
        assert login["dns"]["class"] == "loopback" and login["dns"]["private"] is None
        assert login["tls"]["verified"] is True and login["tls"]["version"].startswith("TLS 1.")
        assert result["agent_check"]["ran"] is False and result["address_classifier"] in ("netaddr", "ipaddress")


def test_real_failures_are_findings_in_dutch(run_module, pki, good, intercepting):
    endpoints = [loop("https://login.microsoftonline.com", good.port), loop("https://management.azure.com", closed_port()),
                 loop("https://gbl.his.arc.azure.com", intercepting.port),
                 {"url": "https://pas.windows.net", "connect_to": "pas.windows.net.invalid:443"}]
    failed, result = run_module(check, {"endpoints": endpoints, "ca_file": pki["ca"], "agent_check": "never", "timeout": 5, "lang": "nl"})
    assert not failed and result["ok"] is False
    assert [f["id"] for f in result["findings"]] == ["connection_refused", "tls_interception", "dns_no_such_host"]
    assert result["summary"].startswith("1 van 4 endpoints bereikbaar. ")
    assert "management.azure.com" in result["summary"]
    assert [e["ok"] for e in result["endpoints"]] == [True, False, False, False]


@pytest.mark.parametrize("lang, count", [("en", "0 of 1 endpoints reachable. "), ("nl", "0 van 1 endpoints bereikbaar. ")])
def test_fail_on_error(run_module, pki, lang, count):
    args = {"endpoints": [loop("https://management.azure.com", closed_port())], "ca_file": pki["ca"], "agent_check": "never",
            "timeout": 5, "fail_on_error": True, "lang": lang}
    failed, result = run_module(check, args)
    first = result["findings"][0]
    assert failed and first["id"] == "connection_refused"
    # msg: the first finding's cause and remediation in lang, then the summary
    assert result["msg"] == "%s. %s. %s" % (first["cause"].rstrip("."), first["remediation"].rstrip("."), result["summary"])
    assert result["summary"].startswith(count) and "management.azure.com" in result["msg"]
    assert (result["category"], result["cause"], result["remediation"]) == ("network", first["cause"], first["remediation"])
    # no agent run: the command fields are there, empty
    assert (result["cmd"], result["rc"], result["stdout"], result["stderr"]) == ("", None, "", "")
    assert result["ok"] is False and result["changed"] is False and len(result["endpoints"]) == 1


_TABLE = [
    "ENDPOINT                             |REACHABLE  |PRIVATE  |TLS      |PROXY",
    "https://login.microsoftonline.com    |true       |false    |TLS 1.3  |not used",
    "https://management.azure.com         |false      |unknown  |unknown  |not used",
    "https://gbl.his.arc.azure.com        |false      |unknown  |unknown  |not used",
]


class ScriptedAgent:
    """An executor standing in for azcmagent: ``show -j`` answers a connected agent without a proxy, ``check`` prints
    check_lines on stdout (as the real agent does without --log-stderr) with exit status rc; either may take longer
    than the run is allowed, which ends it as the runner's timeout would. Every call is recorded in ``calls``."""

    def __init__(self, check_lines=(), show_sleep=0, check_sleep=0, rc=0):
        self.check_lines, self.show_sleep, self.check_sleep, self.rc = list(check_lines), show_sleep, check_sleep, rc
        self.calls = []

    def __call__(self, execution):
        argv = execution.argv[1:]
        self.calls.append(" ".join(argv))
        show = argv[:1] == ["show"]
        needed = self.show_sleep if show else self.check_sleep
        if needed > execution.timeout:
            time.sleep(execution.timeout)
            return Completed(rc=-15, stdout="", stderr="", timed_out=True)
        time.sleep(needed)
        if show:
            return Completed(rc=0, stdout=json.dumps({"status": "Connected", "httpsProxy": ""}) + "\n", stderr="")
        return Completed(rc=self.rc, stdout="".join(line + "\n" for line in self.check_lines), stderr="")


@pytest.fixture
def script_agent(placeholder_executable, monkeypatch):
    """Install a ScriptedAgent as the modules' executor; returns (executable placeholder, agent)."""

    def install(**knobs):
        scripted = ScriptedAgent(**knobs)
        monkeypatch.setattr(AgentModuleClient, "executor", scripted)
        return placeholder_executable, scripted

    return install


def _check_output():
    return ["INFO    Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes.",
            'time="2026-01-01T00:00:00Z" level=error msg="https://management.azure.com is not reachable" '
            'Error="Get \\"https://management.azure.com\\": dial tcp 10.20.30.40:443: connect: connection refused"',
            'time="2026-01-01T00:00:00Z" level=error msg="https://gbl.his.arc.azure.com is not reachable"'] + _TABLE


def test_agent_check_failures_on_stdout_are_findings(run_module, script_agent, pki, good):
    executable, _scripted = script_agent(check_lines=_check_output())
    args = {"endpoints": [loop("https://login.microsoftonline.com", good.port)], "ca_file": pki["ca"], "executable": executable,
            "timeout": 10}
    failed, result = run_module(check, args)
    assert not failed and result["ok"] is False
    assert result["endpoints"][0]["ok"] is True
    agent = result["agent_check"]
    assert agent["ran"] is True and agent["rc"] == 0 and agent["stderr_lines"] == [] and agent["unreachable"] == 2
    assert [r["reachable"] for r in agent["endpoints"]] == [True, False, False]
    # the log line on stdout is classified; the row without an explained error gets the probes' unreachable finding
    assert [f["id"] for f in result["findings"]] == ["connection_refused", "tcp_connect_failed"]
    refused, row = result["findings"]
    assert refused["details"]["host"] == "management.azure.com" and "10.20.30.40" in refused["evidence"]
    assert row["details"] == {"host": "gbl.his.arc.azure.com", "port": 443, "url": "https://gbl.his.arc.azure.com",
                              "source": "azcmagent check"}
    assert row["category"] == "network" and row["action"] == "check_network"
    assert row["cause"] == ("The machine cannot open a TCP connection to gbl.his.arc.azure.com port 443 "
                            "(azcmagent check reports it not reachable)")
    assert row["evidence"].startswith("azcmagent check: https://gbl.his.arc.azure.com reachable=false")
    assert result["summary"].startswith("All 1 endpoints reachable, but: The connection to management.azure.com")
    # in Dutch, and with fail_on_error: the agent run's cmd, rc, stdout and stderr come with the failure
    failed, result = run_module(check, dict(args, lang="nl", fail_on_error=True))
    assert failed and result["findings"][1]["cause"].endswith("(azcmagent check meldt het als niet bereikbaar)")
    assert result["msg"].startswith("De verbinding met management.azure.com") and result["msg"].endswith(result["summary"])
    assert result["cmd"].endswith("check --verbose") and result["rc"] == 0 and result["stderr"] == ""
    assert "https://gbl.his.arc.azure.com        |false" in result["stdout"]
    assert result["category"] == "network" and result["remediation"] == result["findings"][0]["remediation"]


def test_agent_check_all_reachable(run_module, script_agent, pki, good):
    executable, _scripted = script_agent(check_lines=[_TABLE[0], _TABLE[1]])
    failed, result = run_module(check, {"endpoints": [loop("https://login.microsoftonline.com", good.port)], "ca_file": pki["ca"],
                                        "executable": executable, "timeout": 10, "fail_on_error": True})
    assert not failed and result["ok"] is True and result["findings"] == []
    assert result["agent_check"]["unreachable"] == 0 and result["agent_check"]["endpoints"][0]["reachable"] is True


def test_total_time_is_bounded(run_module, script_agent, pki):
    # show, the probe and check all hang: together they must still end at about the timeout
    executable, scripted = script_agent(check_lines=_TABLE, show_sleep=60, check_sleep=60)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)  # accepts TCP in the backlog, never answers the TLS handshake
    try:
        started = time.monotonic()
        failed, result = run_module(check, {"endpoints": [loop("https://login.microsoftonline.com", silent.getsockname()[1])],
                                            "ca_file": pki["ca"], "executable": executable, "timeout": 4})
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert not failed and result["ok"] is False
    assert elapsed < 4 + 2.5, elapsed
    assert result["proxy"]["source"] == "none" and result["agent_check"]["timed_out"] is True
    assert result["endpoints"][0]["ok"] is False and result["findings"][0]["details"]["host"] == "login.microsoftonline.com"
    calls = scripted.calls
    assert calls[0] == "show -j" and calls[1].startswith("check")


def test_agent_proxy_and_agent_check(run_module, agent, pki, good):
    proxy = ConnectProxy({"login.microsoftonline.com:443": ("127.0.0.1", good.port)}, deny={"management.azure.com"})
    try:
        agent.load()
        agent.data["state"].update({"httpsProxy": proxy.url, "proxyBypass": ["Arc"]})
        agent.save()
        endpoints = ["https://login.microsoftonline.com", "https://management.azure.com",
                     loop("https://westeurope.his.arc.azure.com", good.port)]
        failed, result = run_module(check, {"endpoints": endpoints, "ca_file": pki["ca"], "executable": agent.path, "location": "westeurope",
                                            "timeout": 10})
        assert not failed
        assert result["proxy"] == {"url": proxy.url, "bypass": ["Arc"], "source": "agent"}
        assert [f["id"] for f in result["findings"]] == ["proxy_forbidden"]
        assert [e["proxy"]["used"] for e in result["endpoints"]] == [True, True, False]
        assert result["endpoints"][1]["proxy"]["status"] == 403
        assert result["agent_check"]["ran"] is True and result["agent_check"]["rc"] == 0
        check_calls = [c["argv"] for c in agent.calls() if c["argv"][0] == "check"]
        assert check_calls == [["check", "--location", "westeurope", "--cloud", "AzureCloud", "--verbose"]]
        # the agent's proxy applies even when azcmagent check does not run
        failed, result = run_module(check, {"endpoints": endpoints[1:2], "ca_file": pki["ca"], "executable": agent.path, "agent_check": "never"})
        assert result["proxy"]["source"] == "agent" and result["findings"][0]["id"] == "proxy_forbidden"
        assert result["agent_check"]["ran"] is False
        # the option wins over the agent's setting
        failed, result = run_module(check, {"endpoints": endpoints[:1], "ca_file": pki["ca"], "executable": agent.path,
                                            "proxy_url": "http://127.0.0.1:%d" % closed_port(), "agent_check": "never"})
        assert result["proxy"]["source"] == "option" and result["findings"][0]["id"] == "proxyconnect_failed"
    finally:
        proxy.close()


def test_agent_check_always_without_agent(run_module, tmp_path):
    failed, result = run_module(check, {"endpoints": ["https://login.microsoftonline.com"], "agent_check": "always",
                                        "executable": str(tmp_path / "none")})
    assert failed and "not installed" in result["msg"]


def test_agent_check_auto_without_agent(run_module, tmp_path, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _no_dns)
    failed, result = run_module(check, {"endpoints": ["https://login.microsoftonline.com"], "executable": str(tmp_path / "none"),
                                        "timeout": 3})
    assert not failed and result["agent_check"]["reason"] == "not installed"


def _no_dns(host, *args, **kwargs):
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def test_default_endpoint_list(run_module, monkeypatch):
    # no resolver traffic: every lookup fails at once, as it does on a machine without DNS
    monkeypatch.setattr(socket, "getaddrinfo", _no_dns)
    failed, result = run_module(check, {"location": "West Europe", "agent_check": "never", "timeout": 3})
    assert not failed and result["ok"] is False
    # gbl cannot be resolved: discovery fails, the sourced fallback (weu) is probed and the module says it fell back
    assert result["regional_his"]["source"] == "assumed" and result["regional_his"]["fell_back"] is True
    assert result["regional_his"]["host"] == "weu.his.arc.azure.com" and "lookup gbl.his.arc.azure.com" in result["regional_his"]["error"]
    urls = [e["url"] for e in result["endpoints"]]
    assert urls == sorted(urls) and "https://weu.his.arc.azure.com" in urls and "https://login.windows.net" in urls
    assert len(result["endpoints"]) == 8 and all(f["id"] == "dns_no_such_host" for f in result["findings"])
    failed, gov = run_module(check, {"cloud": "AzureUSGovernment", "location": "usgovvirginia", "agent_check": "never", "timeout": 3})
    assert "https://management.usgovcloudapi.net" in [e["url"] for e in gov["endpoints"]]


@pytest.mark.parametrize("args, words", [
    ({"endpoints": ["ftp://x"]}, "invalid URL"),
    ({"endpoints": [{"url": "https://x.example", "expect": "maybe"}]}, "expect"),
    ({"proxy_url": "socks5://p:1", "endpoints": ["https://x.example"]}, "HTTP proxies"),
    ({"location": "west-europe"}, "invalid region"),
    ({"connection_type": "gateway"}, "gateway_url"),
])
def test_bad_options(run_module, args, words):
    failed, result = run_module(check, dict(args, agent_check="never"))
    assert failed and words in result["msg"]


# --------------------------------------------------------------------------------------------------
# The regional HIS host: the agent's discovery call, the sourced fallback, never <region>.his
# --------------------------------------------------------------------------------------------------

@pytest.fixture
def warned(monkeypatch):
    """The warnings the module gives, as it gives them (ansible's own warning list is shared by the whole process)."""
    seen = []
    original = AgentModuleClient.warn

    def warn(self, warning):
        seen.append(warning)
        original(self, warning)

    monkeypatch.setattr(AgentModuleClient, "warn", warn)
    return seen


@pytest.fixture
def his(pki):
    """An HTTPS double of every Azure name: /discovery answers from ``answers`` ({location: (status, body)})."""
    server = ScriptedHTTPS(pki)
    server.answers = {}

    def handler(request):
        if request["path"].startswith("/discovery?"):
            location = request["path"].split("location=", 1)[1].split("&", 1)[0]
            status, body = server.answers.get(location, (400, {"error": {"code": "LocationNotSupported", "message": "no"}}))
            return status, {}, json.dumps(body)
        return 200, {}, {}

    server.handler = handler
    yield server
    server.close()


def _discovery_requests(server):
    return [(r["path"], r["headers"].get("host")) for r in server.requests if r["path"].startswith("/discovery")]


def test_regional_his_follows_the_discovery_answer(run_module, his, pki, warned):
    # ukwest is answered with the UK South host, as a real capture shows: the row is uks, not ukwest.his
    his.answers["ukwest"] = (200, "https://uks.his.arc.azure.com")
    failed, result = run_module(check, {"location": "ukwest", "agent_check": "never", "timeout": 10, "ca_file": pki["ca"],
                                        "connect_to": {"*": "127.0.0.1:%d" % his.port}})
    assert not failed
    assert result["regional_his"] == {"host": "uks.his.arc.azure.com", "source": "discovery", "fell_back": False, "status": 200,
                                      "discovery_url": "https://gbl.his.arc.azure.com/discovery?location=ukwest&api-version=2.1",
                                      "error": None}
    assert _discovery_requests(his) == [("/discovery?location=ukwest&api-version=2.1", "gbl.his.arc.azure.com")]
    urls = [e["url"] for e in result["endpoints"]]
    assert urls == sorted(urls) and "https://uks.his.arc.azure.com" in urls and not any("ukwest.his" in u for u in urls)
    assert next(e for e in result["endpoints"] if e["host"] == "uks.his.arc.azure.com")["ok"] is True
    assert warned == []


def test_discovery_wins_over_the_sourced_table(run_module, his, pki):
    # the service may answer another host than the 2021 table (the agent refreshes it on a 421): the answer wins
    his.answers["westeurope"] = (200, "https://weu2.his.arc.azure.com")
    failed, result = run_module(check, {"location": "westeurope", "agent_check": "never", "timeout": 10, "ca_file": pki["ca"],
                                        "connect_to": {"*.his.arc.azure.com": "127.0.0.1:%d" % his.port, "*": "127.0.0.1:1"}})
    assert result["regional_his"]["host"] == "weu2.his.arc.azure.com" and result["regional_his"]["source"] == "discovery"
    assert "https://weu2.his.arc.azure.com" in [e["url"] for e in result["endpoints"]]


def test_failed_discovery_of_an_unsourced_region_leaves_the_row_out_and_says_so(run_module, his, pki, warned):
    failed, result = run_module(check, {"location": "westus3", "agent_check": "never", "timeout": 10, "ca_file": pki["ca"],
                                        "connect_to": {"*": "127.0.0.1:%d" % his.port}})
    assert not failed
    regional = result["regional_his"]
    assert (regional["host"], regional["source"], regional["fell_back"], regional["status"]) == (None, "none", True, 400)
    assert "LocationNotSupported" in regional["error"]
    assert not any(".his." in e["host"] and not e["host"].startswith("gbl.") for e in result["endpoints"])
    assert len(warned) == 1 and "no public source names the regional HIS host" in warned[0] and "location=westus3" in warned[0]


def test_failed_discovery_falls_back_to_the_sourced_host_and_says_so(run_module, his, pki, warned):
    his.answers["westeurope"] = (500, {"error": {"code": "InternalServerError", "message": "down"}})
    failed, result = run_module(check, {"location": "westeurope", "agent_check": "never", "timeout": 10, "ca_file": pki["ca"],
                                        "connect_to": {"*": "127.0.0.1:%d" % his.port}, "lang": "nl"})
    regional = result["regional_his"]
    assert (regional["host"], regional["source"], regional["fell_back"]) == ("weu.his.arc.azure.com", "assumed", True)
    assert len(warned) == 1 and "De regionale discovery" in warned[0] and "weu.his.arc.azure.com" in warned[0]


@pytest.mark.parametrize("answer", ['"https://evil.example.com"', "not a url at all", '{"unexpected": 1}'])
def test_a_discovery_answer_that_names_no_regional_host_is_a_failed_discovery(run_module, his, pki, answer):
    his.answers["westeurope"] = (200, json.loads(answer) if answer.startswith(("{", '"')) else answer)
    failed, result = run_module(check, {"location": "westeurope", "agent_check": "never", "timeout": 10, "ca_file": pki["ca"],
                                        "connect_to": {"*": "127.0.0.1:%d" % his.port}})
    assert result["regional_his"]["source"] == "assumed" and result["regional_his"]["error"]
    assert "evil.example.com" not in [e["host"] for e in result["endpoints"]]


def test_discovery_goes_through_the_proxy(run_module, his, pki):
    proxy = ConnectProxy({"gbl.his.arc.azure.com:443": ("127.0.0.1", his.port)})
    try:
        his.answers["westeurope"] = (200, "https://weu.his.arc.azure.com")
        failed, result = run_module(check, {"location": "westeurope", "agent_check": "never", "timeout": 10, "ca_file": pki["ca"],
                                            "proxy_url": proxy.url})
        assert result["regional_his"]["source"] == "discovery"
        assert "CONNECT gbl.his.arc.azure.com:443 HTTP/1.1" in proxy.seen
        assert _discovery_requests(his) == [("/discovery?location=westeurope&api-version=2.1", "gbl.his.arc.azure.com")]
        # bypassing the Arc group sends the discovery around the proxy (to the real name: unresolvable here)
        his.requests.clear()
        failed, result = run_module(check, {"location": "westeurope", "agent_check": "never", "timeout": 5, "ca_file": pki["ca"],
                                            "proxy_url": proxy.url, "proxy_bypass": ["Arc"],
                                            "connect_to": {"gbl.his.arc.azure.com": "arcsim-no-such-host.invalid:443"}})
        assert result["regional_his"]["source"] == "assumed" and "no such host" in result["regional_his"]["error"]
        assert _discovery_requests(his) == []
    finally:
        proxy.close()


def test_explicit_endpoints_are_probed_as_given_without_discovery(run_module, his, pki):
    failed, result = run_module(check, {"location": "westeurope", "agent_check": "never", "timeout": 5, "ca_file": pki["ca"],
                                        "endpoints": ["https://management.azure.com"], "connect_to": {"*": "127.0.0.1:%d" % his.port}})
    assert result["regional_his"]["source"] == "not_needed" and _discovery_requests(his) == []
    assert [e["connect_to"] for e in result["endpoints"]] == ["127.0.0.1:%d" % his.port] and result["endpoints"][0]["ok"]
