# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import socket
import time

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _probes as probes

from ansible_collections.arcops.azcmagent.plugins.module_utils._classifier import RULES
from ansible_collections.arcops.azcmagent.plugins.module_utils._findings import KINDS
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import TEXTS

from azure_doubles import ConnectProxy, RawTLS, closed_port, make_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"), "good")


@pytest.fixture(scope="module")
def other_pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki2"), "interceptor")


@pytest.fixture(scope="module")
def tls_server(pki):
    server = RawTLS(pki)
    yield server
    server.close()


def ep(url, connect_to=None, **extra):
    item = dict(url=url, **extra)
    if connect_to:
        item["connect_to"] = connect_to
    return probes.normalize_endpoint(item)


@pytest.mark.parametrize("use_netaddr", [True, False], ids=["netaddr", "ipaddress"])
@pytest.mark.parametrize("address, cls", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"), ("172.20.0.1", "private"),
    ("192.168.1.1", "private"), ("100.64.0.9", "private"), ("fd00::1", "private"), ("169.254.1.1", "link_local"),
    ("20.190.151.68", "public"), ("2603:1030::1", "public"), ("not-an-ip", "reserved"), ("0.0.0.0", "reserved"),
])
def test_classify_address(monkeypatch, use_netaddr, address, cls):
    if not use_netaddr:
        monkeypatch.setattr(probes, "netaddr", None)
    assert probes.classify_address(address) == cls


def test_addresses_class():
    assert probes.addresses_class([]) is None
    assert probes.addresses_class(["10.0.0.1", "10.0.0.2"]) == "private"
    assert probes.addresses_class(["10.0.0.1", "20.0.0.1"]) == "mixed"


def test_parse_proxy_hides_credentials():
    proxy = probes.parse_proxy("http://user:pa55word@proxy.example.com:3128/")
    assert proxy["url"] == "http://proxy.example.com:3128"
    assert proxy["authorization"].startswith("Basic ")
    assert "pa55word" not in repr(proxy["url"])
    assert probes.parse_proxy("") is None
    assert probes.parse_proxy("http://[::1]:8080")["url"] == "http://[::1]:8080"


@pytest.mark.parametrize("value", ["https://proxy:3128", "proxy:3128", "http://proxy:0"])
def test_parse_proxy_rejects(value):
    with pytest.raises(probes.ProbeError):
        probes.parse_proxy(value)


def test_normalize_endpoint_forms():
    plain = probes.normalize_endpoint("https://westeurope.his.arc.azure.com")
    assert plain["connect_host"] == "westeurope.his.arc.azure.com" and plain["connect_port"] == 443
    assert plain["bypass_group"] == "Arc" and plain["private_link_capable"] is True
    mapped = probes.normalize_endpoint({"url": "https://login.microsoftonline.com", "connect_to": "127.0.0.1:40443", "expect": "any"})
    assert (mapped["host"], mapped["connect_host"], mapped["connect_port"]) == ("login.microsoftonline.com", "127.0.0.1", 40443)
    assert mapped["bypass_group"] == "AAD" and mapped["private_link_capable"] is False and mapped["expect"] == "any"


@pytest.mark.parametrize("item, message", [
    ({"connect_to": "x:1"}, "url key"), ("http://example.com", "only https"),
    ({"url": "https://a.example", "connect_to": "a b"}, "connect_to"), ({"url": "https://a.example", "expect": "odd"}, "expect"),
])
def test_normalize_endpoint_rejects(item, message):
    with pytest.raises(probes.ProbeError, match=message):
        probes.normalize_endpoint(item)


def test_bypassed_by_group_host_and_suffix():
    endpoint = probes.normalize_endpoint("https://management.azure.com")
    assert probes.bypassed(endpoint, ["arm"])
    assert probes.bypassed(endpoint, ["management.azure.com"])
    assert probes.bypassed(endpoint, [".azure.com"])
    assert not probes.bypassed(endpoint, ["AAD", "Arc"])
    assert not probes.bypassed(endpoint, None)


def test_verified_tls_on_loopback(pki, tls_server):
    [record] = probes.probe_all([ep("https://login.microsoftonline.com", "127.0.0.1:%d" % tls_server.port)], timeout=5, ca_file=pki["ca"])
    assert record["ok"] is True
    assert record["dns"]["addresses"] == ["127.0.0.1"] and record["dns"]["class"] == "loopback"
    assert record["dns"]["private"] is None and record["dns"]["matches"] is None
    assert record["tcp"]["ok"] and record["tls"]["verified"] is True
    assert record["tls"]["version"] in ("TLS 1.2", "TLS 1.3")
    assert record["proxy"]["used"] is False
    assert probes.findings_for(record) == []


def test_certificate_from_another_ca_is_tls_interception(other_pki, tls_server):
    [record] = probes.probe_all([ep("https://management.azure.com", "127.0.0.1:%d" % tls_server.port)], timeout=5,
                                ca_file=other_pki["ca"])
    assert record["ok"] is False and record["tls"]["verified"] is False
    [finding] = probes.findings_for(record, "nl")
    assert finding["id"] == "tls_interception" and finding["category"] == "tls"
    assert "management.azure.com" in finding["cause"] and "TLS-inspectie" in finding["remediation"]
    assert "certificate verify failed" in finding["evidence"] or "unable to get local issuer" in finding["evidence"]


def test_name_mismatch_is_not_verified(pki, tls_server):
    [record] = probes.probe_all([ep("https://www.example.org", "127.0.0.1:%d" % tls_server.port)], timeout=5, ca_file=pki["ca"])
    assert record["tls"]["verified"] is False
    assert probes.findings_for(record)[0]["id"] == "tls_interception"


def test_closed_port_is_tcp_connect_failed():
    port = closed_port()
    [record] = probes.probe_all([ep("https://gbl.his.arc.azure.com", "127.0.0.1:%d" % port)], timeout=5)
    assert record["tcp"]["ok"] is False and "refused" in record["tcp"]["error"].lower()
    [finding] = probes.findings_for(record)
    assert finding["id"] == "connection_refused" and finding["category"] == "network"
    assert finding["details"]["host"] == "gbl.his.arc.azure.com"
    assert finding["evidence"] == "dial tcp 127.0.0.1:%d: %s" % (port, record["tcp"]["error"])


def test_unresolvable_name_is_dns_finding():
    def must_not_be_called(*args):
        raise AssertionError("a .invalid name was sent to the resolver: %r" % (args,))

    [record] = probes.probe_all([ep("https://login.microsoftonline.com", "login.microsoftonline.com.invalid:443")], timeout=5,
                                resolver=must_not_be_called)
    assert record["dns"]["error"] == "no such host"
    assert record["dns"]["ok"] is False and record["tcp"]["error"] == "name not resolved"
    [finding] = probes.findings_for(record)
    assert finding["id"] == "dns_no_such_host" and finding["category"] == "dns"


def test_hanging_resolver_is_bounded():
    def hang(*args):
        time.sleep(30)
        raise OSError("answered too late")

    started = time.monotonic()
    [record] = probes.probe_all([ep("https://login.microsoftonline.com")], timeout=1, resolver=hang)
    assert time.monotonic() - started < 4
    assert record["dns"]["error"] == "timed out"


def test_silent_server_times_out_within_the_deadline():
    silent = RawTLS(handshake=False)
    try:
        started = time.monotonic()
        records = probes.probe_all([ep("https://pas.windows.net", "127.0.0.1:%d" % silent.port)] * 3, timeout=1.5)
        assert time.monotonic() - started < 4
        for record in records:
            assert record["tcp"]["ok"] is True and record["tls"]["ok"] is False
            assert probes.findings_for(record)[0]["id"] == "tls_handshake_failed"
    finally:
        silent.close()


def _no_lookup(*names):
    """A resolver that fails the test when asked about one of ``names`` (the proxy resolves those)."""
    def resolver(host, *args):
        assert host not in names, "%s was resolved locally although a proxy carries it" % host
        return socket.getaddrinfo(host, *args)
    return resolver


def test_proxy_forbidden_and_tunnel_and_bypass(pki, tls_server):
    target = ("127.0.0.1", tls_server.port)
    proxy = ConnectProxy({"login.microsoftonline.com:443": target}, deny={"management.azure.com"})
    try:
        endpoints = [ep("https://login.microsoftonline.com"), ep("https://management.azure.com"),
                     ep("https://gbl.his.arc.azure.com", "127.0.0.1:%d" % tls_server.port)]
        records = probes.probe_all(endpoints, timeout=5, ca_file=pki["ca"], proxy_url=proxy.url, proxy_bypass=["Arc"],
                                   resolver=_no_lookup("login.microsoftonline.com", "management.azure.com"))
        login, arm, arc = records
        assert login["proxy"] == {"used": True, "url": proxy.url, "ok": True, "status": 200, "reason": "Connection established",
                                  "error": None}
        assert login["ok"] is True and probes.findings_for(login) == []
        assert arm["proxy"]["status"] == 403 and arm["ok"] is False
        [finding] = probes.findings_for(arm)
        assert finding["id"] == "proxy_forbidden" and finding["category"] == "proxy"
        assert "403 Forbidden" in finding["cause"] and finding["details"]["proxy"] == proxy.url
        assert arc["proxy"]["used"] is False and arc["ok"] is True
        # the proxy saw the real names, never the loopback mapping
        assert sorted(proxy.seen) == ["CONNECT login.microsoftonline.com:443 HTTP/1.1", "CONNECT management.azure.com:443 HTTP/1.1"]
    finally:
        proxy.close()


def test_unreachable_proxy():
    port = closed_port()
    [record] = probes.probe_all([ep("https://login.microsoftonline.com")], timeout=5, proxy_url="http://127.0.0.1:%d" % port,
                                resolver=_no_lookup("login.microsoftonline.com"))
    assert record["dns"]["resolved_by"] == "proxy"
    [finding] = probes.findings_for(record)
    assert finding["id"] == "proxyconnect_failed"


def _record(host, addresses, expected):
    record = {"url": "https://" + host, "host": host, "port": 443, "connect_to": host + ":443", "timed_out": False,
              "dns": probes._dns_verdict({"ok": True, "name": host, "addresses": addresses, "error": None}, expected),
              "tcp": {"ok": True, "address": None, "error": None},
              "tls": {"ok": True, "version": "TLS 1.3", "verified": True, "error": None},
              "proxy": {"used": False, "url": None, "ok": None, "status": None, "reason": None, "error": None}, "ok": True}
    return record


@pytest.mark.parametrize("private_link, capable, addresses, finding", [
    (True, True, ["10.0.0.4"], None),
    (True, True, ["20.50.1.1"], "dns_not_private"),
    (False, True, ["10.0.0.4"], "dns_not_public"),
    (False, False, ["20.50.1.1"], None),
    (True, False, ["20.50.1.1"], None),      # Entra ID and ARM stay public with private link
    (True, True, ["127.0.0.1"], None),       # loopback: not checked
])
def test_private_link_expectation(private_link, capable, addresses, finding):
    endpoint = probes.normalize_endpoint({"url": "https://x.example", "private_link_capable": capable})
    expected = probes._expected_class(endpoint, private_link)
    found = probes.findings_for(_record("x.example", addresses, expected))
    assert [f["id"] for f in found] == ([finding] if finding else [])


def test_expect_any_skips_the_check():
    endpoint = probes.normalize_endpoint({"url": "https://westeurope.his.arc.azure.com", "expect": "any"})
    assert probes._expected_class(endpoint, True) is None


def test_findings_lang_is_checked():
    with pytest.raises(ValueError):
        probes.findings_for(_record("x.example", ["20.1.1.1"], None), "de")


def test_every_finding_text_is_in_both_languages():
    for fid in probes.FINDING_IDS:
        kind = KINDS[fid]
        for part in ("cause", "remediation"):
            entry = TEXTS[f"probes.{kind.probe_texts}.{part}"]
            assert set(entry) == {"en", "nl"} and entry["en"] != entry["nl"], fid


def test_ids_shared_with_the_classifier_mean_the_same():
    shared = [rule for rule in RULES if rule.id in probes.FINDING_IDS]
    assert len(shared) >= 8
    for fid in probes.FINDING_IDS:
        finding = probes._finding(fid, "en", "evidence", host="h", port=443, url="https://h", proxy="http://p:1", status=403,
                                  reason="Forbidden", error="e", addresses="", expected=None)
        kind = KINDS[fid]
        assert (finding["category"], finding["action"], finding["retryable"]) == (kind.category, kind.action, kind.retryable)
    for rule in shared:
        finding = probes._finding(rule.id, "en", "evidence", host="h", port=443, url="https://h", proxy="http://p:1", status=403,
                                  reason="Forbidden", error="e", addresses="", expected=None)
        assert (finding["category"], finding["action"], finding["retryable"]) == (rule.kind.category, rule.kind.action, rule.kind.retryable)


@pytest.mark.parametrize("error, fid", [("Connection refused", "connection_refused"), ("timed out", "io_timeout"),
                                        ("Network is unreachable", "network_unreachable"), ("No route to host", "tcp_connect_failed")])
def test_tcp_finding_ids(error, fid):
    assert probes._tcp_finding_id(error) == fid


@pytest.mark.parametrize("body, host", [
    ('"https://uks.his.arc.azure.com"', "uks.his.arc.azure.com"),      # a JSON string (the assumed wire format)
    ("https://weu.his.arc.azure.com/", "weu.his.arc.azure.com"),       # the bare URL
    ('{"endpoint": "https://usgv.his.arc.azure.us"}', "usgv.his.arc.azure.us"),  # defensively: an object holding it
    ("", None), ("<html>error</html>", None), ('{"error": {"code": "x"}}', None), ('"https://a b"', None),
])
def test_parse_discovery_answer(body, host):
    assert probes.parse_discovery_answer(body) == host


def test_apply_connect_to_exact_then_longest_wildcard_then_star():
    table = {"*": "127.0.0.1:1", "*.arc.azure.com": "127.0.0.1:2", "*.his.arc.azure.com": "127.0.0.1:3",
             "gbl.his.arc.azure.com": "127.0.0.1:4"}
    assert probes.apply_connect_to("GBL.his.arc.azure.com.", table) == "127.0.0.1:4"
    assert probes.apply_connect_to("weu.his.arc.azure.com", table) == "127.0.0.1:3"
    assert probes.apply_connect_to("x.gw.arc.azure.com", table) == "127.0.0.1:2"
    assert probes.apply_connect_to("login.windows.net", table) == "127.0.0.1:1"
    assert probes.apply_connect_to("login.windows.net", {"*.his.arc.azure.com": "x:1"}) is None
    assert probes.apply_connect_to("anything", None) is None


def test_discovery_never_raises_and_reports_why():
    gbl = probes.normalize_endpoint({"url": "https://gbl.his.arc.azure.com", "connect_to": "127.0.0.1:%d" % closed_port()})
    answer = probes.discover_regional_his(gbl, "https://gbl.his.arc.azure.com/discovery?location=westeurope&api-version=2.1", 2)
    assert answer["ok"] is False and answer["host"] is None and answer["error"] and answer["status"] is None
