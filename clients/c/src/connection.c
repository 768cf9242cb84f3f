#include "connection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "status.h"

static void copy_text(char *target, size_t size, const char *text) {
    snprintf(target, size, "%s", text ? text : "");
}

void predict_connection_welcomed(predict_connection *connection, const Predict__V1__Welcome *welcome) {
    connection->max_frame_bytes = welcome->max_frame_bytes;
    memset(&connection->identity, 0, sizeof connection->identity);
    if (welcome->identity) {
        copy_text(connection->identity.subject, sizeof connection->identity.subject, welcome->identity->subject);
        copy_text(connection->identity.email, sizeof connection->identity.email, welcome->identity->email);
        copy_text(connection->identity.issuer, sizeof connection->identity.issuer, welcome->identity->issuer);
        connection->identity.expires_at_unix = welcome->identity->expires_at_unix;
    }
}

int predict_connection_send_bytes(predict_connection *connection, const uint8_t *bytes, size_t length,
                                  predict_status *status) {
    return predict_stream_write(connection->stream, bytes, length, status);
}

int predict_connection_send(predict_connection *connection, const Predict__V1__Frame *frame, predict_status *status) {
    size_t length = 0;
    uint8_t *bytes = predict_frame_encode(frame, &length);
    if (!bytes) return predict_status_set(status, PREDICT_INTERNAL, "out of memory encoding a frame");
    int sent = predict_connection_send_bytes(connection, bytes, length, status);
    free(bytes);
    return sent;
}

int predict_connection_hello(predict_connection *connection, const char *token, predict_status *status) {
    Predict__V1__Hello hello = PREDICT__V1__HELLO__INIT;
    hello.protocol_version = 1;
    hello.user_agent = "predict-c/0.1";
    char *authorization = NULL;
    if (token && token[0]) {
        size_t length = strlen(token) + sizeof "Bearer ";
        authorization = malloc(length);
        if (!authorization) return predict_status_set(status, PREDICT_INTERNAL, "out of memory");
        snprintf(authorization, length, "Bearer %s", token);
        hello.authorization = authorization;
    }
    Predict__V1__Frame frame = PREDICT__V1__FRAME__INIT;
    frame.kind_case = PREDICT__V1__FRAME__KIND_HELLO;
    frame.hello = &hello;
    int sent = predict_connection_send(connection, &frame, status);
    if (authorization) {
        /* The token does not outlive its use in memory we own. */
        memset(authorization, 0, strlen(authorization));
        free(authorization);
    }
    return sent;
}

int predict_connection_has_buffered(const predict_connection *connection) {
    if (predict_stream_has_buffered(connection->stream)) return 1;
    /* A whole frame (or an error to report) may already sit in the inbound buffer. */
    if (connection->inbound_length < PREDICT_FRAME_PREFIX) return 0;
    const uint8_t *prefix = connection->inbound;
    uint32_t length = ((uint32_t)prefix[1] << 24) | ((uint32_t)prefix[2] << 16) | ((uint32_t)prefix[3] << 8) | prefix[4];
    return prefix[0] != 0 || length > connection->max_inbound_frame_bytes ||
           connection->inbound_length - PREDICT_FRAME_PREFIX >= length;
}

int predict_connection_read(predict_connection *connection, int timeout_ms, Predict__V1__Frame **frame,
                            predict_status *status) {
    long deadline = timeout_ms > 0 ? predict_now_ms() + timeout_ms : 0;
    for (;;) {
        size_t consumed = 0;
        switch (predict_frame_decode(connection->inbound, connection->inbound_length, connection->max_inbound_frame_bytes,
                                     frame, &consumed)) {
        case PREDICT_FRAME_DECODED:
            memmove(connection->inbound, connection->inbound + consumed, connection->inbound_length - consumed);
            connection->inbound_length -= consumed;
            return 1;
        case PREDICT_FRAME_TOO_LARGE:
            return predict_status_set(status, PREDICT_RESOURCE_EXHAUSTED, "the server sent a frame larger than %u bytes",
                                      connection->max_inbound_frame_bytes);
        case PREDICT_FRAME_BAD_FLAGS:
            return predict_status_set(status, PREDICT_INTERNAL, "the server sent a frame with flag bits set");
        case PREDICT_FRAME_UNDECODABLE:
            return predict_status_set(status, PREDICT_INTERNAL, "the server sent a frame that does not decode");
        case PREDICT_FRAME_NEED_MORE:
            break;
        }
        if (connection->inbound_capacity - connection->inbound_length < 16384) {
            size_t ceiling = (size_t)connection->max_inbound_frame_bytes + PREDICT_FRAME_PREFIX + 65536;
            size_t capacity = connection->inbound_capacity ? connection->inbound_capacity * 2 : 65536;
            if (capacity > ceiling) capacity = ceiling;
            uint8_t *grown = realloc(connection->inbound, capacity);
            if (!grown) return predict_status_set(status, PREDICT_INTERNAL, "out of memory reading a frame");
            connection->inbound = grown;
            connection->inbound_capacity = capacity;
        }
        int wait = timeout_ms;
        if (deadline) {
            long left = deadline - predict_now_ms();
            wait = left > 0 ? (int)left : 0;
        }
        long got = predict_stream_read(connection->stream, connection->inbound + connection->inbound_length,
                                       connection->inbound_capacity - connection->inbound_length, wait, status);
        if (got < 0) return -1;
        if (got == 0) return 0;
        connection->inbound_length += (size_t)got;
    }
}

predict_connection *predict_connection_open(const predict_endpoint *endpoint, const char *token, predict_status *status) {
    predict_connection *connection = calloc(1, sizeof *connection);
    if (!connection) {
        predict_status_set(status, PREDICT_INTERNAL, "out of memory");
        return NULL;
    }
    connection->max_inbound_frame_bytes = endpoint->max_inbound_frame_bytes;
    connection->stream = predict_stream_open(endpoint->host, endpoint->port, endpoint->ca_file, endpoint->server_name,
                                             endpoint->plaintext, endpoint->connect_timeout_ms, status);
    if (!connection->stream) {
        free(connection);
        return NULL;
    }
    if (predict_connection_hello(connection, token, status) != 0) {
        predict_connection_close(connection);
        return NULL;
    }
    Predict__V1__Frame *answer = NULL;
    int got = predict_connection_read(connection, endpoint->connect_timeout_ms, &answer, status);
    if (got <= 0) {
        if (got == 0) predict_status_set(status, PREDICT_UNAVAILABLE, "no Welcome from the server in time");
        predict_connection_close(connection);
        return NULL;
    }
    int welcomed = answer->kind_case == PREDICT__V1__FRAME__KIND_WELCOME;
    if (welcomed) {
        predict_connection_welcomed(connection, answer->welcome);
    } else if (answer->kind_case == PREDICT__V1__FRAME__KIND_GO_AWAY && answer->go_away->status &&
               answer->go_away->status->code != 0) {
        predict_status_set(status, (predict_code)answer->go_away->status->code, "%s", answer->go_away->status->message);
    } else {
        predict_status_set(status, PREDICT_INTERNAL, "the server answered Hello with something other than Welcome");
    }
    predict__v1__frame__free_unpacked(answer, NULL);
    if (!welcomed) {
        predict_connection_close(connection);
        return NULL;
    }
    return connection;
}

void predict_connection_close(predict_connection *connection) {
    if (!connection) return;
    predict_stream_close(connection->stream);
    free(connection->inbound);
    free(connection);
}
