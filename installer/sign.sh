#!/usr/bin/env bash
# Authenticode-sign Windows executables with osslsigncode, when a certificate is configured.
#
#   installer/sign.sh FILE.exe...
#
# Configure one of:
#   KIOSK_SIGN_CERT=cert.pem (or .spc/.crt chain)  KIOSK_SIGN_KEY=key.pem  [KIOSK_SIGN_PASS=...]
#   KIOSK_SIGN_PFX=cert.pfx                         [KIOSK_SIGN_PASS=...]
#   KIOSK_SIGN_PKCS11_MODULE=/path/module.so KIOSK_SIGN_PKCS11_KEY=pkcs11:... KIOSK_SIGN_CERT=...
# Optional: KIOSK_SIGN_TIMESTAMP_URL (default http://timestamp.digicert.com; "none" to skip),
#           KIOSK_SIGN_REQUIRED=1 to fail instead of leaving an unsigned build.
# Without a certificate every file is left as is and the build is announced as UNSIGNED.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 FILE.exe..." >&2; exit 2; }

TS_URL=${KIOSK_SIGN_TIMESTAMP_URL:-http://timestamp.digicert.com}
args=()
if [ -n "${KIOSK_SIGN_PFX:-}" ]; then
  args=(-pkcs12 "$KIOSK_SIGN_PFX")
elif [ -n "${KIOSK_SIGN_PKCS11_MODULE:-}" ] && [ -n "${KIOSK_SIGN_CERT:-}" ]; then
  args=(-pkcs11module "$KIOSK_SIGN_PKCS11_MODULE" -key "${KIOSK_SIGN_PKCS11_KEY:?}"
        -certs "$KIOSK_SIGN_CERT")
elif [ -n "${KIOSK_SIGN_CERT:-}" ] && [ -n "${KIOSK_SIGN_KEY:-}" ]; then
  args=(-certs "$KIOSK_SIGN_CERT" -key "$KIOSK_SIGN_KEY")
fi

if [ ${#args[@]} -eq 0 ]; then
  echo "*** UNSIGNED build: no signing certificate configured" \
       "(set KIOSK_SIGN_PFX, or KIOSK_SIGN_CERT + KIOSK_SIGN_KEY). Not signed: $*"
  if [ "${KIOSK_SIGN_REQUIRED:-0}" = 1 ]; then
    echo "KIOSK_SIGN_REQUIRED=1: refusing to produce an unsigned build" >&2
    exit 1
  fi
  exit 0
fi
command -v osslsigncode >/dev/null || { echo "osslsigncode is not installed" >&2; exit 1; }
[ -n "${KIOSK_SIGN_PASS:-}" ] && args+=(-pass "$KIOSK_SIGN_PASS")
[ "$TS_URL" != none ] && args+=(-ts "$TS_URL")

for f in "$@"; do
  tmp="$f.signing"
  osslsigncode sign "${args[@]}" -h sha256 -n "Fingerprint Kiosk" -in "$f" -out "$tmp" >/dev/null
  mv -f "$tmp" "$f"
  # Check a signature is embedded (a full verify fails for test certificates without a
  # trusted root, so only the structure is checked here).
  rm -f "$f.sig"
  osslsigncode extract-signature -in "$f" -out "$f.sig" >/dev/null
  [ -s "$f.sig" ] || { echo "no signature in $f after signing" >&2; exit 1; }
  rm -f "$f.sig"
  echo "signed: $f"
done
