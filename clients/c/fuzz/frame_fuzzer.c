/* libFuzzer target: arbitrary bytes as what a server sends. They go through the frame decoder
 * (prefix, limit, flags, protobuf payload) frame after frame, and every Result that carries an
 * inference response through the predictions decoder (outputs, shapes, raw and typed contents,
 * class_labels JSON). Nothing may crash, leak or read out of bounds.
 * Build: cmake -S clients/c -B .build-c-fuzz -DPREDICT_FUZZ=ON -DCMAKE_C_COMPILER=clang
 * Run:   .build-c-fuzz/frame_fuzzer clients/c/fuzz/corpus -max_total_time=300 */
#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "predict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t offset = 0;
    for (;;) {
        Predict__V1__Frame *frame = NULL;
        size_t consumed = 0;
        /* A small limit so the too-large path is reached as often as the decoded one. */
        if (predict_frame_decode(data + offset, size - offset, 1 << 20, &frame, &consumed) != PREDICT_FRAME_DECODED) break;
        offset += consumed;
        if (frame->kind_case == PREDICT__V1__FRAME__KIND_RESULT && frame->result->response_case == PREDICT__V1__RESULT__RESPONSE_MODEL_INFER) {
            predict_predictions predictions;
            predict_status status;
            if (predict_predictions_decode(frame->result->model_infer, &predictions, &status) == 0) {
                predict_predictions_free(&predictions);
            }
        }
        predict__v1__frame__free_unpacked(frame, NULL);
    }
    return 0;
}
