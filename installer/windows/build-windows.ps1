# Build the Windows installer: PyInstaller one-folder bundle, then Inno Setup 6.
#   powershell -ExecutionPolicy Bypass -File installer\windows\build-windows.ps1
# Needs: Python 3.11 (py launcher), Inno Setup 6 (ISCC.exe; set $env:ISCC if not in the default folder).
# Output: dist\perfeval-gui-<version>-setup.exe
$ErrorActionPreference = "Stop"
$Root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $Root

# The one version: pyproject.toml
$Version = (Select-String -Path pyproject.toml -Pattern '^version\s*=\s*"([^"]+)"').Matches[0].Groups[1].Value
if (-not $Version) { throw "pyproject.toml has no version" }

if (-not (Test-Path .venv\Scripts\python.exe)) { py -3.11 -m venv .venv }
.venv\Scripts\python.exe -m pip install -q -e ".[build]"
.venv\Scripts\python.exe -m PyInstaller --noconfirm --clean installer\perfeval.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
.\dist\perfeval-gui\perfeval-gui.exe --self-check | Out-Null   # windowed exe: see the exit code
if ($LASTEXITCODE -ne 0) { throw "self-check of the bundle failed" }

$Iscc = if ($env:ISCC) { $env:ISCC } else { "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $Iscc)) { throw "Inno Setup 6 not found: install it or set `$env:ISCC" }
$Lang = Join-Path (Split-Path $Iscc) "Languages\ChineseSimplified.isl"
$Local = Join-Path $PSScriptRoot "ChineseSimplified.isl"
if (-not (Test-Path $Lang) -and -not (Test-Path $Local)) {
    # unofficial translation, maintained in the Inno Setup translations repository
    Invoke-WebRequest -UseBasicParsing -OutFile $Local `
        "https://raw.githubusercontent.com/jrsoftware/issrc/main/Files/Languages/Unofficial/ChineseSimplified.isl"
}
& $Iscc "/DAppVersion=$Version" installer\windows\perfeval.iss
if ($LASTEXITCODE -ne 0) { throw "ISCC failed" }
Write-Host "dist\perfeval-gui-$Version-setup.exe"
