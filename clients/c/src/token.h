/* The session's token: a fixed string or a function asked for fresh ones, with the current
 * token's exp (read with libjwt) to know when to ask again. */
#ifndef PREDICT_TOKEN_H
#define PREDICT_TOKEN_H

#include <stdint.h>

#include "predict.h"

typedef struct {
    char *current;                 /* NULL = no token */
    int64_t expires_at;            /* unix seconds; 0 = unknown (never refreshed) */
    int64_t refresh_at;            /* unix seconds when a fresh one is asked for */
    predict_token_function function;
    void *context;
    int refresh_seconds;
} predict_token;

/* Takes the options' source and obtains the first token. */
int predict_token_init(predict_token *token, const predict_options *options, predict_status *status);

/* Asks the function for a new token when the current one is due; *changed says whether it did. */
int predict_token_refresh_if_due(predict_token *token, int *changed, predict_status *status);

/* The token's exp claim, without verifying it; 0 when it is not a JWT with one. */
int64_t predict_token_expiry(const char *token);

void predict_token_free(predict_token *token);

#endif
