"""The provisioning file: one signed JSON document that central writes and a station imports.

The format is part of the contract because both sides must agree on it byte for byte: the
signature is Ed25519 over the canonical JSON of the payload, and the payload carries
everything a station needs to talk to central (station id, broker URL(s), user name and
password, CA certificate, central's sealing key, policy defaults). :func:`parse` checks the
format and the signature; whether the signer is *trusted* is the station's decision.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk_contract.fields import ContractError, is_station_id, load_json
from kiosk_contract.mqtt import BrokerConfigError, parse_broker_url
from kiosk_contract.sealing import CryptoError, b64d, b64e, canonical_json, load_public_key

FORMAT = "fpk-provisioning/1"
SIGNATURE_ALG = "Ed25519"
#: File-name marker: the file holds a broker password.
FILE_SUFFIX = ".SECRET.kioskprov"


class ProvisioningError(Exception):
    """The file cannot be used; the message says why in plain words. Nothing was changed."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def fingerprint(public_raw: bytes) -> str:
    """128-bit SHA-256 fingerprint in groups of four, short enough to read over the phone."""
    h = hashlib.sha256(public_raw).hexdigest()[:32]
    return ":".join(h[i:i + 4] for i in range(0, 32, 4))


def normalise_fingerprint(text: str) -> str:
    return "".join(c for c in text.lower() if c in "0123456789abcdef")


#: Longest retention period a provisioning file may set (about 100 years).
MAX_RETENTION_DAYS = 36_500


@dataclass(frozen=True)
class Policy:
    consent_notice_version: str
    fingers_per_person: int
    keep_templates_after_sync: bool
    #: Templates are deleted this many days after the person left the roster (0: never).
    retention_after_left_days: int = 365
    #: ... or after the person's last enrollment activity (0: never). Files written before
    #: these fields existed get the defaults.
    retention_after_inactive_days: int = 1095


@dataclass(frozen=True)
class Provisioning:
    """A verified provisioning file (the signature was checked, not yet whether it is trusted)."""

    station_id: str
    broker_urls: tuple[str, ...]
    username: str
    password: str = field(repr=False)
    ca_pem: str
    central_public_key: str
    topic_prefix: str
    policy: Policy
    issued_at: str
    serial: str
    signer_public_key: str
    signer_fingerprint: str

    def summary(self) -> dict[str, Any]:
        """Everything except the password, for reports."""
        return {
            "station_id": self.station_id, "broker_urls": list(self.broker_urls),
            "username": self.username, "has_ca": bool(self.ca_pem),
            "topic_prefix": self.topic_prefix, "issued_at": self.issued_at,
            "serial": self.serial, "signer_fingerprint": self.signer_fingerprint,
            "policy": {"consent_notice_version": self.policy.consent_notice_version,
                       "fingers_per_person": self.policy.fingers_per_person,
                       "retention": "keep" if self.policy.keep_templates_after_sync
                       else "shred",
                       "retention_after_left_days": self.policy.retention_after_left_days,
                       "retention_after_inactive_days":
                           self.policy.retention_after_inactive_days},
        }


def _field(obj: dict[str, Any], key: str, kind: type, what: str = "") -> Any:
    value = obj.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ProvisioningError(f"The provisioning file has no valid {what or key}.", "bad-file")
    return value


#: A provisioning file is a few KiB (a CA chain at most); anything larger is not one.
MAX_FILE_BYTES = 256 * 1024


def parse(data: bytes) -> Provisioning:
    """Check format and signature; raise :class:`ProvisioningError` for anything wrong."""
    try:
        # The contract's strict reader: size-limited, no duplicate keys, bounded nesting.
        doc = load_json(data, MAX_FILE_BYTES)
    except ContractError as exc:
        raise ProvisioningError(f"This is not a provisioning file ({exc}).",
                                "bad-file") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ProvisioningError(f"This is not a provisioning file (format is not {FORMAT}).",
                                "bad-file")
    payload = doc.get("payload")
    sig = doc.get("signature")
    if not isinstance(payload, dict):
        raise ProvisioningError("The provisioning file has no payload.", "bad-file")
    if not isinstance(sig, dict) or not sig.get("value"):
        raise ProvisioningError("The provisioning file is not signed by central; refusing it.",
                                "unsigned")
    if sig.get("alg") != SIGNATURE_ALG:
        raise ProvisioningError("The provisioning file uses an unknown signature type.",
                                "bad-signature")
    try:
        signer_raw = b64d(str(sig.get("public_key", "")), expect_len=32, what="signing key")
        value = b64d(str(sig.get("value", "")), expect_len=64, what="signature")
        Ed25519PublicKey.from_public_bytes(signer_raw).verify(value, canonical_json(payload))
    except (CryptoError, InvalidSignature, ValueError) as exc:
        raise ProvisioningError(
            "The signature of the provisioning file is not valid: the file was changed after "
            "central wrote it, or it is forged. Ask central for a new file.", "bad-signature",
        ) from exc
    return _payload(payload, signer_raw)


def _payload(p: dict[str, Any], signer_raw: bytes) -> Provisioning:
    if p.get("format") != FORMAT:
        raise ProvisioningError("The payload format is not supported.", "bad-file")
    station = _field(p, "station_id", str, "station id")
    if not is_station_id(station):
        raise ProvisioningError(f"The station id {station[:40]!r} is not valid.", "bad-file")
    urls = _field(p, "broker_urls", list, "broker URL")
    if not urls or not all(isinstance(u, str) for u in urls):
        raise ProvisioningError("The provisioning file has no broker URL.", "bad-file")
    for u in urls:
        try:
            parse_broker_url(u)
        except BrokerConfigError as exc:
            raise ProvisioningError(f"Broker URL in the file: {exc}", "bad-file") from exc
    central_key = _field(p, "central_public_key", str, "central public key")
    try:
        load_public_key(central_key)
    except (CryptoError, ValueError) as exc:
        raise ProvisioningError("The central public key in the file is not valid.",
                                "bad-file") from exc
    ca_pem = p.get("ca_pem") or ""
    if not isinstance(ca_pem, str):
        raise ProvisioningError("The CA certificate in the file is not valid.", "bad-file")
    if ca_pem:
        try:
            x509.load_pem_x509_certificates(ca_pem.encode("ascii"))
        except (ValueError, UnicodeEncodeError) as exc:
            raise ProvisioningError("The CA certificate in the file is not valid.",
                                    "bad-file") from exc
    pol = _field(p, "policy", dict)
    fingers = _field(pol, "fingers_per_person", int, "fingers per person")
    retention = pol.get("retention")
    days = [pol.get(k, d) for k, d in (("retention_after_left_days", 365),
                                         ("retention_after_inactive_days", 1095))]
    if (not 1 <= fingers <= 10 or retention not in ("keep", "shred")
            or not all(isinstance(d, int) and not isinstance(d, bool)
                       and 0 <= d <= MAX_RETENTION_DAYS for d in days)):
        raise ProvisioningError("The policy in the file is not valid.", "bad-file")
    issued = _field(p, "issued_at", str, "issue date")
    try:
        datetime.fromisoformat(issued)
    except ValueError as exc:
        raise ProvisioningError("The issue date in the file is not valid.", "bad-file") from exc
    return Provisioning(
        station_id=station, broker_urls=tuple(urls),
        username=_field(p, "username", str, "user name"),
        password=_field(p, "password", str, "password"), ca_pem=ca_pem,
        central_public_key=central_key,
        topic_prefix=_field(p, "topic_prefix", str, "topic prefix"),
        policy=Policy(_field(pol, "consent_notice_version", str, "consent notice version"),
                      fingers, retention == "keep", days[0], days[1]),
        issued_at=issued, serial=_field(p, "serial", str, "serial"),
        signer_public_key=b64e(signer_raw),
        signer_fingerprint=fingerprint(signer_raw),
    )


def public_raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw,
                                         serialization.PublicFormat.Raw)


def sign_document(payload: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """The signed file document central writes (the station checks it with :func:`parse`)."""
    return {
        "format": FORMAT,
        "note": "CONTAINS A SECRET (broker password). Import with: kiosk provision FILE; "
                "then delete this file.",
        "payload": payload,
        "signature": {"alg": SIGNATURE_ALG, "public_key": b64e(public_raw(key)),
                      "fingerprint": fingerprint(public_raw(key)),
                      "value": b64e(key.sign(canonical_json(payload)))},
    }


__all__ = [
    "FILE_SUFFIX", "FORMAT", "MAX_RETENTION_DAYS", "SIGNATURE_ALG", "Policy", "Provisioning",
    "ProvisioningError",
    "fingerprint", "normalise_fingerprint", "parse", "public_raw", "sign_document",
]
