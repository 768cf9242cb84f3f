/* libpredict against a real predict-server over TLS with authentication on (started by
 * tests/run-interop.sh, which passes it through the environment):
 *   interop_tests calls   every call kind, 100 calls in flight, errors, deadlines, Cancel,
 *                         token refresh, certificate checks
 *   interop_tests idle    a server with a 1 s idle timeout: GoAway, then a new connection
 *   interop_tests drain   SIGTERM to the server while calls are in flight (PREDICT_TEST_SERVER_PID) */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "predict.h"

static const char *environment(const char *name) {
    const char *value = getenv(name);
    if (!value || !value[0]) {
        fprintf(stderr, "interop_tests: %s is not set (run tests/run-interop.sh)\n", name);
        exit(2);
    }
    return value;
}

static char *mint(const char *email, int lifetime_seconds) {
    predict_dev_token_claims claims = {.key_file = environment("PREDICT_TEST_KEY"), .subject = "interop",
                                       .email = email, .lifetime_seconds = lifetime_seconds};
    char *token = NULL;
    predict_status status;
    if (predict_dev_token_mint(&claims, &token, &status) != 0) {
        fprintf(stderr, "interop_tests: cannot mint a token: %s\n", status.message);
        exit(2);
    }
    return token;
}

static predict_options base_options(void) {
    predict_options options = {0};
    options.host = "localhost";
    options.port = (uint16_t)atoi(environment("PREDICT_TEST_PORT"));
    options.ca_file = environment("PREDICT_TEST_CA");
    return options;
}

static predict_session *connect_as(const char *token) {
    predict_options options = base_options();
    options.token = token;
    predict_session *session = NULL;
    predict_status status;
    if (predict_connect(&options, &session, &status) != 0) {
        fprintf(stderr, "interop_tests: cannot connect: %s: %s\n", predict_code_name(status.code), status.message);
        exit(2);
    }
    return session;
}

static void sleep_ms(long milliseconds) {
    struct timespec pause = {milliseconds / 1000, (milliseconds % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

/* A request for the identity model (X: FP32 [1, 4]) with typed contents; everything it points
 * to is the caller's. */
typedef struct {
    int64_t shape[2];
    Inference__InferTensorContents contents;
    Inference__ModelInferRequest__InferInputTensor input;
    Inference__ModelInferRequest__InferInputTensor *inputs[1];
    Inference__ModelInferRequest request;
} identity_request;

static void make_identity_request(identity_request *made, float values[4], char *id) {
    made->shape[0] = 1;
    made->shape[1] = 4;
    made->contents = (Inference__InferTensorContents)INFERENCE__INFER_TENSOR_CONTENTS__INIT;
    made->contents.n_fp32_contents = 4;
    made->contents.fp32_contents = values;
    made->input = (Inference__ModelInferRequest__InferInputTensor)INFERENCE__MODEL_INFER_REQUEST__INFER_INPUT_TENSOR__INIT;
    made->input.name = "X";
    made->input.datatype = "FP32";
    made->input.n_shape = 2;
    made->input.shape = made->shape;
    made->input.contents = &made->contents;
    made->inputs[0] = &made->input;
    made->request = (Inference__ModelInferRequest)INFERENCE__MODEL_INFER_REQUEST__INIT;
    made->request.model_name = "identity";
    made->request.id = id;
    made->request.n_inputs = 1;
    made->request.inputs = made->inputs;
}

/* The identity model's single output, raw or typed. */
static void echoed_values(const Inference__ModelInferResponse *response, float echoed[4]) {
    memset(echoed, 0, 4 * sizeof *echoed);
    if (response->n_raw_output_contents == 1 && response->raw_output_contents[0].len == 4 * sizeof *echoed) {
        memcpy(echoed, response->raw_output_contents[0].data, 4 * sizeof *echoed);
    } else if (response->n_outputs == 1 && response->outputs[0]->contents &&
               response->outputs[0]->contents->n_fp32_contents == 4) {
        memcpy(echoed, response->outputs[0]->contents->fp32_contents, 4 * sizeof *echoed);
    }
}

/* ---- calls ---- */

static void every_call_kind(predict_session *session) {
    predict_status status;
    int answer = 0;
    CHECK(predict_live(session, &answer, &status) == 0 && answer == 1);
    CHECK(predict_ready(session, &answer, &status) == 0 && answer == 1);
    CHECK(predict_model_ready(session, "iris", NULL, &answer, &status) == 0 && answer == 1);
    CHECK(predict_model_ready(session, "iris", "1", &answer, &status) == 0 && answer == 1);

    Inference__ServerMetadataResponse *server = NULL;
    CHECK(predict_server_metadata(session, &server, &status) == 0 && server && server->name[0]);
    if (server) inference__server_metadata_response__free_unpacked(server, NULL);

    Inference__ModelMetadataResponse *metadata = NULL;
    CHECK(predict_model_metadata(session, "iris", NULL, &metadata, &status) == 0);
    if (metadata) {
        CHECK(!strcmp(metadata->name, "iris") && metadata->n_inputs == 1 && metadata->n_outputs == 2);
        CHECK(!strcmp(metadata->inputs[0]->datatype, "FP32") && metadata->inputs[0]->n_shape == 2 &&
              metadata->inputs[0]->shape[1] == 4);
        inference__model_metadata_response__free_unpacked(metadata, NULL);
    }

    /* One flower of each species, in one call. */
    const float flowers[] = {5.1f, 3.5f, 1.4f, 0.2f, 6.4f, 3.2f, 4.5f, 1.5f, 6.7f, 3.0f, 5.2f, 2.3f};
    predict_predictions predictions;
    int classified = predict_infer_f32(session, "iris", NULL, flowers, 3, 4, &predictions, &status) == 0;
    CHECK(classified);
    if (classified) {
        CHECK(predictions.rows == 3 && predictions.classes == 3);
        CHECK(!strcmp(predictions.labels[0], "0") && !strcmp(predictions.labels[1], "1") && !strcmp(predictions.labels[2], "2"));
        for (size_t row = 0; row < predictions.rows; row++) {
            float sum = 0;
            for (size_t column = 0; column < predictions.classes; column++) sum += predictions.probabilities[row * 3 + column];
            CHECK(fabsf(sum - 1) < 1e-4f);
            CHECK(predictions.confidences[row] > 0.5f && predictions.confidences[row] <= 1);
        }
        CHECK(predictions.confidences[0] > 0.95f);
        predict_predictions_free(&predictions);
    }

    /* The raw OIP request: typed contents, an id echoed back, the output chosen by name. */
    float values[4] = {1.5f, -2.25f, 3.0f, 1e-3f};
    identity_request made;
    make_identity_request(&made, values, "raw-1");
    Inference__ModelInferResponse *response = NULL;
    CHECK(predict_infer(session, &made.request, &response, &status) == 0);
    if (response) {
        CHECK(!strcmp(response->id, "raw-1") && !strcmp(response->model_name, "identity") && response->n_outputs == 1);
        float echoed[4];
        echoed_values(response, echoed);
        CHECK(!memcmp(echoed, values, sizeof echoed));
        inference__model_infer_response__free_unpacked(response, NULL);
    }

    /* A wrong tensor shape is the caller's error, and the session carries on. */
    made.shape[1] = 3;
    made.contents.n_fp32_contents = 3;
    made.request.model_name = "iris";
    response = NULL;
    CHECK(predict_infer(session, &made.request, &response, &status) == -1 && status.code == PREDICT_INVALID_ARGUMENT);
    CHECK(response == NULL);
    CHECK(predict_live(session, &answer, &status) == 0 && answer == 1);
}

/* 100 calls in flight on one connection, each answered with its own values and id. */
static void hundred_in_flight(predict_session *session) {
    enum { calls = 100 };
    predict_call_id ids[calls];
    float sent[calls][4];
    char names[calls][16];
    predict_status status;
    for (int index = 0; index < calls; index++) {
        for (int feature = 0; feature < 4; feature++) sent[index][feature] = (float)index + 0.25f * (float)feature;
        snprintf(names[index], sizeof names[index], "call-%d", index);
        identity_request made;
        make_identity_request(&made, sent[index], names[index]);
        CHECK(predict_start_infer(session, &made.request, 0, &ids[index], &status) == 0);
    }
    CHECK(predict_calls_in_flight(session) == calls);
    int seen[calls] = {0}, matched = 0;
    for (int collected = 0; collected < calls; collected++) {
        predict_call_id id = 0;
        Inference__ModelInferResponse *response = NULL;
        int outcome = predict_wait_any_infer(session, &id, &response, &status);
        CHECK(outcome == 0);
        int index = -1;
        for (int candidate = 0; candidate < calls; candidate++) index = ids[candidate] == id ? candidate : index;
        CHECK(index >= 0);
        if (index < 0 || outcome != 0) continue;
        seen[index]++;
        float echoed[4];
        echoed_values(response, echoed);
        matched += !strcmp(response->id, names[index]) && !memcmp(echoed, sent[index], sizeof echoed);
        inference__model_infer_response__free_unpacked(response, NULL);
    }
    CHECK(matched == calls);
    for (int index = 0; index < calls; index++) CHECK(seen[index] == 1);
    CHECK(predict_calls_in_flight(session) == 0);
    predict_call_id none = 1;
    Inference__ModelInferResponse *response = NULL;
    CHECK(predict_wait_any_infer(session, &none, &response, &status) == -1 && status.code == PREDICT_INVALID_ARGUMENT && none == 0);
    CHECK(predict_wait_infer(session, ids[0], &response, &status) == -1 && status.code == PREDICT_INVALID_ARGUMENT);

    /* Waiting by id in reverse order parks the others' Results until asked for. */
    const float flower[4] = {5.1f, 3.5f, 1.4f, 0.2f};
    predict_call_id ordered[8];
    for (int index = 0; index < 8; index++) CHECK(predict_start_infer_f32(session, "iris", NULL, flower, 1, 4, 0, &ordered[index], &status) == 0);
    for (int index = 7; index >= 0; index--) {
        response = NULL;
        CHECK(predict_wait_infer(session, ordered[index], &response, &status) == 0);
        predict_predictions predictions;
        CHECK(response && predict_predictions_decode(response, &predictions, &status) == 0 && !strcmp(predictions.labels[0], "0"));
        if (response) {
            predict_predictions_free(&predictions);
            inference__model_infer_response__free_unpacked(response, NULL);
        }
    }
}

static void refusals(predict_session *session) {
    predict_status status;
    const float flower[4] = {5.1f, 3.5f, 1.4f, 0.2f};
    predict_predictions predictions;

    /* An unknown model. */
    CHECK(predict_infer_f32(session, "nosuch", NULL, flower, 1, 4, &predictions, &status) == -1 &&
          status.code == PREDICT_NOT_FOUND && strstr(status.message, "nosuch"));
    Inference__ModelMetadataResponse *metadata = NULL;
    CHECK(predict_model_metadata(session, "nosuch", NULL, &metadata, &status) == -1 && status.code == PREDICT_NOT_FOUND);

    /* A call larger than the server's frame limit is refused here; the session carries on. */
    size_t rows = 300000;
    float *many = calloc(rows * 4, sizeof *many);
    CHECK(predict_infer_f32(session, "iris", NULL, many, rows, 4, &predictions, &status) == -1 &&
          status.code == PREDICT_RESOURCE_EXHAUSTED);
    free(many);
    int live = 0;
    CHECK(predict_live(session, &live, &status) == 0 && live);

    /* A token that does not verify: the server refuses the connection. */
    predict_options options = base_options();
    options.token = "not.a.token";
    predict_session *refused = NULL;
    CHECK(predict_connect(&options, &refused, &status) == -1 && status.code == PREDICT_UNAUTHENTICATED && !refused);
    CHECK(!strstr(status.message, "not.a.token"));

    /* A valid token for a principal who is not an invoker. */
    char *mallory = mint("mallory@example.com", 600);
    predict_session *outsider = connect_as(mallory);
    CHECK(predict_infer_f32(outsider, "iris", NULL, flower, 1, 4, &predictions, &status) == -1 &&
          status.code == PREDICT_PERMISSION_DENIED && strstr(status.message, "mallory@example.com"));
    predict_identity identity;
    CHECK(predict_identity_get(outsider, &identity, &status) == 0 && !strcmp(identity.email, "mallory@example.com"));
    predict_close(outsider);
    free(mallory);

    /* No token at all. */
    predict_session *anonymous = connect_as(NULL);
    CHECK(predict_infer_f32(anonymous, "iris", NULL, flower, 1, 4, &predictions, &status) == -1 &&
          status.code == PREDICT_UNAUTHENTICATED);
    predict_close(anonymous);
}

static void certificates(const char *token) {
    predict_status status;
    predict_session *session = NULL;
    /* A CA that did not sign the server's certificate. */
    predict_options options = base_options();
    options.token = token;
    options.ca_file = environment("PREDICT_TEST_OTHER_CA");
    CHECK(predict_connect(&options, &session, &status) == -1 && status.code == PREDICT_UNAVAILABLE &&
          strstr(status.message, "certificate"));
    /* The right CA, but a name the certificate does not carry. */
    options = base_options();
    options.token = token;
    options.server_name = "example.com";
    CHECK(predict_connect(&options, &session, &status) == -1 && status.code == PREDICT_UNAVAILABLE &&
          strstr(status.message, "example.com"));
    /* An address the certificate does carry, checked as an IP address. */
    options = base_options();
    options.token = token;
    options.host = "127.0.0.1";
    CHECK(predict_connect(&options, &session, &status) == 0);
    predict_close(session);
    /* A missing CA file is the caller's error. */
    options.ca_file = "/nonexistent/ca.pem";
    CHECK(predict_connect(&options, &session, &status) == -1 && status.code == PREDICT_INVALID_ARGUMENT);
    /* Plaintext is refused for an address that is not loopback, before any connection. */
    options = base_options();
    options.host = "192.0.2.1";
    options.insecure_plaintext_on_loopback = 1;
    CHECK(predict_connect(&options, &session, &status) == -1 && status.code == PREDICT_INVALID_ARGUMENT);
}

/* Deadlines and Cancel with a call big enough to take a while: 20,000 rows of the forest. */
static void deadlines_and_cancel(predict_session *session) {
    size_t rows = 20000;
    float *features = malloc(rows * 30 * sizeof *features);
    for (size_t index = 0; index < rows * 30; index++) features[index] = (float)(index % 97) / 10.0f;
    predict_status status;
    predict_call_id id = 0;
    Inference__ModelInferResponse *response = NULL;

    /* Warm the input-name cache so the 1 ms deadline is spent on the call itself. */
    predict_predictions predictions;
    int warmed = predict_infer_f32(session, "forest", NULL, features, 1, 30, &predictions, &status) == 0;
    CHECK(warmed);
    if (warmed) predict_predictions_free(&predictions);

    int expired = 0;
    for (int attempt = 0; attempt < 5 && !expired; attempt++) {
        CHECK(predict_start_infer_f32(session, "forest", NULL, features, rows, 30, 1, &id, &status) == 0);
        int outcome = predict_wait_infer(session, id, &response, &status);
        if (outcome == 0) {
            inference__model_infer_response__free_unpacked(response, NULL);
        } else {
            CHECK(status.code == PREDICT_DEADLINE_EXCEEDED);
            expired = status.code == PREDICT_DEADLINE_EXCEEDED;
        }
    }
    CHECK(expired);

    /* Cancelled right after it starts: CANCELLED, or its result if that was already on its way;
     * one outcome either way, and the session goes on. */
    int cancelled = 0;
    for (int attempt = 0; attempt < 5 && !cancelled; attempt++) {
        CHECK(predict_start_infer_f32(session, "forest", NULL, features, rows, 30, 0, &id, &status) == 0);
        CHECK(predict_cancel(session, id, &status) == 0);
        response = NULL;
        int outcome = predict_wait_infer(session, id, &response, &status);
        CHECK(outcome == 0 || status.code == PREDICT_CANCELLED);
        if (outcome == 0) inference__model_infer_response__free_unpacked(response, NULL);
        cancelled = outcome != 0;
        CHECK(predict_cancel(session, id, &status) == -1 && status.code == PREDICT_INVALID_ARGUMENT);
    }
    CHECK(cancelled);
    int live = 0;
    CHECK(predict_live(session, &live, &status) == 0 && live);
    free(features);
}

/* A token function's tokens are renewed before they expire, by Hello on the same connection. */
typedef struct {
    int minted;
    int64_t last_expiry;
} token_counter;

static char *short_lived_token(void *context) {
    token_counter *counter = context;
    counter->minted++;
    char *token = mint("developer@predict.dev", 4);
    counter->last_expiry = (int64_t)time(NULL) + 4;
    return token;
}

static void token_refresh(void) {
    token_counter counter = {0};
    predict_options options = base_options();
    options.token_function = short_lived_token;
    options.token_context = &counter;
    predict_session *session = NULL;
    predict_status status;
    CHECK(predict_connect(&options, &session, &status) == 0);
    if (!session) return;
    CHECK(counter.minted == 1);
    int live = 0;
    CHECK(predict_live(session, &live, &status) == 0 && live);
    predict_identity before;
    CHECK(predict_identity_get(session, &before, &status) == 0 && before.expires_at_unix > 0);
    CHECK(counter.minted == 1);
    sleep_ms(2600); /* past half the 4 s lifetime: due for renewal */
    CHECK(predict_live(session, &live, &status) == 0 && live);
    CHECK(counter.minted == 2);
    predict_identity after;
    CHECK(predict_identity_get(session, &after, &status) == 0);
    CHECK(after.expires_at_unix > before.expires_at_unix && !strcmp(after.email, "developer@predict.dev"));
    predict_close(session);
}

static int run_calls(void) {
    char *token = mint("developer@predict.dev", 600);
    predict_session *session = connect_as(token);
    predict_identity identity;
    predict_status status;
    CHECK(predict_identity_get(session, &identity, &status) == 0 && !strcmp(identity.email, "developer@predict.dev"));
    every_call_kind(session);
    hundred_in_flight(session);
    refusals(session);
    deadlines_and_cancel(session);
    predict_close(session);
    certificates(token);
    token_refresh();
    free(token);
    return check_report("interop_tests calls");
}

/* ---- idle: GoAway on an idle connection, a new connection for the next call ---- */

static int run_idle(void) {
    char *token = mint("developer@predict.dev", 600);
    predict_session *session = connect_as(token);
    predict_status status;
    int live = 0;
    CHECK(predict_live(session, &live, &status) == 0 && live);
    sleep_ms(2500); /* the server's idle timeout is 1 s: it sends GoAway and closes */
    const float flower[4] = {5.1f, 3.5f, 1.4f, 0.2f};
    for (int round = 0; round < 3; round++) {
        predict_predictions predictions;
        int classified = predict_infer_f32(session, "iris", NULL, flower, 1, 4, &predictions, &status) == 0;
        CHECK(classified);
        if (classified) predict_predictions_free(&predictions);
        if (round == 0) sleep_ms(2500);
    }
    predict_close(session);
    free(token);
    return check_report("interop_tests idle");
}

/* ---- drain: SIGTERM with calls in flight; every call ends exactly once ---- */

static int run_drain(void) {
    pid_t server = (pid_t)atoi(environment("PREDICT_TEST_SERVER_PID"));
    char *token = mint("developer@predict.dev", 600);
    predict_session *session = connect_as(token);
    enum { in_flight = 32, most = 200000 };
    unsigned char *outcomes = calloc(most + 1, 1); /* by call id: how many times each ended */
    const float flower[4] = {5.1f, 3.5f, 1.4f, 0.2f};
    predict_status status;
    long started = 0, ok = 0, unavailable = 0, other = 0, ok_after_signal = 0, refused_starts = 0;
    int signalled = 0, starting = 1;
    for (int index = 0; index < in_flight; index++) {
        predict_call_id id;
        CHECK(predict_start_infer_f32(session, "iris", NULL, flower, 1, 4, 0, &id, &status) == 0);
        started++;
    }
    while (predict_calls_in_flight(session) > 0) {
        predict_call_id id = 0;
        Inference__ModelInferResponse *response = NULL;
        int outcome = predict_wait_any_infer(session, &id, &response, &status);
        if (id > 0 && id <= most) outcomes[id]++;
        if (outcome == 0) {
            ok++;
            ok_after_signal += signalled;
            inference__model_infer_response__free_unpacked(response, NULL);
        } else if (status.code == PREDICT_UNAVAILABLE) {
            unavailable++;
        } else {
            fprintf(stderr, "drain: call %llu ended %s: %s\n", (unsigned long long)id, predict_code_name(status.code), status.message);
            other++;
        }
        if (!signalled && ok >= 300) {
            CHECK(kill(server, SIGTERM) == 0);
            signalled = 1;
        }
        if (starting && started < most) {
            predict_call_id next;
            if (predict_start_infer_f32(session, "iris", NULL, flower, 1, 4, 0, &next, &status) == 0) {
                started++;
            } else {
                /* The server no longer takes connections: refused at the start, never in flight. */
                CHECK(signalled && status.code == PREDICT_UNAVAILABLE);
                refused_starts++;
                starting = 0;
            }
        }
    }
    long ended = 0;
    int once = 1;
    for (long id = 1; id <= most; id++) {
        ended += outcomes[id];
        once &= outcomes[id] <= 1;
    }
    fprintf(stderr, "drain: started %ld, OK %ld (%ld after SIGTERM), UNAVAILABLE %ld, other %ld, starts refused %ld\n",
            started, ok, ok_after_signal, unavailable, other, refused_starts);
    CHECK(signalled);
    CHECK(once && ended == started);
    CHECK(other == 0);
    CHECK(ok >= 300 && ok_after_signal > 0);
    CHECK(refused_starts == 1);
    free(outcomes);
    predict_close(session);
    free(token);
    return check_report("interop_tests drain");
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "calls")) return run_calls();
    if (!strcmp(mode, "idle")) return run_idle();
    if (!strcmp(mode, "drain")) return run_drain();
    fprintf(stderr, "usage: interop_tests calls|idle|drain (run tests/run-interop.sh)\n");
    return 64;
}
