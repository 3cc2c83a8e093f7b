#!/usr/bin/env python3
"""Builds a Linux initramfs (a newc cpio archive, optionally gzip) for booting Linux guests.

The archive holds busybox as /bin/busybox with one symlink per applet named, an /init script,
/dev/console (the kernel opens it before /init runs, and devtmpfs is not mounted yet), any
extra files, and kernel modules with their dependencies (from each module's .modinfo) under
/lib/modules/, listed in loading order in /lib/modules/load.order for the init script to
insmod. Written here in python (stdlib only, no root needed for device nodes); every entry
has mtime 0 and a fixed owner, so the same inputs give the same bytes.

newc format (Linux Documentation/driver-api/early-userspace/buffer-format.rst): per entry a
110-byte ASCII header "070701" + 13 eight-digit hex fields, the NUL-terminated name, padding
to 4 bytes, the data, padding to 4 bytes; the archive ends with the entry "TRAILER!!!".
"""
import argparse
import gzip
import lzma
import os
import stat
import struct
import sys

APPLETS = ("sh ash cat echo ls mkdir mknod mount umount grep sed awk cut head tail tr wc "
           "dmesg uname poweroff reboot halt sleep sync insmod rmmod lsmod modprobe dd od "
           "hexdump printf test [ true false env ps find ln cp rm date stat ip ifconfig "
           "xxd mdev md5sum setsid cttyhack stty kill free top clear vi less which").split()
DIRS = ["bin", "sbin", "dev", "etc", "proc", "sys", "tmp", "root", "lib", "lib/modules",
        "mnt", "run"]


class Cpio:
    def __init__(self):
        self.out = bytearray()
        self.ino = 1
        self.names = set()

    def _entry(self, name, mode, data=b"", rdev=(0, 0)):
        name = name.lstrip("/")
        if name in self.names:
            raise SystemExit(f"mkinitramfs: {name} added twice")
        self.names.add(name)
        nameb = name.encode() + b"\0"
        fields = [self.ino, mode, 0, 0, 2 if stat.S_ISDIR(mode) else 1, 0, len(data),
                  0, 0, rdev[0], rdev[1], len(nameb), 0]
        self.ino += 1
        self.out += b"070701" + b"".join(b"%08x" % f for f in fields) + nameb
        self.out += b"\0" * (-len(self.out) % 4)
        self.out += data
        self.out += b"\0" * (-len(self.out) % 4)

    def mkdir(self, name):
        """Makes name and each missing parent directory."""
        parts = name.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d not in self.names:
                self._entry(d, stat.S_IFDIR | 0o755)

    def _parent(self, name):
        parent = os.path.dirname(name.strip("/"))
        if parent:
            self.mkdir(parent)

    def file(self, name, data, mode=0o644):
        self._parent(name)
        self._entry(name, stat.S_IFREG | mode, data)

    def symlink(self, name, target):
        self._parent(name)
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name, major, minor, mode=0o600):
        self._parent(name)
        self._entry(name, stat.S_IFCHR | mode, rdev=(major, minor))

    def finish(self):
        self._entry("TRAILER!!!", 0)
        self.out += b"\0" * (-len(self.out) % 512)
        return bytes(self.out)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def modinfo_depends(ko):
    """The "depends=" list of a .ko's .modinfo section (ELF64 little-endian, as arm64's)."""
    data = read(ko)
    if ko.endswith(".xz"):
        data = lzma.decompress(data)
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise SystemExit(f"mkinitramfs: {ko} is not a little-endian ELF64 module")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)

    def section(i):
        name, _, _, _, off, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
        return name, data[off:off + size]

    _, names = section(shstrndx)
    for i in range(shnum):
        name, body = section(i)
        if names[name:names.index(b"\0", name)] == b".modinfo":
            for field in body.split(b"\0"):
                if field.startswith(b"depends="):
                    return [d for d in field[8:].decode().split(",") if d]
            return []
    return []


def module_order(kmod_dir, names):
    """The .ko paths (relative to kmod_dir) for names and every module they depend on, each
    after its dependencies. Debian's package has no modules.dep (depmod makes it when the
    package is installed), so the dependencies come from each module's .modinfo."""
    paths = {}
    for d, _, files in os.walk(kmod_dir):
        for f in files:
            if f.endswith((".ko", ".ko.xz")):
                paths[f.split(".ko")[0].replace("-", "_")] = os.path.join(d, f)
    order, seen = [], set()

    def visit(name):
        key = name.replace("-", "_")
        if key in seen:
            return
        seen.add(key)
        if key not in paths:
            raise SystemExit(f"mkinitramfs: module {name} not under {kmod_dir} "
                             "(built in, or not built?)")
        for dep in modinfo_depends(paths[key]):
            visit(dep)
        order.append(os.path.relpath(paths[key], kmod_dir))

    for n in names:
        visit(n)
    return order


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", required=True, help="the cpio archive to write")
    ap.add_argument("--busybox", required=True, help="a static busybox binary")
    ap.add_argument("--init", required=True, help="the shell script installed as /init")
    ap.add_argument("--applets", default=",".join(APPLETS),
                    help="comma-separated busybox applets to link in /bin (default: %(default)s)")
    ap.add_argument("--file", action="append", default=[], metavar="SRC:DEST",
                    help="copy SRC to DEST in the archive (keeps SRC's executable bit)")
    ap.add_argument("--kmod-dir", help="the kernel's /lib/modules/VERSION, for --module")
    ap.add_argument("--module", action="append", default=[], metavar="NAME",
                    help="a kernel module (e.g. virtio_blk) copied with its dependencies")
    ap.add_argument("--gzip", action="store_true", help="gzip the archive")
    args = ap.parse_args()

    c = Cpio()
    for d in DIRS:
        c.mkdir(d)
    c.chardev("dev/console", 5, 1)
    c.chardev("dev/null", 1, 3, 0o666)
    c.file("bin/busybox", read(args.busybox), 0o755)
    for a in filter(None, args.applets.split(",")):
        c.symlink("bin/" + a, "busybox")
    c.file("init", read(args.init), 0o755)
    for spec in args.file:
        src, sep, dest = spec.rpartition(":")
        if not sep:
            raise SystemExit(f"mkinitramfs: --file {spec}: expected SRC:DEST")
        c.file(dest, read(src), 0o755 if os.access(src, os.X_OK) else 0o644)
    if args.module:
        if not args.kmod_dir:
            raise SystemExit("mkinitramfs: --module needs --kmod-dir")
        order = module_order(args.kmod_dir, args.module)
        names = []
        for path in order:
            data = read(os.path.join(args.kmod_dir, path))
            if path.endswith(".xz"):  # busybox's insmod wants the plain .ko
                data = lzma.decompress(data)
            names.append(os.path.basename(path).removesuffix(".xz"))
            c.file("lib/modules/" + names[-1], data)
        c.file("lib/modules/load.order", "".join(n + "\n" for n in names).encode())
    data = c.finish()
    if args.gzip:
        data = gzip.compress(data, mtime=0)
    with open(args.output, "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
