#!/usr/bin/env bash
# Fetches Debian's Xen 4.17 for arm64 (an arm64 Image QEMU boots at EL2 like mapvisor) into
# build/deps/xen, for make compare-xen. Debian's archive only; prints the image path.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dest="$top/build/deps/xen"
image="$dest/boot/xen-4.17-arm64"
if [ ! -f "$image" ]; then
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO="sudo"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		$SUDO dpkg --add-architecture arm64
		$SUDO apt-get update -q >/dev/null
	fi
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -q "${XEN_PACKAGE:-xen-hypervisor-4.17-arm64}:arm64" >/dev/null 2>&1) || {
		echo "fetch-xen: apt-get download ${XEN_PACKAGE:-xen-hypervisor-4.17-arm64}:arm64 failed" >&2
		exit 1
	}
	mkdir -p "$dest"
	dpkg -x "$tmp"/xen-hypervisor-4.17-arm64_*_arm64.deb "$dest"
	dpkg-deb -f "$tmp"/xen-hypervisor-4.17-arm64_*_arm64.deb Version >"$dest/VERSION"
fi
echo "$image"
