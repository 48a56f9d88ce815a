"""Split the Windows lock for pip's download steps (installer/build.sh and the workflow).

    python installer/split_lock.py requirements/station-win.txt OUT_DIR

Writes ``wheels.txt`` (every pin with a wheel, with its hashes), ``sdists.txt`` (pefile, which
publishes only a source archive; built into a wheel after its hash-checked download) and
``pins.txt`` (``name==version`` of everything the build environment installs; pip itself runs
from its wheel and is not installed).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SDIST_ONLY = ("pefile==",)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    text = Path(argv[0]).read_text(encoding="utf-8")
    entries = [e for e in re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 1)[1]) if e.strip()]
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    wheels = [e for e in entries if not e.startswith(SDIST_ONLY)]
    sdists = [e for e in entries if e.startswith(SDIST_ONLY)]
    (out / "wheels.txt").write_text("\n".join(wheels) + "\n", encoding="utf-8")
    (out / "sdists.txt").write_text("\n".join(sdists) + "\n", encoding="utf-8")
    pins = [e.split()[0] for e in entries if not e.startswith("pip==")]
    (out / "pins.txt").write_text("\n".join(pins) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
