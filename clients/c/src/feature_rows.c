/* predict_infer_f32: rows × features in, one FP32 [N, F] input whose name the model's metadata
 * gives (read once per model and version). */
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "status.h"

static const char need[] = "predict_infer_f32 needs exactly one FP32 input of shape [N, F]; use predict_infer";

/* The model's input name: cached, else read from its metadata and checked. */
static const char *input_name(predict_session *session, const char *model, const char *version, predict_status *status) {
    const char *cached = predict_feature_inputs_find(&session->inputs, model, version);
    if (cached) return cached;
    Inference__ModelMetadataResponse *metadata = NULL;
    if (predict_model_metadata(session, model, version, &metadata, status) != 0) return NULL;
    const char *name = NULL;
    if (metadata->n_inputs != 1) {
        predict_status_set(status, PREDICT_INVALID_ARGUMENT, "model '%s' has %zu inputs; %s", model, metadata->n_inputs, need);
    } else if (strcmp(metadata->inputs[0]->datatype, "FP32") != 0) {
        predict_status_set(status, PREDICT_INVALID_ARGUMENT, "model '%s' input '%s' is %s; %s", model,
                           metadata->inputs[0]->name, metadata->inputs[0]->datatype, need);
    } else if (metadata->inputs[0]->n_shape != 2) {
        predict_status_set(status, PREDICT_INVALID_ARGUMENT, "model '%s' input '%s' has %zu dimensions; %s", model,
                           metadata->inputs[0]->name, metadata->inputs[0]->n_shape, need);
    } else {
        name = predict_feature_inputs_add(&session->inputs, model, version, metadata->inputs[0]->name);
        if (!name) predict_status_set(status, PREDICT_INTERNAL, "out of memory");
    }
    inference__model_metadata_response__free_unpacked(metadata, NULL);
    return name;
}

int predict_start_infer_f32(predict_session *session, const char *model, const char *version, const float *features,
                            size_t rows, size_t columns, int timeout_ms, predict_call_id *id, predict_status *status) {
    if (!model || !model[0]) return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "a model name is required");
    if (!features || rows == 0 || columns == 0) {
        return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "there must be at least one row of at least one feature");
    }
    if (rows > SIZE_MAX / columns / sizeof(float) || rows > INT64_MAX || columns > INT64_MAX) {
        return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "%zu rows of %zu features do not fit in memory", rows, columns);
    }
    if (!version) version = "";
    const char *name = input_name(session, model, version, status);
    if (!name) return -1;
    size_t count = rows * columns;
    uint8_t *raw = malloc(count * sizeof(float));
    if (!raw) return predict_status_set(status, PREDICT_INTERNAL, "out of memory");
    /* The raw contents are little-endian whatever this machine is. */
    for (size_t index = 0; index < count; index++) {
        uint32_t bits;
        memcpy(&bits, &features[index], sizeof bits);
        raw[4 * index] = (uint8_t)bits;
        raw[4 * index + 1] = (uint8_t)(bits >> 8);
        raw[4 * index + 2] = (uint8_t)(bits >> 16);
        raw[4 * index + 3] = (uint8_t)(bits >> 24);
    }
    int64_t shape[2] = {(int64_t)rows, (int64_t)columns};
    Inference__ModelInferRequest__InferInputTensor tensor = INFERENCE__MODEL_INFER_REQUEST__INFER_INPUT_TENSOR__INIT;
    tensor.name = (char *)name;
    tensor.datatype = "FP32";
    tensor.n_shape = 2;
    tensor.shape = shape;
    Inference__ModelInferRequest__InferInputTensor *inputs[1] = {&tensor};
    ProtobufCBinaryData contents = {.len = count * sizeof(float), .data = raw};
    Inference__ModelInferRequest request = INFERENCE__MODEL_INFER_REQUEST__INIT;
    request.model_name = (char *)model;
    request.model_version = (char *)version;
    request.n_inputs = 1;
    request.inputs = inputs;
    request.n_raw_input_contents = 1;
    request.raw_input_contents = &contents;
    int started = predict_start_infer(session, &request, timeout_ms, id, status);
    free(raw);
    return started;
}

int predict_infer_f32(predict_session *session, const char *model, const char *version, const float *features,
                      size_t rows, size_t columns, predict_predictions *predictions, predict_status *status) {
    predict_call_id id = 0;
    if (predict_start_infer_f32(session, model, version, features, rows, columns, 0, &id, status) != 0) return -1;
    Inference__ModelInferResponse *response = NULL;
    if (predict_wait_infer(session, id, &response, status) != 0) return -1;
    int decoded = predict_predictions_decode(response, predictions, status);
    inference__model_infer_response__free_unpacked(response, NULL);
    if (decoded == 0 && predictions->rows != rows) {
        size_t answered = predictions->rows;
        predict_predictions_free(predictions);
        return predict_status_set(status, PREDICT_INTERNAL, "model '%s' answered %zu rows for %zu", model, answered, rows);
    }
    return decoded;
}
