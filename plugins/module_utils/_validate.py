# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Validation of the agent modules' options before anything runs.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

Every check mirrors what the agent itself would refuse, and reports the AZCM code the agent
would have printed: AZCM0023 (invalid argument), AZCM0016 (missing mandatory parameter) and
AZCM0020 (unknown region).  The functions are pure: parameters in, normalized values (or a
ValidationError) out.
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._clouds import AGENT_CLOUD_NAMES, agent_cloud, regions_of
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import LANGUAGES, text

# re-export for plugins/modules/connect.py; removed when it imports from _clouds
from ansible_collections.arcops.azcmagent.plugins.module_utils._clouds import normalize_location

# A GUID in its canonical 8-4-4-4-12 hexadecimal form, nothing before or after. Every pattern here ends in \Z,
# not $, which would accept a trailing newline (a value that ends up in the agent's argv).
GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\Z")

# An Entra ID tenant may also be named by a verified domain (contoso.onmicrosoft.com).
TENANT_DOMAIN_RE = re.compile(r"^(?=.{4,253}\Z)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\Z")

# Resource group names: 1-90 word characters, hyphens, periods and parentheses; not ending in a period.
RESOURCE_GROUP_RE = re.compile(r"^[-\w.()]{0,89}[-\w()]\Z")

# Machine resource names as the agent accepts them (AZCM0017 / AZCM0102 remediation): alphanumerics,
# hyphens and underscores, 1-54 characters, not ending with a hyphen or an underscore.
RESOURCE_NAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,52}[A-Za-z0-9])?\Z")

# A full Azure resource ID: /subscriptions/<guid>/resourceGroups/<rg>/providers/<namespace>/<type>/<name>.
RESOURCE_ID_RE = re.compile(
    r"^/subscriptions/[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"
    r"/resourceGroups/[-\w.()]{1,90}/providers/[A-Za-z][\w.]*/[A-Za-z][\w]*/[^/\s]+\Z",
    re.IGNORECASE,
)

# Characters Azure forbids in tag names, plus the ones that would make the --tags string ambiguous.
TAG_KEY_FORBIDDEN_RE = re.compile(r"[<>%&\\?/=,']")

# Any ASCII control character (tabs and newlines included): never valid in a tag.
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

# A character that makes the agent's tag parser need the value in single quotes.
TAG_NEEDS_QUOTES_RE = re.compile(r"[\s=]")


class ValidationError(ValueError):
    """An option value the agent would refuse: carries the AZCM code, the option and a readable detail."""

    def __init__(self, code: str, option: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.option = option
        self.detail = detail


def _fail(code: str, lang: str, option: str, message_key: str, **fields: object) -> t.NoReturn:
    fields.setdefault("option", option)
    raise ValidationError(code, option, text(f"validation.{message_key}", lang if lang in LANGUAGES else "en", **fields))


def is_guid(value: object) -> bool:
    """True when value is a string GUID in 8-4-4-4-12 form."""
    return isinstance(value, str) and bool(GUID_RE.match(value))


def validate_cloud(value: object, lang: str = "en", option: str = "cloud") -> str:
    """The agent's spelling of a ``--cloud`` value (case-insensitive match; none means AzureCloud), or AZCM0023."""
    try:
        return agent_cloud(value)
    except ValueError:
        _fail("AZCM0023", lang, option, "cloud", value=value, choices=", ".join(AGENT_CLOUD_NAMES))


def validate_guid(value: object, option: str, lang: str = "en") -> str:
    """A GUID in lower case, or AZCM0023."""
    if not isinstance(value, str) or not is_guid(value):
        _fail("AZCM0023", lang, option, "guid", value=value)
    return value.lower()


def validate_tenant(value: object, option: str = "tenant_id", lang: str = "en") -> str:
    """A tenant GUID or verified domain, in lower case, or AZCM0023."""
    if isinstance(value, str) and (is_guid(value) or TENANT_DOMAIN_RE.match(value)):
        return value.lower()
    _fail("AZCM0023", lang, option, "tenant", value=value)


def validate_subscription(value: object, option: str = "subscription_id", lang: str = "en") -> str:
    """A subscription may be given by GUID or by name (the agent looks the name up: AZCM0068 when that fails)."""
    if isinstance(value, str) and is_guid(value):
        return value.lower()
    if isinstance(value, str) and value.strip() and len(value) <= 64 and not CONTROL_RE.search(value):
        return value.strip()
    _fail("AZCM0023", lang, option, "subscription", value=value)


def validate_resource_group(value: object, option: str = "resource_group", lang: str = "en") -> str:
    """A resource group name as Azure accepts it, or AZCM0023."""
    if not isinstance(value, str) or not RESOURCE_GROUP_RE.match(value):
        _fail("AZCM0023", lang, option, "resource_group", value=value)
    return value


def validate_resource_name(value: object, option: str = "resource_name", lang: str = "en") -> str:
    """A machine name as the agent accepts it, or AZCM0023."""
    if not isinstance(value, str) or not RESOURCE_NAME_RE.match(value):
        _fail("AZCM0023", lang, option, "resource_name", value=value)
    return value


def validate_resource_id(value: object, option: str, lang: str = "en") -> str:
    """A full Azure resource ID, or AZCM0023."""
    if not isinstance(value, str) or not RESOURCE_ID_RE.match(value):
        _fail("AZCM0023", lang, option, "resource_id", value=value)
    return value


def validate_location(value: str | None, cloud: str = "AzureCloud", option: str = "location", lang: str = "en") -> str:
    """Normalize a region and check that the cloud knows it (AZCM0020 otherwise)."""
    location = normalize_location(value)
    if not location:
        _fail("AZCM0016", lang, option, "missing")
    if location not in regions_of(cloud):
        _fail("AZCM0020", lang, option, "region", value=value, cloud=cloud)
    return location


def validate_tags(tags: t.Mapping[object, object] | None, option: str = "tags", lang: str = "en") -> dict[str, str]:
    """Check tag names and values against Azure's rules; returns a dict of str -> str."""
    if not tags:
        return {}
    if len(tags) > 50:
        _fail("AZCM0023", lang, option, "tags_count", value=len(tags))
    result = {}
    for raw_key, raw_value in tags.items():
        key = str(raw_key)
        value = "" if raw_value is None else str(raw_value)
        if not key or len(key) > 512 or TAG_KEY_FORBIDDEN_RE.search(key) or CONTROL_RE.search(key) or key != key.strip():
            _fail("AZCM0023", lang, option, "tag_key", value=key)
        if len(value) > 256 or CONTROL_RE.search(value):
            _fail("AZCM0023", lang, option, "tag_value", key=key)
        result[key] = value
    return result


def _escape_tag_value(value: str) -> str:
    """Escape a tag value the way the agent (1.50+) reads it: backslash, comma and quote are backslash-escaped."""
    escaped = value.replace("\\", "\\\\").replace(",", "\\,").replace("'", "\\'")
    if TAG_NEEDS_QUOTES_RE.search(value):
        escaped = f"'{escaped}'"
    return escaped


def render_tags(tags: t.Mapping[str, str]) -> str:
    """Render a tag dict as the agent's --tags string: k=v,k2='v w', commas in values escaped as \\,.

    Keys keep the order of the dict (Ansible keeps the user's order)."""
    return ",".join(f"{key}={_escape_tag_value(value)}" for key, value in tags.items())


def validate_auth(params: t.Mapping[str, t.Any], lang: str = "en", required: bool = True) -> str | None:
    """Check the authentication options: exactly one non-interactive method, complete.

    Returns ``"service_principal_secret"``, ``"service_principal_cert"``, ``"access_token"`` or ``None``
    (no authentication given and ``required`` is false).
    """
    sp_id = params.get("service_principal_id")
    secret = params.get("service_principal_secret")
    cert = params.get("service_principal_cert")
    token = params.get("access_token")
    tenant = params.get("tenant_id")
    if secret and cert:
        _fail("AZCM0023", lang, "service_principal_secret", "conflict", other="service_principal_cert")
    if token and (secret or cert or sp_id):
        other = "service_principal_secret" if secret else ("service_principal_cert" if cert else "service_principal_id")
        _fail("AZCM0023", lang, "access_token", "conflict", other=other)
    if (secret or cert) and not sp_id:
        _fail("AZCM0016", lang, "service_principal_id", "missing_with", other="service_principal_secret" if secret else "service_principal_cert")
    if sp_id and not (secret or cert):
        _fail("AZCM0016", lang, "service_principal_secret", "missing_with", other="service_principal_id")
    if sp_id:
        validate_guid(sp_id, "service_principal_id", lang)
        if not tenant:
            _fail("AZCM0016", lang, "tenant_id", "missing_with", other="service_principal_id")
    if secret is not None and secret == "":
        _fail("AZCM0023", lang, "service_principal_secret", "empty")
    if cert:
        try:
            with open(cert, "rb"):
                pass
        except OSError:
            _fail("AZCM0023", lang, "service_principal_cert", "file", value=cert)
        return "service_principal_cert"
    if secret:
        return "service_principal_secret"
    if token:
        return "access_token"
    if required:
        _fail("AZCM0016", lang, "service_principal_id", "no_auth")
    return None


def validate_connect(params: t.Mapping[str, t.Any], lang: str = "en", auth: bool = True) -> dict[str, t.Any]:
    """Validate and normalize the connect module's target and authentication options.

    Returns a dict with ``subscription_id``, ``resource_group``, ``location``, ``tenant_id``, ``cloud``,
    ``resource_name``, ``tags``, ``correlation_id``, ``private_link_scope``, ``gateway_id`` and ``auth``
    (the authentication method; checked only when ``auth`` is true, else ``None``).
    """
    for option in ("subscription_id", "resource_group", "location"):
        if not params.get(option):
            _fail("AZCM0016", lang, option, "missing")
    cloud = validate_cloud(params.get("cloud"), lang)
    result: dict[str, t.Any] = {
        "subscription_id": validate_subscription(params["subscription_id"], lang=lang),
        "resource_group": validate_resource_group(params["resource_group"], lang=lang),
        "cloud": cloud,
        "location": validate_location(params["location"], cloud, lang=lang),
        "tenant_id": validate_tenant(params["tenant_id"], lang=lang) if params.get("tenant_id") else None,
        "resource_name": validate_resource_name(params["resource_name"], lang=lang) if params.get("resource_name") else None,
        "tags": validate_tags(params.get("tags"), lang=lang),
        "correlation_id": validate_guid(params["correlation_id"], "correlation_id", lang) if params.get("correlation_id") else None,
        "private_link_scope": (validate_resource_id(params["private_link_scope"], "private_link_scope", lang)
                               if params.get("private_link_scope") else None),
        "gateway_id": validate_resource_id(params["gateway_id"], "gateway_id", lang) if params.get("gateway_id") else None,
    }
    result["auth"] = validate_auth(params, lang, required=True) if auth else None
    return result


def validate_disconnect(params: t.Mapping[str, t.Any], lang: str = "en") -> dict[str, str | None]:
    """Validate the disconnect module's options: authentication is needed unless force_local_only."""
    if params.get("tenant_id"):
        validate_tenant(params["tenant_id"], lang=lang)
    return {"auth": validate_auth(params, lang, required=not params.get("force_local_only"))}
