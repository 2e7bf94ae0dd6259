# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Network probes for the agent's endpoints: DNS, TCP 443, TLS and proxy CONNECT.

PRIVATE: this module is internal to the arcops.azcmagent collection and may change at any time.

Standard library only (``netaddr`` is used to classify addresses when it is importable, with
``ipaddress`` as the fallback). Every probe is bounded by a deadline; :func:`probe_all` runs
one daemon thread per endpoint so a slow name lookup cannot hold the module past its
``timeout``. Nothing is sent anywhere but to the endpoints (or the proxy) it is given.

An endpoint is a dict (see :func:`normalize_endpoint`): ``url`` is the real name, used for
the TLS server name, certificate verification, the proxy CONNECT target and the messages;
``connect_to`` (``host:port``, optional) is the address really dialled, like curl's
``--connect-to``; it lets a test probe ``https://login.microsoftonline.com`` on a loopback
server.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import re
import socket
import ssl
import threading
import time
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._clouds import bypass_group_of, parse_url
from ansible_collections.arcops.azcmagent.plugins.module_utils._findings import FINDING_KINDS, Finding
from ansible_collections.arcops.azcmagent.plugins.module_utils._findings import KINDS as FINDING_KINDS_BY_ID
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import LANGUAGES

try:
    import netaddr  # optional: a richer address classifier where the node has it
except ImportError:  # pragma: no cover - depends on the node
    netaddr = None

ADDRESS_CLASSIFIER = "netaddr" if netaddr is not None else "ipaddress"

# host:port for connect_to; the host may be a [bracketed] IPv6 address.
_HOST_PORT_RE = re.compile(r"^(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s:\[\]/]+)(?::(?P<port>\d{1,5}))?$")

# http://[user:password@]host[:port][/] -- the only proxy form the agent accepts (no TLS to the proxy).
_PROXY_RE = re.compile(
    r"^(?P<scheme>http)://"                      # the agent's proxy.url is always http://
    r"(?:(?P<user>[^:@/\s]+)(?::(?P<password>[^@/\s]*))?@)?"  # optional basic credentials
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s:/@\[\]]+)"  # host name, IPv4 or [IPv6]
    r"(?::(?P<port>\d{1,5}))?/?$",               # optional port, optional trailing slash
    re.IGNORECASE,
)

# First line of the proxy's answer to CONNECT: "HTTP/1.1 403 Forbidden".
_STATUS_LINE_RE = re.compile(r"^HTTP/(?P<version>\d(?:\.\d)?)\s+(?P<status>\d{3})(?:\s+(?P<reason>.*))?$")

# Expected address class of an endpoint's name.
EXPECT_VALUES = ("auto", "private", "public", "any")

_MAX_PROXY_ANSWER = 65536

#: The finding ids a probe can produce (their meaning and texts: ``_findings`` and ``_texts``).
FINDING_IDS: tuple[str, ...] = tuple(sorted(kind.id for kind in FINDING_KINDS if kind.probe_texts))

# The details a probe finding keeps of the fields its texts are filled with.
_DETAIL_KEYS = ("host", "port", "url", "proxy", "status", "addresses", "expected")


# An endpoint as normalize_endpoint() gives it, the record of one probed endpoint, a parsed proxy URL.
Endpoint = t.Dict[str, t.Any]
Record = t.Dict[str, t.Any]
# socket.getaddrinfo or a stand-in with its signature (tests).
Resolver = t.Callable[..., t.Any]


class Proxy(t.TypedDict):
    """A proxy URL split by :func:`parse_proxy`; ``url`` never holds the credentials."""

    url: str
    host: str
    port: int
    authorization: str | None


class ProbeError(ValueError):
    """A bad endpoint, proxy or option given to the probes."""


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be en or nl, not {lang!r}")


def classify_address(address: str) -> str:
    """Class of one IP address: loopback, private, link_local, public, or reserved.

    ``private`` covers RFC 1918, RFC 6598 (shared address space) and IPv6 unique local
    addresses: what a private endpoint can have. Loopback is its own class on purpose:
    a name mapped to 127.0.0.1 (tests, local forwarders) is neither evidence of a
    private endpoint nor of a public one.
    """
    if netaddr is not None:
        try:
            ip = netaddr.IPAddress(address)
        except (netaddr.AddrFormatError, ValueError, TypeError):
            return "reserved"
        if ip.is_loopback():
            return "loopback"
        if ip.is_link_local():
            return "link_local"
        if _NETADDR_PRIVATE is not None and ip in _NETADDR_PRIVATE:
            return "private"
        return "public" if ip.is_global() else "reserved"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "reserved"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link_local"
    if any(ip in net for net in _PRIVATE_NETS if net.version == ip.version):
        return "private"
    return "public" if ip.is_global else "reserved"


_PRIVATE_CIDRS = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
_PRIVATE_NETS = tuple(ipaddress.ip_network(cidr) for cidr in _PRIVATE_CIDRS)
_NETADDR_PRIVATE = netaddr.IPSet(_PRIVATE_CIDRS) if netaddr is not None else None


def addresses_class(addresses: t.Iterable[str]) -> str | None:
    """Overall class of a list of addresses: the common class, ``mixed``, or None when empty."""
    classes = sorted(set(classify_address(a) for a in addresses))
    if not classes:
        return None
    return classes[0] if len(classes) == 1 else "mixed"


def parse_proxy(proxy_url: object) -> Proxy | None:
    """Split an ``http://[user:password@]host[:port]`` proxy URL; None or "" gives None.

    Returns ``{url, host, port, authorization}``; ``url`` never holds the credentials.
    """
    if proxy_url is None or str(proxy_url).strip() == "":
        return None
    match = _PROXY_RE.match(str(proxy_url).strip())
    if not match:
        raise ProbeError("invalid proxy URL: expected http://host:port (the agent only supports HTTP proxies)")
    host = match.group("host").strip("[]")
    port = int(match.group("port") or 80)
    if not 0 < port < 65536:
        raise ProbeError(f"invalid proxy port {port}")
    authorization = None
    if match.group("user"):
        raw = f"{match.group('user')}:{match.group('password') or ''}"
        authorization = "Basic " + base64.b64encode(raw.encode("utf-8")).decode("ascii")
    shown = host if ":" not in host else f"[{host}]"
    return {"url": f"http://{shown}:{port}", "host": host, "port": port, "authorization": authorization}


def normalize_endpoint(item: object, cloud: str | None = None) -> Endpoint:
    """Normalize one endpoint given as a URL string or a dict.

    Dict keys: ``url`` (required), ``connect_to`` (``host:port`` really dialled),
    ``expect`` (``auto``, ``private``, ``public``, ``any``: the address class the name must
    resolve to; ``auto`` follows the private link setting), ``bypass_group`` (AAD, ARM, Arc;
    derived from the host name when absent), ``private_link_capable``, ``purpose``.
    """
    if isinstance(item, str):
        item = {"url": item}
    if not isinstance(item, dict) or not item.get("url"):
        raise ProbeError(f"an endpoint must be a URL string or a dict with a url key, not {item!r}")
    try:
        parts = parse_url(item["url"])
    except ValueError as exc:
        raise ProbeError(str(exc)) from None
    if parts["scheme"] != "https":
        raise ProbeError(f"endpoint {item['url']}: only https endpoints can be probed")
    connect_host, connect_port = parts["host"], parts["port"]
    if item.get("connect_to"):
        match = _HOST_PORT_RE.match(str(item["connect_to"]).strip())
        if not match:
            raise ProbeError(f"endpoint {item['url']}: connect_to must be host:port, not {item['connect_to']!r}")
        connect_host = match.group("host").strip("[]")
        connect_port = int(match.group("port") or parts["port"])
    expect = item.get("expect") or "auto"
    if expect not in EXPECT_VALUES:
        raise ProbeError(f"endpoint {item['url']}: expect must be one of {', '.join(EXPECT_VALUES)}")
    group = item.get("bypass_group") or bypass_group_of(parts["host"], cloud)
    capable = item.get("private_link_capable")
    if capable is None:
        capable = group == "Arc"
    return {
        "url": parts["url"],
        "host": parts["host"],
        "port": parts["port"],
        "connect_host": connect_host,
        "connect_port": connect_port,
        "expect": expect,
        "bypass_group": group,
        "private_link_capable": bool(capable),
        "purpose": item.get("purpose") or "",
    }


def bypassed(endpoint: t.Mapping[str, t.Any], bypass: t.Iterable[object] | None) -> bool:
    """True when ``endpoint`` is exempt from the proxy by ``bypass``.

    ``bypass`` is a list of the agent's groups (AAD, ARM, Arc, ArcData, AMA; any case) and,
    as an extension, host names or ``.suffix`` domains.
    """
    host = endpoint["host"]
    group = (endpoint.get("bypass_group") or "").lower()
    for entry in bypass or ():
        value = str(entry).strip().lower()
        if not value:
            continue
        if group and value == group:
            return True
        if value == host or (value.startswith(".") and host.endswith(value)):
            return True
    return False


def _remaining(deadline: float) -> float:
    return max(0.05, deadline - time.monotonic())


def _error_text(exc: BaseException) -> str:
    """A short, stable text for a socket-level exception."""
    if isinstance(exc, socket.timeout):
        return "timed out"
    if isinstance(exc, socket.gaierror):
        return exc.strerror or str(exc)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return exc.verify_message or exc.reason or str(exc)
    if isinstance(exc, ssl.SSLError):
        return exc.reason or str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or exc.__class__.__name__


# Special-use names that must never be sent to a resolver (RFC 6761 section 6.4).
_SPECIAL_NXDOMAIN_RE = re.compile(r"(?:^|\.)invalid$", re.IGNORECASE)


def resolve(host: str, deadline: float, resolver: Resolver | None = None) -> dict[str, t.Any]:
    """Resolve ``host`` before ``deadline`` (a time.monotonic() value).

    Returns ``{ok, name, addresses, error}``. The lookup runs in a daemon thread so that a
    resolver that hangs cannot hold the caller past the deadline.
    """
    if _SPECIAL_NXDOMAIN_RE.search(host.rstrip(".")):
        # RFC 6761 6.4: names under .invalid never resolve; resolvers must not be asked.
        return {"ok": False, "name": host, "addresses": [], "error": "no such host"}
    resolver = resolver or socket.getaddrinfo
    box: dict[str, t.Any] = {}

    def work() -> None:
        try:
            infos = resolver(host, 443, 0, socket.SOCK_STREAM)
            box["addresses"] = sorted(set(info[4][0] for info in infos))
        except (OSError, UnicodeError) as exc:
            box["error"] = _error_text(exc)

    thread = threading.Thread(target=work, name=f"arcops-dns-{host}", daemon=True)
    thread.start()
    thread.join(_remaining(deadline))
    if thread.is_alive():
        return {"ok": False, "name": host, "addresses": [], "error": "timed out"}
    if "error" in box:
        return {"ok": False, "name": host, "addresses": [], "error": box["error"]}
    return {"ok": bool(box["addresses"]), "name": host, "addresses": box["addresses"], "error": None if box["addresses"] else "no addresses"}


def _expected_class(endpoint: Endpoint, private_link: bool) -> str | None:
    expect = endpoint["expect"]
    if expect == "auto":
        return "private" if (private_link and endpoint["private_link_capable"]) else "public"
    return None if expect == "any" else expect


def _dns_verdict(dns: dict[str, t.Any], expected: str | None) -> dict[str, t.Any]:
    """Fill dns.class / dns.private / dns.expected / dns.matches (None when not checked)."""
    cls = addresses_class(dns["addresses"])
    dns["class"] = cls
    dns["private"] = None if cls in (None, "loopback", "mixed", "reserved", "link_local") else cls == "private"
    dns["expected"] = expected
    if expected is None or dns["private"] is None:
        dns["matches"] = None
    else:
        dns["matches"] = dns["private"] == (expected == "private")
    return dns


def _read_proxy_answer(sock: socket.socket, deadline: float) -> tuple[int, str]:
    data = b""
    while b"\r\n\r\n" not in data:
        sock.settimeout(_remaining(deadline))
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
        if len(data) > _MAX_PROXY_ANSWER:
            break
    head = data.split(b"\r\n\r\n", 1)[0].decode("iso-8859-1")
    first = head.split("\r\n", 1)[0].strip()
    match = _STATUS_LINE_RE.match(first)
    if not match:
        raise OSError(f"unexpected answer from the proxy: {first[:80]!r}")
    return int(match.group("status")), (match.group("reason") or "").strip()


def probe_endpoint(endpoint: Endpoint, deadline: float, ca_file: str | None = None, proxy: Proxy | None = None,
                   proxy_bypass: t.Iterable[object] | None = None, private_link: bool = False, resolver: Resolver | None = None) -> Record:
    """Probe one normalized endpoint (see :func:`normalize_endpoint`) before ``deadline``.

    ``proxy`` is the result of :func:`parse_proxy` (or None). Returns the endpoint's record:
    ``url``, ``host``, ``port``, ``connect_to``, ``dns``, ``tcp``, ``tls``, ``proxy``,
    ``ok``, ``elapsed``.
    """
    started = time.monotonic()
    via = proxy if proxy is not None and not bypassed(endpoint, proxy_bypass) else None
    use_proxy = via is not None
    record = _new_record(endpoint, use_proxy, proxy)
    if use_proxy:
        # Through a proxy the proxy resolves the name (CONNECT host:port): the machine's resolver is not asked.
        dns = {"ok": None, "name": endpoint["connect_host"], "addresses": [], "error": None, "resolved_by": "proxy"}
    else:
        dns = resolve(endpoint["connect_host"], deadline, resolver)
    record["dns"] = _dns_verdict(dns, _expected_class(endpoint, private_link))
    sock = None
    try:
        if via is not None:
            target = (via["host"], via["port"])
        elif dns["ok"]:
            target = (dns["addresses"][0], endpoint["connect_port"])
        else:
            record["tcp"]["error"] = "name not resolved"
            return record
        try:
            sock = socket.create_connection(target, timeout=_remaining(deadline))
        except OSError as exc:
            record["tcp"]["error"] = _error_text(exc)
            if use_proxy:
                record["proxy"].update(ok=False, error=_error_text(exc))
            return record
        record["tcp"].update(ok=True, address=f"{target[0]}:{target[1]}")
        if via is not None:
            lines = [f"CONNECT {endpoint['host']}:{endpoint['port']} HTTP/1.1", f"Host: {endpoint['host']}:{endpoint['port']}"]
            if via["authorization"]:
                lines.append(f"Proxy-Authorization: {via['authorization']}")
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
            try:
                status, reason = _read_proxy_answer(sock, deadline)
            except OSError as exc:
                record["proxy"].update(ok=False, error=_error_text(exc))
                return record
            record["proxy"].update(ok=status == 200, status=status, reason=reason)
            if status != 200:
                return record
        context = ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        sock.settimeout(_remaining(deadline))
        try:
            tls = context.wrap_socket(sock, server_hostname=endpoint["host"])
        except ssl.SSLCertVerificationError as exc:
            record["tls"].update(verified=False, error=_error_text(exc))
            return record
        except (ssl.SSLError, OSError) as exc:
            record["tls"]["error"] = _error_text(exc)
            return record
        sock = tls
        version = tls.version() or ""
        record["tls"].update(ok=True, verified=True, version=version.replace("TLSv", "TLS "))
        record["ok"] = True
        return record
    finally:
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass
        record["elapsed"] = round(time.monotonic() - started, 3)


def _new_record(endpoint: Endpoint, use_proxy: bool, proxy: Proxy | None) -> Record:
    """The record of one endpoint before anything was probed."""
    return {
        "url": endpoint["url"],
        "host": endpoint["host"],
        "port": endpoint["port"],
        "connect_to": f"{endpoint['connect_host']}:{endpoint['connect_port']}",
        "bypass_group": endpoint["bypass_group"],
        "purpose": endpoint["purpose"],
        "dns": None,
        "tcp": {"ok": False, "address": None, "error": None},
        "tls": {"ok": False, "version": None, "verified": None, "error": None},
        "proxy": {"used": use_proxy, "url": proxy["url"] if use_proxy and proxy is not None else None, "ok": None, "status": None,
                  "reason": None, "error": None},
        "ok": False,
    }


def _timed_out_record(endpoint: Endpoint, proxy: Proxy | None, proxy_bypass: t.Iterable[object] | None) -> Record:
    record = _new_record(endpoint, proxy is not None and not bypassed(endpoint, proxy_bypass), proxy)
    record["tcp"]["error"] = "timed out"
    record.update(timed_out=True, elapsed=None)
    return record


def probe_all(endpoints: t.Sequence[Endpoint], timeout: float = 10.0, ca_file: str | None = None, proxy_url: str | None = None,
              proxy_bypass: t.Iterable[object] | None = None, private_link: bool = False, resolver: Resolver | None = None) -> list[Record]:
    """Probe normalized ``endpoints`` in parallel, all within ``timeout`` seconds.

    Returns the records in the order of ``endpoints``; a probe that has not finished at the
    deadline gives a record with ``timed_out: true``.
    """
    proxy = parse_proxy(proxy_url)
    deadline = time.monotonic() + float(timeout)
    results: list[Record | None] = [None] * len(endpoints)
    threads = []

    def work(index: int, endpoint: Endpoint) -> None:
        try:
            results[index] = probe_endpoint(endpoint, deadline, ca_file, proxy, proxy_bypass, private_link, resolver)
        except Exception as exc:  # noqa: BLE001 - a probe must never take the others down
            record = _timed_out_record(endpoint, proxy, proxy_bypass)
            record.update(timed_out=False)
            record["tcp"]["error"] = f"probe failed: {_error_text(exc)}"
            results[index] = record

    for index, endpoint in enumerate(endpoints):
        thread = threading.Thread(target=work, args=(index, endpoint), name=f"arcops-probe-{index}", daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()) + 0.5)
    return [result if result is not None else _timed_out_record(endpoint, proxy, proxy_bypass)
            for result, endpoint in zip(results, endpoints)]


def _finding(fid: str, lang: str, evidence: str, **fields: t.Any) -> Finding:
    kind = FINDING_KINDS_BY_ID[fid]
    return {
        "id": fid,
        "category": kind.category,
        "cause": kind.probe_text("cause", lang, **fields),
        "remediation": kind.probe_text("remediation", lang, **fields),
        "evidence": evidence,
        "action": kind.action,
        "retryable": kind.retryable,
        "details": {key: value for key, value in fields.items() if key in _DETAIL_KEYS},
    }


def _tcp_finding_id(error: str | None) -> str:
    """The classifier's id for a failed dial, by the socket error text."""
    text = (error or "").lower()
    if "refused" in text:
        return "connection_refused"
    if "timed out" in text:
        return "io_timeout"
    if "unreachable" in text:
        return "network_unreachable"
    return "tcp_connect_failed"


def findings_for(record: t.Mapping[str, t.Any], lang: str = "en") -> list[Finding]:
    """Findings (the classifier's shape) for one probe record; [] when it is healthy."""
    _check_lang(lang)
    base = {"host": record["host"], "port": record["port"], "url": record["url"]}
    if record.get("timed_out"):
        return [_finding("io_timeout", lang, f"{record['url']}: timed out", **base)]
    found = []
    dns = record["dns"] or {}
    proxy = record["proxy"]
    if not proxy["used"]:
        if dns and not dns.get("ok"):
            found.append(_finding("dns_no_such_host", lang, f"lookup {dns.get('name')}: {dns.get('error')}",
                                  error=dns.get("error"), **base))
            return found
    if dns.get("matches") is False:
        fid = "dns_not_private" if dns["expected"] == "private" else "dns_not_public"
        found.append(_finding(fid, lang, f"{dns['name']} -> {', '.join(dns['addresses'])}",
                              addresses=", ".join(dns["addresses"]), expected=dns["expected"], **base))
    if proxy["used"]:
        if proxy["status"] is None and (proxy["error"] or not record["tcp"]["ok"]):
            error = proxy["error"] or record["tcp"]["error"]
            found.append(_finding("proxyconnect_failed", lang, f"proxyconnect tcp {proxy['url']}: {error}",
                                  proxy=proxy["url"], error=error, **base))
            return found
        if proxy["status"] is not None and proxy["status"] != 200:
            fid = {403: "proxy_forbidden", 407: "proxy_auth_required"}.get(proxy["status"], "proxy_connect_failed")
            evidence = f"CONNECT {record['host']}:{record['port']} via {proxy['url']}: {proxy['status']} {proxy['reason']}"
            found.append(_finding(fid, lang, evidence, proxy=proxy["url"], status=proxy["status"], reason=proxy["reason"], **base))
            return found
    elif not record["tcp"]["ok"]:
        found.append(_finding(_tcp_finding_id(record["tcp"]["error"]), lang, f"dial tcp {record['connect_to']}: {record['tcp']['error']}",
                              error=record["tcp"]["error"], **base))
        return found
    tls = record["tls"]
    if not tls["ok"] and tls["error"]:
        if tls["verified"] is False:
            found.append(_finding("tls_interception", lang, f"x509: {tls['error']}. Failed to Tls dialing {record['host']}",
                                  error=tls["error"], **base))
        else:
            found.append(_finding("tls_handshake_failed", lang, f"tls {record['host']}: {tls['error']}", error=tls["error"], **base))
    return found


# ---------------------------------------------------------------------------------------------
# The agent's regional discovery: GET https://gbl.his.arc.azure.com/discovery?location=<region>&api-version=2.1
# ---------------------------------------------------------------------------------------------

# The longest discovery answer read (it is one URL).
_MAX_DISCOVERY_ANSWER = 65536
# An https URL or a bare host name in the answer.
_DISCOVERED_URL_RE = re.compile(r"^(?:https://)?(?P<host>[A-Za-z0-9][A-Za-z0-9.-]{0,252})(?::443)?/?$")


class Discovery(t.TypedDict):
    """What the regional discovery call answered: the regional HIS host, or why there is none."""

    ok: bool
    host: str | None
    url: str
    status: int | None
    error: str | None


def parse_discovery_answer(body: str) -> str | None:
    """The regional HIS host in the discovery answer, or None when the answer holds none.

    ASSUMED wire format: no public capture of an answer under api-version 2.1 was found. A public onboarding script
    strips ``https://`` from the parsed answer of api-version 1.1-preview (``.substring(8)``), so the answer is taken
    to be one URL: a JSON string (``"https://uks.his.arc.azure.com"``), the bare URL, or, defensively, a JSON object
    holding it under any key."""
    text = (body or "").strip()
    candidates: list[object] = [text]
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # deeply nested JSON
        data = None
    if isinstance(data, str):
        candidates = [data]
    elif isinstance(data, dict):
        candidates = [value for _key, value in sorted(data.items()) if isinstance(value, str)]
    for candidate in candidates:
        match = _DISCOVERED_URL_RE.match(str(candidate).strip())
        if match:
            return match.group("host").lower().rstrip(".")
    return None


def _http_get(endpoint: Endpoint, target: str, deadline: float, ca_file: str | None, proxy: Proxy | None,
              proxy_bypass: t.Iterable[object] | None) -> tuple[int, str]:
    """GET ``target`` (path and query) from a normalized endpoint, through the proxy unless bypassed, with a verified TLS
    session; returns (status, body). Raises OSError (ssl errors included) with a short text."""
    via = proxy if proxy is not None and not bypassed(endpoint, proxy_bypass) else None
    if via is not None:
        address: tuple[str, int] = (via["host"], via["port"])
    else:
        dns = resolve(endpoint["connect_host"], deadline)
        if not dns["ok"]:
            raise OSError(f"lookup {endpoint['connect_host']}: {dns['error']}")
        address = (dns["addresses"][0], endpoint["connect_port"])
    sock = socket.create_connection(address, timeout=_remaining(deadline))
    try:
        if via is not None:
            lines = [f"CONNECT {endpoint['host']}:{endpoint['port']} HTTP/1.1", f"Host: {endpoint['host']}:{endpoint['port']}"]
            if via["authorization"]:
                lines.append(f"Proxy-Authorization: {via['authorization']}")
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
            status, reason = _read_proxy_answer(sock, deadline)
            if status != 200:
                raise OSError(f"proxy {via['url']} answered CONNECT with {status} {reason}".strip())
        context = ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        sock.settimeout(_remaining(deadline))
        tls = context.wrap_socket(sock, server_hostname=endpoint["host"])
        sock = tls
        host = endpoint["host"] if endpoint["port"] == 443 else f"{endpoint['host']}:{endpoint['port']}"
        request = f"GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\nUser-Agent: arcops.azcmagent-check\r\nConnection: close\r\n\r\n"
        tls.sendall(request.encode("ascii"))
        data = b""
        while len(data) <= _MAX_DISCOVERY_ANSWER:
            tls.settimeout(_remaining(deadline))
            chunk = tls.recv(4096)
            if not chunk:
                break
            data += chunk
    finally:
        try:
            sock.close()
        except OSError:
            pass
    head, _sep, body = data.partition(b"\r\n\r\n")
    first = head.split(b"\r\n", 1)[0].decode("iso-8859-1").strip()
    match = _STATUS_LINE_RE.match(first)
    if not match:
        raise OSError(f"unexpected answer: {first[:80]!r}")
    if re.search(rb"(?im)^transfer-encoding:\s*chunked", head):
        body = _unchunk(body)
    return int(match.group("status")), body.decode("utf-8", "replace")


def _unchunk(body: bytes) -> bytes:
    out = b""
    while body:
        size_line, _sep, rest = body.partition(b"\r\n")
        try:
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
        except ValueError:
            break
        if size == 0:
            break
        out += rest[:size]
        body = rest[size + 2:]
    return out


def discover_regional_his(gbl: Endpoint, url: str, timeout: float, ca_file: str | None = None, proxy_url: str | None = None,
                          proxy_bypass: t.Iterable[object] | None = None) -> Discovery:
    """Ask the global HIS endpoint ``gbl`` (normalized, ``connect_to`` honoured) for the regional host, as the agent does.

    ``url`` is the discovery URL (:func:`._clouds.discovery_url`). Goes through the proxy unless the endpoint is
    bypassed, verifies TLS like the probes, and never takes longer than ``timeout`` seconds. Never raises for a
    network or answer problem: ``ok`` is false and ``error`` says why."""
    deadline = time.monotonic() + max(0.1, float(timeout))
    target = "/" + url.split("://", 1)[-1].split("/", 1)[-1] if "/" in url.split("://", 1)[-1] else "/"
    result: Discovery = {"ok": False, "host": None, "url": url, "status": None, "error": None}
    box: dict[str, t.Any] = {}

    def work() -> None:
        try:
            box["answer"] = _http_get(gbl, target, deadline, ca_file, parse_proxy(proxy_url), proxy_bypass)
        except (OSError, ProbeError, ValueError) as exc:
            box["error"] = _error_text(exc)

    thread = threading.Thread(target=work, name="arcops-discovery", daemon=True)
    thread.start()
    thread.join(_remaining(deadline) + 0.5)
    if thread.is_alive():
        result["error"] = "timed out"
        return result
    if "error" in box:
        result["error"] = box["error"]
        return result
    status, body = box["answer"]
    result["status"] = status
    if status != 200:
        result["error"] = f"HTTP {status}: {body.strip()[:200]}"
        return result
    host = parse_discovery_answer(body)
    if host is None:
        result["error"] = f"no host in the answer: {body.strip()[:200]!r}"
        return result
    result["ok"], result["host"] = True, host
    return result


def apply_connect_to(host: str, connect_to: t.Optional[t.Mapping[str, t.Any]]) -> str | None:
    """The ``host:port`` that ``connect_to`` (host name, ``*.domain`` wildcard or ``*`` to address) gives ``host``, or None.

    The exact name wins, then the longest matching wildcard, then ``*``."""
    if not connect_to:
        return None
    host = str(host).lower().rstrip(".")
    table = {str(key).strip().lower().rstrip("."): value for key, value in connect_to.items()}
    if host in table:
        return str(table[host])
    best: tuple[int, str] | None = None
    for key, value in table.items():
        if key.startswith("*.") and host.endswith(key[1:]) and (best is None or len(key) > best[0]):
            best = (len(key), str(value))
    if best is not None:
        return best[1]
    return str(table["*"]) if "*" in table else None
