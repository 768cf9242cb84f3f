// glibc's malloc tuning (mallopt), which Swift's Glibc module does not export.
#ifndef PREDICT_MALLOC_SHIM_H
#define PREDICT_MALLOC_SHIM_H
#if defined(__linux__)
#include <malloc.h>
#endif
#endif
