# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A tiny HTTPS client for the mock (admin API and raw calls), standard library only."""

from __future__ import annotations

import http.client
import json
import ssl
import urllib.parse


class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body) if self.body else None

    def header(self, name):
        return self.headers.get(name.lower())


class Client:
    """``Client(url, ca_file).request("GET", "/_mock/state", host="management.azure.com")``"""

    def __init__(self, url, ca_file, timeout=30):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 443
        self.context = ssl.create_default_context(cafile=ca_file)
        self.timeout = timeout

    def request(self, method, path, body=None, headers=None, host="management.azure.com", form=None, token=None):
        headers = dict(headers or {})
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode()
        if token:
            headers["Authorization"] = "Bearer " + token
        # Connect to the loopback address, but present the Azure name for SNI, certificate check and Host.
        conn = http.client.HTTPSConnection(self.host, self.port, context=self.context, timeout=self.timeout)
        try:
            conn.sock = self.context.wrap_socket(
                __import__("socket").create_connection((self.host, self.port), self.timeout), server_hostname=host)
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", host)
            for name, value in headers.items():
                conn.putheader(name, value)
            conn.putheader("Content-Length", str(len(body or b"")))
            conn.endheaders(body)
            resp = conn.getresponse()
            data = resp.read()
            return Response(resp.status, resp.reason, {k.lower(): v for k, v in resp.getheaders()}, data)
        finally:
            conn.close()

    # admin helpers
    def state(self):
        return self.request("GET", "/_mock/state", host="localhost").json()

    def seed(self, data):
        return self.request("POST", "/_mock/seed", data, host="localhost").json()

    def reset(self):
        return self.request("POST", "/_mock/reset", {}, host="localhost").json()

    def requests(self):
        return self.request("GET", "/_mock/requests", host="localhost").json()

    def add_faults(self, faults):
        return self.request("POST", "/_mock/faults", faults, host="localhost").json()

    def token(self, tenant, client_id, secret, host="login.microsoftonline.com", scope="https://management.azure.com/.default"):
        resp = self.request("POST", "/%s/oauth2/v2.0/token" % tenant, host=host,
                            form={"client_id": client_id, "client_secret": secret, "scope": scope, "grant_type": "client_credentials"})
        if resp.status != 200:
            raise RuntimeError("token request failed: %s %s" % (resp.status, resp.body[:300]))
        return resp.json()["access_token"]
