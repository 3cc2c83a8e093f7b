#!/bin/sh
# /init of the basic Linux guest test (tools/mkinitramfs.py installs it): mounts the kernel's
# filesystems, loads the modules the initramfs carries, prints what a test reads as
# "LINUX: key: value" lines plus the whole dmesg, and powers off. Busybox applets only.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
echo "LINUX: init: reached /init"
echo "LINUX: uname: $(uname -a)"
echo "LINUX: cmdline: $(cat /proc/cmdline)"
if [ -f /lib/modules/load.order ]; then
	for m in $(cat /lib/modules/load.order); do
		insmod "/lib/modules/$m" && echo "LINUX: insmod: $m" || echo "LINUX: insmod failed: $m"
	done
	sleep 1
fi
if [ -f /sys/hypervisor/type ]; then
	for f in type version/major version/minor version/extra properties/features \
		properties/virtual_start uuid; do
		[ -f "/sys/hypervisor/$f" ] && echo "LINUX: hypervisor/$f: $(cat /sys/hypervisor/$f)"
	done
else
	echo "LINUX: hypervisor: none (no /sys/hypervisor/type)"
fi
dmesg | grep -iE 'swiotlb|software IO TLB' | sed 's/^/LINUX: swiotlb: /'
# A disk, if there is one: its first sector read back (hangs here if its DMA goes astray)
for d in /dev/vda /dev/xvda; do
	if [ -b "$d" ]; then
		echo "LINUX: disk: reading $d"
		dd if="$d" bs=512 count=1 2>/dev/null | od -An -tx1 | head -n 2 | sed 's/^/LINUX: disk: /'
		echo "LINUX: disk: read $d done"
	fi
done
echo "LINUX: interrupts:"
cat /proc/interrupts
echo "LINUX: dmesg begin"
dmesg
echo "LINUX: dmesg end"
echo "LINUX: uptime: $(cat /proc/uptime)"
echo "LINUX: poweroff"
poweroff -f
