# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one secrets scrubber of the collection.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

Every text the collection hands back (agent output, log lines, Resource Manager and Entra ID
errors, finding evidence) goes through :func:`scrub`: the secret values the caller knows, in
plain and URL-encoded form, and anything shaped like a secret whatever its value (JWTs, bearer
credentials, secret flags and form fields, the one-time device login code).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

MASK = "********"

# A JWT (Entra ID access tokens, client assertions): three base64url parts, the first a JSON header ('{"' = 'eyJ').
_JWT_RE = re.compile(r"\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*")

# An HTTP bearer credential as it appears in headers or logged requests: 'Bearer <token>'.
_BEARER_RE = re.compile(r"(?i)(?P<keep>\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}")

# A secret flag of the agent with its value: --service-principal-secret xyz, --access-token=xyz, -p xyz.
_FLAG_RE = re.compile(
    r"""(?P<keep>--(?:service-principal-secret|access-token|certificate-password)[= ]+|(?<![\w-])-p[= ]+)"""
    r"""(?:"[^"]*"|'[^']*'|[^\s"']+)"""
)

# A secret-looking assignment or JSON field: client_secret=..., "access-token": "...", password: ...
# Any length: a short password is still a password (password=abc).
_ASSIGN_RE = re.compile(
    r"""(?i)(?P<keep>\b(?:client[_-]?secret|service[_-]principal[_-]secret|access[_-]token|refresh[_-]token"""
    r"""|client[_-]assertion|password)\\?"?\s*[=:]\s*\\?"?)[^\s&"\\,}]+"""
)

# The one-time code of the device login flow ('... and enter the code ABC123XYZ to authenticate').
_DEVICE_CODE_RE = re.compile(r"(?P<keep>\benter the code )[A-Z0-9-]{4,}")

_SHAPED = (_FLAG_RE, _ASSIGN_RE, _BEARER_RE, _DEVICE_CODE_RE)


def _keep(match: re.Match[str]) -> str:
    return match.group("keep") + MASK


def scrub(text: str | None, secrets: Iterable[str | None] = ()) -> str | None:
    """``text`` with each given secret (plain and URL-encoded) and every secret-shaped value replaced by ``MASK``.

    ``None`` stays ``None`` and an empty text stays empty. Longer secrets are replaced first, so a secret that
    contains another one is masked whole."""
    if not text:
        return text
    for secret in sorted({str(s) for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, MASK)
        encoded = quote(secret, safe="")
        if encoded != secret:
            text = text.replace(encoded, MASK)
    text = _JWT_RE.sub(MASK, text)
    for regex in _SHAPED:
        text = regex.sub(_keep, text)
    return text
