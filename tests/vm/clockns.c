// SPDX-License-Identifier: GPL-2.0
/*
 * clockns: print CLOCK_MONOTONIC in nanoseconds.  The bench VM's clock
 * (tests/vm/guest/bench.sh): busybox's date may not give %N, and
 * /proc/uptime only gives 10 ms.  Static, as everything in the VM image.
 */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return 1;
	printf("%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	return 0;
}
