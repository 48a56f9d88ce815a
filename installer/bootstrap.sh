#!/usr/bin/env bash
# Tools for building and smoke-testing the Windows installer on Debian 12 (not needed for the
# normal test run, which scripts/bootstrap sets up): Wine, NSIS, msitools/wixl (MSI), mingw-w64 (the Wine-only
# stand-ins in installer/wine/ and kiosk-cli.exe), osslsigncode, openssl (test signing), Xvfb and
# ImageMagick (the drawn-GUI smoke test). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGES=(wine wine64 nsis msitools wixl gcc-mingw-w64-x86-64-win32 osslsigncode unzip openssl
          xvfb xauth imagemagick)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installer/bootstrap: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
scripts/bootstrap
