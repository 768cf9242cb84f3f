// Linux CPU affinity for the inference workers: the CPUs this process may use (so taskset and
// container cpusets are respected), pinning the calling thread, its kernel thread id and name.
// glibc's cpu_set_t macros and its _GNU_SOURCE functions cannot be called from Swift, hence
// these wrappers. CPU sets are
// allocated to size (CPU_ALLOC), so machines with more than CPU_SETSIZE (1024) CPUs work too.
#ifndef PREDICT_THREAD_AFFINITY_H
#define PREDICT_THREAD_AFFINITY_H

/// Writes the CPUs the process may run on (ascending) into `cpus`, at most `capacity`; returns
/// how many there are (which may exceed `capacity`: call again with more room), or -errno.
/// "The process" is its main thread's affinity, so the answer does not depend on which thread
/// asks (a pinned worker asking still gets the whole set).
int predict_allowed_cpus(int *cpus, int capacity);

/// Pins the calling thread to the given CPUs; returns 0 or an errno value (EINVAL for an empty
/// list, a negative CPU, or CPUs none of which the process may use).
int predict_pin_current_thread(const int *cpus, int count);

/// The kernel's id of the calling thread (what /proc/self/task/<tid> names).
int predict_current_thread_id(void);

/// Names the calling thread (ps -L, top -H, /proc/self/task/<tid>/comm); the kernel keeps the
/// first 15 bytes, so pass at most that many. Returns 0 or an errno value.
int predict_set_current_thread_name(const char *name);

/// Tells the CPU the caller is spinning on a shared variable (x86 `pause`, Arm `yield`), which
/// saves power and lets a sibling hyperthread run.
static inline void predict_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield");
#endif
}

#endif
