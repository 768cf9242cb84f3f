/* The session: its connections, token, and calls in flight (internal). */
#ifndef PREDICT_SESSION_H
#define PREDICT_SESSION_H

#include "connection.h"
#include "feature_input.h"
#include "predict.h"
#include "token.h"

/* A call started and not yet collected by a wait. */
typedef struct {
    predict_call_id id;
    predict_connection *connection; /* NULL once finished */
    long deadline_ms;               /* when a wait stops waiting for the server (monotonic) */
    uint8_t *frame;                 /* the encoded Call, kept to send again on a new connection */
    size_t frame_length;
    int attempts;
    int finished;
    Predict__V1__Frame *result;     /* set when the server answered */
    predict_status failure;         /* set when it finished without an answer */
} predict_pending_call;

struct predict_session {
    predict_endpoint endpoint;
    predict_token token;
    int call_timeout_ms;
    predict_connection *connections; /* the first takes new calls unless it is going away */
    predict_pending_call *calls;
    size_t call_count, call_capacity;
    predict_call_id next_call_id;
    predict_feature_inputs inputs;
};

/* Starts `call` (its timeout_ms is set here) and returns its id. */
int predict_session_start(predict_session *session, Predict__V1__Call *call, int timeout_ms, predict_call_id *id,
                          predict_status *status);

/* Waits for call `id` (0 = any) to end; its Result frame is the caller's. On failure *status says
 * why and *finished (when not NULL) names the call that ended. */
int predict_session_wait(predict_session *session, predict_call_id id, predict_call_id *finished,
                         Predict__V1__Frame **result, predict_status *status);

/* Runs one call to its Result frame (start and wait), checking the Result's status and that it
 * carries `expected`. */
int predict_session_call(predict_session *session, Predict__V1__Call *call, Predict__V1__Result__ResponseCase expected,
                         Predict__V1__Frame **result, predict_status *status);

/* The Result's error status as *status (-1), or 0 when OK with the `expected` response. */
int predict_result_check(const Predict__V1__Frame *frame, Predict__V1__Result__ResponseCase expected,
                         predict_status *status);

#endif
