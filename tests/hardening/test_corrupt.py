"""Corrupted files: the station database and its key, the settings, roster CSV files (station
and central) and provisioning files, each damaged at random, then handed to the real command
line. Whatever the damage:

* the command ends with an exit code and a message — never a traceback, never an exception
  escaping ``main``;
* a refused file changes nothing (people, settings);
* a database the check calls healthy still gives back every template byte for byte (lost =
  a template damaged while ``kiosk db check`` says OK).

Single cases are pinned elsewhere: tests/store/test_open.py and tests/store/test_cli.py
(damaged, foreign, newer, read-only databases), tests/store/test_at_rest.py (a damaged key),
tests/test_foundation.py (bad settings), tests/provision/test_station_provision.py (tampered,
forged, nested provisioning files), tests/provision/test_roster_cli.py and
tests/central/test_roster_import.py (malformed and mis-encoded CSV).
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk import keystore
from kiosk.cli import main as kiosk
from kiosk.config import Config, StationConfig, save_config
from kiosk.paths import DataPaths
from kiosk.store import Store, TemplateDamaged
from kiosk_central.cli import main as central
from tests.hardening.conftest import Counts, pick, timeout
from tests.sync.conftest import enroll

pytestmark = pytest.mark.hardening

ROUNDS = pick(12, 150)  # damaged files of each kind
CSV = "external_id,display_name,group\n" + "".join(
    f"S-{i:04d},Person {i} é,class {i % 3}\n" for i in range(40))


def _run(counts: Counts, capsys: pytest.CaptureFixture[str], cli: Callable[[list[str]], int],
         argv: list[str], what: str) -> tuple[int, str]:
    """One command: its exit code and output; an escaping exception counts as a traceback."""
    try:
        rc = cli(argv)
    except SystemExit as exc:  # argparse's own refusal is a message too
        rc = int(exc.code or 0)
    except BaseException:
        counts.tracebacks += 1
        counts.notes.setdefault("first_traceback", f"{what}: {traceback.format_exc()[-2500:]}")
        rc = -1
    out = capsys.readouterr()
    counts.saw(out.out + out.err, what)
    assert rc in (0, 1, 2, -1), (what, rc, out.out[-500:])
    return rc, out.out


def _damage(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    kind = rng.choice(("flip", "bytes", "truncate", "zero-run", "garbage", "empty"))
    if kind == "flip":
        b = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        return kind, bytes(b)
    if kind == "bytes":
        i = rng.randrange(len(data))
        return kind, data[:i] + rng.randbytes(rng.randint(1, 64)) + data[i + 64:]
    if kind == "truncate":
        return kind, data[:rng.randrange(len(data))]
    if kind == "zero-run":
        i = rng.randrange(len(data))
        return kind, data[:i] + bytes(min(4096, len(data) - i)) + data[i + 4096:]
    if kind == "garbage":
        return kind, rng.randbytes(rng.randint(1, 8192))
    return kind, b""


def _people(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM people").fetchone()[0])
    except sqlite3.DatabaseError:
        return -1
    finally:
        conn.close()


@timeout(240, 1800)
def test_corrupt_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], counts: Counts,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_KEYSTORE", "file")
    monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
    rng = random.Random(41)
    pristine = tmp_path / "pristine"
    paths = DataPaths(pristine)
    paths.ensure()
    save_config(Config(station=StationConfig(id="station-01")), paths.config_file)
    with Store.open(paths.database, backups_dir=paths.backups, station_id="station-01",
                    keys=keystore.choose(paths.secrets)) as store:
        templates = enroll(store, 10)
    _databases(tmp_path, pristine, templates, rng, counts, capsys)
    _settings(tmp_path, pristine, rng, counts, capsys)
    _roster_files(tmp_path, rng, counts, capsys)
    _provisioning(tmp_path, rng, counts, capsys)
    counts.assert_clean()


def _databases(tmp_path: Path, pristine: Path, templates: dict[str, bytes], rng: random.Random,
               counts: Counts, capsys: pytest.CaptureFixture[str]) -> None:
    verdicts = {"refused": 0, "healthy": 0}
    for n in range(ROUNDS):
        d = tmp_path / f"db-{n}"
        shutil.copytree(pristine, d)
        paths = DataPaths(d)
        target = rng.choice(("database", "database", "database", "wal", "key"))
        if target == "key":
            key = next(paths.secrets.iterdir())
            kind, data = _damage(rng, key.read_bytes())
            key.write_bytes(data)
        elif target == "wal":
            kind, data = "wal-garbage", rng.randbytes(rng.randint(32, 40_000))
            paths.database.with_name(paths.database.name + "-wal").write_bytes(data)
        else:
            kind, data = _damage(rng, paths.database.read_bytes())
            paths.database.write_bytes(data)
        counts.fault(f"{target}-{kind}")
        rc, out = _run(counts, capsys, kiosk, ["--data-dir", str(d), "--json", "db", "check"],
                       f"db check ({target} {kind})")
        _run(counts, capsys, kiosk, ["--data-dir", str(d), "--json", "sync", "--timeout", "0.1"],
             f"sync ({target} {kind})")
        counts.iterations += 1
        if rc == 0:
            verdicts["healthy"] += 1
            # Said healthy: then every template must come back exactly.
            with Store.open(paths.database, station_id="station-01", migrate=False,
                            keys=keystore.choose(paths.secrets)) as store:
                for uid, data_ in templates.items():
                    counts.checked += 1
                    try:
                        intact = store.enrollments.template_bytes(uid) == data_
                    except TemplateDamaged:
                        intact = False
                    counts.lost += not intact
        else:
            verdicts["refused"] += 1
            counts.checked += 1
            assert not out.strip() or json.loads(out).get("ok") is not True, out
    counts.notes["databases"] = verdicts


SETTINGS = [
    "[station]\nid = '../../etc'\n", "[station]\nid = 'a b'\n", "[station]\nid = ''\n",
    "[sync]\ntopic_prefix = 'fpk/#'\n", "[sync]\ntopic_prefix = '$SYS'\n",
    "[sync]\nkeepalive_s = -5\n", "[sync]\nkeepalive_s = 1e400\n", "[sensor]\nbaud = 'fast'\n",
    "[station]\nid = 5\n", "[[station]]\nid = 'x'\n", "[sync]\nbroker_url = 'mqtt://:-1'\n",
    "[station]\nid = 'x'\n[station]\nid = 'y'\n",
]


def _settings(tmp_path: Path, pristine: Path, rng: random.Random, counts: Counts,
              capsys: pytest.CaptureFixture[str]) -> None:
    good = (pristine / "config.toml").read_bytes()
    cases: list[tuple[str, bytes]] = [("invalid-value", s.encode()) for s in SETTINGS]
    cases += [("utf-16", good.decode().encode("utf-16")), ("nul", good.replace(b"=", b"=\0"))]
    cases += [_damage(rng, good) for _ in range(ROUNDS)]
    d = tmp_path / "settings"
    shutil.copytree(pristine, d)
    refused = 0
    for kind, data in cases:
        (d / "config.toml").write_bytes(data)
        counts.fault(f"config-{kind}")
        for argv in (["db", "check"], ["sync", "--timeout", "0.1"], ["doctor", "--wait", "0"]):
            _rc, out = _run(counts, capsys, kiosk, ["--data-dir", str(d), "--json", *argv],
                           f"{argv[0]} with config ({kind})")
            refused += '"bad-config"' in out
        counts.iterations += 1
        counts.checked += 1
    counts.notes["settings refused as bad-config"] = refused


def _roster_files(tmp_path: Path, rng: random.Random, counts: Counts,
                  capsys: pytest.CaptureFixture[str]) -> None:
    good = CSV.encode()
    cases: list[tuple[str, bytes]] = [
        ("unterminated-quote", good.replace(b"Person 3 ", b'"Person 3 ', 1)),
        ("nul", good.replace(b"Person 5", b"Per\0son 5")),
        ("latin-1", CSV.encode("latin-1")), ("utf-16", CSV.encode("utf-16")),
        ("cut-multibyte", good[:good.index("é".encode()) + 1]),
        ("formula", good.replace(b"Person 7", b"=2+5")),
        ("long-line", good + b"S-9999," + b"x" * 200_000 + b"\n"),
    ]
    cases += [_damage(rng, good) for _ in range(ROUNDS)]
    station_db = tmp_path / "roster-station" / "kiosk.sqlite3"
    central_db = f"sqlite:///{tmp_path / 'roster-central.sqlite3'}"
    accepted = 0
    for n, (kind, data) in enumerate(cases):
        f = tmp_path / f"roster-{n}.csv"
        f.write_bytes(data)
        counts.fault(f"csv-{kind}")
        before = _people(station_db)
        rc, _out = _run(counts, capsys, kiosk, ["--data-dir", str(station_db.parent), "--json",
                                               "roster", "import", str(f)],
                       f"roster import ({kind})")
        if rc != 0:
            assert _people(station_db) == before, kind  # refused: nothing imported
        else:
            accepted += 1
            conn = sqlite3.connect(station_db)
            names = [r[0] for r in conn.execute("SELECT display_name FROM people")]
            conn.close()
            assert not any("\0" in x for x in names), kind
        _run(counts, capsys, central, ["roster", "import", str(f), "--db", central_db,
                                       "--json"], f"central roster import ({kind})")
        counts.iterations += 1
        counts.checked += 1
    counts.notes["roster files accepted"] = accepted


def _provisioning(tmp_path: Path, rng: random.Random, counts: Counts,
                  capsys: pytest.CaptureFixture[str]) -> None:
    key = tmp_path / "central.key"
    _run(counts, capsys, central, ["keygen", "--out", str(key), "--json"], "keygen")
    good = tmp_path / "good.SECRET.kioskprov"
    _run(counts, capsys, central, ["provision", "station-07", "--key-file", str(key), "--out",
                                   str(good), "--broker-url", "mqtt://127.0.0.1:1", "--json"],
         "provision")
    data = good.read_bytes()
    ref = tmp_path / "provisioned-intact"
    rc, _ = _run(counts, capsys, kiosk, ["--data-dir", str(ref), "--json", "provision",
                                         str(good), "--trust-on-first-use",
                                         "--connect-timeout", "0.2"], "provision (intact)")
    reference = (ref / "config.toml").read_text()
    d = tmp_path / "provisioned"
    accepted = 0
    for n in range(ROUNDS):
        kind, bad = _damage(rng, data)
        f = tmp_path / f"p-{n}.SECRET.kioskprov"
        f.write_bytes(bad)
        counts.fault(f"provisioning-{kind}")
        before = (d / "config.toml").read_bytes() if (d / "config.toml").exists() else None
        rc, _ = _run(counts, capsys, kiosk, ["--data-dir", str(d), "--json", "provision",
                                             str(f), "--trust-on-first-use",
                                             "--connect-timeout", "0.2"],
                     f"provision ({kind})")
        after = (d / "config.toml").read_bytes() if (d / "config.toml").exists() else None
        if rc != 0:
            assert after == before, kind  # refused: nothing changed
        else:
            # Accepted only when the damage missed what is signed: the same settings result.
            accepted += 1
            assert after is not None and after.decode() == reference, kind
        counts.iterations += 1
        counts.checked += 1
    counts.notes["provisioning files accepted (damage outside the signed part)"] = accepted
