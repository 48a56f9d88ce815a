#!/usr/bin/env bash
# Authenticode-sign Windows programs and installers (.exe, .msi) with osslsigncode.
#
#   installer/sign.sh FILE...
#
# Configure one of:
#   KIOSK_SIGN_PFX=cert.pfx                          a PKCS#12 file
#   KIOSK_SIGN_CERT=chain.pem KIOSK_SIGN_KEY=key.pem  PEM/SPC certificate chain and key
#   KIOSK_SIGN_PKCS11_MODULE=/path/module.so KIOSK_SIGN_PKCS11_KEY=pkcs11:... KIOSK_SIGN_CERT=...
# The key's password comes from KIOSK_SIGN_PASS_FILE (a file; preferred) or KIOSK_SIGN_PASS (the
# environment) and reaches osslsigncode on its standard input or as that file: never on a
# command line, where every user of the machine could read it in the process list.
# Optional: KIOSK_SIGN_TIMESTAMP_URL (default http://timestamp.digicert.com; "none" to skip),
#           KIOSK_SIGN_REQUIRED=1 to fail instead of leaving an unsigned build,
#           KIOSK_SIGN_TEST=1 to sign with a throwaway self-signed certificate made on first use
#           (installer/build/test-signing/; for the smoke test of the signing path, never a
#           release: Windows does not trust it).
# Without a certificate every file is left as is and the build is announced as UNSIGNED.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 FILE..." >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)

if [ -z "${KIOSK_SIGN_PFX:-}${KIOSK_SIGN_CERT:-}${KIOSK_SIGN_PKCS11_MODULE:-}" ] &&
   [ "${KIOSK_SIGN_TEST:-0}" = 1 ]; then
  TEST=$HERE/build/test-signing
  if [ ! -f "$TEST/test.pfx" ]; then
    mkdir -p "$TEST" && chmod 700 "$TEST"
    ( umask 077
      openssl rand -hex 16 > "$TEST/password"
      openssl req -x509 -newkey rsa:3072 -sha256 -days 30 -nodes -keyout "$TEST/key.pem" \
        -out "$TEST/cert.pem" -subj "/CN=Fingerprint Kiosk TEST signing (not trusted)" \
        -addext "extendedKeyUsage=codeSigning" 2>/dev/null
      openssl pkcs12 -export -in "$TEST/cert.pem" -inkey "$TEST/key.pem" -out "$TEST/test.pfx" \
        -passout "file:$TEST/password"
      rm -f "$TEST/key.pem" )
  fi
  export KIOSK_SIGN_PFX=$TEST/test.pfx KIOSK_SIGN_PASS_FILE=$TEST/password
  export KIOSK_SIGN_TIMESTAMP_URL=none
  echo "*** TEST-SIGNED build: throwaway certificate, not trusted by Windows"
fi

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
[ "$TS_URL" != none ] && args+=(-ts "$TS_URL")

for f in "$@"; do
  tmp="$f.signing"
  rm -f "$tmp"
  if [ -n "${KIOSK_SIGN_PASS_FILE:-}" ]; then
    osslsigncode sign "${args[@]}" -readpass "$KIOSK_SIGN_PASS_FILE" -h sha256 \
      -n "Fingerprint Kiosk" -in "$f" -out "$tmp" >/dev/null
  elif [ -n "${KIOSK_SIGN_PASS:-}" ]; then
    printf '%s' "$KIOSK_SIGN_PASS" | osslsigncode sign "${args[@]}" -readpass - -h sha256 \
      -n "Fingerprint Kiosk" -in "$f" -out "$tmp" >/dev/null
  else
    osslsigncode sign "${args[@]}" -h sha256 -n "Fingerprint Kiosk" -in "$f" -out "$tmp" \
      >/dev/null
  fi
  mv -f "$tmp" "$f"
  # Check a signature is embedded (a full verify fails for test certificates without a
  # trusted root, so only the structure is checked here).
  rm -f "$f.sig"
  osslsigncode extract-signature -in "$f" -out "$f.sig" >/dev/null
  [ -s "$f.sig" ] || { echo "no signature in $f after signing" >&2; exit 1; }
  rm -f "$f.sig"
  echo "signed: $(basename "$f")"
done
