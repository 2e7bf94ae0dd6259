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
    if (isinstance(value, str) and value.strip() and len(value) <= 64 and not CONTROL_RE.search(value)
            and not value.strip().startswith("-") and not SHELL_CHARS_RE.search(value)):
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


# --------------------------------------------------------------------------------------------------
# Every option of every module, every role variable: the generic checks by type, then the form of the value
# --------------------------------------------------------------------------------------------------
#
# ``check_options`` runs before a module does anything (the client calls it first): a value that would reach the
# agent's argv, a URL or a file name in a shape the agent or Azure would misread fails here, naming the option and
# the expected form. ``check_value`` is the same for one value (the role variables, through the internal filter
# ``_azcm_check_vars``). The checks are driven by the argument spec, so a new option is covered by the generic rules
# of its type at once; a name in the FORMS tables adds the form of its value.

# Longest text an option may hold: far above every Azure name (a resource ID is under 1 KiB) and any URL we need.
TEXT_MAX = 2048
# Secrets: an access token (a JWT) is a few KiB.
SECRET_MAX = 32768
# Largest number an integer option may hold (seconds: about 115 days).
INT_MAX = 10_000_000
# float options hold times (seconds since the epoch, such as a token's expiry): up to the year 5138
FLOAT_MAX = 10 ** 11

# Characters of command syntax: no option value needs them, and in a value they are an injection attempt or a paste error.
SHELL_CHARS_RE = re.compile(r"[;`$|<>]")

# An agent setting name (config module): dotted lower-case words (proxy.url, extensions.agent.cpulimit).
SETTING_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*){1,4}\Z")
# A URL: scheme, host (name, IPv4 or [IPv6]), optional port and path; no blanks, no quotes.
URL_RE = re.compile(r"^(?P<scheme>https?)://(?:[^\s/@'\"]+@)?(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?(?:[/?#][^\s'\"]*)?\Z",
                    re.IGNORECASE)
# An Azure region as users write it: letters, digits and blanks (the agent strips the blanks).
LOCATION_RE = re.compile(r"^[A-Za-z][A-Za-z0-9 ]{0,63}\Z")
# A machine resource name as Resource Manager accepts it (the ARM client's own rule).
MACHINE_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,54}\Z")
# A resource provider namespace.
NAMESPACE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*){1,4}\Z")
# A Resource Manager API version.
API_VERSION_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:-preview)?\Z")
# A service (init script or systemd unit) name.
SERVICE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9@._-]{0,127}\Z")
# A package name (Debian, RPM).
PACKAGE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9+._-]{0,127}\Z")
# An agent version: 1.58, 1.58.03228.700, 1.50.02986-239.
VERSION_RE = re.compile(r"^[0-9]+(?:\.[0-9]+){0,3}(?:[-~+][A-Za-z0-9.~+]{1,32})?\Z")
# A checksum as ansible.builtin.get_url takes it.
CHECKSUM_RE = re.compile(r"^(?:md5|sha1|sha224|sha256|sha384|sha512):[0-9A-Fa-f]{32,128}\Z")
# An apt suite or component.
SUITE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}\Z")
# A host name (or an EC2 instance ID): labels of letters, digits, '-' and '_', dots between them.
HOST_NAME_RE = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?\Z")

Form = t.Callable[[t.Any, str, str], None]


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, t.Mapping):
        return "dict"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def _form_text(form: str, lang: str) -> str:
    return text(f"input.form_{form}", lang if lang in LANGUAGES else "en")


def _fail_input(lang: str, option: str, message: str, code: str = "AZCM0023", **fields: object) -> t.NoReturn:
    fields.setdefault("option", option)
    raise ValidationError(code, option, text(f"input.{message}", lang if lang in LANGUAGES else "en", **fields))


def _shown(value: object) -> object:
    """A value for a message: long ones cut (the whole value is in the task's arguments anyway)."""
    if isinstance(value, str) and len(value) > 80:
        return value[:80] + "..."
    return value


def check_text(value: str, option: str, lang: str = "en", *, form: str = "text", secret: bool = False, argv: bool = True,
               limit: int | None = None) -> None:
    """The rules of every text an option holds: one line, bounded, and (unless secret) no leading '-' and no command
    syntax. A secret is never quoted in the message."""
    if CONTROL_RE.search(value):
        _fail_input(lang, option, "control", form=_form_text(form, lang))
    limit = limit or (SECRET_MAX if secret else TEXT_MAX)
    if len(value) > limit:
        _fail_input(lang, option, "too_long", length=len(value), limit=limit, form=_form_text(form, lang))
    if secret:
        return
    if value.strip() == "" and value:
        _fail_input(lang, option, "blank", form=_form_text(form, lang))
    if argv and value.lstrip().startswith("-"):
        _fail_input(lang, option, "leading_dash", value=_shown(value), form=_form_text(form, lang))
    if SHELL_CHARS_RE.search(value):
        _fail_input(lang, option, "shell_chars", value=_shown(value), form=_form_text(form, lang))


def _check_pattern(pattern: t.Pattern[str], form: str) -> Form:
    def check(value: t.Any, option: str, lang: str) -> None:
        if not isinstance(value, str) or not pattern.match(value):
            _fail_input(lang, option, "form", form=_form_text(form, lang), value=_shown(value))
    check.__name__ = f"check_{form}"
    return check


def _check_url(https_only: bool = False) -> Form:
    def check(value: t.Any, option: str, lang: str) -> None:
        match = URL_RE.match(value) if isinstance(value, str) else None
        if match is None or (https_only and match.group("scheme").lower() != "https"):
            form = "https_url" if https_only else "url"
            _fail_input(lang, option, "form", form=_form_text(form, lang), value=_shown(value))
    return check


def _wrap(validator: t.Callable[..., object]) -> Form:
    def check(value: t.Any, option: str, lang: str) -> None:
        validator(value, option=option, lang=lang)
    return check


def _check_guid(value: t.Any, option: str, lang: str) -> None:
    validate_guid(value, option, lang)


def _check_cloud(value: t.Any, option: str, lang: str) -> None:
    validate_cloud(value, lang, option)


def _check_tags(value: t.Any, option: str, lang: str) -> None:
    if not isinstance(value, t.Mapping):
        _fail_input(lang, option, "wrong_type", expected=_form_text("tags", lang), kind=_kind(value))
    for key in value:
        if isinstance(key, str) and key.startswith("-"):
            _fail_input(lang, option, "leading_dash", value=_shown(key), form=_form_text("tags", lang))
    validate_tags(value, option, lang)


def _check_setting_value(value: t.Any, option: str, lang: str) -> None:
    items = value if isinstance(value, (list, tuple)) else [value]
    for index, item in enumerate(items):
        name = f"{option}[{index}]" if isinstance(value, (list, tuple)) else option
        if isinstance(item, (t.Mapping, list, tuple)) or item is None and isinstance(value, (list, tuple)):
            _fail_input(lang, name, "form", form=_form_text("setting_value", lang), value=_shown(item))
        if isinstance(item, str):
            check_text(item, name, lang, form="setting_value")
            if isinstance(value, (list, tuple)) and "," in item:
                _fail_input(lang, name, "form", form=_form_text("setting_value", lang), value=_shown(item))


def _check_state_dir(value: t.Any, option: str, lang: str) -> None:
    import posixpath
    items = value if isinstance(value, (list, tuple)) else [value]
    for item in items:
        if (not isinstance(item, str) or not item.startswith("/") or posixpath.normpath(item) == "/"
                or ".." in item.split("/")):
            _fail_input(lang, option, "form", form=_form_text("state_dir", lang), value=_shown(item))


def _check_resource_id(value: t.Any, option: str, lang: str) -> None:
    validate_resource_id(value, option, lang)


def _check_subscription(value: t.Any, option: str, lang: str) -> None:
    validate_subscription(value, option, lang)


def _check_location(value: t.Any, option: str, lang: str) -> None:
    if not isinstance(value, str) or not LOCATION_RE.match(value.strip()):
        _fail_input(lang, option, "form", form=_form_text("location", lang), value=_shown(value))


def _each(form: Form) -> Form:
    def check(value: t.Any, option: str, lang: str) -> None:
        for index, item in enumerate(value if isinstance(value, (list, tuple)) else [value]):
            form(item, f"{option}[{index}]", lang)
    return check


def _check_settings(value: t.Any, option: str, lang: str) -> None:
    """Agent settings by name: each key a setting name, each value a setting value."""
    if not isinstance(value, t.Mapping):
        _fail_input(lang, option, "wrong_type", expected="a dict", kind=_kind(value))
    for key, item in value.items():
        FORMS["setting_name"](key, f"{option}.{key}" if isinstance(key, str) else option, lang)
        FORMS["setting_value"](item, f"{option}.{key}", lang)


#: The form of each kind of value (the key names the input.form_<key> text).
FORMS: t.Dict[str, Form] = {
    "guid": _check_guid,
    "tenant": _wrap(validate_tenant),
    "subscription": _check_subscription,
    "resource_group": _wrap(validate_resource_group),
    "resource_name": _wrap(validate_resource_name),
    "machine_name": _check_pattern(MACHINE_NAME_RE, "machine_name"),
    "location": _check_location,
    "cloud": _check_cloud,
    "resource_id": _check_resource_id,
    "tags": _check_tags,
    "setting_name": _check_pattern(SETTING_NAME_RE, "setting_name"),
    "setting_value": _check_setting_value,
    "url": _check_url(),
    "https_url": _check_url(https_only=True),
    "namespace": _each(_check_pattern(NAMESPACE_RE, "namespace")),
    "api_version": _check_pattern(API_VERSION_RE, "api_version"),
    "service_name": _each(_check_pattern(SERVICE_NAME_RE, "service_name")),
    "package_name": _check_pattern(PACKAGE_NAME_RE, "package_name"),
    "version": _check_pattern(VERSION_RE, "version"),
    "checksum": _check_pattern(CHECKSUM_RE, "checksum"),
    "suite": _each(_check_pattern(SUITE_RE, "suite")),
    "host_name": _check_pattern(HOST_NAME_RE, "host_name"),
    "state_dir": _check_state_dir,
    "settings": _check_settings,
}

#: Options of the modules that run the agent, and the form of their value.
AGENT_OPTION_FORMS: t.Mapping[str, str] = {
    "subscription_id": "subscription", "tenant_id": "tenant", "service_principal_id": "guid", "correlation_id": "guid",
    "resource_group": "resource_group", "resource_name": "resource_name", "cloud": "cloud",
    "private_link_scope": "resource_id", "gateway_id": "resource_id", "tags": "tags", "name": "setting_name",
    "value": "setting_value",
}
# (location, proxy_url, gateway_url and endpoints: connect checks the region against the cloud's list, check its URLs and
# regions itself, with messages of their own; the generic rules of their type apply to them first.)

#: Options of the Resource Manager modules, and the form of their value.
AZURE_OPTION_FORMS: t.Mapping[str, str] = {
    "subscription_id": "subscription", "tenant_id": "tenant", "service_principal_id": "guid", "resource_group": "resource_group",
    "name": "machine_name", "tags": "tags", "namespaces": "namespace", "authority_host": "https_url",
    "resource_manager_endpoint": "https_url", "api_version": "api_version",
}

#: Role variables (every role), and the form of their value when it is not empty.
ROLE_VARIABLE_FORMS: t.Mapping[str, str] = {
    "azcmagent_subscription_id": "subscription", "azcmagent_tenant_id": "tenant", "azcmagent_service_principal_id": "guid",
    "azcmagent_admin_service_principal_id": "guid", "azcmagent_resource_group": "resource_group",
    "azcmagent_resource_name": "resource_name", "azcmagent_host_name": "host_name", "azcmagent_location": "location",
    "azcmagent_cloud": "cloud", "azcmagent_private_link_scope": "resource_id", "azcmagent_gateway_id": "resource_id",
    "azcmagent_tags": "tags", "azcmagent_proxy_url": "url", "azcmagent_gateway_url": "https_url",
    "azcmagent_authority_host": "https_url", "azcmagent_resource_manager_endpoint": "https_url",
    "azcmagent_service_names": "service_name", "azcmagent_package_name": "package_name", "azcmagent_version": "version",
    "azcmagent_repo_url": "url", "azcmagent_repo_key_url": "url", "azcmagent_package_url": "url",
    "azcmagent_install_proxy": "url", "azcmagent_imds_url": "url", "azcmagent_package_checksum": "checksum",
    "azcmagent_repo_suite": "suite", "azcmagent_repo_components": "suite", "azcmagent_state_dirs": "state_dir",
    "azcmagent_agent_config": "settings",
}

# The generic form of a text by the spec's type.
_TYPE_FORMS = {"str": "text", "path": "path"}


def _check_nested(value: object, option: str, lang: str, secret: bool, argv: bool, depth: int = 0) -> None:
    """Every string inside a list / dict / raw value obeys the text rules; keys are strings."""
    if isinstance(value, str):
        check_text(value, option, lang, secret=secret, argv=argv)
    elif isinstance(value, t.Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                _fail_input(lang, option, "key", key=_shown(key))
            check_text(key, option, lang, secret=False, argv=argv)
            if depth >= 1 and isinstance(item, (t.Mapping, list, tuple)):
                _fail_input(lang, option, "nested", kind=_kind(item), key=key)
            _check_nested(item, f"{option}.{key}", lang, secret, argv, depth + 1)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            if depth >= 1 and isinstance(item, (t.Mapping, list, tuple)):
                _fail_input(lang, option, "nested", kind=_kind(item), key=index)
            _check_nested(item, f"{option}[{index}]", lang, secret, argv, depth + 1)


_INT_TEXT_RE = re.compile(r"\s*[+-]?[0-9]+\s*")
_FLOAT_TEXT_RE = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*")


def _number_text(value: str, kind: str) -> object:
    """The number a text stands for (an ``int`` for kind int, a ``float`` for float), else the text unchanged."""
    if _INT_TEXT_RE.fullmatch(value):
        return int(value)
    if kind == "float" and _FLOAT_TEXT_RE.fullmatch(value):
        return float(value)
    return value


def check_value(value: object, option: str, spec: t.Mapping[str, t.Any], lang: str = "en", *, raw: object = None,
                argv: bool = True, form: str | None = None, required: bool | None = None) -> None:
    """Check one value against its argument spec entry (type, elements, no_log, required, default) and its form.

    ``raw`` is the value as the user gave it (before Ansible converted it to the spec's type), when known; a dict or
    list given for a string fails. An empty string counts as not given unless the option is required or its default
    is not empty. Raises :class:`ValidationError` naming ``option``, the expected form and (never for a secret) the
    value."""
    kind = spec.get("type", "str")
    secret = bool(spec.get("no_log"))
    required = bool(spec.get("required")) if required is None else required
    given = value if raw is None else raw
    text_form = "secret" if secret else (form if form in FORMS and kind in _TYPE_FORMS else _TYPE_FORMS.get(kind, "text"))
    if kind in _TYPE_FORMS:
        if isinstance(given, (t.Mapping, list, tuple, bool)) or (given is not None and not isinstance(given, (str, int, float))):
            _fail_input(lang, option, "not_text", form=_form_text(text_form, lang), kind=_kind(given))
        if value is None:
            return
        value = str(value)
        if value == "":
            default = spec.get("default")
            if required or (isinstance(default, str) and default != ""):
                _fail_input(lang, option, "empty", "AZCM0016" if required else "AZCM0023", form=_form_text(text_form, lang))
            return
        check_text(value, option, lang, form=text_form, secret=secret, argv=argv)
    elif kind in ("int", "float"):
        if value is None and given is None:
            return
        high = INT_MAX if kind == "int" else FLOAT_MAX
        what = "range" if kind == "int" else "range_number"
        if isinstance(value, str):
            # A number given as text (``-e name=5`` makes every extra variable a string), converted as Ansible's own
            # argument spec validation converts it.
            value = _number_text(value, kind)
        if isinstance(given, bool) or not isinstance(value, (int, float)):
            _fail_input(lang, option, what, low=0, high=high, value=_shown(given))
        if not 0 <= value <= high:
            _fail_input(lang, option, what, low=0, high=high, value=value)
        return
    elif kind == "bool":
        return
    elif kind == "list":
        if value is None:
            return
        if not isinstance(value, (list, tuple)):
            _fail_input(lang, option, "wrong_type", expected="a list", kind=_kind(value))
        elements = spec.get("elements", "raw")
        items = given if isinstance(given, (list, tuple)) and len(given) == len(value) else value
        for index, item in enumerate(items):
            name = f"{option}[{index}]"
            if elements in _TYPE_FORMS:
                if isinstance(item, (int, float)) and not isinstance(item, bool):
                    item = str(item)
                if not isinstance(item, str):
                    _fail_input(lang, name, "not_text", form=_form_text(_TYPE_FORMS[elements], lang), kind=_kind(item))
                if not item.strip():
                    _fail_input(lang, name, "empty", form=_form_text(_TYPE_FORMS[elements], lang))
                check_text(item, name, lang, form=_TYPE_FORMS[elements], secret=secret, argv=argv)
            elif elements in ("dict", "raw"):
                if isinstance(item, str) and not item.strip():
                    _fail_input(lang, name, "empty", form=_form_text("text", lang))
                _check_nested(item, name, lang, secret, argv, depth=1 if isinstance(item, t.Mapping) else 0)
    elif kind == "dict":
        if value is None:
            return
        if not isinstance(value, t.Mapping):
            _fail_input(lang, option, "wrong_type", expected="a dict", kind=_kind(value))
        options = spec.get("options")
        if isinstance(options, t.Mapping):
            for key, item in value.items():
                if key not in options:
                    _fail_input(lang, option, "unknown_key", key=_shown(key), choices=", ".join(sorted(options)))
                if item is not None:
                    check_value(item, f"{option}.{key}", options[key], lang, argv=argv, required=False)
        elif form == "tags":
            # Tag values are free text for Azure (command syntax included: they travel as one escaped argument);
            # validate_tags checks their length and control characters, here only that they are scalars.
            for key, item in value.items():
                if isinstance(item, (t.Mapping, list, tuple)):
                    _fail_input(lang, option, "nested", kind=_kind(item), key=key)
        else:
            _check_nested(value, option, lang, secret, argv)
    else:  # raw
        if value is None:
            return
        _check_nested(value, option, lang, secret, argv)
    if form and value not in (None, "", [], {}):
        FORMS[form](value, option, lang)


def check_options(params: t.Mapping[str, t.Any], spec: t.Mapping[str, t.Mapping[str, t.Any]], lang: str = "en", *,
                  raw: t.Optional[t.Mapping[str, t.Any]] = None, argv: bool = True,
                  forms: t.Optional[t.Mapping[str, str]] = None) -> None:
    """Check every option of a module (see :func:`check_value`); ``raw`` holds the arguments as given (aliases
    included), ``argv`` says whether option values may reach the agent's command line, ``forms`` maps option names to
    the form of their value (:data:`AGENT_OPTION_FORMS`, :data:`AZURE_OPTION_FORMS`)."""
    raw = raw or {}
    for name, option in spec.items():
        given = raw.get(name)
        for alias in option.get("aliases") or ():
            if given is None:
                given = raw.get(alias)
        check_value(params.get(name), name, option, lang, raw=given, argv=argv, form=(forms or {}).get(name))
