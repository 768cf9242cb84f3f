/* Reading labels and probabilities from responses the way the server writes them (raw
 * contents, class_labels) and the other ways the protocol allows, and refusing responses whose
 * shapes and contents disagree. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "predict.h"

typedef Inference__ModelInferResponse__InferOutputTensor output_tensor;
typedef Inference__ModelInferResponse__InferOutputTensor__ParametersEntry parameter_entry;

/* A response with a label output (INT64 [rows]) and a probability output (FP32 [rows, classes]). */
typedef struct {
    Inference__ModelInferResponse response;
    output_tensor label, probabilities;
    output_tensor *outputs[2];
    int64_t label_shape[1], probability_shape[2];
    ProtobufCBinaryData raw[2];
    int64_t labels[4];
    float values[12];
    Inference__InferParameter class_labels;
    parameter_entry entry;
    parameter_entry *entries[1];
} classifier;

static void make_classifier(classifier *c, size_t rows, size_t classes) {
    memset(c, 0, sizeof *c);
    c->response = (Inference__ModelInferResponse)INFERENCE__MODEL_INFER_RESPONSE__INIT;
    c->label = (output_tensor)INFERENCE__MODEL_INFER_RESPONSE__INFER_OUTPUT_TENSOR__INIT;
    c->probabilities = (output_tensor)INFERENCE__MODEL_INFER_RESPONSE__INFER_OUTPUT_TENSOR__INIT;
    c->label.name = "label";
    c->label.datatype = "INT64";
    c->label_shape[0] = (int64_t)rows;
    c->label.n_shape = 1;
    c->label.shape = c->label_shape;
    c->probabilities.name = "probabilities";
    c->probabilities.datatype = "FP32";
    c->probability_shape[0] = (int64_t)rows;
    c->probability_shape[1] = (int64_t)classes;
    c->probabilities.n_shape = 2;
    c->probabilities.shape = c->probability_shape;
    for (size_t row = 0; row < rows; row++) {
        c->labels[row] = (int64_t)(row % classes);
        for (size_t column = 0; column < classes; column++) {
            c->values[row * classes + column] = column == row % classes ? 0.8f : 0.2f / (float)(classes - 1);
        }
    }
    /* The host is little-endian on every platform this test runs on (checked in main). */
    c->raw[0] = (ProtobufCBinaryData){.len = rows * 8, .data = (uint8_t *)c->labels};
    c->raw[1] = (ProtobufCBinaryData){.len = rows * classes * 4, .data = (uint8_t *)c->values};
    c->outputs[0] = &c->label;
    c->outputs[1] = &c->probabilities;
    c->response.model_name = "iris";
    c->response.n_outputs = 2;
    c->response.outputs = c->outputs;
    c->response.n_raw_output_contents = 2;
    c->response.raw_output_contents = c->raw;
}

static void name_classes(classifier *c, const char *json) {
    c->class_labels = (Inference__InferParameter)INFERENCE__INFER_PARAMETER__INIT;
    c->class_labels.parameter_choice_case = INFERENCE__INFER_PARAMETER__PARAMETER_CHOICE_STRING_PARAM;
    c->class_labels.string_param = (char *)json;
    c->entry = (parameter_entry)INFERENCE__MODEL_INFER_RESPONSE__INFER_OUTPUT_TENSOR__PARAMETERS_ENTRY__INIT;
    c->entry.key = "class_labels";
    c->entry.value = &c->class_labels;
    c->entries[0] = &c->entry;
    c->probabilities.n_parameters = 1;
    c->probabilities.parameters = c->entries;
}

static predict_code decode_code(const Inference__ModelInferResponse *response) {
    predict_predictions predictions;
    predict_status status = {PREDICT_OK, ""};
    if (predict_predictions_decode(response, &predictions, &status) == 0) {
        predict_predictions_free(&predictions);
        return PREDICT_OK;
    }
    return status.code;
}

int main(void) {
    uint16_t probe = 1;
    CHECK(*(uint8_t *)&probe == 1);

    /* Raw contents with labels: labels from the label output, confidence the row's maximum. */
    classifier c;
    make_classifier(&c, 3, 3);
    predict_predictions p;
    predict_status status;
    CHECK(predict_predictions_decode(&c.response, &p, &status) == 0);
    CHECK(p.rows == 3 && p.classes == 3);
    CHECK(!strcmp(p.labels[0], "0") && !strcmp(p.labels[1], "1") && !strcmp(p.labels[2], "2"));
    CHECK(p.confidences[1] > 0.79f && p.confidences[1] < 0.81f);
    CHECK(p.probabilities[1 * 3 + 1] == c.values[4]);
    CHECK(!strcmp(p.class_labels[0], "0") && !strcmp(p.class_labels[2], "2"));
    predict_predictions_free(&p);

    /* class_labels names the columns; without a label output the likeliest column's name is the label. */
    make_classifier(&c, 2, 3);
    name_classes(&c, "[\"setosa\",\"versicolor\",\"virginica\"]");
    c.outputs[0] = &c.probabilities;
    c.response.n_outputs = 1;
    c.raw[0] = c.raw[1];
    c.response.n_raw_output_contents = 1;
    CHECK(predict_predictions_decode(&c.response, &p, &status) == 0);
    CHECK(p.rows == 2 && !strcmp(p.labels[0], "setosa") && !strcmp(p.labels[1], "versicolor"));
    CHECK(!strcmp(p.class_labels[2], "virginica"));
    predict_predictions_free(&p);

    /* A class_labels of the wrong length is ignored: columns are numbered. */
    make_classifier(&c, 1, 3);
    name_classes(&c, "[\"a\",\"b\"]");
    CHECK(predict_predictions_decode(&c.response, &p, &status) == 0);
    CHECK(!strcmp(p.class_labels[1], "1"));
    predict_predictions_free(&p);

    /* Typed contents instead of raw. */
    make_classifier(&c, 2, 2);
    Inference__InferTensorContents label_contents = INFERENCE__INFER_TENSOR_CONTENTS__INIT;
    Inference__InferTensorContents value_contents = INFERENCE__INFER_TENSOR_CONTENTS__INIT;
    int64_t typed_labels[2] = {7, 9};
    float typed_values[4] = {0.1f, 0.9f, 0.6f, 0.4f};
    label_contents.n_int64_contents = 2;
    label_contents.int64_contents = typed_labels;
    value_contents.n_fp32_contents = 4;
    value_contents.fp32_contents = typed_values;
    c.label.contents = &label_contents;
    c.probabilities.contents = &value_contents;
    c.response.n_raw_output_contents = 0;
    CHECK(predict_predictions_decode(&c.response, &p, &status) == 0);
    CHECK(p.rows == 2 && !strcmp(p.labels[0], "7") && !strcmp(p.labels[1], "9"));
    CHECK(p.confidences[0] == 0.9f && p.confidences[1] == 0.6f);
    predict_predictions_free(&p);

    /* BYTES labels in the raw layout: a 4-byte little-endian length, then the bytes. */
    make_classifier(&c, 2, 2);
    uint8_t bytes_labels[] = {3, 0, 0, 0, 'c', 'a', 't', 3, 0, 0, 0, 'd', 'o', 'g'};
    c.label.datatype = "BYTES";
    c.raw[0] = (ProtobufCBinaryData){.len = sizeof bytes_labels, .data = bytes_labels};
    CHECK(predict_predictions_decode(&c.response, &p, &status) == 0);
    CHECK(p.rows == 2 && !strcmp(p.labels[0], "cat") && !strcmp(p.labels[1], "dog"));
    predict_predictions_free(&p);
    c.raw[0].len = sizeof bytes_labels - 1; /* the last element is cut short */
    CHECK(decode_code(&c.response) == PREDICT_INTERNAL);

    /* Disagreements between shapes and contents are the server's fault: INTERNAL, nothing read. */
    make_classifier(&c, 2, 3);
    c.raw[1].len -= 4;
    CHECK(decode_code(&c.response) == PREDICT_INTERNAL);
    make_classifier(&c, 2, 3);
    c.probability_shape[0] = 3;
    CHECK(decode_code(&c.response) == PREDICT_INTERNAL);
    make_classifier(&c, 2, 3);
    c.label_shape[0] = INT64_MAX; /* a huge shape is refused before anything is sized from it */
    CHECK(decode_code(&c.response) == PREDICT_INTERNAL);
    make_classifier(&c, 2, 3);
    c.probability_shape[1] = -1;
    CHECK(decode_code(&c.response) == PREDICT_INTERNAL);
    make_classifier(&c, 2, 3);
    c.response.n_raw_output_contents = 1;
    CHECK(decode_code(&c.response) == PREDICT_INTERNAL);

    /* A model with neither a label nor a probability output cannot be read as a classifier. */
    make_classifier(&c, 2, 3);
    c.label.datatype = "FP64";
    c.probabilities.datatype = "FP64";
    CHECK(decode_code(&c.response) == PREDICT_INVALID_ARGUMENT);
    return check_report("predictions_tests");
}
