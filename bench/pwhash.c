/*
 * libsodium's own argon2id, timed: the yardstick for the service's CPU per login.
 *
 *   cc -O2 -o pwhash bench/pwhash.c -lsodium && ./pwhash MEMORY_KIB PASSES COUNT
 *
 * Verifies one hash COUNT times on one thread, as a login does, and prints "median-ms cpu-ms-per-hash": the median
 * wall time of one verification and the process CPU time (user + system, page faults of the work memory included)
 * per verification.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static int by_value(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static double cpu_ms(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3
        + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

int main(int argc, char **argv)
{
    if (argc != 4 || sodium_init() < 0) {
        fprintf(stderr, "usage: pwhash MEMORY_KIB PASSES COUNT\n");
        return 2;
    }
    unsigned long long memory = strtoull(argv[1], NULL, 10) * 1024, passes = strtoull(argv[2], NULL, 10);
    int count = atoi(argv[3]);
    const char *password = "bench-password";
    char hash[crypto_pwhash_STRBYTES];
    if (count < 1 || crypto_pwhash_str_alg(hash, password, strlen(password), passes, memory,
                                           crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return 1;
    }
    double *ms = malloc(sizeof(double) * count);
    double cpu_start = cpu_ms();
    for (int i = 0; i < count; i++) {
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        if (crypto_pwhash_str_verify(hash, password, strlen(password)) != 0) {
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &end);
        ms[i] = (end.tv_sec - start.tv_sec) * 1e3 + (end.tv_nsec - start.tv_nsec) / 1e6;
    }
    double cpu = (cpu_ms() - cpu_start) / count;
    qsort(ms, count, sizeof(double), by_value);
    printf("%.2f %.2f\n", ms[count / 2], cpu);
    return 0;
}
