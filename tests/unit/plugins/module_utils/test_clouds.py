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


def test_public_endpoints_with_region():
    items = clouds.agent_endpoints("AzureCloud", "West Europe")
    urls = [i["url"] for i in items]
    assert urls == [
        "https://login.microsoftonline.com", "https://login.windows.net", "https://pas.windows.net",
        "https://management.azure.com", "https://gbl.his.arc.azure.com", "https://westeurope.his.arc.azure.com",
        "https://agentserviceapi.guestconfiguration.azure.com", "https://westeurope-gas.guestconfiguration.azure.com",
    ]
    groups = dict((i["host"], i["bypass_group"]) for i in items)
    assert groups["login.microsoftonline.com"] == "AAD"
    assert groups["management.azure.com"] == "ARM"
    assert groups["westeurope.his.arc.azure.com"] == "Arc"
    capable = [i["host"] for i in items if i["private_link_capable"]]
    assert all(".his." in h or ".guestconfiguration." in h for h in capable) and len(capable) == 4


def test_endpoints_without_region_have_no_regional_hosts():
    hosts = [i["host"] for i in clouds.agent_endpoints(None, None)]
    assert "gbl.his.arc.azure.com" in hosts
    assert not any(h.endswith("-gas.guestconfiguration.azure.com") for h in hosts)


@pytest.mark.parametrize("cloud, region, expected", [
    ("AzureUSGovernment", "usgovvirginia", {"login.microsoftonline.us", "management.usgovcloudapi.net", "pasff.usgovcloudapi.net",
                                            "gbl.his.arc.azure.us", "usgovvirginia.his.arc.azure.us",
                                            "agentserviceapi.guestconfiguration.azure.us", "usgovvirginia-gas.guestconfiguration.azure.us"}),
    ("AzureChinaCloud", "chinaeast2", {"login.chinacloudapi.cn", "management.chinacloudapi.cn", "pas.chinacloudapi.cn",
                                       "gbl.his.arc.azure.cn", "chinaeast2.his.arc.azure.cn",
                                       "agentserviceapi.guestconfiguration.azure.cn", "chinaeast2-gas.guestconfiguration.azure.cn"}),
])
def test_sovereign_endpoints(cloud, region, expected):
    assert set(i["host"] for i in clouds.agent_endpoints(cloud, region)) == expected


def test_gateway_variant():
    items = clouds.agent_endpoints("AzureCloud", "eastus", "gateway", "https://abc123.gw.arc.azure.com")
    hosts = [i["host"] for i in items]
    assert hosts[-1] == "abc123.gw.arc.azure.com"
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
