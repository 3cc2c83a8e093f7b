#!/usr/bin/env bash
# Fetches the device trees of real boards that Debian's arm64 Linux 6.1 package ships
# (usr/lib/linux-image-*/VENDOR/BOARD.dtb) into build/deps/dtbs, for dmacheck's tests and its
# --all summary. Debian's archive only; prints the directory.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dest="$top/build/deps/dtbs"
if [ ! -f "$dest/VERSION" ]; then
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO="sudo"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		$SUDO dpkg --add-architecture arm64
		$SUDO apt-get update -q >/dev/null
	fi
	pkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		awk '/Depends: linux-image-6\.1/{print $2; exit}')
	[ -n "$pkg" ] || { echo "fetch-dtbs: no linux-image-6.1 arm64 package found" >&2; exit 1; }
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
		{ echo "fetch-dtbs: apt-get download $pkg failed" >&2; exit 1; }
	dpkg -x "$tmp"/linux-image-*.deb "$tmp/x"
	rm -rf "$dest"
	mkdir -p "$dest"
	cp -r "$tmp"/x/usr/lib/linux-image-*/. "$dest/"
	echo "$pkg" >"$dest/VERSION"
fi
echo "$dest"
