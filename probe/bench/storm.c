/* A syscall storm: THREADS threads each doing ITER x (openat /dev/null + close); prints ns per
 * syscall pair. Used to measure the probe's overhead (run with and without the probe). */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

static long iterations;

static void *worker(void *arg)
{
	for (long i = 0; i < iterations; i++) {
		int fd = openat(AT_FDCWD, "/dev/null", O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	return arg;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 1;
	iterations = argc > 2 ? atol(argv[2]) : 200000;
	pthread_t t[64];
	struct timespec a, b;
	if (threads < 1 || threads > 64)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
	double ops = threads * (double)iterations;
	/* CPU time is what the probe adds to the traced process; wall time also counts waiting for a
	 * CPU, which on a shared machine is mostly noise. */
	printf("%.1f cpu-ns per openat+close, %.1f wall-ns (%d threads x %ld)\n", cpu / ops, ns / ops, threads, iterations);
	return 0;
}
