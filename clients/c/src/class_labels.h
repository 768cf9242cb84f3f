/* The `class_labels` output parameter: a JSON array of the probability columns' class names
 * (numbers or strings), as the server writes it. */
#ifndef PREDICT_CLASS_LABELS_H
#define PREDICT_CLASS_LABELS_H

#include <stddef.h>

/* Parses `json` into *count malloc'd strings (*labels, free each and the array). 0 on success,
 * -1 when it is not a flat array of numbers and strings (nothing allocated then). Numbers keep
 * their JSON spelling. */
int predict_class_labels_parse(const char *json, char ***labels, size_t *count);

void predict_strings_free(char **strings, size_t count);

#endif
