#include "session.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "status.h"

/* A call the server never accepted is sent again on a new connection at most this often. */
#define PREDICT_MAX_ATTEMPTS 3
/* A wait gives up this long after a call's deadline if the server has not answered. */
#define PREDICT_DEADLINE_GRACE_MS 1000
/* The most connections polled at once (one taking calls, the rest draining). */
#define PREDICT_MAX_POLLED 16

static void lose_connection(predict_session *session, predict_connection *connection, const predict_status *why);

/* ---- Calls in flight ---- */

static predict_pending_call *find_call(predict_session *session, predict_call_id id) {
    for (size_t index = 0; index < session->call_count; index++) {
        if (session->calls[index].id == id) return &session->calls[index];
    }
    return NULL;
}

/* The call no longer occupies its connection. */
static void detach(predict_pending_call *call) {
    if (call->connection) call->connection->calls--;
    call->connection = NULL;
    free(call->frame);
    call->frame = NULL;
}

static void finish_failed(predict_pending_call *call, const predict_status *why) {
    detach(call);
    call->failure = *why;
    call->finished = 1;
}

static void finish_answered(predict_pending_call *call, Predict__V1__Frame *result) {
    detach(call);
    call->result = result;
    call->finished = 1;
}

/* Closes connections that are going away and carry no call. */
static void reap(predict_session *session) {
    for (predict_connection **link = &session->connections; *link;) {
        predict_connection *connection = *link;
        if (connection->going_away && connection->calls == 0) {
            *link = connection->next;
            predict_connection_close(connection);
        } else {
            link = &connection->next;
        }
    }
}

/* The connection new calls go on, opened (with the current token) when there is none. */
static predict_connection *current_connection(predict_session *session, predict_status *status) {
    if (session->connections && !session->connections->going_away) return session->connections;
    predict_connection *opened = predict_connection_open(&session->endpoint, session->token.current, status);
    if (!opened) return NULL;
    opened->next = session->connections;
    session->connections = opened;
    return opened;
}

/* Sends a call the server never accepted again, on the connection taking new calls. */
static void send_again(predict_session *session, predict_pending_call *call) {
    predict_status status;
    if (call->attempts >= PREDICT_MAX_ATTEMPTS) {
        predict_status_set(&status, PREDICT_UNAVAILABLE, "the server refused the call %d times while going away",
                           call->attempts);
        finish_failed(call, &status);
        return;
    }
    predict_connection *connection = current_connection(session, &status);
    if (!connection) {
        finish_failed(call, &status);
        return;
    }
    call->connection->calls--;
    call->connection = connection;
    connection->calls++;
    call->attempts++;
    if (predict_connection_send_bytes(connection, call->frame, call->frame_length, &status) != 0) {
        lose_connection(session, connection, &status);
    }
}

/* GoAway (rule 8): no new calls on `connection`; its calls above last_call_id were never
 * accepted and go again on a new connection, unless the GoAway is a refusal. */
static void going_away(predict_session *session, predict_connection *connection, const Predict__V1__GoAway *go_away) {
    connection->going_away = 1;
    connection->last_call_id = go_away->last_call_id;
    if (go_away->status && go_away->status->code != 0) {
        predict_status_set(&connection->go_away_status, (predict_code)go_away->status->code, "%s",
                           go_away->status->message);
    }
    int refused = connection->go_away_status.code != PREDICT_OK;
    for (size_t index = 0; index < session->call_count; index++) {
        predict_pending_call *call = &session->calls[index];
        if (call->connection != connection || call->id <= go_away->last_call_id) continue;
        /* A refusal (e.g. a renewed token that did not verify) ends them with its reason. */
        if (refused) finish_failed(call, &connection->go_away_status);
        else send_again(session, call);
    }
}

/* The connection cannot be used: calls the server never accepted go again; the others fail. */
static void lose_connection(predict_session *session, predict_connection *connection, const predict_status *why) {
    int refused = connection->go_away_status.code != PREDICT_OK;
    predict_status lost;
    if (refused) {
        lost = connection->go_away_status;
    } else {
        predict_status_set(&lost, PREDICT_UNAVAILABLE, "the connection was lost before the result: %s", why->message);
    }
    int was_going_away = connection->going_away;
    connection->going_away = 1;
    for (size_t index = 0; index < session->call_count; index++) {
        predict_pending_call *call = &session->calls[index];
        if (call->connection != connection) continue;
        if (was_going_away && !refused && call->id > connection->last_call_id) {
            send_again(session, call);
        } else {
            finish_failed(call, &lost);
        }
    }
    reap(session);
}

static void dispatch(predict_session *session, predict_connection *connection, Predict__V1__Frame *frame) {
    predict_status status;
    switch (frame->kind_case) {
    case PREDICT__V1__FRAME__KIND_RESULT: {
        predict_pending_call *call = find_call(session, frame->call_id);
        if (call && call->connection == connection && !call->finished) {
            finish_answered(call, frame);
            return;
        }
        break; /* a call given up on (deadline) or unknown: dropped */
    }
    case PREDICT__V1__FRAME__KIND_WELCOME:
        predict_connection_welcomed(connection, frame->welcome);
        break;
    case PREDICT__V1__FRAME__KIND_GO_AWAY:
        going_away(session, connection, frame->go_away);
        break;
    case PREDICT__V1__FRAME__KIND_PING: {
        Predict__V1__Pong pong = PREDICT__V1__PONG__INIT;
        pong.opaque = frame->ping->opaque;
        Predict__V1__Frame answer = PREDICT__V1__FRAME__INIT;
        answer.kind_case = PREDICT__V1__FRAME__KIND_PONG;
        answer.pong = &pong;
        if (predict_connection_send(connection, &answer, &status) != 0) {
            predict__v1__frame__free_unpacked(frame, NULL);
            lose_connection(session, connection, &status);
            return;
        }
        break;
    }
    case PREDICT__V1__FRAME__KIND_PONG:
        break;
    default:
        predict_status_set(&status, PREDICT_INTERNAL, "the server sent a frame a client never receives (kind %d)",
                           (int)frame->kind_case);
        predict__v1__frame__free_unpacked(frame, NULL);
        lose_connection(session, connection, &status);
        return;
    }
    predict__v1__frame__free_unpacked(frame, NULL);
}

/* Reads the frames available on `connection`: one read from the socket, then whatever that
 * brought; returns how many. */
static int drain_available(predict_session *session, predict_connection *connection) {
    int frames = 0;
    for (;;) {
        /* After the first frame, only what is already buffered: the socket waits for a poll. */
        if (frames > 0 && !predict_connection_has_buffered(connection)) return frames;
        Predict__V1__Frame *frame = NULL;
        predict_status status;
        int got = predict_connection_read(connection, 0, &frame, &status);
        if (got == 0) return frames;
        if (got < 0) {
            lose_connection(session, connection, &status);
            return frames + 1;
        }
        frames++;
        /* The connection may be closed by what the frame says; stop reading it then. */
        int still_open = 0;
        dispatch(session, connection, frame);
        for (predict_connection *open = session->connections; open; open = open->next) still_open |= open == connection;
        if (!still_open) return frames;
    }
}

/* Waits up to `timeout_ms` (0 = not at all) for frames on any connection and handles them. */
static void pump(predict_session *session, int timeout_ms) {
    for (predict_connection *connection = session->connections; connection; connection = connection->next) {
        if (predict_connection_has_buffered(connection)) {
            drain_available(session, connection);
            return;
        }
    }
    struct pollfd polled[PREDICT_MAX_POLLED];
    predict_connection *owners[PREDICT_MAX_POLLED];
    nfds_t count = 0;
    for (predict_connection *connection = session->connections; connection && count < PREDICT_MAX_POLLED;
         connection = connection->next) {
        polled[count] = (struct pollfd){.fd = predict_stream_fd(connection->stream), .events = POLLIN};
        owners[count++] = connection;
    }
    if (count == 0 || poll(polled, count, timeout_ms) <= 0) return;
    for (nfds_t index = 0; index < count; index++) {
        if (polled[index].revents) {
            drain_available(session, owners[index]);
            return; /* the list may have changed; the caller looks again */
        }
    }
}

/* ---- Public session life ---- */

static char *copy_or_null(const char *text) { return text ? strdup(text) : NULL; }

int predict_connect(const predict_options *options, predict_session **out, predict_status *status) {
    if (!options || !options->host || !options->host[0] || !options->port || !out) {
        return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "predict_connect needs a host and a port");
    }
    predict_session *session = calloc(1, sizeof *session);
    if (!session) return predict_status_set(status, PREDICT_INTERNAL, "out of memory");
    session->next_call_id = 1;
    session->call_timeout_ms = options->call_timeout_ms > 0 ? options->call_timeout_ms : 30000;
    session->endpoint = (predict_endpoint){
        .host = strdup(options->host),
        .port = options->port,
        .ca_file = copy_or_null(options->ca_file),
        .server_name = copy_or_null(options->server_name),
        .plaintext = options->insecure_plaintext_on_loopback,
        .connect_timeout_ms = options->connect_timeout_ms > 0 ? options->connect_timeout_ms : 10000,
        .max_inbound_frame_bytes = options->max_inbound_frame_bytes ? options->max_inbound_frame_bytes : 64u << 20,
    };
    if (!session->endpoint.host || (options->ca_file && !session->endpoint.ca_file) ||
        (options->server_name && !session->endpoint.server_name)) {
        predict_close(session);
        return predict_status_set(status, PREDICT_INTERNAL, "out of memory");
    }
    if (predict_token_init(&session->token, options, status) != 0 || !current_connection(session, status)) {
        predict_close(session);
        return -1;
    }
    *out = session;
    return 0;
}

void predict_close(predict_session *session) {
    if (!session) return;
    for (size_t index = 0; index < session->call_count; index++) {
        free(session->calls[index].frame);
        if (session->calls[index].result) predict__v1__frame__free_unpacked(session->calls[index].result, NULL);
    }
    free(session->calls);
    while (session->connections) {
        predict_connection *next = session->connections->next;
        predict_connection_close(session->connections);
        session->connections = next;
    }
    predict_token_free(&session->token);
    predict_feature_inputs_clear(&session->inputs);
    free(session->endpoint.host);
    free(session->endpoint.ca_file);
    free(session->endpoint.server_name);
    free(session);
}

int predict_identity_get(predict_session *session, predict_identity *identity, predict_status *status) {
    predict_connection *connection = current_connection(session, status);
    if (!connection) return -1;
    *identity = connection->identity;
    return 0;
}

size_t predict_calls_in_flight(const predict_session *session) { return session->call_count; }

/* ---- Starting, waiting, cancelling ---- */

/* Before a call: take in what the server said meanwhile (GoAway, Welcome), and present a fresh
 * token when the current one is due. */
static int prepare(predict_session *session, predict_status *status) {
    for (int round = 0; round < 64 && session->connections; round++) {
        predict_connection *first = session->connections;
        if (!predict_connection_has_buffered(first)) {
            struct pollfd polled = {.fd = predict_stream_fd(first->stream), .events = POLLIN};
            if (poll(&polled, 1, 0) <= 0) break;
        }
        if (drain_available(session, first) == 0) break;
    }
    int changed = 0;
    if (predict_token_refresh_if_due(&session->token, &changed, status) != 0) return -1;
    if (changed && session->connections && !session->connections->going_away) {
        predict_status lost;
        if (predict_connection_hello(session->connections, session->token.current, &lost) != 0) {
            lose_connection(session, session->connections, &lost);
        }
    }
    return 0;
}

int predict_session_start(predict_session *session, Predict__V1__Call *call, int timeout_ms, predict_call_id *id,
                          predict_status *status) {
    if (timeout_ms < 0) return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "a call's timeout cannot be negative");
    if (timeout_ms == 0) timeout_ms = session->call_timeout_ms;
    if (prepare(session, status) != 0) return -1;
    predict_connection *connection = current_connection(session, status);
    if (!connection) return -1;
    if (session->call_count == session->call_capacity) {
        size_t capacity = session->call_capacity ? session->call_capacity * 2 : 16;
        predict_pending_call *grown = realloc(session->calls, capacity * sizeof *grown);
        if (!grown) return predict_status_set(status, PREDICT_INTERNAL, "out of memory");
        session->calls = grown;
        session->call_capacity = capacity;
    }
    call->timeout_ms = (uint32_t)timeout_ms;
    Predict__V1__Frame frame = PREDICT__V1__FRAME__INIT;
    frame.call_id = session->next_call_id;
    frame.kind_case = PREDICT__V1__FRAME__KIND_CALL;
    frame.call = call;
    size_t length = 0;
    uint8_t *bytes = predict_frame_encode(&frame, &length);
    if (!bytes) return predict_status_set(status, PREDICT_INTERNAL, "out of memory encoding a call");
    if (connection->max_frame_bytes && length - PREDICT_FRAME_PREFIX > connection->max_frame_bytes) {
        free(bytes);
        return predict_status_set(status, PREDICT_RESOURCE_EXHAUSTED,
                                  "the call is %zu bytes; the server takes frames of at most %u bytes",
                                  length - PREDICT_FRAME_PREFIX, connection->max_frame_bytes);
    }
    if (predict_connection_send_bytes(connection, bytes, length, status) != 0) {
        free(bytes);
        lose_connection(session, connection, status);
        return -1;
    }
    session->calls[session->call_count++] = (predict_pending_call){
        .id = frame.call_id,
        .connection = connection,
        .deadline_ms = predict_now_ms() + timeout_ms + PREDICT_DEADLINE_GRACE_MS,
        .frame = bytes,
        .frame_length = length,
        .attempts = 1,
    };
    connection->calls++;
    *id = session->next_call_id++;
    return 0;
}

static int send_cancel(predict_connection *connection, predict_call_id id, predict_status *status) {
    Predict__V1__Cancel cancel = PREDICT__V1__CANCEL__INIT;
    Predict__V1__Frame frame = PREDICT__V1__FRAME__INIT;
    frame.call_id = id;
    frame.kind_case = PREDICT__V1__FRAME__KIND_CANCEL;
    frame.cancel = &cancel;
    return predict_connection_send(connection, &frame, status);
}

/* Hands over a finished call's outcome and forgets the call. */
static int collect(predict_session *session, predict_pending_call *call, predict_call_id *finished,
                   Predict__V1__Frame **result, predict_status *status) {
    if (finished) *finished = call->id;
    Predict__V1__Frame *frame = call->result;
    predict_status failure = call->failure;
    *call = session->calls[--session->call_count];
    reap(session);
    if (!frame) {
        if (status) *status = failure;
        return -1;
    }
    const Predict__V1__Result *answer = frame->result;
    if (answer->status && answer->status->code != 0) {
        predict_status_set(status, (predict_code)answer->status->code, "%s", answer->status->message);
        predict__v1__frame__free_unpacked(frame, NULL);
        return -1;
    }
    *result = frame;
    return 0;
}

int predict_session_wait(predict_session *session, predict_call_id id, predict_call_id *finished,
                         Predict__V1__Frame **result, predict_status *status) {
    if (finished) *finished = 0;
    for (;;) {
        long earliest = 0;
        long now = predict_now_ms();
        predict_pending_call *waited = NULL;
        for (size_t index = 0; index < session->call_count; index++) {
            predict_pending_call *call = &session->calls[index];
            if (id && call->id != id) continue;
            waited = call;
            if (!call->finished && call->deadline_ms <= now) {
                /* The server never answered: tell it to stop, and end the call here. */
                predict_status ignored, expired;
                send_cancel(call->connection, call->id, &ignored);
                predict_status_set(&expired, PREDICT_DEADLINE_EXCEEDED, "no answer from the server within the deadline");
                finish_failed(call, &expired);
            }
            if (call->finished) return collect(session, call, finished, result, status);
            if (!earliest || call->deadline_ms < earliest) earliest = call->deadline_ms;
        }
        if (!waited) {
            if (id) return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "call %llu is not in flight", (unsigned long long)id);
            return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "no call is in flight");
        }
        pump(session, (int)(earliest - now));
    }
}

int predict_result_check(const Predict__V1__Frame *frame, Predict__V1__Result__ResponseCase expected,
                         predict_status *status) {
    if (frame->result->response_case != expected) {
        return predict_status_set(status, PREDICT_INTERNAL, "the server answered OK without the expected response");
    }
    return 0;
}

int predict_session_call(predict_session *session, Predict__V1__Call *call, Predict__V1__Result__ResponseCase expected,
                         Predict__V1__Frame **result, predict_status *status) {
    predict_call_id id = 0;
    if (predict_session_start(session, call, 0, &id, status) != 0) return -1;
    if (predict_session_wait(session, id, NULL, result, status) != 0) return -1;
    if (predict_result_check(*result, expected, status) != 0) {
        predict__v1__frame__free_unpacked(*result, NULL);
        *result = NULL;
        return -1;
    }
    return 0;
}

int predict_cancel(predict_session *session, predict_call_id id, predict_status *status) {
    predict_pending_call *call = find_call(session, id);
    if (!call) return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "call %llu is not in flight", (unsigned long long)id);
    if (call->finished) return 0;
    if (send_cancel(call->connection, id, status) != 0) {
        lose_connection(session, call->connection, status);
        return -1;
    }
    return 0;
}
