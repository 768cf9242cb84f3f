#ifndef PREDICT_STATUS_H
#define PREDICT_STATUS_H

#include "predict.h"

/* Sets *status (when not NULL) to `code` and the formatted message; returns -1. */
int predict_status_set(predict_status *status, predict_code code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#endif
