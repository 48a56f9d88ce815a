# Sourced by build.sh and the smoke test: a Wine prefix fit for the Windows build.
#   wine_prefix_init <prefix>      (prefixes go under $KIOSK_WINE_HOME)
#
# Prefixes live OUTSIDE the source tree: a prefix links its Z: drive to "/", and anything that
# walks the tree following symlinks (setuptools' package discovery in `pip install -e .`) would
# never finish. Default: ${XDG_CACHE_HOME:-~/.cache}/fingerprint-kiosk/wine.
#
# Wine 8 (Debian 12) lacks three system parts every Windows 10/11 has, and the program needs:
#   * bcryptprimitives.dll!ProcessPrng  - imported by Rust-built extensions (cryptography);
#   * cfgmgr32.dll!CM_MapCrToWin32Err   - looked up by pyserial's list_ports on import;
#   * the WinRT class Windows.UI.ViewManagement.UISettings - Qt's windows platform plugin reads
#     the system colours from it; without it the GUI aborts before its first window.
# Small stand-in DLLs (sources next to this file) are compiled with mingw-w64 and copied into
# the prefix's system32. They are test fixtures for Wine only and never part of the installer.
# wintext.exe (also built here) lists the windows on the desktop for the GUI smoke test.
WINE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KIOSK_WINE_HOME=${KIOSK_WINE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/fingerprint-kiosk/wine}
WINE_SHIMS=$WINE_DIR/../build/shims
MINGW=x86_64-w64-mingw32

_wine_cc() {  # out.dll src.c def [libs...]
  local out=$1 src=$2 def=$3; shift 3
  "$MINGW-gcc" -O2 -shared -nostartfiles -Wl,--entry,DllMain -o "$out" "$src" "$def" "$@"
}

wine_prefix_init() {
  local repo
  repo=$(cd "$WINE_DIR/../.." && pwd)
  mkdir -p "$1"
  case "$(cd "$1" && pwd)/" in
    "$repo"/*) echo "refusing a Wine prefix inside the source tree: $1" >&2; return 1 ;;
  esac
  export WINEPREFIX=$1 WINEARCH=win64 WINEDEBUG=-all
  # No desktop integration, no Mono/Gecko download prompts; prefer the cfgmgr32 stand-in.
  export WINEDLLOVERRIDES="winemenubuilder.exe=d;mscoree=d;mshtml=d;cfgmgr32=n,b"
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    echo "creating Wine prefix $(basename "$WINEPREFIX")"
    wineboot -i >/dev/null 2>&1 || true
    # Debian's Wine 8 makes new prefixes Windows 7; the program needs Windows 10 1809+.
    wine winecfg -v win10 >/dev/null 2>&1
    wineserver -w
  fi
  local sys32=$WINEPREFIX/drive_c/windows/system32
  mkdir -p "$WINE_SHIMS"

  if [ ! -f "$WINE_SHIMS/bcryptprimitives.dll" ] ||
     [ "$WINE_DIR/bcryptprimitives.c" -nt "$WINE_SHIMS/bcryptprimitives.dll" ]; then
    _wine_cc "$WINE_SHIMS/bcryptprimitives.dll" "$WINE_DIR/bcryptprimitives.c" \
      "$WINE_DIR/bcryptprimitives.def" -lbcrypt
  fi
  cp -f "$WINE_SHIMS/bcryptprimitives.dll" "$sys32/bcryptprimitives.dll"

  # Keep Wine's own cfgmgr32 as wcfgmgr32.dll and forward every export of it.
  if [ ! -f "$sys32/wcfgmgr32.dll" ]; then
    grep -q "Wine builtin DLL" "$sys32/cfgmgr32.dll" || {
      echo "unexpected cfgmgr32.dll in $sys32" >&2; return 1; }
    cp "$sys32/cfgmgr32.dll" "$sys32/wcfgmgr32.dll"
  fi
  if [ ! -f "$WINE_SHIMS/cfgmgr32.dll" ] ||
     [ "$WINE_DIR/cfgmgr32_extra.c" -nt "$WINE_SHIMS/cfgmgr32.dll" ]; then
    {
      echo "LIBRARY cfgmgr32.dll"
      echo "EXPORTS"
      "$MINGW-objdump" -p "$sys32/wcfgmgr32.dll" |
        sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/{/Pointer\] Table/d;s/^.*\] //p;}' |
        grep -vx "CM_MapCrToWin32Err" | sed 's/.*/    & = wcfgmgr32.&/'
      echo "    CM_MapCrToWin32Err"
    } > "$WINE_SHIMS/cfgmgr32.def"
    _wine_cc "$WINE_SHIMS/cfgmgr32.dll" "$WINE_DIR/cfgmgr32_extra.c" "$WINE_SHIMS/cfgmgr32.def"
  fi
  cp -f "$WINE_SHIMS/cfgmgr32.dll" "$sys32/cfgmgr32.dll"

  if [ ! -f "$WINE_SHIMS/windows.ui.dll" ] ||
     [ "$WINE_DIR/windows_ui.c" -nt "$WINE_SHIMS/windows.ui.dll" ]; then
    _wine_cc "$WINE_SHIMS/windows.ui.dll" "$WINE_DIR/windows_ui.c" "$WINE_DIR/windows_ui.def"
  fi
  cp -f "$WINE_SHIMS/windows.ui.dll" "$sys32/windows.ui.dll"
  if ! grep -q 'Windows.UI.ViewManagement.UISettings' "$WINEPREFIX/system.reg"; then
    wine reg add 'HKLM\Software\Microsoft\WindowsRuntime\ActivatableClassId\Windows.UI.ViewManagement.UISettings' \
      /v DllPath /t REG_SZ /d 'C:\windows\system32\windows.ui.dll' /f >/dev/null 2>&1
  fi
  if [ ! -f "$WINE_SHIMS/wintext.exe" ] || [ "$WINE_DIR/wintext.c" -nt "$WINE_SHIMS/wintext.exe" ]; then
    "$MINGW-gcc" -municode -O2 -s -o "$WINE_SHIMS/wintext.exe" "$WINE_DIR/wintext.c"
  fi
}
