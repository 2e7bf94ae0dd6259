# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os
import socket
import sys

import pytest

from ansible_collections.arcops.azcmagent.plugins.modules import check

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils"))
from azure_doubles import ConnectProxy, RawTLS, closed_port, make_pki  # noqa: E402  pylint: disable=wrong-import-position


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


def test_fail_on_error(run_module, pki):
    args = {"endpoints": [loop("https://management.azure.com", closed_port())], "ca_file": pki["ca"], "agent_check": "never",
            "timeout": 5, "fail_on_error": True}
    failed, result = run_module(check, args)
    assert failed and result["msg"].startswith("0 of 1 endpoints reachable. ") and result["findings"][0]["id"] == "connection_refused"


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
    expected = ["https://login.microsoftonline.com", "https://login.windows.net", "https://pas.windows.net", "https://management.azure.com"]
    assert [e["url"] for e in result["endpoints"]][:4] == expected
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
