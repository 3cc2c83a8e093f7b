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


def mv_entry(domain):
    """mapvisor's loglvl=debug line written just before the domain's first ERET."""
    return re.compile(rf"^\(mv\) d{domain}: vCPU 0 enters at 0x[0-9a-f]+ on pCPU \d+, (\d+) ns "
                      r"after power-on$")


PRINTK = r"^\[\s*(\d+)\.(\d{6})\] "
RUN_INIT = re.compile(PRINTK + r"Run /init as init process")
POWER_DOWN = re.compile(PRINTK + r"reboot: Power down")
READ = re.compile(r"LINUX: bench read (\S+): (\d+) MiB in (\d+) ns, idle (\d+) ns, busy (\d+) ns, "
                  r"pmu instructions (-?\d+), (\d+) bad sectors")


INIT = os.path.relpath(os.path.join(HERE, "init-bench"), os.path.join(ROOT, "tests", "linux"))
FILES = ["linux-progs/bench:/bin/bench"]


def boot(name, hv, machine, qemu, bootargs, disk, image):
    """Boots Linux (bare or as dom0 of image); returns the console lines."""
    append = "console=ttyAMA0" if hv == "none" else "console=hvc0"
    modules = "xen-privcmd" + (" virtio_pci virtio_blk" if disk else "")
    return run_linux(name, {
        "machine": machine, "qemu": f"-cpu cortex-a57 {qemu} {ICOUNT}",
        "xen-bootargs": bootargs, "dom0": "none", "linux": "dom0",
        "linux-modules": modules, "linux-append": append + " panic=-1", "pci-disk": disk},
        hv, image)


def run_linux(name, values, hv="mapvisor", image=MAPVISOR):
    """Runs a scenario whose Linux domains boot with bench's /init (init-bench.sh) and
    /bin/bench: bare (hv "none": QEMU loads the kernel) or on the hypervisor image; returns
    the console lines and the work directory (build/bench/linux-NAME)."""
    sc = run.parse_scenario_text(name, dict({"linux-init": INIT, "linux-files": FILES,
                                             "timeout": "600"}, **values))
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
    for d in linux_domains(sc):
        if not any("LINUX: poweroff" in l for l in domain_lines(lines, d)):
            raise SystemExit(f"bench: Linux boot '{name}' did not reach poweroff in d{d}; "
                             f"see {workdir}")
    return lines, workdir


def linux_domains(sc):
    """The domain ids of the scenario's Linux domains: dom0 is 0, domUs are numbered from 1
    in the order of their /chosen nodes, which is the order of the scenario's dts: line."""
    nodes = run.linux_nodes(sc)
    domus = re.findall(r"(\w+) \{ compatible = \"xen,domain\"", " ".join(sc["dts"]))
    return [0 if n == "dom0" else domus.index(n) + 1 for n in nodes]


# a line another console writer prefixed: the hypervisor's, Xen's or a domU's
OTHERS = re.compile(r"^\((?:mv|XEN|d\d+)\) ")


def domain_lines(lines, domain):
    """One domain's console lines: dom0's are the unprefixed ones, a domU's carry "(dN) "
    (dropped here)."""
    if domain == 0:
        return [l for l in lines if not OTHERS.match(l)]
    prefix = f"(d{domain}) "
    return [l[len(prefix):] for l in lines if l.startswith(prefix)]


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


def marks(name, hv, lines, domain=0):
    """ms from power-on to the domain's first instruction, /init and poweroff."""
    own = domain_lines(lines, domain)
    init = {m.group(1): m for m in map(STAMP.search, own) if m}.get("init")
    run_init, down = first(RUN_INIT, own), first(POWER_DOWN, own)
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
        m = first(mv_entry(domain), lines)
        entry = int(m.group(1)) if m else None
    else:
        m = first(XEN_FREED, lines)
        entry = ns(int(m.group(1), 16)) if m else None
    if entry is None:
        raise SystemExit(f"bench: boot '{name}' has no line marking d{domain}'s first instruction")
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


def read_result(what, lines, workdir, domain=0):
    """bench read's line in the domain's console, per MiB; refuses a wrong sector."""
    m = first(READ, domain_lines(lines, domain))
    if not m:
        raise SystemExit(f"bench: read '{what}' printed no result; see {workdir}")
    if int(m.group(7)):
        raise SystemExit(f"bench: read '{what}' got wrong data; see {workdir}")
    mib, pmu = int(m.group(2)), int(m.group(6))
    return {"busy": int(m.group(5)) // mib, "pmu": pmu // mib if pmu >= 0 else None,
            "elapsed": int(m.group(3)) // mib, "bad": int(m.group(7))}


def read_row(what, path, r):
    pmu = f"{r['pmu']:,}" if r["pmu"] is not None else "no PMU"
    return f"| {what} | {path} | {r['busy']:,} | {pmu} | {r['elapsed']:,} ns | {r['bad']} |"


def read_table(xen):
    """Prints the O_DIRECT table; returns each run's read_result by its name in READS."""
    print("| Linux | DMA path | busy instructions per MiB | PMU instructions per MiB "
          "| virtual time per MiB (idle-dominated) | sectors wrong |")
    print("|---|---|---|---|---|---|")
    got = {}
    for what, path, hv, machine, qemu, bootargs in READS:
        if hv == "xen" and not xen:
            print(f"| {what} | {path} | SKIP | | | |")
            continue
        image = xen if hv == "xen" else MAPVISOR
        name = "read-" + re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")
        lines, workdir = boot(name, hv, machine, qemu, bootargs, DISK, image)
        got[what] = read_result(what, lines, workdir)
        print(read_row(what, path, got[what]))
    return got


def main():
    """Returns the O_DIRECT reads (read_table's), or None when Linux cannot be fetched."""
    if not run.linux_packages():
        print("SKIP bench linux: Debian's Linux and busybox packages could not be fetched")
        return None
    xen, err = compare.fetch_xen()
    if err:
        print(f"SKIP bench linux under Xen: {err}")
    boot_table(xen)
    print()
    return read_table(xen)


if __name__ == "__main__":
    main()
