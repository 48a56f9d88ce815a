#!/usr/bin/env bash
# Smoke-test the built Windows setup under Wine in a fresh prefix: silent install with options,
# the installed kiosk-cli.exe/kiosk.exe --self-test, upgrade over itself keeping the data,
# uninstall keeping the data, reinstall elsewhere, uninstall with /REMOVEDATA=1, then a signed
# provisioning file (refused when tampered, imported when genuine).
# Extra arguments go to pytest. KIOSK_SETUP=path/to/setup.exe tests another build.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || scripts/bootstrap
t0=$(date +%s)
rc=0
KIOSK_RUN_INSTALLER=1 .venv/bin/python -m pytest -p no:cacheprovider -v -rA \
  tests/installer/test_windows_installer.py "$@" || rc=$?
echo "installer smoke test: $([ $rc = 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - t0 )) s"
exit $rc
