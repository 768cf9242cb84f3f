#ifndef PREDICT_CLOCK_H
#define PREDICT_CLOCK_H

#include <time.h>

/* Milliseconds on the monotonic clock, for deadlines. */
static inline long predict_now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * 1000L + now.tv_nsec / 1000000L;
}

#endif
