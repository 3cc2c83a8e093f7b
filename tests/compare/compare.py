#!/usr/bin/env python3
"""Side by side with Xen 4.17: the same comparison guest (guest/progs/compare.c), the same
DTB and modules, the same QEMU, booted once under Debian's Xen 4.17 and once under mapvisor.

Fidelity: every "ANSWER key: value" line is paired; a difference not listed in
tests/compare/intended.txt fails the run. Costs (--costs): null hypercall round trip and
power-on to the guest's first instruction under QEMU -icount shift=0,sleep=off (virtual time
advances one nanosecond per instruction, so the numbers do not depend on the machine's load),
and the image sizes; printed with the ratio mapvisor/Xen against the README's goals. Then
the grant costs: a dom0less domU (guest/progs/grantpeer.c) grants dom0 a page and the compare
guest (mode=grant) times grant map + unmap and a 4 KiB foreign DMA's CPU side, per dom0 mode
(1:1 with and without the SMMU; coloured, mapvisor only).
"""
import argparse
import os
import re
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import run  # noqa: E402  (the scenario runner: DTB generation and QEMU command line)

MAPVISOR = os.path.join(ROOT, "build", "mapvisor.bin")
BOOTARGS = "console=dtuart dtuart=/pl011@9000000 dom0_mem=128M dom0_max_vcpus=2"
ANSWER = re.compile(r"^(?:\(d0\) )?ANSWER (\S+): (.*)$")
COST = re.compile(r"^(?:\(d0\) )?COST (\S+): (\d+)$")
SHUTDOWN_REASONS = [0, 1, 2, 3, 4, 77]
GOALS = {"null_hypercall_ns": 3, "boot_to_guest_ns": 100, "image_bytes": 5}


def fetch_xen():
    out = subprocess.run(["bash", os.path.join(ROOT, "tools", "fetch-xen.sh")],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return None, out.stderr.strip() or "fetch-xen.sh failed"
    return out.stdout.strip(), None


def run_until(cmd, timeout, stop_at=None):
    """QEMU's output until it exits, timeout seconds pass, or a line matches stop_at (then
    it is stopped: a domU that keeps running keeps mapvisor's machine on after dom0 ends)."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace")
    expired = []
    timer = threading.Timer(timeout, lambda: (expired.append(True), proc.kill()))
    timer.start()
    out = []
    try:
        for line in proc.stdout:
            out.append(line)
            if stop_at and re.search(stop_at, line):
                break
    finally:
        timer.cancel()
        proc.kill()
        proc.wait()
    if expired:
        out.append("\n(timed out)")
    return "".join(out)


def boot(name, image, bootargs, qemu_extra="", timeout=120, xen_bootargs=BOOTARGS, stop_at=None,
         **extra):
    """Boots the compare guest as dom0 under image; returns (answers, costs, lines). extra:
    more scenario values (dts, domu, machine)."""
    sc = run.parse_scenario_text(name, dict({
        "xen-bootargs": xen_bootargs, "dom0": "compare", "dom0-bootargs": bootargs,
        "qemu": "-cpu cortex-a57 -smp 2 -m 1G " + qemu_extra, "timeout": str(timeout)}, **extra))
    workdir = os.path.join(run.BUILD, "compare", name)
    os.makedirs(workdir, exist_ok=True)
    dtb = run.build_dtb(sc, workdir)
    cmd = run.qemu_command(sc, dtb, workdir)
    cmd[cmd.index("-kernel") + 1] = image
    out = run_until(cmd, timeout, stop_at)
    lines = [l.rstrip("\r") for l in out.splitlines()]
    with open(os.path.join(workdir, os.path.basename(image) + ".log"), "w") as f:
        f.write("\n".join(lines) + "\n")
    answers, costs = {}, {}
    for l in lines:
        m = ANSWER.match(l)
        if m:
            answers[m.group(1)] = m.group(2)
        m = COST.match(l)
        if m:
            costs[m.group(1)] = int(m.group(2))
    return answers, costs, lines


def load_intended():
    intended = {}
    with open(os.path.join(HERE, "intended.txt")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                key, _, reason = line.partition("|")
                intended[key.strip()] = reason.strip()
    return intended


def fidelity(xen):
    """Returns the number of unintended differences (and prints the table)."""
    pairs = {}
    xa, _, xl = boot("answers", xen, "mode=answers")
    ma, _, ml = boot("answers", MAPVISOR, "mode=answers")
    for k in sorted(set(xa) | set(ma)):
        pairs[k] = (xa.get(k, "(missing)"), ma.get(k, "(missing)"))
    for reason in SHUTDOWN_REASONS:
        args = f"mode=shutdown reason={reason}"
        xs, _, _ = boot(f"shutdown-{reason}", xen, args, timeout=60)
        ms, _, _ = boot(f"shutdown-{reason}", MAPVISOR, args, timeout=60)
        outcome = lambda a: ("returned " + a["shutdown.returned"]) if "shutdown.returned" in a \
            else ("did not return" if f"shutdown.reason_{reason}" in a else "(guest did not run)")
        pairs[f"shutdown.reason_{reason}"] = (outcome(xs), outcome(ms))
    # Xen 4.17 has no cache colouring: this row is mapvisor's alone
    ca, _, _ = boot("coloured-dom0", MAPVISOR, "mode=answers",
                    xen_bootargs=BOOTARGS + " llc-coloring=on llc-size=2M llc-nr-ways=16 "
                                            "dom0-llc-colors=2-7")
    pairs["get_features.0 (coloured dom0)"] = ("(Xen 4.17 has no colouring)",
                                              ca.get("get_features.0", "(missing)"))
    intended = load_intended()
    bad = 0
    width = max(len(k) for k in pairs)
    print(f"{'answer':<{width}}  {'Xen 4.17':<34} {'mapvisor':<34} verdict")
    for k, (x, m) in pairs.items():
        if x.startswith("(Xen 4.17 has no"):
            verdict = "mapvisor only"
        elif x == m:
            verdict = "same"
        elif k in intended:
            verdict = "intended: " + intended[k]
        else:
            verdict = "DIFFERENT"
            bad += 1
        print(f"{k:<{width}}  {x[:34]:<34} {m[:34]:<34} {verdict}")
    for k in intended:
        if k in pairs and pairs[k][0] == pairs[k][1]:
            print(f"note: {k} is listed as an intended difference but the answers agree")
    if "done" not in xa or "done" not in ma:
        print("the comparison guest did not finish under " +
              ("Xen" if "done" not in xa else "mapvisor") + f"; logs in {run.BUILD}/compare/")
        bad += 1
    same = sum(1 for x, m in pairs.values() if x == m)
    only = sum(1 for x, _ in pairs.values() if x.startswith("(Xen 4.17 has no"))
    print(f"fidelity: {same} answers identical, {len(pairs) - same - bad - only} intended "
          f"differences, {bad} unintended, {only} mapvisor-only")
    return bad


def costs(xen):
    icount = "-icount shift=0,sleep=off"
    _, xc, _ = boot("cost", xen, "mode=cost calls=2000", icount, timeout=300)
    _, mc, _ = boot("cost", MAPVISOR, "mode=cost calls=2000", icount, timeout=300)
    xc["image_bytes"] = os.path.getsize(xen)
    mc["image_bytes"] = os.path.getsize(MAPVISOR)
    print(f"{'cost (QEMU -icount shift=0)':<28} {'Xen 4.17':>12} {'mapvisor':>12} "
          f"{'ratio':>8}  goal")
    for key in ["null_hypercall_ns", "boot_to_guest_ns", "image_bytes"]:
        x, m = xc.get(key), mc.get(key)
        if x is None or m is None:
            print(f"{key:<28} {'?':>12} {'?':>12}  (not measured: see logs)")
            continue
        ratio = m / x if x else float("inf")
        goal = 1 / GOALS[key]
        print(f"{key:<28} {x:>12} {m:>12} {ratio:>8.3f}  <= 1/{GOALS[key]} "
              f"({'met' if ratio <= goal else 'not met'})")


GRANT_DOMU = ('/ { chosen { domU1 { compatible = "xen,domain"; #address-cells = <2>; '
              '#size-cells = <2>; memory = <0x0 0x8000>; cpus = <1>; }; }; };')
GRANT_BOOTARGS = BOOTARGS.replace("dom0_max_vcpus=2", "dom0_max_vcpus=1")
NO_SMMU = run.DEFAULT_MACHINE.replace(",iommu=smmuv3", "")
COLOURED = " llc-coloring=on llc-size=2M llc-nr-ways=16 dom0-llc-colors=2-7"
# (row, machine, extra hypervisor options, does Xen 4.17 have this mode): dom0 is the backend
# (the compare guest, mode=grant), a dom0less domU the granter (guest/progs/grantpeer.c);
# both machines have edu. Xen 4.17 leaves the SMMUv3 to dom0, so its grant path does no IOMMU
# work with or without one.
GRANT_MODES = [("1:1 dom0, SMMU", run.DEFAULT_MACHINE, "", True),
               ("1:1 dom0, no SMMU", NO_SMMU, "", True),
               ("coloured dom0, SMMU", run.DEFAULT_MACHINE, COLOURED, False)]
GRANT_GOAL = 2


def grant_boot(image, row, machine, extra):
    name = "grant-" + re.sub(r"[^a-z0-9]+", "-", row.lower()).strip("-")
    _, c, lines = boot(name, image, "mode=grant calls=20",
                       "-icount shift=0,sleep=off -device edu,dma_mask=0xffffffffff",
                       timeout=300, xen_bootargs=GRANT_BOOTARGS + extra, dts=[GRANT_DOMU],
                       domu=["domU1 grantpeer"], machine=machine,
                       stop_at=r"COST grant_dma_cpu_ns|GRANT failed")
    bad = [l for l in lines if l.startswith("GRANT failed") or
           re.match(r"GRANT dma: [1-9]\d* of 4096 bytes wrong", l)]
    return c, bad


def grant_costs(xen):
    """Grant map + unmap and a 4 KiB foreign DMA's CPU side, per dom0 mode. Returns the
    number of boots that failed."""
    failed = 0
    rows = []
    for row, machine, extra, xen_has in GRANT_MODES:
        xc, xbad = grant_boot(xen, row, machine, extra) if xen_has else ({}, [])
        mc, mbad = grant_boot(MAPVISOR, row, machine, extra)
        for which, bad in (("Xen", xbad), ("mapvisor", mbad)):
            if bad:
                print(f"grant costs, {row}, {which}: {bad[0]}")
                failed += 1
        rows.append((row, xc, mc, xen_has))
    # Xen 4.17 has no colouring: that row is compared with Xen's 1:1 dom0 on the same machine
    reference = rows[0][1]
    print(f"{'grant cost (QEMU -icount)':<38} {'Xen 4.17':>10} {'mapvisor':>10} {'ratio':>7}  goal")
    for row, xc, mc, xen_has in rows:
        for key, what in (("grant_map_unmap_ns", "map+unmap"), ("grant_dma_cpu_ns", "4K DMA CPU")):
            x = xc.get(key) if xen_has else reference.get(key)
            m = mc.get(key)
            label = f"{row}: {what}"
            if x is None or m is None:
                print(f"{label:<38} {'?':>10} {'?':>10}  (not measured: see logs)")
                failed += 1
                continue
            ratio = m / x if x else float("inf")
            note = "" if xen_has else " (Xen: its 1:1 dom0; it has no colouring)"
            print(f"{label:<38} {x:>10} {m:>10} {ratio:>7.3f}  <= 1/{GRANT_GOAL} "
                  f"({'met' if ratio <= 1 / GRANT_GOAL else 'not met'}){note}")
    return failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--costs", action="store_true", help="also measure costs (slower)")
    args = ap.parse_args()
    xen, why = fetch_xen()
    if not xen:
        print(f"SKIP compare-xen: Xen 4.17 for arm64 could not be fetched ({why})")
        return 77
    version = open(os.path.join(os.path.dirname(os.path.dirname(xen)), "VERSION")).read().strip()
    print(f"comparing with Debian's xen-hypervisor-4.17-arm64 {version}")
    bad = fidelity(xen)
    if args.costs:
        costs(xen)
        bad += grant_costs(xen)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
