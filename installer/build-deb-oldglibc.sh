#!/usr/bin/env bash
# Build the .deb for older systems (麒麟 V10: glibc 2.31, and newer) inside a Debian 11 "bullseye"
# chroot: its glibc is 2.31, so the bundle links against nothing newer. PySide6-Essentials 6.9.3
# (last manylinux_2_28 wheel) and Python 3.11.2 compiled from Debian's source tarball (bullseye only
# has Python 3.9, the app needs 3.11).
#   sudo installer/build-deb-oldglibc.sh            → dist/perfeval-gui_<version>_amd64-bullseye.deb
# Environment: CHROOT (default /work/chroot/bullseye), MIRROR (default http://deb.debian.org/debian).
# Needs root, debootstrap, network to the Debian mirror and PyPI. First run ~15 min (Python build),
# later runs ~1–3 min.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CHROOT=${CHROOT:-/work/chroot/bullseye}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
PYSIDE=${PYSIDE:-PySide6-Essentials==6.9.3}
PYSRC_URL=$MIRROR/pool/main/p/python3.11/python3.11_3.11.2.orig.tar.gz
[ "$(id -u)" -eq 0 ] || { echo "需要 root 权限（chroot）" >&2; exit 1; }

if [ ! -x "$CHROOT/usr/bin/apt-get" ]; then
  command -v debootstrap >/dev/null || apt-get install -y -q debootstrap
  debootstrap --variant=minbase bullseye "$CHROOT" "$MIRROR"
fi
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
mountpoint -q "$CHROOT/proc" || mount -t proc proc "$CHROOT/proc"
mountpoint -q "$CHROOT/dev" || mount --bind /dev "$CHROOT/dev"
mkdir -p "$CHROOT/src"
mountpoint -q "$CHROOT/src" || mount --bind "$ROOT" "$CHROOT/src"
trap 'umount "$CHROOT/src" 2>/dev/null || true' EXIT
# Behind a TLS-intercepting proxy pip needs the host's CA bundle (PIP_CERT) inside the chroot too.
PIP_CERT_INSIDE=""
if [ -n "${PIP_CERT:-}" ] && [ -f "$PIP_CERT" ]; then
  cp "$PIP_CERT" "$CHROOT/root/host-ca.crt"
  PIP_CERT_INSIDE=/root/host-ca.crt
fi

cat > "$CHROOT/root/inside.sh" <<INSIDE
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive PYTHONDONTWRITEBYTECODE=1
# Qt's runtime libraries (PyInstaller must see them) + tools for build-deb.sh + a Python build chain.
apt-get install -y -q --no-install-recommends ca-certificates curl binutils dpkg-dev build-essential \
  libssl-dev zlib1g-dev libffi-dev libbz2-dev liblzma-dev libsqlite3-dev libexpat1-dev uuid-dev \
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libglib2.0-0 libdbus-1-3 libx11-xcb1 \
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 \
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 fonts-wqy-microhei >/dev/null
if [ ! -x /opt/py311/bin/python3.11 ]; then
  cd /root && curl -sSf -o py311.tar.gz "$PYSRC_URL"
  rm -rf Python-3.11.2 && tar xzf py311.tar.gz && cd Python-3.11.2
  ./configure --prefix=/opt/py311 --enable-shared LDFLAGS="-Wl,-rpath,/opt/py311/lib" >/dev/null
  make -j"\$(nproc)" >/dev/null 2>&1 && make install >/dev/null 2>&1
fi
[ -x /opt/venv/bin/python ] || /opt/py311/bin/python3.11 -m venv /opt/venv
/opt/venv/bin/python -m pip install -q --disable-pip-version-check -U pip
/opt/venv/bin/python -m pip install -q --disable-pip-version-check "$PYSIDE" openpyxl python-docx xlrd \
  defusedxml "pyinstaller>=6.10"
cd /src
PYTHON=/opt/venv/bin/python DIST=/root/out/dist WORK=/root/out/build bash installer/build-deb.sh
QT_QPA_PLATFORM=offscreen /root/out/dist/perfeval-gui/perfeval-gui --self-check
INSIDE
# A clean environment: the host's PIP_*/SSL_* settings point at paths that do not exist in the chroot.
CA_ENV=()
[ -n "$PIP_CERT_INSIDE" ] && CA_ENV=(PIP_CERT="$PIP_CERT_INSIDE" SSL_CERT_FILE="$PIP_CERT_INSIDE" REQUESTS_CA_BUNDLE="$PIP_CERT_INSIDE")
chroot "$CHROOT" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  "${CA_ENV[@]}" bash /root/inside.sh
mkdir -p dist
for f in "$CHROOT"/root/out/dist/perfeval-gui_*.deb; do
  out="dist/$(basename "${f%.deb}")-bullseye.deb"
  cp "$f" "$out"
  echo "$out"
done
sed -n 's/^Depends: libc6 (>= \([0-9.]*\)).*/glibc floor \1/p' "$CHROOT/root/out/build/deb/DEBIAN/control"
