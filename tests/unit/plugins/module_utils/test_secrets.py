# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one secrets scrubber (_secrets.scrub): what the runner's and the ARM client's scrubbers guaranteed, and more."""

from __future__ import annotations

import base64
import json
import secrets
from urllib.parse import quote

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils._secrets import MASK, scrub


def _b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def make_jwt():
    return "%s.%s.%s" % (_b64({"alg": "RS256", "typ": "JWT"}), _b64({"oid": secrets.token_hex(8), "tid": "t"}), secrets.token_urlsafe(32))


def test_secret_jwt_bearer_and_assignments():
    token = make_jwt()
    text = "token %s and Bearer abcdefghijklmnop and client_secret=hunter2hunter2 and secret XYZ-123" % token
    out = scrub(text, ["XYZ-123"])
    assert token not in out and "abcdefghijklmnop" not in out and "hunter2hunter2" not in out and "XYZ-123" not in out
    assert out.count(MASK) == 4
    assert out.startswith("token %s and Bearer %s and client_secret=%s" % (MASK, MASK, MASK))


def test_empty_none_and_plain_texts_stay():
    assert scrub("", ["x"]) == "" and scrub(None) is None
    assert scrub("Invalid client secret is provided", []) == "Invalid client secret is provided"


def test_form_fields_json_fields_and_given_secret():
    token = make_jwt()
    text = "client_secret=abc123xyz&x=1 Bearer %s {\"access_token\": \"zzz999\"} s3cr3tvalue" % token
    out = scrub(text, ["s3cr3tvalue"])
    for leaked in (token, "abc123xyz", "zzz999", "s3cr3tvalue"):
        assert leaked not in out
    assert "&x=1" in out, "only the value is masked"


def test_url_encoded_secret():
    secret = "a+b/c=d&e " + secrets.token_hex(4)
    encoded = quote(secret, safe="")
    out = scrub("POST /token body=client_id=x&grant=%s and plain %s" % (encoded, secret), [secret])
    assert encoded not in out and secret not in out and out.count(MASK) == 2


def test_longer_secret_masked_whole():
    assert scrub("value abcdef-123 here", ["abc", "abcdef-123"]) == "value %s here" % MASK


@pytest.mark.parametrize("text, leaked", [
    ("azcmagent connect --service-principal-secret hunter22", "hunter22"),
    ("azcmagent connect --access-token=tok-value-1", "tok-value-1"),
    ('"service-principal-secret": "json-secret"', "json-secret"),
    ("Authorization: bearer 0123456789abcdef", "0123456789abcdef"),
    ("client_assertion=" + make_jwt(), "eyJ"),
    ("To sign in, open the page and enter the code ABCD12345 to authenticate.", "ABCD12345"),
], ids=["flag", "flag-equals", "json-field", "bearer-lowercase", "assertion", "device-code"])
def test_secret_shapes_whatever_their_value(text, leaked):
    out = scrub(text)
    assert leaked not in out and MASK in out


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
