"""Central side of station provisioning: signing key, per-station credentials, revocation.

``kiosk-central provision STATION`` writes one signed file (format in
:mod:`kiosk_contract.provisioning`) with a fresh per-station broker password, adds the hashed
password and an ACL block to the Mosquitto files kiosk-central manages (``--broker-dir``),
and records the issue in a small registry next to the signing key. ``--revoke`` removes the
credentials and marks the station revoked, so an old file is useless (its password no longer
logs in) and reissuing needs an explicit ``--reissue``. Mosquitto reads password file and ACL
at start and on SIGHUP only.

Long on purpose (a little over 400 lines): issuing, reissuing and revoking a station change the
signed file, the broker's password and ACL files and the registry together; keeping them in one
module keeps those three in step.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import signal
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk_contract.provisioning import (
    FILE_SUFFIX,
    FORMAT,
    MAX_RETENTION_DAYS,
    fingerprint,
    public_raw,
    sign_document,
)
from kiosk_contract.sealing import b64d, b64e
from kiosk_contract.topics import DOWN_KINDS, UP_KINDS

PBKDF2_ITERATIONS = 1000
_RAW = serialization.Encoding.Raw


class ProvisionError(Exception):
    """Refused; the message says what to do. ``exit_code`` 1 = failed, 2 = usage."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# -- keys ----------------------------------------------------------------------------------------
def signing_key_path(key_file: Path) -> Path:
    """``central.key`` -> ``central.signing.key``: the pair lives side by side."""
    return key_file.with_name(f"{key_file.stem}.signing{key_file.suffix or '.key'}")


def write_signing_key(path: Path) -> str:
    """Create a new Ed25519 signing key (0600); returns the public key's fingerprint."""
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(_RAW, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(b64e(raw) + "\n")
    return public_fingerprint(key)


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    try:
        raw = b64d(path.read_text(encoding="utf-8").strip(), expect_len=32, what="signing key")
    except OSError as exc:
        raise ProvisionError(f"cannot read the signing key {path}: {exc.strerror} "
                             "(kiosk-central keygen creates it)") from exc
    except ValueError as exc:
        raise ProvisionError(f"{path} is not a signing key: {exc}") from exc
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_fingerprint(key: Ed25519PrivateKey) -> str:
    return fingerprint(public_raw(key))


# -- Mosquitto files -----------------------------------------------------------------------------
def mosquitto_hash(password: str, iterations: int = PBKDF2_ITERATIONS) -> str:
    """Mosquitto 2.x password-file hash: ``$7$`` = PBKDF2-HMAC-SHA512, 12-byte salt."""
    salt = os.urandom(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), salt, iterations)
    return f"$7${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def _write_private(path: Path, text: str, mode: int) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _mode(path: Path, default: int) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return default


def set_password_line(passwd: Path, user: str, hashed: str | None) -> bool:
    """Add/replace (``hashed``) or remove (None) ``user`` in a password file; True if changed."""
    lines = passwd.read_text(encoding="utf-8").splitlines() if passwd.exists() else []
    kept = [ln for ln in lines if ln.split(":", 1)[0] != user]
    changed = len(kept) != len(lines)
    if hashed is not None:
        kept.append(f"{user}:{hashed}")
        changed = True
    if changed:
        _write_private(passwd, "".join(ln + "\n" for ln in kept), _mode(passwd, 0o600))
    return changed


def _acl_markers(station: str) -> tuple[str, str]:
    return (f"# >>> kiosk-central station {station}", f"# <<< kiosk-central station {station}")


def acl_block(station: str, user: str, prefix: str) -> str:
    """Explicit per-station topics (the same as the %u patterns of docs/mosquitto/acl.tmpl
    grant, so an operator can audit who may do what): write its own up topics, read its own
    acks, deletion requests and schema-1 roster, and the shared roster."""
    begin, end = _acl_markers(station)
    base = f"{prefix}/stations/{station}"
    lines = [begin, f"user {user}"]
    lines += [f"topic write {base}/{k}" for k in UP_KINDS]
    lines += [f"topic read {base}/{k}" for k in DOWN_KINDS]
    lines.append(f"topic read {prefix}/roster/#")
    return "\n".join([*lines, end]) + "\n"


def set_acl_block(acl: Path, station: str, block: str | None) -> bool:
    text = acl.read_text(encoding="utf-8") if acl.exists() else ""
    begin, end = _acl_markers(station)
    out: list[str] = []
    skipping = found = False
    for ln in text.splitlines(keepends=True):
        if ln.rstrip("\n") == begin:
            skipping = found = True
            continue
        if skipping:
            skipping = ln.rstrip("\n") != end
            continue
        out.append(ln)
    new = "".join(out)
    if block is not None:
        if new and not new.endswith("\n"):
            new += "\n"
        new += block
    if new == text:
        return False
    _write_private(acl, new, _mode(acl, 0o644))
    return found or block is not None


def reload_broker(pid_or_file: str) -> int:
    """SIGHUP the broker so it re-reads password file and ACL; returns the pid."""
    text = pid_or_file
    if not text.isdigit():
        try:
            text = Path(pid_or_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ProvisionError(f"cannot read the broker pid file {pid_or_file}: "
                                 f"{exc.strerror}") from exc
    try:
        pid = int(text)
        os.kill(pid, signal.SIGHUP)
    except (ValueError, OSError) as exc:
        raise ProvisionError(f"could not signal the broker (pid {text!r}): {exc}") from exc
    return pid


# -- registry ------------------------------------------------------------------------------------
@dataclass
class Registry:
    """Which stations hold a valid file and which were revoked (JSON next to the keys)."""

    path: Path

    def load(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"stations": {}}
        except (OSError, ValueError) as exc:
            raise ProvisionError(f"the provisioning registry {self.path} is unreadable: {exc}; "
                                 "restore it from a backup") from exc
        data.setdefault("stations", {})
        return data

    def save(self, data: dict[str, Any]) -> None:
        _write_private(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n", 0o600)

    def get(self, station: str) -> dict[str, Any] | None:
        entry: dict[str, Any] | None = self.load()["stations"].get(station)
        return entry


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_password() -> str:
    return secrets.token_urlsafe(24)


def output_path(station: str, out: str | None) -> Path:
    return Path(out) if out else Path(f"{station}{FILE_SUFFIX}")


def write_secret_file(path: Path, document: dict[str, Any]) -> None:
    """The provisioning file, owner-only; it holds the station's broker password."""
    _write_private(path, json.dumps(document, indent=2) + "\n", 0o600)
    os.chmod(path, 0o600)


__all__ = [
    "ProvisionError", "Registry", "acl_block", "load_signing_key", "mosquitto_hash",
    "new_password", "now_iso", "output_path", "public_fingerprint", "reload_broker",
    "set_acl_block", "set_password_line", "sign_document", "signing_key_path",
    "write_secret_file", "write_signing_key",
]


# -- the command -------------------------------------------------------------------------------
def _emit(args: Any, data: dict[str, Any], human: str) -> None:
    print(json.dumps(data, indent=2, default=str) if args.json else human)


def add_arguments(p: Any) -> None:
    """Options of ``kiosk-central provision`` (the parser itself lives in kiosk_central.cli)."""
    p.add_argument("station", nargs="?", metavar="STATION_ID", help="station to provision")
    p.add_argument("--revoke", metavar="STATION_ID",
                   help="remove the station's broker credentials and record the revocation")
    p.add_argument("--reissue", action="store_true",
                   help="issue a new file for a station that already has one, or was revoked "
                        "(its old password stops working)")
    p.add_argument("--out", metavar="FILE",
                   help=f"file to write (default: STATION_ID{FILE_SUFFIX}, created 0600)")
    p.add_argument("--broker-url", action="append", metavar="URL",
                   help="broker URL for the station (repeatable; default: KIOSK_CENTRAL_BROKER)")
    p.add_argument("--ca", metavar="FILE", help="CA certificate (PEM) the station must trust")
    p.add_argument("--broker-dir", metavar="DIR",
                   help="folder with the Mosquitto passwd and acl files kiosk-central manages "
                        "(without it: print the lines for the broker's operator)")
    p.add_argument("--broker-pid", metavar="PID|FILE",
                   help="send the broker SIGHUP afterwards so the change takes effect now")
    p.add_argument("--key-file", default="central.key",
                   help="central sealing key (default: %(default)s); its signing key sits "
                        "beside it as *.signing.key")
    p.add_argument("--signing-key", metavar="FILE", help="Ed25519 signing key file")
    p.add_argument("--registry", metavar="FILE",
                   help="issued/revoked stations (default: provisioning.json beside the key)")
    p.add_argument("--notice-version", default="2026-1", help="consent notice version")
    p.add_argument("--fingers-per-person", type=int, default=2)
    p.add_argument("--retention", choices=("keep", "shred"), default="keep",
                   help="keep or shred a station's template once central acknowledged it")
    p.add_argument("--retention-after-left-days", type=int, default=365, metavar="DAYS",
                   help="delete a person's templates this many days after they left the "
                        "roster (0: never; default 365)")
    p.add_argument("--retention-after-inactive-days", type=int, default=1095, metavar="DAYS",
                   help="delete them this many days after the last enrollment activity "
                        "(0: never; default 1095, three years)")


def run(args: Any) -> int:
    """``kiosk-central provision``; raises :class:`ProvisionError` for the CLI to report."""
    from kiosk_contract import is_station_id
    from kiosk_contract.mqtt import BrokerConfigError, parse_broker_url
    from kiosk_contract.sealing import CryptoError, load_private_key

    key_file = Path(args.key_file)
    registry = Registry(Path(args.registry) if args.registry
                        else key_file.parent / "provisioning.json")
    broker_dir = Path(args.broker_dir) if args.broker_dir else None
    if bool(args.station) == bool(args.revoke):
        raise ProvisionError("give either STATION_ID or --revoke STATION_ID", 2)
    station = args.station or args.revoke
    if not is_station_id(station):
        raise ProvisionError(f"{station!r} is not a valid station id", 2)
    if args.revoke:
        return _revoke(args, station, registry, broker_dir)

    entry = registry.get(station)
    if entry is not None and not args.reissue:
        state = entry.get("state")
        why = (f"{station} was revoked on {entry.get('revoked_at')}" if state == "revoked"
               else f"{station} already has a provisioning file (issued "
                    f"{entry.get('issued_at')})")
        raise ProvisionError(f"{why}; add --reissue to issue a new one (any older file stops "
                             "working)")
    urls = list(args.broker_url or []) or [
        u for u in [os.environ.get("KIOSK_CENTRAL_BROKER", "")] if u]
    if not urls:
        raise ProvisionError("--broker-url is required (the address stations connect to)", 2)
    try:
        for u in urls:
            parse_broker_url(u)
    except BrokerConfigError as exc:
        raise ProvisionError(str(exc), 2) from exc
    try:
        sealing = load_private_key(key_file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProvisionError(f"cannot read the central key {key_file}: {exc.strerror} "
                             "(kiosk-central keygen creates it)") from exc
    except CryptoError as exc:
        raise ProvisionError(f"{key_file}: {exc}") from exc
    signer = load_signing_key(Path(args.signing_key) if args.signing_key
                              else signing_key_path(key_file))
    ca_pem = ""
    if args.ca:
        try:
            ca_pem = Path(args.ca).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise ProvisionError(f"cannot read the CA file {args.ca}: {exc}") from exc
    if not 1 <= args.fingers_per_person <= 10:
        raise ProvisionError("--fingers-per-person must be between 1 and 10", 2)
    for opt in ("retention_after_left_days", "retention_after_inactive_days"):
        if not 0 <= getattr(args, opt) <= MAX_RETENTION_DAYS:
            raise ProvisionError(f"--{opt.replace('_', '-')} must be between 0 and "
                                 f"{MAX_RETENTION_DAYS} days", 2)

    password = new_password()
    issued = now_iso()
    serial = secrets.token_hex(8)
    payload = {
        "format": FORMAT, "station_id": station, "broker_urls": urls, "username": station,
        "password": password, "ca_pem": ca_pem,
        "central_public_key": b64e(sealing.public_key().public_bytes(
            _RAW, serialization.PublicFormat.Raw)),
        "topic_prefix": args.prefix,
        "policy": {"consent_notice_version": args.notice_version,
                   "fingers_per_person": args.fingers_per_person, "retention": args.retention,
                   "retention_after_left_days": args.retention_after_left_days,
                   "retention_after_inactive_days": args.retention_after_inactive_days},
        "issued_at": issued, "serial": serial,
    }
    out = output_path(station, args.out)
    write_secret_file(out, sign_document(payload, signer))
    hashed = mosquitto_hash(password)
    block = acl_block(station, station, args.prefix)
    broker_note: str
    if broker_dir is not None:
        set_password_line(broker_dir / "passwd", station, hashed)
        set_acl_block(broker_dir / "acl", station, block)
        broker_note = f"Broker files in {broker_dir} updated (passwd, acl)."
    else:
        broker_note = ("No --broker-dir: give the broker's operator these lines (a hash, not "
                       f"the password).\n  password file:\n    {station}:{hashed}\n  acl:\n"
                       + "".join(f"    {ln}\n" for ln in block.splitlines()))
    data = registry.load()
    data["stations"][station] = {"state": "issued", "issued_at": issued, "serial": serial,
                                 "username": station, "broker_urls": urls}
    registry.save(data)
    reload_note = _reload(args, broker_dir)
    fp = public_fingerprint(signer)
    _emit(args, {"ok": True, "station": station, "file": str(out), "contains_secret": True,
                 "signing_key_fingerprint": fp, "broker_urls": urls, "issued_at": issued,
                 "serial": serial, "broker_dir": str(broker_dir) if broker_dir else None,
                 "reloaded": reload_note.startswith("Broker reloaded")},
          f"Provisioning file written: {out}\n"
          f"  !! IT CONTAINS A SECRET (the station's broker password). Copy it to the station "
          f"only, import it with `kiosk provision {out.name} --trust-key {fp}`, then delete "
          f"it.\n  Central signing key fingerprint: {fp}\n  {broker_note}\n  {reload_note}")
    return 0


def _reload(args: Any, broker_dir: Path | None) -> str:
    if broker_dir is None:
        return "The broker's operator must reload the broker after adding the lines."
    if args.broker_pid:
        pid = reload_broker(args.broker_pid)
        return f"Broker reloaded (SIGHUP to pid {pid})."
    return ("The change takes effect when the broker reloads its configuration "
            "(kill -HUP <mosquitto pid>, or --broker-pid next time).")


def _revoke(args: Any, station: str, registry: Registry, broker_dir: Path | None) -> int:
    data = registry.load()
    entry = data["stations"].get(station)
    if entry is None and broker_dir is None:
        raise ProvisionError(f"{station} was never provisioned here; nothing to revoke")
    removed = False
    if broker_dir is not None:
        removed = set_password_line(broker_dir / "passwd", station, None)
        removed = set_acl_block(broker_dir / "acl", station, None) or removed
    revoked_at = now_iso()
    data["stations"][station] = {**(entry or {}), "state": "revoked", "revoked_at": revoked_at}
    registry.save(data)
    reload_note = _reload(args, broker_dir)
    _emit(args, {"ok": True, "station": station, "revoked_at": revoked_at,
                 "credentials_removed": removed,
                 "reloaded": reload_note.startswith("Broker reloaded")},
          f"{station} revoked at {revoked_at}. "
          + ("Its broker credentials were removed. " if removed else
             "No broker credentials were found in --broker-dir. " if broker_dir else
             "Ask the broker's operator to remove its user. ")
          + reload_note + f"\nA new file needs: kiosk-central provision {station} --reissue")
    return 0
