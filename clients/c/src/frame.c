#include "frame.h"

#include <stdlib.h>

uint8_t *predict_frame_encode(const Predict__V1__Frame *frame, size_t *length) {
    size_t payload = predict__v1__frame__get_packed_size(frame);
    if (payload > UINT32_MAX) return NULL;
    uint8_t *buffer = malloc(PREDICT_FRAME_PREFIX + payload);
    if (!buffer) return NULL;
    buffer[0] = 0;
    buffer[1] = (uint8_t)(payload >> 24);
    buffer[2] = (uint8_t)(payload >> 16);
    buffer[3] = (uint8_t)(payload >> 8);
    buffer[4] = (uint8_t)payload;
    predict__v1__frame__pack(frame, buffer + PREDICT_FRAME_PREFIX);
    *length = PREDICT_FRAME_PREFIX + payload;
    return buffer;
}

predict_frame_outcome predict_frame_decode(const uint8_t *bytes, size_t available, uint32_t max_frame_bytes,
                                           Predict__V1__Frame **frame, size_t *consumed) {
    if (available < PREDICT_FRAME_PREFIX) return PREDICT_FRAME_NEED_MORE;
    if (bytes[0] != 0) return PREDICT_FRAME_BAD_FLAGS;
    uint32_t length = ((uint32_t)bytes[1] << 24) | ((uint32_t)bytes[2] << 16) | ((uint32_t)bytes[3] << 8) | bytes[4];
    /* Decided from the prefix alone, before any of the payload is held. */
    if (length > max_frame_bytes) return PREDICT_FRAME_TOO_LARGE;
    if (length == 0) return PREDICT_FRAME_UNDECODABLE;
    if (available - PREDICT_FRAME_PREFIX < length) return PREDICT_FRAME_NEED_MORE;
    Predict__V1__Frame *decoded = predict__v1__frame__unpack(NULL, length, bytes + PREDICT_FRAME_PREFIX);
    if (!decoded) return PREDICT_FRAME_UNDECODABLE;
    *frame = decoded;
    *consumed = PREDICT_FRAME_PREFIX + length;
    return PREDICT_FRAME_DECODED;
}
