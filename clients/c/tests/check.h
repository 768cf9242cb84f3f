/* A minimal test harness: CHECK records a failure with its line and goes on. */
#ifndef PREDICT_CHECK_H
#define PREDICT_CHECK_H

#include <stdio.h>

static int check_failures = 0;

#define CHECK(condition)                                                                 \
    do {                                                                                 \
        if (!(condition)) {                                                              \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
            check_failures++;                                                            \
        }                                                                                \
    } while (0)

/* The exit status: 0 when every check held. */
static inline int check_report(const char *suite) {
    fprintf(stderr, "%s: %s\n", suite, check_failures ? "FAILED" : "passed");
    return check_failures ? 1 : 0;
}

#endif
