# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the hosts of an SSH fleet reach on the host side of their bridge, and nothing else.

    python hostside.py --listen 10.233.7.1 --mock-port 40123 --repo DIR --pidfile FILE [--daemon]

* ``LISTEN:443``: a TCP relay to the mock Azure on ``127.0.0.1:<mock-port>``. The hosts resolve the Azure names
  (their own /etc/hosts) to the bridge address and dial port 443 as the agent does; TLS passes through untouched,
  so SNI, certificate and Host header are the real names' (the mock serves them all).
* ``LISTEN:80``: the package repository (``--repo``: ``debian/12/prod``, ``keys/microsoft.asc``), plain HTTP
  like an internal mirror.

It only ever connects to 127.0.0.1: no packet leaves the machine.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import signal
import socket
import socketserver
import sys
import threading


class _Relay(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


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


def _relay_handler(mock_port):
    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            try:
                upstream = socket.create_connection(("127.0.0.1", mock_port), timeout=10)
            except OSError:
                return
            upstream.settimeout(None)
            back = threading.Thread(target=_pump, args=(upstream, self.request), daemon=True)
            back.start()
            _pump(self.request, upstream)
            back.join(120)
            upstream.close()
    return Handler


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        sys.stderr.write("%s %s\n" % (self.address_string(), format % args))


class _Http(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(listen, mock_port, repo, ready=None):
    relay = _Relay((listen, 443), _relay_handler(mock_port))
    web = _Http((listen, 80), functools.partial(_Quiet, directory=repo))
    threading.Thread(target=web.serve_forever, daemon=True).start()
    threading.Thread(target=relay.serve_forever, daemon=True).start()
    if ready:
        ready()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--listen", required=True)
    parser.add_argument("--mock-port", type=int, required=True)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--pidfile", required=True)
    args = parser.parse_args(argv)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})

    def ready():
        with open(args.pidfile + ".tmp", "w", encoding="ascii") as handle:
            handle.write("%d\n" % os.getpid())
        os.replace(args.pidfile + ".tmp", args.pidfile)

    serve(args.listen, args.mock_port, os.path.abspath(args.repo), ready)
    return 0


if __name__ == "__main__":
    sys.exit(main())
