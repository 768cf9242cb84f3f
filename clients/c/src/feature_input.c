#include "feature_input.h"

#include <stdlib.h>
#include <string.h>

const char *predict_feature_inputs_find(const predict_feature_inputs *inputs, const char *model, const char *version) {
    for (const predict_feature_input *input = inputs->first; input; input = input->next) {
        if (strcmp(input->model, model) == 0 && strcmp(input->version, version) == 0) return input->input_name;
    }
    return NULL;
}

const char *predict_feature_inputs_add(predict_feature_inputs *inputs, const char *model, const char *version,
                                       const char *input_name) {
    predict_feature_input *input = calloc(1, sizeof *input);
    if (!input) return NULL;
    input->model = strdup(model);
    input->version = strdup(version);
    input->input_name = strdup(input_name);
    if (!input->model || !input->version || !input->input_name) {
        free(input->model);
        free(input->version);
        free(input->input_name);
        free(input);
        return NULL;
    }
    input->next = inputs->first;
    inputs->first = input;
    return input->input_name;
}

void predict_feature_inputs_clear(predict_feature_inputs *inputs) {
    for (predict_feature_input *input = inputs->first; input;) {
        predict_feature_input *next = input->next;
        free(input->model);
        free(input->version);
        free(input->input_name);
        free(input);
        input = next;
    }
    inputs->first = NULL;
}
