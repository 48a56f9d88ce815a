; Fingerprint Kiosk — Windows setup (NSIS 3).
;
; makensis -DVERSION=0.1.0 -DPAYLOAD=<one-dir build folder> -DOUTFILE=<setup.exe> kiosk.nsi
; (installer/build.sh passes these.) Command-line options of the setup and the uninstaller are
; documented in installer/README.md; in short:
;   setup.exe [/S] [/D=C:\Path] [/AUTOSTART=0|1] [/DESKTOP=0|1]
;             [/PROVISION=C:\path\STATION.SECRET.kioskprov [/TRUSTKEY=<fingerprint>]]
;             [/PROVISION=C:\path\config.toml]
;   uninstall.exe [/S] [/REMOVEDATA=1]
;
; The MSI (installer/msi/) offers the same options as properties for Group Policy and Intune.
;
; Program files go to Program Files (per machine); the station data (database, config, logs,
; backups) lives in %ProgramData%\FingerprintKiosk — the folder kiosk/paths.py resolves through
; platformdirs.site_data_dir("FingerprintKiosk", appauthor=False) — and is never touched by an
; upgrade. Every local user may modify it (BUILTIN\Users, by SID so it works in any language).
;
; Exit codes: 0 installed; 1 cancelled; 2 provisioning file not found; 3 not 64-bit Windows;
; 4 the signed provisioning file was refused (the program is installed, the station settings are
; unchanged); 5 the provisioning step could not run or failed otherwise; 6 Windows older than
; Windows 10 version 1809 (build 17763, what Qt 6.9 needs); 7 this PC has the MSI installed
; (upgrade it with the MSI, or uninstall that first).
;
; Upgrade: a running kiosk is stopped, the program files replaced,
; the station database migrated right away (kiosk-cli db migrate, after a backup; output in
; logs\upgrade-install.log), and a kiosk that was running is started again in the session of
; the user who is signed in (through a one-off scheduled task for the Users group, so it also
; works when the setup runs as SYSTEM from Intune or Group Policy).

Unicode true
; 64-bit setup: the program is 64-bit, and a 32-bit setup does not run on 64-bit-only Wine.
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef PAYLOAD
  !error "pass -DPAYLOAD=<folder with kiosk.exe and _internal>"
!endif
!ifndef OUTFILE
  !define OUTFILE "FingerprintKiosk-Setup-${VERSION}.exe"
!endif
!ifndef VERSION4
  !define VERSION4 "${VERSION}.0"
!endif

; -DSIGN_CMD=<command>: sign the uninstaller as it is written into the setup (NSIS >= 3.08).
!ifdef SIGN_CMD
  !uninstfinalize '${SIGN_CMD} "%1"'
!endif

!define APP "Fingerprint Kiosk"
!define APPID "FingerprintKiosk"
!define PUBLISHER "FingerprintKiosk"
!define REGKEY "Software\${APPID}"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"
!define RUNKEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define USERS_SID "*S-1-5-32-545"
!define PROVISION_LOG "provision-install.log"
!define UPGRADE_LOG "upgrade-install.log"
!define MIN_BUILD 17763
!define RESTART_TASK "FingerprintKiosk-restart"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPID}"
InstallDirRegKey HKLM "${REGKEY}" "InstallDir"
BrandingText "${APP} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION4}"
VIAddVersionKey /LANG=1033 "ProductName" "${APP}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP} setup"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "Proprietary"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "TextFunc.nsh"
!include "LogicLib.nsh"
!include "nsDialogs.nsh"
!include "Sections.nsh"
!include "x64.nsh"
!include "WinVer.nsh"
!include "StrFunc.nsh"
${Using:StrFunc} StrLoc

!ifdef ICONS
  !define MUI_ICON "${ICONS}\setup.ico"
  !define MUI_UNICON "${ICONS}\setup.ico"
!endif

Var DataDir
Var Provision
Var ProvisionSigned
Var TrustKey
Var RemoveData
Var RemoveDataBox
Var PreviousVersion
Var WasRunning

!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_SMALLDESC
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
UninstPage custom un.DataPageCreate un.DataPageLeave
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

; ------------------------------------------------------------------------------ helpers

!macro StopPrograms
  ; Files of a running program cannot be replaced, so the kiosk is ended (it asks for a PIN
  ; before closing, so it is not asked); the store survives a hard stop (WAL, one commit per
  ; record). taskkill's exit code says whether a kiosk was running: it is started again.
  nsExec::Exec 'taskkill /F /IM kiosk.exe'
  Pop $0
  ${If} $0 == "0"
    StrCpy $WasRunning "1"
    DetailPrint "Stopped the running kiosk; it starts again after the upgrade."
  ${EndIf}
  nsExec::Exec 'taskkill /F /IM kiosk-cli.exe'
  Pop $0
  ; Programs of earlier versions.
  nsExec::Exec 'taskkill /F /IM kiosk-sim.exe'
  Pop $0
  nsExec::Exec 'taskkill /F /IM kiosk-central.exe'
  Pop $0
  Sleep 500
!macroend

!macro RemoveProgramFiles
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\kiosk.exe"
  Delete "$INSTDIR\kiosk-cli.exe"
  ; Programs of earlier versions (the virtual sensor is "kiosk-cli sim" now; the central
  ; service is a package of its own).
  Delete "$INSTDIR\kiosk-sim.exe"
  Delete "$INSTDIR\kiosk-central.exe"
!macroend

; ------------------------------------------------------------------------------ install

Section "${APP} (required)" SecMain
  SectionIn RO
  ${If} $PreviousVersion != ""
    DetailPrint "Upgrading ${APP} $PreviousVersion to ${VERSION}; station data is kept."
  ${EndIf}
  !insertmacro StopPrograms
  ; Replace the program files wholesale so nothing of an older version lingers.
  !insertmacro RemoveProgramFiles
  SetOutPath "$INSTDIR"
  File /r "${PAYLOAD}\*.*"

  ; Station data folder: created once, shared by every user of the station, kept on upgrade.
  CreateDirectory "$DataDir"
  CreateDirectory "$DataDir\logs"
  CreateDirectory "$DataDir\backups"
  DetailPrint "Station data: $DataDir"
  nsExec::ExecToLog 'icacls "$DataDir" /grant ${USERS_SID}:(OI)(CI)M /T /C /Q'
  Pop $0
  ${If} $0 != "0"
    DetailPrint "Warning: could not grant Users write access to $DataDir (icacls: $0)"
  ${EndIf}

  ${If} $Provision != ""
  ${AndIf} $ProvisionSigned != "1"
    ${If} ${FileExists} "$DataDir\config.toml"
      Delete "$DataDir\config.toml.before-provision"
      Rename "$DataDir\config.toml" "$DataDir\config.toml.before-provision"
    ${EndIf}
    CopyFiles /SILENT "$Provision" "$DataDir\config.toml"
    DetailPrint "Installed station settings from $Provision"
  ${EndIf}

  ; Registry: where we are, and the entry in Apps & features.
  WriteRegStr HKLM "${REGKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${REGKEY}" "Version" "${VERSION}"
  WriteRegStr HKLM "${REGKEY}" "DataDir" "$DataDir"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\kiosk.exe"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" "$0"

  ; Start menu (all users).
  CreateDirectory "$SMPROGRAMS\${APP}"
  CreateShortCut "$SMPROGRAMS\${APP}\${APP}.lnk" "$INSTDIR\kiosk.exe"
  CreateShortCut "$SMPROGRAMS\${APP}\${APP} (training, simulated sensor).lnk" \
    "$INSTDIR\kiosk.exe" "--simulate"
  CreateShortCut "$SMPROGRAMS\${APP}\Station data folder.lnk" "$DataDir"
  CreateShortCut "$SMPROGRAMS\${APP}\Uninstall ${APP}.lnk" "$INSTDIR\uninstall.exe"

  ; The autostart section below re-adds this when selected.
  DeleteRegValue HKLM "${RUNKEY}" "${APPID}"
  Delete "$DESKTOP\${APP}.lnk"

  ; An existing station database is migrated now (after a backup), not at the next start:
  ; a failure shows in the log while IT is looking, and the kiosk starts at once afterwards.
  ${If} ${FileExists} "$DataDir\kiosk.sqlite3"
    DetailPrint "Migrating the station database (a backup is taken first) ..."
    System::Call 'kernel32::SetEnvironmentVariable(t "PYTHONIOENCODING", t "utf-8")'
    nsExec::Exec '"$SYSDIR\cmd.exe" /S /C ""$INSTDIR\kiosk-cli.exe" db migrate --data-dir "$DataDir" >> "$DataDir\logs\${UPGRADE_LOG}" 2>&1"'
    Pop $0
    ${If} $0 == "0"
      DetailPrint "Station database migrated (logs\${UPGRADE_LOG})."
    ${Else}
      DetailPrint "The database migration failed (exit code $0); see logs\${UPGRADE_LOG}. The kiosk retries at its next start."
    ${EndIf}
  ${EndIf}
SectionEnd

Section "Start the kiosk when a user logs in" SecAutostart
  WriteRegStr HKLM "${RUNKEY}" "${APPID}" '"$INSTDIR\kiosk.exe"'
  DetailPrint "The kiosk starts at every log-in (HKLM Run key)."
SectionEnd

Section /o "Desktop shortcut" SecDesktop
  CreateShortCut "$DESKTOP\${APP}.lnk" "$INSTDIR\kiosk.exe"
SectionEnd

; A signed provisioning file (*.kioskprov) is imported by the installed program, last, once the
; program, its registry entries and the uninstaller are in place: `kiosk-cli provision` checks
; central's signature, pins its key, stores the password in the secret store, writes config.toml
; and tests the connection (an unreachable broker does not fail it). Its output (never the
; password) is appended to logs\provision-install.log in the data folder.
Section "-Import the provisioning file" SecProvision
  ${If} $ProvisionSigned != "1"
    Return
  ${EndIf}
  ${If} $TrustKey != ""
    StrCpy $R3 '--trust-key "$TrustKey"'
  ${Else}
    StrCpy $R3 "--trust-on-first-use"
  ${EndIf}
  StrCpy $R4 "$DataDir\logs\${PROVISION_LOG}"
  ; A header for this run; remember where it starts so only this run is shown below.
  ${GetTime} "" "L" $0 $1 $2 $3 $4 $5 $6
  ClearErrors
  FileOpen $R5 "$R4" a
  ${If} ${Errors}
    StrCpy $R6 0
  ${Else}
    FileSeek $R5 0 END $R6
    FileWrite $R5 "=== $2-$1-$0 $4:$5:$6 setup ${VERSION}: kiosk-cli provision $Provision $R3$\r$\n"
    FileClose $R5
  ${EndIf}
  DetailPrint "Importing the station's provisioning file $Provision ($R3) ..."
  ; UTF-8 output whatever the console code page; cmd /S /C "<command line>" strips the outer
  ; quotes and redirects the output.
  System::Call 'kernel32::SetEnvironmentVariable(t "PYTHONIOENCODING", t "utf-8")'
  nsExec::Exec '"$SYSDIR\cmd.exe" /S /C ""$INSTDIR\kiosk-cli.exe" provision "$Provision" --data-dir "$DataDir" $R3 >> "$R4" 2>&1"'
  Pop $R7
  ; Show this run's output in the details list.
  ClearErrors
  FileOpen $R5 "$R4" r
  ${IfNot} ${Errors}
    FileSeek $R5 $R6 SET
    ${Do}
      ClearErrors
      FileRead $R5 $R8
      ${If} ${Errors}
        ${Break}
      ${EndIf}
      ${TrimNewLines} "$R8" $R8
      DetailPrint "$R8"
    ${Loop}
    FileClose $R5
  ${EndIf}
  ${If} $R7 == "0"
    DetailPrint "Station provisioned (details in $R4)."
  ${ElseIf} $R7 == "1"
    DetailPrint "The provisioning file was refused; the station settings were not changed."
    MessageBox MB_ICONSTOP "${APP} is installed, but the station could not be provisioned: the file$\r$\n$Provision$\r$\nwas refused (not signed by the trusted central key, damaged, revoked, or the broker rejected its credentials). The station settings were not changed.$\r$\n$\r$\nDetails: $R4$\r$\n$\r$\nAsk central's administrator for a new file, then run:$\r$\nkiosk-cli provision FILE --trust-key <fingerprint>" /SD IDOK
    SetErrorLevel 4
    Abort "Provisioning refused; see $R4"
  ${Else}
    DetailPrint "The provisioning step failed (exit code $R7)."
    MessageBox MB_ICONSTOP "${APP} is installed, but the provisioning step could not run (exit code $R7).$\r$\n$\r$\nDetails: $R4$\r$\n$\r$\nRun it again with:$\r$\nkiosk-cli provision FILE --trust-key <fingerprint>" /SD IDOK
    SetErrorLevel 5
    Abort "Provisioning failed; see $R4"
  ${EndIf}
SectionEnd

; A kiosk that was running before the upgrade runs again, in the signed-in user's session and
; with that user's rights (not the setup's): a one-off scheduled task for the Users group with
; an interactive token does that from an elevated setup and from SYSTEM alike. Where the task
; service cannot run it, the kiosk is started directly.
Section "-Start the kiosk again" SecRestart
  ${If} $WasRunning != "1"
    Return
  ${EndIf}
  InitPluginsDir
  FileOpen $0 "$PLUGINSDIR\restart.xml" w
  FileWrite $0 '<?xml version="1.0"?>$\r$\n<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">$\r$\n'
  FileWrite $0 '<Principals><Principal id="Users"><GroupId>S-1-5-32-545</GroupId><RunLevel>LeastPrivilege</RunLevel></Principal></Principals>$\r$\n'
  FileWrite $0 '<Settings><MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy><DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries><StopIfGoingOnBatteries>false</StopIfGoingOnBatteries><ExecutionTimeLimit>PT0S</ExecutionTimeLimit></Settings>$\r$\n'
  FileWrite $0 '<Actions Context="Users"><Exec><Command>"$INSTDIR\kiosk.exe"</Command></Exec></Actions>$\r$\n</Task>$\r$\n'
  FileClose $0
  nsExec::Exec 'schtasks /Create /F /TN "${RESTART_TASK}" /XML "$PLUGINSDIR\restart.xml"'
  Pop $0
  StrCpy $1 "1"
  ${If} $0 == "0"
    ; A task service that cannot list the task it just created cannot run it either (some
    ; compatibility layers accept every schtasks call): then start the kiosk directly.
    nsExec::ExecToStack 'schtasks /Query /TN "${RESTART_TASK}" /FO CSV /NH'
    Pop $0
    Pop $2
    ${StrLoc} $3 $2 "${RESTART_TASK}" ">"
    ${If} $0 == "0"
    ${AndIf} $3 != ""
      nsExec::Exec 'schtasks /Run /TN "${RESTART_TASK}"'
      Pop $1
    ${EndIf}
    nsExec::Exec 'schtasks /Delete /F /TN "${RESTART_TASK}"'
    Pop $0
  ${EndIf}
  ${If} $1 == "0"
    DetailPrint "The kiosk was started again for the signed-in user."
  ${Else}
    Exec '"$INSTDIR\kiosk.exe"'
    DetailPrint "The kiosk was started again."
  ${EndIf}
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecMain} "The kiosk program, its command-line tools and Start-menu shortcuts."
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAutostart} "Start the kiosk automatically for every user who logs in to this PC."
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "A desktop shortcut for all users."
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; Options are parsed after the sections are declared: they select sections by index.
Function .onInit
  SetShellVarContext all
  SetRegView 64
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP} needs 64-bit Windows." /SD IDOK
    SetErrorLevel 3
    Abort
  ${EndIf}
  ${IfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} ${MIN_BUILD}
    MessageBox MB_ICONSTOP "${APP} needs Windows 10 version 1809 (build ${MIN_BUILD}) or later." /SD IDOK
    SetErrorLevel 6
    Abort
  ${EndIf}
  ReadRegStr $R0 HKLM "${REGKEY}" "InstalledBy"
  ${If} $R0 == "msi"
    MessageBox MB_ICONSTOP "${APP} was installed on this PC from its MSI package. Upgrade it with the MSI, or uninstall it first." /SD IDOK
    SetErrorLevel 7
    Abort
  ${EndIf}
  StrCpy $DataDir "$APPDATA\${APPID}"
  ReadRegStr $PreviousVersion HKLM "${REGKEY}" "Version"

  ${GetParameters} $R0

  ; /AUTOSTART=1|0; without it, an upgrade keeps the current choice and a new install is off.
  ClearErrors
  ${GetOptions} $R0 "/AUTOSTART=" $R1
  ${If} ${Errors}
    ReadRegStr $R2 HKLM "${RUNKEY}" "${APPID}"
    ${If} $R2 != ""
      StrCpy $R1 "1"
    ${Else}
      StrCpy $R1 "0"
    ${EndIf}
  ${EndIf}
  ${If} $R1 == "1"
    !insertmacro SelectSection ${SecAutostart}
  ${Else}
    !insertmacro UnselectSection ${SecAutostart}
  ${EndIf}

  ; /DESKTOP=1|0; without it, an upgrade keeps an existing desktop shortcut.
  ClearErrors
  ${GetOptions} $R0 "/DESKTOP=" $R1
  ${If} ${Errors}
    StrCpy $R1 "0"
    ${If} ${FileExists} "$DESKTOP\${APP}.lnk"
      StrCpy $R1 "1"
    ${EndIf}
  ${EndIf}
  ${If} $R1 == "1"
    !insertmacro SelectSection ${SecDesktop}
  ${EndIf}

  ; /PROVISION=file (absolute, or relative to the setup): central's signed *.kioskprov file,
  ; imported by kiosk-cli after the install, or a plain config.toml, copied.
  ClearErrors
  ${GetOptions} $R0 "/PROVISION=" $Provision
  ${If} ${Errors}
    StrCpy $Provision ""
  ${ElseIf} $Provision != ""
    ${IfNot} ${FileExists} "$Provision"
      ${If} ${FileExists} "$EXEDIR\$Provision"
        StrCpy $Provision "$EXEDIR\$Provision"
      ${Else}
        MessageBox MB_ICONSTOP "Provisioning file not found: $Provision" /SD IDOK
        SetErrorLevel 2
        Abort
      ${EndIf}
    ${EndIf}
    ; Absolute: the install changes the working directory.
    GetFullPathName $Provision "$Provision"
    StrCpy $R1 $Provision "" -10
    ${If} $R1 == ".kioskprov"
      StrCpy $ProvisionSigned "1"
    ${EndIf}
  ${EndIf}

  ; /TRUSTKEY=<fingerprint>: central's signing key as its administrator gave it; without it, the
  ; key that signed the file is trusted on first use (a key already pinned is always enforced).
  ClearErrors
  ${GetOptions} $R0 "/TRUSTKEY=" $TrustKey
  ${If} ${Errors}
    StrCpy $TrustKey ""
  ${EndIf}
FunctionEnd

; ------------------------------------------------------------------------------ uninstall

Function un.onInit
  SetShellVarContext all
  SetRegView 64
  ReadRegStr $DataDir HKLM "${REGKEY}" "DataDir"
  ${If} $DataDir == ""
    StrCpy $DataDir "$APPDATA\${APPID}"
  ${EndIf}
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/REMOVEDATA=" $R1
  ${If} ${Errors}
    StrCpy $RemoveData "0"
  ${Else}
    StrCpy $RemoveData $R1
  ${EndIf}
FunctionEnd

Function un.DataPageCreate
  !insertmacro MUI_HEADER_TEXT "Station data" "Keep or delete the records stored on this PC."
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 48u "The station data (enrollment database, settings, logs and backups) is in $DataDir. It is kept unless you tick the box below, so a reinstall or upgrade can continue where this one stopped."
  Pop $0
  ${NSD_CreateCheckbox} 0 56u 100% 12u "&Also delete the station data from this PC"
  Pop $RemoveDataBox
  ${If} $RemoveData == "1"
    ${NSD_Check} $RemoveDataBox
  ${EndIf}
  ${NSD_CreateLabel} 0 76u 100% 36u "Deleting it cannot be undone. Templates already sent to the central server are not affected: remove those on the central server if that is intended."
  Pop $0
  nsDialogs::Show
FunctionEnd

Function un.DataPageLeave
  ${NSD_GetState} $RemoveDataBox $0
  ${If} $0 == ${BST_CHECKED}
    StrCpy $RemoveData "1"
  ${Else}
    StrCpy $RemoveData "0"
  ${EndIf}
FunctionEnd

Section "Uninstall"
  !insertmacro StopPrograms
  !insertmacro RemoveProgramFiles
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  RMDir /r "$SMPROGRAMS\${APP}"
  Delete "$DESKTOP\${APP}.lnk"
  DeleteRegValue HKLM "${RUNKEY}" "${APPID}"
  DeleteRegKey HKLM "${UNINSTKEY}"
  DeleteRegKey HKLM "${REGKEY}"

  ${If} $RemoveData == "1"
    DetailPrint "Deleting the station data in $DataDir."
    DetailPrint "Templates already on the central server are not affected by this."
    RMDir /r "$DataDir"
    MessageBox MB_ICONINFORMATION "The station data on this PC was deleted.$\r$\n$\r$\nTemplates already sent to the central server are not affected; remove them there if that is intended." /SD IDOK
  ${Else}
    DetailPrint "Station data kept in $DataDir (database, settings, logs)."
  ${EndIf}
SectionEnd
