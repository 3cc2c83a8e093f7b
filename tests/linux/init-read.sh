#!/bin/sh
# /init of make bench's PCI read (bench/run.py): loads the modules, reads bench_mib= MiB
# (from the kernel command line) of /dev/vda with O_DIRECT, and prints the clock around
# the read (virtual time under -icount: 1 ns per instruction), then powers off. Busybox
# applets only.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /lib/modules/load.order); do
	insmod "/lib/modules/$m" || echo "LINUX: insmod failed: $m"
done
mib=$(sed -n 's/.*bench_mib=\([0-9]*\).*/\1/p' /proc/cmdline)
# nanoseconds since boot: /proc/timer_list's "now at N nsecs" (/proc/uptime has 10 ms)
now() { sed -n 's/^now at \([0-9]*\) nsecs$/\1/p' /proc/timer_list | head -n 1; }
t0=$(now)
dd if=/dev/vda of=/dev/null bs=1M count="${mib:-0}" iflag=direct 2>/dev/null
t1=$(now)
echo "LINUX: read: ${mib:-0} MiB from $t0 to $t1 ns"
poweroff -f
