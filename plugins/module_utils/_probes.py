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
import re
import socket
import ssl
import threading
import time

from ansible_collections.arcops.azcmagent.plugins.module_utils._clouds import bypass_group_of, parse_url

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

# Finding texts (en, nl): cause and remediation. Format fields: host, port, url, proxy,
# status, reason, error, addresses, expected.
_TEXTS = {
    "dns_no_such_host": {
        "category": "dns",
        "action": "check_network",
        "retryable": False,
        "en": ("The name {host} cannot be resolved ({error})",
               "Make sure the machine's DNS servers resolve {host} (or use a proxy that does), then run the check again"),
        "nl": ("De naam {host} kan niet worden omgezet ({error})",
               "Zorg dat de DNS-servers van de machine {host} kunnen omzetten (of gebruik een proxy die dat doet) en voer de controle opnieuw uit"),
    },
    "dns_not_private": {
        "category": "dns",
        "action": "report",
        "retryable": False,
        "en": ("{host} resolves to public addresses ({addresses}) although private link is used",
               "Add the private endpoint's DNS records (private DNS zone or conditional forwarder) for {host}"),
        "nl": ("{host} wordt omgezet naar publieke adressen ({addresses}) terwijl private link wordt gebruikt",
               "Voeg de DNS-records van het private endpoint (private DNS-zone of voorwaardelijke doorstuurserver) voor {host} toe"),
    },
    "dns_not_public": {
        "category": "dns",
        "action": "report",
        "retryable": False,
        "en": ("{host} resolves to private addresses ({addresses}) but no private link scope is used",
               "Connect with --private-link-scope, or remove the private DNS records for {host}"),
        "nl": ("{host} wordt omgezet naar private adressen ({addresses}) maar er wordt geen private link scope gebruikt",
               "Verbind met --private-link-scope, of verwijder de private DNS-records voor {host}"),
    },
    "tcp_connect_failed": {
        "category": "network",
        "action": "check_network",
        "retryable": True,
        "en": ("The machine cannot open a TCP connection to {host} port {port} ({error})",
               "Allow outbound TCP {port} to {host} in the firewall, or set the agent's proxy.url to a proxy that can reach it"),
        "nl": ("De machine kan geen TCP-verbinding openen naar {host} poort {port} ({error})",
               "Sta uitgaand TCP {port} naar {host} toe in de firewall, of stel proxy.url van de agent in op een proxy die er wel bij kan"),
    },
    "tls_interception": {
        "category": "tls",
        "action": "check_network",
        "retryable": False,
        "en": ("The TLS certificate presented for {host} does not verify ({error}): a proxy or firewall inspects TLS",
               "Exclude {host} from TLS inspection on the proxy or firewall; the agent does not accept a substituted certificate"),
        "nl": ("Het TLS-certificaat voor {host} kan niet worden geverifieerd ({error}): een proxy of firewall inspecteert TLS",
               "Sluit {host} uit van TLS-inspectie op de proxy of firewall; de agent accepteert geen vervangen certificaat"),
    },
    "tls_handshake_failed": {
        "category": "tls",
        "action": "check_network",
        "retryable": True,
        "en": ("The TLS handshake with {host} failed ({error})",
               "Make sure {host} is reached without TLS downgrade or inspection and that TLS 1.2 or later is allowed"),
        "nl": ("De TLS-handshake met {host} is mislukt ({error})",
               "Zorg dat {host} bereikt wordt zonder TLS-inspectie of -downgrade en dat TLS 1.2 of hoger is toegestaan"),
    },
    "proxy_forbidden": {
        "category": "proxy",
        "action": "check_network",
        "retryable": False,
        "en": ("The proxy {proxy} refuses CONNECT to {host}:{port} ({status} {reason})",
               "Allow {host} on the proxy, or add its group to the agent's proxy.bypass if it is reachable directly"),
        "nl": ("De proxy {proxy} weigert CONNECT naar {host}:{port} ({status} {reason})",
               "Sta {host} toe op de proxy, of zet de groep ervan in proxy.bypass van de agent als het direct bereikbaar is"),
    },
    "proxy_connect_failed": {
        "category": "proxy",
        "action": "check_network",
        "retryable": True,
        "en": ("The proxy {proxy} answered CONNECT to {host}:{port} with {status} {reason}",
               "Check the proxy's log for {host}; it must be able to reach the endpoint on port {port}"),
        "nl": ("De proxy {proxy} beantwoordde CONNECT naar {host}:{port} met {status} {reason}",
               "Controleer het log van de proxy voor {host}; de proxy moet het endpoint op poort {port} kunnen bereiken"),
    },
    "proxyconnect_failed": {
        "category": "proxy",
        "action": "check_network",
        "retryable": True,
        "en": ("The proxy {proxy} cannot be reached ({error})",
               "Check the agent's proxy.url (or the proxy_url option) and that the proxy is running and allowed by the firewall"),
        "nl": ("De proxy {proxy} is niet bereikbaar ({error})",
               "Controleer proxy.url van de agent (of de optie proxy_url) en of de proxy draait en door de firewall wordt toegelaten"),
    },
    "io_timeout": {
        "category": "network",
        "action": "check_network",
        "retryable": True,
        "en": ("The probe of {url} did not finish within the time limit",
               "Look for a firewall that silently drops traffic to {host}, or raise the timeout"),
        "nl": ("De test van {url} is niet binnen de tijdslimiet klaar",
               "Zoek naar een firewall die verkeer naar {host} stilletjes laat vallen, of verhoog de timeout"),
    },
}

# Ids that share the texts of another entry (same id, category and action as the classifier's rules).
_ALIASES = {
    "connection_refused": ("tcp_connect_failed", {"category": "network", "action": "check_network", "retryable": True}),
    "network_unreachable": ("tcp_connect_failed", {"category": "network", "action": "check_network", "retryable": True}),
    "proxy_auth_required": ("proxy_forbidden", {"category": "proxy", "action": "check_network", "retryable": False}),
}

FINDING_IDS = tuple(sorted(set(_TEXTS) | set(_ALIASES)))


class ProbeError(ValueError):
    """A bad endpoint, proxy or option given to the probes."""


def _check_lang(lang):
    if lang not in ("en", "nl"):
        raise ValueError("lang must be en or nl, not %r" % (lang,))


def classify_address(address):
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
        if ip in _NETADDR_PRIVATE:
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


def addresses_class(addresses):
    """Overall class of a list of addresses: the common class, ``mixed``, or None when empty."""
    classes = sorted(set(classify_address(a) for a in addresses))
    if not classes:
        return None
    return classes[0] if len(classes) == 1 else "mixed"


def parse_proxy(proxy_url):
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
        raise ProbeError("invalid proxy port %d" % port)
    authorization = None
    if match.group("user"):
        raw = "%s:%s" % (match.group("user"), match.group("password") or "")
        authorization = "Basic " + base64.b64encode(raw.encode("utf-8")).decode("ascii")
    shown = host if ":" not in host else "[%s]" % host
    return {"url": "http://%s:%d" % (shown, port), "host": host, "port": port, "authorization": authorization}


def normalize_endpoint(item, cloud=None):
    """Normalize one endpoint given as a URL string or a dict.

    Dict keys: ``url`` (required), ``connect_to`` (``host:port`` really dialled),
    ``expect`` (``auto``, ``private``, ``public``, ``any``: the address class the name must
    resolve to; ``auto`` follows the private link setting), ``bypass_group`` (AAD, ARM, Arc;
    derived from the host name when absent), ``private_link_capable``, ``purpose``.
    """
    if isinstance(item, str):
        item = {"url": item}
    if not isinstance(item, dict) or not item.get("url"):
        raise ProbeError("an endpoint must be a URL string or a dict with a url key, not %r" % (item,))
    try:
        parts = parse_url(item["url"])
    except ValueError as exc:
        raise ProbeError(str(exc)) from None
    if parts["scheme"] != "https":
        raise ProbeError("endpoint %s: only https endpoints can be probed" % item["url"])
    connect_host, connect_port = parts["host"], parts["port"]
    if item.get("connect_to"):
        match = _HOST_PORT_RE.match(str(item["connect_to"]).strip())
        if not match:
            raise ProbeError("endpoint %s: connect_to must be host:port, not %r" % (item["url"], item["connect_to"]))
        connect_host = match.group("host").strip("[]")
        connect_port = int(match.group("port") or parts["port"])
    expect = item.get("expect") or "auto"
    if expect not in EXPECT_VALUES:
        raise ProbeError("endpoint %s: expect must be one of %s" % (item["url"], ", ".join(EXPECT_VALUES)))
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


def bypassed(endpoint, bypass):
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


def _remaining(deadline):
    return max(0.05, deadline - time.monotonic())


def _error_text(exc):
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


def resolve(host, deadline, resolver=None):
    """Resolve ``host`` before ``deadline`` (a time.monotonic() value).

    Returns ``{ok, name, addresses, error}``. The lookup runs in a daemon thread so that a
    resolver that hangs cannot hold the caller past the deadline.
    """
    if _SPECIAL_NXDOMAIN_RE.search(host.rstrip(".")):
        # RFC 6761 6.4: names under .invalid never resolve; resolvers must not be asked.
        return {"ok": False, "name": host, "addresses": [], "error": "no such host"}
    resolver = resolver or socket.getaddrinfo
    box = {}

    def work():
        try:
            infos = resolver(host, 443, 0, socket.SOCK_STREAM)
            box["addresses"] = sorted(set(info[4][0] for info in infos))
        except (OSError, UnicodeError) as exc:
            box["error"] = _error_text(exc)

    thread = threading.Thread(target=work, name="arcops-dns-%s" % host, daemon=True)
    thread.start()
    thread.join(_remaining(deadline))
    if thread.is_alive():
        return {"ok": False, "name": host, "addresses": [], "error": "timed out"}
    if "error" in box:
        return {"ok": False, "name": host, "addresses": [], "error": box["error"]}
    return {"ok": bool(box["addresses"]), "name": host, "addresses": box["addresses"], "error": None if box["addresses"] else "no addresses"}


def _expected_class(endpoint, private_link):
    expect = endpoint["expect"]
    if expect == "auto":
        return "private" if (private_link and endpoint["private_link_capable"]) else "public"
    return None if expect == "any" else expect


def _dns_verdict(dns, expected):
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


def _read_proxy_answer(sock, deadline):
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
        raise OSError("unexpected answer from the proxy: %r" % first[:80])
    return int(match.group("status")), (match.group("reason") or "").strip()


def probe_endpoint(endpoint, deadline, ca_file=None, proxy=None, proxy_bypass=None, private_link=False, resolver=None):
    """Probe one normalized endpoint (see :func:`normalize_endpoint`) before ``deadline``.

    ``proxy`` is the result of :func:`parse_proxy` (or None). Returns the endpoint's record:
    ``url``, ``host``, ``port``, ``connect_to``, ``dns``, ``tcp``, ``tls``, ``proxy``,
    ``ok``, ``elapsed``.
    """
    started = time.monotonic()
    use_proxy = proxy is not None and not bypassed(endpoint, proxy_bypass)
    record = _new_record(endpoint, use_proxy, proxy)
    if use_proxy:
        # Through a proxy the proxy resolves the name (CONNECT host:port): the machine's resolver is not asked.
        dns = {"ok": None, "name": endpoint["connect_host"], "addresses": [], "error": None, "resolved_by": "proxy"}
    else:
        dns = resolve(endpoint["connect_host"], deadline, resolver)
    record["dns"] = _dns_verdict(dns, _expected_class(endpoint, private_link))
    sock = None
    try:
        if use_proxy:
            target = (proxy["host"], proxy["port"])
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
        record["tcp"].update(ok=True, address="%s:%d" % target)
        if use_proxy:
            lines = ["CONNECT %s:%d HTTP/1.1" % (endpoint["host"], endpoint["port"]), "Host: %s:%d" % (endpoint["host"], endpoint["port"])]
            if proxy.get("authorization"):
                lines.append("Proxy-Authorization: " + proxy["authorization"])
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


def _new_record(endpoint, use_proxy, proxy):
    """The record of one endpoint before anything was probed."""
    return {
        "url": endpoint["url"],
        "host": endpoint["host"],
        "port": endpoint["port"],
        "connect_to": "%s:%d" % (endpoint["connect_host"], endpoint["connect_port"]),
        "bypass_group": endpoint["bypass_group"],
        "purpose": endpoint["purpose"],
        "dns": None,
        "tcp": {"ok": False, "address": None, "error": None},
        "tls": {"ok": False, "version": None, "verified": None, "error": None},
        "proxy": {"used": use_proxy, "url": proxy["url"] if use_proxy else None, "ok": None, "status": None, "reason": None, "error": None},
        "ok": False,
    }


def _timed_out_record(endpoint, proxy, proxy_bypass):
    record = _new_record(endpoint, proxy is not None and not bypassed(endpoint, proxy_bypass), proxy)
    record["tcp"]["error"] = "timed out"
    record.update(timed_out=True, elapsed=None)
    return record


def probe_all(endpoints, timeout=10.0, ca_file=None, proxy_url=None, proxy_bypass=None, private_link=False, resolver=None):
    """Probe normalized ``endpoints`` in parallel, all within ``timeout`` seconds.

    Returns the records in the order of ``endpoints``; a probe that has not finished at the
    deadline gives a record with ``timed_out: true``.
    """
    proxy = parse_proxy(proxy_url)
    deadline = time.monotonic() + float(timeout)
    results = [None] * len(endpoints)
    threads = []

    def work(index, endpoint):
        try:
            results[index] = probe_endpoint(endpoint, deadline, ca_file, proxy, proxy_bypass, private_link, resolver)
        except Exception as exc:  # noqa: BLE001 - a probe must never take the others down
            record = _timed_out_record(endpoint, proxy, proxy_bypass)
            record.update(timed_out=False)
            record["tcp"]["error"] = "probe failed: %s" % _error_text(exc)
            results[index] = record

    for index, endpoint in enumerate(endpoints):
        thread = threading.Thread(target=work, args=(index, endpoint), name="arcops-probe-%d" % index, daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()) + 0.5)
    for index, endpoint in enumerate(endpoints):
        if results[index] is None:
            results[index] = _timed_out_record(endpoint, proxy, proxy_bypass)
    return results


def _finding(fid, lang, evidence, **fields):
    text_key, meta = _ALIASES.get(fid, (fid, None))
    spec = _TEXTS[text_key]
    meta = meta or spec
    cause, remediation = spec[lang]
    return {
        "id": fid,
        "category": meta["category"],
        "cause": cause.format(**fields),
        "remediation": remediation.format(**fields),
        "evidence": evidence,
        "action": meta["action"],
        "retryable": meta["retryable"],
        "details": dict((k, v) for k, v in fields.items() if k in ("host", "port", "url", "proxy", "status", "addresses", "expected")),
    }


def _tcp_finding_id(error):
    """The classifier's id for a failed dial, by the socket error text."""
    text = (error or "").lower()
    if "refused" in text:
        return "connection_refused"
    if "timed out" in text:
        return "io_timeout"
    if "unreachable" in text:
        return "network_unreachable"
    return "tcp_connect_failed"


def findings_for(record, lang="en"):
    """Findings (the classifier's shape) for one probe record; [] when it is healthy."""
    _check_lang(lang)
    base = {"host": record["host"], "port": record["port"], "url": record["url"]}
    if record.get("timed_out"):
        return [_finding("io_timeout", lang, "%s: timed out" % record["url"], **base)]
    found = []
    dns = record["dns"] or {}
    proxy = record["proxy"]
    if not proxy["used"]:
        if dns and not dns.get("ok"):
            found.append(_finding("dns_no_such_host", lang, "lookup %s: %s" % (dns.get("name"), dns.get("error")),
                                  error=dns.get("error"), **base))
            return found
    if dns.get("matches") is False:
        fid = "dns_not_private" if dns["expected"] == "private" else "dns_not_public"
        found.append(_finding(fid, lang, "%s -> %s" % (dns["name"], ", ".join(dns["addresses"])),
                              addresses=", ".join(dns["addresses"]), expected=dns["expected"], **base))
    if proxy["used"]:
        if proxy["status"] is None and (proxy["error"] or not record["tcp"]["ok"]):
            error = proxy["error"] or record["tcp"]["error"]
            found.append(_finding("proxyconnect_failed", lang, "proxyconnect tcp %s: %s" % (proxy["url"], error),
                                  proxy=proxy["url"], error=error, **base))
            return found
        if proxy["status"] is not None and proxy["status"] != 200:
            fid = {403: "proxy_forbidden", 407: "proxy_auth_required"}.get(proxy["status"], "proxy_connect_failed")
            evidence = "CONNECT %s:%d via %s: %d %s" % (record["host"], record["port"], proxy["url"], proxy["status"], proxy["reason"])
            found.append(_finding(fid, lang, evidence, proxy=proxy["url"], status=proxy["status"], reason=proxy["reason"], **base))
            return found
    elif not record["tcp"]["ok"]:
        found.append(_finding(_tcp_finding_id(record["tcp"]["error"]), lang, "dial tcp %s: %s" % (record["connect_to"], record["tcp"]["error"]),
                              error=record["tcp"]["error"], **base))
        return found
    tls = record["tls"]
    if not tls["ok"] and tls["error"]:
        if tls["verified"] is False:
            found.append(_finding("tls_interception", lang, "x509: %s. Failed to Tls dialing %s" % (tls["error"], record["host"]),
                                  error=tls["error"], **base))
        else:
            found.append(_finding("tls_handshake_failed", lang, "tls %s: %s" % (record["host"], tls["error"]), error=tls["error"], **base))
    return found
