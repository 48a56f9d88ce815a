"""Station configuration: one TOML file, validated into frozen dataclasses.

Every problem is reported as a :class:`ConfigError` that names the file, the key and what
to write instead, because the person reading it is a technician at a desk, not a developer.
Secrets (MQTT password) never live here in clear when an OS key store exists; see
``kiosk.secrets``.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import tomli_w

from kiosk.paths import DataPaths
from kiosk_contract.fields import ContractError, is_station_id
from kiosk_contract.fingers import is_finger, names
from kiosk_contract.topics import check_prefix


class ConfigError(ValueError):
    """The configuration cannot be used; the message says where and how to fix it."""


@dataclass(frozen=True)
class StationConfig:
    id: str = "station-01"
    name: str = "Enrollment desk"


@dataclass(frozen=True)
class SensorConfig:
    #: "auto" (discover by USB id + protocol probe), a port name, or a pyserial URL.
    port: str = "auto"
    baud: int = 57600
    address: int = 0xFFFFFFFF
    password: int = 0
    #: Write a timestamped hex trace of every frame to logs/serial-trace.log.
    trace: bool = True


@dataclass(frozen=True)
class SyncConfig:
    #: mqtt://host:1883 or mqtts://host:8883; empty = sync disabled (offline station).
    broker_url: str = ""
    username: str = ""
    ca_file: str = ""
    client_cert: str = ""
    client_key: str = ""
    #: Base64 X25519 public key of the central ingest; templates are sealed to it.
    central_public_key: str = ""
    #: Allow plaintext MQTT to a non-loopback broker. Logged loudly when used.
    allow_insecure: bool = False
    topic_prefix: str = "fpk/v1"
    ack_timeout_s: float = 30.0
    keepalive_s: int = 30
    #: How often the station tells central how it is (backlog, sensor, clock).
    heartbeat_s: float = 60.0
    #: Keep the template locally after central acknowledged it (False = shred it).
    keep_templates_after_sync: bool = True


#: When the desk asks for one more press to check an enrollment (``[enrollment] verify``).
VERIFY_POLICIES = ("off", "last-finger", "every-finger")

_LANGUAGE_RE = re.compile(r"[a-z]{2}(_[A-Z]{2})?")


@dataclass(frozen=True)
class EnrollmentPolicy:
    fingers_per_person: int = 2
    suggested_fingers: tuple[str, ...] = (
        "right-index", "left-index", "right-middle", "left-middle",
    )
    prefer_different_hands: bool = True
    #: Minimum Match score of the third capture against the merged template.
    score_floor: int = 50
    retries_per_capture: int = 3
    retries_total: int = 8
    idle_timeout_s: float = 60.0
    verify_after_store: bool = True
    #: The check after enrollment: one more press, found by a library search as the reader
    #: will find it. "last-finger" (default): when the person's last required finger is
    #: done; "every-finger": after each finger; "off".
    verify: str = "last-finger"


@dataclass(frozen=True)
class ConsentNotice:
    """The consent notice in one language, with its own version: a consent record names the
    version and hashes the text the person was shown, so each language is versioned apart."""

    language: str
    notice_version: str
    notice_text: str
    alternative: str


DEFAULT_TRANSLATIONS: tuple[ConsentNotice, ...] = (
    ConsentNotice(
        "fr", "2026-1-fr",
        "Nous conservons un modèle mathématique de votre empreinte digitale (et non une "
        "image) pour enregistrer votre présence. Il reste sur ce poste jusqu'à ce qu'il "
        "parvienne au serveur central, et il est effacé lorsque vous partez ou retirez votre "
        "consentement. Vous pouvez refuser et utiliser à la place l'alternative (contrôle de "
        "la carte d'identité).",
        "Contrôle de la carte d'identité au guichet"),
    ConsentNotice(
        "es", "2026-1-es",
        "Guardaremos una plantilla matemática de su huella dactilar (no una imagen) para "
        "registrar su asistencia. Se conserva en este puesto hasta que llega al servidor "
        "central y se borra cuando usted se va o retira su consentimiento. Puede negarse y "
        "usar en su lugar la alternativa (comprobación del documento de identidad).",
        "Comprobación del documento de identidad en el mostrador"),
)


@dataclass(frozen=True)
class ConsentConfig:
    notice_version: str = "2026-1"
    notice_text: str = (
        "We will store a mathematical template of your fingerprint (not an image) to record "
        "your attendance. It is kept on this station until it reaches the central server and "
        "is deleted when you leave or withdraw consent. You may refuse and use the alternative "
        "(ID card check) instead."
    )
    alternative: str = "ID card check at the desk"
    #: The language of the notice above.
    language: str = "en"
    #: The notice in other languages, each with its own version (``[[consent.translations]]``
    #: tables with language, notice_version, notice_text, alternative).
    translations: tuple[ConsentNotice, ...] = DEFAULT_TRANSLATIONS

    @property
    def main(self) -> ConsentNotice:
        return ConsentNotice(self.language, self.notice_version, self.notice_text,
                             self.alternative)

    def notices(self) -> tuple[ConsentNotice, ...]:
        """Every language's notice, the main one first."""
        return (self.main, *(t for t in self.translations if t.language != self.language))

    def notice_for(self, language: str) -> ConsentNotice:
        """The notice in ``language`` ("fr", or "fr_CA" falling back to "fr"); the main one
        when there is none in that language."""
        for code in (language, language[:2]):
            for n in self.notices():
                if code and n.language == code:
                    return n
        return self.main


@dataclass(frozen=True)
class UiConfig:
    kiosk_mode: bool = False
    idle_signout_s: int = 300
    sounds: bool = False
    language: str = ""


@dataclass(frozen=True)
class RetentionConfig:
    """When a person's templates are deleted from this station (a daily job, and
    ``kiosk retention run``). Provisioning sets these from central's policy; 0 = never."""

    #: Days after the person left the roster (central's roster no longer lists them).
    after_left_days: int = 365
    #: Days after the person's last enrollment activity (an enrollment or an attempt).
    after_inactive_days: int = 1095


@dataclass(frozen=True)
class Config:
    station: StationConfig = field(default_factory=StationConfig)
    sensor: SensorConfig = field(default_factory=SensorConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    enrollment: EnrollmentPolicy = field(default_factory=EnrollmentPolicy)
    consent: ConsentConfig = field(default_factory=ConsentConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    retention: RetentionConfig = field(default_factory=RetentionConfig)

    def replace(self, **sections: Any) -> Config:
        return dataclasses.replace(self, **sections)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            sec = dataclasses.asdict(getattr(self, f.name))
            out[f.name] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in sec.items()}
        return out

    def redacted(self) -> dict[str, Any]:
        """The config for diagnostics bundles: no credentials, no key material paths' contents."""
        d = self.to_dict()
        for key in ("username",):
            if d["sync"].get(key):
                d["sync"][key] = "<set>"
        return d

    def validate(self) -> None:
        s = self.sensor
        if not 1 <= s.baud // 9600 <= 12 or s.baud % 9600:
            raise ConfigError(
                f"sensor.baud = {s.baud} is not a rate the sensor supports; use 9600 × N "
                "with N from 1 to 12 (57600 is the factory setting)."
            )
        if not 0 <= s.address <= 0xFFFFFFFF or not 0 <= s.password <= 0xFFFFFFFF:
            raise ConfigError("sensor.address and sensor.password must be 32-bit numbers.")
        e = self.enrollment
        if not 1 <= e.fingers_per_person <= 10:
            raise ConfigError("enrollment.fingers_per_person must be between 1 and 10.")
        unknown = [f for f in e.suggested_fingers if not is_finger(f)]
        if unknown:
            raise ConfigError(
                f"enrollment.suggested_fingers has unknown finger(s) {unknown}; "
                f"use names like {', '.join(names()[:3])}."
            )
        if not 0 <= e.score_floor <= 1000:
            raise ConfigError("enrollment.score_floor must be between 0 and 1000.")
        if e.idle_timeout_s <= 0:
            raise ConfigError("enrollment.idle_timeout_s must be more than 0 seconds.")
        if e.verify not in VERIFY_POLICIES:
            raise ConfigError(f"enrollment.verify = {e.verify!r}: use one of "
                              f"{', '.join(VERIFY_POLICIES)}.")
        if self.ui.language and not _LANGUAGE_RE.fullmatch(self.ui.language):
            raise ConfigError(f"ui.language = {self.ui.language!r} is not a language code; "
                              "use two letters such as fr or es, or leave it empty for the "
                              "system's language.")
        self._validate_consent()
        if not is_station_id(self.station.id):
            raise ConfigError(
                f"station.id = {self.station.id!r} cannot be used: use 1 to 64 letters, digits, "
                "'.', '_' or '-', starting with a letter or digit (for example station-07)."
            )
        self._validate_sync()

    def _validate_consent(self) -> None:
        seen: set[str] = set()
        for n in self.consent.notices():
            if not _LANGUAGE_RE.fullmatch(n.language):
                raise ConfigError(f"consent: {n.language!r} is not a language code; use two "
                                  "letters such as en, fr or es.")
            if n.language in seen:
                raise ConfigError(f"consent: there are two notices in {n.language!r}; keep one "
                                  "per language.")
            seen.add(n.language)
            if not n.notice_version.strip() or not n.notice_text.strip():
                raise ConfigError(f"consent: the notice in {n.language!r} needs a "
                                  "notice_version and a notice_text.")

    def _validate_sync(self) -> None:
        y = self.sync
        url = y.broker_url
        if url and not url.startswith(("mqtt://", "mqtts://")):
            raise ConfigError(
                f"sync.broker_url = {url!r} must start with mqtt:// or mqtts:// "
                "(for example mqtts://central.example.org:8883)."
            )
        p = y.topic_prefix
        try:
            check_prefix(p)
            if " " in p:
                raise ContractError("spaces")
        except ContractError:
            raise ConfigError(
                f"sync.topic_prefix = {p!r} is not a topic prefix: no wildcards (+ #), no $, no "
                "spaces and no leading or trailing '/' (the default is fpk/v1)."
            ) from None
        for name in ("after_left_days", "after_inactive_days"):
            days = getattr(self.retention, name)
            if not 0 <= days <= 36_500:
                raise ConfigError(f"retention.{name} = {days} must be between 0 (never) and "
                                  "36500 days.")
        if not 10 <= y.heartbeat_s <= 3600:
            raise ConfigError(f"sync.heartbeat_s = {y.heartbeat_s:g} must be between 10 and "
                              "3600 seconds (the default is 60).")
        if not 5 <= y.keepalive_s <= 3600:
            raise ConfigError(f"sync.keepalive_s = {y.keepalive_s} must be between 5 and 3600 "
                              "seconds (the default is 30).")
        if not 1 <= y.ack_timeout_s <= 3600:
            raise ConfigError(f"sync.ack_timeout_s = {y.ack_timeout_s:g} must be between 1 and "
                              "3600 seconds (the default is 30).")


_T = TypeVar("_T")


def _coerce(expected: Any, value: Any) -> tuple[Any, str]:
    """``value`` in the type of the default ``expected``, or what it must be instead."""
    if isinstance(expected, tuple):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return (tuple(value) if ok else None), "" if ok else "a list of names"
    if isinstance(expected, bool):
        return value, "" if isinstance(value, bool) else "true or false"
    if isinstance(expected, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
        return value, "" if ok else "a whole number"
    if isinstance(expected, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return (float(value) if ok else None), "" if ok else "a number"
    if isinstance(expected, str):
        return value, "" if isinstance(value, str) else "text in quotes"
    return value, ""


def _notices(raw: Any, source: Path) -> tuple[ConsentNotice, ...]:
    """``[[consent.translations]]``: one table per language."""
    fields = [f.name for f in dataclasses.fields(ConsentNotice)]
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise ConfigError(f"{source}: consent.translations must be [[consent.translations]] "
                          "tables.")
    out = []
    for t in raw:
        if sorted(t) != sorted(fields) or not all(isinstance(v, str) for v in t.values()):
            raise ConfigError(f"{source}: each [[consent.translations]] table needs exactly "
                              f"{', '.join(fields)} (text in quotes).")
        out.append(ConsentNotice(**t))
    return tuple(out)


def _section(cls: type[_T], raw: Any, name: str, source: Path) -> _T:
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: [{name}] must be a table of settings.")
    known = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    defaults = cls()
    for key, given in raw.items():
        if key not in known:
            raise ConfigError(
                f"{source}: unknown setting {name}.{key}. Known settings in [{name}]: "
                f"{', '.join(sorted(known))}."
            )
        if cls is ConsentConfig and key == "translations":
            kwargs[key] = _notices(given, source)
            continue
        value, must_be = _coerce(getattr(defaults, key), given)
        if must_be:
            raise ConfigError(f"{source}: {name}.{key} must be {must_be}.")
        kwargs[key] = value
    return cls(**kwargs)


def load_config(path: Path) -> Config:
    """Read and validate ``path``; a missing file means all defaults."""
    if not path.exists():
        return Config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path} is not valid TOML ({exc}). Fix the line shown, or rename the file to "
            "start again from the defaults."
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read the settings file {path}: {exc}") from exc
    sections = {f.name: f.type for f in dataclasses.fields(Config)}
    unknown = set(raw) - set(sections)
    if unknown:
        raise ConfigError(
            f"{path}: unknown section(s) {sorted(unknown)}; known: {sorted(sections)}."
        )
    cfg = Config(
        station=_section(StationConfig, raw.get("station"), "station", path),
        sensor=_section(SensorConfig, raw.get("sensor"), "sensor", path),
        sync=_section(SyncConfig, raw.get("sync"), "sync", path),
        enrollment=_section(EnrollmentPolicy, raw.get("enrollment"), "enrollment", path),
        consent=_section(ConsentConfig, raw.get("consent"), "consent", path),
        ui=_section(UiConfig, raw.get("ui"), "ui", path),
        retention=_section(RetentionConfig, raw.get("retention"), "retention", path),
    )
    try:
        cfg.validate()
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return cfg


def save_config(cfg: Config, path: Path) -> None:
    """Write atomically (temp file + fsync + rename) so a power cut never leaves half a file."""
    cfg.validate()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    data = tomli_w.dumps(cfg.to_dict()).encode("utf-8")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load_for(paths: DataPaths, config_file: str | os.PathLike[str] | None = None) -> Config:
    return load_config(Path(config_file) if config_file else paths.config_file)
