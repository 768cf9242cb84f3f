/* Seeds the fuzz corpus with real frames: connects to a predict-server, makes one call of each
 * kind (and a few failing ones) and writes every frame the server sends, byte for byte, to its
 * own file (plus one made Result with a class_labels parameter, which the example models never
 * send). Usage: make_corpus HOST PORT CA_FILE TOKEN OUTDIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "tls.h"

static predict_stream *stream;
static const char *out_dir;
static int written;

static void send_frame(Predict__V1__Frame *frame) {
    size_t length = 0;
    uint8_t *bytes = predict_frame_encode(frame, &length);
    predict_status status;
    if (!bytes || predict_stream_write(stream, bytes, length, &status) != 0) {
        fprintf(stderr, "make_corpus: cannot send\n");
        exit(1);
    }
    free(bytes);
}

/* Reads one whole frame as the server sent it and stores it. */
static void keep_next_frame(void) {
    static uint8_t buffer[1 << 22];
    static size_t held = 0;
    predict_status status;
    for (;;) {
        if (held >= PREDICT_FRAME_PREFIX) {
            size_t length = (size_t)buffer[1] << 24 | (size_t)buffer[2] << 16 | (size_t)buffer[3] << 8 | buffer[4];
            if (length + PREDICT_FRAME_PREFIX > sizeof buffer) exit(1);
            if (held >= length + PREDICT_FRAME_PREFIX) {
                char path[4096];
                snprintf(path, sizeof path, "%s/real-frame-%02d", out_dir, written++);
                FILE *file = fopen(path, "wb");
                if (!file || fwrite(buffer, 1, length + PREDICT_FRAME_PREFIX, file) != length + PREDICT_FRAME_PREFIX) exit(1);
                fclose(file);
                memmove(buffer, buffer + length + PREDICT_FRAME_PREFIX, held - length - PREDICT_FRAME_PREFIX);
                held -= length + PREDICT_FRAME_PREFIX;
                return;
            }
        }
        long got = predict_stream_read(stream, buffer + held, sizeof buffer - held, 10000, &status);
        if (got <= 0) {
            fprintf(stderr, "make_corpus: no answer: %s\n", status.message);
            exit(1);
        }
        held += (size_t)got;
    }
}

static void call(uint64_t id, Predict__V1__Call *call) {
    Predict__V1__Frame frame = PREDICT__V1__FRAME__INIT;
    frame.call_id = id;
    frame.kind_case = PREDICT__V1__FRAME__KIND_CALL;
    frame.call = call;
    send_frame(&frame);
    keep_next_frame();
}

static void infer(uint64_t id, const char *model, size_t rows, size_t columns) {
    float *values = calloc(rows * columns, sizeof *values);
    for (size_t index = 0; index < rows * columns; index++) values[index] = (float)(index % 13) * 0.5f;
    int64_t shape[2] = {(int64_t)rows, (int64_t)columns};
    Inference__ModelInferRequest__InferInputTensor input = INFERENCE__MODEL_INFER_REQUEST__INFER_INPUT_TENSOR__INIT;
    input.name = "X";
    input.datatype = "FP32";
    input.n_shape = 2;
    input.shape = shape;
    Inference__ModelInferRequest__InferInputTensor *inputs[1] = {&input};
    ProtobufCBinaryData raw = {.len = rows * columns * sizeof(float), .data = (uint8_t *)values};
    Inference__ModelInferRequest request = INFERENCE__MODEL_INFER_REQUEST__INIT;
    request.model_name = (char *)model;
    request.n_inputs = 1;
    request.inputs = inputs;
    request.n_raw_input_contents = 1;
    request.raw_input_contents = &raw;
    Predict__V1__Call message = PREDICT__V1__CALL__INIT;
    message.request_case = PREDICT__V1__CALL__REQUEST_MODEL_INFER;
    message.model_infer = &request;
    call(id, &message);
    free(values);
}

/* The example models name their classes by number, so one Result with a class_labels
 * parameter (as a model with string classes gets) is made here rather than captured. */
static void write_labelled_result(void) {
    static float probabilities[6] = {0.7f, 0.2f, 0.1f, 0.05f, 0.15f, 0.8f};
    int64_t shape[2] = {2, 3};
    Inference__InferParameter labels = INFERENCE__INFER_PARAMETER__INIT;
    labels.parameter_choice_case = INFERENCE__INFER_PARAMETER__PARAMETER_CHOICE_STRING_PARAM;
    labels.string_param = "[\"setosa\",\"versicolor\",\"virginica\"]";
    Inference__ModelInferResponse__InferOutputTensor__ParametersEntry entry =
        INFERENCE__MODEL_INFER_RESPONSE__INFER_OUTPUT_TENSOR__PARAMETERS_ENTRY__INIT;
    entry.key = "class_labels";
    entry.value = &labels;
    Inference__ModelInferResponse__InferOutputTensor__ParametersEntry *entries[1] = {&entry};
    Inference__ModelInferResponse__InferOutputTensor output = INFERENCE__MODEL_INFER_RESPONSE__INFER_OUTPUT_TENSOR__INIT;
    output.name = "probabilities";
    output.datatype = "FP32";
    output.n_shape = 2;
    output.shape = shape;
    output.n_parameters = 1;
    output.parameters = entries;
    Inference__ModelInferResponse__InferOutputTensor *outputs[1] = {&output};
    ProtobufCBinaryData raw = {.len = sizeof probabilities, .data = (uint8_t *)probabilities};
    Inference__ModelInferResponse response = INFERENCE__MODEL_INFER_RESPONSE__INIT;
    response.model_name = "flowers";
    response.n_outputs = 1;
    response.outputs = outputs;
    response.n_raw_output_contents = 1;
    response.raw_output_contents = &raw;
    Predict__V1__Result result = PREDICT__V1__RESULT__INIT;
    result.response_case = PREDICT__V1__RESULT__RESPONSE_MODEL_INFER;
    result.model_infer = &response;
    Predict__V1__Frame frame = PREDICT__V1__FRAME__INIT;
    frame.call_id = 30;
    frame.kind_case = PREDICT__V1__FRAME__KIND_RESULT;
    frame.result = &result;
    size_t length = 0;
    uint8_t *bytes = predict_frame_encode(&frame, &length);
    char path[4096];
    snprintf(path, sizeof path, "%s/made-class-labels-result", out_dir);
    FILE *file = fopen(path, "wb");
    if (!bytes || !file || fwrite(bytes, 1, length, file) != length) exit(1);
    fclose(file);
    free(bytes);
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: make_corpus HOST PORT CA_FILE TOKEN OUTDIR\n");
        return 64;
    }
    out_dir = argv[5];
    predict_status status;
    stream = predict_stream_open(argv[1], (uint16_t)atoi(argv[2]), argv[3], NULL, 0, 10000, &status);
    if (!stream) {
        fprintf(stderr, "make_corpus: %s\n", status.message);
        return 1;
    }
    char authorization[4096];
    snprintf(authorization, sizeof authorization, "Bearer %s", argv[4]);
    Predict__V1__Hello hello = PREDICT__V1__HELLO__INIT;
    hello.protocol_version = 1;
    hello.authorization = authorization;
    Predict__V1__Frame frame = PREDICT__V1__FRAME__INIT;
    frame.kind_case = PREDICT__V1__FRAME__KIND_HELLO;
    frame.hello = &hello;
    send_frame(&frame);
    keep_next_frame(); /* Welcome */

    Inference__ServerLiveRequest live = INFERENCE__SERVER_LIVE_REQUEST__INIT;
    Predict__V1__Call message = PREDICT__V1__CALL__INIT;
    message.request_case = PREDICT__V1__CALL__REQUEST_SERVER_LIVE;
    message.server_live = &live;
    call(1, &message);
    Inference__ServerMetadataRequest server = INFERENCE__SERVER_METADATA_REQUEST__INIT;
    message.request_case = PREDICT__V1__CALL__REQUEST_SERVER_METADATA;
    message.server_metadata = &server;
    call(2, &message);
    const char *models[] = {"iris", "forest", "mlp", "identity", "nosuch"};
    for (int index = 0; index < 5; index++) {
        Inference__ModelMetadataRequest metadata = INFERENCE__MODEL_METADATA_REQUEST__INIT;
        metadata.name = (char *)models[index];
        message.request_case = PREDICT__V1__CALL__REQUEST_MODEL_METADATA;
        message.model_metadata = &metadata;
        call(10 + (uint64_t)index, &message);
    }
    infer(20, "iris", 3, 4);
    infer(21, "forest", 2, 30);
    infer(22, "mlp", 2, 30);
    infer(23, "identity", 2, 4);
    infer(24, "iris", 1, 3);   /* wrong shape: INVALID_ARGUMENT */
    infer(25, "nosuch", 1, 4); /* NOT_FOUND */
    Predict__V1__Ping ping = PREDICT__V1__PING__INIT;
    ping.opaque = 7;
    frame = (Predict__V1__Frame)PREDICT__V1__FRAME__INIT;
    frame.kind_case = PREDICT__V1__FRAME__KIND_PING;
    frame.ping = &ping;
    send_frame(&frame);
    keep_next_frame(); /* Pong */
    predict_stream_close(stream);
    write_labelled_result();
    printf("make_corpus: %d frames\n", written);
    return 0;
}
