#!/usr/bin/env python3
"""dmacheck's fixture tests (tests/dmacheck/cases.txt): runs build/dmacheck on each case and
compares its output and exit status with expected/NAME.txt. Board cases need Debian's arm64
kernel package (tools/fetch-dtbs.sh) and are skipped, said so, when it cannot be fetched.
A --dot case is also parsed and checked against the case's JSON report and the assertions
in graphs/NAME.txt (dotgraph.py), wrong graphs made from it must fail that check, and when
Graphviz's dot is installed its --svg must be an SVG with every DMA master.
--update rewrites the expected outputs (review them before committing)."""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import dotgraph

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.join(ROOT, "build")
WORK = os.path.join(BUILD, "dmacheck-cases")
DMACHECK = os.path.join(BUILD, "dmacheck")


def qemu_dtb(machine):
    out = os.path.join(WORK, re.sub(r"[^a-z0-9]+", "-", machine.lower()) + ".dtb")
    if not os.path.exists(out):
        subprocess.run(["qemu-system-aarch64", "-M", f"{machine},dumpdtb={out}", "-nic", "none",
                        "-cpu", "cortex-a57", "-smp", "2", "-m", "1G", "-nographic"],
                       check=True, capture_output=True)
    return out


def dts_of(dtb):
    return subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb], check=True,
                          capture_output=True, text=True).stdout


def dtb_of(dts, name):
    src, out = os.path.join(WORK, name + ".dts"), os.path.join(WORK, name + ".dtb")
    with open(src, "w") as f:
        f.write(dts)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out, src], check=True)
    return out


def bad_dtb(kind):
    base = qemu_dtb("virt,virtualization=on,gic-version=3,iommu=smmuv3")
    blob = open(base, "rb").read()
    out = os.path.join(WORK, f"bad-{kind}.dtb")
    if kind == "magic":
        blob = b"\x00" + blob[1:]
    elif kind == "truncated":
        blob = blob[: len(blob) // 2]
    else:
        dts = dts_of(base)
        if kind == "iommus-self":  # a cycle: a device whose iommus names the device itself
            dts = re.sub(r"(virtio_mmio@a000000 \{)",
                         r"\1\n\t\tphandle = <0x7777>;\n\t\tiommus = <0x7777 0x1>;", dts)
        elif kind == "cells":  # /cpus with 5 address cells
            dts = re.sub(r"(cpus \{\n\t\t#size-cells = <0x00>;\n\t\t#address-cells = )<0x01>",
                         r"\1<0x05>", dts)
        elif kind == "iommu-map":  # three cells where four make an entry
            dts = re.sub(r"iommu-map = <([^>]*) 0x10000>;", r"iommu-map = <\1>;", dts)
        return dtb_of(dts, f"bad-{kind}")
    with open(out, "wb") as f:
        f.write(blob)
    return out


def fragment_dtb(spec):
    """MACHINE+NAME: QEMU's DTB for MACHINE with fragments/NAME.dts merged in (a boot
    configuration under /chosen)."""
    machine, _, name = spec.rpartition("+")
    dts = dts_of(qemu_dtb(machine)) + "\n" + open(os.path.join(HERE, "fragments", name + ".dts")).read()
    return dtb_of(dts, "fragment-" + name)


def picture_problems(name, dtb, args, dot_run):
    """What is wrong with a --dot case's picture (and its --svg), as a list."""
    if dot_run.returncode >= 3:
        return ["no picture expected of bad input"] if dot_run.stdout else []
    json_args = ["--json" if a == "--dot" else a for a in args]
    rep_run = subprocess.run([DMACHECK, dtb] + json_args, capture_output=True, text=True)
    if rep_run.returncode != dot_run.returncode:
        return [f"--dot exits {dot_run.returncode}, --json {rep_run.returncode}"]
    report = json.loads(rep_run.stdout)
    path = os.path.join(HERE, "graphs", name + ".txt")
    if not os.path.exists(path):
        return [f"no graphs/{name}.txt"]
    lines = open(path).readlines()
    bad = dotgraph.check(dot_run.stdout, report, lines)
    if bad:
        return bad
    wrongs = list(dotgraph.wrong_graphs(dot_run.stdout))
    bad += [f"the checker accepts a wrong graph: {what}" for what, text in wrongs
            if not dotgraph.check(text, report, lines)]
    if not wrongs:
        bad.append("no wrong graph could be made from it: the check is not shown to fail")
    if shutil.which("dot"):
        svg_args = ["--svg" if a == "--dot" else a for a in args]
        svg = subprocess.run([DMACHECK, dtb] + svg_args, capture_output=True, text=True)
        if svg.returncode != dot_run.returncode:
            return bad + [f"--svg exits {svg.returncode}: {svg.stderr.strip()}"]
        root = ET.fromstring(svg.stdout)
        titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
        bad += [f"--svg: no node {m['path']}" for m in report["dma_masters"]
                if m["path"] not in titles]
    return bad


def main():
    update = "--update" in sys.argv
    os.makedirs(WORK, exist_ok=True)
    boards = subprocess.run(["bash", os.path.join(ROOT, "tools", "fetch-dtbs.sh")],
                            capture_output=True, text=True)
    board_dir = boards.stdout.strip() if boards.returncode == 0 else None
    passed = failed = skipped = 0
    svg_checked = False
    for line in open(os.path.join(HERE, "cases.txt")):
        if not line.strip() or line.startswith("#"):
            continue
        name, source, args, want = [x.strip() for x in line.split("|")]
        kind, _, what = source.partition(":")
        if kind == "board" and not board_dir:
            print(f"SKIP dmacheck {name}: {boards.stderr.strip() or 'no board DTBs'}")
            skipped += 1
            continue
        dtb = {"board": lambda: os.path.join(board_dir, what), "qemu": lambda: qemu_dtb(what),
               "bad": lambda: bad_dtb(what), "file": lambda: os.path.join(ROOT, what),
               "fragment": lambda: fragment_dtb(what)}[kind]()
        run = subprocess.run([DMACHECK, dtb] + shlex.split(args), capture_output=True, text=True)
        label = what if kind in ("board", "file") else os.path.basename(dtb) \
            if kind in ("bad", "fragment") else "qemu-" + what + ".dtb"
        text = (run.stdout + run.stderr).replace(dtb, label) + f"[exit {run.returncode}]\n"
        exp_path = os.path.join(HERE, "expected", name + ".txt")
        if update:
            with open(exp_path, "w") as f:
                f.write(text)
        expected = open(exp_path).read() if os.path.exists(exp_path) else None
        pictured = []
        if "--dot" in args and not update:
            try:
                pictured = picture_problems(name, dtb, shlex.split(args), run)
            except (ValueError, ET.ParseError, json.JSONDecodeError) as e:
                pictured = [f"{type(e).__name__}: {e}"]
            svg_checked |= run.returncode < 3 and shutil.which("dot") is not None
        if expected == text and str(run.returncode) == want and not pictured:
            passed += 1
            print(f"PASS dmacheck {name} (exit {run.returncode}"
                  f"{', picture checked' if '--dot' in args and run.returncode < 3 else ''})")
        else:
            failed += 1
            why = f"exit {run.returncode}, expected {want}" if str(run.returncode) != want \
                else "output differs from expected/" + name + ".txt" if expected != text \
                else "the picture is wrong"
            print(f"FAIL dmacheck {name}: {why}")
            for p in pictured[:20]:
                print(f"     {p}")
            if expected is not None:
                import difflib
                for d in list(difflib.unified_diff(expected.splitlines(), text.splitlines(),
                                                   lineterm="", n=1))[:20]:
                    print(f"     {d}")
    if not shutil.which("dot"):
        print("SKIP dmacheck --svg: Graphviz's dot is not installed (the DOT text is checked)")
    elif not svg_checked:
        print("SKIP dmacheck --svg: no --dot case ran")
    print(f"dmacheck: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
