# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import re
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.arcops.azcmagent.plugins.module_utils import _classifier
from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import ACTIONS, CATEGORIES
from ansible_collections.arcops.azcmagent.plugins.module_utils._classifier import (
    MAX_EVIDENCE_CHARS,
    MAX_FINDINGS_PER_ID,
    RULE_IDS,
    RULES,
    classify,
    strongest,
    translate_finding,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._findings import KINDS
from ansible_collections.arcops.azcmagent.plugins.module_utils._secrets import scrub
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import TEXTS, text as text_of

TENANT = str(uuid.uuid4())
APP = str(uuid.uuid4())
SUB = str(uuid.uuid4())
CORR = str(uuid.uuid4())

# (case id, text, expected rule id, expected details subset)
CASES = [
    # --- connection-errors.tsv, row by row (verbatim) ---
    ("tsv1-device-unreachable",
     "Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e"
     "/oauth2/devicecode?api-version=1.0:  dial tcp 40.126.9.7:443: connect: network is unreachable.",
     "network_unreachable", {"host": "login.windows.net", "ip": "40.126.9.7", "port": "443"}),
    ("tsv2-device-network-forbidden",
     "Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e"
     "/oauth2/devicecode?api-version=1.0:  dial tcp 40.126.9.7:443: connect: network is Forbidden",
     "proxy_forbidden", {"host": "login.windows.net"}),
    ("tsv3-refresh-forbidden",
     "Failed to execute the refresh request. Error = 'Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/token?api-version=1.0: "
     "Forbidden'",
     "proxy_forbidden", {"host": "login.windows.net", "url": "https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/token?api-version=1.0"}),
    ("tsv4-invalid-secret", "Invalid client secret is provided", "invalid_client_secret", {}),
    ("tsv5-app-not-found",
     "Application with identifier 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx' was not found in the directory 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx'. "
     "This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant",
     "application_not_found", {"app_id": "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"}),
    ("tsv6-authorization-read",
     "The client 'username@domain.com' with object id 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx' does not have authorization to perform action "
     "'Microsoft.HybridCompute/machines/read' over scope '/subscriptions/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx/resourcegroups/myResourceGroup/"
     "providers/Microsoft.HybridCompute/machines/MSJC01' or the scope is invalid. If access was recently granted, please refresh your "
     "credentials.\"}}\" Status Code=403",
     "authorization_failed", {"principal": "username@domain.com", "action": "Microsoft.HybridCompute/machines/read", "status": 403}),
    ("tsv7-not-registered", "The subscription is not registered to use namespace 'Microsoft.HybridCompute'",
     "missing_subscription_registration", {"namespace": "Microsoft.HybridCompute"}),
    ("tsv8-arm-forbidden",
     "Get https://management.azure.com/subscriptions/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx/resourcegroups/myResourceGroup/providers/"
     "Microsoft.HybridCompute/machines/MSJC01?api-version=2019-03-18-preview:  Forbidden",
     "proxy_forbidden", {"host": "management.azure.com", "method": "Get"}),
    ("tsv9-gpo-no-such-host",
     "Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e"
     "/oauth2/devicecode?api-version=1.0:  dial tcp lookup login.windows.net: no such host",
     "gpo_profile_cleanup", {"host": "login.windows.net"}),
    # --- wording variants ---
    ("unreachable-ipv6-any-host",
     'Post "https://login.microsoftonline.com/%s/oauth2/v2.0/token": dial tcp [2603:1030:7::1]:443: connect: network is unreachable' % TENANT,
     "network_unreachable", {"host": "login.microsoftonline.com", "ip": "2603:1030:7::1"}),
    ("unreachable-no-route", "dial tcp 10.1.2.3:443: connect: no route to host", "network_unreachable", {"ip": "10.1.2.3"}),
    ("unreachable-logfmt",
     'time="2024-01-01T00:00:00Z" level=error msg="Failed to acquire token" Error="dial tcp 20.190.1.1:443: connect: network is unreachable"',
     "network_unreachable", {"ip": "20.190.1.1"}),
    ("forbidden-quoted-url-any-authority",
     'Failed to execute the refresh request. Error = \'Post "https://login.microsoftonline.us/%s/oauth2/v2.0/token": Forbidden\'' % TENANT,
     "proxy_forbidden", {"host": "login.microsoftonline.us"}),
    ("forbidden-his-endpoint", 'Get "https://gbl.his.arc.azure.com/discovery?location=westeurope": Forbidden',
     "proxy_forbidden", {"host": "gbl.his.arc.azure.com"}),
    ("forbidden-tinyproxy-filtered", 'Post "https://management.azure.com/subscriptions/%s/providers?api-version=2021-04-01": Filtered' % SUB,
     "proxy_forbidden", {"reason": "Filtered"}),
    ("proxy-auth-required", 'Post "https://management.azure.com/x": Proxy Authentication Required', "proxy_auth_required", {}),
    ("proxy-407-status", 'level=debug msg="response" Status Code=407', "proxy_auth_required", {}),
    ("proxyconnect-refused", "proxyconnect tcp: dial tcp 127.0.0.1:3128: connect: connection refused", "proxyconnect_failed",
     {"proxy": "127.0.0.1:3128"}),
    ("connection-refused", 'Get "https://127.0.0.1:40342/metadata/instance": dial tcp 127.0.0.1:40342: connect: connection refused',
     "connection_refused", {"port": "40342", "ip": "127.0.0.1"}),
    ("connection-refused-capital", "Failed to connect to myhost port 443: Connection refused", "connection_refused", {}),
    ("fqdn-dns", "FATAL   Failed to obtain FqdnDNS: lookup web01: no such host", "fqdn_unknown", {"host": "web01"}),
    ("fqdn-dns-bare", 'level=fatal msg="Failed to obtain FqdnDNS"', "fqdn_unknown", {}),
    ("connection-reset", 'Post "https://management.azure.com/subscriptions/x": read tcp 127.0.0.1:41234->127.0.0.1:443: read: connection reset by peer',
     "connection_reset", {"host": "management.azure.com"}),
    ("unexpected-eof", 'Get "https://login.microsoftonline.com/t/oauth2/v2.0/token": unexpected EOF', "connection_reset", {}),
    ("io-timeout", "dial tcp 13.69.239.72:443: i/o timeout", "io_timeout", {"ip": "13.69.239.72"}),
    ("tls-handshake-timeout", 'Get "https://management.azure.com/": net/http: TLS handshake timeout', "io_timeout", {}),
    ("client-timeout", 'Post "https://login.microsoftonline.com/t/oauth2/token": context deadline exceeded (Client.Timeout exceeded while '
     'awaiting headers)', "io_timeout", {"host": "login.microsoftonline.com"}),
    ("connection-timed-out", "dial tcp 10.0.0.9:443: connect: connection timed out", "io_timeout", {}),
    ("no-such-host-resolver", 'Post "https://login.microsoftonline.com/%s/oauth2/v2.0/token": dial tcp: lookup login.microsoftonline.com on '
     '127.0.0.53:53: no such host' % TENANT, "dns_no_such_host", {"host": "login.microsoftonline.com", "resolver": "127.0.0.53:53"}),
    ("no-such-host-short", "lookup westeurope.his.arc.azure.com: no such host", "dns_no_such_host", {"host": "westeurope.his.arc.azure.com"}),
    ("tls-unknown-authority", "x509: certificate signed by unknown authority. Failed to Tls dialing gbl.his.arc.azure.com:443",
     "tls_interception", {"host": "gbl.his.arc.azure.com", "port": "443"}),
    ("tls-dialing-only", "Failed to Tls dialing management.azure.com", "tls_interception", {"host": "management.azure.com"}),
    ("tls-go-verify", 'Get "https://management.azure.com/": tls: failed to verify certificate: x509: certificate signed by unknown authority',
     "tls_interception", {"host": "management.azure.com"}),
    ("private-link", "Private Link Scope resource ID must be provided as endpoint gbl.his.arc.azure.com is configured private",
     "private_link_scope_required", {"host": "gbl.his.arc.azure.com"}),
    ("scope-locked-delete",
     "RequestCorrelationId:%s Message: The scope '/subscriptions/%s/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/m1' cannot "
     "perform delete operation because following scope(s) are locked: '/subscriptions/%s/resourceGroups/rg'. Please remove the lock and try "
     "again. Code: ScopeLocked httpStatusCode:409 " % (CORR, SUB, SUB),
     "scope_locked", {"operation": "delete", "locked_scope": "/subscriptions/%s/resourceGroups/rg" % SUB, "arm_code": "ScopeLocked", "status": 409}),
    ("scope-locked-write",
     "The scope '/subscriptions/%s/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/m1' cannot perform write operation because "
     "following scope(s) are locked: '/subscriptions/%s'. Please remove the lock and try again." % (SUB, SUB),
     "scope_locked", {"operation": "write", "locked_scope": "/subscriptions/%s" % SUB}),
    ("missing-registration-flattened",
     "RequestCorrelationId:%s Message: The subscription is not registered to use namespace 'Microsoft.GuestConfiguration'. See "
     "https://aka.ms/rps-not-found for how to register subscriptions. Code: MissingSubscriptionRegistration httpStatusCode:409 " % CORR,
     "missing_subscription_registration", {"namespace": "Microsoft.GuestConfiguration", "status": 409}),
    ("missing-registration-unregistered-state",
     "The subscription registration is in 'Unregistered' state. The subscription must be registered to use namespace "
     "'Microsoft.HybridConnectivity'. See https://aka.ms/rps-not-found for how to register subscriptions.",
     "missing_subscription_registration", {"namespace": "Microsoft.HybridConnectivity", "registration_state": "Unregistered"}),
    ("missing-registration-contracted", "The subscription isn't registered to use namespace 'Microsoft.HybridCompute'.",
     "missing_subscription_registration", {"namespace": "Microsoft.HybridCompute"}),
    ("authorization-register-action",
     "The client '%s' with object id '%s' does not have authorization to perform action 'Microsoft.HybridCompute/register/action' over "
     "scope '/subscriptions/%s' or the scope is invalid. If access was recently granted, please refresh your credentials." % (APP, APP, SUB),
     "authorization_failed", {"action": "Microsoft.HybridCompute/register/action", "scope": "/subscriptions/%s" % SUB}),
    ("authorization-doesnt", "The client 'ops@contoso.com' with object id '%s' doesn't have authorization to perform action "
     "'Microsoft.HybridCompute/machines/write' over scope '/subscriptions/%s/resourceGroups/rg'" % (APP, SUB),
     "authorization_failed", {"action": "Microsoft.HybridCompute/machines/write"}),
    ("authorization-sdk", "ERROR CODE: AuthorizationFailed", "authorization_failed", {"arm_code": "AuthorizationFailed"}),
    ("aadsts7000215",
     "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client "
     "secret ID, for a secret added to app '%s'. Trace ID: %s Correlation ID: %s Timestamp: 2025-09-08 05:33:54Z" % (APP, CORR, CORR),
     "invalid_client_secret", {"app_id": APP}),
    ("aadsts7000222-expired",
     "AADSTS7000222: The provided client secret keys for app '%s' are expired. Visit the Azure portal to create new keys for your app: "
     "https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds." % APP,
     "expired_client_secret", {"app_id": APP}),
    ("aadsts700016-wasnt",
     "AADSTS700016: Application with identifier '%s' wasn't found in the directory 'Contoso'. You may have sent your authentication request "
     "to the wrong tenant." % APP, "application_not_found", {"app_id": APP, "directory": "Contoso"}),
    ("aadsts90002", "AADSTS90002: Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct "
     "cloud." % TENANT, "tenant_not_found", {"tenant": TENANT}),
    ("aadsts90002-old", "AADSTS90002: Tenant contoso.onmicrosoft.com not found. This may happen if there are no active subscriptions for the "
     "tenant.", "tenant_not_found", {"tenant": "contoso.onmicrosoft.com"}),
    ("aadsts700027", "AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. "
     "[Reason - The key was not found.]", "certificate_not_registered", {}),
    ("aadsts700027-old", "AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found.]",
     "certificate_not_registered", {}),
    ("access-token-expired", "Code: ExpiredAuthenticationToken httpStatusCode:401 ", "access_token_invalid",
     {"arm_code": "ExpiredAuthenticationToken", "status": 401}),
    ("throttled-subscription",
     "RequestCorrelationId:%s Message: Number of 'read' requests for subscription '%s' actor '%s' exceeded. Please try again after '17' "
     "seconds after additional tokens are available. Code: SubscriptionRequestsThrottled httpStatusCode:429 " % (CORR, SUB, APP),
     "throttled", {"retry_after": 17, "arm_code": "SubscriptionRequestsThrottled", "status": 429}),
    ("throttled-resource", "Number of requests for action 'Microsoft.HybridCompute/machines/write' exceeded the limit of '100' for time "
     "interval '00:05:00'. Please try again after '42' seconds. Code: ResourceRequestsThrottled", "throttled", {"retry_after": 42}),
    ("throttled-retry-after-header", 'level=debug msg="response" Status Code=429 Retry-After="30"', "throttled", {"retry_after": 30, "status": 429}),
    ("throttled-too-many", "RESPONSE 429: 429 Too Many Requests", "throttled", {}),
    ("throttled-code", '{"error":{"code":"TooManyRequests","message":"slow down"}}', "throttled", {"arm_code": "TooManyRequests"}),
    ("clock-skew", "error connecting machine to Azure: invalid change token", "clock_skew", {}),
    ("clock-skew-aadsts700024", "AADSTS700024: Client assertion is not within its valid time range.", "clock_skew", {}),
    ("not-root", "You must be root to execute /usr/bin/azcmagent", "not_root", {"path": "/usr/bin/azcmagent"}),
    ("not-root-azcm0018", "FATAL   The command was executed without administrative privileges", "not_root", {}),
    ("device-code",
     "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code C27DQAPZ2 to authenticate.",
     "device_code_login", {"url": "https://microsoft.com/devicelogin"}),
    ("arm-500-flattened", "RequestCorrelationId:%s Message: An internal error occurred. Code: InternalServerError httpStatusCode:500 " % CORR,
     "arm_server_error", {"status": 500}),
    ("arm-503-status", 'level=debug msg="Received response" Status Code="503" Request URL="https://management.azure.com/x"',
     "arm_server_error", {"status": 503}),
    ("resource-group-not-found", "Resource group 'rg-missing' could not be found. Code: ResourceGroupNotFound httpStatusCode:404 ",
     "resource_group_not_found", {"resource_group": "rg-missing"}),
    ("subscription-not-found", "The subscription '%s' could not be found." % SUB, "subscription_not_found", {"subscription": SUB}),
    # --- issue 9: the agent's network check and the install stage (texts of the sourced corpus, fixtures/real/) ---
    ("private-endpoint-no-scope",
     "No indication of Private Link Scope but found private endpoint agentserviceapi.guestconfiguration.azure.com: *.*.*.*",
     "private_endpoint_no_scope", {"host": "agentserviceapi.guestconfiguration.azure.com"}),
    ("tls-remote-error", 'Get "https://gbl.his.arc.azure.com/connectivitytest": remote error: tls: handshake failure',
     "tls_remote_error", {"host": "gbl.his.arc.azure.com"}),
    ("endpoints-unavailable",
     'level=fatal msg="required endpoints unavailable: https://gbl.his.arc.azure.com/ (error: Get \\"https://gbl.his.arc.azure.com\\": EOF)"',
     "endpoints_unavailable", {"url": "https://gbl.his.arc.azure.com/"}),
    ("install-no-systemd", "System has not been booted with systemd as init system (PID 1). Can't operate.", "install_no_systemd", {}),
    ("install-apt-not-found", "E: Unable to locate package azcmagent", "install_package_not_found", {"package": "azcmagent"}),
    ("install-dnf-not-found", "No match for argument: azcmagent", "install_package_not_found", {"package": "azcmagent"}),
    ("install-yum-404",
     "https://packages.microsoft.com/amazonlinux/2/prod/repodata/repomd.xml: [Errno 14] HTTPS Error 404 - Not Found",
     "install_repository_unavailable", {"url": "https://packages.microsoft.com/amazonlinux/2/prod/repodata/repomd.xml", "status": 404}),
    ("install-apt-no-pubkey", "W: GPG error: https://packages.microsoft.com/ubuntu/22.04/prod jammy InRelease: NO_PUBKEY EB3E94ADBE1229CF",
     "install_signature_invalid", {"key": "EB3E94ADBE1229CF"}),
    ("install-curl", "curl: (6) Could not resolve host: aka.ms", "install_download_failed", {}),
    ("install-script",
     "/root/install_linux_azcmagent.sh: error installing azcmagent (exit code: 100). See 'apt' command logs for more information.",
     "install_script_failed", {"status": 100}),
    ("install-msi-service",
     "WixQuietExec64:  cannot be started due to the following error: Cannot start service ExtensionService on computer '.'.",
     "install_service_failed", {"service": "ExtensionService"}),
]


def _ids(findings):
    return [f["id"] for f in findings]


@pytest.mark.parametrize("text, rule_id, details", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_matches_variant(text, rule_id, details):
    findings = classify(text)
    assert rule_id in _ids(findings)
    finding = [f for f in findings if f["id"] == rule_id][0]
    for key, value in details.items():
        assert finding["details"].get(key) == value, (key, finding["details"])
    assert finding["evidence"] == scrub(text.strip())
    assert "{" not in finding["cause"] and "{" not in finding["remediation"]


def test_every_rule_has_a_case():
    covered = set(c[2] for c in CASES)
    assert covered == set(RULE_IDS)


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_rule_vocabulary_and_languages(rule):
    kind = KINDS[rule.id]
    assert rule.kind is kind and kind.rule is True
    assert re.match(r"^[a-z][a-z0-9_]*$", rule.id)
    assert kind.category in CATEGORIES
    assert kind.action in ACTIONS
    assert isinstance(kind.retryable, bool)
    assert kind.weight > 0
    for key in ("cause", "remediation"):
        assert set(TEXTS[f"diagnosis.{rule.id}.{key}"]) == {"en", "nl"}
        assert text_of(f"diagnosis.{rule.id}.{key}", "en") != text_of(f"diagnosis.{rule.id}.{key}", "nl")
    if kind.category in ("credentials", "permissions", "input"):
        assert kind.action != "retry"


def test_every_rule_kind_has_a_rule_and_every_placeholder_a_default():
    assert {kind.id for kind in KINDS.values() if kind.rule} == set(RULE_IDS)
    defaults = {key.rsplit(".", 1)[1] for key in TEXTS if key.startswith("diagnosis.default.")}
    for rule_id in RULE_IDS:
        for key in ("cause", "remediation"):
            for lang in ("en", "nl"):
                names = set(re.findall(r"\{(\w+)\}", TEXTS[f"diagnosis.{rule_id}.{key}"][lang]))
                assert names <= defaults, (rule_id, key, lang, names - defaults)


def test_rules_are_built_from_keywords_only():
    with pytest.raises(TypeError):
        _classifier.Rule.build("network_unreachable", ("x",), ("x",))  # pylint: disable=too-many-function-args,missing-kwoa
    with pytest.raises(ValueError, match="no finding kind"):
        _classifier.Rule.build(id="no_such_kind", triggers=("x",), patterns=("x",))
    with pytest.raises(ValueError, match="unknown extract"):
        _classifier.Rule.build(id="network_unreachable", triggers=("x",), patterns=("x",), extract=("nonsense",))


@pytest.mark.parametrize("text, rule_id, details", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_dutch_texts_are_filled(text, rule_id, details):
    finding = [f for f in classify(text, lang="nl") if f["id"] == rule_id][0]
    english = [f for f in classify(text, lang="en") if f["id"] == rule_id][0]
    assert finding["cause"] != english["cause"]
    assert "{" not in finding["cause"] + finding["remediation"]
    assert finding["details"] == english["details"]


@pytest.mark.parametrize("text", [
    "INFO    Connected machine to Azure",
    'time="2024-01-01T00:00:00Z" level=debug msg="Received response" Status Code=200',
    "https://management.azure.com is available, using cryptographic protocol: TLS 1.2",
    "The request was Forbidden by policy",  # no URL before it: not a proxy answer
    "Device Authorization Code requested",
    "Status Code=404",
    "",
], ids=["connected", "status-200", "tls-ok", "forbidden-without-url", "device-auth-word", "status-404", "empty"])
def test_no_false_positive(text):
    assert classify(text) == []


def test_order_of_appearance_and_full_line_evidence():
    text = "\n".join([
        "INFO    Connecting machine to Azure...",
        "  FATAL   AADSTS7000215: Invalid client secret provided.   ",
        "ERROR   dial tcp 10.0.0.1:443: connect: connection refused",
        "lookup gbl.his.arc.azure.com: no such host",
    ])
    findings = classify(text)
    assert _ids(findings) == ["invalid_client_secret", "connection_refused", "dns_no_such_host"]
    assert findings[0]["evidence"] == "FATAL   AADSTS7000215: Invalid client secret provided."
    assert findings[1]["evidence"] == "ERROR   dial tcp 10.0.0.1:443: connect: connection refused"


def test_unique_per_id_and_evidence_and_capped():
    same = "dial tcp 10.0.0.1:443: connect: connection refused"
    distinct = ["dial tcp 10.0.0.%d:443: connect: connection refused" % n for n in range(2, 20)]
    findings = classify("\n".join([same, same, same] + distinct))
    assert len(findings) == MAX_FINDINGS_PER_ID
    assert findings[0]["evidence"] == same
    # the first ones, and the latest: a run's last error is the one that failed it
    assert [f["details"]["ip"] for f in findings] == ["10.0.0.%d" % n for n in range(1, MAX_FINDINGS_PER_ID)] + ["10.0.0.19"]


def test_cap_keeps_first_in_order_across_triggers():
    # io_timeout has several triggers; the first four in the text and the last one win whatever trigger found them.
    lines = ["dial tcp 10.0.1.%d:443: connect: connection timed out" % n for n in range(1, 4)]
    lines += ["dial tcp 10.0.2.%d:443: i/o timeout" % n for n in range(1, 8)]
    findings = classify("\n".join(lines))
    assert [f["evidence"] for f in findings] == lines[:MAX_FINDINGS_PER_ID - 1] + lines[-1:]


def test_the_cap_keeps_the_fatal_line_after_many_benign_ones():
    # Several debug 403s of provider registration the agent got past, then the fatal 403 that failed the run.
    benign = ["time=\"2026-01-01T00:00:0%dZ\" level=debug msg=\"Failed to register resource provider 'Microsoft.X%d'\" "
              "Error=\"... does not have authorization to perform action 'Microsoft.X%d/register/action' ... "
              "Code: AuthorizationFailed httpStatusCode:403\"" % (n, n, n) for n in range(MAX_FINDINGS_PER_ID + 2)]
    fatal = ("FATAL   RequestCorrelationId:00000000-0000-0000-0000-000000000000 Message: The client 'x' with object id 'x' "
             "does not have authorization to perform action 'Microsoft.HybridCompute/machines/read' over scope '/subscriptions/s' "
             "Code: AuthorizationFailed httpStatusCode:403")
    findings = [f for f in classify("\n".join(benign + [fatal])) if f["id"] == "authorization_failed"]
    assert len(findings) == MAX_FINDINGS_PER_ID
    assert findings[-1]["evidence"].startswith("FATAL") and "machines/read" in findings[-1]["evidence"]


def test_two_rules_on_one_line_both_reported():
    text = "proxyconnect tcp: dial tcp 10.9.9.9:3128: connect: connection refused"
    findings = classify(text)
    assert set(_ids(findings)) == {"proxyconnect_failed", "connection_refused"}
    assert strongest(findings)["id"] == "proxyconnect_failed"


def test_strongest_prefers_specific():
    text = "\n".join(["lookup login.windows.net: no such host", "Error = 'dial tcp lookup login.windows.net: no such host'"])
    assert strongest(classify(text))["id"] == "dns_no_such_host"
    assert strongest([]) is None


def test_crlf_and_cr_lines():
    text = "INFO    start\r\nFATAL   Invalid client secret is provided\r\n"
    findings = classify(text)
    assert findings[0]["evidence"] == "FATAL   Invalid client secret is provided"


def test_long_line_evidence_is_windowed():
    text = "x" * 500000 + " dial tcp 10.0.0.1:443: connect: network is unreachable " + "y" * 500000
    findings = classify(text)
    assert _ids(findings) == ["network_unreachable"]
    evidence = findings[0]["evidence"]
    assert len(evidence) <= MAX_EVIDENCE_CHARS + 6
    assert "network is unreachable" in evidence
    assert evidence.startswith("...") and evidence.endswith("...")


def test_many_hits_on_one_long_line_stay_bounded():
    text = " ".join(["Forbidden"] * 200000)
    assert classify(text) == []


@pytest.mark.parametrize("text, secret", [
    ("azcmagent connect --service-principal-secret S3cr3t-Value -t x: Invalid client secret is provided", "S3cr3t-Value"),
    ("client_secret=abcDEF123&grant_type=client_credentials AADSTS7000215: Invalid client secret provided.", "abcDEF123"),
    ("Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOi Status Code=503", "eyJ0eXAiOiJKV1QiLCJhbGciOi"),
    ("To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD1234 to authenticate.", "ABCD1234"),
], ids=["flag", "form-field", "bearer", "device-code"])
def test_evidence_redacts_secrets(text, secret):
    findings = classify(text)
    assert findings
    assert all(secret not in f["evidence"] for f in findings)
    assert all("********" in f["evidence"] for f in findings)


def test_translate_finding_switches_language():
    finding = classify("lookup gbl.his.arc.azure.com: no such host")[0]
    dutch = translate_finding(finding, "nl")
    assert dutch["cause"] == classify("lookup gbl.his.arc.azure.com: no such host", "nl")[0]["cause"]
    assert "gbl.his.arc.azure.com" in dutch["cause"]
    unknown = {"id": "something_else", "cause": "x"}
    assert translate_finding(unknown, "nl") == unknown


def test_bad_arguments():
    with pytest.raises(TypeError, match="expects a string"):
        classify(["a list"])
    with pytest.raises(ValueError, match="unsupported language"):
        classify("text", lang="de")
    assert classify("Invalid client secret is provided", lang="nl-NL")[0]["cause"].startswith("Het geheim")


def test_triggers_are_present_in_each_case():
    # The speed trick is only correct when each rule's text contains one of its triggers.
    by_id = {rule.id: rule for rule in RULES}
    for case_id, text, rule_id, dummy in CASES:
        triggers = by_id[rule_id].triggers
        assert any((t in text) if isinstance(t, str) else t.search(text) for t in triggers), case_id


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_never_raises_on_text(text):
    for finding in classify(text) + classify(text, "nl"):
        assert finding["id"] in RULE_IDS


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_never_raises_on_decoded_bytes(data):
    classify(data.decode("utf-8", errors="replace"))
    classify(data.decode("latin-1"))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(["x", "Forbidden ", "AADSTS", "lookup ", "\\n", "'"]), st.sampled_from([c[1] for c in CASES]))
def test_one_megabyte_lines(filler, case):
    line = filler * (1000000 // len(filler)) + case
    findings = classify(line)
    assert all(len(f["evidence"]) <= MAX_EVIDENCE_CHARS + 6 for f in findings)


def test_module_constants():
    assert _classifier.MAX_FINDINGS_PER_ID >= 1
    assert len(RULE_IDS) == len(set(RULE_IDS))


def test_the_latest_slot_takes_the_latest_new_line():
    # The last line repeats the first one: the latest line that is new evidence fills the last slot, as a full
    # forward scan would find it.
    lines = ["dial tcp 10.0.3.%d:443: connect: connection refused" % n for n in range(1, 12)] + \
        ["dial tcp 10.0.3.1:443: connect: connection refused"]
    findings = classify("\n".join(lines))
    assert [f["details"]["ip"] for f in findings] == ["10.0.3.%d" % n for n in range(1, MAX_FINDINGS_PER_ID)] + ["10.0.3.11"]
