# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The clouds of Azure: names, aliases, regions and endpoints, in one table.

PRIVATE: this module is internal to the arcops.azcmagent collection and may change at any time.

:data:`CLOUDS` holds one :class:`Cloud` record per value of the agent's ``--cloud`` flag: its
name, the friendly spellings accepted for it, its regions and its endpoints (what the
controller-side modules talk to, and what the agent on a machine must reach, the list that
``azcmagent check`` tests). Everything else derives from it. A cloud name means one of two
things, and each has its own function:

* :func:`agent_cloud`: the value the agent's ``--cloud`` flag takes (``AzureCloud``,
  ``AzureUSGovernment``, ``AzureChinaCloud``, ``Azure.Local``), matched case-insensitively and
  never guessed from an alias, because the agent gets it verbatim;
* :func:`endpoint_cloud`: the cloud whose endpoints to use (Entra ID, Resource Manager, the
  agent's endpoints), from its name or a friendly alias (``public``, ``usgov``, ``china``);
  only the clouds with endpoints of their own (:data:`CLOUD_NAMES`).

Regions: :func:`normalize_location` is the agent's own lenient form (blanks removed, lower
case), :func:`normalize_region` also checks the shape of a region name, :func:`regions_of`
the regions a cloud knows.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t

# Canonical cloud names, as the agent's --cloud flag spells them.
AZURE_CLOUD = "AzureCloud"
AZURE_US_GOVERNMENT = "AzureUSGovernment"
AZURE_CHINA_CLOUD = "AzureChinaCloud"
AZURE_LOCAL = "Azure.Local"

# Proxy bypass groups of the agent (`azcmagent config set proxy.bypass`).
BYPASS_GROUPS = ("AAD", "ARM", "Arc", "ArcData", "AMA")


@dataclasses.dataclass(frozen=True)
class Endpoints:
    """The endpoints of one cloud: Entra ID and Resource Manager, and the host names the agent reaches."""

    authority_host: str
    resource_manager: str
    audience: str
    login_hosts: tuple[str, ...]
    pas_host: str
    management_host: str
    his_suffix: str
    gc_suffix: str
    gateway_suffix: str


@dataclasses.dataclass(frozen=True)
class Cloud:
    """One cloud: the agent's name for it, friendly aliases, its regions and its endpoints (None: it has none of its own)."""

    name: str
    aliases: tuple[str, ...]
    regions: frozenset[str]
    endpoints: Endpoints | None


_PUBLIC_REGIONS = frozenset("""
australiacentral australiacentral2 australiaeast australiasoutheast austriaeast belgiumcentral brazilsouth
brazilsoutheast canadacentral canadaeast centralindia centralus centraluseuap chilecentral denmarkeast eastasia
eastus eastus2 eastus2euap francecentral francesouth germanynorth germanywestcentral indonesiacentral
israelcentral italynorth japaneast japanwest jioindiacentral jioindiawest koreacentral koreasouth malaysiawest
mexicocentral newzealandnorth northcentralus northeurope norwayeast norwaywest polandcentral qatarcentral
southafricanorth southafricawest southcentralus southeastasia southindia spaincentral swedencentral swedensouth
switzerlandnorth switzerlandwest taiwannorth uaecentral uaenorth uksouth ukwest westcentralus westeurope westindia
westus westus2 westus3
""".split())
_GOVERNMENT_REGIONS = frozenset("usgovarizona usgoviowa usgovtexas usgovvirginia usdodcentral usdodeast".split())
_CHINA_REGIONS = frozenset("chinaeast chinaeast2 chinaeast3 chinanorth chinanorth2 chinanorth3".split())

#: Every cloud, by the agent's name, in the order the agent documents them. Aliases are compared
#: case-insensitively with blanks, "-" and "_" removed.
CLOUDS: t.Mapping[str, Cloud] = {cloud.name: cloud for cloud in (
    Cloud(AZURE_CLOUD, ("public", "azurepubliccloud"), _PUBLIC_REGIONS, Endpoints(
        authority_host="https://login.microsoftonline.com",
        resource_manager="https://management.azure.com",
        audience="https://management.azure.com",
        login_hosts=("login.microsoftonline.com", "login.windows.net"),
        pas_host="pas.windows.net",
        management_host="management.azure.com",
        his_suffix="his.arc.azure.com",
        gc_suffix="guestconfiguration.azure.com",
        gateway_suffix="gw.arc.azure.com",
    )),
    Cloud(AZURE_US_GOVERNMENT, ("azureusgovernmentcloud", "usgovernment", "usgov"), _GOVERNMENT_REGIONS, Endpoints(
        authority_host="https://login.microsoftonline.us",
        resource_manager="https://management.usgovcloudapi.net",
        audience="https://management.usgovcloudapi.net",
        login_hosts=("login.microsoftonline.us",),
        pas_host="pasff.usgovcloudapi.net",
        management_host="management.usgovcloudapi.net",
        his_suffix="his.arc.azure.us",
        gc_suffix="guestconfiguration.azure.us",
        gateway_suffix="gw.arc.azure.us",
    )),
    Cloud(AZURE_CHINA_CLOUD, ("china",), _CHINA_REGIONS, Endpoints(
        authority_host="https://login.chinacloudapi.cn",
        resource_manager="https://management.chinacloudapi.cn",
        audience="https://management.chinacloudapi.cn",
        login_hosts=("login.chinacloudapi.cn",),
        pas_host="pas.chinacloudapi.cn",
        management_host="management.chinacloudapi.cn",
        his_suffix="his.arc.azure.cn",
        gc_suffix="guestconfiguration.azure.cn",
        gateway_suffix="gw.arc.azure.cn",
    )),
    # Azure Local (Azure Stack HCI) machines name their region in any of the clouds above.
    Cloud(AZURE_LOCAL, (), _PUBLIC_REGIONS | _GOVERNMENT_REGIONS | _CHINA_REGIONS, None),
)}

#: The values of the agent's --cloud flag.
AGENT_CLOUD_NAMES: tuple[str, ...] = tuple(CLOUDS)
#: The clouds with endpoints of their own: what the Resource Manager modules and the check module accept.
CLOUD_NAMES: tuple[str, ...] = tuple(name for name, cloud in CLOUDS.items() if cloud.endpoints is not None)

_SEPARATORS_RE = re.compile(r"[\s_-]+")
_ALIASES = {key: cloud.name for cloud in CLOUDS.values() if cloud.endpoints is not None
            for key in (_SEPARATORS_RE.sub("", cloud.name).lower(),) + cloud.aliases}


def agent_cloud(value: object) -> str:
    """The agent's ``--cloud`` spelling of ``value`` (any case; None or "" means AzureCloud).

    Raises ValueError naming the accepted values for anything else (aliases included: the agent takes the name verbatim)."""
    if value is None or value == "":
        return AZURE_CLOUD
    wanted = str(value).strip().lower()
    for name in AGENT_CLOUD_NAMES:
        if name.lower() == wanted:
            return name
    raise ValueError(f"unknown cloud {value!r}: use one of {', '.join(AGENT_CLOUD_NAMES)}")


def endpoint_cloud(value: object) -> str:
    """The cloud whose endpoints to use, from its name or an alias such as ``public`` (None or "" means AzureCloud).

    Raises ValueError naming the accepted values for anything else."""
    if value is None or str(value).strip() == "":
        return AZURE_CLOUD
    key = _SEPARATORS_RE.sub("", str(value)).lower()
    if key in _ALIASES:
        return _ALIASES[key]
    raise ValueError(f"unknown cloud {value!r}: use one of {', '.join(CLOUD_NAMES)}")


def _endpoints(cloud: object) -> tuple[str, Endpoints]:
    name = endpoint_cloud(cloud)
    endpoints = CLOUDS[name].endpoints
    if endpoints is None:  # pragma: no cover - endpoint_cloud only returns clouds with endpoints
        raise ValueError(f"cloud {name} has no endpoints of its own")
    return name, endpoints


# ---------------------------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------------------------

# An Azure region name as the agent takes it for --location: lower-case letters and
# digits ("westeurope", "eastus2"); blanks are stripped by the agent (v1.50), so we do too.
_REGION_RE = re.compile(r"^[a-z][a-z0-9]{1,39}$")
_BLANKS_RE = re.compile(r"\s+")


def normalize_location(value: str | None) -> str:
    """The agent strips blanks from --location (1.50+) and ARM compares case-insensitively: 'West Europe' -> 'westeurope'.

    Lenient: no check of the result (None gives "")."""
    return _BLANKS_RE.sub("", value or "").lower()


def normalize_region(value: object) -> str:
    """The region in the agent's form, checked for the shape of a region name: "West Europe" -> "westeurope".

    Raises ValueError for None and for anything that is not shaped like a region."""
    if value is None:
        raise ValueError("a region (location) is required, for example westeurope")
    region = normalize_location(str(value))
    if not _REGION_RE.match(region):
        raise ValueError(f"invalid region {value!r}: expected a name such as westeurope or eastus2")
    return region


def regions_of(cloud: str) -> frozenset[str]:
    """The regions of a cloud given by the agent's name (the public regions for a name this table does not know)."""
    known = CLOUDS.get(cloud)
    return known.regions if known is not None else CLOUDS[AZURE_CLOUD].regions


# ---------------------------------------------------------------------------------------------
# Endpoints
# ---------------------------------------------------------------------------------------------


class ArmEndpoints(t.TypedDict):
    """Entra ID and Resource Manager endpoints of one cloud."""

    cloud: str
    authority_host: str
    resource_manager: str
    scope: str


class AgentEndpoint(t.TypedDict):
    """One endpoint the agent must reach."""

    url: str
    host: str
    port: int
    bypass_group: str
    purpose: str
    private_link_capable: bool


def _strip_url(url: str) -> str:
    return str(url).strip().rstrip("/")


def arm_endpoints(cloud: str | None = None, authority_host: str | None = None,
                  resource_manager_endpoint: str | None = None) -> ArmEndpoints:
    """Entra ID and Resource Manager endpoints of ``cloud``, with optional overrides.

    Returns ``{cloud, authority_host, resource_manager, scope}``; URLs have no trailing slash.
    The token scope always follows the cloud (``<audience>/.default``): overriding the
    endpoints (a mock, a private gateway) does not change which audience the token is for.
    """
    name, data = _endpoints(cloud)
    return {
        "cloud": name,
        "authority_host": _strip_url(authority_host or data.authority_host),
        "resource_manager": _strip_url(resource_manager_endpoint or data.resource_manager),
        "scope": f"{data.audience}/.default",
    }


def _endpoint(host: str, group: str, purpose: str, private_link: bool = False, port: int = 443) -> AgentEndpoint:
    return {
        "url": f"https://{host}" if port == 443 else f"https://{host}:{port}",
        "host": host,
        "port": port,
        "bypass_group": group,
        "purpose": purpose,
        "private_link_capable": private_link,
    }


# ---------------------------------------------------------------------------------------------
# The regional Hybrid Instance Metadata Service (HIS) host
# ---------------------------------------------------------------------------------------------

#: The api-version of the agent's regional discovery call (a real ``azcmagent check`` capture, 2023-09-21:
#: ``Get "https://gbl.his.arc.azure.com/discovery?location=westus3&api-version=2.1"``).
DISCOVERY_API_VERSION = "2.1"

#: The regional HIS host codes that a public source shows, per cloud: the ONLY fallback when the agent's
#: discovery call cannot be made, and an assumption (the service may answer otherwise; Microsoft's 1.64 release
#: notes say the agent refreshes it on a 421). Sources (research notes, issue 9):
#: * westeurope -> weu, ukwest -> uks: real ``azcmagent check`` tables (github.com/jonathan-vella/
#:   azure-arc-enabled-sql-server, arc-sql-connectivity/media/azcmagent-output-{1,2}.png, 2025) and the 1.21 log of
#:   github.com/MicrosoftDocs/azure-docs/issues/99004; ukwest shows that a code is not derived from the region name;
#: * the other public rows: Microsoft's only published mapping (Arc-enabled Kubernetes quickstart, commit cee36da
#:   of 2021-05-29 in MicrosoftDocs, withdrawn 2021-08-26 for the wildcard ``*.his.arc.azure.com``);
#: * US Government: ``usgv.his.arc.azure.us``, the one host Microsoft's network requirements name.
#: No public source names a China host, so China (and every region not listed) has no fallback.
KNOWN_REGIONAL_HIS: t.Mapping[str, t.Mapping[str, str]] = {
    AZURE_CLOUD: {
        "westeurope": "weu", "ukwest": "uks", "uksouth": "uks", "eastus": "eus", "eastus2": "eus2", "westcentralus": "wcus",
        "southcentralus": "scus", "westus2": "wus2", "southeastasia": "sea", "australiaeast": "ae", "northeurope": "ne",
        "francecentral": "fc",
    },
    AZURE_US_GOVERNMENT: {region: "usgv" for region in sorted(_GOVERNMENT_REGIONS)},
    AZURE_CHINA_CLOUD: {},
}


def global_his_host(cloud: str | None = None) -> str:
    """``gbl.his.arc.azure.com``: the agent's global HIS host of ``cloud``, which answers the regional discovery."""
    _name, data = _endpoints(cloud)
    return f"gbl.{data.his_suffix}"


def discovery_url(cloud: str | None, region: str) -> str:
    """``https://gbl.his.arc.azure.com/discovery?location=<region>&api-version=2.1``, the agent's discovery call."""
    return f"https://{global_his_host(cloud)}/discovery?location={normalize_region(region)}&api-version={DISCOVERY_API_VERSION}"


def is_regional_his_host(host: str, cloud: str | None = None) -> bool:
    """Whether ``host`` is a regional HIS host of ``cloud`` (``<code>.his.arc.azure.com``, not ``gbl``)."""
    _name, data = _endpoints(cloud)
    host = str(host).lower().rstrip(".")
    label, _dot, rest = host.partition(".")
    return rest == data.his_suffix and label not in ("", "gbl") and re.match(r"^[a-z0-9-]{1,63}$", label) is not None


def known_regional_his(cloud: str | None, region: str | None) -> str | None:
    """The regional HIS host a public source names for ``region`` (see :data:`KNOWN_REGIONAL_HIS`), or None."""
    if not region:
        return None
    name, data = _endpoints(cloud)
    code = KNOWN_REGIONAL_HIS.get(name, {}).get(normalize_location(region))
    return f"{code}.{data.his_suffix}" if code else None


def agent_endpoints(cloud: str | None = None, region: str | None = None, connection_type: str = "direct",
                    gateway_url: str | None = None, regional_his: str | None = None) -> list[AgentEndpoint]:
    """The endpoints the agent must reach on TCP 443, sorted by URL as ``azcmagent check`` prints them.

    ``regional_his`` is the regional HIS host (``weu.his.arc.azure.com``): the agent asks the global host for it
    (``discovery_url``), so the caller passes what discovery answered, or :func:`known_regional_his`, or None,
    and without it the list has no regional HIS row, as the agent's own table when its discovery fails.

    ``connection_type`` is ``direct`` (default) or ``gateway``. With the Arc gateway, the
    agent sends everything except Entra ID and Resource Manager through the gateway, so the
    list is the gateway URL plus the hosts that must stay reachable directly.

    Each item: ``url``, ``host``, ``port``, ``bypass_group`` (AAD, ARM or Arc: the agent's
    ``proxy.bypass`` groups), ``purpose`` and ``private_link_capable`` (the Arc service
    endpoints resolve to private addresses when a private link scope is used).
    """
    _name, data = _endpoints(cloud)
    reg = normalize_region(region) if region else None
    items = [_endpoint(host, "AAD", "Microsoft Entra ID (authentication)") for host in data.login_hosts]
    items.append(_endpoint(data.pas_host, "AAD", "Microsoft Entra ID (public key service)"))
    items.append(_endpoint(data.management_host, "ARM", "Azure Resource Manager (connect, disconnect)"))
    items.append(_endpoint(f"gbl.{data.his_suffix}", "Arc", "Arc global metadata and identity", True))
    if regional_his:
        if not is_regional_his_host(regional_his, cloud):
            raise ValueError(f"invalid regional HIS host {regional_his!r}: expected <code>.{data.his_suffix}")
        items.append(_endpoint(str(regional_his).lower().rstrip("."), "Arc", "Arc regional metadata and identity", True))
    if connection_type == "gateway":
        if not gateway_url:
            raise ValueError("connection_type gateway needs the Arc gateway URL (gateway_url)")
        gw = parse_url(gateway_url)
        items.append(_endpoint(gw["host"], "Arc", "Arc gateway", False, gw["port"]))
        return sorted(items, key=lambda item: item["url"])
    if connection_type != "direct":
        raise ValueError(f"connection_type must be direct or gateway, not {connection_type!r}")
    items.append(_endpoint(f"agentserviceapi.{data.gc_suffix}", "Arc", "Extension and guest configuration service", True))
    if reg:
        items.append(_endpoint(f"{reg}-gas.{data.gc_suffix}", "Arc", "Regional guest configuration service", True))
    # The agent's table is sorted by the plain URL string (real captures: "https://westeurope-gas…" before
    # "https://weu.his…", "https://uks.his…" before "https://ukwest-gas…").
    return sorted(items, key=lambda item: item["url"])


class UrlParts(t.TypedDict):
    """A URL split by :func:`parse_url`."""

    url: str
    scheme: str
    host: str
    port: int


# https://host[:port][/path]; the host is a DNS name, an IPv4 address or a bracketed IPv6 address.
_URL_RE = re.compile(
    r"^(?:(?P<scheme>https?)://)?"      # optional scheme
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[^/:\s\[\]]+)"  # host name, IPv4 or [IPv6]
    r"(?::(?P<port>\d{1,5}))?"          # optional port
    r"(?P<path>/\S*)?$"                 # optional path
)


def parse_url(url: object, default_port: int = 443) -> UrlParts:
    """Split ``https://host[:port]`` (scheme optional) into ``{url, scheme, host, port}``.

    Raises ValueError for anything that is not such a URL.
    """
    text = str(url).strip() if url is not None else ""
    match = _URL_RE.match(text)
    if not match:
        raise ValueError(f"invalid URL {url!r}: expected https://host or https://host:port")
    scheme = match.group("scheme") or "https"
    host = match.group("host").strip("[]").lower()
    port = int(match.group("port")) if match.group("port") else (default_port if scheme == "https" else 80)
    if not 0 < port < 65536:
        raise ValueError(f"invalid port in {url!r}")
    shown = host if ":" not in host else f"[{host}]"
    canonical = f"{scheme}://{shown}" if port == (443 if scheme == "https" else 80) else f"{scheme}://{shown}:{port}"
    return {"url": canonical, "scheme": scheme, "host": host, "port": port}


def bypass_group_of(host: str, cloud: str | None = None) -> str | None:
    """The agent's proxy bypass group of ``host`` (AAD, ARM, Arc) or None when it is in none."""
    host = host.lower().rstrip(".")
    for name in ([endpoint_cloud(cloud)] if cloud else CLOUD_NAMES):
        _name, data = _endpoints(name)
        if host in data.login_hosts or host == data.pas_host or host.endswith(".login.microsoft.com"):
            return "AAD"
        if host == data.management_host:
            return "ARM"
        for suffix in (data.his_suffix, data.gc_suffix, data.gateway_suffix):
            if host == suffix or host.endswith(f".{suffix}"):
                return "Arc"
    return None
