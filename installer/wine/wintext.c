/* wintext.exe: what a person would read on the Windows desktop, for the GUI smoke test.
 *
 *   wintext.exe             one line per visible top-level window: TITLE<TAB>CLASS<TAB>WxH,
 *                           then its child controls' texts indented (message box texts)
 *   wintext.exe close TITLE close the top-level windows with that title (the OK of a box)
 *
 * Output is UTF-8. A test tool for Wine only; never part of the installer.
 */
#include <windows.h>

#include <stdio.h>
#include <wchar.h>

static void put(const wchar_t* text) {
  char buf[4096];
  int n = WideCharToMultiByte(CP_UTF8, 0, text, -1, buf, sizeof buf, NULL, NULL);
  if (n > 0) fputs(buf, stdout);
}

static BOOL CALLBACK on_child(HWND hwnd, LPARAM unused) {
  (void)unused;
  wchar_t text[1024];
  wchar_t cls[128];
  if (GetWindowTextW(hwnd, text, 1024) > 0 && IsWindowVisible(hwnd)) {
    GetClassNameW(hwnd, cls, 128);
    put(L"  ");
    put(cls);
    put(L"\t");
    put(text);
    put(L"\n");
  }
  return TRUE;
}

static const wchar_t* wanted = NULL;

static BOOL CALLBACK on_window(HWND hwnd, LPARAM unused) {
  (void)unused;
  wchar_t title[512];
  wchar_t cls[128];
  if (!IsWindowVisible(hwnd) || GetWindowTextW(hwnd, title, 512) == 0) return TRUE;
  if (wanted != NULL) {
    if (wcscmp(title, wanted) == 0) PostMessageW(hwnd, WM_CLOSE, 0, 0);
    return TRUE;
  }
  RECT r;
  GetWindowRect(hwnd, &r);
  GetClassNameW(hwnd, cls, 128);
  wchar_t size[64];
  swprintf(size, 64, L"%ldx%ld", r.right - r.left, r.bottom - r.top);
  put(title);
  put(L"\t");
  put(cls);
  put(L"\t");
  put(size);
  put(L"\n");
  EnumChildWindows(hwnd, on_child, 0);
  return TRUE;
}

int wmain(int argc, wchar_t** argv) {
  if (argc == 3 && wcscmp(argv[1], L"close") == 0) wanted = argv[2];
  EnumWindows(on_window, 0);
  fflush(stdout);
  return 0;
}
