# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Known error texts of the agent, Entra ID and Resource Manager -> findings.

PRIVATE: this module is private to the arcops.azcmagent collection and may change at any time.

:func:`classify` finds every known error in a text (console output, ``azcmagent.log``,
a module result's lines) and returns one *finding* per distinct evidence line:
``id``, ``category``, ``cause``, ``remediation`` (English or Dutch), ``evidence`` (the
whole line that matched, stripped, secrets scrubbed by ``_secrets``), ``action``, ``retryable``
and ``details`` (what the pattern captured: ``host``, ``url``, ``ip``, ``port``, ``action``,
``scope``, ``namespace``, ``retry_after``, ``arm_code``, ``status``, ...).

A finding id means the same thing everywhere: its category, action, retryability and weight
come from the registry of finding kinds (``_findings``), its texts from the text table
(``_texts``, keys ``diagnosis.<id>.cause`` / ``.remediation``). A :class:`Rule` here says only
how to *recognise* the error.

How it stays fast on a 100 MB log: every rule names *triggers*, literal strings (or
regular expressions that start with a literal) at least one of which occurs in every
text the rule matches. Each trigger is searched over the whole text with C-speed
``str.find`` / compiled-regex scans; only the lines where a trigger occurs are given to
the rule's own regular expressions. A trigger stops scanning once each of its rules has
:data:`MAX_FINDINGS_PER_ID` findings, so a log full of the same failure costs no more
than a clean one. Standard library only, Python 3.8+.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._findings import KINDS, Finding, FindingKind, weight
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_console import LEVEL_LINE_RE
from ansible_collections.arcops.azcmagent.plugins.module_utils._secrets import scrub
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import TEXTS, normalize_lang
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import text as _text

__all__ = ["MAX_FINDINGS_PER_ID", "MAX_EVIDENCE_CHARS", "Finding", "Rule", "RULES", "RULE_IDS", "classify", "translate_finding",
           "rule_weight", "strongest", "classify_positions"]

#: At most this many findings per rule id: the first ones in order of appearance, and the latest.
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

# The application ID in an Entra ID error: `... for a secret added to app '<guid>'`.
_APP_ID_RE = re.compile(r"\bapp '(?P<app_id>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})'")

# The generic details a rule may ask for (Rule.extract).
_EXTRACT_KINDS = frozenset(("url", "dial", "proxy", "status", "arm_code", "retry_after", "app_id"))

# --------------------------------------------------------------------------------------
# The rules. One per known error; patterns are searched on the line of a trigger hit.
# Named groups become details, which fill the {placeholders} of the finding's texts.
# --------------------------------------------------------------------------------------

Trigger = t.Union[str, "re.Pattern[str]"]


@dataclasses.dataclass(frozen=True)
class Rule:
    """How to recognise one known error: the finding id it gives, its triggers (literals, or regexes that start with a
    literal, one of which occurs in every text the rule matches), its patterns (compiled case-insensitively; the first
    that matches decides, later ones may add details) and the generic details to extract (:data:`_EXTRACT_KINDS`)."""

    id: str
    triggers: tuple[Trigger, ...]
    patterns: tuple[re.Pattern[str], ...]
    extract: tuple[str, ...] = ()
    assumed: str = ""

    @classmethod
    def build(cls, *, id: str, triggers: tuple[Trigger, ...], patterns: tuple[str, ...],  # pylint: disable=redefined-builtin
              extract: tuple[str, ...] = (), assumed: str = "") -> Rule:
        """A rule from keywords; the patterns are compiled here, once, at import time.

        ``assumed`` says why the rule exists although no capture of the sourced corpus (``fixtures/real/``) triggers
        it (e.g. the text is quoted only by Microsoft's troubleshooting guide, or by no public source at all). A rule
        without it must be triggered by at least one capture of the corpus; a unit test counts both."""
        if id not in KINDS or not KINDS[id].rule:
            raise ValueError(f"rule {id!r} has no finding kind with rule=True in _findings")
        if not set(extract) <= _EXTRACT_KINDS:
            raise ValueError(f"rule {id!r}: unknown extract kinds {sorted(set(extract) - _EXTRACT_KINDS)}")
        return cls(id=id, triggers=tuple(triggers), patterns=tuple(re.compile(p, re.IGNORECASE) for p in patterns), extract=tuple(extract),
                   assumed=assumed)

    @property
    def kind(self) -> FindingKind:
        """The finding kind of this rule (category, action, retryable, weight)."""
        return KINDS[self.id]


# One scan for the HTTP statuses that rules care about (5xx, 429 throttling, 407 proxy authentication),
# as the agent logs them: `Status Code=503`, `Status Code="429"`, `httpStatusCode:407`, `StatusCode: 502`.
_STATUS_TRIGGER = re.compile(r"""tatus ?[Cc]ode\s*[=:]?\s*"?(?:5[0-9][0-9]|429|407)\b""")

RULES: tuple[Rule, ...] = (
    Rule.build(
        id="network_unreachable",
        triggers=("unreachable", "route to host"),
        patterns=(r"\bnetwork is unreachable\b", r"\bno route to host\b", r"\bhost is unreachable\b"),
        extract=("url", "dial"),
        assumed="no capture in the corpus; the text is quoted by Microsoft's troubleshooting guide (troubleshoot-agent-onboard, connection errors table)",
    ),
    Rule.build(
        id="proxy_forbidden",
        triggers=("Forbidden", ": Filtered"),
        patterns=(
            r"\bnetwork is Forbidden\b",
            r"""(?P<method>\b(?:GET|POST|PUT|DELETE|PATCH|HEAD))\s+\\?"?(?P<url>https?://[^\s"'\\]+?)\\?"?:\s+(?P<reason>Forbidden|Filtered)\b""",
            r"""(?P<url>https?://[^\s"'\\]+?)\\?"?:\s+(?P<reason>Forbidden|Filtered)\b""",
            r"\brefresh request\b.*\b(?P<reason>Forbidden)\b",
            r"\bproxy\b.*\b403\b.*\b(?P<reason>Forbidden|Filtered)\b",
        ),
        extract=("url", "dial"),
        assumed="no capture in the corpus; the text is quoted by Microsoft's troubleshooting guide (troubleshoot-agent-onboard, connection errors table)",
    ),
    Rule.build(
        id="proxy_auth_required",
        triggers=("Authentication", _STATUS_TRIGGER),
        patterns=(r"\bProxy Authentication Required\b", r"[Ss]tatus ?[Cc]ode\s*[=:]?\s*\"?407\b"),
        extract=("url",),
        assumed='HTTP 407 from a proxy; no capture of the agent behind an authenticating proxy was found',
    ),
    Rule.build(
        id="proxyconnect_failed",
        triggers=("proxyconnect",),
        patterns=(r"\bproxyconnect (?:tcp|udp)\b",),
        extract=("dial", "proxy"),
        assumed="Go's 'proxyconnect tcp' text; no capture of the agent with an unreachable proxy was found",
    ),
    Rule.build(
        id="connection_refused",
        triggers=("onnection refused",),
        patterns=(r"\bconnection refused\b",),
        extract=("url", "dial"),
        assumed="Go's dialer text; no capture of the agent refusing a connection was found",
    ),
    Rule.build(
        id="connection_reset",
        triggers=("reset by peer", "EOF"),
        patterns=(r"\bconnection reset by peer\b", r"\bunexpected EOF\b", r":\s+EOF\s*$"),
        extract=("url", "dial"),
        assumed="Go's transport text; the real Windows wording ('forcibly closed by the remote host', C-13955) is not matched",
    ),
    Rule.build(
        id="io_timeout",
        triggers=("imeout", "timed out", "deadline exceeded"),
        patterns=(
            r"\bi/o timeout\b",
            r"\bTLS handshake timeout\b",
            r"\bClient\.Timeout exceeded\b",
            r"\bconnection timed out\b",
            r"\bcontext deadline exceeded\b",
            r"\boperation timed out\b",
        ),
        extract=("url", "dial"),
        assumed="Go's net/http timeout texts; no capture of the agent timing out was found",
    ),
    Rule.build(
        id="dns_no_such_host",
        triggers=("no such host",),
        patterns=(
            r"\blookup (?P<host>[A-Za-z0-9_.-]+)(?: on (?P<resolver>[^\s:]+(?::[0-9]+)?))?: no such host",
        ),
        extract=("url",),
        assumed="no capture in the corpus; Microsoft's troubleshooting guide quotes 'dial tcp lookup <host>: no such host' (Go's resolver error)",
    ),
    Rule.build(
        id="gpo_profile_cleanup",
        triggers=("no such host",),
        patterns=(r"\bdial tcp lookup (?P<host>[A-Za-z0-9_.-]+): no such host",),
        assumed="no capture in the corpus; the text is quoted by Microsoft's troubleshooting guide (troubleshoot-agent-onboard, connection errors table)",
    ),
    Rule.build(
        id="tls_interception",
        triggers=("x509", "dialing"),
        patterns=(
            r"\bx509: certificate signed by unknown authority\b",
            r"\bFailed to Tls dialing (?P<host>[A-Za-z0-9_.-]+)(?::(?P<port>[0-9]+))?",
            r"\bx509: certificate is (?:not valid|valid for [^,]*, not) ",
            r"\bx509: certificate has expired or is not yet valid\b",
            r"\bx509: ",
        ),
        extract=("url", "dial"),
    ),
    Rule.build(
        id="private_link_scope_required",
        triggers=("Private Link Scope",),
        patterns=(r"\bPrivate Link Scope resource ID must be provided(?: as endpoint (?P<host>[A-Za-z0-9_.-]+) is configured private)?",),
    ),
    Rule.build(
        id="scope_locked",
        triggers=("ocked",),
        patterns=(
            r"\bThe scope '(?P<scope>[^']+)' cannot perform (?P<operation>delete|write) operation because (?:the )?following scope\(s\) are "
            r"locked: '(?P<locked_scope>[^']+)'",
            r"\bcannot perform (?P<operation>delete|write) operation because (?:the )?following scope\(s\) are locked",
            r"\bScopeLocked\b",
        ),
        extract=("status", "arm_code"),
    ),
    Rule.build(
        id="missing_subscription_registration",
        # the ARM code triggers too: a localized agent translates the sentence around it, never the code
        triggers=("to use namespace", "MissingSubscriptionRegistration"),
        patterns=(
            r"\b(?:is not|isn't|is n't|not) registered to use namespace '(?P<namespace>[^']+)'",
            r"\bsubscription registration is in '(?P<registration_state>[^']+)' state\. The subscription must be registered to use namespace "
            r"'(?P<namespace>[^']+)'",
            r"\bregistered to use namespace '(?P<namespace>[^']+)'",
            r"\bMissingSubscriptionRegistration\b",
        ),
        extract=("status", "arm_code"),
    ),
    Rule.build(
        id="authorization_failed",
        triggers=("uthoriz",),
        patterns=(
            r"\bThe client '(?P<principal>[^']*)' with object id '(?P<object_id>[^']*)' (?:does not|doesn't|does n't) have authorization to "
            r"perform action '(?P<action>[^']+)' over scope '(?P<scope>[^']+)'",
            r"\b(?:does not|doesn't|does n't) have authorization to perform action '(?P<action>[^']+)'(?: over scope '(?P<scope>[^']+)')?",
            r"\bAuthorizationFailed\b",
        ),
        extract=("status", "arm_code"),
    ),
    Rule.build(
        id="invalid_client_secret",
        triggers=("AADSTS", "client secret"),
        patterns=(r"\bAADSTS7000215\b", r"\bInvalid client secret (?:is )?provided\b"),
        extract=("app_id",),
        assumed=("no capture in the corpus; the text is quoted by Microsoft's troubleshooting guide (troubleshoot-agent-onboard, "
                 "connection errors table); AADSTS7000215 from the agent: not found"),
    ),
    Rule.build(
        id="expired_client_secret",
        triggers=("AADSTS",),
        patterns=(r"\bAADSTS7000222\b", r"\bclient secret keys for app '(?P<app_id>[^']+)' are expired\b"),
        extract=("app_id",),
        assumed="Entra ID's AADSTS7000222 text; no capture from the agent was found",
    ),
    Rule.build(
        id="application_not_found",
        triggers=("AADSTS", "with identifier"),
        patterns=(
            r"\bApplication with identifier '(?P<app_id>[^']*)' (?:was not|wasn't|was n't) found in the directory '(?P<directory>[^']*)'",
            r"\bAADSTS700016\b",
        ),
    ),
    Rule.build(
        id="tenant_not_found",
        triggers=("AADSTS",),
        patterns=(
            r"\bAADSTS90002: Tenant '?(?P<tenant>[^'\s]+?)'? not found",
            r"\bAADSTS90002\b",
        ),
        assumed="Entra ID's AADSTS90002 text; no capture from the agent was found",
    ),
    Rule.build(
        id="certificate_not_registered",
        triggers=("AADSTS",),
        patterns=(
            r"\bAADSTS700027\b",
            r"\bClient assertion contains an invalid signature\b",
            r"\bcertificate with identifier used to sign the client assertion is not registered on application\b",
        ),
        assumed="Entra ID's AADSTS700027 text; no capture from the agent was found",
    ),
    Rule.build(
        id="access_token_invalid",
        triggers=("Authentication",),
        patterns=(
            r"\b(?P<arm_code>InvalidAuthenticationToken|ExpiredAuthenticationToken|InvalidAuthenticationTokenAudience)\b",
            r"\bThe access token (?:is invalid|expiry UTC time|has been obtained for wrong audience)",
        ),
        extract=("status",),
        assumed="Resource Manager's InvalidAuthenticationToken codes; no capture from the agent was found",
    ),
    Rule.build(
        id="throttled",
        triggers=("Requests", _STATUS_TRIGGER),
        patterns=(
            r"\b(?P<arm_code>SubscriptionRequestsThrottled|ResourceRequestsThrottled|TooManyRequests)\b",
            r"\bToo Many Requests\b",
            r"(?:[Ss]tatus ?[Cc]ode\s*[=:]?\s*\"?|RESPONSE )429\b",
        ),
        extract=("retry_after", "status", "arm_code"),
        assumed="Resource Manager's 429 codes; the only real 429 block is from another azcore tool (azqr), none from the agent",
    ),
    Rule.build(
        id="arm_server_error",
        triggers=(_STATUS_TRIGGER, "InternalServerError", "ServiceUnavailable", "GatewayTimeout", "BadGateway"),
        patterns=(
            r"(?:[Ss]tatus ?[Cc]ode\s*[=:]?\s*\"?|RESPONSE )(?P<status>5[0-9][0-9])\b",
            r"\b(?P<arm_code>InternalServerError|ServiceUnavailable|GatewayTimeout|BadGateway)\b",
        ),
        extract=("status", "arm_code", "url"),
        assumed="Resource Manager's 5xx answers; no capture from the agent was found",
    ),
    Rule.build(
        id="fqdn_unknown",
        triggers=("FqdnDNS",),
        patterns=(r"\bFailed to obtain FqdnDNS\b(?:: lookup (?P<host>[A-Za-z0-9_.-]+))?",),
    ),
    Rule.build(
        id="clock_skew",
        triggers=("change token", "AADSTS"),
        patterns=(r"\binvalid change token\b", r"\bAADSTS700024\b", r"\bClient assertion is not within its valid time range\b"),
        assumed="AADSTS700024 and 'invalid change token'; only a third-party blog quotes the latter, not re-verified",
    ),
    Rule.build(
        id="not_root",
        triggers=("must be root", "dministrative privileges"),
        patterns=(
            r"\bYou must be root to (?:execute|run)\b(?: (?P<path>\S+))?",
            r"\bexecuted without administrative privileges\b",
            r"\bAdministrative privileges required\b",
        ),
    ),
    Rule.build(
        id="device_code_login",
        triggers=("devicelogin",),
        patterns=(
            r"\bTo sign in, use a web browser to open the page (?P<url>https?://\S*devicelogin)\b",
            r"https?://\S*devicelogin\b",
        ),
    ),
    Rule.build(
        id="resource_group_not_found",
        triggers=("could not be found", "ResourceGroupNotFound"),
        patterns=(r"\bResource group '(?P<resource_group>[^']+)' could not be found\b", r"\bResourceGroupNotFound\b"),
        extract=("status", "arm_code"),
        assumed="Resource Manager's ResourceGroupNotFound; no capture from the agent was found",
    ),
    Rule.build(
        id="subscription_not_found",
        triggers=("could not be found", "SubscriptionNotFound"),
        patterns=(r"\bThe subscription '(?P<subscription>[^']+)' could not be found\b", r"\bSubscriptionNotFound\b"),
        extract=("status", "arm_code"),
        assumed="Resource Manager's SubscriptionNotFound; no capture from the agent was found",
    ),
    # -- the agent's own network check (before connecting; skipped with --ignore-network-check) --------------
    Rule.build(
        id="private_endpoint_no_scope",
        triggers=("Private Link Scope",),
        # connect/azurelocal-184-private-endpoint-no-scope.txt (agent 1.55)
        patterns=(r"\bNo indication of Private Link Scope but found private endpoint (?P<host>[A-Za-z0-9_.-]+)(?::[ \t]*(?P<ip>[0-9A-Fa-f.:*]+))?",),
    ),
    Rule.build(
        id="tls_remote_error",
        triggers=("tls: handshake failure",),
        # connect/sentinel-13955-required-endpoints-tls.txt
        patterns=(r"\bremote error: tls: handshake failure\b",),
        extract=("url",),
    ),
    Rule.build(
        id="endpoints_unavailable",
        triggers=("endpoints unavailable",),
        # connect/sentinel-13955-required-endpoints-tls.txt
        patterns=(r"\brequired endpoints unavailable: (?P<url>https?://[^\s(]+)",),
    ),
    # -- install stage: apt/dpkg, dnf/yum, zypper, Microsoft's install script, the Windows installer ------------
    Rule.build(
        id="install_no_systemd",
        triggers=("booted with systemd",),
        # install/wsl-6316-no-systemd.txt, install/wsl-6316-upgrade-no-systemd.txt
        patterns=(r"\bSystem has not been booted with systemd as init system\b",),
    ),
    Rule.build(
        id="install_package_not_found",
        triggers=("Unable to locate package", "No match for argument", "No package", "No provider of", "' was not found",
                  "installation candidate"),
        patterns=(
            r"\bE: Unable to locate package (?P<package>[\w.+:=-]+)",  # install/linux-package-repositories-90-apt-arm64.txt
            # apt-get for a version the repository does not hold (apt's own text; the install role's test makes it)
            r"\bE: Version '(?P<version>[^'\n]+)' for '(?P<package>[\w.+:-]+)' was not found",
            # ansible.builtin.apt's message for a wanted version it cannot find, and apt-get's for a package without one
            r"\bno available installation candidate for (?P<package>[\w.+:-]+?)(?:=(?P<version>[^\s\"']+))?(?=[\s\"']|$)",
            r"\bE: Package '(?P<package>[\w.+:-]+)' has no installation candidate",
            # dnf, yum and zypper as the tools print a missing package (tool texts, not captured with the agent)
            r"\bNo match for argument: (?P<package>[\w.+:=-]+)",
            r"\bNo package (?P<package>[\w.+:=-]+) available\b",
            r"\bNo package matching '(?P<package>[^']+)' is available\b",  # ansible.builtin.apt's message
            r"\bNo provider of '(?P<package>[^']+)' found\b",
        ),
    ),
    Rule.build(
        id="install_repository_unavailable",
        triggers=("repomd.xml", "Failed to download metadata", "does not have a Release file", "Valid metadata not found"),
        patterns=(
            # install/linux-package-repositories-84-yum-404.txt
            r"(?P<url>https?://\S+/repomd\.xml): \[Errno 14\] HTTPS? Error (?P<status>[0-9]{3})",
            r"\bfailure: repodata/repomd\.xml from (?P<repository>\S+): \[Errno 256\] No more mirrors to try",
            # dnf, apt and zypper as the tools print an unreadable repository (tool texts, not captured with the agent)
            r"\bFailed to download metadata for repo '(?P<repository>[^']+)'",
            r"\bThe repository '(?P<url>[^']+)' does not have a Release file\b",
            r"\bValid metadata not found at specified URL\b",
        ),
        extract=("url",),
    ),
    Rule.build(
        id="install_signature_invalid",
        triggers=("NO_PUBKEY", "couldn't be verified", "GPG check FAILED", "Signature verification failed"),
        patterns=(
            r"\bNO_PUBKEY (?P<key>[0-9A-F]{8,40})\b",
            r"\bThe following signatures couldn't be verified\b",
            r"\bGPG check FAILED\b",
            r"\bSignature verification failed\b",
        ),
        assumed="apt, dnf and zypper signature texts as the tools print them; no capture with the agent's repository was found",
    ),
    Rule.build(
        id="install_download_failed",
        triggers=("curl: (", "Unable to establish SSL connection"),
        patterns=(
            r"\bcurl: \((?P<curl_error>[0-9]{1,3})\) (?:Could not resolve host|Failed to connect|SSL|The requested URL returned error|Operation timed out)",
            r"\bUnable to establish SSL connection\b",
        ),
        extract=("url",),
        assumed="curl and wget failure texts; no capture of Microsoft's install script failing a download was found",
    ),
    Rule.build(
        id="install_script_failed",
        triggers=("error installing azcmagent", "returned an error code", "returned error exit status"),
        patterns=(
            # install/linux-package-repositories-90-apt-arm64.txt (Microsoft's install script)
            r"\berror installing azcmagent \(exit code: (?P<status>[0-9]{1,3})\)",
            # install/wsl-6316-no-systemd.txt, install/wsl-6316-upgrade-no-systemd.txt (dpkg, apt)
            r"\bSub-process /usr/bin/dpkg returned an error code \((?P<status>[0-9]{1,3})\)",
            r"\bscript subprocess returned error exit status (?P<status>[0-9]{1,3})\b",
        ),
    ),
    Rule.build(
        id="install_service_failed",
        triggers=("cannot be started due to",),
        # install/azure-arc-771-msi-extensionservice.txt (Windows installer log; the lines wrap)
        patterns=(
            r"\bcannot be started due to the following error\b",
            r"\bCannot start\s+(?:WixQuietExec(?:64)?:\s+)?service\s+(?:WixQuietExec(?:64)?:\s+)?(?P<service>[A-Za-z][\w.-]*)",
        ),
    ),
)

RULE_IDS = tuple(rule.id for rule in RULES)
_RULES_BY_ID = {rule.id: rule for rule in RULES}
_ORDER = {rule.id: index for index, rule in enumerate(RULES)}


def _build_triggers() -> tuple[tuple[Trigger, tuple[Rule, ...]], ...]:
    """Group the rules by trigger: ((literal or compiled regex, (rule, ...)), ...), in first-use order."""
    table: list[tuple[Trigger, list[Rule]]] = []
    index: dict[object, int] = {}
    for rule in RULES:
        for trigger in rule.triggers:
            key = trigger if isinstance(trigger, str) else ("re", trigger.pattern)
            if key not in index:
                index[key] = len(table)
                table.append((trigger, []))
            table[index[key]][1].append(rule)
    return tuple((trigger, tuple(rules)) for trigger, rules in table)


_TRIGGERS = _build_triggers()

# Install-stage rules (``install_*``: package managers, the install script, the Windows installer) read the output
# of an install, which is small; their triggers are not searched in texts longer than this (a 100 MB azcmagent.log
# would pay one more pass over the text per trigger).
_INSTALL_TEXT_MAX = 4 * 1024 * 1024
_AGENT_TRIGGERS = tuple((trigger, tuple(rule for rule in rules if not rule.id.startswith("install_")))
                        for trigger, rules in _TRIGGERS if any(not rule.id.startswith("install_") for rule in rules))

# Literal triggers at least this long are searched with str.find, shorter ones with a regex.
_FIND_MIN_LEN = 10
_LITERAL_RES = {trigger: re.compile(re.escape(trigger)) for trigger, _rules in _TRIGGERS if isinstance(trigger, str)}


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------

# The placeholders a text may use when the evidence does not name them, with their default wording (diagnosis.default.*).
_DEFAULT_PREFIX = "diagnosis.default."
_DEFAULT_FIELDS = tuple(key[len(_DEFAULT_PREFIX):] for key in TEXTS if key.startswith(_DEFAULT_PREFIX))
_DEFAULTS_CACHE: dict[str, dict[str, str]] = {}


def _fields(details: t.Mapping[str, t.Any], lang: str) -> dict[str, t.Any]:
    """The fields of a finding's texts: the language's defaults, overridden by every detail that has a value."""
    defaults = _DEFAULTS_CACHE.get(lang)
    if defaults is None:
        defaults = _DEFAULTS_CACHE[lang] = {name: _text(_DEFAULT_PREFIX + name, lang) for name in _DEFAULT_FIELDS}
    fields: dict[str, t.Any] = dict(defaults)
    fields.update((key, value) for key, value in details.items() if value not in (None, ""))
    return fields


def _trim_url(url: str) -> str:
    return url.rstrip(".,;:)'\"]")


def _host_of(url: str) -> str | None:
    match = _URL_HOST_RE.match(url)
    return match.group("host").strip("[]").lower() if match else None


def _extract(line: str, kinds: tuple[str, ...], details: dict[str, t.Any]) -> dict[str, t.Any]:
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
                details["proxy"] = f"{addr}:{match.group('port')}"
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
        match = _APP_ID_RE.search(line)
        if match:
            details["app_id"] = match.group("app_id")
    if isinstance(details.get("status"), str) and details["status"].isdigit():
        details["status"] = int(details["status"])
    return details


def _match_rule(rule: Rule, window: str) -> tuple[re.Match[str] | None, dict[str, t.Any]]:
    """Search the rule's patterns in window; return (first match, details) or (None, {})."""
    first = None
    details: dict[str, t.Any] = {}
    for pattern in rule.patterns:
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
    return first, details


def _evidence(window: str, match: re.Match[str]) -> str:
    line = window
    if len(line) > MAX_EVIDENCE_CHARS:
        half = MAX_EVIDENCE_CHARS // 2
        start = max(0, match.start() - half)
        end = min(len(line), start + MAX_EVIDENCE_CHARS)
        line = ("..." if start else "") + line[start:end] + ("..." if end < len(line) else "")
    return scrub(line.strip()) or ""


# Raw hits per rule id: {evidence: (position, window, details, end of the line)}.
_Hit = t.Tuple[int, str, t.Dict[str, t.Any], int]
_Hits = t.Dict[str, t.Dict[str, _Hit]]

# A multi-line error (an Azure SDK block: ``RESPONSE 429: …`` / ``ERROR CODE: …`` / JSON body, an azidentity block,
# a wrapped installer message) continues on the lines after the evidence line that carry no level of their own.
# The details of a finding are read from this block: at most this many characters after the evidence line,
# up to the next line in one of the agent's structured formats.
_BLOCK_CHARS = 6000
# Lines that continue a block: indented lines, the SDK's dashed separators, ``RESPONSE nnn``, ``ERROR CODE:``,
# JSON, the request line (``POST https://…``), azidentity's troubleshooting hint and the Windows installer's
# wrapped lines.
_CONTINUATION_RE = re.compile(
    r"[ \t]+\S|-{10}|RESPONSE [0-9]|ERROR CODE|[{}\[\]\"]|(?:GET|POST|PUT|DELETE|PATCH|HEAD) https?://|To troubleshoot|WixQuietExec")


def _window(text: str, hit: int) -> tuple[int, int]:
    """The line around hit, or only the part around the hit of a very long line."""
    line_start = text.rfind("\n", 0, hit) + 1
    line_end = text.find("\n", hit)
    if line_end < 0:
        line_end = len(text)
    if line_end - line_start > 2 * _WINDOW:
        return max(line_start, hit - _WINDOW), min(line_end, hit + _WINDOW)
    return line_start, line_end


def _add_hit(bucket: dict[str, _Hit], added: list[str], rule: Rule, text: str, start: int, end: int) -> bool | None:
    """Match rule on text[start:end] and add the hit to bucket (None: no match; False: a line seen before)."""
    window = text[start:end]
    match, details = _match_rule(rule, window)
    if match is None:
        return None
    evidence = _evidence(window, match)
    if evidence in bucket:
        # Keep the first position of an evidence line.
        if start < bucket[evidence][0]:
            bucket[evidence] = (start, window, details, end)
        return False
    bucket[evidence] = (start, window, details, end)
    added.append(evidence)
    return True


def _scan_trigger(text: str, trigger: Trigger, rules: tuple[Rule, ...], per_rule: _Hits) -> None:
    """Find the lines holding trigger and match its rules there; add raw hits to per_rule[id].

    Per rule, the first MAX_FINDINGS_PER_ID - 1 lines and the latest: a run's last error is the one that failed it,
    earlier ones may be lines the agent got past. A literal trigger finds the latest line by searching backwards
    from the end once a rule has its first ones, so a long log is not matched line by line to its end."""
    # Long literals are fastest with str.find (it skips ahead); short ones with a compiled regex.
    literal = ""
    regex: re.Pattern[str] | None = None
    if isinstance(trigger, str) and len(trigger) >= _FIND_MIN_LEN:
        literal = trigger
    else:
        regex = _LITERAL_RES[trigger] if isinstance(trigger, str) else trigger
    length = len(text)
    pos = 0
    seen_lines: set[str] = set()
    added: dict[str, list[str]] = {rule.id: [] for rule in rules}
    active = list(rules)
    backwards = isinstance(trigger, str)
    while active and pos <= length:
        if regex is None:
            hit = text.find(literal, pos)
        else:
            found = regex.search(text, pos)
            hit = found.start() if found is not None else -1
        if hit < 0:
            break
        start, end = _window(text, hit)
        pos = end + 1 if end > hit else hit + 1
        window = text[start:end]
        if window in seen_lines:
            continue
        if len(seen_lines) < _SEEN_LINES_MAX:
            seen_lines.add(window)
        for rule in list(active):
            mine = added[rule.id]
            bucket = per_rule.setdefault(rule.id, {})
            if len(mine) >= MAX_FINDINGS_PER_ID:
                # Full: the last slot follows the latest line.
                last = mine.pop()
                kept = bucket.pop(last)
                if not _add_hit(bucket, mine, rule, text, start, end):
                    bucket[last] = kept
                    mine.append(last)
                continue
            if _add_hit(bucket, mine, rule, text, start, end) and backwards and len(mine) >= MAX_FINDINGS_PER_ID:
                active.remove(rule)
    if not isinstance(trigger, str):
        return
    # The rules that have their first ones: the latest line that brings new evidence, searched from the end.
    for rule in rules:
        mine = added[rule.id]
        if rule in active or len(mine) < MAX_FINDINGS_PER_ID:
            continue
        bucket = per_rule[rule.id]
        floor = bucket[mine[-1]][0]
        until = length
        while True:
            hit = text.rfind(trigger, 0, until)
            if hit < 0:
                break
            start, end = _window(text, hit)
            if start <= floor:
                break
            until = start + len(trigger) - 1
            last = mine.pop()
            kept = bucket.pop(last)
            if _add_hit(bucket, mine, rule, text, start, end):
                break
            bucket[last] = kept
            mine.append(last)


def _block_end(text: str, end: int) -> int:
    """End of the block that continues the line ending at end: the following lines without a level of their own."""
    limit = min(len(text), end + _BLOCK_CHARS)
    pos = end + 1
    while pos < limit:
        if LEVEL_LINE_RE.match(text, pos) or not _CONTINUATION_RE.match(text, pos):
            return pos - 1
        nxt = text.find("\n", pos, limit)
        if nxt < 0:
            return limit
        pos = nxt + 1
    return limit


def _block_start(text: str, start: int) -> int:
    """Start of the block that the line starting at start continues (the line itself when it continues nothing)."""
    if LEVEL_LINE_RE.match(text, start) or not _CONTINUATION_RE.match(text, start):
        return start
    floor = max(0, start - _BLOCK_CHARS)
    pos = start
    while pos > floor:
        prev = text.rfind("\n", 0, pos - 1) + 1
        if LEVEL_LINE_RE.match(text, prev):
            return prev
        if not _CONTINUATION_RE.match(text, prev):
            return pos
        pos = prev
    return pos


def _block_details(rule: Rule, block: str, details: dict[str, t.Any]) -> dict[str, t.Any]:
    """Details the rule's patterns capture anywhere in the block, where the evidence line did not give them."""
    for pattern in rule.patterns:
        if not pattern.groupindex:
            continue
        match = pattern.search(block)
        if match is None:
            continue
        for key, value in match.groupdict().items():
            if value is not None:
                details.setdefault(key, value)
    return details


def _finding(rule: Rule, evidence: str, window: str, details: dict[str, t.Any], lang: str) -> Finding:
    details = _extract(window, rule.extract, details)
    kind = rule.kind
    fields = _fields(details, lang)
    return {
        "id": rule.id,
        "category": kind.category,
        "cause": kind.rule_text("cause", lang, **fields),
        "remediation": kind.rule_text("remediation", lang, **fields),
        "evidence": evidence,
        "action": kind.action,
        "retryable": kind.retryable,
        "details": details,
    }


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------

def classify(text: str, lang: str = "en") -> list[Finding]:
    """Return the findings for the known errors in text, in order of appearance.

    Findings are unique per id and evidence line, and at most MAX_FINDINGS_PER_ID per id
    (the first ones). Raises TypeError when text is not a string and ValueError for a
    language other than ``en`` / ``nl``.
    """
    lang = normalize_lang(lang)
    if not isinstance(text, str):
        raise TypeError(f"classify() expects a string, got {type(text).__name__}")
    if not text:
        return []
    return [finding for _position, finding in classify_positions(text, lang)]


def classify_positions(text: str, lang: str = "en") -> list[tuple[int, Finding]]:
    """PRIVATE: :func:`classify` with the position of each finding's evidence line in text (for weighing the evidence
    by the level of its line). Arguments are not checked: call it with a string and a normalized language."""
    if not text:
        return []
    per_rule: _Hits = {}
    for trigger, rules in _TRIGGERS if len(text) <= _INSTALL_TEXT_MAX else _AGENT_TRIGGERS:
        _scan_trigger(text, trigger, rules, per_rule)
    hits = []
    for rule_id, bucket in per_rule.items():
        rule = _RULES_BY_ID[rule_id]
        block_until = -1
        rule_hits = []
        for evidence, (position, window, details, end) in sorted(bucket.items(), key=lambda item: item[1][0]):
            if position <= block_until:
                # Another line of the same multi-line error: the first line's finding reads the whole block.
                continue
            at_line_start = position == 0 or text[position - 1] == "\n"
            block_from = _block_start(text, position) if at_line_start else position
            block_until = _block_end(text, end)
            if block_until > end + 1 or block_from < position:
                block = text[block_from:block_until]
                details = _block_details(rule, block, dict(details))
                window = block
            rule_hits.append((position, _ORDER[rule_id], rule_id, evidence, window, details))
        # The first ones and the latest (see MAX_FINDINGS_PER_ID).
        hits += rule_hits if len(rule_hits) <= MAX_FINDINGS_PER_ID else rule_hits[:MAX_FINDINGS_PER_ID - 1] + rule_hits[-1:]
    hits.sort(key=lambda hit: (hit[0], hit[1]))
    return [(pos, _finding(_RULES_BY_ID[rule_id], evidence, window, dict(details), lang))
            for pos, _order, rule_id, evidence, window, details in hits]


def translate_finding(finding: t.Mapping[str, t.Any], lang: str = "en") -> dict[str, t.Any]:
    """Return a copy of a finding with cause and remediation in lang (ids no rule gives are returned unchanged)."""
    lang = normalize_lang(lang)
    copy = dict(finding)
    rule = _RULES_BY_ID.get(str(copy.get("id")))
    if rule is not None:
        details = copy.get("details") if isinstance(copy.get("details"), dict) else {}
        fields = _fields(details or {}, lang)
        copy["cause"] = rule.kind.rule_text("cause", lang, **fields)
        copy["remediation"] = rule.kind.rule_text("remediation", lang, **fields)
    return copy


def rule_weight(rule_id: object) -> int:
    """How strongly a finding of rule_id explains a failure (higher is more specific); 0 for an unknown id."""
    return weight(rule_id)


def strongest(findings: t.Iterable[object] | None) -> dict[str, t.Any] | None:
    """The most specific finding of a list (highest weight, then first), or None."""
    best: dict[str, t.Any] | None = None
    for finding in findings or ():
        if not isinstance(finding, dict):
            continue
        if best is None or rule_weight(finding.get("id")) > rule_weight(best.get("id")):
            best = finding
    return best
