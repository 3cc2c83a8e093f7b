#!/usr/bin/env bash
# Fetches Debian's arm64 Linux 6.1 (the package linux-image-arm64 depends on) and
# busybox-static:arm64 into build/deps/linux, for booting Linux guests. Debian's archive only.
# Leaves stable paths and prints the directory:
#   Image     the raw arm64 Image ("ARM\x64" at 0x38), decompressed if the vmlinuz is gzip
#   busybox   the static busybox binary
#   modules   the kernel's /lib/modules/VERSION: plain .ko files (6.1's Debian build does not
#             compress them; they are signed), no modules.dep (depmod runs at install time),
#             e.g. modules/kernel/drivers/xen/xen-gntdev.ko; tools/mkinitramfs.py --module
#   config    the kernel's /boot/config-VERSION
#   VERSION   the two packages and their versions (written last: the cache stamp)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/apt-download.sh"
dest="$top/build/deps/linux"
skip() {
	echo "SKIP fetch-linux: $*" >&2
	exit 1
}
if [ ! -f "$dest/VERSION" ]; then
	pkg=$(debian_linux_package) || skip "no linux-image-6.1 arm64 package known to apt"
	rm -rf "$dest"
	apt_download_unpack "$pkg" "$dest/kernel-pkg" || skip "apt-get download $pkg failed"
	apt_download_unpack busybox-static:arm64 "$dest/busybox-pkg" ||
		skip "apt-get download busybox-static:arm64 failed"
	vmlinuz=$(ls "$dest"/kernel-pkg/boot/vmlinuz-* | head -n 1)
	kver=${vmlinuz##*/vmlinuz-}
	# Debian's arm64 vmlinuz is a gzip-compressed Image (no EFI stub decompressor around
	# it); the hypervisor and Xen want the raw Image, whose header has "ARM\x64" at 0x38.
	if [ "$(head -c 2 "$vmlinuz" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
		gzip -dc "$vmlinuz" >"$dest/Image"
	else
		cp "$vmlinuz" "$dest/Image"
	fi
	[ "$(dd if="$dest/Image" bs=1 skip=56 count=4 2>/dev/null | od -An -tx1 | tr -d ' ')" = 41524d64 ] ||
		skip "$vmlinuz is not an arm64 Image (no ARM\\x64 magic at 0x38)"
	ln -s busybox-pkg/bin/busybox "$dest/busybox"
	ln -s "kernel-pkg/lib/modules/$kver" "$dest/modules"
	ln -s "kernel-pkg/boot/config-$kver" "$dest/config"
	{
		echo "${pkg%:arm64} $(cat "$dest/kernel-pkg/VERSION.pkg")"
		echo "busybox-static $(cat "$dest/busybox-pkg/VERSION.pkg")"
	} >"$dest/VERSION"
fi
echo "$dest"
