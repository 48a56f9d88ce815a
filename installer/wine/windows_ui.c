/* Wine-only stand-in for the Windows.UI.ViewManagement.UISettings runtime class.
 *
 * Qt's windows platform plugin reads the system colours through WinRT UISettings when it
 * builds its palette; every Windows 10/11 has that class, Wine 8 has none, and the C++/WinRT
 * exception that the failed activation raises ends the program (0xC0000409) before its first
 * window. This DLL answers with the default light theme (GetColorValue) so Qt's real Windows
 * backend can be exercised under Wine. It is copied into the test prefixes by prefix.sh and
 * registered there; it is never part of the installer (the smoke test checks).
 *
 * Only what Qt uses: activation, IUISettings (default interface, all getters E_NOTIMPL) and
 * IUISettings3 (GetColorValue; change events accepted and never raised).
 */
#include <windows.h>

typedef struct { BYTE A, R, G, B; } WinUIColor;
typedef struct { INT64 value; } EventToken;

static const GUID IID_IUnknown_ = {0x00000000, 0x0000, 0x0000, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};
static const GUID IID_IInspectable_ = {0xAF86E2E0, 0xB12D, 0x4C6A,
                                       {0x9C, 0x5A, 0xD7, 0xAA, 0x65, 0x10, 0x1E, 0x90}};
static const GUID IID_IActivationFactory_ = {0x00000035, 0x0000, 0x0000,
                                             {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};
static const GUID IID_IAgileObject_ = {0x94EA2B94, 0xE9CC, 0x49E0,
                                       {0xC0, 0xFF, 0xEE, 0x64, 0xCA, 0x8F, 0x5B, 0x90}};
static const GUID IID_IUISettings_ = {0x85361600, 0x1C63, 0x4627,
                                      {0xBC, 0xB1, 0x3A, 0x89, 0xE0, 0xBC, 0x9C, 0x55}};
static const GUID IID_IUISettings3_ = {0x03021BE4, 0x5254, 0x4781,
                                       {0x81, 0x94, 0x51, 0x68, 0xF7, 0xD0, 0x6D, 0x7B}};

typedef void *Slot;
struct object { const Slot *vtbl; };

/* One static object per interface; all share the same identity rules below. */
static struct object factory, settings, settings3;

static HRESULT WINAPI query(struct object *self, const GUID *iid, void **out) {
  if (out == NULL) return E_POINTER;
  *out = NULL;
  if (IsEqualGUID(iid, &IID_IUnknown_) || IsEqualGUID(iid, &IID_IInspectable_) ||
      IsEqualGUID(iid, &IID_IAgileObject_)) {
    *out = self;
  } else if (self == &factory) {
    if (IsEqualGUID(iid, &IID_IActivationFactory_)) *out = &factory;
  } else if (IsEqualGUID(iid, &IID_IUISettings_)) {
    *out = &settings;
  } else if (IsEqualGUID(iid, &IID_IUISettings3_)) {
    *out = &settings3;
  }
  return *out ? S_OK : E_NOINTERFACE;
}
static ULONG WINAPI add_ref(struct object *self) { (void)self; return 2; }
static ULONG WINAPI release(struct object *self) { (void)self; return 1; }
static HRESULT WINAPI get_iids(struct object *self, ULONG *count, GUID **iids) {
  (void)self;
  if (count) *count = 0;
  if (iids) *iids = NULL;
  return S_OK;
}
static HRESULT WINAPI not_implemented(struct object *self) { (void)self; return E_NOTIMPL; }
static HRESULT WINAPI trust_level(struct object *self, int *level) {
  (void)self;
  if (level) *level = 0; /* BaseTrust */
  return S_OK;
}
static HRESULT WINAPI activate(struct object *self, void **instance) {
  (void)self;
  if (instance == NULL) return E_POINTER;
  *instance = &settings;
  return S_OK;
}

/* UIColorType: Background, Foreground, AccentDark3..1, Accent, AccentLight1..3, Complement. */
static HRESULT WINAPI color_value(struct object *self, int type, WinUIColor *out) {
  static const WinUIColor colors[] = {
      {255, 255, 255, 255}, {255, 0, 0, 0},       {255, 0, 26, 104},   {255, 0, 51, 153},
      {255, 0, 84, 166},    {255, 0, 120, 215},   {255, 66, 156, 227}, {255, 118, 185, 237},
      {255, 166, 216, 255}, {255, 255, 255, 255},
  };
  (void)self;
  if (out == NULL) return E_POINTER;
  if (type < 0 || type >= (int)(sizeof colors / sizeof colors[0])) return E_INVALIDARG;
  *out = colors[type];
  return S_OK;
}
static HRESULT WINAPI add_event(struct object *self, void *handler, EventToken *token) {
  (void)self;
  (void)handler;
  if (token) token->value = 1;
  return S_OK;
}
static HRESULT WINAPI remove_event(struct object *self, EventToken token) {
  (void)self;
  (void)token;
  return S_OK;
}

#define INSPECTABLE (Slot)query, (Slot)add_ref, (Slot)release, (Slot)get_iids, \
                    (Slot)not_implemented, (Slot)trust_level
static const Slot factory_vtbl[] = {INSPECTABLE, (Slot)activate};
/* IUISettings: HandPreference ... UIElementColor (13 getters). */
static const Slot settings_vtbl[] = {
    INSPECTABLE,
    (Slot)not_implemented, (Slot)not_implemented, (Slot)not_implemented, (Slot)not_implemented,
    (Slot)not_implemented, (Slot)not_implemented, (Slot)not_implemented, (Slot)not_implemented,
    (Slot)not_implemented, (Slot)not_implemented, (Slot)not_implemented, (Slot)not_implemented,
    (Slot)not_implemented};
static const Slot settings3_vtbl[] = {INSPECTABLE, (Slot)color_value, (Slot)add_event,
                                      (Slot)remove_event};

static struct object factory = {factory_vtbl};
static struct object settings = {settings_vtbl};
static struct object settings3 = {settings3_vtbl};

__declspec(dllexport) HRESULT WINAPI DllGetActivationFactory(void *class_id, void **out) {
  (void)class_id; /* registered for Windows.UI.ViewManagement.UISettings only */
  if (out == NULL) return E_POINTER;
  *out = &factory;
  return S_OK;
}

__declspec(dllexport) HRESULT WINAPI DllCanUnloadNow(void) { return S_FALSE; }

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
  (void)instance;
  (void)reason;
  (void)reserved;
  return TRUE;
}
