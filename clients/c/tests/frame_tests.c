/* The frame codec against PROTOCOL.md's framing rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

#include "check.h"

int main(void) {
    Predict__V1__Ping ping = PREDICT__V1__PING__INIT;
    ping.opaque = 42;
    Predict__V1__Frame frame = PREDICT__V1__FRAME__INIT;
    frame.kind_case = PREDICT__V1__FRAME__KIND_PING;
    frame.ping = &ping;
    size_t length = 0;
    uint8_t *bytes = predict_frame_encode(&frame, &length);
    CHECK(bytes && length > PREDICT_FRAME_PREFIX && bytes[0] == 0);
    CHECK(((size_t)bytes[1] << 24 | (size_t)bytes[2] << 16 | (size_t)bytes[3] << 8 | bytes[4]) == length - PREDICT_FRAME_PREFIX);

    /* Every prefix of the frame is "need more"; the whole frame decodes to the same Ping. */
    Predict__V1__Frame *decoded = NULL;
    size_t consumed = 0;
    for (size_t cut = 0; cut < length; cut++) {
        CHECK(predict_frame_decode(bytes, cut, 1024, &decoded, &consumed) == PREDICT_FRAME_NEED_MORE);
    }
    CHECK(predict_frame_decode(bytes, length, 1024, &decoded, &consumed) == PREDICT_FRAME_DECODED);
    CHECK(consumed == length && decoded->kind_case == PREDICT__V1__FRAME__KIND_PING && decoded->ping->opaque == 42);
    predict__v1__frame__free_unpacked(decoded, NULL);

    /* Over the limit: refused from the prefix alone. */
    uint8_t huge[5] = {0, 0x7f, 0xff, 0xff, 0xff};
    CHECK(predict_frame_decode(huge, sizeof huge, 4u << 20, &decoded, &consumed) == PREDICT_FRAME_TOO_LARGE);
    /* A flag bit set, an empty payload, bytes that are not a Frame. */
    uint8_t flagged[6] = {1, 0, 0, 0, 1, 0};
    CHECK(predict_frame_decode(flagged, sizeof flagged, 1024, &decoded, &consumed) == PREDICT_FRAME_BAD_FLAGS);
    uint8_t empty[5] = {0, 0, 0, 0, 0};
    CHECK(predict_frame_decode(empty, sizeof empty, 1024, &decoded, &consumed) == PREDICT_FRAME_UNDECODABLE);
    uint8_t garbage[8] = {0, 0, 0, 0, 3, 0xff, 0xff, 0xff};
    CHECK(predict_frame_decode(garbage, sizeof garbage, 1024, &decoded, &consumed) == PREDICT_FRAME_UNDECODABLE);
    free(bytes);
    return check_report("frame_tests");
}
