; Inno Setup 6 script: per-user installer (no administrator rights) for the PyInstaller one-folder build.
; Built by installer/windows/build-windows.ps1, which passes the version from pyproject.toml:
;   ISCC.exe /DAppVersion=0.1.0 installer\windows\perfeval.iss
; Saved as UTF-8 with BOM (Chinese text).

#ifndef AppVersion
  #error AppVersion is not defined: run build-windows.ps1 (it reads pyproject.toml) or pass /DAppVersion=x.y.z
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\perfeval-gui"
#endif
#define AppName "绩效自评报告助手"
#define AppExe "perfeval-gui.exe"

[Setup]
AppId={{7C0E5A43-3B1D-4E55-9C57-5C1F0E2B9A61}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=perfeval_gui
VersionInfoVersion={#AppVersion}
; per-user: {autopf} becomes %LOCALAPPDATA%\Programs, registry entries go to HKCU
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\perfeval-gui
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
SetupIconFile=..\..\resources\icons\perfeval-gui.ico
UninstallDisplayIcon={app}\{#AppExe}
OutputDir=..\..\dist
OutputBaseFilename=perfeval-gui-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Languages]
; ChineseSimplified.isl is an unofficial translation: older Inno Setup 6 releases do not ship it in
; Languages\. build-windows.ps1 downloads it next to this script when the compiler lacks it.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .pefx → PerfEval.Project, for this user only (HKCU\Software\Classes); removed on uninstall
Root: HKCU; Subkey: "Software\Classes\.pefx"; ValueType: string; ValueName: ""; ValueData: "PerfEval.Project"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\.pefx\OpenWithProgids"; ValueType: string; ValueName: "PerfEval.Project"; ValueData: ""; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\PerfEval.Project"; ValueType: string; ValueName: ""; ValueData: "绩效自评项目文件"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\PerfEval.Project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKCU; Subkey: "Software\Classes\PerfEval.Project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
