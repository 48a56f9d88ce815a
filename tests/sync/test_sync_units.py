"""Sealing, broker settings and the GUI-thread guard (no broker needed)."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from typing import Any

import pytest

import kiosk_contract as c
from kiosk import threadguard
from kiosk.config import SyncConfig
from kiosk.sync.worker import SyncWorker
from kiosk_contract.mqtt import (
    BrokerConfigError,
    ClientSettings,
    jittered_backoff,
    make_client,
    parse_broker_url,
)
from kiosk_contract.sealing import (
    CryptoError,
    Sealed,
    generate_keypair,
    load_private_key,
    load_public_key,
    open_sealed,
    seal,
)
from tests.sync.test_asyncapi import sample_messages


def test_seal_binds_metadata_and_recipient() -> None:
    kp, other = generate_keypair(), generate_keypair()
    data = b"\x01" * 300
    aad = b'{"uuid":"a"}'
    s = seal(load_public_key(kp.public_b64), data, aad)
    assert open_sealed(load_private_key(kp.private_b64), s, aad) == data
    with pytest.raises(CryptoError):
        open_sealed(load_private_key(kp.private_b64), s, b'{"uuid":"b"}')  # relabelled
    with pytest.raises(CryptoError, match="different central key"):
        open_sealed(load_private_key(other.private_b64), s, aad)
    flipped = Sealed(s.kid, s.epk, s.nonce, bytes([s.ct[0] ^ 1]) + s.ct[1:])
    with pytest.raises(CryptoError):
        open_sealed(load_private_key(kp.private_b64), flipped, aad)
    assert data not in s.ct


def test_template_message_rejects_length_mismatch() -> None:
    raw = sample_messages()["templates"]
    tm = c.TemplateMessage.parse(raw)
    bad = replace(tm, meta=replace(tm.meta, template_length=tm.meta.template_length + 1))
    with pytest.raises(c.ContractError, match="length"):
        c.TemplateMessage.parse(bad.to_bytes())


def test_broker_security_defaults(caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(BrokerConfigError, match="TLS"):
        make_client(ClientSettings(parse_broker_url("mqtt://10.0.0.5:1883"), "x"))
    with pytest.raises(BrokerConfigError, match="credentials"):
        parse_broker_url("mqtts://user:pw@host:8883")
    caplog.set_level(logging.WARNING)
    make_client(ClientSettings(parse_broker_url("mqtt://10.0.0.5:1883"), "x",
                               allow_insecure=True))
    assert "INSECURE" in caplog.text
    settings = ClientSettings(parse_broker_url("mqtts://h:8883"), "x", password="s3cret-pw")
    assert "s3cret-pw" not in repr(settings)
    make_client(settings)  # TLS with the system CAs: fine to build


def test_backoff_grows_and_is_jittered() -> None:
    small = [jittered_backoff(1, 1, 60) for _ in range(50)]
    big = [jittered_backoff(8, 1, 60) for _ in range(50)]
    assert max(small) <= 2 and min(big) >= 30 and len(set(big)) > 1


def test_worker_refuses_gui_thread_io(tmp_path: object) -> None:
    cfg = SyncConfig(broker_url="mqtt://127.0.0.1:1", central_public_key=generate_keypair()
                     .public_b64)
    w = SyncWorker(object(), "station-01", cfg)  # type: ignore[arg-type]
    threadguard.set_gui_thread(threading.get_ident(), strict=True)
    try:
        with pytest.raises(threadguard.GuiThreadIOError):
            w.start()
        assert w.snapshot().reason == "connecting"  # snapshot is always allowed
    finally:
        threadguard.set_gui_thread(None)
        threadguard.violations.clear()


def test_disabled_and_misconfigured_states() -> None:
    assert SyncWorker(object(), "station-01", SyncConfig()).snapshot().reason == "disabled"  # type: ignore[arg-type]
    bad = SyncWorker(object(), "station-01",  # type: ignore[arg-type]
                     SyncConfig(broker_url="mqtt://127.0.0.1:1", central_public_key="nope"))
    assert bad.snapshot().reason == "config-error"
    with pytest.raises(ValueError):
        SyncWorker(object(), "bad/station", SyncConfig())  # type: ignore[arg-type]


def test_publish_properties_from_the_cache_are_independent() -> None:
    """The base is cached; each PUBLISH still carries only its own correlation, and a
    publish without a response topic carries none."""
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    from kiosk_contract.mqtt import publish_properties

    a: Any = publish_properties(response_topic="fpk/v1/station/s1/acks", correlation=b"one")
    b: Any = publish_properties(response_topic="fpk/v1/station/s1/acks", correlation=b"two")
    bare = publish_properties()
    assert (a.CorrelationData, b.CorrelationData) == (b"one", b"two")
    assert not hasattr(bare, "CorrelationData") and not hasattr(bare, "ResponseTopic")
    decoded: Any = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
    decoded.unpack(a.pack())
    assert decoded.ResponseTopic == "fpk/v1/station/s1/acks"
    assert decoded.CorrelationData == b"one" and decoded.ContentType == "application/json"


def test_counts_refresh_at_once_on_the_busy_and_idle_edges_only() -> None:
    """The outbox counts are a scan: refreshed at once when the wire turns busy or idle,
    in between no sooner than STATS_BUSY_S from now (and never later than already due)."""
    import time

    from kiosk.sync import worker as wmod

    w = SyncWorker(object(), "station-01", SyncConfig())  # type: ignore[arg-type]
    flight = wmod._Flight(1, "u-1", "templates", 0, deadline=0.0)

    w._stats_at = 99.0
    w._flights = {"m-1": flight}  # state still says nothing in flight: the busy edge
    w._stats_soon()
    assert w._stats_at == 0.0

    w._state = replace(w._state, in_flight=1)  # counts show the wire busy: throttled
    w._stats_at = float("inf")
    before = time.monotonic()
    w._stats_soon()
    assert before + wmod.STATS_BUSY_S <= w._stats_at <= time.monotonic() + wmod.STATS_BUSY_S
    w._stats_at = 0.0  # already due stays due
    w._stats_soon()
    assert w._stats_at == 0.0

    w._stats_at = float("inf")
    w._flights = {}  # the last ack settled: the idle edge
    w._stats_soon()
    assert w._stats_at == 0.0
