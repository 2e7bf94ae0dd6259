# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""State and rules of the mock Entra ID + Resource Manager, independent of HTTP plumbing.

``Mock.handle(method, target, headers, body)`` returns ``(status, headers, body_bytes)``.
Every answer follows /work/shared/reference/azure-api-reference.md; where the reference is
silent the guess is marked GUESS and listed in ../README.md.
"""

from __future__ import annotations

import copy
import datetime
import fnmatch
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
import urllib.parse
import uuid

from . import certs

# --- routes (anchored, case-insensitive like ARM) ---

# /{tenant}/oauth2/v2.0/token (v2) or /{tenant}/oauth2/token (v1)
TOKEN_RE = re.compile(r"^/(?P<tenant>[^/]+)/oauth2/(?P<v2>v2\.0/)?token/?$", re.I)
# /{tenant}/v2.0/.well-known/openid-configuration (MSAL discovery)
OIDC_RE = re.compile(r"^/(?P<tenant>[^/]+)/v2\.0/\.well-known/openid-configuration$", re.I)
# /subscriptions (list)
SUBS_RE = re.compile(r"^/subscriptions/?$", re.I)
# /subscriptions/{sub}
SUB_RE = re.compile(r"^/subscriptions/(?P<sub>[^/]+)/?$", re.I)
# /subscriptions/{sub}/providers/{ns} and .../register
PROVIDER_RE = re.compile(r"^/subscriptions/(?P<sub>[^/]+)/providers/(?P<ns>[^/]+)(?P<register>/register)?/?$", re.I)
# /subscriptions/{sub}/resourcegroups/{rg}
RG_RE = re.compile(r"^/subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)/?$", re.I)
# /subscriptions/{sub}/resourcegroups/{rg}/providers/Microsoft.HybridCompute/machines[/{name}]
MACHINE_RE = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)/providers/microsoft\.hybridcompute/machines(?:/(?P<name>[^/]+))?/?$",
    re.I)
# /subscriptions/{sub}/providers/Microsoft.HybridCompute/machines (list by subscription)
SUB_MACHINES_RE = re.compile(r"^/subscriptions/(?P<sub>[^/]+)/providers/microsoft\.hybridcompute/machines/?$", re.I)
# /subscriptions/{sub}/resourcegroups/{rg}/providers/Microsoft.HybridCompute/machines/{name}/extensions[/{ext}]
EXTENSION_RE = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)/providers/microsoft\.hybridcompute/machines/(?P<machine>[^/]+)/"
    r"extensions(?:/(?P<ext>[^/]+))?/?$", re.I)
# async operation status / result of a long-running delete
OPERATION_RE = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)/providers/microsoft\.hybridcompute/locations/(?P<loc>[^/]+)/"
    r"(?P<kind>operationstatus|operationresults)/(?P<opid>[^/]+)/?$", re.I)
# GET /discovery?location=<region>&api-version=2.1 on gbl.his.arc.azure.{com,us,cn}: the agent's regional HIS discovery
DISCOVERY_RE = re.compile(r"^/discovery/?$", re.I)
# The regional HIS host code the discovery answers, per global host suffix (research-endpoints.md 1.3: the rows a
# public source shows; the agent simulator's azsim/azure.py REGIONAL_HIS holds the same, test_mock_azure checks it).
# settings.regional_his ({region: code}) adds or overrides rows (a test that must tell discovery from the fallback).
DISCOVERY_CODES = {
    "his.arc.azure.com": {
        "westeurope": "weu", "ukwest": "uks", "uksouth": "uks", "eastus": "eus", "eastus2": "eus2", "westcentralus": "wcus",
        "southcentralus": "scus", "westus2": "wus2", "southeastasia": "sea", "australiaeast": "ae", "northeurope": "ne",
        "francecentral": "fc",
    },
    "his.arc.azure.us": {"usgovvirginia": "usgv", "usgovarizona": "usgv", "usgovtexas": "usgv"},
    "his.arc.azure.cn": {},
}
# /subscriptions/{sub}[/resourcegroups/{rg}]/providers/Microsoft.Authorization/permissions (the caller's effective permissions)
PERMISSIONS_RE = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)(?:/resourcegroups/(?P<rg>[^/]+))?/providers/microsoft\.authorization/permissions/?$", re.I)
# /metadata/identity/oauth2/token: the Instance Metadata Service's managed identity token endpoint (served over plain HTTP)
IMDS_RE = re.compile(r"^/metadata/identity/oauth2/token/?$", re.I)
# Machine name rule of the RP: ^[a-zA-Z0-9-_\.]{1,54}$
MACHINE_NAME_RE = re.compile(r"^[a-zA-Z0-9\-_.]{1,54}$")
# An api-version: 2025-01-13 or 2024-11-10-preview
API_VERSION_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(-preview)?$")
# Authorization: Bearer <token>
BEARER_RE = re.compile(r"^Bearer\s+(?P<token>\S+)\s*$", re.I)

HYBRID_COMPUTE = "Microsoft.HybridCompute"
ROLE_ACTIONS = {
    "owner": ("*",),
    "contributor": ("*",),
    "reader": ("*/read",),
    "azure connected machine onboarding": (
        "Microsoft.HybridCompute/machines/read", "Microsoft.HybridCompute/machines/write",
        "Microsoft.HybridCompute/privateLinkScopes/read", "Microsoft.GuestConfiguration/guestConfigurationAssignments/read"),
    "azure connected machine resource administrator": (
        "Microsoft.HybridCompute/machines/*", "Microsoft.HybridCompute/privateLinkScopes/*", "Microsoft.HybridCompute/*/read",
        "Microsoft.Resources/subscriptions/resourceGroups/read"),
}
# notActions of the built-in roles as the permissions API reports them (Contributor may not manage access).
ROLE_NOT_ACTIONS = {
    "contributor": ("Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action"),
}
ROLES = ("Azure Connected Machine Onboarding", "Azure Connected Machine Resource Administrator", "Contributor", "Owner", "Reader")
ALLOWED_AUDIENCES = (
    "https://management.core.windows.net/", "https://management.core.windows.net", "https://management.azure.com/",
    "https://management.azure.com",
)
# GUESS: the sovereign clouds' equivalents are accepted too (one server plays every cloud).
EXTRA_AUDIENCES = (
    "https://management.core.usgovcloudapi.net/", "https://management.core.usgovcloudapi.net",
    "https://management.usgovcloudapi.net/", "https://management.usgovcloudapi.net",
    "https://management.core.chinacloudapi.cn/", "https://management.core.chinacloudapi.cn",
    "https://management.chinacloudapi.cn/", "https://management.chinacloudapi.cn",
)
CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

AAD_TEXTS = {
    7000215: ("invalid_client", 401, "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the "
                                     "client secret value, not the client secret ID, for a secret added to app '{client_id}'."),
    7000222: ("invalid_client", 401, "AADSTS7000222: The provided client secret keys for app '{client_id}' are expired. Visit the Azure "
                                     "portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using "
                                     "certificate credentials for added security: https://aka.ms/certCreds."),
    700016: ("unauthorized_client", 400, "AADSTS700016: Application with identifier '{client_id}' was not found in the directory "
                                         "'{directory}'. This can happen if the application has not been installed by the administrator "
                                         "of the tenant or consented to by any user in the tenant. You may have sent your authentication "
                                         "request to the wrong tenant."),
    90002: ("invalid_request", 400, "AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are "
                                    "signing into the correct cloud. Check with your subscription administrator, this may happen if "
                                    "there are no active subscriptions for the tenant."),
    700027: ("invalid_client", 401, "AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on "
                                    "application. [Reason - The key was not found., Please visit the Azure Portal, Graph Explorer or "
                                    "directly use MS Graph to see configured keys for app Id '{client_id}'. Review the documentation at "
                                    "https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint "
                                    "and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build "
                                    "a query request URL, such as 'https://graph.microsoft.com/beta/applications/{app_object_id}']."),
    # GUESS: the wording for a registered key whose signature does not verify (the older 700027 family form).
    7000274: ("invalid_client", 401, "AADSTS700027: Client assertion contains an invalid signature. [Reason - The provided signature value "
                                     "did not match the expected signature value., Thumbprint of key used by client: '{thumbprint}', "
                                     "Found key 'Start=01/01/2025 00:00:00, End=01/01/2030 00:00:00']"),
    7000218: ("invalid_client", 401, "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or "
                                     "'client_secret'."),
    # GUESS: wording of the missing-client_id and bad-grant answers (not in the reference).
    900144: ("invalid_request", 400, "AADSTS900144: The request body must contain the following parameter: '{parameter}'."),
    70003: ("unsupported_grant_type", 400, "AADSTS70003: The app requested an unsupported grant type '{grant_type}'."),
    700024: ("invalid_client", 400, "AADSTS700024: Client assertion is not within its valid time range. Current time: {now}, "
                                    "assertion valid from {nbf}, expiry time of assertion {exp}."),
    50027: ("invalid_request", 400, "AADSTS50027: JWT token is invalid or malformed."),
}

DEFAULT_SETTINGS = {
    "page_size": 50,            # list pages (nextLink when more)
    "aad_separator": "space",   # "space" (late 2024+) or "crlf" (up to 2023) in error_description
    "delete_mode": "sync",      # "sync" (200 empty body) or "async" (202 + Azure-AsyncOperation)
    "async_polls": 1,           # InProgress answers before an async delete succeeds
    "token_lifetime": 3599,
    "api_versions": None,       # list of accepted HybridCompute api-versions, None = any well-formed
    "max_requests": 20000,      # request log length
    "extension_delete_mode": "async",   # "async" (202 + Azure-AsyncOperation, as the reference's extension traffic) or "sync"
}


def empty_state():
    return {
        "tenants": {}, "principals": {}, "role_assignments": [], "subscriptions": {}, "resource_groups": {},
        "machines": {}, "locks": [], "faults": [], "operations": {}, "settings": dict(DEFAULT_SETTINGS),
        "token_key": secrets.token_hex(32),
    }


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def iso7(moment=None):
    """2025-03-11T23:13:04.3842126Z (ARM's 7 fractional digits)."""
    moment = moment or utcnow()
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%07d" % (moment.microsecond * 10) + "Z"


def aad_timestamp(moment=None):
    """2023-02-20 07:21:29Z (Entra ID error timestamp)."""
    return (moment or utcnow()).strftime("%Y-%m-%d %H:%M:%SZ")


def us_time(epoch):
    """'10/23/2019 3:54:29 PM' (ExpiredAuthenticationToken)."""
    moment = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return "%d/%d/%d %d:%02d:%02d %s" % (moment.month, moment.day, moment.year, hour, moment.minute, moment.second, half)


def deep_merge(base, extra):
    """Merge ``extra`` into ``base``: dicts recursively, lists appended (exact duplicates skipped)."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            deep_merge(base[key], value)
        elif isinstance(value, list) and isinstance(base.get(key), list):
            for item in value:
                if item not in base[key]:
                    base[key].append(copy.deepcopy(item))
        else:
            base[key] = copy.deepcopy(value)
    return base


def scope_covers(scope, resource_id):
    """True when ``scope`` is ``resource_id`` or one of its parents (case-insensitive)."""
    scope = scope.rstrip("/").lower()
    rid = resource_id.rstrip("/").lower()
    return scope == "" or rid == scope or rid.startswith(scope + "/")


def role_allows(role, action):
    patterns = ROLE_ACTIONS.get(str(role).lower(), ())
    return any(fnmatch.fnmatchcase(action.lower(), p.lower()) for p in patterns)


class Reply(Exception):
    """An HTTP answer raised from deep inside a handler."""

    def __init__(self, status, body=None, headers=None, gateway=False):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.gateway = gateway


class ResetConnection(Exception):
    """A fault with ``reset: true``: the server drops the connection without an answer (the client sees a reset)."""


def arm_error(status, code, message, gateway=True, headers=None, details=None, **extra):
    err = {"code": code, "message": message}
    if details is not None:
        err["details"] = details
    err.update(extra)
    return Reply(status, {"error": err}, headers, gateway)


class Mock:
    """The mock's state (thread-safe) and request handling."""

    def __init__(self, state_file=None):
        self.lock = threading.RLock()
        self.state_file = state_file
        self.requests_file = os.path.join(os.path.dirname(state_file), "requests.jsonl") if state_file else None
        self.requests = []
        self.state = empty_state()
        if state_file and os.path.exists(state_file):
            with open(state_file, encoding="utf-8") as handle:
                loaded = json.load(handle)
            self.state.update(loaded)
            self.state["settings"] = dict(DEFAULT_SETTINGS, **loaded.get("settings", {}))
        if self.requests_file and os.path.exists(self.requests_file):
            with open(self.requests_file, encoding="utf-8") as handle:
                self.requests = [json.loads(line) for line in handle if line.strip()]

    # ---------------------------------------------------------------- persistence
    def save(self):
        if not self.state_file:
            return
        with self.lock:
            text = json.dumps(self.state, indent=1, sort_keys=True)
            tmp = "%s.%d.tmp" % (self.state_file, threading.get_ident())
            # The state holds the principals' secrets: owner-only.
            with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, self.state_file)

    def public_state(self):
        with self.lock:
            data = copy.deepcopy(self.state)
        data.pop("token_key", None)
        return data

    def seed(self, data):
        with self.lock:
            data = copy.deepcopy(data)
            for principal in (data.get("principals") or {}).values():
                prints = principal.setdefault("cert_thumbprints", [])
                for pem in principal.get("certificates", []):
                    sha1 = certs.thumbprints(pem)[0]
                    if sha1 not in prints:
                        prints.append(sha1)
                principal.setdefault("object_id", str(uuid.uuid4()))
            data["resource_groups"] = {k.lower(): v for k, v in (data.get("resource_groups") or {}).items()}
            data["machines"] = {k.lower(): v for k, v in (data.get("machines") or {}).items()}
            data["extensions"] = {k.lower(): v for k, v in (data.get("extensions") or {}).items()}
            for key in ("role_assignments", "locks", "faults"):
                for item in data.get(key) or []:
                    if key == "faults":
                        item.setdefault("id", str(uuid.uuid4()))
            deep_merge(self.state, data)
            self.save()

    def reset(self, keep_settings=False):
        with self.lock:
            settings = self.state["settings"]
            self.state = empty_state()
            if keep_settings:
                self.state["settings"] = settings
            self.requests = []
            if self.requests_file:
                open(self.requests_file, "w").close()
            self.save()

    # ---------------------------------------------------------------- tokens
    def _sign(self, payload):
        head = certs.b64url(json.dumps({"typ": "JWT", "alg": "HS256", "kid": "arcsim"}).encode())
        body = certs.b64url(json.dumps(payload, sort_keys=True).encode())
        sig = hmac.new(bytes.fromhex(self.state["token_key"]), (head + "." + body).encode(), hashlib.sha256).digest()
        return head + "." + body + "." + certs.b64url(sig)

    def issue_token(self, principal_id, principal, tenant_id, audience, lifetime=None):
        now = int(time.time())
        lifetime = int(self.state["settings"].get("token_lifetime") or 3599) if lifetime is None else lifetime
        payload = {"aud": audience, "iss": "https://sts.windows.net/%s/" % tenant_id, "iat": now, "nbf": now, "exp": now + lifetime,
                   "appid": principal_id, "oid": principal["object_id"], "sub": principal["object_id"], "tid": tenant_id,
                   "idtyp": "app", "ver": "1.0"}
        return self._sign(payload)

    def decode_token(self, token):
        """Return the payload of one of our tokens, or None when it is not ours or was tampered with."""
        try:
            head, body, sig = token.split(".")
            expected = hmac.new(bytes.fromhex(self.state["token_key"]), (head + "." + body).encode(), hashlib.sha256).digest()
            if not hmac.compare_digest(expected, certs.b64url_decode(sig)):
                return None
            return json.loads(certs.b64url_decode(body))
        except (ValueError, TypeError):
            return None

    # ---------------------------------------------------------------- entry point
    def handle(self, method, target, headers, body):
        """Answer one request: returns (status, headers dict, body bytes)."""
        parsed = urllib.parse.urlsplit(target)
        path = urllib.parse.unquote(parsed.path)
        query = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
        headers = {k.lower(): v for k, v in headers.items()}
        ctx = {"method": method.upper(), "path": path, "query": query, "headers": headers, "body": body,
               "host": (headers.get("host") or "localhost").split(":")[0], "principal": None,
               "request_id": str(uuid.uuid4()), "target": target}
        if path.startswith("/_mock/"):
            status, out_headers, out_body = self._admin(ctx)
            return status, out_headers, out_body
        reset = False
        with self.lock:
            try:
                if TOKEN_RE.match(path) or OIDC_RE.match(path):
                    status, out_headers, out_body = self._aad(ctx)
                elif DISCOVERY_RE.match(path):
                    status, out_headers, out_body = self._discovery(ctx)
                elif IMDS_RE.match(path):
                    status, out_headers, out_body = self._imds(ctx)
                else:
                    status, out_headers, out_body = self._arm(ctx)
            except ResetConnection:
                # recorded with status 0: no answer was sent
                reset, status, out_headers, out_body = True, 0, {}, b""
            record = {"method": ctx["method"], "path": target, "status": status, "principal": ctx["principal"],
                      "host": ctx["host"], "time": iso7(), "request_id": ctx["request_id"]}
            self.requests.append(record)
            limit = int(self.state["settings"].get("max_requests") or 20000)
            if len(self.requests) > limit:
                del self.requests[:len(self.requests) - limit]
            if self.requests_file:
                with open(self.requests_file, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(record, sort_keys=True) + "\n")
            if ctx.get("dirty") or ctx["method"] not in ("GET", "HEAD") and not TOKEN_RE.match(path):
                self.save()
        if reset:
            raise ResetConnection()
        return status, out_headers, out_body

    # ---------------------------------------------------------------- admin API
    def _admin(self, ctx):
        path, method = ctx["path"].rstrip("/"), ctx["method"]
        hdrs = {"Content-Type": "application/json; charset=utf-8"}

        def ok(data, status=200):
            return status, hdrs, json.dumps(data, sort_keys=True).encode()

        try:
            payload = json.loads(ctx["body"] or b"null")
        except ValueError:
            return ok({"error": "body is not JSON"}, 400)
        if path == "/_mock/health":
            return ok({"ok": True, "pid": os.getpid()})
        if path == "/_mock/state" and method == "GET":
            return ok(self.public_state())
        if path == "/_mock/seed" and method == "POST":
            if not isinstance(payload, dict):
                return ok({"error": "seed must be a JSON object"}, 400)
            self.seed(payload)
            return ok(self.public_state())
        if path == "/_mock/reset" and method == "POST":
            self.reset(keep_settings=bool((payload or {}).get("keep_settings")))
            return ok({"ok": True})
        if path == "/_mock/requests":
            with self.lock:
                if method == "DELETE":
                    self.requests = []
                    if self.requests_file:
                        open(self.requests_file, "w").close()
                    return ok([])
                return ok(list(self.requests))
        if path == "/_mock/faults":
            with self.lock:
                if method == "DELETE" or (isinstance(payload, dict) and payload.get("clear")):
                    self.state["faults"] = []
                elif method == "POST":
                    items = payload if isinstance(payload, list) else [payload]
                    for item in items:
                        if not isinstance(item, dict) or ("status" not in item and not item.get("reset") and not item.get("token_expired")):
                            return ok({"error": "a fault needs at least status (or reset: true, or token_expired: true)"}, 400)
                        item = dict(item)
                        item.setdefault("id", str(uuid.uuid4()))
                        self.state["faults"].append(item)
                self.save()
                return ok(self.state["faults"])
        return ok({"error": "no such admin endpoint %s %s" % (method, path)}, 404)

    # ---------------------------------------------------------------- faults
    def _fault(self, ctx, kind):
        for fault in list(self.state["faults"]):
            if fault.get("method") and fault["method"].upper() != ctx["method"]:
                continue
            if fault.get("path_regex") and not re.search(fault["path_regex"], ctx["path"]):
                continue
            if fault.get("kind") and fault["kind"] != kind:
                continue
            remaining = fault.get("remaining")
            if remaining is not None:
                if remaining <= 0:
                    continue
                fault["remaining"] = remaining - 1
            ctx["dirty"] = True
            return fault
        return None

    # ---------------------------------------------------------------- HIS regional discovery
    def _discovery(self, ctx):
        """The regional HIS host for ``location``, as one JSON string URL (``"https://uks.his.arc.azure.com"``).

        GUESS (no public capture of an answer under api-version 2.1): a public script strips ``https://`` from the
        parsed answer of api-version 1.1-preview, so the body is taken to be one URL; errors are JSON
        ``{"error": {"code", "message"}}`` with 400 (unknown region, missing parameter) or 405."""
        hdrs = {"Content-Type": "application/json; charset=utf-8", "x-ms-request-id": ctx["request_id"]}

        def answer(status, body):
            return status, hdrs, json.dumps(body).encode()

        fault = self._fault(ctx, "discovery")
        if fault:
            return answer(int(fault["status"]), fault.get("body", {"error": {"code": "InjectedFault", "message": "fault"}}))
        if ctx["method"] != "GET":
            return answer(405, {"error": {"code": "MethodNotAllowed", "message": "Only GET is supported."}})
        location = "".join((ctx["query"].get("location") or "").split()).lower()
        if not ctx["query"].get("api-version") or not location:
            return answer(400, {"error": {"code": "BadRequest", "message": "The location and api-version parameters are required."}})
        suffix = ctx["host"].lower().partition(".")[2]
        codes = dict(DISCOVERY_CODES.get(suffix, DISCOVERY_CODES["his.arc.azure.com"]))
        codes.update(self.state["settings"].get("regional_his") or {})
        code = codes.get(location)
        if not code:
            return answer(400, {"error": {"code": "LocationNotSupported", "message": "The location '%s' is not supported." % location}})
        return answer(200, "https://%s.%s" % (code, suffix or "his.arc.azure.com"))

    # ---------------------------------------------------------------- Entra ID
    def _aad_error(self, ctx, number, **fields):
        error, status, text = AAD_TEXTS[number]
        fields.setdefault("app_object_id", "00000000-0000-0000-0000-000000000000")
        text = text.format(**fields)
        trace_id, correlation_id = str(uuid.uuid4()), str(uuid.uuid4())
        stamp = aad_timestamp()
        sep = "\r\n" if self.state["settings"].get("aad_separator") == "crlf" else " "
        code = 700027 if number == 7000274 else number
        body = {
            "error": error,
            "error_description": "%s%sTrace ID: %s%sCorrelation ID: %s%sTimestamp: %s" % (text, sep, trace_id, sep, correlation_id, sep, stamp),
            "error_codes": [code], "timestamp": stamp, "trace_id": trace_id, "correlation_id": correlation_id,
            "error_uri": "https://%s/error?code=%d" % (ctx["host"], code),
        }
        ctx["request_id"] = trace_id
        return status, self._aad_headers(ctx), json.dumps(body, separators=(",", ":")).encode()

    @staticmethod
    def _aad_headers(ctx):
        return {
            "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store, no-cache", "Pragma": "no-cache",
            "Expires": "-1", "Strict-Transport-Security": "max-age=31536000; includeSubDomains", "X-Content-Type-Options": "nosniff",
            "x-ms-request-id": ctx["request_id"], "x-ms-ests-server": "2.1.21874.4 - WEULR1 ProdSlices", "P3P": 'CP="DSP CUR OTPi IND OTRi ONL FIN"',
        }

    def _find_tenant(self, segment):
        for tid, tenant in self.state["tenants"].items():
            if tid.lower() == segment.lower() or segment.lower() in [d.lower() for d in tenant.get("domains", [])]:
                return tid, tenant
        return None, None

    def _aad(self, ctx):
        match = OIDC_RE.match(ctx["path"])
        if match:
            tid, _ = self._find_tenant(match.group("tenant"))
            if tid is None or ctx["method"] != "GET":
                status, hdrs, body = self._aad_error(ctx, 90002, tenant=match.group("tenant"))
                data = json.loads(body)
                data["error"] = "invalid_tenant"
                return 400, hdrs, json.dumps(data).encode()
            base = "https://%s/%s" % (ctx["host"], tid)
            doc = {"token_endpoint": base + "/oauth2/v2.0/token", "issuer": "https://login.microsoftonline.com/%s/v2.0" % tid,
                   "authorization_endpoint": base + "/oauth2/v2.0/authorize", "tenant_region_scope": "EU",
                   "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"]}
            return 200, self._aad_headers(ctx), json.dumps(doc).encode()
        match = TOKEN_RE.match(ctx["path"])
        fault = self._fault(ctx, "aad")
        if fault and fault.get("reset"):
            raise ResetConnection()
        if fault:
            body = {"error": fault.get("code") or "temporarily_unavailable", "error_description": fault.get("message") or "Service unavailable"}
            hdrs = self._aad_headers(ctx)
            if fault.get("retry_after") is not None:
                hdrs["Retry-After"] = str(fault["retry_after"])
            return int(fault["status"]), hdrs, json.dumps(body).encode()
        if ctx["method"] != "POST":
            return 405, self._aad_headers(ctx), json.dumps({"error": "invalid_request", "error_description": "AADSTS900561: The endpoint only "
                                                            "accepts POST requests. Received a %s request." % ctx["method"]}).encode()
        segment = match.group("tenant")
        form = dict(urllib.parse.parse_qsl((ctx["body"] or b"").decode("utf-8", "replace"), keep_blank_values=True))
        auth = ctx["headers"].get("authorization", "")
        if auth.lower().startswith("basic "):
            try:
                user, _, password = __import__("base64").b64decode(auth[6:].strip()).decode().partition(":")
                form.setdefault("client_id", urllib.parse.unquote(user))
                form.setdefault("client_secret", urllib.parse.unquote(password))
            except ValueError:
                pass
        tid, tenant = self._find_tenant(segment)
        if tid is None:
            return self._aad_error(ctx, 90002, tenant=segment)
        if form.get("grant_type") != "client_credentials":
            if not form.get("grant_type"):
                return self._aad_error(ctx, 900144, parameter="grant_type")
            return self._aad_error(ctx, 70003, grant_type=form.get("grant_type"))
        client_id = form.get("client_id", "")
        if not client_id:
            return self._aad_error(ctx, 900144, parameter="client_id")
        principal = self.state["principals"].get(client_id) or self.state["principals"].get(client_id.lower())
        if principal is None or principal.get("tenant", "").lower() != tid.lower():
            return self._aad_error(ctx, 700016, client_id=client_id, directory=tenant.get("display_name") or segment)
        ctx["principal"] = client_id
        if "client_assertion" in form:
            problem = self._check_assertion(ctx, client_id, principal, form, tid)
            if problem:
                return problem
        elif "client_secret" in form:
            if not principal.get("secret") or not hmac.compare_digest(form["client_secret"].encode(), principal["secret"].encode()):
                return self._aad_error(ctx, 7000215, client_id=client_id)
            if principal.get("secret_expired"):
                return self._aad_error(ctx, 7000222, client_id=client_id)
        else:
            return self._aad_error(ctx, 7000218)
        scope = form.get("scope") or form.get("resource") or "https://management.azure.com/.default"
        audience = scope.split(" ")[0]
        if audience.endswith("/.default"):
            audience = audience[: -len(".default")]
            if audience.endswith("//"):
                audience = audience[:-1]
        lifetime = int(self.state["settings"].get("token_lifetime") or 3599)
        token = self.issue_token(client_id, principal, tid, audience)
        body = {"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": token}
        if not match.group("v2"):
            now = int(time.time())
            body.update({"expires_on": str(now + lifetime), "not_before": str(now), "resource": audience})
            body["expires_in"] = str(lifetime)
            body["ext_expires_in"] = str(lifetime)
        hdrs = self._aad_headers(ctx)
        hdrs["Set-Cookie"] = "fpc=arcsim; expires=Fri, 01-Jan-2100 00:00:00 GMT; path=/; secure; HttpOnly; SameSite=None"
        return 200, hdrs, json.dumps(body, separators=(",", ":")).encode()

    def _check_assertion(self, ctx, client_id, principal, form, tid):
        if form.get("client_assertion_type") != CLIENT_ASSERTION_TYPE:
            return self._aad_error(ctx, 900144, parameter="client_assertion_type")
        assertion = form["client_assertion"]
        try:
            head_b64, claims_b64, _ = assertion.split(".")
            header = json.loads(certs.b64url_decode(head_b64))
            claims = json.loads(certs.b64url_decode(claims_b64))
        except (ValueError, TypeError):
            return self._aad_error(ctx, 50027)
        found = None
        for pem in principal.get("certificates", []):
            sha1_hex, x5t, x5t256 = certs.thumbprints(pem)
            if header.get("x5t") == x5t or header.get("x5t#S256") == x5t256:
                found = (pem, sha1_hex)
                break
        if found is None:
            return self._aad_error(ctx, 700027, client_id=client_id, app_object_id=principal.get("app_object_id", principal["object_id"]))
        if not certs.verify_assertion_signature(assertion, found[0]):
            return self._aad_error(ctx, 7000274, thumbprint=found[1])
        now = int(time.time())
        if not (int(claims.get("nbf", 0)) - 300 <= now <= int(claims.get("exp", 0)) + 300):
            return self._aad_error(ctx, 700024, now=aad_timestamp(), nbf=claims.get("nbf"), exp=claims.get("exp"))
        if claims.get("iss") != client_id or claims.get("sub") != client_id:
            return self._aad_error(ctx, 50027)
        return None

    # ---------------------------------------------------------------- ARM plumbing
    def _arm_headers(self, ctx, status, gateway=False):
        rid = ctx["request_id"]
        corr = ctx["headers"].get("x-ms-correlation-request-id") or rid
        now = utcnow()
        hdrs = {
            "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache", "Pragma": "no-cache", "Expires": "-1",
            "x-ms-request-id": rid, "x-ms-correlation-request-id": corr,
            "x-ms-routing-request-id": "WESTEUROPE:%s:%s" % (now.strftime("%Y%m%dT%H%M%SZ"), rid),
            "Strict-Transport-Security": "max-age=31536000; includeSubDomains", "X-Content-Type-Options": "nosniff",
            "x-ms-operation-identifier": "tenantId=%s,objectId=%s" % (ctx.get("tid") or "", ctx.get("oid") or ""),
            "x-cache": "CONFIG_NOCACHE",
            "x-msedge-ref": "Ref A: %s Ref B: AMS231032608023 Ref C: %s" % (uuid.uuid4().hex[:32].upper(), now.strftime("%Y-%m-%dT%H:%M:%SZ")),
        }
        kind = {"GET": "reads", "HEAD": "reads", "DELETE": "deletes"}.get(ctx["method"], "writes")
        hdrs["x-ms-ratelimit-remaining-subscription-%s" % kind] = "11999" if kind != "reads" else "16499"
        hdrs["x-ms-ratelimit-remaining-subscription-global-%s" % kind] = "11999" if kind != "reads" else "16499"
        if gateway:
            hdrs["x-ms-failure-cause"] = "gateway"
        return hdrs

    def _arm(self, ctx):
        try:
            status, body, extra = self._arm_route(ctx)
            hdrs = self._arm_headers(ctx, status)
            hdrs.update(extra or {})
        except Reply as reply:
            status, body = reply.status, reply.body
            hdrs = self._arm_headers(ctx, status, reply.gateway)
            hdrs.update(reply.headers)
        if body is None:
            data = b""
            hdrs.pop("Content-Type", None)
        elif status >= 400 and isinstance(body, dict) and "error" in body:
            data = json.dumps(body, indent=2).encode()   # ARM error bodies are indented (they appear so in agent logs)
        else:
            data = json.dumps(body, separators=(",", ":")).encode()
        hdrs["Content-Length"] = str(len(data))
        return status, hdrs, data

    def _authenticate(self, ctx):
        auth = ctx["headers"].get("authorization")
        challenge = 'Bearer authorization_uri="https://login.windows.net/%s", error="invalid_token", error_description="%s"'
        tenant_hint = next(iter(self.state["tenants"]), "common")
        if not auth:
            raise arm_error(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.",
                            headers={"WWW-Authenticate": challenge % (tenant_hint, "The authentication failed because of missing 'Authorization' header.")})
        match = BEARER_RE.match(auth)
        payload = self.decode_token(match.group("token")) if match else None
        if payload is None:
            # GUESS: the challenge text for a bad token (only the missing-header one is sourced).
            raise arm_error(401, "InvalidAuthenticationToken", "The access token is invalid.",
                            headers={"WWW-Authenticate": challenge % (tenant_hint, "The access token is invalid.")})
        now = int(time.time())
        if int(payload.get("exp", 0)) < now:
            raise arm_error(401, "ExpiredAuthenticationToken", "The access token expiry UTC time '%s' is earlier than current UTC time '%s'."
                            % (us_time(payload["exp"]), us_time(now)),
                            headers={"WWW-Authenticate": challenge % (payload.get("tid"),
                                                                      "The access token expiry UTC time is earlier than current UTC time.")})
        if payload.get("aud") not in ALLOWED_AUDIENCES + EXTRA_AUDIENCES:
            raise arm_error(401, "InvalidAuthenticationTokenAudience",
                            "The access token has been obtained for wrong audience or resource '%s'. It should exactly match with one of the "
                            "allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net',"
                            "'https://management.azure.com/','https://management.azure.com'." % payload.get("aud"),
                            headers={"WWW-Authenticate": challenge % (payload.get("tid"), "The access token has been obtained for wrong audience.")})
        ctx["principal"] = payload.get("appid")
        ctx["oid"] = payload.get("oid")
        ctx["tid"] = payload.get("tid")
        return payload

    def _expired_token(self, ctx):
        """A fault with ``token_expired: true``: the answer Resource Manager gives a token past its expiry (as _authenticate)."""
        now = int(time.time())
        challenge = 'Bearer authorization_uri="https://login.windows.net/%s", error="invalid_token", error_description="%s"'
        raise arm_error(401, "ExpiredAuthenticationToken", "The access token expiry UTC time '%s' is earlier than current UTC time '%s'."
                        % (us_time(now - 60), us_time(now)),
                        headers={"WWW-Authenticate": challenge % (ctx.get("tid"), "The access token expiry UTC time is earlier than current UTC time.")})

    def _authorized(self, ctx, action, scope):
        for assignment in self.state["role_assignments"]:
            if assignment.get("object_id") == ctx["oid"] and scope_covers(assignment.get("scope", ""), scope) \
                    and role_allows(assignment.get("role"), action):
                return True
        return False

    def _authorize(self, ctx, action, scope):
        if not self._authorized(ctx, action, scope):
            raise arm_error(403, "AuthorizationFailed",
                            "The client '%s' with object id '%s' does not have authorization to perform action '%s' over scope '%s' "
                            "or the scope is invalid. If access was recently granted, please refresh your credentials."
                            % (ctx["oid"], ctx["oid"], action, scope))

    def _has_any_role_in(self, ctx, sub_id):
        prefix = "/subscriptions/%s" % sub_id.lower()
        for assignment in self.state["role_assignments"]:
            scope = assignment.get("scope", "").lower().rstrip("/")
            if assignment.get("object_id") == ctx["oid"] and (scope_covers(scope, prefix) or scope.startswith(prefix + "/")):
                return True
        return False

    def _subscription(self, ctx, sub_id):
        for key, sub in self.state["subscriptions"].items():
            if key.lower() == sub_id.lower():
                tenant = sub.get("tenant")
                if tenant and ctx.get("tid") and tenant.lower() != ctx["tid"].lower():
                    raise arm_error(401, "InvalidAuthenticationTokenTenant",
                                    "The access token is from the wrong issuer 'https://sts.windows.net/%s/'. It must match the tenant "
                                    "'https://sts.windows.net/%s/' associated with this subscription. Please use the authority (URL) "
                                    "'https://login.windows.net/%s' to get the token. Note, if the subscription is transferred to another "
                                    "tenant there is no impact to the services, but information about new tenant could take time to "
                                    "propagate (up to an hour). If you just transferred your subscription and see this error message, "
                                    "please try back later." % (ctx["tid"], tenant, tenant))
                return key, sub
        raise arm_error(404, "SubscriptionNotFound", "The subscription '%s' could not be found." % sub_id)

    def _rg(self, sub_key, rg_name):
        return self.state["resource_groups"].get(("/subscriptions/%s/resourcegroups/%s" % (sub_key, rg_name)).lower())

    def _require_rg(self, ctx, sub_key, rg_name, action, scope):
        """Authorization first (ARM answers AuthorizationFailed instead of ResourceGroupNotFound), then existence."""
        self._authorize(ctx, action, scope)
        rg = self._rg(sub_key, rg_name)
        if rg is None:
            raise arm_error(404, "ResourceGroupNotFound", "Resource group '%s' could not be found." % rg_name)
        return rg

    def _require_registered(self, sub, namespace=HYBRID_COMPUTE):
        state = self._provider_state(sub, namespace)
        if state in ("NotRegistered", "Unregistered", "Unregistering"):
            text = ("The subscription is not registered to use namespace '%s'. See https://aka.ms/rps-not-found for how to register "
                    "subscriptions." % namespace)
            raise arm_error(409, "MissingSubscriptionRegistration", text,
                            details=[{"code": "MissingSubscriptionRegistration", "target": namespace, "message": text}])

    @staticmethod
    def _provider_state(sub, namespace):
        for name, state in (sub.get("providers") or {}).items():
            if name.lower() == namespace.lower():
                return state
        return "NotRegistered"

    def _api_version(self, ctx, check_machine_type=False, location="westeurope"):
        version = ctx["query"].get("api-version")
        if not version:
            raise arm_error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
        allowed = self.state["settings"].get("api_versions")
        if not API_VERSION_RE.match(version) or (check_machine_type and allowed and version not in allowed):
            supported = ",".join(allowed or ["2025-01-13", "2024-07-10", "2022-12-27", "2022-11-10", "2022-03-10", "2021-05-20", "2020-08-02"])
            raise arm_error(400, "NoRegisteredProviderFound",
                            "No registered resource provider found for location '%s' and API version '%s' for type 'machines'. The supported "
                            "api-versions are '%s'. The supported locations are 'eastus, westeurope, westus2, southeastasia'."
                            % (location, version, supported.replace(",", ", ")))
        return version

    def _check_lock(self, resource_id, operation, levels):
        for lock in self.state["locks"]:
            if lock.get("level") in levels and scope_covers(lock.get("scope", ""), resource_id):
                raise arm_error(409, "ScopeLocked",
                                "The scope '%s' cannot perform %s operation because following scope(s) are locked: '%s'. Please remove the "
                                "lock and try again." % (resource_id, operation, lock["scope"]))

    def _throttle(self, ctx, sub_key):
        fault = self._fault(ctx, "arm")
        if not fault:
            return
        if fault.get("reset"):
            raise ResetConnection()
        if fault.get("token_expired"):
            self._expired_token(ctx)
        retry_after = fault.get("retry_after")
        status = int(fault["status"])
        kind = {"GET": "read", "DELETE": "delete"}.get(ctx["method"], "write")
        code = fault.get("code") or ("SubscriptionRequestsThrottled" if status == 429 else "InternalServerError")
        message = fault.get("message")
        if not message and status == 429:
            message = ("Number of '%s' requests for subscription '%s' actor '%s' exceeded. Please try again after '%s' seconds after additional "
                       "tokens are available. Refer to https://aka.ms/arm-throttling for additional information."
                       % (kind, sub_key, ctx.get("oid"), retry_after if retry_after is not None else 5))
        message = (message or "The server encountered an internal error. Please retry the request.").format(
            retry_after=retry_after, sub=sub_key, object_id=ctx.get("oid"), action=kind)
        hdrs = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        raise arm_error(status, code, message, headers=hdrs, gateway=status == 429)

    # ---------------------------------------------------------------- ARM routes
    def _arm_route(self, ctx):
        path, method = ctx["path"], ctx["method"]
        if not path.lower().startswith("/subscriptions"):
            raise arm_error(404, "InvalidResourceType" if path.count("/") > 1 else "NotFound",
                            "The resource type could not be found in the namespace for api version '%s'." % ctx["query"].get("api-version", ""))
        self._authenticate(ctx)
        if SUBS_RE.match(path):
            self._api_version(ctx)
            self._throttle(ctx, "")
            if method != "GET":
                raise arm_error(405, "MethodNotAllowed", "The requested resource does not support http method '%s'." % method)
            return 200, self._list_subscriptions(ctx), None
        match = PERMISSIONS_RE.match(path)
        if match:
            sub_key, _sub = self._subscription(ctx, match.group("sub"))
            self._throttle(ctx, sub_key)
            return self._permissions(ctx, sub_key, match.group("rg"))
        match = (SUB_RE.match(path) or PROVIDER_RE.match(path) or RG_RE.match(path) or MACHINE_RE.match(path) or EXTENSION_RE.match(path)
                 or SUB_MACHINES_RE.match(path) or OPERATION_RE.match(path))
        if not match:
            raise arm_error(404, "InvalidResourceType", "The resource type could not be found in the namespace for api version '%s'."
                            % ctx["query"].get("api-version", ""))
        sub_key, sub = self._subscription(ctx, match.group("sub"))
        self._throttle(ctx, sub_key)
        if match.re is SUB_RE:
            self._api_version(ctx)
            if not self._has_any_role_in(ctx, sub_key):
                raise arm_error(404, "SubscriptionNotFound", "The subscription '%s' could not be found." % match.group("sub"))
            return 200, self._subscription_body(sub_key, sub), None
        if match.re is PROVIDER_RE:
            return self._provider(ctx, sub_key, sub, match)
        if match.re is RG_RE:
            return self._resource_group(ctx, sub_key, match.group("rg"))
        if match.re is OPERATION_RE:
            self._api_version(ctx)
            return self._operation(ctx, sub_key, match)
        if match.re is EXTENSION_RE:
            return self._extension(ctx, sub_key, sub, match)
        if match.re is SUB_MACHINES_RE:
            self._api_version(ctx, True)
            if method != "GET":
                raise arm_error(405, "MethodNotAllowed", "The requested resource does not support http method '%s'." % method)
            return self._list_machines(ctx, sub_key, sub, None)
        rg_name = match.group("rg")
        rg = self._rg(sub_key, rg_name)
        self._api_version(ctx, True, (rg or {}).get("location", "westeurope"))
        if match.group("name") is None:
            if method != "GET":
                raise arm_error(405, "MethodNotAllowed", "The requested resource does not support http method '%s'." % method)
            return self._list_machines(ctx, sub_key, sub, rg_name)
        return self._machine(ctx, sub_key, sub, rg_name, match.group("name"))

    def _subscription_body(self, sub_key, sub):
        return {"id": "/subscriptions/%s" % sub_key, "authorizationSource": "RoleBased", "managedByTenants": [],
                "subscriptionId": sub_key, "tenantId": sub.get("tenant"), "displayName": sub.get("display_name", sub_key),
                "state": sub.get("state", "Enabled"),
                "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01", "quotaId": "PayAsYouGo_2014-09-01", "spendingLimit": "Off"}}

    def _list_subscriptions(self, ctx):
        value = [self._subscription_body(k, s) for k, s in sorted(self.state["subscriptions"].items())
                 if (not s.get("tenant") or s["tenant"].lower() == (ctx.get("tid") or "").lower()) and self._has_any_role_in(ctx, k)]
        return {"value": value, "count": {"type": "Total", "value": len(value)}}

    def _provider_body(self, sub_key, namespace, state):
        return {"id": "/subscriptions/%s/providers/%s" % (sub_key, namespace), "namespace": namespace,
                "authorization": {"applicationId": "eec53b1f-b9a4-4479-acf5-6b247c6a49f2", "roleDefinitionId": "a8b1f5fb-4b6b-4a5b-9e0e-1e0a5b5c9a2f"},
                "resourceTypes": [{"resourceType": "machines", "locations": ["East US", "West Europe", "West US 2", "Southeast Asia"],
                                   "apiVersions": ["2025-01-13", "2024-07-10", "2022-12-27"],
                                   "capabilities": "CrossResourceGroupResourceMove, CrossSubscriptionResourceMove, SupportsTags, SupportsLocation"}],
                "registrationState": state, "registrationPolicy": "RegistrationRequired"}

    def _provider(self, ctx, sub_key, sub, match):
        self._api_version(ctx)
        namespace = match.group("ns")
        canonical = next((n for n in (sub.get("providers") or {}) if n.lower() == namespace.lower()), namespace)
        scope = "/subscriptions/%s" % sub_key
        if match.group("register"):
            if ctx["method"] != "POST":
                raise arm_error(405, "MethodNotAllowed", "The requested resource does not support http method '%s'." % ctx["method"])
            self._authorize(ctx, "%s/register/action" % canonical, scope)
            state = self._provider_state(sub, canonical)
            if state != "Registered":
                state = "Registering"
                sub.setdefault("providers", {})[canonical] = state
            return 200, self._provider_body(sub_key, canonical, state), None
        if ctx["method"] != "GET":
            raise arm_error(405, "MethodNotAllowed", "The requested resource does not support http method '%s'." % ctx["method"])
        # GUESS: any principal with a role somewhere in the subscription may read a provider (the agent does it with
        # the Onboarding role at a resource group).
        if not self._has_any_role_in(ctx, sub_key):
            self._authorize(ctx, "Microsoft.Resources/subscriptions/providers/read", scope)
        state = self._provider_state(sub, canonical)
        body = self._provider_body(sub_key, canonical, state)
        if state == "Registering":
            sub["providers"][canonical] = "Registered"   # Registering once, Registered on the next GET
            ctx["dirty"] = True
        return 200, body, None

    def _rg_body(self, sub_key, rg):
        body = {"id": "/subscriptions/%s/resourceGroups/%s" % (sub_key, rg["name"]), "name": rg["name"],
                "type": "Microsoft.Resources/resourceGroups", "location": rg.get("location", "westeurope"),
                "properties": {"provisioningState": "Succeeded"}}
        if rg.get("tags"):
            body["tags"] = rg["tags"]
        return body

    def _resource_group(self, ctx, sub_key, rg_name):
        self._api_version(ctx)
        scope = "/subscriptions/%s/resourceGroups/%s" % (sub_key, rg_name)
        key = scope.lower()
        if ctx["method"] == "GET":
            rg = self._require_rg(ctx, sub_key, rg_name, "Microsoft.Resources/subscriptions/resourceGroups/read", scope)
            return 200, self._rg_body(sub_key, rg), None
        if ctx["method"] == "PUT":
            self._authorize(ctx, "Microsoft.Resources/subscriptions/resourceGroups/write", scope)
            body = self._json_body(ctx)
            if not body.get("location"):
                raise arm_error(400, "LocationRequired", "The location property is required for this definition.", gateway=False)
            existing = self.state["resource_groups"].get(key)
            rg = {"name": existing["name"] if existing else rg_name, "location": existing["location"] if existing else body["location"]}
            if body.get("tags") is not None:
                rg["tags"] = body["tags"]
            self.state["resource_groups"][key] = rg
            return (200 if existing else 201), self._rg_body(sub_key, rg), None
        raise arm_error(405, "MethodNotAllowed", "The requested resource does not support http method '%s'." % ctx["method"])

    @staticmethod
    def _json_body(ctx):
        try:
            data = json.loads(ctx["body"] or b"{}")
        except ValueError:
            raise arm_error(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.", gateway=False)
        if not isinstance(data, dict):
            raise arm_error(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.", gateway=False)
        return data

    def _machine_id(self, sub_key, rg, name):
        return "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/%s" % (sub_key, rg["name"], name)

    def _machine(self, ctx, sub_key, sub, rg_name, name):
        method = ctx["method"]
        scope = "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/%s" % (sub_key, rg_name, name)
        action = {"GET": "read", "PUT": "write", "PATCH": "write", "DELETE": "delete"}.get(method)
        if action is None:
            raise arm_error(405, "MethodNotAllowed", "The requested resource does not support http method '%s'." % method)
        rg = self._require_rg(ctx, sub_key, rg_name, "Microsoft.HybridCompute/machines/%s" % action, scope)
        machine_id = self._machine_id(sub_key, rg, name)
        key = machine_id.lower()
        existing = self.state["machines"].get(key)
        if method == "DELETE":
            self._check_lock(machine_id, "delete", ("CanNotDelete", "ReadOnly"))
            if existing is None:
                return 204, None, None
            return self._delete_machine(ctx, sub_key, key, existing)
        self._require_registered(sub)
        if method == "GET":
            if existing is None or existing.get("properties", {}).get("provisioningState") == "Deleted":
                raise arm_error(404, "ResourceNotFound",
                                "The Resource 'Microsoft.HybridCompute/machines/%s' under resource group '%s' was not found. For more details "
                                "please go to https://aka.ms/ARMResourceNotFoundFix" % (name, rg_name))
            body = self.clean(existing)
            body["resources"] = self._extensions_of(key)
            return 200, body, None
        self._check_lock(machine_id, "write", ("ReadOnly",))
        data = self._json_body(ctx)
        if method == "PATCH":
            if existing is None:
                raise arm_error(404, "ResourceNotFound",
                                "The Resource 'Microsoft.HybridCompute/machines/%s' under resource group '%s' was not found. For more details "
                                "please go to https://aka.ms/ARMResourceNotFoundFix" % (name, rg_name))
            if "tags" in data:
                existing["tags"] = dict(data["tags"] or {})   # replace the whole map (reference section 3.4)
            for key_name in ("identity", "kind"):
                if key_name in data:
                    existing[key_name] = data[key_name]
            for prop, value in (data.get("properties") or {}).items():
                if prop == "agentUpgrade" and isinstance(value, dict):
                    # JSON merge patch (reference section 3.4): {"agentUpgrade": {"enableAutomaticUpgrade": true}} keeps the
                    # other AgentUpgrade fields (desiredVersion, lastAttempt*...)
                    merged = dict(existing["properties"].get("agentUpgrade") or {})
                    merged.update(value)
                    existing["properties"][prop] = merged
                elif prop in ("locationData", "osProfile", "cloudMetadata", "agentUpgrade", "parentClusterResourceId", "privateLinkScopeResourceId"):
                    existing["properties"][prop] = value
            self._touch(existing, ctx)
            return 200, self.clean(existing), None
        # PUT
        if not MACHINE_NAME_RE.match(name):
            raise arm_error(400, "InvalidResourceName", "Resource name %s is invalid. The name can be up to 54 characters in length and can "
                            "contain letters, digits, hyphens, underscores and periods." % name, gateway=False)
        props = data.get("properties") or {}
        if existing is None:
            if not data.get("location"):
                raise arm_error(400, "LocationRequired", "The location property is required for this definition.", gateway=False)
            if not props.get("vmId"):
                raise Reply(400, {"code": "HCRP400", "message": "The request does not have sufficient information to complete the operation. "
                                  "Missing or invalid properties: VmId", "target": machine_id})
            machine = self.new_machine(machine_id, name, data["location"], props, data.get("tags"), tenant=ctx.get("tid"), created_by=ctx["principal"])
            self.state["machines"][key] = machine
            return 200, self.clean(machine), None
        if "tags" in data:
            existing["tags"] = dict(data["tags"] or {})
        old_status = existing["properties"].get("status")
        for prop, value in props.items():
            if prop != "vmId":
                existing["properties"][prop] = value
        if existing["properties"].get("status") != old_status:
            existing["properties"]["lastStatusChange"] = iso7()
        self._touch(existing, ctx)
        body = self.clean(existing)
        body["properties"]["provisioningState"] = "Updating"   # an update answers Updating (reference section 3.3)
        return 200, body, None

    @staticmethod
    def clean(machine):
        """A copy without the mock's own keys (``_mock_*``)."""
        return {k: copy.deepcopy(v) for k, v in machine.items() if not k.startswith("_mock")}

    @staticmethod
    def _touch(machine, ctx):
        machine.setdefault("systemData", {}).update({"lastModifiedBy": ctx["principal"], "lastModifiedByType": "Application", "lastModifiedAt": iso7()})

    @staticmethod
    def new_machine(machine_id, name, location, props=None, tags=None, tenant=None, created_by=None, status="Connected"):
        """A Machine object as the RP stores it (reference section 3.3)."""
        props = dict(props or {})
        now = iso7()
        properties = {
            "provisioningState": "Succeeded", "agentVersion": props.get("agentVersion", "1.58.03228.700"),
            "status": props.get("status", status), "lastStatusChange": now, "errorDetails": [],
            "displayName": name, "machineFqdn": name, "osName": "linux", "osVersion": "6.1.0-28-amd64", "osType": "linux",
            "osSku": "Debian GNU/Linux 12 (bookworm)", "osProfile": {"computerName": name}, "vmId": props.get("vmId") or str(uuid.uuid4()),
            "vmUuid": str(uuid.uuid4()).upper(), "clientPublicKey": "MIIBCgKCAQEA" + secrets.token_urlsafe(24), "domainName": "",
            "adFqdn": name, "dnsFqdn": name, "mssqlDiscovered": "false", "cloudMetadata": {"provider": "N/A"},
            "detectedProperties": {"cloudprovider": "N/A"},
            "agentConfiguration": {"proxyUrl": "", "incomingConnectionsPorts": [], "extensionsAllowList": [], "extensionsBlockList": [],
                                   "proxyBypass": [], "extensionsEnabled": "true", "guestConfigurationEnabled": "true", "configMode": "full"},
            "serviceStatuses": {"extensionService": {"status": "running", "startupType": "automatic"},
                                "guestConfigurationService": {"status": "running", "startupType": "automatic"}},
            "agentUpgrade": {"enableAutomaticUpgrade": False}, "privateLinkScopeResourceId": None,
        }
        for prop, value in props.items():
            properties[prop] = value
        properties["provisioningState"] = "Succeeded"
        return {"id": machine_id, "name": name, "location": location, "type": "Microsoft.HybridCompute/machines", "tags": dict(tags or {}),
                "identity": {"type": "SystemAssigned", "principalId": str(uuid.uuid4()), "tenantId": tenant or ""},
                "kind": None, "properties": properties,
                "systemData": {"createdBy": created_by or "", "createdByType": "Application", "createdAt": now,
                               "lastModifiedBy": created_by or "", "lastModifiedByType": "Application", "lastModifiedAt": now}}

    def _delete_machine(self, ctx, sub_key, key, machine):
        mode = machine.get("_mock_delete") or self.state["settings"].get("delete_mode")
        if mode != "async":
            del self.state["machines"][key]
            self._drop_extensions(key)
            return 200, None, {"Content-Length": "0"}
        opid = str(uuid.uuid4())
        loc = machine.get("location", "westeurope")
        version = ctx["query"].get("api-version")
        base = "https://%s/subscriptions/%s/providers/Microsoft.HybridCompute/locations/%s" % (ctx["headers"].get("host") or ctx["host"], sub_key, loc)
        self.state["operations"][opid] = {"machine": key, "status": "InProgress", "startTime": iso7(),
                                          "polls_left": int(machine.get("_mock_async_polls", self.state["settings"].get("async_polls")) or 0)}
        machine["properties"]["provisioningState"] = "Deleting"
        return 202, None, {"Azure-AsyncOperation": "%s/operationstatus/%s?api-version=%s" % (base, opid, version),
                           "Location": "%s/operationresults/%s?api-version=%s" % (base, opid, version), "Retry-After": "1"}

    def _operation(self, ctx, sub_key, match):
        ctx["dirty"] = True
        operation = self.state["operations"].get(match.group("opid"))
        if operation is None:
            raise arm_error(404, "ResourceNotFound", "The Resource 'Microsoft.HybridCompute/locations/%s/operationstatus/%s' was not found."
                            % (match.group("loc"), match.group("opid")))
        if operation["status"] == "InProgress":
            if operation["polls_left"] > 0:
                operation["polls_left"] -= 1
            else:
                operation["status"] = "Succeeded"
                operation["endTime"] = iso7()
                if operation.get("extension"):
                    self.state.setdefault("extensions", {}).pop(operation["extension"], None)
                else:
                    self.state["machines"].pop(operation["machine"], None)
                    self._drop_extensions(operation["machine"])
        if match.group("kind").lower() == "operationresults":
            if operation["status"] == "InProgress":
                return 202, None, {"Retry-After": "1", "Location": "https://%s%s" % (ctx["headers"].get("host") or ctx["host"], ctx["target"])}
            return 204, None, None
        body = {"name": match.group("opid"), "status": operation["status"], "startTime": operation["startTime"]}
        if operation.get("endTime"):
            body["endTime"] = operation["endTime"]
        return 200, body, ({"Retry-After": "1"} if operation["status"] == "InProgress" else None)

    def _list_machines(self, ctx, sub_key, sub, rg_name):
        if rg_name is not None:
            scope = "/subscriptions/%s/resourceGroups/%s" % (sub_key, rg_name)
            rg = self._require_rg(ctx, sub_key, rg_name, "Microsoft.HybridCompute/machines/read", scope)
            prefix = ("/subscriptions/%s/resourcegroups/%s/providers/microsoft.hybridcompute/machines/" % (sub_key, rg["name"])).lower()
            self._require_registered(sub)
            items = [m for k, m in sorted(self.state["machines"].items()) if k.startswith(prefix)]
        else:
            scope = "/subscriptions/%s" % sub_key
            if not self._has_any_role_in(ctx, sub_key):
                self._authorize(ctx, "Microsoft.HybridCompute/machines/read", scope)
            self._require_registered(sub)
            prefix = ("/subscriptions/%s/" % sub_key).lower()
            # GUESS: a subscription-wide list shows only what the caller may read.
            items = [m for k, m in sorted(self.state["machines"].items())
                     if k.startswith(prefix) and self._authorized(ctx, "Microsoft.HybridCompute/machines/read", m["id"])]
        try:
            start = int(ctx["query"].get("$skiptoken") or 0)
        except ValueError:
            raise arm_error(400, "InvalidSkipToken", "The skip token is invalid.", gateway=False)
        size = int(self.state["settings"].get("page_size") or 50)
        page = []
        for machine in items[start:start + size]:
            page.append(self.clean(machine))
        body = {"value": page}
        if start + size < len(items):
            query = {"api-version": ctx["query"]["api-version"], "$skiptoken": str(start + size)}
            body["nextLink"] = "https://%s%s?%s" % (ctx["headers"].get("host") or ctx["host"], ctx["path"], urllib.parse.urlencode(query))
        return 200, body, None

    # ---------------------------------------------------------------- machine extensions (Microsoft.HybridCompute/machines/extensions)
    # Wire format: MachineExtension {id, name, type, location, properties{publisher, type, typeHandlerVersion, provisioningState,
    # instanceView, ...}}; list {"value": [...], "nextLink"}; DELETE 202 + Azure-AsyncOperation/Location/Retry-After (the
    # reference's HybridCompute async pattern comes from extension operations), 200 when sync, 204 when absent.
    # GUESS: the exact instanceView.status texts; a missing machine answers 404 ResourceNotFound for the list as for the GET.

    def _extensions_of(self, machine_key):
        """The extensions of a machine (by lower-case machine id), sorted by name, as ARM returns them."""
        prefix = machine_key.lower() + "/extensions/"
        return [self.clean(ext) for key, ext in sorted((self.state.get("extensions") or {}).items()) if key.startswith(prefix)]

    def _drop_extensions(self, machine_key):
        """Deleting a machine deletes its extension resources with it."""
        extensions = self.state.setdefault("extensions", {})
        prefix = machine_key.lower() + "/extensions/"
        for key in [k for k in extensions if k.startswith(prefix)]:
            del extensions[key]

    @staticmethod
    def new_extension(machine_id, name, publisher="Microsoft.Azure.Monitor", ext_type="AzureMonitorLinuxAgent", version="1.33.2",
                      location="westeurope", state="Succeeded"):
        """A MachineExtension object as the RP stores it."""
        return {
            "id": "%s/extensions/%s" % (machine_id, name), "name": name, "type": "Microsoft.HybridCompute/machines/extensions",
            "location": location,
            "properties": {
                "publisher": publisher, "type": ext_type, "typeHandlerVersion": version, "enableAutomaticUpgrade": True,
                "autoUpgradeMinorVersion": False, "settings": {}, "provisioningState": state,
                "instanceView": {"name": name, "type": ext_type, "typeHandlerVersion": version,
                                 "status": {"code": "success", "level": "Information", "displayStatus": "Provisioning succeeded",
                                            "message": "Extension Message: Enable succeeded", "time": iso7()}},
            },
        }

    def _extension(self, ctx, sub_key, sub, match):
        method = ctx["method"]
        rg_name, machine_name, ext_name = match.group("rg"), match.group("machine"), match.group("ext")
        rg = self._rg(sub_key, rg_name)
        self._api_version(ctx, True, (rg or {}).get("location", "westeurope"))
        action = {"GET": "read", "DELETE": "delete", "PUT": "write", "PATCH": "write"}.get(method)
        if action is None or (ext_name is None and method != "GET"):
            raise arm_error(405, "MethodNotAllowed", "The requested resource does not support http method '%s'." % method)
        machine_scope = "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/%s" % (sub_key, rg_name, machine_name)
        rg = self._require_rg(ctx, sub_key, rg_name, "Microsoft.HybridCompute/machines/extensions/%s" % action, machine_scope)
        self._require_registered(sub)
        machine_id = self._machine_id(sub_key, rg, machine_name)
        machine_key = machine_id.lower()
        machine = self.state["machines"].get(machine_key)
        if machine is None:
            raise arm_error(404, "ResourceNotFound",
                            "The Resource 'Microsoft.HybridCompute/machines/%s' under resource group '%s' was not found. For more details "
                            "please go to https://aka.ms/ARMResourceNotFoundFix" % (machine_name, rg_name))
        extensions = self.state.setdefault("extensions", {})
        if ext_name is None:
            items = self._extensions_of(machine_key)
            try:
                start = int(ctx["query"].get("$skiptoken") or 0)
            except ValueError:
                raise arm_error(400, "InvalidSkipToken", "The skip token is invalid.", gateway=False)
            size = int(self.state["settings"].get("page_size") or 50)
            body = {"value": items[start:start + size]}
            if start + size < len(items):
                query = {"api-version": ctx["query"]["api-version"], "$skiptoken": str(start + size)}
                body["nextLink"] = "https://%s%s?%s" % (ctx["headers"].get("host") or ctx["host"], ctx["path"], urllib.parse.urlencode(query))
            return 200, body, None
        key = ("%s/extensions/%s" % (machine_id, ext_name)).lower()
        existing = extensions.get(key)
        if method == "GET":
            if existing is None:
                raise arm_error(404, "ResourceNotFound",
                                "The Resource 'Microsoft.HybridCompute/machines/%s/extensions/%s' under resource group '%s' was not found. "
                                "For more details please go to https://aka.ms/ARMResourceNotFoundFix" % (machine_name, ext_name, rg_name))
            return 200, self.clean(existing), None
        if method == "DELETE":
            self._check_lock("%s/extensions/%s" % (machine_id, ext_name), "delete", ("CanNotDelete", "ReadOnly"))
            if existing is None:
                return 204, None, None
            if self.state["settings"].get("extension_delete_mode", "async") != "async":
                del extensions[key]
                return 200, None, {"Content-Length": "0"}
            opid = str(uuid.uuid4())
            loc = machine.get("location", "westeurope")
            version = ctx["query"].get("api-version")
            base = "https://%s/subscriptions/%s/providers/Microsoft.HybridCompute/locations/%s" % (
                ctx["headers"].get("host") or ctx["host"], sub_key, loc)
            self.state["operations"][opid] = {"machine": None, "extension": key, "status": "InProgress", "startTime": iso7(),
                                              "polls_left": int(self.state["settings"].get("async_polls") or 0)}
            existing["properties"]["provisioningState"] = "Deleting"
            return 202, None, {"Azure-AsyncOperation": "%s/operationstatus/%s?api-version=%s" % (base, opid, version),
                               "Location": "%s/operationresults/%s?api-version=%s" % (base, opid, version), "Retry-After": "1"}
        # PUT / PATCH: create or update (the tests seed extensions; the collection never writes them)
        self._check_lock(machine_id, "write", ("ReadOnly",))
        data = self._json_body(ctx)
        props = data.get("properties") or {}
        ext = existing or self.new_extension(machine_id, ext_name, props.get("publisher", "Microsoft.Azure.Monitor"),
                                             props.get("type", "AzureMonitorLinuxAgent"), props.get("typeHandlerVersion", "1.33.2"),
                                             data.get("location") or machine.get("location", "westeurope"))
        for prop, value in props.items():
            if prop not in ("provisioningState", "instanceView"):
                ext["properties"][prop] = value
        extensions[key] = ext
        return (200 if existing else 201), self.clean(ext), None

    # ---------------------------------------------------------------- permissions API and managed identity (identity stage)
    def _permissions(self, ctx, sub_key, rg_name):
        """GET .../providers/Microsoft.Authorization/permissions: one {actions, notActions, dataActions, notDataActions} per role
        assignment of the caller whose scope covers the requested one (api 2022-04-01 shape)."""
        self._api_version(ctx)
        if ctx["method"] != "GET":
            raise arm_error(405, "MethodNotAllowed", "The requested resource does not support http method '%s'." % ctx["method"])
        scope = "/subscriptions/%s" % sub_key
        if rg_name is not None:
            scope += "/resourceGroups/%s" % rg_name
            if self._rg(sub_key, rg_name) is None:
                # GUESS: ARM answers a resource group scoped call on a missing group with ResourceGroupNotFound (sourced for GET).
                raise arm_error(404, "ResourceGroupNotFound", "Resource group '%s' could not be found." % rg_name)
        value = []
        for assignment in self.state["role_assignments"]:
            if assignment.get("object_id") == ctx["oid"] and scope_covers(assignment.get("scope", ""), scope):
                role = str(assignment.get("role")).lower()
                entry = {"actions": list(ROLE_ACTIONS.get(role, ())), "notActions": list(ROLE_NOT_ACTIONS.get(role, ())),
                         "dataActions": [], "notDataActions": []}
                if entry not in value:
                    value.append(entry)
        return 200, {"value": value}, None

    def _imds(self, ctx):
        """The managed identity token endpoint of the Instance Metadata Service (GET, header Metadata: true, api-version and
        resource in the query, client_id for a user-assigned identity). Principals seeded with "managed_identity": true are the
        machine's identities; one with "system_assigned": true (else the only one) answers without client_id."""
        hdrs = {"Content-Type": "application/json; charset=utf-8", "Server": "IMDS/150.870.65.1544"}

        def answer(status, body):
            return status, hdrs, json.dumps(body, separators=(",", ":")).encode()

        fault = self._fault(ctx, "imds")
        if fault:
            return answer(int(fault["status"]), {"error": fault.get("code") or "temporarily_unavailable",
                                                 "error_description": fault.get("message") or "IMDS is busy"})
        # GUESS (wording): the answers for a missing Metadata header, a missing parameter and an unknown identity.
        if ctx["headers"].get("metadata", "").lower() != "true":
            return answer(400, {"error": "invalid_request", "error_description": "Required metadata header not specified"})
        if ctx["method"] != "GET":
            return answer(405, {"error": "invalid_request", "error_description": "Only GET is allowed"})
        resource = ctx["query"].get("resource")
        if not ctx["query"].get("api-version") or not resource:
            return answer(400, {"error": "invalid_request", "error_description": "Required query variable '%s' is missing"
                                % ("api-version" if not ctx["query"].get("api-version") else "resource")})
        wanted = ctx["query"].get("client_id")
        identities = [(pid, p) for pid, p in sorted(self.state["principals"].items()) if p.get("managed_identity")]
        if wanted:
            identities = [(pid, p) for pid, p in identities if pid.lower() == wanted.lower()]
        elif len(identities) > 1:
            identities = [(pid, p) for pid, p in identities if p.get("system_assigned")]
        if len(identities) != 1:
            return answer(400, {"error": "invalid_request", "error_description": "Identity not found"})
        principal_id, principal = identities[0]
        ctx["principal"] = principal_id
        audience = resource
        lifetime = int(self.state["settings"].get("token_lifetime") or 3599)
        now = int(time.time())
        token = self.issue_token(principal_id, principal, principal.get("tenant", ""), audience)
        return answer(200, {"access_token": token, "client_id": principal_id, "expires_in": str(lifetime), "expires_on": str(now + lifetime),
                            "ext_expires_in": str(lifetime), "not_before": str(now), "resource": resource, "token_type": "Bearer"})
