#!/usr/bin/env bash
# make linux-mod: builds linux/mapvisor_dma.ko out of tree against Debian's headers for the
# tests' kernel (tools/fetch-linux-headers.sh), with Debian's cross gcc of the kernel's own
# compiler version (its CONFIG_CC_VERSION_TEXT), into build/linux-mod/. Kbuild of 6.1
# writes its objects beside the sources, so the sources are copied there first. Without the
# headers or the compiler it says SKIP and succeeds: the scenarios that need the module say
# SKIP in turn.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/build/linux-mod"
kdir=$(bash "$top/tools/fetch-linux-headers.sh") || { echo "SKIP linux-mod: no kernel headers"; exit 0; }
ccv=$(sed -n 's/^CONFIG_GCC_VERSION=\([0-9]*\)[0-9][0-9][0-9][0-9]$/\1/p' "$kdir/.config")
cc=aarch64-linux-gnu-gcc-$ccv
command -v "$cc" >/dev/null || { echo "SKIP linux-mod: no $cc (tools/deps.sh installs gcc-$ccv-aarch64-linux-gnu)"; exit 0; }
mkdir -p "$out"
cp "$top"/linux/*.c "$top"/linux/Kbuild "$out/"
make -s -C "$kdir" M="$out" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CC="$cc" modules
echo "  KMOD    build/linux-mod/mapvisor_dma.ko ($(grep -m1 CONFIG_CC_VERSION_TEXT "$kdir/.config" | cut -d'"' -f2) -> $cc)"
