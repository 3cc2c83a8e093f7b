#!/usr/bin/env bash
# Fetches the device trees of real boards that Debian's arm64 Linux 6.1 package ships
# (usr/lib/linux-image-*/VENDOR/BOARD.dtb) into build/deps/dtbs, for dmacheck's tests and its
# --all summary. Debian's archive only; prints the directory.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/apt-download.sh"
dest="$top/build/deps/dtbs"
if [ ! -f "$dest/VERSION" ]; then
	pkg=$(debian_linux_package) ||
		{ echo "fetch-dtbs: no linux-image-6.1 arm64 package found" >&2; exit 1; }
	tmp="$top/build/deps/kernel-pkg"
	rm -rf "$tmp" "$dest"
	apt_download_unpack "$pkg" "$tmp" || { echo "fetch-dtbs: download of $pkg failed" >&2; exit 1; }
	mkdir -p "$dest"
	cp -r "$tmp"/usr/lib/linux-image-*/. "$dest/"
	rm -rf "$tmp"
	echo "$pkg" >"$dest/VERSION"
fi
echo "$dest"
