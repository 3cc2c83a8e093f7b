#!/bin/sh
# /init of the console-input scenarios: proves a round trip through the console. It says it
# waits, reads one line from its console (init's stdin is /dev/console: hvc0 in dom0, the
# vpl011's ttyAMA0 in a domU), prints it back as "LINUX: got: LINE", then powers off.
# Busybox applets only.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "LINUX: init: reached /init"
echo "LINUX: console: $(cat /sys/class/tty/console/active 2>/dev/null)"
echo "LINUX: waiting for a line"
if read -r line; then
	echo "LINUX: got: $line"
else
	echo "LINUX: read failed"
fi
echo "LINUX: poweroff"
poweroff -f
