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
      - Seconds all probes together may take; probes that have not finished by then are reported as timed out.
      - C(azcmagent check), when it runs, gets the same limit and runs at the same time.
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
      - Fail when an endpoint is not reachable or a finding was made; by default the module reports and RV(ok) tells.
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
  description: Whether every endpoint was reachable and no finding was made.
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
    - Findings recognised in the output of C(azcmagent check) are added with the classifier's ids.
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
    stdout_lines:
      description: Its output.
      type: list
      elements: str
address_classifier:
  description: The library that classified addresses, V(netaddr) or V(ipaddress).
  returned: always
  type: str
"""

import json
import threading

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.arcops.azcmagent.plugins.module_utils._classifier import classify
from ansible_collections.arcops.azcmagent.plugins.module_utils._clouds import CLOUD_NAMES, agent_endpoints, normalize_region
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

_TEXTS = {
    "en": {
        "summary_ok": "All {total} endpoints reachable.",
        "summary_bad": "{good} of {total} endpoints reachable. {first}.",
        "summary_findings": "All {total} endpoints reachable, but: {first}.",
        "agent_missing": "agent_check=always but the agent is not installed ({detail})",
        "bad_option": "{detail}",
    },
    "nl": {
        "summary_ok": "Alle {total} endpoints bereikbaar.",
        "summary_bad": "{good} van {total} endpoints bereikbaar. {first}.",
        "summary_findings": "Alle {total} endpoints bereikbaar, maar: {first}.",
        "agent_missing": "agent_check=always maar de agent is niet geinstalleerd ({detail})",
        "bad_option": "{detail}",
    },
}


def _text(lang, key, **kwargs):
    return _TEXTS[lang][key].format(**kwargs)


def _split_list(value):
    """The agent's list values: a JSON list, or a comma separated string ("ARM,Arc")."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).strip("[]").split(",") if v.strip()]


def agent_proxy(runner):
    """(proxy.url, proxy.bypass) of the installed agent from ``show -j``; (None, []) when unknown."""
    try:
        result = runner.show(as_json=True)
    except AgentError:
        return None, []
    if result.rc != 0:
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


def run_agent_check(runner, params, region, lang):
    """Run ``azcmagent check`` and parse it; returns (record, findings)."""
    result = runner.run(_check_args(params, region), timeout=max(5, params["timeout"]), capture_log=False)
    text = "\n".join(x for x in (result.stdout, result.stderr) if x)
    parsed = parse_check(text)
    rows = parsed.get("endpoints", []) if isinstance(parsed, dict) else list(parsed or [])
    record = {
        "ran": True, "reason": None, "rc": result.rc, "cmd": result.cmd, "endpoints": rows,
        "timed_out": result.timed_out, "stdout_lines": result.stdout.splitlines(), "stderr_lines": result.stderr.splitlines(),
    }
    return record, classify(text, lang) if result.rc != 0 or result.stderr.strip() else []


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
    params = module.params
    lang = params["lang"]
    try:
        region = normalize_region(params["location"]) if params["location"] else None
        if params["endpoints"]:
            endpoints = [normalize_endpoint(item, params["cloud"]) for item in params["endpoints"]]
        else:
            endpoints = [normalize_endpoint(item, params["cloud"])
                         for item in agent_endpoints(params["cloud"], region, params["connection_type"], params["gateway_url"])]
        option_proxy = parse_proxy(params["proxy_url"])
    except (ValueError, ProbeError) as exc:
        module.fail_json(msg=_text(lang, "bad_option", detail=str(exc)))

    runner = None
    agent_record = {"ran": False, "reason": "disabled", "rc": None, "cmd": None, "endpoints": [], "stdout_lines": []}
    want_agent_proxy = params["use_agent_proxy"] and not option_proxy
    if params["agent_check"] != "never" or want_agent_proxy:
        try:
            runner = AgentRunner(module=module, executable=params["executable"], timeout=max(5, params["timeout"]))
        except AgentNotFound as exc:
            if params["agent_check"] == "always":
                module.fail_json(msg=_text(lang, "agent_missing", detail=exc.message), endpoints=[], findings=[], ok=False)
            if params["agent_check"] != "never":
                agent_record["reason"] = "not installed"

    proxy_url, bypass, source = None, list(params["proxy_bypass"] or []), "none"
    if option_proxy:
        proxy_url, source = params["proxy_url"], "option"
    elif want_agent_proxy and runner is not None:
        agent_url, agent_bypass = agent_proxy(runner)
        if agent_url:
            proxy_url, source = agent_url, "agent"
            if params["proxy_bypass"] is None:
                bypass = agent_bypass
    try:
        shown_proxy = parse_proxy(proxy_url)
    except ProbeError as exc:
        module.fail_json(msg=_text(lang, "bad_option", detail=str(exc)))

    agent_findings = []
    box = {}

    def probes():
        box["records"] = probe_all(endpoints, params["timeout"], params["ca_file"], proxy_url, bypass, params["private_link"])

    worker = threading.Thread(target=probes, name="arcops-check-probes", daemon=True)
    worker.start()
    if runner is not None and params["agent_check"] != "never":
        try:
            agent_record, agent_findings = run_agent_check(runner, params, region, lang)
        except AgentError as exc:
            agent_record = {"ran": False, "reason": exc.message, "rc": None, "cmd": None, "endpoints": [], "stdout_lines": []}
    worker.join(params["timeout"] + 5)
    records = box.get("records") or []

    findings = []
    for record in records:
        findings.extend(findings_for(record, lang))
    findings = _dedupe(findings + agent_findings)
    ok = bool(records) and all(r["ok"] for r in records) and not findings
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
        module.fail_json(msg=result["summary"], **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
