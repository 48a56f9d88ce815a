"""Provisioning a station from one signed file written by ``kiosk-central provision``.

The file carries everything the station needs to talk to central (station id, broker URL(s),
user name and password, the CA certificate, central's sealing key, policy defaults), signed
with central's Ed25519 key over the canonical JSON of its payload. The first import pins that
signing key (after the operator compared its fingerprint, or explicitly trusted it on first
use); every later file must carry the same key, so a forged file cannot move a station to
another broker or make it seal templates to someone else's key.

Importing validates everything and tests the connection *before* writing anything, and on any
failure restores what it had written, so a bad file leaves config and secrets byte-identical.
The password goes to the station's key store (:func:`kiosk.secrets.set_secret`), never into
``config.toml``.

Long on purpose: validate → test → write → roll back is one transaction over several
files; its steps stay in one module so the rollback covers every write.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.config import Config, ConfigError, load_config, save_config
from kiosk.paths import DataPaths
from kiosk.secrets import (
    MQTT_PASSWORD_SECRET,
    delete_secret,
    get_secret,
    mqtt_password,
    set_secret,
)
from kiosk.threadguard import check_io
from kiosk_contract.mqtt import (
    AUTH_REFUSED_CODES,
    BrokerConfigError,
    ClientSettings,
    LinkState,
    classify_connect_error,
    make_client,
    parse_broker_url,
)
from kiosk_contract.provisioning import (
    FILE_SUFFIX,
    FORMAT,
    SIGNATURE_ALG,
    Policy,
    Provisioning,
    ProvisioningError,
    fingerprint,
    normalise_fingerprint,
    parse,
)

PIN_FILE = "central-signing-key.json"
CA_FILE = "central-ca.pem"


_BLOCKING = frozenset({LinkState.AUTH_REFUSED, LinkState.REFUSED, LinkState.TLS_ERROR,
                       LinkState.CONFIG_ERROR})


# -- the connection test ---------------------------------------------------------------------
@dataclass(frozen=True)
class ConnectionVerdict:
    """Only unreachable / no-network let an import go ahead (the broker may come later)."""

    reason: LinkState
    text: str
    url: str

    @property
    def ok(self) -> bool:
        return self.reason is LinkState.ONLINE

    @property
    def blocking(self) -> bool:
        return self.reason in _BLOCKING


def test_connection(url: str, username: str, password: str, ca_file: str,
                    timeout: float = 5.0) -> ConnectionVerdict:
    """One MQTT connect with these credentials, then disconnect; never raises."""
    try:
        ep = parse_broker_url(url)
        client = make_client(ClientSettings(
            endpoint=ep, client_id=f"fpk-provision-test-{os.getpid()}-{os.urandom(3).hex()}",
            username=username, password=password, ca_file=ca_file, keepalive_s=10,
        ))
    except BrokerConfigError as exc:
        return ConnectionVerdict(LinkState.CONFIG_ERROR, str(exc), url)
    done = threading.Event()
    codes: list[Any] = []

    def on_connect(_c: Any, _u: Any, _f: Any, rc: Any, _p: Any = None) -> None:
        codes.append(rc)
        done.set()

    client.on_connect = on_connect
    client.connect_timeout = timeout
    try:
        client.connect(ep.host, ep.port, keepalive=10)
    except Exception as exc:  # paho raises OSError/ssl errors from the socket layer
        reason, text = classify_connect_error(exc)
        return ConnectionVerdict(reason, text, url)
    client.loop_start()
    try:
        if not done.wait(timeout) or not codes:
            return ConnectionVerdict(LinkState.UNREACHABLE, "the broker did not answer in time",
                                     url)
        rc = codes[0]
        if not rc.is_failure:
            return ConnectionVerdict(LinkState.ONLINE, "the broker accepted the station's login",
                                     url)
        if rc.value in AUTH_REFUSED_CODES:
            return ConnectionVerdict(
                LinkState.AUTH_REFUSED, "the broker refused this user name and password "
                "(revoked, or a file for another broker)", url)
        return ConnectionVerdict(LinkState.REFUSED,
                                 f"the broker refused the connection ({rc})", url)
    finally:
        with contextlib.suppress(Exception):
            client.disconnect()
        client.loop_stop()


# -- importing ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    name: str
    ok: bool
    text: str


@dataclass
class ImportReport:
    steps: list[Step] = field(default_factory=list)
    provisioning: Provisioning | None = None
    connection: ConnectionVerdict | None = None
    replaced_station: str | None = None

    def add(self, name: str, ok: bool, text: str) -> None:
        self.steps.append(Step(name, ok, text))


class ImportRefused(ProvisioningError):
    """Refused after some steps were reported; ``report`` holds them."""

    def __init__(self, message: str, code: str, report: ImportReport) -> None:
        super().__init__(message, code)
        self.report = report


@dataclass(frozen=True)
class Pin:
    public_key: str
    fingerprint: str
    station_id: str
    issued_at: str
    serial: str


def read_pin(paths: DataPaths) -> Pin | None:
    try:
        d = json.loads((paths.root / PIN_FILE).read_text(encoding="utf-8"))
        return Pin(str(d["public_key"]), str(d["fingerprint"]), str(d["station_id"]),
                   str(d["issued_at"]), str(d["serial"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ProvisioningError(
            f"The pinned central key file {paths.root / PIN_FILE} is damaged; restore it from "
            "a backup, or delete it to trust a key again on first use.", "bad-pin") from exc


def _atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@contextlib.contextmanager
def _rollback(files: list[Path]) -> Iterator[None]:
    """Restore ``files`` byte for byte (or remove them) if the block raises."""
    saved: dict[Path, bytes | None] = {}
    for f in files:
        try:
            saved[f] = f.read_bytes()
        except FileNotFoundError:
            saved[f] = None
    try:
        yield
    except BaseException:
        for f, data in saved.items():
            with contextlib.suppress(OSError):
                if data is None:
                    f.unlink(missing_ok=True)
                else:
                    _atomic_write(f, data, 0o600 if f.parent.name == "secrets" else 0o644)
        raise


@contextlib.contextmanager
def _secret_rollback(paths: DataPaths, name: str) -> Iterator[None]:
    """Put the key store's secret back as it was (or remove it) if the block raises."""
    saved = get_secret(paths, name)
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            if saved is None:
                delete_secret(paths, name)
            else:
                set_secret(paths, name, saved)
        raise


def check_trust(prov: Provisioning, pin: Pin | None, trust_key: str | None,
                trust_on_first_use: bool) -> str:
    """Plain-words trust verdict; raises when the signer is not (or no longer) trusted."""
    if pin is not None:
        if prov.signer_public_key != pin.public_key:
            raise ProvisioningError(
                f"This file is signed by central key {prov.signer_fingerprint}, but this station "
                f"trusts only {pin.fingerprint}. It is forged or from another central service; "
                "refusing it.", "wrong-key")
        if trust_key and normalise_fingerprint(trust_key) != normalise_fingerprint(
                pin.fingerprint):
            raise ProvisioningError(
                f"--trust-key does not match the pinned central key {pin.fingerprint}.",
                "wrong-key")
        if prov.issued_at < pin.issued_at and prov.serial != pin.serial:
            raise ProvisioningError(
                f"This file was issued {prov.issued_at}, before the one installed "
                f"({pin.issued_at}); an old file cannot replace a newer one.", "stale")
        return f"Signed by the pinned central key {pin.fingerprint}."
    if trust_key:
        if normalise_fingerprint(trust_key) != normalise_fingerprint(prov.signer_fingerprint):
            raise ProvisioningError(
                f"The file is signed by central key {prov.signer_fingerprint}, which is not "
                "the key given with --trust-key. Refusing it.", "wrong-key")
        return f"Signed by central key {prov.signer_fingerprint} (matches --trust-key; pinned)."
    if trust_on_first_use:
        return (f"Signed by central key {prov.signer_fingerprint}, trusted on first use "
                "(pinned).")
    raise ProvisioningError(
        f"The file is signed by central key {prov.signer_fingerprint}. Compare this fingerprint "
        "with the one central's administrator gives you, then run again with --trust-key "
        f"{prov.signer_fingerprint}", "untrusted-key")


def import_file(
    paths: DataPaths,
    config_path: Path,
    data: bytes,
    *,
    trust_key: str | None = None,
    trust_on_first_use: bool = False,
    connect_timeout: float = 5.0,
    tester: Callable[[str, str, str, str, float], ConnectionVerdict] = test_connection,
) -> ImportReport:
    """Validate, test, then write; raise :class:`ImportRefused` (nothing changed) on failure."""
    report = ImportReport()

    def refuse(exc: ProvisioningError, step: str) -> ImportRefused:
        report.add(step, False, str(exc))
        return ImportRefused(str(exc), exc.code, report)

    try:
        prov = parse(data)
    except ProvisioningError as exc:
        raise refuse(exc, "signature") from exc
    report.provisioning = prov
    report.add("signature", True, f"The file is genuine: signed by central key "
               f"{prov.signer_fingerprint}, issued {prov.issued_at} for {prov.station_id}.")
    try:
        pin = read_pin(paths)
        report.add("trust", True, check_trust(prov, pin, trust_key, trust_on_first_use))
        old = load_config(config_path)
    except ConfigError as exc:
        raise refuse(ProvisioningError(f"The current settings cannot be read: {exc}",
                                       "bad-config"), "config") from exc
    except ProvisioningError as exc:
        raise refuse(exc, "trust") from exc
    if old.sync.broker_url and old.station.id != prov.station_id:
        report.replaced_station = old.station.id

    # Test the connection with a temporary CA file before anything is written.
    with tempfile.TemporaryDirectory(prefix="kiosk-prov-") as tmp:
        ca_tmp = ""
        if prov.ca_pem:
            ca_tmp = str(Path(tmp) / CA_FILE)
            Path(ca_tmp).write_text(prov.ca_pem, encoding="ascii")
        verdict = None
        for url in prov.broker_urls:
            verdict = tester(url, prov.username, prov.password, ca_tmp, connect_timeout)
            if verdict.ok or verdict.blocking:
                break
        assert verdict is not None
    report.connection = verdict
    if verdict.blocking:
        raise refuse(ProvisioningError(
            f"Connection test to {verdict.url} failed: {verdict.text}. Nothing was changed.",
            "connection-" + verdict.reason), "connection")
    url = verdict.url if verdict.ok else prov.broker_urls[0]
    if verdict.ok:
        report.add("connection", True, f"Connected to {url}: {verdict.text}.")
    else:
        report.add("connection", True,
                   f"Could not reach the broker yet ({verdict.text}); the station will keep "
                   "trying once the settings are saved.")

    ca_path = paths.root / CA_FILE
    touched = [config_path, ca_path, paths.root / PIN_FILE]
    with _rollback(touched), _secret_rollback(paths, MQTT_PASSWORD_SECRET):
        where = set_secret(paths, MQTT_PASSWORD_SECRET, prov.password)
        report.add("secret", True, f"Password stored in the station's secret store ({where}); "
                   "it is not in the settings file.")
        if prov.ca_pem:
            _atomic_write(ca_path, prov.ca_pem.encode("ascii"))
            report.add("ca", True, f"CA certificate saved to {ca_path}.")
        else:
            ca_path.unlink(missing_ok=True)
            report.add("ca", True, "No CA certificate in the file (plain MQTT on loopback).")
        cfg = _new_config(old, prov, url, str(ca_path) if prov.ca_pem else "")
        save_config(cfg, config_path)
        report.add("config", True, f"Settings written to {config_path}: station "
                   f"{prov.station_id}, broker {url}, user {prov.username}.")
        pin_doc = {"public_key": prov.signer_public_key, "fingerprint": prov.signer_fingerprint,
                   "station_id": prov.station_id, "issued_at": prov.issued_at,
                   "serial": prov.serial}
        _atomic_write(paths.root / PIN_FILE, json.dumps(pin_doc, indent=2).encode())
        report.add("pin", True, f"Central signing key {prov.signer_fingerprint} pinned: later "
                   "provisioning files must be signed by it.")
    return report


def _new_config(old: Config, prov: Provisioning, url: str, ca_file: str) -> Config:
    """The old settings with the identity replaced whole (no stale client certificate)."""
    import dataclasses as dc

    return old.replace(
        station=dc.replace(old.station, id=prov.station_id),
        sync=dc.replace(
            old.sync, broker_url=url, username=prov.username, ca_file=ca_file,
            client_cert="", client_key="", central_public_key=prov.central_public_key,
            topic_prefix=prov.topic_prefix,
            keep_templates_after_sync=prov.policy.keep_templates_after_sync,
        ),
        enrollment=dc.replace(old.enrollment,
                              fingers_per_person=prov.policy.fingers_per_person),
        consent=dc.replace(old.consent, notice_version=prov.policy.consent_notice_version),
        retention=dc.replace(old.retention,
                             after_left_days=prov.policy.retention_after_left_days,
                             after_inactive_days=prov.policy.retention_after_inactive_days),
    )


# -- for the GUI's central-server page ------------------------------------------------


@dataclass(frozen=True)
class ProvisionFile:
    """A provisioning file whose signature checked out, before the admin trusts its key."""

    path: Path
    data: bytes = field(repr=False)  # holds the broker password: never log it
    fingerprint: str
    station_id: str
    broker: str
    issued_at: str
    #: The key this station already trusts ("" on a station never provisioned).
    pinned: str


def read_file(paths: DataPaths, path: Path) -> ProvisionFile:
    """Read and verify ``path``; raises :class:`ProvisioningError` in plain words."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProvisioningError(f"The file cannot be read: {exc.strerror or exc}.",
                                "unreadable") from exc
    prov = parse(data)
    pin = read_pin(paths)
    return ProvisionFile(path, data, prov.signer_fingerprint, prov.station_id,
                         prov.broker_urls[0], prov.issued_at, pin.fingerprint if pin else "")


@dataclass(frozen=True)
class ImportOutcome:
    ok: bool
    steps: tuple[Step, ...]
    #: Why it was refused ("" when it worked); nothing was changed then.
    refusal: str = ""
    #: The settings as written, for restarting sync.
    config: Config | None = None


def import_confirmed(paths: DataPaths, file: ProvisionFile) -> ImportOutcome:
    """``kiosk provision FILE --trust-key <the fingerprint the admin confirmed>``."""
    check_io("mqtt", "import_provisioning")
    try:
        report = import_file(paths, paths.config_file, file.data, trust_key=file.fingerprint)
    except ImportRefused as exc:
        return ImportOutcome(False, tuple(exc.report.steps), str(exc))
    return ImportOutcome(True, tuple(report.steps), "", load_config(paths.config_file))


def try_broker(paths: DataPaths, url: str, username: str, password: str,
               ca_file: str) -> ConnectionVerdict:
    """One MQTT login with these settings (the stored password when none was typed)."""
    check_io("mqtt", "try_broker")
    secret = password or mqtt_password(paths) or ""
    return test_connection(url, username, secret, ca_file, timeout=5.0)


__all__ = [
    "CA_FILE",
    "FILE_SUFFIX",
    "FORMAT",
    "PIN_FILE",
    "SIGNATURE_ALG",
    "ConnectionVerdict",
    "ImportOutcome",
    "ImportRefused",
    "ImportReport",
    "Pin",
    "Policy",
    "ProvisionFile",
    "Provisioning",
    "ProvisioningError",
    "Step",
    "check_trust",
    "fingerprint",
    "import_confirmed",
    "import_file",
    "normalise_fingerprint",
    "parse",
    "read_file",
    "read_pin",
    "test_connection",
    "try_broker",
]
