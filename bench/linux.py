#!/usr/bin/env python3
"""make bench, the Linux part: Debian's arm64 Linux 6.1 with the same initramfs
(bench/init-bench.sh, tests/linux/progs/bench.c) booted bare on QEMU virt, as dom0 of
Debian's Xen 4.17 and as dom0 of mapvisor, all under QEMU -icount shift=0,sleep=off, where
the system counter is virtual time and one instruction is one nanosecond. One run each.

Boot: power-on to Linux's first instruction, to /init and to poweroff, in counter time.
  first instruction  bare: QEMU's own loader jumps to the kernel at power-on (0). mapvisor:
                     its loglvl=debug line "d0: vCPU 0 enters ..., N ns after power-on",
                     written just before it enters the guest. Xen: the physical counter that
                     console_timestamps=raw puts on "Freed NkB init memory", Xen's last line
                     before its idle loop schedules dom0.
  /init              CNTVCT_EL0 read by the first program /init runs, plus the guest's counter
                     offset (CNTVOFF_EL2): 0 bare (Linux clears it) and on mapvisor; on Xen the
                     counter at dom0's creation, measured by "bench xen-mark": the guest's
                     CNTVCT just before it presses debug key 'q' against the physical counter
                     on Xen's answer (an upper bound: the hypercall's path is microseconds).
  poweroff           the kernel's "reboot: Power down" line (its last before PSCI SYSTEM_OFF or
                     SCHEDOP_shutdown), its printk time converted to counter time by a
                     /dev/kmsg record "bench stamp init" writes between two counter reads.
O_DIRECT: a 64 MiB sequential read of a virtio-blk-pci disk (iommu_platform=on, 1 MiB per
read(2)) on one CPU; the cost is the CPU time the read took (virtual time minus the kernel's
idle and iowait time, kept in ns), which under -icount is the instructions executed while
Linux was not idle: the guest's, and the hypervisor's on its behalf. The PMU's count is shown
where the guest has one (bare Linux: neither Xen nor mapvisor gives dom0 a PMU).
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
sys.path.insert(0, os.path.join(ROOT, "tests", "compare"))
import run  # noqa: E402
import compare  # noqa: E402  (fetch_xen)

ICOUNT = "-icount shift=0,sleep=off"
SMMU = run.DEFAULT_MACHINE
NO_SMMU = "virt,virtualization=on,gic-version=3"
XEN_ARGS = "console=dtuart dtuart=/pl011@9000000 console_timestamps=raw"
READ_MIB = 64
DISK = f"{READ_MIB * 2048} iommu_platform=on"
# MAPVISOR_BIN: another mapvisor image to measure (e.g. a build of an older commit)
MAPVISOR = os.environ.get("MAPVISOR_BIN", os.path.join(run.BUILD, "mapvisor.bin"))
COLOURED = "llc-coloring=on llc-size=2M llc-nr-ways=16 dom0-llc-colors=2-15"

# name, hypervisor, machine, QEMU options, hypervisor command line, disk
BOOTS = [
    ("bare", "none", SMMU, "-smp 2 -m 512M", "", None),
    ("xen", "xen", SMMU, "-smp 2 -m 1G", f"{XEN_ARGS} dom0_mem=512M", None),
    ("mapvisor", "mapvisor", SMMU, "-smp 2 -m 1G", "dom0_mem=512M loglvl=debug", None),
]
READS = [
    ("bare Linux", "iommu-dma (QEMU's SMMUv3)", "none", SMMU, "-smp 1 -m 512M", ""),
    ("Xen 4.17, 1:1 dom0, no SMMU", "swiotlb-xen", "xen", NO_SMMU, "-smp 1 -m 1G",
     f"{XEN_ARGS} dom0_mem=512M"),
    ("mapvisor, 1:1 dom0", "swiotlb-xen (SMMU walks dom0's stage 2)", "mapvisor", SMMU,
     "-smp 1 -m 1G", "dom0_mem=512M"),
    ("mapvisor, coloured dom0", "dma-direct (SMMU walks dom0's stage 2)", "mapvisor", SMMU,
     "-smp 1 -m 2G", f"dom0_mem=512M {COLOURED}"),
]

STAMP = re.compile(r"LINUX: bench stamp (\S+): cntvct (\d+)\.\.(\d+) cntfrq (\d+) printk_us (\d+)")
XEN_MARK = re.compile(r"LINUX: bench xen-mark: cntvct (\d+)\.\.(\d+), sysctl debug_keys: (-?\d+)")
XEN_RAW = r"^\(XEN\) \[([0-9a-f]{16})\] "
XEN_Q = re.compile(XEN_RAW + r"'q' pressed")
XEN_FREED = re.compile(XEN_RAW + r"Freed \d+kB init memory")
MV_ENTRY = re.compile(r"^\(mv\) d0: vCPU 0 enters at 0x[0-9a-f]+ on pCPU \d+, (\d+) ns after "
                      r"power-on$")
PRINTK = r"^\[\s*(\d+)\.(\d{6})\] "
RUN_INIT = re.compile(PRINTK + r"Run /init as init process")
POWER_DOWN = re.compile(PRINTK + r"reboot: Power down")
READ = re.compile(r"LINUX: bench read (\S+): (\d+) MiB in (\d+) ns, idle (\d+) ns, busy (\d+) ns, "
                  r"pmu instructions (-?\d+), (\d+) bad sectors")


def boot(name, hv, machine, qemu, bootargs, disk, image):
    """Boots Linux (bare or as dom0 of image); returns the console lines."""
    append = "console=ttyAMA0" if hv == "none" else "console=hvc0"
    modules = "xen-privcmd" + (" virtio_pci virtio_blk" if disk else "")
    sc = run.parse_scenario_text(name, {
        "machine": machine, "qemu": f"-cpu cortex-a57 {qemu} {ICOUNT}",
        "xen-bootargs": bootargs, "dom0": "none", "linux": "dom0",
        "linux-init": os.path.relpath(os.path.join(HERE, "init-bench"),
                                      os.path.join(ROOT, "tests", "linux")),
        "linux-modules": modules, "linux-files": ["linux-progs/bench:/bin/bench"],
        "linux-append": append + " panic=-1", "pci-disk": disk, "timeout": "600"})
    workdir = os.path.join(run.BUILD, "bench", "linux-" + name)
    os.makedirs(workdir, exist_ok=True)
    if hv == "none":
        kernel, initrd = run.linux_images(sc, workdir)
        cmd = [run.QEMU] + run.machine_args(sc) + run.disk_args(sc, workdir) + [
            "-nographic", "-no-reboot", "-kernel", kernel, "-initrd", initrd,
            "-append", sc["linux-append"]]
    else:
        cmd = run.qemu_command(sc, run.build_dtb(sc, workdir), workdir)
        cmd[cmd.index("-kernel") + 1] = image
    try:
        out = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=600).stdout
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"") + b"\n(timed out)\n"
    lines = [l.replace("\r", "") for l in out.decode(errors="replace").split("\n")]
    with open(os.path.join(workdir, "output.log"), "w") as f:
        f.write("$ " + " ".join(cmd) + "\n" + "\n".join(lines) + "\n")
    if not any("LINUX: poweroff" in l for l in lines):
        raise SystemExit(f"bench: Linux boot '{name}' did not reach poweroff; see {workdir}")
    return lines, workdir


def first(rx, lines):
    return next((m for m in map(rx.search, lines) if m), None)


def counter_offset_ns(hv, lines, ns):
    """The guest's CNTVOFF in ns: 0 bare and on mapvisor; Xen's from bench xen-mark."""
    if hv != "xen":
        return 0
    mark, q = first(XEN_MARK, lines), first(XEN_Q, lines)
    if not mark or not q or int(mark.group(3)) != 0:
        raise SystemExit("bench: no Xen counter offset (bench xen-mark or Xen's 'q' line missing)")
    return ns(int(q.group(1), 16)) - ns(int(mark.group(1)))


def marks(name, hv, lines):
    """ms from power-on to the first instruction, /init and poweroff."""
    init = {m.group(1): m for m in map(STAMP.search, lines) if m}.get("init")
    run_init, down = first(RUN_INIT, lines), first(POWER_DOWN, lines)
    if not init or not run_init or not down:
        raise SystemExit(f"bench: boot '{name}' lacks the init stamp, 'Run /init' or "
                         "'reboot: Power down'")
    freq = int(init.group(4))

    def ns(count):
        return count * 10**9 // freq

    voff = counter_offset_ns(hv, lines, ns)
    # the printk clock's zero in counter time: the kmsg record was stamped between two reads
    printk_zero = (ns(int(init.group(2))) + ns(int(init.group(3)))) // 2 - int(init.group(5)) * 1000
    if hv == "none":
        entry = 0
    elif hv == "mapvisor":
        m = first(MV_ENTRY, lines)
        entry = int(m.group(1)) if m else None
    else:
        m = first(XEN_FREED, lines)
        entry = ns(int(m.group(1), 16)) if m else None
    if entry is None:
        raise SystemExit(f"bench: boot '{name}' has no line marking dom0's first instruction")
    def printk_ms(m):
        return (int(m.group(1)) * 10**9 + int(m.group(2)) * 1000 + printk_zero + voff) / 1e6

    return [entry / 1e6, printk_ms(run_init), printk_ms(down)]


def ratio(a, b):
    return f"{a / b:.3f}" if b else "—"


def boot_table(xen):
    got = {}
    for name, hv, machine, qemu, bootargs, disk in BOOTS:
        if hv == "xen" and not xen:
            continue
        image = xen if hv == "xen" else MAPVISOR
        lines, _ = boot(name, hv, machine, qemu, bootargs, disk, image)
        got[name] = marks(name, hv, lines)
    print("| power-on to | bare Linux | Xen 4.17 | mapvisor | mapvisor/bare | Xen/bare "
          "| mapvisor/Xen |")
    print("|---|---|---|---|---|---|---|")
    bare, mv = got["bare"], got["mapvisor"]
    xv = got.get("xen", [0, 0, 0])
    for i, what in enumerate(("Linux's first instruction", "/init", "poweroff")):
        xen_ms = f"{xv[i]:.1f} ms" if "xen" in got else "SKIP"
        print(f"| {what} | {bare[i]:.1f} ms | {xen_ms} | {mv[i]:.1f} ms "
              f"| {ratio(mv[i], bare[i]) if i else '—'} | {ratio(xv[i], bare[i]) if i else '—'} "
              f"| {ratio(mv[i], xv[i])} |")


def read_table(xen):
    print("| Linux | DMA path | busy instructions per MiB | PMU instructions per MiB "
          "| virtual time per MiB (idle-dominated) | sectors wrong |")
    print("|---|---|---|---|---|---|")
    for what, path, hv, machine, qemu, bootargs in READS:
        if hv == "xen" and not xen:
            print(f"| {what} | {path} | SKIP | | | |")
            continue
        image = xen if hv == "xen" else MAPVISOR
        name = "read-" + re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")
        lines, workdir = boot(name, hv, machine, qemu, bootargs, DISK, image)
        m = first(READ, lines)
        if not m:
            raise SystemExit(f"bench: read '{what}' printed no result; see {workdir}")
        mib = int(m.group(2))
        pmu = int(m.group(6))
        print(f"| {what} | {path} | {int(m.group(5)) // mib:,} "
              f"| {f'{pmu // mib:,}' if pmu >= 0 else 'no PMU'} "
              f"| {int(m.group(3)) // mib:,} ns | {m.group(7)} |")
        if int(m.group(7)):
            raise SystemExit(f"bench: read '{what}' got wrong data; see {workdir}")


def main():
    if not run.linux_packages():
        print("SKIP bench linux: Debian's Linux and busybox packages could not be fetched")
        return 0
    xen, err = compare.fetch_xen()
    if err:
        print(f"SKIP bench linux under Xen: {err}")
    boot_table(xen)
    print()
    read_table(xen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
