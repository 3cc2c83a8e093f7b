#!/bin/sh
# /init of make bench's Linux boots (bench/linux.py): stamps the counter as soon as /init
# runs and again just before powering off (tests/linux/progs/bench.c), gives Xen's counter
# offset when it runs under Xen, and reads the disk with O_DIRECT when the boot has one
# (bench_mib= MiB, 64 by default).
# Busybox applets only; the same script on bare Linux, Xen and mapvisor.
export PATH=/bin:/sbin
mount -t devtmpfs devtmpfs /dev
/bin/bench stamp init
mount -t proc proc /proc
mount -t sysfs sysfs /sys
# xen-privcmd only under a Xen-ABI hypervisor (on bare Linux its refused load took 100 ms of
# virtual time, mostly idle), so that Xen and mapvisor do the same work
for m in $(cat /lib/modules/load.order); do
	[ "$m" = xen-privcmd.ko ] && [ ! -f /sys/hypervisor/type ] && continue
	insmod "/lib/modules/$m" 2>/dev/null || echo "LINUX: insmod failed: $m"
done
[ -e /dev/xen/privcmd ] && /bin/bench xen-mark
/bin/bench stamp modules
# bench_mib= on the command line: how much to read (bench/linux_domu.py: 0 for a Linux dom0
# beside the reading domU, which has no disk, and for the boot counting config-space traps)
mib=$(sed -n 's/.*bench_mib=\([0-9]*\).*/\1/p' /proc/cmdline)
if grep -q virtio_blk /lib/modules/load.order && [ "${mib:-64}" != 0 ]; then
	i=0
	while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	/bin/bench read /dev/vda "${mib:-64}"
fi
/bin/bench stamp poweroff
echo "LINUX: poweroff"
poweroff -f
