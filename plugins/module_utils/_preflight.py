# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE: the network preflight that the ``check`` module runs, and ``connect`` before it has to connect.

:data:`PREFLIGHT_SPEC` is the one argument spec of its options (the ``check`` module's, and the ``preflight`` dict
of ``connect``); :func:`preflight` probes DNS / TCP / TLS / proxy for the agent's endpoints (its regional host found
as the agent finds it) while ``azcmagent check`` runs, and returns the findings of both with a summary.
"""

from __future__ import annotations

import re
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

PREFLIGHT_SPEC: Spec = {
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


def find_agent(client: AgentModuleClient, params: t.Mapping[str, t.Any], deadline: Deadline, record: Result) -> t.Optional[AgentRunner]:
    """The runner when the agent is wanted (for its check or its proxy) and installed."""
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


def choose_proxy(params: t.Mapping[str, t.Any], runner: t.Optional[AgentRunner], deadline: Deadline,
                 option_proxy: object) -> t.Tuple[str | None, t.List[str], str]:
    """(proxy URL, bypass list, source): the option, else the agent's setting, else none."""
    bypass = list(params["proxy_bypass"] or [])
    if option_proxy:
        return params["proxy_url"], bypass, "option"
    if params["use_agent_proxy"] and runner is not None:
        agent_url, agent_bypass = _agent_check.agent_proxy(runner, deadline.remaining(cap=max(MIN_STAGE, deadline.seconds * SHOW_SHARE)))
        if agent_url:
            return agent_url, agent_bypass if params["proxy_bypass"] is None else bypass, "agent"
    return None, bypass, "none"


def regional_his(client: AgentModuleClient, params: t.Mapping[str, t.Any], region: str | None, deadline: Deadline,
                 proxy_url: str | None, bypass: t.List[str]) -> Result:
    """The regional HIS host as the agent finds it (discovery through gbl), else the documented fallback, and how."""
    lang = client.lang
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


# connect_to: host name -> address[:port]; a key is a host name, a *.domain wildcard or *
_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
CONNECT_TO_KEY_RE = re.compile(r"\A(?:\*|(?:\*\.)?" + _LABEL + r"(?:\." + _LABEL + r")*\.?)\Z")
CONNECT_TO_MAX = 50
CONNECT_TO_NAME_MAX = 253


def check_connect_to(connect_to: t.Optional[t.Mapping[str, t.Any]]) -> None:
    """connect_to's keys are host names (or wildcards) and its values addresses; at most :data:`CONNECT_TO_MAX`."""
    items = (connect_to or {}).items()
    if len(items) > CONNECT_TO_MAX:
        raise ProbeError(f"connect_to must hold at most {CONNECT_TO_MAX} host names, got {len(items)}")
    for key, value in items:
        if len(str(key)) > CONNECT_TO_NAME_MAX or not CONNECT_TO_KEY_RE.match(str(key)):
            raise ProbeError(f"connect_to: a key must be a host name, a *.domain wildcard or * (at most {CONNECT_TO_NAME_MAX} "
                             f"characters), got {str(key)[:80]!r}")
        if not isinstance(value, str) or len(value) > CONNECT_TO_NAME_MAX + 6:
            raise ProbeError(f"connect_to: the value of {key} must be an address or address:port, got {str(value)[:80]!r}")
        normalize_endpoint({"url": "https://probe.invalid", "connect_to": value})


def preflight(client: AgentModuleClient, params: t.Mapping[str, t.Any]) -> Result:
    """Probe the endpoints (in a thread) while azcmagent check runs; findings of both, summary, optional failure.

    ``params`` are the options of :data:`PREFLIGHT_SPEC` (validated, defaults filled) plus ``fail_on_error``."""
    lang = client.lang
    deadline = Deadline(params["timeout"])
    try:
        region = normalize_region(params["location"]) if params["location"] else None
        if params["connection_type"] == "gateway" and not params["gateway_url"]:
            raise ValueError("connection_type gateway needs the Arc gateway URL (gateway_url)")
        check_connect_to(params["connect_to"])
        option_proxy = parse_proxy(params["proxy_url"])
    except (ValueError, ProbeError) as exc:
        raise bad_option(lang, exc) from None

    agent_record = _agent_check.not_run("disabled")
    runner = find_agent(client, params, deadline, agent_record)
    proxy_url, bypass, source = choose_proxy(params, runner, deadline, option_proxy)
    try:
        shown_proxy = parse_proxy(proxy_url)
    except ProbeError as exc:
        raise bad_option(lang, exc) from None
    regional = regional_his(client, params, region, deadline, proxy_url, bypass)
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


def options(client: AgentModuleClient, given: t.Mapping[str, t.Any], cloud: str | None, location: str | None) -> Result:
    """The ``preflight`` dict of ``connect`` validated against :data:`PREFLIGHT_SPEC`, defaults filled in; the cloud
    and location of the connect unless it names its own (a cloud the preflight does not know is left to its default)."""
    merged: Result = {}
    if cloud in CLOUD_NAMES:
        merged["cloud"] = cloud
    if location:
        merged["location"] = location
    merged.update(given)
    try:
        params = client.validate_dict("preflight", PREFLIGHT_SPEC, merged)
    except ValueError as exc:
        raise bad_option(client.lang, exc) from None
    params["fail_on_error"] = False
    return params
