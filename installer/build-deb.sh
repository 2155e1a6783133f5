#!/usr/bin/env bash
# Build the one-folder bundle with PyInstaller and pack it as a Debian package (xz-compressed).
#   installer/build-deb.sh [--reuse]     (--reuse: keep an existing dist/perfeval-gui bundle)
# Environment: PYTHON (default .venv/bin/python), DIST (default dist), WORK (default build),
#              ARCH (default: dpkg --print-architecture).
# Output: $DIST/perfeval-gui_<version>_<arch>.deb and $WORK/deb/DEBIAN/control (kept for inspection).
# Needs: pyinstaller in the venv (pip install -e ".[build]"), dpkg-deb, readelf (binutils), dpkg -S.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
DIST=${DIST:-$ROOT/dist}
WORK=${WORK:-$ROOT/build}
ARCH=${ARCH:-$(dpkg --print-architecture)}
reuse=0
[ "${1:-}" = "--reuse" ] && reuse=1

for tool in dpkg-deb readelf dpkg; do
  command -v "$tool" >/dev/null 2>&1 || { echo "缺少工具 $tool（apt-get install dpkg binutils）" >&2; exit 1; }
done

VERSION=$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' pyproject.toml | head -1)
[ -n "$VERSION" ] || { echo "pyproject.toml 中没有 version" >&2; exit 1; }
BUNDLE="$DIST/perfeval-gui"

if [ "$reuse" -eq 0 ] || [ ! -x "$BUNDLE/perfeval-gui" ]; then
  [ -f resources/icons/perfeval-gui-256.png ] || QT_QPA_PLATFORM=offscreen "$PYTHON" installer/make_icons.py
  "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK/pyinstaller" installer/perfeval.spec
fi

STAGE="$WORK/deb"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
         "$STAGE/usr/share/mime/packages" "$STAGE/usr/share/doc/perfeval-gui"
cp -a "$BUNDLE" "$STAGE/opt/perfeval-gui"

# /usr/bin/perfeval-gui: a wrapper that picks a working Chinese input method (see installer/README.md).
cat > "$STAGE/usr/bin/perfeval-gui" <<'WRAP'
#!/bin/sh
# PySide6's Qt has no fcitx plugin; fcitx5 also speaks the ibus protocol (its ibus frontend), and the
# bundle has Qt's ibus plugin. So under fcitx/fcitx5 (or an unset module while an IM daemon runs) use ibus.
# Set PERFEVAL_KEEP_IM=1 to keep QT_IM_MODULE exactly as it is.
if [ -z "${PERFEVAL_KEEP_IM:-}" ]; then
  case "${QT_IM_MODULE:-}" in
    ""|fcitx|fcitx5)
      if grep -qsxE 'fcitx5?|ibus-daemon' /proc/[0-9]*/comm 2>/dev/null \
         || [ "${QT_IM_MODULE:-}" = fcitx ] || [ "${QT_IM_MODULE:-}" = fcitx5 ]; then
        QT_IM_MODULE=ibus
        export QT_IM_MODULE
      fi
      ;;
  esac
fi
exec /opt/perfeval-gui/perfeval-gui "$@"
WRAP
chmod 755 "$STAGE/usr/bin/perfeval-gui"
ln -s /opt/perfeval-gui/perfeval "$STAGE/usr/bin/perfeval"

install -m 644 resources/linux/perfeval-gui.desktop "$STAGE/usr/share/applications/perfeval-gui.desktop"
install -m 644 resources/linux/perfeval-gui.xml "$STAGE/usr/share/mime/packages/perfeval-gui.xml"
for size in 16 24 32 48 64 128 256; do
  d="$STAGE/usr/share/icons/hicolor/${size}x${size}"
  install -D -m 644 "resources/icons/perfeval-gui-$size.png" "$d/apps/perfeval-gui.png"
  install -D -m 644 "resources/icons/perfeval-gui-$size.png" "$d/mimetypes/application-x-perfeval-project.png"
done
install -D -m 644 resources/icons/perfeval-gui.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/perfeval-gui.svg"
printf 'perfeval-gui %s\nLicense: MIT (see pyproject.toml). Bundles Qt 6 (LGPLv3) via PySide6, Python (PSF).\n' \
  "$VERSION" > "$STAGE/usr/share/doc/perfeval-gui/copyright"

# Depends computed from the bundle's ELF files (glibc floor + system libraries it links against).
deps=$("$PYTHON" installer/deb_depends.py "$STAGE/opt/perfeval-gui")
FLOOR=$(echo "$deps" | sed -n 's/^GlibcFloor: //p')
DEPENDS=$(echo "$deps" | sed -n 's/^Depends: //p')
RECOMMENDS=$(echo "$deps" | sed -n 's/^Recommends: //p')
UNRESOLVED=$(echo "$deps" | sed -n 's/^Unresolved: //p')
case "$UNRESOLVED" in *libgtk-3*) RECOMMENDS="${RECOMMENDS:+$RECOMMENDS, }libgtk-3-0";; esac
case "$UNRESOLVED" in *libwayland-cursor*) RECOMMENDS="${RECOMMENDS:+$RECOMMENDS, }libwayland-cursor0";; esac
DEPENDS="libc6 (>= $FLOOR)${DEPENDS:+, $DEPENDS}, fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei"


cat > "$STAGE/DEBIAN/control" <<CTRL
Package: perfeval-gui
Version: $VERSION
Architecture: $ARCH
Maintainer: perfeval_gui team <perfeval@localhost>
Installed-Size: $(du -sk "$STAGE" | cut -f1)
Depends: $DEPENDS
Recommends: $RECOMMENDS
Section: misc
Priority: optional
Homepage: https://localhost/perfeval_gui
Description: 绩效自评报告助手 — 部门整体支出绩效自评报告
 Write, check and export the annual department-wide expenditure performance
 self-evaluation report (部门整体支出绩效自评报告) as a Word document.
 Self-contained build (Python and Qt inside /opt/perfeval-gui).
CTRL

cat > "$STAGE/DEBIAN/postinst" <<'POST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  command -v update-mime-database >/dev/null 2>&1 && update-mime-database /usr/share/mime || true
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
fi
exit 0
POST
cat > "$STAGE/DEBIAN/postrm" <<'POST'
#!/bin/sh
set -e
case "$1" in
  remove|purge)
    command -v update-mime-database >/dev/null 2>&1 && update-mime-database /usr/share/mime || true
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
    ;;
esac
exit 0
POST
chmod 755 "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/postrm"

mkdir -p "$DIST"
OUT="$DIST/perfeval-gui_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$OUT" >/dev/null
echo "$OUT"
echo "bundle $(du -sh "$BUNDLE" | cut -f1), deb $(du -h "$OUT" | cut -f1), libc6 >= $FLOOR"
