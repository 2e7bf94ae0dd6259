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


# The regional HIS host the agent gets from gbl.his…/discovery for a region.  Only the rows a public
# source shows (research-endpoints.md 1.3): westeurope (C-99004 log, IMG-check), ukwest -> uks (IMG-check),
# the rest from Microsoft's 2021 Arc-enabled Kubernetes table; US Government: usgv (Microsoft's doc).
# Any other region: the row is absent, as when discovery fails (capture C of research-endpoints.md 2.1).
REGIONAL_HIS = {
    "AzureCloud": {
        "westeurope": "weu", "ukwest": "uks", "uksouth": "uks", "eastus": "eus", "eastus2": "eus2",
        "westcentralus": "wcus", "southcentralus": "scus", "westus2": "wus2", "southeastasia": "sea",
        "australiaeast": "ae", "northeurope": "ne", "francecentral": "fc",
    },
    "AzureUSGovernment": {region: "usgv" for region in REGIONS["AzureUSGovernment"]},
    "AzureChinaCloud": {},
}
# Login hosts the agent checks: public `check` captures (2025) still list login.windows.net.
LOGIN_HOSTS = {"AzureCloud": ("login.microsoftonline.com", "login.windows.net")}
# The 1.21 agent also checked its telemetry endpoint (C-99004; "not used in agent versions 1.24+").
TELEMETRY_HOST = "dc.services.visualstudio.com"


def regional_his(cloud, location):
    """``weu.his.arc.azure.com`` for westeurope, or None when no public source names it."""
    info = cloud_info(cloud)
    code = REGIONAL_HIS.get(info["name"], {}).get(location or "")
    return "%s.%s" % (code, info["his"]) if code else None


def endpoint_hosts(cloud, location=None, extensions=(), telemetry=False, discovered=True):
    """Real host names the agent checks for a cloud/region, sorted by URL as `azcmagent check` prints them.
    ``discovered`` false: the regional HIS host is left out, as when the agent's discovery call fails (capture C)."""
    info = cloud_info(cloud)
    hosts = ["agentserviceapi." + info["gc"], "gbl." + info["his"], info["arm"], info["pas"]]
    hosts += list(LOGIN_HOSTS.get(info["name"], (info["login"],)))
    if location:
        hosts.append("%s-gas.%s" % (location, info["gc"]))
        regional = regional_his(info["name"], location) if discovered else None
        if regional:
            hosts.append(regional)
        if "sql" in extensions or "all" in extensions:
            hosts.append("dataprocessingservice.%s.arcdataservices.com" % location)
    if telemetry and info["name"] == "AzureCloud":
        hosts.append(TELEMETRY_HOST)
    return sorted(hosts, key=lambda host: "https://" + host)


DISCOVERY_API = "2.1"


def discovery_url(cloud, location):
    """``https://gbl.his.arc.azure.com/discovery?location=<region>&api-version=2.1`` (capture C)."""
    return "https://gbl.%s/discovery?location=%s&api-version=%s" % (cloud_info(cloud)["his"], location, DISCOVERY_API)


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

    def __init__(self, status, code, message, correlation_id, body, retry_after=None, method="", url="", reason=""):
        self.status = status
        self.code = code
        self.message = message
        self.correlation_id = correlation_id
        self.body = body
        self.retry_after = retry_after
        self.method = method
        self.url = url
        self.reason = reason
        super().__init__(self.flattened())

    def sdk_block(self):
        """azcore's ResponseError text (SDK-RE): ``POST <url>`` / 80 dashes / ``RESPONSE 403: 403 Forbidden`` /
        ``ERROR CODE: <code>`` / dashes / the JSON body indented by 2 / dashes; the URL without its query."""
        return sdk_response_block(self.method, self.url, self.status, self.reason, self.code, self.body)

    def flattened(self):
        """``RequestCorrelationId:<guid> Message: <text> Code: <ArmCode> httpStatusCode:<nnn> ``."""
        return "RequestCorrelationId:%s Message: %s Code: %s httpStatusCode:%d " % (
            self.correlation_id, self.message, self.code, self.status)


SDK_RULE = "-" * 80


def sdk_response_block(method, url, status, reason, code, body):
    """azcore ``ResponseError.Error()`` (SDK-RE)."""
    head = "%s %s" % (method.upper(), url.split("?", 1)[0])
    text = json.dumps(body, indent=2) if body is not None else ""
    lines = [head, SDK_RULE, "RESPONSE %d: %d %s" % (status, status, reason),
             "ERROR CODE: %s" % code if code else "ERROR CODE UNAVAILABLE", SDK_RULE]
    if text:
        lines += [text, SDK_RULE]
    return "\n".join(lines) + "\n"


def compact_body(response):
    """The answer body as one compact JSON text (the agent's ``Body=`` field, C-99004)."""
    data = response.json()
    if data is None:
        return response.body.decode("utf-8", "replace")
    return json.dumps(data, separators=(",", ":"))


# The Azure SDK's retry policy (SDK-POL): 3 retries, exponential delay from 4 s (the simulator shortens it
# with sim.json `sdk_retry_delay`, default 0.05 s), Retry-After honoured; 408/429/500/502/503/504 and
# transport errors are retried.  No agent log shows a retry, so retries print nothing.
SDK_MAX_RETRIES = 3
SDK_RETRY_STATUS = (408, 429, 500, 502, 503, 504)


class Azure:
    """The agent's calls to Entra ID and Resource Manager through a Dialer, logged on a Console."""

    def __init__(self, dialer, console, cloud, correlation_id, generation="modern", retry_delay=0.05):
        self.dialer = dialer
        self.console = console
        self.cloud = cloud_info(cloud)
        self.correlation_id = correlation_id
        self.generation = generation
        self.retry_delay = float(retry_delay)
        self.token = None
        self.last_headers = {}

    @property
    def sdk_retries(self):
        """The Azure SDK (azcore) retries on its own; the 1.7-era agent predates it (no retries modelled)."""
        return SDK_MAX_RETRIES if self.generation in ("modern", "logfmt") else 0

    def _send(self, method, url, headers=None, body=None, sdk=False):
        """One call; ``sdk`` calls go through the Azure SDK pipeline and are retried as azcore does."""
        retries = self.sdk_retries if sdk else 0
        attempt = 0
        while True:
            try:
                response = self.dialer.request(method, url, headers=headers, body=body)
            except RequestError:
                if attempt >= retries:
                    raise
            else:
                if response.status not in SDK_RETRY_STATUS or attempt >= retries:
                    return response
                after = response.headers.get("retry-after")
                if after and after.isdigit():
                    time.sleep(min(float(after), 10.0))
                    attempt += 1
                    continue
            time.sleep(self.retry_delay * (2 ** attempt))
            attempt += 1

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
                              urllib.parse.urlencode(form).encode("ascii"), sdk=True)
        data = response.json() or {}
        if response.status == 200 and data.get("access_token"):
            self.token = data["access_token"]
            self.console.add_secret(self.token)
            return self.token
        description = str(data.get("error_description") or response.reason or "unknown error")
        error = str(data.get("error") or "http_%d" % response.status)
        self.console.log("debug", "Failed to acquire authorization token from SPN",
                         {"Application Id": client_id,
                          "Error": self.identity_block(assertion, url, response)})
        raise AzcmError(41, "Failed to acquire authorization token from SPN: %s: %s" % (error, description),
                        legacy_code=41)

    def identity_block(self, assertion, url, response):
        """azidentity's AuthenticationFailedError text: the 1.21 form (C-99004) or the modern one (SDK-ID)."""
        credential = "ClientCertificateCredential" if assertion else "ClientSecretCredential"
        data = response.json()
        body = json.dumps(data, indent=2) if data is not None else response.body.decode("utf-8", "replace")
        if self.generation == "logfmt":
            return "\n".join(["%s authentication failed" % credential, "POST %s" % url, SDK_RULE,
                              "RESPONSE %d %s" % (response.status, response.reason), SDK_RULE, body, SDK_RULE]) + "\n"
        return "\n".join(["%s authentication failed. " % credential, "POST %s" % url, SDK_RULE,
                          "RESPONSE %d: %d %s" % (response.status, response.status, response.reason), SDK_RULE, body,
                          SDK_RULE, "To troubleshoot, visit https://aka.ms/azsdk/go/identity/troubleshoot#client-secret"])

    # -- Resource Manager ------------------------------------------------------------------
    def arm(self, method, path, body=None, log_msg=None, expected=(), sdk=False):
        """(status, json) of an ARM call; ArmFailure on an error answer."""
        url = "https://%s%s" % (self.cloud["arm"], path)
        headers = {"Authorization": "Bearer %s" % self.token, "Accept": "application/json",
                   "x-ms-correlation-request-id": self.correlation_id, "x-ms-client-request-id": str(uuid.uuid4())}
        payload = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            payload = json.dumps(body).encode("utf-8")
        response = self._send(method, url, headers, payload, sdk=sdk)
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
        if log_msg:
            self.console.log("debug" if response.status in expected else "error", log_msg,
                             {"Body": compact_body(response), "Status Code": response.status})
        raise ArmFailure(response.status, code, message, correlation, data, retry_after, method=method, url=url,
                         reason=response.reason)

    def subscriptions(self):
        _status, data = self.arm("GET", "/subscriptions?api-version=%s" % SUBSCRIPTIONS_API)
        return (data or {}).get("value") or []
