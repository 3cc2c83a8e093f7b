#!/usr/bin/env bash
# Sourced by tools/fetch-*.sh: download one arm64 package from Debian's archive into a
# temporary directory (with apt-get download, as non-root _apt may not write there) and
# unpack it. Usage: apt_download_unpack PACKAGE DESTDIR; prints nothing on success.
apt_download_unpack() {
	local pkg=$1 dest=$2 sudo="" tmp
	[ "$(id -u)" = 0 ] || sudo="sudo"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		$sudo dpkg --add-architecture arm64
		$sudo apt-get update -q >/dev/null
	fi
	tmp=$(mktemp -d)
	if ! (cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1); then
		rm -rf "$tmp"
		echo "apt-get download $pkg failed" >&2
		return 1
	fi
	mkdir -p "$dest"
	dpkg -x "$tmp"/*.deb "$dest"
	dpkg-deb -f "$tmp"/*.deb Version >"$dest/VERSION.pkg"
	rm -rf "$tmp"
}
