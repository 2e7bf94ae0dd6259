# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The check module's reading of the agent: ``azcmagent check`` output, its rows as findings, the agent's proxy,
the summary and the module's one time budget.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

Everything here is pure except :func:`agent_proxy` and :func:`run_agent_check`, which take a runner.
"""

from __future__ import annotations

import json
import re
import time
import typing as t

from http.client import responses as _HTTP_REASONS

from ansible_collections.arcops.azcmagent.plugins.module_utils import _outcome
from ansible_collections.arcops.azcmagent.plugins.module_utils._classifier import classify
from ansible_collections.arcops.azcmagent.plugins.module_utils._findings import Finding
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_check import parse_check
from ansible_collections.arcops.azcmagent.plugins.module_utils._probes import ProbeError, findings_for, normalize_endpoint
from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import AgentError, AgentRunner, RunResult
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import text

Record = t.Dict[str, t.Any]

# Share of the time budget that reading the agent's proxy (``show -j``) may use, so a hanging show leaves time to probe.
SHOW_SHARE = 1.0 / 3.0
# Shortest time any stage gets, even when the budget is spent (seconds).
MIN_STAGE = 1.0

# A failed endpoint in the agent's log (logrus text form), on stdout or, with --log-stderr, stderr:
#   time="..." level=error msg="https://gbl.his.arc.azure.com is not reachable" Error="Forbidden"
# ASSUMED: no public capture shows this line (public copies of `azcmagent check` are screenshots of its table); only
# the reference and our simulator print it. Without it a row that the table marks not reachable still gets a finding
# (tcp_connect_failed); the line only refines which one.
_NOT_REACHABLE_RE = re.compile(
    r'^(?:time="[^"]*"\s+)?level=(?:error|warning)\s+'          # optional time, then the level
    r'msg="(?P<url>[^"\s]+) is not reachable"'                 # the endpoint the agent could not reach
    r'(?:\s+Error=(?P<error>"(?:[^"\\]|\\.)*"|\S+))?\s*$'      # its error: a quoted (Go %q) or bare word
)
# HTTP status of a reason phrase ("forbidden" -> 403): Go reports a proxy's refusal of CONNECT by the phrase alone.
_STATUS_BY_REASON = {reason.lower(): status for status, reason in _HTTP_REASONS.items()}


class Deadline:
    """One time budget for the whole module: every stage gets only what is left (at least MIN_STAGE)."""

    def __init__(self, seconds: float, clock: t.Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.seconds = max(MIN_STAGE, float(seconds))
        self.end = clock() + self.seconds

    def remaining(self, cap: float | None = None) -> float:
        left = max(MIN_STAGE, self.end - self.clock())
        return round(min(left, cap) if cap is not None else left, 2)


def not_run(reason: str | None) -> Record:
    """The agent_check record of a check that did not run."""
    return {"ran": False, "reason": reason, "rc": None, "cmd": None, "endpoints": [], "stdout_lines": []}


def split_list(value: object) -> t.List[str]:
    """The agent's list values: a JSON list, or a comma separated string ("ARM,Arc")."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).strip("[]").split(",") if v.strip()]


def agent_proxy(runner: AgentRunner, timeout: float) -> t.Tuple[str | None, t.List[str]]:
    """(proxy.url, proxy.bypass) of the installed agent from ``show -j`` (within timeout seconds); (None, []) when unknown."""
    try:
        result = runner.run(["show", "-j"], verbose=False, capture_log=False, timeout=timeout)
    except AgentError:
        return None, []
    if result.rc != 0 or result.timed_out:
        return None, []
    try:
        data = json.loads(result.stdout)
    except (ValueError, RecursionError):  # deeply nested JSON
        return None, []
    if not isinstance(data, dict):
        return None, []
    return (data.get("httpsProxy") or None), split_list(data.get("proxyBypass"))


def check_args(cloud: str, region: str | None, private_link: bool) -> t.List[str]:
    args = ["check"]
    if region:
        args += ["--location", region, "--cloud", cloud]
    if private_link:
        args.append("--enable-pls-check")
    return args


def _row_endpoint(row: t.Mapping[str, t.Any]) -> t.Tuple[str, int, str]:
    """host, port and url of an ``azcmagent check`` row."""
    try:
        endpoint = normalize_endpoint(row.get("endpoint") or "")
        return endpoint["host"], endpoint["port"], endpoint["url"]
    except (ValueError, ProbeError, KeyError, TypeError):
        name = str(row.get("endpoint") or "").strip()
        return name.split("://", 1)[-1].split("/", 1)[0] or name, 443, name


def agent_errors(output: str) -> t.Dict[str, str]:
    """{endpoint URL: error text} from the agent's ``level=error msg="<url> is not reachable" Error=...`` lines."""
    errors: t.Dict[str, str] = {}
    for line in output.splitlines():
        match = _NOT_REACHABLE_RE.match(line.strip())
        if match and match.group("error"):
            error = match.group("error")
            if error.startswith('"'):
                try:
                    error = str(json.loads(error))
                except (ValueError, RecursionError):  # deeply nested JSON
                    error = error.strip('"')
            errors.setdefault(match.group("url").rstrip("/"), error)
    return errors


def _names_host(finding: t.Mapping[str, t.Any], host: str) -> bool:
    return (finding.get("details") or {}).get("host") == host or host in (finding.get("evidence") or "")


def row_findings(rows: t.Sequence[t.Mapping[str, t.Any]], known: t.Sequence[t.Mapping[str, t.Any]], lang: str,
                 errors: t.Optional[t.Mapping[str, str]] = None, proxy_url: str | None = None) -> t.List[Finding]:
    """A finding, in the shape the probes give for the same failure, for every row that azcmagent check reports not
    reachable and that no other finding names (by host or in its evidence).

    A row whose error the classifier knows gets that finding (``dns_no_such_host`` for ``no such host``,
    ``tls_interception`` for ``x509: …``); a row through the proxy whose error is an HTTP status text (``Forbidden``)
    gets the proxy's finding for that status (``proxy_forbidden`` for 403); every other row gets
    ``tcp_connect_failed`` with the agent's error, if any.
    """
    errors = errors or {}
    found: t.List[Finding] = []
    for row in rows:
        if row.get("reachable") is not False:
            continue
        host, port, url = _row_endpoint(row)
        if any(_names_host(f, host) for f in list(known) + found):
            continue
        reported = errors.get(str(row.get("endpoint") or "").rstrip("/"))
        error = reported or text("check.not_reachable", lang)
        record: Record = {"url": url, "host": host, "port": port, "connect_to": f"{host}:{port}", "dns": {},
                          "proxy": {"used": False}, "tcp": {"ok": False, "error": error}, "tls": {"ok": False, "error": None}}
        status = _STATUS_BY_REASON.get(error.strip().lower())
        if str(row.get("proxy") or "").strip().lower() == "set" and status:
            record["tcp"] = {"ok": True, "error": None}
            record["proxy"] = {"used": True, "url": proxy_url or "(proxy.url)", "status": status, "reason": error.strip(), "error": None}
        # The agent's own error for the row says what failed (no such host, x509: …); the probes' generic finding
        # only when the classifier knows none.
        classified = list(classify(reported, lang)) if reported else []
        for finding in classified or findings_for(record, lang):
            finding["details"] = {**(finding.get("details") or {}), "host": host, "port": port, "url": url}
            suffix = f" error={reported}" if reported else ""
            finding["evidence"] = (f"azcmagent check: {row.get('endpoint')} reachable=false private={row.get('private')} "
                                   f"tls={row.get('tls')} proxy={row.get('proxy')}{suffix}")
            finding["details"]["source"] = "azcmagent check"
            found.append(finding)
    return found


def read_agent_check(result: RunResult, lang: str) -> t.Tuple[Record, t.List[Finding]]:
    """The agent_check record and the classified findings of one ``azcmagent check`` run.

    The agent writes its log lines to stdout unless ``--log-stderr`` is given, so both streams are classified;
    the record keeps the agent's per-endpoint errors under ``errors`` for :func:`row_findings`."""
    output = "\n".join(x for x in (result.stdout, result.stderr) if x)
    parsed = parse_check(output)
    rows = parsed.get("endpoints", []) if isinstance(parsed, dict) else list(parsed or [])
    record: Record = {
        "ran": True, "reason": None, "rc": result.rc, "cmd": result.cmd, "endpoints": rows,
        "unreachable": sum(1 for row in rows if row.get("reachable") is False),
        "timed_out": result.timed_out, "stdout_lines": result.stdout.splitlines(), "stderr_lines": result.stderr.splitlines(),
        "errors": agent_errors(output),
    }
    return record, list(classify(output, lang))


def dedupe(findings: t.Iterable[Finding]) -> t.List[Finding]:
    seen = set()
    unique = []
    for finding in findings:
        key = (finding.get("id"), (finding.get("details") or {}).get("host"), finding.get("evidence"))
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def summarize(records: t.Sequence[t.Mapping[str, t.Any]], findings: t.Sequence[t.Mapping[str, t.Any]], lang: str) -> str:
    total = len(records)
    good = sum(1 for r in records if r["ok"])
    if good == total and not findings:
        return text("check.summary_ok", lang, total=total)
    first = str(findings[0]["cause"]).rstrip(".") if findings else ""
    if good == total:
        return text("check.summary_findings", lang, total=total, first=first)
    return text("check.summary_bad", lang, good=good, total=total, first=first).replace(" .", "").replace("..", ".")


def failure(cause: str, remediation: str, category: str = "input", findings: t.Optional[t.Sequence[Finding]] = None,
            run: RunResult | None = None, summary: str | None = None, action: str = "report",
            extra: t.Optional[t.Mapping[str, t.Any]] = None) -> _outcome.ModuleFailure:
    """The check module's failure: msg is ``"<cause>. <remediation>."``, followed by the summary when there is one."""
    outcome = _outcome.empty_outcome()
    outcome.update({"rc": None, "exit_code": None, "cause": cause, "remediation": remediation, "category": category,
                    "action": action, "retryable": False, "findings": list(findings or [])})
    msg = _outcome.message(outcome)
    if summary:
        msg = f"{msg} {summary}"
    return _outcome.failure(outcome, msg=msg, run=run, **dict(extra or {}))


def failure_from_findings(lang: str, result: t.Mapping[str, t.Any], run: RunResult | None) -> _outcome.ModuleFailure:
    """fail_on_error: the first finding's cause and remediation (a generic network failure when there is none)."""
    findings = result["findings"]
    if findings:
        first = findings[0]
        return failure(first.get("cause"), first.get("remediation"), first.get("category") or "unknown", findings, run,
                       result["summary"], action=first.get("action") or "report", extra=result)
    return failure(text("check.no_finding", lang), text("check.no_finding_remediation", lang), "network", [], run, result["summary"],
                   action="check_network", extra=result)
