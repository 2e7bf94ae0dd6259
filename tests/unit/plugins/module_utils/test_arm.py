# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import datetime
import email.utils
import hashlib
import json
import secrets
import sys
import urllib.parse
import uuid

import pytest

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from ansible_collections.arcops.azcmagent.plugins.module_utils import _arm as arm

from azure_doubles import ScriptedHTTPS, closed_port, make_client_cert, make_pki

TENANT = str(uuid.uuid4())
CLIENT = str(uuid.uuid4())
SUB = str(uuid.uuid4())
MACHINE_PATH = "/subscriptions/%s/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/web01" % SUB


def b64url_json(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def fake_token():
    return "%s.%s.%s" % (b64url_json({"typ": "JWT", "alg": "RS256"}), b64url_json({"oid": str(uuid.uuid4()), "tid": TENANT}),
                         secrets.token_urlsafe(16))


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"), "arm")


@pytest.fixture
def server(pki):
    srv = ScriptedHTTPS(pki)
    yield srv
    srv.close()


@pytest.fixture
def secret():
    return secrets.token_urlsafe(24)


class Script:
    """Route table: (method, path prefix) -> list of answers consumed in order (the last one repeats)."""

    def __init__(self, token):
        self.token = token
        self.routes = []

    def add(self, method, prefix, *answers):
        self.routes.append((method, prefix, list(answers)))
        return self

    def __call__(self, request):
        path = request["path"]
        if request["method"] == "POST" and path.endswith("/oauth2/v2.0/token"):
            for method, prefix, answers in self.routes:
                if method == "POST" and path.startswith(prefix):
                    return answers.pop(0) if len(answers) > 1 else answers[0]
            return 200, {}, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": self.token}
        for method, prefix, answers in self.routes:
            if method == request["method"] and path.startswith(prefix):
                return answers.pop(0) if len(answers) > 1 else answers[0]
        return 404, {}, {"error": {"code": "ResourceNotFound", "message": "not scripted: %s" % path}}


def client_for(server, pki, sleeps=None, **kwargs):
    params = dict(tenant_id=TENANT, client_id=CLIENT, authority_host=server.url, resource_manager_endpoint=server.url, ca_file=pki["ca"],
                  timeout=10)
    params.update(kwargs)
    if "access_token" not in kwargs and "client_cert" not in kwargs and "client_secret" not in kwargs:
        params["client_secret"] = "unused-" + secrets.token_hex(8)
    return arm.ArmClient(sleep=(sleeps.append if sleeps is not None else (lambda s: None)), **params)


def machine(name="web01", tags=None):
    return {"id": MACHINE_PATH.replace("web01", name), "name": name, "location": "westeurope", "type": arm.MACHINE_TYPE,
            "tags": tags or {}, "resources": [{"name": "ext"}], "systemData": {"createdBy": "x"},
            "properties": {"status": "Connected", "agentVersion": "1.58.03228.700", "provisioningState": "Succeeded", "vmId": str(uuid.uuid4()),
                           "lastStatusChange": "2026-01-01T00:00:00Z", "clientPublicKey": "MIIB", "errorDetails": [], "osName": "linux"}}


def test_secret_token_then_get_machine(server, pki, secret):
    token = fake_token()
    server.handler = Script(token).add("GET", MACHINE_PATH, (200, {}, machine()))
    client = client_for(server, pki, client_secret=secret)
    assert client.get_machine(SUB, "rg-arc", "web01")["name"] == "web01"
    assert client.get_machine(SUB, "rg-arc", "web01")["name"] == "web01"
    token_requests = [r for r in server.requests if r["method"] == "POST"]
    assert len(token_requests) == 1, "the token is cached"
    form = urllib.parse.parse_qs(token_requests[0]["body"].decode())
    assert token_requests[0]["path"] == "/%s/oauth2/v2.0/token" % TENANT
    assert form == {"client_id": [CLIENT], "client_secret": [secret], "grant_type": ["client_credentials"],
                    "scope": ["https://management.azure.com/.default"]}
    gets = [r for r in server.requests if r["method"] == "GET"]
    assert gets[0]["headers"]["authorization"] == "Bearer " + token
    assert gets[0]["path"] == MACHINE_PATH + "?api-version=2025-01-13"


def test_missing_machine_is_none(server, pki):
    server.handler = Script(fake_token())
    assert client_for(server, pki).get_machine(SUB, "rg-arc", "gone") is None


def test_given_access_token_is_used_as_is(server, pki):
    token = fake_token()
    server.handler = Script("never").add("GET", "/subscriptions/%s/providers/Microsoft.HybridCompute" % SUB,
                                         (200, {}, {"namespace": "Microsoft.HybridCompute", "registrationState": "Registered"}))
    client = client_for(server, pki, access_token=token, client_id=None, tenant_id=None)
    assert client.get_provider(SUB, "Microsoft.HybridCompute")["registrationState"] == "Registered"
    assert [r["method"] for r in server.requests] == ["GET"]
    assert server.requests[0]["headers"]["authorization"] == "Bearer " + token
    assert server.requests[0]["path"].endswith("?api-version=2021-04-01")


def test_certificate_assertion(server, pki, tmp_path):
    cert_path, cert = make_client_cert(tmp_path)
    server.handler = Script(fake_token()).add("GET", MACHINE_PATH, (200, {}, machine()))
    client = client_for(server, pki, client_cert=cert_path)
    client.get_machine(SUB, "rg-arc", "web01")
    form = urllib.parse.parse_qs(server.requests[0]["body"].decode())
    assert "client_secret" not in form
    assert form["client_assertion_type"] == ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"]
    header_b64, claims_b64, signature_b64 = form["client_assertion"][0].split(".")

    def decode(part):
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))

    header, claims = json.loads(decode(header_b64)), json.loads(decode(claims_b64))
    der = cert.public_bytes(serialization.Encoding.DER)
    assert header == {"alg": "RS256", "typ": "JWT", "x5t": base64.urlsafe_b64encode(hashlib.sha1(der).digest()).rstrip(b"=").decode()}
    assert claims["aud"] == "%s/%s/oauth2/v2.0/token" % (server.url, TENANT)
    assert claims["iss"] == claims["sub"] == CLIENT
    assert 500 <= claims["exp"] - claims["nbf"] <= 600
    cert.public_key().verify(decode(signature_b64), (header_b64 + "." + claims_b64).encode(), padding.PKCS1v15(), hashes.SHA256())


def test_certificate_without_cryptography_fails_clearly(tmp_path, monkeypatch):
    cert_path, dummy = make_client_cert(tmp_path)
    monkeypatch.setitem(sys.modules, "cryptography", None)
    with pytest.raises(arm.ArmError) as info:
        arm.client_assertion(CLIENT, "https://login.microsoftonline.com/t/oauth2/v2.0/token", cert_path)
    assert info.value.kind == "config" and "python3-cryptography" in str(info.value)


def test_unreadable_or_bad_certificate(tmp_path):
    with pytest.raises(arm.ArmError, match="cannot read"):
        arm.load_certificate(str(tmp_path / "missing.pem"))
    bad = tmp_path / "bad.pem"
    bad.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    with pytest.raises(arm.ArmError, match="unencrypted private key"):
        arm.load_certificate(str(bad))


def test_throttling_honours_retry_after(server, pki):
    sleeps = []
    message = ("Number of 'read' requests for subscription '%s' actor 'x' exceeded. Please try again after '3' seconds after additional "
               "tokens are available. Refer to https://aka.ms/arm-throttling for additional information." % SUB)
    throttled = (429, {"Retry-After": "3"}, {"error": {"code": "SubscriptionRequestsThrottled", "message": message}})
    server.handler = Script(fake_token()).add("GET", MACHINE_PATH, throttled, throttled, (200, {}, machine()))
    client = client_for(server, pki, sleeps)
    assert client.get_machine(SUB, "rg-arc", "web01")["name"] == "web01"
    assert sleeps == [3, 3] and client.retries == 2


def test_throttling_beyond_the_wait_budget_fails_with_findings(server, pki):
    sleeps = []
    server.handler = Script(fake_token()).add("GET", MACHINE_PATH, (429, {"Retry-After": "120"}, {"error": {
        "code": "SubscriptionRequestsThrottled", "message": "Number of 'read' requests for subscription 's' actor 'o' exceeded. Please try "
        "again after '120' seconds after additional tokens are available."}}))
    client = client_for(server, pki, sleeps, max_retry_wait=60)
    with pytest.raises(arm.ArmError) as info:
        client.get_machine(SUB, "rg-arc", "web01")
    err = info.value
    assert sleeps == [] and err.status == 429 and err.retry_after == 120
    [finding] = err.findings()
    assert finding["id"] == "throttled" and finding["details"]["retry_after"] == 120
    result = err.to_result("nl")
    assert result["msg"].startswith("SubscriptionRequestsThrottled (HTTP 429): ") and result["category"] == "throttling"


def test_server_errors_back_off_and_give_up(server, pki):
    sleeps = []
    server.handler = Script(fake_token()).add("GET", MACHINE_PATH, (503, {}, "Service Unavailable"))
    client = client_for(server, pki, sleeps, max_retries=3)
    with pytest.raises(arm.ArmError) as info:
        client.get_machine(SUB, "rg-arc", "web01")
    assert sleeps == [1, 2, 4] and info.value.retries == 3 and info.value.status == 503
    assert info.value.arm_code == "HttpStatus503" and info.value.findings()[0]["category"] == "transient"


def test_delete_follows_azure_asyncoperation(server, pki):
    sleeps = []
    status_url = "%s/subscriptions/%s/providers/Microsoft.HybridCompute/locations/westeurope/operationstatus/op1?api-version=2025-01-13" % (
        server.url, SUB)
    server.handler = (Script(fake_token())
                      .add("DELETE", MACHINE_PATH, (202, {"Azure-AsyncOperation": status_url, "Location": server.url + "/elsewhere",
                                                          "Retry-After": "2"}, None))
                      .add("GET", "/subscriptions/%s/providers/Microsoft.HybridCompute/locations" % SUB,
                           (200, {"Retry-After": "1"}, {"name": "op1", "status": "InProgress"}), (200, {}, {"name": "op1", "status": "Succeeded"})))
    client = client_for(server, pki, sleeps)
    assert client.delete_machine(SUB, "rg-arc", "web01") is True
    assert [r["method"] for r in server.requests] == ["POST", "DELETE", "GET", "GET"]
    assert sleeps == [2, 1]


def test_delete_follows_location_and_reports_failure(server, pki):
    location = "%s/subscriptions/%s/providers/Microsoft.HybridCompute/locations/westeurope/operationresults/op2" % (server.url, SUB)
    server.handler = (Script(fake_token())
                      .add("DELETE", MACHINE_PATH, (202, {"Location": location}, None))
                      .add("GET", "/subscriptions/%s/providers/Microsoft.HybridCompute/locations" % SUB, (202, {"Location": location}, None),
                           (204, {}, None)))
    assert client_for(server, pki).delete_machine(SUB, "rg-arc", "web01") is True
    status_url = location.replace("operationresults", "operationstatus")
    server.handler = (Script(fake_token())
                      .add("DELETE", MACHINE_PATH, (202, {"Azure-AsyncOperation": status_url}, None))
                      .add("GET", "/subscriptions/%s/providers/Microsoft.HybridCompute/locations" % SUB,
                           (200, {}, {"status": "Failed", "error": {"code": "DeleteFailed", "message": "extensions still installing"}})))
    with pytest.raises(arm.ArmError) as info:
        client_for(server, pki).delete_machine(SUB, "rg-arc", "web01")
    assert info.value.arm_code == "DeleteFailed"


@pytest.mark.parametrize("answer, expected", [((200, {"Content-Length": "0"}, None), True), ((204, {}, None), False), ((404, {}, None), False)])
def test_delete_status_codes(server, pki, answer, expected):
    server.handler = Script(fake_token()).add("DELETE", MACHINE_PATH, answer)
    assert client_for(server, pki).delete_machine(SUB, "rg-arc", "web01") is expected


def test_delete_lro_timeout(server, pki):
    status_url = "%s/subscriptions/%s/providers/Microsoft.HybridCompute/locations/westeurope/operationstatus/op3" % (server.url, SUB)
    server.handler = (Script(fake_token()).add("DELETE", MACHINE_PATH, (202, {"Azure-AsyncOperation": status_url}, None))
                      .add("GET", "/subscriptions/%s/providers/Microsoft.HybridCompute/locations" % SUB, (200, {}, {"status": "InProgress"})))
    with pytest.raises(arm.ArmError) as info:
        client_for(server, pki).delete_machine(SUB, "rg-arc", "web01", wait_timeout=0.3)
    assert info.value.kind == "timeout"


def test_list_follows_next_link(server, pki):
    list_path = "/subscriptions/%s/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines" % SUB
    page2 = server.url + list_path + "?api-version=2025-01-13&%24skiptoken=2"
    server.handler = Script(fake_token()).add("GET", list_path + "?api-version=2025-01-13&%24skiptoken=2", (200, {}, {"value": [machine("c")]}))
    server.handler.add("GET", list_path, (200, {}, {"value": [machine("a"), machine("b")], "nextLink": page2}))
    names = [m["name"] for m in client_for(server, pki).list_machines(SUB, "rg-arc")]
    assert names == ["a", "b", "c"]


def test_next_link_to_another_host_is_not_followed(server, pki):
    list_path = "/subscriptions/%s/providers/Microsoft.HybridCompute/machines" % SUB
    server.handler = Script(fake_token()).add("GET", list_path, (200, {}, {"value": [], "nextLink": "https://evil.example/steal"}))
    with pytest.raises(arm.ArmError, match="another host"):
        client_for(server, pki).list_machines(SUB)
    assert not any("steal" in r["path"] for r in server.requests)


@pytest.mark.parametrize("text, expected", [
    ('{"error": {"code": "ScopeLocked", "message": "locked", "details": [{"code": "x"}]}}', ("ScopeLocked", "locked", [{"code": "x"}], [])),
    ('{"code": "HCRP400", "message": "Missing or invalid properties: VmId", "target": "t"}',
     ("HCRP400", "Missing or invalid properties: VmId", [], [])),
    ('{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided.\\r\\nTrace ID: 1\\r\\n'
     'Correlation ID: 2\\r\\nTimestamp: 2023-02-20 07:21:29Z", "error_codes": [7000215]}',
     ("AADSTS7000215", "AADSTS7000215: Invalid client secret provided.", [{"code": "invalid_client"}], [7000215])),
    ('{"error": "invalid_request", "error_description": "AADSTS90002: Tenant \'x\' not found. Trace ID: 1 Correlation ID: 2 '
     'Timestamp: 2025-09-08 05:33:54Z", "error_codes": [90002]}',
     ("AADSTS90002", "AADSTS90002: Tenant 'x' not found.", [{"code": "invalid_request"}], [90002])),
    ("<html>Bad Gateway</html>", ("HttpStatus502", "<html>Bad Gateway</html>", [], [])),
    ("", ("HttpStatus502", "no error details in the answer", [], [])),
], ids=["wrapped", "unwrapped", "entra-crlf", "entra-space", "html", "empty"])
def test_parse_error_body(text, expected):
    assert arm.parse_error_body(502, text) == expected


@pytest.mark.parametrize("body, status, fid, category", [
    ({"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the "
      "request is the client secret value, not the client secret ID, for a secret added to app '%s'. Trace ID: a Correlation ID: b "
      "Timestamp: 2025-09-08 05:33:54Z" % CLIENT, "error_codes": [7000215]}, 401, "invalid_client_secret", "credentials"),
    ({"error": "invalid_request", "error_description": "AADSTS90002: Tenant '%s' not found. Check to make sure you have the correct "
      "tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no "
      "active subscriptions for the tenant. Trace ID: a Correlation ID: b Timestamp: 2025-09-08 05:33:54Z" % TENANT,
      "error_codes": [90002]}, 400, "tenant_not_found", "credentials"),
], ids=["bad-secret", "tenant-not-found"])
def test_entra_errors_become_findings(server, pki, body, status, fid, category):
    server.handler = Script(fake_token()).add("POST", "/", (status, {}, body))
    with pytest.raises(arm.ArmError) as info:
        client_for(server, pki).get_machine(SUB, "rg-arc", "web01")
    err = info.value
    assert err.kind == "entra" and err.status == status
    assert [f["id"] for f in err.findings()] == [fid]
    result = err.to_result("en")
    assert result["category"] == category and result["msg"].startswith(err.arm_code)
    assert len([r for r in server.requests if r["method"] == "POST"]) == 1, "credentials errors are not retried"


@pytest.mark.parametrize("code, status, message, fid, category", [
    ("AuthorizationFailed", 403, "The client '{c}' with object id '{c}' does not have authorization to perform action "
     "'Microsoft.HybridCompute/machines/delete' over scope '{p}' or the scope is invalid. If access was recently granted, please refresh "
     "your credentials.", "authorization_failed", "permissions"),
    ("ScopeLocked", 409, "The scope '{p}' cannot perform delete operation because following scope(s) are locked: "
     "'/subscriptions/{s}/resourceGroups/rg-arc'. Please remove the lock and try again.", "scope_locked", "permissions"),
    ("MissingSubscriptionRegistration", 409, "The subscription is not registered to use namespace 'Microsoft.HybridCompute'. See "
     "https://aka.ms/rps-not-found for how to register subscriptions.", "missing_subscription_registration", "providers"),
], ids=["authorization", "lock", "registration"])
def test_arm_errors_become_findings(server, pki, code, status, message, fid, category):
    text = message.format(c=CLIENT, p=MACHINE_PATH, s=SUB)
    body = {"error": {"code": code, "message": text}}
    server.handler = Script(fake_token()).add("DELETE", MACHINE_PATH, (status, {"x-ms-request-id": "rid-1"}, body))
    with pytest.raises(arm.ArmError) as info:
        client_for(server, pki).delete_machine(SUB, "rg-arc", "web01")
    err = info.value
    assert (err.status, err.arm_code, err.request_id, err.message) == (status, code, "rid-1", text)
    findings_nl = err.findings("nl")
    assert [f["id"] for f in findings_nl] == [fid] and findings_nl[0]["category"] == category
    assert findings_nl[0]["remediation"] != err.findings("en")[0]["remediation"]
    result = err.to_result("en")
    assert result["msg"].startswith("%s (HTTP %d): " % (code, status)) and result["request_id"] == "rid-1"
    assert result["findings"][0]["id"] == fid


def test_unknown_arm_error_gets_a_generic_finding(server, pki):
    body = {"error": {"code": "InvalidRequestContent", "message": "The tags are odd"}}
    server.handler = Script(fake_token()).add("PATCH", MACHINE_PATH, (400, {}, body))
    with pytest.raises(arm.ArmError) as info:
        client_for(server, pki).update_machine_tags(SUB, "rg-arc", "web01", {"a": "b"})
    [finding] = info.value.findings("nl")
    assert finding["id"] == "arm_invalid_request_content" and finding["category"] == "input"
    assert "InvalidRequestContent" in finding["cause"] and finding["action"] == "report"
    assert json.loads(server.requests[-1]["body"]) == {"tags": {"a": "b"}}


def test_secrets_are_scrubbed_from_errors(server, pki, secret):
    server.handler = Script(fake_token()).add("POST", "/", (401, {}, {"error": "invalid_client", "error_description":
                                                                      "AADSTS7000215: Invalid client secret provided: %s" % secret}))
    with pytest.raises(arm.ArmError) as info:
        client_for(server, pki, client_secret=secret).get_machine(SUB, "rg-arc", "web01")
    blob = json.dumps(info.value.to_result("en")) + str(info.value) + info.value.flattened()
    assert secret not in blob and "********" in blob


def test_network_failure_is_an_arm_error(pki):
    port = closed_port()
    client = arm.ArmClient(access_token=fake_token(), resource_manager_endpoint="https://127.0.0.1:%d" % port, ca_file=pki["ca"], timeout=5)
    with pytest.raises(arm.ArmError) as info:
        client.get_machine(SUB, "rg-arc", "web01")
    assert info.value.kind == "network" and info.value.findings()[0]["category"] == "network"


def test_untrusted_certificate_is_a_network_error(server, tmp_path):
    other = make_pki(tmp_path, "other")
    server.handler = Script(fake_token())
    client = arm.ArmClient(access_token=fake_token(), resource_manager_endpoint=server.url, ca_file=other["ca"], timeout=5)
    with pytest.raises(arm.ArmError) as info:
        client.get_machine(SUB, "rg-arc", "web01")
    assert info.value.kind == "network" and "CERTIFICATE_VERIFY_FAILED" in info.value.message


def test_missing_credentials_and_bad_inputs():
    with pytest.raises(arm.ArmError, match="no Azure credentials") as info:
        arm.ArmClient(client_id=CLIENT, tenant_id=TENANT)
    assert info.value.kind == "config"
    with pytest.raises(arm.ArmError, match="unknown cloud"):
        arm.ArmClient(cloud="Mars", access_token="x")
    with pytest.raises(arm.ArmError, match="invalid machine name"):
        arm.ArmClient.machine_path(SUB, "rg", "bad/name")
    with pytest.raises(arm.ArmError, match="resource group"):
        arm.ArmClient.machine_path(SUB, None, "web01")
    with pytest.raises(arm.ArmError, match="namespace"):
        arm.ArmClient.provider_path(SUB, "../x")


@pytest.mark.parametrize("value, expected", [("7", 7), (" 0 ", 0), (None, None), ("soon", None)])
def test_retry_after_seconds(value, expected):
    assert arm.retry_after_seconds(value) == expected


def test_retry_after_http_date():
    now = datetime.datetime(2026, 1, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
    value = email.utils.format_datetime(now + datetime.timedelta(seconds=30), usegmt=True)
    assert arm.retry_after_seconds(value, now=now) == 30


def test_trim_and_summary():
    data = machine(tags={"owner": "me"})
    trimmed = arm.trim_machine(data)
    assert "resources" not in trimmed and "systemData" not in trimmed and "clientPublicKey" not in trimmed["properties"]
    assert "resources" in data, "the input is not modified"
    summary = arm.machine_summary(data)
    assert summary["resource_group"] == "rg-arc" and summary["status"] == "Connected" and summary["tags"] == {"owner": "me"}
    assert summary["agent_version"] == "1.58.03228.700" and summary["error_details"] == []
