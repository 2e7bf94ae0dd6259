# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The mock Azure answers exactly as /work/shared/reference/azure-api-reference.md says (HTTP level, urllib/http.client only)."""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import ssl
import time
import urllib.parse
import urllib.request
import uuid

import pytest

from mockazure import certs, server
from mockazure.client import Client

pytestmark = pytest.mark.slow

GUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
AAD_TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$")
ROUTING_RE = re.compile(r"^WESTEUROPE:\d{8}T\d{6}Z:[0-9a-f-]{36}$")
API = "api-version=2025-01-13"
ONBOARDING = "Azure Connected Machine Onboarding"


class World:
    """A running mock with one tenant, two subscriptions and a few principals (fresh fake secrets)."""

    def __init__(self, tmp):
        self.dir = str(tmp)
        self.info = server.start_daemon(self.dir)
        self.client = Client(self.info["url"], self.info["ca_file"])
        self.tid, self.tid2 = str(uuid.uuid4()), str(uuid.uuid4())
        self.sub, self.sub2 = str(uuid.uuid4()), str(uuid.uuid4())
        self.rg = "rg-arc"
        self.key_pem, self.cert_pem = certs.make_client_certificate()
        self.principals = {}
        for name in ("onboard", "owner", "norole", "expired", "cert", "reader"):
            self.principals[name] = {"id": str(uuid.uuid4()), "secret": secrets.token_urlsafe(24), "oid": str(uuid.uuid4())}
        seed = {
            "tenants": {self.tid: {"display_name": "Contoso", "domains": ["contoso.onmicrosoft.com"]}, self.tid2: {"display_name": "Fabrikam"}},
            "principals": {p["id"]: {"tenant": self.tid, "secret": p["secret"], "object_id": p["oid"], "display_name": n}
                           for n, p in self.principals.items()},
            "subscriptions": {
                self.sub: {"display_name": "Arc Production", "tenant": self.tid,
                           "providers": {"Microsoft.HybridCompute": "Registered", "Microsoft.GuestConfiguration": "Registered"}},
                self.sub2: {"display_name": "Arc Unregistered", "tenant": self.tid, "providers": {"Microsoft.HybridCompute": "NotRegistered"}},
            },
            "resource_groups": {"/subscriptions/%s/resourcegroups/%s" % (s, self.rg): {"name": self.rg, "location": "westeurope"}
                                for s in (self.sub, self.sub2)},
            "role_assignments": [
                {"object_id": self.principals["onboard"]["oid"], "role": ONBOARDING, "scope": "/subscriptions/%s/resourceGroups/%s" % (self.sub, self.rg)},
                {"object_id": self.principals["onboard"]["oid"], "role": ONBOARDING, "scope": "/subscriptions/%s/resourceGroups/%s" % (self.sub2, self.rg)},
                {"object_id": self.principals["owner"]["oid"], "role": "Owner", "scope": "/subscriptions/%s" % self.sub},
                {"object_id": self.principals["owner"]["oid"], "role": "Owner", "scope": "/subscriptions/%s" % self.sub2},
                {"object_id": self.principals["reader"]["oid"], "role": "Reader", "scope": "/subscriptions/%s" % self.sub},
            ],
        }
        seed["principals"][self.principals["expired"]["id"]]["secret_expired"] = True
        seed["principals"][self.principals["cert"]["id"]]["certificates"] = [self.cert_pem]
        seed["principals"][self.principals["cert"]["id"]].pop("secret")
        self.client.seed(seed)
        self.tokens = {}

    def token(self, name):
        if name not in self.tokens:
            p = self.principals[name]
            self.tokens[name] = self.client.token(self.tid, p["id"], p["secret"])
        return self.tokens[name]

    def token_form(self, client_id, secret, tenant=None, host="login.microsoftonline.com"):
        return self.client.request("POST", "/%s/oauth2/v2.0/token" % (tenant or self.tid), host=host,
                                   form={"client_id": client_id, "client_secret": secret, "grant_type": "client_credentials",
                                         "scope": "https://management.azure.com/.default"})

    def machine_path(self, name, sub=None, rg=None, query=API):
        return "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/%s?%s" % (sub or self.sub, rg or self.rg, name, query)

    def arm(self, method, path, who="onboard", body=None, headers=None):
        return self.client.request(method, path, body=body, token=self.token(who) if who else None, headers=headers)

    def put_machine(self, name, who="onboard", sub=None, vm_id=None, **extra):
        body = {"location": "westeurope", "identity": {"type": "SystemAssigned"},
                "properties": {"vmId": vm_id or str(uuid.uuid4()), "osType": "linux", "status": "Connected", "agentVersion": "1.58.03228.700"}}
        body.update(extra)
        return self.arm("PUT", self.machine_path(name, sub=sub), who, body)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = World(tmp_path_factory.mktemp("mock"))
    yield w
    server.stop_daemon(w.dir)


def aad_error(resp):
    assert resp.header("content-type") == "application/json; charset=utf-8"
    assert resp.header("cache-control") == "no-store, no-cache"
    assert resp.header("pragma") == "no-cache" and resp.header("expires") == "-1"
    assert resp.header("x-content-type-options") == "nosniff"
    body = resp.json()
    assert set(body) == {"error", "error_description", "error_codes", "timestamp", "trace_id", "correlation_id", "error_uri"}
    assert AAD_TS_RE.match(body["timestamp"])
    assert GUID_RE.match(body["trace_id"]) and GUID_RE.match(body["correlation_id"])
    assert resp.header("x-ms-request-id") == body["trace_id"]
    text, _, tail = body["error_description"].partition(" Trace ID: ")
    assert tail == "%s Correlation ID: %s Timestamp: %s" % (body["trace_id"], body["correlation_id"], body["timestamp"])
    assert "\r\n" not in body["error_description"]
    return body, text


def arm_error(resp, status, code):
    assert resp.status == status, resp.body
    assert resp.header("content-type") == "application/json; charset=utf-8"
    for name, value in (("cache-control", "no-cache"), ("pragma", "no-cache"), ("expires", "-1"), ("x-content-type-options", "nosniff"),
                        ("strict-transport-security", "max-age=31536000; includeSubDomains")):
        assert resp.header(name) == value
    assert GUID_RE.match(resp.header("x-ms-request-id"))
    assert ROUTING_RE.match(resp.header("x-ms-routing-request-id"))
    body = resp.json()
    assert body["error"]["code"] == code
    return body["error"]["message"]


# ------------------------------------------------------------------------------------------ Entra ID

def test_token_success_shape_and_headers(world):
    p = world.principals["onboard"]
    resp = world.token_form(p["id"], p["secret"])
    assert resp.status == 200
    body = resp.json()
    assert body["token_type"] == "Bearer"
    assert isinstance(body["expires_in"], int) and body["expires_in"] == 3599 and body["ext_expires_in"] == 3599
    assert not {"expires_on", "resource", "refresh_token"} & set(body)
    claims = json.loads(certs.b64url_decode(body["access_token"].split(".")[1]))
    assert claims["oid"] == p["oid"] and claims["tid"] == world.tid and claims["appid"] == p["id"]
    assert claims["aud"] == "https://management.azure.com/" and claims["exp"] > time.time() + 3000
    assert resp.header("content-type") == "application/json; charset=utf-8"
    assert resp.header("cache-control") == "no-store, no-cache" and resp.header("pragma") == "no-cache"
    assert GUID_RE.match(resp.header("x-ms-request-id")) and "ProdSlices" in resp.header("x-ms-ests-server")


def test_token_by_tenant_domain_and_basic_auth(world):
    p = world.principals["onboard"]
    import base64
    basic = base64.b64encode(("%s:%s" % (p["id"], p["secret"])).encode()).decode()
    resp = world.client.request("POST", "/contoso.onmicrosoft.com/oauth2/v2.0/token", host="login.microsoftonline.com",
                                headers={"Authorization": "Basic " + basic},
                                form={"grant_type": "client_credentials", "scope": "https://management.core.windows.net//.default"})
    assert resp.status == 200, resp.body
    claims = json.loads(certs.b64url_decode(resp.json()["access_token"].split(".")[1]))
    assert claims["aud"] == "https://management.core.windows.net/"


def test_invalid_client_secret_7000215(world):
    p = world.principals["onboard"]
    resp = world.token_form(p["id"], "not-" + p["secret"])
    assert resp.status == 401
    body, text = aad_error(resp)
    assert body["error"] == "invalid_client" and body["error_codes"] == [7000215]
    assert text == ("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, "
                    "not the client secret ID, for a secret added to app '%s'." % p["id"])
    assert body["error_uri"] == "https://login.microsoftonline.com/error?code=7000215"


def test_expired_secret_7000222(world):
    p = world.principals["expired"]
    resp = world.token_form(p["id"], p["secret"])
    assert resp.status == 401
    body, text = aad_error(resp)
    assert body["error"] == "invalid_client" and body["error_codes"] == [7000222]
    assert text == ("AADSTS7000222: The provided client secret keys for app '%s' are expired. Visit the Azure portal to create new keys for "
                    "your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: "
                    "https://aka.ms/certCreds." % p["id"])


def test_application_not_found_700016_names_the_directory(world):
    unknown = str(uuid.uuid4())
    resp = world.token_form(unknown, "x", host="login.windows.net")
    assert resp.status == 400
    body, text = aad_error(resp)
    assert body["error"] == "unauthorized_client" and body["error_codes"] == [700016]
    assert text == ("AADSTS700016: Application with identifier '%s' was not found in the directory 'Contoso'. This can happen if the "
                    "application has not been installed by the administrator of the tenant or consented to by any user in the tenant. "
                    "You may have sent your authentication request to the wrong tenant." % unknown)
    assert body["error_uri"] == "https://login.windows.net/error?code=700016"


def test_principal_of_another_tenant_is_not_found(world):
    p = world.principals["onboard"]
    resp = world.token_form(p["id"], p["secret"], tenant=world.tid2)
    body, text = aad_error(resp)
    assert body["error_codes"] == [700016] and "in the directory 'Fabrikam'" in text


def test_tenant_not_found_90002_repeats_the_segment(world):
    segment = "NoSuch-%s" % uuid.uuid4()
    resp = world.token_form(world.principals["onboard"]["id"], "x", tenant=segment)
    assert resp.status == 400
    body, text = aad_error(resp)
    assert body["error"] == "invalid_request" and body["error_codes"] == [90002]
    assert text == ("AADSTS90002: Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct "
                    "cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the "
                    "tenant." % segment)


def test_missing_credential_7000218(world):
    resp = world.client.request("POST", "/%s/oauth2/v2.0/token" % world.tid, host="login.microsoftonline.com",
                                form={"client_id": world.principals["onboard"]["id"], "grant_type": "client_credentials"})
    body, text = aad_error(resp)
    assert resp.status == 401 and body["error_codes"] == [7000218]
    assert text == "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'."


@pytest.mark.parametrize("alg,thumb", [("RS256", "x5t"), ("RS256", "x5t#S256"), ("PS256", "x5t#S256"), ("PS256", "both")])
def test_certificate_assertion_accepted(world, alg, thumb):
    cid = world.principals["cert"]["id"]
    aud = "https://login.microsoftonline.com/%s/oauth2/v2.0/token" % world.tid
    assertion = certs.make_client_assertion(world.key_pem, world.cert_pem, cid, aud, alg=alg, thumbprint=thumb)
    resp = world.client.request("POST", "/%s/oauth2/v2.0/token" % world.tid, host="login.microsoftonline.com", form={
        "client_id": cid, "grant_type": "client_credentials", "scope": "https://management.azure.com/.default",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion": assertion})
    assert resp.status == 200, resp.body
    assert resp.json()["access_token"].count(".") == 2


def test_certificate_not_registered_700027(world):
    cid = world.principals["cert"]["id"]
    other_key, other_cert = certs.make_client_certificate("other")
    assertion = certs.make_client_assertion(other_key, other_cert, cid, "https://login.microsoftonline.com/%s/oauth2/v2.0/token" % world.tid)
    resp = world.client.request("POST", "/%s/oauth2/v2.0/token" % world.tid, host="login.microsoftonline.com", form={
        "client_id": cid, "grant_type": "client_credentials", "scope": "https://management.azure.com/.default",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion": assertion})
    assert resp.status == 401
    body, text = aad_error(resp)
    assert body["error"] == "invalid_client" and body["error_codes"] == [700027]
    assert text.startswith("AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. "
                           "[Reason - The key was not found., Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see "
                           "configured keys for app Id '%s'." % cid)


def test_certificate_with_forged_signature_is_refused(world):
    cid = world.principals["cert"]["id"]
    other_key, _ = certs.make_client_certificate("forger")
    # the registered certificate's thumbprint, signed with another key
    assertion = certs.make_client_assertion(other_key, world.cert_pem, cid, "https://login.microsoftonline.com/%s/oauth2/v2.0/token" % world.tid)
    resp = world.client.request("POST", "/%s/oauth2/v2.0/token" % world.tid, host="login.microsoftonline.com", form={
        "client_id": cid, "grant_type": "client_credentials", "scope": "https://management.azure.com/.default",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion": assertion})
    assert resp.status == 401
    body, text = aad_error(resp)
    assert body["error_codes"] == [700027] and "invalid signature" in text


def test_crlf_separator_setting(world):
    world.client.seed({"settings": {"aad_separator": "crlf"}})
    try:
        resp = world.token_form(world.principals["onboard"]["id"], "wrong")
        desc = resp.json()["error_description"]
        assert "'.\r\nTrace ID: " in desc and "\r\nCorrelation ID: " in desc and "\r\nTimestamp: " in desc
    finally:
        world.client.seed({"settings": {"aad_separator": "space"}})


# ------------------------------------------------------------------------------------------ ARM: authentication

def test_missing_authorization_header(world):
    resp = world.client.request("GET", world.machine_path("m-noauth"))
    msg = arm_error(resp, 401, "AuthenticationFailed")
    assert msg == "Authentication failed. The 'Authorization' header is missing."
    assert resp.header("www-authenticate") == (
        'Bearer authorization_uri="https://login.windows.net/%s", error="invalid_token", '
        'error_description="The authentication failed because of missing \'Authorization\' header."' % world.tid)
    assert resp.header("x-ms-failure-cause") == "gateway"


def test_invalid_token(world):
    good = world.token("onboard")
    head, body, _sig = good.split(".")
    forged = head + "." + body + "." + certs.b64url(b"forged")
    resp = world.client.request("GET", world.machine_path("m1"), token=forged)
    assert arm_error(resp, 401, "InvalidAuthenticationToken") == "The access token is invalid."
    assert resp.header("www-authenticate").startswith('Bearer authorization_uri="https://login.windows.net/')


def test_expired_and_wrong_audience_tokens(tmp_path):
    from mockazure.model import Mock
    mock = Mock()
    tid = str(uuid.uuid4())
    principal = {"object_id": str(uuid.uuid4())}
    mock.seed({"tenants": {tid: {"display_name": "T"}}})
    old = mock.issue_token("app", principal, tid, "https://management.azure.com/", lifetime=-7200)
    status, headers, body = mock.handle("GET", "/subscriptions/x?api-version=2022-12-01", {"Authorization": "Bearer " + old}, b"")
    assert status == 401
    message = json.loads(body)["error"]["message"]
    assert json.loads(body)["error"]["code"] == "ExpiredAuthenticationToken"
    assert re.match(r"^The access token expiry UTC time '\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M' is earlier than current UTC time "
                    r"'\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M'\.$", message), message
    graph = mock.issue_token("app", principal, tid, "https://graph.microsoft.com/")
    status, headers, body = mock.handle("GET", "/subscriptions/x?api-version=2022-12-01", {"Authorization": "Bearer " + graph}, b"")
    assert status == 401 and headers["x-ms-failure-cause"] == "gateway"
    assert json.loads(body)["error"] == {"code": "InvalidAuthenticationTokenAudience", "message": (
        "The access token has been obtained for wrong audience or resource 'https://graph.microsoft.com/'. It should exactly match with one "
        "of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/',"
        "'https://management.azure.com'.")}


# ------------------------------------------------------------------------------------------ ARM: machines

def test_machine_lifecycle(world):
    name = "lifecycle-01"
    resp = world.arm("GET", world.machine_path(name))
    assert arm_error(resp, 404, "ResourceNotFound") == (
        "The Resource 'Microsoft.HybridCompute/machines/%s' under resource group '%s' was not found. For more details please go to "
        "https://aka.ms/ARMResourceNotFoundFix" % (name, world.rg))
    vm_id = str(uuid.uuid4())
    resp = world.put_machine(name, vm_id=vm_id, tags={"env": "prod"})
    assert resp.status == 200, resp.body
    assert resp.header("x-ms-ratelimit-remaining-subscription-writes") and resp.header("x-ms-ratelimit-remaining-subscription-global-writes")
    machine = resp.json()
    assert machine["id"] == "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/%s" % (world.sub, world.rg, name)
    assert machine["type"] == "Microsoft.HybridCompute/machines" and machine["location"] == "westeurope"
    props = machine["properties"]
    assert props["vmId"] == vm_id and props["status"] == "Connected" and props["provisioningState"] == "Succeeded"
    assert props["osName"] == "linux" and props["errorDetails"] == [] and props["mssqlDiscovered"] == "false"
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$", props["lastStatusChange"])
    resp = world.arm("GET", world.machine_path(name))
    assert resp.status == 200 and resp.json()["resources"] == [] and resp.json()["tags"] == {"env": "prod"}
    assert resp.header("x-ms-ratelimit-remaining-subscription-reads")
    resp = world.arm("PATCH", world.machine_path(name), body={"tags": {"owner": "ops"}})
    assert resp.status == 200 and resp.json()["tags"] == {"owner": "ops"}    # the map is replaced
    # automatic agent upgrade (manage-agent.md: PATCH {"properties":{"agentUpgrade":{"enableAutomaticUpgrade":true}}}), merged
    resp = world.arm("PATCH", world.machine_path(name), body={"properties": {"agentUpgrade": {"enableAutomaticUpgrade": True}}})
    assert resp.status == 200 and resp.json()["properties"]["agentUpgrade"] == {"enableAutomaticUpgrade": True}
    assert resp.json()["tags"] == {"owner": "ops"}
    resp = world.arm("PATCH", world.machine_path(name), body={"properties": {"agentUpgrade": {"desiredVersion": "1.67"}}})
    assert resp.json()["properties"]["agentUpgrade"] == {"enableAutomaticUpgrade": True, "desiredVersion": "1.67"}
    resp = world.put_machine(name, vm_id=vm_id)
    assert resp.status == 200 and resp.json()["properties"]["provisioningState"] == "Updating"
    resp = world.arm("DELETE", world.machine_path(name), who="owner")
    assert resp.status == 200 and resp.body == b"" and resp.header("content-length") == "0"
    assert resp.header("x-ms-ratelimit-remaining-subscription-deletes") and resp.header("x-ms-ratelimit-remaining-subscription-global-deletes")
    resp = world.arm("DELETE", world.machine_path(name), who="owner")
    assert resp.status == 204


def test_correlation_id_is_echoed_or_equals_request_id(world):
    resp = world.arm("GET", world.machine_path("nothing-here"))
    assert resp.header("x-ms-correlation-request-id") == resp.header("x-ms-request-id")
    corr = str(uuid.uuid4())
    resp = world.arm("GET", world.machine_path("nothing-here"), headers={"x-ms-correlation-request-id": corr})
    assert resp.header("x-ms-correlation-request-id") == corr


def test_put_without_vmid_is_the_unwrapped_hcrp400(world):
    resp = world.arm("PUT", world.machine_path("novmid-01"), body={"location": "westeurope", "properties": {}})
    assert resp.status == 400
    body = resp.json()
    assert body["code"] == "HCRP400" and "error" not in body
    assert body["message"] == ("The request does not have sufficient information to complete the operation. Missing or invalid properties: VmId")


def test_authorization_failed_exact_text(world):
    p = world.principals["norole"]
    path = world.machine_path("authz-01")
    resp = world.arm("GET", path, who="norole")
    msg = arm_error(resp, 403, "AuthorizationFailed")
    scope = "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/authz-01" % (world.sub, world.rg)
    assert msg == ("The client '%s' with object id '%s' does not have authorization to perform action 'Microsoft.HybridCompute/machines/read' "
                   "over scope '%s' or the scope is invalid. If access was recently granted, please refresh your credentials." % (p["oid"], p["oid"], scope))
    assert resp.header("x-ms-failure-cause") == "gateway"
    assert "machines/write" in arm_error(world.put_machine("authz-01", who="reader"), 403, "AuthorizationFailed")
    world.put_machine("authz-02")
    assert "'Microsoft.HybridCompute/machines/delete'" in arm_error(world.arm("DELETE", world.machine_path("authz-02")), 403, "AuthorizationFailed")


def test_resource_group_not_found_vs_authorization_failed(world):
    # Owner of the subscription: the group really is missing.
    resp = world.arm("GET", world.machine_path("m", rg="rg-missing"), who="owner")
    assert arm_error(resp, 404, "ResourceGroupNotFound") == "Resource group 'rg-missing' could not be found."
    # Onboarding at another group only: ARM answers AuthorizationFailed instead.
    resp = world.arm("GET", world.machine_path("m", rg="rg-missing"))
    arm_error(resp, 403, "AuthorizationFailed")


def test_provider_registration_flow(world):
    path = "/subscriptions/%s/providers/Microsoft.HybridCompute?api-version=2021-04-01" % world.sub2
    resp = world.arm("GET", path)
    assert resp.status == 200 and resp.json()["registrationState"] == "NotRegistered"
    assert resp.json()["namespace"] == "Microsoft.HybridCompute" and resp.json()["registrationPolicy"] == "RegistrationRequired"
    resp = world.put_machine("unreg-01", sub=world.sub2)
    text = ("The subscription is not registered to use namespace 'Microsoft.HybridCompute'. See https://aka.ms/rps-not-found for how to "
            "register subscriptions.")
    assert arm_error(resp, 409, "MissingSubscriptionRegistration") == text
    assert resp.json()["error"]["details"] == [{"code": "MissingSubscriptionRegistration", "target": "Microsoft.HybridCompute", "message": text}]
    register = "/subscriptions/%s/providers/Microsoft.HybridCompute/register?api-version=2021-04-01" % world.sub2
    msg = arm_error(world.arm("POST", register), 403, "AuthorizationFailed")
    assert "'Microsoft.HybridCompute/register/action' over scope '/subscriptions/%s'" % world.sub2 in msg
    resp = world.arm("POST", register, who="owner")
    assert resp.status == 200 and resp.json()["registrationState"] == "Registering"
    assert resp.header("x-ms-ratelimit-remaining-subscription-writes")
    assert world.arm("GET", path).json()["registrationState"] == "Registering"
    assert world.arm("GET", path).json()["registrationState"] == "Registered"
    assert world.put_machine("unreg-01", sub=world.sub2).status == 200


def test_scope_locked(world):
    world.put_machine("locked-01")
    mid = "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/locked-01" % (world.sub, world.rg)
    world.client.seed({"locks": [{"scope": mid, "level": "CanNotDelete", "name": "keep"}]})
    resp = world.arm("DELETE", world.machine_path("locked-01"), who="owner")
    assert arm_error(resp, 409, "ScopeLocked") == (
        "The scope '%s' cannot perform delete operation because following scope(s) are locked: '%s'. Please remove the lock and try again." % (mid, mid))
    assert world.put_machine("locked-01").status == 200          # CanNotDelete still allows writes
    world.put_machine("readonly-01")
    rid = mid.replace("locked-01", "readonly-01")
    world.client.seed({"locks": [{"scope": rid, "level": "ReadOnly", "name": "ro"}]})
    msg = arm_error(world.put_machine("readonly-01"), 409, "ScopeLocked")
    assert "cannot perform write operation" in msg


def test_throttling_fault_with_retry_after(world):
    world.client.add_faults({"method": "PUT", "path_regex": "(?i)/machines/throttled-01$", "status": 429, "retry_after": 2, "remaining": 1})
    resp = world.put_machine("throttled-01")
    msg = arm_error(resp, 429, "SubscriptionRequestsThrottled")
    assert resp.header("retry-after") == "2"
    assert msg == ("Number of 'write' requests for subscription '%s' actor '%s' exceeded. Please try again after '2' seconds after additional "
                   "tokens are available. Refer to https://aka.ms/arm-throttling for additional information."
                   % (world.sub, world.principals["onboard"]["oid"]))
    assert world.put_machine("throttled-01").status == 200
    faults = [f for f in world.client.state()["faults"] if f.get("path_regex") == "(?i)/machines/throttled-01$"]
    assert faults[0]["remaining"] == 0


def test_paging_with_next_link(world):
    world.client.seed({"settings": {"page_size": 3}})
    rg = "rg-paging"
    world.client.seed({"resource_groups": {"/subscriptions/%s/resourcegroups/%s" % (world.sub, rg): {"name": rg, "location": "westeurope"}}})
    try:
        for i in range(7):
            assert world.arm("PUT", world.machine_path("page-%02d" % i, rg=rg), "owner", {"location": "westeurope",
                             "properties": {"vmId": str(uuid.uuid4())}}).status == 200
        path = "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines?%s" % (world.sub, rg, API)
        names, pages = [], 0
        while path:
            resp = world.arm("GET", path, "owner")
            assert resp.status == 200
            data = resp.json()
            pages += 1
            names += [m["name"] for m in data["value"]]
            assert all("resources" not in m for m in data["value"])
            link = data.get("nextLink")
            if link:
                parts = urllib.parse.urlsplit(link)
                assert parts.scheme == "https" and parts.hostname == "management.azure.com"
                path = parts.path + "?" + parts.query
            else:
                path = None
        assert pages == 3 and names == ["page-%02d" % i for i in range(7)]
        sub_list = world.arm("GET", "/subscriptions/%s/providers/Microsoft.HybridCompute/machines?%s" % (world.sub, API), "owner").json()
        assert len(sub_list["value"]) == 3 and "nextLink" in sub_list
    finally:
        world.client.seed({"settings": {"page_size": 50}})


def test_async_delete_with_polling(world):
    world.put_machine("async-01")
    world.client.seed({"settings": {"delete_mode": "async", "async_polls": 1}})
    try:
        resp = world.arm("DELETE", world.machine_path("async-01"), who="owner")
    finally:
        world.client.seed({"settings": {"delete_mode": "sync"}})
    assert resp.status == 202 and resp.body == b""
    assert resp.header("retry-after") == "1"
    status_url = urllib.parse.urlsplit(resp.header("azure-asyncoperation"))
    assert "/providers/Microsoft.HybridCompute/locations/westeurope/operationstatus/" in status_url.path
    assert "/operationresults/" in resp.header("location")
    first = world.arm("GET", status_url.path + "?" + status_url.query, "owner").json()
    assert first["status"] == "InProgress" and GUID_RE.match(first["name"])
    second = world.arm("GET", status_url.path + "?" + status_url.query, "owner").json()
    assert second["status"] == "Succeeded"
    assert world.arm("GET", world.machine_path("async-01"), "owner").status == 404


def test_subscriptions_list_get_and_not_found(world):
    data = world.arm("GET", "/subscriptions?api-version=2022-12-01").json()
    assert {s["subscriptionId"] for s in data["value"]} == {world.sub, world.sub2}
    assert {s["displayName"] for s in data["value"]} == {"Arc Production", "Arc Unregistered"}
    assert world.arm("GET", "/subscriptions?api-version=2022-12-01", who="norole").json()["value"] == []
    resp = world.arm("GET", "/subscriptions/%s?api-version=2022-12-01" % world.sub)
    assert resp.status == 200 and resp.json()["state"] == "Enabled" and resp.json()["tenantId"] == world.tid
    missing = str(uuid.uuid4())
    resp = world.arm("GET", "/subscriptions/%s/resourceGroups/x/providers/Microsoft.HybridCompute/machines/y?%s" % (missing, API))
    assert arm_error(resp, 404, "SubscriptionNotFound") == "The subscription '%s' could not be found." % missing


def test_missing_api_version(world):
    resp = world.arm("GET", world.machine_path("m", query="x=1"))
    assert arm_error(resp, 400, "MissingApiVersionParameter") == "The api-version query parameter (?api-version=) is required for all requests."


def test_resource_groups(world):
    resp = world.arm("PUT", "/subscriptions/%s/resourcegroups/rg-new?api-version=2021-04-01" % world.sub, "owner", {"location": "westeurope"})
    assert resp.status == 201 and resp.json()["id"] == "/subscriptions/%s/resourceGroups/rg-new" % world.sub
    resp = world.arm("GET", "/subscriptions/%s/resourceGroups/RG-NEW?api-version=2021-04-01" % world.sub, "owner")
    assert resp.status == 200 and resp.json()["name"] == "rg-new" and resp.json()["properties"]["provisioningState"] == "Succeeded"
    assert world.arm("PUT", "/subscriptions/%s/resourcegroups/rg-new?api-version=2021-04-01" % world.sub, "owner", {"location": "westeurope"}).status == 200
    arm_error(world.arm("PUT", "/subscriptions/%s/resourcegroups/rg-x?api-version=2021-04-01" % world.sub, "onboard", {"location": "westeurope"}),
              403, "AuthorizationFailed")


# ------------------------------------------------------------------------------------------ admin, TLS, persistence

def test_requests_log_and_state_file(world):
    world.put_machine("logged-01")
    log = world.client.requests()
    last = [r for r in log if r["path"].startswith(world.machine_path("logged-01").split("?")[0])][-1]
    assert last["method"] == "PUT" and last["status"] == 200 and last["principal"] == world.principals["onboard"]["id"]
    with open(os.path.join(world.dir, "state.json"), encoding="utf-8") as handle:
        saved = json.load(handle)
    key = ("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/logged-01" % (world.sub, world.rg)).lower()
    assert key in saved["machines"]
    assert "token_key" not in world.client.state()


def test_tls_names_and_intercept_port(world):
    ctx = ssl.create_default_context(cafile=world.info["ca_file"])
    for name in ("login.microsoftonline.com", "management.azure.com", "gbl.his.arc.azure.com", "westeurope.his.arc.azure.com",
                 "weu.his.arc.azure.com", "login.windows.net", "usgv.his.arc.azure.us",
                 "agentserviceapi.guestconfiguration.azure.com", "pas.windows.net", "management.usgovcloudapi.net",
                 "login.chinacloudapi.cn", "usgovvirginia.his.arc.azure.us", "localhost", "127.0.0.1"):
        with socket.create_connection(("127.0.0.1", world.info["port"]), 5) as raw:
            with ctx.wrap_socket(raw, server_hostname=name) as tls:
                assert tls.version() in ("TLSv1.2", "TLSv1.3")
    with socket.create_connection(("127.0.0.1", world.info["intercept_port"]), 5) as raw:
        with pytest.raises(ssl.SSLCertVerificationError, match="unable to get local issuer certificate|self.signed"):
            ctx.wrap_socket(raw, server_hostname="login.microsoftonline.com")
    other = ssl.create_default_context(cafile=world.info["intercept_ca_file"])
    with socket.create_connection(("127.0.0.1", world.info["intercept_port"]), 5) as raw:
        with other.wrap_socket(raw, server_hostname="login.microsoftonline.com") as tls:
            assert tls.getpeercert()["issuer"][-1][0][1] == "Corporate TLS Inspection CA"
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", world.info["closed_port"]), 5)


def test_urllib_health_and_listens_on_loopback_only(world):
    ctx = ssl.create_default_context(cafile=world.info["ca_file"])
    with urllib.request.urlopen(world.info["url"] + "/_mock/health", context=ctx, timeout=5) as resp:
        assert json.load(resp)["pid"] == world.info["pid"]
    assert world.info["url"].startswith("https://127.0.0.1:")


def test_restart_keeps_state(tmp_path):
    info = server.start_daemon(str(tmp_path))
    try:
        client = Client(info["url"], info["ca_file"])
        client.seed({"tenants": {"t1": {"display_name": "Kept"}}})
    finally:
        assert server.stop_daemon(str(tmp_path))
    assert not server.stop_daemon(str(tmp_path))           # idempotent
    with pytest.raises(OSError):
        os.kill(info["pid"], 0)
    info2 = server.start_daemon(str(tmp_path))
    try:
        assert Client(info2["url"], info2["ca_file"]).state()["tenants"]["t1"]["display_name"] == "Kept"
        with open(info2["ca_file"], "rb") as a, open(info["ca_file"], "rb") as b:
            assert a.read() == b.read()                     # the CA is reused
    finally:
        server.stop_daemon(str(tmp_path))
