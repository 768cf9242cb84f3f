#include "status.h"

#include <stdarg.h>
#include <stdio.h>

int predict_status_set(predict_status *status, predict_code code, const char *format, ...) {
    if (!status) return -1;
    status->code = code;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(status->message, sizeof status->message, format, arguments);
    va_end(arguments);
    return -1;
}

const char *predict_code_name(predict_code code) {
    switch (code) {
    case PREDICT_OK: return "OK";
    case PREDICT_CANCELLED: return "CANCELLED";
    case PREDICT_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case PREDICT_DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case PREDICT_NOT_FOUND: return "NOT_FOUND";
    case PREDICT_PERMISSION_DENIED: return "PERMISSION_DENIED";
    case PREDICT_RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case PREDICT_UNIMPLEMENTED: return "UNIMPLEMENTED";
    case PREDICT_INTERNAL: return "INTERNAL";
    case PREDICT_UNAVAILABLE: return "UNAVAILABLE";
    case PREDICT_UNAUTHENTICATED: return "UNAUTHENTICATED";
    }
    return "UNKNOWN";
}
