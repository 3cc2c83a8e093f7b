#!/bin/sh
# /init of `make run-linux`: an interactive busybox shell on the console (hvc0 in dom0),
# with job control (setsid + cttyhack make the console its controlling terminal, so Ctrl-C
# reaches what runs in it). Leaving the shell powers Linux off; so does `poweroff -f`.
export PATH=/bin:/sbin HOME=/root PS1='dom0:\w# '
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
echo "mapvisor: Linux $(uname -r) as dom0, /sys/hypervisor says: $(cat /sys/hypervisor/type 2>/dev/null) $(cat /sys/hypervisor/properties/features 2>/dev/null)"
echo "mapvisor: type 'poweroff -f' to stop, or Ctrl-A x to leave QEMU"
setsid cttyhack sh -l
poweroff -f
