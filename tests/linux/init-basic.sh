#!/bin/sh
# /init of the Linux guest scenarios (tools/mkinitramfs.py installs it): mounts the kernel's
# filesystems, loads the modules the initramfs carries, prints what the scenarios check as
# "LINUX: key: value" lines (what Linux itself reports: the feature bits, swiotlb, the md5 of
# each disk read with O_DIRECT), the warnings in dmesg and the CPUs, then powers off.
# Busybox applets only.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
echo "LINUX: init: reached /init"
echo "LINUX: uname: $(uname -r)"
echo "LINUX: cmdline: $(cat /proc/cmdline)"
# linux/'s module (scenario key linux-mvdma) first, so that it sees the drivers bind; after
# them when the kernel command line says mvdma_late (the late-load scenario)
mvdma() {
	[ -f /lib/mapvisor_dma.ko ] || return 0
	a=$(cat /etc/mapvisor_dma.args)
	insmod /lib/mapvisor_dma.ko $a && echo "LINUX: insmod: mapvisor_dma.ko $a" ||
		echo "LINUX: insmod failed: mapvisor_dma.ko $a"
}
grep -qw mvdma_late /proc/cmdline || mvdma
if [ -f /lib/modules/load.order ]; then
	for m in $(cat /lib/modules/load.order); do
		insmod "/lib/modules/$m" && echo "LINUX: insmod: $m" || echo "LINUX: insmod failed: $m"
	done
	sleep 1
fi
grep -qw mvdma_late /proc/cmdline && mvdma
if [ -f /sys/hypervisor/type ]; then
	for f in type version/major version/minor version/extra properties/features; do
		[ -f "/sys/hypervisor/$f" ] && echo "LINUX: hypervisor/$f: $(cat /sys/hypervisor/$f)"
	done
else
	echo "LINUX: hypervisor: none (no /sys/hypervisor/type)"
fi
# xenbus: without xenstore it gives up at boot (no device ever appears on the bus)
[ -d /sys/bus/xen/devices ] && echo "LINUX: xenbus devices: $(ls /sys/bus/xen/devices | wc -l)"
dmesg | grep -iE 'swiotlb|software IO TLB' | sed 's/^\[[ 0-9.]*\] /LINUX: swiotlb: /'
for f in io_tlb_nslabs io_tlb_used; do
	[ -f /sys/kernel/debug/swiotlb/$f ] &&
		echo "LINUX: debugfs swiotlb $f: $(cat /sys/kernel/debug/swiotlb/$f)"
done
# The scenario's own test programs (linux-files: ...:/bin/t-NAME), in name order; with
# mv.t=NAME,NAME on the command line only those (domains sharing one initramfs differ so)
tests=/bin/t-*
for arg in $(cat /proc/cmdline); do
	case "$arg" in mv.t=*) tests=$(echo "${arg#mv.t=}" | tr ',' '\n' | sed 's|^|/bin/t-|') ;; esac
done
for t in $tests; do
	[ -x "$t" ] && { "$t" || echo "LINUX: $t failed with status $?"; }
done
# Every disk read whole with O_DIRECT: the block layer DMA-maps this process's own buffer,
# through whatever DMA ops the device has (a hang or a wrong md5 means misdirected DMA).
for d in /dev/vd?; do
	[ -b "$d" ] || continue
	echo "LINUX: md5 ${d#/dev/}: $(dd if="$d" bs=64k iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)"
done
if [ -d /sys/kernel/debug/mapvisor_dma ]; then
	sed 's/^/LINUX: mapvisor_dma device: /' /sys/kernel/debug/mapvisor_dma/devices
	echo "LINUX: mapvisor_dma declared: $(cat /sys/kernel/debug/mapvisor_dma/declared)"
fi
echo "LINUX: cpus online: $(cat /sys/devices/system/cpu/online)"
grep -E '^ *[0-9]+:' /proc/interrupts | sed 's/^/LINUX: irq: /'
dmesg | grep -E 'WARNING:|BUG:|Oops|Call trace' | sed 's/^/LINUX: dmesg problem: /'
echo "LINUX: uptime: $(cat /proc/uptime)"
echo "LINUX: poweroff"
poweroff -f
