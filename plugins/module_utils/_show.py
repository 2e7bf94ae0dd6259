# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""``azcmagent show``: its one key map, its parser (text and JSON) and the normalized facts.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

:data:`SHOW_FIELDS` is the one map of the collection: each fact with the label(s) the text form
prints and the key(s) the JSON form (``show -j``) uses. Everything else derives from it:

``show_facts(output) -> ShowFacts``
    ``show`` output (text or JSON, or the JSON already decoded) as the normalized facts every
    module reports: one key per fact of :data:`FACTS` (``None`` when absent or empty),
    ``services`` (``[{name, display_name, status}]``) and ``connected`` (a resource ID and the
    status ``Connected``).

``normalize_show(data) -> ShowFacts``
    The same from a decoded ``show -j`` object (camelCase keys) or a :func:`parse_show` result.

``parse_show(text) -> dict``
    Everything ``show`` printed, text (labels padded to 40 columns, headers without colon,
    indented service rows) or JSON, detected automatically: the facts of the map under their
    names, other labels and keys snake_cased, ``services`` ``{name: state}`` (the short name in
    parentheses), ``raw`` (original labels/keys and values) and ``unparsed`` (text lines not
    understood). Empty values are ``""``.

Pure functions, standard library only (Python 3.8+).
"""

from __future__ import annotations

import dataclasses
import json
import re
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_text import json_value, normalise

__all__ = ["ShowField", "SHOW_FIELDS", "FACTS", "ShowFacts", "show_facts", "normalize_show", "parse_show"]


@dataclasses.dataclass(frozen=True)
class ShowField:
    """One fact of ``azcmagent show``: its name, its text label(s) (lower case) and its JSON key(s).

    ``fact`` says whether it is one of the normalized facts every module reports (:data:`FACTS`)."""

    name: str
    labels: tuple[str, ...] = ()
    json_keys: tuple[str, ...] = ()
    fact: bool = False


#: The one ``show`` key map. Order: the normalized facts first, in the order modules report them.
SHOW_FIELDS: tuple[ShowField, ...] = (
    ShowField("status", ("agent status",), ("status", "agentStatus"), fact=True),
    ShowField("resource_id", ("resource id",), ("resourceId",), fact=True),
    ShowField("resource_name", ("resource name",), ("resourceName",), fact=True),
    ShowField("resource_group", ("resource group name", "resource group"), ("resourceGroup", "resourceGroupName"), fact=True),
    ShowField("subscription_id", ("subscription id",), ("subscriptionId",), fact=True),
    ShowField("tenant_id", ("tenant id",), ("tenantId",), fact=True),
    ShowField("location", ("location",), ("location",), fact=True),
    ShowField("cloud", ("cloud",), ("cloud",), fact=True),
    ShowField("vm_id", ("vm id",), ("vmId",), fact=True),
    ShowField("agent_version", ("agent version",), ("agentVersion",), fact=True),
    ShowField("last_heartbeat", ("agent last heartbeat",), ("lastHeartbeat", "agentLastHeartbeat"), fact=True),
    ShowField("error_code", ("agent error code",), ("agentErrorCode", "errorCode"), fact=True),
    ShowField("error_details", ("agent error details",), ("agentErrorDetails", "errorDetails"), fact=True),
    ShowField("error_timestamp", ("agent error timestamp",), ("agentErrorTimestamp",), fact=True),
    ShowField("https_proxy", ("using https proxy",), ("httpsProxy",), fact=True),
    ShowField("proxy_bypass", ("proxy bypass list",), ("proxyBypass",), fact=True),
    ShowField("agent_log_file", ("agent logfile",), ("agentLogfile", "agentLogFile"), fact=True),
    ShowField("resource_namespace", ("resource namespace",), ("resourceNamespace",)),
    ShowField("correlation_id", ("correlation id",), ("correlationId",)),
    ShowField("vm_uuid", ("vm uuid",), ("vmUuid",)),
    ShowField("identity_key_store", ("identity key store",), ("identityKeyStore",)),
    ShowField("upstream_proxy", ("upstream proxy",), ("upstreamProxy",)),
    ShowField("upstream_proxy_bypass", ("upstream proxy bypass list",)),
    ShowField("gateway_url", ("gateway url",), ("gatewayUrl",)),
    ShowField("cloud_provider", ("cloud provider",), ("cloudProvider",)),
    ShowField("portal_page", ("portal page",), ("portalPage",)),
    ShowField("disabled_features", ("disabled features",), ("disabledFeatures",)),
    ShowField("auto_upgrade_task_status", ("agent auto upgrade task status",)),
    ShowField("mssql_server_detected", ("mssql server detected",)),
    ShowField("mysql_server_detected", ("mysql server detected",)),
    ShowField("pgsql_server_detected", ("pgsql server detected",)),
)

#: The normalized facts (besides ``services`` and ``connected``), in order.
FACTS: tuple[str, ...] = tuple(field.name for field in SHOW_FIELDS if field.fact)

_BY_LABEL = {label: field.name for field in SHOW_FIELDS for label in field.labels}
_BY_JSON_KEY = {key: field.name for field in SHOW_FIELDS for key in field.json_keys}
# Where a normalized fact is looked up in a decoded object: its JSON keys, then its own name (a parse_show result).
_LOOKUP = tuple((field.name, field.json_keys + (field.name,)) for field in SHOW_FIELDS if field.fact)


class Service(t.TypedDict):
    """One dependent service of the agent."""

    name: str | None
    display_name: str | None
    status: t.Any


# The normalized facts: every name of FACTS (str, list or None) plus services, connected and, added by the runner, format.
ShowFacts = t.Dict[str, t.Any]


def normalize_show(data: t.Mapping[str, t.Any] | None) -> ShowFacts:
    """Normalize a decoded ``show -j`` object (camelCase keys) or a :func:`parse_show` result to the facts."""
    data = data or {}
    facts: ShowFacts = {}
    for name, keys in _LOOKUP:
        value = None
        for key in keys:
            if data.get(key) not in (None, ""):
                value = data[key]
                break
        facts[name] = value
    services = data.get("services") or data.get("dependentServices") or []
    if isinstance(services, dict):
        services = [{"name": key, "status": value} for key, value in services.items()]
    facts["services"] = [
        Service(name=s.get("serviceName") or s.get("name") or s.get("displayName"), display_name=s.get("displayName"),
                status=s.get("status"))
        for s in services if isinstance(s, dict)
    ]
    facts["connected"] = bool(facts["resource_id"]) and (facts["status"] or "").lower() == "connected"
    return facts


def show_facts(output: str | t.Mapping[str, t.Any] | None) -> ShowFacts:
    """The normalized facts of ``show`` output: JSON text or object, or the text form (see the module docstring)."""
    if output is None or isinstance(output, t.Mapping):
        return normalize_show(output)
    try:
        data = json.loads(output)
    except (ValueError, RecursionError):  # deeply nested JSON
        data = None
    if isinstance(data, dict):
        return normalize_show(data)
    return normalize_show(parse_show(output))


# ---------------------------------------------------------------------------------------------
# The parser
# ---------------------------------------------------------------------------------------------

# "Label<padding>: value" (label without colon; value may hold colons, C:\ paths, URLs)...
# (The label and the value end in a character that is not a blank, matched greedily: a lazy group before [ \t]* costs
# time quadratic in a run of blanks, seconds for one hostile line.)
_SHOW_ROW_RE = re.compile(r"(?P<indent>[ \t]*)(?P<label>[^:\s](?:[^:]*[^: \t])?)[ \t]*:(?:[ \t]+(?P<value>(?:.*[^ \t])?))?[ \t]*")
# ...or a section header without colon ("Cloud Metadata", "Dependent Service Status").
_SHOW_HEADER_RE = re.compile(r"(?P<label>[A-Za-z](?:[^:]*[^: \t])?)[ \t]*")
# Short service name in a service label: "Agent Service (himdsd)".
_PAREN_NAME_RE = re.compile(r"\((?P<name>[^()]+)\)\s*\Z")
# camelCase boundaries and runs of non-alphanumerics, for snake_case keys.
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_ALNUM_RE = re.compile(r"[^0-9A-Za-z]+")

_SERVICE_HEADERS = ("dependent service status",)
_ESU_HEADERS = {"extended security updates": "esu"}


def _snake(label: str, camel: bool = False) -> str:
    if camel:
        label = _CAMEL_RE.sub("_", label)
    return _NON_ALNUM_RE.sub("_", label).strip("_").lower()


def _show_json(obj: dict[str, t.Any]) -> dict[str, t.Any]:
    result: dict[str, t.Any] = {"raw": obj, "services": {}, "unparsed": []}
    for key, value in obj.items():
        if key == "services":
            continue
        name = _BY_JSON_KEY.get(key) or _snake(str(key), camel=True)
        result[name] = "" if value is None else value
    services = obj.get("services")
    if isinstance(services, list):
        for item in services:
            if isinstance(item, dict):
                service = item.get("serviceName") or item.get("name") or item.get("displayName")
                if service:
                    state = item.get("status", item.get("state"))
                    result["services"][str(service)] = "" if state is None else state
    elif isinstance(services, dict):
        result["services"] = dict(services)
    return result


def parse_show(text: object) -> dict[str, t.Any]:
    """Parse `azcmagent show` text or JSON output (see the module docstring)."""
    text = normalise(text)
    stripped = text.strip()
    if stripped[:1] in ("{", "[") or (stripped and "\n{" in text and ":" not in stripped.split("\n", 1)[0]):
        obj = json_value(text)
        if isinstance(obj, dict):
            return _show_json(obj)
    result: dict[str, t.Any] = {"raw": {}, "services": {}, "unparsed": []}
    section = None
    for line in text.split("\n"):
        if not line.strip():
            continue
        row = _SHOW_ROW_RE.fullmatch(line)
        if row is None:
            header = _SHOW_HEADER_RE.fullmatch(line)
            if header is not None and not line[:1].isspace():
                section = header.group("label").strip().lower()
            else:
                result["unparsed"].append(line.strip())
            continue
        label = row.group("label").strip()
        value = (row.group("value") or "").strip()
        indented = bool(row.group("indent"))
        if not indented:
            section = None
        result["raw"][label] = value
        if indented and section in _SERVICE_HEADERS:
            paren = _PAREN_NAME_RE.search(label)
            result["services"][paren.group("name").strip() if paren else label] = value
            continue
        key = _BY_LABEL.get(label.lower()) or _snake(label)
        if not key:
            result["unparsed"].append(line.strip())
            continue
        if indented and section in _ESU_HEADERS:
            key = f"{_ESU_HEADERS[section]}_{key}"
        elif key in result and indented and section:
            key = f"{_snake(section)}_{key}"
        result[key] = value
    return result


# ---------------------------------------------------------------------------------------------
# The agent's services: which are in use, which of those are stopped
# ---------------------------------------------------------------------------------------------

#: Service states (as ``show`` reports them: systemd's ``active``/``inactive``/``failed``, Windows' ``running``/
#: ``stopped``) that count as stopped.
STOPPED_STATUSES = ("stopped", "inactive", "failed", "dead")

# The agent's services by role, Linux unit and Windows service names (reference/agent-reference.md: systemd units
# himdsd, gcad, extd, arcproxyd; Windows himds, gcarcservice, extensionservice, arcproxy).
_HIMDS = ("himdsd", "himds")
_GC = ("gcad", "gcarcservice")
_EXTENSIONS = ("extd", "extensionservice")
_ARC_PROXY = ("arcproxyd", "arcproxy")
#: The Linux names of the agent's services, in the order ``show`` lists them.
AGENT_SERVICES = ("himdsd", "arcproxyd", "extd", "gcad")


def _disabled(config: t.Mapping[str, t.Any], key: str) -> bool:
    return str(config.get(key, "")).strip().lower() in ("false", "0", "no", "off")


def services_in_use(services: t.Iterable[t.Mapping[str, t.Any]], config: t.Mapping[str, t.Any] | None = None,
                    gateway_url: str | None = None) -> list[str]:
    """The names of the listed services that the agent uses, in their order.

    The agent service (``himdsd``) always; the extension service (``extd``) unless ``extensions.enabled`` is false; the
    guest configuration service (``gcad``) unless ``guestconfiguration.enabled`` is false; the Arc proxy (``arcproxyd``)
    only with the Arc gateway (``connection.type`` gateway, or a gateway URL in ``show``). Other services ``show``
    lists (the Windows SMS Agent Host) are not the agent's. ``config`` is ``azcmagent config list`` (None: unknown,
    the agent's defaults apply)."""
    config = config or {}
    gateway = str(config.get("connection.type", "")).strip().lower() == "gateway" or bool(str(gateway_url or "").strip())
    used = []
    for service in services:
        name = str(service.get("name") or "").strip()
        key = name.lower()
        if key in _HIMDS or (key in _EXTENSIONS and not _disabled(config, "extensions.enabled")) \
                or (key in _GC and not _disabled(config, "guestconfiguration.enabled")) or (key in _ARC_PROXY and gateway):
            used.append(name)
    return used


def stopped_services(services: t.Iterable[t.Mapping[str, t.Any]], config: t.Mapping[str, t.Any] | None = None,
                     gateway_url: str | None = None) -> list[str]:
    """The services in use (:func:`services_in_use`) whose status is stopped: the ones a restart may start."""
    listed = [s for s in services if isinstance(s, t.Mapping)]
    used = set(services_in_use(listed, config, gateway_url))
    return [str(s.get("name")) for s in listed if s.get("name") in used and str(s.get("status") or "").strip().lower() in STOPPED_STATUSES]


def _agent_service_of(unit: str) -> str | None:
    """The agent service a system service name stands for: the name itself, or a name ending in ``-<name>`` /
    ``_<name>`` (a wrapper or renamed unit, such as the simulated fleet's ``arcsim-<fleet>-<host>-himdsd``)."""
    key = str(unit).strip().lower()
    for name in _HIMDS + _GC + _EXTENSIONS + _ARC_PROXY:
        if key == name or key.endswith(("-" + name, "_" + name)):
            return name
    return None


def services_to_restart(units: t.Iterable[object], info: t.Mapping[str, t.Any] | None) -> list[str]:
    """The system services (``units``, e.g. ``azcmagent_service_names``) to restart after the ``info`` result ``info``:
    those whose agent service is stopped and in use, else (none stopped, e.g. a himds socket that does not answer)
    those in use. A unit whose service the agent does not use (``arcproxyd`` without a gateway, ``extd`` with
    extensions disabled) is never restarted; without an ``info`` result only the agent service (``himdsd``) is."""
    names = [str(unit) for unit in units if str(unit).strip()]
    info = info or {}
    in_use = [str(s).lower() for s in (info.get("services_in_use") or ())] or list(_HIMDS)
    stopped = [str(s).lower() for s in (info.get("stopped_services") or ())]
    wanted = stopped or in_use
    return [unit for unit in names if _agent_service_of(unit) in wanted and _agent_service_of(unit) in in_use]
