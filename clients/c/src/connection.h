/* One connection to the server: the stream, Hello/Welcome, frames in and out, and what the
 * server said about the connection (limits, identity, GoAway). */
#ifndef PREDICT_CONNECTION_H
#define PREDICT_CONNECTION_H

#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "predict.h"
#include "tls.h"

/* Where and how to connect; the session's copy of predict_options. */
typedef struct {
    char *host;
    uint16_t port;
    char *ca_file;
    char *server_name;
    int plaintext;
    int connect_timeout_ms;
    uint32_t max_inbound_frame_bytes;
} predict_endpoint;

typedef struct predict_connection {
    predict_stream *stream;
    uint32_t max_inbound_frame_bytes;
    uint8_t *inbound;
    size_t inbound_length, inbound_capacity;
    uint32_t max_frame_bytes; /* the server's limit, from Welcome */
    predict_identity identity;
    int going_away;           /* GoAway received: no new calls */
    uint64_t last_call_id;    /* GoAway's: calls above it were never accepted */
    predict_status go_away_status;
    size_t calls;             /* calls in flight on it */
    struct predict_connection *next; /* the session's list of connections */
} predict_connection;

/* Connects, says Hello with `token` (NULL = none) and waits for Welcome. */
predict_connection *predict_connection_open(const predict_endpoint *endpoint, const char *token, predict_status *status);

int predict_connection_send(predict_connection *connection, const Predict__V1__Frame *frame, predict_status *status);
int predict_connection_send_bytes(predict_connection *connection, const uint8_t *bytes, size_t length,
                                  predict_status *status);

/* Presents `token` again (PROTOCOL.md rule 2); the Welcome is read with the other frames. */
int predict_connection_hello(predict_connection *connection, const char *token, predict_status *status);

/* Reads the next frame, waiting at most `timeout_ms` (0 = only what is already there, -1 =
 * no limit). 1 and *frame (free with predict__v1__frame__free_unpacked), 0 when none came, -1
 * when the connection is unusable (*status says why). */
int predict_connection_read(predict_connection *connection, int timeout_ms, Predict__V1__Frame **frame,
                            predict_status *status);

/* Whether a read would find bytes without waiting on the socket. */
int predict_connection_has_buffered(const predict_connection *connection);

/* Takes in a Welcome that answered a later Hello. */
void predict_connection_welcomed(predict_connection *connection, const Predict__V1__Welcome *welcome);

void predict_connection_close(predict_connection *connection);

#endif
