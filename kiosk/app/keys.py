"""The station's data key, for the administrator: where it is kept, export and import.

The data key seals every template in the database; it never enters the database or a backup.
A backup restored on the same computer opens with the key already there. To restore on
another computer, an administrator exports the key under a passphrase
(:func:`export_data_key`) and imports it there (:func:`import_data_key`) before the database
is opened. An import never replaces a different key silently, and it is undone when the
database does not open with the imported key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk import keystore
from kiosk.keystore import KeyStoreError, StoreKind
from kiosk.paths import DataPaths
from kiosk.store import KeyUnavailable, Store


class KeyTransferError(Exception):
    """The key cannot be exported or imported; the message says why and what to do."""


@dataclass(frozen=True)
class KeyStoreInfo:
    kind: StoreKind
    #: Where the station's secrets are kept, in words (the only sentence screens use).
    where: str
    #: A copy of the data folder carries the key with it (no OS key store on this computer).
    fallback: bool
    #: The data key's fingerprint, or None when no key was made yet.
    fingerprint: str | None


def key_store_info(paths: DataPaths) -> KeyStoreInfo:
    store = keystore.choose(paths.secrets)
    key = store.load(keystore.DATA_KEY)
    return KeyStoreInfo(store.kind, store.describe(), store.kind is StoreKind.FILE,
                        keystore.key_fingerprint(key) if key else None)


def export_data_key(paths: DataPaths, dest: Path, passphrase: str) -> str:
    """Write the data key, wrapped under ``passphrase``, to ``dest``; returns its fingerprint."""
    store = keystore.choose(paths.secrets)
    try:
        key = store.load(keystore.DATA_KEY)
        if key is None:
            raise KeyTransferError("This station has no data key yet (nothing was enrolled).")
        blob = keystore.export_key(key, passphrase)
    except KeyStoreError as exc:
        raise KeyTransferError(f"The key cannot be exported: {exc}.") from exc
    try:
        keystore.write_private(Path(dest), blob, own_folder=False)
    except OSError as exc:
        raise KeyTransferError(f"Cannot write {dest}: {exc.strerror or exc}.") from exc
    return keystore.key_fingerprint(key)


def import_data_key(paths: DataPaths, src: Path, passphrase: str, *,
                    replace: bool = False) -> str:
    """Put an exported key into this computer's key store; returns its fingerprint.

    Refuses to replace a different key unless ``replace``; when a database is there, it must
    open with the imported key, or the previous key is put back.
    """
    try:
        key = keystore.import_key(Path(src).read_bytes(), passphrase)
    except OSError as exc:
        raise KeyTransferError(f"Cannot read {src}: {exc.strerror or exc}.") from exc
    except KeyStoreError as exc:
        raise KeyTransferError(f"The key cannot be imported: {exc}.") from exc
    store = keystore.choose(paths.secrets)
    old = store.load(keystore.DATA_KEY)
    if old is not None and old != key and not replace:
        raise KeyTransferError(
            f"This station already has another data key ({keystore.key_fingerprint(old)}). "
            "Importing would make the templates sealed with it unreadable; use --replace "
            "only if this station's own database is being replaced.")
    store.save(keystore.DATA_KEY, key)
    if paths.database.exists():
        try:
            Store.open(paths.database, migrate=False, min_free_bytes=0, keys=store).close()
        except KeyUnavailable as exc:
            if old is None:
                store.delete(keystore.DATA_KEY)
            else:
                store.save(keystore.DATA_KEY, old)
            raise KeyTransferError(
                f"The database here does not open with the imported key, so nothing was "
                f"changed ({exc}).") from exc
    return keystore.key_fingerprint(key)


__all__ = ["KeyStoreInfo", "KeyTransferError", "export_data_key", "import_data_key",
           "key_store_info"]
