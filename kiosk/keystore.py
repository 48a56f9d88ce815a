"""Where the station keeps its secrets: the data key of the database, the broker password.

Three stores, chosen once per station (``choose``), best first:

* **Windows DPAPI, machine scope** (``CryptProtectData`` with ``CRYPTPROTECT_LOCAL_MACHINE``
  through ctypes): the secret is stored as a blob in the data folder's ``secrets`` folder that
  only this Windows installation can open — any account on it, so the kiosk's service account,
  the signed-in clerk and the installer all can; a copied data folder or backup does not open
  on another computer. A copy of the whole disk can be opened offline (the machine's DPAPI
  secrets are on it): that is what full-disk encryption is for.
* **The system key store** through ``keyring`` (the Secret Service on a Linux desktop):
  per-user, used where it is available and not a "fail"/"null" backend.
* **A key file** in ``secrets/`` with owner-only permissions (0600 in a 0700 folder), where
  neither exists (headless Linux). ``kiosk doctor`` says so, because a copy of the data folder
  then carries the key with it.

Each store says plainly where it keeps things (:meth:`KeyStore.describe`), and that sentence
is the only one any screen or message uses about it.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import hashlib
import json
import logging
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

ENV_KEYSTORE = "KIOSK_KEYSTORE"  # "file" forces the key file (tests, kiosks without a store)
_SERVICE = "FingerprintKiosk"


class StoreKind(StrEnum):
    DPAPI = "dpapi"
    KEYRING = "keyring"
    FILE = "file"


class KeyStoreError(RuntimeError):
    """A secret cannot be read or written; the message says which and where."""


class KeyStore(Protocol):
    kind: StoreKind

    def load(self, name: str) -> bytes | None: ...
    def save(self, name: str, value: bytes) -> None: ...
    def delete(self, name: str) -> None: ...
    def describe(self) -> str: ...


def write_private(path: Path, data: bytes, *, own_folder: bool = True) -> None:
    """Atomic, owner-only write (file 0600; with ``own_folder`` the folder 0700 too)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if own_folder:
        with contextlib.suppress(OSError):
            os.chmod(path.parent, 0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class FileKeyStore:
    """Owner-only files in ``folder``: the fallback where the OS offers no key store."""

    kind = StoreKind.FILE

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, name: str) -> Path:
        return self.folder / name

    def load(self, name: str) -> bytes | None:
        try:
            return self._path(name).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise KeyStoreError(f"{self._path(name)} cannot be read: {exc.strerror}") from exc

    def save(self, name: str, value: bytes) -> None:
        try:
            write_private(self._path(name), value)
        except OSError as exc:
            raise KeyStoreError(f"{self._path(name)} cannot be written: {exc.strerror}") from exc

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    def describe(self) -> str:
        return (f"a key file readable only by the station's account ({self.folder}); there is "
                "no system key store on this computer")


class _Blob(ctypes.Structure):
    _fields_ = [("cbData", ctypes.c_uint32), ("pbData", ctypes.POINTER(ctypes.c_char))]


class DpapiKeyStore:
    """Windows DPAPI, machine scope: blobs only this Windows installation can open."""

    kind = StoreKind.DPAPI
    LOCAL_MACHINE = 0x4
    UI_FORBIDDEN = 0x1

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _call(self, fn_name: str, data: bytes) -> bytes:
        crypt32 = ctypes.windll.crypt32  # type: ignore[attr-defined]
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        buf = ctypes.create_string_buffer(data, len(data))
        src = _Blob(len(data), ctypes.cast(buf, ctypes.POINTER(ctypes.c_char)))
        dst = _Blob()
        flags = self.LOCAL_MACHINE | self.UI_FORBIDDEN
        if fn_name == "CryptProtectData":
            ok = crypt32.CryptProtectData(ctypes.byref(src), None, None, None, None, flags,
                                          ctypes.byref(dst))
        else:
            ok = crypt32.CryptUnprotectData(ctypes.byref(src), None, None, None, None, flags,
                                            ctypes.byref(dst))
        if not ok:
            raise KeyStoreError(f"{fn_name} failed (Windows error {ctypes.GetLastError()})")  # type: ignore[attr-defined]
        try:
            return ctypes.string_at(dst.pbData, dst.cbData)
        finally:
            kernel32.LocalFree(dst.pbData)

    def load(self, name: str) -> bytes | None:
        path = self.folder / f"{name}.dpapi"
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            return None
        return self._call("CryptUnprotectData", blob)

    def save(self, name: str, value: bytes) -> None:
        write_private(self.folder / f"{name}.dpapi", self._call("CryptProtectData", value))

    def delete(self, name: str) -> None:
        (self.folder / f"{name}.dpapi").unlink(missing_ok=True)

    def describe(self) -> str:
        return ("Windows DPAPI (machine scope): any program on this computer can open it; a "
                "copy of the data folder or of a backup does not open on another computer")


class KeyringKeyStore:
    """The system key store through ``keyring`` (the Secret Service on Linux desktops)."""

    kind = StoreKind.KEYRING

    def __init__(self, folder: Path) -> None:
        # One key-store entry per data folder, so two stations on one computer do not clash.
        digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]
        self.service = f"{_SERVICE}-{digest}"

    def load(self, name: str) -> bytes | None:
        import keyring

        value = keyring.get_password(self.service, name)
        return base64.b64decode(value) if value is not None else None

    def save(self, name: str, value: bytes) -> None:
        import keyring

        keyring.set_password(self.service, name, base64.b64encode(value).decode("ascii"))

    def delete(self, name: str) -> None:
        import keyring
        import keyring.errors

        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(self.service, name)

    def describe(self) -> str:
        import keyring

        return f"the system key store ({type(keyring.get_keyring()).__name__})"


def _keyring_usable() -> bool:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or "null" in type(backend).__module__:
        return False
    if "chainer" in type(backend).__module__ and not getattr(backend, "backends", ()):
        return False
    return bool(getattr(backend, "priority", 0) > 0)


def choose(secrets_folder: Path) -> KeyStore:
    """The best key store this computer offers, for the station whose secrets live there."""
    forced = os.environ.get(ENV_KEYSTORE, "")
    if forced == StoreKind.FILE:
        return FileKeyStore(secrets_folder)
    if sys.platform == "win32":
        return DpapiKeyStore(secrets_folder)
    if forced == StoreKind.KEYRING or _keyring_usable():
        return KeyringKeyStore(secrets_folder)
    return FileKeyStore(secrets_folder)


DATA_KEY = "data-key"


def data_key(store: KeyStore) -> bytes:
    """The database's data key, made on first use (32 random bytes)."""
    key = store.load(DATA_KEY)
    if key is None:
        key = os.urandom(32)
        store.save(DATA_KEY, key)
        log.info("new data key created in %s", store.describe())
    if len(key) != 32:
        raise KeyStoreError("the stored data key is damaged (wrong length)")
    return key


EXPORT_FORMAT = "fpk-data-key/1"
_EXPORT_AAD = b"fingerprint-kiosk data key export v1"
#: scrypt cost of an exported key: ~0.1 s and 32 MiB to try one passphrase.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1
MIN_PASSPHRASE = 12


def key_fingerprint(key: bytes) -> str:
    """Short, non-secret name of a data key (to tell two keys apart in a report)."""
    return hashlib.sha256(b"fpk-data-key-fingerprint|" + key).hexdigest()[:16]


def _kek(passphrase: str, salt: bytes) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R,
                          p=_SCRYPT_P, maxmem=64 * 1024 * 1024, dklen=32)


def export_key(key: bytes, passphrase: str) -> bytes:
    """The data key wrapped under ``passphrase`` (scrypt + AES-256-GCM), as a JSON document:
    what an administrator carries to restore a backup on another computer."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyStoreError(f"the passphrase must have at least {MIN_PASSPHRASE} characters")
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(16), os.urandom(12)
    ct = AESGCM(_kek(passphrase, salt)).encrypt(nonce, key, _EXPORT_AAD)
    doc = {"format": EXPORT_FORMAT, "kdf": "scrypt", "n": _SCRYPT_N, "r": _SCRYPT_R,
           "p": _SCRYPT_P, "salt": base64.b64encode(salt).decode(),
           "nonce": base64.b64encode(nonce).decode(), "key": base64.b64encode(ct).decode(),
           "fingerprint": key_fingerprint(key)}
    return (json.dumps(doc, indent=2) + "\n").encode("ascii")


def import_key(blob: bytes, passphrase: str) -> bytes:
    """The data key from an :func:`export_key` document; KeyStoreError if it does not open."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        doc = json.loads(blob)
        if doc.get("format") != EXPORT_FORMAT or doc.get("kdf") != "scrypt":
            raise ValueError("not an exported data key")
        if (doc["n"], doc["r"], doc["p"]) != (_SCRYPT_N, _SCRYPT_R, _SCRYPT_P):
            raise ValueError("unsupported key derivation settings")
        salt, nonce, ct = (base64.b64decode(doc[k], validate=True)
                           for k in ("salt", "nonce", "key"))
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyStoreError(f"the file is not an exported station key ({exc})") from None
    try:
        key = AESGCM(_kek(passphrase, salt)).decrypt(nonce, ct, _EXPORT_AAD)
    except InvalidTag:
        raise KeyStoreError("the passphrase does not open this key file") from None
    if len(key) != 32:
        raise KeyStoreError("the key in the file is damaged")
    return key


__all__ = [
    "DATA_KEY",
    "ENV_KEYSTORE",
    "EXPORT_FORMAT",
    "MIN_PASSPHRASE",
    "DpapiKeyStore",
    "FileKeyStore",
    "KeyStore",
    "KeyStoreError",
    "KeyringKeyStore",
    "StoreKind",
    "choose",
    "data_key",
    "export_key",
    "import_key",
    "key_fingerprint",
    "write_private",
]
