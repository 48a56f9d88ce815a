#!/usr/bin/env bash
# Linux one-dir build with the same spec as the Windows installer, then the same self-test.
#
# A quick check that the spec still collects everything (modules, Qt plugins, migrations as
# files) without the slow Wine round trip. Output: installer/build/linux/dist/kiosk/.
# Uses its own virtualenv (installer/build/linux/venv) so the development venv stays light.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=installer/build/linux
VENV=$OUT/venv
PY=${PYTHON:-python3}

LOCK=requirements/station.txt   # station runtime + build tools, hash-pinned (make lock)

start=$(date +%s)
stamp=$VENV/.installed-$(sha256sum "$LOCK" | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "build-linux: creating $VENV from $LOCK"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --require-hashes --only-binary :all: -r "$LOCK"
  touch "$stamp"
fi

echo "build-linux: PyInstaller"
"$VENV/bin/python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$OUT/dist" --workpath "$OUT/work" installer/kiosk.spec

APP=$OUT/dist/kiosk
echo "build-linux: built $(du -sh "$APP" | cut -f1) in $(( $(date +%s) - start )) s"

if [ "${1:-}" != "--no-self-test" ]; then
  echo "build-linux: self-test of the frozen build"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # A clean environment: nothing from the source tree or the venv may leak in.
  env -i HOME="$tmp" PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 \
    "$ROOT/$APP/kiosk" --self-test --data-dir "$tmp/data"
fi
