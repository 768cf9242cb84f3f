/* The framing of PROTOCOL.md: a 5-byte prefix (flags, 32-bit big-endian length) and one
 * protobuf-encoded predict.v1.Frame. Decoding never buffers more than the negotiated limit. */
#ifndef PREDICT_FRAME_H
#define PREDICT_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "predict/v1/predict.pb-c.h"

#define PREDICT_FRAME_PREFIX 5

/* Encodes `frame` with its prefix into a new buffer (free() it); NULL when out of memory. */
uint8_t *predict_frame_encode(const Predict__V1__Frame *frame, size_t *length);

/* What the decoder found at the front of its input. */
typedef enum {
    PREDICT_FRAME_NEED_MORE = 0, /* not a whole frame yet */
    PREDICT_FRAME_DECODED = 1,   /* *frame set; free with predict__v1__frame__free_unpacked */
    PREDICT_FRAME_TOO_LARGE = 2, /* the prefix announces more than the limit */
    PREDICT_FRAME_BAD_FLAGS = 3, /* a flag bit is set (compression is not in version 1) */
    PREDICT_FRAME_UNDECODABLE = 4, /* the payload is not a Frame, or is empty */
} predict_frame_outcome;

/* Decodes one frame from the front of `bytes` (of `available` bytes); on DECODED, *consumed is
 * the prefix and payload length. Never reads past `available`. */
predict_frame_outcome predict_frame_decode(const uint8_t *bytes, size_t available, uint32_t max_frame_bytes,
                                           Predict__V1__Frame **frame, size_t *consumed);

#endif
