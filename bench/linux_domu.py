#!/usr/bin/env python3
"""make bench, Linux as a dom0less domU (issue 13), under QEMU -icount shift=0,sleep=off with
bench/linux.py's initramfs and marks. One run each.

Boot: power-on to a translated Linux domU's first instruction, /init and poweroff (its
vpl011 console, the virtio-blk-pci function through its virtual host bridge, behind the
SMMU), once beside a Linux dom0 and once beside a libguest probe dom0 (mapvisor needs a
dom0), to show that the domU does not wait for dom0. The marks are bench/linux.py's:
mapvisor's "d1: vCPU 0 enters ..." line, and the domU's own "Run /init" and "reboot: Power
down" lines in counter time (its CNTVOFF is 0, as dom0's).

O_DIRECT: the second boot's domU reads its 64 MiB disk as bench/linux.py's bare Linux does
(bench read: busy instructions per MiB, virtual time minus CPU 0's idle and iowait time), so
the two rows compare; bare Linux's row is the one bench/linux.py measured in the same make
bench. Config-space accesses trapped during the read: the hypervisor's count at the domU's
stop, minus a third boot's that reads nothing.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import linux  # noqa: E402

DOMU = ('/ { chosen { domU1 { compatible = "xen,domain"; xen,enhanced = "no-xenstore"; '
        '#address-cells = <2>; #size-cells = <2>; memory = <0x0 0x80000>; cpus = <1>; vpl011; '
        'mapvisor,pci-devices = "00:01.0"; }; }; };')
DOMU_APPEND = "console=ttyAMA0 panic=-1 bench_mib=%d"
TRAPS = re.compile(r"^\(mv\) d1: vPCI: (\d+) config-space reads and (\d+) writes trapped$")


def scenario(dom0, mib):
    """A 512 MiB translated Linux domU on its own CPU reading mib MiB, beside dom0 ("linux":
    Linux on one vCPU, 256 MiB, reading nothing; or a libguest program)."""
    values = {
        "qemu": f"-cpu cortex-a57 -smp 2 -m 2G {linux.ICOUNT}",
        "xen-bootargs": "dom0_mem=256M dom0_max_vcpus=1 loglvl=debug",
        "linux-modules": "virtio_pci virtio_blk", "pci-disk": linux.DISK, "dts": [DOMU],
        "linux-append-for": [f"domU1 {DOMU_APPEND % mib}",
                             "dom0 console=hvc0 panic=-1 bench_mib=0"]}
    if dom0 == "linux":
        values.update({"linux": "dom0 domU1", "dom0": "none"})
    else:
        values.update({"linux": "domU1", "dom0": dom0})
    return values


BOOTS = [
    ("Linux dom0", "domu-beside-linux-dom0", scenario("linux", 0)),
    ("libguest probe dom0", "domu-beside-probe-dom0", scenario("probe", linux.READ_MIB)),
]
NO_READ = ("domu-read-nothing", scenario("probe", 0))


def traps(name, lines, workdir):
    m = linux.first(TRAPS, lines)
    if not m:
        raise SystemExit(f"bench: '{name}' has no vPCI trap count; see {workdir}")
    return int(m.group(1)), int(m.group(2))


def ms(v):
    return f"{v:.1f} ms"


def boot_table():
    """Prints the boot marks; returns the reading boot's lines and work directory."""
    print("| Linux domU (translated, vPCI disk behind the SMMU) beside | domain "
          "| first instruction | /init | poweroff | first instruction to /init |")
    print("|---|---|---|---|---|---|")
    got = None
    for dom0, name, values in BOOTS:
        lines, workdir = linux.run_linux(name, values)
        for d in (0, 1):
            if d == 0 and values["dom0"] != "none":
                m = linux.first(linux.mv_entry(0), lines)
                if not m:
                    raise SystemExit(f"bench: '{name}' has no d0 entry line; see {workdir}")
                print(f"| {dom0} | dom0 ({values['dom0']}) | {ms(int(m.group(1)) / 1e6)} "
                      "| — | — | — |")
                continue
            entry, init, down = linux.marks(name, "mapvisor", lines, d)
            print(f"| {dom0} | {'dom0' if d == 0 else 'domU1'} (Linux) | {ms(entry)} "
                  f"| {ms(init)} | {ms(down)} | {ms(init - entry)} |")
        got = (lines, workdir)
    return got


def read_table(lines, workdir, bare):
    """The domU's O_DIRECT read against bare Linux's (bench/linux.py's read_table)."""
    domu = linux.read_result("translated domU", lines, workdir, 1)
    name, values = NO_READ
    base_lines, base_dir = linux.run_linux(name, values)
    reads, writes = traps(BOOTS[1][1], lines, workdir)
    base_reads, base_writes = traps(name, base_lines, base_dir)
    print("| Linux | DMA path | busy instructions per MiB | PMU instructions per MiB "
          "| virtual time per MiB (idle-dominated) | sectors wrong "
          "| config reads + writes trapped (boot reading nothing) | trapped per MiB read |")
    print("|---|---|---|---|---|---|---|---|")
    row = bare.get("bare Linux") if bare else None
    if row:
        print(linux.read_row("bare Linux, 512 MiB", "iommu-dma (QEMU's SMMUv3)", row) + " — | — |")
    else:
        print("| bare Linux | iommu-dma (QEMU's SMMUv3) | SKIP | | | | | |")
    per_mib = (reads + writes - base_reads - base_writes) / linux.READ_MIB
    print(linux.read_row("mapvisor, translated domU, 512 MiB",
                         "dma-direct, virtual host bridge (SMMU walks its stage 2)", domu) +
          f" {reads} + {writes} ({base_reads} + {base_writes}) | {per_mib:.2f} |")
    if row:
        print()
        print(f"domU / bare Linux, busy instructions per MiB: {domu['busy'] / row['busy']:.3f}")


def main(bare=None):
    """bare: bench/linux.py's read_table results (None: bare Linux's row is skipped)."""
    if not linux.run.linux_packages():
        print("SKIP bench linux domU: Debian's Linux and busybox packages could not be fetched")
        return 0
    lines, workdir = boot_table()
    print()
    read_table(lines, workdir, bare)
    return 0


if __name__ == "__main__":
    sys.exit(main(linux.main() if "--with-bare" in sys.argv else None))
