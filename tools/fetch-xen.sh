#!/usr/bin/env bash
# Fetches Debian's Xen 4.17 for arm64 (an arm64 Image QEMU boots at EL2 like mapvisor) into
# build/deps/xen, for make compare-xen. Debian's archive only; prints the image path.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/apt-download.sh"
dest="$top/build/deps/xen"
image="$dest/boot/xen-4.17-arm64"
if [ ! -f "$image" ]; then
	apt_download_unpack "${XEN_PACKAGE:-xen-hypervisor-4.17-arm64}:arm64" "$dest" ||
		{ echo "fetch-xen: apt-get download ${XEN_PACKAGE:-xen-hypervisor-4.17-arm64}:arm64 failed" >&2; exit 1; }
	mv "$dest/VERSION.pkg" "$dest/VERSION"
fi
echo "$image"
