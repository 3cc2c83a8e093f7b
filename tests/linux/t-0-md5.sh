#!/bin/sh
# Installed as /bin/t-0-md5 (linux-files): the first test program /init runs, so each disk
# is read whole with O_DIRECT while it still holds exactly the runner's pattern, before a
# later program (gntdma) writes to it.
for d in /dev/vd?; do
	[ -b "$d" ] || continue
	echo "LINUX: md5 before tests ${d#/dev/}: $(dd if="$d" bs=64k iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)"
done
