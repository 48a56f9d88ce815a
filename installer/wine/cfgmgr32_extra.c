/*
 * Test-only cfgmgr32.dll for Wine 8, which lacks CM_MapCrToWin32Err (Windows 8+).
 *
 * pyserial's serial.tools.list_ports looks it up when imported, so without it the kiosk's port
 * discovery cannot even be imported under Wine. prefix.sh builds this DLL with every other
 * export forwarded to Wine's own cfgmgr32 (copied as wcfgmgr32.dll) and installs it in the
 * Wine prefixes used to build and smoke-test the installer, never in the installed program.
 */
#include <windows.h>

DWORD WINAPI CM_MapCrToWin32Err(DWORD cr, DWORD default_error)
{
    switch (cr) {
    case 0x00: return ERROR_SUCCESS;             /* CR_SUCCESS */
    case 0x02: return ERROR_NOT_ENOUGH_MEMORY;   /* CR_OUT_OF_MEMORY */
    case 0x13: return ERROR_FILE_NOT_FOUND;      /* CR_NO_SUCH_VALUE */
    case 0x1A: return ERROR_INSUFFICIENT_BUFFER; /* CR_BUFFER_SMALL */
    default: return default_error;
    }
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance; (void)reason; (void)reserved;
    return TRUE;
}
