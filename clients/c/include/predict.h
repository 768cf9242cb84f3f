/* libpredict: a C11 client of the predict protocol (../shared/PROTOCOL.md), over OpenSSL,
 * protobuf-c and libjwt. Guide and examples: clients/c/README.md.
 *
 * Conventions. Every function that can fail returns 0 on success and -1 on failure, with
 * *status (when not NULL) holding PROTOCOL.md's code and a message for a person; messages never
 * contain a token. Functions that hand out memory say how to free it.
 *
 * Thread safety. A session is not thread-safe: use it from one thread at a time (one session
 * per thread, or a mutex around a shared one). Separate sessions are independent. The library
 * keeps no global state besides OpenSSL's own.
 *
 * Calls in flight. Many calls may be in flight on one session: start them (predict_start_*),
 * then collect each Result by its call id (predict_wait_*) or in completion order
 * (predict_wait_any_infer). Every started call ends exactly once, through a wait: OK, or an
 * error status (its deadline, CANCELLED after predict_cancel, UNAVAILABLE when the connection
 * is lost, the server's own errors).
 *
 * Connections. A session holds one connection for new calls. When the server sends GoAway
 * (draining, idle timeout) the session opens a new connection for new calls, finishes the
 * old connection's accepted calls on it, and sends calls the server never accepted again on
 * the new connection. When the token source is a function, the session asks it for a fresh
 * token before the current one expires and presents it with Hello (PROTOCOL.md rule 2). */
#ifndef PREDICT_H
#define PREDICT_H

#include <stddef.h>
#include <stdint.h>

#include <inference/grpc_predict_v2.pb-c.h>

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

/* An outcome: the code and a message for a person. */
typedef struct {
    predict_code code;
    char message[512];
} predict_status;

/* "INVALID_ARGUMENT" and so on; "UNKNOWN" for a number PROTOCOL.md does not use. */
const char *predict_code_name(predict_code code);

/* Returns a fresh raw JWT in memory from malloc() (the library frees it), or NULL when none can
 * be had (the call that needed it fails UNAUTHENTICATED). Called on the session's thread. */
typedef char *(*predict_token_function)(void *context);

typedef struct {
    const char *host;          /* required: a name or an IP address */
    uint16_t port;             /* required */
    const char *ca_file;       /* PEM CA certificates to trust; NULL = the system store */
    const char *server_name;   /* the name the certificate must carry; NULL = host */
    /* The token source: a fixed raw JWT, or a function asked for a fresh one (it wins when both
     * are set). Neither: no token (a server with authentication refuses the calls). */
    const char *token;
    predict_token_function token_function;
    void *token_context;
    /* With token_function: ask for a new token this many seconds before the current one's exp
     * (read with libjwt), at most half its lifetime. 0 = 60. */
    int token_refresh_seconds;
    int connect_timeout_ms;    /* TCP and TLS handshake and Welcome; 0 = 10 s */
    /* The largest frame taken from the server, decided from its prefix before any payload is
     * held; a larger one ends the connection. 0 = 64 MiB. */
    uint32_t max_inbound_frame_bytes;
    int call_timeout_ms;       /* a call's deadline when its own is 0; 0 = 30 s */
    /* Plaintext instead of TLS: refused unless host is a loopback address. For tests against
     * `predict-server --insecure` only. */
    int insecure_plaintext_on_loopback;
} predict_options;

typedef struct predict_session predict_session;

/* A call in flight: unique within its session, never 0. */
typedef uint64_t predict_call_id;

/* Connects, says Hello and waits for Welcome. */
int predict_connect(const predict_options *options, predict_session **session, predict_status *status);

/* Closes every connection and frees the session; calls still in flight are abandoned. */
void predict_close(predict_session *session);

/* Who the server authenticated the session as (its latest Welcome). */
typedef struct {
    char subject[256];
    char email[256];
    char issuer[256];
    int64_t expires_at_unix; /* the token's exp; 0 without a token */
} predict_identity;
int predict_identity_get(predict_session *session, predict_identity *identity, predict_status *status);

/* ---- Health and metadata (blocking, the session's default deadline) ---- */

int predict_live(predict_session *session, int *live, predict_status *status);
int predict_ready(predict_session *session, int *ready, predict_status *status);
/* version NULL or "" = the server's choice. */
int predict_model_ready(predict_session *session, const char *model, const char *version, int *ready,
                        predict_status *status);
/* Free *metadata with inference__server_metadata_response__free_unpacked(*metadata, NULL). */
int predict_server_metadata(predict_session *session, Inference__ServerMetadataResponse **metadata,
                            predict_status *status);
/* Free *metadata with inference__model_metadata_response__free_unpacked(*metadata, NULL). */
int predict_model_metadata(predict_session *session, const char *model, const char *version,
                           Inference__ModelMetadataResponse **metadata, predict_status *status);

/* ---- Classification of feature rows ---- */

/* One answer per row. Free with predict_predictions_free. */
typedef struct {
    size_t rows;
    size_t classes;            /* columns of probabilities; 0 when the model gives none */
    char **labels;             /* rows labels: the model's label output, else the likeliest class */
    float *confidences;        /* rows values: the likeliest class's probability (1 without any) */
    float *probabilities;      /* rows × classes, row-major; NULL when classes is 0 */
    char **class_labels;       /* classes names of the probability columns ("0", "1", … by default) */
} predict_predictions;

void predict_predictions_free(predict_predictions *predictions);

/* Classifies `rows` rows of `columns` FP32 features (row-major) with a model whose single input
 * is FP32 [N, F] (its name is read from the model's metadata once and cached). version NULL or
 * "" = the server's choice. */
int predict_infer_f32(predict_session *session, const char *model, const char *version, const float *features,
                      size_t rows, size_t columns, predict_predictions *predictions, predict_status *status);

/* Reads labels and probabilities from any classifier's response, as predict_infer_f32 does. */
int predict_predictions_decode(const Inference__ModelInferResponse *response, predict_predictions *predictions,
                               predict_status *status);

/* ---- Any Open Inference Protocol request ---- */

/* Free *response with inference__model_infer_response__free_unpacked(*response, NULL). */
int predict_infer(predict_session *session, const Inference__ModelInferRequest *request,
                  Inference__ModelInferResponse **response, predict_status *status);

/* ---- Calls in flight ---- */

/* Start a call and return at once with its id. timeout_ms is the call's deadline (0 = the
 * session's): the server answers DEADLINE_EXCEEDED when it passes, and a wait gives up with
 * DEADLINE_EXCEEDED one second later if no answer came. */
int predict_start_infer(predict_session *session, const Inference__ModelInferRequest *request, int timeout_ms,
                        predict_call_id *call, predict_status *status);
int predict_start_infer_f32(predict_session *session, const char *model, const char *version, const float *features,
                            size_t rows, size_t columns, int timeout_ms, predict_call_id *call,
                            predict_status *status);

/* Waits for call `call` to end. On success *response is the caller's (free as predict_infer's).
 * The call is over after this returns, whatever the outcome. */
int predict_wait_infer(predict_session *session, predict_call_id call, Inference__ModelInferResponse **response,
                       predict_status *status);

/* Waits for whichever call in flight ends first; *call says which (set on failure too, except
 * when no call is in flight: INVALID_ARGUMENT and *call 0). */
int predict_wait_any_infer(predict_session *session, predict_call_id *call, Inference__ModelInferResponse **response,
                           predict_status *status);

/* Asks the server to cancel `call`. The call still ends through a wait: CANCELLED, or its
 * result when that was already on its way. */
int predict_cancel(predict_session *session, predict_call_id call, predict_status *status);

/* Calls started and not yet collected by a wait. */
size_t predict_calls_in_flight(const predict_session *session);

/* ---- Development tokens ---- */

/* The claims of a development token, as `predict-client token` mints them. */
typedef struct {
    const char *key_file;  /* a PEM P-256 private key, e.g. predict-server --dev's dev-signing-key.pem */
    const char *subject;   /* sub; required */
    const char *email;     /* email, marked verified; NULL or "" for none */
    const char *issuer;    /* iss; NULL = "predict-dev" */
    const char *audience;  /* aud; NULL = "predict" */
    int lifetime_seconds;  /* 1 to 86400 */
} predict_dev_token_claims;

/* Mints an ES256 JWT (header kid: the key's RFC 7638 thumbprint) for development and tests.
 * Not for production: real tokens come from the identity provider. free() *token. */
int predict_dev_token_mint(const predict_dev_token_claims *claims, char **token, predict_status *status);

#ifdef __cplusplus
}
#endif

#endif
