"""Short sounds a person notices without looking: a tick per accepted capture, a chime when a
finger is saved (and checked), a low double tone when a task stops (``[ui] sounds``).

The sounds are made here, not recorded: :func:`synthesize` writes each as a few hundred
milliseconds of sine tones with soft edges, and ``resources/sounds/*.wav`` are exactly those
bytes (``python -m kiosk.ui.sounds resources/sounds`` writes them again; a test checks).

Playing them: PySide6-Essentials, which the station installs, has no QtMultimedia (it is in
the Addons wheel). So the desk uses, in order: ``QSoundEffect`` when QtMultimedia happens to
be installed; on Windows the standard library's ``winsound`` (asynchronous, no extra
package); elsewhere the desktop's own player (``paplay``, ``aplay`` or ``afplay``) started
detached; otherwise nothing, logged once. Playing never blocks the GUI thread.
"""

from __future__ import annotations

import importlib
import io
import logging
import math
import struct
import sys
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QStandardPaths, QUrl

from kiosk.paths import resource_dir

log = logging.getLogger(__name__)

RATE = 22050

#: Each sound: (frequency Hz, milliseconds) tones, one after the other.
TONES: dict[str, tuple[tuple[float, int], ...]] = {
    "accepted": ((1320.0, 70),),
    "success": ((784.0, 110), (1175.0, 190)),
    "failure": ((392.0, 170), (294.0, 260)),
}
SOUNDS = tuple(TONES)


def synthesize(name: str) -> bytes:
    """The WAV file of sound ``name`` (16-bit mono, 22.05 kHz), the same bytes every time."""
    frames = bytearray()
    for freq, ms in TONES[name]:
        n = RATE * ms // 1000
        edge = max(1, RATE * 8 // 1000)  # 8 ms fade in and out: no clicks
        for i in range(n):
            env = min(1.0, i / edge, (n - 1 - i) / edge)
            v = 0.32 * env * math.sin(2 * math.pi * freq * i / RATE)
            frames += struct.pack("<h", round(v * 32767))
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))
    return out.getvalue()


def sound_file(name: str) -> Path:
    return resource_dir() / "sounds" / f"{name}.wav"


def _player_command() -> list[str] | None:
    for exe in ("paplay", "aplay", "afplay"):
        found = QStandardPaths.findExecutable(exe)
        if found:
            return [found, "-q"] if exe == "aplay" else [found]
    return None


class Sounds(QObject):
    """Plays the desk's sounds when ``enabled()`` says so; remembers what it played."""

    def __init__(self, enabled: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._enabled = enabled
        #: The sounds asked for while enabled, in order (the desk's own record, for tests and
        #: diagnostics; the output device may still be silent).
        self.played: list[str] = []
        self.backend = ""
        self._effects: dict[str, Any] = {}
        self._play: Callable[[str], None] | None = None

    def play(self, name: str) -> None:
        if not self._enabled() or name not in TONES:
            return
        self.played.append(name)
        if self._play is None:
            self._play = self._choose()
        try:
            self._play(name)
        except Exception:
            log.warning("could not play the %s sound", name, exc_info=True)

    def _choose(self) -> Callable[[str], None]:
        try:
            mm = importlib.import_module("PySide6.QtMultimedia")
        except ImportError:
            mm = None
        if mm is not None:
            self.backend = "QSoundEffect"
            return lambda name: self._effect(mm, name)
        if sys.platform == "win32":
            import winsound

            flags = winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT
            self.backend = "winsound"
            return lambda name: winsound.PlaySound(str(sound_file(name)), flags)
        cmd = _player_command()
        if cmd is not None:
            self.backend = Path(cmd[0]).name
            return lambda name: self._detached(cmd, name)
        self.backend = "none"
        log.info("sounds are on, but this computer has no way to play them")
        return lambda name: None

    def _effect(self, mm: Any, name: str) -> None:
        effect = self._effects.get(name)
        if effect is None:
            effect = mm.QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(sound_file(name))))
            self._effects[name] = effect
        effect.play()

    @staticmethod
    def _detached(cmd: list[str], name: str) -> None:
        QProcess.startDetached(cmd[0], [*cmd[1:], str(sound_file(name))])


def write_all(folder: Path) -> list[Path]:
    """Write every sound into ``folder`` (``python -m kiosk.ui.sounds resources/sounds``)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in SOUNDS:
        p = folder / f"{name}.wav"
        p.write_bytes(synthesize(name))
        out.append(p)
    return out


__all__ = ["SOUNDS", "Sounds", "sound_file", "synthesize", "write_all"]

if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else resource_dir() / "sounds"):
        print(path)
