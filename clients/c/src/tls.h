/* A TLS (or, for loopback tests only, plaintext) byte stream to the server: OpenSSL with TLS
 * 1.2 or newer, ALPN predict/1 required, the certificate verified against a CA file or the
 * system store and checked against the host name or IP address. */
#ifndef PREDICT_TLS_H
#define PREDICT_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "predict.h"

typedef struct predict_stream predict_stream;

/* Connects and completes the handshake within `timeout_ms`. `ca_file` NULL = the system store;
 * `server_name` NULL = `host`. `plaintext` is honoured only for loopback addresses. */
predict_stream *predict_stream_open(const char *host, uint16_t port, const char *ca_file, const char *server_name,
                                    int plaintext, int timeout_ms, predict_status *status);

/* Writes all of `bytes`; 0, or -1 with *status set. */
int predict_stream_write(predict_stream *stream, const uint8_t *bytes, size_t length, predict_status *status);

/* Reads what is available, waiting at most `timeout_ms` (-1 = no limit) for the first byte.
 * Returns the count, 0 on timeout, -1 on error or end of stream (*status set). */
long predict_stream_read(predict_stream *stream, uint8_t *buffer, size_t capacity, int timeout_ms, predict_status *status);

/* The socket, to poll several streams at once. */
int predict_stream_fd(const predict_stream *stream);

/* Whether decrypted bytes wait in the TLS layer (poll() on the socket would not see them). */
int predict_stream_has_buffered(const predict_stream *stream);

void predict_stream_close(predict_stream *stream);

#endif
