#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frame.h"
#include "predict.h"
#include "status.h"
#include "tls.h"

/* The largest frame accepted from the server: its Results are bounded by what calls ask. */
#define PREDICT_MAX_INBOUND_FRAME (64u << 20)

/* A Result that arrived for a call not being waited for yet. */
typedef struct parked_result {
    uint64_t call_id;
    Predict__V1__Frame *frame;
    struct parked_result *next;
} parked_result;

struct predict_session {
    predict_stream *stream;
    uint64_t next_call_id;
    uint32_t max_frame_bytes; /* the server's, from Welcome */
    int call_timeout_ms;
    uint8_t *inbound;
    size_t inbound_length, inbound_capacity;
    parked_result *parked;
    int broken; /* a protocol error or GoAway: no more calls on this connection */
    predict_status broken_status;
};

static long now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * 1000L + now.tv_nsec / 1000000L;
}

static int send_frame(predict_session *session, const Predict__V1__Frame *frame, predict_status *status) {
    size_t length = 0;
    uint8_t *bytes = predict_frame_encode(frame, &length);
    if (!bytes) return predict_status_set(status, PREDICT_INTERNAL, "out of memory encoding a frame");
    int sent = predict_stream_write(session->stream, bytes, length, status);
    free(bytes);
    return sent;
}

static int fail_session(predict_session *session, predict_status *status, predict_code code, const char *message) {
    session->broken = 1;
    predict_status_set(&session->broken_status, code, "%s", message);
    return predict_status_set(status, code, "%s", message);
}

/* Reads the next frame, waiting until `deadline` (monotonic ms; 0 = none). 1 and *frame,
 * 0 on timeout, -1 on error. */
static int next_frame(predict_session *session, long deadline, Predict__V1__Frame **frame, predict_status *status) {
    uint32_t limit = PREDICT_MAX_INBOUND_FRAME;
    for (;;) {
        size_t consumed = 0;
        switch (predict_frame_decode(session->inbound, session->inbound_length, limit, frame, &consumed)) {
        case PREDICT_FRAME_DECODED:
            memmove(session->inbound, session->inbound + consumed, session->inbound_length - consumed);
            session->inbound_length -= consumed;
            return 1;
        case PREDICT_FRAME_TOO_LARGE:
            return fail_session(session, status, PREDICT_RESOURCE_EXHAUSTED, "the server sent a frame larger than 64 MiB");
        case PREDICT_FRAME_BAD_FLAGS:
            return fail_session(session, status, PREDICT_INTERNAL, "the server sent a frame with flag bits set");
        case PREDICT_FRAME_UNDECODABLE:
            return fail_session(session, status, PREDICT_INTERNAL, "the server sent a frame that does not decode");
        case PREDICT_FRAME_NEED_MORE:
            break;
        }
        if (session->inbound_capacity - session->inbound_length < 16384) {
            size_t capacity = session->inbound_capacity ? session->inbound_capacity * 2 : 65536;
            if (capacity > limit + PREDICT_FRAME_PREFIX + 65536) capacity = limit + PREDICT_FRAME_PREFIX + 65536;
            uint8_t *grown = realloc(session->inbound, capacity);
            if (!grown) return predict_status_set(status, PREDICT_INTERNAL, "out of memory reading a frame");
            session->inbound = grown;
            session->inbound_capacity = capacity;
        }
        int wait = -1;
        if (deadline) {
            long left = deadline - now_ms();
            if (left <= 0) return 0;
            wait = (int)left;
        }
        long got = predict_stream_read(session->stream, session->inbound + session->inbound_length,
                                       session->inbound_capacity - session->inbound_length, wait, status);
        if (got < 0) {
            session->broken = 1;
            session->broken_status = *status;
            return -1;
        }
        if (got == 0) return 0;
        session->inbound_length += (size_t)got;
    }
}

int predict_connect(const predict_options *options, predict_session **out, predict_status *status) {
    if (!options || !options->host || !options->port || !out) {
        return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "predict_connect needs a host and a port");
    }
    predict_session *session = calloc(1, sizeof *session);
    if (!session) return predict_status_set(status, PREDICT_INTERNAL, "out of memory");
    session->next_call_id = 1;
    session->call_timeout_ms = options->call_timeout_ms > 0 ? options->call_timeout_ms : 30000;
    int connect_timeout = options->connect_timeout_ms > 0 ? options->connect_timeout_ms : 10000;
    session->stream = predict_stream_open(options->host, options->port, options->ca_file, options->server_name,
                                          options->insecure_plaintext_on_loopback, connect_timeout, status);
    if (!session->stream) {
        free(session);
        return -1;
    }
    Predict__V1__Hello hello = PREDICT__V1__HELLO__INIT;
    hello.protocol_version = 1;
    hello.user_agent = "predict-c/0.1";
    char *authorization = NULL;
    if (options->token && options->token[0]) {
        size_t length = strlen(options->token) + sizeof "Bearer ";
        authorization = malloc(length);
        if (!authorization) {
            predict_close(session);
            return predict_status_set(status, PREDICT_INTERNAL, "out of memory");
        }
        snprintf(authorization, length, "Bearer %s", options->token);
        hello.authorization = authorization;
    }
    Predict__V1__Frame frame = PREDICT__V1__FRAME__INIT;
    frame.kind_case = PREDICT__V1__FRAME__KIND_HELLO;
    frame.hello = &hello;
    int sent = send_frame(session, &frame, status);
    free(authorization);
    if (sent != 0) {
        predict_close(session);
        return -1;
    }
    Predict__V1__Frame *answer = NULL;
    int got = next_frame(session, now_ms() + connect_timeout, &answer, status);
    if (got <= 0) {
        if (got == 0) predict_status_set(status, PREDICT_UNAVAILABLE, "no Welcome from the server in time");
        predict_close(session);
        return -1;
    }
    if (answer->kind_case == PREDICT__V1__FRAME__KIND_GO_AWAY && answer->go_away->status) {
        predict_status_set(status, (predict_code)answer->go_away->status->code, "%s", answer->go_away->status->message);
        predict__v1__frame__free_unpacked(answer, NULL);
        predict_close(session);
        return -1;
    }
    if (answer->kind_case != PREDICT__V1__FRAME__KIND_WELCOME) {
        predict__v1__frame__free_unpacked(answer, NULL);
        predict_close(session);
        return predict_status_set(status, PREDICT_INTERNAL, "the server answered Hello with something other than Welcome");
    }
    session->max_frame_bytes = answer->welcome->max_frame_bytes;
    predict__v1__frame__free_unpacked(answer, NULL);
    *out = session;
    return 0;
}

void predict_close(predict_session *session) {
    if (!session) return;
    predict_stream_close(session->stream);
    for (parked_result *parked = session->parked; parked;) {
        parked_result *next = parked->next;
        predict__v1__frame__free_unpacked(parked->frame, NULL);
        free(parked);
        parked = next;
    }
    free(session->inbound);
    free(session);
}

/* Sends `call` and returns its call id (0 with *status on failure). */
static uint64_t start_call(predict_session *session, Predict__V1__Call *call, predict_status *status) {
    if (session->broken) {
        *status = session->broken_status;
        return 0;
    }
    call->timeout_ms = (uint32_t)session->call_timeout_ms;
    Predict__V1__Frame frame = PREDICT__V1__FRAME__INIT;
    frame.call_id = session->next_call_id++;
    frame.kind_case = PREDICT__V1__FRAME__KIND_CALL;
    frame.call = call;
    return send_frame(session, &frame, status) == 0 ? frame.call_id : 0;
}

/* Waits for call `id`'s Result, parking others that arrive first. The frame is the caller's. */
static Predict__V1__Frame *wait_call(predict_session *session, uint64_t id, predict_status *status) {
    for (parked_result **link = &session->parked; *link; link = &(*link)->next) {
        if ((*link)->call_id == id) {
            parked_result *found = *link;
            Predict__V1__Frame *frame = found->frame;
            *link = found->next;
            free(found);
            return frame;
        }
    }
    long deadline = now_ms() + session->call_timeout_ms + 1000;
    for (;;) {
        Predict__V1__Frame *frame = NULL;
        int got = next_frame(session, deadline, &frame, status);
        if (got == 0) {
            predict_status_set(status, PREDICT_DEADLINE_EXCEEDED, "no result within the deadline");
            return NULL;
        }
        if (got < 0) return NULL;
        if (frame->kind_case == PREDICT__V1__FRAME__KIND_RESULT) {
            if (frame->call_id == id) return frame;
            parked_result *parked = malloc(sizeof *parked);
            if (!parked) {
                predict__v1__frame__free_unpacked(frame, NULL);
                predict_status_set(status, PREDICT_INTERNAL, "out of memory");
                return NULL;
            }
            *parked = (parked_result){.call_id = frame->call_id, .frame = frame, .next = session->parked};
            session->parked = parked;
            continue;
        }
        if (frame->kind_case == PREDICT__V1__FRAME__KIND_GO_AWAY) {
            session->broken = 1;
            predict_status_set(&session->broken_status, PREDICT_UNAVAILABLE, "the server is going away; connect again");
        }
        predict__v1__frame__free_unpacked(frame, NULL);
    }
}

/* The Result's status as ours; 0 when OK. */
static int result_status(const Predict__V1__Frame *frame, predict_status *status) {
    const Predict__V1__Result *result = frame->result;
    if (result->status && result->status->code != 0) {
        return predict_status_set(status, (predict_code)result->status->code, "%s", result->status->message);
    }
    return 0;
}

static int health(predict_session *session, int ready, int *answer, predict_status *status) {
    Inference__ServerLiveRequest live = INFERENCE__SERVER_LIVE_REQUEST__INIT;
    Inference__ServerReadyRequest readiness = INFERENCE__SERVER_READY_REQUEST__INIT;
    Predict__V1__Call call = PREDICT__V1__CALL__INIT;
    if (ready) {
        call.request_case = PREDICT__V1__CALL__REQUEST_SERVER_READY;
        call.server_ready = &readiness;
    } else {
        call.request_case = PREDICT__V1__CALL__REQUEST_SERVER_LIVE;
        call.server_live = &live;
    }
    uint64_t id = start_call(session, &call, status);
    if (!id) return -1;
    Predict__V1__Frame *frame = wait_call(session, id, status);
    if (!frame) return -1;
    int outcome = result_status(frame, status);
    if (outcome == 0) {
        if (ready && frame->result->response_case == PREDICT__V1__RESULT__RESPONSE_SERVER_READY) {
            *answer = frame->result->server_ready->ready;
        } else if (!ready && frame->result->response_case == PREDICT__V1__RESULT__RESPONSE_SERVER_LIVE) {
            *answer = frame->result->server_live->live;
        } else {
            outcome = predict_status_set(status, PREDICT_INTERNAL, "the server answered OK without the expected response");
        }
    }
    predict__v1__frame__free_unpacked(frame, NULL);
    return outcome;
}

int predict_live(predict_session *session, int *answer, predict_status *status) { return health(session, 0, answer, status); }
int predict_ready(predict_session *session, int *answer, predict_status *status) { return health(session, 1, answer, status); }
