# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The identity stage's decisions (_identity) and the ARM client's managed identity token (_arm.managed_identity_token)."""

from __future__ import annotations

import io
import json
import time
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _identity
from ansible_collections.arcops.azcmagent.plugins.module_utils._arm import ArmError, managed_identity_token
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import TEXTS

ONBOARDING = {"actions": ["Microsoft.HybridCompute/machines/read", "Microsoft.HybridCompute/machines/write",
                          "Microsoft.HybridCompute/privateLinkScopes/read"], "notActions": [], "dataActions": [], "notDataActions": []}
CONTRIBUTOR = {"actions": ["*"], "notActions": ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write"]}
READER = {"actions": ["*/read"], "notActions": []}
TARGET = _identity.Target("sub-1", "rg-1")


# -- credential and stage -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, kind", [
    ({}, "none"),
    ({"client_id": "app", "secret": "s", "tenant_id": "t"}, "service_principal_secret"),
    ({"client_id": "app", "cert": "/k.pem", "tenant_id": "t"}, "service_principal_certificate"),
    ({"managed_identity": True}, "managed_identity"),
    ({"managed_identity": True, "client_id": "app", "secret": "s"}, "managed_identity"),
    ({"access_token": "tok"}, "access_token"),
], ids=["none", "secret", "certificate", "managed", "managed-wins", "token"])
def test_resolve_credential(kwargs, kind):
    assert _identity.resolve_credential(**kwargs).kind == kind


@pytest.mark.parametrize("kwargs, missing", [
    ({"client_id": "app", "secret": "s"}, "tenant_id (AZURE_TENANT)"),
    ({"secret": "s", "tenant_id": "t"}, "service_principal_id (AZURE_CLIENT_ID)"),
    ({"client_id": "app", "tenant_id": "t"}, "service_principal_secret (AZURE_SECRET) or service_principal_cert"),
])
def test_an_incomplete_credential_names_what_is_missing(kwargs, missing):
    with pytest.raises(_identity.IdentityError) as info:
        _identity.resolve_credential(**kwargs)
    assert info.value.check == "credential" and missing in info.value.cause


@pytest.mark.parametrize("stage, kind, enabled", [
    ("auto", "none", False), ("auto", "service_principal_secret", True), ("disabled", "service_principal_secret", False),
    ("required", "managed_identity", True), ("disabled", "none", False),
])
def test_stage_enabled(stage, kind, enabled):
    assert _identity.stage_enabled(stage, _identity.Credential(kind)) is enabled


def test_a_required_stage_without_credential_fails_in_dutch_too():
    with pytest.raises(_identity.IdentityError) as info:
        _identity.stage_enabled("required", _identity.Credential("none"), "nl")
    assert "geen Azure-referentie" in info.value.cause and "AZURE_CLIENT_ID" in info.value.remediation
    with pytest.raises(_identity.IdentityError):
        _identity.stage_enabled("sometimes", _identity.Credential("none"))


# -- targets --------------------------------------------------------------------------------------------------------------


def test_distinct_targets_fold_case_and_keep_order():
    targets = [["SUB-1", "RG-1", "t"], {"subscription_id": "sub-1", "resource_group": "rg-1"}, ["sub-2", "rg-1"], ["", "rg-9"]]
    assert _identity.distinct_targets(targets, default_subscription="sub-3") == [
        _identity.Target("SUB-1", "RG-1"), _identity.Target("sub-2", "rg-1"), _identity.Target("sub-3", "rg-9")]


@pytest.mark.parametrize("targets", [[], [["sub", ""]], [["", "rg"]], ["sub/rg"], [["a", "b", "c", "d"]]],
                         ids=["none", "no-group", "no-subscription", "string", "four"])
def test_unusable_targets_are_errors(targets):
    with pytest.raises(_identity.IdentityError) as info:
        _identity.distinct_targets(targets)
    assert info.value.check == "target" and "azcmagent_resource_group" in info.value.remediation


def test_target_tenant_only_when_one():
    assert _identity.target_tenant([["s", "r", "T1"], ["s", "r2", "t1"]]) == "T1"
    assert _identity.target_tenant([["s", "r", "t1"], ["s", "r2", "t2"]]) is None
    assert _identity.target_tenant([["s", "r"]]) is None


# -- permissions ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("permissions, action, allowed", [
    ([ONBOARDING], "Microsoft.HybridCompute/machines/write", True),
    ([ONBOARDING], "microsoft.hybridcompute/MACHINES/write", True),
    ([ONBOARDING], "Microsoft.HybridCompute/machines/delete", False),
    ([CONTRIBUTOR], "Microsoft.HybridCompute/machines/write", True),
    ([CONTRIBUTOR], "Microsoft.Authorization/roleAssignments/write", False),
    ([READER], "Microsoft.HybridCompute/machines/write", False),
    ([READER], "Microsoft.Resources/subscriptions/resourceGroups/read", True),
    # one role's notActions do not take away what another role grants
    ([CONTRIBUTOR, {"actions": ["Microsoft.Authorization/*"], "notActions": []}], "Microsoft.Authorization/roleAssignments/write", True),
    ([{"actions": ["Microsoft.HybridCompute/*"], "notActions": ["Microsoft.HybridCompute/machines/write"]}],
     "Microsoft.HybridCompute/machines/write", False),
    ([], "Microsoft.HybridCompute/machines/write", False),
    (["junk", {"actions": None}], "Microsoft.HybridCompute/machines/write", False),
])
def test_allows(permissions, action, allowed):
    assert _identity.allows(permissions, action) is allowed


@pytest.mark.parametrize("expires_on, now, before, due", [
    (None, 100, 10, True), (1000, 100, 1800, True), (10000, 100, 1800, False), (1900, 100, 1800, True), (1901, 100, 1800, False),
])
def test_needs_renewal(expires_on, now, before, due):
    assert _identity.needs_renewal(expires_on, now, before) is due


# -- verify_target --------------------------------------------------------------------------------------------------------


class FakeArm:
    """The three ARM calls of verify_target, answering from a dict (an ArmError value is raised)."""

    def __init__(self, permissions=(ONBOARDING,), group=None, providers=None):
        self.permissions = permissions
        self.group = group
        self.providers = providers or {}
        self.calls = []

    def _answer(self, value):
        if isinstance(value, ArmError):
            raise value
        return value

    def list_permissions(self, subscription_id, resource_group=None):
        self.calls.append(("permissions", subscription_id, resource_group))
        return self._answer(list(self.permissions) if not isinstance(self.permissions, ArmError) else self.permissions)

    def get_resource_group(self, subscription_id, resource_group):
        self.calls.append(("group", subscription_id, resource_group))
        return self._answer(self.group)

    def get_provider(self, subscription_id, namespace):
        self.calls.append(("provider", namespace))
        return self._answer(self.providers.get(namespace, {"registrationState": "Registered"}))


def test_verify_target_all_good():
    arm = FakeArm()
    checks, problems, warnings = _identity.verify_target(arm, TARGET, "app")
    assert problems == [] and warnings == []
    assert [c["check"] for c in checks] == ["token", "resource_group", "permission", "provider", "provider", "provider"]
    assert all(c["ok"] for c in checks)
    # the Onboarding role cannot read the group: no GET of it, the permissions call proved it exists
    assert ("group", "sub-1", "rg-1") not in arm.calls


def test_verify_target_missing_group_from_the_permissions_call():
    error = ArmError("Resource group 'rg-1' could not be found.", status=404, arm_code="ResourceGroupNotFound")
    checks, problems, _warnings = _identity.verify_target(FakeArm(permissions=error), TARGET, "app")
    assert [p.check for p in problems] == ["resource_group"]
    assert "rg-1 does not exist in subscription sub-1" in problems[0].cause and "az group create --name rg-1" in problems[0].remediation
    assert checks[-1]["ok"] is False


def test_verify_target_missing_group_seen_by_a_reader():
    _checks, problems, _warnings = _identity.verify_target(FakeArm(permissions=[READER, ONBOARDING], group=None), TARGET, "app")
    assert [p.check for p in problems] == ["resource_group"]


def test_verify_target_no_permission_and_unregistered_provider_are_both_reported():
    arm = FakeArm(permissions=[READER], group={"name": "rg-1"}, providers={"Microsoft.HybridCompute": {"registrationState": "NotRegistered"}})
    _checks, problems, _warnings = _identity.verify_target(arm, TARGET, "app-1")
    assert [p.check for p in problems] == ["permission", "provider"]
    assert "app-1 may not create Microsoft.HybridCompute/machines in resource group rg-1" in problems[0].cause
    assert "Microsoft.HybridCompute/machines/write" in problems[0].cause and problems[0].category == "permissions"
    assert "Microsoft.HybridCompute is NotRegistered" in problems[1].cause and problems[1].category == "providers"
    message = _identity.stop_message(problems)
    assert message.startswith("The identity stage stopped the run before any host was changed. sub-1/rg-1: app-1 may not")
    assert message.count("sub-1/rg-1:") == 2


def test_a_provider_the_principal_may_not_read_is_a_warning_not_a_stop():
    forbidden = ArmError("no", status=403, arm_code="AuthorizationFailed")
    _checks, problems, warnings = _identity.verify_target(FakeArm(providers={"Microsoft.GuestConfiguration": forbidden}), TARGET, "app")
    assert problems == [] and len(warnings) == 1 and "Microsoft.GuestConfiguration" in warnings[0]


def test_a_wrong_subscription_is_named():
    error = ArmError("The subscription 'sub-1' could not be found.", status=404, arm_code="SubscriptionNotFound")
    _checks, problems, _warnings = _identity.verify_target(FakeArm(permissions=error), TARGET, "app")
    assert problems[0].check == "subscription" and "Subscription sub-1 was not found" in problems[0].cause


def test_stop_message_bounds_the_problems():
    problems = [_identity.IdentityError("provider", "cause %d" % i, "fix", target="t%d" % i) for i in range(8)]
    message = _identity.stop_message(problems, "nl")
    assert message.startswith("De identiteitsfase heeft de run gestopt") and "cause 4" in message and "cause 5" not in message
    assert message.endswith("En nog 3 problemen.")


def test_token_problem_carries_the_entra_remediation():
    error = ArmError("AADSTS7000215: Invalid client secret provided.", status=401, arm_code="AADSTS7000215", kind="entra")
    problem = _identity.token_problem(error, _identity.Credential("service_principal_secret", client_id="app-9"))
    assert problem.check == "token" and "app-9 could not get an access token" in problem.cause
    assert problem.category == "credentials" and problem.remediation


def test_every_identity_text_has_both_languages():
    keys = [key for key in TEXTS if key.startswith("identity.")]
    assert len(keys) > 15 and all(set(TEXTS[key]) == {"en", "nl"} for key in keys)


# -- managed_identity_token -----------------------------------------------------------------------------------------------


class FakeResponse(io.BytesIO):
    def __init__(self, status, body):
        super().__init__(json.dumps(body).encode())
        self.status = status
        self.headers = {}


class FakeOpener:
    """Answers the IMDS requests in turn; an answer with a status >= 400 is raised as HTTPError."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.requests = []

    def open(self, request, timeout=None):
        self.requests.append(request)
        status, body = self.answers.pop(0)
        if status >= 400:
            raise HTTPError(request.full_url, status, "error", {}, io.BytesIO(json.dumps(body).encode()))
        return FakeResponse(status, body)


def test_managed_identity_token_asks_like_imds_and_reads_expires_on():
    expires = int(time.time()) + 3599
    opener = FakeOpener([(200, {"access_token": "tok", "expires_in": "3599", "expires_on": str(expires), "token_type": "Bearer"})])
    got = managed_identity_token("https://management.azure.com/", "http://127.0.0.1:9/metadata/identity/oauth2/token",
                                 client_id="mi-1", opener=opener)
    assert got == {"access_token": "tok", "expires_on": float(expires)}
    [request] = opener.requests
    query = parse_qs(urlsplit(request.full_url).query)
    assert query == {"api-version": ["2018-02-01"], "resource": ["https://management.azure.com/"], "client_id": ["mi-1"]}
    assert request.get_header("Metadata") == "true" and request.get_method() == "GET"


def test_managed_identity_token_retries_then_reports_the_error():
    slept = []
    opener = FakeOpener([(503, {"error": "busy"}), (400, {"error": "invalid_request", "error_description": "Identity not found"})])
    with pytest.raises(ArmError) as info:
        managed_identity_token("https://management.azure.com/", opener=opener, sleep=slept.append)
    assert (info.value.status, info.value.kind, info.value.message) == (400, "entra", "Identity not found")
    assert len(opener.requests) == 2 and slept == [1]
