#!/usr/bin/env python3
"""Fails when a self-relocating image (hypervisor or guest) needs a relocation other than
R_AARCH64_RELATIVE, which lib/image.S is the only code to apply."""
import subprocess
import sys

out = subprocess.run(["aarch64-linux-gnu-readelf", "-r", "-W", sys.argv[1]],
                     capture_output=True, text=True, check=True).stdout
bad = [l for l in out.splitlines()
       if l[:1] in "0123456789abcdef" and l.strip() and "R_AARCH64_RELATIVE" not in l]
if bad:
    print(f"{sys.argv[1]}: relocations reloc.S cannot apply:", *bad[:10], sep="\n  ")
    sys.exit(1)
