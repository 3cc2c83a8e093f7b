#!/usr/bin/env bash
# Sourced by tools/fetch-*.sh: download one arm64 package from Debian's archive into a
# temporary directory (with apt-get download, as non-root _apt may not write there) and
# unpack it. Usage: apt_download_unpack PACKAGE DESTDIR; prints nothing on success.
# Also debian_linux_package: the linux-image-6.1.* arm64 package that linux-image-arm64 depends on.
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

# Prints the versioned kernel package (linux-image-6.1.0-N-arm64:arm64) that Debian's
# linux-image-arm64 metapackage depends on; fails if there is none.
debian_linux_package() {
	local pkg
	pkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		awk '/Depends: linux-image-6\.1/{print $2; exit}')
	[ -n "$pkg" ] || return 1
	echo "$pkg"
}
