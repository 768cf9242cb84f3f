/* Labels and probabilities from a classifier's response, as the Swift client reads them: the
 * first INT64/INT32/BYTES output of shape [N] is the label, the first FP32 output of shape
 * [N, C] the probabilities, whose columns are named by its `class_labels` parameter (else the
 * label output's, else "0", "1", …). Everything from the server is checked before use. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "class_labels.h"
#include "predict.h"
#include "status.h"

typedef Inference__ModelInferResponse__InferOutputTensor output_tensor;

void predict_predictions_free(predict_predictions *predictions) {
    if (!predictions) return;
    predict_strings_free(predictions->labels, predictions->labels ? predictions->rows : 0);
    predict_strings_free(predictions->class_labels, predictions->class_labels ? predictions->classes : 0);
    free(predictions->confidences);
    free(predictions->probabilities);
    memset(predictions, 0, sizeof *predictions);
}

static int malformed(predict_status *status, const output_tensor *output, const char *problem) {
    return predict_status_set(status, PREDICT_INTERNAL, "the server's output '%s' %s", output->name, problem);
}

/* The number of elements its shape says, refusing overflow and negative sizes. */
static int element_count(const output_tensor *output, size_t *count, predict_status *status) {
    size_t product = 1;
    for (size_t index = 0; index < output->n_shape; index++) {
        int64_t dimension = output->shape[index];
        if (dimension < 0 || (dimension > 0 && product > SIZE_MAX / (uint64_t)dimension)) {
            return malformed(status, output, "has an impossible shape");
        }
        product *= (size_t)dimension;
    }
    *count = product;
    return 0;
}

/* The output's raw bytes, or NULL with *raw_absent when the typed contents carry it. */
static int raw_contents(const Inference__ModelInferResponse *response, size_t index, const ProtobufCBinaryData **raw,
                        predict_status *status) {
    *raw = NULL;
    if (response->n_raw_output_contents == 0) return 0;
    if (response->n_raw_output_contents != response->n_outputs) {
        return predict_status_set(status, PREDICT_INTERNAL, "the response has %zu raw_output_contents for %zu outputs",
                                  response->n_raw_output_contents, response->n_outputs);
    }
    *raw = &response->raw_output_contents[index];
    return 0;
}

static uint64_t little_endian(const uint8_t *bytes, size_t width) {
    uint64_t value = 0;
    for (size_t index = width; index-- > 0;) value = value << 8 | bytes[index];
    return value;
}

static char *number_text(int64_t value) {
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, value);
    return strdup(text);
}

/* The label output's `count` labels as strings. */
static int decode_labels(const Inference__ModelInferResponse *response, size_t index, size_t count, char ***labels,
                         predict_status *status) {
    const output_tensor *output = response->outputs[index];
    const ProtobufCBinaryData *raw;
    if (raw_contents(response, index, &raw, status) != 0) return -1;
    const Inference__InferTensorContents *typed = output->contents;
    int is64 = strcmp(output->datatype, "INT64") == 0, is32 = strcmp(output->datatype, "INT32") == 0;
    size_t width = is64 ? 8 : 4;
    /* Every element takes at least 4 raw bytes: a shape larger than the bytes is refused before
     * anything is sized from it. */
    if (raw && count > raw->len / 4) return malformed(status, output, "has fewer raw bytes than its shape needs");
    if (raw && (is64 || is32) && raw->len != count * width) return malformed(status, output, "has the wrong number of raw bytes");
    if (!raw && is64 && (!typed || typed->n_int64_contents != count)) return malformed(status, output, "has the wrong number of elements");
    if (!raw && is32 && (!typed || typed->n_int_contents != count)) return malformed(status, output, "has the wrong number of elements");
    if (!raw && !is64 && !is32 && (!typed || typed->n_bytes_contents != count)) return malformed(status, output, "has the wrong number of elements");
    char **decoded = calloc(count ? count : 1, sizeof *decoded);
    if (!decoded) return predict_status_set(status, PREDICT_INTERNAL, "out of memory");
    size_t offset = 0;
    for (size_t row = 0; row < count; row++) {
        if (is64) {
            decoded[row] = number_text(raw ? (int64_t)little_endian(raw->data + 8 * row, 8) : typed->int64_contents[row]);
        } else if (is32) {
            decoded[row] = number_text(raw ? (int32_t)(uint32_t)little_endian(raw->data + 4 * row, 4) : typed->int_contents[row]);
        } else {
            const uint8_t *text;
            size_t length;
            if (raw) {
                /* BYTES raw layout: a 4-byte little-endian length, then that many bytes. */
                if (raw->len - offset < 4 || (length = little_endian(raw->data + offset, 4)) > raw->len - offset - 4) {
                    predict_strings_free(decoded, count);
                    return malformed(status, output, "is not BYTES elements of a 4-byte length and that many bytes");
                }
                text = raw->data + offset + 4;
                offset += 4 + length;
            } else {
                text = typed->bytes_contents[row].data;
                length = typed->bytes_contents[row].len;
            }
            decoded[row] = malloc(length + 1);
            if (decoded[row]) {
                memcpy(decoded[row], text, length);
                decoded[row][length] = '\0';
            }
        }
        if (!decoded[row]) {
            predict_strings_free(decoded, count);
            return predict_status_set(status, PREDICT_INTERNAL, "out of memory");
        }
    }
    if (raw && !is64 && !is32 && offset != raw->len) {
        predict_strings_free(decoded, count);
        return malformed(status, output, "has bytes after its last BYTES element");
    }
    *labels = decoded;
    return 0;
}

/* The probability output's values, copied. */
static int decode_floats(const Inference__ModelInferResponse *response, size_t index, size_t count, float **values,
                         predict_status *status) {
    const output_tensor *output = response->outputs[index];
    const ProtobufCBinaryData *raw;
    if (raw_contents(response, index, &raw, status) != 0) return -1;
    if (raw ? count > raw->len / 4 || raw->len != count * 4 : (!output->contents || output->contents->n_fp32_contents != count)) {
        return malformed(status, output, "has the wrong number of elements for its shape");
    }
    float *copy = malloc((count ? count : 1) * sizeof *copy);
    if (!copy) return predict_status_set(status, PREDICT_INTERNAL, "out of memory");
    for (size_t element = 0; element < count; element++) {
        if (raw) {
            uint32_t bits = (uint32_t)little_endian(raw->data + 4 * element, 4);
            memcpy(&copy[element], &bits, sizeof bits);
        } else {
            copy[element] = output->contents->fp32_contents[element];
        }
    }
    *values = copy;
    return 0;
}

/* An output's class_labels parameter, when it names exactly `classes` classes. */
static char **class_labels_of(const output_tensor *output, size_t classes) {
    for (size_t index = 0; index < output->n_parameters; index++) {
        const Inference__InferParameter *value = output->parameters[index]->value;
        if (strcmp(output->parameters[index]->key, "class_labels") != 0 || !value ||
            value->parameter_choice_case != INFERENCE__INFER_PARAMETER__PARAMETER_CHOICE_STRING_PARAM) {
            continue;
        }
        char **labels = NULL;
        size_t count = 0;
        if (predict_class_labels_parse(value->string_param, &labels, &count) != 0) return NULL;
        if (count == classes) return labels;
        predict_strings_free(labels, count);
    }
    return NULL;
}

static char **default_class_labels(size_t classes) {
    char **labels = calloc(classes ? classes : 1, sizeof *labels);
    for (size_t index = 0; labels && index < classes; index++) {
        if (!(labels[index] = number_text((int64_t)index))) {
            predict_strings_free(labels, classes);
            return NULL;
        }
    }
    return labels;
}

int predict_predictions_decode(const Inference__ModelInferResponse *response, predict_predictions *predictions,
                               predict_status *status) {
    memset(predictions, 0, sizeof *predictions);
    size_t label_index = SIZE_MAX, probability_index = SIZE_MAX;
    for (size_t index = 0; index < response->n_outputs; index++) {
        const output_tensor *output = response->outputs[index];
        int label_type = !strcmp(output->datatype, "INT64") || !strcmp(output->datatype, "INT32") || !strcmp(output->datatype, "BYTES");
        if (label_index == SIZE_MAX && label_type && output->n_shape == 1) label_index = index;
        if (probability_index == SIZE_MAX && !strcmp(output->datatype, "FP32") && output->n_shape == 2) probability_index = index;
    }
    if (label_index == SIZE_MAX && probability_index == SIZE_MAX) {
        return predict_status_set(status, PREDICT_INVALID_ARGUMENT,
                                  "model '%s' has no label output (INT64, INT32 or BYTES of shape [N]) nor probability "
                                  "output (FP32 of shape [N, C]); use predict_infer",
                                  response->model_name);
    }
    size_t rows = 0;
    if (label_index != SIZE_MAX) {
        if (element_count(response->outputs[label_index], &rows, status) != 0 ||
            decode_labels(response, label_index, rows, &predictions->labels, status) != 0) {
            return -1;
        }
    }
    if (probability_index != SIZE_MAX) {
        const output_tensor *output = response->outputs[probability_index];
        size_t count = 0;
        if (element_count(output, &count, status) != 0) goto failed;
        size_t answered = (size_t)output->shape[0], classes = (size_t)output->shape[1];
        if (label_index != SIZE_MAX && answered != rows) {
            malformed(status, output, "has a different number of rows than the labels");
            goto failed;
        }
        rows = answered;
        predictions->classes = classes;
        if (decode_floats(response, probability_index, count, &predictions->probabilities, status) != 0) goto failed;
        predictions->class_labels = class_labels_of(output, classes);
        if (!predictions->class_labels && label_index != SIZE_MAX) {
            predictions->class_labels = class_labels_of(response->outputs[label_index], classes);
        }
        if (!predictions->class_labels) predictions->class_labels = default_class_labels(classes);
        if (!predictions->class_labels) goto out_of_memory;
    }
    predictions->rows = rows;
    predictions->confidences = malloc((rows ? rows : 1) * sizeof(float));
    if (!predictions->confidences) goto out_of_memory;
    if (!predictions->labels) {
        predictions->labels = calloc(rows ? rows : 1, sizeof(char *));
        if (!predictions->labels) goto out_of_memory;
    }
    for (size_t row = 0; row < rows; row++) {
        size_t best = 0;
        float confidence = 1;
        if (predictions->probabilities && predictions->classes) {
            const float *values = predictions->probabilities + row * predictions->classes;
            for (size_t column = 1; column < predictions->classes; column++) {
                if (values[column] > values[best]) best = column;
            }
            confidence = values[best];
        }
        predictions->confidences[row] = confidence;
        if (!predictions->labels[row]) {
            predictions->labels[row] = strdup(predictions->classes ? predictions->class_labels[best] : "");
            if (!predictions->labels[row]) goto out_of_memory;
        }
    }
    return 0;
out_of_memory:
    predict_status_set(status, PREDICT_INTERNAL, "out of memory");
failed:
    predictions->rows = rows;
    predict_predictions_free(predictions);
    return -1;
}
