/* predict-c-bench: predict-bench's closed loop through libpredict, for comparing the C client
 * with the Swift one on the same server. One session (one connection), --concurrency calls
 * kept in flight, feature rows generated from the model's metadata (seeded, 1,024 distinct),
 * warm-up then a measured window; prints predict-bench's JSON keys plus the client's CPU time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "arguments.h"
#include "predict.h"

static double now_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static double cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static int by_value(const void *left, const void *right) {
    double a = *(const double *)left, b = *(const double *)right;
    return (a > b) - (a < b);
}

static double percentile(const double *sorted, size_t count, double fraction) {
    if (count == 0) return 0;
    size_t index = (size_t)(fraction * (double)(count - 1) + 0.5);
    return sorted[index];
}

int main(int argc, char **argv) {
    connection_arguments connection;
    connection_arguments_init(&connection);
    const char *model = NULL;
    int concurrency = 64;
    double duration = 10, warmup = 2;
    for (int index = 1; index < argc; index++) {
        int taken = connection_arguments_take(&connection, argc, argv, &index);
        if (taken < 0) return 64;
        if (taken) continue;
        if (index + 1 >= argc) goto usage;
        if (!strcmp(argv[index], "--model")) model = argv[++index];
        else if (!strcmp(argv[index], "--concurrency")) concurrency = atoi(argv[++index]);
        else if (!strcmp(argv[index], "--duration")) duration = atof(argv[++index]);
        else if (!strcmp(argv[index], "--warmup")) warmup = atof(argv[++index]);
        else goto usage;
    }
    if (!model || concurrency < 1 || concurrency > 4096 || !(duration > 0) || warmup < 0) goto usage;
    if (connection_arguments_finish(&connection) != 0) return 64;

    predict_status status;
    predict_session *session = NULL;
    if (predict_connect(&connection.options, &session, &status) != 0) {
        fprintf(stderr, "error: %s: %s\n", predict_code_name(status.code), status.message);
        return (int)status.code;
    }
    Inference__ModelMetadataResponse *metadata = NULL;
    if (predict_model_metadata(session, model, NULL, &metadata, &status) != 0) {
        fprintf(stderr, "error: %s: %s\n", predict_code_name(status.code), status.message);
        return (int)status.code;
    }
    size_t width = metadata->n_inputs == 1 && metadata->inputs[0]->n_shape == 2 ? (size_t)metadata->inputs[0]->shape[1] : 0;
    inference__model_metadata_response__free_unpacked(metadata, NULL);
    if (width < 1 || width > 100000) {
        fprintf(stderr, "error: model '%s' does not take one FP32 input [N, F]\n", model);
        return 3;
    }
    enum { distinct = 1024 };
    float *rows = malloc(distinct * width * sizeof *rows);
    uint64_t seed = 1;
    for (size_t index = 0; index < distinct * width; index++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; /* PCG's LCG step */
        rows[index] = (float)((seed >> 33) % 8000) / 1000.0f;
    }

    typedef struct {
        predict_call_id id;
        double started;
    } slot;
    slot *slots = calloc((size_t)concurrency, sizeof *slots);
    size_t sample_capacity = 1 << 16, samples = 0;
    double *latencies = malloc(sample_capacity * sizeof *latencies);
    long next_row = 0, calls = 0, errors = 0;
    double begin = now_seconds(), measure_from = begin + warmup, measure_to = measure_from + duration;
    double cpu_from = 0, cpu_to = 0;
    int measuring = warmup == 0;
    if (measuring) cpu_from = cpu_seconds();
    for (int index = 0; index < concurrency; index++) {
        if (predict_start_infer_f32(session, model, NULL, rows + (next_row++ % distinct) * width, 1, width, 0,
                                    &slots[index].id, &status) != 0) {
            fprintf(stderr, "error: %s: %s\n", predict_code_name(status.code), status.message);
            return (int)status.code;
        }
        slots[index].started = now_seconds();
    }
    for (;;) {
        predict_call_id id = 0;
        Inference__ModelInferResponse *response = NULL;
        int outcome = predict_wait_any_infer(session, &id, &response, &status);
        double finished = now_seconds();
        if (outcome == 0) inference__model_infer_response__free_unpacked(response, NULL);
        int index = 0;
        while (index < concurrency && slots[index].id != id) index++;
        if (index == concurrency) {
            fprintf(stderr, "error: an answer for a call not started\n");
            return 13;
        }
        if (!measuring && finished >= measure_from) {
            measuring = 1;
            cpu_from = cpu_seconds();
        }
        if (measuring && finished < measure_to) {
            calls++;
            errors += outcome != 0;
            if (samples == sample_capacity) latencies = realloc(latencies, (sample_capacity *= 2) * sizeof *latencies);
            latencies[samples++] = (finished - slots[index].started) * 1e6;
        }
        if (finished >= measure_to) break;
        if (predict_start_infer_f32(session, model, NULL, rows + (next_row++ % distinct) * width, 1, width, 0,
                                    &slots[index].id, &status) != 0) {
            fprintf(stderr, "error: %s: %s\n", predict_code_name(status.code), status.message);
            return (int)status.code;
        }
        slots[index].started = now_seconds();
    }
    cpu_to = cpu_seconds();
    qsort(latencies, samples, sizeof *latencies, by_value);
    printf("{\"calls\": %ld, \"calls_per_second\": %.1f, \"errors\": %ld, \"client_cpu_us_per_call\": %.2f, "
           "\"latency_us\": {\"p50\": %.1f, \"p90\": %.1f, \"p99\": %.1f, \"max\": %.1f}, "
           "\"load\": {\"concurrency\": %d, \"connections\": 1, \"mode\": \"closed\"}, \"model\": \"%s\"}\n",
           calls, (double)calls / duration, errors, calls ? (cpu_to - cpu_from) * 1e6 / (double)calls : 0,
           percentile(latencies, samples, 0.5), percentile(latencies, samples, 0.9), percentile(latencies, samples, 0.99),
           samples ? latencies[samples - 1] : 0, concurrency, model);
    /* Collect what is still in flight before closing, as a well-behaved client does. */
    while (predict_calls_in_flight(session) > 0) {
        predict_call_id id;
        Inference__ModelInferResponse *response = NULL;
        if (predict_wait_any_infer(session, &id, &response, &status) == 0) inference__model_infer_response__free_unpacked(response, NULL);
    }
    predict_close(session);
    free(latencies);
    free(slots);
    free(rows);
    return errors ? 1 : 0;
usage:
    fprintf(stderr, "usage: predict-c-bench --model MODEL [--concurrency 64] [--duration 10] [--warmup 2] [options]\noptions:\n" CONNECTION_USAGE);
    return 64;
}
