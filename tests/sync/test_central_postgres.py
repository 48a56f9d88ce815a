"""The central ingest on a real PostgreSQL server (started here, in a temp dir, on loopback)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import kiosk_contract as c
from kiosk.sync.worker import SyncWorker
from kiosk_central.db import CentralDB
from kiosk_central.ingest import Ingest
from kiosk_central.vault import LocalMasterKey, Vault
from tests.fixtures.broker import free_port, wait_until
from tests.sync.conftest import Enrolled
from tests.sync.test_sync_e2e import assert_exactly_once

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(120)]


def _pg_bin() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))  # Debian layout
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


@pytest.fixture(scope="module")
def pg_server() -> Iterator[Callable[[], str]]:
    """A PostgreSQL server for this module; calling the fixture value makes a fresh database."""
    # CI installs PostgreSQL (scripts/bootstrap), so there a missing server is a failure.
    skip = pytest.fail if os.environ.get("CI") else pytest.skip
    try:
        import psycopg  # noqa: F401
    except ImportError:
        skip("psycopg is not installed (pip install -e '.[postgres]')")
    bindir = _pg_bin()
    if bindir is None:
        skip("PostgreSQL server binaries are not installed")
    as_user: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser")
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    data, port = root / "data", free_port()

    def pg(*cmd: str) -> None:
        r = subprocess.run([*as_user, *cmd], check=False, capture_output=True, timeout=60)
        if r.returncode:
            raise RuntimeError(f"{cmd[0]} failed: {r.stderr.decode(errors='replace')[-500:]}")

    pg(str(bindir / "initdb"), "-D", str(data), "-U", "kiosk", "--auth=trust", "-E", "UTF8")
    pg(str(bindir / "pg_ctl"), "-D", str(data), "-w", "-t", "30", "-l", str(root / "pg.log"),
       "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    def new_db() -> str:
        name = f"central_{uuid.uuid4().hex[:12]}"
        pg(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "kiosk", name)
        return f"postgresql+psycopg://kiosk@127.0.0.1:{port}/{name}"

    try:
        yield new_db
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       check=False, capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: Callable[[], str]) -> str:
    return pg_server()


def _meta(data: bytes, u: str | None = None) -> c.TemplateMeta:
    return c.TemplateMeta(
        uuid=u or str(uuid.uuid4()), station="station-01", operator="op", person="P-00000",
        finger="right-index", sensor_model="R307", template_format="f", template_length=len(data),
        sha256=hashlib.sha256(data).hexdigest(), quality={"match_score": 1},
        captured_at=c.utc_now_iso(), enrolled_at=c.utc_now_iso(),
    )


def test_insert_if_absent_under_concurrency(pg_url: str) -> None:
    db = CentralDB(pg_url, Vault(LocalMasterKey(os.urandom(32), "test")))
    data = os.urandom(300)
    meta = _meta(data)
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(lambda _: db.store_template(meta, data), range(16)))
    assert outcomes.count("stored") == 1 and outcomes.count("duplicate") == 15
    other = os.urandom(300)
    assert db.store_template(_meta(other, meta.uuid), other) == "conflict"
    assert db.template_bytes(meta.uuid) == data


def test_station_drains_into_postgres(
    pg_url: str, station_store: Callable[..., Enrolled], central_factory: Callable[..., Ingest],
    worker_factory: Callable[..., SyncWorker],
) -> None:
    CentralDB(pg_url).import_people([(f"P-{i:05d}", "x", True) for i in range(10)])
    e = station_store(5)
    ing = central_factory(db_url=pg_url)
    worker_factory(e.store)
    wait_until(e.outbox_empty, 30, what="drained into PostgreSQL")
    assert_exactly_once(ing.db, e)
    assert ing.db.engine.dialect.name == "postgresql"
