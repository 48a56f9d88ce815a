"""Independent third-party R30x drivers against the virtual R307 over a real pty.

pyfingerprint (checks checksums strictly, writes one byte at a time) and Adafruit's
CircuitPython driver (reads fixed reply lengths, so it catches wrong ack sizes) were written
against real modules, not against this simulator. Each scenario runs on a worker thread with a
deadline: on expiry the pty is unplugged (so a blocked read fails) and the test fails.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import serial

from kiosk.sim import PtyServer, SimConfig, VirtualR307

ALICE = "alice:right-index"
BOB = "bob:left-thumb"
DEADLINE_S = 30.0


def run_with_deadline(fn: Callable[[], None], *servers: PtyServer) -> None:
    """Run ``fn`` on a thread; a hang past the deadline unplugs the servers and fails."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            fn()
        except BaseException as exc:  # re-raised on the test thread
            errors.append(exc)

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(DEADLINE_S)
    if t.is_alive():
        for s in servers:
            s.unplug()
        t.join(5)
        pytest.fail(f"third-party driver still running after {DEADLINE_S} s (hang)")
    if errors:
        raise errors[0]


@pytest.fixture
def pair() -> Iterator[tuple[VirtualR307, PtyServer, VirtualR307, PtyServer]]:
    a = VirtualR307(SimConfig(seed=11))
    b = VirtualR307(SimConfig(seed=12))
    with PtyServer(a) as sa, PtyServer(b) as sb:
        yield a, sa, b, sb


def test_pyfingerprint(
    pair: tuple[VirtualR307, PtyServer, VirtualR307, PtyServer], tmp_path: Path
) -> None:
    mod = pytest.importorskip("pyfingerprint.pyfingerprint", reason="pip install pyfingerprint")
    a, sa, b, sb = pair
    drivers: list[Any] = []

    def scenario() -> None:
        f = mod.PyFingerprint(sa.port, 57600, 0xFFFFFFFF, 0x00000000)
        drivers.append(f)
        assert f.verifyPassword() is True
        params = f.getSystemParameters()
        assert params[2:] == (1000, 3, 0xFFFFFFFF, 2, 6)
        assert f.getStorageCapacity() == 1000
        assert f.getMaxPacketSize() == 128
        assert f.getTemplateCount() == 0
        assert f.readImage() is False  # no finger yet
        a.place(ALICE)
        assert f.readImage() is True
        f.convertImage(0x01)
        assert f.searchTemplate() == (-1, -1)
        assert f.readImage() is True
        f.convertImage(0x02)
        assert f.compareCharacteristics() >= 60
        f.createTemplate()
        pos = f.storeTemplate()
        assert pos == 0 and f.getTemplateCount() == 1
        assert f.getTemplateIndex(0)[0] is True
        chars = f.downloadCharacteristics(0x01)  # UpChar
        assert len(chars) == 512 and chars[:2] == [0x03, 0x01]
        assert f.readImage() is True
        f.convertImage(0x01)
        found, score = f.searchTemplate()
        assert found == pos and score >= 50
        assert f.loadTemplate(pos, 0x02) is True
        assert f.compareCharacteristics() >= 50
        assert len(f.generateRandomNumber().to_bytes(4, "big")) == 4
        image = tmp_path / "finger.bmp"
        f.downloadImage(str(image))  # UpImage, decoded to 256 × 288 by the driver
        assert image.stat().st_size > 36864
        # A different finger does not match.
        a.place(BOB)
        assert f.readImage() is True
        f.convertImage(0x02)
        assert f.compareCharacteristics() == 0
        assert f.deleteTemplate(pos) is True
        assert f.getTemplateCount() == 0
        f.setSecurityLevel(4)
        assert f.getSecurityLevel() == 4
        assert f.clearDatabase() is True

        # DownChar into a second module (the driver reads it back to verify), then match.
        g = mod.PyFingerprint(sb.port, 57600, 0xFFFFFFFF, 0x00000000)
        drivers.append(g)
        assert g.verifyPassword() is True
        assert g.uploadCharacteristics(0x02, chars) is True
        b.place(ALICE)
        assert g.readImage() is True
        g.convertImage(0x01)
        assert g.compareCharacteristics() >= 60
        assert g.storeTemplate(7, 0x02) == 7
        found, _ = g.searchTemplate()
        assert found == 7

    try:
        run_with_deadline(scenario, sa, sb)
    finally:
        for d in drivers:
            d._PyFingerprint__serial.close()


def test_adafruit_circuitpython_fingerprint(
    pair: tuple[VirtualR307, PtyServer, VirtualR307, PtyServer],
) -> None:
    af = pytest.importorskip(
        "adafruit_fingerprint", reason="pip install adafruit-circuitpython-fingerprint"
    )
    a, sa, b, sb = pair
    ports: list[serial.Serial] = []

    def scenario() -> None:
        ua = serial.Serial(sa.port, 57600, timeout=1)
        ports.append(ua)
        fp = af.Adafruit_Fingerprint(ua)  # VfyPwd + ReadSysPara (exactly 28 bytes)
        assert (fp.library_size, fp.security_level, fp.data_packet_size, fp.baudrate) == (
            1000,
            3,
            2,
            6,
        )
        assert fp.device_address == b"\xff\xff\xff\xff"
        assert fp.count_templates() == af.OK and fp.template_count == 0
        assert fp.get_image() == af.NOFINGER
        a.place(ALICE)
        assert fp.get_image() == af.OK
        assert fp.image_2_tz(1) == af.OK
        assert fp.get_image() == af.OK
        assert fp.image_2_tz(2) == af.OK
        assert fp.compare_templates() == af.OK  # 14-byte Match reply
        assert fp.confidence[0] >= 60
        assert fp.create_model() == af.OK
        assert fp.store_model(3, 1) == af.OK
        assert fp.read_templates() == af.OK and fp.templates == [3]
        assert fp.count_templates() == af.OK and fp.template_count == 1
        assert fp.get_image() == af.OK and fp.image_2_tz(1) == af.OK
        assert fp.finger_search() == af.OK and fp.finger_id == 3  # 16-byte Search reply
        assert fp.finger_fast_search() == af.OK and fp.finger_id == 3
        assert fp.load_model(3, 2) == af.OK
        data = fp.get_fpdata("char", 1)  # UpChar
        assert len(data) == 512
        image = fp.get_fpdata("image")  # UpImage: 288 data packets of 128 bytes
        assert len(image) == 36864
        # Different finger: Match 08 and Search 09 still arrive at full length.
        a.place(BOB)
        assert fp.get_image() == af.OK and fp.image_2_tz(1) == af.OK
        assert fp.compare_templates() == af.NOMATCH
        assert fp.finger_search() == af.NOTFOUND and fp.finger_id == 0 and fp.confidence == 0
        assert fp.delete_model(3) == af.OK
        assert fp.count_templates() == af.OK and fp.template_count == 0
        assert fp.empty_library() == af.OK
        assert fp.set_sysparam(5, 2) == af.OK
        assert fp.read_sysparam() == af.OK and fp.security_level == 2

        # DownChar into a second module, then match a fresh capture against it.
        ub = serial.Serial(sb.port, 57600, timeout=1)
        ports.append(ub)
        fp2 = af.Adafruit_Fingerprint(ub)
        assert fp2.send_fpdata(data, "char", 2) is True
        b.place(ALICE)
        assert fp2.get_image() == af.OK and fp2.image_2_tz(1) == af.OK
        assert fp2.compare_templates() == af.OK and fp2.confidence[0] >= 60
        assert fp2.store_model(0, 2) == af.OK
        assert fp2.finger_search() == af.OK and fp2.finger_id == 0

    try:
        run_with_deadline(scenario, sa, sb)
    finally:
        for p in ports:
            p.close()
