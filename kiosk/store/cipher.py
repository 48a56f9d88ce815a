"""Template bytes at rest: AES-256-GCM with a fresh nonce per record, bound to its record.

A stored template is ``b"\\x01" + nonce (12) + ciphertext-with-tag``. The associated data
names the record (station id + template uuid), so a ciphertext moved to another row or
another station's database does not open. The data key comes from the station's key store
(:mod:`kiosk.keystore`); it never enters the database or a backup, so a copied disk, a
leaked backup or a stolen database file holds ciphertext only.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = 1
_PREFIX = bytes([VERSION])


class TemplateDamaged(ValueError):
    """A stored template does not open with this station's key (damage, or another key)."""


def _aad(station_id: str, template_uuid: str) -> bytes:
    return f"fpk-template-at-rest/v1|{station_id}|{template_uuid}".encode()


class TemplateCipher:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the data key must be 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, *, station_id: str, template_uuid: str) -> bytes:
        nonce = os.urandom(12)
        return _PREFIX + nonce + self._aead.encrypt(nonce, plaintext,
                                                    _aad(station_id, template_uuid))

    def open(self, blob: bytes, *, station_id: str, template_uuid: str) -> bytes:
        if len(blob) < 1 + 12 + 16 or blob[:1] != _PREFIX:
            raise TemplateDamaged(f"template {template_uuid} is not in the sealed format")
        try:
            return self._aead.decrypt(blob[1:13], blob[13:], _aad(station_id, template_uuid))
        except InvalidTag as exc:
            raise TemplateDamaged(
                f"template {template_uuid} does not open with this station's data key") from exc


def seal_clear_templates(conn: sa.Connection, key: bytes) -> int:
    """Seal, in place, every template of ``conn``'s database not yet sealed with ``key``.

    Used by the upgrade that introduced sealing (migration 0006) and on the copy taken before
    it, so no file the program writes keeps a template in clear. Rows that already open with
    the key are left alone, so running it twice (a restored copy upgraded again) is harmless.
    Returns how many rows it sealed.
    """
    cipher = TemplateCipher(key)
    rows = conn.execute(sa.text(
        "SELECT id, uuid, station_id, template FROM templates WHERE template IS NOT NULL"
    )).fetchall()
    sealed = 0
    for row_id, uuid, station_id, blob in rows:
        try:
            cipher.open(bytes(blob), station_id=station_id, template_uuid=uuid)
            continue
        except TemplateDamaged:
            pass
        conn.execute(sa.text("UPDATE templates SET template = :t WHERE id = :id"),
                     {"t": cipher.seal(bytes(blob), station_id=station_id, template_uuid=uuid),
                      "id": row_id})
        sealed += 1
    return sealed


__all__ = ["VERSION", "TemplateCipher", "TemplateDamaged", "seal_clear_templates"]
