"""Templates at rest: envelope encryption under a central master key.

Each ingest batch gets a fresh 256-bit data key; every template of the batch is sealed with
AES-256-GCM under it (random 96-bit nonce, the template's uuid, station and sha256 as
associated data, so a row cannot be moved onto another uuid), and the data key is stored
wrapped by the master key. The master key never touches the database. It comes from a
:class:`MasterKey` provider: a key file (owner-only), an environment variable, a key derived
from central's sealing key (the default when nothing else is configured), or a KMS/HSM hook —
any object with ``key_id``, ``wrap`` and ``unwrap`` (``hook:package.module:factory``), which
may keep the key inside the HSM.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import importlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk_contract.sealing import b64d

ENV_MASTER_KEY = "KIOSK_CENTRAL_MASTER_KEY"
_NONCE = 12


class VaultError(Exception):
    """A master key is unusable or a sealed record does not open; never holds key bytes."""


@runtime_checkable
class MasterKey(Protocol):
    """Wraps and unwraps data keys. ``key_id`` is stored with every wrapped key."""

    key_id: str
    source: str

    def wrap(self, data_key: bytes, aad: bytes) -> bytes: ...

    def unwrap(self, wrapped: bytes, aad: bytes) -> bytes: ...


class LocalMasterKey:
    """A 256-bit key held in this process; wraps with AES-256-GCM."""

    def __init__(self, key: bytes, source: str) -> None:
        if len(key) != 32:
            raise VaultError(f"the master key from {source} must be 32 bytes, not {len(key)}")
        self._aead = AESGCM(key)
        self.key_id = hashlib.sha256(b"fpk-master-key-id\x00" + key).hexdigest()[:16]
        self.source = source

    def __repr__(self) -> str:
        return f"LocalMasterKey({self.source}, key_id={self.key_id})"

    def wrap(self, data_key: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, data_key, aad)

    def unwrap(self, wrapped: bytes, aad: bytes) -> bytes:
        try:
            return self._aead.decrypt(wrapped[:_NONCE], wrapped[_NONCE:], aad)
        except (InvalidTag, ValueError) as exc:
            raise VaultError("a wrapped data key does not open with this master key") from exc


def _decode_key(text: str, source: str) -> bytes:
    try:
        return b64d(text.strip(), expect_len=32, what="master key")
    except ValueError as exc:
        raise VaultError(f"the master key from {source} is not 32 bytes of base64") from exc


def master_key_from_file(path: Path) -> LocalMasterKey:
    """The key in ``path`` (base64); refused when anyone but the owner may read the file."""
    try:
        st = path.stat()
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise VaultError(f"cannot read the master key file {path}: "
                         f"{getattr(exc, 'strerror', None) or exc}") from exc
    if os.name == "posix" and st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise VaultError(f"the master key file {path} is readable by others "
                         f"(mode {st.st_mode & 0o777:o}); chmod 600 it")
    return LocalMasterKey(_decode_key(text, str(path)), f"file {path}")


def master_key_from_env(var: str = ENV_MASTER_KEY) -> LocalMasterKey:
    value = os.environ.get(var)
    if not value:
        raise VaultError(f"the environment variable {var} is not set")
    return LocalMasterKey(_decode_key(value, f"${var}"), f"environment {var}")


def master_key_derived(private_key_b64: str) -> LocalMasterKey:
    """A master key derived (HKDF) from central's X25519 sealing key: no extra secret to
    manage, but the sealing key file then guards both the wire and the database."""
    raw = _decode_key(private_key_b64, "the sealing key")
    key = HKDF(hashes.SHA256(), 32, salt=b"fpk/central", info=b"fpk/central-at-rest/v1"
               ).derive(raw)
    return LocalMasterKey(key, "derived from the sealing key")


def master_key_from_hook(spec: str) -> MasterKey:
    """``package.module:factory`` returns a :class:`MasterKey` (a KMS or HSM client)."""
    module, _, name = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module), name)
        key = factory()
    except Exception as exc:
        raise VaultError(f"the master key hook {spec!r} failed: {exc.__class__.__name__}: "
                         f"{exc}") from exc
    if not isinstance(key, MasterKey):
        raise VaultError(f"the master key hook {spec!r} did not return a MasterKey")
    return key


def load_master_key(spec: str | None, private_key_b64: str | None = None) -> MasterKey:
    """``file:PATH``, ``env:VAR``, ``hook:module:factory``, or None/``derived``."""
    if spec and spec.startswith("file:"):
        return master_key_from_file(Path(spec[5:]))
    if spec and spec.startswith("env:"):
        return master_key_from_env(spec[4:] or ENV_MASTER_KEY)
    if spec and spec.startswith("hook:"):
        return master_key_from_hook(spec[5:])
    if spec not in (None, "", "derived"):
        raise VaultError(f"master key {spec!r}: use file:PATH, env:VAR, hook:module:factory "
                         "or derived")
    if os.environ.get(ENV_MASTER_KEY) and spec is None:
        return master_key_from_env()
    if not private_key_b64:
        raise VaultError("no master key configured and no sealing key to derive one from")
    return master_key_derived(private_key_b64)


def write_master_key_file(path: Path) -> str:
    """A new random master key in ``path`` (created 0600); returns its key id."""
    key = os.urandom(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(base64.b64encode(key).decode("ascii") + "\n")
    return LocalMasterKey(key, str(path)).key_id


@dataclass(frozen=True)
class SealedRecord:
    sealed: bytes
    wrapped_key: bytes
    key_id: str


def _aad(uuid: str, station: str, sha256: str) -> bytes:
    return f"fpk-template-at-rest/v1\x00{uuid}\x00{station}\x00{sha256}".encode()


class BatchKey:
    """One data key for one batch of templates (wrapped once, shared by the batch's rows)."""

    def __init__(self, master: MasterKey) -> None:
        key = AESGCM.generate_key(256)
        self._aead = AESGCM(key)
        self.key_id = master.key_id
        self.wrapped = master.wrap(key, f"fpk-dek/v1\x00{master.key_id}".encode())

    def seal(self, uuid: str, station: str, sha256: str, data: bytes) -> SealedRecord:
        nonce = os.urandom(_NONCE)
        ct = self._aead.encrypt(nonce, data, _aad(uuid, station, sha256))
        return SealedRecord(nonce + ct, self.wrapped, self.key_id)


class Vault:
    """Seals templates for storage and opens them again (callers audit every opening)."""

    def __init__(self, master: MasterKey) -> None:
        self.master = master

    def batch(self) -> BatchKey:
        return BatchKey(self.master)

    def open(self, uuid: str, station: str, sha256: str, rec: SealedRecord) -> bytes:
        if rec.key_id != self.master.key_id:
            raise VaultError(f"template {uuid} is sealed under master key {rec.key_id}, not "
                             f"{self.master.key_id} ({self.master.source})")
        key = self.master.unwrap(rec.wrapped_key, f"fpk-dek/v1\x00{rec.key_id}".encode())
        try:
            data = AESGCM(key).decrypt(rec.sealed[:_NONCE], rec.sealed[_NONCE:],
                                       _aad(uuid, station, sha256))
        except (InvalidTag, ValueError, binascii.Error) as exc:
            raise VaultError(f"template {uuid} does not open (changed or moved)") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise VaultError(f"template {uuid} does not match its sha256")
        return data
