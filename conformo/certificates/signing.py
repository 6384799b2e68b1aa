"""Signed credentials: compact JWS (RFC 7515), `alg` EdDSA over Ed25519 (RFC 8037), verifiable with the JWKS.

Keys live in `settings.VAR_DIR / "keys"` (outside the web root), one PEM file per key, mode 0600:
`<kid>.pem`. The file `current` names the signing key; every other key file is a retired key that is
still published in the JWKS so credentials it signed keep verifying. The first signature creates the
first key; `conformo certificate rotate-key` makes a new current key. `kid` is the key's RFC 7638 JWK
thumbprint.

Signing and verification go through joserfc (a maintained JOSE library); this module keeps the key files
and the rules of a Conformo credential. Verification (`jws_verify`) is strict: exactly three base64url
segments in canonical form (no padding, no stray bits — joserfc alone would accept a last character with
stray bits), `alg` EdDSA, a `kid` found in the JWKS, a valid signature, a JSON object payload.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError, SecurityWarning
from joserfc.jwk import OKPKey

from conformo.core import paths

ALG = "EdDSA"
CURRENT_FILE = "current"

# RFC 9864 deprecates the name EdDSA (for Ed25519); Conformo's published credentials and JWKS keep it
# (docs/certificates.md), so joserfc's warning about it is expected, not news.
warnings.filterwarnings("ignore", message="EdDSA is deprecated", category=SecurityWarning)


class CredentialInvalid(Exception):
    """The credential does not verify: malformed, unknown key, or a bad signature. The message says which."""


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url: the alphabet only, no padding, and canonical (re-encoding gives the same text)."""
    if not text or any(c not in _B64URL for c in text) or len(text) % 4 == 1:
        raise CredentialInvalid("not base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise CredentialInvalid("not base64url") from exc
    if b64url_encode(data) != text:
        raise CredentialInvalid("non-canonical base64url")
    return data


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def public_jwk(public_key: Ed25519PublicKey) -> dict[str, str]:
    """The published form of a key: crv, kty, x, then kid (its RFC 7638 thumbprint), alg and use."""
    key = OKPKey.import_key(public_key)
    jwk = {name: str(value) for name, value in key.as_dict(private=False).items()}
    return {"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"], "kid": key.thumbprint(), "alg": ALG, "use": "sig"}


def thumbprint(jwk: dict[str, str]) -> str:
    """RFC 7638 thumbprint (SHA-256) of an OKP key."""
    return OKPKey.import_key({k: jwk[k] for k in ("crv", "kty", "x")}).thumbprint()


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey


def keys_dir() -> Path:
    return paths.keys_dir()


def _write_private(directory: Path, key: Ed25519PrivateKey) -> str:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    kid = public_jwk(key.public_key())["kid"]
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path = directory / f"{kid}.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return kid


def _set_current(directory: Path, kid: str) -> None:
    tmp = directory / f".{CURRENT_FILE}.{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(kid + "\n")
    os.replace(tmp, directory / CURRENT_FILE)


def _load_private(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError(f"{path} is not an Ed25519 key.")
    return key


_cache: dict[tuple[str, float], SigningKey] = {}


def signing_key() -> SigningKey:
    """The current signing key; the first call on a fresh instance creates it (race-safe across workers)."""
    directory = keys_dir()
    current = directory / CURRENT_FILE
    if not current.exists():
        import fcntl

        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock_fd = os.open(directory / ".lock", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX)
            if not current.exists():
                _set_current(directory, _write_private(directory, Ed25519PrivateKey.generate()))
        finally:
            os.close(lock_fd)
    stamp = (str(current), current.stat().st_mtime)
    cached = _cache.get(stamp)
    if cached is not None:
        return cached
    kid = current.read_text().strip()
    key = SigningKey(kid=kid, private_key=_load_private(directory / f"{kid}.pem"))
    _cache.clear()
    _cache[stamp] = key
    return key


def key_rotate() -> tuple[str, str | None]:
    """Make a new current key; the old one is retired (still published). Returns (new kid, old kid)."""
    directory = keys_dir()
    old = (directory / CURRENT_FILE).read_text().strip() if (directory / CURRENT_FILE).exists() else None
    kid = _write_private(directory, Ed25519PrivateKey.generate())
    _set_current(directory, kid)
    _cache.clear()
    return kid, old


def jwks() -> dict[str, list[dict[str, str]]]:
    """The JWKS: the current key first, then every retired key (so older credentials keep verifying)."""
    current = signing_key()
    keys = [public_jwk(current.private_key.public_key())]
    for path in sorted(keys_dir().glob("*.pem")):
        if path.stem != current.kid:
            keys.append(public_jwk(_load_private(path).public_key()))
    return {"keys": keys}


def jws_sign(payload: dict[str, Any], key: SigningKey | None = None) -> str:
    """A compact JWS of `payload` with the current key (header: alg EdDSA, kid, typ JWT; the payload as
    compact UTF-8 JSON)."""
    key = key or signing_key()
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str).encode()
    header = {"alg": ALG, "kid": key.kid, "typ": "JWT"}
    return jws.serialize_compact(header, body, OKPKey.import_key(key.private_key), algorithms=[ALG])


def credential_sign(*, number: str, record: dict[str, Any], now: float | None = None) -> str:
    """The signed credential of a certificate: iss = the instance's base URL, sub = its number."""
    return jws_sign(
        {
            "iss": settings.BASE_URL,
            "sub": number,
            "iat": int(now if now is not None else time.time()),
            "certificate": record,
        }
    )


def jws_verify(token: str, key_set: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Verify a compact JWS against a JWKS; returns (header, payload) or raises CredentialInvalid."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise CredentialInvalid("not a compact JWS (three dot-separated parts expected)")
    raw_header, raw_payload, _ = (b64url_decode(part) for part in parts)  # canonical base64url only
    try:
        header = json.loads(raw_header)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CredentialInvalid("the header is not JSON") from exc
    if not isinstance(header, dict) or header.get("alg") != ALG:
        raise CredentialInvalid(f"alg must be {ALG}")
    kid = header.get("kid")
    jwk = next((k for k in key_set.get("keys", []) if isinstance(k, dict) and k.get("kid") == kid), None)
    if jwk is None:
        raise CredentialInvalid(f"unknown key {kid!r}")
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise CredentialInvalid(f"key {kid!r} is not an Ed25519 key")
    try:
        public_key = OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": str(jwk.get("x", ""))})
    except (JoseError, ValueError) as exc:
        raise CredentialInvalid(f"key {kid!r} is malformed") from exc
    try:
        jws.deserialize_compact(".".join(parts), public_key, algorithms=[ALG])
    except BadSignatureError as exc:
        raise CredentialInvalid("bad signature") from exc
    except (JoseError, ValueError) as exc:
        raise CredentialInvalid(f"not a valid JWS: {exc}") from exc
    try:
        payload = json.loads(raw_payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CredentialInvalid("the payload is not JSON") from exc
    if not isinstance(payload, dict):
        raise CredentialInvalid("the payload is not a JSON object")
    return header, payload
