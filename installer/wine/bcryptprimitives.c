/*
 * Test-only stand-in for Windows' bcryptprimitives.dll, which Wine 8 lacks.
 *
 * Programs built with Rust 1.78+ (cryptography's _rust.pyd among them) import ProcessPrng from
 * bcryptprimitives.dll, present on every Windows 10/11. This shim is copied into the Wine
 * prefixes used to build and smoke-test the installer, never into the installed program.
 * It forwards to BCryptGenRandom with the system RNG.
 */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance; (void)reason; (void)reserved;
    return TRUE;
}
