#!/usr/bin/env python3
"""make bench: deterministic costs of mapvisor's memory modes, under QEMU
-icount shift=0,sleep=off (virtual time advances 1 ns per instruction, so results do not
depend on the machine's load).

One boot: a small 1:1 dom0 and three 512 MiB domUs -- direct-mapped (xen,static-mem, 1:1),
translated, and coloured (half of the 32 colours) -- each on its own CPU. Reported per
domain: stage-2 leaf entries and table pages (from the hypervisor's log), entries per GiB of
RAM, and virtual time from power-on to the domain's first instruction (the probe reads
CNTPCT_EL0 at entry). The Xen comparison (make compare-xen) has the hypercall and boot costs
against Xen 4.17.

Then the DMA path: a 1:1 dom0 drives QEMU's edu DMA engine behind the SMMU, once following
the per-device property (direct: the SMMU walks dom0's p2m) and once Linux 6.1's rule
(XENFEAT_direct_mapped -> swiotlb-xen for every device). Half of the 4 KiB transfers cross
from a local page into a granted one. Reported: bytes bounced per 1000 mapped and the CPU
time of dma_map + dma_unmap per transfer (the device's own time is not counted: edu takes
100 ms of virtual time per transfer, which is also why the runs are short).

Then the seed's case: a dom0 backend maps a domU's granted page 20 times and reports the
grant map + unmap round trip and the CPU side of a 4 KiB DMA into it (map, dma_map,
dma_unmap, unmap), with the bytes bounced, for a 1:1 dom0 under both rules and a coloured one.

Then Linux: linux_dma.py (a Linux dom0 with and without linux/'s module), linux.py (boot and
O_DIRECT read, bare / Xen 4.17 / mapvisor) and linux_domu.py (a translated Linux domU beside
a Linux dom0 and beside a libguest one, and its O_DIRECT read through the virtual host
bridge against bare Linux's).
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import run  # noqa: E402
import linux_dma  # noqa: E402  (bench/linux_dma.py: Linux dom0 with and without linux/'s module)
import linux  # noqa: E402  (bench/linux.py: Linux boots, bare / Xen 4.17 / mapvisor)
import linux_domu  # noqa: E402  (bench/linux_domu.py: a Linux domU's boot and PCI read)

DOMU = 'compatible = "xen,domain"; xen,enhanced = "no-xenstore"; #address-cells = <2>; #size-cells = <2>; cpus = <1>; ' \
       'memory = <0x0 0x100000>;'
QEMU = "-cpu cortex-a57 -smp 3 -m 4G -icount shift=0,sleep=off"
# Colouring off: a 1:1 dom0, a direct-mapped domU (1 GiB at a 1 GiB boundary) and a translated
# one. Colouring on (Xen's rule: then every domain is coloured): dom0 and a domU with half the
# colours. 1 GiB each, so the entry counts are per GiB.
BOOTS = [
    ("modes", {
        "qemu": QEMU, "xen-bootargs": "dom0_mem=64M", "dom0": "probe",
        "dts": ["/ { chosen { "
                f"domU1 {{ {DOMU} direct-map; xen,static-mem = <0x0 0x80000000 0x0 0x40000000>; }}; "
                f"domU2 {{ {DOMU} }}; }}; }};"],
        "domu": ["domU1 probe", "domU2 probe"]}),
    ("coloured", {
        "qemu": QEMU,
        "xen-bootargs": "dom0_mem=64M llc-coloring=on llc-size=2M llc-nr-ways=16 "
                        "dom0-llc-colors=0-15",
        "dom0": "probe",
        "dts": [f'/ {{ chosen {{ domU1 {{ {DOMU} llc-colors = "16-31"; }}; }}; }};'],
        "domu": ["domU1 probe"]}),
]
DMA_TRANSFERS = 6
DMA_BOOTS = [(rule, {"qemu": "-cpu cortex-a57 -smp 1 -m 1G -icount shift=0,sleep=off "
                              "-device edu,dma_mask=0xffffffffff",
                      "xen-bootargs": "dom0_mem=64M", "dom0": "dma",
                      "dom0-bootargs": f"dma_rule={rule} bench={DMA_TRANSFERS}"})
             for rule in ("per-device", "linux")]
DMA = re.compile(r"^dma-bench: (\d+) x 4 KiB, (\S+): (\d+) bytes bounced per 1000 mapped, "
                 r"(\d+) ns in map\+unmap each$")
PV_DOMU = ('/ { chosen { domU1 { compatible = "xen,domain"; xen,enhanced = "no-xenstore"; #address-cells = <2>; '
           '#size-cells = <2>; memory = <0x0 0x8000>; cpus = <1>; }; }; };')
PV_BOOTS = [(name, {"qemu": "-cpu cortex-a57 -smp 2 -m 1G -icount shift=0,sleep=off "
                            "-device edu,dma_mask=0xffffffffff",
                    "xen-bootargs": xen, "dom0": "backend",
                    "dom0-bootargs": f"front=1 port=1 bench=20 {args}",
                    "dts": [PV_DOMU], "domu": ["domU1 frontend"]})
            for name, xen, args in (
                ("1:1 dom0, per-device rule", "dom0_mem=64M", ""),
                ("1:1 dom0, Linux 6.1 rule", "dom0_mem=64M", "dma_rule=linux"),
                ("coloured dom0", "dom0_mem=32M llc-coloring=on llc-size=2M llc-nr-ways=16 "
                                  "dom0-llc-colors=2-7", ""))]
PV = re.compile(r"^backend-bench: (\d+) x grant map\+unmap: (\d+) ns each; 4 KiB foreign "
                r"DMA, CPU side: (\d+) ns each, (\d+) bytes bounced, (\S+) path$")
P2M = re.compile(r"^\(mv\) d(\d+): p2m: (\d+) MiB RAM (\S+) in (\d+) entries; leaf entries: "
                 r"(\d+) of 1G, (\d+) of 2M, (\d+) of 4K; (\d+) MMIO ranges; (\d+) table pages$")
MODE = re.compile(r"^\(mv\) d(\d+): (?:RAM bank 0: .* (1:1|translated) machine|(\d+) MiB (coloured))")
# dom0's console is raw (no "(d0) " prefix), domUs' lines are prefixed
ENTRY = re.compile(r"^(?:\(d(\d+)\) )?probe: first instruction at (\d+) us after power-on$")


def boot_log(name, values):
    sc = run.parse_scenario_text(name, dict(values, timeout="300"))
    workdir = os.path.join(run.BUILD, "bench", name)
    os.makedirs(workdir, exist_ok=True)
    dtb = run.build_dtb(sc, workdir)
    out = subprocess.run(run.qemu_command(sc, dtb, workdir), stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=300).stdout
    with open(os.path.join(workdir, "output.log"), "w") as f:
        f.write(out)
    return out, workdir


def boot(name, values):
    out, workdir = boot_log(name, values)
    rows = {}
    for line in out.splitlines():
        if m := P2M.match(line):
            rows.setdefault(int(m.group(1)), {}).update(
                ram_mib=int(m.group(2)), ram_leaves=int(m.group(4)),
                leaves=sum(int(m.group(i)) for i in (5, 6, 7)), tables=int(m.group(9)))
        elif m := MODE.match(line):
            rows.setdefault(int(m.group(1)), {})["mode"] = m.group(2) or m.group(4)
        elif m := ENTRY.match(line):
            rows.setdefault(int(m.group(1) or 0), {})["entry_us"] = int(m.group(2))
    if not rows or any("entry_us" not in r or "leaves" not in r for r in rows.values()):
        raise SystemExit(f"bench: boot '{name}' did not produce every line; see {workdir}")
    return rows


def main():
    print("| boot | domain | memory | RAM | stage-2 leaf entries | of them for RAM, per GiB "
          "| table pages | power-on to first instruction |")
    print("|---|---|---|---|---|---|---|---|")
    for name, values in BOOTS:
        for d, r in sorted(boot(name, values).items()):
            ram_leaves = r["ram_leaves"]
            print(f"| {name} | {'dom0' if d == 0 else f'domU{d}'} | {r.get('mode', '?')} "
                  f"| {r['ram_mib']} MiB | {r['leaves']} | {ram_leaves * 1024 // r['ram_mib']} "
                  f"| {r['tables']} | {r['entry_us'] / 1000:.1f} ms |")
    print()
    print("| guest DMA rule | path | 4 KiB transfers | bytes bounced per 1000 mapped "
          "| dma_map + dma_unmap per transfer |")
    print("|---|---|---|---|---|")
    for rule, values in DMA_BOOTS:
        out, workdir = boot_log(f"dma-{rule}", values)
        m = next((m for m in map(DMA.match, out.splitlines()) if m), None)
        if not m or "FAIL" in out:
            raise SystemExit(f"bench: DMA run '{rule}' failed; see {workdir}")
        print(f"| {rule} | {m.group(2)} | {m.group(1)} | {m.group(3)} | {m.group(4)} ns |")
    print()
    print("| backend (dom0, edu behind the SMMU) | path | grant map + unmap | 4 KiB foreign DMA, "
          "CPU side | bytes bounced per 4 KiB |")
    print("|---|---|---|---|---|")
    for name, values in PV_BOOTS:
        out, workdir = boot_log("pv-" + re.sub(r"[^a-z0-9]+", "-", name.lower()), values)
        m = next((m for m in map(PV.match, out.splitlines()) if m), None)
        if not m or "FAIL" in out:
            raise SystemExit(f"bench: grant run '{name}' failed; see {workdir}")
        print(f"| {name} | {m.group(5)} | {m.group(2)} ns | {m.group(3)} ns | {m.group(4)} |")
    print()
    rc = linux_dma.main(boot_log)
    bare = linux.main()
    print()
    return linux_domu.main(bare) or rc


if __name__ == "__main__":
    sys.exit(main())
