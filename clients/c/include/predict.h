/* libpredict: a C11 client of the predict protocol (docs: clients/c/README.md).
 *
 * WORK IN PROGRESS (issue 10): connect, Hello/Welcome, calls in flight by id, live and ready
 * are built; inference, token refresh, Cancel, GoAway reconnect and the rest are not yet.
 *
 * Thread safety: a session is used by one thread at a time. Use one session per thread, or
 * guard a shared one with a mutex. */
#ifndef PREDICT_H
#define PREDICT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* PROTOCOL.md's status codes (gRPC's numbers). */
typedef enum {
    PREDICT_OK = 0,
    PREDICT_CANCELLED = 1,
    PREDICT_INVALID_ARGUMENT = 3,
    PREDICT_DEADLINE_EXCEEDED = 4,
    PREDICT_NOT_FOUND = 5,
    PREDICT_PERMISSION_DENIED = 7,
    PREDICT_RESOURCE_EXHAUSTED = 8,
    PREDICT_UNIMPLEMENTED = 12,
    PREDICT_INTERNAL = 13,
    PREDICT_UNAVAILABLE = 14,
    PREDICT_UNAUTHENTICATED = 16,
} predict_code;

/* An outcome: the code and a message for a person (never a token). */
typedef struct {
    predict_code code;
    char message[512];
} predict_status;

/* "INVALID_ARGUMENT" and so on. */
const char *predict_code_name(predict_code code);

typedef struct {
    const char *host;          /* required */
    uint16_t port;             /* required */
    const char *ca_file;       /* PEM CA certificates to trust; NULL = the system store */
    const char *server_name;   /* the name the certificate must carry; NULL = host */
    const char *token;         /* a raw JWT presented in Hello; NULL = none */
    int connect_timeout_ms;    /* 0 = 10 s */
    int call_timeout_ms;       /* each call's deadline; 0 = 30 s */
    /* Plaintext instead of TLS: refused unless host is a loopback address. For tests against
     * `predict-server --insecure` only. */
    int insecure_plaintext_on_loopback;
} predict_options;

typedef struct predict_session predict_session;

/* Connects, says Hello and waits for Welcome. Returns 0 and *session, or -1 with *status. */
int predict_connect(const predict_options *options, predict_session **session, predict_status *status);

/* Closes the connection and frees the session. */
void predict_close(predict_session *session);

/* server_live and server_ready. 0 and *answer, or -1 with *status. */
int predict_live(predict_session *session, int *answer, predict_status *status);
int predict_ready(predict_session *session, int *answer, predict_status *status);

#ifdef __cplusplus
}
#endif

#endif
