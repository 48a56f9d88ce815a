"""Building a paho-mqtt 2.x client with the project's security defaults (shared with central).

TLS with certificate and host name verification is required for any broker that is not on
loopback; plaintext elsewhere needs an explicit ``allow_insecure`` and is logged loudly. The
password is passed in by the caller (from a secret store), never read from the config file,
and never logged.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import ipaddress
import logging
import random
import socket
import ssl
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

log = logging.getLogger(__name__)


class LinkState(StrEnum):
    """Where a connection to the broker stands; one vocabulary for the station's sync worker,
    its status bar, the provisioning connection test and central's ingest."""

    DISABLED = "disabled"
    CONNECTING = "connecting"
    ONLINE = "online"
    NO_NETWORK = "no-network"
    UNREACHABLE = "unreachable"
    AUTH_REFUSED = "auth-refused"
    TLS_ERROR = "tls-error"
    REFUSED = "refused"
    CONFIG_ERROR = "config-error"
    STOPPED = "stopped"


#: CONNACK reason codes that mean "this login is not accepted" (bad user/password, not
#: authorized, bad authentication method).
AUTH_REFUSED_CODES = frozenset({0x86, 0x87, 0x8C})


class BrokerConfigError(ValueError):
    """The broker settings are unusable or unsafe; the message says which and why."""


@dataclass(frozen=True)
class BrokerEndpoint:
    host: str
    port: int
    tls: bool

    def __str__(self) -> str:
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"


def parse_broker_url(url: str) -> BrokerEndpoint:
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise BrokerConfigError(
            f"broker URL {url!r} must look like mqtts://host:8883 or mqtt://127.0.0.1:1883"
        )
    if parts.username or parts.password:
        raise BrokerConfigError("put the user name in sync.username, never credentials in the URL")
    tls = parts.scheme == "mqtts"
    try:
        port = parts.port or (8883 if tls else 1883)
    except ValueError as exc:
        raise BrokerConfigError(f"broker URL {url!r} has a bad port") from exc
    return BrokerEndpoint(parts.hostname, port, tls)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ClientSettings:
    """Everything needed to connect; ``password`` comes from the caller's secret store."""

    endpoint: BrokerEndpoint
    client_id: str
    username: str = ""
    password: str | None = None
    ca_file: str = ""
    client_cert: str = ""
    client_key: str = ""
    allow_insecure: bool = False
    keepalive_s: int = 30
    session_expiry_s: int = 7 * 24 * 3600
    reconnect_min_s: float = 1.0
    reconnect_max_s: float = 60.0

    def __repr__(self) -> str:  # never show the password
        return (
            f"ClientSettings({self.endpoint}, client_id={self.client_id!r}, "
            f"user={self.username!r})"
        )


def no_delay(_client: Any, _userdata: Any, sock: Any) -> None:
    """paho's ``on_socket_open``: send each MQTT packet at once (TCP_NODELAY). With Nagle's
    algorithm a publish or an ack waits for the TCP ack of the previous segment, which the
    other side delays by up to 40 ms, so a request/response round trip took 40–90 ms instead
    of about one."""
    with contextlib.suppress(OSError, AttributeError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def make_client(settings: ClientSettings, *, manual_ack: bool = False) -> mqtt.Client:
    """A configured (not yet connected) MQTT v5 client that sends every packet at once;
    raises :class:`BrokerConfigError`."""
    ep = settings.endpoint
    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2,
        client_id=settings.client_id,
        protocol=mqtt.MQTTv5,
        manual_ack=manual_ack,
    )
    client.on_socket_open = no_delay
    if ep.tls:
        try:
            client.tls_set(
                ca_certs=settings.ca_file or None,
                certfile=settings.client_cert or None,
                keyfile=settings.client_key or None,
                cert_reqs=ssl.CERT_REQUIRED,
                tls_version=ssl.PROTOCOL_TLS_CLIENT,
            )
        except (OSError, ssl.SSLError) as exc:
            raise BrokerConfigError(f"cannot load TLS files: {exc}") from exc
    elif not is_loopback(ep.host):
        if not settings.allow_insecure:
            raise BrokerConfigError(
                f"refusing plaintext MQTT to {ep.host}: use mqtts:// (TLS) or set "
                "sync.allow_insecure = true for a test network"
            )
        log.warning(
            "INSECURE: plaintext MQTT to non-loopback broker %s (sync.allow_insecure is set); "
            "credentials and metadata travel unencrypted", ep,
        )
    if settings.username:
        client.username_pw_set(settings.username, settings.password)
    client.reconnect_delay_set(
        min_delay=int(max(1, settings.reconnect_min_s)), max_delay=int(settings.reconnect_max_s)
    )
    return client


def connect_properties(session_expiry_s: int) -> Properties:
    props = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
    props.SessionExpiryInterval = session_expiry_s
    return props


@functools.lru_cache(maxsize=64)
def _publish_base(response_topic: str | None) -> Properties:
    props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
    props.PayloadFormatIndicator = 1
    props.ContentType = "application/json"
    if response_topic is not None:
        props.ResponseTopic = response_topic
    return props


def publish_properties(
    *, response_topic: str | None = None, correlation: bytes | None = None
) -> Properties:
    """A PUBLISH's properties. Copied from a cached base per response topic: paho validates
    every property it is given, and building them afresh was 20 % of a drain's send time."""
    props = copy.copy(_publish_base(response_topic))
    if correlation is not None:
        props.CorrelationData = correlation
    return props


def jittered_backoff(failures: int, lo: float, hi: float) -> float:
    """Exponential back-off with "equal jitter": never a thundering herd after a broker restart."""
    cap = min(hi, lo * float(1 << min(failures, 16)))
    return cap / 2 + random.uniform(0, cap / 2)


def classify_connect_error(exc: BaseException | None) -> tuple[LinkState, str]:
    """``(reason, text)`` for the GUI: no-network / tls-error / refused / unreachable."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return LinkState.TLS_ERROR, f"broker certificate not trusted: {exc.verify_message}"
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return LinkState.TLS_ERROR, f"TLS handshake failed: {exc.__class__.__name__}"
    if isinstance(exc, socket.gaierror):
        return LinkState.NO_NETWORK, "broker host name cannot be resolved"
    if isinstance(exc, ConnectionRefusedError):
        return LinkState.UNREACHABLE, "broker refused the TCP connection (not running?)"
    if isinstance(exc, TimeoutError | socket.timeout):
        return LinkState.UNREACHABLE, "timed out connecting to the broker"
    if isinstance(exc, OSError):
        return LinkState.NO_NETWORK, f"network error: {exc.strerror or exc.__class__.__name__}"
    return LinkState.UNREACHABLE, "connection failed"


def hard_drop(client: mqtt.Client) -> None:
    """Cut the TCP connection without DISCONNECT and stop the loop, like a killed process.

    Used by fault-injection tests and by abort paths; the broker then publishes the will.
    """
    sock: Any = client.socket()
    _cut(sock)
    client.loop_stop()
    # The network thread may have reconnected between the cut and its stop: that connection
    # would stay open with nobody behind it, and its will would wait for the keep-alive.
    _cut(client.socket())
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.close()


def _cut(sock: Any) -> None:
    """Shut a socket down both ways (a second shutdown of the same socket does nothing)."""
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
