/* predict-c: a small CLI over libpredict, mirroring predict-client's live, ready, metadata,
 * infer and token. Exit code: 0, the status code of a failure, or 64 for usage errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arguments.h"
#include "predict.h"

static const char usage_text[] =
    "usage: predict-c [options] COMMAND\n"
    "  live                                 is the server live?\n"
    "  ready                                is it ready to serve?\n"
    "  metadata MODEL [--model-version V]   a model's versions, inputs and outputs\n"
    "  infer MODEL --features x1,x2,... [--features ...] [--model-version V]\n"
    "                                       classify rows; prints each prediction and its confidence\n"
    "  token [--key FILE] [--subject S] [--email E] [--issuer I] [--audience A] [--lifetime SECONDS]\n"
    "                                       mint a DEVELOPMENT token from a dev signing key (default:\n"
    "                                       $XDG_STATE_HOME/predict/dev-signing-key.pem, else\n"
    "                                       ~/.local/state/predict/dev-signing-key.pem)\n"
    "options:\n" CONNECTION_USAGE;

static int usage(void) {
    fputs(usage_text, stderr);
    return 64;
}

static int fail(const predict_status *status) {
    fprintf(stderr, "error: %s: %s\n", predict_code_name(status->code), status->message);
    return (int)status->code;
}

static int health(predict_session *session, const char *command) {
    predict_status status;
    int answer = 0, ready = !strcmp(command, "ready");
    if ((ready ? predict_ready(session, &answer, &status) : predict_live(session, &answer, &status)) != 0) return fail(&status);
    printf("%s%s\n", answer ? "" : "not ", command);
    return answer ? 0 : PREDICT_UNAVAILABLE;
}

static void print_tensors(const char *title, Inference__ModelMetadataResponse__TensorMetadata **tensors, size_t count) {
    printf("%s:\n", title);
    int width = 0;
    for (size_t index = 0; index < count; index++) {
        int length = (int)strlen(tensors[index]->name);
        if (length > width) width = length;
    }
    for (size_t index = 0; index < count; index++) {
        printf("  %-*s  %s  [", width, tensors[index]->name, tensors[index]->datatype);
        for (size_t axis = 0; axis < tensors[index]->n_shape; axis++) {
            printf("%s%lld", axis ? ", " : "", (long long)tensors[index]->shape[axis]);
        }
        printf("]\n");
    }
}

static int metadata(predict_session *session, const char *model, const char *version) {
    predict_status status;
    Inference__ModelMetadataResponse *answer = NULL;
    if (predict_model_metadata(session, model, version, &answer, &status) != 0) return fail(&status);
    printf("model: %s\nversions: ", answer->name);
    for (size_t index = 0; index < answer->n_versions; index++) printf("%s%s", index ? ", " : "", answer->versions[index]);
    printf("\n");
    if (answer->platform[0]) printf("platform: %s\n", answer->platform);
    print_tensors("inputs", answer->inputs, answer->n_inputs);
    print_tensors("outputs", answer->outputs, answer->n_outputs);
    inference__model_metadata_response__free_unpacked(answer, NULL);
    return 0;
}

static int infer(predict_session *session, const char *model, const char *version, const float *features, size_t rows,
                 size_t columns) {
    predict_status status;
    predict_predictions predictions;
    if (predict_infer_f32(session, model, version, features, rows, columns, &predictions, &status) != 0) return fail(&status);
    for (size_t row = 0; row < predictions.rows; row++) {
        printf("prediction: %s  confidence: %.3f\n", predictions.labels[row], predictions.confidences[row]);
    }
    predict_predictions_free(&predictions);
    return 0;
}

static int token(int argc, char **argv) {
    char default_key[4096];
    const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    if (state && state[0] == '/') snprintf(default_key, sizeof default_key, "%s/predict/dev-signing-key.pem", state);
    else snprintf(default_key, sizeof default_key, "%s/.local/state/predict/dev-signing-key.pem", home ? home : "");
    predict_dev_token_claims claims = {.key_file = default_key, .subject = "developer", .email = "developer@predict.dev",
                                       .lifetime_seconds = 3600};
    for (int index = 2; index < argc; index++) {
        const char *name = argv[index];
        if (index + 1 >= argc) return usage();
        const char *value = argv[++index];
        if (!strcmp(name, "--key")) claims.key_file = value;
        else if (!strcmp(name, "--subject")) claims.subject = value;
        else if (!strcmp(name, "--email")) claims.email = value;
        else if (!strcmp(name, "--issuer")) claims.issuer = value;
        else if (!strcmp(name, "--audience")) claims.audience = value;
        else if (!strcmp(name, "--lifetime")) {
            char *end = NULL;
            long seconds = strtol(value, &end, 10);
            if (!end || *end || seconds < 1 || seconds > 86400) {
                fprintf(stderr, "error: --lifetime must be 1 to 86400 seconds\n");
                return 64;
            }
            claims.lifetime_seconds = (int)seconds;
        } else {
            return usage();
        }
    }
    predict_status status;
    char *minted = NULL;
    if (predict_dev_token_mint(&claims, &minted, &status) != 0) return fail(&status);
    printf("%s\n", minted);
    free(minted);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "token")) return token(argc, argv);
    connection_arguments connection;
    connection_arguments_init(&connection);
    const char *command = NULL, *model = NULL, *version = "";
    float *features = NULL;
    size_t rows = 0, columns = 0;
    int exit_code = 64;
    for (int index = 1; index < argc; index++) {
        int taken = connection_arguments_take(&connection, argc, argv, &index);
        if (taken < 0) goto done;
        if (taken) continue;
        if (!strcmp(argv[index], "--model-version") && index + 1 < argc) {
            version = argv[++index];
        } else if (!strcmp(argv[index], "--features") && index + 1 < argc) {
            float *row = NULL;
            size_t count = 0;
            if (parse_numbers(argv[++index], &row, &count) != 0 || (columns && count != columns)) {
                fprintf(stderr, "error: INVALID_ARGUMENT: --features #%zu '%s' is not a comma-separated list of %s numbers\n",
                        rows + 1, argv[index], columns ? "as many" : "");
                free(row);
                exit_code = PREDICT_INVALID_ARGUMENT;
                goto done;
            }
            float *grown = realloc(features, (rows + 1) * count * sizeof *grown);
            if (!grown) {
                free(row);
                goto done;
            }
            features = grown;
            memcpy(features + rows * count, row, count * sizeof *row);
            free(row);
            columns = count;
            rows++;
        } else if (!command && argv[index][0] != '-') {
            command = argv[index];
        } else if (command && !model && argv[index][0] != '-') {
            model = argv[index];
        } else {
            exit_code = usage();
            goto done;
        }
    }
    int known = command && (!strcmp(command, "live") || !strcmp(command, "ready") || !strcmp(command, "metadata") ||
                            !strcmp(command, "infer"));
    int needs_model = command && (!strcmp(command, "metadata") || !strcmp(command, "infer"));
    if (!known || needs_model != (model != NULL) || (!strcmp(command, "infer") != (rows > 0))) {
        exit_code = usage();
        goto done;
    }
    if (connection_arguments_finish(&connection) != 0) goto done;
    predict_status status;
    predict_session *session = NULL;
    if (predict_connect(&connection.options, &session, &status) != 0) {
        exit_code = fail(&status);
        goto done;
    }
    if (!strcmp(command, "metadata")) exit_code = metadata(session, model, version);
    else if (!strcmp(command, "infer")) exit_code = infer(session, model, version, features, rows, columns);
    else exit_code = health(session, command);
    predict_close(session);
done:
    free(features);
    return exit_code;
}
