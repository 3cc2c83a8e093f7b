#!/usr/bin/env python3
r"""mapvisor's test runner: host unit tests (cmocka) and QEMU scenarios.

A scenario (scenarios/NAME.scn) is a list of "key: value" lines:
  qemu:           extra QEMU options (CPU, -smp, -m, devices); the machine is set by machine:
  machine:        -M value (default virt,virtualization=on,gic-version=3,iommu=smmuv3)
  xen-bootargs:   /chosen/xen,xen-bootargs
  dom0:           libguest program booted as dom0 (build/guest/NAME.img); "none" for no module
  dom0-bootargs:  bootargs of dom0's module node
  domu:           "NODE PROGRAM [BOOTARGS...]": loads PROGRAM and adds its module@ADDR to
                  /chosen/NODE (whose other properties come from a dts: line) (repeatable)
  dts:            extra device-tree source appended to the machine's tree (repeatable)
  expect:         a regular expression some output line must match (repeatable)
  expect-not:     a regular expression no output line may match (repeatable)
  expect-exit:    QEMU's exit status (the hypervisor's, through semihosting)
  disk:           SECTORS [OPTIONS]: a raw disk image of that many 512-byte sectors, written
                  with a known pattern (disk_pattern), on a virtio-blk-device (virtio-mmio,
                  version 2; OPTIONS are QEMU device properties, e.g. bus=virtio-mmio-bus.8
                  for the transport at 0x0a001000) (repeatable: disk, disk2, disk3, ...)
  timeout:        seconds before QEMU is killed and the scenario fails (default 60)
  allow-fault:    "yes" when a hypervisor fault report is what the scenario tests
  linux:          "dom0": dom0 is Debian's arm64 Linux (tools/fetch-linux.sh) with an
                  initramfs built for the scenario (tools/mkinitramfs.py); the scenario is
                  skipped, and said so, when the packages cannot be fetched. "NODE" (e.g.
                  domU1): the same kernel and initramfs as the dom0less domU /chosen/NODE
                  (its other properties from a dts: line); dom0 is then dom0:. A list
                  ("dom0 domU1 domU2"): each of them, every one with its own copy of
                  the kernel and initramfs, 64 MiB apart from 0x50000000 (keep static
                  memory clear of them)
  linux-init:     the initramfs's /init: tests/linux/NAME.sh (default init-basic)
  linux-modules:  kernel modules (with their dependencies) the init script loads, in order
  linux-files:    SRC:DEST files copied into the initramfs (SRC relative to build/)
  linux-mvdma:    ARGS: the initramfs also carries linux/'s module (build/linux-mod/
                  mapvisor_dma.ko, make linux-mod), loaded first with ARGS (may be empty);
                  the scenario is skipped, and said so, when it could not be built
  hypervisor:     "xen": boot Debian's Xen 4.17 (tools/fetch-xen.sh) instead of mapvisor,
                  same DTB and modules (skipped, and said so, when it cannot be fetched)
  linux-append:   the kernel command line (default console=hvc0 earlycon=xenboot panic=-1)
  linux-append-for: "NODE ARGS" (dom0 or a domU node): that domain's command line instead
                  of linux-append (repeatable)
  input:          text typed on the console (QEMU's stdin), with \n, \r, \xHH escapes;
                  under -nographic QEMU's escape is Ctrl-A, so \x01\x01 types one Ctrl-A
  input-after:    a regular expression: input is typed once a line matches it (default:
                  at once); {1}, {2}, ... in input: stand for its groups (the runner relays
                  what one domain printed to the console's input, which is dom0's)
  pci-disk:       SECTORS [OPTIONS]: a patterned disk on virtio-blk-pci (modern only; OPTIONS
                  are QEMU device properties, e.g. iommu_platform=on)
  disk-after:     "pci-disk|disk SECTOR COUNT PATTERN": after QEMU exits, those sectors of the
                  disk image must hold PATTERN ("peer": byte i = i * 13 + 7, what
                  guest/progs/diskpeer.c grants) (repeatable)
  dirty-ram:      "ADDR SIZE": before the hypervisor starts, QEMU's loader fills that RAM
                  with a nonzero pattern (a previous boot's data: every domain must read
                  zeros there) (repeatable)
In expect lines, {disk_md5} (disk2_md5, ...) and {pci_disk_md5} stand for the md5 of those
disks' contents.
Every scenario also fails on a hypervisor panic line. The DTB is QEMU's own for the same
machine options (dumpdtb) plus the scenario's /chosen, so one DTB boots Xen or mapvisor.
"""
import argparse
import hashlib
import os
import re
import shlex
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
QEMU = "qemu-system-aarch64"
DEFAULT_MACHINE = "virt,virtualization=on,gic-version=3,iommu=smmuv3"
MODULE_ADDR = 0x44000000  # 64 MiB into QEMU virt's RAM, below QEMU's DTB at 128 MiB
MVDMA_KO = os.path.join(BUILD, "linux-mod", "mapvisor_dma.ko")  # make linux-mod
ALWAYS_FORBIDDEN = [r"^\(mv\) ERROR: hypervisor (fault|panic)", r"stack protector"]


def scenario_defaults(name):
    return {"name": name, "expect": [], "expect-not": [], "dts": [], "timeout": "60",
            "machine": DEFAULT_MACHINE, "qemu": "-cpu cortex-a57 -smp 2 -m 1G",
            "xen-bootargs": "", "dom0": "probe", "dom0-bootargs": "", "expect-exit": None,
            "allow-fault": "no", "domu": [], "disk": [], "linux": None,
            "linux-append-for": [],
            "linux-init": "init-basic", "linux-modules": "", "linux-files": [],
            "linux-append": "console=hvc0 earlycon=xenboot panic=-1", "pci-disk": None,
            "disk-after": [], "linux-mvdma": None, "hypervisor": "mapvisor", "dirty-ram": [],
            "input": None, "input-after": None}


def parse_scenario_text(name, values):
    """A scenario from a dict of values (used by tests/compare/compare.py)."""
    sc = scenario_defaults(name)
    sc.update(values)
    return sc


def parse_scenario(path):
    sc = scenario_defaults(os.path.splitext(os.path.basename(path))[0])
    with open(path) as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, sep, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if not sep or key not in sc or key == "name":
                raise SystemExit(f"{path}:{lineno}: unknown line {line!r}")
            if isinstance(sc[key], list):
                sc[key].append(value)
            else:
                sc[key] = value
    if sc["expect-exit"] is None:
        raise SystemExit(f"{path}: expect-exit is required")
    if not sc["expect"]:
        raise SystemExit(f"{path}: at least one expect line is required")
    return sc


def dts_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def machine_args(sc):
    return ["-M", sc["machine"], "-nic", "none"] + shlex.split(sc["qemu"])


LINUX_KERNEL_ADDR = 0x50000000  # clear of QEMU's DTB at 128 MiB: a 6.1 Image is 32 MiB
LINUX_COPY_STRIDE = 0x4000000  # each Linux domain's kernel and initramfs: 64 MiB further on


def linux_nodes(sc):
    """The domains that boot Linux: "dom0" and/or domU node names."""
    return sc["linux"].split() if sc["linux"] else []


def linux_append(sc, node):
    for line in sc["linux-append-for"]:
        name, _, args = line.partition(" ")
        if name == node:
            return args.strip()
    return sc["linux-append"]


def modules(sc, workdir=None):
    """(dt node under /chosen or None for dom0, image path, load address, bootargs, kind)."""
    mods = []
    if sc["linux"]:
        kernel, initrd = linux_images(sc, workdir)
    for i, name in enumerate(linux_nodes(sc)):
        k_addr = LINUX_KERNEL_ADDR + i * LINUX_COPY_STRIDE
        rd_addr = (k_addr + os.path.getsize(kernel) + 0x3fffff) & ~0x1fffff
        node = None if name == "dom0" else name
        mods.append((node, kernel, k_addr, linux_append(sc, name), "kernel"))
        mods.append((node, initrd, rd_addr, "", "ramdisk"))
    if "dom0" not in linux_nodes(sc) and sc["dom0"] != "none":
        mods.append((None, os.path.join(BUILD, "guest", sc["dom0"] + ".img"), MODULE_ADDR,
                     sc["dom0-bootargs"], "kernel"))
    for i, line in enumerate(sc["domu"]):
        node, prog, *args = line.split(None, 2)
        mods.append((node, os.path.join(BUILD, "guest", prog + ".img"),
                     MODULE_ADDR + (i + 1) * 0x1000000, args[0] if args else "", "kernel"))
    return mods


def module_node(addr, img, bootargs, indent, kind="kernel"):
    t = "\t" * indent
    lines = [f"{t}module@{addr:x} {{",
             f'{t}\tcompatible = "multiboot,{kind}", "multiboot,module";',
             f"{t}\treg = <0x0 0x{addr:x} 0x0 0x{os.path.getsize(img):x}>;"]
    if bootargs:
        lines.append(f"{t}\tbootargs = {dts_string(bootargs)};")
    lines.append(f"{t}}};")
    return lines


_linux_dir = None


def linux_packages():
    """build/deps/linux (Debian's kernel and busybox), fetched once; None if it cannot be."""
    global _linux_dir
    if _linux_dir is None:
        out = subprocess.run(["bash", os.path.join(ROOT, "tools", "fetch-linux.sh")],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        _linux_dir = out.stdout.strip().splitlines()[-1] if out.returncode == 0 else ""
        if out.returncode:
            print(out.stdout.strip().splitlines()[-1] if out.stdout.strip() else
                  "SKIP fetch-linux: failed")
    return _linux_dir or None


def linux_images(sc, workdir):
    """The kernel Image and this scenario's initramfs (built under workdir)."""
    lx = linux_packages()
    initrd = os.path.join(workdir, "initramfs.cpio")
    cmd = [sys.executable, os.path.join(ROOT, "tools", "mkinitramfs.py"), "-o", initrd,
           "--busybox", os.path.join(lx, "busybox"),
           "--init", os.path.join(ROOT, "tests", "linux", sc["linux-init"] + ".sh"),
           "--kmod-dir", os.path.join(lx, "modules")]
    for m in sc["linux-modules"].split():
        cmd += ["--module", m]
    for f in sc["linux-files"]:
        src, dest = f.split(":", 1)
        cmd += ["--file", os.path.join(BUILD, src) + ":" + dest]
    if sc["linux-mvdma"] is not None:
        args = os.path.join(workdir, "mapvisor_dma.args")
        with open(args, "w") as f:
            f.write(sc["linux-mvdma"] + "\n")
        cmd += ["--file", MVDMA_KO + ":/lib/mapvisor_dma.ko",
                "--file", args + ":/etc/mapvisor_dma.args"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(lx, "Image"), initrd


def build_dtb(sc, workdir):
    """QEMU's DTB for this machine, plus Xen's boot bindings under /chosen."""
    base = os.path.join(workdir, "machine.dtb")
    m = machine_args(sc)
    m[1] += ",dumpdtb=" + base
    subprocess.run([QEMU] + m + ["-nographic"], check=True, capture_output=True)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", base], check=True,
                         capture_output=True, text=True).stdout
    chosen = ["\t\t#address-cells = <2>;", "\t\t#size-cells = <2>;"]
    if sc["xen-bootargs"]:
        chosen.append(f"\t\txen,xen-bootargs = {dts_string(sc['xen-bootargs'])};")
    domu_nodes = {}  # a domU's modules (kernel, ramdisk) go in one node
    for node, img, addr, bootargs, kind in modules(sc, workdir):
        if node is None:
            chosen += module_node(addr, img, bootargs, 2, kind)
        else:
            domu_nodes.setdefault(node, []).extend(module_node(addr, img, bootargs, 3, kind))
    for node, body in domu_nodes.items():
        chosen += [f"\t\t{node} {{"] + body + ["\t\t};"]
    dts += "\n/ {\n\tchosen {\n" + "\n".join(chosen) + "\n\t};\n};\n"
    dts += "\n".join(sc["dts"]) + "\n"
    src = os.path.join(workdir, sc["name"] + ".dts")
    out = os.path.join(workdir, sc["name"] + ".dtb")
    with open(src, "w") as f:
        f.write(dts)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out, src], check=True)
    return out


def disk_pattern(sectors):
    """Sector s: s as le64, then byte i = (s * 31 + i * 7 + 5) mod 256 (guest/progs/blk.c)."""
    tail = [bytes((s * 31 + i * 7 + 5) & 0xff for i in range(8, 512)) for s in range(256)]
    return b"".join(s.to_bytes(8, "little") + tail[s % 256] for s in range(sectors))


def disk_name(i):
    """The i-th (from 0) disk: line's name in disk-after and {NAME_md5}: disk, disk2, ..."""
    return "disk" if i == 0 else f"disk{i + 1}"


def disk_args(sc, workdir):
    args = ["-global", "virtio-mmio.force-legacy=false"] if sc["disk"] else []
    for i, line in enumerate(sc["disk"]):
        sectors, *opts = line.split()
        path = os.path.join(workdir, disk_name(i) + ".img")
        with open(path, "wb") as f:
            f.write(disk_pattern(int(sectors, 0)))
        args += ["-drive", f"file={path},if=none,format=raw,id=disk{i}",
                 "-device", ",".join([f"virtio-blk-device,drive=disk{i}"] + opts)]
    if sc["pci-disk"] is not None:
        sectors, *opts = sc["pci-disk"].split()
        path = os.path.join(workdir, "pci-disk.img")
        with open(path, "wb") as f:
            f.write(disk_pattern(int(sectors, 0)))
        args += ["-drive", f"file={path},if=none,format=raw,id=disk1",
                 "-device", ",".join(["virtio-blk-pci", "drive=disk1", "disable-legacy=on"] +
                                     opts)]
    return args


AFTER_PATTERNS = {"peer": lambda n: bytes((i * 13 + 7) & 0xff for i in range(n))}


def check_disks_after(sc, workdir):
    problems = []
    for line in sc["disk-after"]:
        disk, sector, count, pattern = line.split()
        name = disk + ".img"
        with open(os.path.join(workdir, name), "rb") as f:
            f.seek(int(sector, 0) * 512)
            got = f.read(int(count, 0) * 512)
        want = AFTER_PATTERNS[pattern](len(got))
        if got != want:
            bad = sum(a != b for a, b in zip(got, want))
            problems.append(f"{disk} sectors {sector}+{count}: {bad} of {len(got)} bytes are "
                            f"not the '{pattern}' pattern")
    return problems


def expand(sc, rx):
    """{disk_md5}, {disk2_md5}, ... and {pci_disk_md5}: the md5 of what the runner wrote on
    those disks."""
    disks = [(disk_name(i) + "_md5", line) for i, line in enumerate(sc["disk"])]
    if sc["pci-disk"] is not None:
        disks.append(("pci_disk_md5", sc["pci-disk"]))
    for name, line in disks:
        if "{" + name + "}" in rx:
            md5 = hashlib.md5(disk_pattern(int(line.split()[0], 0))).hexdigest()
            rx = rx.replace("{" + name + "}", md5)
    return rx


def input_bytes(sc):
    """The input: key's text with its escapes (\\n, \\r, \\xHH, \\\\) decoded, or None."""
    if sc["input"] is None:
        return None
    return sc["input"].encode("latin-1").decode("unicode_escape").encode("latin-1")


_xen_image = None


def xen_image():
    """Debian's Xen 4.17 image (tools/fetch-xen.sh), fetched once; None if it cannot be."""
    global _xen_image
    if _xen_image is None:
        out = subprocess.run(["bash", os.path.join(ROOT, "tools", "fetch-xen.sh")],
                             capture_output=True, text=True)
        _xen_image = out.stdout.strip() if out.returncode == 0 else ""
    return _xen_image or None


def qemu_command(sc, dtb, workdir):
    cmd = [QEMU] + machine_args(sc) + disk_args(sc, workdir) + [
        "-nographic", "-no-reboot", "-semihosting-config", "enable=on,target=native",
        "-kernel", xen_image() if sc["hypervisor"] == "xen" else os.path.join(BUILD, "mapvisor.bin"),
        "-dtb", dtb]
    for _, img, addr, _, _ in modules(sc, workdir):
        cmd += ["-device", f"loader,file={img},addr=0x{addr:x},force-raw=on"]
    for line in sc["dirty-ram"]:
        addr, size = (int(v, 0) for v in line.split())
        cmd += ["-device", f"loader,file={dirt_file(size)},addr=0x{addr:x},force-raw=on"]
    return cmd


DIRT = bytes([0xa5, 0x5a, 0xc3, 0x3c, 0x96, 0x69, 0xf0, 0x0f])  # no zero byte, no zero word


def dirt_file(size):
    """A file of size bytes of DIRT (built once per size)."""
    path = os.path.join(BUILD, f"dirty-ram-{size:x}.bin")
    if not os.path.exists(path) or os.path.getsize(path) != size:
        with open(path + ".tmp", "wb") as f:
            chunk = DIRT * (1 << 17)
            for _ in range(size // len(chunk)):
                f.write(chunk)
            f.write(DIRT * ((size % len(chunk)) // 8))
        os.replace(path + ".tmp", path)
    return path


def run_scenario(sc, show):
    workdir = os.path.join(BUILD, "scenarios", sc["name"])
    os.makedirs(workdir, exist_ok=True)
    dtb = build_dtb(sc, workdir)
    cmd = qemu_command(sc, dtb, workdir)
    log_path = os.path.join(workdir, "output.log")
    start = time.monotonic()
    lines, timed_out = [], False
    with open(log_path, "w") as log:
        log.write("$ " + " ".join(shlex.quote(c) for c in cmd) + "\n")
        typed = input_bytes(sc)
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if typed else subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                errors="replace")
        after = re.compile(sc["input-after"]) if sc["input-after"] else None

        def type_input(match=None):
            text = typed
            for k, group in enumerate(match.groups() if match else (), 1):
                text = text.replace(b"{%d}" % k, group.encode("latin-1"))
            log.write(f"[runner: typing {text!r}]\n")
            try:
                proc.stdin.buffer.write(text)  # bytes: a Ctrl-A is one byte
                proc.stdin.buffer.flush()
            except OSError:
                pass

        if typed and not after:
            type_input()

        def reader():
            nonlocal after
            for raw in proc.stdout:
                line = raw.rstrip("\r\n")
                lines.append(line)
                log.write(line + "\n")
                if show:
                    print(line, flush=True)
                m = after.search(line) if after else None
                if m:
                    after = None
                    type_input(m)

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        try:
            status = proc.wait(timeout=float(sc["timeout"]))
        except subprocess.TimeoutExpired:
            proc.kill()
            status = proc.wait()
            timed_out = True
        t.join(timeout=5)
    elapsed = time.monotonic() - start
    problems = []
    if timed_out:
        problems.append(f"timed out after {sc['timeout']} s (hung QEMU)")
    elif str(status) != sc["expect-exit"]:
        problems.append(f"exit status {status}, expected {sc['expect-exit']}")
    for rx in map(lambda r: expand(sc, r), sc["expect"]):
        if not any(re.search(rx, l) for l in lines):
            problems.append(f"no line matches /{rx}/")
    if not timed_out:
        problems += check_disks_after(sc, workdir)
    forbidden = sc["expect-not"] + (ALWAYS_FORBIDDEN if sc["allow-fault"] != "yes" else [])
    for rx in forbidden:
        hits = [l for l in lines if re.search(rx, l)]
        if hits:
            problems.append(f"forbidden /{rx}/ matched: {hits[0]!r}")
    return problems, elapsed, lines, log_path


def run_interactive(sc):
    """QEMU with the terminal as its serial line: type into the guest, Ctrl-A x to leave."""
    workdir = os.path.join(BUILD, "scenarios", sc["name"])
    os.makedirs(workdir, exist_ok=True)
    if sc["linux"] and not linux_packages():
        return 77
    cmd = qemu_command(sc, build_dtb(sc, workdir), workdir)
    print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    return subprocess.call(cmd)


def run_unit(binary):
    """Runs the cmocka binary; returns (passed, failed)."""
    out = subprocess.run([binary], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sys.stdout.write(out.stdout)
    passed = sum(int(n) for n in re.findall(r"\[  PASSED  \] (\d+) test", out.stdout))
    failed = sum(int(n) for n in re.findall(r"\[  FAILED  \] (\d+) test", out.stdout))
    if out.returncode != 0 and failed == 0:
        failed = 1  # crashed or aborted before reporting
    return passed, failed


def run_fuzz(binary, seconds):
    """Runs the dmacheck fuzzer for a bounded time over a corpus seeded with the dmacheck
    fixtures' DTBs; a crash, leak or sanitizer report fails."""
    corpus = os.path.join(BUILD, "fuzz-corpus")
    os.makedirs(corpus, exist_ok=True)
    for seeds in (os.path.join(BUILD, "dmacheck-cases"),
                  os.path.join(ROOT, "tests", "dmacheck", "crashes")):
        for name in os.listdir(seeds) if os.path.isdir(seeds) else []:
            if name.endswith(".dtb"):
                with open(os.path.join(seeds, name), "rb") as src, \
                        open(os.path.join(corpus, "seed-" + name), "wb") as dst:
                    dst.write(src.read())
    out = subprocess.run([binary, f"-max_total_time={seconds}", "-rss_limit_mb=2048",
                          "-max_len=262144", "-timeout=10", corpus],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         errors="replace")
    runs = re.findall(r"Done (\d+) runs", out.stdout)
    if out.returncode != 0:
        with open(os.path.join(BUILD, "fuzz.log"), "w") as f:
            f.write(out.stdout)
        return False, f"fuzz dmacheck: exit {out.returncode}, see build/fuzz.log and crash-* files"
    return True, f"fuzz dmacheck: {runs[-1] if runs else '?'} inputs in {seconds} s, no crash"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--unit", help="cmocka unit-test binary to run first")
    ap.add_argument("--show", action="store_true", help="print QEMU output as it comes")
    ap.add_argument("--dmacheck", action="store_true", help="also run dmacheck's fixture tests")
    ap.add_argument("--fuzz", help="libFuzzer binary to run for FUZZ_SECONDS (default 30)")
    ap.add_argument("--compare-xen", action="store_true",
                    help="also compare answers with Xen 4.17 (skipped if it cannot be fetched)")
    ap.add_argument("--interactive", action="store_true",
                    help="boot the one scenario given with QEMU on this terminal (make run-linux)")
    ap.add_argument("scenarios", nargs="*")
    args = ap.parse_args()
    if args.interactive:
        return run_interactive(parse_scenario(args.scenarios[0]))
    passed = failed = 0
    if args.unit:
        p, f = run_unit(args.unit)
        print(f"unit tests: {p} passed, {f} failed")
        passed += p
        failed += f
    for path in args.scenarios:
        sc = parse_scenario(path)
        if sc["linux"] and not linux_packages():
            print(f"SKIP scenario {sc['name']}: Debian's Linux and busybox packages could not "
                  "be fetched (tools/fetch-linux.sh)")
            continue
        if sc["hypervisor"] == "xen" and not xen_image():
            print(f"SKIP scenario {sc['name']}: Debian's Xen 4.17 could not be fetched "
                  "(tools/fetch-xen.sh)")
            continue
        if sc["linux-mvdma"] is not None and not os.path.exists(MVDMA_KO):
            print(f"SKIP scenario {sc['name']}: linux/'s module was not built (make linux-mod: "
                  "Debian's linux-headers or gcc-12-aarch64-linux-gnu missing)")
            continue
        problems, elapsed, lines, log_path = run_scenario(sc, args.show)
        if problems:
            failed += 1
            print(f"FAIL scenario {sc['name']} ({elapsed:.1f} s), log {os.path.relpath(log_path, ROOT)}")
            for p in problems:
                print(f"     {p}")
            if not args.show:
                print("     last lines:")
                for l in lines[-25:]:
                    print(f"     | {l}")
        else:
            passed += 1
            print(f"PASS scenario {sc['name']} ({elapsed:.1f} s)")
    if args.dmacheck:
        out = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "dmacheck", "run.py")],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
        for l in out.splitlines():
            if l.startswith(("PASS dmacheck", "FAIL dmacheck", "SKIP dmacheck", "     ")):
                print(l)
        passed += sum(l.startswith("PASS dmacheck") for l in out.splitlines())
        failed += sum(l.startswith("FAIL dmacheck") for l in out.splitlines())
    if args.fuzz:
        ok, line = run_fuzz(args.fuzz, int(os.environ.get("FUZZ_SECONDS", "30")))
        print(("PASS " if ok else "FAIL ") + line)
        passed += ok
        failed += not ok
    if args.compare_xen:
        rc = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "compare", "compare.py")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        summary = [l for l in rc.stdout.splitlines()
                   if l.startswith(("SKIP", "fidelity:", "comparing", "note:"))
                   or "DIFFERENT" in l or "did not finish" in l]
        if rc.returncode == 77:
            print("\n".join(summary) or "SKIP compare-xen")
        elif rc.returncode == 0:
            passed += 1
            print("PASS compare-xen: " + " / ".join(summary))
        else:
            failed += 1
            print("FAIL compare-xen (make compare-xen shows the whole table):")
            for l in summary:
                print(f"     {l}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
