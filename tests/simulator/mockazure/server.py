# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The mock Azure HTTPS server (daemon by default).

    python tests/simulator/mockazure/server.py --dir DIR/mock [--port 0] [--intercept-port 0] [--imds-port 0] [--foreground]
    python -m mockazure --dir DIR/mock ...        (from tests/simulator)

Listens on 127.0.0.1 only. Writes DIR/mock/mock.json (url, ports, pid, file paths) once both
ports accept connections, DIR/mock/mock.pid, DIR/mock/state.json on every change and
DIR/mock/requests.jsonl. Without --foreground the command starts the server in its own
session, waits until it is ready, prints mock.json and exits 0. SIGTERM stops it.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import signal
import socket
import socketserver
import ssl
import struct
import subprocess
import sys
import threading
import time

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from mockazure import certs  # pylint: disable=import-self
    from mockazure.model import Mock, ResetConnection
else:
    from . import certs
    from .model import Mock, ResetConnection


class Handler(http.server.BaseHTTPRequestHandler):
    """Hands every request to the shared Mock."""

    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-IIS/10.0"
    sys_version = ""

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            if getattr(self.server, "imds_only", False) and not self.path.lower().startswith("/metadata/"):
                status, headers, data = 404, {"Content-Type": "text/plain"}, b"Not Found"
            else:
                status, headers, data = self.server.mock.handle(self.command, self.path, dict(self.headers.items()), body)
        except ResetConnection:
            self._reset()
            return
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

    def _reset(self):
        """Drop the connection with a TCP reset and no answer (a fault with reset: true)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            sys.stderr.write("%s %s\n" % (self.address_string(), format % args))


class TLSServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 512
    allow_reuse_address = True

    def __init__(self, port, mock, cert, key, verbose=False):
        super().__init__(("127.0.0.1", port), Handler)
        self.mock = mock
        self.verbose = verbose
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(cert, key)
        self.context = context

    def get_request(self):
        sock, addr = self.socket.accept()
        return sock, addr

    def finish_request(self, request, client_address):
        # The TLS handshake happens in the worker thread so one slow client cannot block accept().
        try:
            request.settimeout(30)
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            try:
                tls.close()
            except OSError:
                pass


class PlainServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    """Plain HTTP on 127.0.0.1, as the Instance Metadata Service answers (its managed identity token endpoint)."""

    daemon_threads = True
    allow_reuse_address = True
    imds_only = True

    def __init__(self, port, mock, verbose=False):
        super().__init__(("127.0.0.1", port), Handler)
        self.mock = mock
        self.verbose = verbose


def serve(mock_dir, port=0, intercept_port=0, verbose=False, imds_port=0):
    mock_dir = os.path.abspath(mock_dir)
    paths = certs.ensure_certificates(mock_dir)
    mock = Mock(os.path.join(mock_dir, "state.json"))
    main = TLSServer(port, mock, paths["server_cert"], paths["server_key"], verbose)
    intercept = TLSServer(intercept_port, mock, paths["intercept_cert"], paths["intercept_key"], verbose)
    imds = PlainServer(imds_port, mock, verbose)
    # A bound socket that never listens: connecting to it is refused (port_closed), and no one else can take the port.
    closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    closed.bind(("127.0.0.1", 0))
    mock.save()
    for srv in (main, intercept, imds):
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    info = {
        "url": "https://127.0.0.1:%d" % main.server_address[1], "port": main.server_address[1],
        "intercept_url": "https://127.0.0.1:%d" % intercept.server_address[1], "intercept_port": intercept.server_address[1],
        "closed_port": closed.getsockname()[1],
        "imds_port": imds.server_address[1],
        "imds_url": "http://127.0.0.1:%d/metadata/identity/oauth2/token" % imds.server_address[1],
        "pid": os.getpid(), "ca_file": paths["ca_file"], "intercept_ca_file": paths["intercept_ca_file"],
        "state_file": os.path.join(mock_dir, "state.json"), "requests_file": os.path.join(mock_dir, "requests.jsonl"),
        "dir": mock_dir, "started": time.time(),
    }
    with open(os.path.join(mock_dir, "mock.pid"), "w", encoding="utf-8") as handle:
        handle.write("%d\n" % os.getpid())
    tmp = os.path.join(mock_dir, "mock.json.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(info, handle, indent=1, sort_keys=True)
    os.replace(tmp, os.path.join(mock_dir, "mock.json"))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    finally:
        main.shutdown()
        intercept.shutdown()
        imds.shutdown()
        closed.close()
        mock.save()
        for name in ("mock.pid",):
            try:
                os.unlink(os.path.join(mock_dir, name))
            except OSError:
                pass
        info["stopped"] = time.time()
        with open(os.path.join(mock_dir, "mock.json"), "w", encoding="utf-8") as handle:
            json.dump(info, handle, indent=1, sort_keys=True)


def start_daemon(mock_dir, port=0, intercept_port=0, python=None, timeout=30.0, imds_port=0):
    """Start the server in the background, wait until it is ready, return the mock.json data."""
    mock_dir = os.path.abspath(mock_dir)
    os.makedirs(mock_dir, exist_ok=True)
    info_file = os.path.join(mock_dir, "mock.json")
    if os.path.exists(info_file):
        os.unlink(info_file)
    log = open(os.path.join(mock_dir, "mock.log"), "ab")  # pylint: disable=consider-using-with
    proc = subprocess.Popen(  # pylint: disable=consider-using-with
        [python or sys.executable, os.path.abspath(__file__), "--dir", mock_dir, "--port", str(port),
         "--intercept-port", str(intercept_port), "--imds-port", str(imds_port), "--foreground"],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True, close_fds=True)
    log.close()
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(info_file):
            with open(info_file, encoding="utf-8") as handle:
                info = json.load(handle)
            if info.get("pid") == proc.pid:
                return info
        if proc.poll() is not None:
            raise RuntimeError("mock Azure exited with %s; see %s" % (proc.returncode, os.path.join(mock_dir, "mock.log")))
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("mock Azure did not start within %.0f s" % timeout)


def stop_daemon(mock_dir, timeout=10.0):
    """Stop the server whose pid is in DIR/mock.pid (idempotent). Returns True when one was stopped."""
    pid_file = os.path.join(os.path.abspath(mock_dir), "mock.pid")
    try:
        with open(pid_file, encoding="utf-8") as handle:
            pid = int(handle.read().strip())
    except (OSError, ValueError):
        return False
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        _unlink(pid_file)
        return False
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        _reap(pid)
        time.sleep(0.05)
    else:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _reap(pid)
    _unlink(pid_file)
    return True


def _reap(pid):
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _unlink(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(description="mock Microsoft Entra ID + Azure Resource Manager on 127.0.0.1")
    parser.add_argument("--dir", required=True, help="state directory (certificates, state.json, mock.json)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--intercept-port", type=int, default=0)
    parser.add_argument("--imds-port", type=int, default=0, help="plain HTTP port of the managed identity endpoint (IMDS)")
    parser.add_argument("--foreground", action="store_true")
    parser.add_argument("--stop", action="store_true", help="stop the server of --dir")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if args.stop:
        stop_daemon(args.dir)
        return 0
    if args.foreground:
        serve(args.dir, args.port, args.intercept_port, args.verbose, imds_port=args.imds_port)
        return 0
    info = start_daemon(args.dir, args.port, args.intercept_port, imds_port=args.imds_port)
    print(json.dumps(info, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
