#!/usr/bin/env bash
# Build the MSI from a one-dir build with wixl (Debian's msitools).
#   installer/msi/build-msi.sh <one-dir folder> <version> <out.msi>
set -euo pipefail
cd "$(dirname "$0")/../.."
# wixl wants paths relative to the working directory (the repository root).
APP=$(realpath --relative-to=. "$1")
VERSION=$2
OUT=$3
WORK=installer/build/msi
VERSION4=$(echo "$VERSION" | grep -oE '[0-9]+' | head -3 | paste -sd. -)
while [ "$(echo "$VERSION4" | tr -cd . | wc -c)" -lt 2 ]; do VERSION4=$VERSION4.0; done
rm -rf "$WORK" && mkdir -p "$WORK"
# One component per file, GUIDs derived from the paths (stable across builds).
"${PYTHON:-python3}" installer/msi/payload.py "$APP" "$WORK/payload.wxs"
wixl -a x64 -o "$OUT" \
  -D "Version=$VERSION" -D "Version4=$VERSION4" -D "PayloadDir=$APP" \
  -D "Icons=resources/icons" \
  installer/msi/kiosk.wxs "$WORK/payload.wxs"
echo "msi: $OUT ($(stat -c %s "$OUT") bytes, $(grep -c '<File ' "$WORK/payload.wxs") files)"
