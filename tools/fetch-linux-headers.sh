#!/usr/bin/env bash
# Fetches what an out-of-tree module for the tests' kernel builds against, from Debian's
# archive only, into build/deps/linux-headers (tools/fetch-linux.sh's kernel, same version):
#   linux-headers-VERSION-arm64:arm64  the arm64 flavour's build tree (.config, Module.symvers)
#   linux-headers-VERSION-common       the headers and Kbuild files it includes (arch: all)
#   linux-kbuild-6.1 (the host's arch) fixdep, modpost, genksyms: host binaries, so the
#                                      host's package, not arm64's
# Prints the flavour's build directory (KDIR).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/apt-download.sh"
dest="$top/build/deps/linux-headers"
skip() {
	echo "SKIP fetch-linux-headers: $*" >&2
	exit 1
}
if [ ! -f "$dest/VERSION" ]; then
	img=$(debian_linux_package) || skip "no linux-image-6.1 arm64 package known to apt"
	kver=${img#linux-image-}
	kver=${kver%:arm64}             # 6.1.0-N-arm64
	common=linux-headers-${kver%-arm64}-common
	rm -rf "$dest"
	# all three into one root, so the packages' own relative links (scripts, tools ->
	# ../../lib/linux-kbuild-6.1/...) resolve as they do when installed
	apt_download_unpack "linux-headers-$kver:arm64" "$dest/root" ||
		skip "apt-get download linux-headers-$kver:arm64 failed"
	mv "$dest/root/VERSION.pkg" "$dest/flavour.version"
	apt_download_unpack "$common" "$dest/root" || skip "apt-get download $common failed"
	mv "$dest/root/VERSION.pkg" "$dest/common.version"
	apt_download_unpack linux-kbuild-6.1 "$dest/root" ||
		skip "apt-get download linux-kbuild-6.1 failed"
	mv "$dest/root/VERSION.pkg" "$dest/kbuild.version"
	kdir="$dest/root/usr/src/linux-headers-$kver"
	[ -f "$kdir/Module.symvers" ] || skip "linux-headers-$kver has no $kdir/Module.symvers"
	# the flavour's Makefile includes the common tree by its installed path: point it here
	sed -i "s|^include /usr/src/|include $dest/root/usr/src/|" "$kdir/Makefile"
	ln -sfn "$kdir" "$dest/kdir"
	{
		echo "linux-headers-$kver $(cat "$dest/flavour.version")"
		echo "$common $(cat "$dest/common.version")"
		echo "linux-kbuild-6.1 $(cat "$dest/kbuild.version")"
	} >"$dest/VERSION"
fi
readlink -f "$dest/kdir"
