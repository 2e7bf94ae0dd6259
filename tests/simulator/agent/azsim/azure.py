# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Entra ID and Resource Manager as the agent calls them: clouds, regions, tokens, ARM requests,
and the flattened ARM error text of the console."""

from __future__ import annotations

import base64
import hashlib
import json
import time
import urllib.parse
import uuid

from .errors import AzcmError
from .netdial import RequestError

HYBRID_COMPUTE = "Microsoft.HybridCompute"
MACHINES_API = "2024-07-10"
PROVIDERS_API = "2021-04-01"
SUBSCRIPTIONS_API = "2020-01-01"

CLOUDS = {
    "azurecloud": {
        "name": "AzureCloud", "login": "login.microsoftonline.com", "arm": "management.azure.com",
        "his": "his.arc.azure.com", "gc": "guestconfiguration.azure.com", "pas": "pas.windows.net",
        "portal": "portal.azure.com",
    },
    "azureusgovernment": {
        "name": "AzureUSGovernment", "login": "login.microsoftonline.us", "arm": "management.usgovcloudapi.net",
        "his": "his.arc.azure.us", "gc": "guestconfiguration.azure.us", "pas": "pasff.usgovcloudapi.net",
        "portal": "portal.azure.us",
    },
    "azurechinacloud": {
        "name": "AzureChinaCloud", "login": "login.chinacloudapi.cn", "arm": "management.chinacloudapi.cn",
        "his": "his.arc.azure.cn", "gc": "guestconfiguration.azure.cn", "pas": "pas.chinacloudapi.cn",
        "portal": "portal.azure.cn",
    },
}

REGIONS = {
    "AzureCloud": frozenset((
        "eastus", "eastus2", "westus", "westus2", "westus3", "centralus", "northcentralus", "southcentralus",
        "westcentralus", "canadacentral", "canadaeast", "brazilsouth", "northeurope", "westeurope", "uksouth",
        "ukwest", "francecentral", "germanywestcentral", "italynorth", "norwayeast", "polandcentral",
        "spaincentral", "swedencentral", "switzerlandnorth", "eastasia", "southeastasia", "japaneast", "japanwest",
        "koreacentral", "koreasouth", "centralindia", "southindia", "westindia", "australiaeast",
        "australiasoutheast", "australiacentral", "southafricanorth", "uaenorth", "qatarcentral", "israelcentral",
        "mexicocentral", "newzealandnorth", "indonesiacentral", "malaysiawest", "austriaeast", "chilecentral",
    )),
    "AzureUSGovernment": frozenset(("usgovvirginia", "usgovarizona", "usgovtexas")),
    "AzureChinaCloud": frozenset(("chinaeast2", "chinanorth2", "chinanorth3")),
}


def cloud_info(name):
    """The endpoint set of a cloud name (case-insensitive), or None."""
    return CLOUDS.get((name or "AzureCloud").strip().lower())


def normalize_location(location):
    """The agent strips spaces and lower-cases the region (``West Europe`` -> ``westeurope``)."""
    return "".join((location or "").split()).lower()


def endpoint_hosts(cloud, location=None, extensions=()):
    """Real host names the agent needs for a cloud/region, in `check` order."""
    info = cloud_info(cloud)
    hosts = ["agentserviceapi." + info["gc"]]
    if location:
        hosts.append("%s-gas.%s" % (location, info["gc"]))
    hosts.append("gbl." + info["his"])
    if location:
        hosts.append("%s.%s" % (location, info["his"]))
    hosts += [info["login"], info["arm"], info["pas"]]
    if location and ("sql" in extensions or "all" in extensions):
        hosts.append("dataprocessingservice.%s.arcdataservices.com" % location)
    return hosts


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwt_claims(token):
    """Claims of a JWT-shaped token, or None when it is not one."""
    parts = (token or "").split(".")
    if len(parts) != 3:
        return None
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, TypeError):
        return None
    return claims if isinstance(claims, dict) else None


def client_assertion(pem_path, client_id, audience):
    """RS256 client assertion signed with the key in ``pem_path`` (``x5t`` = SHA-1 thumbprint)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    with open(pem_path, "rb") as handle:
        data = handle.read()
    try:
        cert = x509.load_pem_x509_certificate(data)
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise AzcmError(23, "Failed to load the service principal certificate %s: %s" % (pem_path, exc)) from None
    thumb = cert.fingerprint(hashes.SHA1())  # nosec - x5t is defined as the SHA-1 thumbprint
    now = int(time.time())
    header = {"alg": "RS256", "typ": "JWT", "x5t": b64url(thumb)}
    claims = {"aud": audience, "iss": client_id, "sub": client_id, "jti": str(uuid.uuid4()),
              "nbf": now, "iat": now, "exp": now + 600}
    signing_input = ("%s.%s" % (b64url(json.dumps(header).encode()), b64url(json.dumps(claims).encode()))).encode()
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return signing_input.decode() + "." + b64url(signature), hashlib.sha1(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


class ArmFailure(Exception):
    """An ARM error answer: status, code, message, correlation id and the raw body."""

    def __init__(self, status, code, message, correlation_id, body, retry_after=None):
        self.status = status
        self.code = code
        self.message = message
        self.correlation_id = correlation_id
        self.body = body
        self.retry_after = retry_after
        super().__init__(self.flattened())

    def flattened(self):
        """``RequestCorrelationId:<guid> Message: <text> Code: <ArmCode> httpStatusCode:<nnn> ``."""
        return "RequestCorrelationId:%s Message: %s Code: %s httpStatusCode:%d " % (
            self.correlation_id, self.message, self.code, self.status)


def _pretty_body(response):
    data = response.json()
    if data is None:
        return response.body.decode("utf-8", "replace")
    return json.dumps(data, indent=2)


class Azure:
    """The agent's calls to Entra ID and Resource Manager through a Dialer, logged on a Console."""

    def __init__(self, dialer, console, cloud, correlation_id):
        self.dialer = dialer
        self.console = console
        self.cloud = cloud_info(cloud)
        self.correlation_id = correlation_id
        self.token = None
        self.last_headers = {}

    def _send(self, method, url, headers=None, body=None):
        started = time.monotonic()
        try:
            response = self.dialer.request(method, url, headers=headers, body=body)
        except RequestError as exc:
            self.console.log("error", "Request failed", {"Request URL": url, "Error": str(exc)})
            raise
        elapsed = "%dms" % int((time.monotonic() - started) * 1000)
        self.console.debug("Request", {"Method": method, "Request URL": url, "Status Code": response.status,
                                       "Duration": elapsed})
        if not self.console.verbose:
            self.console.log("debug", "Request", {"Method": method, "Request URL": url, "Status Code": response.status})
        return response

    # -- Entra ID --------------------------------------------------------------------------
    def token_url(self, tenant):
        return "https://%s/%s/oauth2/v2.0/token" % (self.cloud["login"], tenant)

    def acquire_token(self, tenant, client_id, secret=None, assertion=None):
        """Client-credentials token; AzcmError 41 on an Entra ID error, RequestError on transport."""
        form = {"client_id": client_id, "grant_type": "client_credentials",
                "scope": "https://%s/.default" % self.cloud["arm"]}
        if assertion:
            form["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
            form["client_assertion"] = assertion
        else:
            form["client_secret"] = secret or ""
        url = self.token_url(tenant)
        response = self._send("POST", url, {"Content-Type": "application/x-www-form-urlencoded",
                                            "client-request-id": self.correlation_id},
                              urllib.parse.urlencode(form).encode("ascii"))
        data = response.json() or {}
        if response.status == 200 and data.get("access_token"):
            self.token = data["access_token"]
            self.console.add_secret(self.token)
            return self.token
        description = str(data.get("error_description") or response.reason or "unknown error")
        error = str(data.get("error") or "http_%d" % response.status)
        self.console.log("error", "Failed to acquire authorization token from SPN",
                         {"Status Code": response.status, "Response": _pretty_body(response)})
        raise AzcmError(41, "Failed to acquire authorization token from SPN: %s: %s" % (error, description),
                        legacy_code=41)

    # -- Resource Manager ------------------------------------------------------------------
    def arm(self, method, path, body=None, log_msg="ARM Request", expected=()):
        """(status, json) of an ARM call; ArmFailure on an error answer."""
        url = "https://%s%s" % (self.cloud["arm"], path)
        headers = {"Authorization": "Bearer %s" % self.token, "Accept": "application/json",
                   "x-ms-correlation-request-id": self.correlation_id, "x-ms-client-request-id": str(uuid.uuid4())}
        payload = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            payload = json.dumps(body).encode("utf-8")
        response = self._send(method, url, headers, payload)
        self.last_headers = response.headers
        data = response.json()
        if response.status < 400:
            return response.status, data
        error = data if isinstance(data, dict) else {}
        error = error.get("error", error) if isinstance(error.get("error", error), dict) else error
        code = str(error.get("code") or response.reason or "Unknown")
        message = str(error.get("message") or response.body.decode("utf-8", "replace").strip() or response.reason)
        correlation = response.headers.get("x-ms-correlation-request-id") or response.headers.get("x-ms-request-id") \
            or self.correlation_id
        retry_after = response.headers.get("retry-after")
        self.console.log("debug" if response.status in expected else "error", log_msg,
                         {"Response": _pretty_body(response), "Status Code": response.status})
        raise ArmFailure(response.status, code, message, correlation, data, retry_after)

    def subscriptions(self):
        _status, data = self.arm("GET", "/subscriptions?api-version=%s" % SUBSCRIPTIONS_API, log_msg="List Subscriptions Response")
        return (data or {}).get("value") or []
