# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Small loopback test doubles for the ARM client and probe tests: a CA, a scripted HTTPS
server, a raw TLS server and a CONNECT proxy. Everything listens on 127.0.0.1, port 0."""

from __future__ import annotations

import datetime
import http.server
import ipaddress
import json
import os
import socket
import socketserver
import ssl
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

NAMES = ("localhost", "login.microsoftonline.com", "management.azure.com", "pas.windows.net", "*.his.arc.azure.com",
         "*.guestconfiguration.azure.com")


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_pki(directory, label="test"):
    """A CA and a server certificate for NAMES + 127.0.0.1; returns paths ca, cert, key (PEM)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = (x509.CertificateBuilder().subject_name(_name(label + " CA")).issuer_name(_name(label + " CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                       encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    sans = [x509.DNSName(n) for n in NAMES] + [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (x509.CertificateBuilder().subject_name(_name("localhost")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256()))
    paths = {}
    for name, data in (("ca", ca.public_bytes(serialization.Encoding.PEM)),
                       ("cert", cert.public_bytes(serialization.Encoding.PEM)),
                       ("key", key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))):
        paths[name] = os.path.join(str(directory), "%s-%s.pem" % (label, name))
        with open(paths[name], "wb") as handle:
            handle.write(data)
    return paths


def make_client_cert(directory):
    """A self-signed RSA client certificate with its key in one PEM; returns (path, certificate)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder().subject_name(_name("sp")).issuer_name(_name("sp")).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    path = os.path.join(str(directory), "sp.pem")
    with open(path, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    return path, cert


def server_context(pki):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki["cert"], pki["key"])
    return context


class ScriptedHTTPS:
    """HTTPS server whose answers come from ``self.handler(request) -> (status, headers, body)``.

    ``request`` is a dict: method, path, headers (lower-case keys), body (bytes). Every request
    is appended to ``self.requests``. ``body`` may be a dict (sent as JSON), bytes, str or None.
    """

    def __init__(self, pki):
        outer = self
        self.requests = []
        self.handler = lambda request: (404, {}, {"error": {"code": "NotScripted", "message": "no script"}})

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = {"method": self.command, "path": self.path, "body": body,
                           "headers": dict((k.lower(), v) for k, v in self.headers.items())}
                outer.requests.append(request)
                status, headers, payload = outer.handler(request)
                if isinstance(payload, (dict, list)):
                    payload = json.dumps(payload).encode()
                elif isinstance(payload, str):
                    payload = payload.encode()
                payload = payload or b""
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                if payload:
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.socket = server_context(pki).wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.url = "https://127.0.0.1:%d" % self.port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class RawTLS:
    """A TCP server on 127.0.0.1 that completes a TLS handshake (or, with ``handshake=False``, stays silent)."""

    def __init__(self, pki=None, handshake=True):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.context = server_context(pki) if pki else None
        self.handshake = handshake
        self.held = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, dummy = self.sock.accept()
            except OSError:
                return
            if not self.handshake:
                self.held.append(conn)
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn):
        try:
            conn.settimeout(5)
            tls = self.context.wrap_socket(conn, server_side=True)
            tls.recv(1)
            tls.close()
        except (OSError, ssl.SSLError):
            conn.close()

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


class ConnectProxy(socketserver.ThreadingTCPServer):
    """A CONNECT proxy on 127.0.0.1: 403 Forbidden for ``deny`` hosts, else a tunnel to ``routes[host:port]``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, routes, deny=()):
        self.routes = routes
        self.deny = set(deny)
        self.seen = []
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = self.request.recv(4096)
                    if not chunk:
                        return
                    data += chunk
                first = data.split(b"\r\n", 1)[0].decode()
                target = first.split()[1]
                outer.seen.append(first)
                host = target.rsplit(":", 1)[0]
                if host in outer.deny or target not in outer.routes:
                    self.request.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                    return
                upstream = socket.create_connection(outer.routes[target], timeout=5)
                self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                pipe = threading.Thread(target=_pump, args=(upstream, self.request), daemon=True)
                pipe.start()
                _pump(self.request, upstream)
                pipe.join(5)

        socketserver.ThreadingTCPServer.__init__(self, ("127.0.0.1", 0), Handler)
        self.port = self.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def close(self):
        self.shutdown()
        self.server_close()


def _pump(source, target):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        try:
            target.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def closed_port():
    """A loopback port nobody listens on."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port
