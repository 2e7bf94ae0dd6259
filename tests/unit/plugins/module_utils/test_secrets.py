# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils._secrets import MASK, scrub


# Every shape the classifier's own redaction covered before it used _secrets, and what _secrets adds.
@pytest.mark.parametrize("text, secret, kept", [
    ("azcmagent connect --service-principal-secret S3cr3t-Value -t x", "S3cr3t-Value", "--service-principal-secret "),
    ("azcmagent connect --access-token=tok.en.value", "tok.en.value", "--access-token="),
    ("azcmagent connect --service-principal-secret 'quoted value' -t x", "quoted value", "--service-principal-secret "),
    ("azcmagent connect -p hunter2 -i x", "hunter2", "-p "),
    ("client_secret=abcDEF123&grant_type=client_credentials", "abcDEF123", "client_secret="),
    ('{"access_token": "abc.def.ghi", "x": 1}', "abc.def.ghi", '"access_token": "'),
    ('{\\"refresh_token\\":\\"r3fr3sh\\"}', "r3fr3sh", "refresh_token"),
    ("client_assertion=eyJhbGciOiJSUzI1NiJ9.e30.sig&x=1", "eyJhbGciOiJSUzI1NiJ9", "client_assertion="),
    ("password=abc", "abc", "password="),
    ("Password: x1", "x1", "Password: "),
    ("Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOi Status Code=503", "eyJ0eXAiOiJKV1QiLCJhbGciOi", "Bearer "),
    ("and enter the code ABCD1234 to authenticate.", "ABCD1234", "enter the code "),
    ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here", "eyJzdWIiOiIxIn0", "token "),
], ids=["flag", "flag-equals", "flag-quoted", "short-flag", "form-field", "json-field", "escaped-json-field", "assertion",
        "short-password", "two-letter-password", "bearer", "device-code", "jwt"])
def test_scrub_masks_secret_shapes(text, secret, kept):
    out = scrub(text)
    assert secret not in out
    assert MASK in out and kept in out


def test_scrub_known_secrets_plain_and_url_encoded():
    out = scrub("a p@ss/word b p%40ss%2Fword c", ["p@ss/word"])
    assert out == f"a {MASK} b {MASK} c"
    assert scrub("", ["x"]) == "" and scrub(None) is None


@pytest.mark.parametrize("text", [
    "Invalid client secret is provided",
    "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value",
    "FATAL   Failed to acquire authorization token from SPN",
], ids=["message", "aadsts", "fatal"])
def test_scrub_keeps_plain_error_texts(text):
    assert scrub(text) == text
