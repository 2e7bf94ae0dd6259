# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _clouds as clouds


@pytest.mark.parametrize("value, expected", [
    (None, "AzureCloud"), ("", "AzureCloud"), ("azurecloud", "AzureCloud"), ("public", "AzureCloud"),
    ("AzureUSGovernment", "AzureUSGovernment"), ("us-gov", "AzureUSGovernment"), ("Azure_China_Cloud", "AzureChinaCloud"),
    ("china", "AzureChinaCloud"),
], ids=repr)
def test_endpoint_cloud(value, expected):
    assert clouds.endpoint_cloud(value) == expected


def test_endpoint_cloud_rejects_unknown_and_names_choices():
    with pytest.raises(ValueError, match="AzureCloud, AzureUSGovernment, AzureChinaCloud"):
        clouds.endpoint_cloud("AzureGermanCloud")
    with pytest.raises(ValueError):
        clouds.endpoint_cloud("Azure.Local")


@pytest.mark.parametrize("value, expected", [
    (None, "AzureCloud"), ("", "AzureCloud"), ("azurecloud", "AzureCloud"), ("AZUREUSGOVERNMENT", "AzureUSGovernment"),
    ("azurechinacloud", "AzureChinaCloud"), ("azure.local", "Azure.Local"), (" AzureCloud ", "AzureCloud"),
], ids=repr)
def test_agent_cloud(value, expected):
    assert clouds.agent_cloud(value) == expected


@pytest.mark.parametrize("value", ["public", "usgov", "china", "AzureGermanCloud", "Azure Local"], ids=repr)
def test_agent_cloud_takes_no_aliases(value):
    with pytest.raises(ValueError, match="AzureCloud, AzureUSGovernment, AzureChinaCloud, Azure.Local"):
        clouds.agent_cloud(value)


def test_one_table_of_clouds():
    assert clouds.AGENT_CLOUD_NAMES == ("AzureCloud", "AzureUSGovernment", "AzureChinaCloud", "Azure.Local")
    assert clouds.CLOUD_NAMES == ("AzureCloud", "AzureUSGovernment", "AzureChinaCloud")
    assert "westeurope" in clouds.regions_of("AzureCloud") and "usgovvirginia" not in clouds.regions_of("AzureCloud")
    assert "usgovvirginia" in clouds.regions_of("AzureUSGovernment") and "chinanorth3" in clouds.regions_of("AzureChinaCloud")
    assert clouds.regions_of("Azure.Local") == (clouds.regions_of("AzureCloud") | clouds.regions_of("AzureUSGovernment")
                                                | clouds.regions_of("AzureChinaCloud"))
    assert clouds.regions_of("Unknown") == clouds.regions_of("AzureCloud")
    assert clouds.normalize_location(" West Europe ") == "westeurope" and clouds.normalize_location(None) == ""


@pytest.mark.parametrize("value, expected", [("West Europe", "westeurope"), ("eastus2", "eastus2"), (" EastUS ", "eastus")])
def test_normalize_region(value, expected):
    assert clouds.normalize_region(value) == expected


@pytest.mark.parametrize("value", [None, "", "west-europe", "1east", "x"])
def test_normalize_region_rejects(value):
    with pytest.raises(ValueError):
        clouds.normalize_region(value)


@pytest.mark.parametrize("cloud, authority, rm, scope", [
    ("AzureCloud", "https://login.microsoftonline.com", "https://management.azure.com", "https://management.azure.com/.default"),
    ("AzureUSGovernment", "https://login.microsoftonline.us", "https://management.usgovcloudapi.net",
     "https://management.usgovcloudapi.net/.default"),
    ("AzureChinaCloud", "https://login.chinacloudapi.cn", "https://management.chinacloudapi.cn",
     "https://management.chinacloudapi.cn/.default"),
])
def test_arm_endpoints_per_cloud(cloud, authority, rm, scope):
    data = clouds.arm_endpoints(cloud)
    assert data == {"cloud": cloud, "authority_host": authority, "resource_manager": rm, "scope": scope}


def test_arm_endpoint_overrides_keep_the_cloud_scope():
    data = clouds.arm_endpoints("AzureUSGovernment", "https://127.0.0.1:8443/", "https://127.0.0.1:8443/")
    assert data["authority_host"] == "https://127.0.0.1:8443"
    assert data["resource_manager"] == "https://127.0.0.1:8443"
    assert data["scope"] == "https://management.usgovcloudapi.net/.default"


def test_public_endpoints_with_region_sorted_as_the_agent_prints_them():
    # The real `azcmagent check --location "westeurope"` table (research-endpoints.md 2.1 B): sorted by the URL string.
    items = clouds.agent_endpoints("AzureCloud", "West Europe", regional_his="weu.his.arc.azure.com")
    urls = [i["url"] for i in items]
    assert urls == [
        "https://agentserviceapi.guestconfiguration.azure.com", "https://gbl.his.arc.azure.com", "https://login.microsoftonline.com",
        "https://login.windows.net", "https://management.azure.com", "https://pas.windows.net",
        "https://westeurope-gas.guestconfiguration.azure.com", "https://weu.his.arc.azure.com",
    ]
    groups = dict((i["host"], i["bypass_group"]) for i in items)
    assert groups["login.microsoftonline.com"] == "AAD"
    assert groups["management.azure.com"] == "ARM"
    assert groups["weu.his.arc.azure.com"] == "Arc"
    capable = [i["host"] for i in items if i["private_link_capable"]]
    assert all(".his." in h or ".guestconfiguration." in h for h in capable) and len(capable) == 4


def test_ukwest_row_order_of_the_real_capture():
    # research-endpoints.md 2.1 A: "https://uks.his…" before "https://ukwest-gas…"
    urls = [i["url"] for i in clouds.agent_endpoints("AzureCloud", "ukwest", regional_his="uks.his.arc.azure.com")]
    assert urls[-2:] == ["https://uks.his.arc.azure.com", "https://ukwest-gas.guestconfiguration.azure.com"]
    assert urls == sorted(urls)


def test_no_regional_his_row_is_invented_from_the_region_name():
    hosts = [i["host"] for i in clouds.agent_endpoints("AzureCloud", "westeurope")]
    assert "westeurope.his.arc.azure.com" not in hosts and not any(clouds.is_regional_his_host(h) for h in hosts)
    with pytest.raises(ValueError, match="regional HIS host"):
        clouds.agent_endpoints("AzureCloud", "westeurope", regional_his="evil.example.com")


@pytest.mark.parametrize("cloud, region, host", [
    ("AzureCloud", "westeurope", "weu.his.arc.azure.com"), ("AzureCloud", "ukwest", "uks.his.arc.azure.com"),
    ("AzureCloud", "North Europe", "ne.his.arc.azure.com"), ("AzureUSGovernment", "usgovtexas", "usgv.his.arc.azure.us"),
    ("AzureCloud", "westus3", None), ("AzureChinaCloud", "chinaeast2", None), ("AzureCloud", None, None),
])
def test_known_regional_his_is_the_sourced_fallback_only(cloud, region, host):
    assert clouds.known_regional_his(cloud, region) == host


def test_discovery_url_is_the_agents_call():
    assert clouds.discovery_url("AzureCloud", "West Europe") == "https://gbl.his.arc.azure.com/discovery?location=westeurope&api-version=2.1"
    assert clouds.discovery_url("usgov", "usgovvirginia").startswith("https://gbl.his.arc.azure.us/discovery?")
    assert clouds.is_regional_his_host("uks.his.arc.azure.com") and not clouds.is_regional_his_host("gbl.his.arc.azure.com")
    assert not clouds.is_regional_his_host("uks.his.arc.azure.us") and clouds.is_regional_his_host("usgv.his.arc.azure.us", "AzureUSGovernment")


def test_endpoints_without_region_have_no_regional_hosts():
    hosts = [i["host"] for i in clouds.agent_endpoints(None, None)]
    assert "gbl.his.arc.azure.com" in hosts
    assert not any(h.endswith("-gas.guestconfiguration.azure.com") for h in hosts)


@pytest.mark.parametrize("cloud, region, expected", [
    ("AzureUSGovernment", "usgovvirginia", {"login.microsoftonline.us", "management.usgovcloudapi.net", "pasff.usgovcloudapi.net",
                                            "gbl.his.arc.azure.us", "usgv.his.arc.azure.us",
                                            "agentserviceapi.guestconfiguration.azure.us", "usgovvirginia-gas.guestconfiguration.azure.us"}),
    ("AzureChinaCloud", "chinaeast2", {"login.chinacloudapi.cn", "management.chinacloudapi.cn", "pas.chinacloudapi.cn",
                                       "gbl.his.arc.azure.cn",
                                       "agentserviceapi.guestconfiguration.azure.cn", "chinaeast2-gas.guestconfiguration.azure.cn"}),
])
def test_sovereign_endpoints(cloud, region, expected):
    known = clouds.known_regional_his(cloud, region)
    assert set(i["host"] for i in clouds.agent_endpoints(cloud, region, regional_his=known)) == expected


def test_gateway_variant():
    items = clouds.agent_endpoints("AzureCloud", "eastus", "gateway", "https://abc123.gw.arc.azure.com")
    hosts = [i["host"] for i in items]
    assert "abc123.gw.arc.azure.com" in hosts and [i["url"] for i in items] == sorted(i["url"] for i in items)
    assert "management.azure.com" in hosts and "login.microsoftonline.com" in hosts
    assert not any("guestconfiguration" in h for h in hosts)
    with pytest.raises(ValueError, match="gateway_url"):
        clouds.agent_endpoints("AzureCloud", "eastus", "gateway")
    with pytest.raises(ValueError, match="direct or gateway"):
        clouds.agent_endpoints("AzureCloud", "eastus", "tunnel")


@pytest.mark.parametrize("url, expected", [
    ("https://login.microsoftonline.com", ("https://login.microsoftonline.com", "login.microsoftonline.com", 443)),
    ("https://Management.Azure.com:443/", ("https://management.azure.com", "management.azure.com", 443)),
    ("https://127.0.0.1:40443", ("https://127.0.0.1:40443", "127.0.0.1", 40443)),
    ("gbl.his.arc.azure.com", ("https://gbl.his.arc.azure.com", "gbl.his.arc.azure.com", 443)),
    ("https://[::1]:8443", ("https://[::1]:8443", "::1", 8443)),
])
def test_parse_url(url, expected):
    parts = clouds.parse_url(url)
    assert (parts["url"], parts["host"], parts["port"]) == expected


@pytest.mark.parametrize("url", ["", None, "https://", "https://host:99999", "ftp://x y"])
def test_parse_url_rejects(url):
    with pytest.raises(ValueError):
        clouds.parse_url(url)


@pytest.mark.parametrize("host, group", [
    ("login.microsoftonline.com", "AAD"), ("pas.windows.net", "AAD"), ("management.azure.com", "ARM"),
    ("westeurope.his.arc.azure.com", "Arc"), ("x.gw.arc.azure.com", "Arc"), ("management.usgovcloudapi.net", "ARM"),
    ("example.com", None),
])
def test_bypass_group_of(host, group):
    assert clouds.bypass_group_of(host) == group
