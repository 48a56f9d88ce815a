"""Sealing templates to the central service's public key (end-to-end, not just TLS).

The broker, its persistence file, its log and the station's outbox must only ever see
ciphertext, so each template is sealed with an ephemeral X25519 key agreement, HKDF-SHA256 and
AES-256-GCM. The message metadata (canonical JSON) is the AEAD associated data, so a template
cannot be re-labelled with another person, finger or UUID without the open failing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ALGORITHM = "X25519-HKDF-SHA256-A256GCM"
_INFO = b"fpk/template-seal/v1"
_RAW = serialization.Encoding.Raw
_RAW_PUB = serialization.PublicFormat.Raw


class CryptoError(ValueError):
    """A key or sealed blob is unusable; the message never contains key or template bytes."""


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: str, *, expect_len: int | None = None, what: str = "value") -> bytes:
    """Strict base64 decoding (no stray characters), optionally of an exact length."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, AttributeError) as exc:
        raise CryptoError(f"{what} is not valid base64") from exc
    if expect_len is not None and len(raw) != expect_len:
        raise CryptoError(f"{what} must be {expect_len} bytes, got {len(raw)}")
    return raw


def canonical_json(obj: Any) -> bytes:
    """The one byte representation of ``obj`` both sides compute for the associated data."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class KeyPair:
    private_b64: str
    public_b64: str


def generate_keypair() -> KeyPair:
    priv = X25519PrivateKey.generate()
    raw_priv = priv.private_bytes(
        _RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return KeyPair(b64e(raw_priv), b64e(priv.public_key().public_bytes(_RAW, _RAW_PUB)))


def load_public_key(b64: str) -> X25519PublicKey:
    return X25519PublicKey.from_public_bytes(b64d(b64.strip(), expect_len=32, what="public key"))


def load_private_key(b64: str) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(
        b64d(b64.strip(), expect_len=32, what="private key")
    )


def key_id(public: X25519PublicKey) -> str:
    """Short fingerprint of a public key, so central can tell "sealed to another key" apart."""
    return hashlib.sha256(public.public_bytes(_RAW, _RAW_PUB)).hexdigest()[:16]


@dataclass(frozen=True)
class Sealed:
    """A sealed template: ephemeral public key, nonce and ciphertext-with-tag."""

    kid: str
    epk: bytes
    nonce: bytes
    ct: bytes

    def to_json(self) -> dict[str, str]:
        return {
            "alg": ALGORITHM,
            "kid": self.kid,
            "epk": b64e(self.epk),
            "nonce": b64e(self.nonce),
            "ct": b64e(self.ct),
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Sealed:
        if obj.get("alg") != ALGORITHM:
            raise CryptoError(f"unsupported sealing algorithm {str(obj.get('alg'))[:40]!r}")
        ct = b64d(str(obj.get("ct", "")), what="ct")
        if len(ct) < 17:
            raise CryptoError("ct is too short")
        return cls(
            kid=str(obj.get("kid", "")),
            epk=b64d(str(obj.get("epk", "")), expect_len=32, what="epk"),
            nonce=b64d(str(obj.get("nonce", "")), expect_len=12, what="nonce"),
            ct=ct,
        )


def _derive(shared: bytes, epk: bytes, recipient: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=epk + recipient, info=_INFO).derive(shared)


def seal(recipient: X25519PublicKey, plaintext: bytes, aad: bytes) -> Sealed:
    eph = X25519PrivateKey.generate()
    epk = eph.public_key().public_bytes(_RAW, _RAW_PUB)
    rpk = recipient.public_bytes(_RAW, _RAW_PUB)
    key = _derive(eph.exchange(recipient), epk, rpk)
    nonce = os.urandom(12)
    return Sealed(key_id(recipient), epk, nonce, AESGCM(key).encrypt(nonce, plaintext, aad))


def open_sealed(private: X25519PrivateKey, sealed: Sealed, aad: bytes) -> bytes:
    """Decrypt; raises :class:`CryptoError` for another recipient or tampered metadata/bytes."""
    public = private.public_key()
    if sealed.kid and sealed.kid != key_id(public):
        raise CryptoError("sealed to a different central key")
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(sealed.epk))
        key = _derive(shared, sealed.epk, public.public_bytes(_RAW, _RAW_PUB))
        return AESGCM(key).decrypt(sealed.nonce, sealed.ct, aad)
    except (InvalidTag, ValueError) as exc:
        raise CryptoError("sealed template failed authentication") from exc
