#include "token.h"

#include <jwt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "status.h"

int64_t predict_token_expiry(const char *token) {
    jwt_t *decoded = NULL;
    /* No key: decoded, not verified. The server verifies; the client only schedules. */
    if (!token || jwt_decode(&decoded, token, NULL, 0) != 0) return 0;
    long expiry = jwt_get_grant_int(decoded, "exp");
    jwt_free(decoded);
    return expiry > 0 ? expiry : 0;
}

static void forget(char *token) {
    if (!token) return;
    memset(token, 0, strlen(token));
    free(token);
}

static int take(predict_token *token, char *fresh) {
    forget(token->current);
    token->current = fresh;
    token->expires_at = predict_token_expiry(fresh);
    int64_t now = (int64_t)time(NULL);
    int64_t margin = token->refresh_seconds;
    if (token->expires_at > now && (token->expires_at - now) / 2 < margin) margin = (token->expires_at - now) / 2;
    token->refresh_at = token->expires_at ? token->expires_at - margin : 0;
    return 0;
}

static int ask(predict_token *token, predict_status *status) {
    char *fresh = token->function(token->context);
    if (!fresh || !fresh[0]) {
        free(fresh);
        return predict_status_set(status, PREDICT_UNAUTHENTICATED, "the token function returned no token");
    }
    return take(token, fresh);
}

int predict_token_init(predict_token *token, const predict_options *options, predict_status *status) {
    memset(token, 0, sizeof *token);
    token->function = options->token_function;
    token->context = options->token_context;
    token->refresh_seconds = options->token_refresh_seconds > 0 ? options->token_refresh_seconds : 60;
    if (token->function) return ask(token, status);
    if (options->token && options->token[0]) {
        char *copy = strdup(options->token);
        if (!copy) return predict_status_set(status, PREDICT_INTERNAL, "out of memory");
        return take(token, copy);
    }
    return 0;
}

int predict_token_refresh_if_due(predict_token *token, int *changed, predict_status *status) {
    *changed = 0;
    if (!token->function || !token->refresh_at || (int64_t)time(NULL) < token->refresh_at) return 0;
    if (ask(token, status) != 0) return -1;
    *changed = 1;
    return 0;
}

void predict_token_free(predict_token *token) {
    forget(token->current);
    token->current = NULL;
}
