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

CLOUDS = ("AzureCloud", "AzureUSGovernment", "AzureChinaCloud", "Azure.Local")

PUBLIC_REGIONS = frozenset("""
australiacentral australiacentral2 australiaeast australiasoutheast austriaeast belgiumcentral brazilsouth
brazilsoutheast canadacentral canadaeast centralindia centralus centraluseuap chilecentral denmarkeast eastasia
eastus eastus2 eastus2euap francecentral francesouth germanynorth germanywestcentral indonesiacentral
israelcentral italynorth japaneast japanwest jioindiacentral jioindiawest koreacentral koreasouth malaysiawest
mexicocentral newzealandnorth northcentralus northeurope norwayeast norwaywest polandcentral qatarcentral
southafricanorth southafricawest southcentralus southeastasia southindia spaincentral swedencentral swedensouth
switzerlandnorth switzerlandwest taiwannorth uaecentral uaenorth uksouth ukwest westcentralus westeurope westindia
westus westus2 westus3
""".split())
GOVERNMENT_REGIONS = frozenset("usgovarizona usgoviowa usgovtexas usgovvirginia usdodcentral usdodeast".split())
CHINA_REGIONS = frozenset("chinaeast chinaeast2 chinaeast3 chinanorth chinanorth2 chinanorth3".split())
REGIONS_BY_CLOUD = {
    "AzureCloud": PUBLIC_REGIONS,
    "AzureUSGovernment": GOVERNMENT_REGIONS,
    "AzureChinaCloud": CHINA_REGIONS,
    "Azure.Local": PUBLIC_REGIONS | GOVERNMENT_REGIONS | CHINA_REGIONS,
}

_MESSAGES = {
    "en": {
        "missing": "{option} is required",
        "missing_with": "{option} is required with {other}",
        "conflict": "{option} and {other} are mutually exclusive",
        "no_auth": "no non-interactive authentication was given: set service_principal_id with service_principal_secret "
                   "or service_principal_cert, or access_token (the device code flow would wait for a person)",
        "guid": "{option} must be a GUID such as 00000000-0000-0000-0000-000000000000, got {value!r}",
        "tenant": "{option} must be a GUID or a verified domain name, got {value!r}",
        "subscription": "{option} must be a GUID or a subscription name of at most 64 characters, got {value!r}",
        "resource_group": "{option} {value!r} is not a valid resource group name (1-90 letters, digits, '_', '-', '.', '(' or ')',"
                          " not ending with '.')",
        "resource_name": "{option} {value!r} is not a valid machine name (1-54 letters, digits, '-' or '_',"
                         " starting and ending with a letter or digit)",
        "resource_id": "{option} must be a full Azure resource ID (/subscriptions/<guid>/resourceGroups/<group>/providers/...), got {value!r}",
        "cloud": "{option} {value!r} is not a supported cloud; use one of {choices}",
        "region": "{option} {value!r} is not a known region of {cloud}",
        "tag_key": "tag name {value!r} is invalid: 1-512 characters without control characters or any of < > % & \\ ? / = , '",
        "tag_value": "the value of tag {key!r} is invalid: at most 256 characters without control characters",
        "tags_count": "at most 50 tags are allowed, got {value}",
        "file": "{option} {value!r} is not a readable file",
        "empty": "{option} must not be empty",
    },
    "nl": {
        "missing": "{option} is verplicht",
        "missing_with": "{option} is verplicht samen met {other}",
        "conflict": "{option} en {other} sluiten elkaar uit",
        "no_auth": "er is geen niet-interactieve aanmelding opgegeven: geef service_principal_id met service_principal_secret "
                   "of service_principal_cert, of access_token (de apparaatcode-aanmelding zou op een persoon wachten)",
        "guid": "{option} moet een GUID zijn zoals 00000000-0000-0000-0000-000000000000, gekregen: {value!r}",
        "tenant": "{option} moet een GUID of een geverifieerde domeinnaam zijn, gekregen: {value!r}",
        "subscription": "{option} moet een GUID of een abonnementsnaam van hoogstens 64 tekens zijn, gekregen: {value!r}",
        "resource_group": "{option} {value!r} is geen geldige naam voor een resourcegroep (1-90 letters, cijfers, '_', '-', '.',"
                          " '(' of ')', niet eindigend op '.')",
        "resource_name": "{option} {value!r} is geen geldige machinenaam (1-54 letters, cijfers, '-' of '_',"
                         " beginnend en eindigend met een letter of cijfer)",
        "resource_id": "{option} moet een volledige Azure-resource-ID zijn (/subscriptions/<guid>/resourceGroups/<groep>/providers/...),"
                       " gekregen: {value!r}",
        "cloud": "{option} {value!r} is geen ondersteunde cloud; gebruik een van {choices}",
        "region": "{option} {value!r} is geen bekende regio van {cloud}",
        "tag_key": "tagnaam {value!r} is ongeldig: 1-512 tekens zonder stuurtekens of een van < > % & \\ ? / = , '",
        "tag_value": "de waarde van tag {key!r} is ongeldig: hoogstens 256 tekens zonder stuurtekens",
        "tags_count": "hoogstens 50 tags zijn toegestaan, gekregen: {value}",
        "file": "{option} {value!r} is geen leesbaar bestand",
        "empty": "{option} mag niet leeg zijn",
    },
}


class ValidationError(ValueError):
    """An option value the agent would refuse: carries the AZCM code, the option and a readable detail."""

    def __init__(self, code, option, detail):
        super(ValidationError, self).__init__(detail)
        self.code = code
        self.option = option
        self.detail = detail


def _text(lang, message_key, **kwargs):
    table = _MESSAGES.get(lang, _MESSAGES["en"])
    return table[message_key].format(**kwargs)


def _fail(code, lang, option, message_key, **kwargs):
    kwargs.setdefault("option", option)
    raise ValidationError(code, option, _text(lang, message_key, **kwargs))


def is_guid(value):
    """True when value is a string GUID in 8-4-4-4-12 form."""
    return isinstance(value, str) and bool(GUID_RE.match(value))


def normalize_location(value):
    """The agent strips spaces from --location (1.50+) and ARM compares case-insensitively: 'West Europe' -> 'westeurope'."""
    return re.sub(r"\s+", "", value or "").lower()


def normalize_cloud(value, lang="en", option="cloud"):
    """Return the canonical spelling of a cloud name (case-insensitive match), or raise AZCM0023."""
    if value is None or value == "":
        return "AzureCloud"
    for cloud in CLOUDS:
        if cloud.lower() == str(value).strip().lower():
            return cloud
    _fail("AZCM0023", lang, option, "cloud", value=value, choices=", ".join(CLOUDS))
    return None  # pragma: no cover - _fail always raises


def validate_guid(value, option, lang="en"):
    if not is_guid(value):
        _fail("AZCM0023", lang, option, "guid", value=value)
    return value.lower()


def validate_tenant(value, option="tenant_id", lang="en"):
    if is_guid(value):
        return value.lower()
    if isinstance(value, str) and TENANT_DOMAIN_RE.match(value):
        return value.lower()
    _fail("AZCM0023", lang, option, "tenant", value=value)
    return None  # pragma: no cover


def validate_subscription(value, option="subscription_id", lang="en"):
    """A subscription may be given by GUID or by name (the agent looks the name up: AZCM0068 when that fails)."""
    if is_guid(value):
        return value.lower()
    if isinstance(value, str) and value.strip() and len(value) <= 64 and not CONTROL_RE.search(value):
        return value.strip()
    _fail("AZCM0023", lang, option, "subscription", value=value)
    return None  # pragma: no cover


def validate_resource_group(value, option="resource_group", lang="en"):
    if not isinstance(value, str) or not RESOURCE_GROUP_RE.match(value):
        _fail("AZCM0023", lang, option, "resource_group", value=value)
    return value


def validate_resource_name(value, option="resource_name", lang="en"):
    if not isinstance(value, str) or not RESOURCE_NAME_RE.match(value):
        _fail("AZCM0023", lang, option, "resource_name", value=value)
    return value


def validate_resource_id(value, option, lang="en"):
    if not isinstance(value, str) or not RESOURCE_ID_RE.match(value):
        _fail("AZCM0023", lang, option, "resource_id", value=value)
    return value


def validate_location(value, cloud="AzureCloud", option="location", lang="en"):
    """Normalize a region and check that the cloud knows it (AZCM0020 otherwise)."""
    location = normalize_location(value)
    if not location:
        _fail("AZCM0016", lang, option, "missing")
    if location not in REGIONS_BY_CLOUD.get(cloud, PUBLIC_REGIONS):
        _fail("AZCM0020", lang, option, "region", value=value, cloud=cloud)
    return location


def validate_tags(tags, option="tags", lang="en"):
    """Check tag names and values against Azure's rules; returns a dict of str -> str."""
    if not tags:
        return {}
    if len(tags) > 50:
        _fail("AZCM0023", lang, option, "tags_count", value=len(tags))
    result = {}
    for key, value in tags.items():
        key = str(key)
        value = "" if value is None else str(value)
        if not key or len(key) > 512 or TAG_KEY_FORBIDDEN_RE.search(key) or CONTROL_RE.search(key) or key != key.strip():
            _fail("AZCM0023", lang, option, "tag_key", value=key)
        if len(value) > 256 or CONTROL_RE.search(value):
            _fail("AZCM0023", lang, option, "tag_value", key=key)
        result[key] = value
    return result


def _escape_tag_value(value):
    """Escape a tag value the way the agent (1.50+) reads it: backslash, comma and quote are backslash-escaped."""
    escaped = value.replace("\\", "\\\\").replace(",", "\\,").replace("'", "\\'")
    if TAG_NEEDS_QUOTES_RE.search(value):
        escaped = "'%s'" % escaped
    return escaped


def render_tags(tags):
    """Render a tag dict as the agent's --tags string: k=v,k2='v w', commas in values escaped as \\,.

    Keys keep the order of the dict (Ansible keeps the user's order)."""
    return ",".join("%s=%s" % (key, _escape_tag_value(value)) for key, value in tags.items())


def validate_auth(params, lang="en", required=True):
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
        except (IOError, OSError):
            _fail("AZCM0023", lang, "service_principal_cert", "file", value=cert)
        return "service_principal_cert"
    if secret:
        return "service_principal_secret"
    if token:
        return "access_token"
    if required:
        _fail("AZCM0016", lang, "service_principal_id", "no_auth")
    return None


def validate_connect(params, lang="en", auth=True):
    """Validate and normalize the connect module's target and authentication options.

    Returns a dict with ``subscription_id``, ``resource_group``, ``location``, ``tenant_id``, ``cloud``,
    ``resource_name``, ``tags``, ``correlation_id``, ``private_link_scope``, ``gateway_id`` and ``auth``
    (the authentication method; checked only when ``auth`` is true, else ``None``).
    """
    for option in ("subscription_id", "resource_group", "location"):
        if not params.get(option):
            _fail("AZCM0016", lang, option, "missing")
    cloud = normalize_cloud(params.get("cloud"), lang)
    result = {
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


def validate_disconnect(params, lang="en"):
    """Validate the disconnect module's options: authentication is needed unless force_local_only."""
    if params.get("tenant_id"):
        validate_tenant(params["tenant_id"], lang=lang)
    return {"auth": validate_auth(params, lang, required=not params.get("force_local_only"))}
