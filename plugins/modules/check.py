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
      - The regional Hybrid Instance Metadata Service host is found as the agent finds it, by asking the global one
        (C(GET https://gbl.his.arc.azure.com/discovery?location=<region>&api-version=2.1)) through the proxy and
        O(connect_to); its answer names the host (for example V(ukwest) gives V(uks.his.arc.azure.com)). Only when that
        call fails does the module fall back to the host a public source names for the region (see RV(regional_his)),
        or leave the regional row out, as the agent's own table does, and it says so in a warning.
      - Not used for discovery when O(endpoints) is given (that list is probed as it is).
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
  connect_to:
    description:
      - Where to dial the endpoints' real names, like curl's C(--connect-to) - a dictionary of host name to V(host:port).
        A key is a host name (V(gbl.his.arc.azure.com)), a wildcard for one or more labels (V(*.his.arc.azure.com)) or
        V(*) for every name; the exact name wins over the longest wildcard.
      - It applies to the cloud's endpoints, to the regional discovery call and to the items of O(endpoints) that have no
        C(connect_to) of their own. The real names stay in TLS, the proxy's C(CONNECT) and the findings.
    type: dict
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
  - Lines of the output of C(azcmagent check) that the module does not recognise are reported as warnings (at most ten,
    each shortened), so that a change of the agent's output format is noticed.
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
regional_his:
  description: How the regional Hybrid Instance Metadata Service host was found.
  returned: always
  type: dict
  contains:
    host:
      description: The regional host probed (for example V(weu.his.arc.azure.com)), or V(null) when none is.
      type: str
    source:
      description:
        - V(discovery) (the global endpoint's answer, as the agent does), V(assumed) (the discovery failed; the host a
          public source names for the region), V(none) (the discovery failed and no source names one; no regional row),
          or V(not_needed) (no O(location), or O(endpoints) given).
      type: str
    fell_back:
      description: Whether the discovery failed and the module fell back (V(assumed) or V(none)).
      type: bool
    discovery_url:
      description: The discovery call, or V(null) when none was made.
      type: str
    status:
      description: The HTTP status of the discovery answer, or V(null).
      type: int
    error:
      description: Why the discovery failed, or V(null).
      type: str
endpoints:
  description: One record per endpoint, sorted by URL as C(azcmagent check) prints them (O(endpoints) in the order given).
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

import threading
import time
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils import _agent_check
from ansible_collections.arcops.azcmagent.plugins.module_utils._agent_check import MIN_STAGE, SHOW_SHARE, Deadline
from ansible_collections.arcops.azcmagent.plugins.module_utils._client import AgentModuleClient, Spec
from ansible_collections.arcops.azcmagent.plugins.module_utils._clouds import (
    CLOUD_NAMES,
    agent_endpoints,
    discovery_url,
    global_his_host,
    is_regional_his_host,
    known_regional_his,
    normalize_region,
    parse_url,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._findings import Finding
from ansible_collections.arcops.azcmagent.plugins.module_utils._probes import (
    ADDRESS_CLASSIFIER,
    ProbeError,
    apply_connect_to,
    discover_regional_his,
    findings_for,
    normalize_endpoint,
    parse_proxy,
    probe_all,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import AgentError, AgentNotFound, AgentRunner, RunResult
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import text

Result = t.Dict[str, t.Any]

ARGUMENT_SPEC: Spec = {
    "cloud": {"type": "str", "default": "AzureCloud", "choices": list(CLOUD_NAMES)},
    "location": {"type": "str", "aliases": ["region"]},
    "private_link": {"type": "bool", "default": False},
    "connection_type": {"type": "str", "default": "direct", "choices": ["direct", "gateway"]},
    "gateway_url": {"type": "str"},
    "endpoints": {"type": "list", "elements": "raw"},
    "connect_to": {"type": "dict"},
    "proxy_url": {"type": "str"},
    "proxy_bypass": {"type": "list", "elements": "str", "no_log": False},
    "use_agent_proxy": {"type": "bool", "default": True},
    "ca_file": {"type": "path"},
    "timeout": {"type": "int", "default": 30},
    "agent_check": {"type": "str", "default": "auto", "choices": ["auto", "always", "never"]},
    "executable": {"type": "path"},
    "fail_on_error": {"type": "bool", "default": False},
}
EMPTY: Result = {"changed": False, "ok": False, "endpoints": [], "findings": []}


def bad_option(lang: str, exc: Exception) -> Exception:
    return _agent_check.failure(text("check.bad_option", lang, detail=str(exc)), text("check.bad_option_remediation", lang), extra=EMPTY)


def _with_connect_to(item: object, connect_to: t.Optional[t.Mapping[str, t.Any]]) -> object:
    """An endpoint item with the O(connect_to) address of its host when it has none of its own."""
    if not connect_to:
        return item
    entry = {"url": item} if isinstance(item, str) else dict(item) if isinstance(item, dict) else item
    if isinstance(entry, dict) and entry.get("url") and not entry.get("connect_to"):
        try:
            target = apply_connect_to(parse_url(entry["url"])["host"], connect_to)
        except ValueError:
            return entry
        if target:
            entry["connect_to"] = target
    return entry


def find_agent(client: AgentModuleClient, deadline: Deadline, record: Result) -> t.Optional[AgentRunner]:
    """The runner when the agent is wanted (for its check or its proxy) and installed."""
    params = client.params
    if params["agent_check"] == "never" and not (params["use_agent_proxy"] and not params["proxy_url"]):
        return None
    try:
        return client.make_runner(timeout=deadline.seconds)
    except AgentNotFound as exc:
        if params["agent_check"] == "always":
            raise _agent_check.failure(text("check.agent_missing", client.lang, detail=exc.message),
                                       text("check.agent_missing_remediation", client.lang), "install", extra=EMPTY) from None
        if params["agent_check"] != "never":
            record["reason"] = "not installed"
        return None


def choose_proxy(client: AgentModuleClient, runner: t.Optional[AgentRunner], deadline: Deadline,
                 option_proxy: object) -> t.Tuple[str | None, t.List[str], str]:
    """(proxy URL, bypass list, source): the option, else the agent's setting, else none."""
    params = client.params
    bypass = list(params["proxy_bypass"] or [])
    if option_proxy:
        return params["proxy_url"], bypass, "option"
    if params["use_agent_proxy"] and runner is not None:
        agent_url, agent_bypass = _agent_check.agent_proxy(runner, deadline.remaining(cap=max(MIN_STAGE, deadline.seconds * SHOW_SHARE)))
        if agent_url:
            return agent_url, agent_bypass if params["proxy_bypass"] is None else bypass, "agent"
    return None, bypass, "none"


def regional_his(client: AgentModuleClient, region: str | None, deadline: Deadline, proxy_url: str | None,
                 bypass: t.List[str]) -> Result:
    """The regional HIS host as the agent finds it (discovery through gbl), else the documented fallback, and how."""
    params, lang = client.params, client.lang
    record: Result = {"host": None, "source": "not_needed", "fell_back": False, "discovery_url": None, "status": None, "error": None}
    if not region or params["endpoints"]:
        return record
    url = discovery_url(params["cloud"], region)
    gbl = normalize_endpoint({"url": f"https://{global_his_host(params['cloud'])}",
                              "connect_to": apply_connect_to(global_his_host(params["cloud"]), params["connect_to"])}, params["cloud"])
    answer = discover_regional_his(gbl, url, deadline.remaining(cap=max(MIN_STAGE, deadline.seconds * SHOW_SHARE)),
                                   params["ca_file"], proxy_url, bypass)
    record.update(discovery_url=url, status=answer["status"], error=answer["error"])
    host = answer["host"] if answer["ok"] and answer["host"] and is_regional_his_host(answer["host"], params["cloud"]) else None
    if answer["ok"] and host is None:
        record["error"] = f"not a regional HIS host of {params['cloud']}: {answer['host']}"
    if host:
        record.update(host=host, source="discovery")
        return record
    fallback = known_regional_his(params["cloud"], region)
    record.update(host=fallback, source="assumed" if fallback else "none", fell_back=True)
    if fallback:
        client.warn(text("check.discovery_fallback", lang, url=url, error=record["error"], host=fallback))
    else:
        client.warn(text("check.discovery_none", lang, url=url, error=record["error"]))
    return record


def check(client: AgentModuleClient) -> Result:
    """Probe the endpoints (in a thread) while azcmagent check runs; findings of both, summary, optional failure."""
    params, lang = client.params, client.lang
    deadline = Deadline(params["timeout"])
    try:
        region = normalize_region(params["location"]) if params["location"] else None
        if params["connection_type"] == "gateway" and not params["gateway_url"]:
            raise ValueError("connection_type gateway needs the Arc gateway URL (gateway_url)")
        for key, value in (params["connect_to"] or {}).items():
            normalize_endpoint({"url": "https://probe.invalid", "connect_to": value})
            if not str(key).strip():
                raise ProbeError("connect_to: a key must be a host name, a *.domain wildcard or *")
        option_proxy = parse_proxy(params["proxy_url"])
    except (ValueError, ProbeError) as exc:
        raise bad_option(lang, exc) from None

    agent_record = _agent_check.not_run("disabled")
    runner = find_agent(client, deadline, agent_record)
    proxy_url, bypass, source = choose_proxy(client, runner, deadline, option_proxy)
    try:
        shown_proxy = parse_proxy(proxy_url)
    except ProbeError as exc:
        raise bad_option(lang, exc) from None
    regional = regional_his(client, region, deadline, proxy_url, bypass)
    try:
        listed = params["endpoints"] or agent_endpoints(
            params["cloud"], region, params["connection_type"], params["gateway_url"], regional["host"])
        endpoints = [normalize_endpoint(_with_connect_to(item, params["connect_to"]), params["cloud"]) for item in listed]
    except (ValueError, ProbeError) as exc:
        raise bad_option(lang, exc) from None

    box: Result = {}
    probe_time = deadline.remaining()

    def probes() -> None:
        box["records"] = probe_all(endpoints, probe_time, params["ca_file"], proxy_url, bypass, params["private_link"])

    worker = threading.Thread(target=probes, name="arcops-check-probes", daemon=True)
    worker.start()
    agent_findings: t.List[Finding] = []
    agent_run: t.Optional[RunResult] = None
    if runner is not None and params["agent_check"] != "never":
        try:
            agent_run = runner.run(_agent_check.check_args(params["cloud"], region, params["private_link"]),
                                   timeout=deadline.remaining(), capture_log=False)
            client.warn_unparsed(agent_run)
            agent_record, agent_findings = _agent_check.read_agent_check(agent_run, lang)
        except AgentError as exc:
            agent_record = _agent_check.not_run(exc.message)
    worker.join(max(0.0, deadline.end - time.monotonic()) + MIN_STAGE)
    records = box.get("records") or []

    findings = _agent_check.dedupe([f for record in records for f in findings_for(record, lang)] + agent_findings)
    findings += _agent_check.row_findings(agent_record.get("endpoints") or [], findings, lang, agent_record.pop("errors", None),
                                          shown_proxy["url"] if shown_proxy else None)
    ok = bool(records) and all(r["ok"] for r in records) and not findings and not agent_record.get("unreachable")
    result = {
        "changed": False,
        "ok": ok,
        "summary": _agent_check.summarize(records, findings, lang),
        "endpoints": records,
        "findings": findings,
        "proxy": {"url": shown_proxy["url"] if shown_proxy else None, "bypass": bypass, "source": source},
        "regional_his": regional,
        "agent_check": agent_record,
        "address_classifier": ADDRESS_CLASSIFIER,
    }
    if params["fail_on_error"] and not ok:
        raise _agent_check.failure_from_findings(lang, result, agent_run)
    return result


def main() -> None:
    client = AgentModuleClient(ARGUMENT_SPEC, agent_options=False, required_if=[("connection_type", "gateway", ["gateway_url"])])
    client.run(check)


if __name__ == "__main__":
    main()
