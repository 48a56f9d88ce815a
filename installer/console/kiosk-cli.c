/* kiosk-cli.exe: the console face of kiosk.exe.
 *
 * The station ships one program, kiosk.exe (windowed: no console window behind the kiosk
 * screen), with every technician command as a subcommand. A windowed program cannot be waited
 * for by cmd and has no console output, so this small console program starts kiosk.exe from
 * its own folder with the same arguments, hands it its console's standard handles, waits for
 * it and returns its exit code. One Python archive serves both (no second frozen copy).
 *
 * Ctrl+C / Ctrl+Break / closing the console end kiosk.exe too (it has no console of its own
 * to receive the signal); the station database is safe against that (WAL, one commit per
 * record).
 *
 * Built with mingw-w64 by installer/build.sh: x86_64-w64-mingw32-gcc -municode -O2 -s.
 */
#include <windows.h>

#include <wchar.h>

static HANDLE child = NULL;

static BOOL WINAPI on_console_event(DWORD type) {
  (void)type;
  if (child != NULL) TerminateProcess(child, 130);
  return TRUE; /* keep this process alive to report the exit code */
}

/* The command line after this program's own name (quoted or not). */
static const wchar_t* arguments(const wchar_t* cmd) {
  if (*cmd == L'"') {
    ++cmd;
    while (*cmd && *cmd != L'"') ++cmd;
    if (*cmd == L'"') ++cmd;
  } else {
    while (*cmd && *cmd != L' ' && *cmd != L'\t') ++cmd;
  }
  while (*cmd == L' ' || *cmd == L'\t') ++cmd;
  return cmd;
}

static void fail(const wchar_t* what, DWORD err) {
  wchar_t text[512];
  DWORD written = 0;
  int n = swprintf(text, 512, L"kiosk-cli: %ls (error %lu). Reinstall Fingerprint Kiosk.\r\n",
                   what, (unsigned long)err);
  HANDLE out = GetStdHandle(STD_ERROR_HANDLE);
  if (n > 0 && out != NULL && out != INVALID_HANDLE_VALUE) {
    if (!WriteConsoleW(out, text, (DWORD)n, &written, NULL)) {
      char narrow[1024];
      int len = WideCharToMultiByte(CP_UTF8, 0, text, n, narrow, sizeof narrow, NULL, NULL);
      if (len > 0) WriteFile(out, narrow, (DWORD)len, &written, NULL);
    }
  }
}

int wmain(void) {
  wchar_t exe[MAX_PATH + 16];
  DWORD len = GetModuleFileNameW(NULL, exe, MAX_PATH);
  if (len == 0 || len >= MAX_PATH) {
    fail(L"cannot find its own folder", GetLastError());
    return 1;
  }
  wchar_t* slash = wcsrchr(exe, L'\\');
  if (slash == NULL) {
    fail(L"cannot find its own folder", 0);
    return 1;
  }
  wcscpy(slash + 1, L"kiosk.exe");

  const wchar_t* args = arguments(GetCommandLineW());
  size_t size = wcslen(exe) + wcslen(args) + 4;
  wchar_t* line = (wchar_t*)HeapAlloc(GetProcessHeap(), 0, size * sizeof(wchar_t));
  if (line == NULL) return 1;
  swprintf(line, size, L"\"%ls\"%ls%ls", exe, *args ? L" " : L"", args);

  STARTUPINFOW si;
  PROCESS_INFORMATION pi;
  ZeroMemory(&si, sizeof si);
  ZeroMemory(&pi, sizeof pi);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
  si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
  si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
  SetConsoleCtrlHandler(on_console_event, TRUE);
  if (!CreateProcessW(exe, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
    fail(L"cannot start kiosk.exe", GetLastError());
    return 1;
  }
  child = pi.hProcess;
  CloseHandle(pi.hThread);
  WaitForSingleObject(pi.hProcess, INFINITE);
  DWORD code = 1;
  GetExitCodeProcess(pi.hProcess, &code);
  CloseHandle(pi.hProcess);
  return (int)code;
}
