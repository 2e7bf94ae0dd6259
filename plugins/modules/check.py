#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: check
short_description: Network preflight for Azure Arc - DNS, TCP 443, TLS and proxy probes of the agent's endpoints
version_added: 0.1.0
description:
  - Probes, in parallel and within O(timeout) seconds, every endpoint the Azure Connected Machine agent must reach for
    the chosen cloud and region - name resolution, a TCP connection on port 443, a verified TLS handshake with the
    real host name, and the proxy's answer to C(CONNECT) when a proxy is used.
  - Works before the agent is installed. When the agent is installed it also runs C(azcmagent check) and parses its
    table (O(agent_check)), and takes the proxy settings from the agent's C(proxy.url) and C(proxy.bypass) unless
    O(proxy_url) is given.
  - Reports each failure as a finding with a cause and a remediation in English or Dutch - unresolvable names,
    blocked ports, TLS inspection (a certificate that does not verify), a proxy that refuses the endpoint (for
    example C(403 Forbidden)), and private link names that resolve to the wrong kind of address.
  - Sends traffic only to the endpoints (or the proxy) it probes. The default endpoint list holds the real Azure host
    names; use O(endpoints) to probe another list, for example a test double on a loopback address.
author:
  - arcops engineers (@arcops)
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
    details: The module only reads; it runs the same probes in check mode.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: N/A
    details: The module changes nothing.
  idempotent:
    description: When run twice in a row with the same arguments, the second run reports no change.
    support: full
  action_group:
    description: Use C(group/arcops.azcmagent.azcmagent) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - arcops.azcmagent.azcmagent
options:
  cloud:
    description:
      - Azure cloud whose endpoints are probed.
    type: str
    choices: [AzureCloud, AzureUSGovernment, AzureChinaCloud]
    default: AzureCloud
  location:
    description:
      - Azure region of the machine resource (for example V(westeurope)); adds the regional Arc endpoints.
      - Blanks are removed and the name is lower-cased, as the agent does.
    type: str
    aliases: [region]
  private_link:
    description:
      - Whether the machine connects through an Azure Arc private link scope.
      - When V(true), the Arc service names (C(*.his.arc.azure.com), C(*.guestconfiguration.azure.com)) must resolve
        to private addresses; when V(false), every name must resolve to public addresses.
      - Loopback addresses (V(127.0.0.0/8), V(::1)) are neither, so the expectation is not checked for them
        (the C(private) key of RV(endpoints[].dns) is V(null)); link-local and reserved addresses are treated the same way.
    type: bool
    default: false
  connection_type:
    description:
      - V(direct) probes the endpoints the agent reaches itself; V(gateway) probes the Azure Arc gateway
        (O(gateway_url)) and the endpoints that stay direct with a gateway.
    type: str
    choices: [direct, gateway]
    default: direct
  gateway_url:
    description:
      - URL of the Azure Arc gateway, for example V(https://abc123.gw.arc.azure.com); required with
        O(connection_type=gateway).
    type: str
  endpoints:
    description:
      - Probe this list instead of the cloud's endpoints.
      - Each item is a URL V(https://host[:port]), or a dictionary with the keys below.
      - C(url) (required) - the real endpoint. Its host name is used for TLS (server name and certificate
        verification), for the proxy's C(CONNECT) and in the findings.
      - C(connect_to) - V(host:port) to dial instead of the URL's host and port, like curl's C(--connect-to). Name
        resolution probes this host. A test maps V(https://login.microsoftonline.com) to V(127.0.0.1:40443) this way.
      - C(expect) - V(auto) (default, follows O(private_link)), V(private), V(public) or V(any) (no check) - the
        class of address the name must resolve to.
      - C(bypass_group) - the agent's proxy bypass group of the endpoint (V(AAD), V(ARM), V(Arc)); by default derived
        from the host name.
    type: list
    elements: raw
  proxy_url:
    description:
      - HTTP proxy to probe through, V(http://host:port), as the agent's C(proxy.url).
      - When not set and O(use_agent_proxy=true), the agent's own C(proxy.url) is used when the agent is installed.
    type: str
  proxy_bypass:
    description:
      - Endpoints that do not use the proxy - the agent's C(proxy.bypass) groups (V(AAD), V(ARM), V(Arc), V(ArcData),
        V(AMA)) and, as an extension, host names or V(.domain) suffixes.
      - When not set and the agent's proxy is used, the agent's C(proxy.bypass) applies.
    type: list
    elements: str
  use_agent_proxy:
    description:
      - Read the agent's C(proxy.url) and C(proxy.bypass) (from C(azcmagent show -j)) when O(proxy_url) is not set and the
        agent is installed, whatever O(agent_check) says.
    type: bool
    default: true
  ca_file:
    description:
      - PEM file of the certificate authorities that verify the endpoints' certificates.
      - When not set, the system's trust store is used, as the agent does.
    type: path
  timeout:
    description:
      - Seconds the whole module may take. One deadline is set when the module starts and every stage gets only the
        time left - reading the agent's proxy (C(azcmagent show -j), at most a third of the budget), then the probes
        and C(azcmagent check), which run at the same time. Probes that have not finished by then are reported as
        timed out; a command that overruns is stopped.
      - Every stage gets at least one second, and stopping an overrunning command may take up to three more, so the
        module returns within about O(timeout) plus a few seconds.
    type: int
    default: 30
  agent_check:
    description:
      - V(auto) runs C(azcmagent check) when the agent is installed, V(always) fails when it is not, V(never) skips it.
    type: str
    choices: [auto, always, never]
    default: auto
  executable:
    description:
      - Path of the C(azcmagent) binary.
      - When not set, C(azcmagent) is searched on E(PATH), then V(/opt/azcmagent/bin/azcmagent) is used.
    type: path
  fail_on_error:
    description:
      - Fail when an endpoint is not reachable (also when C(azcmagent check) reports it so) or a finding was made; by
        default the module reports and RV(ok) tells.
      - The failure's C(msg) is the first finding's cause and remediation in the language of O(lang), followed by
        RV(summary); the result also holds RV(cmd), RV(rc), RV(stdout) and RV(stderr) of the C(azcmagent check) run (empty
        when it did not run), RV(category), RV(cause), RV(remediation) and every value returned on success.
    type: bool
    default: false
  lang:
    description:
      - Language of the findings and RV(summary).
    type: str
    choices: [en, nl]
    default: en
notes:
  - Addresses are classified with C(netaddr) when it is importable on the node, else with Python's C(ipaddress);
    RV(address_classifier) says which. Both give the same classes.
  - Name resolution failures are not findings for endpoints reached through a proxy, because the proxy resolves them.
seealso:
  - module: arcops.azcmagent.connect
  - module: arcops.azcmagent.config
  - name: Azure Arc network requirements
    description: The endpoints the agent needs.
    link: https://learn.microsoft.com/azure/azure-arc/servers/network-requirements
"""

EXAMPLES = r"""
- name: Check that the machine reaches Azure Arc in West Europe
  arcops.azcmagent.check:
    location: westeurope
  register: preflight

- name: Stop early with the reason
  ansible.builtin.fail:
    msg: "{{ preflight.summary }}"
  when: not preflight.ok

- name: Check through a proxy, Entra ID and ARM bypassing it, and fail on any finding
  arcops.azcmagent.check:
    location: eastus
    proxy_url: http://proxy.example.com:3128
    proxy_bypass: [AAD, ARM]
    fail_on_error: true
    lang: nl

- name: Check private link resolution for the Arc services (the agent is not installed yet)
  arcops.azcmagent.check:
    location: westeurope
    private_link: true
    agent_check: never

- name: Probe the real names on a test double listening on loopback
  arcops.azcmagent.check:
    endpoints:
      - url: https://login.microsoftonline.com
        connect_to: 127.0.0.1:40443
      - url: https://management.azure.com
        connect_to: 127.0.0.1:40443
        expect: any
    ca_file: /srv/mock/ca.pem
"""

RETURN = r"""
ok:
  description:
    - Whether every endpoint was reachable, C(azcmagent check) (when it ran) reported no endpoint as not reachable, and
      no finding was made.
  returned: always
  type: bool
summary:
  description: One sentence in the language of O(lang) - how many endpoints are reachable and the first problem.
  returned: always
  type: str
  sample: "7 of 8 endpoints reachable. The proxy http://127.0.0.1:3128 refuses CONNECT to management.azure.com:443 (403 Forbidden)."
endpoints:
  description: One record per endpoint, in the order probed.
  returned: always
  type: list
  elements: dict
  contains:
    url:
      description: The endpoint.
      type: str
      sample: https://login.microsoftonline.com
    host:
      description: Its host name (TLS server name, proxy target).
      type: str
    port:
      description: Its port.
      type: int
    connect_to:
      description: The V(host:port) dialled (without a proxy).
      type: str
    bypass_group:
      description: The agent's proxy bypass group of the endpoint (V(AAD), V(ARM), V(Arc)), or V(null).
      type: str
    ok:
      description: Whether a verified TLS session was established.
      type: bool
    dns:
      description:
        - Name resolution of the dialled host - C(ok), C(name), C(addresses), C(error), C(class) (V(public),
          V(private), V(loopback), V(link_local), V(reserved) or V(mixed)), C(private) (V(null) when the class is
          neither public nor private), C(expected) (V(private), V(public) or V(null)) and C(matches).
      type: dict
    tcp:
      description: The TCP connection (to the proxy when one is used) - C(ok), C(address), C(error).
      type: dict
    tls:
      description: The TLS handshake - C(ok), C(version) (for example V(TLS 1.3)), C(verified), C(error).
      type: dict
    proxy:
      description: The proxy - C(used), C(url), C(ok), C(status) and C(reason) of its answer to C(CONNECT), C(error).
      type: dict
    timed_out:
      description: Present and V(true) when the probe had not finished at the deadline.
      type: bool
findings:
  description:
    - Problems found, each with C(id) (for example V(dns_resolution_failed), V(tcp_connect_failed),
      V(tls_interception), V(proxy_forbidden), V(dns_not_private)), C(category), C(cause), C(remediation),
      C(evidence), C(action), C(retryable) and C(details).
    - Findings recognised in the output of C(azcmagent check) (stdout and stderr) are added with the classifier's ids.
    - Every row of the C(azcmagent check) table with REACHABLE V(false) whose host no other finding names gives a
      finding in the probes' shape, whose C(details.source) is V(azcmagent check) - V(proxy_forbidden) (or the id of the
      proxy's status) when the row went through the proxy and the agent's error is an HTTP status text such as
      C(Forbidden), else V(tcp_connect_failed) with the agent's error.
  returned: always
  type: list
  elements: dict
proxy:
  description: The proxy used for the probes (credentials removed), and where it came from.
  returned: always
  type: dict
  contains:
    url:
      description: The proxy URL, or V(null) when none is used.
      type: str
    bypass:
      description: The bypass list applied.
      type: list
      elements: str
    source:
      description: V(option), V(agent) or V(none).
      type: str
agent_check:
  description: The C(azcmagent check) run.
  returned: always
  type: dict
  contains:
    ran:
      description: Whether it ran.
      type: bool
    reason:
      description: Why it did not run (V(not installed), V(disabled)).
      type: str
    rc:
      description: Its exit status.
      type: int
    cmd:
      description: The command line.
      type: str
    endpoints:
      description: The parsed table rows.
      type: list
      elements: dict
    unreachable:
      description: How many rows of its table have REACHABLE V(false).
      type: int
    timed_out:
      description: Whether it was stopped at the deadline.
      type: bool
    stdout_lines:
      description: Its standard output.
      type: list
      elements: str
    stderr_lines:
      description: Its standard error.
      type: list
      elements: str
address_classifier:
  description: The library that classified addresses, V(netaddr) or V(ipaddress).
  returned: always
  type: str
cmd:
  description: On failure, the C(azcmagent check) command line, or an empty string when it did not run.
  returned: failure
  type: str
rc:
  description: On failure, the exit status of C(azcmagent check), or V(null) when it did not run.
  returned: failure
  type: int
stdout:
  description: On failure, the standard output of C(azcmagent check) (empty when it did not run).
  returned: failure
  type: str
stderr:
  description: On failure, the standard error of C(azcmagent check) (empty when it did not run).
  returned: failure
  type: str
category:
  description: On failure, the category of the first finding (for example V(network), V(proxy), V(dns), V(tls)), or V(input) or
    V(install) when the options or the agent are the problem.
  returned: failure
  type: str
  sample: proxy
cause:
  description: On failure, the cause of the first finding (or of the failure) in the language of O(lang).
  returned: failure
  type: str
remediation:
  description: On failure, what to do about it, in the language of O(lang).
  returned: failure
  type: str
action:
  description: On failure, the remediate role's action for the first finding (for example V(check_network) or V(report)).
  returned: failure
  type: str
"""

import json
import re
import threading
import time

from http.client import responses as _HTTP_REASONS

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.arcops.azcmagent.plugins.module_utils._classifier import classify
from ansible_collections.arcops.azcmagent.plugins.module_utils._clouds import CLOUD_NAMES, agent_endpoints, normalize_region
from ansible_collections.arcops.azcmagent.plugins.module_utils._outcome import ModuleFailure, empty_outcome, message, run_module
from ansible_collections.arcops.azcmagent.plugins.module_utils._parsers import parse_check
from ansible_collections.arcops.azcmagent.plugins.module_utils._probes import (
    ADDRESS_CLASSIFIER,
    ProbeError,
    findings_for,
    normalize_endpoint,
    parse_proxy,
    probe_all,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import AgentError, AgentNotFound, AgentRunner

# Share of the time budget that reading the agent's proxy (``show -j``) may use, so a hanging show leaves time to probe.
SHOW_SHARE = 1.0 / 3.0
# A failed endpoint in the agent's log (logrus text form), on stdout or, with --log-stderr, stderr:
#   time="..." level=error msg="https://gbl.his.arc.azure.com is not reachable" Error="Forbidden"
_NOT_REACHABLE_RE = re.compile(
    r'^(?:time="[^"]*"\s+)?level=(?:error|warning)\s+'          # optional time, then the level
    r'msg="(?P<url>[^"\s]+) is not reachable"'                 # the endpoint the agent could not reach
    r'(?:\s+Error=(?P<error>"(?:[^"\\]|\\.)*"|\S+))?\s*$'      # its error: a quoted (Go %q) or bare word
)
# HTTP status of a reason phrase ("forbidden" -> 403): Go reports a proxy's refusal of CONNECT by the phrase alone.
_STATUS_BY_REASON = dict((reason.lower(), status) for status, reason in _HTTP_REASONS.items())
# Shortest time any stage gets, even when the budget is spent (seconds).
MIN_STAGE = 1.0

_TEXTS = {
    "en": {
        "summary_ok": "All {total} endpoints reachable.",
        "summary_bad": "{good} of {total} endpoints reachable. {first}.",
        "summary_findings": "All {total} endpoints reachable, but: {first}.",
        "agent_missing": "agent_check=always but the agent is not installed ({detail})",
        "agent_missing_remediation": "Install the agent (role arcops.azcmagent.install), set the executable option to its path, "
                                     "or set agent_check=auto",
        "bad_option": "{detail}",
        "bad_option_remediation": "Correct the module's options",
        "not_reachable": "azcmagent check reports it not reachable",
        "no_finding": "The network check failed",
        "no_finding_remediation": "Look at the endpoints and agent_check results of the module",
    },
    "nl": {
        "summary_ok": "Alle {total} endpoints bereikbaar.",
        "summary_bad": "{good} van {total} endpoints bereikbaar. {first}.",
        "summary_findings": "Alle {total} endpoints bereikbaar, maar: {first}.",
        "agent_missing": "agent_check=always maar de agent is niet geinstalleerd ({detail})",
        "agent_missing_remediation": "Installeer de agent (rol arcops.azcmagent.install), zet de optie executable op het pad ervan, "
                                     "of zet agent_check=auto",
        "bad_option": "{detail}",
        "bad_option_remediation": "Corrigeer de opties van de module",
        "not_reachable": "azcmagent check meldt het als niet bereikbaar",
        "no_finding": "De netwerkcontrole is mislukt",
        "no_finding_remediation": "Bekijk de resultaten endpoints en agent_check van de module",
    },
}


def _text(lang, key, **kwargs):
    return _TEXTS[lang][key].format(**kwargs)


class Deadline(object):
    """One time budget for the whole module: every stage gets only what is left (at least MIN_STAGE)."""

    def __init__(self, seconds, clock=time.monotonic):
        self.clock = clock
        self.seconds = max(MIN_STAGE, float(seconds))
        self.end = clock() + self.seconds

    def remaining(self, cap=None):
        left = max(MIN_STAGE, self.end - self.clock())
        return round(min(left, cap) if cap is not None else left, 2)


def _split_list(value):
    """The agent's list values: a JSON list, or a comma separated string ("ARM,Arc")."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).strip("[]").split(",") if v.strip()]


def agent_proxy(runner, timeout):
    """(proxy.url, proxy.bypass) of the installed agent from ``show -j`` (within timeout seconds); (None, []) when unknown."""
    try:
        result = runner.run(["show", "-j"], verbose=False, capture_log=False, timeout=timeout)
    except AgentError:
        return None, []
    if result.rc != 0 or result.timed_out:
        return None, []
    try:
        data = json.loads(result.stdout)
    except ValueError:
        return None, []
    if not isinstance(data, dict):
        return None, []
    return (data.get("httpsProxy") or None), _split_list(data.get("proxyBypass"))


def _check_args(params, region):
    args = ["check"]
    if region:
        args += ["--location", region, "--cloud", params["cloud"]]
    if params["private_link"]:
        args.append("--enable-pls-check")
    return args


def _row_endpoint(row):
    """host, port and url of an ``azcmagent check`` row."""
    try:
        endpoint = normalize_endpoint(row.get("endpoint") or "")
        return endpoint["host"], endpoint["port"], endpoint["url"]
    except (ValueError, ProbeError, KeyError, TypeError):
        name = str(row.get("endpoint") or "").strip()
        return name.split("://", 1)[-1].split("/", 1)[0] or name, 443, name


def agent_errors(text):
    """{endpoint URL: error text} from the agent's ``level=error msg="<url> is not reachable" Error=...`` lines."""
    errors = {}
    for line in text.splitlines():
        match = _NOT_REACHABLE_RE.match(line.strip())
        if match and match.group("error"):
            error = match.group("error")
            if error.startswith('"'):
                try:
                    error = json.loads(error)
                except ValueError:
                    error = error.strip('"')
            errors.setdefault(match.group("url").rstrip("/"), error)
    return errors


def _names_host(finding, host):
    return (finding.get("details") or {}).get("host") == host or host in (finding.get("evidence") or "")


def row_findings(rows, known, lang, errors=None, proxy_url=None):
    """A finding, in the shape the probes give for the same failure, for every row that azcmagent check reports not
    reachable and that no other finding names (by host or in its evidence).

    A row through the proxy whose error is an HTTP status text (``Forbidden``) gets the proxy's finding for that
    status (``proxy_forbidden`` for 403); every other row gets ``tcp_connect_failed`` with the agent's error, if any.
    """
    errors = errors or {}
    found = []
    for row in rows:
        if row.get("reachable") is not False:
            continue
        host, port, url = _row_endpoint(row)
        if any(_names_host(f, host) for f in list(known) + found):
            continue
        reported = errors.get(str(row.get("endpoint") or "").rstrip("/"))
        error = reported or _text(lang, "not_reachable")
        record = {"url": url, "host": host, "port": port, "connect_to": "%s:%s" % (host, port), "dns": {},
                  "proxy": {"used": False}, "tcp": {"ok": False, "error": error}, "tls": {"ok": False, "error": None}}
        status = _STATUS_BY_REASON.get(error.strip().lower())
        if str(row.get("proxy") or "").strip().lower() == "set" and status:
            record["tcp"] = {"ok": True, "error": None}
            record["proxy"] = {"used": True, "url": proxy_url or "(proxy.url)", "status": status, "reason": error.strip(), "error": None}
        for finding in findings_for(record, lang):
            finding["evidence"] = "azcmagent check: %s reachable=false private=%s tls=%s proxy=%s%s" % (
                row.get("endpoint"), row.get("private"), row.get("tls"), row.get("proxy"), " error=%s" % reported if reported else "")
            finding["details"]["source"] = "azcmagent check"
            found.append(finding)
    return found


def run_agent_check(runner, params, region, lang, timeout):
    """Run ``azcmagent check`` within timeout seconds and parse it; returns (record, findings, RunResult).

    The agent writes its log lines to stdout unless ``--log-stderr`` is given, so both streams are classified;
    rows with REACHABLE false are findings too.
    """
    result = runner.run(_check_args(params, region), timeout=timeout, capture_log=False)
    text = "\n".join(x for x in (result.stdout, result.stderr) if x)
    parsed = parse_check(text)
    rows = parsed.get("endpoints", []) if isinstance(parsed, dict) else list(parsed or [])
    record = {
        "ran": True, "reason": None, "rc": result.rc, "cmd": result.cmd, "endpoints": rows,
        "unreachable": sum(1 for row in rows if row.get("reachable") is False),
        "timed_out": result.timed_out, "stdout_lines": result.stdout.splitlines(), "stderr_lines": result.stderr.splitlines(),
    }
    record["errors"] = agent_errors(text)
    return record, classify(text, lang), result


def _dedupe(findings):
    seen = set()
    unique = []
    for finding in findings:
        key = (finding.get("id"), (finding.get("details") or {}).get("host"), finding.get("evidence"))
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def summarize(records, findings, lang):
    total = len(records)
    good = sum(1 for r in records if r["ok"])
    if good == total and not findings:
        return _text(lang, "summary_ok", total=total)
    first = findings[0]["cause"].rstrip(".") if findings else ""
    if good == total:
        return _text(lang, "summary_findings", total=total, first=first)
    return _text(lang, "summary_bad", good=good, total=total, first=first).replace(" .", "").replace("..", ".")


def failure(lang, cause, remediation, category="input", findings=None, run=None, summary=None, action="report", extra=None):
    """The module's failure (through the collection's one failure path, _outcome.fail): msg is
    ``"<cause>. <remediation>."`` in lang, followed by the summary when there is one."""
    outcome = empty_outcome()
    outcome.update({"rc": None, "exit_code": None, "cause": cause, "remediation": remediation, "category": category,
                    "action": action, "retryable": False, "findings": list(findings or [])})
    msg = message(outcome)
    if summary:
        msg = "%s %s" % (msg, summary)
    return ModuleFailure(msg, outcome, run=run, **(extra or {}))


def _failure_from_findings(lang, result, run):
    findings = result["findings"]
    if findings:
        first = findings[0]
        return failure(lang, first.get("cause"), first.get("remediation"), first.get("category") or "unknown", findings, run,
                       result["summary"], action=first.get("action") or "report", extra=result)
    return failure(lang, _text(lang, "no_finding"), _text(lang, "no_finding_remediation"), "network", [], run, result["summary"],
                   action="check_network", extra=result)


def check(module):
    """The module's work: returns the result, or raises ModuleFailure."""
    params = module.params
    lang = params["lang"]
    deadline = Deadline(params["timeout"])
    empty = {"changed": False, "ok": False, "endpoints": [], "findings": []}
    try:
        region = normalize_region(params["location"]) if params["location"] else None
        if params["endpoints"]:
            endpoints = [normalize_endpoint(item, params["cloud"]) for item in params["endpoints"]]
        else:
            endpoints = [normalize_endpoint(item, params["cloud"])
                         for item in agent_endpoints(params["cloud"], region, params["connection_type"], params["gateway_url"])]
        option_proxy = parse_proxy(params["proxy_url"])
    except (ValueError, ProbeError) as exc:
        raise failure(lang, _text(lang, "bad_option", detail=str(exc)), _text(lang, "bad_option_remediation"), extra=empty)

    runner = None
    agent_record = {"ran": False, "reason": "disabled", "rc": None, "cmd": None, "endpoints": [], "stdout_lines": []}
    want_agent_proxy = params["use_agent_proxy"] and not option_proxy
    if params["agent_check"] != "never" or want_agent_proxy:
        try:
            runner = AgentRunner(module=module, executable=params["executable"], timeout=deadline.seconds)
        except AgentNotFound as exc:
            if params["agent_check"] == "always":
                raise failure(lang, _text(lang, "agent_missing", detail=exc.message), _text(lang, "agent_missing_remediation"),
                              "install", extra=empty)
            if params["agent_check"] != "never":
                agent_record["reason"] = "not installed"

    proxy_url, bypass, source = None, list(params["proxy_bypass"] or []), "none"
    if option_proxy:
        proxy_url, source = params["proxy_url"], "option"
    elif want_agent_proxy and runner is not None:
        agent_url, agent_bypass = agent_proxy(runner, deadline.remaining(cap=max(MIN_STAGE, deadline.seconds * SHOW_SHARE)))
        if agent_url:
            proxy_url, source = agent_url, "agent"
            if params["proxy_bypass"] is None:
                bypass = agent_bypass
    try:
        shown_proxy = parse_proxy(proxy_url)
    except ProbeError as exc:
        raise failure(lang, _text(lang, "bad_option", detail=str(exc)), _text(lang, "bad_option_remediation"), extra=empty)

    agent_findings = []
    agent_run = None
    box = {}
    probe_time = deadline.remaining()

    def probes():
        box["records"] = probe_all(endpoints, probe_time, params["ca_file"], proxy_url, bypass, params["private_link"])

    worker = threading.Thread(target=probes, name="arcops-check-probes", daemon=True)
    worker.start()
    if runner is not None and params["agent_check"] != "never":
        try:
            agent_record, agent_findings, agent_run = run_agent_check(runner, params, region, lang, deadline.remaining())
        except AgentError as exc:
            agent_record = {"ran": False, "reason": exc.message, "rc": None, "cmd": None, "endpoints": [], "stdout_lines": []}
    worker.join(max(0.0, deadline.end - time.monotonic()) + MIN_STAGE)
    records = box.get("records") or []

    findings = []
    for record in records:
        findings.extend(findings_for(record, lang))
    findings = _dedupe(findings + agent_findings)
    findings += row_findings(agent_record.get("endpoints") or [], findings, lang, agent_record.pop("errors", None),
                             shown_proxy["url"] if shown_proxy else None)
    ok = bool(records) and all(r["ok"] for r in records) and not findings and not agent_record.get("unreachable")
    result = {
        "changed": False,
        "ok": ok,
        "summary": summarize(records, findings, lang),
        "endpoints": records,
        "findings": findings,
        "proxy": {"url": shown_proxy["url"] if shown_proxy else None, "bypass": bypass, "source": source},
        "agent_check": agent_record,
        "address_classifier": ADDRESS_CLASSIFIER,
    }
    if params["fail_on_error"] and not ok:
        raise _failure_from_findings(lang, result, agent_run)
    return result


def main():
    module = AnsibleModule(
        argument_spec={
            "cloud": {"type": "str", "default": "AzureCloud", "choices": list(CLOUD_NAMES)},
            "location": {"type": "str", "aliases": ["region"]},
            "private_link": {"type": "bool", "default": False},
            "connection_type": {"type": "str", "default": "direct", "choices": ["direct", "gateway"]},
            "gateway_url": {"type": "str"},
            "endpoints": {"type": "list", "elements": "raw"},
            "proxy_url": {"type": "str"},
            "proxy_bypass": {"type": "list", "elements": "str", "no_log": False},
            "use_agent_proxy": {"type": "bool", "default": True},
            "ca_file": {"type": "path"},
            "timeout": {"type": "int", "default": 30},
            "agent_check": {"type": "str", "default": "auto", "choices": ["auto", "always", "never"]},
            "executable": {"type": "path"},
            "fail_on_error": {"type": "bool", "default": False},
            "lang": {"type": "str", "default": "en", "choices": ["en", "nl"]},
        },
        required_if=[("connection_type", "gateway", ["gateway_url"])],
        supports_check_mode=True,
    )
    run_module(module, check)


if __name__ == "__main__":
    main()
