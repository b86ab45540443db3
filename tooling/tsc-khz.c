// SPDX-License-Identifier: GPL-2.0-only
/*
 * Print the host's TSC frequency in kHz, measured over 200 ms. Under TCG
 * the guest's TSC is the host's, and tooling/bench passes this to the
 * guest kernel as tsc_early_khz=: without a reference timer (no ACPI, so
 * no HPET or PM timer), its calibration against the emulated PIT fails and
 * it falls back to jiffies.
 */
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

int main(void)
{
	struct timespec a, b, d = { 0, 200000000 };
	unsigned long long t0, t1;
	double ns;

	clock_gettime(CLOCK_MONOTONIC_RAW, &a);
	t0 = __rdtsc();
	nanosleep(&d, NULL);
	t1 = __rdtsc();
	clock_gettime(CLOCK_MONOTONIC_RAW, &b);
	ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	printf("%.0f\n", (t1 - t0) / ns * 1e6);
	return 0;
}
