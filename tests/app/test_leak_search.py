"""The leak search: after real enrollments (virtual sensor, real engine) and a real sync to
central, no file either side wrote holds a template in any readable form — not the station's
database, WAL or shared memory, not a backup or the copy taken before an upgrade, not a log,
not a diagnostics bundle, not the broker's persistence, not central's database."""

from __future__ import annotations

import base64
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.app import ConsentMethod, Finger, SensorState, Station
from kiosk.config import Config, SyncConfig
from kiosk.paths import DataPaths
from kiosk_central.ingest import Ingest
from kiosk_contract.sealing import KeyPair
from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.fixtures.desk import enroll_cooperative
from tests.sync.conftest import (  # noqa: F401  (fixtures)
    STATION,
    central_db_url,
    central_factory,
    central_key,
)

DEADLINE = 30.0
PEOPLE = ("P-00001", "P-00002", "P-00003")


def _forms(template: bytes) -> list[bytes]:
    """Every readable form of a template a careless program could write, cut to a 48-byte
    window of its most varied part (the module's templates end in zero padding, which any
    file holds)."""
    start = max(range(0, len(template) - 48), key=lambda i: len(set(template[i:i + 48])))
    raw = template[start:start + 48]
    assert len(set(raw)) > 24, "the template has no distinctive part to search for"
    return [raw, raw.hex().encode(), raw.hex().upper().encode(), raw.hex(" ").encode(),
            base64.b64encode(template)[start // 3 * 4 + 4:start // 3 * 4 + 52],
            base64.urlsafe_b64encode(template)[start // 3 * 4 + 4:start // 3 * 4 + 52]]


def _contents(path: Path) -> list[tuple[str, bytes]]:
    """A file's bytes, and each member of a zip (a bundle is searched inside too)."""
    data = path.read_bytes()
    out = [(str(path), data)]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            out += [(f"{path}!{n}", z.read(n)) for n in z.namelist()]
    return out


@pytest.mark.timeout(180)
def test_no_file_holds_a_template_after_enrollment_sync_backup_and_bundle(
        tmp_path: Path, broker: MosquittoBroker, central_key: KeyPair,  # noqa: F811
        central_factory: Callable[..., Ingest], central_db_url: str,  # noqa: F811
        capsys: pytest.CaptureFixture[str]) -> None:
    ing = central_factory()
    paths = DataPaths(tmp_path / "station")
    cfg = Config(sync=SyncConfig(broker_url=broker.url, central_public_key=central_key.public_b64,
                                 ack_timeout_s=5.0, keepalive_s=5))
    cfg = cfg.replace(station=replace(cfg.station, id=STATION))
    st = Station.open(paths, cfg, simulate=True, sync_password=broker.password(STATION))
    templates: list[bytes] = []
    try:
        wait_until(lambda: st.sensor_status.state is SensorState.READY, DEADLINE)
        from kiosk.store import PersonIn

        st.store.people.upsert([PersonIn(p, f"Person {p}") for p in PEOPLE], "0")
        for ext in PEOPLE:
            st.desk.record_consent(ext, ConsentMethod.ON_SCREEN, None)
            for finger in (Finger.RIGHT_INDEX, Finger.LEFT_INDEX):
                r = enroll_cooperative(st, ext, finger)
                assert r.template_uuid is not None
                data = st.store.enrollments.template_bytes(r.template_uuid)
                assert data is not None and len(data) >= 256
                templates.append(data)
        wait_until(lambda: st.store.outbox.open_count() == 0, DEADLINE, what="synced")
        assert all(ing.db.template_bytes(u) is not None
                   for u in (t.uuid for t in ing.db.template_rows()))
        st.database.backup(tmp_path / "backup.sqlite3")
        st.write_bundle(tmp_path / "bundle.zip", st.self_test())
    finally:
        st.close()
        ing.stop()
    broker.stop()  # the broker writes its persistence file
    central_file = Path(central_db_url.removeprefix("sqlite:///"))
    roots = [paths.root, tmp_path / "backup.sqlite3", tmp_path / "bundle.zip",
             broker.persistence_file, broker.log_file, central_file,
             central_file.with_name(central_file.name + "-wal")]
    files = sorted({f for r in roots if r.exists()
                    for f in ([r] if r.is_file() else r.rglob("*")) if f.is_file()})
    assert paths.database in files and central_file in files and len(files) >= 8
    needles = [n for t in templates for n in _forms(t)]
    searched = hits = 0
    found = []
    for f in files:
        for name, blob in _contents(f):
            searched += len(blob)
            for n in needles:
                if n in blob:
                    hits += 1
                    found.append(name)
    with capsys.disabled():
        print(f"\nleak search: {len(files)} files, {searched} bytes, {len(templates)} templates "
              f"x {len(needles) // len(templates)} forms, hits = {hits}")
    assert sorted(set(found)) == []
