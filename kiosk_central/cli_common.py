"""Helpers shared by the ``kiosk-central`` commands: output, secrets, broker connections."""

from __future__ import annotations

import argparse
import json
import os
import threading
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt

from kiosk_central.db import CentralDB
from kiosk_central.engine import DatabaseError
from kiosk_central.vault import Vault, VaultError, load_master_key
from kiosk_contract.mqtt import BrokerConfigError, ClientSettings, make_client, parse_broker_url

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_DB = "sqlite:///central-data/central.sqlite3"


class CentralError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def emit(args: argparse.Namespace, data: Any, human: str) -> None:
    print(json.dumps(data, indent=2, default=str) if args.json else human)


def open_db(args: argparse.Namespace, vault: Vault | None = None) -> CentralDB:
    try:
        return CentralDB(args.db, vault)
    except (DatabaseError, VaultError) as exc:
        raise CentralError(str(exc)) from exc


def secret(path: str | None, env: str, what: str) -> str | None:
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise CentralError(f"cannot read the {what} file {path}: "
                               f"{getattr(exc, 'strerror', None) or exc}") from exc
    return os.environ.get(env) or None


def private_key(args: argparse.Namespace, required: bool = True) -> str | None:
    key = secret(getattr(args, "key_file", None), "KIOSK_CENTRAL_KEY", "private key")
    if required and not key:
        raise CentralError("--key-file (or KIOSK_CENTRAL_KEY) is required", EXIT_USAGE)
    return key


def vault(args: argparse.Namespace) -> Vault:
    """The vault for commands that open templates (the master key, or the sealing key to
    derive it from)."""
    try:
        key = private_key(args, required=not args.master_key)
        return Vault(load_master_key(args.master_key, key))
    except VaultError as exc:
        raise CentralError(str(exc)) from exc


def settings(args: argparse.Namespace, client_id: str, session_expiry_s: int = 0
             ) -> ClientSettings:
    if not args.broker:
        raise CentralError("--broker (or KIOSK_CENTRAL_BROKER) is required", EXIT_USAGE)
    try:
        endpoint = parse_broker_url(args.broker)
    except BrokerConfigError as exc:
        raise CentralError(str(exc), EXIT_USAGE) from exc
    return ClientSettings(
        endpoint=endpoint, client_id=client_id, username=args.user,
        password=secret(args.password_file, "KIOSK_CENTRAL_PASSWORD", "password"),
        ca_file=args.ca_file, client_cert=args.client_cert, client_key=args.client_key,
        allow_insecure=args.allow_insecure, keepalive_s=30, session_expiry_s=session_expiry_s,
    )


def one_shot(args: argparse.Namespace) -> mqtt.Client:
    """A connected client for a command that publishes and exits (no session kept)."""
    try:
        client = make_client(settings(args, f"fpk-central-cli-{os.getpid()}"))
    except BrokerConfigError as exc:
        raise CentralError(str(exc)) from exc
    done = threading.Event()
    result: list[Any] = []

    def on_connect(_c: Any, _u: Any, _f: Any, rc: Any, _p: Any = None) -> None:
        result.append(rc)
        done.set()

    client.on_connect = on_connect
    ep = parse_broker_url(args.broker)
    try:
        client.connect(ep.host, ep.port, keepalive=30)
    except OSError as exc:
        raise CentralError(f"cannot reach the broker {ep}: {exc}") from exc
    client.loop_start()
    if not done.wait(15) or result[0].is_failure:
        client.loop_stop()
        raise CentralError(f"broker refused the connection: {result[0] if result else 'timeout'}")
    return client


def close(client: mqtt.Client) -> None:
    client.disconnect()
    client.loop_stop()
