# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Per-cloud endpoints: Entra ID, Resource Manager and the agent's network endpoints.

PRIVATE: this module is internal to the arcops.azcmagent collection and may change at any time.

Two kinds of facts live here, both pure data with small pure helpers:

* what the controller-side modules talk to (authority host, resource manager, token scope);
* what the agent on a machine must reach (the list that ``azcmagent check`` tests), per
  cloud and region, with the private link and Arc gateway variants.
"""

from __future__ import annotations

import re

# Canonical cloud names, as the agent's --cloud flag spells them.
AZURE_CLOUD = "AzureCloud"
AZURE_US_GOVERNMENT = "AzureUSGovernment"
AZURE_CHINA_CLOUD = "AzureChinaCloud"

CLOUD_NAMES = (AZURE_CLOUD, AZURE_US_GOVERNMENT, AZURE_CHINA_CLOUD)

# Proxy bypass groups of the agent (`azcmagent config set proxy.bypass`).
BYPASS_GROUPS = ("AAD", "ARM", "Arc", "ArcData", "AMA")

CLOUDS = {
    AZURE_CLOUD: {
        "authority_host": "https://login.microsoftonline.com",
        "resource_manager": "https://management.azure.com",
        "audience": "https://management.azure.com",
        "login_hosts": ("login.microsoftonline.com", "login.windows.net"),
        "pas_host": "pas.windows.net",
        "management_host": "management.azure.com",
        "his_suffix": "his.arc.azure.com",
        "gc_suffix": "guestconfiguration.azure.com",
        "gateway_suffix": "gw.arc.azure.com",
    },
    AZURE_US_GOVERNMENT: {
        "authority_host": "https://login.microsoftonline.us",
        "resource_manager": "https://management.usgovcloudapi.net",
        "audience": "https://management.usgovcloudapi.net",
        "login_hosts": ("login.microsoftonline.us",),
        "pas_host": "pasff.usgovcloudapi.net",
        "management_host": "management.usgovcloudapi.net",
        "his_suffix": "his.arc.azure.us",
        "gc_suffix": "guestconfiguration.azure.us",
        "gateway_suffix": "gw.arc.azure.us",
    },
    AZURE_CHINA_CLOUD: {
        "authority_host": "https://login.chinacloudapi.cn",
        "resource_manager": "https://management.chinacloudapi.cn",
        "audience": "https://management.chinacloudapi.cn",
        "login_hosts": ("login.chinacloudapi.cn",),
        "pas_host": "pas.chinacloudapi.cn",
        "management_host": "management.chinacloudapi.cn",
        "his_suffix": "his.arc.azure.cn",
        "gc_suffix": "guestconfiguration.azure.cn",
        "gateway_suffix": "gw.arc.azure.cn",
    },
}

# Spellings accepted for each cloud (compared case-insensitively, blanks, "-" and "_" removed).
_CLOUD_ALIASES = {
    "azurecloud": AZURE_CLOUD,
    "public": AZURE_CLOUD,
    "azurepubliccloud": AZURE_CLOUD,
    "azureusgovernment": AZURE_US_GOVERNMENT,
    "azureusgovernmentcloud": AZURE_US_GOVERNMENT,
    "usgovernment": AZURE_US_GOVERNMENT,
    "usgov": AZURE_US_GOVERNMENT,
    "azurechinacloud": AZURE_CHINA_CLOUD,
    "china": AZURE_CHINA_CLOUD,
}

# An Azure region name as the agent takes it for --location: lower-case letters and
# digits ("westeurope", "eastus2"); blanks are stripped by the agent (v1.50), so we do too.
_REGION_RE = re.compile(r"^[a-z][a-z0-9]{1,39}$")


def normalize_cloud(value):
    """Return the canonical cloud name for ``value`` (None or "" means AzureCloud).

    Raises ValueError naming the accepted values for anything else.
    """
    if value is None or str(value).strip() == "":
        return AZURE_CLOUD
    key = re.sub(r"[\s_-]+", "", str(value)).lower()
    if key in _CLOUD_ALIASES:
        return _CLOUD_ALIASES[key]
    raise ValueError("unknown cloud %r: use one of %s" % (value, ", ".join(CLOUD_NAMES)))


def normalize_region(value):
    """Return the region in the agent's form (lower case, no blanks), e.g. "West Europe" -> "westeurope"."""
    if value is None:
        raise ValueError("a region (location) is required, for example westeurope")
    region = re.sub(r"\s+", "", str(value)).lower()
    if not _REGION_RE.match(region):
        raise ValueError("invalid region %r: expected a name such as westeurope or eastus2" % (value,))
    return region


def _strip_url(url):
    return str(url).strip().rstrip("/")


def arm_endpoints(cloud=None, authority_host=None, resource_manager_endpoint=None):
    """Entra ID and Resource Manager endpoints of ``cloud``, with optional overrides.

    Returns ``{cloud, authority_host, resource_manager, scope}``; URLs have no trailing slash.
    The token scope always follows the cloud (``<audience>/.default``): overriding the
    endpoints (a mock, a private gateway) does not change which audience the token is for.
    """
    name = normalize_cloud(cloud)
    data = CLOUDS[name]
    return {
        "cloud": name,
        "authority_host": _strip_url(authority_host or data["authority_host"]),
        "resource_manager": _strip_url(resource_manager_endpoint or data["resource_manager"]),
        "scope": data["audience"] + "/.default",
    }


def _endpoint(host, group, purpose, private_link=False, port=443):
    return {
        "url": "https://%s" % host if port == 443 else "https://%s:%d" % (host, port),
        "host": host,
        "port": port,
        "bypass_group": group,
        "purpose": purpose,
        "private_link_capable": private_link,
    }


def agent_endpoints(cloud=None, region=None, connection_type="direct", gateway_url=None):
    """The endpoints the agent must reach on TCP 443, as ``azcmagent check`` lists them.

    ``connection_type`` is ``direct`` (default) or ``gateway``. With the Arc gateway, the
    agent sends everything except Entra ID and Resource Manager through the gateway, so the
    list is the gateway URL plus the hosts that must stay reachable directly.

    Each item: ``url``, ``host``, ``port``, ``bypass_group`` (AAD, ARM or Arc: the agent's
    ``proxy.bypass`` groups), ``purpose`` and ``private_link_capable`` (the Arc service
    endpoints resolve to private addresses when a private link scope is used).
    """
    name = normalize_cloud(cloud)
    data = CLOUDS[name]
    reg = normalize_region(region) if region else None
    items = []
    for host in data["login_hosts"]:
        items.append(_endpoint(host, "AAD", "Microsoft Entra ID (authentication)"))
    items.append(_endpoint(data["pas_host"], "AAD", "Microsoft Entra ID (public key service)"))
    items.append(_endpoint(data["management_host"], "ARM", "Azure Resource Manager (connect, disconnect)"))
    items.append(_endpoint("gbl." + data["his_suffix"], "Arc", "Arc global metadata and identity", True))
    if reg:
        items.append(_endpoint("%s.%s" % (reg, data["his_suffix"]), "Arc", "Arc regional metadata and identity", True))
    if connection_type == "gateway":
        if not gateway_url:
            raise ValueError("connection_type gateway needs the Arc gateway URL (gateway_url)")
        gw = parse_url(gateway_url)
        item = _endpoint(gw["host"], "Arc", "Arc gateway", False, gw["port"])
        items.append(item)
        return items
    if connection_type != "direct":
        raise ValueError("connection_type must be direct or gateway, not %r" % (connection_type,))
    items.append(_endpoint("agentserviceapi." + data["gc_suffix"], "Arc", "Extension and guest configuration service", True))
    if reg:
        items.append(_endpoint("%s-gas.%s" % (reg, data["gc_suffix"]), "Arc", "Regional guest configuration service", True))
    return items


# https://host[:port][/path]; the host is a DNS name, an IPv4 address or a bracketed IPv6 address.
_URL_RE = re.compile(
    r"^(?:(?P<scheme>https?)://)?"      # optional scheme
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[^/:\s\[\]]+)"  # host name, IPv4 or [IPv6]
    r"(?::(?P<port>\d{1,5}))?"          # optional port
    r"(?P<path>/\S*)?$"                 # optional path
)


def parse_url(url, default_port=443):
    """Split ``https://host[:port]`` (scheme optional) into ``{url, scheme, host, port}``.

    Raises ValueError for anything that is not such a URL.
    """
    text = str(url).strip() if url is not None else ""
    match = _URL_RE.match(text)
    if not match:
        raise ValueError("invalid URL %r: expected https://host or https://host:port" % (url,))
    scheme = match.group("scheme") or "https"
    host = match.group("host").strip("[]").lower()
    port = int(match.group("port")) if match.group("port") else (default_port if scheme == "https" else 80)
    if not 0 < port < 65536:
        raise ValueError("invalid port in %r" % (url,))
    shown = host if ":" not in host else "[%s]" % host
    canonical = "%s://%s" % (scheme, shown) if port == (443 if scheme == "https" else 80) else "%s://%s:%d" % (scheme, shown, port)
    return {"url": canonical, "scheme": scheme, "host": host, "port": port}


def bypass_group_of(host, cloud=None):
    """The agent's proxy bypass group of ``host`` (AAD, ARM, Arc) or None when it is in none."""
    host = host.lower().rstrip(".")
    for name in ([normalize_cloud(cloud)] if cloud else CLOUD_NAMES):
        data = CLOUDS[name]
        if host in data["login_hosts"] or host == data["pas_host"] or host.endswith(".login.microsoft.com"):
            return "AAD"
        if host == data["management_host"]:
            return "ARM"
        for suffix in (data["his_suffix"], data["gc_suffix"], data["gateway_suffix"]):
            if host == suffix or host.endswith("." + suffix):
                return "Arc"
    return None
