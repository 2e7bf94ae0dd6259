# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Known error texts of the agent, Entra ID and Resource Manager -> findings.

PRIVATE: this module is private to the arcops.azcmagent collection and may change at any time.

:func:`classify` finds every known error in a text (console output, ``azcmagent.log``,
a module result's lines) and returns one *finding* per distinct evidence line:
``id``, ``category``, ``cause``, ``remediation`` (English or Dutch), ``evidence`` (the
whole line that matched, stripped, secrets redacted), ``action``, ``retryable`` and
``details`` (what the pattern captured: ``host``, ``url``, ``ip``, ``port``, ``action``,
``scope``, ``namespace``, ``retry_after``, ``arm_code``, ``status``, ...).

How it stays fast on a 100 MB log: every rule names *triggers*, literal strings (or
regular expressions that start with a literal) at least one of which occurs in every
text the rule matches. Each trigger is searched over the whole text with C-speed
``str.find`` / compiled-regex scans; only the lines where a trigger occurs are given to
the rule's own regular expressions. A trigger stops scanning once each of its rules has
:data:`MAX_FINDINGS_PER_ID` findings, so a log full of the same failure costs no more
than a clean one. Standard library only, Python 3.8+.
"""

from __future__ import annotations

import re

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import normalize_lang

#: At most this many findings per rule id (the first ones in order of appearance).
MAX_FINDINGS_PER_ID = 5

#: Evidence longer than this is cut to a window around the match.
MAX_EVIDENCE_CHARS = 1000

# How far around a trigger hit the rule patterns look on a very long line.
_WINDOW = 2000

# Remember at most this many already examined lines per trigger (repeated lines are skipped).
_SEEN_LINES_MAX = 4096

# --------------------------------------------------------------------------------------
# Detail extractors: run only on lines that matched a rule.
# --------------------------------------------------------------------------------------

# A URL as Go prints it in errors: `Post https://host/path?q: Forbidden` or `Post "https://host/path": ...`.
# Stops at blanks, quotes and angle brackets; trailing punctuation is trimmed afterwards.
_URL_RE = re.compile(r"""(?P<url>https?://[^\s"'<>\\]+)""")

# The host part of a URL: after the scheme, up to a port, path, query or fragment.
_URL_HOST_RE = re.compile(r"^https?://(?:[^@/\s]*@)?(?P<host>\[[0-9A-Fa-f:.]+\]|[^:/?#\s]+)")

# Go's dialer: `dial tcp 40.126.9.7:443: connect: ...`, `dial tcp [2603:1030::1]:443: ...`, `dial tcp4 host:443`.
_DIAL_RE = re.compile(r"\bdial (?:tcp|udp)[46]? (?P<addr>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(?P<port>[0-9]{1,5})\b")

# An IPv4 address in a dial target.
_IPV4_RE = re.compile(r"^(?:[0-9]{1,3}\.){3}[0-9]{1,3}$")

# HTTP status as the agent and ARM print it: `Status Code=403`, `Status Code="429"`, `httpStatusCode:409`,
# `StatusCode: 503`, `RESPONSE 429`, `HTTP/1.1 503`.
_STATUS_RE = re.compile(r"""(?:[Ss]tatus ?[Cc]ode\s*[=:]?\s*"?|RESPONSE |HTTP/[0-9.]+ )(?P<status>[1-5][0-9]{2})\b""")

# ARM error code, flattened (`Code: ScopeLocked`), JSON (`"code": "ScopeLocked"`, also with escaped quotes)
# or Azure SDK text (`ERROR CODE: AuthorizationFailed`).
_ARM_CODE_RE = re.compile(r"""(?:\bCode: |ERROR CODE: |\\?"code\\?"\s*:\s*\\?")(?P<arm_code>[A-Z][A-Za-z0-9]+)\b""")

# Throttling delay: `Please try again after '17' seconds`, `Retry-After: 30`, `Retry-After="30"`, `retry after 30 seconds`.
_RETRY_AFTER_RE = re.compile(r"""(?:try again after '?|Retry-After\s*[:=]\s*"?|retry after )(?P<retry_after>[0-9]{1,6})\b""", re.IGNORECASE)

# Secrets that must never reach a finding: flags with their value, form fields, bearer tokens,
# and the one-time device login code.
_REDACT_RES = (
    re.compile(r"""(?P<keep>--(?:service-principal-secret|access-token)[= ]+|(?<![\w-])-p[= ]+)(?P<secret>"[^"]*"|'[^']*'|\S+)"""),
    re.compile(r"""(?P<keep>\b(?:client_secret|access_token|refresh_token|client_assertion|password)\\?"?\s*[=:]\s*\\?"?)(?P<secret>[^\s&"\\,}]+)""",
               re.IGNORECASE),
    re.compile(r"""(?P<keep>\bBearer )(?P<secret>[A-Za-z0-9._~+/=-]{8,})"""),
    re.compile(r"""(?P<keep>\benter the code )(?P<secret>[A-Z0-9-]{4,})"""),
)
_REDACTED = "********"

# --------------------------------------------------------------------------------------
# The rules. One per known error; patterns are searched on the line of a trigger hit.
# Named groups become details. Texts may use {placeholders} filled from the details.
# --------------------------------------------------------------------------------------

_GUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"

_DEFAULTS = {
    "en": {
        "host": "the Azure endpoint", "namespace": "Microsoft.HybridCompute", "action": "the required action",
        "scope": "the target scope", "principal": "The identity", "app_id": "that was given", "tenant": "the tenant",
        "retry_after": "some", "port": "443", "locked_scope": "a parent scope", "operation": "this",
        "resource_group": "the resource group", "subscription": "the subscription", "directory": "of the tenant",
        "status": "5xx", "proxy": "(the one in proxy.url or HTTPS_PROXY)",
    },
    "nl": {
        "host": "het Azure-eindpunt", "namespace": "Microsoft.HybridCompute", "action": "de benodigde actie",
        "scope": "het doelbereik", "principal": "De identiteit", "app_id": "die is opgegeven", "tenant": "de tenant",
        "retry_after": "enkele", "port": "443", "locked_scope": "een bovenliggend bereik", "operation": "deze",
        "resource_group": "de resourcegroep", "subscription": "het abonnement", "directory": "van de tenant",
        "status": "5xx", "proxy": "(die in proxy.url of HTTPS_PROXY)",
    },
}


def _rule(rule_id, category, action, retryable, weight, triggers, patterns, cause, remediation, extract=()):
    """Build one rule (a plain dict); patterns are compiled here, once, at import time."""
    return {
        "id": rule_id,
        "category": category,
        "action": action,
        "retryable": retryable,
        "weight": weight,
        "triggers": tuple(triggers),
        "patterns": tuple(re.compile(p, re.IGNORECASE) for p in patterns),
        "cause": cause,
        "remediation": remediation,
        "extract": tuple(extract),
    }


# One scan for the HTTP statuses that rules care about (5xx, 429 throttling, 407 proxy authentication),
# as the agent logs them: `Status Code=503`, `Status Code="429"`, `httpStatusCode:407`, `StatusCode: 502`.
_STATUS_TRIGGER = re.compile(r"""tatus ?[Cc]ode\s*[=:]?\s*"?(?:5[0-9][0-9]|429|407)\b""")

_CHECK_EN = "Run azcmagent check (or the arcops.azcmagent.check module) to see which endpoints are blocked"
_CHECK_NL = "Voer azcmagent check uit (of de module arcops.azcmagent.check) om te zien welke eindpunten geblokkeerd zijn"

RULES = (
    _rule(
        "network_unreachable", "network", "check_network", True, 60,
        ("unreachable", "route to host"),
        (r"\bnetwork is unreachable\b", r"\bno route to host\b", r"\bhost is unreachable\b"),
        {"en": "The machine cannot reach {host}: there is no network route to it (network is unreachable).",
         "nl": "De machine kan {host} niet bereiken: er is geen netwerkroute naartoe (network is unreachable)."},
        {"en": _CHECK_EN + ". Make sure the machine has a route to {host} on TCP 443, directly or through a proxy (azcmagent config set proxy.url).",
         "nl": _CHECK_NL + ". Zorg dat de machine {host} op TCP 443 kan bereiken, direct of via een proxy (azcmagent config set proxy.url)."},
        ("url", "dial"),
    ),
    _rule(
        "proxy_forbidden", "proxy", "check_network", False, 80,
        ("Forbidden", ": Filtered"),
        (r"\bnetwork is Forbidden\b",
         r"""(?P<method>\b(?:GET|POST|PUT|DELETE|PATCH|HEAD))\s+\\?"?(?P<url>https?://[^\s"'\\]+?)\\?"?:\s+(?P<reason>Forbidden|Filtered)\b""",
         r"""(?P<url>https?://[^\s"'\\]+?)\\?"?:\s+(?P<reason>Forbidden|Filtered)\b""",
         r"\brefresh request\b.*\b(?P<reason>Forbidden)\b",
         r"\bproxy\b.*\b403\b.*\b(?P<reason>Forbidden|Filtered)\b"),
        {"en": "A proxy server or firewall is blocking access to {host} (the connection was answered with Forbidden).",
         "nl": "Een proxyserver of firewall blokkeert de toegang tot {host} (de verbinding werd beantwoord met Forbidden)."},
        {"en": "Allow {host} on TCP 443 in the proxy or firewall (see the Azure Arc network requirements), or set the proxy that does allow it "
               "with azcmagent config set proxy.url. " + _CHECK_EN + ".",
         "nl": "Sta {host} op TCP 443 toe in de proxy of firewall (zie de netwerkvereisten van Azure Arc), of stel met azcmagent config set proxy.url "
               "een proxy in die het wel toestaat. " + _CHECK_NL + "."},
        ("url", "dial"),
    ),
    _rule(
        "proxy_auth_required", "proxy", "check_network", False, 80,
        ("Authentication", _STATUS_TRIGGER),
        (r"\bProxy Authentication Required\b", r"[Ss]tatus ?[Cc]ode\s*[=:]?\s*\"?407\b"),
        {"en": "The proxy server asks for authentication (HTTP 407); the agent does not support proxies that require credentials.",
         "nl": "De proxyserver vraagt om authenticatie (HTTP 407); de agent ondersteunt geen proxy's die inloggegevens vereisen."},
        {"en": "Let the machine use the proxy without authentication (for example allow it by source address) or use a proxy or Arc gateway "
               "that does not require credentials, then set it with azcmagent config set proxy.url.",
         "nl": "Laat de machine de proxy zonder authenticatie gebruiken (bijvoorbeeld op bronadres toestaan) of gebruik een proxy of Arc-gateway "
               "zonder inloggegevens, en stel die in met azcmagent config set proxy.url."},
        ("url",),
    ),
    _rule(
        "proxyconnect_failed", "proxy", "check_network", True, 82,
        ("proxyconnect",),
        (r"\bproxyconnect (?:tcp|udp)\b",),
        {"en": "The agent cannot connect to its proxy server {proxy}.",
         "nl": "De agent kan geen verbinding maken met zijn proxyserver {proxy}."},
        {"en": "Check that the proxy in proxy.url (azcmagent config get proxy.url) or HTTPS_PROXY is right and running and that the machine can "
               "reach it; correct it with azcmagent config set proxy.url, or clear it with azcmagent config clear proxy.url.",
         "nl": "Controleer of de proxy in proxy.url (azcmagent config get proxy.url) of HTTPS_PROXY klopt en draait en of de machine hem kan "
               "bereiken; corrigeer hem met azcmagent config set proxy.url of wis hem met azcmagent config clear proxy.url."},
        ("dial", "proxy"),
    ),
    _rule(
        "connection_refused", "network", "check_network", True, 60,
        ("onnection refused",),
        (r"\bconnection refused\b",),
        {"en": "The connection to {host} port {port} was refused: the port is closed or the service behind it is not running.",
         "nl": "De verbinding met {host} poort {port} werd geweigerd: de poort is dicht of de dienst erachter draait niet."},
        {"en": "Check that {host} listens on port {port} and that no firewall rejects the connection. " + _CHECK_EN + ".",
         "nl": "Controleer of {host} luistert op poort {port} en of geen firewall de verbinding weigert. " + _CHECK_NL + "."},
        ("url", "dial"),
    ),
    _rule(
        "connection_reset", "transient", "retry", True, 45,
        ("reset by peer", "EOF"),
        (r"\bconnection reset by peer\b", r"\bunexpected EOF\b", r":\s+EOF\s*$"),
        {"en": "The connection to {host} was cut off halfway (reset by the other side): a passing network fault or an overloaded endpoint.",
         "nl": "De verbinding met {host} werd halverwege verbroken (door de andere kant gereset): een tijdelijke netwerkstoring of een overbelast eindpunt."},
        {"en": "Try again in a moment. If it keeps happening, check for a proxy or firewall that cuts long connections. " + _CHECK_EN + ".",
         "nl": "Probeer het over enkele ogenblikken opnieuw. Gebeurt het steeds, controleer dan of een proxy of firewall lange verbindingen afbreekt. "
               + _CHECK_NL + "."},
        ("url", "dial"),
    ),
    _rule(
        "io_timeout", "network", "check_network", True, 50,
        ("imeout", "timed out", "deadline exceeded"),
        (r"\bi/o timeout\b", r"\bTLS handshake timeout\b", r"\bClient\.Timeout exceeded\b", r"\bconnection timed out\b",
         r"\bcontext deadline exceeded\b", r"\boperation timed out\b"),
        {"en": "The connection to {host} timed out: a firewall drops the traffic silently, or the network or the endpoint is too slow.",
         "nl": "De verbinding met {host} verliep (time-out): een firewall laat het verkeer stilletjes vallen, of het netwerk of het eindpunt is te traag."},
        {"en": _CHECK_EN + ". If the endpoint is reachable, try again later; otherwise open TCP 443 to {host} in the firewall or proxy.",
         "nl": _CHECK_NL + ". Is het eindpunt bereikbaar, probeer het later opnieuw; zo niet, open TCP 443 naar {host} in de firewall of proxy."},
        ("url", "dial"),
    ),
    _rule(
        "dns_no_such_host", "dns", "check_network", False, 70,
        ("no such host",),
        (r"\blookup (?P<host>[A-Za-z0-9_.-]+)(?: on (?P<resolver>[^\s:]+(?::[0-9]+)?))?: no such host",
         ),
        {"en": "The name {host} cannot be resolved: DNS answers that there is no such host.",
         "nl": "De naam {host} kan niet worden omgezet: DNS antwoordt dat deze host niet bestaat."},
        {"en": "Check the DNS servers in /etc/resolv.conf and that they resolve {host} (with Private Link: to the private endpoint). " + _CHECK_EN + ".",
         "nl": "Controleer de DNS-servers in /etc/resolv.conf en of ze {host} kunnen omzetten (bij Private Link: naar het privé-eindpunt). "
               + _CHECK_NL + "."},
        ("url",),
    ),
    _rule(
        "gpo_profile_cleanup", "local_config", "report", False, 40,
        ("no such host",),
        (r"\bdial tcp lookup (?P<host>[A-Za-z0-9_.-]+): no such host",),
        {"en": "The device login could not resolve {host}. The 2021 troubleshooting guide ties this message to the Windows Group Policy "
               "'Delete user profiles older than a specified number of days on system restart', which deletes the profile of the himds "
               "service account and with it the cached certificate the agent uses to talk to the service.",
         "nl": "De apparaataanmelding kon {host} niet omzetten. De probleemoplossingsgids van 2021 koppelt deze melding aan het Windows-groepsbeleid "
               "'Delete user profiles older than a specified number of days on system restart', dat het profiel van het himds-serviceaccount "
               "verwijdert en daarmee het certificaat dat de agent gebruikt om met de service te praten."},
        {"en": "Check whether that Group Policy applies to the machine (Windows) and whether DNS resolves {host}. Then disconnect the machine "
               "(azcmagent disconnect) and connect it again (azcmagent connect).",
         "nl": "Controleer of dat groepsbeleid op de machine van toepassing is (Windows) en of DNS {host} kan omzetten. Verbreek daarna de verbinding "
               "(azcmagent disconnect) en verbind de machine opnieuw (azcmagent connect)."},
    ),
    _rule(
        "tls_interception", "tls", "check_network", False, 78,
        ("x509", "dialing"),
        (r"\bx509: certificate signed by unknown authority\b",
         r"\bFailed to Tls dialing (?P<host>[A-Za-z0-9_.-]+)(?::(?P<port>[0-9]+))?",
         r"\bx509: certificate is (?:not valid|valid for [^,]*, not) ",
         r"\bx509: certificate has expired or is not yet valid\b",
         r"\bx509: "),
        {"en": "The TLS certificate presented for {host} is not trusted: a proxy or firewall inspects (intercepts) TLS traffic, or the CA store "
               "of the machine is incomplete.",
         "nl": "Het TLS-certificaat dat voor {host} wordt aangeboden is niet vertrouwd: een proxy of firewall inspecteert (onderschept) het TLS-verkeer, "
               "of de CA-store van de machine is onvolledig."},
        {"en": "Exclude the Azure Arc endpoints ({host} and the others of the network requirements) from TLS inspection in the proxy or firewall; "
               "the agent does not accept an intercepted connection. Also check the system clock and the CA bundle. " + _CHECK_EN + ".",
         "nl": "Sluit de Azure Arc-eindpunten ({host} en de andere uit de netwerkvereisten) uit van TLS-inspectie in de proxy of firewall; "
               "de agent accepteert geen onderschepte verbinding. Controleer ook de systeemklok en de CA-bundel. " + _CHECK_NL + "."},
        ("url", "dial"),
    ),
    _rule(
        "private_link_scope_required", "input", "report", False, 86,
        ("Private Link Scope",),
        (r"\bPrivate Link Scope resource ID must be provided(?: as endpoint (?P<host>[A-Za-z0-9_.-]+) is configured private)?",),
        {"en": "DNS resolves {host} to a private endpoint, so the machine must be onboarded with a Private Link Scope, and none was given.",
         "nl": "DNS zet {host} om naar een privé-eindpunt, dus de machine moet met een Private Link Scope worden verbonden, en die is niet opgegeven."},
        {"en": "Pass the resource ID of the Azure Arc Private Link Scope with --private-link-scope (or fix DNS if the machine should use the "
               "public endpoints).",
         "nl": "Geef de resource-ID van de Azure Arc Private Link Scope op met --private-link-scope (of corrigeer DNS als de machine de "
               "openbare eindpunten moet gebruiken)."},
    ),
    _rule(
        "scope_locked", "permissions", "report", False, 90,
        ("ocked",),
        (r"\bThe scope '(?P<scope>[^']+)' cannot perform (?P<operation>delete|write) operation because (?:the )?following scope\(s\) are "
         r"locked: '(?P<locked_scope>[^']+)'",
         r"\bcannot perform (?P<operation>delete|write) operation because (?:the )?following scope\(s\) are locked",
         r"\bScopeLocked\b"),
        {"en": "A resource lock on {locked_scope} prevents the {operation} operation on {scope}.",
         "nl": "Een resourcevergrendeling (lock) op {locked_scope} verhindert de bewerking {operation} op {scope}."},
        {"en": "Remove the lock (or ask its owner to) on {locked_scope} in the Azure portal or with az lock delete, then try again. "
               "Do not force a local disconnect: the resource would stay behind in Azure.",
         "nl": "Verwijder de vergrendeling op {locked_scope} (of vraag de eigenaar dat te doen) in de Azure-portal of met az lock delete, en probeer het "
               "opnieuw. Forceer geen lokale ontkoppeling: de resource blijft dan in Azure achter."},
        ("status", "arm_code"),
    ),
    _rule(
        "missing_subscription_registration", "providers", "register_providers", False, 92,
        ("to use namespace",),
        (r"\b(?:is not|isn't|is n't|not) registered to use namespace '(?P<namespace>[^']+)'",
         r"\bsubscription registration is in '(?P<registration_state>[^']+)' state\. The subscription must be registered to use namespace "
         r"'(?P<namespace>[^']+)'",
         r"\bregistered to use namespace '(?P<namespace>[^']+)'",
         r"\bMissingSubscriptionRegistration\b"),
        {"en": "The subscription is not registered for the resource provider {namespace}.",
         "nl": "Het abonnement is niet geregistreerd voor de resourceprovider {namespace}."},
        {"en": "Register the resource providers Microsoft.HybridCompute, Microsoft.GuestConfiguration and Microsoft.HybridConnectivity "
               "(az provider register --namespace {namespace}, or the arcops.azcmagent.resource_provider module), then try again.",
         "nl": "Registreer de resourceproviders Microsoft.HybridCompute, Microsoft.GuestConfiguration en Microsoft.HybridConnectivity "
               "(az provider register --namespace {namespace}, of de module arcops.azcmagent.resource_provider) en probeer het opnieuw."},
        ("status", "arm_code"),
    ),
    _rule(
        "authorization_failed", "permissions", "report", False, 90,
        ("uthoriz",),
        (r"\bThe client '(?P<principal>[^']*)' with object id '(?P<object_id>[^']*)' (?:does not|doesn't|does n't) have authorization to "
         r"perform action '(?P<action>[^']+)' over scope '(?P<scope>[^']+)'",
         r"\b(?:does not|doesn't|does n't) have authorization to perform action '(?P<action>[^']+)'(?: over scope '(?P<scope>[^']+)')?",
         r"\bAuthorizationFailed\b"),
        {"en": "{principal} does not have permission for {action} on {scope}.",
         "nl": "{principal} heeft geen toestemming voor {action} op {scope}."},
        {"en": "Give that identity the role Azure Connected Machine Onboarding (or Contributor) on the resource group or subscription; "
               "registering resource providers also needs Microsoft.*/register/action on the subscription. A new role assignment can take "
               "a few minutes to apply.",
         "nl": "Geef die identiteit de rol Azure Connected Machine Onboarding (of Inzender/Contributor) op de resourcegroep of het abonnement; "
               "voor het registreren van resourceproviders is ook Microsoft.*/register/action op het abonnement nodig. Een nieuwe roltoewijzing "
               "kan enkele minuten nodig hebben voordat die werkt."},
        ("status", "arm_code"),
    ),
    _rule(
        "invalid_client_secret", "credentials", "report", False, 95,
        ("AADSTS", "client secret"),
        (r"\bAADSTS7000215\b", r"\bInvalid client secret (?:is )?provided\b"),
        {"en": "The service principal secret is wrong: Entra ID rejected it (AADSTS7000215).",
         "nl": "Het geheim van de service-principal is onjuist: Entra ID heeft het geweigerd (AADSTS7000215)."},
        {"en": "Check the service principal secret: give the value of a current secret of the application, not the secret's ID. "
               "Do not retry with the same secret: repeated failures can lock the account.",
         "nl": "Controleer het geheim van de service-principal: geef de waarde van een geldig geheim van de applicatie op, niet de ID van het "
               "geheim. Probeer het niet opnieuw met hetzelfde geheim: herhaalde mislukkingen kunnen het account blokkeren."},
        ("app_id",),
    ),
    _rule(
        "expired_client_secret", "credentials", "report", False, 95,
        ("AADSTS",),
        (r"\bAADSTS7000222\b", r"\bclient secret keys for app '(?P<app_id>[^']+)' are expired\b"),
        {"en": "The client secret of the service principal has expired (AADSTS7000222).",
         "nl": "Het clientgeheim van de service-principal is verlopen (AADSTS7000222)."},
        {"en": "Create a new client secret for the application in Entra ID (https://aka.ms/NewClientSecret) or use a certificate, and update "
               "the secret in the inventory or vault.",
         "nl": "Maak in Entra ID een nieuw clientgeheim voor de applicatie (https://aka.ms/NewClientSecret) of gebruik een certificaat, en werk "
               "het geheim bij in de inventory of de kluis."},
        ("app_id",),
    ),
    _rule(
        "application_not_found", "credentials", "report", False, 94,
        ("AADSTS", "with identifier"),
        (r"\bApplication with identifier '(?P<app_id>[^']*)' (?:was not|wasn't|was n't) found in the directory '(?P<directory>[^']*)'",
         r"\bAADSTS700016\b"),
        {"en": "The application (service principal) {app_id} does not exist in the directory {directory}: the application ID or the tenant "
               "ID is wrong.",
         "nl": "De applicatie (service-principal) {app_id} bestaat niet in de directory {directory}: de applicatie-ID of de tenant-ID klopt "
               "niet."},
        {"en": "Check the service principal (application) ID and the tenant ID; the application must be registered (or consented) in the tenant "
               "of the subscription.",
         "nl": "Controleer de ID van de service-principal (applicatie) en de tenant-ID; de applicatie moet geregistreerd (of toegestaan) zijn in "
               "de tenant van het abonnement."},
    ),
    _rule(
        "tenant_not_found", "credentials", "report", False, 93,
        ("AADSTS",),
        (r"\bAADSTS90002: Tenant '?(?P<tenant>[^'\s]+?)'? not found",
         r"\bAADSTS90002\b"),
        {"en": "The tenant {tenant} does not exist in this cloud (AADSTS90002).",
         "nl": "De tenant {tenant} bestaat niet in deze cloud (AADSTS90002)."},
        {"en": "Check the tenant ID and the cloud (AzureCloud, AzureUSGovernment, AzureChinaCloud): the tenant must exist in the cloud the "
               "agent signs in to.",
         "nl": "Controleer de tenant-ID en de cloud (AzureCloud, AzureUSGovernment, AzureChinaCloud): de tenant moet bestaan in de cloud waarbij "
               "de agent zich aanmeldt."},
    ),
    _rule(
        "certificate_not_registered", "credentials", "report", False, 93,
        ("AADSTS",),
        (r"\bAADSTS700027\b", r"\bClient assertion contains an invalid signature\b",
         r"\bcertificate with identifier used to sign the client assertion is not registered on application\b"),
        {"en": "The certificate that signs the client assertion is not registered on the service principal (AADSTS700027).",
         "nl": "Het certificaat waarmee de client assertion is ondertekend, is niet geregistreerd bij de service-principal (AADSTS700027)."},
        {"en": "Upload the public certificate to the application's certificates in Entra ID, or use the certificate (PEM with private key) that "
               "is registered there.",
         "nl": "Upload het openbare certificaat bij de certificaten van de applicatie in Entra ID, of gebruik het certificaat (PEM met "
               "privésleutel) dat daar geregistreerd is."},
    ),
    _rule(
        "access_token_invalid", "credentials", "report", False, 88,
        ("Authentication",),
        (r"\b(?P<arm_code>InvalidAuthenticationToken|ExpiredAuthenticationToken|InvalidAuthenticationTokenAudience)\b",
         r"\bThe access token (?:is invalid|expiry UTC time|has been obtained for wrong audience)"),
        {"en": "Azure Resource Manager rejected the access token: it is invalid, expired or for another audience.",
         "nl": "Azure Resource Manager heeft het toegangstoken geweigerd: het is ongeldig, verlopen of voor een ander publiek (audience) bedoeld."},
        {"en": "Get a new access token for https://management.azure.com/ (tokens last about an hour) and try again, or use a service principal.",
         "nl": "Vraag een nieuw toegangstoken aan voor https://management.azure.com/ (tokens zijn ongeveer een uur geldig) en probeer het opnieuw, "
               "of gebruik een service-principal."},
        ("status",),
    ),
    _rule(
        "throttled", "throttling", "retry", True, 75,
        ("Requests", _STATUS_TRIGGER),
        (r"\b(?P<arm_code>SubscriptionRequestsThrottled|ResourceRequestsThrottled|TooManyRequests)\b",
         r"\bToo Many Requests\b",
         r"(?:[Ss]tatus ?[Cc]ode\s*[=:]?\s*\"?|RESPONSE )429\b"),
        {"en": "Azure throttled the requests (HTTP 429): too many calls in a short time for this subscription or resource.",
         "nl": "Azure heeft de aanvragen afgeremd (HTTP 429): te veel aanroepen in korte tijd voor dit abonnement of deze resource."},
        {"en": "Wait at least {retry_after} seconds and try again; onboard fewer machines at a time (a lower Ansible forks or serial) if it "
               "keeps happening.",
         "nl": "Wacht minstens {retry_after} seconden en probeer het opnieuw; verbind minder machines tegelijk (lagere forks of serial in Ansible) "
               "als het blijft gebeuren."},
        ("retry_after", "status", "arm_code"),
    ),
    _rule(
        "arm_server_error", "transient", "retry", True, 45,
        (_STATUS_TRIGGER,),
        (r"(?:[Ss]tatus ?[Cc]ode\s*[=:]?\s*\"?|RESPONSE )(?P<status>5[0-9][0-9])\b",
         r"\b(?P<arm_code>InternalServerError|ServiceUnavailable|GatewayTimeout|BadGateway)\b"),
        {"en": "Azure answered with a server error (HTTP {status}): the service had a temporary problem.",
         "nl": "Azure antwoordde met een serverfout (HTTP {status}): de service had een tijdelijk probleem."},
        {"en": "Try again after a short wait; if it keeps failing, check the Azure status page and open a support case with the correlation ID.",
         "nl": "Probeer het na korte tijd opnieuw; blijft het mislukken, kijk dan op de Azure-statuspagina en open een supportaanvraag met de "
               "correlatie-ID."},
        ("status", "arm_code", "url"),
    ),
    _rule(
        "fqdn_unknown", "platform", "report", False, 84,
        ("FqdnDNS",),
        (r"\bFailed to obtain FqdnDNS\b(?:: lookup (?P<host>[A-Za-z0-9_.-]+))?",),
        {"en": "The agent could not find the machine's fully qualified domain name while collecting OS information.",
         "nl": "De agent kon de volledige domeinnaam (FQDN) van de machine niet vinden bij het verzamelen van de OS-gegevens."},
        {"en": "Make the host name resolvable (hostname -f must answer: add it to /etc/hosts or DNS), then connect again.",
         "nl": "Zorg dat de hostnaam kan worden omgezet (hostname -f moet antwoorden: zet hem in /etc/hosts of DNS) en verbind opnieuw."},
    ),
    _rule(
        "clock_skew", "platform", "report", False, 85,
        ("change token", "AADSTS"),
        (r"\binvalid change token\b", r"\bAADSTS700024\b", r"\bClient assertion is not within its valid time range\b"),
        {"en": "The system clock is wrong: tokens are rejected as not yet or no longer valid (clock skew).",
         "nl": "De systeemklok staat verkeerd: tokens worden geweigerd als nog niet of niet meer geldig (klokverschil)."},
        {"en": "Synchronise the clock with NTP (chrony or systemd-timesyncd), check the time zone, then try again.",
         "nl": "Synchroniseer de klok met NTP (chrony of systemd-timesyncd), controleer de tijdzone en probeer het opnieuw."},
    ),
    _rule(
        "not_root", "permissions", "escalate", True, 96,
        ("must be root", "dministrative privileges"),
        (r"\bYou must be root to (?:execute|run)\b(?: (?P<path>\S+))?",
         r"\bexecuted without administrative privileges\b",
         r"\bAdministrative privileges required\b"),
        {"en": "The agent was run without root privileges; connect, disconnect and config need root.",
         "nl": "De agent is zonder rootrechten uitgevoerd; connect, disconnect en config hebben rootrechten nodig."},
        {"en": "Run the command as root: with Ansible, set become: true (sudo) on the task or play.",
         "nl": "Voer de opdracht uit als root: zet in Ansible become: true (sudo) op de taak of het play."},
    ),
    _rule(
        "device_code_login", "credentials", "report", False, 65,
        ("devicelogin",),
        (r"\bTo sign in, use a web browser to open the page (?P<url>https?://\S*devicelogin)\b",
         r"https?://\S*devicelogin\b"),
        {"en": "The agent fell back to an interactive device-code sign-in, which nobody completes in an unattended run: no service principal "
               "or access token was given.",
         "nl": "De agent viel terug op een interactieve aanmelding met apparaatcode, die niemand voltooit in een onbewaakte run: er is geen "
               "service-principal of toegangstoken opgegeven."},
        {"en": "Give a service principal (azcmagent_service_principal_id and azcmagent_service_principal_secret) or an access token "
               "(azcmagent_access_token) together with azcmagent_tenant_id.",
         "nl": "Geef een service-principal op (azcmagent_service_principal_id en azcmagent_service_principal_secret) of een toegangstoken "
               "(azcmagent_access_token), samen met azcmagent_tenant_id."},
    ),
    _rule(
        "resource_group_not_found", "input", "report", False, 70,
        ("could not be found",),
        (r"\bResource group '(?P<resource_group>[^']+)' could not be found\b", r"\bResourceGroupNotFound\b"),
        {"en": "The resource group {resource_group} does not exist (or the identity cannot see it).",
         "nl": "De resourcegroep {resource_group} bestaat niet (of de identiteit kan hem niet zien)."},
        {"en": "Create the resource group or correct its name (azcmagent_resource_group), and check that the identity has access to it.",
         "nl": "Maak de resourcegroep aan of corrigeer de naam (azcmagent_resource_group), en controleer of de identiteit er toegang toe heeft."},
        ("status", "arm_code"),
    ),
    _rule(
        "subscription_not_found", "input", "report", False, 70,
        ("could not be found",),
        (r"\bThe subscription '(?P<subscription>[^']+)' could not be found\b", r"\bSubscriptionNotFound\b"),
        {"en": "The subscription {subscription} does not exist in this tenant (or the identity cannot see it).",
         "nl": "Het abonnement {subscription} bestaat niet in deze tenant (of de identiteit kan het niet zien)."},
        {"en": "Check the subscription ID (azcmagent_subscription_id), the tenant and the cloud.",
         "nl": "Controleer de abonnements-ID (azcmagent_subscription_id), de tenant en de cloud."},
        ("status", "arm_code"),
    ),
)

RULE_IDS = tuple(rule["id"] for rule in RULES)
_RULES_BY_ID = dict((rule["id"], rule) for rule in RULES)
_ORDER = dict((rule["id"], index) for index, rule in enumerate(RULES))


def _build_triggers():
    """Group the rules by trigger: ((literal or compiled regex, (rule, ...)), ...), in first-use order."""
    table = []
    index = {}
    for rule in RULES:
        for trigger in rule["triggers"]:
            key = trigger if isinstance(trigger, str) else ("re", trigger.pattern)
            if key not in index:
                index[key] = len(table)
                table.append((trigger, []))
            table[index[key]][1].append(rule)
    return tuple((trigger, tuple(rules)) for trigger, rules in table)


_TRIGGERS = _build_triggers()

# Literal triggers at least this long are searched with str.find, shorter ones with a regex.
_FIND_MIN_LEN = 10
_LITERAL_RES = dict((trigger, re.compile(re.escape(trigger))) for trigger, dummy in _TRIGGERS if isinstance(trigger, str))


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------

class _Fill(dict):
    """A mapping for str.format_map that falls back to language defaults for missing details."""

    def __init__(self, details, defaults):
        super(_Fill, self).__init__(defaults)
        self.update((key, value) for key, value in details.items() if value not in (None, ""))

    def __missing__(self, key):
        return "{" + key + "}"


def _fill(template, details, lang):
    return template.format_map(_Fill(details, _DEFAULTS[lang]))


def redact(text):
    """Replace secrets (secret flags, form fields, bearer tokens, device login codes) in text by asterisks."""
    for regex in _REDACT_RES:
        text = regex.sub(lambda m: m.group("keep") + _REDACTED, text)
    return text


def _trim_url(url):
    return url.rstrip(".,;:)'\"]")


def _host_of(url):
    match = _URL_HOST_RE.match(url)
    return match.group("host").strip("[]").lower() if match else None


def _extract(line, kinds, details):
    """Add the generic details named in kinds (url, dial, status, arm_code, retry_after, app_id) found in line."""
    if "url" in kinds and "url" not in details:
        match = _URL_RE.search(line)
        if match:
            url = _trim_url(match.group("url"))
            details["url"] = url
            details.setdefault("host", _host_of(url))
    elif "url" in details and details.get("url"):
        details["url"] = _trim_url(details["url"])
        details.setdefault("host", _host_of(details["url"]))
    if "dial" in kinds:
        match = _DIAL_RE.search(line)
        if match:
            addr = match.group("addr").strip("[]")
            details["port"] = match.group("port")
            if _IPV4_RE.match(addr) or ":" in addr:
                details["ip"] = addr
                details.setdefault("host", addr)
            else:
                details.setdefault("host", addr.lower())
            if "proxy" in kinds:
                details["proxy"] = "%s:%s" % (addr, match.group("port"))
    if "status" in kinds and "status" not in details:
        match = _STATUS_RE.search(line)
        if match:
            details["status"] = int(match.group("status"))
    if "arm_code" in kinds and "arm_code" not in details:
        match = _ARM_CODE_RE.search(line)
        if match:
            details["arm_code"] = match.group("arm_code")
    if "retry_after" in kinds:
        match = _RETRY_AFTER_RE.search(line)
        if match:
            details["retry_after"] = int(match.group("retry_after"))
    if "app_id" in kinds and "app_id" not in details:
        match = re.search(r"\bapp '(?P<app_id>" + _GUID + r")'", line)
        if match:
            details["app_id"] = match.group("app_id")
    if isinstance(details.get("status"), str) and details["status"].isdigit():
        details["status"] = int(details["status"])
    return details


def _match_rule(rule, window):
    """Search the rule's patterns in window; return (match, details) or (None, None)."""
    first = None
    details = {}
    for pattern in rule["patterns"]:
        match = pattern.search(window)
        if match is None:
            continue
        if first is None:
            first = match
        elif not pattern.groupindex:
            continue
        # Later patterns may capture more details of the same line (e.g. the host after "Failed to Tls dialing").
        for key, value in match.groupdict().items():
            if value is not None:
                details.setdefault(key, value)
    return (first, details) if first is not None else (None, None)


def _evidence(window, match):
    line = window
    if len(line) > MAX_EVIDENCE_CHARS:
        half = MAX_EVIDENCE_CHARS // 2
        start = max(0, match.start() - half)
        end = min(len(line), start + MAX_EVIDENCE_CHARS)
        line = ("..." if start else "") + line[start:end] + ("..." if end < len(line) else "")
    return redact(line.strip())


def _scan_trigger(text, trigger, rules, per_rule):
    """Find the lines holding trigger and match its rules there; append raw hits to per_rule[id]."""
    # Long literals are fastest with str.find (it skips ahead); short ones with a compiled regex.
    finder = None
    if isinstance(trigger, str):
        if len(trigger) >= _FIND_MIN_LEN:
            finder = text.find
        else:
            trigger = _LITERAL_RES[trigger]
    length = len(text)
    pos = 0
    seen_lines = set()
    counts = dict((rule["id"], 0) for rule in rules)
    active = list(rules)
    while active:
        if finder is not None:
            hit = finder(trigger, pos)
            if hit < 0:
                return
        else:
            found = trigger.search(text, pos)
            if found is None:
                return
            hit = found.start()
        line_start = text.rfind("\n", 0, hit) + 1
        line_end = text.find("\n", hit)
        if line_end < 0:
            line_end = length
        if line_end - line_start > 2 * _WINDOW:
            # A very long line: look around the hit only, and go on after the window.
            start = max(line_start, hit - _WINDOW)
            end = min(line_end, hit + _WINDOW)
            pos = end if end > hit else hit + 1
        else:
            start, end = line_start, line_end
            pos = line_end + 1
        window = text[start:end]
        if window in seen_lines:
            continue
        if len(seen_lines) < _SEEN_LINES_MAX:
            seen_lines.add(window)
        for rule in list(active):
            match, details = _match_rule(rule, window)
            if match is None:
                continue
            evidence = _evidence(window, match)
            bucket = per_rule.setdefault(rule["id"], {})
            if evidence in bucket:
                # Keep the first position of an evidence line.
                if start < bucket[evidence][0]:
                    bucket[evidence] = (start, window, details)
                continue
            bucket[evidence] = (start, window, details)
            counts[rule["id"]] += 1
            if counts[rule["id"]] >= MAX_FINDINGS_PER_ID:
                active.remove(rule)
        if pos > length:
            return


def _finding(rule, evidence, window, details, lang):
    details = _extract(window, rule["extract"], details)
    return {
        "id": rule["id"],
        "category": rule["category"],
        "cause": _fill(rule["cause"][lang], details, lang),
        "remediation": _fill(rule["remediation"][lang], details, lang),
        "evidence": evidence,
        "action": rule["action"],
        "retryable": rule["retryable"],
        "details": details,
    }


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------

def classify(text, lang="en"):
    """Return the findings (list of dicts) for the known errors in text, in order of appearance.

    Findings are unique per id and evidence line, and at most MAX_FINDINGS_PER_ID per id
    (the first ones). Raises TypeError when text is not a string and ValueError for a
    language other than ``en`` / ``nl``.
    """
    lang = normalize_lang(lang)
    if not isinstance(text, str):
        raise TypeError("classify() expects a string, got %s" % type(text).__name__)
    if not text:
        return []
    per_rule = {}
    for trigger, rules in _TRIGGERS:
        _scan_trigger(text, trigger, rules, per_rule)
    hits = []
    for rule_id, bucket in per_rule.items():
        first = sorted(bucket.items(), key=lambda item: item[1][0])[:MAX_FINDINGS_PER_ID]
        for evidence, (position, window, details) in first:
            hits.append((position, _ORDER[rule_id], rule_id, evidence, window, details))
    hits.sort(key=lambda hit: (hit[0], hit[1]))
    return [_finding(_RULES_BY_ID[rule_id], evidence, window, dict(details), lang) for dummy, dummy2, rule_id, evidence, window, details in hits]


def translate_finding(finding, lang="en"):
    """Return a copy of a finding with cause and remediation in lang (unknown ids are returned unchanged)."""
    lang = normalize_lang(lang)
    finding = dict(finding)
    rule = _RULES_BY_ID.get(finding.get("id"))
    if rule is not None:
        details = finding.get("details") if isinstance(finding.get("details"), dict) else {}
        finding["cause"] = _fill(rule["cause"][lang], details, lang)
        finding["remediation"] = _fill(rule["remediation"][lang], details, lang)
    return finding


def rule_weight(rule_id):
    """How strongly a finding of rule_id explains a failure (higher is more specific); 0 for an unknown id."""
    rule = _RULES_BY_ID.get(rule_id)
    return rule["weight"] if rule else 0


def strongest(findings):
    """The most specific finding of a list (highest weight, then first), or None."""
    best = None
    for finding in findings or ():
        if not isinstance(finding, dict):
            continue
        if best is None or rule_weight(finding.get("id")) > rule_weight(best.get("id")):
            best = finding
    return best
