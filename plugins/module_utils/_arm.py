# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one Microsoft Entra ID + Azure Resource Manager client of the collection.

PRIVATE: this module is internal to the arcops.azcmagent collection and may change at any time.

Standard library only (urllib + ssl); certificate authentication signs its client assertion
with ``cryptography`` when the node has it. What it does:

* tokens by service principal secret, service principal certificate (RS256 client
  assertion with an ``x5t`` header) or a given access token;
* requests with bounded retries on 429 and 5xx that honour ``Retry-After``;
* long-running deletes followed to the end; list paging through ``nextLink``;
* every failure as an :class:`ArmError` that carries the HTTP status, the ARM or Entra
  code, the message, the request id and classified findings, with secrets scrubbed.
"""

from __future__ import annotations

import base64
import datetime
import email.utils
import hashlib
import http.client
import json
import re
import ssl
import time
import typing as t
import uuid

from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode, urlsplit
from urllib.request import HTTPSHandler, ProxyHandler, Request, build_opener

from ansible_collections.arcops.azcmagent.plugins.module_utils._classifier import classify
from ansible_collections.arcops.azcmagent.plugins.module_utils._clouds import arm_endpoints
from ansible_collections.arcops.azcmagent.plugins.module_utils._findings import Finding
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_azure_errors import entra_message
from ansible_collections.arcops.azcmagent.plugins.module_utils._secrets import scrub
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import TEXTS, text


MACHINES_API_VERSION = "2025-01-13"
PROVIDERS_API_VERSION = "2021-04-01"
RESOURCE_GROUPS_API_VERSION = "2021-04-01"
PERMISSIONS_API_VERSION = "2022-04-01"
# Azure Instance Metadata Service (IMDS) managed identity token endpoint and its api-version.
IMDS_TOKEN_ENDPOINT = "http://169.254.169.254/metadata/identity/oauth2/token"
IMDS_API_VERSION = "2018-02-01"
MACHINE_TYPE = "Microsoft.HybridCompute/machines"
DEFAULT_NAMESPACES = ("Microsoft.HybridCompute", "Microsoft.GuestConfiguration", "Microsoft.HybridConnectivity")
USER_AGENT = "arcops.azcmagent-arm/1"

# Status codes worth another attempt.
RETRY_STATUSES = (429, 500, 502, 503, 504)

# Resource Manager's answer to a token that expired while the run went on: renewed once, then the request again.
TOKEN_EXPIRED_CODES = ("ExpiredAuthenticationToken",)

# Most retry events a client keeps in its figures (the counts go on past it).
MAX_RETRY_EVENTS = 50

# "AADSTS7000215: Invalid client secret provided. ..." -- the AADSTS number at the start of an Entra error text.
_AADSTS_RE = re.compile(r"^AADSTS(?P<code>\d+):\s*")

# The tail Entra appends to error_description (" Trace ID: <guid> Correlation ID: <guid> Timestamp: ...", joined by
# "\r\n" until about 2023, by a single space since) is cut off by _parse_azure_errors.entra_message.

# Resource group and machine names that are safe to put in a path (Azure's own rules).
_RG_RE = re.compile(r"^[-\w.()]{1,90}$")
_MACHINE_RE = re.compile(r"^[-\w.]{1,54}$")
# Extension names: letters, digits, '-', '_', '.' (AzureMonitorLinuxAgent, MDE.Linux).
_EXTENSION_RE = re.compile(r"^[-\w.]{1,128}$")
_NAMESPACE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)+$")

# AWX / Automation Platform "Microsoft Azure Resource Manager" credential environment.
ENV_FALLBACKS = {
    "service_principal_id": "AZURE_CLIENT_ID",
    "service_principal_secret": "AZURE_SECRET",
    "tenant_id": "AZURE_TENANT",
    "subscription_id": "AZURE_SUBSCRIPTION_ID",
    "cloud": "AZURE_CLOUD_ENVIRONMENT",
}

# Category of an ARM / Entra failure that the classifier did not recognise, by HTTP status.
_STATUS_CATEGORY = {400: "input", 401: "credentials", 403: "permissions", 404: "input", 409: "resource_conflict", 429: "throttling"}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class ArmError(Exception):
    """A failed Entra ID or Resource Manager call.

    ``kind`` is ``arm`` (Resource Manager answered an error), ``entra`` (the token endpoint
    did), ``network`` (no answer), ``timeout`` (a long-running operation did not finish)
    or ``config`` (bad options: nothing was sent).
    """

    def __init__(self, message: str, status: int | None = None, arm_code: str | None = None, request_id: str | None = None,
                 kind: str = "arm", method: str | None = None, url: str | None = None, details: t.Optional[t.List[t.Any]] = None,
                 retry_after: int | None = None, retries: int = 0, error_codes: t.Optional[t.List[t.Any]] = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.arm_code = arm_code
        self.request_id = request_id
        self.kind = kind
        self.method = method
        self.url = url
        self.details = details or []
        self.retry_after = retry_after
        self.retries = retries
        self.error_codes = error_codes or []
        # Set by the client: the connection was reset or dropped before an answer (retryable);
        # for kind=timeout, what the last status check of the long-running operation said.
        self.connection_reset = False
        self.operation: t.Dict[str, t.Any] = {}

    def __str__(self) -> str:
        if self.kind == "config":
            return self.message
        head = "%s (HTTP %s)" % (self.arm_code or "error", self.status) if self.status else (self.arm_code or "error")
        return "%s: %s" % (head, self.message)

    def flattened(self) -> str:
        """The error in the agent's flattened form, which the classifier knows."""
        if self.kind == "entra":
            if self.message.startswith(str(self.arm_code)):
                return self.message
            return "%s: %s" % (self.arm_code, self.message)
        if self.kind in ("network", "timeout", "config"):
            return "%s %s: %s" % (self.method or "", self.url or "", self.message)
        return "RequestCorrelationId:%s Message: %s Code: %s httpStatusCode:%s" % (
            self.request_id or "", self.message, self.arm_code or "", self.status or "")

    def findings(self, lang: str = "en") -> t.List[Finding]:
        """Classified findings of this error; a generic one when the classifier knows none."""
        if self.kind == "timeout" and self.operation:
            return [self._operation_timeout_finding(lang)]
        found = classify(self.flattened(), lang)
        if found:
            return list(found)
        category = self.category_guess()
        if self.kind in ("network", "timeout"):
            cause = text("arm.cause_network", lang, url=self.url, message=self.message)
        else:
            what = f"{self.method or ''} {_path_only(self.url)}" if self.url else "the request"
            cause = text("arm.cause", lang, what=what.strip(), code=self.arm_code or "error", status=self.status, message=self.message)
        remediation_key = f"arm.remediation_{category}" if f"arm.remediation_{category}" in TEXTS else "arm.remediation_internal"
        return [{
            "id": "arm_" + re.sub(r"(?<!^)(?=[A-Z])", "_", self.arm_code or self.kind).lower().replace("__", "_"),
            "category": category,
            "cause": cause,
            "remediation": text(remediation_key, lang),
            "evidence": self.flattened().strip(),
            "action": "retry" if category in ("throttling", "transient") else "report",
            "retryable": category in ("throttling", "transient", "network"),
            "details": {"arm_code": self.arm_code, "status": self.status, "retry_after": self.retry_after},
        }]

    def _operation_timeout_finding(self, lang: str) -> Finding:
        """A long-running operation that Azure accepted and had not finished when the wait ended: reported, never assumed done."""
        operation = self.operation
        return {
            "id": "arm_operation_timeout",
            "category": "transient",
            "cause": text("arm.cause_operation_timeout", lang, method=self.method or "", what=_path_only(self.url),
                          status=operation.get("status") or "InProgress", seconds=operation.get("seconds"), polls=operation.get("polls")),
            "remediation": text("arm.remediation_operation_timeout", lang),
            "evidence": self.flattened().strip(),
            "action": "report",
            "retryable": True,
            "details": {"arm_code": self.arm_code, "status": None, "retry_after": None, "operation_status": operation.get("status"),
                        "waited_seconds": operation.get("seconds"), "polls": operation.get("polls")},
        }

    def category_guess(self) -> str:
        if self.kind == "timeout" and self.operation:
            return "transient"
        if self.kind in ("network", "timeout"):
            return "network"
        if self.kind == "config":
            return "input"
        if self.status and self.status >= 500:
            return "transient"
        return _STATUS_CATEGORY.get(self.status or 0, "internal")

    def to_result(self, lang: str = "en") -> t.Dict[str, t.Any]:
        """The fields of a failure: msg (code, cause, remediation), the Azure answer and its findings (see _outcome.failure_from_arm_error)."""
        found = self.findings(lang)
        first: t.Mapping[str, t.Any] = found[0] if found else {}
        label = self.arm_code or self.kind
        if self.status:
            label = "%s (HTTP %s)" % (label, self.status)
        cause = (first.get("cause") or self.message).rstrip(".")
        remediation = (first.get("remediation") or "").rstrip(".")
        msg = "%s: %s. %s." % (label, cause, remediation) if remediation else "%s: %s." % (label, cause)
        return {
            "msg": msg,
            "status": self.status,
            "arm_code": self.arm_code,
            "error_message": self.message,
            "request_id": self.request_id,
            "retries": self.retries,
            "findings": found,
            "category": first.get("category"),
            "remediation": first.get("remediation"),
        }


def _path_only(url: str | None) -> str:
    return urlsplit(url).path if url else ""


def _is_connection_reset(reason: object) -> bool:
    """Whether a failed exchange ended with the connection reset or dropped (worth another attempt), not refused or
    unresolvable or untrusted (which another attempt does not change)."""
    return isinstance(reason, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError, http.client.RemoteDisconnected,
                               http.client.IncompleteRead, http.client.BadStatusLine))


def _error_code(response: "ArmResponse") -> str:
    """The ARM error code of an answer ('' when it has none)."""
    return parse_error_body(response.status, response.text)[0] if response.status >= 400 else ""


def parse_error_body(status: int, text: str | None) -> t.Tuple[str, str, t.List[t.Any], t.List[t.Any]]:
    """``(code, message, details, error_codes)`` from an ARM or Entra error body.

    Understands ``{"error": {"code", "message", "details"}}``, the unwrapped
    ``{"code", "message"}`` that some resource providers return, and Entra's
    ``{"error", "error_description", "error_codes"}``. Anything else gives a generic code.
    """
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            return (error.get("code") or "Error", error.get("message") or "", error.get("details") or [], [])
        if isinstance(error, str):
            description = body.get("error_description") or error
            description = entra_message(description if isinstance(description, str) else str(description))
            match = _AADSTS_RE.match(description)
            code = "AADSTS%s" % match.group("code") if match else error
            codes = list(body["error_codes"]) if isinstance(body.get("error_codes"), list) else []
            return (code, description, [{"code": error}], codes)
        if body.get("code") or body.get("message"):
            return (body.get("code") or "Error", body.get("message") or "", body.get("details") or [], [])
    snippet = (text or "").strip().splitlines()[0][:200] if (text or "").strip() else ""
    return ("HttpStatus%s" % status, snippet or "no error details in the answer", [], [])


def retry_after_seconds(value: object, now: t.Optional[datetime.datetime] = None) -> int | None:
    """Seconds asked for by a ``Retry-After`` header (delta seconds or HTTP date); None if absent or bad."""
    if value is None:
        return None
    value = str(value).strip()
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return max(0, int((when - now).total_seconds() + 0.999))


def load_certificate(path: str) -> t.Tuple[t.Any, t.Any]:
    """``(private_key, certificate)`` from a PEM (key + certificate) or an unprotected PFX file.

    Needs the ``cryptography`` library on the node; raises ArmError(kind=config) otherwise.
    """
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.serialization import pkcs12
    except ImportError:
        raise ArmError("certificate authentication (service_principal_cert) needs the Python cryptography library on the node "
                       "running the module: install python3-cryptography", kind="config") from None
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ArmError("cannot read the certificate file %s: %s" % (path, exc.strerror or exc), kind="config") from None
    key: t.Any
    cert: t.Any
    try:
        if b"-----BEGIN" in data:
            key = serialization.load_pem_private_key(data, password=None)
            cert = x509.load_pem_x509_certificate(data)
        else:
            key, cert, dummy = pkcs12.load_key_and_certificates(data, None)
    except (ValueError, TypeError) as exc:
        raise ArmError("the certificate file %s must hold an unencrypted private key and its certificate (PEM or PFX without a "
                       "password): %s" % (path, exc), kind="config") from None
    if key is None or cert is None:
        raise ArmError("the certificate file %s must hold both the private key and the certificate" % path, kind="config")
    return key, cert


def client_assertion(client_id: str, token_url: str, cert_path: str, now: float | None = None) -> str:
    """The RS256 client assertion JWT for ``client_id`` signed with the key in ``cert_path``.

    The header names the certificate by ``x5t`` (base64url SHA-1 of the DER certificate),
    which Entra ID accepts everywhere.
    """
    key, cert = load_certificate(cert_path)
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    der = cert.public_bytes(serialization.Encoding.DER)
    issued = int(now if now is not None else time.time())
    header = {"alg": "RS256", "typ": "JWT", "x5t": _b64url(hashlib.sha1(der).digest())}
    claims = {"aud": token_url, "iss": client_id, "sub": client_id, "jti": str(uuid.uuid4()),
              "nbf": issued, "iat": issued, "exp": issued + 600}
    signing_input = _b64url(json.dumps(header, separators=(",", ":")).encode()) + "." + _b64url(
        json.dumps(claims, separators=(",", ":")).encode())
    try:
        signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    except (AttributeError, TypeError) as exc:
        raise ArmError("the certificate's private key must be an RSA key: %s" % exc, kind="config") from None
    return signing_input + "." + _b64url(signature)


class ArmResponse:
    """One answer: ``status``, lower-case ``headers``, ``text`` and parsed ``body`` (None if not JSON)."""

    def __init__(self, status: int, headers: t.Dict[str, str], text: str) -> None:
        self.status = status
        self.headers = headers
        self.text = text
        try:
            self.body = json.loads(text) if text else None
        except ValueError:
            self.body = None


class ArmClient:
    """Entra ID + Resource Manager client.

    ``sleep`` and ``opener`` can be injected (tests). ``retries`` counts every retry this
    client made; ``max_retries`` bounds the retries of one request and ``max_retry_wait``
    the seconds one request may spend waiting between attempts. Throttling (429), server
    errors (5xx) and connection resets are retried; an access token that Resource Manager
    calls expired is renewed once per request when the client holds the credentials to do
    so. :meth:`figures` reports what that cost (attempts, waited seconds, renewals, events).
    """

    def __init__(self, cloud: str | None = None, tenant_id: str | None = None, client_id: str | None = None,
                 client_secret: str | None = None, client_cert: str | None = None, access_token: str | None = None,
                 authority_host: str | None = None, resource_manager_endpoint: str | None = None, ca_file: str | None = None,
                 timeout: float = 60, max_retries: int = 4, max_retry_wait: float = 60,
                 sleep: t.Optional[t.Callable[[float], None]] = None, opener: t.Any = None) -> None:
        try:
            self.endpoints = arm_endpoints(cloud, authority_host, resource_manager_endpoint)
        except ValueError as exc:
            raise ArmError(str(exc), kind="config") from None
        self.tenant_id = tenant_id
        self.client_id = client_id
        self._client_secret = client_secret
        self.client_cert = client_cert
        self._token = access_token
        self._token_expires: float | None = None
        # Epoch second at which the current token expires as Entra ID said (None: not known, e.g. a given token).
        self.token_expires_on: float | None = None
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self.retries = 0
        self.requests = 0
        self.waited = 0.0
        self.token_renewals = 0
        self.retry_events: t.List[t.Dict[str, t.Any]] = []
        self.backoff_base = 1.0
        self._sleep = sleep or time.sleep
        self._secrets = [s for s in (client_secret, access_token) if s]
        if not access_token:
            if not client_id or not tenant_id or not (client_secret or client_cert):
                raise ArmError("no Azure credentials: give access_token, or service_principal_id and tenant_id with "
                               "service_principal_secret or service_principal_cert (or the AZURE_CLIENT_ID, AZURE_SECRET and "
                               "AZURE_TENANT environment variables)", kind="config")
        if opener is None:
            try:
                context = ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
            except (OSError, ssl.SSLError) as exc:
                raise ArmError("cannot load the CA file %s: %s" % (ca_file, exc), kind="config") from None
            opener = build_opener(HTTPSHandler(context=context))
        self._opener = opener

    # -- low level -------------------------------------------------------------------------

    def _send(self, method: str, url: str, data: bytes | None = None, headers: t.Optional[t.Mapping[str, str]] = None) -> ArmResponse:
        """One HTTP exchange -> ArmResponse; network failures raise ArmError(kind=network)."""
        request = Request(url, data=data, method=method, headers=dict(headers or {}, **{"User-Agent": USER_AGENT}))
        self.requests += 1
        try:
            response = self._opener.open(request, timeout=self.timeout)
            with response:
                status, raw_headers, text = response.status, response.headers, response.read().decode("utf-8", "replace")
        except HTTPError as exc:
            status, raw_headers = exc.code, exc.headers
            try:
                text = exc.read().decode("utf-8", "replace")
            except OSError:
                text = ""
            finally:
                exc.close()
        except (URLError, OSError, ValueError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            error = ArmError(scrub(str(reason) or type(reason).__name__, self._secrets) or "", kind="network", method=method, url=url,
                             retries=self.retries)
            error.connection_reset = _is_connection_reset(reason)
            raise error from None
        lowered = dict((k.lower(), v) for k, v in (raw_headers.items() if raw_headers else []))
        return ArmResponse(status, lowered, text)

    def _with_retries(self, method: str, url: str, data: bytes | None = None,
                      headers: t.Optional[t.Mapping[str, str]] = None) -> ArmResponse:
        """_send with bounded retries on RETRY_STATUSES and connection resets, honouring Retry-After.

        A request is tried at most ``max_retries + 1`` times and waits at most ``max_retry_wait`` seconds in all;
        a Retry-After beyond that budget ends the retries at once (the answer carries it). Every retry is counted
        in ``retries``, ``waited`` and ``retry_events``."""
        waited = 0.0
        attempt = 0
        while True:
            status: int | None = None
            try:
                response = self._send(method, url, data, headers)
            except ArmError as error:
                if not error.connection_reset:
                    raise
                delay = float(min(self.backoff_base * 2 ** attempt, 30))
                if attempt >= self.max_retries or waited + delay > self.max_retry_wait:
                    error.retries = self.retries
                    raise
                reason = "connection_reset"
            else:
                if response.status not in RETRY_STATUSES:
                    return response
                status = response.status
                asked = retry_after_seconds(response.headers.get("retry-after"))
                delay = float(asked) if asked is not None else float(min(self.backoff_base * 2 ** attempt, 30))
                if attempt >= self.max_retries or waited + delay > self.max_retry_wait:
                    return response
                reason = "throttled" if status == 429 else "server_error"
            attempt += 1
            self._count_retry(reason, method, url, status=status, attempt=attempt, wait=delay)
            waited += delay
            self._sleep(delay)

    def _count_retry(self, reason: str, method: str, url: str, status: int | None = None, attempt: int = 1, wait: float = 0.0) -> None:
        """Count one retry (or token renewal) in the client's figures."""
        if reason == "token_expired":
            self.token_renewals += 1
        else:
            self.retries += 1
            self.waited += wait
        if len(self.retry_events) < MAX_RETRY_EVENTS:
            self.retry_events.append({"reason": reason, "method": method, "path": _path_only(url), "status": status,
                                      "attempt": attempt, "wait": round(wait, 3)})

    def figures(self) -> t.Dict[str, t.Any]:
        """What the Azure calls of this client cost: ``requests`` (HTTP exchanges), ``retries``, ``waited_seconds``
        (between retries), ``token_renewals``, counts by reason (``throttled``, ``server_errors``,
        ``connection_resets``) and the first MAX_RETRY_EVENTS ``events``."""
        by_reason = {"throttled": 0, "server_error": 0, "connection_reset": 0}
        for event in self.retry_events:
            if event["reason"] in by_reason:
                by_reason[event["reason"]] += 1
        return {
            "requests": self.requests, "retries": self.retries, "waited_seconds": round(self.waited, 3),
            "token_renewals": self.token_renewals, "throttled": by_reason["throttled"], "server_errors": by_reason["server_error"],
            "connection_resets": by_reason["connection_reset"], "events": [dict(e) for e in self.retry_events],
        }

    def _error(self, response: ArmResponse, method: str, url: str, kind: str = "arm") -> ArmError:
        code, message, details, codes = parse_error_body(response.status, response.text)
        return ArmError(scrub(message, self._secrets) or "", status=response.status, arm_code=code,
                        request_id=response.headers.get("x-ms-request-id") or response.headers.get("x-ms-correlation-request-id"),
                        kind=kind, method=method, url=url, details=details,
                        retry_after=retry_after_seconds(response.headers.get("retry-after")), retries=self.retries,
                        error_codes=codes)

    # -- tokens ----------------------------------------------------------------------------

    @property
    def token_url(self) -> str:
        return "%s/%s/oauth2/v2.0/token" % (self.endpoints["authority_host"], quote(str(self.tenant_id), safe=""))

    def token(self) -> str:
        """A bearer token for Resource Manager (cached until shortly before it expires)."""
        if self._token and (self._token_expires is None or time.time() < self._token_expires):
            return self._token
        form = {"client_id": self.client_id, "scope": self.endpoints["scope"], "grant_type": "client_credentials"}
        if self._client_secret:
            form["client_secret"] = self._client_secret
        else:
            assertion = client_assertion(str(self.client_id), self.token_url, str(self.client_cert))
            self._secrets.append(assertion)
            form["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
            form["client_assertion"] = assertion
        url = self.token_url
        response = self._with_retries("POST", url, urlencode(form).encode("ascii"),
                                      {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
        if response.status != 200 or not isinstance(response.body, dict) or not response.body.get("access_token"):
            if response.status == 200:
                raise ArmError("the token endpoint answered without an access_token", status=200, arm_code="InvalidTokenResponse",
                               kind="entra", method="POST", url=url, retries=self.retries)
            raise self._error(response, "POST", url, kind="entra")
        self._token = response.body["access_token"]
        self._secrets.append(self._token)
        expires_in = response.body.get("expires_in")
        self._token_expires = time.time() + max(60, int(str(expires_in)) - 120) if str(expires_in).isdigit() else None
        self.token_expires_on = time.time() + int(str(expires_in)) if str(expires_in).isdigit() else None
        return self._token

    # -- Resource Manager ------------------------------------------------------------------

    def url(self, path: str, api_version: str | None = None) -> str:
        """Absolute URL of ``path`` (an ARM path or an absolute URL returned by ARM)."""
        if path.startswith("https://") or path.startswith("http://"):
            # nextLink and operation URLs come from ARM: the token only ever goes to ARM's own host.
            if urlsplit(path).netloc.lower() != urlsplit(self.endpoints["resource_manager"]).netloc.lower():
                raise ArmError("Resource Manager returned a URL on another host (%s): not followed" % urlsplit(path).netloc,
                               kind="config", url=path)
            url = path
        else:
            url = self.endpoints["resource_manager"] + path
        if api_version and "api-version=" not in url:
            url += ("&" if "?" in url else "?") + "api-version=" + quote(api_version)
        return url

    def request(self, method: str, path: str, api_version: str | None = None, body: object = None,
                ok: t.Tuple[int, ...] = (200,)) -> ArmResponse:
        """One ARM call with retries; returns the ArmResponse when its status is in ``ok``, else raises ArmError."""
        url = self.url(path, api_version)
        headers = {"Authorization": "Bearer " + self.token(), "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        response = self._with_retries(method, url, data, headers)
        if response.status == 401 and self._can_renew() and _error_code(response) in TOKEN_EXPIRED_CODES:
            # The token expired while the run went on (a long wait, a slow fleet): one new token, one more try.
            self._token = None
            self._token_expires = None
            self._count_retry("token_expired", method, url, status=401)
            headers["Authorization"] = "Bearer " + self.token()
            response = self._with_retries(method, url, data, headers)
        if response.status not in ok:
            raise self._error(response, method, url)
        return response

    def _can_renew(self) -> bool:
        """Whether this client can get a new token itself (a given access token cannot be renewed)."""
        return bool(self.client_id and self.tenant_id and (self._client_secret or self.client_cert))

    def get(self, path: str, api_version: str, missing_ok: bool = False) -> t.Any:
        """GET ``path`` -> parsed body; with ``missing_ok`` a 404 gives None."""
        response = self.request("GET", path, api_version, ok=(200, 404) if missing_ok else (200,))
        if response.status == 404:
            return None
        return response.body

    def list(self, path: str, api_version: str, limit: int = 100000) -> t.List[t.Any]:
        """All items of a list, following ``nextLink`` exactly as returned, at most ``limit``."""
        items: t.List[t.Any] = []
        url: str | None = self.url(path, api_version)
        seen: t.Set[str] = set()
        while url and url not in seen and len(items) < limit:
            seen.add(url)
            body = self.request("GET", url).body or {}
            items.extend(body.get("value") or [])
            url = body.get("nextLink") or None
        return items[:limit]

    def delete(self, path: str, api_version: str, wait_timeout: float = 600) -> bool:
        """DELETE ``path``, following a long-running operation to its end.

        Returns True when something was deleted, False when it did not exist (204 or 404).
        """
        response = self.request("DELETE", path, api_version, ok=(200, 202, 204, 404))
        if response.status in (204, 404):
            return False
        if response.status == 202:
            self._follow(response, "DELETE", self.url(path, api_version), wait_timeout)
        return True

    def _follow(self, response: ArmResponse, method: str, url: str, wait_timeout: float) -> None:
        """Poll Azure-AsyncOperation (else Location) until the operation ends; raise ArmError on failure."""
        deadline = time.monotonic() + wait_timeout
        async_url = response.headers.get("azure-asyncoperation")
        location = response.headers.get("location")
        poll_url = async_url or location
        delay = retry_after_seconds(response.headers.get("retry-after"))
        started = time.monotonic()
        polls = 0
        status = "Accepted"
        while poll_url:
            if time.monotonic() >= deadline:
                unfinished = ArmError("the operation did not finish within %s seconds (last status %s after %d status checks)" % (
                    wait_timeout, status, polls), kind="timeout", method=method, url=url, arm_code="OperationTimeout", retries=self.retries)
                unfinished.operation = {"status": status, "seconds": round(time.monotonic() - started, 1), "polls": polls,
                                        "url": _path_only(poll_url)}
                raise unfinished
            self._sleep(min(delay if delay is not None else 1, max(0.0, deadline - time.monotonic()), 30))
            poll = self.request("GET", poll_url, ok=(200, 201, 202, 204))
            polls += 1
            delay = retry_after_seconds(poll.headers.get("retry-after"))
            if not async_url and poll.status == 202:
                status = "InProgress"
            if async_url:
                status = str((poll.body or {}).get("status") or "InProgress")
                if status.lower() == "succeeded":
                    return
                if status.lower() in ("failed", "canceled", "cancelled"):
                    error = (poll.body or {}).get("error") or {}
                    raise ArmError(scrub(error.get("message") or f"the operation ended {status}", self._secrets) or "", status=poll.status,
                                   arm_code=error.get("code") or "Operation" + status, method=method, url=url, retries=self.retries,
                                   request_id=poll.headers.get("x-ms-request-id"))
            elif poll.status in (200, 201, 204):
                return

    # -- Microsoft.HybridCompute/machines --------------------------------------------------

    @staticmethod
    def machine_path(subscription_id: str, resource_group: str | None = None, name: str | None = None) -> str:
        """ARM path of a machine, of the machines of a resource group, or of a subscription."""
        path = "/subscriptions/%s" % quote(str(subscription_id), safe="")
        if resource_group:
            if not _RG_RE.match(str(resource_group)):
                raise ArmError("invalid resource group name %r" % (resource_group,), kind="config")
            path += "/resourceGroups/%s" % quote(str(resource_group), safe="()")
        path += "/providers/" + MACHINE_TYPE
        if name:
            if not resource_group:
                raise ArmError("a machine name needs its resource group", kind="config")
            if not _MACHINE_RE.match(str(name)):
                raise ArmError("invalid machine name %r: 1-54 letters, digits, '-', '_' or '.'" % (name,), kind="config")
            path += "/" + quote(str(name), safe="")
        return path

    def get_machine(self, subscription_id: str, resource_group: str, name: str, api_version: str = MACHINES_API_VERSION) -> t.Any:
        """The machine resource, or None when it does not exist."""
        return self.get(self.machine_path(subscription_id, resource_group, name), api_version, missing_ok=True)

    def list_machines(self, subscription_id: str, resource_group: str | None = None,
                      api_version: str = MACHINES_API_VERSION) -> t.List[t.Any]:
        return self.list(self.machine_path(subscription_id, resource_group), api_version)

    def update_machine_tags(self, subscription_id: str, resource_group: str, name: str, tags: t.Mapping[str, str],
                            api_version: str = MACHINES_API_VERSION) -> t.Any:
        """PATCH the complete desired tag set (correct whether the RP merges or replaces)."""
        return self.request("PATCH", self.machine_path(subscription_id, resource_group, name), api_version, {"tags": tags}).body

    def patch_machine(self, subscription_id: str, resource_group: str, name: str, body: t.Mapping[str, t.Any],
                      api_version: str = MACHINES_API_VERSION) -> t.Any:
        """PATCH a ``MachineUpdate`` body (tags, ``properties.agentUpgrade``, ...); the answer is the machine."""
        return self.request("PATCH", self.machine_path(subscription_id, resource_group, name), api_version, dict(body)).body

    def delete_machine(self, subscription_id: str, resource_group: str, name: str, api_version: str = MACHINES_API_VERSION,
                       wait_timeout: float = 600) -> bool:
        return self.delete(self.machine_path(subscription_id, resource_group, name), api_version, wait_timeout)

    # -- Microsoft.HybridCompute/machines/extensions ---------------------------------------

    def extension_path(self, subscription_id: str, resource_group: str, machine: str, name: str | None = None) -> str:
        """ARM path of the extensions of a machine, or of one of them."""
        path = self.machine_path(subscription_id, resource_group, machine) + "/extensions"
        if name:
            if not _EXTENSION_RE.match(str(name)):
                raise ArmError("invalid extension name %r" % (name,), kind="config")
            path += "/" + quote(str(name), safe="")
        return path

    def list_extensions(self, subscription_id: str, resource_group: str, machine: str,
                        api_version: str = MACHINES_API_VERSION) -> t.Optional[t.List[t.Any]]:
        """The extensions of a machine, every page; None when the machine does not exist."""
        path = self.extension_path(subscription_id, resource_group, machine)
        first = self.request("GET", path, api_version, ok=(200, 404))
        if first.status == 404:
            return None
        body = first.body or {}
        items: t.List[t.Any] = list(body.get("value") or [])
        if body.get("nextLink"):
            items.extend(self.list(str(body["nextLink"]), api_version))
        return items

    def delete_extension(self, subscription_id: str, resource_group: str, machine: str, name: str,
                         api_version: str = MACHINES_API_VERSION, wait_timeout: float = 600) -> bool:
        """Delete one extension (following the long-running operation); False when it did not exist."""
        return self.delete(self.extension_path(subscription_id, resource_group, machine, name), api_version, wait_timeout)

    # -- resource providers ----------------------------------------------------------------

    @staticmethod
    def provider_path(subscription_id: str, namespace: str) -> str:
        if not _NAMESPACE_RE.match(str(namespace)):
            raise ArmError("invalid resource provider namespace %r (expected a name such as Microsoft.HybridCompute)" % (namespace,),
                           kind="config")
        return "/subscriptions/%s/providers/%s" % (quote(str(subscription_id), safe=""), namespace)

    def get_provider(self, subscription_id: str, namespace: str, api_version: str = PROVIDERS_API_VERSION) -> t.Any:
        return self.get(self.provider_path(subscription_id, namespace), api_version)

    def register_provider(self, subscription_id: str, namespace: str, api_version: str = PROVIDERS_API_VERSION) -> t.Any:
        return self.request("POST", self.provider_path(subscription_id, namespace) + "/register", api_version).body

    # -- resource groups and effective permissions (the identity stage) ---------------------

    @staticmethod
    def resource_group_path(subscription_id: str, resource_group: str) -> str:
        if not _RG_RE.match(str(resource_group)):
            raise ArmError("invalid resource group name %r" % (resource_group,), kind="config")
        return "/subscriptions/%s/resourceGroups/%s" % (quote(str(subscription_id), safe=""), quote(str(resource_group), safe="()"))

    def get_resource_group(self, subscription_id: str, resource_group: str, api_version: str = RESOURCE_GROUPS_API_VERSION) -> t.Any:
        """The resource group, or None when it does not exist (ARM answers AuthorizationFailed instead when the caller may
        not read it)."""
        return self.get(self.resource_group_path(subscription_id, resource_group), api_version, missing_ok=True)

    def list_permissions(self, subscription_id: str, resource_group: str | None = None,
                         api_version: str = PERMISSIONS_API_VERSION) -> t.List[t.Any]:
        """The caller's effective permissions at a resource group (or the subscription): a list of
        ``{actions, notActions, dataActions, notDataActions}``, one per role that applies there."""
        scope = (self.resource_group_path(subscription_id, resource_group) if resource_group
                 else "/subscriptions/%s" % quote(str(subscription_id), safe=""))
        return self.list(scope + "/providers/Microsoft.Authorization/permissions", api_version)


# IMDS answers worth another attempt (its guidance: 404 and 410 while the identity is being set up, 429, 5xx).
IMDS_RETRY_STATUSES = (404, 410, 429, 500, 502, 503, 504)


def managed_identity_token(resource: str, endpoint: str = IMDS_TOKEN_ENDPOINT, client_id: str | None = None, timeout: float = 30,
                           max_retries: int = 3, opener: t.Any = None,
                           sleep: t.Optional[t.Callable[[float], None]] = None) -> t.Dict[str, t.Any]:
    """A token for ``resource`` (e.g. ``https://management.azure.com/``) of the managed identity of the machine running this,
    from the Azure Instance Metadata Service or an endpoint of the same shape (``GET ?api-version&resource[&client_id]`` with
    ``Metadata: true``). Never through a proxy. Returns ``{access_token, expires_on}`` (epoch seconds, None when not said);
    failures raise ArmError(kind=entra, or network)."""
    query = {"api-version": IMDS_API_VERSION, "resource": resource}
    if client_id:
        query["client_id"] = client_id
    url = endpoint + ("&" if "?" in endpoint else "?") + urlencode(query)
    opener = opener or build_opener(ProxyHandler({}))
    sleep = sleep or time.sleep
    attempt = 0
    while True:
        request = Request(url, method="GET", headers={"Metadata": "true", "Accept": "application/json", "User-Agent": USER_AGENT})
        try:
            response = opener.open(request, timeout=timeout)
            with response:
                status, headers, body_text = response.status, response.headers, response.read().decode("utf-8", "replace")
        except HTTPError as exc:
            status, headers = exc.code, exc.headers
            try:
                body_text = exc.read().decode("utf-8", "replace")
            except OSError:
                body_text = ""
            finally:
                exc.close()
        except (URLError, OSError, ValueError) as exc:
            raise ArmError(str(getattr(exc, "reason", exc)), kind="network", method="GET", url=endpoint) from None
        if status in IMDS_RETRY_STATUSES and attempt < max_retries:
            delay = retry_after_seconds(headers.get("Retry-After") if headers else None)
            sleep(min(delay if delay is not None else 2 ** attempt, 30))
            attempt += 1
            continue
        answer = ArmResponse(status, {}, body_text)
        body = answer.body if isinstance(answer.body, dict) else {}
        if status == 200 and body.get("access_token"):
            break
        if status == 200:
            raise ArmError("the identity endpoint answered without an access_token", status=200, arm_code="InvalidTokenResponse",
                           kind="entra", method="GET", url=endpoint, retries=attempt)
        code, message, details, codes = parse_error_body(status, body_text)
        raise ArmError(message, status=status, arm_code=code, kind="entra", method="GET", url=endpoint, details=details, retries=attempt,
                       error_codes=codes)
    expires_on = str(body.get("expires_on") or "")
    expires_in = str(body.get("expires_in") or "")
    when: float | None = None
    if expires_on.isdigit():
        when = float(expires_on)
    elif expires_in.isdigit():
        when = time.time() + int(expires_in)
    return {"access_token": str(body["access_token"]), "expires_on": when}


def trim_machine(machine: t.Any) -> t.Any:
    """The machine as Azure returns it, without the bulky read-only parts (extensions, key, system data)."""
    if not isinstance(machine, dict):
        return machine
    trimmed = dict((k, v) for k, v in machine.items() if k not in ("resources", "systemData"))
    properties = dict(trimmed.get("properties") or {})
    for key in ("clientPublicKey", "detectedProperties", "serviceStatuses", "networkProfile", "hardwareProfile", "storageProfile",
                "firmwareProfile"):
        properties.pop(key, None)
    trimmed["properties"] = properties
    return trimmed


def machine_summary(machine: t.Mapping[str, t.Any]) -> t.Dict[str, t.Any]:
    """The normalized view of one machine resource that machine_resource_info returns."""
    properties = machine.get("properties") or {}
    return {
        "name": machine.get("name"),
        "id": machine.get("id"),
        "resource_group": _resource_group_of(machine.get("id")),
        "location": machine.get("location"),
        "status": properties.get("status"),
        "last_status_change": properties.get("lastStatusChange"),
        "agent_version": properties.get("agentVersion"),
        "provisioning_state": properties.get("provisioningState"),
        "tags": machine.get("tags") or {},
        "vm_id": properties.get("vmId"),
        "os_name": properties.get("osName"),
        "error_details": properties.get("errorDetails") or [],
    }


# /subscriptions/<sub>/resourceGroups/<rg>/... -- the resource group segment of an ARM id (any case).
_RG_OF_ID_RE = re.compile(r"^/subscriptions/[^/]+/resourcegroups/(?P<rg>[^/]+)", re.IGNORECASE)


def _resource_group_of(resource_id: str | None) -> str | None:
    match = _RG_OF_ID_RE.match(resource_id or "")
    return match.group("rg") if match else None


def extension_summary(extension: t.Mapping[str, t.Any]) -> t.Dict[str, t.Any]:
    """The normalized view of one machine extension (``machine_resource_info`` with ``extensions``)."""
    properties = extension.get("properties") or {}
    status = (properties.get("instanceView") or {}).get("status") or {}
    return {
        "name": extension.get("name"),
        "id": extension.get("id"),
        "publisher": properties.get("publisher"),
        "type": properties.get("type"),
        "version": properties.get("typeHandlerVersion"),
        "provisioning_state": properties.get("provisioningState"),
        "status": status.get("displayStatus") or status.get("code"),
    }
