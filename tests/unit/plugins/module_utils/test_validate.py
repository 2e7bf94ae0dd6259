# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.arcops.azcmagent.plugins.module_utils import _validate as v

SUB = str(uuid.uuid4())
TENANT = str(uuid.uuid4())
APP = str(uuid.uuid4())


def params(**overrides):
    base = {"subscription_id": SUB, "resource_group": "rg-arc", "location": "westeurope", "tenant_id": TENANT, "cloud": "AzureCloud",
            "resource_name": None, "tags": None, "correlation_id": None, "private_link_scope": None, "gateway_id": None,
            "service_principal_id": APP, "service_principal_secret": "fake-" + uuid.uuid4().hex, "service_principal_cert": None,
            "access_token": None}
    base.update(overrides)
    return base


def code_of(func, *args, **kwargs):
    with pytest.raises(v.ValidationError) as err:
        func(*args, **kwargs)
    return err.value.code, err.value.option, err.value.detail


def test_valid_connect_is_normalized():
    result = v.validate_connect(params(location="West Europe", cloud="azurecloud", subscription_id=SUB.upper(), tenant_id=TENANT.upper()))
    assert result["location"] == "westeurope"
    assert result["cloud"] == "AzureCloud"
    assert result["subscription_id"] == SUB and result["tenant_id"] == TENANT
    assert result["auth"] == "service_principal_secret"


@pytest.mark.parametrize("option", ["subscription_id", "resource_group", "location"])
def test_missing_mandatory_is_0016(option):
    code, opt, detail = code_of(v.validate_connect, params(**{option: None}))
    assert (code, opt) == ("AZCM0016", option) and option in detail


@pytest.mark.parametrize("overrides, option", [
    ({"location": "atlantis"}, "location"),
    ({"location": "westeurope", "cloud": "AzureUSGovernment"}, "location"),
    ({"location": "usgovvirginia"}, "location"),
], ids=["unknown", "public-region-in-gov", "gov-region-in-public"])
def test_unknown_region_is_0020(overrides, option):
    assert code_of(v.validate_connect, params(**overrides))[:2] == ("AZCM0020", option)


def test_gov_and_china_regions_accepted():
    assert v.validate_connect(params(cloud="AzureUSGovernment", location="US Gov Virginia"))["location"] == "usgovvirginia"
    assert v.validate_connect(params(cloud="azurechinacloud", location="chinanorth3"))["cloud"] == "AzureChinaCloud"


@pytest.mark.parametrize("overrides, option", [
    ({"cloud": "AzureGermanCloud"}, "cloud"),
    ({"subscription_id": "x" * 65}, "subscription_id"),
    ({"resource_group": "bad/group"}, "resource_group"),
    ({"resource_group": "ends-with-dot."}, "resource_group"),
    ({"resource_group": "g" * 91}, "resource_group"),
    ({"resource_name": "web_01-"}, "resource_name"),
    ({"resource_name": "has space"}, "resource_name"),
    ({"resource_name": "n" * 55}, "resource_name"),
    ({"tenant_id": "not a tenant"}, "tenant_id"),
    ({"correlation_id": "1234"}, "correlation_id"),
    ({"private_link_scope": "/subscriptions/x/rg"}, "private_link_scope"),
    ({"gateway_id": "gateway"}, "gateway_id"),
    ({"tags": {"bad/key": "v"}}, "tags"),
    ({"tags": {"k": "x" * 257}}, "tags"),
    ({"tags": {"k": "line\nbreak"}}, "tags"),
    ({"tags": {"k%d" % i: "v" for i in range(51)}}, "tags"),
    ({"service_principal_id": "app-name"}, "service_principal_id"),
    ({"access_token": "tok", "service_principal_secret": "s"}, "access_token"),
    ({"service_principal_cert": "/nonexistent.pem", "service_principal_secret": "s"}, "service_principal_secret"),
    ({"service_principal_cert": "/nonexistent.pem", "service_principal_secret": None}, "service_principal_cert"),
])
def test_invalid_arguments_are_0023(overrides, option):
    code, opt, detail = code_of(v.validate_connect, params(**overrides))
    assert (code, opt) == ("AZCM0023", option), detail


@pytest.mark.parametrize("overrides, option", [
    ({"service_principal_secret": None}, "service_principal_secret"),
    ({"service_principal_id": None}, "service_principal_id"),
    ({"tenant_id": None}, "tenant_id"),
    ({"service_principal_id": None, "service_principal_secret": None}, "service_principal_id"),
], ids=["secret-missing", "id-missing", "tenant-missing", "no-auth"])
def test_incomplete_auth_is_0016(overrides, option):
    assert code_of(v.validate_connect, params(**overrides))[:2] == ("AZCM0016", option)


def test_auth_methods(tmp_path):
    cert = tmp_path / "sp.pem"
    cert.write_text("-----BEGIN CERTIFICATE-----\n")
    assert v.validate_auth(params(service_principal_secret=None, service_principal_cert=str(cert))) == "service_principal_cert"
    assert v.validate_auth(params(service_principal_id=None, service_principal_secret=None, access_token="t")) == "access_token"
    assert v.validate_auth(params(service_principal_id=None, service_principal_secret=None), required=False) is None


def test_auth_not_checked_when_asked():
    assert v.validate_connect(params(service_principal_id=None, service_principal_secret=None), auth=False)["auth"] is None


def test_disconnect_force_local_needs_no_auth():
    assert v.validate_disconnect({"force_local_only": True}) == {"auth": None}
    assert code_of(v.validate_disconnect, {"force_local_only": False})[0] == "AZCM0016"


def test_tenant_domain_accepted():
    assert v.validate_tenant("Contoso.onmicrosoft.com") == "contoso.onmicrosoft.com"


def test_dutch_detail():
    detail = code_of(v.validate_connect, params(resource_group=None), lang="nl")[2]
    assert detail == "resource_group is verplicht"


@pytest.mark.parametrize("tags, rendered", [
    ({"env": "prod"}, "env=prod"),
    ({"env": "prod", "owner": "platform team"}, "env=prod,owner='platform team'"),
    ({"list": "a,b"}, "list=a\\,b"),
    ({"path": "c:\\x"}, "path=c:\\\\x"),
    ({"quote": "it's"}, "quote=it\\'s"),
    ({"eq": "a=b"}, "eq='a=b'"),
    ({"empty": ""}, "empty="),
])
def test_render_tags(tags, rendered):
    assert v.render_tags(v.validate_tags(tags)) == rendered


def _parse_rendered(text):
    """The agent's reading of --tags (1.50+): split on unescaped commas, first '=', strip single quotes, unescape."""
    tags, key, buf, in_key, quoted, i = {}, "", "", True, False, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            buf += text[i + 1]
            i += 2
            continue
        if ch == "'" and not in_key:
            quoted = not quoted
        elif ch == "=" and in_key:
            key, buf, in_key = buf, "", False
        elif ch == "," and not quoted:
            tags[key] = buf
            key, buf, in_key = "", "", True
        else:
            buf += ch
        i += 1
    tags[key] = buf
    return tags


@given(st.dictionaries(
    st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="<>%&\\?/=,'"), min_size=1, max_size=20),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30), min_size=1, max_size=5))
def test_render_tags_round_trips(tags):
    assert _parse_rendered(v.render_tags(v.validate_tags(tags))) == tags


@given(st.text(max_size=60))
def test_resource_name_rule_matches_agent_text(name):
    ok = True
    try:
        v.validate_resource_name(name)
    except v.ValidationError:
        ok = False
    expected = (0 < len(name) <= 54 and all(c.isascii() and (c.isalnum() or c in "-_") for c in name)
                and name[-1] not in "-_" and name[0] not in "-_")
    assert ok == expected


@pytest.mark.parametrize("validator, value", [
    (v.validate_resource_name, "web01\n"),
    (v.validate_resource_group, "arc-servers\n"),
    (lambda value: v.validate_guid(value, "subscription_id"), "00000000-0000-0000-0000-000000000000\n"),
    (v.validate_tenant, "contoso.onmicrosoft.com\n"),
    (lambda value: v.validate_resource_id(value, "resource_id"),
     "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/m\n"),
], ids=["resource_name", "resource_group", "guid", "tenant_domain", "resource_id"])
def test_trailing_newline_is_refused(validator, value):
    with pytest.raises(v.ValidationError):
        validator(value)


@pytest.mark.parametrize("kind, value, says, never", [
    ("int", -1, "must be a whole number from 0 to", "must be a number"),
    ("int", "abc", "must be a whole number from 0 to", "must be a number"),
    ("float", -1.5, "must be a number from 0 to", "whole number"),
    ("float", "abc", "must be a number from 0 to", "whole number"),
    ("int", "1.5", "must be a whole number from 0 to", "must be a number"),
    ("int", "-3", "must be a whole number from 0 to", "must be a number"),
    ("int", "0x10", "must be a whole number from 0 to", "must be a number"),
    ("float", "nan", "must be a number from 0 to", "whole number"),
    ("float", "1e400", "must be a number from 0 to", "whole number"),
])
def test_number_out_of_range_names_the_form_of_its_type(kind, value, says, never):
    with pytest.raises(v.ValidationError) as err:
        v.check_value(value, "timeout", {"type": kind}, raw=value)
    assert err.value.option == "timeout" and says in str(err.value) and never not in str(err.value)


@pytest.mark.parametrize("kind, text", [("int", "0"), ("int", " 42 "), ("int", "+7"), ("float", "0.5"), ("float", "2"), ("float", ".25e1")])
def test_a_number_given_as_text_counts_as_that_number(kind, text):
    """``-e azcmagent_service_settle_seconds=0`` gives the role the text '0'; Ansible's argument specs take it, so do we."""
    v.check_value(text, "timeout", {"type": kind})


def test_number_out_of_range_in_dutch():
    with pytest.raises(v.ValidationError) as err:
        v.check_value(-2.5, "backoff_base", {"type": "float"}, lang="nl", raw=-2.5)
    assert "moet een getal van 0 tot en met" in str(err.value)
