"""``kiosk-central api`` as a program: HTTPS with the configured certificate (a plain-HTTP
client gets nothing), plain HTTP refused beyond loopback, clear usage errors; and the OpenAPI
document checked into docs/ is the one these routes produce and is valid OpenAPI."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from openapi_spec_validator import validate

from kiosk_central.api.app import openapi_document
from kiosk_central.cli import main as central_cli
from tests.central.api_helpers import make_token
from tests.fixtures.broker import free_port, make_tls_files, wait_until

pytestmark = pytest.mark.timeout(120)
DOC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_the_checked_in_openapi_document_is_current_and_valid() -> None:
    doc = json.loads(DOC.read_text(encoding="utf-8"))
    validate(doc)  # raises on an invalid document
    assert doc == json.loads(json.dumps(openapi_document())), (
        "docs/openapi.json is stale: kiosk-central api --print-openapi > docs/openapi.json")
    paths = doc["paths"]
    for path in ("/v1/enrollments", "/v1/enrollments/{person}", "/v1/roster/delta",
                 "/v1/people/{person}/deletion", "/v1/people/{person}/consent-withdrawal",
                 "/v1/deletions/{erasure_id}", "/v1/people/{person}/subject-report",
                 "/v1/stations", "/v1/figures"):
        assert path in paths, path
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    # No answer has a field that could carry template bytes.
    props = {name for schema in doc["components"]["schemas"].values()
             for name in schema.get("properties", {})}
    assert props & {"data", "data_b64", "sealed", "template_bytes", "wrapped_key"} == set()
    assert '"format": "byte"' not in json.dumps(doc) and '"binary"' not in json.dumps(doc)


def test_https_when_configured_and_plain_http_refused_beyond_loopback(
    tmp_path: Path, central_db_url: str, capsys: pytest.CaptureFixture[str],
) -> None:
    tls = make_tls_files(tmp_path / "tls")
    token = make_token(central_db_url, "read:status")
    port = free_port()
    log = (tmp_path / "api.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk_central.cli", "api", "--db", central_db_url, "--listen",
         f"127.0.0.1:{port}", "--tls-cert", str(tls.cert_file), "--tls-key",
         str(tls.key_file)], stdout=log, stderr=log, env={**os.environ})
    ca = ssl.create_default_context(cafile=str(tls.ca_file))
    try:
        def up() -> bool:
            try:
                return httpx.get(f"https://127.0.0.1:{port}/v1/health", verify=ca,
                                 timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(up, 30, what="HTTPS API up")
        r = httpx.get(f"https://127.0.0.1:{port}/v1/stations", verify=ca,
                      headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200 and r.json() == []
        with pytest.raises(httpx.HTTPError):  # nothing is served in clear
            httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=5)
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()
    assert central_cli(["api", "--db", central_db_url, "--listen", "0.0.0.0:8443"]) == 2
    assert "over plain HTTP beyond loopback is refused" in capsys.readouterr().err
    assert central_cli(["api", "--db", central_db_url, "--tls-cert", str(tls.cert_file)]) == 2
    assert "go together" in capsys.readouterr().err
    assert central_cli(["api", "--db", central_db_url, "--listen", "nowhere"]) == 2
    assert "HOST:PORT" in capsys.readouterr().err


def test_worker_processes_get_the_settings_but_never_the_password_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kiosk_central.api.context import ApiConfig
    from kiosk_central.api.server import config_from_json, config_to_json
    from kiosk_contract.mqtt import ClientSettings, parse_broker_url

    pw = tmp_path / "central.pw"
    pw.write_text("s3cret-broker-password\n")
    cfg = ApiConfig(db_url="sqlite:///x.sqlite3", heartbeat_s=30.0, broker=ClientSettings(
        parse_broker_url("mqtts://broker.example.org:8884"), "api-1", "central",
        "s3cret-broker-password"))
    for source, env in ((str(pw), {}), (None, {"KIOSK_CENTRAL_PASSWORD":
                                               "s3cret-broker-password"})):
        text = json.dumps(config_to_json(cfg, source))
        assert "s3cret" not in text  # what goes into the workers' environment
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        assert config_from_json(json.loads(text)) == cfg
