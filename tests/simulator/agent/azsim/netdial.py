# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTPS to the (mock) Azure hosts, loopback only, with Go net/http error texts.

A real host name (``login.microsoftonline.com``) is mapped through sim.json ``endpoints`` to
the address really dialled; the real name stays in the Host header, the TLS SNI and
verification, and the error messages.  Nothing is ever resolved through DNS: a mapped
address that is not a loopback IP (or ``localhost``) fails like an unresolvable name, so no
packet leaves 127.0.0.0/8. A host of an SSH fleet (sim.json ``hosts_file``, ``dial_networks``) reads
its own /etc/hosts as a file and may dial its bridge network besides loopback (``use_hosts_file``).
"""

from __future__ import annotations

import errno
import http.client
import ipaddress
import socket
import ssl
import urllib.parse

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
# Bypass groups of `proxy.bypass` (reference section 7).
AAD_PREFIXES = ("login.", "pas.", "pasff.")
ARM_PREFIXES = ("management.",)


class DialError(Exception):
    """A transport failure; ``str()`` is the Go error text without the request prefix."""


class RequestError(Exception):
    """Go's url.Error: ``Post "https://host/path": <inner error>``."""

    def __init__(self, method, url, inner):
        self.method = method
        self.url = url
        self.inner = str(inner)
        super().__init__('%s "%s": %s' % (method[:1].upper() + method[1:].lower(), url, self.inner))


class Response:
    """An HTTP answer: status, reason, lower-case headers, body bytes, TLS version."""

    def __init__(self, status, reason, headers, body, tls_version, proxied):
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
        self.tls_version = tls_version
        self.proxied = proxied

    def json(self):
        import json
        try:
            return json.loads(self.body.decode("utf-8") or "null")
        except ValueError:
            return None


def bypass_group(host):
    """``AAD``, ``ARM`` or ``Arc`` for a real host name."""
    host = host.lower()
    if host.startswith(AAD_PREFIXES):
        return "AAD"
    if host.startswith(ARM_PREFIXES):
        return "ARM"
    return "Arc"


def tls_name(version):
    """``TLSv1.3`` -> ``TLS 1.3``."""
    return (version or "unknown").replace("TLSv", "TLS ")


def _split_hostport(value, default_port=443):
    value = value.strip()
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port = rest.lstrip(":") or default_port
    elif value.count(":") == 1:
        host, port = value.split(":")
    else:
        host, port = value, default_port
    return host, int(port)


def _loopback_ip(host):
    """The IP to dial for ``host``, or None when it is not a loopback address."""
    if host.lower() == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    return str(address) if address.is_loopback else None


def _dial_error_text(exc, ip, port, prefix="dial tcp"):
    where = "%s %s:%d" % (prefix, ip, port)
    if isinstance(exc, socket.timeout):
        return "%s: i/o timeout" % where
    code = getattr(exc, "errno", None)
    texts = {
        errno.ECONNREFUSED: "connect: connection refused",
        errno.ENETUNREACH: "connect: network is unreachable",
        errno.EHOSTUNREACH: "connect: no route to host",
        errno.ECONNRESET: "connect: connection reset by peer",
        errno.EADDRNOTAVAIL: "connect: cannot assign requested address",
    }
    return "%s: %s" % (where, texts.get(code, "connect: %s" % (exc.strerror or exc)))


class Dialer:
    """Opens TLS connections to real Azure names through the sim.json mapping."""

    def __init__(self, endpoints, ca_file=None, proxy_url="", proxy_bypass=(), connect_timeout=CONNECT_TIMEOUT,
                 read_timeout=READ_TIMEOUT):
        self.endpoints = {str(key).lower(): str(value) for key, value in (endpoints or {}).items()}
        self.ca_file = ca_file
        self.proxy_url = proxy_url or ""
        self.proxy_bypass = {str(item).lower() for item in (proxy_bypass or ())}
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout

    # -- an SSH fleet host: names from its own hosts file, its bridge network allowed -------------
    hosts_file = ""
    networks = ()

    def use_hosts_file(self, hosts_file, networks=()):
        """Resolve names that ``endpoints`` does not map through ``hosts_file`` (an /etc/hosts, read as a file: no
        DNS query is ever sent) to port 443, and allow dialling addresses in ``networks`` (CIDR) besides loopback."""
        self.hosts_file = hosts_file or ""
        self.networks = tuple(ipaddress.ip_network(str(net), strict=False) for net in networks or ())

    def _from_hosts_file(self, host):
        try:
            with open(self.hosts_file, encoding="utf-8") as handle:
                for line in handle:
                    fields = line.split("#", 1)[0].split()
                    if len(fields) > 1 and host in (name.lower() for name in fields[1:]):
                        return fields[0]
        except OSError:
            pass
        return None

    def _allowed_ip(self, host):
        ip = _loopback_ip(host)
        if ip is None and self.networks:
            try:
                address = ipaddress.ip_address(host)
            except ValueError:
                return None
            return str(address) if any(address in net for net in self.networks) else None
        return ip

    # -- mapping -------------------------------------------------------------------------------
    def mapped(self, host):
        """The ``host:port`` dialled for a real name: exact key, then ``*.suffix``, then ``*``, then the hosts file."""
        host = host.lower()
        if host in self.endpoints:
            return self.endpoints[host]
        if self.hosts_file and not any(key == "*" or (key.startswith("*.") and host.endswith(key[1:])) for key in self.endpoints):
            address = self._from_hosts_file(host)
            return ("[%s]:443" % address if ":" in address else "%s:443" % address) if address else None
        best = None
        for key, value in self.endpoints.items():
            if key.startswith("*.") and host.endswith(key[1:]) and (best is None or len(key) > len(best[0])):
                best = (key, value)
        if best:
            return best[1]
        return self.endpoints.get("*")

    def uses_proxy(self, host):
        return bool(self.proxy_url) and bypass_group(host).lower() not in self.proxy_bypass

    def _tcp(self, ip, port, prefix="dial tcp"):
        family = socket.AF_INET6 if ":" in ip else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(self.connect_timeout)
        try:
            sock.connect((ip, port))
        except OSError as exc:
            sock.close()
            raise DialError(_dial_error_text(exc, ip, port, prefix)) from None
        sock.settimeout(self.read_timeout)
        return sock

    def _direct(self, host):
        target = self.mapped(host)
        if not target:
            raise DialError("dial tcp: lookup %s: no such host" % host)
        map_host, port = _split_hostport(target)
        ip = self._allowed_ip(map_host)
        if ip is None:
            raise DialError("dial tcp: lookup %s: no such host" % host)
        return self._tcp(ip, port)

    def _via_proxy(self, host):
        parsed = urllib.parse.urlsplit(self.proxy_url if "://" in self.proxy_url else "http://" + self.proxy_url)
        proxy_host = parsed.hostname or ""
        proxy_port = parsed.port or (443 if parsed.scheme == "https" else 80)
        ip = self._allowed_ip(proxy_host)
        if ip is None:
            raise DialError("proxyconnect tcp: dial tcp: lookup %s: no such host" % proxy_host)
        sock = self._tcp(ip, proxy_port, prefix="proxyconnect tcp: dial tcp")
        request = "CONNECT {0}:443 HTTP/1.1\r\nHost: {0}:443\r\nUser-Agent: azcmagent\r\n\r\n".format(host)
        try:
            sock.sendall(request.encode("ascii"))
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65536:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                head += chunk
        except socket.timeout:
            sock.close()
            raise DialError("proxyconnect tcp: i/o timeout") from None
        except OSError as exc:
            sock.close()
            raise DialError("proxyconnect tcp: %s" % (exc.strerror or exc)) from None
        status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[1].isdigit():
            sock.close()
            raise DialError("proxyconnect tcp: malformed HTTP response %r" % status_line if status_line else "EOF")
        if parts[1] != "200":
            sock.close()
            # Go: errors.New(text after the status code), e.g. "Forbidden".
            raise DialError(parts[2] if len(parts) > 2 else "unknown status code")
        return sock

    def open(self, host):
        """A verified TLS socket to the real ``host``; returns (socket, proxied)."""
        proxied = self.uses_proxy(host)
        raw = self._via_proxy(host) if proxied else self._direct(host)
        context = ssl.create_default_context(cafile=self.ca_file) if self.ca_file else ssl.create_default_context()
        try:
            return context.wrap_socket(raw, server_hostname=host), proxied
        except ssl.SSLCertVerificationError as exc:
            raw.close()
            raise DialError(self._verify_text(exc, host)) from None
        except ssl.SSLError as exc:
            raw.close()
            raise DialError("remote error: tls: %s" % (exc.reason or "handshake failure").lower().replace("_", " ")) from None
        except socket.timeout:
            raw.close()
            raise DialError("net/http: TLS handshake timeout") from None
        except OSError as exc:
            raw.close()
            if getattr(exc, "errno", None) == errno.ECONNRESET:
                raise DialError("read tcp: read: connection reset by peer") from None
            raise DialError("EOF") from None

    @staticmethod
    def _verify_text(exc, host):
        code = getattr(exc, "verify_code", 0)
        if code == 62:
            return "tls: failed to verify certificate: x509: certificate is not valid for %s" % host
        if code == 10:
            return "tls: failed to verify certificate: x509: certificate has expired or is not yet valid"
        return "tls: failed to verify certificate: x509: certificate signed by unknown authority"

    # -- HTTP ----------------------------------------------------------------------------------
    def request(self, method, url, headers=None, body=None):
        """One HTTPS request to a real URL; raises RequestError (Go text) on transport failure."""
        parsed = urllib.parse.urlsplit(url)
        host = parsed.hostname or ""
        path = parsed.path or "/"
        if parsed.query:
            path += "?" + parsed.query
        try:
            sock, proxied = self.open(host)
        except DialError as exc:
            raise RequestError(method, url, exc) from None
        try:
            data = body or b""
            lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s" % host, "User-Agent: azcmagent/sim",
                     "Connection: close", "Content-Length: %d" % len(data)]
            lines += ["%s: %s" % item for item in (headers or {}).items()]
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + data)
            response = http.client.HTTPResponse(sock, method=method)
            response.begin()
            payload = response.read()
            answer = Response(response.status, response.reason, {k.lower(): v for k, v in response.getheaders()},
                              payload, tls_name(sock.version()), proxied)
        except socket.timeout:
            raise RequestError(method, url, "context deadline exceeded (Client.Timeout exceeded while awaiting headers)") from None
        except (http.client.HTTPException, OSError) as exc:
            if getattr(exc, "errno", None) == errno.ECONNRESET:
                raise RequestError(method, url, "read tcp: read: connection reset by peer") from None
            raise RequestError(method, url, "EOF") from None
        finally:
            sock.close()
        return answer

    def probe(self, host):
        """TLS handshake only: dict(reachable, tls, proxy, error)."""
        result = {"reachable": False, "tls": "unknown", "proxied": self.uses_proxy(host), "error": ""}
        try:
            sock, proxied = self.open(host)
        except DialError as exc:
            result["error"] = str(exc)
            return result
        result.update(reachable=True, tls=tls_name(sock.version()), proxied=proxied)
        sock.close()
        return result
