// The two CBLAS entry points the runtime uses, declared here so the build does not depend on
// where a distribution puts cblas.h (Debian keeps it under a per-variant directory). The
// signatures and enum values are the reference CBLAS ABI that OpenBLAS exports.
#ifndef PREDICT_OPENBLAS_SHIM_H
#define PREDICT_OPENBLAS_SHIM_H

enum CBLAS_ORDER { CblasRowMajor = 101, CblasColMajor = 102 };
enum CBLAS_TRANSPOSE { CblasNoTrans = 111, CblasTrans = 112 };

void cblas_sgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE transA, enum CBLAS_TRANSPOSE transB,
                 int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
                 float beta, float *c, int ldc);
void cblas_dgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE transA, enum CBLAS_TRANSPOSE transB,
                 int m, int n, int k, double alpha, const double *a, int lda, const double *b,
                 int ldb, double beta, double *c, int ldc);
void openblas_set_num_threads(int threads);

#endif
