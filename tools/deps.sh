#!/usr/bin/env bash
# Installs what mapvisor needs to build and test, from Debian's archive only.
# gcc-12-aarch64-linux-gnu: the compiler Debian built the tests' kernel (6.1) with
# (CONFIG_CC_VERSION_TEXT), for linux/'s module (tools/build-linux-mod.sh).
# Idempotent: does nothing when every tool is already present. Needs root (or sudo).
set -euo pipefail

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

have_all() {
	command -v aarch64-linux-gnu-gcc >/dev/null &&
	command -v aarch64-linux-gnu-gcc-12 >/dev/null &&
	[ -f /usr/aarch64-linux-gnu/lib/libc.a ] &&
	command -v python3 >/dev/null &&
	command -v dtc >/dev/null &&
	command -v dot >/dev/null &&
	command -v qemu-system-aarch64 >/dev/null &&
	qemu_ok &&
	[ -f /usr/include/libfdt.h ] &&
	[ -f /usr/include/cmocka.h ] &&
	command -v clang >/dev/null && ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 &&
	[ -f "$(dirname "$0")/../build/deps/libfdt-arm64/usr/lib/aarch64-linux-gnu/libfdt.a" ]
}

# QEMU >= 8.1 is needed for SMMUv3 stage 2; bookworm itself ships 7.2.
qemu_ok() {
	local v
	v=$(qemu-system-aarch64 --version | sed -n 's/.*version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
	set -- $v
	[ "${1:-0}" -gt 8 ] || { [ "${1:-0}" -eq 8 ] && [ "${2:-0}" -ge 1 ]; }
}

# The URI of the apt source that serves bookworm's main suite, in either format: one-line
# ("deb [opts] URI bookworm main") or deb822 (URIs:/Suites: stanzas).
bookworm_mirror() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
			if ($(i + 1) == "bookworm") { print $i; exit } }' "$f"
	done | head -n 1 | grep . && return
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; FS = "\n" }
			{ uri = ""; ok = 0
			  for (j = 1; j <= NF; j++) {
				if ($j ~ /^URIs:/) { split(substr($j, 6), u, " "); uri = u[1] }
				if ($j ~ /^Suites:/ && (" " substr($j, 8) " ") ~ / bookworm /) ok = 1
				if ($j ~ /^Types:/ && $j !~ /deb( |$)/) ok = -1 }
			  if (ok == 1 && uri != "") { print uri; exit } }' "$f"
	done | head -n 1
}

if have_all; then
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
. /etc/os-release
if [ "${VERSION_CODENAME:-}" = bookworm ] &&
	! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	# The mirror is whatever this machine's apt already uses for bookworm (a mirror, a proxy,
	# a snapshot): the repository names no archive host of its own.
	mirror=$(bookworm_mirror)
	if [ -z "$mirror" ]; then
		echo "deps: no apt source for bookworm found to add bookworm-backports from;" \
			"add a 'bookworm-backports main' entry to /etc/apt/sources.list.d/ and rerun" >&2
		exit 1
	fi
	echo "deps: adding bookworm-backports from $mirror (QEMU 10 with SMMUv3 stage 2)"
	echo "deb $mirror bookworm-backports main" |
		$SUDO tee /etc/apt/sources.list.d/mapvisor-backports.list >/dev/null
fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64
fi
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
	make gcc libc6-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross \
	gcc-12-aarch64-linux-gnu \
	device-tree-compiler libfdt-dev libcmocka-dev pkg-config python3 ca-certificates \
	clang libclang-rt-dev graphviz
if [ "${VERSION_CODENAME:-}" = bookworm ]; then
	$SUDO apt-get install -y -q --no-install-recommends -t bookworm-backports \
		qemu-system-arm qemu-utils
else
	$SUDO apt-get install -y -q --no-install-recommends qemu-system-arm qemu-utils
fi

# The hypervisor links a static arm64 libfdt. Unpack Debian's libfdt-dev:arm64 into the build
# tree rather than installing it, so the host's libfdt-dev is left alone.
top=$(cd "$(dirname "$0")/.." && pwd)
dest="$top/build/deps/libfdt-arm64"
if [ ! -f "$dest/usr/lib/aarch64-linux-gnu/libfdt.a" ]; then
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -q libfdt-dev:arm64)
	mkdir -p "$dest"
	dpkg -x "$tmp"/libfdt-dev_*_arm64.deb "$dest"
	rm -rf "$tmp"
fi
qemu_ok || { echo "deps: qemu-system-aarch64 is older than 8.1 (no SMMUv3 stage 2)" >&2; exit 1; }
echo "deps: ready ($(qemu-system-aarch64 --version | head -1))"
