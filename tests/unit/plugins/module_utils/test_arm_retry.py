# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ARM client's request / retry / token path, over a fake transport (no sockets, no sleeping).

* 429 with Retry-After, 5xx and connection resets are retried within the count and the waiting budget,
  and every retry shows in figures() (attempts, waited seconds, counts by cause, events);
* a refused connection, an untrusted certificate or a client error is not retried;
* a token that Resource Manager calls expired is renewed once per request (never with a given token);
* a long-running delete that does not finish in time is an error that says so, never a success.
"""

from __future__ import annotations

import email.message
import http.client
import io
import json
import ssl
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _arm as arm

AUTHORITY = "https://login.example.test"
RM = "https://management.example.test"
TENANT = "11111111-2222-3333-4444-555555555555"
CLIENT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
SECRET = "retry-test-secret~Q8.z+/="
SUB = "00000000-0000-0000-0000-00000000abcd"
MACHINE = "/subscriptions/%s/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/web01" % SUB
OPERATION = RM + "/subscriptions/%s/providers/Microsoft.HybridCompute/locations/westeurope/operationstatus/op1?api-version=2025-01-13" % SUB


class _Answer:
    """A 2xx/3xx answer as urllib's opener returns it."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self._body = body

    def read(self):
        return self._body

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class FakeTransport:
    """An opener whose answers are scripted per (method, path prefix): each answer is a tuple
    ``(status, headers, body)`` or an exception instance to raise. The last answer of a route repeats.
    The token endpoint answers a fresh token ``token-N`` unless scripted."""

    def __init__(self):
        self.routes = []
        self.sent = []
        self.tokens = 0

    def add(self, method, prefix, *answers):
        self.routes.append((method, prefix, list(answers)))
        return self

    def _answer(self, method, url):
        path = urlsplit(url).path
        for route_method, prefix, answers in self.routes:
            if route_method == method and (path.startswith(prefix) or url.startswith(prefix)):
                return answers.pop(0) if len(answers) > 1 else answers[0]
        if method == "POST" and path.endswith("/oauth2/v2.0/token"):
            return None
        return 404, {}, {"error": {"code": "ResourceNotFound", "message": "not scripted: %s %s" % (method, path)}}

    def open(self, request, timeout=None):
        method, url = request.get_method(), request.full_url
        self.sent.append({"method": method, "url": url, "authorization": request.get_header("Authorization"),
                          "body": request.data})
        answer = self._answer(method, url)
        if answer is None:
            self.tokens += 1
            answer = (200, {}, {"token_type": "Bearer", "expires_in": 3599, "access_token": "token-%d" % self.tokens})
        if isinstance(answer, BaseException):
            raise answer
        status, headers, body = answer
        if isinstance(body, bytes):
            data = body
        elif body is None:
            data = b""
        else:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        message = email.message.Message()
        for name, value in headers.items():
            message[name] = value
        if status >= 400:
            raise HTTPError(url, status, "error", message, io.BytesIO(data))
        return _Answer(status, message, data)

    def count(self, method, prefix=""):
        return len([s for s in self.sent if s["method"] == method and urlsplit(s["url"]).path.startswith(prefix)])


def client(transport, sleeps, **kwargs):
    params = dict(tenant_id=TENANT, client_id=CLIENT, client_secret=SECRET, authority_host=AUTHORITY, resource_manager_endpoint=RM)
    params.update(kwargs)
    return arm.ArmClient(sleep=sleeps.append, opener=transport, **params)


def machine():
    return {"id": MACHINE, "name": "web01", "location": "westeurope", "properties": {"status": "Connected"}}


def throttled(seconds):
    return (429, {"Retry-After": str(seconds)}, {"error": {
        "code": "SubscriptionRequestsThrottled",
        "message": "Number of 'read' requests for subscription '%s' actor 'x' exceeded. Please try again after '%s' seconds after "
                   "additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information." % (SUB, seconds)}})


EXPIRED = (401, {"WWW-Authenticate": 'Bearer error="invalid_token"'}, {"error": {
    "code": "ExpiredAuthenticationToken",
    "message": "The access token expiry UTC time '11/30/2026 10:00:00 PM' is earlier than current UTC time '11/30/2026 11:00:00 PM'."}})


# -- throttling, server errors, resets ---------------------------------------------------------------------------------

def test_throttling_is_retried_after_the_time_azure_asks_and_reported():
    transport, sleeps = FakeTransport().add("GET", MACHINE, throttled(2), throttled(3), (200, {}, machine())), []
    arm_client = client(transport, sleeps)
    assert arm_client.get_machine(SUB, "rg-arc", "web01")["name"] == "web01"
    assert sleeps == [2, 3]
    figures = arm_client.figures()
    assert (figures["retries"], figures["throttled"], figures["waited_seconds"], figures["requests"]) == (2, 2, 5.0, 4)
    assert [(e["reason"], e["status"], e["attempt"], e["wait"], e["method"]) for e in figures["events"]] == [
        ("throttled", 429, 1, 2.0, "GET"), ("throttled", 429, 2, 3.0, "GET")]
    assert figures["events"][0]["path"] == MACHINE


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_back_off_exponentially(status):
    transport, sleeps = FakeTransport().add("GET", MACHINE, (status, {}, "upstream trouble"), (status, {}, ""), (200, {}, machine())), []
    arm_client = client(transport, sleeps)
    assert arm_client.get_machine(SUB, "rg-arc", "web01")["id"] == MACHINE
    assert sleeps == [1.0, 2.0]
    assert arm_client.figures()["server_errors"] == 2 and arm_client.figures()["waited_seconds"] == 3.0


@pytest.mark.parametrize("reset", [
    ConnectionResetError(104, "Connection reset by peer"),
    http.client.RemoteDisconnected("Remote end closed connection without response"),
    URLError(ConnectionResetError(104, "Connection reset by peer")),
    http.client.IncompleteRead(b"{"),
    BrokenPipeError(32, "Broken pipe"),
], ids=["reset", "remote-disconnected", "urlerror-reset", "incomplete-read", "broken-pipe"])
def test_connection_resets_are_retried(reset):
    transport, sleeps = FakeTransport().add("GET", MACHINE, reset, reset, (200, {}, machine())), []
    arm_client = client(transport, sleeps)
    assert arm_client.get_machine(SUB, "rg-arc", "web01")["name"] == "web01"
    assert transport.count("GET", MACHINE) == 3 and sleeps == [1.0, 2.0]
    assert arm_client.figures()["connection_resets"] == 2


def test_resets_at_the_token_endpoint_are_retried_too():
    token_path = "/%s/oauth2/v2.0/token" % TENANT
    ok = (200, {}, {"token_type": "Bearer", "expires_in": 3599, "access_token": "token-after-reset"})
    transport = FakeTransport().add("POST", token_path, ConnectionResetError(104, "reset"), (503, {"Retry-After": "1"}, ""), ok)
    transport.add("GET", MACHINE, (200, {}, machine()))
    sleeps = []
    arm_client = client(transport, sleeps)
    assert arm_client.get_machine(SUB, "rg-arc", "web01")["name"] == "web01"
    assert transport.sent[-1]["authorization"] == "Bearer token-after-reset"
    assert sleeps == [1.0, 1.0]
    figures = arm_client.figures()
    assert (figures["connection_resets"], figures["server_errors"], figures["retries"]) == (1, 1, 2)
    # the form was sent again unchanged (the retry is of the same idempotent request)
    forms = [parse_qs(s["body"].decode()) for s in transport.sent if s["method"] == "POST"]
    assert len(forms) == 3 and all(f == forms[0] for f in forms) and forms[0]["client_secret"] == [SECRET]


def test_resets_that_do_not_stop_end_within_the_bound():
    transport, sleeps = FakeTransport().add("GET", MACHINE, ConnectionResetError(104, "Connection reset by peer")), []
    arm_client = client(transport, sleeps, max_retries=3)
    with pytest.raises(arm.ArmError) as info:
        arm_client.get_machine(SUB, "rg-arc", "web01")
    error = info.value
    assert error.kind == "network" and error.connection_reset and error.retries == 3
    assert transport.count("GET", MACHINE) == 4 and sleeps == [1.0, 2.0, 4.0]
    result = error.to_result()
    assert result["retries"] == 3 and result["category"] == "transient"  # the classifier knows "connection reset by peer"


@pytest.mark.parametrize("failure", [
    URLError(ConnectionRefusedError(111, "Connection refused")),
    URLError(ssl.SSLCertVerificationError(1, "certificate verify failed: unable to get local issuer certificate")),
    URLError(OSError(-2, "Name or service not known")),
], ids=["refused", "untrusted", "dns"])
def test_failures_a_retry_cannot_change_are_not_retried(failure):
    transport, sleeps = FakeTransport().add("GET", MACHINE, failure), []
    with pytest.raises(arm.ArmError) as info:
        client(transport, sleeps).get_machine(SUB, "rg-arc", "web01")
    assert info.value.kind == "network" and not info.value.connection_reset
    assert transport.count("GET", MACHINE) == 1 and sleeps == []


@pytest.mark.parametrize("status, code", [(400, "InvalidRequestContent"), (403, "AuthorizationFailed"), (409, "ScopeLocked")])
def test_client_errors_are_not_retried(status, code):
    transport, sleeps = FakeTransport().add("GET", MACHINE, (status, {}, {"error": {"code": code, "message": "no"}})), []
    with pytest.raises(arm.ArmError) as info:
        client(transport, sleeps).get_machine(SUB, "rg-arc", "web01")
    assert info.value.arm_code == code and transport.count("GET", MACHINE) == 1 and sleeps == []


def test_retry_after_beyond_the_budget_ends_the_retries_at_once():
    transport, sleeps = FakeTransport().add("GET", MACHINE, throttled(120)), []
    arm_client = client(transport, sleeps, max_retry_wait=60)
    with pytest.raises(arm.ArmError) as info:
        arm_client.get_machine(SUB, "rg-arc", "web01")
    assert sleeps == [] and info.value.retry_after == 120 and info.value.status == 429
    assert arm_client.figures()["retries"] == 0 and arm_client.figures()["throttled"] == 0
    assert info.value.to_result()["category"] == "throttling"


def test_the_waiting_budget_bounds_the_sum_of_the_waits():
    transport, sleeps = FakeTransport().add("GET", MACHINE, throttled(25)), []
    arm_client = client(transport, sleeps, max_retry_wait=60, max_retries=10)
    with pytest.raises(arm.ArmError):
        arm_client.get_machine(SUB, "rg-arc", "web01")
    assert sleeps == [25, 25] and transport.count("GET", MACHINE) == 3
    assert arm_client.figures()["waited_seconds"] == 50.0


def test_the_count_bounds_the_attempts():
    transport, sleeps = FakeTransport().add("GET", MACHINE, (503, {"Retry-After": "0"}, "")), []
    arm_client = client(transport, sleeps, max_retries=4)
    with pytest.raises(arm.ArmError) as info:
        arm_client.get_machine(SUB, "rg-arc", "web01")
    assert transport.count("GET", MACHINE) == 5 and info.value.retries == 4 and info.value.status == 503


def test_figures_keep_a_bounded_number_of_events():
    transport, sleeps = FakeTransport().add("GET", MACHINE, (503, {"Retry-After": "0"}, ""), (200, {}, machine())), []
    arm_client = client(transport, sleeps, max_retries=2)
    for _round in range(arm.MAX_RETRY_EVENTS):
        transport.routes[0] = ("GET", MACHINE, [(503, {"Retry-After": "0"}, ""), (200, {}, machine())])
        arm_client.get_machine(SUB, "rg-arc", "web01")
    assert arm_client.figures()["retries"] == arm.MAX_RETRY_EVENTS
    transport.routes[0] = ("GET", MACHINE, [(503, {"Retry-After": "0"}, ""), (200, {}, machine())])
    arm_client.get_machine(SUB, "rg-arc", "web01")
    figures = arm_client.figures()
    assert figures["retries"] == arm.MAX_RETRY_EVENTS + 1 and len(figures["events"]) == arm.MAX_RETRY_EVENTS


# -- an access token that expires during the run ----------------------------------------------------------------------

def test_an_expired_token_is_renewed_once_and_the_request_sent_again():
    transport = FakeTransport().add("GET", MACHINE, (200, {}, machine()), EXPIRED, (200, {}, machine()))
    sleeps = []
    arm_client = client(transport, sleeps)
    arm_client.get_machine(SUB, "rg-arc", "web01")
    arm_client.get_machine(SUB, "rg-arc", "web01")
    gets = [s["authorization"] for s in transport.sent if s["method"] == "GET"]
    assert gets == ["Bearer token-1", "Bearer token-1", "Bearer token-2"]
    figures = arm_client.figures()
    assert figures["token_renewals"] == 1 and figures["retries"] == 0 and sleeps == []
    assert figures["events"] == [{"reason": "token_expired", "method": "GET", "path": MACHINE, "status": 401, "attempt": 1, "wait": 0.0}]


def test_a_token_that_expires_again_is_not_renewed_twice_for_one_request():
    transport, sleeps = FakeTransport().add("GET", MACHINE, EXPIRED), []
    arm_client = client(transport, sleeps)
    with pytest.raises(arm.ArmError) as info:
        arm_client.get_machine(SUB, "rg-arc", "web01")
    assert info.value.arm_code == "ExpiredAuthenticationToken" and info.value.status == 401
    assert transport.tokens == 2 and transport.count("GET", MACHINE) == 2
    assert arm_client.figures()["token_renewals"] == 1
    assert info.value.findings()[0]["category"] == "credentials"


def test_a_given_access_token_is_never_renewed():
    transport, sleeps = FakeTransport().add("GET", MACHINE, EXPIRED), []
    arm_client = arm.ArmClient(access_token="given-token-abc", authority_host=AUTHORITY, resource_manager_endpoint=RM, opener=transport,
                               sleep=sleeps.append)
    with pytest.raises(arm.ArmError) as info:
        arm_client.get_machine(SUB, "rg-arc", "web01")
    assert info.value.arm_code == "ExpiredAuthenticationToken"
    assert transport.tokens == 0 and transport.count("GET", MACHINE) == 1 and arm_client.figures()["token_renewals"] == 0


def test_other_401_answers_are_not_renewals():
    invalid = (401, {}, {"error": {"code": "InvalidAuthenticationToken", "message": "The access token is invalid."}})
    transport, sleeps = FakeTransport().add("GET", MACHINE, invalid), []
    with pytest.raises(arm.ArmError):
        client(transport, sleeps).get_machine(SUB, "rg-arc", "web01")
    assert transport.tokens == 1 and transport.count("GET", MACHINE) == 1


def test_both_tokens_are_scrubbed_from_errors():
    echo = (400, {}, {"error": {"code": "Echo", "message": "you sent token-1 and then token-2 with %s" % SECRET}})
    transport, sleeps = FakeTransport().add("GET", MACHINE, (200, {}, machine()), EXPIRED, echo), []
    arm_client = client(transport, sleeps)
    arm_client.get_machine(SUB, "rg-arc", "web01")
    with pytest.raises(arm.ArmError) as info:
        arm_client.get_machine(SUB, "rg-arc", "web01")
    text = json.dumps(info.value.to_result()) + str(info.value)
    for secret in ("token-1", "token-2", SECRET):
        assert secret not in text


# -- long-running deletes ----------------------------------------------------------------------------------------------

def _deleting(*polls):
    accepted = (202, {"Azure-AsyncOperation": OPERATION, "Location": OPERATION.replace("operationstatus", "operationresults"),
                      "Retry-After": "1"}, None)
    return (FakeTransport().add("DELETE", MACHINE, accepted)
            .add("GET", "/subscriptions/%s/providers/Microsoft.HybridCompute/locations" % SUB, *polls))


def test_a_delete_that_does_not_finish_in_time_is_reported_not_assumed_done(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(arm.time, "monotonic", lambda: clock[0])
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        clock[0] += seconds

    transport = _deleting((200, {"Retry-After": "1"}, {"name": "op1", "status": "InProgress"}))
    arm_client = arm.ArmClient(tenant_id=TENANT, client_id=CLIENT, client_secret=SECRET, authority_host=AUTHORITY,
                               resource_manager_endpoint=RM, opener=transport, sleep=sleep)
    with pytest.raises(arm.ArmError) as info:
        arm_client.delete_machine(SUB, "rg-arc", "web01", wait_timeout=5)
    error = info.value
    assert error.kind == "timeout" and error.arm_code == "OperationTimeout"
    assert error.operation["status"] == "InProgress" and error.operation["polls"] == 5 and error.operation["seconds"] == 5.0
    assert sum(sleeps) == 5
    [finding] = error.findings()
    assert (finding["id"], finding["category"], finding["action"]) == ("arm_operation_timeout", "transient", "report")
    assert "InProgress" in finding["cause"] and "DELETE" in finding["cause"] and "may still exist" in finding["cause"]
    assert "wait_timeout" in finding["remediation"]
    result = error.to_result()
    assert result["msg"].startswith("OperationTimeout: Azure accepted the DELETE of %s" % MACHINE)
    assert "nog steeds InProgress" in error.to_result("nl")["msg"]


def test_a_delete_followed_by_location_that_stays_202_times_out_too(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(arm.time, "monotonic", lambda: clock[0])
    results = OPERATION.replace("operationstatus", "operationresults")
    transport = (FakeTransport().add("DELETE", MACHINE, (202, {"Location": results, "Retry-After": "2"}, None))
                 .add("GET", "/subscriptions/%s/providers/Microsoft.HybridCompute/locations" % SUB, (202, {"Retry-After": "2"}, None)))
    arm_client = arm.ArmClient(tenant_id=TENANT, client_id=CLIENT, client_secret=SECRET, authority_host=AUTHORITY,
                               resource_manager_endpoint=RM, opener=transport, sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    with pytest.raises(arm.ArmError) as info:
        arm_client.delete_machine(SUB, "rg-arc", "web01", wait_timeout=6)
    assert info.value.operation["status"] == "InProgress" and info.value.operation["polls"] == 3


def test_a_delete_whose_status_check_is_throttled_still_finishes_and_counts_the_retry():
    sleeps = []
    transport = _deleting(throttled(1), (200, {}, {"name": "op1", "status": "InProgress"}), (200, {}, {"name": "op1", "status": "Succeeded"}))
    arm_client = client(transport, sleeps)
    assert arm_client.delete_machine(SUB, "rg-arc", "web01") is True
    assert arm_client.figures()["throttled"] == 1


def test_a_failed_delete_operation_is_an_error():
    transport = _deleting((200, {}, {"name": "op1", "status": "Failed", "error": {"code": "DeleteFailed", "message": "extension busy"}}))
    with pytest.raises(arm.ArmError) as info:
        client(transport, []).delete_machine(SUB, "rg-arc", "web01")
    assert info.value.arm_code == "DeleteFailed" and info.value.kind == "arm"
