/* The input name of each model's single FP32 [N, F] input, read from its metadata once. */
#ifndef PREDICT_FEATURE_INPUT_H
#define PREDICT_FEATURE_INPUT_H

typedef struct predict_feature_input {
    char *model;
    char *version;
    char *input_name;
    struct predict_feature_input *next;
} predict_feature_input;

typedef struct {
    predict_feature_input *first;
} predict_feature_inputs;

/* The cached input name, or NULL. */
const char *predict_feature_inputs_find(const predict_feature_inputs *inputs, const char *model, const char *version);

/* Caches a name; returns it (the cache's copy), or NULL when out of memory. */
const char *predict_feature_inputs_add(predict_feature_inputs *inputs, const char *model, const char *version,
                                       const char *input_name);

/* Forgets every name (after NOT_FOUND or INVALID_ARGUMENT: the model may have changed). */
void predict_feature_inputs_clear(predict_feature_inputs *inputs);

#endif
