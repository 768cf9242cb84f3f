#define _GNU_SOURCE
#include "thread_affinity.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int predict_allowed_cpus(int *cpus, int capacity) {
    // The kernel rejects a mask smaller than its own (EINVAL), so grow until it fits.
    for (int size = CPU_SETSIZE; size <= (1 << 20); size *= 2) {
        cpu_set_t *set = CPU_ALLOC(size);
        if (set == NULL) return -ENOMEM;
        size_t bytes = CPU_ALLOC_SIZE(size);
        CPU_ZERO_S(bytes, set);
        if (sched_getaffinity(getpid(), bytes, set) != 0) {
            int error = errno;
            CPU_FREE(set);
            if (error == EINVAL) continue;
            return -error;
        }
        int count = 0;
        for (int cpu = 0; cpu < size; cpu++) {
            if (!CPU_ISSET_S(cpu, bytes, set)) continue;
            if (count < capacity) cpus[count] = cpu;
            count++;
        }
        CPU_FREE(set);
        return count;
    }
    return -EINVAL;
}

int predict_pin_current_thread(const int *cpus, int count) {
    if (count <= 0) return EINVAL;
    int highest = 0;
    for (int i = 0; i < count; i++) {
        if (cpus[i] < 0) return EINVAL;
        if (cpus[i] > highest) highest = cpus[i];
    }
    cpu_set_t *set = CPU_ALLOC(highest + 1);
    if (set == NULL) return ENOMEM;
    size_t bytes = CPU_ALLOC_SIZE(highest + 1);
    CPU_ZERO_S(bytes, set);
    for (int i = 0; i < count; i++) CPU_SET_S(cpus[i], bytes, set);
    int result = pthread_setaffinity_np(pthread_self(), bytes, set);
    CPU_FREE(set);
    return result;
}

int predict_current_thread_id(void) {
    return (int)syscall(SYS_gettid);
}

int predict_set_current_thread_name(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}
