# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Certificates for the mock Azure: a CA, a server certificate with the Azure host names,
a second ("intercepting") CA and its server certificate, and RSA client certificates for
service principals that authenticate with a certificate assertion."""

from __future__ import annotations

import base64
import datetime
import hashlib
import ipaddress
import json
import os
import time
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# Every name the agent or the collection may dial, in the three clouds (TLS SNI + verification).
AZURE_DNS_NAMES = (
    "localhost",
    # Entra ID
    "login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "*.login.microsoft.com",
    "sts.windows.net", "login.microsoftonline.us", "login.usgovcloudapi.net",
    "login.chinacloudapi.cn", "login.partner.microsoftonline.cn",
    # Resource Manager
    "management.azure.com", "management.core.windows.net", "management.usgovcloudapi.net",
    "management.core.usgovcloudapi.net", "management.chinacloudapi.cn", "management.core.chinacloudapi.cn",
    # Arc services
    "*.his.arc.azure.com", "*.guestconfiguration.azure.com", "*.gw.arc.azure.com", "pas.windows.net",
    "guestnotificationservice.azure.com", "*.guestnotificationservice.azure.com", "*.servicebus.windows.net",
    "*.his.arc.azure.us", "*.guestconfiguration.azure.us", "*.gw.arc.azure.us", "pasff.usgovcloudapi.net",
    "*.his.arc.azure.cn", "*.guestconfiguration.azure.cn", "*.gw.arc.azure.cn", "pas.chinacloudapi.cn",
)
IP_ADDRESSES = ("127.0.0.1",)


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _write(path, data, mode=0o644):
    tmp = path + ".tmp"
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def _key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def make_ca(common_name):
    """Return (key, certificate) of a self-signed CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "arcops simulator"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now() - datetime.timedelta(days=1))
        .not_valid_after(_now() + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_server_cert(ca_key, ca_cert, common_name="management.azure.com"):
    """Return (key, certificate) of a TLS server certificate for every Azure name, signed by the CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    sans = [x509.DNSName(n) for n in AZURE_DNS_NAMES] + [x509.IPAddress(ipaddress.ip_address(a)) for a in IP_ADDRESSES]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
        .issuer_name(ca_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now() - datetime.timedelta(days=1))
        .not_valid_after(_now() + datetime.timedelta(days=29))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def ensure_certificates(mock_dir):
    """Create (once) the CA, server, intercept CA and intercept server files in ``mock_dir``.

    Returns a dict of absolute paths: ca_file, ca_key, server_cert, server_key,
    intercept_ca_file, intercept_ca_key, intercept_cert, intercept_key.
    """
    os.makedirs(mock_dir, exist_ok=True)
    paths = {
        "ca_file": "ca.pem", "ca_key": "ca.key", "server_cert": "server.pem", "server_key": "server.key",
        "intercept_ca_file": "intercept-ca.pem", "intercept_ca_key": "intercept-ca.key",
        "intercept_cert": "intercept.pem", "intercept_key": "intercept.key",
    }
    paths = {k: os.path.join(os.path.abspath(mock_dir), v) for k, v in paths.items()}
    for prefix, cn in (("", "arcops simulator mock Azure CA"), ("intercept_", "Corporate TLS Inspection CA")):
        ca_file, ca_key_file = paths[prefix + "ca_file"], paths[prefix + "ca_key"]
        cert_file = paths["intercept_cert" if prefix else "server_cert"]
        key_file = paths["intercept_key" if prefix else "server_key"]
        if all(os.path.exists(p) for p in (ca_file, ca_key_file, cert_file, key_file)):
            continue
        ca_key, ca_cert = make_ca(cn)
        key, cert = make_server_cert(ca_key, ca_cert)
        _write(ca_key_file, _key_pem(ca_key), 0o600)
        _write(ca_file, ca_cert.public_bytes(serialization.Encoding.PEM))
        _write(key_file, _key_pem(key), 0o600)
        _write(cert_file, cert.public_bytes(serialization.Encoding.PEM) + ca_cert.public_bytes(serialization.Encoding.PEM))
    return paths


# --- client certificates and assertions (service principals with certificate credentials) ---

def b64url(data):
    """base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    text = text.encode("ascii") if isinstance(text, str) else text
    return base64.urlsafe_b64decode(text + b"=" * (-len(text) % 4))


def make_client_certificate(common_name="arcsim-principal"):
    """Return (key_pem, cert_pem) of a self-signed RSA certificate for a service principal."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now() - datetime.timedelta(days=1))
        .not_valid_after(_now() + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return _key_pem(key).decode("ascii"), cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def cert_der(cert_pem):
    return x509.load_pem_x509_certificate(cert_pem.encode("ascii")).public_bytes(serialization.Encoding.DER)


def thumbprints(cert_pem):
    """Return (sha1 hex upper, x5t, x5t#S256) of a PEM certificate."""
    der = cert_der(cert_pem)
    return hashlib.sha1(der).hexdigest().upper(), b64url(hashlib.sha1(der).digest()), b64url(hashlib.sha256(der).digest())


def make_client_assertion(key_pem, cert_pem, client_id, audience, alg="RS256", thumbprint="x5t", lifetime=600, now=None):
    """Build the signed JWT a confidential client sends as ``client_assertion``."""
    now = int(time.time()) if now is None else int(now)
    _, x5t, x5t256 = thumbprints(cert_pem)
    header = {"alg": alg, "typ": "JWT"}
    if thumbprint in ("x5t", "both"):
        header["x5t"] = x5t
    if thumbprint in ("x5t#S256", "both"):
        header["x5t#S256"] = x5t256
    claims = {"aud": audience, "iss": client_id, "sub": client_id, "jti": str(uuid.uuid4()),
              "nbf": now, "iat": now, "exp": now + lifetime}
    signing_input = (b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())).encode("ascii")
    key = serialization.load_pem_private_key(key_pem.encode("ascii"), password=None)
    if alg == "PS256":
        sig = key.sign(signing_input, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=hashes.SHA256.digest_size),
                       hashes.SHA256())
    else:
        sig = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return signing_input.decode("ascii") + "." + b64url(sig)


def verify_assertion_signature(assertion, cert_pem):
    """True when the JWT's RS256/PS256 signature verifies with the certificate's public key."""
    try:
        head_b64, claims_b64, sig_b64 = assertion.split(".")
        header = json.loads(b64url_decode(head_b64))
        public_key = x509.load_pem_x509_certificate(cert_pem.encode("ascii")).public_key()
        data = (head_b64 + "." + claims_b64).encode("ascii")
        sig = b64url_decode(sig_b64)
        if header.get("alg") == "PS256":
            for salt in (hashes.SHA256.digest_size, padding.PSS.MAX_LENGTH):
                try:
                    public_key.verify(sig, data, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=salt), hashes.SHA256())
                    return True
                except Exception:  # pylint: disable=broad-except
                    continue
            return False
        if header.get("alg") == "RS256":
            public_key.verify(sig, data, padding.PKCS1v15(), hashes.SHA256())
            return True
    except Exception:  # pylint: disable=broad-except
        return False
    return False
