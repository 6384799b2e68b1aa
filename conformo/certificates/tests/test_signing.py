from __future__ import annotations

import json
import stat
import warnings
from typing import Any

import pytest
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from conformo.certificates import signing
from conformo.certificates.signing import CredentialInvalid, b64url_decode, b64url_encode, jws_sign, jws_verify

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


def joserfc_verify(token: str, key_set: dict[str, Any]) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        keys = KeySet.import_key_set(key_set)  # type: ignore[arg-type]
        obj = jws.deserialize_compact(token, keys, algorithms=["EdDSA"])
    return dict(json.loads(obj.payload))


def test_a_credential_round_trips_through_our_verifier_and_joserfc() -> None:
    payload = {"iss": "https://registry.example.test", "sub": "NBC-1", "iat": 1767225600, "certificate": {"a": "é"}}
    token = jws_sign(payload)
    header, decoded = jws_verify(token, signing.jwks())
    assert decoded == payload
    assert header["alg"] == "EdDSA"
    assert header["kid"] == signing.signing_key().kid
    assert joserfc_verify(token, signing.jwks()) == payload


def test_flipping_any_byte_of_the_payload_or_signature_fails_both_verifiers() -> None:
    token = jws_sign({"sub": "NBC-1", "iat": 1, "certificate": {"status": "active"}})
    key_set = signing.jwks()
    head, body, sig = token.split(".")
    for segment in (1, 2):
        raw = bytearray(b64url_decode([head, body, sig][segment]))
        for i in range(len(raw)):
            tampered = bytearray(raw)
            tampered[i] ^= 0x01
            parts = [head, body, sig]
            parts[segment] = b64url_encode(bytes(tampered))
            bad = ".".join(parts)
            with pytest.raises(CredentialInvalid):
                jws_verify(bad, key_set)
            with pytest.raises((JoseError, ValueError)):
                joserfc_verify(bad, key_set)


def test_changing_any_character_of_the_token_fails_our_verifier() -> None:
    token = jws_sign({"sub": "NBC-1", "iat": 1})
    key_set = signing.jwks()
    for i, char in enumerate(token):
        if char == ".":
            continue
        replacement = "A" if char != "A" else "B"
        with pytest.raises(CredentialInvalid):
            jws_verify(token[:i] + replacement + token[i + 1 :], key_set)


def test_a_key_not_in_the_jwks_fails() -> None:
    token = jws_sign({"sub": "NBC-1", "iat": 1})
    signing.key_rotate()
    other = {"keys": [k for k in signing.jwks()["keys"] if k["kid"] != jws_verify(token, signing.jwks())[0]["kid"]]}
    with pytest.raises(CredentialInvalid, match="unknown key"):
        jws_verify(token, other)


def test_the_jwks_publishes_okp_ed25519_keys_with_kid(settings: Any) -> None:
    key_set = signing.jwks()
    assert len(key_set["keys"]) == 1
    key = key_set["keys"][0]
    assert (key["kty"], key["crv"], key["alg"]) == ("OKP", "Ed25519", "EdDSA")
    assert key["kid"] == signing.thumbprint(key)
    assert len(b64url_decode(key["x"])) == 32
    assert "d" not in key


def test_keys_are_files_outside_the_web_root_readable_by_the_owner_only(settings: Any) -> None:
    kid = signing.signing_key().kid
    path = settings.VAR_DIR / "keys" / f"{kid}.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not str(path).startswith(str(settings.STATIC_ROOT))


def test_rotation_signs_with_a_new_key_and_keeps_the_old_one_published() -> None:
    old_token = jws_sign({"sub": "old", "iat": 1})
    old_kid = signing.signing_key().kid
    new_kid, retired = signing.key_rotate()
    assert retired == old_kid
    assert signing.signing_key().kid == new_kid != old_kid
    key_set = signing.jwks()
    assert key_set["keys"][0]["kid"] == new_kid
    assert {k["kid"] for k in key_set["keys"]} == {new_kid, old_kid}
    assert jws_verify(old_token, key_set)[1]["sub"] == "old"
    assert jws_verify(jws_sign({"sub": "new", "iat": 1}), key_set)[0]["kid"] == new_kid


@pytest.mark.parametrize("token", ["", "a.b", "a.b.c.d", "e30.e30.", "!!!.e30.e30"])
def test_malformed_tokens_fail(token: str) -> None:
    with pytest.raises(CredentialInvalid):
        jws_verify(token, signing.jwks())


def test_an_other_algorithm_in_the_header_fails() -> None:
    token = jws_sign({"sub": "x", "iat": 1})
    _, body, sig = token.split(".")
    header = b64url_encode(json.dumps({"alg": "none", "kid": signing.signing_key().kid}).encode())
    with pytest.raises(CredentialInvalid, match="alg"):
        jws_verify(f"{header}.{body}.{sig}", signing.jwks())


def _signed_by_hand(payload: dict[str, Any], key: signing.SigningKey) -> str:
    """A credential as the hand-written signer made it before joserfc (kept here to check compatibility)."""
    header = json.dumps({"alg": "EdDSA", "kid": key.kid, "typ": "JWT"}, separators=(",", ":")).encode()
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    signing_input = b64url_encode(header) + "." + b64url_encode(body)
    return signing_input + "." + b64url_encode(key.private_key.sign(signing_input.encode("ascii")))


def test_credentials_signed_before_joserfc_still_verify_and_are_the_same_bytes() -> None:
    payload = {"iss": "https://registry.example.test", "sub": "NBC-1", "iat": 1767225600, "certificate": {"a": "é"}}
    key = signing.signing_key()
    earlier = _signed_by_hand(payload, key)
    assert jws_verify(earlier, signing.jwks()) == ({"alg": "EdDSA", "kid": key.kid, "typ": "JWT"}, payload)
    assert jws_sign(payload) == earlier


def test_the_thumbprint_is_rfc_7638s_example() -> None:
    # RFC 8037, appendix A.3: the thumbprint of its Ed25519 example key.
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    assert signing.thumbprint(jwk) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
