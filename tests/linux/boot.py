#!/usr/bin/env python3
"""Boots Debian's arm64 Linux with an initramfs under QEMU: bare (QEMU's -kernel/-initrd), or
as dom0 of a Xen-ABI hypervisor (Debian's Xen 4.17, or mapvisor) from the same DTB.

As dom0 the kernel and initramfs are boot modules (Xen's multiboot bindings,
docs/misc/arm/device-tree/booting.txt): /chosen/module@ADDR nodes "multiboot,kernel" and
"multiboot,ramdisk", loaded with QEMU's -device loader. The DTB is QEMU's own for the machine
plus that /chosen (tests/system/run.py builds it). The whole console output goes to --log;
printed are the QEMU command line, the wall time from QEMU's start to the init script's first
line ("LINUX: init:") and to the end, and how QEMU ended. Exit status: 0 when the guest
printed "LINUX: poweroff", 1 otherwise (timed out, crashed, or never reached /init).
"""
import argparse
import os
import shlex
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import run  # noqa: E402  (DTB generation and the machine's QEMU options)

KERNEL_ADDR = 0x50000000  # 256 MiB into QEMU virt's RAM: clear of QEMU's DTB and of Xen
RAMDISK_GAP = 0x400000  # the ramdisk starts this far (2 MiB aligned) after the kernel
XEN_BOOTARGS = "console=dtuart dtuart=/pl011@9000000 dom0_mem=512M"


def align(v, a):
    return (v + a - 1) // a * a


def xen_modules_dts(kernel, initrd, bootargs):
    """The /chosen module nodes for dom0's kernel and ramdisk, and their load addresses."""
    k_addr = KERNEL_ADDR
    r_addr = align(k_addr + os.path.getsize(kernel) + RAMDISK_GAP, 0x200000)
    lines = ["/ {", "\tchosen {"] + run.module_node(k_addr, kernel, bootargs, 2)
    lines += [f"\t\tmodule@{r_addr:x} {{",
              '\t\t\tcompatible = "multiboot,ramdisk", "multiboot,module";',
              f"\t\t\treg = <0x0 0x{r_addr:x} 0x0 0x{os.path.getsize(initrd):x}>;",
              "\t\t};", "\t};", "};"]
    return "\n".join(lines), [(kernel, k_addr), (initrd, r_addr)]


def command(args, workdir):
    sc = run.parse_scenario_text("linux", {
        "machine": args.machine, "qemu": args.qemu, "xen-bootargs": args.xen_bootargs,
        "dom0": "none"})
    if args.hv == "none":
        return [run.QEMU] + run.machine_args(sc) + [
            "-nographic", "-no-reboot", "-kernel", args.kernel, "-initrd", args.initrd,
            "-append", args.append]
    dts, loads = xen_modules_dts(args.kernel, args.initrd, args.append)
    sc["dts"] = [dts]
    dtb = run.build_dtb(sc, workdir)
    image = args.hv_image or (os.path.join(run.BUILD, "mapvisor.bin") if args.hv == "mapvisor"
                              else fetch_xen())
    cmd = run.qemu_command(sc, dtb, workdir)
    cmd[cmd.index("-kernel") + 1] = image
    for path, addr in loads:
        cmd += ["-device", f"loader,file={path},addr=0x{addr:x},force-raw=on"]
    return cmd


def fetch_xen():
    out = subprocess.run(["bash", os.path.join(ROOT, "tools", "fetch-xen.sh")],
                         capture_output=True, text=True)
    if out.returncode != 0:
        print(f"SKIP linux boot: Xen 4.17 could not be fetched ({out.stderr.strip()})")
        sys.exit(77)
    return out.stdout.strip()


def main():
    deps = os.path.join(run.BUILD, "deps", "linux")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hv", choices=["none", "xen", "mapvisor"], default="none")
    ap.add_argument("--hv-image", help="the hypervisor image (default: by --hv)")
    ap.add_argument("--kernel", default=os.path.join(deps, "Image"))
    ap.add_argument("--initrd", required=True, help="from tools/mkinitramfs.py")
    ap.add_argument("--append", help="the kernel command line (default: by --hv)")
    ap.add_argument("--xen-bootargs", default=XEN_BOOTARGS)
    ap.add_argument("--machine", default=run.DEFAULT_MACHINE)
    ap.add_argument("--qemu", default="-cpu cortex-a57 -smp 2 -m 1G", help="extra QEMU options")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    if args.append is None:
        args.append = "console=ttyAMA0" if args.hv == "none" else "console=hvc0 earlycon=xenboot"
    args.append += " panic=-1"
    workdir = os.path.join(run.BUILD, "linux", os.path.splitext(os.path.basename(args.log))[0])
    os.makedirs(workdir, exist_ok=True)
    cmd = command(args, workdir)
    print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    marks = {}
    start = time.monotonic()
    with open(args.log, "w") as log:
        log.write("$ " + " ".join(shlex.quote(c) for c in cmd) + "\n")
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)

        def reader():
            # binary, split on \n only: hvc0 ends lines with \r\r\n, not two lines
            for raw in proc.stdout:
                line = raw.decode(errors="replace").rstrip("\r\n").replace("\r", "")
                log.write(line + "\n")
                for key in ("LINUX: init:", "LINUX: poweroff"):
                    if key in line and key not in marks:
                        marks[key] = time.monotonic() - start

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        try:
            status = proc.wait(timeout=args.timeout)
            how = f"QEMU exited with status {status}"
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            how = f"timed out after {args.timeout:g} s (QEMU killed)"
        t.join(timeout=5)
    total = time.monotonic() - start
    to_init = marks.get("LINUX: init:")
    print(f"time to /init: {to_init:.2f} s" if to_init is not None else "never reached /init")
    print(f"{how}, {total:.2f} s; log {args.log}")
    return 0 if "LINUX: poweroff" in marks else 1


if __name__ == "__main__":
    sys.exit(main())
